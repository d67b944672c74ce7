//! Security groups (inline rules and the three kinds of separate rule resources) and network ACLs.

use privlink_model::{
    Direction, Known, NaclAction, NaclEntry, NetworkAcl, Partial, Provenance, ResourceId,
    SecurityGroup, SgPeer, SgRule, Unknown,
};

use super::Lowerer;
use super::attrs::{self, cidr_list, cidr_value, field, protocol_and_ports};
use crate::elements::{ElementKind, associate_network_acl, mark_acl_entries_unknown};
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

impl Lowerer<'_> {
    pub(super) fn security_group(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let vpc = match r.get("vpc_id") {
            Some(v) => self.resolve(v, ElementKind::Vpc, r.location_of("vpc_id").as_ref()),
            None => Known::unknown(format!(
                "{} is in the region's default VPC, which is not in the inputs",
                r.address
            )),
        };
        // Terraform deletes the allow-all egress rule AWS adds to a new group, so a group without
        // `egress` blocks has no egress until separate rule resources add some.
        let ingress = self.inline_sg_rules(r, &id, "ingress");
        let egress = self.inline_sg_rules(r, &id, "egress");
        self.model.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                is_default: false,
                ingress,
                egress,
            },
        );
    }

    pub(super) fn default_security_group(&mut self, r: &TfResource) {
        let Some(vpc) = r.get("vpc_id") else { return };
        let vpc = self.resolve(vpc, ElementKind::Vpc, r.location_of("vpc_id").as_ref());
        let id = ResourceId::new(&r.address);
        // Terraform manages exactly the rules written here and removes AWS's defaults.
        let ingress = self.inline_sg_rules(r, &id, "ingress");
        let egress = self.inline_sg_rules(r, &id, "egress");
        if let Known::Value(vpc_id) = &vpc
            && let Some(v) = self.model.vpcs.get_mut(vpc_id)
        {
            let old = std::mem::replace(&mut v.default_security_group, id.clone());
            self.model.security_groups.shift_remove(&old);
        }
        self.model.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                is_default: true,
                ingress,
                egress,
            },
        );
    }

    fn inline_sg_rules(&mut self, r: &TfResource, own: &ResourceId, name: &str) -> Partial<SgRule> {
        let mut rules = Partial::default();
        match attrs::blocks(r, name) {
            Ok(list) => {
                for (i, block) in list {
                    let at = r.location_of(&format!("{name}.{i}"));
                    let peers = [
                        ("cidr_blocks", PeerField::Cidrs),
                        ("ipv6_cidr_blocks", PeerField::Ipv6),
                        ("prefix_list_ids", PeerField::PrefixLists),
                        ("security_groups", PeerField::Groups),
                        ("self", PeerField::SelfFlag),
                    ];
                    let prov = Provenance::declared(&r.address, at.clone());
                    let rule = self.sg_rules_from(
                        block,
                        own,
                        &peers,
                        ("protocol", "from_port", "to_port"),
                        &prov,
                    );
                    rules.extend(rule);
                }
            }
            Err(u) => rules.mark_incomplete(u),
        }
        rules
    }

    /// The rules of one rule block, one per peer.
    fn sg_rules_from(
        &mut self,
        block: &Value,
        own: &ResourceId,
        peers: &[(&str, PeerField)],
        (protocol, from, to): (&str, &str, &str),
        provenance: &Provenance,
    ) -> Partial<SgRule> {
        let mut out = Partial::default();
        let (protocol, ports) = match protocol_and_ports(
            field(block, protocol),
            field(block, from),
            field(block, to),
        ) {
            Ok(pp) => pp,
            Err(u) => {
                out.mark_incomplete(u);
                return out;
            }
        };
        let at = provenance.location.clone();
        let mut push = |peer| {
            out.push(SgRule {
                protocol,
                ports,
                peer,
                provenance: provenance.clone(),
            });
        };
        let mut incomplete = Vec::new();
        for (name, kind) in peers {
            let Some(value) = field(block, name) else {
                continue;
            };
            match kind {
                PeerField::Cidrs | PeerField::Cidr => {
                    let list = if matches!(kind, PeerField::Cidr) {
                        Partial::complete(vec![cidr_value(value)])
                    } else {
                        cidr_list(Some(value))
                    };
                    for c in list.known {
                        push(match c {
                            Known::Value(net) => SgPeer::Ipv4(net),
                            Known::Unknown(u) => SgPeer::Unknown(u),
                        });
                    }
                    if let Some(u) = list.unknown {
                        push(SgPeer::Unknown(u));
                    }
                }
                PeerField::Ipv6 => {
                    for v in attrs::each_element(Some(value), |v| {
                        v.as_str().unwrap_or("(unknown)").to_owned()
                    })
                    .known
                    {
                        push(SgPeer::Ipv6(v));
                    }
                }
                PeerField::PrefixLists | PeerField::PrefixList => {
                    let values: Vec<Value> = match value {
                        Value::List(items) | Value::Set(items) => items.clone(),
                        single => vec![single.clone()],
                    };
                    incomplete.push(values);
                }
                PeerField::Group => push(
                    match self.resolve(value, ElementKind::SecurityGroup, at.as_ref()) {
                        Known::Value(id) => SgPeer::SecurityGroup(id),
                        Known::Unknown(u) => SgPeer::Unknown(u),
                    },
                ),
                PeerField::Groups => {
                    let ids =
                        self.resolve_list(Some(value), ElementKind::SecurityGroup, at.as_ref());
                    for id in ids.known {
                        push(SgPeer::SecurityGroup(id));
                    }
                    if let Some(u) = ids.unknown {
                        push(SgPeer::Unknown(u));
                    }
                }
                PeerField::SelfFlag => match value.as_bool() {
                    Some(true) => push(SgPeer::SecurityGroup(own.clone())),
                    Some(false) => {}
                    None => push(SgPeer::Unknown(attrs::unknown_of(value))),
                },
            }
        }
        for values in incomplete {
            for v in values {
                let pl = self.prefix_list(&v, at.as_ref());
                out.push(SgRule {
                    protocol,
                    ports,
                    peer: SgPeer::PrefixList(pl),
                    provenance: provenance.clone(),
                });
            }
        }
        out
    }

    pub(super) fn security_group_rule(&mut self, r: &TfResource) {
        let prov = Provenance::declared(&r.address, r.location.clone());
        let (direction, rules) = if r.resource_type == "aws_security_group_rule" {
            let direction = match r.get("type").and_then(Value::as_str) {
                Some("egress") => Direction::Egress,
                Some("ingress") => Direction::Ingress,
                _ => return,
            };
            let own = self.rule_group(r);
            let own_id = own
                .value()
                .cloned()
                .unwrap_or_else(|| ResourceId::new(&r.address));
            let block = Value::Map(r.attributes.clone());
            let peers = [
                ("cidr_blocks", PeerField::Cidrs),
                ("ipv6_cidr_blocks", PeerField::Ipv6),
                ("prefix_list_ids", PeerField::PrefixLists),
                ("source_security_group_id", PeerField::Group),
                ("self", PeerField::SelfFlag),
            ];
            (
                direction,
                (
                    own,
                    self.sg_rules_from(
                        &block,
                        &own_id,
                        &peers,
                        ("protocol", "from_port", "to_port"),
                        &prov,
                    ),
                ),
            )
        } else {
            let direction = if r.resource_type.ends_with("egress_rule") {
                Direction::Egress
            } else {
                Direction::Ingress
            };
            let own = self.rule_group(r);
            let own_id = own
                .value()
                .cloned()
                .unwrap_or_else(|| ResourceId::new(&r.address));
            let block = Value::Map(r.attributes.clone());
            let peers = [
                ("cidr_ipv4", PeerField::Cidr),
                ("cidr_ipv6", PeerField::Ipv6),
                ("prefix_list_id", PeerField::PrefixList),
                ("referenced_security_group_id", PeerField::Group),
            ];
            (
                direction,
                (
                    own,
                    self.sg_rules_from(
                        &block,
                        &own_id,
                        &peers,
                        ("ip_protocol", "from_port", "to_port"),
                        &prov,
                    ),
                ),
            )
        };
        let (group, rules) = rules;
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
                    r.address, u.reason
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

    fn rule_group(&mut self, r: &TfResource) -> Known<ResourceId> {
        self.resolve(
            r.get("security_group_id").unwrap_or(&Value::Null),
            ElementKind::SecurityGroup,
            r.location_of("security_group_id").as_ref(),
        )
    }

    pub(super) fn network_acl(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let subnets = self.resolve_list(
            r.get("subnet_ids"),
            ElementKind::Subnet,
            r.location_of("subnet_ids").as_ref(),
        );
        let entries = self.inline_nacl_entries(r);
        self.model.network_acls.insert(
            id.clone(),
            NetworkAcl {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                is_default: false,
                subnets,
                entries,
            },
        );
    }

    pub(super) fn default_network_acl(&mut self, r: &TfResource) {
        let vpc = self.companion_vpc(r.get("default_network_acl_id"), &["default_network_acl_id"]);
        let id = ResourceId::new(&r.address);
        let subnets = self.resolve_list(
            r.get("subnet_ids"),
            ElementKind::Subnet,
            r.location_of("subnet_ids").as_ref(),
        );
        let entries = self.inline_nacl_entries(r);
        if let Some(v) = vpc.as_ref().and_then(|vpc| self.model.vpcs.get_mut(vpc)) {
            let old = std::mem::replace(&mut v.default_network_acl, id.clone());
            self.model.network_acls.shift_remove(&old);
        }
        self.model.network_acls.insert(
            id.clone(),
            NetworkAcl {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc: vpc.map_or_else(
                    || Known::unknown("the VPC of this default network ACL is not in the inputs"),
                    Known::Value,
                ),
                is_default: true,
                subnets,
                entries,
            },
        );
    }

    fn inline_nacl_entries(&self, r: &TfResource) -> Partial<NaclEntry> {
        let mut entries = Partial::default();
        for (name, direction) in [
            ("ingress", Direction::Ingress),
            ("egress", Direction::Egress),
        ] {
            match attrs::blocks(r, name) {
                Ok(list) => {
                    for (i, block) in list {
                        let at = r.location_of(&format!("{name}.{i}"));
                        let fields = NaclFields {
                            rule_no: "rule_no",
                            action: "action",
                            cidr: "cidr_block",
                            v6: "ipv6_cidr_block",
                        };
                        match nacl_entry(
                            block,
                            direction,
                            &fields,
                            Provenance::declared(&r.address, at),
                        ) {
                            Ok(Some(e)) => entries.push(e),
                            Ok(None) => {}
                            Err(u) => entries.mark_incomplete(u),
                        }
                    }
                }
                Err(u) => entries.mark_incomplete(u),
            }
        }
        entries
    }

    pub(super) fn network_acl_rule(&mut self, r: &TfResource) {
        let acl = self.resolve(
            r.get("network_acl_id").unwrap_or(&Value::Null),
            ElementKind::NetworkAcl,
            r.location_of("network_acl_id").as_ref(),
        );
        let direction = match attrs::bool_or(r, "egress", false) {
            Known::Value(true) => Direction::Egress,
            Known::Value(false) => Direction::Ingress,
            Known::Unknown(u) => return self.mark_all_acls_incomplete(&r.address, &u),
        };
        let block = Value::Map(r.attributes.clone());
        let fields = NaclFields {
            rule_no: "rule_number",
            action: "rule_action",
            cidr: "cidr_block",
            v6: "ipv6_cidr_block",
        };
        let entry = nacl_entry(
            &block,
            direction,
            &fields,
            Provenance::declared(&r.address, r.location.clone()),
        );
        match (acl, entry) {
            (Known::Value(id), entry) => {
                if let Some(a) = self.model.network_acls.get_mut(&id) {
                    match entry {
                        Ok(Some(e)) => a.entries.push(e),
                        Ok(None) => {}
                        Err(u) => a.entries.mark_incomplete(u),
                    }
                }
            }
            (Known::Unknown(u), _) => self.mark_all_acls_incomplete(&r.address, &u),
        }
    }

    fn mark_all_acls_incomplete(&mut self, address: &str, u: &Unknown) {
        mark_acl_entries_unknown(&mut self.model, address, u);
    }

    pub(super) fn network_acl_association(&mut self, r: &TfResource) {
        let acl = self.resolve(
            r.get("network_acl_id").unwrap_or(&Value::Null),
            ElementKind::NetworkAcl,
            r.location_of("network_acl_id").as_ref(),
        );
        let subnet = self.resolve(
            r.get("subnet_id").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("subnet_id").as_ref(),
        );
        associate_network_acl(&mut self.model, acl, subnet);
    }
}

