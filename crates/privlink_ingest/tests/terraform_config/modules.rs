//! Modules: local (nested), count/for_each on calls, registry modules from `.terraform/modules`,
//! modules not installed, and provider inheritance into modules.

use privlink_ingest::terraform::value::Value;
use privlink_model::{DiagnosticKind, Known};

use super::support::*;

#[test]
fn module_tree_is_evaluated_with_terraform_addresses() {
    let config = eval_fixture("modules");
    assert!(config.errors.is_empty(), "{:?}", config.errors);
    let addresses: Vec<&str> = config
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_vpc_endpoint.s3",
            "x_probe.outputs",
            "module.net.aws_vpc.this",
            "module.net.aws_subnet.private[0]",
            "module.net.aws_subnet.private[1]",
            "module.net.module.inner.aws_security_group.sg",
            "module.per_env[\"dev\"].aws_vpc.this",
            "module.per_env[\"dev\"].aws_subnet.private[0]",
            "module.per_env[\"dev\"].module.inner.aws_security_group.sg",
            "module.per_env[\"prd\"].aws_vpc.this",
            "module.per_env[\"prd\"].aws_subnet.private[0]",
            "module.per_env[\"prd\"].module.inner.aws_security_group.sg",
            "module.counted[0].aws_vpc.this",
            "module.counted[0].module.inner.aws_security_group.sg",
            "module.counted[1].aws_vpc.this",
            "module.counted[1].module.inner.aws_security_group.sg",
            "data.aws_region.current",
            "module.vpc.aws_vpc.this",
            "module.vpc.module.sub.aws_subnet.s",
        ]
        .map(|a| if a == "data.aws_region.current" {
            "module.vpc.data.aws_region.current"
        } else {
            a
        })
    );

    let sg = resource(
        &config,
        "module.per_env[\"prd\"].module.inner.aws_security_group.sg",
    );
    assert_eq!(sg.module, "module.per_env[\"prd\"].module.inner");
    assert!(is_ref(
        sg.get("vpc_id").unwrap(),
        "module.per_env[\"prd\"].aws_vpc.this",
        "id"
    ));
    assert_eq!(
        sg.get("policy"),
        Some(&s("inner policy")),
        "path.module resolves files beside the module"
    );
    assert_eq!(
        sg.location.as_ref().unwrap().path,
        "fixtures/modules/modules/inner/main.tf"
    );
    assert_eq!(
        attr(
            &config,
            "module.per_env[\"prd\"].aws_vpc.this",
            "cidr_block"
        ),
        &s("10.2.0.0/16")
    );
    assert_eq!(
        attr(&config, "module.counted[1].aws_vpc.this", "cidr_block"),
        &s("10.11.0.0/16")
    );

    let endpoint = resource(&config, "aws_vpc_endpoint.s3");
    assert!(is_ref(
        endpoint.get("vpc_id").unwrap(),
        "module.net.aws_vpc.this",
        "id"
    ));
    let rts = endpoint.get("route_table_ids").unwrap().as_list().unwrap();
    assert!(is_ref(&rts[1], "module.net.aws_subnet.private[1]", "id"));
    assert_eq!(
        endpoint.get("service_name"),
        Some(&s("com.amazonaws.ap-northeast-1.s3"))
    );
    assert!(
        endpoint
            .get("policy")
            .unwrap()
            .as_unknown()
            .unwrap()
            .reason
            .contains("is not installed")
    );

    let probe = |p: &str| attr(&config, "x_probe.outputs", p).clone();
    assert!(is_ref(
        probe("per_env_ids").get_path("dev").unwrap(),
        "module.per_env[\"dev\"].aws_vpc.this",
        "id"
    ));
    assert!(is_ref(
        &probe("counted_sg"),
        "module.counted[1].module.inner.aws_security_group.sg",
        "id"
    ));
    assert_eq!(probe("net_path"), s("modules/net"));
    assert_eq!(probe("sub_name"), s("sub-of-ap-northeast-1"));
    assert_eq!(
        probe("whole").get_path("module_path"),
        Some(&s("modules/net"))
    );

    let registry = resource(&config, "module.vpc.aws_vpc.this");
    assert_eq!(
        registry.location.as_ref().unwrap().path,
        "fixtures/modules/.terraform/modules/vpc/main.tf"
    );
    assert_eq!(
        attr(&config, "module.vpc.module.sub.aws_subnet.s", "tags.Name"),
        &s("sub-of-ap-northeast-1")
    );
}

#[test]
fn a_module_that_is_not_installed_is_one_unread_input() {
    let config = eval_fixture("modules");
    let unresolved: Vec<_> = config
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::UnreadInput)
        .collect();
    assert_eq!(unresolved.len(), 1, "{}", dump(&config));
    assert!(unresolved[0].message.starts_with(
        "module \"eks\" (source terraform-aws-modules/eks/aws) is not installed; run `terraform init`"
    ));
    assert_eq!(
        unresolved[0].location.as_ref().unwrap().to_string(),
        "fixtures/modules/main.tf:39:1"
    );
    assert!(
        config
            .diagnostics
            .iter()
            .all(|d| d.kind != DiagnosticKind::InvalidTerraform),
        "{}",
        dump(&config)
    );
}

