//! Rules about leaving the VPC.

pub(super) mod nat_dependency;
