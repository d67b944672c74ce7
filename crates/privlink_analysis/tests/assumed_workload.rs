//! Inputs that define no workload get one assumed ECS Fargate task per VPC. It is a new workload,
//! so it gets a new security group (all outbound allowed, as AWS creates one), never the VPC's
//! default group: a default group with its rules removed is good practice, not a defect. The same
//! network as Terraform HCL, CloudFormation and an account snapshot gives the same verdicts.

use std::path::{Path, PathBuf};

use privlink_analysis::Analysis;
use privlink_analysis::reach::Verdict;
use privlink_ingest::LoadOptions;

/// Loads the inputs (which must load cleanly) and analyses them.
fn analyse(paths: &[PathBuf], options: &LoadOptions) -> Analysis {
    let loaded = privlink_ingest::load(paths, options);
    for input in &loaded.inputs {
        assert!(input.is_ok(), "{}: {:?}", input.path, input.errors);
    }
    privlink_analysis::analyze(&loaded.model, &privlink_analysis::Options::default())
}

fn run(relative: &str) -> Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/assumed-workload")
        .join(relative);
    analyse(&[path], &LoadOptions::default())
}

#[test]
fn an_assumed_workload_gets_a_new_security_group_in_every_format() {
    for (input, vpc, default_group) in [
        (
            "terraform",
            "aws_vpc.main",
            Some("aws_default_security_group.default"),
        ),
        ("cloudformation", "Vpc", None),
        ("snapshot/scan.json", "vpc-1", Some("sg-default")),
    ] {
        let analysis = run(input);
        let [workload] = analysis.workloads.as_slice() else {
            panic!("{input}: one assumed workload");
        };
        assert!(workload.workload.assumed, "{input}");
        let groups: Vec<&str> = workload
            .workload
            .security_groups
            .iter()
            .map(|g| g.as_str())
            .collect();
        assert_eq!(groups, [format!("new-security-group ({vpc})")], "{input}");
        assert!(!analysis.flows.is_empty(), "{input}");
        for flow in &analysis.flows {
            assert_eq!(
                flow.verdict,
                Verdict::Endpoint,
                "{input}: {} {}: {:?}",
                flow.subnet,
                flow.service,
                flow.hops
            );
        }
        let errors: Vec<&str> = analysis
            .findings
            .iter()
            .filter(|f| f.severity == privlink_model::Severity::Error)
            .map(|f| f.rule)
            .collect();
        assert_eq!(errors, Vec::<&str>::new(), "{input}");
        // The locked-down default group is not what the workload uses.
        if let Some(default_group) = default_group {
            assert!(
                analysis.flows.iter().all(|f| f.hops.iter().all(|h| h
                    .element
                    .as_ref()
                    .map(|e| e.as_str())
                    != Some(default_group))),
                "{input}"
            );
        }
    }
}
