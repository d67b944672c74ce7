//! Rules about which endpoints exist and how they are placed.

pub(super) mod endpoint_without_subnets;
pub(super) mod missing_interface_endpoint;
pub(super) mod missing_s3_gateway_endpoint;
pub(super) mod s3_gateway_not_on_route_table;
