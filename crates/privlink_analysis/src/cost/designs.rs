//! The four designs of one workload set, each as line items at the given traffic and as a cost
//! curve of the traffic.
//!
//! Every flow (workload × subnet × service) carries a fixed fraction of the monthly traffic (see
//! [`super::traffic`]); a design adds up, per way of paying, the fractions of the flows that pay it.
//! The line items and the curve come from the same fractions, so they agree at every volume.
//! Fractions are numerators over one common denominator, so three thirds add up to exactly one.

use std::collections::BTreeMap;

use privlink_model::{EndpointKind, Model, NatConnectivity, NatGateway, ResourceId, VpcEndpoint};
use rust_decimal::Decimal;

use super::curve::{CostCurve, crossings};
use super::prices::RegionPrices;
use super::traffic::{Category, Traffic};
use super::{
    Comparison, Design, DesignKind, Estimate, HOURS_PER_MONTH, LineItem, Unit, WorkloadSet, az_of,
};
use crate::catalog;
use crate::reach::{Flow, HopKind, HopStatus, Verdict};

/// Fractions of the total traffic (numerators over the estimate's common denominator), by how they
/// are paid.
#[derive(Debug, Default)]
struct Shares {
    /// Through a NAT gateway: NAT processing.
    nat: Decimal,
    /// Crossing AZs on the way to a NAT gateway.
    cross_az: Decimal,
    /// Through interface endpoints: tiered endpoint processing.
    interface: Decimal,
}

impl Shares {
    /// The curve: numerators are summed before the one division, so shares that add up to the
    /// whole are exactly one.
    fn curve(&self, fixed: Decimal, prices: &RegionPrices, denominator: Decimal) -> CostCurve {
        CostCurve {
            fixed,
            per_gb: (self.nat * prices.nat_gateway_gb.usd + self.cross_az * prices.cross_az_gb.usd)
                / denominator,
            interface_share: self.interface / denominator,
        }
    }

    /// The traffic line items at `total` GB a month.
    fn items(
        &self,
        total: Decimal,
        prices: &RegionPrices,
        denominator: Decimal,
        cross_az_label: &str,
    ) -> Vec<LineItem> {
        let mut items = Vec::new();
        let gb = |share: Decimal| total * share / denominator;
        if !self.nat.is_zero() {
            items.push(LineItem::new(
                "NAT gateway data processing",
                gb(self.nat),
                Unit::Gb,
                prices.nat_gateway_gb.usd,
            ));
        }
        if !self.cross_az.is_zero() {
            items.push(LineItem::new(
                cross_az_label,
                gb(self.cross_az),
                Unit::Gb,
                prices.cross_az_gb.usd,
            ));
        }
        if !self.interface.is_zero() {
            let parts = prices.endpoint_processing(gb(self.interface));
            let tiered = prices.interface_endpoint_gb.len() > 1;
            for (i, (gb, tier)) in parts.into_iter().enumerate() {
                let label = match (tiered, i) {
                    (false, _) => "interface endpoint data processing".to_owned(),
                    (true, 0) => "interface endpoint data processing (first tier)".to_owned(),
                    (true, n) => format!("interface endpoint data processing (tier {})", n + 1),
                };
                items.push(LineItem::new(label, gb, Unit::Gb, tier.usd));
            }
        }
        items
    }
}

/// Prices the four designs of `set`.
pub(super) fn estimate(
    model: &Model,
    set: &WorkloadSet<'_>,
    prices: &RegionPrices,
    traffic: &Traffic,
) -> Estimate {
    let mut notes = Vec::new();
    let mut azs: Vec<String> = Vec::new();
    for flow in &set.flows {
        let (az, known) = az_of(flow);
        if !azs.contains(&az) {
            if !known {
                notes.push(format!(
                    "{} is not known; it is counted as an AZ of its own",
                    az
                ));
            }
            azs.push(az);
        }
    }
    let mut services: Vec<&str> = Vec::new();
    for flow in &set.flows {
        if !services.contains(&flow.service.as_str()) {
            services.push(&flow.service);
        }
    }
    let (gateway_services, interface_services): (Vec<&str>, Vec<&str>) =
        services.iter().partition(|s| catalog::is_gateway(s));
    let split = split(&set.flows, &services, traffic, &mut notes);
    let designs = vec![
        as_written(model, set, prices, &split, &mut notes),
        nat_per_az(&azs, prices, &split),
        single_nat(&set.flows, &azs, prices, &split),
        endpoints(
            &set.flows,
            &azs,
            &interface_services,
            &gateway_services,
            prices,
            &split,
        ),
    ];
    // The endpoints design is the last one built, and each other is compared with it.
    let (others, ends) = designs.split_at(3);
    let comparisons = others
        .iter()
        .map(|d| Comparison {
            against: d.kind,
            crossings: crossings(prices, &ends[0].curve, &d.curve),
        })
        .collect();
    if !gateway_services.is_empty() {
        notes.push(format!(
            "the NAT designs send everything through NAT; a free {} gateway endpoint would take {} off the NAT there too",
            gateway_services.join(" and "),
            if gateway_services.contains(&"s3") { "the image layers" } else { "that traffic" }
        ));
    }
    Estimate {
        prices: prices.clone(),
        traffic: traffic.clone(),
        azs,
        interface_services: interface_services.iter().map(|s| (*s).to_owned()).collect(),
        gateway_services: gateway_services.iter().map(|s| (*s).to_owned()).collect(),
        designs,
        comparisons,
        notes,
    }
}

