//! The page itself: a stable snapshot, well-formed HTML carrying every finding, flow and cost
//! design, one box per subnet in its AZ column, the verdict colours, and names from the inputs
//! escaped.

use std::collections::BTreeSet;

use scraper::Html;
use serde_json::Value;

use crate::support::{FIXTURE_MANY, parse_strict, privlink, reports, select, text};

#[test]
fn snapshot_of_seed_000_as_written() {
    let (status, html) = privlink(&["check", "--format", "html", "examples/dns-hostnames-off"]);
    assert_eq!(status, 1, "seed 000 as written has errors");
    insta::assert_snapshot!("html_dns-hostnames-off", html);
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (_, first) = privlink(&["check", "--format", "html", FIXTURE_MANY]);
    let (_, second) = privlink(&["check", "--format", "html", FIXTURE_MANY]);
    assert_eq!(first, second);
}

/// Everything the JSON report says is on the page: each finding's row, each flow's cell.
fn assert_complete(doc: &Html, json: &Value) {
    let findings = json["findings"].as_array().expect("findings");
    let rows = select(doc, "table.findings tr.finding");
    assert_eq!(rows.len(), findings.len(), "one row per finding");
    for (f, row) in findings.iter().zip(&rows) {
        let rule = f["rule"].as_str().expect("rule");
        assert_eq!(row.value().attr("data-rule"), Some(rule));
        let row_text = text(row);
        for key in ["message", "predicted_error"] {
            if let Some(expected) = f[key].as_str() {
                assert!(
                    row_text.contains(expected),
                    "{key} `{expected}` in {row_text}"
                );
            }
        }
        if let Some(fix) = f["fix"]["summary"].as_str() {
            assert!(row_text.contains(fix), "fix `{fix}` in {row_text}");
        }
        if let Some(path) = f["location"]["path"].as_str() {
            let at = format!("{path}:{}", f["location"]["line"]);
            assert!(row_text.contains(&at), "location `{at}` in {row_text}");
        }
        // The rule's link opens its documentation on the same page.
        let docs = select(doc, &format!("details.rule[id=\"rule-{rule}\"]"));
        assert_eq!(docs.len(), 1, "documentation of {rule}");
        assert!(text(&docs[0]).contains("What it does"));
    }
    let flows = json["flows"].as_array().expect("flows");
    let cells = select(doc, "table.flows td.cell");
    assert_eq!(cells.len(), flows.len(), "one cell per flow");
    for verdict in flows
        .iter()
        .map(|f| f["verdict"].as_str().expect("verdict"))
    {
        let class = format!("table.flows td.cell.v-{verdict}");
        assert!(!select(doc, &class).is_empty(), "a {verdict} cell");
    }
    let counts = &json["summary"];
    let summary = text(&select(doc, "header .summary")[0]);
    for (key, word) in [
        ("errors", "error"),
        ("warnings", "warning"),
        ("infos", "info"),
    ] {
        let n = counts[key].as_u64().expect("count");
        assert!(summary.contains(&format!("{n} {word}")), "{summary}");
    }
}

/// Nothing on the page can make the browser fetch anything.
fn assert_self_contained(doc: &Html) {
    let csp = select(doc, "meta[http-equiv=\"Content-Security-Policy\"]");
    assert_eq!(csp.len(), 1);
    assert!(
        csp[0]
            .value()
            .attr("content")
            .is_some_and(|c| c.starts_with("default-src 'none'"))
    );
    assert!(select(doc, "script, link, img, iframe, object, embed").is_empty());
    assert!(
        select(doc, "[src]").is_empty(),
        "nothing loaded from anywhere"
    );
    for a in select(doc, "[href]") {
        let href = a.value().attr("href").unwrap_or_default();
        assert!(href.starts_with('#'), "only links within the page: {href}");
    }
}

fn subnet_boxes(doc: &Html) -> BTreeSet<String> {
    let boxes = select(doc, "svg.diagram rect.subnet");
    let names: BTreeSet<String> = boxes
        .iter()
        .map(|r| {
            r.value()
                .attr("data-subnet")
                .expect("data-subnet")
                .to_owned()
        })
        .collect();
    assert_eq!(names.len(), boxes.len(), "one box per subnet, none twice");
    names
}

