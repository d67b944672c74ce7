//! `fix --write` on a real full disk: a 64 KiB tmpfs is mounted, nearly filled, and a plan that
//! needs more room than is left is written. Every file is left as it was and nothing privlink
//! created is left behind. Mounting needs root: as root (CI, `scripts/test` on a fresh machine) the
//! mount must succeed and the test runs; as another user it says so and checks nothing (run it with
//! `sudo -E cargo test -p privlink_fix --test full_disk`). The same guarantees are tested without
//! root through a storage that fails mid-write, in `src/write.rs`.

#![cfg(target_os = "linux")]

use std::fs;
use std::path::Path;
use std::process::Command;

use privlink_fix::{FileChange, Plan, write};

struct Tmpfs(tempfile::TempDir);

/// Whether this process runs as root (and so may mount a tmpfs).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

impl Tmpfs {
    fn mount() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "mounting a tmpfs needs root");
        Self(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_changes_nothing_and_leaves_nothing() {
    if !is_root() {
        eprintln!("not root: no tmpfs can be mounted, the real full-disk case is not checked");
        return;
    }
    let disk = Tmpfs::mount();
    let main = disk.path().join("main.tf");
    let original = "# a line of the configuration\n".repeat(600);
    fs::write(&main, &original).expect("main.tf");
    // Leave about 12 KiB: less than the backup (18 KiB) or the new content need.
    let filler = disk.path().join("filler");
    let mut size = 64 * 1024 - original.len() - 12 * 1024;
    while fs::write(&filler, vec![0u8; size]).is_err() {
        size -= 1024;
    }
    let plan = Plan {
        findings: Vec::new(),
        files: vec![
            FileChange {
                path: main.clone(),
                original: Some(original.clone()),
                updated: format!("{original}{}", "# fixed\n".repeat(100)),
            },
            FileChange {
                path: disk.path().join("privlink_fixes.tf"),
                original: None,
                updated: "# new\n".to_owned(),
            },
        ],
    };
    let error = write(&plan).expect_err("the disk is full");
    assert_eq!(error.path, main);
    assert!(error.to_string().contains("it is unchanged"), "{error}");
    assert_eq!(fs::read_to_string(&main).expect("main.tf"), original);
    assert_eq!(names(disk.path()), ["filler", "main.tf"]);

    // With room again, the same plan is written whole.
    fs::remove_file(&filler).expect("filler");
    let written = write(&plan).expect("room enough");
    assert_eq!(written.len(), 2);
    assert_eq!(
        fs::read_to_string(written[0].backup.as_ref().expect("backup")).expect("backup"),
        original
    );
}
