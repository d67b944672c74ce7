//! Terminal styles. Renderers always emit them; the output sink strips them when colour is off
//! (not a terminal, `NO_COLOR`, `--no-color`, `--output FILE`).

use anstyle::{AnsiColor, Style};

pub(crate) const ERROR: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const INFO: Style = AnsiColor::Blue.on_default().bold();
pub(crate) const OK: Style = AnsiColor::Green.on_default();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const GUTTER: Style = AnsiColor::Blue.on_default().bold();

/// `text` in `style`.
pub(crate) fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// The style for a severity.
pub(crate) fn severity(s: privlink_model::Severity) -> Style {
    match s {
        privlink_model::Severity::Error => ERROR,
        privlink_model::Severity::Warning => WARNING,
        privlink_model::Severity::Info => INFO,
    }
}

/// The style for a verdict.
pub(crate) fn verdict(v: privlink_analysis::reach::Verdict) -> Style {
    use privlink_analysis::reach::Verdict;
    match v {
        Verdict::Endpoint => OK,
        Verdict::Nat | Verdict::Internet | Verdict::Unknown => WARNING,
        Verdict::Blocked => ERROR,
    }
}
