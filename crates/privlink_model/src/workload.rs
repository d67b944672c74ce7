//! Container workloads: what runs in the subnets and therefore which AWS services must be reachable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Known, Location, Partial, Provenance, ResourceId};

/// What kind of compute runs the containers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadKind {
    /// ECS tasks on Fargate.
    EcsFargate,
    /// ECS tasks on EC2 container instances.
    EcsEc2,
    /// EKS worker nodes (managed or self-managed node groups).
    EksNode,
    /// EKS pods on Fargate.
    EksFargate,
}

impl WorkloadKind {
    /// Every kind, in display order.
    pub const ALL: [WorkloadKind; 4] = [
        Self::EcsFargate,
        Self::EcsEc2,
        Self::EksNode,
        Self::EksFargate,
    ];

    /// The spelling used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcsFargate => "ecs-fargate",
            Self::EcsEc2 => "ecs-ec2",
            Self::EksNode => "eks-node",
            Self::EksFargate => "eks-fargate",
        }
    }

    /// Whether the workload is ECS.
    pub fn is_ecs(self) -> bool {
        matches!(self, Self::EcsFargate | Self::EcsEc2)
    }

    /// Whether the workload is EKS.
    pub fn is_eks(self) -> bool {
        matches!(self, Self::EksNode | Self::EksFargate)
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkloadKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!("unknown workload kind `{s}`; expected one of ecs-fargate, ecs-ec2, eks-node, eks-fargate")
        })
    }
}

/// A feature of a workload that needs an AWS service of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Feature {
    /// `awslogs` log driver (CloudWatch Logs).
    Awslogs,
    /// Secrets from Secrets Manager.
    SecretsManager,
    /// Secrets from SSM Parameter Store.
    Ssm,
    /// `repositoryCredentials` for a private registry outside AWS.
    PrivateRegistryAuth,
    /// ECS Exec / Session Manager.
    Exec,
    /// X-Ray daemon.
    Xray,
    /// EFS volumes.
    Efs,
    /// ECS Service Connect.
    ServiceConnect,
    /// FireLens log router.
    Firelens,
    /// Any other AWS service the application calls, by endpoint suffix (`service:sqs`).
    Service(String),
}

impl Feature {
    /// The named features (everything but `service:NAME`), in display order.
    pub const NAMED: [Feature; 9] = [
        Self::Awslogs,
        Self::SecretsManager,
        Self::Ssm,
        Self::PrivateRegistryAuth,
        Self::Exec,
        Self::Xray,
        Self::Efs,
        Self::ServiceConnect,
        Self::Firelens,
    ];
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Awslogs => f.write_str("awslogs"),
            Self::SecretsManager => f.write_str("secretsmanager"),
            Self::Ssm => f.write_str("ssm"),
            Self::PrivateRegistryAuth => f.write_str("private-registry-auth"),
            Self::Exec => f.write_str("exec"),
            Self::Xray => f.write_str("xray"),
            Self::Efs => f.write_str("efs"),
            Self::ServiceConnect => f.write_str("service-connect"),
            Self::Firelens => f.write_str("firelens"),
            Self::Service(s) => write!(f, "service:{s}"),
        }
    }
}

impl FromStr for Feature {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(service) = s.strip_prefix("service:") {
            let valid = !service.is_empty()
                && service
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
            return if valid {
                Ok(Self::Service(service.to_owned()))
            } else {
                Err(format!(
                    "`{s}`: a service is named by its endpoint suffix, e.g. service:sqs or service:ecr.api"
                ))
            };
        }
        Self::NAMED.into_iter().find(|f| f.to_string() == s).ok_or_else(|| {
            format!(
                "unknown feature `{s}`; expected one of awslogs, secretsmanager, ssm, private-registry-auth, exec, xray, efs, service-connect, firelens, or service:NAME"
            )
        })
    }
}

impl From<Feature> for String {
    fn from(value: Feature) -> Self {
        value.to_string()
    }
}

impl TryFrom<String> for Feature {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// A container image reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The reference as written (`nginx:1.27`, `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1`).
    pub reference: Known<String>,
    /// The container that uses it.
    pub container: Option<String>,
    /// Where it is written.
    pub location: Option<Location>,
}

/// A container workload placed in subnets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// A short name, unique within the model (the ECS service or node group name).
    pub name: String,
    /// What runs it.
    pub kind: WorkloadKind,
    /// Fargate platform version as written (`1.4.0`, `LATEST`, `1.3.0`); `None` means the default.
    pub platform_version: Option<String>,
    /// Whether the tasks run Windows containers (Fargate Windows needs `ecr.api` on every version).
    pub windows: bool,
    /// The subnets its tasks, pods or nodes are placed in.
    pub subnets: Partial<ResourceId>,
    /// Its security groups; empty means the VPC default security group (ECS `awsvpc`).
    pub security_groups: Partial<ResourceId>,
    /// Whether tasks get a public IP (`assign_public_ip`); `None` for instances (EC2 container
    /// instances, EKS nodes), which follow their subnet's `map_public_ip_on_launch`.
    pub assign_public_ip: Option<Known<bool>>,
    /// Features that need services of their own.
    pub features: Vec<Feature>,
    /// Container images.
    pub images: Vec<Image>,
    /// EFS file systems it mounts.
    pub efs_file_systems: Vec<Known<ResourceId>>,
    /// The EKS cluster, for EKS workloads.
    pub cluster: Option<ResourceId>,
    /// Whether privlink assumed this workload because the inputs define none.
    pub assumed: bool,
    /// Where it came from.
    pub provenance: Provenance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_round_trip() {
        for f in Feature::NAMED {
            assert_eq!(f.to_string().parse::<Feature>().unwrap(), f);
        }
        assert_eq!(
            "service:sqs".parse::<Feature>().unwrap(),
            Feature::Service("sqs".into())
        );
        assert!("service:".parse::<Feature>().is_err());
        assert!("logs".parse::<Feature>().unwrap_err().contains("awslogs"));
    }

    #[test]
    fn kinds_round_trip() {
        for k in WorkloadKind::ALL {
            assert_eq!(k.as_str().parse::<WorkloadKind>().unwrap(), k);
        }
        assert!("fargate".parse::<WorkloadKind>().is_err());
    }
}
