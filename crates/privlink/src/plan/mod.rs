//! `privlink plan`: which services a workload kind needs, and a private network that serves them,
//! from flags alone.
//!
//! ```text
//! flags ──► Request ──► Workload ──► requirements (analysis catalog) ──► Plan ──► table, json
//!                                                                          └──► Reference ──► terraform, cloudformation
//! ```
//!
//! The plan adds nothing to the catalog's facts: every row is one [`Requirement`] of the analysis
//! crate, and each endpoint's policy allows exactly the calls those requirements list (see
//! [`policy`]). [`reference`] turns a plan into the shape of a complete network, which the
//! Terraform and CloudFormation writers render.

pub(crate) mod cloudformation;
mod hcl;
pub(crate) mod json;
mod policy;
mod reference;
pub(crate) mod table;
pub(crate) mod terraform;
mod yaml;

use privlink_analysis::catalog::{self, Access};
use privlink_analysis::images::{self, ImageSource};
use privlink_analysis::requirements::{self, Origin as NeedOrigin, Requirement};
use privlink_model::{
    EndpointKind, Feature, Image, Known, Origin, Partial, Provenance, ServiceName, Workload,
    WorkloadKind,
};

pub(crate) use reference::Reference;

/// What the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Request {
    /// The workload kind.
    pub(crate) kind: WorkloadKind,
    /// Its features, in the order given, without repeats.
    pub(crate) features: Vec<Feature>,
    /// The Fargate platform version (ECS on Fargate only); `None` is `LATEST`.
    pub(crate) platform_version: Option<String>,
    /// Container images; none means an image in the region's private ECR.
    pub(crate) images: Vec<String>,
    /// The region.
    pub(crate) region: String,
    /// How many availability zones the reference network spans.
    pub(crate) azs: u8,
}

impl Request {
    /// The workload the catalog is asked about: placed nowhere, as the plan has no network yet.
    fn workload(&self) -> Workload {
        Workload {
            name: "app".to_owned(),
            kind: self.kind,
            platform_version: self.platform_version.clone(),
            windows: false,
            subnets: Partial::default(),
            security_groups: Partial::default(),
            assign_public_ip: None,
            features: self.features.clone(),
            images: self
                .images
                .iter()
                .map(|i| Image {
                    reference: Known::Value(i.clone()),
                    container: None,
                    location: None,
                })
                .collect(),
            efs_file_systems: Vec::new(),
            cluster: None,
            assumed: false,
            provenance: Provenance {
                address: "privlink plan".to_owned(),
                location: None,
                origin: Origin::Assumed,
            },
        }
    }
}

/// An ECR pull-through cache rule that would bring an image from outside AWS into the region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PullThrough {
    /// The rule's repository prefix (`docker-hub`).
    pub(crate) prefix: &'static str,
    /// The upstream registry (`registry-1.docker.io`).
    pub(crate) upstream: String,
    /// The image to pull once the rule exists, with `ACCOUNT` for the account id.
    pub(crate) image: String,
}

/// One service the workload needs, and how the reference network serves it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    /// The catalog's requirement.
    pub(crate) requirement: Requirement,
    /// The endpoint type that serves it; `None` when no endpoint does (a registry outside AWS, EFS).
    pub(crate) endpoint: Option<EndpointKind>,
    /// The full endpoint service name, for endpoint rows.
    pub(crate) service_name: Option<String>,
    /// The minimal endpoint policy; `None` keeps the default (full access) because the catalog
    /// does not list the calls, or for rows without an endpoint.
    pub(crate) policy: Option<serde_json::Value>,
    /// For an image outside AWS: the pull-through cache rule that would serve it.
    pub(crate) pull_through: Option<PullThrough>,
}

impl Row {
    /// The service's human name (the endpoint suffix when the catalog has none).
    pub(crate) fn title(&self) -> &str {
        let spec = catalog::service(&self.requirement.service);
        if spec.title.is_empty() {
            &self.requirement.service
        } else {
            spec.title
        }
    }

    /// Whether this row is an endpoint in the workload's own region.
    pub(crate) fn is_local_endpoint(&self) -> bool {
        self.endpoint.is_some() && self.requirement.region.is_none()
    }
}

/// The services a workload needs and how each is served.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    /// The request.
    pub(crate) request: Request,
    /// One row per required service, in the catalog's start-up order.
    pub(crate) rows: Vec<Row>,
    /// What the rows cannot say: retired platform versions, FireLens destinations, caches.
    pub(crate) notes: Vec<String>,
}

