//! The one way privlink reads a file it is given or pointed at: every reader (Terraform files,
//! `file()`, `templatefile()`, variable files, templates and nested templates, CDK manifests, task
//! definitions, snapshots, `privlink.toml`, `--prices`) goes through [`read_text`].
//!
//! * only regular files are read: a FIFO, a device (`/dev/zero`), a socket or a directory is an
//!   error naming the path, never a read that blocks forever or never ends;
//! * at most [`MAX_FILE_BYTES`] are read, whatever the file claims its size is;
//! * text must be UTF-8; an invalid byte is reported at its line and column;
//! * [`inside`] tells whether a path, once its symlinks are resolved, stays inside a directory, so
//!   a link inside the tree cannot make privlink read (or write) elsewhere.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use privlink_model::Location;

use crate::InputError;

/// The largest file privlink reads.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: what it is instead.
    NotAFile(&'static str),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// Not UTF-8: the 1-based line and column of the first invalid byte, and the byte.
    NotUtf8 {
        /// Line of the invalid byte.
        line: u32,
        /// Column (in characters) of the invalid byte.
        column: u32,
        /// The byte.
        byte: u8,
    },
    /// The operating system's error.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            Self::TooLarge => write!(
                f,
                "it is larger than {} MiB, the most privlink reads from one file",
                MAX_FILE_BYTES >> 20
            ),
            Self::NotUtf8 { byte, .. } => write!(f, "invalid UTF-8 (byte 0x{byte:02x})"),
            Self::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Self::NotAFile(_) => "give the path of a regular file",
            Self::TooLarge => {
                "privlink bounds what it reads so that no input can exhaust memory; check that this is the file meant"
            }
            Self::NotUtf8 { .. } => "save the file as UTF-8",
            Self::Io(_) => "check the path and its permissions",
        }
    }

    /// As an input error about `display`: at the invalid byte for UTF-8 errors, about the whole
    /// file otherwise, the message starting with `context` (e.g. `cannot read the variables file`).
    pub fn into_input_error(self, display: &str, context: &str) -> InputError {
        let error = match &self {
            Self::NotUtf8 { line, column, .. } => InputError::at(
                &Location::new(display, *line, *column),
                format!("{context}: {self}"),
            ),
            _ => InputError::file(display, format!("{context}: {self}")),
        };
        error.with_help(self.help())
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`] as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        // `valid` is UTF-8 by construction.
        let text = std::str::from_utf8(valid).unwrap_or_default();
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::NotUtf8 {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            byte: bytes[valid.len()],
        }
    })
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    // Checked before opening: opening a FIFO for reading blocks until someone writes to it.
    regular(&fs::metadata(path)?)?;
    let file = fs::File::open(path)?;
    // And again on what was opened, in case the path changed in between.
    regular(&file.metadata()?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

fn regular(metadata: &fs::Metadata) -> Result<(), ReadError> {
    if metadata.is_file() {
        return Ok(());
    }
    if metadata.is_dir() {
        return Err(ReadError::NotAFile("a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return Err(ReadError::NotAFile("a FIFO (named pipe)"));
        }
        if kind.is_socket() {
            return Err(ReadError::NotAFile("a socket"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Err(ReadError::NotAFile("a device"));
        }
    }
    Err(ReadError::NotAFile("a special file"))
}

/// Whether `path` stays inside `tree` once both are resolved (symlinks followed): `Ok(false)` when
/// a symlink (or `..`) leads out of it.
pub fn inside(path: &Path, tree: &Path) -> io::Result<bool> {
    let (path, tree) = (fs::canonicalize(path)?, fs::canonicalize(tree)?);
    Ok(path.starts_with(tree))
}

/// Whether `path`, as written (without following symlinks), names something inside `tree`: the
/// user named it there, so if it resolves elsewhere a symlink took it there.
pub fn lexically_inside(path: &Path, tree: &Path) -> bool {
    normalize(path).starts_with(normalize(tree))
}

/// `.` and `..` resolved without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads a file that `tree`'s configuration refers to by `path`: as [`read_text`], and refused when
/// the path is inside the tree as written but a symlink resolves it outside.
pub fn read_in_tree(path: &Path, tree: &Path) -> Result<String, ReadError> {
    if lexically_inside(path, tree) && !inside(path, tree)? {
        return Err(ReadError::Io(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "a symlink resolves it outside {}; privlink reads links only when they stay inside the configuration",
                tree.display()
            ),
        )));
    }
    read_text(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        fs::write(&path, b"a: 1\nbb: \xc3\xa9\xff\n").unwrap();
        match read_text(&path) {
            Err(ReadError::NotUtf8 { line, column, byte }) => {
                assert_eq!((line, column, byte), (2, 6, 0xff));
            }
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_directories_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(read_text(&fifo), Err(ReadError::NotAFile(k)) if k.contains("FIFO")));
        assert!(matches!(
            read_text(Path::new("/dev/zero")),
            Err(ReadError::NotAFile("a device"))
        ));
        assert!(matches!(
            read_text(dir.path()),
            Err(ReadError::NotAFile("a directory"))
        ));
    }

    #[test]
    fn large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        let file = fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(read_text(&path), Err(ReadError::TooLarge)));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_tree_are_refused_unless_named_outside() {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret");
        fs::write(&secret, "s").unwrap();
        let tree = tempfile::tempdir().unwrap();
        let link = tree.path().join("link");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let error = read_in_tree(&link, tree.path()).unwrap_err();
        assert!(error.to_string().contains("a symlink resolves it outside"));
        assert_eq!(read_in_tree(&secret, tree.path()).unwrap(), "s");
        fs::write(tree.path().join("own"), "o").unwrap();
        assert_eq!(
            read_in_tree(&tree.path().join("./own"), tree.path()).unwrap(),
            "o"
        );
    }
}
