//! Rules about EKS clusters.

pub(super) mod eks_private_endpoint_disabled;
