//! Route 53 private hosted zones, their VPC associations and their records.
//!
//! A VPC's resolver answers a name from a private hosted zone associated with that VPC before
//! anything else, so a zone named like a service's endpoint (`ecr.api.REGION.amazonaws.com` or
//! `api.ecr.REGION.amazonaws.com`) whose record aliases an interface endpoint in another VPC sends
//! the service's traffic there. See
//! <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zones-private.html>.

use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId};

/// A Route 53 hosted zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostedZone {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The domain name, without the trailing dot, in lower case.
    pub name: Known<String>,
    /// Whether it is private (associated with VPCs) or public.
    pub private: bool,
}

/// An association of a private hosted zone with a VPC (an inline `vpc` block or a separate
/// association resource).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneAssociation {
    /// The zone.
    pub zone: Known<ResourceId>,
    /// The VPC.
    pub vpc: Known<ResourceId>,
    /// Where it is written.
    pub provenance: Provenance,
}

/// A record in a hosted zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The zone.
    pub zone: Known<ResourceId>,
    /// The full name, without the trailing dot, in lower case (`*.` for a wildcard).
    pub name: Known<String>,
    /// The record type (`A`, `AAAA`, `CNAME`, …).
    pub record_type: Known<String>,
    /// What it answers.
    pub target: RecordTarget,
}

/// What a record answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordTarget {
    /// An alias to another AWS name.
    Alias {
        /// The DNS name aliased.
        dns_name: Known<String>,
        /// The VPC endpoint whose DNS name it is, when the inputs say.
        endpoint: Option<ResourceId>,
    },
    /// Literal values (addresses for `A`, a name for `CNAME`).
    Values {
        /// The values.
        values: Partial<String>,
        /// The VPC endpoint a `CNAME` names, when the inputs say.
        endpoint: Option<ResourceId>,
    },
}

impl DnsRecord {
    /// Whether the record answers `host` (exactly, or through a `*.` wildcard one label deep or more).
    pub fn matches(&self, host: &str) -> bool {
        let Some(name) = self.name.value() else {
            return false;
        };
        match name.strip_prefix("*.") {
            Some(suffix) => host
                .strip_suffix(suffix)
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
            None => name == host,
        }
    }

    /// The endpoint the record sends its name to, when it names one.
    pub fn endpoint(&self) -> Option<&ResourceId> {
        match &self.target {
            RecordTarget::Alias { endpoint, .. } | RecordTarget::Values { endpoint, .. } => {
                endpoint.as_ref()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str) -> DnsRecord {
        DnsRecord {
            id: ResourceId::new("r"),
            provenance: Provenance::declared("r", None),
            zone: Known::Value(ResourceId::new("z")),
            name: Known::Value(name.to_owned()),
            record_type: Known::Value("A".to_owned()),
            target: RecordTarget::Values {
                values: Partial::default(),
                endpoint: None,
            },
        }
    }

    #[test]
    fn a_wildcard_matches_names_below_it_only() {
        let r = record("*.ecr.ap-northeast-1.amazonaws.com");
        assert!(r.matches("api.ecr.ap-northeast-1.amazonaws.com"));
        assert!(!r.matches("ecr.ap-northeast-1.amazonaws.com"));
        assert!(!r.matches("api.ecr.us-east-1.amazonaws.com"));
        assert!(
            record("logs.ap-northeast-1.amazonaws.com")
                .matches("logs.ap-northeast-1.amazonaws.com")
        );
        assert!(
            !record("logs.ap-northeast-1.amazonaws.com")
                .matches("x.logs.ap-northeast-1.amazonaws.com")
        );
    }
}
