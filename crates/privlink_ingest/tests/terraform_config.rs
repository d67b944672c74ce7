//! Terraform configuration evaluation: fixtures and inline configurations in, resources out.

mod terraform_config {
    pub(crate) mod support;

    mod errors;
    mod expressions;
    mod modules;
    mod seeds;
    mod variables;
}
