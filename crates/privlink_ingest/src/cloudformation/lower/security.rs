//! Security groups (inline rules, `AWS::EC2::SecurityGroupIngress` / `Egress`) and network ACLs
//! (`NetworkAcl`, `NetworkAclEntry`, `SubnetNetworkAclAssociation`).

use privlink_model::{
    Direction, Known, NaclAction, NaclEntry, NetworkAcl, Partial, Provenance, SecurityGroup,
    SgPeer, SgRule, Unknown,
};

use super::Lowerer;
use super::attrs::{self, cidr_value, items, protocol_and_ports};
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;
use crate::elements::{ElementKind, allow_all, associate_network_acl, mark_acl_entries_unknown};

/// The fields of a rule that name its peer, per direction.
const INGRESS_PEERS: [(&str, Peer); 4] = [
    ("CidrIp", Peer::Cidr),
    ("CidrIpv6", Peer::Ipv6),
    ("SourcePrefixListId", Peer::PrefixList),
    ("SourceSecurityGroupId", Peer::Group),
];
const EGRESS_PEERS: [(&str, Peer); 4] = [
    ("CidrIp", Peer::Cidr),
    ("CidrIpv6", Peer::Ipv6),
    ("DestinationPrefixListId", Peer::PrefixList),
    ("DestinationSecurityGroupId", Peer::Group),
];

#[derive(Clone, Copy)]
enum Peer {
    Cidr,
    Ipv6,
    PrefixList,
    Group,
}

impl Lowerer<'_> {
    pub(super) fn security_group(&mut self, r: &CfnResource) {
        let vpc = match r.get("VpcId") {
            Some(v) => self.resolve(v, ElementKind::Vpc, r.location_of("VpcId").as_ref()),
            None => Known::unknown(format!(
                "{} is in the region's default VPC, which is not in the inputs",
                r.id
            )),
        };
        let ingress = self.inline_rules(r, "SecurityGroupIngress", &INGRESS_PEERS);
        // Unlike Terraform, CloudFormation keeps the allow-all egress rule AWS gives a new group
        // unless the template lists egress rules of its own.
        let lists_egress = match r.get("SecurityGroupEgress") {
            None => false,
            Some(Value::List(rules)) => !rules.is_empty(),
            Some(_) => true,
        };
        let egress = if lists_egress {
            self.inline_rules(r, "SecurityGroupEgress", &EGRESS_PEERS)
        } else {
            let prov = Provenance::implicit(
                r.id.as_str(),
                r.location(),
                "AWS's default egress rule (the group lists no SecurityGroupEgress)",
            );
            Partial::complete(vec![allow_all(
                SgPeer::Ipv4("0.0.0.0/0".parse().expect("valid")),
                prov,
            )])
        };
        self.model.security_groups.insert(
            r.id.clone(),
            SecurityGroup {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc,
                is_default: false,
                ingress,
                egress,
            },
        );
    }

    fn inline_rules(
        &mut self,
        r: &CfnResource,
        name: &str,
        peers: &[(&str, Peer)],
    ) -> Partial<SgRule> {
        let mut rules = Partial::default();
        match items(r.get(name)) {
            Ok(list) => {
                for (i, rule) in list {
                    let prov =
                        Provenance::declared(r.id.as_str(), r.location_of(&format!("{name}.{i}")));
                    rules.extend(self.rules_from(rule, peers, &prov));
                }
            }
            Err(u) => rules.mark_incomplete(u),
        }
        rules
    }

    /// The rules of one rule mapping, one per peer.
    fn rules_from(
        &mut self,
        rule: &Value,
        peers: &[(&str, Peer)],
        provenance: &Provenance,
    ) -> Partial<SgRule> {
        let mut out = Partial::default();
        let (protocol, ports) = match protocol_and_ports(
            rule.get("IpProtocol"),
            rule.get("FromPort"),
            rule.get("ToPort"),
        ) {
            Ok(pp) => pp,
            Err(u) => {
                out.mark_incomplete(u);
                return out;
            }
        };
        let at = provenance.location.clone();
        for (field, kind) in peers {
            let Some(value) = rule
                .get(field)
                .filter(|v| !matches!(v, Value::Null | Value::Omitted))
            else {
                continue;
            };
            let peer = match kind {
                Peer::Cidr => match cidr_value(value) {
                    Known::Value(net) => SgPeer::Ipv4(net),
                    Known::Unknown(u) => SgPeer::Unknown(u),
                },
                Peer::Ipv6 => {
                    SgPeer::Ipv6(value.to_text().unwrap_or_else(|| "(unknown)".to_owned()))
                }
                Peer::PrefixList => SgPeer::PrefixList(self.prefix_list(value)),
                Peer::Group => match self.resolve(value, ElementKind::SecurityGroup, at.as_ref()) {
                    Known::Value(id) => SgPeer::SecurityGroup(id),
                    Known::Unknown(u) => SgPeer::Unknown(u),
                },
            };
            out.push(SgRule {
                protocol,
                ports,
                peer,
                provenance: provenance.clone(),
            });
        }
        if out.known.is_empty() && rule.get("SourceSecurityGroupName").is_some() {
            out.push(SgRule {
                protocol,
                ports,
                peer: SgPeer::Unknown(Unknown::new("a group named by name in the default VPC")),
                provenance: provenance.clone(),
            });
        }
        out
    }

    pub(super) fn security_group_rule(&mut self, r: &CfnResource) {
        let (direction, peers) = if r.resource_type.ends_with("Egress") {
            (Direction::Egress, &EGRESS_PEERS)
        } else {
            (Direction::Ingress, &INGRESS_PEERS)
        };
        let group = match r.get("GroupId") {
            Some(v) => self.resolve(
                v,
                ElementKind::SecurityGroup,
                r.location_of("GroupId").as_ref(),
            ),
            None => Known::unknown(format!(
                "{} names its group by GroupName, in the default VPC",
                r.id
            )),
        };
        let prov = Provenance::declared(r.id.as_str(), r.location());
        let rules = self.rules_from(&r.properties, peers, &prov);
        match group {
            Known::Value(id) => {
                if let Some(sg) = self.model.security_groups.get_mut(&id) {
                    match direction {
                        Direction::Ingress => sg.ingress.extend(rules),
                        Direction::Egress => sg.egress.extend(rules),
                    }
                }
            }
            Known::Unknown(u) => {
                let reason = Unknown::new(format!(
                    "{} adds a rule to a security group privlink cannot determine ({})",
                    r.id, u.reason
                ));
                for sg in self.model.security_groups.values_mut() {
                    match direction {
                        Direction::Ingress => sg.ingress.mark_incomplete(reason.clone()),
                        Direction::Egress => sg.egress.mark_incomplete(reason.clone()),
                    }
                }
            }
        }
    }

    pub(super) fn network_acl(&mut self, r: &CfnResource) {
        let vpc = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        );
        // A new network ACL denies everything until entries are added.
        self.model.network_acls.insert(
            r.id.clone(),
            NetworkAcl {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc,
                is_default: false,
                subnets: Partial::default(),
                entries: Partial::default(),
            },
        );
    }

    pub(super) fn network_acl_entry(&mut self, r: &CfnResource) {
        let acl = self.resolve(
            r.get("NetworkAclId").unwrap_or(&Value::Null),
            ElementKind::NetworkAcl,
            r.location_of("NetworkAclId").as_ref(),
        );
        let entry = nacl_entry(r);
        match acl {
            Known::Value(id) => {
                if let Some(a) = self.model.network_acls.get_mut(&id) {
                    match entry {
                        Ok(Some(e)) => a.entries.push(e),
                        Ok(None) => {}
                        Err(u) => a.entries.mark_incomplete(u),
                    }
                }
            }
            Known::Unknown(u) => {
                mark_acl_entries_unknown(&mut self.model, r.id.as_str(), &u);
            }
        }
    }

    pub(super) fn network_acl_association(&mut self, r: &CfnResource) {
        let acl = self.resolve(
            r.get("NetworkAclId").unwrap_or(&Value::Null),
            ElementKind::NetworkAcl,
            r.location_of("NetworkAclId").as_ref(),
        );
        let subnet = self.resolve(
            r.get("SubnetId").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("SubnetId").as_ref(),
        );
        associate_network_acl(&mut self.model, acl, subnet);
    }
}

