//! Rules about which endpoints exist, how they are placed and configured.

pub(super) mod duplicate_private_dns_endpoint;
pub(super) mod endpoint_missing_in_az;
pub(super) mod endpoint_policy_denies;
pub(super) mod endpoint_region_mismatch;
pub(super) mod endpoint_subnets_share_az;
pub(super) mod endpoint_without_subnets;
pub(super) mod interface_endpoint_with_route_tables;
pub(super) mod missing_interface_endpoint;
pub(super) mod missing_s3_gateway_endpoint;
pub(super) mod s3_gateway_not_on_route_table;
pub(super) mod s3_interface_endpoint_only;
