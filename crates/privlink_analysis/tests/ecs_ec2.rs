//! An ECS service on EC2 container instances is placed on its instances whichever way the inputs
//! write it: Terraform HCL, the plan Terraform makes of it, and CloudFormation. The instances join
//! the cluster through a capacity provider or through their user data; without the ecs, ecs-agent
//! and ecs-telemetry endpoints the agent cannot register, which privlink must report in every
//! format, and must not report once the endpoints exist.
//!
//! The fixtures are twins (`tests/fixtures/ecs-ec2/main.tf` and
//! `tests/fixtures/ecs-ec2/cloudformation/ecs-ec2.yaml`); the plans are real `terraform show -json`
//! output, written by `scripts/regenerate-plans`.

mod twins;

use std::path::{Path, PathBuf};

use privlink_analysis::Analysis;
use privlink_ingest::LoadOptions;
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_model::WorkloadKind;

use twins::{analyse, missing, render};

/// Terraform address → CloudFormation logical ID, longest first so no name is replaced inside
/// another.
const TWINS: [(&str, &str); 14] = [
    (
        "aws_vpc_endpoint.interface[\"ecs-telemetry\"]",
        "EcsTelemetry",
    ),
    ("aws_vpc_endpoint.interface[\"ecs-agent\"]", "EcsAgent"),
    ("aws_vpc_endpoint.interface[\"ecr.api\"]", "EcrApi"),
    ("aws_vpc_endpoint.interface[\"ecr.dkr\"]", "EcrDkr"),
    ("aws_vpc_endpoint.interface[\"logs\"]", "Logs"),
    ("aws_vpc_endpoint.interface[\"ecs\"]", "Ecs"),
    ("aws_subnet.instances[\"a\"]", "InstancesA"),
    ("aws_subnet.instances[\"c\"]", "InstancesC"),
    ("aws_security_group.endpoints", "EndpointSg"),
    ("aws_security_group.instances", "InstancesSg"),
    ("aws_route_table.private", "PrivateRoutes"),
    ("aws_ecs_service.app", "Service"),
    ("aws_vpc_endpoint.s3", "S3"),
    ("aws_vpc.main", "Vpc"),
];

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The four variants: how the instances join, and whether the agent's endpoints exist.
const VARIANTS: [(&str, bool); 4] = [
    ("capacity-provider", true),
    ("capacity-provider", false),
    ("user-data", true),
    ("user-data", false),
];

fn hcl(join: &str, agent: bool) -> Analysis {
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: [
                ("join".to_owned(), join.to_owned()),
                ("agent_endpoints".to_owned(), agent.to_string()),
            ]
            .into_iter()
            .collect(),
            ..ConfigOptions::default()
        },
        ..LoadOptions::default()
    };
    analyse(&[fixture("tests/fixtures/ecs-ec2")], &options)
}

fn cloudformation(join: &str, agent: bool) -> Analysis {
    let options = LoadOptions {
        region: Some("ap-northeast-1".to_owned()),
        cloudformation_parameters: vec![
            ("Join".to_owned(), join.to_owned()),
            ("AgentEndpoints".to_owned(), agent.to_string()),
        ],
        ..LoadOptions::default()
    };
    analyse(
        &[fixture(
            "tests/fixtures/ecs-ec2/cloudformation/ecs-ec2.yaml",
        )],
        &options,
    )
}

fn plan(join: &str, agent: bool) -> Analysis {
    let name = format!(
        "ecs-ec2-{join}{}.plan.json",
        if agent { "" } else { "-no-agent-endpoints" }
    );
    analyse(
        &[fixture(&format!(
            "../privlink_ingest/tests/fixtures/plans/{name}"
        ))],
        &LoadOptions::default(),
    )
}

#[test]
fn the_service_runs_in_the_instances_subnets_and_needs_the_agent_endpoints() {
    for (join, agent) in VARIANTS {
        let analysis = hcl(join, agent);
        let text = render(&analysis);
        let [w] = analysis.workloads.as_slice() else {
            panic!("{join}: one workload expected:\n{text}");
        };
        assert_eq!(w.workload.kind, WorkloadKind::EcsEc2, "{text}");
        assert_eq!(
            w.workload.subnets.known.len(),
            2,
            "{join}: the instances' two subnets:\n{text}"
        );
        assert!(w.workload.subnets.is_complete(), "{text}");
        assert_eq!(w.workload.security_groups.known.len(), 1, "{text}");
        let expected: &[&str] = if agent {
            &[]
        } else {
            &["ecs", "ecs-agent", "ecs-telemetry"]
        };
        assert_eq!(
            missing(&analysis),
            expected,
            "{join}, agent {agent}:\n{text}"
        );
        if agent {
            assert!(analysis.findings.is_empty(), "{text}");
        }
    }
}

#[test]
fn cloudformation_places_it_as_terraform_does() {
    for (join, agent) in VARIANTS {
        let mut expected = render(&hcl(join, agent));
        for (address, logical_id) in TWINS {
            expected = expected.replace(address, logical_id);
        }
        assert_eq!(
            render(&cloudformation(join, agent)),
            expected,
            "{join}, agent endpoints {agent}"
        );
    }
}

#[test]
fn the_plan_places_it_as_the_configuration_does() {
    for (join, agent) in VARIANTS {
        assert_eq!(
            render(&plan(join, agent)),
            render(&hcl(join, agent)),
            "{join}, agent endpoints {agent}"
        );
    }
}

#[test]
fn cdk_synth_places_the_service_on_its_auto_scaling_group() {
    let analysis = analyse(
        &[fixture("../../testdata/cdk/ecs-ec2.out")],
        &LoadOptions::default(),
    );
    let text = render(&analysis);
    assert_eq!(analysis.workloads.len(), 2, "{text}");
    for w in &analysis.workloads {
        let w = &w.workload;
        assert_eq!(w.kind, WorkloadKind::EcsEc2, "{text}");
        assert_eq!(w.subnets.known.len(), 2, "{text}");
        assert!(
            w.subnets.is_complete() && w.security_groups.is_complete(),
            "{text}"
        );
        assert!(
            w.security_groups.known[0]
                .as_str()
                .contains("InstancesInstanceSecurityGroup"),
            "the launch configuration's group:\n{text}"
        );
    }
    assert_eq!(
        missing(&analysis),
        ["ecs", "ecs-agent", "ecs-telemetry"],
        "{text}"
    );
    assert!(
        analysis
            .findings
            .iter()
            .filter(|f| f.rule != "unresolved-input")
            .all(|f| f
                .resource
                .as_deref()
                .is_some_and(|r| r.starts_with("EcsOnEc2NoAgentEndpoints."))),
        "only the stack without the agent endpoints has findings:\n{text}"
    );
}
