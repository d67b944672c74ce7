//! Rules about security groups and network ACLs on the way to an endpoint.

pub(super) mod endpoint_sg_blocks_https;
pub(super) mod nacl_blocks_traffic;
pub(super) mod workload_sg_blocks_https;
