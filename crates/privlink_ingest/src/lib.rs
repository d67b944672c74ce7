//! privlink front-ends: everything that reads user inputs and lowers them into a [`privlink_model::Model`].
//!
//! ```text
//! paths ──► detect format ──► terraform (HCL/.tf.json → config eval │ plan/state JSON) ──► TfResources ──► lower ─┐
//!                        ├──► cloudformation (templates, intrinsics, cross-stack exports) ───────────────────────┼──► Model
//!                        ├──► ECS task definitions (JSON) ───────────────────────────────────────────────────────┤
//!                        └──► AWS snapshots ─────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! A front-end never panics on input and never stops the others: an input that cannot be read is an
//! [`InputError`] in its [`InputReport`], everything else still loads. `--workload` specs and
//! `privlink.toml` workloads are inputs too ([`workload_spec`]).

mod cloudformation;
pub mod container_instances;
pub mod ecs;
mod elements;
mod error;
mod inputs;
pub mod read;
mod regions;
pub mod snapshot;
pub mod task_definition;
pub mod terraform;
pub mod workload_spec;

pub use error::InputError;
pub use inputs::{InputFormat, InputReport, LoadOptions, Loaded, detect, load};
