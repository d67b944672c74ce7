//! The commands.

#[cfg(feature = "aws")]
pub(crate) mod aws;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod cost;
pub(crate) mod explain;
pub(crate) mod fix;
pub(crate) mod man;
pub(crate) mod plan;
pub(crate) mod rules;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

/// Writes a report to `output` (plain text) or standard output (coloured when it is a terminal and
/// colour is not turned off).
pub(crate) fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => {
            let plain = anstream::adapter::strip_str(text).to_string();
            privlink_fix::write_atomically(path, plain.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut stdout = anstream::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}
