//! `privlink fix` never writes next to a misspelt argument: when the argument it sets is written with
//! a misspelt name (`private_dns_enable`, `PrivateDnsEnable`), it renames it, reports the
//! misspelling fixed, and the written file passes `terraform validate` (where terraform and the
//! provider mirror are on the machine) and cfn-lint.

use std::path::{Path, PathBuf};
use std::process::Command;

use privlink_analysis::{Options as AnalysisOptions, analyze};
use privlink_fix::{Options, Plan, Status, plan};
use privlink_ingest::{LoadOptions, load};

const TERRAFORM: &str = r#"resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "ap-northeast-1a"
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type  = "Interface"
  private_dns_enable = false # turned off by mistake
  subnet_ids         = [aws_subnet.app.id]
  security_group_ids = [aws_security_group.endpoints.id]
}
"#;

const TEMPLATE: &str = r"AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      EnableDnsHostname: true
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: ap-northeast-1a
  Endpoints:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: endpoints
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/16
  LogsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.ap-northeast-1.logs
      VpcEndpointType: Interface
      PrivateDnsEnable: true # meant to be on
      SubnetIds:
        - !Ref Subnet
      SecurityGroupIds:
        - !GetAtt Endpoints.GroupId
";

fn load_options() -> LoadOptions {
    LoadOptions {
        region: Some("ap-northeast-1".to_owned()),
        ..LoadOptions::default()
    }
}

/// Plans the fixes of `input`, writes them, and returns the plan.
fn fix(input: &Path) -> Plan {
    let loaded = load(&[input.to_path_buf()], &load_options());
    let analysis_options = AnalysisOptions {
        endpoints_only: false,
        region: Some("ap-northeast-1".to_owned()),
    };
    let analysis = analyze(&loaded.model, &analysis_options);
    let planned = plan(
        &loaded.model,
        &analysis,
        &Options {
            analysis: analysis_options,
            ..Options::default()
        },
    );
    for file in &planned.files {
        std::fs::write(&file.path, &file.updated).expect("write the fixed file");
    }
    planned
}

fn rule_status<'p>(plan: &'p Plan, rule: &str) -> Vec<&'p Status> {
    plan.findings
        .iter()
        .filter(|f| f.finding.rule == rule)
        .map(|f| &f.status)
        .collect()
}

/// The `invalid-*` findings privlink reports on the inputs as they are now.
fn invalid(input: &Path) -> Vec<String> {
    load(&[input.to_path_buf()], &load_options())
        .model
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                privlink_model::DiagnosticKind::InvalidTerraform
                    | privlink_model::DiagnosticKind::InvalidCloudformation
            )
        })
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn terraform_misspellings_are_renamed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = dir.path().join("main.tf");
    std::fs::write(&main, TERRAFORM).expect("write");
    assert_eq!(invalid(dir.path()).len(), 1);
    let planned = fix(dir.path());
    assert_eq!(
        rule_status(&planned, "private-dns-disabled"),
        [&Status::Fixed]
    );
    assert_eq!(rule_status(&planned, "invalid-terraform"), [&Status::Fixed]);
    let fixed = std::fs::read_to_string(&main).expect("read");
    assert!(
        fixed.contains("  private_dns_enabled = true # turned off by mistake\n"),
        "{fixed}"
    );
    assert!(!fixed.contains("private_dns_enable "), "{fixed}");
    assert!(
        fixed.contains("  vpc_id              = aws_vpc.main.id\n"),
        "the run of `=` is realigned: {fixed}"
    );
    assert_eq!(invalid(dir.path()), Vec::<String>::new());
    terraform_validates(dir.path());
}

#[test]
fn cloudformation_misspellings_are_renamed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("network.yaml");
    std::fs::write(&template, TEMPLATE).expect("write");
    assert_eq!(invalid(&template).len(), 2);
    let planned = fix(&template);
    assert_eq!(
        rule_status(&planned, "private-dns-disabled"),
        [&Status::Fixed]
    );
    assert_eq!(rule_status(&planned, "vpc-dns-disabled"), [&Status::Fixed]);
    assert_eq!(
        rule_status(&planned, "invalid-cloudformation"),
        [&Status::Fixed, &Status::Fixed]
    );
    let fixed = std::fs::read_to_string(&template).expect("read");
    assert!(
        fixed.contains("      PrivateDnsEnabled: true # meant to be on\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("      EnableDnsHostnames: true\n"),
        "{fixed}"
    );
    assert!(
        !fixed.contains("PrivateDnsEnable:") && !fixed.contains("EnableDnsHostname:"),
        "{fixed}"
    );
    assert_eq!(invalid(&template), Vec::<String>::new());
    let lint = Command::new(cfn_lint())
        .args(["--format", "json", "--"])
        .arg(&template)
        .output()
        .expect("cfn-lint runs");
    let matches: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("cfn-lint JSON");
    let errors: Vec<&serde_json::Value> = matches
        .as_array()
        .expect("matches")
        .iter()
        .filter(|m| m["Level"] == "Error")
        .collect();
    assert!(errors.is_empty(), "cfn-lint: {errors:#?}");
}

fn cfn_lint() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/cfn-lint");
    if venv.is_file() {
        return venv;
    }
    assert!(
        Command::new("cfn-lint")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "cfn-lint is not installed: run scripts/test, which installs it into .venv"
    );
    PathBuf::from("cfn-lint")
}

/// `terraform validate` accepts the fixed configuration, where terraform and the provider mirror
/// are here (it says it skipped otherwise, and fails when `PRIVLINK_REQUIRE_TERRAFORM=1`).
fn terraform_validates(dir: &Path) {
    let plugins = std::env::var_os("TF_PLUGIN_DIR")
        .map_or_else(|| PathBuf::from("/opt/tf-plugins"), PathBuf::from);
    let have = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
        && plugins.is_dir();
    if !have {
        assert!(
            std::env::var("PRIVLINK_REQUIRE_TERRAFORM").as_deref() != Ok("1"),
            "terraform or {} is missing, and PRIVLINK_REQUIRE_TERRAFORM=1",
            plugins.display()
        );
        eprintln!(
            "skipped: terraform or {} is not on this machine",
            plugins.display()
        );
        return;
    }
    let run = |args: &[&str]| {
        Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .expect("terraform runs")
    };
    let plugin_dir = format!("-plugin-dir={}", plugins.display());
    let init = run(&[
        "init",
        "-backend=false",
        "-input=false",
        "-no-color",
        &plugin_dir,
    ]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let validate = run(&["validate", "-no-color"]);
    assert!(
        validate.status.success(),
        "terraform validate: {}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
}