impl Plan {
    /// Plans `request`.
    pub(crate) fn new(request: Request) -> Self {
        let workload = request.workload();
        let rows = requirements::requirements(&workload, &request.region)
            .into_iter()
            .map(|r| row(r, &request.region))
            .collect();
        let notes = notes(&request);
        Self {
            request,
            rows,
            notes,
        }
    }

    /// Whether the workload has `feature`.
    pub(crate) fn has(&self, feature: &Feature) -> bool {
        self.request.features.contains(feature)
    }

    /// The rows served by an endpoint in the workload's region, interface endpoints first.
    pub(crate) fn local_endpoints(&self) -> impl Iterator<Item = &Row> {
        let of = |kind| {
            self.rows
                .iter()
                .filter(move |r| r.is_local_endpoint() && r.endpoint == Some(kind))
        };
        of(EndpointKind::Interface).chain(of(EndpointKind::Gateway))
    }

    /// The command line that reproduces this plan in `format`.
    pub(crate) fn command_line(&self, format: &str) -> String {
        let r = &self.request;
        let mut words = vec!["privlink plan".to_owned(), format!("--kind {}", r.kind)];
        words.extend(r.features.iter().map(|f| format!("--feature {f}")));
        if let Some(v) = &r.platform_version {
            words.push(format!("--platform-version {v}"));
        }
        words.extend(r.images.iter().map(|i| format!("--image {i}")));
        words.push(format!("--region {}", r.region));
        if r.azs != 2 {
            words.push(format!("--azs {}", r.azs));
        }
        words.push(format!("--format {format}"));
        words.join(" ")
    }
}

fn row(requirement: Requirement, region: &str) -> Row {
    let endpoint = match requirement.access {
        Access::Interface => Some(EndpointKind::Interface),
        Access::Gateway => Some(EndpointKind::Gateway),
        Access::Registry | Access::Nfs => None,
    };
    let service_name = endpoint.map(|_| {
        ServiceName::format(
            requirement.region.as_deref().unwrap_or(region),
            &requirement.service,
        )
    });
    let policy = endpoint.and_then(|_| policy::minimal(&requirement.calls));
    let pull_through = match &requirement.origin {
        NeedOrigin::ExternalImage { image, source } => pull_through(image, source, region),
        _ => None,
    };
    Row {
        requirement,
        endpoint,
        service_name,
        policy,
        pull_through,
    }
}

fn pull_through(image: &str, source: &ImageSource, region: &str) -> Option<PullThrough> {
    let (prefix, upstream) = images::pull_through_upstream(source)?;
    Some(PullThrough {
        prefix,
        upstream,
        image: images::pull_through_uri(image, prefix, "ACCOUNT", region),
    })
}

