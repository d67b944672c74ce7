//! An EKS Auto Mode cluster's nodes are a workload: EKS launches them in the cluster's subnets with
//! the cluster security group, and they need the endpoints any EKS node needs. The twins
//! (`tests/fixtures/eks-auto-mode/main.tf`, its plans, and
//! `tests/fixtures/eks-auto-mode/cloudformation/eks-auto-mode.yaml`) must agree, with and without
//! the ec2 and sts endpoints.

mod twins;

use std::path::{Path, PathBuf};

use privlink_analysis::Analysis;
use privlink_ingest::LoadOptions;
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_model::WorkloadKind;

use twins::{analyse, missing, render};

/// Terraform address → CloudFormation logical ID, longest first.
const TWINS: [(&str, &str); 11] = [
    ("aws_vpc_endpoint.interface[\"ecr.api\"]", "EcrApi"),
    ("aws_vpc_endpoint.interface[\"ecr.dkr\"]", "EcrDkr"),
    ("aws_vpc_endpoint.interface[\"logs\"]", "Logs"),
    ("aws_vpc_endpoint.interface[\"ec2\"]", "Ec2"),
    ("aws_vpc_endpoint.interface[\"sts\"]", "Sts"),
    ("aws_security_group.endpoints", "EndpointSg"),
    ("aws_subnet.node[\"a\"]", "NodeA"),
    ("aws_subnet.node[\"b\"]", "NodeB"),
    ("aws_eks_cluster.main", "Cluster"),
    ("aws_vpc_endpoint.s3", "S3"),
    ("aws_vpc.main", "Vpc"),
];

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn hcl(node_endpoints: bool) -> Analysis {
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: [("node_endpoints".to_owned(), node_endpoints.to_string())]
                .into_iter()
                .collect(),
            ..ConfigOptions::default()
        },
        ..LoadOptions::default()
    };
    analyse(&[fixture("tests/fixtures/eks-auto-mode")], &options)
}

fn cloudformation(node_endpoints: bool) -> Analysis {
    let options = LoadOptions {
        region: Some("eu-west-1".to_owned()),
        cloudformation_parameters: vec![("NodeEndpoints".to_owned(), node_endpoints.to_string())],
        ..LoadOptions::default()
    };
    analyse(
        &[fixture(
            "tests/fixtures/eks-auto-mode/cloudformation/eks-auto-mode.yaml",
        )],
        &options,
    )
}

fn plan(node_endpoints: bool) -> Analysis {
    let name = if node_endpoints {
        "eks-auto-mode"
    } else {
        "eks-auto-mode-no-node-endpoints"
    };
    analyse(
        &[fixture(&format!(
            "../privlink_ingest/tests/fixtures/plans/{name}.plan.json"
        ))],
        &LoadOptions::default(),
    )
}

#[test]
fn auto_mode_nodes_run_in_the_cluster_subnets_and_need_the_node_endpoints() {
    for node_endpoints in [true, false] {
        let analysis = hcl(node_endpoints);
        let text = render(&analysis);
        let [w] = analysis.workloads.as_slice() else {
            panic!("one workload expected:\n{text}");
        };
        assert_eq!(w.workload.kind, WorkloadKind::EksNode, "{text}");
        assert_eq!(w.workload.name, "main-auto-mode", "{text}");
        assert_eq!(w.workload.subnets.known.len(), 2, "{text}");
        assert_eq!(
            w.workload.security_groups.known,
            [w.workload
                .cluster
                .clone()
                .expect("its cluster")
                .implicit("cluster-security-group")],
            "{text}"
        );
        let expected: &[&str] = if node_endpoints { &[] } else { &["ec2", "sts"] };
        assert_eq!(missing(&analysis), expected, "{text}");
        if node_endpoints {
            assert!(analysis.findings.is_empty(), "{text}");
        }
    }
}

#[test]
fn cloudformation_and_the_plan_agree_with_the_configuration() {
    for node_endpoints in [true, false] {
        let terraform = render(&hcl(node_endpoints));
        assert_eq!(
            render(&plan(node_endpoints)),
            terraform,
            "plan, {node_endpoints}"
        );
        let mut expected = terraform;
        for (address, logical_id) in TWINS {
            expected = expected.replace(address, logical_id);
        }
        assert_eq!(
            render(&cloudformation(node_endpoints)),
            expected,
            "CloudFormation, {node_endpoints}"
        );
    }
}
