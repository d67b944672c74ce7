//! Security-group and network-ACL evaluation, exact over address and port ranges.
//!
//! Both evaluate a [`TrafficSet`] (the peer's addresses × the ports in question) against rules:
//! security groups are allow-only and stateful (any rule of any group may allow a part); network
//! ACLs are ordered, first match wins, and stateless (the caller checks the return direction too).

use privlink_model::net::{Ipv4Range, PortRange, Protocol, TrafficSet};
use privlink_model::{
    Direction, Known, Location, NaclAction, Partial, PrefixListRef, Provenance, ResourceId, SgPeer,
    SgRule,
};

use super::network::Network;

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// Allowed; the detail names what allowed it.
    Ok {
        /// What allowed it.
        detail: String,
        /// The rule that allowed it.
        by: Option<Provenance>,
    },
    /// Dropped.
    Blocked {
        /// Why.
        detail: String,
        /// The element to change.
        element: ResourceId,
        /// Where the deciding rule (or the element) is written.
        location: Option<Location>,
    },
    /// The inputs do not determine it.
    Unknown(String),
}

/// The far side of a security-group check.
#[derive(Debug)]
pub struct Peer<'a> {
    /// Its addresses.
    pub ranges: Vec<Ipv4Range>,
    /// The security groups it is a member of.
    pub groups: &'a [ResourceId],
    /// The gateway service it is (`s3`, `dynamodb`), so rules naming that service's prefix list
    /// match it.
    pub prefix_list_service: Option<&'a str>,
    /// The region, when known (S3 prefix lists are per region).
    pub region: Option<&'a str>,
    /// How to name it in messages.
    pub name: String,
}

fn range_text(ranges: &[Ipv4Range]) -> String {
    match ranges {
        [one] => one.to_string(),
        _ => "public addresses".to_owned(),
    }
}

/// Removes every range × `ports` from `set`; returns whether anything was removed.
fn subtract_all(
    set: &mut TrafficSet,
    ranges: impl Iterator<Item = Ipv4Range>,
    ports: PortRange,
) -> bool {
    let mut removed = false;
    for range in ranges {
        removed |= set.subtract(range, ports);
    }
    removed
}

/// Whether a prefix list is `service`'s in `region`.
fn prefix_list_is(
    net: &Network<'_>,
    pl: &PrefixListRef,
    service: &str,
    region: Option<&str>,
) -> Option<bool> {
    let in_region = |r: &str| region.is_none_or(|want| want == r);
    match pl {
        PrefixListRef::OfEndpoint { endpoint } => {
            let e = net.model.endpoints.get(endpoint)?;
            let s = e.service()?;
            Some(s.service == service && in_region(&s.region))
        }
        PrefixListRef::AwsManaged { name } => name.value().map(|n| {
            privlink_model::ServiceName::parse(n)
                .is_some_and(|s| s.service == service && in_region(&s.region))
        }),
        PrefixListRef::Id { service: of, .. } => of.as_ref().map(|s| s == service),
        PrefixListRef::CustomerManaged { .. } => Some(false),
        PrefixListRef::Unknown(_) => None,
    }
}

