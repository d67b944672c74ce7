//! Which services a workload needs: the catalog rows that apply to it, the registries and regions
//! its images come from, its EFS file systems, and `service:NAME` features.

use std::collections::BTreeMap;

use privlink_model::{Feature, Known, ResourceId, Workload, WorkloadKind};

use crate::catalog::{
    self, Access, CallResource, EFS_ERROR, GENERIC_ERROR, REGISTRY_ERROR, ROWS, Row, When,
};
use crate::images::{ImageSource, classify};

/// One API call a flow makes, for endpoint-policy evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// `ecr:BatchGetImage`.
    pub action: String,
    /// The resource ARN, `*`, or `None` when the inputs do not name it.
    pub resource: Option<String>,
}

/// Why a requirement exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The workload's kind, platform version or a feature (the catalog).
    Catalog,
    /// An image in a registry outside AWS (or ECR Public), which no endpoint serves.
    ExternalImage {
        /// The image reference.
        image: String,
        /// Its registry.
        source: ImageSource,
    },
    /// A private ECR image in another region.
    CrossRegionImage {
        /// The image reference.
        image: String,
        /// The registry's region.
        region: String,
    },
    /// An EFS file system the workload mounts.
    Efs {
        /// The file system, when known.
        file_system: Option<ResourceId>,
    },
    /// A `service:NAME` feature: the application calls the service.
    Application,
}

/// One service a workload must reach.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// Endpoint suffix (`ecr.api`), registry host, or `efs`.
    pub service: String,
    /// The region of the service when it is not the workload's own (cross-region ECR).
    pub region: Option<String>,
    /// Why, in a few words.
    pub purpose: String,
    /// The error the workload stops with when the service is unreachable.
    pub predicted_error: String,
    /// How it is reached privately.
    pub access: Access,
    /// Why it exists.
    pub origin: Origin,
    /// The API calls the flow makes.
    pub calls: Vec<Call>,
}

/// The workload's images by where they come from.
#[derive(Debug, Default)]
struct ImageSources {
    /// Whether it pulls from ECR in its own region (or its images are not known: ECR is the path
    /// privlink can check, and `image-not-in-ecr` reports images that are not there).
    local_ecr: bool,
    /// ECR repositories by region: `(account, repository)`.
    repositories: BTreeMap<String, Vec<(String, String)>>,
    /// Private ECR images in other regions, by region.
    other_regions: BTreeMap<String, Vec<String>>,
    /// Images outside AWS by registry host.
    external: BTreeMap<String, (String, ImageSource)>,
}

fn sources(workload: &Workload, region: &str) -> ImageSources {
    let mut out = ImageSources {
        local_ecr: workload.images.is_empty(),
        ..ImageSources::default()
    };
    for image in &workload.images {
        let Known::Value(reference) = &image.reference else {
            out.local_ecr = true;
            continue;
        };
        match classify(reference) {
            ImageSource::Ecr { account, region: r } => {
                let repo = reference.split_once('/').map_or("", |(_, p)| p);
                let repo = repo.split('@').next().unwrap_or(repo);
                let repo = match repo.rsplit_once(':') {
                    Some((name, tag)) if !tag.contains('/') => name,
                    _ => repo,
                };
                out.repositories
                    .entry(r.clone())
                    .or_default()
                    .push((account, repo.to_owned()));
                if r == region {
                    out.local_ecr = true;
                } else {
                    out.other_regions
                        .entry(r)
                        .or_default()
                        .push(reference.clone());
                }
            }
            other => {
                let host = registry_host(reference, &other);
                out.external
                    .entry(host)
                    .or_insert((reference.clone(), other));
            }
        }
    }
    out
}

/// The host a pull from `source` connects to.
fn registry_host(reference: &str, source: &ImageSource) -> String {
    match source {
        ImageSource::DockerHub => "registry-1.docker.io".to_owned(),
        _ => reference
            .split('/')
            .next()
            .unwrap_or(reference)
            .split(':')
            .next()
            .unwrap_or(reference)
            .to_owned(),
    }
}

