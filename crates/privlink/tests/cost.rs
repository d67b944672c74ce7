//! `privlink cost` end to end on seed 004 (a Fargate service in three Tokyo AZs behind one NAT
//! gateway) and the rule fixtures' reference network: the seed's figures, the traffic flags and
//! table, replacement price tables, the errors a user can act on, and the cost line of `check`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

const SEED_004: &str = "examples/nat-vs-endpoints";

fn json(args: &[&str]) -> Value {
    let (status, stdout, stderr) = run(&[&["cost", "--format", "json"][..], args].concat());
    assert_eq!(status, 0, "{stdout}{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

fn design<'a>(estimate: &'a Value, name: &str) -> &'a Value {
    estimate["designs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["design"] == name)
        .unwrap_or_else(|| panic!("{name}"))
}

fn comparison<'a>(estimate: &'a Value, against: &str) -> &'a Value {
    estimate["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["against"] == against)
        .unwrap()
}

/// Seed 004's Tokyo figures: a NAT gateway 0.062 × 730 = 45.26 a month, an interface endpoint
/// 0.014 × 730 = 10.22 a month per AZ; four endpoints in three AZs 122.64; three NATs 135.78 with
/// 10.95 of Elastic IPs.
#[test]
fn seed_004_figures() {
    let report = json(&[SEED_004]);
    assert_eq!(report["hours_per_month"], 730);
    let set = &report["sets"][0];
    assert_eq!(set["vpc"], "aws_vpc.main");
    assert_eq!(set["region"], "ap-northeast-1");
    let e = &set["estimate"];
    assert_eq!(
        e["azs"],
        serde_json::json!(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"])
    );
    assert_eq!(
        e["interface_services"],
        serde_json::json!(["ecr.api", "secretsmanager", "ecr.dkr", "logs"])
    );
    assert_eq!(e["gateway_services"], serde_json::json!(["s3"]));
    let written = design(e, "as-written");
    assert_eq!(written["items"][0]["label"], "aws_nat_gateway.main");
    assert_eq!(written["items"][0]["usd"], 45.26);
    assert_eq!(written["fixed_usd"], 48.91);
    let endpoints = design(e, "endpoints");
    assert_eq!(endpoints["fixed_usd"], 122.64);
    assert!(
        endpoints["items"].as_array().unwrap()[..4]
            .iter()
            .all(|i| i["usd"] == 30.66 && i["unit_usd"] == 0.014)
    );
    let per_az = design(e, "nat-per-az");
    assert_eq!(
        (
            per_az["items"][0]["usd"].clone(),
            per_az["items"][1]["usd"].clone()
        ),
        (135.78.into(), 10.95.into())
    );
    // As written is the single-NAT design, so they cross at the same traffic; three NATs never
    // beat the endpoints.
    let single = comparison(e, "single-nat");
    assert_eq!(single["cheaper_at_low_traffic"], "single-nat");
    assert_eq!(
        comparison(e, "as-written")["break_even_gb"],
        single["break_even_gb"]
    );
    assert_eq!(
        comparison(e, "nat-per-az")["cheaper_at_low_traffic"],
        "endpoints"
    );
    assert_eq!(comparison(e, "nat-per-az")["break_even_gb"], Value::Null);
    assert_eq!(e["nat_vs_endpoints"]["nat_design"], "single-nat");
    assert_eq!(e["nat_vs_endpoints"]["endpoints"], 5);
    let tokyo = &e["prices"]["figures"];
    assert!(
        tokyo
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["date"].as_str().is_some_and(|d| d.starts_with("20")) && f["source"] != "")
    );
}

