//! Route 53 hosted zones, their VPC associations (inline `vpc` blocks and
//! `aws_route53_zone_association`) and records (`aws_route53_record`, with `alias` or `records`).
//!
//! Names are kept as Route 53 stores them: lower case, without the trailing dot, and a record name
//! that does not end with its zone's name is relative to it (as the provider makes it).

use privlink_model::{
    DnsRecord, HostedZone, Known, Partial, Provenance, RecordTarget, ResourceId, ZoneAssociation,
};

use super::Lowerer;
use super::attrs::{self, field, string, string_value};
use crate::elements::ElementKind;
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

/// A DNS name as Route 53 stores it.
fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Lowerer<'_> {
    pub(super) fn hosted_zone(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let provenance = Provenance::declared(&r.address, r.location.clone());
        let name = string(r, "name")
            .unwrap_or_else(|| Known::unknown("the zone has no name"))
            .map(|n| normalise(&n));
        let (blocks, undetermined) = match attrs::blocks(r, "vpc") {
            Ok(blocks) => (blocks, None),
            Err(u) => (Vec::new(), Some(u)),
        };
        let private = !blocks.is_empty() || undetermined.is_some();
        if let Some(u) = undetermined {
            self.model.zone_associations.push(ZoneAssociation {
                zone: Known::Value(id.clone()),
                vpc: Known::Unknown(u),
                provenance: provenance.clone(),
            });
        }
        for (i, block) in &blocks {
            let at = r.location_of(&format!("vpc.{i}"));
            let vpc = self.resolve(
                field(block, "vpc_id").unwrap_or(&Value::Null),
                ElementKind::Vpc,
                at.as_ref(),
            );
            self.model.zone_associations.push(ZoneAssociation {
                zone: Known::Value(id.clone()),
                vpc,
                provenance: Provenance::declared(&r.address, at),
            });
        }
        self.model.hosted_zones.insert(
            id.clone(),
            HostedZone {
                id,
                provenance,
                name,
                private,
            },
        );
    }

    fn zone_ref(&mut self, r: &TfResource) -> Known<ResourceId> {
        self.resolve_named(r, "zone_id", &["aws_route53_zone"], &["id", "zone_id"])
    }

    pub(super) fn zone_association(&mut self, r: &TfResource) {
        let zone = self.zone_ref(r);
        if let Some(z) = zone
            .value()
            .and_then(|z| self.model.hosted_zones.get_mut(z))
        {
            z.private = true;
        }
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        self.model.zone_associations.push(ZoneAssociation {
            zone,
            vpc,
            provenance: Provenance::declared(&r.address, r.location.clone()),
        });
    }

    /// The VPC endpoint whose DNS name `value` is (`aws_vpc_endpoint.x.dns_entry[0].dns_name`).
    fn endpoint_of_dns_name(&self, value: Option<&Value>) -> Option<ResourceId> {
        let reference = value?.as_unknown()?.reference.as_ref()?;
        let target = self.by_address.get(reference.address.as_str())?;
        (target.resource_type == "aws_vpc_endpoint" && reference.attribute.starts_with("dns_entry"))
            .then(|| ResourceId::new(&reference.address))
    }

    pub(super) fn dns_record(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let zone = self.zone_ref(r);
        let zone_name = zone
            .value()
            .and_then(|z| self.model.hosted_zones.get(z))
            .map(|z| z.name.clone());
        let name = string(r, "name")
            .unwrap_or_else(|| Known::unknown("the record has no name"))
            .map(|n| {
                let n = normalise(&n);
                match &zone_name {
                    Some(Known::Value(z)) if n != *z && !n.ends_with(&format!(".{z}")) => {
                        format!("{n}.{z}")
                    }
                    _ => n,
                }
            });
        let alias = attrs::blocks(r, "alias").map(|b| b.first().map(|(_, b)| *b));
        let target = match alias {
            Err(u) => RecordTarget::Alias {
                dns_name: Known::Unknown(u),
                endpoint: None,
            },
            Ok(Some(block)) => {
                let value = field(block, "name");
                RecordTarget::Alias {
                    dns_name: value
                        .and_then(string_value)
                        .unwrap_or_else(|| Known::unknown("the alias has no name"))
                        .map(|n| normalise(&n)),
                    endpoint: self.endpoint_of_dns_name(value),
                }
            }
            Ok(None) => {
                let records = r.get("records");
                let endpoint = records
                    .and_then(Value::as_list)
                    .and_then(|l| l.first())
                    .and_then(|v| self.endpoint_of_dns_name(Some(v)));
                let mut values = Partial::default();
                let each = attrs::each_element(records, string_value);
                if let Some(u) = each.unknown {
                    values.mark_incomplete(u);
                }
                for v in each.known.into_iter().flatten() {
                    match v {
                        Known::Value(text) => values.push(normalise(&text)),
                        Known::Unknown(u) => values.mark_incomplete(u),
                    }
                }
                RecordTarget::Values { values, endpoint }
            }
        };
        self.model.dns_records.insert(
            id.clone(),
            DnsRecord {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                zone,
                name,
                record_type: string(r, "type").unwrap_or_else(|| Known::unknown("no type")),
                target,
            },
        );
    }
}