/// The traffic split over the flows: each flow's fraction of the total is `weights[i] / denominator`.
#[derive(Debug)]
struct Split {
    /// The total GB a month priced.
    total: Decimal,
    /// One numerator per flow, in flow order.
    weights: Vec<Decimal>,
    /// The common denominator.
    denominator: Decimal,
}

/// Each flow's fraction of the total: its category's share, split evenly by the category's
/// services, then by the service's flows.
fn split(flows: &[&Flow], services: &[&str], traffic: &Traffic, notes: &mut Vec<String>) -> Split {
    let mut per_category: BTreeMap<Category, usize> = BTreeMap::new();
    for s in services {
        *per_category.entry(Category::of(s)).or_default() += 1;
    }
    let base = traffic.mix();
    for category in Category::ALL {
        if !base.gb(category).is_zero() && !per_category.contains_key(&category) {
            let why = match category {
                Category::ImagePulls => {
                    "no workload pulls from ECR (S3 is not among the services they need)"
                }
                Category::Logs => "no workload sends logs to CloudWatch Logs",
                Category::Other => "the workloads need no other AWS service",
            };
            notes.push(format!(
                "{category} traffic ({} GB) is not priced: {why}",
                traffic.gb(category).normalize()
            ));
        }
    }
    let mut per_service: BTreeMap<&str, usize> = BTreeMap::new();
    for f in flows {
        *per_service.entry(f.service.as_str()).or_default() += 1;
    }
    // A flow's fraction is gb(category) / (total · services in its category · flows of its service):
    // over the least common multiple of those counts every numerator is exact. Past MAX_LCM
    // (thousands of distinct subnet counts) the numerators are rounded instead of overflowing.
    let count =
        |f: &Flow| per_category[&Category::of(&f.service)] * per_service[f.service.as_str()];
    let lcm = flows.iter().try_fold(1_u64, |acc, f| {
        let c = count(f) as u64;
        (acc / gcd(acc, c)).checked_mul(c).filter(|l| *l <= MAX_LCM)
    });
    let lcm = Decimal::from(lcm.unwrap_or(MAX_LCM));
    Split {
        total: traffic.total(),
        weights: flows
            .iter()
            .map(|f| base.gb(Category::of(&f.service)) * lcm / Decimal::from(count(f)))
            .collect(),
        denominator: base.total() * lcm,
    }
}

/// The largest common multiple of flow counts kept exact.
const MAX_LCM: u64 = 1_000_000;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn hours_of(count: usize) -> Decimal {
    Decimal::from(count) * Decimal::from(HOURS_PER_MONTH)
}

fn nat_items(count: usize, public: usize, label: String, prices: &RegionPrices) -> Vec<LineItem> {
    let mut items = vec![LineItem::new(
        label,
        hours_of(count),
        Unit::Hour,
        prices.nat_gateway_hour.usd,
    )];
    if public > 0 {
        let what = if public == 1 {
            "the NAT gateway's public IPv4 (Elastic IP)".to_owned()
        } else {
            format!("the {public} NAT gateways' public IPv4 (Elastic IPs)")
        };
        items.push(LineItem::new(
            what,
            hours_of(public),
            Unit::Hour,
            prices.public_ipv4_hour.usd,
        ));
    }
    items
}

fn finish(
    kind: DesignKind,
    summary: String,
    mut items: Vec<LineItem>,
    shares: &Shares,
    prices: &RegionPrices,
    split: &Split,
    cross_az_label: &str,
) -> Design {
    let fixed: Decimal = items
        .iter()
        .filter(|i| i.unit == Unit::Hour)
        .map(|i| i.usd)
        .sum();
    items.extend(shares.items(split.total, prices, split.denominator, cross_az_label));
    Design {
        kind,
        summary,
        items,
        curve: shares.curve(fixed, prices, split.denominator),
        unpriced_share: Decimal::ZERO,
    }
}