fn notes(request: &Request) -> Vec<String> {
    let mut notes = Vec::new();
    let fargate = request.kind == WorkloadKind::EcsFargate;
    if fargate && !catalog::fargate_auth_in_vpc(request.platform_version.as_deref(), false) {
        notes.push(
            "Fargate platform versions before 1.4.0 fetch registry auth and secrets outside the VPC; 1.3.0 is retired (no new tasks from 2026-03-16 in commercial regions), so plan for 1.4.0.".to_owned(),
        );
    }
    if request.features.contains(&Feature::Firelens) {
        notes.push(
            "FireLens: the log router sends to its output's service, which needs its own endpoint (--feature service:logs for cloudwatch_logs, service:firehose for kinesis_firehose).".to_owned(),
        );
    }
    if request.features.contains(&Feature::PrivateRegistryAuth) {
        notes.push(
            "private-registry-auth: the credentials come from Secrets Manager, but the registry itself is outside AWS and no endpoint reaches it; mirror its images with an ECR pull-through cache.".to_owned(),
        );
    }
    if request.features.contains(&Feature::Xray) && request.kind.is_ecs() {
        notes.push(
            "X-Ray: run the daemon as a sidecar from an image in ECR (public.ecr.aws/xray/aws-xray-daemon through a pull-through cache, or a copy).".to_owned(),
        );
    }
    if request.features.contains(&Feature::Efs) {
        notes.push(
            "EFS needs no endpoint: a mount target in each AZ, NFS (tcp/2049) allowed from the workload to it, and VPC DNS on.".to_owned(),
        );
    }
    let external = request
        .images
        .iter()
        .any(|i| !matches!(images::classify(i), ImageSource::Ecr { .. }));
    if external {
        notes.push(format!(
            "A pull-through cache pulls its first copy of an image from the upstream registry, which ECR documents as needing a NAT path from the VPC when ECR is reached through endpoints: pull each image once from outside the VPC. The ECR endpoints' policies must then also allow {}.",
            catalog::PULL_THROUGH_CACHE_ACTIONS.join(" and ")
        ));
    }
    let unknown_calls: Vec<&str> = request
        .features
        .iter()
        .filter_map(|f| match f {
            Feature::Service(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    if !unknown_calls.is_empty() {
        notes.push(format!(
            "privlink does not know which calls the application makes to {}: their endpoints keep the default policy (full access).",
            unknown_calls.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn request(kind: WorkloadKind, features: &[&str]) -> Request {
        Request {
            kind,
            features: features
                .iter()
                .map(|f| f.parse().expect("feature"))
                .collect(),
            platform_version: None,
            images: Vec::new(),
            region: "ap-northeast-1".to_owned(),
            azs: 2,
        }
    }

    fn services(plan: &Plan) -> Vec<(&str, Option<EndpointKind>)> {
        plan.rows
            .iter()
            .map(|r| (r.requirement.service.as_str(), r.endpoint))
            .collect()
    }

    #[test]
    fn fargate_with_secrets() {
        let plan = Plan::new(request(
            WorkloadKind::EcsFargate,
            &["awslogs", "ssm", "secretsmanager"],
        ));
        use EndpointKind::{Gateway, Interface};
        assert_eq!(
            services(&plan),
            [
                ("ecr.api", Some(Interface)),
                ("secretsmanager", Some(Interface)),
                ("ssm", Some(Interface)),
                ("ecr.dkr", Some(Interface)),
                ("s3", Some(Gateway)),
                ("logs", Some(Interface)),
            ]
        );
        assert_eq!(
            plan.rows[0].service_name.as_deref(),
            Some("com.amazonaws.ap-northeast-1.ecr.api")
        );
        let gateway: Vec<&str> = plan
            .local_endpoints()
            .map(|r| r.requirement.service.as_str())
            .collect();
        assert_eq!(gateway.last(), Some(&"s3"), "gateway endpoints come last");
    }

    #[test]
    fn fargate_1_3_needs_no_ecr_api_and_says_the_version_is_retired() {
        let mut r = request(WorkloadKind::EcsFargate, &["awslogs"]);
        r.platform_version = Some("1.3.0".to_owned());
        let plan = Plan::new(r);
        assert!(!plan.rows.iter().any(|r| r.requirement.service == "ecr.api"));
        assert!(plan.notes[0].contains("retired"), "{:?}", plan.notes);
    }

    #[test]
    fn docker_hub_images_need_a_pull_through_cache_not_an_endpoint() {
        let mut r = request(WorkloadKind::EcsFargate, &["awslogs"]);
        r.images = vec!["nginx:1.27".to_owned()];
        let plan = Plan::new(r);
        let hub = plan
            .rows
            .iter()
            .find(|r| r.requirement.service == "registry-1.docker.io")
            .expect("a row for Docker Hub");
        assert_eq!(hub.endpoint, None);
        assert_eq!(hub.service_name, None);
        assert_eq!(
            hub.pull_through,
            Some(PullThrough {
                prefix: "docker-hub",
                upstream: "registry-1.docker.io".to_owned(),
                image: "ACCOUNT.dkr.ecr.ap-northeast-1.amazonaws.com/docker-hub/library/nginx:1.27"
                    .to_owned(),
            })
        );
        assert!(
            plan.notes
                .iter()
                .any(|n| n.contains("ecr:BatchImportUpstreamImage"))
        );
    }

    #[test]
    fn application_services_keep_the_default_policy() {
        let plan = Plan::new(request(WorkloadKind::EksNode, &["service:sqs"]));
        let sqs = plan
            .rows
            .iter()
            .find(|r| r.requirement.service == "sqs")
            .expect("sqs");
        assert_eq!(sqs.endpoint, Some(EndpointKind::Interface));
        assert_eq!(sqs.policy, None);
        assert!(plan.notes.iter().any(|n| n.contains("sqs")));
    }

    #[test]
    fn command_lines_reproduce_the_request() {
        let mut r = request(WorkloadKind::EcsFargate, &["awslogs", "service:sqs"]);
        r.platform_version = Some("1.4.0".to_owned());
        r.azs = 3;
        assert_eq!(
            Plan::new(r).command_line("terraform"),
            "privlink plan --kind ecs-fargate --feature awslogs --feature service:sqs --platform-version 1.4.0 --region ap-northeast-1 --azs 3 --format terraform"
        );
    }
}
