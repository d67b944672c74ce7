//! Rules about name resolution: private DNS of endpoints and the VPC DNS attributes.

pub(super) mod private_dns_disabled;
pub(super) mod vpc_dns_disabled;
