//! Writing a plan: nothing a user owns is lost. A changed file is first copied to
//! `FILE.privlink-backup` (`FILE.privlink-backup.2`, ... when that exists, so an earlier backup is
//! never overwritten); a new file is created only where no file is (`create_new`), so a file that
//! appeared since the plan was made is not overwritten either.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::plan::{FileChange, Plan};

/// A file written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Where its previous content was copied, for a changed file.
    pub backup: Option<PathBuf>,
}

/// A file that could not be written; the files before it in the plan were.
#[derive(Debug)]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub error: io::Error,
    /// The files written before the error.
    pub written: Vec<Written>,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for WriteError {}

/// Writes every file of the plan.
pub fn write(plan: &Plan) -> Result<Vec<Written>, WriteError> {
    let mut written = Vec::new();
    for change in &plan.files {
        match write_one(change) {
            Ok(w) => written.push(w),
            Err(error) => {
                return Err(WriteError {
                    path: change.path.clone(),
                    error,
                    written,
                });
            }
        }
    }
    Ok(written)
}

fn write_one(change: &FileChange) -> io::Result<Written> {
    match &change.original {
        None => {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&change.path)?;
            file.write_all(change.updated.as_bytes())?;
            Ok(Written {
                path: change.path.clone(),
                backup: None,
            })
        }
        Some(original) => {
            let current = fs::read_to_string(&change.path)?;
            if &current != original {
                return Err(io::Error::other(
                    "it changed since privlink read it; run privlink fix again",
                ));
            }
            let backup = backup_path(&change.path);
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&backup)?;
            file.write_all(current.as_bytes())?;
            file.sync_all()?;
            fs::write(&change.path, &change.updated)?;
            Ok(Written {
                path: change.path.clone(),
                backup: Some(backup),
            })
        }
    }
}

/// `FILE.privlink-backup`, or the first `FILE.privlink-backup.N` (N ≥ 2) that does not exist.
fn backup_path(path: &Path) -> PathBuf {
    let base = format!("{}.privlink-backup", path.to_string_lossy());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = PathBuf::from(format!("{base}.{n}"));
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &Path, original: Option<&str>, updated: &str) -> FileChange {
        FileChange {
            path: path.to_path_buf(),
            original: original.map(str::to_owned),
            updated: updated.to_owned(),
        }
    }

    #[test]
    fn backups_are_numbered_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.tf");
        fs::write(&main, "one\n").unwrap();
        let plan = |from: &str, to: &str| Plan {
            findings: Vec::new(),
            files: vec![change(&main, Some(from), to)],
        };
        let first = write(&plan("one\n", "two\n")).unwrap();
        assert_eq!(
            first[0].backup.as_deref(),
            Some(dir.path().join("main.tf.privlink-backup").as_path())
        );
        let second = write(&plan("two\n", "three\n")).unwrap();
        assert_eq!(
            second[0].backup.as_deref(),
            Some(dir.path().join("main.tf.privlink-backup.2").as_path())
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("main.tf.privlink-backup")).unwrap(),
            "one\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("main.tf.privlink-backup.2")).unwrap(),
            "two\n"
        );
        assert_eq!(fs::read_to_string(&main).unwrap(), "three\n");
    }

    #[test]
    fn new_files_never_replace_existing_ones_and_stale_plans_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("privlink_fixes.tf");
        fs::write(&new, "mine\n").unwrap();
        let err = write(&Plan {
            findings: Vec::new(),
            files: vec![change(&new, None, "theirs\n")],
        })
        .unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&new).unwrap(), "mine\n");

        let main = dir.path().join("main.tf");
        fs::write(&main, "edited meanwhile\n").unwrap();
        let err = write(&Plan {
            findings: Vec::new(),
            files: vec![change(&main, Some("as planned\n"), "fixed\n")],
        })
        .unwrap_err();
        assert!(err.to_string().contains("changed since"));
        assert_eq!(fs::read_to_string(&main).unwrap(), "edited meanwhile\n");
    }
}
