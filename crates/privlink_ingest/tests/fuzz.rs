//! A bounded fuzz run of every reader: arbitrary bytes and structure-aware mutations of real
//! inputs (a Terraform configuration, a plan, CloudFormation templates, a task definition), each
//! loaded as privlink loads an input. A case passes when loading returns (no panic, no stack
//! overflow) within a time bound. The run is deterministic (a fixed seed and case count, so CI
//! runs it in bounded time); `PRIVLINK_FUZZ_CASES=N` and `PRIVLINK_FUZZ_SEED=S` run it longer or
//! differently. A failing case is written to `target/fuzz-failures/`; once understood and fixed,
//! it is kept under `tests/fixtures/hostile/`, whose every input is loaded here too.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use privlink_ingest::{LoadOptions, load};

/// Cases per seed input, unless `PRIVLINK_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: usize = 200;
/// The most one case may take.
const CASE_BOUND: Duration = Duration::from_secs(20);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Seed inputs: (file name to load the mutation as, its content).
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let read = |p: &str| fs::read(fixtures().join(p)).unwrap();
    vec![
        ("main.tf", read("terraform/equivalence/hcl/main.tf")),
        ("main.tf", read("terraform/iam-policy/main.tf")),
        ("plan.json", read("plans/nat.plan.json")),
        ("template.yaml", read("cloudformation/network.yaml")),
        ("template.yaml", read("cloudformation/workloads.yaml")),
        ("taskdef.json", read("task-definitions/app.json")),
        ("template.yaml", read("hostile/getatt-cycle/template.yaml")),
        ("main.tf", read("hostile/huge-count/main.tf")),
    ]
}

/// Fragments that matter to the readers, spliced in by the structure-aware mutations.
const TOKENS: &[&str] = &[
    "!Ref ",
    "!GetAtt ",
    "!Sub '${A.B}${AWS::Region}${!x}'",
    "{\"Fn::If\": [\"C\", 1, 2]}",
    "DependsOn: [",
    "${",
    "}",
    "{",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\n",
    "  ",
    "\t",
    "&a ",
    "*a",
    "---\n",
    "null",
    "-1",
    "1e19",
    "1e300",
    "NaN",
    "9999999999999999999999",
    "count = 1000000000\n",
    "for_each = toset([\"a\", \"a\"])\n",
    "${local.x}${local.x}",
    "local.",
    "var.",
    "module.",
    "file(\"/dev/zero\")",
    "templatefile(\"../../etc/passwd\", {})",
    "TemplateURL: ../../../../etc/passwd\n",
    "\u{feff}",
    "\u{0}",
    "é",
];

fn mutate(rng: &mut fastrand::Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let len = out.len();
        match rng.u8(0..7) {
            // A random byte replaced.
            0 if len > 0 => {
                let i = rng.usize(0..len);
                out[i] = rng.u8(..);
            }
            // A range deleted (truncation included).
            1 if len > 0 => {
                let start = rng.usize(0..len);
                let end = rng.usize(start..=len.min(start + 64));
                out.drain(start..end);
            }
            // A range duplicated.
            2 if len > 0 => {
                let start = rng.usize(0..len);
                let end = rng.usize(start..=len.min(start + 256));
                let chunk = out[start..end].to_vec();
                let at = rng.usize(0..=out.len());
                out.splice(at..at, chunk);
            }
            // A token spliced in.
            3 | 4 => {
                let token = TOKENS[rng.usize(0..TOKENS.len())].as_bytes();
                let at = rng.usize(0..=len);
                out.splice(at..at, token.iter().copied());
            }
            // Two lines swapped.
            5 => {
                let text = String::from_utf8_lossy(&out).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.usize(0..lines.len()), rng.usize(0..lines.len()));
                    lines.swap(a, b);
                }
                out = lines.join("\n").into_bytes();
            }
            // Arbitrary bytes.
            _ => {
                let n = rng.usize(0..64);
                let at = rng.usize(0..=len);
                let bytes: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
                out.splice(at..at, bytes);
            }
        }
    }
    out
}

/// Loads `bytes` as `name` in a fresh directory (a `.tf` file as its directory); returns whether
/// it finished in time, writing the input to `target/fuzz-failures/` when it did not or panicked.
fn check(name: &str, bytes: &[u8], label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    let input = if name.ends_with(".tf") {
        dir.path().to_path_buf()
    } else {
        path
    };
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        load(std::slice::from_ref(&input), &LoadOptions::default())
    }));
    let elapsed = start.elapsed();
    if outcome.is_err() || elapsed > CASE_BOUND {
        let keep = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/fuzz-failures")
            .join(format!("{label}-{name}"));
        fs::create_dir_all(keep.parent().unwrap()).unwrap();
        fs::write(&keep, bytes).unwrap();
        panic!(
            "{label}: {} (input kept in {})",
            if outcome.is_err() {
                "loading panicked".to_owned()
            } else {
                format!("loading took {elapsed:?}")
            },
            keep.display()
        );
    }
}

#[test]
fn mutated_inputs_never_crash_or_hang() {
    let cases = std::env::var("PRIVLINK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed = std::env::var("PRIVLINK_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(17);
    let mut rng = fastrand::Rng::with_seed(seed);
    for (s, (name, input)) in seeds().iter().enumerate() {
        for case in 0..cases {
            let mutated = mutate(&mut rng, input);
            check(name, &mutated, &format!("seed{seed}-input{s}-case{case}"));
        }
    }
}

#[test]
fn arbitrary_bytes_never_crash_or_hang() {
    let mut rng = fastrand::Rng::with_seed(4);
    for case in 0..DEFAULT_CASES {
        let bytes: Vec<u8> = (0..rng.usize(0..512)).map(|_| rng.u8(..)).collect();
        for name in ["main.tf", "input.json", "template.yaml"] {
            check(name, &bytes, &format!("bytes-case{case}"));
        }
    }
}

/// Every input that ever crashed privlink, kept: each loads, and reports what is wrong with it.
#[test]
fn every_past_crash_loads_and_is_reported() {
    let root = fixtures().join("hostile");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3);
    for dir in dirs {
        let loaded = load(std::slice::from_ref(&dir), &LoadOptions::default());
        let reported = loaded.inputs.iter().any(|i| !i.errors.is_empty())
            || !loaded.model.diagnostics.is_empty();
        assert!(reported, "{} loads without a word", dir.display());
    }
}