/// Whether registry auth runs inside the VPC for this workload: Fargate 1.4.0 or later (and every
/// Windows platform) and every EC2-based kind.
fn auth_in_vpc(workload: &Workload) -> bool {
    workload.kind != WorkloadKind::EcsFargate
        || catalog::fargate_auth_in_vpc(workload.platform_version.as_deref(), workload.windows)
}

fn calls(row: &Row, region: &str, repositories: &[(String, String)]) -> Vec<Call> {
    let resources: Vec<Option<String>> = match row.resource {
        CallResource::Any => vec![Some("*".to_owned())],
        // Layers are arbitrary keys of the bucket: the policy must allow all of them.
        CallResource::LayerBucket => vec![Some(format!(
            "arn:aws:s3:::prod-{region}-starport-layer-bucket/*"
        ))],
        CallResource::EcrRepositories if !repositories.is_empty() => repositories
            .iter()
            .map(|(account, repo)| {
                Some(format!("arn:aws:ecr:{region}:{account}:repository/{repo}"))
            })
            .collect(),
        CallResource::EcrRepositories | CallResource::Unnamed => vec![None],
    };
    row.actions
        .iter()
        .flat_map(|a| {
            resources.iter().map(|r| Call {
                action: (*a).to_owned(),
                resource: r.clone(),
            })
        })
        .collect()
}

fn from_row(
    row: &Row,
    region: &str,
    repositories: &[(String, String)],
    origin: Origin,
    service_region: Option<&str>,
) -> Requirement {
    let access = match (origin.clone(), catalog::service(row.service).access) {
        // Gateway endpoints are same-region only: S3 in another region needs an interface endpoint.
        (Origin::CrossRegionImage { .. }, Access::Gateway) => Access::Interface,
        (_, access) => access,
    };
    Requirement {
        service: row.service.to_owned(),
        region: service_region.map(str::to_owned),
        purpose: row.purpose.replace("{r}", region),
        predicted_error: row.predicted_error.replace("{r}", region),
        access,
        origin,
        calls: calls(row, region, repositories),
    }
}

