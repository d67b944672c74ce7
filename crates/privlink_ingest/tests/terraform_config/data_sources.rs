//! Data sources: those privlink answers offline and those that stay references.

use privlink_ingest::terraform::resource::ResourceMode;
use privlink_ingest::terraform::value::Value;

use super::support::*;

const CONFIG: &str = r#"
provider "aws" {
  region = "ap-northeast-1"
}
data "aws_region" "current" {}
data "aws_availability_zones" "azs" {
  exclude_names = ["ap-northeast-1d"]
}
data "aws_partition" "p" {}
data "aws_caller_identity" "me" {}
data "aws_vpc_endpoint_service" "ecr" {
  service = "ecr.dkr"
}
data "aws_prefix_list" "s3" {
  name = "com.amazonaws.ap-northeast-1.s3"
}
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}
data "aws_iam_policy_document" "endpoint" {
  statement {
    sid       = "PullLayers"
    actions   = ["s3:GetObject"]
    resources = ["arn:${data.aws_partition.p.partition}:s3:::prod-${data.aws_region.current.name}-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "x_probe" "p" {
  region      = data.aws_region.current.name
  description = data.aws_region.current.description
  azs         = data.aws_availability_zones.azs.names
  zone_ids    = data.aws_availability_zones.azs.zone_ids
  partition   = data.aws_partition.p.partition
  dns_suffix  = data.aws_partition.p.dns_suffix
  account     = data.aws_caller_identity.me.account_id
  service     = data.aws_vpc_endpoint_service.ecr.service_name
  pl_name     = data.aws_prefix_list.s3.name
  pl_id       = data.aws_prefix_list.s3.id
  pl_cidrs    = data.aws_prefix_list.s3.cidr_blocks
  vpc         = data.aws_vpc.shared.id
  policy      = data.aws_iam_policy_document.endpoint.json
}
"#;

#[test]
fn data_sources_privlink_knows_and_those_it_does_not() {
    let config = eval_files(&[("main.tf", CONFIG)]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("region"), s("ap-northeast-1"));
    assert!(is_ref(
        &get("description"),
        "data.aws_region.current",
        "description"
    ));
    assert_eq!(
        get("azs"),
        Value::List(vec![s("ap-northeast-1a"), s("ap-northeast-1c")])
    );
    assert!(is_ref(
        &get("zone_ids"),
        "data.aws_availability_zones.azs",
        "zone_ids"
    ));
    assert_eq!(get("partition"), s("aws"));
    assert_eq!(get("dns_suffix"), s("amazonaws.com"));
    assert!(is_ref(
        &get("account"),
        "data.aws_caller_identity.me",
        "account_id"
    ));
    assert_eq!(get("service"), s("com.amazonaws.ap-northeast-1.ecr.dkr"));
    assert_eq!(get("pl_name"), s("com.amazonaws.ap-northeast-1.s3"));
    assert!(is_ref(&get("pl_id"), "data.aws_prefix_list.s3", "id"));
    assert!(is_ref(
        &get("pl_cidrs"),
        "data.aws_prefix_list.s3",
        "cidr_blocks"
    ));
    assert!(is_ref(&get("vpc"), "data.aws_vpc.shared", "id"));
    let policy: serde_json::Value = serde_json::from_str(get("policy").as_str().unwrap()).unwrap();
    assert_eq!(
        policy,
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "PullLayers",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*",
                "Principal": "*"
            }]
        })
    );

    let region = resource(&config, "data.aws_region.current");
    assert_eq!(region.mode, ResourceMode::Data);
    assert_eq!(
        (region.resource_type.as_str(), region.name.as_str()),
        ("aws_region", "current")
    );
    assert_eq!(region.get("name"), Some(&s("ap-northeast-1")));
    let vpc = resource(&config, "data.aws_vpc.shared");
    assert_eq!(vpc.attributes.keys().collect::<Vec<_>>(), ["tags"]);
}

#[test]
fn region_prefixes_pick_the_partition_and_zone_table() {
    let config = eval_files(&[(
        "main.tf",
        "provider \"aws\" {\n  region = \"cn-north-1\"\n}\ndata \"aws_partition\" \"p\" {}\ndata \"aws_availability_zones\" \"a\" {}\n",
    )]);
    assert_eq!(
        attr(&config, "data.aws_partition.p", "partition"),
        &s("aws-cn")
    );
    assert_eq!(
        attr(&config, "data.aws_partition.p", "dns_suffix"),
        &s("amazonaws.com.cn")
    );
    assert_eq!(
        attr(&config, "data.aws_availability_zones.a", "names")
            .as_list()
            .unwrap()
            .len(),
        3
    );

    let no_region = eval_files(&[(
        "main.tf",
        "data \"aws_region\" \"r\" {}\nresource \"x_probe\" \"p\" {\n  r = data.aws_region.r.name\n}\n",
    )]);
    assert!(
        attr(&no_region, "x_probe.p", "r")
            .as_unknown()
            .unwrap()
            .reason
            .contains("pass --region")
    );
}

#[test]
fn policy_documents_read_the_same_from_json() {
    let json = eval_files(&[(
        "main.tf.json",
        r#"{"data": {"aws_iam_policy_document": {"p": {"statement": {"actions": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "resources": ["*"], "principals": {"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}}}}}}"#,
    )]);
    let hcl = eval_files(&[(
        "main.tf",
        "data \"aws_iam_policy_document\" \"p\" {\n  statement {\n    actions   = [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\"]\n    resources = [\"*\"]\n    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::123456789012:root\"]\n    }\n  }\n}\n",
    )]);
    assert!(json.errors.is_empty() && hcl.errors.is_empty());
    let text = attr(&hcl, "data.aws_iam_policy_document.p", "json");
    assert_eq!(attr(&json, "data.aws_iam_policy_document.p", "json"), text);
    let parsed: serde_json::Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    assert_eq!(
        parsed["Statement"][0]["Action"],
        serde_json::json!(["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"])
    );
    assert_eq!(
        parsed["Statement"][0]["Principal"],
        serde_json::json!({"AWS": "arn:aws:iam::123456789012:root"})
    );
}

/// `terraform-5.100-output.json` is what Terraform 1.11 with AWS provider 5.100 rendered for this
/// configuration (`terraform output -raw json`, offline with dummy credentials).
#[test]
fn policy_document_json_is_byte_for_byte_the_providers() {
    let config = eval_fixture("iam-policy");
    assert!(
        config.errors.is_empty() && config.diagnostics.is_empty(),
        "{}",
        dump(&config)
    );
    let expected =
        std::fs::read_to_string(fixture("iam-policy").join("terraform-5.100-output.json")).unwrap();
    assert_eq!(
        attr(&config, "data.aws_iam_policy_document.p", "json"),
        &s(&expected)
    );
    // The same apply printed these for the region and partition data sources.
    assert_eq!(
        attr(&config, "data.aws_region.r", "endpoint"),
        &s("ec2.us-west-1.amazonaws.com")
    );
    assert_eq!(attr(&config, "data.aws_region.r", "id"), &s("us-west-1"));
    assert_eq!(attr(&config, "data.aws_partition.p", "id"), &s("aws"));
    assert_eq!(
        attr(&config, "data.aws_partition.p", "reverse_dns_prefix"),
        &s("com.amazonaws")
    );
}
