//! privlink's evaluation of a configuration calling the real vpc 6.5.1 (with vpc-endpoints) and ecs
//! 7.5.0 service modules, against `terraform plan` of the same configuration: the network elements
//! privlink builds from the HCL must be the ones it reads from the plan JSON.
//!
//! The test plans offline, as `scripts/regenerate-plans` does: the hashicorp/aws provider from the
//! local mirror (`TF_PLUGIN_DIR`, default `/opt/tf-plugins`), dummy credentials, and a moto server
//! (`moto_server` on the PATH) answering the data sources that ask AWS (endpoint services, caller
//! identity). The mirror holds hashicorp/aws 5.100.0 while the modules require aws >= 6, so the
//! test plans a TEMPORARY PATCHED COPY of the modules (the shared module folders are not changed),
//! and privlink reads that same copy:
//! - `required_providers` constraints `>= 6.x` relaxed to `>= 5.0` (the fixture's too);
//! - the per-resource `region = var.region` arguments (new in aws 6) removed;
//! - `data.aws_region.*.region` (aws 6) read as `.name` (aws 5);
//! - the `provider_meta "aws"` blocks removed;
//! - the aws-6-only nested blocks of the ecs service module (`deployment_configuration`,
//!   `advanced_configuration`, `access_log_configuration`, `test_traffic_rules`,
//!   `predictive_scaling_policy_configuration`, all `dynamic`, all empty for this configuration)
//!   and its `sigint_rollback` argument removed.
//!
//! The ecs cluster submodule (which needs hashicorp/time) is not used: the fixture writes its own
//! `aws_ecs_cluster`. The eks module needs tls, time and cloudinit, which the mirror lacks: it is
//! not planned.
//!
//! Compared, for the working network and two broken variants (`with_logs = false`,
//! `endpoint_port = 80`), each planned with its `-var`:
//! - the plan alone against the HCL (working network): every VPC, subnet, route table, security
//!   group, network ACL and VPC endpoint the configuration declares, with every value the plan
//!   knows (locations left out: plan JSON has none). Plan JSON does not record locals, so a value
//!   derived from one is unknown in the plan (a subnet's VPC, through the vpc module's
//!   `local.vpc_id`) and not compared;
//! - the plan with its directory (`privlink check plan.json infra/`) against the HCL: the same
//!   workloads, flows (verdicts and hops) and findings, exactly, locations included;
//! - the plan alone: it cannot place the module's ECS service, whose subnets and security groups
//!   are written in a `dynamic "network_configuration"` block. Terraform leaves `dynamic` blocks
//!   (and locals) out of plan JSON's `configuration`, so no reference in the plan says which
//!   subnets they are. privlink reports the service as not placed, naming the block, and reports
//!   nothing else but that and the cost note; it never guesses.
//!
//! Without terraform, the provider mirror, moto_server or the module folders the test says which
//! is missing and passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_ingest::{LoadOptions, load};
use privlink_model::{Model, Severity};
use serde_json::Value as Json;

const INSTALLED: &[(&str, &str, &str, &str, &str)] = &[
    (
        "vpc",
        "terraform-aws-modules/vpc/aws",
        "6.5.1",
        "vpc-6.5.1",
        "",
    ),
    (
        "endpoints",
        "terraform-aws-modules/vpc/aws//modules/vpc-endpoints",
        "6.5.1",
        "vpc-6.5.1",
        "modules/vpc-endpoints",
    ),
    (
        "ecs_service",
        "terraform-aws-modules/ecs/aws//modules/service",
        "7.5.0",
        "ecs-7.5.0",
        "modules/service",
    ),
];

/// aws-6-only nested blocks of the ecs service module, all `dynamic`.
const AWS6_BLOCKS: &[&str] = &[
    "deployment_configuration",
    "advanced_configuration",
    "access_log_configuration",
    "test_traffic_rules",
    "predictive_scaling_policy_configuration",
];

fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Removes every `KIND "NAME" { ... }` block (braces balanced) from `text`.
fn strip_block(text: &str, kind: &str, name: &str) -> String {
    let opening = format!("{kind} \"{name}\" {{");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&opening) {
        let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
        out.push_str(&rest[..line_start]);
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest[at..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
    }
    out.push_str(rest);
    out
}