/// Whether `groups` allow TCP on `ports` toward (egress) or from (ingress) `peer`.
pub fn security_groups_allow(
    net: &Network<'_>,
    groups: &Partial<ResourceId>,
    direction: Direction,
    peer: &Peer<'_>,
    ports: PortRange,
) -> Check {
    let mut remaining = TrafficSet::from_ranges(&peer.ranges, ports);
    let mut undetermined: Option<String> = groups.unknown.as_ref().map(|u| u.reason.clone());
    let mut first_allow: Option<Provenance> = None;
    let word = if direction == Direction::Egress {
        "egress"
    } else {
        "ingress"
    };
    for id in groups {
        let Some(sg) = net.model.security_groups.get(id) else {
            undetermined.get_or_insert_with(|| format!("{id} is not in the inputs"));
            continue;
        };
        let rules: &Partial<SgRule> = if direction == Direction::Egress {
            &sg.egress
        } else {
            &sg.ingress
        };
        if let Some(u) = &rules.unknown {
            undetermined.get_or_insert_with(|| {
                format!("the {word} rules of {id} are not all known ({})", u.reason)
            });
        }
        for rule in rules {
            if !rule.protocol.matches(Protocol::Tcp) || rule.ports.intersect(ports).is_none() {
                continue;
            }
            let removed = match &rule.peer {
                SgPeer::Ipv4(cidr) => remaining.subtract(Ipv4Range::from_net(*cidr), rule.ports),
                SgPeer::SecurityGroup(g) if peer.groups.contains(g) => {
                    subtract_all(&mut remaining, peer.ranges.iter().copied(), rule.ports)
                }
                SgPeer::SecurityGroup(_) | SgPeer::Ipv6(_) => false,
                SgPeer::PrefixList(PrefixListRef::CustomerManaged { cidrs, .. }) => subtract_all(
                    &mut remaining,
                    cidrs.iter().map(|c| Ipv4Range::from_net(*c)),
                    rule.ports,
                ),
                SgPeer::PrefixList(pl) => {
                    match peer
                        .prefix_list_service
                        .map(|service| prefix_list_is(net, pl, service, peer.region))
                    {
                        Some(Some(true)) => {
                            subtract_all(&mut remaining, peer.ranges.iter().copied(), rule.ports)
                        }
                        Some(None) => {
                            undetermined.get_or_insert_with(|| format!("privlink cannot tell which service a prefix list in {id} belongs to"));
                            false
                        }
                        _ => false,
                    }
                }
                SgPeer::Unknown(u) => {
                    undetermined.get_or_insert_with(|| {
                        format!("a rule of {id} has an unknown peer ({})", u.reason)
                    });
                    false
                }
            };
            if removed && first_allow.is_none() {
                first_allow = Some(rule.provenance.clone());
            }
            if remaining.is_empty() {
                return Check::Ok {
                    detail: format!(
                        "{word} tcp/{ports} {} {} allowed by {}",
                        if direction == Direction::Egress {
                            "to"
                        } else {
                            "from"
                        },
                        peer.name,
                        rule.provenance.address
                    ),
                    by: first_allow,
                };
            }
        }
    }
    if let Some(reason) = undetermined {
        return Check::Unknown(reason);
    }
    let names: Vec<String> = groups.iter().map(ToString::to_string).collect();
    let element = groups
        .iter()
        .next()
        .cloned()
        .unwrap_or_else(|| ResourceId::new("(no security group)"));
    let location = net
        .model
        .security_groups
        .get(&element)
        .and_then(|sg| sg.provenance.location.clone());
    let gap = remaining
        .sample()
        .map(|(r, p)| {
            format!(
                " (e.g. tcp/{p} {} {})",
                if direction == Direction::Egress {
                    "to"
                } else {
                    "from"
                },
                range_text(&[r])
            )
        })
        .unwrap_or_default();
    Check::Blocked {
        detail: format!(
            "no {word} rule of {} allows tcp/{ports} {} {}{gap}",
            names.join(", "),
            if direction == Direction::Egress {
                "to"
            } else {
                "from"
            },
            peer.name
        ),
        element,
        location,
    }
}

/// Whether the network ACL of `subnet` lets TCP on `ports` from/to `peer` cross in `direction`.
pub fn acl_allows(
    net: &Network<'_>,
    subnet: &ResourceId,
    direction: Direction,
    peer: &[Ipv4Range],
    peer_name: &str,
    ports: PortRange,
) -> Check {
    let acl_id = match net.acl(subnet) {
        Known::Value(id) => id,
        Known::Unknown(u) => return Check::Unknown(u.reason),
    };
    let Some(acl) = net.model.network_acls.get(&acl_id) else {
        return Check::Unknown(format!("{acl_id} is not in the inputs"));
    };
    let (word, prep) = if direction == Direction::Egress {
        ("outbound", "to")
    } else {
        ("inbound", "from")
    };
    let mut entries: Vec<_> = acl
        .entries
        .iter()
        .filter(|e| e.direction == direction)
        .collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut remaining = TrafficSet::from_ranges(peer, ports);
    let mut first_allow = None;
    for entry in entries {
        if !entry.protocol.matches(Protocol::Tcp) {
            continue;
        }
        let cidr = match &entry.cidr {
            Known::Value(c) => Ipv4Range::from_net(*c),
            Known::Unknown(u) => {
                return Check::Unknown(format!(
                    "{acl_id} rule {} has an unknown CIDR ({})",
                    entry.rule_number, u.reason
                ));
            }
        };
        if !remaining.overlaps(cidr, entry.ports) {
            continue;
        }
        match entry.action {
            NaclAction::Deny => {
                return Check::Blocked {
                    detail: format!(
                        "{acl_id} {word} rule {} denies tcp/{} {prep} {peer_name}",
                        entry.rule_number, entry.ports
                    ),
                    element: acl_id.clone(),
                    location: entry
                        .provenance
                        .location
                        .clone()
                        .or_else(|| acl.provenance.location.clone()),
                };
            }
            NaclAction::Allow => {
                remaining.subtract(cidr, entry.ports);
                first_allow.get_or_insert_with(|| entry.provenance.clone());
                if remaining.is_empty() {
                    return Check::Ok {
                        detail: format!(
                            "{acl_id} {word} rule {} allows tcp/{ports} {prep} {peer_name}",
                            entry.rule_number
                        ),
                        by: first_allow,
                    };
                }
            }
        }
    }
    if let Some(u) = &acl.entries.unknown {
        return Check::Unknown(format!(
            "the entries of {acl_id} are not all known ({})",
            u.reason
        ));
    }
    let gap = remaining
        .sample()
        .map(|(r, p)| format!("tcp/{p} {prep} {}", range_text(&[r])))
        .unwrap_or_default();
    Check::Blocked {
        detail: format!("{acl_id} has no {word} rule allowing {gap}; the final * rule denies it"),
        element: acl_id.clone(),
        location: acl.provenance.location.clone(),
    }
}
