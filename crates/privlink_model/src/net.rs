//! Address and port algebra: protocols, port ranges, IPv4 ranges, and sets of (address, port) pairs.
//!
//! Security-group and network-ACL evaluation asks questions such as "does every address of subnet X
//! reach every port of the Linux ephemeral range through these rules?". [`TrafficSet`] answers them
//! exactly: it is a union of rectangles (an address range times a port range) that rules are carved
//! out of, so a rule that covers only part of a subnet, or only part of a port range, is seen as such.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

/// An IP protocol as security groups and network ACLs name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Every protocol (`-1`, `all`).
    All,
    /// TCP (6).
    Tcp,
    /// UDP (17).
    Udp,
    /// ICMP (1).
    Icmp,
    /// Any other protocol number.
    Number(u8),
}

impl Protocol {
    /// Parses the forms AWS, Terraform and CloudFormation accept: `-1`, `all`, `tcp`, `6`, `udp`, ...
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "-1" | "all" => Self::All,
            "tcp" | "6" => Self::Tcp,
            "udp" | "17" => Self::Udp,
            "icmp" | "1" => Self::Icmp,
            other => Self::Number(other.parse().ok()?),
        })
    }

    /// Whether a rule for `self` matches traffic of protocol `other`.
    pub fn matches(self, other: Protocol) -> bool {
        self == Self::All || self == other
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Tcp => f.write_str("tcp"),
            Self::Udp => f.write_str("udp"),
            Self::Icmp => f.write_str("icmp"),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// An inclusive port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    /// First port.
    pub from: u16,
    /// Last port (inclusive).
    pub to: u16,
}

impl PortRange {
    /// Every port.
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };
    /// HTTPS.
    pub const HTTPS: PortRange = PortRange { from: 443, to: 443 };
    /// NFS, for EFS mount targets.
    pub const NFS: PortRange = PortRange {
        from: 2049,
        to: 2049,
    };
    /// The Linux ephemeral range (`net.ipv4.ip_local_port_range` default) that return traffic uses.
    pub const LINUX_EPHEMERAL: PortRange = PortRange {
        from: 32768,
        to: 60999,
    };

    /// A range; `from > to` is normalised by swapping.
    pub fn new(from: u16, to: u16) -> Self {
        if from <= to {
            Self { from, to }
        } else {
            Self { from: to, to: from }
        }
    }

    /// A single port.
    pub fn single(port: u16) -> Self {
        Self {
            from: port,
            to: port,
        }
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(self, other: PortRange) -> bool {
        self.from <= other.from && other.to <= self.to
    }

    /// The overlap of two ranges.
    pub fn intersect(self, other: PortRange) -> Option<PortRange> {
        let from = self.from.max(other.from);
        let to = self.to.min(other.to);
        (from <= to).then_some(PortRange { from, to })
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::ALL {
            f.write_str("all ports")
        } else if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// An inclusive range of IPv4 addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ipv4Range {
    /// First address.
    pub start: u32,
    /// Last address (inclusive).
    pub end: u32,
}

impl Ipv4Range {
    /// Every IPv4 address.
    pub const ALL: Ipv4Range = Ipv4Range {
        start: 0,
        end: u32::MAX,
    };

    /// The addresses of a CIDR block.
    pub fn from_net(net: Ipv4Net) -> Self {
        Self {
            start: u32::from(net.network()),
            end: u32::from(net.broadcast()),
        }
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(self, other: Ipv4Range) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The overlap of two ranges.
    pub fn intersect(self, other: Ipv4Range) -> Option<Ipv4Range> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(Ipv4Range { start, end })
    }

    /// The range as a CIDR block, when it is exactly one.
    pub fn to_cidr(self) -> Option<Ipv4Net> {
        let size = u64::from(self.end - self.start) + 1;
        if !size.is_power_of_two() {
            return None;
        }
        let prefix = 32 - u8::try_from(size.trailing_zeros()).ok()?;
        let net = Ipv4Net::new(Ipv4Addr::from(self.start), prefix).ok()?;
        (Ipv4Range::from_net(net) == self).then_some(net)
    }
}

impl fmt::Display for Ipv4Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_cidr() {
            Some(net) => write!(f, "{net}"),
            None => write!(
                f,
                "{}-{}",
                Ipv4Addr::from(self.start),
                Ipv4Addr::from(self.end)
            ),
        }
    }
}

