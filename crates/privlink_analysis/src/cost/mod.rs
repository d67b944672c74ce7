//! Cost: NAT gateways against VPC endpoints, priced for the workloads and AZs the analysis found.
//!
//! ```text
//! Analysis (workloads, flows) + Model (NAT gateways, endpoints, subnet AZs) + prices + traffic
//!   ──► one workload set per VPC ──► four designs, each line items and a cost curve ──► break-evens
//! ```
//!
//! For each set of workloads sharing a VPC, four designs are priced for a 730-hour month:
//! *as written* (the NAT gateways and interface endpoints the inputs have, traffic following the
//! flows' verdicts), *a NAT gateway per AZ* and *a single NAT gateway* (all egress through NAT, the
//! single one paying cross-AZ transfer), and *endpoints* (an interface endpoint per required
//! service per AZ, gateway endpoints free). Each design is a [`CostCurve`] of the monthly traffic,
//! so where the endpoints design becomes cheaper is solved exactly, not sampled. Arithmetic is
//! exact decimal; only the reports round.

mod curve;
mod designs;
mod prices;
#[cfg(test)]
mod tests;
mod traffic;

use std::collections::HashMap;

use privlink_model::{Known, Model, ResourceId, VpcEndpoint};
use rust_decimal::Decimal;

pub use curve::{Cheaper, CostCurve, Crossings, MAX_GB, crossings};
pub use prices::{Figure, PriceTable, PriceTableError, RegionNotPriced, RegionPrices, Tier};
pub use traffic::{Category, MAX_TRAFFIC_GB, Traffic, TrafficOrigin};

use crate::Analysis;
use crate::reach::Flow;

/// Hours in the average month AWS prices with (8,760 / 12).
pub const HOURS_PER_MONTH: u32 = 730;

/// The unit of a line item's quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Hours in the month.
    Hour,
    /// GB in the month.
    Gb,
    /// A free resource, counted.
    Free,
}

/// One priced line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineItem {
    /// What it is.
    pub label: String,
    /// How much of it in a month.
    pub quantity: Decimal,
    /// Of what.
    pub unit: Unit,
    /// USD per unit.
    pub unit_usd: Decimal,
    /// USD in the month.
    pub usd: Decimal,
}

impl LineItem {
    fn new(label: impl Into<String>, quantity: Decimal, unit: Unit, unit_usd: Decimal) -> Self {
        Self {
            label: label.into(),
            quantity,
            unit,
            unit_usd,
            usd: quantity * unit_usd,
        }
    }
}

/// The designs priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// What the inputs have.
    AsWritten,
    /// All egress through a NAT gateway in each AZ.
    NatPerAz,
    /// All egress through one NAT gateway.
    SingleNat,
    /// Every required service through endpoints.
    Endpoints,
}

impl DesignKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsWritten => "as-written",
            Self::NatPerAz => "nat-per-az",
            Self::SingleNat => "single-nat",
            Self::Endpoints => "endpoints",
        }
    }
}

/// One design, priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Design {
    /// Which.
    pub kind: DesignKind,
    /// What it consists of, in a few words.
    pub summary: String,
    /// Its line items at the estimate's traffic.
    pub items: Vec<LineItem>,
    /// Its cost as a function of the monthly traffic.
    pub curve: CostCurve,
    /// The fraction of the traffic on flows that do not work in this design (blocked or
    /// undetermined as written), which no line item prices; zero for the designs privlink builds.
    pub unpriced_share: Decimal,
}

impl Design {
    /// USD a month.
    pub fn total_usd(&self) -> Decimal {
        self.items.iter().map(|i| i.usd).sum()
    }
}

/// The endpoints design against another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The other design.
    pub against: DesignKind,
    /// Where they cross.
    pub crossings: Crossings,
}

/// The priced designs of one workload set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    /// The region's prices.
    pub prices: RegionPrices,
    /// The traffic priced.
    pub traffic: Traffic,
    /// The AZs of the workloads' subnets.
    pub azs: Vec<String>,
    /// Services reached through interface endpoints in the endpoints design, in start-up order.
    pub interface_services: Vec<String>,
    /// Services reached through gateway endpoints (free).
    pub gateway_services: Vec<String>,
    /// As written, NAT per AZ, single NAT, endpoints.
    pub designs: Vec<Design>,
    /// The endpoints design against each of the others.
    pub comparisons: Vec<Comparison>,
    /// What the estimate assumes or leaves out.
    pub notes: Vec<String>,
}

impl Estimate {
    /// A design by kind.
    pub fn design(&self, kind: DesignKind) -> &Design {
        self.designs
            .iter()
            .find(|d| d.kind == kind)
            .expect("every estimate has the four designs")
    }

