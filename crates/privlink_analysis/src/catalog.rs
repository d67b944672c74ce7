//! The service catalog: which AWS services each workload kind and feature needs, why, and the error
//! the workload stops with when one is unreachable.
//!
//! This is data. Adding a service or a requirement is one row. Facts and error strings come from
//! `shared/domain/aws-requirements.md` (section numbers in the comments); `{r}` in a template is the
//! region, `{host}` the service hostname.

use privlink_model::{Feature, WorkloadKind};

/// How a service is reached privately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// An interface endpoint (PrivateLink).
    Interface,
    /// A gateway endpoint (S3, DynamoDB).
    Gateway,
    /// A registry outside AWS: no endpoint serves it, only NAT or an internet gateway.
    Registry,
    /// NFS to an EFS mount target in the VPC.
    Nfs,
}

/// One AWS service privlink knows by name.
#[derive(Clone, Copy, Debug)]
pub struct ServiceSpec {
    /// Endpoint suffix: `ecr.api`.
    pub name: &'static str,
    /// Human name.
    pub title: &'static str,
    /// The hostname clients resolve, `{r}` = region.
    pub hostname: &'static str,
    /// How it is reached privately.
    pub access: Access,
}

/// Services with a known hostname. Any other `service:NAME` is an interface service at
/// `NAME.{r}.amazonaws.com`.
pub const SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        name: "ecr.api",
        title: "Amazon ECR API",
        hostname: "api.ecr.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ecr.dkr",
        title: "Amazon ECR registry",
        hostname: "ACCOUNT.dkr.ecr.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "s3",
        title: "Amazon S3",
        hostname: "prod-{r}-starport-layer-bucket.s3.{r}.amazonaws.com",
        access: Access::Gateway,
    },
    ServiceSpec {
        name: "dynamodb",
        title: "Amazon DynamoDB",
        hostname: "dynamodb.{r}.amazonaws.com",
        access: Access::Gateway,
    },
    ServiceSpec {
        name: "logs",
        title: "CloudWatch Logs",
        hostname: "logs.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "secretsmanager",
        title: "Secrets Manager",
        hostname: "secretsmanager.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ssm",
        title: "Systems Manager",
        hostname: "ssm.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ssmmessages",
        title: "Session Manager messages",
        hostname: "ssmmessages.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ec2messages",
        title: "EC2 messages",
        hostname: "ec2messages.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "kms",
        title: "AWS KMS",
        hostname: "kms.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ecs",
        title: "Amazon ECS",
        hostname: "ecs.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ecs-agent",
        title: "ECS agent (ACS)",
        hostname: "ecs-a.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ecs-telemetry",
        title: "ECS telemetry (TCS)",
        hostname: "ecs-t.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "sts",
        title: "AWS STS",
        hostname: "sts.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "ec2",
        title: "Amazon EC2 API",
        hostname: "ec2.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "eks",
        title: "Amazon EKS API",
        hostname: "eks.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "eks-auth",
        title: "EKS Pod Identity",
        hostname: "eks-auth.{r}.api.aws",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "elasticloadbalancing",
        title: "Elastic Load Balancing API",
        hostname: "elasticloadbalancing.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "autoscaling",
        title: "EC2 Auto Scaling API",
        hostname: "autoscaling.{r}.amazonaws.com",
        access: Access::Interface,
    },
    ServiceSpec {
        name: "xray",
        title: "AWS X-Ray",
        hostname: "xray.{r}.amazonaws.com",
        access: Access::Interface,
    },
];

/// The spec of a service; unknown names are interface services with the usual hostname.
pub fn service(name: &str) -> ServiceSpec {
    SERVICES
        .iter()
        .copied()
        .find(|s| s.name == name)
        .unwrap_or(ServiceSpec {
            name: "",
            title: "",
            hostname: "",
            access: Access::Interface,
        })
}

/// The hostname a client resolves for `service` in `region`.
pub fn hostname(name: &str, region: &str) -> String {
    let spec = service(name);
    if spec.hostname.is_empty() {
        format!("{name}.{region}.amazonaws.com")
    } else {
        spec.hostname.replace("{r}", region)
    }
}

/// Whether `service` is reached through a gateway endpoint.
pub fn is_gateway(name: &str) -> bool {
    service(name).access == Access::Gateway
}

/// When a requirement applies.
#[derive(Clone, Copy, Debug)]
pub enum When {
    /// Always, for the listed kinds.
    Always,
    /// When the workload pulls images from ECR (or its images are not known).
    PullsFromEcr,
    /// When it pulls from ECR and registry auth runs inside the VPC: Fargate platform 1.4.0 or
    /// later (and every Windows platform), every EC2-based kind.
    EcrAuthInVpc,
    /// When the workload has the feature.
    Has(FeatureKey),
}

