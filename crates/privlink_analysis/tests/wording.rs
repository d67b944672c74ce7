//! Findings speak the input's language: a CloudFormation template's findings name CloudFormation
//! properties (`PrivateDnsEnabled`), never Terraform attributes (`private_dns_enabled`) or
//! "Terraform's default", and a Terraform configuration's the other way round. Checked on the
//! rules whose wording depends on the input's format.

use std::path::{Path, PathBuf};

use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::{LoadOptions, load};

/// Terraform's names for what the rules talk about.
const TERRAFORM: [&str; 12] = [
    "private_dns_enabled",
    "enable_dns_support",
    "enable_dns_hostnames",
    "service_region",
    "vpc_endpoint_type",
    "subnet_ids",
    "route_table_ids",
    "security_group_ids",
    "endpoint_private_access",
    "main_route_table_id",
    "aws_",
    "Terraform",
];

/// CloudFormation's names for the same.
const CLOUDFORMATION: [&str; 11] = [
    "PrivateDnsEnabled",
    "EnableDnsSupport",
    "EnableDnsHostnames",
    "ServiceRegion",
    "VpcEndpointType",
    "SubnetIds",
    "RouteTableIds",
    "SecurityGroupIds",
    "EndpointPrivateAccess",
    "AWS::",
    "CloudFormation",
];

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

fn run(path: &Path, region: Option<&str>) -> Analysis {
    let options = LoadOptions {
        region: region.map(str::to_owned),
        ..LoadOptions::default()
    };
    let loaded = load(&[path.to_path_buf()], &options);
    for input in &loaded.inputs {
        assert!(input.is_ok(), "{}: {:?}", input.path, input.errors);
    }
    analyze(&loaded.model, &Options::default())
}

/// A copy of `file` with `from` replaced by `to`, in its own directory.
fn variant(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = fixture(file);
    let text = std::fs::read_to_string(&source).expect("fixture");
    assert!(text.contains(from), "{file} has {from}");
    let name = source.file_name().expect("a file name");
    std::fs::write(dir.path().join(name), text.replace(from, to)).expect("written");
    dir
}

/// Every message and fix of `analysis`, with the rules that fired.
fn texts(analysis: &Analysis) -> (Vec<&'static str>, String) {
    let mut rules = Vec::new();
    let mut out = String::new();
    for f in analysis
        .findings
        .iter()
        .filter(|f| f.rule != "cost" && f.rule != "unresolved-input")
    {
        rules.push(f.rule);
        out.push_str(&f.message);
        out.push('\n');
        if let Some(fix) = &f.fix {
            out.push_str(&fix.summary);
            out.push('\n');
        }
    }
    (rules, out)
}

fn assert_free_of(words: &[&str], text: &str, what: &str) {
    for word in words {
        assert!(!text.contains(word), "{what} names {word}:\n{text}");
    }
}

#[test]
fn cloudformation_findings_name_cloudformation_properties() {
    let dns_off = variant(
        "equivalence/cloudformation/network.yaml",
        "EnableDnsHostnames: true",
        "EnableDnsHostnames: false",
    );
    let cases: [(PathBuf, &str, &str); 4] = [
        (
            fixture("equivalence/cloudformation"),
            "ap-northeast-1",
            "private-dns-disabled",
        ),
        (
            dns_off.path().to_path_buf(),
            "ap-northeast-1",
            "vpc-dns-disabled",
        ),
        (
            fixture("region/cloudformation-literal-region"),
            "eu-west-1",
            "endpoint-region-mismatch",
        ),
        (
            fixture("region/cloudformation-image-in-named-region"),
            "ap-northeast-1",
            "image-cross-region",
        ),
    ];
    for (path, region, rule) in cases {
        let (rules, text) = texts(&run(&path, Some(region)));
        assert!(rules.contains(&rule), "{rule} fires: {rules:?}");
        assert_free_of(&TERRAFORM, &text, &path.display().to_string());
    }
    let (_, text) = texts(&run(
        &fixture("equivalence/cloudformation"),
        Some("ap-northeast-1"),
    ));
    assert!(text.contains("PrivateDnsEnabled: true"), "{text}");
}

#[test]
fn terraform_findings_name_terraform_attributes() {
    let dns_off = variant(
        "equivalence/terraform/main.tf",
        "enable_dns_hostnames = true",
        "enable_dns_hostnames = false",
    );
    for (path, rule) in [
        (fixture("equivalence/terraform"), "private-dns-disabled"),
        (dns_off.path().to_path_buf(), "vpc-dns-disabled"),
    ] {
        let (rules, text) = texts(&run(&path, None));
        assert!(rules.contains(&rule), "{rule} fires: {rules:?}");
        assert_free_of(&CLOUDFORMATION, &text, &path.display().to_string());
    }
    let (_, text) = texts(&run(&fixture("equivalence/terraform"), None));
    assert!(text.contains("private_dns_enabled = true"), "{text}");
}
