//! The Terraform front-ends: HCL configurations (`*.tf`, `*.tf.json`), plan JSON and state JSON.
//!
//! Each produces [`resource::TfResource`]s with evaluated [`value::Value`]s; [`lower`] turns those into
//! the model, the same way for every source. A configuration's resources are first checked against
//! the provider schema (`validate`), as `terraform validate` checks them.

pub mod config;
pub mod lower;
pub mod plan;
pub mod resource;
pub(crate) mod sources;
pub(crate) mod validate;
pub mod value;