/// The named features, for matching in `const` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureKey {
    /// `awslogs`.
    Awslogs,
    /// `secretsmanager`.
    SecretsManager,
    /// `ssm`.
    Ssm,
    /// `private-registry-auth`.
    PrivateRegistryAuth,
    /// `exec`.
    Exec,
    /// `xray`.
    Xray,
    /// `service-connect`.
    ServiceConnect,
}

impl FeatureKey {
    /// Whether `feature` is this key.
    pub fn matches(self, feature: &Feature) -> bool {
        matches!(
            (self, feature),
            (Self::Awslogs, Feature::Awslogs)
                | (Self::SecretsManager, Feature::SecretsManager)
                | (Self::Ssm, Feature::Ssm)
                | (Self::PrivateRegistryAuth, Feature::PrivateRegistryAuth)
                | (Self::Exec, Feature::Exec)
                | (Self::Xray, Feature::Xray)
                | (Self::ServiceConnect, Feature::ServiceConnect)
        )
    }
}

/// What the calls of a flow act on, for endpoint-policy evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallResource {
    /// `*` (the action takes no resource, e.g. `ecr:GetAuthorizationToken`).
    Any,
    /// The ECR repositories of the workload's images.
    EcrRepositories,
    /// An object of ECR's layer bucket, `arn:aws:s3:::prod-{r}-starport-layer-bucket/*` (§4.1).
    LayerBucket,
    /// Something the inputs do not name (a log group, a secret ARN privlink does not keep).
    Unnamed,
}

/// One requirement row.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The service (endpoint suffix).
    pub service: &'static str,
    /// The workload kinds it concerns.
    pub kinds: &'static [WorkloadKind],
    /// When it applies.
    pub when: When,
    /// Why the workload needs it, in a few words.
    pub purpose: &'static str,
    /// The error the workload hits without it (`{r}` region, `{host}` hostname).
    pub predicted_error: &'static str,
    /// The API actions the flow makes (for endpoint policies); empty when privlink does not know.
    pub actions: &'static [&'static str],
    /// What the actions act on.
    pub resource: CallResource,
}

use WorkloadKind::{EcsEc2, EcsFargate, EksFargate, EksNode};

const ECS: &[WorkloadKind] = &[EcsFargate, EcsEc2];
const ALL: &[WorkloadKind] = &[EcsFargate, EcsEc2, EksNode, EksFargate];
const EKS: &[WorkloadKind] = &[EksNode, EksFargate];

/// §6: "ecr.api unreachable — newer text".
const ECR_API_ERROR: &str = "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. RequestError: send request failed caused by: Post \"https://api.ecr.{r}.amazonaws.com/\": dial tcp ...:443: i/o timeout";
/// §6: ecr.dkr unreachable.
const ECR_DKR_ERROR: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref \"<acct>.dkr.ecr.{r}.amazonaws.com/<repo>:<tag>\": failed to do request: Head \"https://<acct>.dkr.ecr.{r}.amazonaws.com/v2/<repo>/manifests/<tag>\": dial tcp ...:443: i/o timeout";
/// §6: S3 gateway missing.
const S3_ERROR: &str = "CannotPullContainerError: ... error pulling image configuration: Get https://prod-{r}-starport-layer-bucket.s3.amazonaws.com/... (timeout; the manifest is fetched, the layers are not)";
/// §6: Kubernetes / EKS pull.
const EKS_PULL_ERROR: &str = "Failed to pull image \"...dkr.ecr.{r}.amazonaws.com/...\": rpc error: code = Unknown desc = failed to pull and unpack image ...: failed to resolve reference ...: failed to do request: Head \"https://...dkr.ecr.{r}.amazonaws.com/v2/.../manifests/...\": dial tcp ...:443: i/o timeout";

/// The actions of an image pull from ECR (§4.2; the task execution role's managed policy adds
/// `ecr:BatchCheckLayerAvailability`).
const ECR_PULL: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
];