    /// The NAT design that costs less at the estimate's traffic (the one a NAT user would pick).
    pub fn cheaper_nat_design(&self) -> &Design {
        let (per_az, single) = (
            self.design(DesignKind::NatPerAz),
            self.design(DesignKind::SingleNat),
        );
        if single.total_usd() < per_az.total_usd() {
            single
        } else {
            per_az
        }
    }

    /// The endpoints design's comparison with `kind`.
    pub fn comparison(&self, kind: DesignKind) -> Option<&Comparison> {
        self.comparisons.iter().find(|c| c.against == kind)
    }
}

/// Why a workload set has no estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotPriced {
    /// Neither the inputs nor `--region` say which region.
    RegionUnknown,
    /// The price table has no prices for the region.
    Region(RegionNotPriced),
    /// No flow was traced: the workloads' subnets are not known.
    NoFlows,
}

impl std::fmt::Display for NotPriced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::RegionUnknown => f.write_str("the region is not known: pass --region"),
            Self::Region(e) => e.fmt(f),
            Self::NoFlows => {
                f.write_str("no flow was traced: the workloads' subnets are not known")
            }
        }
    }
}

/// Workloads sharing a VPC, and their estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetEstimate {
    /// The VPC, when known.
    pub vpc: Option<ResourceId>,
    /// The region, when known.
    pub region: Option<String>,
    /// The workloads' names.
    pub workloads: Vec<String>,
    /// The estimate, or why there is none.
    pub result: Result<Estimate, NotPriced>,
}

/// One workload set as the designs see it.
#[derive(Debug)]
struct WorkloadSet<'a> {
    vpc: Option<&'a ResourceId>,
    flows: Vec<&'a Flow>,
    /// The endpoints of its VPC, in model order.
    endpoints: Vec<&'a VpcEndpoint>,
}

/// Prices every workload set of `analysis`.
pub fn estimate(
    analysis: &Analysis,
    model: &Model,
    prices: &PriceTable,
    traffic: &Traffic,
) -> Vec<SetEstimate> {
    // Sets in order of their first workload; each set's flows in analysis order. Indexed by
    // (VPC, region) and by workload name so pricing an organisation stays linear.
    let mut sets: Vec<SetEstimate> = Vec::new();
    let mut set_of: HashMap<(Option<&ResourceId>, Option<&str>), usize> = HashMap::new();
    let mut sets_of_workload: HashMap<&str, Vec<usize>> = HashMap::new();
    for w in &analysis.workloads {
        let index = *set_of
            .entry((w.vpc.as_ref(), w.region.as_deref()))
            .or_insert_with(|| {
                sets.push(SetEstimate {
                    vpc: w.vpc.clone(),
                    region: w.region.clone(),
                    workloads: Vec::new(),
                    result: Err(NotPriced::NoFlows),
                });
                sets.len() - 1
            });
        sets[index].workloads.push(w.workload.name.clone());
        let of_name = sets_of_workload
            .entry(w.workload.name.as_str())
            .or_default();
        if !of_name.contains(&index) {
            of_name.push(index);
        }
    }
    let endpoints_by_vpc = model.endpoints_by_vpc();
    let mut flows_of_set: Vec<Vec<&Flow>> = vec![Vec::new(); sets.len()];
    for f in &analysis.flows {
        for &index in sets_of_workload
            .get(f.workload.as_str())
            .map_or(&[][..], Vec::as_slice)
        {
            flows_of_set[index].push(f);
        }
    }
    for (set, flows) in sets.iter_mut().zip(flows_of_set) {
        set.result = match (&set.region, flows.is_empty()) {
            (_, true) => Err(NotPriced::NoFlows),
            (None, false) => Err(NotPriced::RegionUnknown),
            (Some(region), false) => match prices.region(region) {
                Err(e) => Err(NotPriced::Region(e)),
                Ok(p) => Ok(designs::estimate(
                    model,
                    &WorkloadSet {
                        vpc: set.vpc.as_ref(),
                        flows,
                        endpoints: set
                            .vpc
                            .as_ref()
                            .and_then(|v| endpoints_by_vpc.get(v))
                            .cloned()
                            .unwrap_or_default(),
                    },
                    p,
                    traffic,
                )),
            },
        };
    }
    sets
}

/// The AZ a flow's subnet is in, or a stand-in named after the subnet when it is not known.
fn az_of(flow: &Flow) -> (String, bool) {
    match &flow.az {
        Known::Value(az) => (az.clone(), true),
        Known::Unknown(_) => (format!("the AZ of {}", flow.subnet), false),
    }
}