#[test]
fn modules_inherit_the_default_provider_and_follow_providers_maps() {
    let config = eval_fixture("modules");
    let region = |address: &str| resource(&config, address).region.clone();
    assert_eq!(
        region("module.net.aws_vpc.this"),
        Known::Value("ap-northeast-1".into())
    );
    assert_eq!(
        region("module.net.module.inner.aws_security_group.sg"),
        Known::Value("ap-northeast-1".into())
    );
    assert_eq!(
        region("module.per_env[\"dev\"].aws_vpc.this"),
        Known::Value("us-west-2".into())
    );
    assert_eq!(
        region("module.per_env[\"dev\"].module.inner.aws_security_group.sg"),
        Known::Value("us-west-2".into())
    );
    assert_eq!(
        region("module.vpc.data.aws_region.current"),
        Known::Value("ap-northeast-1".into())
    );
}

#[test]
fn module_inputs_outputs_and_errors() {
    let config = eval_files(&[
        (
            "main.tf",
            r#"
module "m" {
  source = "./m"
}
module "gone" {
  source = "./nowhere"
}
resource "x_probe" "p" {
  missing_output = module.m.nope
  undeclared     = module.zzz.x
  from_gone      = module.gone.anything
}
"#,
        ),
        (
            "m/main.tf",
            "variable \"required\" {}\noutput \"x\" {\n  value = var.required\n}\nresource \"x_r\" \"r\" {\n  v = var.required\n}\n",
        ),
    ]);
    let invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    assert!(
        invalid
            .iter()
            .any(|m| m
                .starts_with("Missing required argument: The argument \"required\" is required")),
        "{invalid:?}"
    );
    assert!(
        invalid
            .iter()
            .any(|m| m.starts_with("Reference to undeclared module: No module call named \"zzz\"")),
        "{invalid:?}"
    );
    assert!(
        invalid
            .iter()
            .any(|m| m.starts_with("Unsupported attribute")),
        "{invalid:?}"
    );
    let unread = messages(&config, DiagnosticKind::UnreadInput);
    assert_eq!(
        unread,
        ["module \"gone\" (source ./nowhere) was not found at cfg/nowhere"]
    );
    assert!(
        attr(&config, "x_probe.p", "from_gone")
            .as_unknown()
            .is_some()
    );
    assert!(attr(&config, "module.m.x_r.r", "v").as_unknown().is_some());
}

#[test]
fn provider_aliases_and_region_fallbacks() {
    let config = eval_files_with(
        &[(
            "main.tf",
            r#"
variable "region" {
  default = "eu-west-1"
}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias = "use1"
  region = "us-east-1"
}
provider "aws" {
  alias = "noregion"
}
resource "aws_vpc" "default" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "use1" {
  provider   = aws.use1
  cidr_block = "10.1.0.0/16"
}
resource "aws_vpc" "fallback" {
  provider   = aws.noregion
  cidr_block = "10.2.0.0/16"
}
"#,
        )],
        &privlink_ingest::terraform::config::ConfigOptions {
            region: Some("ap-southeast-2".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        resource(&config, "aws_vpc.default").region,
        Known::Value("eu-west-1".into())
    );
    assert_eq!(
        resource(&config, "aws_vpc.use1").region,
        Known::Value("us-east-1".into())
    );
    assert_eq!(
        resource(&config, "aws_vpc.fallback").region,
        Known::Value("ap-southeast-2".into())
    );

    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    )]);
    let Known::Unknown(reason) = &resource(&config, "aws_vpc.v").region else {
        panic!("region should be unknown")
    };
    assert!(reason.reason.contains("pass --region"), "{}", reason.reason);
    assert_eq!(
        resource(&config, "aws_vpc.v").get("cidr_block"),
        Some(&Value::string("10.0.0.0/16"))
    );
}

#[test]
fn null_module_inputs_use_the_default_only_when_not_nullable() {
    let config = eval_files(&[
        (
            "main.tf",
            "module \"m\" {\n  source   = \"./m\"\n  nullable = null\n  strict   = null\n}\n",
        ),
        (
            "m/main.tf",
            "variable \"nullable\" {\n  default = \"d\"\n}\nvariable \"strict\" {\n  default  = \"d\"\n  nullable = false\n}\nresource \"x_r\" \"r\" {\n  a = var.nullable\n  b = var.strict\n}\n",
        ),
    ]);
    // A null argument is an omitted one.
    assert!(resource(&config, "module.m.x_r.r").get("a").is_none());
    assert_eq!(attr(&config, "module.m.x_r.r", "b"), &s("d"));
}

#[test]
fn path_and_workspace_values() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "main.tf",
                "module \"m\" {\n  source = \"./mods/m\"\n}\nresource \"x_r\" \"root\" {\n  module = path.module\n  root = path.root\n  cwd = path.cwd\n  ws = terraform.workspace\n}\n",
            ),
            (
                "mods/m/main.tf",
                "resource \"x_r\" \"child\" {\n  module = path.module\n  root = path.root\n}\n",
            ),
        ],
    );
    let config = privlink_ingest::terraform::config::evaluate_directory(
        dir.path(),
        "cfg",
        &Default::default(),
    );
    assert_eq!(attr(&config, "x_r.root", "module"), &s("."));
    assert_eq!(attr(&config, "x_r.root", "root"), &s("."));
    assert_eq!(attr(&config, "x_r.root", "ws"), &s("default"));
    let cwd = attr(&config, "x_r.root", "cwd")
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        std::path::Path::new(&cwd),
        dir.path().canonicalize().unwrap()
    );
    assert_eq!(attr(&config, "module.m.x_r.child", "module"), &s("mods/m"));
    assert_eq!(attr(&config, "module.m.x_r.child", "root"), &s("."));
}