/// The text report: the table first, no line wider than 100 columns, the defaults stated.
#[test]
fn text_report_fits_and_states_its_assumptions() {
    let (status, stdout, stderr) = run(&["cost", SEED_004]);
    assert_eq!(status, 0, "{stderr}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    assert!(
        stdout.contains("100 GB/month = image pulls 80 + logs 10 + other 10 (privlink's defaults"),
        "{stdout}"
    );
    assert!(
        stdout.contains("endpoints: 4 interface × 3 AZs + s3 gateway"),
        "{stdout}"
    );
    assert!(
        stdout.contains("endpoints are cheaper than NAT gateway per AZ at any volume"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cross-AZ 0.01/GB*"),
        "the assumed figure is marked: {stdout}"
    );
    // Seed 000 as written: its blocked flows are said to be unpriced, still within 100 columns.
    let (_, seed_000, _) = run(&["cost", "examples/dns-hostnames-off"]);
    assert!(
        seed_000.lines().all(|l| l.chars().count() <= 100),
        "{seed_000}"
    );
    assert!(
        seed_000.contains("(20% of the traffic is on flows that"),
        "{seed_000}"
    );
    insta::assert_snapshot!("cost_seed-004", stdout);
}

/// `--gb-per-month` scales the traffic in the same mix: totals move, the break-even does not.
#[test]
fn gb_per_month_moves_the_totals_not_the_break_even() {
    let default = json(&[SEED_004]);
    let big = json(&[SEED_004, "--gb-per-month", "2000"]);
    assert_eq!(big["traffic"]["total_gb"], 2000.0);
    assert_eq!(big["traffic"]["image_pulls_gb"], 1600.0);
    assert_eq!(big["traffic"]["source"], "gb-per-month");
    let (d, b) = (&default["sets"][0]["estimate"], &big["sets"][0]["estimate"]);
    assert_eq!(
        comparison(d, "single-nat")["break_even_gb"],
        comparison(b, "single-nat")["break_even_gb"]
    );
    // Above the break-even, endpoints are the cheaper design.
    assert!(
        design(b, "endpoints")["total_usd"].as_f64()
            < design(b, "single-nat")["total_usd"].as_f64()
    );
    assert!(
        design(d, "endpoints")["total_usd"].as_f64()
            > design(d, "single-nat")["total_usd"].as_f64()
    );
    let (status, _, stderr) = run(&["cost", SEED_004, "--gb-per-month=-5"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
    let (status, _, stderr) = run(&["cost", SEED_004, "--gb-per-month", "2000000000"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("at most 1000000000 GB a month"), "{stderr}");
}

/// `[traffic]` in privlink.toml sets the mix; all traffic through interface services reproduces the
/// domain notes' break-even against one NAT with its EIP, plus the cross-AZ two thirds pay.
#[test]
fn traffic_table_in_privlink_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in ["main.tf", "ecs.tf"] {
        std::fs::copy(root().join(SEED_004).join(file), dir.path().join(file)).expect("copy");
    }
    std::fs::write(
        dir.path().join("privlink.toml"),
        "[traffic]\nimage-pulls-gb = 0\nlogs-gb = 0\nother-gb = 300\n",
    )
    .expect("write");
    let report = json(&[dir.path().to_str().unwrap()]);
    assert_eq!(report["traffic"]["source"], "config");
    assert_eq!(report["traffic"]["total_gb"], 300.0);
    let e = &report["sets"][0]["estimate"];
    // (122.64 − 48.91) / (0.062 + ⅔·0.01 − 0.01)
    assert_eq!(comparison(e, "single-nat")["break_even_gb"], 1256.76);
    std::fs::write(
        dir.path().join("privlink.toml"),
        "[traffic]\nlogs-gb = -3\n",
    )
    .expect("write");
    let (status, _, stderr) = run(&["cost", dir.path().to_str().unwrap()]);
    assert_eq!(status, 2);
    assert!(stderr.contains("logs-gb = -3"), "{stderr}");
}

/// A region the table does not have is an error naming the regions it has; `--prices FILE` adds it.
#[test]
fn region_missing_from_the_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = std::fs::read_to_string(root().join(SEED_004).join("main.tf"))
        .unwrap()
        .replace("ap-northeast-1", "sa-east-1");
    std::fs::write(dir.path().join("main.tf"), main).expect("write");
    let ecs = std::fs::read_to_string(root().join(SEED_004).join("ecs.tf"))
        .unwrap()
        .replace("ap-northeast-1", "sa-east-1");
    std::fs::write(dir.path().join("ecs.tf"), ecs).expect("write");
    let path = dir.path().to_str().unwrap();
    let (status, stdout, stderr) = run(&["cost", path]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stderr.contains("no prices for region `sa-east-1`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "ap-northeast-1, ap-southeast-1, eu-central-1, eu-west-1, us-east-1, us-west-2"
        ),
        "{stderr}"
    );
    // check still runs and says it in its cost line, without failing on it.
    let (status, stdout, _) = run(&["check", path]);
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.contains("info[cost]: aws_vpc.main: not priced: the price table has no prices for region `sa-east-1`"), "{stdout}");

    let table = std::fs::read_to_string(root().join("crates/privlink_analysis/data/prices.toml"))
        .unwrap()
        .replace("[regions.ap-northeast-1]", "[regions.sa-east-1]");
    let prices = dir.path().join("prices.toml");
    std::fs::write(&prices, table).expect("write");
    let report = json(&[path, "--prices", prices.to_str().unwrap()]);
    assert_eq!(
        design(&report["sets"][0]["estimate"], "endpoints")["fixed_usd"],
        122.64
    );
}

/// A broken price table names its file, line and column.
#[test]
fn broken_price_table_is_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prices = dir.path().join("prices.toml");
    std::fs::write(&prices, "[regions.ap-northeast-1]\nnat-gateway-hour = { usd = 0.062, date = \"2026\", source = \"x\" }\n").expect("write");
    let (status, _, stderr) = run(&["cost", SEED_004, "--prices", prices.to_str().unwrap()]);
    assert_eq!(status, 2);
    assert!(stderr.contains("prices.toml:2:"), "{stderr}");
    assert!(stderr.contains("string"), "prices are strings: {stderr}");
    let (status, _, stderr) = run(&["cost", SEED_004, "--prices", "does/not/exist.toml"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("does/not/exist.toml: cannot read the price table"),
        "{stderr}"
    );
}

/// `check` shows one cost line per workload set and keeps it out of the exit status.
#[test]
fn check_shows_the_cost_line_without_failing_on_it() {
    let (status, stdout, _) = run(&["check", SEED_004, "--fail-on", "info", "--endpoints-only"]);
    assert_eq!(status, 1, "the NAT-only flows fail with --endpoints-only");
    assert_eq!(stdout.matches("info[cost]").count(), 1, "{stdout}");
    assert!(
        stdout.contains("info[cost]: aws_vpc.main: NAT path (single NAT gateway) ≈ $55.78/month vs $122.84/month"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 infos"),
        "the cost line is not a finding: {stdout}"
    );
    let (status, stdout, _) = run(&["check", "examples/fargate-secrets", "--fail-on", "info"]);
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("info[cost]: aws_vpc.main: NAT path"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["check", "--format", "json", SEED_004]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["cost"]["sets"][0]["estimate"]["nat_vs_endpoints"]["endpoints_usd"],
        122.84
    );
}

#[test]
fn nothing_to_price() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\n",
    )
    .expect("write");
    let (status, stdout, _) = run(&["cost", dir.path().to_str().unwrap()]);
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.starts_with("nothing to price"), "{stdout}");
}
