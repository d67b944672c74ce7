//! Terraform configuration evaluation: fixtures and inline configurations in, resources out.

mod terraform_config {
    pub(crate) mod support;

    mod expressions;
    mod seeds;
    mod variables;
}
