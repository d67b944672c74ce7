//! Expressions inside a configuration: for, splat, templates, heredocs, conditionals, operators,
//! count/for_each/dynamic, and references between resources.

use privlink_ingest::terraform::resource::InstanceKey;
use privlink_ingest::terraform::value::Value;
use privlink_model::DiagnosticKind;

use super::support::*;

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

#[test]
fn for_expressions_splats_and_conditionals() {
    let config = eval_files(&[(
        "main.tf",
        r#"
locals {
  names   = ["a", "bb", "c"]
  upper   = [for n in local.names : upper(n) if n != "c"]
  by_len  = { for n in local.names : length(n) => n... }
  indexed = { for i, n in local.names : n => i }
  objs    = [{ id = 1, tags = { k = "x" } }, { id = 2, tags = { k = "y" } }]
  ids     = local.objs[*].id
  legacy  = local.objs.*.tags.k
  single  = { a = 1 }[*]
  none    = null[*]
  cond    = length(local.names) > 2 ? "many" : "few"
  math    = [1 + 2, 5 / 2, 7 % 3, -7 % 3, 2 * 3.5, 10 - 3, 1 == 1.0, "a" != "b", !true, true && false || true]
  cmp     = [1 < 2, 2 <= 2, 3 > 4, 4 >= 4]
}
resource "x_probe" "p" {
  upper   = local.upper
  by_len  = local.by_len
  indexed = local.indexed
  ids     = local.ids
  legacy  = local.legacy
  single  = local.single
  none    = local.none
  cond    = local.cond
  math    = local.math
  cmp     = local.cmp
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("upper"), list(&["A", "BB"]));
    assert_eq!(get("by_len").to_string(), r#"{1 = ["a", "c"], 2 = ["bb"]}"#);
    assert_eq!(get("indexed").to_string(), "{a = 0, bb = 1, c = 2}");
    assert_eq!(get("ids").to_string(), "[1, 2]");
    assert_eq!(get("legacy"), list(&["x", "y"]));
    assert_eq!(get("single").to_string(), "[{a = 1}]");
    assert_eq!(get("none"), Value::List(vec![]));
    assert_eq!(get("cond"), s("many"));
    // terraform console: "${1 + 2} ${5 / 2} ${7 % 3} ${-7 % 3}" is "3 2.5 1 -1".
    assert_eq!(
        get("math").to_string(),
        "[3, 2.5, 1, -1, 7, 7, true, true, false, true]"
    );
    assert_eq!(get("cmp").to_string(), "[true, true, false, true]");
}

#[test]
fn templates_directives_strip_markers_and_heredocs() {
    let config = eval_files(&[(
        "main.tf",
        r#"
locals {
  items = ["a", "b"]
}
resource "x_probe" "p" {
  interp   = "${1 + 2}-${local.items[0]}"
  raw      = "${local.items}"
  escaped  = "$${not} %%{not}"
  loop     = "%{ for x in local.items ~}${x}, %{~ endfor ~}!"
  cond     = "%{if length(local.items) > 1}many%{else}one%{endif}"
  heredoc  = <<EOF
line ${local.items[1]}
  kept
EOF
  indented = <<-EOT
    first
      second
    EOT
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("interp"), s("3-a"));
    assert_eq!(
        get("raw"),
        list(&["a", "b"]),
        "a lone interpolation keeps the value's type"
    );
    assert_eq!(get("escaped"), s("${not} %{not}"));
    assert_eq!(get("loop"), s("a,b,!"), "terraform console gives \"a,b,!\"");
    assert_eq!(get("cond"), s("many"));
    assert_eq!(get("heredoc"), s("line b\n  kept\n"));
    assert_eq!(get("indented"), s("first\n  second\n"));
}

#[test]
fn count_for_each_and_whole_resource_references() {
    let config = eval_files(&[(
        "main.tf",
        r#"
variable "azs" {
  default = ["ap-northeast-1a", "ap-northeast-1c"]
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}
resource "aws_subnet" "named" {
  for_each   = { app = 10, db = 20 }
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, each.value)
  tags       = { Name = each.key }
}
resource "aws_route_table_association" "by_set" {
  for_each       = toset(["a", "b"])
  subnet_id      = each.value
  route_table_id = "rtb-${each.key}"
}
resource "aws_vpc_endpoint" "ecr" {
  vpc_id             = aws_vpc.main.id
  subnet_ids         = aws_subnet.private[*].id
  policy             = jsonencode({ ids = values(aws_subnet.named)[*].id })
  route_table_ids    = [for k, s in aws_subnet.named : s.id]
  security_group_ids = [aws_subnet.named["db"].cidr_block, aws_subnet.private[1].availability_zone]
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let sub1 = resource(&config, "aws_subnet.private[1]");
    assert_eq!(sub1.key, Some(InstanceKey::Index(1)));
    assert_eq!(sub1.get("cidr_block"), Some(&s("10.0.1.0/24")));
    assert_eq!(sub1.get("availability_zone"), Some(&s("ap-northeast-1c")));
    assert_eq!(
        attr(&config, "aws_subnet.named[\"db\"]", "cidr_block"),
        &s("10.0.20.0/24")
    );
    assert_eq!(
        attr(&config, "aws_subnet.named[\"db\"]", "tags.Name"),
        &s("db")
    );
    assert_eq!(
        attr(
            &config,
            "aws_route_table_association.by_set[\"b\"]",
            "route_table_id"
        ),
        &s("rtb-b")
    );

    let ids = attr(&config, "aws_vpc_endpoint.ecr", "subnet_ids")
        .as_list()
        .unwrap()
        .to_vec();
    assert_eq!(ids.len(), 2);
    assert!(is_ref(&ids[0], "aws_subnet.private[0]", "id"));
    assert!(is_ref(&ids[1], "aws_subnet.private[1]", "id"));
    let rts = attr(&config, "aws_vpc_endpoint.ecr", "route_table_ids")
        .as_list()
        .unwrap()
        .to_vec();
    assert!(is_ref(&rts[0], "aws_subnet.named[\"app\"]", "id"));
    let policy = attr(&config, "aws_vpc_endpoint.ecr", "policy")
        .as_unknown()
        .unwrap();
    let encoded = policy.encoded.as_deref().unwrap();
    assert!(is_ref(
        &encoded.get_path("ids").unwrap().as_list().unwrap()[1],
        "aws_subnet.named[\"db\"]",
        "id"
    ));
    assert_eq!(
        attr(&config, "aws_vpc_endpoint.ecr", "security_group_ids"),
        &list(&["10.0.20.0/24", "ap-northeast-1c"])
    );
}

#[test]
fn for_each_over_unknown_set_and_unknown_count_still_make_instances() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_subnet" "a" {
  cidr_block = "10.0.0.0/24"
}
resource "aws_route_table_association" "x" {
  for_each  = toset([aws_subnet.a.id, "subnet-static"])
  subnet_id = each.key
}
resource "aws_eip" "n" {
  count = length(aws_subnet.a.id)
}
"#,
    )]);
    let invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert!(invalid.iter().any(|m| m.starts_with("Invalid for_each argument: The \"for_each\" set includes values derived from resource attributes that cannot be determined until apply")));
    assert!(invalid.iter().any(|m| m.starts_with("Invalid count argument: The \"count\" value depends on resource attributes that cannot be determined until apply")));
    let unknown_key = resource(
        &config,
        "aws_route_table_association.x[\"aws_subnet.a.id\"]",
    );
    assert!(is_ref(
        unknown_key.get("subnet_id").unwrap(),
        "aws_subnet.a",
        "id"
    ));
    assert_eq!(
        attr(
            &config,
            "aws_route_table_association.x[\"subnet-static\"]",
            "subnet_id"
        ),
        &s("subnet-static")
    );
    assert!(config.resources.iter().any(|r| r.address == "aws_eip.n[0]"));
}

#[test]
fn dynamic_blocks_with_iterators_nested() {
    let config = eval_files(&[(
        "main.tf",
        r#"
locals {
  rules = {
    https = { port = 443, cidrs = ["10.0.0.0/16"] }
    dns   = { port = 53, cidrs = ["10.0.0.2/32", "10.1.0.2/32"] }
  }
}
resource "aws_security_group" "sg" {
  ingress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
  }
  dynamic "ingress" {
    for_each = local.rules
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
}
resource "aws_network_acl" "n" {
  dynamic "ingress" {
    for_each = [100, 200]
    content {
      rule_no = ingress.value
      action  = "allow"
    }
  }
}
resource "x_nested" "n" {
  dynamic "outer" {
    for_each = ["a", "b"]
    content {
      name = outer.value
      dynamic "inner" {
        for_each = [1, 2]
        content {
          label = "${outer.value}-${inner.value}"
        }
      }
    }
  }
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let ingress = attr(&config, "aws_security_group.sg", "ingress")
        .as_list()
        .unwrap()
        .to_vec();
    assert_eq!(ingress.len(), 3);
    assert_eq!(ingress[0].get_path("from_port"), Some(&Value::Number(22.0)));
    assert_eq!(ingress[1].get_path("description"), Some(&s("dns")));
    assert_eq!(
        ingress[2].get_path("cidr_blocks"),
        Some(&list(&["10.0.0.0/16"]))
    );
    assert_eq!(
        attr(&config, "aws_network_acl.n", "ingress.1.rule_no"),
        &Value::Number(200.0)
    );
    assert_eq!(
        attr(&config, "x_nested.n", "outer.1.inner.0.label"),
        &s("b-1")
    );

    let sg = resource(&config, "aws_security_group.sg");
    assert_eq!(sg.attribute_locations["ingress.0"].line, 9);
    // Blocks generated by `dynamic` point at its `content` block.
    assert_eq!(sg.attribute_locations["ingress.1"].line, 17);
    assert_eq!(sg.attribute_locations["ingress.2.cidr_blocks"].line, 22);
}

#[test]
fn dynamic_block_over_unknown_collection_makes_the_blocks_unknown() {
    let config = eval_files(&[(
        "main.tf",
        r#"
variable "rules" {
  type = list(number)
}
resource "aws_security_group" "sg" {
  name = "x"
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value
    }
  }
}
"#,
    )]);
    let ingress = attr(&config, "aws_security_group.sg", "ingress");
    assert!(
        ingress
            .as_unknown()
            .unwrap()
            .reason
            .contains("var.rules has no value")
    );
    assert_eq!(messages(&config, DiagnosticKind::UnresolvedInput).len(), 1);
}

#[test]
fn resource_attribute_references_follow_the_schema() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config {
    subnet_ids = ["subnet-1"]
  }
}
resource "aws_ecr_repository" "app" {
  name = "app"
}
resource "x_probe" "p" {
  configured         = aws_vpc.main.cidr_block
  computed           = aws_vpc.main.id
  optional           = aws_vpc.main.ipv4_ipam_pool_id
  nested             = aws_eks_cluster.c.vpc_config[0].cluster_security_group_id
  nested_set         = aws_eks_cluster.c.vpc_config[0].subnet_ids
  not_in_schema      = aws_ecr_repository.app.repository_url
  known_unknown_type = aws_ecr_repository.app.name
  whole              = aws_vpc.main
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("configured"), s("10.0.0.0/16"));
    assert!(is_ref(&get("computed"), "aws_vpc.main", "id"));
    // Null, so the argument counts as omitted.
    assert!(resource(&config, "x_probe.p").get("optional").is_none());
    assert!(is_ref(
        &get("nested"),
        "aws_eks_cluster.c",
        "vpc_config.0.cluster_security_group_id"
    ));
    assert_eq!(get("nested_set"), list(&["subnet-1"]));
    assert!(is_ref(
        &get("not_in_schema"),
        "aws_ecr_repository.app",
        "repository_url"
    ));
    assert_eq!(get("known_unknown_type"), s("app"));
    let whole = get("whole");
    assert_eq!(whole.get_path("cidr_block"), Some(&s("10.0.0.0/16")));
    assert!(is_ref(
        whole.get_path("arn").unwrap(),
        "aws_vpc.main",
        "arn"
    ));
}

#[test]
fn ecs_container_definitions_keep_known_parts_through_jsonencode() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_ecr_repository" "app" {
  name = "app"
}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name             = "app"
    image            = "${aws_ecr_repository.app.repository_url}:latest"
    logConfiguration = { logDriver = "awslogs", options = { "awslogs-region" = "ap-northeast-1" } }
  }])
}
"#,
    )]);
    let defs = attr(
        &config,
        "aws_ecs_task_definition.t",
        "container_definitions",
    )
    .as_unknown()
    .unwrap();
    let encoded = defs.encoded.as_deref().unwrap();
    assert_eq!(
        encoded.get_path("0.logConfiguration.logDriver"),
        Some(&s("awslogs"))
    );
    let image = encoded.get_path("0.image").unwrap().as_unknown().unwrap();
    assert!(
        image
            .reason
            .contains("aws_ecr_repository.app.repository_url"),
        "{}",
        image.reason
    );
}

