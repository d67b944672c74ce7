//! privlink on a live AWS account, through the AWS SDK for Rust.
//!
//! ```text
//! account ──► scan (Describe/List/Get only) ──► privlink_ingest::snapshot::Snapshot ──► (ingest) Model ──► (analysis) findings
//!                                                                                                              │ FixIntents
//! account ◄── apply::execute (EC2 calls, tagged, idempotent) ◄── apply::plan ◄─────────────────────────────────┘
//! ```
//!
//! This crate is the only one that compiles the SDK; it turns SDK outputs into the snapshot types of
//! `privlink_ingest` (which lowers them like any other input) and fix intents into EC2 calls. It makes
//! its own tokio runtime, so callers stay synchronous.

pub mod apply;
pub mod error;
pub mod scan;

pub use error::{CallError, CallErrorKind};

/// The SDK crates this one is built on, re-exported so that tests building networks against moto
/// (here and in the `privlink` CLI's tests) use exactly these versions and features without
/// declaring the SDK again: the CLI's tests then build without the SDK when the `aws` feature is off.
#[doc(hidden)]
pub mod sdk {
    pub use aws_config as config;
    pub use aws_sdk_ec2 as ec2;
    pub use aws_sdk_ecs as ecs;
    pub use aws_sdk_eks as eks;
}
pub use scan::{NoProgress, Progress, ScanFailure, ScanOptions, ScanOutcome, Timeouts, scan};