/// The actions an image pull through an ECR pull-through cache adds to a plain pull (§4.2): the
/// import from the upstream registry and, on the first pull, the cached repository's creation.
pub const PULL_THROUGH_CACHE_ACTIONS: &[&str] =
    &["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];

/// Every requirement, in the order a task meets them at start-up (registry auth and secrets, image
/// manifest, layers, log stream, then features used while running), so the first failing one is the
/// error the task stops with.
pub const ROWS: &[Row] = &[
    // §1.1, §2: registry auth. Fargate ≤ 1.3.0 fetched it through a Fargate-owned ENI.
    Row {
        service: "ecr.api",
        kinds: ECS,
        when: When::EcrAuthInVpc,
        purpose: "registry auth (ecr:GetAuthorizationToken)",
        predicted_error: ECR_API_ERROR,
        actions: &["ecr:GetAuthorizationToken"],
        resource: CallResource::Any,
    },
    Row {
        service: "ecr.api",
        kinds: EKS,
        when: When::Always,
        purpose: "registry auth (ecr:GetAuthorizationToken)",
        predicted_error: EKS_PULL_ERROR,
        actions: &["ecr:GetAuthorizationToken"],
        resource: CallResource::Any,
    },
    // §1.2: secrets. Private registry credentials are a Secrets Manager secret too.
    Row {
        service: "secretsmanager",
        kinds: ECS,
        when: When::Has(FeatureKey::SecretsManager),
        purpose: "secrets injection (secretsmanager:GetSecretValue)",
        predicted_error: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried ...",
        actions: &["secretsmanager:GetSecretValue"],
        resource: CallResource::Unnamed,
    },
    Row {
        service: "secretsmanager",
        kinds: ECS,
        when: When::Has(FeatureKey::PrivateRegistryAuth),
        purpose: "private registry credentials (repositoryCredentials)",
        predicted_error: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: service call has been retried 1 time(s): asm fetching secret from the service for <name>: RequestError: ...",
        actions: &["secretsmanager:GetSecretValue"],
        resource: CallResource::Unnamed,
    },
    Row {
        service: "ssm",
        kinds: ECS,
        when: When::Has(FeatureKey::Ssm),
        purpose: "secrets injection (ssm:GetParameters)",
        predicted_error: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.",
        actions: &["ssm:GetParameters"],
        resource: CallResource::Unnamed,
    },
    // §2: the ECS agent on container instances.
    Row {
        service: "ecs",
        kinds: &[EcsEc2],
        when: When::Always,
        purpose: "agent registration (ecs:DiscoverPollEndpoint)",
        predicted_error: "Unable to discover poll endpoint ... RequestError: send request failed caused by: Post https://ecs.{r}.amazonaws.com/: dial tcp ...: i/o timeout",
        actions: &["ecs:DiscoverPollEndpoint"],
        resource: CallResource::Any,
    },
    Row {
        service: "ecs-agent",
        kinds: &[EcsEc2],
        when: When::Always,
        purpose: "agent communication (ACS, ecs:Poll)",
        predicted_error: "Error connecting to ACS: websocket client: unable to dial ecs-a-2.{r}.amazonaws.com ...: i/o timeout",
        actions: &["ecs:Poll"],
        resource: CallResource::Any,
    },
    Row {
        service: "ecs-telemetry",
        kinds: &[EcsEc2],
        when: When::Always,
        purpose: "agent telemetry (TCS, ecs:StartTelemetrySession)",
        predicted_error: "Unable to connect to TCS: ... ecs-t-1.{r}.amazonaws.com ...: i/o timeout (metrics and container health stop reaching ECS)",
        actions: &["ecs:StartTelemetrySession"],
        resource: CallResource::Any,
    },
    // §3.2: nodes.
    Row {
        service: "ec2",
        kinds: &[EksNode],
        when: When::Always,
        purpose: "node DNS name and VPC CNI (ec2:DescribeInstances, ENI management)",
        predicted_error: "Retrying waiting for IPAM-D (aws-node); the node group reports NodeCreationFailure",
        actions: &[],
        resource: CallResource::Unnamed,
    },
    Row {
        service: "sts",
        kinds: EKS,
        when: When::Always,
        purpose: "IAM roles for service accounts (sts:AssumeRoleWithWebIdentity)",
        predicted_error: "Retrying waiting for IPAM-D (aws-node cannot get credentials); pods using IRSA fail with WebIdentityErr ... dial tcp ...:443: i/o timeout",
        actions: &["sts:AssumeRoleWithWebIdentity"],
        resource: CallResource::Unnamed,
    },
    // §1.1, §3.2, §4.1: images.
    Row {
        service: "ecr.dkr",
        kinds: ECS,
        when: When::PullsFromEcr,
        purpose: "image manifest (Docker registry API)",
        predicted_error: ECR_DKR_ERROR,
        actions: ECR_PULL,
        resource: CallResource::EcrRepositories,
    },
    Row {
        service: "ecr.dkr",
        kinds: EKS,
        when: When::Always,
        purpose: "image manifest (Docker registry API)",
        predicted_error: EKS_PULL_ERROR,
        actions: ECR_PULL,
        resource: CallResource::EcrRepositories,
    },
    Row {
        service: "s3",
        kinds: ECS,
        when: When::PullsFromEcr,
        purpose: "image layers (prod-{r}-starport-layer-bucket)",
        predicted_error: S3_ERROR,
        actions: &["s3:GetObject"],
        resource: CallResource::LayerBucket,
    },
    Row {
        service: "s3",
        kinds: EKS,
        when: When::Always,
        purpose: "image layers (prod-{r}-starport-layer-bucket)",
        predicted_error: S3_ERROR,
        actions: &["s3:GetObject"],
        resource: CallResource::LayerBucket,
    },
    // §1.2: logs.
    Row {
        service: "logs",
        kinds: ECS,
        when: When::Has(FeatureKey::Awslogs),
        purpose: "awslogs log driver (logs:CreateLogStream, PutLogEvents)",
        predicted_error: "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post \"https://logs.{r}.amazonaws.com/\": dial tcp ...: i/o timeout",
        actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
        resource: CallResource::Unnamed,
    },
    Row {
        service: "logs",
        kinds: EKS,
        when: When::Always,
        purpose: "node and pod logs to CloudWatch Logs",
        predicted_error: "log agents on the nodes (Fluent Bit, CloudWatch agent) time out posting to https://logs.{r}.amazonaws.com/: dial tcp ...:443: i/o timeout",
        actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
        resource: CallResource::Unnamed,
    },
    // Features used while running.
    Row {
        service: "ssmmessages",
        kinds: ALL,
        when: When::Has(FeatureKey::Exec),
        purpose: "ECS Exec / Session Manager channels",
        predicted_error: "ECS Exec cannot open a session: there is an interface endpoint for ECS but none reachable for Systems Manager Session Manager (ssmmessages) (ECS Exec troubleshooting; exact client text not captured)",
        actions: &[
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ],
        resource: CallResource::Any,
    },
    Row {
        service: "xray",
        kinds: ALL,
        when: When::Has(FeatureKey::Xray),
        purpose: "X-Ray daemon (xray:PutTraceSegments)",
        predicted_error: "the X-Ray daemon fails to send segments: dial tcp ...:443: i/o timeout posting to https://xray.{r}.amazonaws.com/",
        actions: &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        resource: CallResource::Any,
    },
    Row {
        service: "ecs-agent",
        kinds: ECS,
        when: When::Has(FeatureKey::ServiceConnect),
        purpose: "Service Connect (Envoy management)",
        predicted_error: "the Service Connect proxy cannot reach its management endpoint (ecs-sc) and the service's connections fail",
        actions: &["ecs:Poll"],
        resource: CallResource::Any,
    },
];

/// The error for a `service:NAME` requirement.
pub const GENERIC_ERROR: &str = "calls to https://{host}/ time out: dial tcp ...:443: i/o timeout";

/// The error of a pull from a registry outside AWS without a path to it (the ECR form of §6 with
/// the registry's host: inference).
pub const REGISTRY_ERROR: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref \"{image}\": failed to do request: Head \"https://{host}/v2/...\": dial tcp ...:443: i/o timeout";

/// §6: EFS on Fargate when the file system's name does not resolve (no mount target reachable).
pub const EFS_ERROR: &str = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-xxxx.efs.{r}.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. ...";

/// Services that cross-region PrivateLink serves (domain notes, Updates).
pub const CROSS_REGION_SERVICES: &[&str] = &[
    "s3",
    "iam",
    "ecr.api",
    "ecr.dkr",
    "kms",
    "kms-fips",
    "ecs",
    "lambda",
    "firehose",
    "kinesisanalytics",
    "route53",
];

/// Whether a Fargate platform version fetches registry auth inside the VPC (1.4.0 and later; `LATEST`
/// is 1.4.0 on Linux). Versions privlink cannot parse are treated as current.
pub fn fargate_auth_in_vpc(platform_version: Option<&str>, windows: bool) -> bool {
    if windows {
        return true;
    }
    let Some(v) = platform_version else {
        return true;
    };
    if v.eq_ignore_ascii_case("LATEST") {
        return true;
    }
    let parts: Vec<u32> = v.split('.').map_while(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [major, minor, ..] => (*major, *minor) >= (1, 4),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_versions() {
        assert!(!fargate_auth_in_vpc(Some("1.3.0"), false));
        assert!(fargate_auth_in_vpc(Some("1.3.0"), true));
        assert!(fargate_auth_in_vpc(Some("1.4.0"), false));
        assert!(fargate_auth_in_vpc(Some("LATEST"), false));
        assert!(fargate_auth_in_vpc(None, false));
        assert!(!fargate_auth_in_vpc(Some("1.2.0"), false));
    }

    #[test]
    fn every_row_names_a_known_service_and_a_kind() {
        for row in ROWS {
            assert!(
                SERVICES.iter().any(|s| s.name == row.service),
                "{} has no service spec",
                row.service
            );
            assert!(!row.kinds.is_empty());
            assert!(!row.predicted_error.is_empty());
        }
    }

    #[test]
    fn hostnames() {
        assert_eq!(
            hostname("ecr.api", "ap-northeast-1"),
            "api.ecr.ap-northeast-1.amazonaws.com"
        );
        assert_eq!(hostname("sqs", "us-east-1"), "sqs.us-east-1.amazonaws.com");
        assert!(is_gateway("s3"));
        assert!(!is_gateway("logs"));
    }
}
