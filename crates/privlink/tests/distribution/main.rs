//! privlink installed where its users install their checkers, each exercised for real: the Python
//! wheel built by maturin and installed by pip into a fresh virtual environment, the pre-commit
//! hooks run by pre-commit, and the GitHub Action's shell steps run as a runner runs them, with
//! its SARIF validated; and the README's GitLab CI snippet, run by jq. One wheel is built per run
//! and shared.

#[path = "../support/sarif_schema.rs"]
mod sarif_schema;

mod action;
mod gitlab;
mod pre_commit;
mod support;
mod wheel;