/// The patches of the module doc, on one file.
fn patch(text: &str) -> String {
    let mut text = text
        .lines()
        .filter(|l| {
            let t = l.trim();
            t != "region = var.region" && !t.starts_with("sigint_rollback ")
        })
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("version") && t.contains("\">= 6") {
                let indent = &l[..l.len() - t.len()];
                format!("{indent}version = \">= 5.0\"")
            } else {
                l.replace(
                    "data.aws_region.current[0].region",
                    "data.aws_region.current[0].name",
                )
                .replace(
                    "data.aws_region.current.region",
                    "data.aws_region.current.name",
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text = strip_block(&text, "provider_meta", "aws");
    for block in AWS6_BLOCKS {
        text = strip_block(&text, "dynamic", block);
    }
    text
}

fn patch_tree(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("read directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            patch_tree(&path);
        } else if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).expect("read .tf");
            std::fs::write(&path, patch(&text)).expect("write .tf");
        }
    }
}

/// The fixture with the patched modules installed as `terraform init` lays them out.
fn install(fixture: &Path, modules: &Path, work: &Path) {
    let main = std::fs::read_to_string(fixture.join("main.tf")).expect("read fixture");
    std::fs::write(work.join("main.tf"), patch(&main)).expect("write fixture");
    let installed = work.join(".terraform/modules");
    let mut manifest = vec![serde_json::json!({"Key": "", "Source": "", "Dir": "."})];
    for (key, source, version, folder, inner) in INSTALLED {
        copy_dir(&modules.join(folder), &installed.join(key));
        let dir = if inner.is_empty() {
            format!(".terraform/modules/{key}")
        } else {
            format!(".terraform/modules/{key}/{inner}")
        };
        manifest.push(serde_json::json!({
            "Key": key, "Source": format!("registry.terraform.io/{source}"),
            "Version": version, "Dir": dir,
        }));
    }
    manifest.push(serde_json::json!({
        "Key": "ecs_service.container_definition", "Source": "../container-definition",
        "Dir": ".terraform/modules/ecs_service/modules/container-definition",
    }));
    patch_tree(&installed);
    std::fs::write(
        installed.join("modules.json"),
        serde_json::json!({ "Modules": manifest }).to_string(),
    )
    .expect("write modules.json");
}

struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_moto() -> Option<(Moto, u16)> {
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let moto = Moto(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((moto, port));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}

fn terraform(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform");
    assert!(
        out.status.success(),
        "terraform {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn model(paths: &[PathBuf]) -> Model {
    let loaded = load(paths, &LoadOptions::default());
    for input in &loaded.inputs {
        assert!(
            input.errors.is_empty(),
            "{}: {:?}",
            input.path,
            input.errors
        );
    }
    loaded.model
}

/// Drops source locations, which plan JSON does not have.
fn without_locations(value: &mut Json) {
    match value {
        Json::Object(map) => {
            map.remove("location");
            map.values_mut().for_each(without_locations);
        }
        Json::Array(items) => items.iter_mut().for_each(without_locations),
        _ => {}
    }
}

/// The network elements of a model, by collection and id.
fn elements(model: &Model) -> BTreeMap<String, BTreeMap<String, Json>> {
    let mut json = serde_json::to_value(model).expect("model as JSON");
    without_locations(&mut json);
    [
        "vpcs",
        "subnets",
        "route_tables",
        "security_groups",
        "network_acls",
        "endpoints",
    ]
    .into_iter()
    .map(|collection| {
        let items = json[collection]
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        (collection.to_owned(), items)
    })
    .collect()
}

#[test]
fn the_plan_of_the_module_configuration_gives_the_network_privlink_evaluates() {
    let modules = std::env::var_os("PRIVLINK_TERRAFORM_MODULES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/terraform-modules"),
        PathBuf::from,
    );
    let plugins =
        std::env::var_os("TF_PLUGIN_DIR").map_or_else(|| "/opt/tf-plugins".into(), PathBuf::from);
    if !modules.join("vpc-6.5.1").is_dir() {
        return skip(&format!(
            "no terraform-aws-modules folders at {}",
            modules.display()
        ));
    }
    if Command::new("terraform").arg("version").output().is_err() {
        return skip("terraform is not installed");
    }
    if !plugins.join("registry.terraform.io/hashicorp/aws").is_dir() {
        return skip(&format!(
            "no hashicorp/aws provider mirror at {}",
            plugins.display()
        ));
    }
    let Some((_moto, port)) = start_moto() else {
        return skip("moto_server is not installed");
    };

    let work = tempfile::tempdir().expect("temporary directory");
    install(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/modules/ecs-fargate"),
        &modules,
        work.path(),
    );
    let offline = work.path().join("offline_override.tf");
    std::fs::write(
        &offline,
        format!(
            r#"provider "aws" {{
  access_key                  = "mock-access-key"
  secret_key                  = "mock-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    ec2 = "http://127.0.0.1:{port}"
    sts = "http://127.0.0.1:{port}"
  }}
}}
"#
        ),
    )
    .expect("write the offline provider override");
    let plugin_dir = plugins.to_string_lossy().into_owned();
    terraform(
        work.path(),
        &[
            "init",
            "-backend=false",
            "-plugin-dir",
            &plugin_dir,
            "-input=false",
            "-no-color",
        ],
    );
    let plans: Vec<(&[(&str, &str)], PathBuf)> = VARIANTS
        .iter()
        .enumerate()
        .map(|(i, vars)| (*vars, plan(work.path(), i, vars)))
        .collect();
    // privlink reads the configuration without the override: the provider block differs only in
    // credentials and endpoints.
    std::fs::remove_file(&offline).expect("remove the override");

    let (_, clean_plan) = &plans[0];
    let from_hcl = elements(&model(&[work.path().to_path_buf()]));
    let from_plan = elements(&model(std::slice::from_ref(clean_plan)));
    let mut differences = BTreeMap::new();
    for (collection, hcl) in &from_hcl {
        let plan = &from_plan[collection];
        assert!(
            !plan.is_empty() || collection == "network_acls",
            "no {collection} in the plan"
        );
        for id in hcl.keys().chain(plan.keys()) {
            let (h, p) = (hcl.get(id), plan.get(id));
            if !declared(h) && !declared(p) {
                continue;
            }
            let same = match (h, p) {
                (Some(h), Some(p)) => agrees(h, p),
                _ => false,
            };
            if !same {
                differences.insert(
                    (collection.clone(), id.clone()),
                    format!(
                        "{collection} {id}:\n  HCL:  {}\n  plan: {}",
                        h.map_or("(absent)".to_owned(), Json::to_string),
                        p.map_or("(absent)".to_owned(), Json::to_string),
                    ),
                );
            }
        }
    }
    let differences: Vec<String> = differences.into_values().collect();
    assert!(differences.is_empty(), "{}", differences.join("\n"));

    for (vars, plan) in &plans {
        let hcl = analyse(&[work.path().to_path_buf()], vars);
        assert!(
            hcl.flows.len() == 10 && hcl.workloads.len() == 1,
            "{vars:?}: the ECS service in 2 subnets, 5 services: {:?}",
            hcl.flows
        );
        // The plan with its directory: the same workloads, flows (verdicts and hops) and findings,
        // locations included.
        let paired = analyse(&[plan.clone(), work.path().to_path_buf()], vars);
        assert_eq!(paired.workloads, hcl.workloads, "{vars:?}: workloads");
        assert_eq!(paired.flows, hcl.flows, "{vars:?}: flows");
        assert_eq!(paired.findings, hcl.findings, "{vars:?}: findings");
        // The plan alone cannot place the service: its subnets are written in a `dynamic` block,
        // which plan JSON leaves out of `configuration`. It says so, and says nothing false.
        let alone = analyse(std::slice::from_ref(plan), &[]);
        assert!(alone.flows.is_empty(), "{vars:?}: {:?}", alone.flows);
        assert!(
            alone.findings.iter().any(|f| f.rule == "unresolved-input"
                && f.severity == Severity::Error
                && f.message.contains("network_configuration.0.subnets")
                && f.message.contains("`dynamic` block")),
            "{vars:?}: {:#?}",
            alone.findings
        );
        assert!(
            alone
                .findings
                .iter()
                .all(|f| matches!(f.rule, "unresolved-input" | "cost")),
            "{vars:?}: {:#?}",
            alone.findings
        );
    }
    // The variants are the defects they switch on.
    let rules = |vars: &[(&str, &str)]| -> Vec<(&'static str, Option<String>)> {
        analyse(&[work.path().to_path_buf()], vars)
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| (f.rule, f.service.clone()))
            .collect()
    };
    assert_eq!(rules(VARIANTS[0]), []);
    assert_eq!(
        rules(VARIANTS[1]),
        [("missing-interface-endpoint", Some("logs".to_owned()))]
    );
    assert!(
        rules(VARIANTS[2])
            .iter()
            .all(|(rule, _)| *rule == "endpoint-sg-blocks-https"),
        "{:?}",
        rules(VARIANTS[2])
    );
}