fn nat_per_az(azs: &[String], prices: &RegionPrices, split: &Split) -> Design {
    let shares = Shares {
        nat: split.weights.iter().sum(),
        ..Shares::default()
    };
    let items = nat_items(
        azs.len(),
        azs.len(),
        format!("NAT gateway in each of {}", plural(azs.len(), "AZ")),
        prices,
    );
    finish(
        DesignKind::NatPerAz,
        format!("NAT gateway per AZ ({})", azs.len()),
        items,
        &shares,
        prices,
        split,
        "",
    )
}

fn single_nat(flows: &[&Flow], azs: &[String], prices: &RegionPrices, split: &Split) -> Design {
    let weights = &split.weights;
    // The NAT goes where most of the traffic is, so the least crosses AZs.
    let mut by_az: Vec<(String, Decimal)> =
        azs.iter().map(|a| (a.clone(), Decimal::ZERO)).collect();
    for (flow, w) in flows.iter().zip(weights) {
        let az = az_of(flow).0;
        if let Some(entry) = by_az.iter_mut().find(|(a, _)| *a == az) {
            entry.1 += *w;
        }
    }
    // `max_by` keeps the last of equals: reversed, that is the first AZ.
    let home = by_az
        .iter()
        .rev()
        .max_by(|a, b| a.1.cmp(&b.1))
        .map(|(a, _)| a.clone())
        .unwrap_or_default();
    let cross_az = flows
        .iter()
        .zip(weights)
        .filter(|(f, _)| az_of(f).0 != home)
        .map(|(_, w)| *w)
        .sum();
    let shares = Shares {
        nat: weights.iter().sum(),
        cross_az,
        ..Shares::default()
    };
    let items = nat_items(1, 1, format!("one NAT gateway in {home}"), prices);
    let label = format!("cross-AZ transfer to the NAT in {home}");
    finish(
        DesignKind::SingleNat,
        format!("single NAT gateway (in {home})"),
        items,
        &shares,
        prices,
        split,
        &label,
    )
}

fn endpoints(
    flows: &[&Flow],
    azs: &[String],
    interface_services: &[&str],
    gateway_services: &[&str],
    prices: &RegionPrices,
    split: &Split,
) -> Design {
    let mut items: Vec<LineItem> = interface_services
        .iter()
        .map(|s| {
            LineItem::new(
                format!("{s} interface endpoint in {}", plural(azs.len(), "AZ")),
                hours_of(azs.len()),
                Unit::Hour,
                prices.interface_endpoint_hour.usd,
            )
        })
        .collect();
    items.extend(gateway_services.iter().map(|s| {
        LineItem::new(
            format!("{s} gateway endpoint"),
            Decimal::ONE,
            Unit::Free,
            Decimal::ZERO,
        )
    }));
    let interface = flows
        .iter()
        .zip(&split.weights)
        .filter(|(f, _)| !catalog::is_gateway(&f.service))
        .map(|(_, w)| *w)
        .sum();
    let shares = Shares {
        interface,
        ..Shares::default()
    };
    let mut summary = format!(
        "{} interface × {}",
        interface_services.len(),
        plural(azs.len(), "AZ")
    );
    for s in gateway_services {
        summary.push_str(&format!(" + {s} gateway"));
    }
    finish(
        DesignKind::Endpoints,
        summary,
        items,
        &shares,
        prices,
        split,
        "",
    )
}

/// The NAT gateway a NAT flow goes through, from its gateway hop.
fn nat_of<'m>(model: &'m Model, flow: &Flow) -> Option<&'m NatGateway> {
    flow.hops
        .iter()
        .filter(|h| h.kind == HopKind::Gateway && h.status == HopStatus::Ok)
        .find_map(|h| h.element.as_ref().and_then(|e| model.nat_gateways.get(e)))
}

fn az_of_subnet(model: &Model, subnet: Option<&ResourceId>) -> Option<String> {
    subnet
        .and_then(|s| model.subnets.get(s))
        .and_then(|s| s.availability_zone.value().cloned())
}

/// The AZs of an interface endpoint's ENIs (a subnet whose AZ is not known counts as one).
fn eni_azs(model: &Model, endpoint: &VpcEndpoint) -> Vec<String> {
    let mut azs: Vec<String> = Vec::new();
    for s in endpoint.subnets.iter() {
        let az = az_of_subnet(model, Some(s)).unwrap_or_else(|| format!("the AZ of {s}"));
        if !azs.contains(&az) {
            azs.push(az);
        }
    }
    azs
}