#[test]
fn seed_000_as_written_is_well_formed_and_complete() {
    let (html, json) = reports(&["examples/dns-hostnames-off"]);
    let doc = parse_strict(&html);
    assert_complete(&doc, &json);
    assert_self_contained(&doc);
    let expected: BTreeSet<String> = [
        "aws_subnet.private_1a_app1",
        "aws_subnet.private_1a_app2",
        "aws_subnet.private_1a_vpc_endpoint",
        "aws_subnet.private_1c_app1",
        "aws_subnet.private_1c_app2",
        "aws_subnet.private_1c_vpc_endpoint",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(subnet_boxes(&doc), expected);
    // The DNS bug blocks ecr.api, ecr.dkr and logs: their ENIs are drawn red, the S3 gateway green.
    let blocked_enis: Vec<String> = select(&doc, "g.eni.v-blocked").iter().map(text).collect();
    assert_eq!(
        blocked_enis.len(),
        6,
        "three services × two AZs: {blocked_enis:?}"
    );
    assert_eq!(select(&doc, "g.edge.gateway-endpoint.v-endpoint").len(), 1);
    assert!(!select(&doc, "g.link.v-blocked").is_empty());
    assert!(!select(&doc, "g.link.v-endpoint").is_empty());
    // Both AZs are columns, in order.
    let azs: Vec<String> = select(&doc, "svg.diagram text.az")
        .iter()
        .map(text)
        .collect();
    assert_eq!(azs, ["ap-northeast-1a", "ap-northeast-1c"]);
}

#[test]
fn the_corrected_seed_draws_only_green() {
    let (html, json) = reports(&["examples/dedicated-endpoint-subnets"]);
    let doc = parse_strict(&html);
    assert_complete(&doc, &json);
    assert!(select(&doc, "tr.finding").is_empty());
    assert!(select(&doc, "g.link.v-blocked, g.link.v-nat, g.link.v-unknown").is_empty());
    assert!(!select(&doc, "g.link.v-endpoint").is_empty());
    assert!(text(&select(&doc, "#findings")[0]).contains("No findings"));
}

#[test]
fn a_larger_network_keeps_every_subnet_flow_and_verdict() {
    let (html, json) = reports(&[FIXTURE_MANY]);
    let doc = parse_strict(&html);
    assert_complete(&doc, &json);
    assert_self_contained(&doc);
    let boxes = subnet_boxes(&doc);
    assert_eq!(boxes.len(), 15, "{boxes:?}");
    assert!(boxes.contains("aws_subnet.batch"));
    assert_eq!(
        select(&doc, "svg.diagram g.vpc").len(),
        2,
        "two VPCs, stacked"
    );
    let azs: Vec<String> = select(&doc, "svg.diagram text.az")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        azs,
        [
            "ap-northeast-1a",
            "ap-northeast-1c",
            "ap-northeast-1d",
            "ap-northeast-1a",
            "ap-northeast-1c",
            "AZ unknown"
        ]
    );
    assert_eq!(select(&doc, "rect.subnet.public").len(), 3);
    for class in ["v-endpoint", "v-nat", "v-blocked"] {
        assert!(
            !select(&doc, &format!("g.link.{class}")).is_empty(),
            "{class}"
        );
    }
    // Flows are aggregated: one link per (subnet, target), never more links than flows.
    let links = select(&doc, "g.link");
    let flows = json["flows"].as_array().expect("flows").len();
    assert!(
        links.len() < flows,
        "{} links for {flows} flows",
        links.len()
    );
    // Nine interface endpoints in three subnets, X-Ray in one, the isolated ecr.api in two.
    assert_eq!(select(&doc, "g.eni").len(), 30);
    // At the edges: the NAT gateway, the internet gateway, the S3 gateway, and one item for the
    // isolated VPC's services without a path.
    for edge in ["g.edge.nat", "g.edge.igw", "g.edge.gateway-endpoint"] {
        assert_eq!(select(&doc, edge).len(), 1, "{edge}");
    }
    let no_path: Vec<String> = select(&doc, "g.edge.no-path.v-blocked text")
        .iter()
        .map(text)
        .collect();
    assert_eq!(no_path, ["no path: ecr.dkr, s3, logs"]);
    // Each link names what it carries.
    for link in links {
        let fragment = Html::parse_fragment(&link.html());
        let title = select(&fragment, "title");
        assert_eq!(title.len(), 1);
        assert!(text(&title[0]).contains(" → "), "{}", text(&title[0]));
    }
}

#[test]
fn endpoints_only_says_so_and_blocks_the_nat_flows() {
    let (html, json) = reports(&["--endpoints-only", "examples/nat-vs-endpoints"]);
    let doc = parse_strict(&html);
    assert_complete(&doc, &json);
    assert!(text(&select(&doc, "header .mode")[0]).contains("--endpoints-only"));
    assert!(select(&doc, "g.link.v-nat").is_empty());
    assert!(!select(&doc, "g.link.v-blocked").is_empty());
    let (html, _) = reports(&["examples/nat-vs-endpoints"]);
    let doc = parse_strict(&html);
    assert!(!select(&doc, "g.link.v-nat").is_empty(), "without it, NAT");
}

