//! Source snippets for findings: the offending line with a gutter and a caret, as rustc prints them.

use std::collections::HashMap;
use std::fmt::Write as _;

use privlink_model::Location;

use super::style::{GUTTER, paint};

/// Source files read on demand, each once.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    files: HashMap<String, Option<Vec<String>>>,
}

impl Sources {
    /// Registers a document that is not a file (an unsaved live scan) under `path`.
    pub(crate) fn insert(&mut self, path: &str, text: &str) {
        self.files.insert(
            path.to_owned(),
            Some(text.lines().map(str::to_owned).collect()),
        );
    }

    fn line(&mut self, path: &str, line: u32) -> Option<String> {
        let lines = self.files.entry(path.to_owned()).or_insert_with(|| {
            std::fs::read_to_string(path)
                .ok()
                .map(|t| t.lines().map(str::to_owned).collect())
        });
        lines
            .as_ref()?
            .get(usize::try_from(line).ok()?.checked_sub(1)?)
            .cloned()
    }

    /// The `-->` line and the snippet for a location; returns the gutter width for the notes below.
    pub(crate) fn render(
        &mut self,
        location: &Location,
        style: anstyle::Style,
        out: &mut String,
    ) -> usize {
        let width = location.line.to_string().len();
        let pad = " ".repeat(width);
        let _ = writeln!(out, "{pad}{} {location}", paint(GUTTER, "-->"));
        let Some(text) = self.line(&location.path, location.line) else {
            return width;
        };
        let _ = writeln!(out, "{pad} {}", paint(GUTTER, "|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            paint(GUTTER, location.line),
            paint(GUTTER, "|"),
            text.trim_end()
        );
        let start = usize::try_from(location.column.saturating_sub(1)).unwrap_or(0);
        let chars: Vec<char> = text.chars().collect();
        let end = chars.len().max(start + 1);
        let indent: String = chars
            .iter()
            .take(start)
            .map(|c| if *c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = end.saturating_sub(start).clamp(1, 80);
        let _ = writeln!(
            out,
            "{pad} {} {indent}{}",
            paint(GUTTER, "|"),
            paint(style, "^".repeat(width))
        );
        pad.len()
    }
}
