//! Unified diffs of planned changes, in git's form (`a/` and `b/` path prefixes), which `git apply`
//! and `patch -p1` read.

use similar::TextDiff;

/// The diff from `original` (`None`: the file is new) to `updated`, with three lines of context.
/// An absolute `path` loses its leading `/` as in `git diff` (`a/tmp/main.tf`, not `a//tmp/main.tf`).
pub(crate) fn unified(path: &str, original: Option<&str>, updated: &str) -> String {
    let path = path.trim_start_matches('/');
    let before = original.unwrap_or("");
    let diff = TextDiff::from_lines(before, updated);
    let old_header = if original.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_owned()
    };
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &format!("b/{path}"))
        .missing_newline_hint(true)
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_diff_against_dev_null() {
        let d = unified("a/privlink_fixes.tf", None, "x\ny\n");
        assert!(
            d.starts_with("--- /dev/null\n+++ b/a/privlink_fixes.tf\n@@ -0,0 +1,2 @@\n+x\n+y\n")
        );
    }

    #[test]
    fn absolute_paths_get_one_slash_after_the_prefix() {
        let d = unified("/tmp/main.tf", Some("a\n"), "b\n");
        assert!(d.starts_with("--- a/tmp/main.tf\n+++ b/tmp/main.tf\n"));
    }

    #[test]
    fn changed_files_show_context() {
        let d = unified("main.tf", Some("a\nb\nc\n"), "a\nB\nc\n");
        assert_eq!(
            d,
            "--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }
}