/// One `AWS::EC2::NetworkAclEntry`; `Ok(None)` for IPv6 entries, which privlink does not trace.
fn nacl_entry(r: &CfnResource) -> Result<Option<NaclEntry>, Unknown> {
    if r.get("CidrBlock").is_none() && r.get("Ipv6CidrBlock").is_some() {
        return Ok(None);
    }
    let direction = match attrs::bool_or(r, "Egress", false) {
        Known::Value(true) => Direction::Egress,
        Known::Value(false) => Direction::Ingress,
        Known::Unknown(u) => return Err(u),
    };
    let (protocol, ports) = protocol_and_ports(
        r.get("Protocol"),
        r.get("PortRange.From"),
        r.get("PortRange.To"),
    )?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rule_number = r
        .get("RuleNumber")
        .and_then(Value::as_f64)
        .map(|n| n as u32)
        .ok_or_else(|| Unknown::new(format!("{} has no rule number", r.id)))?;
    let action = match r
        .get("RuleAction")
        .and_then(Value::to_text)
        .map(|a| a.to_ascii_lowercase())
        .as_deref()
    {
        Some("allow") => NaclAction::Allow,
        Some("deny") => NaclAction::Deny,
        _ => {
            return Err(Unknown::new(format!(
                "network ACL entry {rule_number} has no known action"
            )));
        }
    };
    let cidr = r
        .get("CidrBlock")
        .map_or_else(|| Known::unknown("no CIDR block"), cidr_value);
    Ok(Some(NaclEntry {
        rule_number,
        direction,
        protocol,
        ports,
        cidr,
        action,
        provenance: Provenance::declared(r.id.as_str(), r.location()),
    }))
}