/// The variants planned: the working network, then one defect each.
const VARIANTS: &[&[(&str, &str)]] = &[&[], &[("with_logs", "false")], &[("endpoint_port", "80")]];

/// Plans the configuration with `vars`, returning the plan JSON's path.
fn plan(dir: &Path, index: usize, vars: &[(&str, &str)]) -> PathBuf {
    let out = format!("plan{index}.out");
    let mut args = vec![
        "plan".to_owned(),
        "-refresh=false".to_owned(),
        "-input=false".to_owned(),
        "-no-color".to_owned(),
        "-out".to_owned(),
        out.clone(),
    ];
    args.extend(vars.iter().map(|(k, v)| format!("-var={k}={v}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    terraform(dir, &args);
    let json = terraform(dir, &["show", "-json", &out]);
    let path = dir.join(format!("plan{index}.json"));
    std::fs::write(&path, json).expect("write plan JSON");
    std::fs::remove_file(dir.join(out)).expect("remove the binary plan");
    path
}

/// privlink's analysis of `paths`, with `vars` as `--var`, checked as with `--endpoints-only`.
fn analyse(paths: &[PathBuf], vars: &[(&str, &str)]) -> Analysis {
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..ConfigOptions::default()
        },
        ..LoadOptions::default()
    };
    let loaded = load(paths, &options);
    for input in &loaded.inputs {
        assert!(
            input.errors.is_empty(),
            "{}: {:?}",
            input.path,
            input.errors
        );
    }
    analyze(
        &loaded.model,
        &Options {
            endpoints_only: true,
            region: None,
        },
    )
}

/// Whether an element is one the inputs declare (not a placeholder for something outside them).
fn declared(element: Option<&Json>) -> bool {
    element.is_some_and(|e| e["provenance"]["origin"]["kind"] == "declared")
}

/// Whether the plan's reading agrees with the HCL's: equal wherever the plan knows the value. Plan
/// JSON does not record locals or module arguments, so a value derived from them is unknown there
/// (a subnet's VPC, through the vpc module's `local.vpc_id`).
fn agrees(hcl: &Json, plan: &Json) -> bool {
    match (hcl, plan) {
        (_, Json::Object(p)) if p.len() == 1 && p.contains_key("unknown") => true,
        // A list the plan knows only in part: what it knows must be in the HCL's.
        (Json::Object(h), Json::Object(p))
            if p.contains_key("unknown") && p.contains_key("known") =>
        {
            let known = |v: &Json| v.as_array().cloned().unwrap_or_default();
            let hcl_known = known(&h["known"]);
            known(&p["known"])
                .iter()
                .all(|item| hcl_known.iter().any(|hv| agrees(hv, item)))
        }
        (Json::Object(h), Json::Object(p)) => {
            h.len() == p.len()
                && h.iter()
                    .all(|(k, v)| p.get(k).is_some_and(|pv| agrees(v, pv)))
        }
        (Json::Array(h), Json::Array(p)) => {
            h.len() == p.len() && h.iter().zip(p).all(|(a, b)| agrees(a, b))
        }
        _ => hcl == plan,
    }
}
