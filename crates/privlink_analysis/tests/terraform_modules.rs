//! Verdicts on configurations that call the real terraform-aws-modules modules (vpc 6.5.1 with its
//! vpc-endpoints submodule, ecs 7.5.0 service and container-definition, eks 21.19.0 with a managed
//! node group), the way their users write them.
//!
//! The module code is not part of the project: the test reads it from the directory named by
//! `PRIVLINK_TERRAFORM_MODULES` (default `../shared/data/terraform-modules` beside the
//! repository), which holds `vpc-6.5.1/`, `ecs-7.5.0/` and `eks-21.19.0/` exactly as published.
//! For each fixture under `tests/fixtures/modules/` it builds, in a temporary directory, the
//! `.terraform/modules` layout and `modules.json` that `terraform init` writes (symbolic links to
//! the module folders), then checks with `--endpoints-only`: the working variant (the variables'
//! defaults) has every required flow through an endpoint and no error or warning, and each broken
//! variant fails with exactly the rule of its one defect. Without the module folders the test says
//! so and passes, except under CI (`CI` set), where it fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use privlink_analysis::reach::Verdict;
use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_ingest::{LoadOptions, load};
use privlink_model::Severity;

/// Installed modules: the `modules.json` key, the registry source, the version, the module folder
/// under the modules directory, and the module's directory inside that folder.
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
    (
        "eks",
        "terraform-aws-modules/eks/aws",
        "21.19.0",
        "eks-21.19.0",
        "",
    ),
];

fn modules_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PRIVLINK_TERRAFORM_MODULES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/terraform-modules"),
        PathBuf::from,
    );
    if dir.join("vpc-6.5.1").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the terraform-aws-modules folders are not at {}; set PRIVLINK_TERRAFORM_MODULES",
        dir.display()
    );
    eprintln!(
        "skipped: the terraform-aws-modules folders are not at {}; set PRIVLINK_TERRAFORM_MODULES",
        dir.display()
    );
    None
}

/// Copies the fixture's `.tf` files into a temporary directory and installs the modules there as
/// `terraform init` does.
fn install(fixture: &str, modules: &Path) -> tempfile::TempDir {
    let work = tempfile::tempdir().expect("temporary directory");
    let source = Path::new("tests/fixtures/modules").join(fixture);
    for entry in std::fs::read_dir(&source).expect("fixture directory") {
        let path = entry.expect("fixture entry").path();
        if path.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(
                &path,
                work.path().join(path.file_name().expect("file name")),
            )
            .expect("copy fixture");
        }
    }
    let installed = work.path().join(".terraform/modules");
    std::fs::create_dir_all(&installed).expect("create .terraform/modules");
    let mut manifest = vec![serde_json::json!({"Key": "", "Source": "", "Dir": "."})];
    for (key, source, version, folder, inner) in INSTALLED {
        std::os::unix::fs::symlink(
            modules.join(folder).canonicalize().expect("module folder"),
            installed.join(key),
        )
        .expect("link module");
        let dir = if inner.is_empty() {
            format!(".terraform/modules/{key}")
        } else {
            format!(".terraform/modules/{key}/{inner}")
        };
        manifest.push(serde_json::json!({
            "Key": key,
            "Source": format!("registry.terraform.io/{source}"),
            "Version": version,
            "Dir": dir,
        }));
    }
    std::fs::write(
        installed.join("modules.json"),
        serde_json::json!({ "Modules": manifest }).to_string(),
    )
    .expect("write modules.json");
    work
}

fn check(fixture: &str, vars: &[(&str, &str)], modules: &Path) -> (Analysis, Vec<String>) {
    let work = install(fixture, modules);
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..ConfigOptions::default()
        },
        region: None,
        ..LoadOptions::default()
    };
    let loaded = load(&[work.path().to_path_buf()], &options);
    let errors = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    let analysis = analyze(
        &loaded.model,
        &Options {
            endpoints_only: true,
            region: None,
        },
    );
    (analysis, errors)
}

/// The rule and service of each error and warning (every service of a finding that names several).
fn failing(analysis: &Analysis) -> BTreeSet<(&'static str, String)> {
    analysis
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .flat_map(|f| {
            let services = if f.services.is_empty() {
                f.service.iter().cloned().collect()
            } else {
                f.services.clone()
            };
            services.into_iter().map(move |s| (f.rule, s))
        })
        .collect()
}

fn describe(analysis: &Analysis) -> String {
    let mut out = String::new();
    for f in &analysis.findings {
        out.push_str(&format!("{} {}: {}\n", f.severity, f.rule, f.message));
    }
    for f in &analysis.flows {
        out.push_str(&format!(
            "{} → {} from {}: {}\n",
            f.workload, f.service, f.subnet, f.verdict
        ));
    }
    out
}