/// The services `workload` needs in `region`, in start-up order, each once per region.
pub fn requirements(workload: &Workload, region: &str) -> Vec<Requirement> {
    let images = sources(workload, region);
    let no_repos = Vec::new();
    let local_repos = images.repositories.get(region).unwrap_or(&no_repos);
    let mut out: Vec<Requirement> = Vec::new();
    let applies = |row: &Row, ecr: bool| match row.when {
        When::Always => true,
        When::PullsFromEcr => ecr,
        When::EcrAuthInVpc => ecr && auth_in_vpc(workload),
        When::Has(key) => workload.features.iter().any(|f| key.matches(f)),
    };
    for row in ROWS.iter().filter(|r| r.kinds.contains(&workload.kind)) {
        if applies(row, images.local_ecr)
            && !out
                .iter()
                .any(|r| r.service == row.service && r.region.is_none())
        {
            out.push(from_row(row, region, local_repos, Origin::Catalog, None));
        }
    }
    // Private ECR in another region: that region's ecr.api, ecr.dkr and S3.
    for (other, refs) in &images.other_regions {
        let repos = images.repositories.get(other).unwrap_or(&no_repos);
        for row in ROWS.iter().filter(|r| r.kinds.contains(&workload.kind)) {
            let image_row = matches!(row.when, When::PullsFromEcr | When::EcrAuthInVpc)
                || (workload.kind.is_eks() && matches!(row.service, "ecr.api" | "ecr.dkr" | "s3"));
            if image_row
                && applies(row, true)
                && !out
                    .iter()
                    .any(|r| r.service == row.service && r.region.as_deref() == Some(other))
            {
                let origin = Origin::CrossRegionImage {
                    image: refs[0].clone(),
                    region: other.clone(),
                };
                out.push(from_row(row, other, repos, origin, Some(other)));
            }
        }
    }
    for (host, (image, source)) in &images.external {
        out.push(Requirement {
            service: host.clone(),
            region: None,
            purpose: format!("image pull from {source} ({image})"),
            predicted_error: REGISTRY_ERROR
                .replace("{image}", image)
                .replace("{host}", host),
            access: Access::Registry,
            origin: Origin::ExternalImage {
                image: image.clone(),
                source: source.clone(),
            },
            calls: Vec::new(),
        });
    }
    if workload.features.contains(&Feature::Efs) || !workload.efs_file_systems.is_empty() {
        let systems: Vec<Option<ResourceId>> = if workload.efs_file_systems.is_empty() {
            vec![None]
        } else {
            workload
                .efs_file_systems
                .iter()
                .map(|fs| fs.value().cloned())
                .collect()
        };
        for file_system in systems {
            let name = file_system
                .as_ref()
                .map_or_else(|| "an EFS file system".to_owned(), ToString::to_string);
            out.push(Requirement {
                service: "efs".to_owned(),
                region: None,
                purpose: format!("NFS (tcp/2049) to a mount target of {name}"),
                predicted_error: EFS_ERROR.replace("{r}", region),
                access: Access::Nfs,
                origin: Origin::Efs { file_system },
                calls: Vec::new(),
            });
        }
    }
    for feature in &workload.features {
        if let Feature::Service(name) = feature
            && !out.iter().any(|r| &r.service == name && r.region.is_none())
        {
            out.push(Requirement {
                service: name.clone(),
                region: None,
                purpose: format!("the application calls {}", catalog::hostname(name, region)),
                predicted_error: GENERIC_ERROR.replace("{host}", &catalog::hostname(name, region)),
                access: if catalog::is_gateway(name) {
                    Access::Gateway
                } else {
                    Access::Interface
                },
                origin: Origin::Application,
                calls: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use privlink_model::{Image, Partial, Provenance};

    fn workload(
        kind: WorkloadKind,
        version: Option<&str>,
        features: Vec<Feature>,
        images: &[&str],
    ) -> Workload {
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
                .map(|i| Image {
                    reference: Known::Value((*i).to_owned()),
                    container: None,
                    location: None,
                })
                .collect(),
            efs_file_systems: Vec::new(),
            cluster: None,
            assumed: false,
            provenance: Provenance::declared("x", None),
        }
    }

    fn services(w: &Workload) -> Vec<String> {
        requirements(w, "ap-northeast-1")
            .into_iter()
            .map(|r| match r.region {
                Some(region) => format!("{}@{region}", r.service),
                None => r.service,
            })
            .collect()
    }

    const ECR: &str = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1";

    #[test]
    fn fargate_with_secrets_table() {
        let all = vec![Feature::Awslogs, Feature::Ssm, Feature::SecretsManager];
        assert_eq!(
            services(&workload(
                WorkloadKind::EcsFargate,
                Some("1.4.0"),
                all.clone(),
                &[ECR]
            )),
            ["ecr.api", "secretsmanager", "ssm", "ecr.dkr", "s3", "logs"]
        );
        assert_eq!(
            services(&workload(
                WorkloadKind::EcsFargate,
                Some("1.3.0"),
                all,
                &[ECR]
            )),
            ["secretsmanager", "ssm", "ecr.dkr", "s3", "logs"]
        );
    }

    #[test]
    fn ecs_on_ec2_needs_the_agent_endpoints() {
        let s = services(&workload(WorkloadKind::EcsEc2, None, vec![], &[]));
        assert_eq!(
            s,
            [
                "ecr.api",
                "ecs",
                "ecs-agent",
                "ecs-telemetry",
                "ecr.dkr",
                "s3"
            ]
        );
    }

    #[test]
    fn eks_nodes() {
        let s = services(&workload(
            WorkloadKind::EksNode,
            None,
            vec![Feature::Service("elasticloadbalancing".into())],
            &[],
        ));
        assert_eq!(
            s,
            [
                "ecr.api",
                "ec2",
                "sts",
                "ecr.dkr",
                "s3",
                "logs",
                "elasticloadbalancing"
            ]
        );
    }

    #[test]
    fn exec_and_features() {
        let s = services(&workload(
            WorkloadKind::EcsFargate,
            None,
            vec![
                Feature::Exec,
                Feature::Xray,
                Feature::ServiceConnect,
                Feature::Service("kms".into()),
            ],
            &[ECR],
        ));
        assert_eq!(
            s,
            [
                "ecr.api",
                "ecr.dkr",
                "s3",
                "ssmmessages",
                "xray",
                "ecs-agent",
                "kms"
            ]
        );
    }

    #[test]
    fn docker_hub_needs_a_path_to_the_registry_not_ecr() {
        let w = workload(
            WorkloadKind::EcsFargate,
            None,
            vec![Feature::Awslogs],
            &["nginx:1.27"],
        );
        assert_eq!(services(&w), ["logs", "registry-1.docker.io"]);
        let r = requirements(&w, "ap-northeast-1");
        assert_eq!(r[1].access, Access::Registry);
        assert!(
            r[1].predicted_error
                .contains("https://registry-1.docker.io/v2/")
        );
    }

    #[test]
    fn cross_region_images_need_that_regions_ecr_and_an_s3_interface_endpoint() {
        let w = workload(
            WorkloadKind::EcsFargate,
            None,
            vec![],
            &["123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1"],
        );
        assert_eq!(
            services(&w),
            ["ecr.api@us-west-2", "ecr.dkr@us-west-2", "s3@us-west-2"]
        );
        let r = requirements(&w, "ap-northeast-1");
        assert_eq!(
            r[2].access,
            Access::Interface,
            "gateway endpoints are same-region only"
        );
        assert!(
            r[1].calls.iter().any(|c| c.resource.as_deref()
                == Some("arn:aws:ecr:us-west-2:123456789012:repository/app"))
        );
    }

    #[test]
    fn efs_needs_nfs_to_a_mount_target() {
        let mut w = workload(WorkloadKind::EcsFargate, None, vec![Feature::Efs], &[ECR]);
        w.efs_file_systems = vec![Known::Value(ResourceId::new("aws_efs_file_system.data"))];
        let r = requirements(&w, "ap-northeast-1");
        let efs = r
            .iter()
            .find(|r| r.service == "efs")
            .expect("an efs requirement");
        assert_eq!(efs.access, Access::Nfs);
        assert_eq!(
            efs.origin,
            Origin::Efs {
                file_system: Some(ResourceId::new("aws_efs_file_system.data"))
            }
        );
    }

    #[test]
    fn pull_calls_name_the_repository_and_the_layer_bucket() {
        let r = requirements(
            &workload(WorkloadKind::EcsFargate, None, vec![], &[ECR]),
            "ap-northeast-1",
        );
        let dkr = r.iter().find(|r| r.service == "ecr.dkr").expect("ecr.dkr");
        assert_eq!(dkr.calls.len(), 3);
        assert_eq!(
            dkr.calls[0].resource.as_deref(),
            Some("arn:aws:ecr:ap-northeast-1:123456789012:repository/app")
        );
        let s3 = r.iter().find(|r| r.service == "s3").expect("s3");
        assert_eq!(s3.calls[0].action, "s3:GetObject");
        assert!(s3.calls[0].resource.as_deref().is_some_and(|a| {
            a.starts_with("arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/")
        }));
    }

    #[test]
    fn errors_name_the_region() {
        let w = workload(WorkloadKind::EcsFargate, None, vec![], &[]);
        let r = requirements(&w, "eu-west-1");
        assert!(
            r[0].predicted_error
                .contains("api.ecr.eu-west-1.amazonaws.com")
        );
    }
}