/// The address ranges that are not public (RFC 1918, CGNAT, loopback, link-local, multicast,
/// reserved). AWS service endpoints reached through NAT, an internet gateway or the S3 prefix list
/// are public addresses, so "traffic to AWS's public endpoints" is modelled as the complement.
const NON_PUBLIC: [(u32, u8); 9] = [
    (0x0000_0000, 8),  // 0.0.0.0/8
    (0x0A00_0000, 8),  // 10.0.0.0/8
    (0x6440_0000, 10), // 100.64.0.0/10
    (0x7F00_0000, 8),  // 127.0.0.0/8
    (0xA9FE_0000, 16), // 169.254.0.0/16
    (0xAC10_0000, 12), // 172.16.0.0/12
    (0xC0A8_0000, 16), // 192.168.0.0/16
    (0xE000_0000, 4),  // 224.0.0.0/4
    (0xF000_0000, 4),  // 240.0.0.0/4
];

/// The public IPv4 address space as disjoint ranges.
pub fn public_ipv4_ranges() -> Vec<Ipv4Range> {
    let mut out = vec![Ipv4Range::ALL];
    for (base, len) in NON_PUBLIC {
        let net = Ipv4Net::new(Ipv4Addr::from(base), len).expect("static prefix lengths are valid");
        out = out
            .into_iter()
            .flat_map(|r| subtract_range(r, Ipv4Range::from_net(net)))
            .collect();
    }
    out
}

fn subtract_range(from: Ipv4Range, cut: Ipv4Range) -> Vec<Ipv4Range> {
    let Some(overlap) = from.intersect(cut) else {
        return vec![from];
    };
    let mut out = Vec::with_capacity(2);
    if from.start < overlap.start {
        out.push(Ipv4Range {
            start: from.start,
            end: overlap.start - 1,
        });
    }
    if overlap.end < from.end {
        out.push(Ipv4Range {
            start: overlap.end + 1,
            end: from.end,
        });
    }
    out
}

/// A set of (IPv4 address, port) pairs, kept as disjoint rectangles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficSet {
    rects: Vec<(Ipv4Range, PortRange)>,
}

impl TrafficSet {
    /// The pairs `addresses × ports`.
    pub fn new(addresses: Ipv4Range, ports: PortRange) -> Self {
        Self {
            rects: vec![(addresses, ports)],
        }
    }

