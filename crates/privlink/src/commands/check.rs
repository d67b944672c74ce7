//! `privlink check`.

use anyhow::Result;

use super::emit;
use crate::cli::{Format, InputArgs};
use crate::report::{html, json, markdown, sarif, text};
use crate::session::{self, Session};

/// Runs `check`; returns the exit status.
pub(crate) fn run(args: &InputArgs) -> Result<u8> {
    let (session, _) = session::open(args, false)?;
    emit(&render(&session, args.format)?, args.output.as_deref())?;
    Ok(session.exit_code())
}

/// The report of a session in a format (shared with `aws scan`, which reports the same way).
pub(crate) fn render(session: &Session, format: Format) -> Result<String> {
    Ok(match format {
        Format::Text => text::check(session),
        Format::Json => serde_json::to_string_pretty(&json::report(session))? + "\n",
        Format::Sarif => serde_json::to_string_pretty(&sarif::report(session))? + "\n",
        Format::Markdown => markdown::check(session),
        Format::Html => html::check(session),
    })
}
