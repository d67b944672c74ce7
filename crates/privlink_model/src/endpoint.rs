//! VPC endpoints.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId};

/// The type of a VPC endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// PrivateLink: ENIs with security groups in chosen subnets, reached through private DNS.
    Interface,
    /// A route to the service's prefix list on chosen route tables (S3, DynamoDB).
    Gateway,
    /// A Gateway Load Balancer endpoint.
    GatewayLoadBalancer,
}

impl EndpointKind {
    /// Parses the API spelling (`Interface`, `Gateway`, `GatewayLoadBalancer`), case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "interface" => Some(Self::Interface),
            "gateway" => Some(Self::Gateway),
            "gatewayloadbalancer" => Some(Self::GatewayLoadBalancer),
            _ => None,
        }
    }
}

impl fmt::Display for EndpointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Interface => "Interface",
            Self::Gateway => "Gateway",
            Self::GatewayLoadBalancer => "GatewayLoadBalancer",
        })
    }
}

/// The region of a run whose inputs name none, as written in names built from it: a template set
/// checked without `--region` deploys to one region, the same for all of it, so
/// `com.amazonaws.${AWS::Region}.logs` is read as `com.amazonaws.REGION.logs` and serves the
/// workloads of that run whatever the region turns out to be.
pub const RUN_REGION: &str = "REGION";

/// A parsed AWS service endpoint name: `com.amazonaws.<region>.<service>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceName {
    /// The region named in the service name.
    pub region: String,
    /// The service suffix: `ecr.api`, `ecr.dkr`, `s3`, `logs`, ...
    pub service: String,
}

impl ServiceName {
    /// Parses `com.amazonaws.REGION.SERVICE` (and the China `cn.com.amazonaws.` form). Endpoint
    /// services of other providers (`com.amazonaws.vpce.REGION.vpce-svc-...`) are not AWS services
    /// and give `None`. The region may be [`RUN_REGION`], the run's region when no input names it.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("cn.").unwrap_or(text);
        let rest = rest.strip_prefix("com.amazonaws.")?;
        let (region, service) = rest.split_once('.')?;
        if !(looks_like_region(region) || region == RUN_REGION) || service.is_empty() {
            return None;
        }
        Some(Self {
            region: region.to_owned(),
            service: service.to_owned(),
        })
    }

    /// Whether the name is written with the run's region ([`RUN_REGION`]) rather than a region name.
    pub fn in_run_region(&self) -> bool {
        self.region == RUN_REGION
    }

    /// The canonical name for a region and service.
    pub fn format(region: &str, service: &str) -> String {
        format!("com.amazonaws.{region}.{service}")
    }
}

/// Whether `text` has the shape of an AWS region name (`ap-northeast-1`, `us-gov-west-1`).
pub fn looks_like_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

/// Whether `text` names an AWS region as AWS names them: a known geography (`us`, `eu`, `ap`,
/// ...), an optional partition part (`gov`, `iso`, `isob`, ...), a direction and a number
/// (`ap-northeast-1`, `us-gov-west-1`). Regions AWS opens later follow the same pattern;
/// `xx-fake-9` does not.
pub fn is_region_name(text: &str) -> bool {
    const GEOGRAPHIES: &[&str] = &["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"];
    const DIRECTIONS: &[&str] = &[
        "central",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    let parts: Vec<&str> = text.split('-').collect();
    looks_like_region(text)
        && GEOGRAPHIES.contains(&parts[0])
        && DIRECTIONS.contains(&parts[parts.len() - 2])
        && parts[1..parts.len() - 2]
            .iter()
            .all(|p| *p == "gov" || p.starts_with("iso"))
}

/// A VPC endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VpcEndpoint {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it is in.
    pub vpc: Known<ResourceId>,
    /// The full service name, e.g. `com.amazonaws.ap-northeast-1.ecr.dkr`.
    pub service_name: Known<String>,
    /// Interface, gateway or GWLB (Terraform's default is `Gateway`, CloudFormation's too).
    pub kind: Known<EndpointKind>,
    /// Whether private DNS is on (Terraform and CloudFormation default false).
    pub private_dns: Known<bool>,
    /// For interface endpoints: the subnets that get an ENI.
    pub subnets: Partial<ResourceId>,
    /// For interface endpoints: the security groups; empty means AWS attaches the VPC default group.
    pub security_groups: Partial<ResourceId>,
    /// For gateway endpoints: the route tables that get the prefix-list route.
    pub route_tables: Partial<ResourceId>,
    /// The endpoint policy document as JSON text; `None` means the default full-access policy.
    pub policy: Known<Option<String>>,
    /// The region of the service for cross-region PrivateLink (`service_region`), when set.
    pub service_region: Option<Known<String>>,
}

impl VpcEndpoint {
    /// The parsed service name, when known and an AWS service.
    pub fn service(&self) -> Option<ServiceName> {
        self.service_name
            .value()
            .and_then(|n| ServiceName::parse(n))
    }

    /// The service suffix (`ecr.dkr`), when known.
    pub fn service_suffix(&self) -> Option<String> {
        self.service().map(|s| s.service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_follow_the_aws_pattern() {
        for name in [
            "ap-northeast-1",
            "us-gov-west-1",
            "us-isob-east-1",
            "il-central-1",
            "mx-central-1",
        ] {
            assert!(is_region_name(name), "{name}");
        }
        for name in ["xx-fake-9", "", "../../etc", "ap-northeast", "us-east-1a"] {
            assert!(!is_region_name(name), "{name}");
        }
    }

    #[test]
    fn parses_service_names() {
        let s = ServiceName::parse("com.amazonaws.ap-northeast-1.ecr.dkr").unwrap();
        assert_eq!(s.region, "ap-northeast-1");
        assert_eq!(s.service, "ecr.dkr");
        let s = ServiceName::parse("cn.com.amazonaws.cn-north-1.ecr.api").unwrap();
        assert_eq!(
            (s.region.as_str(), s.service.as_str()),
            ("cn-north-1", "ecr.api")
        );
        let s = ServiceName::parse("com.amazonaws.us-gov-west-1.s3").unwrap();
        assert_eq!(s.region, "us-gov-west-1");
        assert!(ServiceName::parse("com.amazonaws.vpce.us-east-1.vpce-svc-0123").is_none());
        assert!(ServiceName::parse("com.amazonaws.s3").is_none());
        let s = ServiceName::parse("com.amazonaws.REGION.logs").unwrap();
        assert!(s.in_run_region() && s.service == "logs");
        assert!(
            !ServiceName::parse("com.amazonaws.us-west-2.logs")
                .unwrap()
                .in_run_region()
        );
        assert!(ServiceName::parse("logs").is_none());
    }

    #[test]
    fn endpoint_kinds() {
        assert_eq!(
            EndpointKind::parse("Interface"),
            Some(EndpointKind::Interface)
        );
        assert_eq!(EndpointKind::parse("gateway"), Some(EndpointKind::Gateway));
        assert_eq!(EndpointKind::parse("x"), None);
    }
}
