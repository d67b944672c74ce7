//! Writing a plan: nothing a user owns is lost, whatever happens while writing.
//!
//! * A changed file is first copied to `FILE.privlink-backup` (`FILE.privlink-backup.2`, ... when
//!   that exists, so an earlier backup is never overwritten), with the file's permissions.
//! * The new content is written to a temporary file beside the file, flushed to disk, and renamed
//!   over the file only after the file is read once more and found as privlink read it: the file
//!   is at any moment either wholly the old content or wholly the new, and an edit saved since
//!   privlink read it is kept (the plan is refused). A full disk or any other failure removes the
//!   temporary file and the new backup and leaves the file as it was.
//! * A new file is created only where no file is, so a file that appeared since the plan was made
//!   is not overwritten either.
//! * A file that is a symlink is written at its target when the target is in the link's own
//!   directory tree; a link leading elsewhere is refused, never written through.
//!
//! [`write_atomically`] is the same replace-by-rename for the other files privlink writes
//! (`--output`, `aws scan --save`).

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::plan::{FileChange, Plan};

/// A file written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Where its previous content was copied, for a changed file.
    pub backup: Option<PathBuf>,
}

/// A file that could not be written; the files before it in the plan were. The file itself is
/// as it was before: nothing of it was changed and no backup or temporary file of it is left.
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
        write!(
            f,
            "cannot write {}: {}; it is unchanged",
            self.path.display(),
            self.error
        )?;
        for w in &self.written {
            match &w.backup {
                Some(b) => write!(
                    f,
                    "; {} was already written (its previous content is in {})",
                    w.path.display(),
                    b.display()
                )?,
                None => write!(f, "; {} was already created", w.path.display())?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for WriteError {}

/// How file contents reach the disk: the real thing, or (in tests) one that fails or edits the
/// file at a chosen moment.
pub(crate) trait Storage {
    /// Writes all of `bytes` to `file` and flushes them to disk.
    fn write(&self, file: &mut fs::File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)?;
        file.sync_all()
    }
    /// Called after the new content is on disk, before the file is checked and replaced.
    fn before_replace(&self, path: &Path) {
        let _ = path;
    }
}

struct Disk;

impl Storage for Disk {}

/// Writes every file of the plan.
pub fn write(plan: &Plan) -> Result<Vec<Written>, WriteError> {
    write_with(plan, &Disk)
}

pub(crate) fn write_with(plan: &Plan, storage: &dyn Storage) -> Result<Vec<Written>, WriteError> {
    let mut written = Vec::new();
    for change in &plan.files {
        match write_one(change, storage) {
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

fn write_one(change: &FileChange, storage: &dyn Storage) -> io::Result<Written> {
    let target = target(&change.path)?;
    match &change.original {
        None => {
            create_new(&target, change.updated.as_bytes(), storage)?;
            Ok(Written {
                path: change.path.clone(),
                backup: None,
            })
        }
        Some(original) => {
            let current = fs::read_to_string(&target)?;
            if &current != original {
                return Err(changed());
            }
            let permissions = fs::metadata(&target)?.permissions();
            let backup = backup_path(&target);
            let mut created = Created::default();
            let result = (|| {
                let mut file = create_with(&backup, &permissions)?;
                created.paths.push(backup.clone());
                storage.write(&mut file, current.as_bytes())?;
                let temp = temp_path(&target);
                let mut file = create_with(&temp, &permissions)?;
                created.paths.push(temp.clone());
                storage.write(&mut file, change.updated.as_bytes())?;
                storage.before_replace(&target);
                if fs::read_to_string(&target)? != *original {
                    return Err(changed());
                }
                fs::rename(&temp, &target)?;
                created.paths.pop();
                sync_dir(&target);
                Ok(())
            })();
            match result {
                Ok(()) => {
                    created.paths.clear();
                    Ok(Written {
                        path: change.path.clone(),
                        backup: Some(backup),
                    })
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// Files created while writing one file: removed again when that file is not written.
#[derive(Default)]
struct Created {
    paths: Vec<PathBuf>,
}

impl Drop for Created {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = fs::remove_file(p);
        }
    }
}

fn changed() -> io::Error {
    io::Error::other("it changed since privlink read it; run privlink fix again")
}

/// The file to write for `path`: itself, or the target of a symlink that stays in the link's
/// directory.
fn target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let (resolved, tree) = (fs::canonicalize(path)?, fs::canonicalize(dir)?);
            if resolved.starts_with(&tree) {
                Ok(resolved)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "it is a symlink to {}, outside its directory; privlink does not write through it (edit the target by hand or point privlink at it)",
                        resolved.display()
                    ),
                ))
            }
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Creates `path` with `bytes`, only where no file is: written beside it first, then linked
/// into place (which fails if a file appeared meanwhile).
fn create_new(path: &Path, bytes: &[u8], storage: &dyn Storage) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "a file of that name exists",
        ));
    }
    let temp = temp_path(path);
    let mut created = Created::default();
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    created.paths.push(temp.clone());
    storage.write(&mut file, bytes)?;
    storage.before_replace(path);
    fs::hard_link(&temp, path)?;
    sync_dir(path);
    Ok(())
}

