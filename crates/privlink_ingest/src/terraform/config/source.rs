//! The source files read during one evaluation, and the mapping from byte offsets to the 1-based
//! line/column [`Location`]s users see.
//!
//! Files are registered once; syntax nodes keep only a [`Pos`] (file index + byte offset), so the
//! line table is consulted only when a location is actually reported.

use std::cell::RefCell;

use privlink_model::Location;

use super::syntax::{FileId, Pos};

#[derive(Debug)]
struct SourceFile {
    display: String,
    text: String,
    line_starts: Vec<u32>,
}

/// Every file read, by [`FileId`].
#[derive(Debug, Default)]
pub(crate) struct Sources {
    files: RefCell<Vec<SourceFile>>,
}

impl Sources {
    /// Registers a file's text under its display path.
    pub(crate) fn add(&self, display: String, text: String) -> FileId {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let mut files = self.files.borrow_mut();
        files.push(SourceFile {
            display,
            text,
            line_starts,
        });
        FileId::try_from(files.len() - 1).unwrap_or(FileId::MAX)
    }

    /// The location of a position (column counted in characters).
    pub(crate) fn location(&self, pos: Pos) -> Location {
        let files = self.files.borrow();
        let Some(file) = files.get(pos.file as usize) else {
            return Location::new("", 1, 1);
        };
        let line = file
            .line_starts
            .partition_point(|start| *start <= pos.offset)
            .max(1);
        let start = file.line_starts[line - 1] as usize;
        let end = (pos.offset as usize).min(file.text.len());
        let column = file
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        Location::new(
            file.display.clone(),
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

/// Converts a byte offset from a parser into a [`Pos`].
pub(crate) fn pos(file: FileId, offset: usize) -> Pos {
    Pos {
        file,
        offset: u32::try_from(offset).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_columns() {
        let sources = Sources::default();
        let f = sources.add("dir/main.tf".into(), "ab\ncdé\nx".into());
        assert_eq!(
            sources.location(pos(f, 0)),
            Location::new("dir/main.tf", 1, 1)
        );
        assert_eq!(
            sources.location(pos(f, 3)),
            Location::new("dir/main.tf", 2, 1)
        );
        assert_eq!(
            sources.location(pos(f, 7)),
            Location::new("dir/main.tf", 2, 4)
        );
        assert_eq!(
            sources.location(pos(f, 8)),
            Location::new("dir/main.tf", 3, 1)
        );
    }
}
