//! `privlink check`.

use anyhow::Result;

use super::emit;
use crate::cli::{Format, InputArgs};
use crate::report::{html, json, markdown, sarif, text};
use crate::session;

/// Runs `check`; returns the exit status.
pub(crate) fn run(args: &InputArgs) -> Result<u8> {
    let (session, _) = session::open(args, false)?;
    let rendered = match args.format {
        Format::Text => text::check(&session),
        Format::Json => serde_json::to_string_pretty(&json::report(&session))? + "\n",
        Format::Sarif => serde_json::to_string_pretty(&sarif::report(&session))? + "\n",
        Format::Markdown => markdown::check(&session),
        Format::Html => html::check(&session),
    };
    emit(&rendered, args.output.as_deref())?;
    Ok(session.exit_code())
}
