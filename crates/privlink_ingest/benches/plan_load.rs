//! Loading a large Terraform plan: `terraform show -json` of a configuration with many module
//! instances, each a VPC with subnets in three AZs, route tables, an S3 gateway endpoint, twelve
//! interface endpoints whose links Terraform leaves unknown, and security groups.
//!
//! `cargo bench -p privlink_ingest --bench plan_load`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use privlink_ingest::terraform::lower::lower;
use privlink_ingest::terraform::plan::read_plan;
use privlink_ingest::{LoadOptions, load};
use privlink_model::Known;
use serde_json::{Value, json};

const SERVICES: [&str; 12] = [
    "ecr.api",
    "ecr.dkr",
    "logs",
    "ssm",
    "ssmmessages",
    "ec2messages",
    "secretsmanager",
    "kms",
    "sts",
    "ec2",
    "ecs",
    "xray",
];

fn reference(address: &str, attribute: &str) -> Value {
    json!({"references": [format!("{address}.{attribute}"), address]})
}

/// A plan shaped like Terraform 1.11's for `modules` instances of one network module.
fn plan(modules: usize) -> String {
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut push = |module: &str, address: &str, after: Value, unknown: Value, shape: Value| {
        let full = format!("{module}.{address}");
        planned.push(
            json!({"address": full, "mode": "managed", "values": after, "sensitive_values": shape}),
        );
        changes.push(json!({"address": full, "module_address": module, "mode": "managed",
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown, "after_sensitive": shape}}));
    };
    for m in 0..modules {
        let module = format!("module.vpc[\"{m}\"]");
        push(
            &module,
            "aws_vpc.this",
            json!({"cidr_block": "10.0.0.0/16", "enable_dns_support": true, "enable_dns_hostnames": true}),
            json!({"id": true, "arn": true}),
            json!({}),
        );
        push(
            &module,
            "aws_route_table.private",
            json!({}),
            json!({"id": true, "route": true, "vpc_id": true}),
            json!({"route": []}),
        );
        for (i, az) in ["a", "c", "d"].iter().enumerate() {
            push(
                &module,
                &format!("aws_subnet.private[{i}]"),
                json!({"cidr_block": format!("10.0.{i}.0/24"), "availability_zone": format!("ap-northeast-1{az}")}),
                json!({"id": true, "vpc_id": true}),
                json!({}),
            );
            push(
                &module,
                &format!("aws_route_table_association.private[{i}]"),
                json!({}),
                json!({"id": true, "subnet_id": true, "route_table_id": true}),
                json!({}),
            );
        }
        push(
            &module,
            "aws_vpc_endpoint.s3",
            json!({"service_name": "com.amazonaws.ap-northeast-1.s3", "vpc_endpoint_type": "Gateway"}),
            json!({"id": true, "vpc_id": true, "route_table_ids": true, "prefix_list_id": true}),
            json!({"route_table_ids": []}),
        );
        push(
            &module,
            "aws_security_group.endpoints",
            json!({"ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"]}]}),
            json!({"id": true, "vpc_id": true, "egress": true}),
            json!({"ingress": [{"cidr_blocks": [false]}]}),
        );
        push(
            &module,
            "aws_security_group.app",
            json!({"egress": [{"from_port": 443, "to_port": 443, "protocol": "tcp"}, {"from_port": 443, "to_port": 443, "protocol": "tcp"}]}),
            json!({"id": true, "vpc_id": true, "ingress": true, "egress": [{"security_groups": true}, {"prefix_list_ids": true}]}),
            json!({"egress": [{"security_groups": []}, {"prefix_list_ids": []}]}),
        );
        for service in SERVICES {
            push(
                &module,
                &format!("aws_vpc_endpoint.interface[\"{service}\"]"),
                json!({"service_name": format!("com.amazonaws.ap-northeast-1.{service}"), "vpc_endpoint_type": "Interface", "private_dns_enabled": true}),
                json!({"id": true, "vpc_id": true, "subnet_ids": true, "security_group_ids": true}),
                json!({"subnet_ids": [], "security_group_ids": []}),
            );
        }
    }
    let module_config = json!({
        "resources": [
            {"address": "aws_vpc.this", "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}},
            {"address": "aws_subnet.private", "expressions": {"vpc_id": reference("aws_vpc.this", "id")}},
            {"address": "aws_route_table.private", "expressions": {"vpc_id": reference("aws_vpc.this", "id")}},
            {"address": "aws_route_table_association.private", "expressions": {
                "subnet_id": {"references": ["aws_subnet.private", "count.index"]},
                "route_table_id": reference("aws_route_table.private", "id")}},
            {"address": "aws_vpc_endpoint.s3", "expressions": {"vpc_id": reference("aws_vpc.this", "id"),
                "route_table_ids": reference("aws_route_table.private", "id")}},
            {"address": "aws_security_group.endpoints", "expressions": {"vpc_id": reference("aws_vpc.this", "id")}},
            {"address": "aws_security_group.app", "expressions": {"vpc_id": reference("aws_vpc.this", "id"),
                "egress": {"references": ["aws_security_group.endpoints.id", "aws_security_group.endpoints", "aws_vpc_endpoint.s3.prefix_list_id", "aws_vpc_endpoint.s3"]}}},
            {"address": "aws_vpc_endpoint.interface", "expressions": {"vpc_id": reference("aws_vpc.this", "id"),
                "subnet_ids": {"references": ["aws_subnet.private"]},
                "security_group_ids": reference("aws_security_group.endpoints", "id")}}
        ]
    });
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"child_modules": planned.chunks(planned.len() / modules.max(1)).enumerate()
            .map(|(m, resources)| json!({"address": format!("module.vpc[\"{m}\"]"), "resources": resources})).collect::<Vec<_>>()}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "ap-northeast-1"}}}},
            "root_module": {"module_calls": {"vpc": {"module": module_config}}}
        }
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    for modules in [10, 100] {
        let text = plan(modules);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("read", modules), &text, |b, text| {
            b.iter(|| read_plan(black_box(text), "plan.json").expect("plan"));
        });
        let resources = read_plan(&text, "plan.json").expect("plan").resources;
        group.bench_with_input(
            BenchmarkId::new("lower", modules),
            &resources,
            |b, resources| {
                b.iter(|| {
                    lower(
                        black_box(resources),
                        Known::Value("ap-northeast-1".to_owned()),
                    )
                });
            },
        );
        let dir =
            std::env::temp_dir().join(format!("privlink-bench-{}-{modules}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("plan.json");
        std::fs::write(&path, &text).expect("write plan");
        group.bench_with_input(BenchmarkId::new("load", modules), &path, |b, path| {
            b.iter(|| load(std::slice::from_ref(path), &LoadOptions::default()));
        });
        std::fs::remove_dir_all(dir).expect("clean up");
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