/// Which field of a rule block names the peer.
#[derive(Clone, Copy)]
enum PeerField {
    Cidrs,
    Cidr,
    Ipv6,
    PrefixLists,
    PrefixList,
    Groups,
    Group,
    SelfFlag,
}

struct NaclFields {
    rule_no: &'static str,
    action: &'static str,
    cidr: &'static str,
    v6: &'static str,
}

/// One NACL entry; `Ok(None)` for IPv6 entries, which privlink does not trace.
fn nacl_entry(
    block: &Value,
    direction: Direction,
    f: &NaclFields,
    provenance: Provenance,
) -> Result<Option<NaclEntry>, Unknown> {
    if field(block, f.cidr).is_none() && field(block, f.v6).is_some() {
        return Ok(None);
    }
    let (protocol, ports) = protocol_and_ports(
        field(block, "protocol"),
        field(block, "from_port"),
        field(block, "to_port"),
    )?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rule_number = field(block, f.rule_no)
        .and_then(Value::as_f64)
        .map(|n| n as u32)
        .ok_or_else(|| Unknown::new("a network ACL entry has no rule number"))?;
    let action = match field(block, f.action)
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
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
    let cidr = field(block, f.cidr).map_or_else(|| Known::unknown("no CIDR block"), cidr_value);
    Ok(Some(NaclEntry {
        rule_number,
        direction,
        protocol,
        ports,
        cidr,
        action,
        provenance,
    }))
}
