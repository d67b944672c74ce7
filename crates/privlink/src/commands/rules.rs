//! `privlink rules` and `privlink rule NAME`.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use privlink_analysis::rules::{RULES, Rule};

use super::emit;
use crate::cli::{ListFormat, RuleArgs, RulesArgs};

/// Lists the rules.
pub(crate) fn list(args: &RulesArgs) -> Result<u8> {
    let rendered = match args.format {
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| serde_json::json!({"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}))
                .collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
        ListFormat::Text => {
            let mut out = String::new();
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut sorted: Vec<&&Rule> = RULES.iter().collect();
            sorted.sort_by_key(|r| r.code);
            for r in sorted {
                let _ = writeln!(
                    out,
                    "{}  {:<width$}  {:<7}  {}",
                    r.code,
                    r.name,
                    r.severity.to_string(),
                    r.summary
                );
            }
            out
        }
    };
    emit(&rendered, None)?;
    Ok(0)
}

/// Prints one rule's documentation.
pub(crate) fn show(args: &RuleArgs) -> Result<u8> {
    let wanted = args.name.trim();
    let Some(rule) = RULES
        .iter()
        .find(|r| r.name == wanted || r.code.eq_ignore_ascii_case(wanted))
    else {
        let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        bail!("no rule named `{wanted}`; rules: {}", names.join(", "));
    };
    emit(rule.docs, None)?;
    Ok(0)
}
