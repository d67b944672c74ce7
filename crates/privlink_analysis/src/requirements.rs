//! Which services a workload needs: the catalog rows that apply to it, plus `service:NAME` features.

use privlink_model::{Feature, Workload, WorkloadKind};

use crate::catalog::{self, Access, GENERIC_ERROR, ROWS, When};
use crate::images::{ImageSource, classify};

/// One service a workload must reach.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// Endpoint suffix: `ecr.api`.
    pub service: String,
    /// Why, in a few words.
    pub purpose: String,
    /// The error the workload stops with when the service is unreachable.
    pub predicted_error: String,
    /// Interface or gateway.
    pub access: Access,
}

/// Whether the workload pulls images from ECR. Images not known before apply, and workloads whose
/// images the inputs do not show, are assumed to use ECR: it is the path privlink can check, and
/// `image-not-in-ecr` reports the images that do not.
pub fn pulls_from_ecr(workload: &Workload) -> bool {
    workload.images.is_empty()
        || workload.images.iter().any(|i| match i.reference.value() {
            None => true,
            Some(reference) => matches!(classify(reference), ImageSource::Ecr { .. }),
        })
}

/// The services `workload` needs in `region`, in start-up order, each once.
pub fn requirements(workload: &Workload, region: &str) -> Vec<Requirement> {
    let ecr = pulls_from_ecr(workload);
    let mut out: Vec<Requirement> = Vec::new();
    for row in ROWS {
        if !row.kinds.contains(&workload.kind) {
            continue;
        }
        let applies = match row.when {
            When::Always => true,
            When::PullsFromEcr => ecr,
            When::EcrAuthInVpc => {
                ecr && (workload.kind != WorkloadKind::EcsFargate
                    || catalog::fargate_auth_in_vpc(workload.platform_version.as_deref(), workload.windows))
            }
            When::Has(key) => workload.features.iter().any(|f| key.matches(f)),
        };
        if applies && !out.iter().any(|r| r.service == row.service) {
            out.push(Requirement {
                service: row.service.to_owned(),
                purpose: row.purpose.replace("{r}", region),
                predicted_error: row.predicted_error.replace("{r}", region),
                access: catalog::service(row.service).access,
            });
        }
    }
    for feature in &workload.features {
        if let Feature::Service(name) = feature
            && !out.iter().any(|r| &r.service == name)
        {
            out.push(Requirement {
                service: name.clone(),
                purpose: format!("the application calls {}", catalog::hostname(name, region)),
                predicted_error: GENERIC_ERROR.replace("{host}", &catalog::hostname(name, region)),
                access: if catalog::is_gateway(name) { Access::Gateway } else { Access::Interface },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use privlink_model::{Image, Known, Partial, Provenance};

    fn workload(kind: WorkloadKind, version: Option<&str>, features: Vec<Feature>, images: &[&str]) -> Workload {
        Workload {
            name: "app".into(),
            kind,
            platform_version: version.map(str::to_owned),
            windows: false,
            subnets: Partial::default(),
            security_groups: Partial::default(),
            assign_public_ip: None,
            features,
            images: images
                .iter()
                .map(|i| Image { reference: Known::Value((*i).to_owned()), container: None, location: None })
                .collect(),
            efs_file_systems: Vec::new(),
            cluster: None,
            assumed: false,
            provenance: Provenance::declared("x", None),
        }
    }

    fn services(w: &Workload) -> Vec<String> {
        requirements(w, "ap-northeast-1").into_iter().map(|r| r.service).collect()
    }

    #[test]
    fn seed_001_table() {
        let ecr = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1";
        let all = vec![Feature::Awslogs, Feature::Ssm, Feature::SecretsManager];
        assert_eq!(
            services(&workload(WorkloadKind::EcsFargate, Some("1.4.0"), all.clone(), &[ecr])),
            ["ecr.api", "secretsmanager", "ssm", "ecr.dkr", "s3", "logs"]
        );
        assert_eq!(
            services(&workload(WorkloadKind::EcsFargate, Some("1.3.0"), all, &[ecr])),
            ["secretsmanager", "ssm", "ecr.dkr", "s3", "logs"]
        );
    }

    #[test]
    fn ecs_on_ec2_needs_the_agent_endpoints() {
        let s = services(&workload(WorkloadKind::EcsEc2, None, vec![], &[]));
        assert_eq!(s, ["ecr.api", "ecs", "ecs-agent", "ecs-telemetry", "ecr.dkr", "s3"]);
    }

    #[test]
    fn eks_nodes() {
        let s = services(&workload(WorkloadKind::EksNode, None, vec![Feature::Service("elasticloadbalancing".into())], &[]));
        assert_eq!(s, ["ecr.api", "ec2", "sts", "ecr.dkr", "s3", "logs", "elasticloadbalancing"]);
    }

    #[test]
    fn docker_hub_only_needs_no_ecr() {
        let s = services(&workload(WorkloadKind::EcsFargate, None, vec![Feature::Awslogs], &["nginx:1.27"]));
        assert_eq!(s, ["logs"]);
    }

    #[test]
    fn errors_name_the_region() {
        let w = workload(WorkloadKind::EcsFargate, None, vec![], &[]);
        let r = requirements(&w, "eu-west-1");
        assert!(r[0].predicted_error.contains("api.ecr.eu-west-1.amazonaws.com"));
    }
}
