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
pub use scan::{NoProgress, Progress, ScanFailure, ScanOptions, ScanOutcome, scan};