    /// The pairs `ranges × ports` for several disjoint address ranges.
    pub fn from_ranges(ranges: &[Ipv4Range], ports: PortRange) -> Self {
        Self {
            rects: ranges.iter().map(|r| (*r, ports)).collect(),
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.rects.is_empty()
    }

    /// Whether any pair lies in `addresses × ports`.
    pub fn overlaps(&self, addresses: Ipv4Range, ports: PortRange) -> bool {
        self.rects
            .iter()
            .any(|(a, p)| a.intersect(addresses).is_some() && p.intersect(ports).is_some())
    }

    /// Removes `addresses × ports` from the set; returns whether anything was removed.
    pub fn subtract(&mut self, addresses: Ipv4Range, ports: PortRange) -> bool {
        let mut removed = false;
        let mut out = Vec::with_capacity(self.rects.len() + 2);
        for (a, p) in self.rects.drain(..) {
            match (a.intersect(addresses), p.intersect(ports)) {
                (Some(ia), Some(ip)) => {
                    removed = true;
                    // Addresses outside the cut keep every port; inside it, ports outside the cut stay.
                    out.extend(subtract_range(a, ia).into_iter().map(|r| (r, p)));
                    if p.from < ip.from {
                        out.push((
                            ia,
                            PortRange {
                                from: p.from,
                                to: ip.from - 1,
                            },
                        ));
                    }
                    if ip.to < p.to {
                        out.push((
                            ia,
                            PortRange {
                                from: ip.to + 1,
                                to: p.to,
                            },
                        ));
                    }
                }
                _ => out.push((a, p)),
            }
        }
        self.rects = out;
        removed
    }

    /// One remaining rectangle, to name in an explanation.
    pub fn sample(&self) -> Option<(Ipv4Range, PortRange)> {
        self.rects.first().copied()
    }
}

/// Parses an IPv4 CIDR as AWS accepts it (host bits set are truncated, as the EC2 API does not do but
/// users sometimes write; the caller decides whether to warn).
pub fn parse_ipv4_cidr(text: &str) -> Option<Ipv4Net> {
    let t = text.trim();
    if let Ok(net) = t.parse::<Ipv4Net>() {
        return Some(net.trunc());
    }
    t.parse::<Ipv4Addr>()
        .ok()
        .map(|a| Ipv4Net::new(a, 32).expect("/32 is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Range {
        Ipv4Range::from_net(s.parse().unwrap())
    }

    #[test]
    fn subtract_whole_leaves_nothing() {
        let mut set = TrafficSet::new(net("10.0.1.0/24"), PortRange::HTTPS);
        assert!(set.subtract(net("10.0.0.0/16"), PortRange::ALL));
        assert!(set.is_empty());
    }

    #[test]
    fn subtract_part_of_addresses_keeps_rest() {
        let mut set = TrafficSet::new(net("10.0.1.0/24"), PortRange::HTTPS);
        assert!(set.subtract(net("10.0.1.0/25"), PortRange::HTTPS));
        assert!(!set.is_empty());
        assert_eq!(set.sample().unwrap().0, net("10.0.1.128/25"));
    }

    #[test]
    fn subtract_part_of_ports_keeps_rest() {
        let mut set = TrafficSet::new(net("10.0.1.0/24"), PortRange::LINUX_EPHEMERAL);
        assert!(set.subtract(net("0.0.0.0/0"), PortRange::new(49152, 65535)));
        assert_eq!(set.sample().unwrap().1, PortRange::new(32768, 49151));
    }

    #[test]
    fn disjoint_subtract_removes_nothing() {
        let mut set = TrafficSet::new(net("10.0.1.0/24"), PortRange::HTTPS);
        assert!(!set.subtract(net("10.0.2.0/24"), PortRange::ALL));
        assert!(!set.subtract(net("10.0.1.0/24"), PortRange::single(80)));
        assert!(!set.is_empty());
    }

    #[test]
    fn public_space_excludes_private_ranges() {
        let public = public_ipv4_ranges();
        let contains = |ip: &str| {
            let a = u32::from(ip.parse::<Ipv4Addr>().unwrap());
            public.iter().any(|r| r.start <= a && a <= r.end)
        };
        assert!(contains("52.219.0.1"));
        assert!(!contains("10.1.2.3"));
        assert!(!contains("172.31.0.5"));
        assert!(!contains("192.168.1.1"));
        assert!(contains("172.32.0.1"));
    }

    #[test]
    fn ranges_print_as_cidrs_when_they_are_one() {
        assert_eq!(net("10.0.1.0/24").to_string(), "10.0.1.0/24");
        assert_eq!(Ipv4Range::ALL.to_string(), "0.0.0.0/0");
        assert_eq!(
            Ipv4Range { start: 1, end: 2 }.to_string(),
            "0.0.0.1-0.0.0.2"
        );
    }

    #[test]
    fn protocol_forms() {
        assert_eq!(Protocol::parse("-1"), Some(Protocol::All));
        assert_eq!(Protocol::parse("TCP"), Some(Protocol::Tcp));
        assert_eq!(Protocol::parse("6"), Some(Protocol::Tcp));
        assert_eq!(Protocol::parse("50"), Some(Protocol::Number(50)));
        assert_eq!(Protocol::parse("bogus"), None);
        assert!(Protocol::All.matches(Protocol::Tcp));
        assert!(!Protocol::Udp.matches(Protocol::Tcp));
    }

    #[test]
    fn cidr_parsing_truncates_host_bits() {
        assert_eq!(
            parse_ipv4_cidr("10.0.1.5/24").unwrap().to_string(),
            "10.0.1.0/24"
        );
        assert_eq!(
            parse_ipv4_cidr("10.0.1.5").unwrap().to_string(),
            "10.0.1.5/32"
        );
        assert!(parse_ipv4_cidr("nope").is_none());
    }
}