#[test]
fn the_cost_table_shows_each_design() {
    let (html, json) = reports(&["examples/nat-vs-endpoints"]);
    let doc = parse_strict(&html);
    let rows = select(&doc, "table.cost tbody tr");
    let designs = json["cost"]["sets"][0]["estimate"]["designs"]
        .as_array()
        .expect("designs");
    assert_eq!(rows.len(), designs.len());
    for (row, design) in rows.iter().zip(designs) {
        let total = format!("${:.2}", design["total_usd"].as_f64().expect("total"));
        let row = text(row).replace(',', "");
        assert!(row.contains(&total), "{total} in {row}");
    }
    // The cheapest design is marked (as written and the single NAT gateway tie in seed 004).
    let cheapest = designs
        .iter()
        .filter_map(|d| d["total_usd"].as_f64())
        .fold(f64::INFINITY, f64::min);
    let marked = select(&doc, "table.cost tr.cheapest");
    let expected = designs
        .iter()
        .filter(|d| d["total_usd"].as_f64() == Some(cheapest))
        .count();
    assert!(expected >= 1);
    assert_eq!(marked.len(), expected);
}

/// A workload, a subnet key and a directory named to break out of the markup.
const HOSTILE: &str = r#"<script>alert("x")</script> & 'q'"#;

fn hostile_inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join(r#"in<"&'>put"#);
    std::fs::create_dir(&inputs).expect("mkdir");
    let escaped = HOSTILE.replace('"', "\\\"");
    std::fs::write(
        inputs.join("main.tf"),
        format!(
            r#"provider "aws" {{
  region = "ap-northeast-1"
}}

resource "aws_vpc" "main" {{
  cidr_block = "10.0.0.0/16"
}}

resource "aws_subnet" "app" {{
  for_each          = toset(["{escaped}"])
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "ap-northeast-1a"
}}

resource "aws_ecs_cluster" "main" {{
  name = "c"
}}

resource "aws_ecs_task_definition" "app" {{
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  container_definitions = jsonencode([{{
    name  = "app"
    image = "nginx:1.27"
  }}])
}}

resource "aws_ecs_service" "app" {{
  name            = "{escaped}"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {{
    subnets = [for s in aws_subnet.app : s.id]
  }}
}}
"#
        ),
    )
    .expect("write main.tf");
    dir
}

#[test]
fn names_from_the_inputs_are_escaped() {
    let dir = hostile_inputs();
    let inputs = dir.path().join(r#"in<"&'>put"#);
    let path = inputs.to_str().expect("utf-8 path");
    let (html, json) = reports(&[path]);
    assert!(
        json["workloads"][0]["name"].as_str() == Some(HOSTILE),
        "the fixture reaches the report: {json}"
    );
    assert!(
        !html.contains("<script>alert"),
        "raw markup from the inputs"
    );
    assert!(!html.contains(r#"in<"&'>put"#), "a raw path");
    let doc = parse_strict(&html);
    assert_complete(&doc, &json);
    assert_self_contained(&doc);
    // The names are there, as text.
    let page: String = doc.root_element().text().collect();
    assert!(page.contains(HOSTILE), "the workload's name, as text");
    // Terraform writes the key's quotes escaped in the address.
    let subnet = format!(r#"aws_subnet.app["{}"]"#, HOSTILE.replace('"', "\\\""));
    assert!(page.contains(&subnet), "{subnet}");
    assert!(page.contains(path), "the input's path, as text");
    let boxes = subnet_boxes(&doc);
    assert!(boxes.contains(&subnet), "{boxes:?}");
}

#[test]
fn an_unreadable_input_is_on_the_page_and_the_others_are_still_drawn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).expect("mkdir");
    std::fs::write(broken.join("main.tf"), "resource \"aws_vpc\" {\n").expect("write");
    let broken = broken.to_str().expect("utf-8");
    let args = [
        "check",
        "--format",
        "html",
        "examples/dedicated-endpoint-subnets",
        broken,
    ];
    let (status, html) = privlink(&args);
    assert_eq!(status, 2, "an unreadable input");
    let doc = parse_strict(&html);
    let errors = select(&doc, "table.inputs tr.input-error");
    assert!(!errors.is_empty());
    assert!(
        text(&errors[0]).contains(&format!("{broken}/main.tf:")),
        "file and line: {}",
        text(&errors[0])
    );
    assert_eq!(
        select(&doc, "svg.diagram rect.subnet").len(),
        6,
        "the other input"
    );
}