fn as_written(
    model: &Model,
    set: &WorkloadSet<'_>,
    prices: &RegionPrices,
    split: &Split,
    notes: &mut Vec<String>,
) -> Design {
    let in_vpc = |subnet: Option<&ResourceId>| {
        set.vpc.is_some()
            && subnet
                .and_then(|s| model.subnets.get(s))
                .and_then(|s| s.vpc.value())
                == set.vpc
    };
    let nats: Vec<&NatGateway> = model
        .nat_gateways
        .values()
        .filter(|n| in_vpc(n.subnet.value()))
        .collect();
    let public = nats
        .iter()
        .filter(|n| n.connectivity == NatConnectivity::Public)
        .count();
    let mut items = Vec::new();
    if !nats.is_empty() {
        let names: Vec<String> = nats.iter().map(|n| n.id.to_string()).collect();
        items.extend(nat_items(nats.len(), public, names.join(", "), prices));
    }
    let mut interface_count = 0;
    for &e in &set.endpoints {
        let service = e
            .service_suffix()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        match e.kind.value() {
            Some(EndpointKind::Interface) => {
                let azs = eni_azs(model, e);
                if !e.subnets.is_complete() {
                    notes.push(format!("{} has subnets privlink cannot determine; as written prices its ENIs in the {} known", e.id, plural(azs.len(), "AZ")));
                }
                if !azs.is_empty() {
                    interface_count += 1;
                    items.push(LineItem::new(
                        format!("{}{service} in {}", e.id, plural(azs.len(), "AZ")),
                        hours_of(azs.len()),
                        Unit::Hour,
                        prices.interface_endpoint_hour.usd,
                    ));
                }
            }
            Some(EndpointKind::Gateway) => items.push(LineItem::new(
                format!("{}{service} gateway endpoint", e.id),
                Decimal::ONE,
                Unit::Free,
                Decimal::ZERO,
            )),
            Some(EndpointKind::GatewayLoadBalancer) => notes.push(format!(
                "{} is a Gateway Load Balancer endpoint, which privlink does not price",
                e.id
            )),
            None => notes.push(format!(
                "the type of {} is not known; as written does not price it",
                e.id
            )),
        }
    }
    let mut shares = Shares::default();
    let (mut unpriced, mut nat_instance, mut internet) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut nat_az_unknown = Vec::new();
    for (flow, w) in set.flows.iter().zip(&split.weights) {
        match flow.verdict {
            Verdict::Nat => match nat_of(model, flow) {
                Some(nat) => {
                    shares.nat += *w;
                    match (az_of_subnet(model, nat.subnet.value()), flow.az.value()) {
                        (Some(nat_az), Some(az)) if nat_az != *az => shares.cross_az += *w,
                        (Some(_), Some(_)) => {}
                        _ => {
                            if !nat_az_unknown.contains(&nat.id) {
                                nat_az_unknown.push(nat.id.clone());
                            }
                        }
                    }
                }
                None => nat_instance += *w,
            },
            Verdict::Endpoint => {
                let kind = flow
                    .via
                    .as_ref()
                    .and_then(|v| model.endpoints.get(v))
                    .and_then(|e| e.kind.value().copied());
                if kind == Some(EndpointKind::Interface) {
                    shares.interface += *w;
                }
            }
            Verdict::Internet => internet += *w,
            Verdict::Blocked | Verdict::Unknown => unpriced += *w,
        }
    }
    let percent = |share: Decimal| {
        (share * Decimal::ONE_HUNDRED / split.denominator)
            .round_dp(1)
            .normalize()
    };
    if !unpriced.is_zero() {
        notes.push(format!("as written, {}% of the traffic is on flows that are blocked or undetermined; it is not priced there", percent(unpriced)));
    }
    if !nat_instance.is_zero() {
        notes.push(format!("as written, {}% of the traffic goes through a NAT instance, whose EC2 cost privlink does not price", percent(nat_instance)));
    }
    if !internet.is_zero() {
        notes.push(format!(
            "as written, {}% of the traffic goes through an internet gateway: no processing charge, but every task or node with a public IPv4 pays {} USD/h for it (not counted)",
            percent(internet),
            prices.public_ipv4_hour.usd.normalize()
        ));
    }
    for nat in nat_az_unknown {
        notes.push(format!("the AZ of {nat} or of a subnet using it is not known; cross-AZ transfer to it is not priced"));
    }
    let summary = format!(
        "{}, {}",
        plural(nats.len(), "NAT gateway"),
        plural(interface_count, "interface endpoint")
    );
    let label = "cross-AZ transfer to NAT gateways in other AZs";
    let design = finish(
        DesignKind::AsWritten,
        summary,
        items,
        &shares,
        prices,
        split,
        label,
    );
    Design {
        unpriced_share: unpriced / split.denominator,
        ..design
    }
}