/// Replaces (or creates) `path` with `bytes` atomically: a temporary file beside it, flushed, then
/// renamed over it, keeping an existing file's permissions. A symlink leading out of its directory
/// is refused.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = target(path)?;
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let temp = temp_path(&target);
    let mut created = Created::default();
    let mut file = match &permissions {
        Some(p) => create_with(&temp, p)?,
        None => OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?,
    };
    created.paths.push(temp.clone());
    Disk.write(&mut file, bytes)?;
    fs::rename(&temp, &target)?;
    created.paths.clear();
    sync_dir(&target);
    Ok(())
}

/// A new file with the given permissions (not those of the umask: a backup of a 0600 file is 0600).
fn create_with(path: &Path, permissions: &fs::Permissions) -> io::Result<fs::File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(permissions.mode() & 0o7777);
    }
    let file = options.open(path)?;
    file.set_permissions(permissions.clone())?;
    Ok(file)
}

/// A fresh name beside `path` for the temporary file.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.privlink-tmp-{}-{n}", std::process::id()))
}

/// Flushes the directory entry of a rename (best effort: not every system can open directories).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
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

    /// Fails once `limit` bytes have been written in total, as a full disk does; optionally edits
    /// the file being replaced just before privlink checks it.
    struct Faulty {
        limit: usize,
        written: std::cell::Cell<usize>,
        edit: Option<&'static str>,
    }

    impl Storage for Faulty {
        fn write(&self, file: &mut fs::File, bytes: &[u8]) -> io::Result<()> {
            let room = self.limit.saturating_sub(self.written.get());
            let n = room.min(bytes.len());
            file.write_all(&bytes[..n])?;
            self.written.set(self.written.get() + n);
            if n < bytes.len() {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            file.sync_all()
        }
        fn before_replace(&self, path: &Path) {
            if let Some(text) = self.edit {
                fs::write(path, text).unwrap();
            }
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_full_disk_leaves_every_file_intact_and_nothing_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.tf");
        let original = "resource \"a\" \"b\" {}\n".repeat(10);
        fs::write(&main, &original).unwrap();
        let new = dir.path().join("privlink_fixes.tf");
        let plan = Plan {
            findings: Vec::new(),
            files: vec![
                change(&main, Some(&original), &"fixed\n".repeat(100)),
                change(&new, None, "new\n"),
            ],
        };
        // The disk fills while the backup, the new content, or the new file is written.
        for limit in [10, original.len() + 50, original.len() + 600 + 2] {
            let storage = Faulty {
                limit,
                written: std::cell::Cell::new(0),
                edit: None,
            };
            let err = write_with(&plan, &storage).unwrap_err();
            assert_eq!(err.error.kind(), io::ErrorKind::StorageFull, "{err}");
            let message = err.to_string();
            assert!(message.contains("it is unchanged"), "{message}");
            if err.written.is_empty() {
                assert_eq!(err.path, main);
                assert_eq!(fs::read_to_string(&main).unwrap(), original);
                assert_eq!(names(dir.path()), ["main.tf"]);
            } else {
                // The first file was replaced before the disk filled: it says where its backup is.
                assert_eq!(err.path, new);
                let backup = dir.path().join("main.tf.privlink-backup");
                assert!(message.contains("main.tf.privlink-backup"), "{message}");
                assert_eq!(fs::read_to_string(&backup).unwrap(), original);
                assert_eq!(fs::read_to_string(&main).unwrap(), "fixed\n".repeat(100));
                assert_eq!(names(dir.path()), ["main.tf", "main.tf.privlink-backup"]);
                fs::write(&main, &original).unwrap();
                fs::remove_file(backup).unwrap();
            }
            assert!(!new.exists());
        }
    }

    #[test]
    fn an_edit_saved_while_privlink_writes_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.tf");
        fs::write(&main, "as read\n").unwrap();
        let storage = Faulty {
            limit: usize::MAX,
            written: std::cell::Cell::new(0),
            edit: Some("saved by the user meanwhile\n"),
        };
        let plan = Plan {
            findings: Vec::new(),
            files: vec![change(&main, Some("as read\n"), "fixed\n")],
        };
        let err = write_with(&plan, &storage).unwrap_err();
        assert!(err.to_string().contains("changed since"), "{err}");
        assert_eq!(
            fs::read_to_string(&main).unwrap(),
            "saved by the user meanwhile\n"
        );
        assert_eq!(names(dir.path()), ["main.tf"]);
    }

    #[cfg(unix)]
    #[test]
    fn backups_keep_permissions_and_links_out_of_the_tree_are_not_written_through() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.tf");
        fs::write(&main, "a\n").unwrap();
        fs::set_permissions(&main, fs::Permissions::from_mode(0o600)).unwrap();
        let written = write(&Plan {
            findings: Vec::new(),
            files: vec![change(&main, Some("a\n"), "b\n")],
        })
        .unwrap();
        let backup = written[0].backup.clone().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&main), mode(&backup)), (0o600, 0o600));

        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("shared.tf");
        fs::write(&target, "a\n").unwrap();
        let tree = dir.path().join("module");
        fs::create_dir(&tree).unwrap();
        let link = tree.join("shared.tf");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = write(&Plan {
            findings: Vec::new(),
            files: vec![change(&link, Some("a\n"), "b\n")],
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("does not write through it"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "a\n");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(names(&tree), ["shared.tf"]);
    }
}
