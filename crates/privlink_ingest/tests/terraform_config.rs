//! Terraform configuration evaluation: fixtures and inline configurations in, resources out.

mod terraform_config {
    pub(crate) mod support;

    mod data_sources;
    mod errors;
    mod expressions;
    mod locations;
    mod modules;
    mod seeds;
    mod semantics;
    mod variables;
}
