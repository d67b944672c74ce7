//! `aws apply`: the fixes of the findings, made in the account.
//!
//! ```text
//! findings' FixIntents + Model + Snapshot ──► plan (pure: every choice decided, printed as is) ──► execute (EC2 calls, in order)
//! ```
//!
//! Nothing changes unless the caller executes the plan (the command asks for `--yes`); `--dry-run`
//! executes it with EC2's `DryRun` flag. Execution stops at the first failure and reports what was
//! done and what was not; every step is safe to repeat, so running `aws apply` again finishes the job.

mod execute;
mod plan;
mod token;

pub use execute::{ApplyOptions, ApplyReport, StepOutcome, execute};
pub use plan::{
    Action, DnsAttribute, ENDPOINT_GROUP_NAME, GroupRef, MANAGED_TAG, Plan, RulePeer, Step, plan,
};
