//! The AWS snapshot front-end: a saved `privlink aws scan` ([`format`]) lowered into the model.
//!
//! ```text
//! privlink_aws (SDK outputs) ──► Snapshot ──► to_text (pretty JSON, the synthesized document) ──► parse ──► lower ──► Model
//! ```
//!
//! A live scan and `check --aws-snapshot FILE` take the same path: the scanner builds a [`Snapshot`],
//! [`to_text`] writes it, and [`load_text`] reads the text back, so the locations of live resources
//! are lines of that text (see `locate`), whether it was saved to a file or not. The crate needs no
//! AWS SDK for any of this.

pub mod format;
mod locate;
mod lower;
mod workloads;

use std::collections::HashSet;

use privlink_model::Model;

pub use format::{SNAPSHOT_VERSION, Snapshot};

use crate::InputError;

/// Writes a snapshot as the pretty-printed document that locations point into.
pub fn to_text(snapshot: &Snapshot) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(snapshot).unwrap_or_default() + "\n"
}

/// Parses a snapshot; `path` is how the file is named in errors.
pub fn parse(text: &str, path: &str) -> Result<Snapshot, InputError> {
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| {
        let at = privlink_model::Location::new(path, u32::try_from(e.line()).unwrap_or(0), u32::try_from(e.column()).unwrap_or(0));
        InputError::at(&at, format!("not a valid privlink snapshot: {e}"))
            .with_help("snapshots are written by `privlink aws scan --save FILE`; scan again to get a fresh one")
    })?;
    if snapshot.privlink_snapshot != SNAPSHOT_VERSION {
        return Err(InputError::file(
            path,
            format!(
                "snapshot format version {} is not the version this privlink reads ({SNAPSHOT_VERSION})",
                snapshot.privlink_snapshot
            ),
        )
        .with_help("scan again with this privlink, or use the privlink version that wrote the snapshot"));
    }
    Ok(snapshot)
}

/// Lowers a parsed snapshot; `text` is the document it was read from (for locations), `path` its name.
pub fn lower(snapshot: &Snapshot, text: &str, path: &str) -> Model {
    let locator = locate::Locator::new(path, text);
    let mut model = Model::default();
    let mut names = HashSet::new();
    for region in &snapshot.regions {
        lower::network(region, &locator, &mut model);
        workloads::workloads(region, &locator, &mut model, &mut names);
    }
    model
}

/// Reads a snapshot document into the model.
pub fn load_text(text: &str, path: &str) -> (Model, Vec<InputError>) {
    match parse(text, path) {
        Ok(snapshot) => (lower(&snapshot, text, path), Vec::new()),
        Err(e) => (Model::default(), vec![e]),
    }
}

#[cfg(test)]
mod tests;