struct Variant {
    fixture: &'static str,
    vars: &'static [(&'static str, &'static str)],
    /// The rule and the services that must fail, exactly; empty for the working network.
    fails: &'static [(&'static str, &'static [&'static str])],
}

const INTERFACE: &[&str] = &["ecr.api", "ecr.dkr", "logs", "secretsmanager"];

const VARIANTS: &[Variant] = &[
    Variant {
        fixture: "ecs-fargate",
        vars: &[],
        fails: &[],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("with_ecr_dkr", "false")],
        fails: &[("missing-interface-endpoint", &["ecr.dkr"])],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("s3_route_tables", "intra")],
        fails: &[("s3-gateway-not-on-route-table", &["s3"])],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("private_dns_enabled", "false")],
        fails: &[("private-dns-disabled", INTERFACE)],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("endpoint_port", "80")],
        fails: &[("endpoint-sg-blocks-https", INTERFACE)],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("with_logs", "false")],
        fails: &[("missing-interface-endpoint", &["logs"])],
    },
    Variant {
        fixture: "ecs-fargate",
        vars: &[("with_secretsmanager", "false")],
        fails: &[("missing-interface-endpoint", &["secretsmanager"])],
    },
    Variant {
        fixture: "eks-managed",
        vars: &[],
        fails: &[],
    },
    Variant {
        fixture: "eks-managed",
        vars: &[("with_ecr_dkr", "false")],
        fails: &[("missing-interface-endpoint", &["ecr.dkr"])],
    },
    Variant {
        fixture: "eks-managed",
        vars: &[("with_sts", "false")],
        fails: &[("missing-interface-endpoint", &["sts"])],
    },
    Variant {
        fixture: "eks-managed",
        vars: &[("with_ec2", "false")],
        fails: &[("missing-interface-endpoint", &["ec2"])],
    },
];

#[test]
fn module_configurations_get_the_verdict_of_their_network() {
    let Some(modules) = modules_dir() else {
        return;
    };
    let mut failures = Vec::new();
    for variant in VARIANTS {
        let (analysis, errors) = check(variant.fixture, variant.vars, &modules);
        let name = format!("{} {:?}", variant.fixture, variant.vars);
        if !errors.is_empty() {
            failures.push(format!("{name}: does not load cleanly: {errors:?}"));
            continue;
        }
        let fails = failing(&analysis);
        let expected: BTreeSet<(&str, String)> = variant
            .fails
            .iter()
            .flat_map(|(rule, services)| services.iter().map(|s| (*rule, (*s).to_owned())))
            .collect();
        if fails != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, got {fails:?}\n{}",
                describe(&analysis)
            ));
            continue;
        }
        // The defect blocks the flows of its services, and only those.
        let broken: BTreeSet<&str> = expected.iter().map(|(_, s)| s.as_str()).collect();
        if let Some(wrong) = analysis.flows.iter().find(|f| {
            let want = if broken.contains(f.service.as_str()) {
                Verdict::Blocked
            } else {
                Verdict::Endpoint
            };
            f.verdict != want
        }) {
            failures.push(format!(
                "{name}: {} → {} is {}\n{}",
                wrong.workload,
                wrong.service,
                wrong.verdict,
                describe(&analysis)
            ));
        }
        if analysis.flows.is_empty() {
            failures.push(format!("{name}: no flows"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_ecs_service_module_keeps_its_containers_features_and_name() {
    let Some(modules) = modules_dir() else {
        return;
    };
    let (analysis, _) = check("ecs-fargate", &[], &modules);
    let names: Vec<&str> = analysis.flows.iter().map(|f| f.workload.as_str()).collect();
    assert!(names.iter().all(|n| *n == "web"), "{names:?}");
    let services: BTreeSet<&str> = analysis.flows.iter().map(|f| f.service.as_str()).collect();
    assert_eq!(
        services,
        ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager"]
            .into_iter()
            .collect()
    );
}

#[test]
fn a_node_group_inside_the_eks_module_is_named_by_its_full_address() {
    let Some(modules) = modules_dir() else {
        return;
    };
    let (analysis, _) = check("eks-managed", &[], &modules);
    let names: BTreeSet<&str> = analysis.flows.iter().map(|f| f.workload.as_str()).collect();
    assert_eq!(
        names,
        [r#"module.eks.module.eks_managed_node_group["default"].aws_eks_node_group.this[0]"#]
            .into_iter()
            .collect()
    );
}