#[test]
fn locals_are_lazy_and_cross_reference() {
    let config = eval_files(&[(
        "main.tf",
        "locals {\n  b = local.a + 1\n  a = 41\n  c = local.b * 2\n}\nresource \"x_probe\" \"p\" {\n  v = local.c\n}\n",
    )]);
    assert_eq!(attr(&config, "x_probe.p", "v"), &Value::Number(84.0));
}

#[test]
fn meta_arguments_are_not_attributes() {
    let config = eval_files(&[(
        "main.tf",
        r#"
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_vpc" "v" {
  count      = 1
  provider   = aws.west
  depends_on = []
  cidr_block = "10.0.0.0/16"
  lifecycle {
    create_before_destroy = true
  }
  provisioner "local-exec" {
    command = "true"
  }
}
"#,
    )]);
    let vpc = resource(&config, "aws_vpc.v[0]");
    assert_eq!(vpc.attributes.keys().collect::<Vec<_>>(), ["cidr_block"]);
}

#[test]
fn try_can_and_templatefile() {
    let config = eval_files(&[
        (
            "main.tf",
            r#"
locals {
  m  = { a = 1 }
  t1 = try(local.m.missing, "fallback")
  t2 = try(local.m.a, "fallback")
  t3 = try(aws_vpc.v.id, "fallback")
  c1 = can(local.m.missing)
  c2 = can(regex("^ab", "abc"))
  c3 = can(cidrsubnet("10.0.0.0/30", 3, 0))
  tf = templatefile("${path.module}/templates/greeting.tpl", { name = "x", items = ["a", "b"] })
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "x_probe" "p" {
  t1 = local.t1
  t2 = local.t2
  t3 = local.t3
  c1 = local.c1
  c2 = local.c2
  c3 = local.c3
  tf = local.tf
}
"#,
        ),
        (
            "templates/greeting.tpl",
            "hello ${name}%{ for i in items ~}\n-${upper(i)}%{ endfor }",
        ),
    ]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("t1"), s("fallback"));
    assert_eq!(get("t2"), Value::Number(1.0));
    assert!(
        is_ref(&get("t3"), "aws_vpc.v", "id"),
        "an unknown is not a failure"
    );
    assert_eq!(get("c1"), Value::Bool(false));
    assert_eq!(get("c2"), Value::Bool(true));
    assert_eq!(get("c3"), Value::Bool(false));
    assert_eq!(get("tf"), s("hello x-A-B"));
}

#[test]
fn module_for_each_over_a_tuple_is_reported_and_expanded() {
    let config = eval_files(&[
        (
            "main.tf",
            "module \"m\" {\n  source   = \"./m\"\n  for_each = [\"a\", \"b\"]\n  name     = each.value\n}\n",
        ),
        (
            "m/main.tf",
            "variable \"name\" {}\nresource \"aws_vpc\" \"v\" {\n  tags = { Name = var.name }\n}\n",
        ),
    ]);
    let invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    assert_eq!(invalid.len(), 1);
    assert!(invalid[0].ends_with("you have provided a value of type tuple."));
    assert_eq!(
        attr(&config, "module.m[\"b\"].aws_vpc.v", "tags.Name"),
        &s("b")
    );
}

#[test]
fn for_over_one_resource_iterates_its_attributes() {
    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\nresource \"x_probe\" \"p\" {\n  names = [for k, v in aws_vpc.main : k if k == \"cidr_block\" || k == \"id\"]\n  count_ids = [for s in aws_vpc.main[*] : s.id]\n}\n",
    )]);
    assert_eq!(
        attr(&config, "x_probe.p", "names"),
        &list(&["cidr_block", "id"])
    );
    assert!(is_ref(
        &attr(&config, "x_probe.p", "count_ids").as_list().unwrap()[0],
        "aws_vpc.main",
        "id"
    ));
}
