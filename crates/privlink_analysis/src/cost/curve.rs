//! A design's monthly cost as a function of the monthly traffic, and where two designs cross.
//!
//! With the traffic mix fixed, every design costs `fixed + G·per_gb + tiers(G·interface_share)`
//! for a total of `G` GB a month: NAT processing and cross-AZ transfer are linear, interface
//! endpoint processing is tiered on the GB that go through interface endpoints. Between tier bounds
//! the difference of two designs is linear, so the volumes where one becomes cheaper than the other
//! are found exactly, piece by piece. With one tier and no tier bound reached this is the domain
//! notes' formula GB* = (E·A·h·p_e − N·h·(p_n + p_ip)) / (p_n − p_e).

use rust_decimal::Decimal;

use super::prices::RegionPrices;

/// The largest monthly volume privlink considers (10^12 GB, a zettabyte): break-evens beyond it are
/// not reported, and no arithmetic on such volumes can overflow.
pub const MAX_GB: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Monthly cost as a function of the total monthly GB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostCurve {
    /// USD a month at zero traffic (hours).
    pub fixed: Decimal,
    /// USD per GB of total traffic that is priced linearly (NAT processing, cross-AZ transfer).
    pub per_gb: Decimal,
    /// The fraction of the total that goes through interface endpoints (tiered processing).
    pub interface_share: Decimal,
}

impl CostCurve {
    /// USD a month at `gb` GB a month.
    pub fn at(&self, prices: &RegionPrices, gb: Decimal) -> Decimal {
        self.fixed + gb * self.per_gb + prices.endpoint_processing_usd(gb * self.interface_share)
    }
}

/// Which of two designs costs less.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cheaper {
    /// The all-endpoints design.
    Endpoints,
    /// The design compared with it.
    Other,
    /// Neither: they cost the same.
    Same,
}

/// Where the all-endpoints design and another cross.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossings {
    /// Which is cheaper at low traffic (just above zero).
    pub from_zero: Cheaper,
    /// The monthly GB at which the cheaper design changes, and which is cheaper above it.
    pub points: Vec<(Decimal, Cheaper)>,
}

impl Crossings {
    /// The traffic above which endpoints become cheaper (the break-even), when they do.
    pub fn break_even_gb(&self) -> Option<Decimal> {
        self.points
            .iter()
            .find(|(_, c)| *c == Cheaper::Endpoints)
            .map(|(gb, _)| *gb)
    }

    /// Which is cheaper at `gb` GB a month.
    pub fn cheaper_at(&self, gb: Decimal) -> Cheaper {
        self.points
            .iter()
            .take_while(|(at, _)| *at < gb)
            .last()
            .map_or(self.from_zero, |(_, c)| *c)
    }
}

/// Where `endpoints` and `other` cross for traffic above zero.
pub fn crossings(prices: &RegionPrices, endpoints: &CostCurve, other: &CostCurve) -> Crossings {
    // other − endpoints: positive where endpoints are cheaper.
    let diff = |gb: Decimal| other.at(prices, gb) - endpoints.at(prices, gb);
    // The difference is linear between the volumes at which either design reaches a tier bound.
    let mut bounds: Vec<Decimal> = vec![Decimal::ZERO];
    for curve in [endpoints, other] {
        let share = curve.interface_share;
        if share > Decimal::ZERO {
            bounds.extend(
                prices
                    .tier_bounds()
                    .filter(|b| *b <= MAX_GB * share)
                    .map(|b| b / share),
            );
        }
    }
    bounds.sort();
    bounds.dedup();
    let mut roots = Vec::new();
    for pair in bounds.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (da, db) = (diff(a), diff(b));
        if da != db {
            let root = a - da / ((db - da) / (b - a));
            if root >= a && root <= b {
                roots.push(root);
            }
        }
    }
    let last = *bounds.last().expect("starts with zero");
    let (dl, slope) = (diff(last), diff(last + Decimal::ONE) - diff(last));
    // Past the last bound the difference is linear: its root, if it lies within MAX_GB.
    if !slope.is_zero() && (dl / slope).abs() <= MAX_GB {
        let root = last - dl / slope;
        if root >= last {
            roots.push(root);
        }
    }
    roots.retain(|r| *r > Decimal::ZERO && *r <= MAX_GB);
    roots.sort();
    roots.dedup();
    let state = |gb: Decimal| match diff(gb) {
        d if d > Decimal::ZERO => Cheaper::Endpoints,
        d if d < Decimal::ZERO => Cheaper::Other,
        _ => Cheaper::Same,
    };
    // The state is constant between consecutive roots: sample each interval inside.
    let first_probe = roots.first().map_or(Decimal::ONE, |r| *r / Decimal::TWO);
    let from_zero = state(first_probe);
    let mut points = Vec::new();
    let mut current = from_zero;
    for (i, root) in roots.iter().enumerate() {
        let probe = roots
            .get(i + 1)
            .map_or(*root + Decimal::ONE, |next| (*root + *next) / Decimal::TWO);
        let after = state(probe);
        if after != current {
            points.push((*root, after));
            current = after;
        }
    }
    Crossings { from_zero, points }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prices::PriceTable;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn tokyo() -> &'static RegionPrices {
        PriceTable::embedded().region("ap-northeast-1").unwrap()
    }

    fn nat(fixed: &str, per_gb: &str) -> CostCurve {
        CostCurve {
            fixed: d(fixed),
            per_gb: d(per_gb),
            interface_share: Decimal::ZERO,
        }
    }

    fn endpoints(fixed: &str) -> CostCurve {
        CostCurve {
            fixed: d(fixed),
            per_gb: Decimal::ZERO,
            interface_share: Decimal::ONE,
        }
    }

    /// §7.2: 4 endpoints × 3 AZs = 122.64 against one NAT (45.26, + 3.65 EIP): endpoints are
    /// cheaper above ~1,420 GB (with the EIP) and ~1,490 GB (without).
    #[test]
    fn domain_break_even_formula() {
        let e = endpoints("122.64");
        let with_eip = crossings(tokyo(), &e, &nat("48.91", "0.062"));
        assert_eq!(with_eip.from_zero, Cheaper::Other);
        // (122.64 − 48.91) / (0.062 − 0.010)
        let gb = with_eip.break_even_gb().unwrap();
        assert_eq!(gb, d("73.73") / d("0.052"));
        assert_eq!(gb.round_dp(2), d("1417.88"));
        let without = crossings(tokyo(), &e, &nat("45.26", "0.062"))
            .break_even_gb()
            .unwrap();
        assert_eq!(without.round_dp(2), d("1488.08"));
        assert_eq!(with_eip.cheaper_at(d("1000")), Cheaper::Other);
        assert_eq!(with_eip.cheaper_at(d("2000")), Cheaper::Endpoints);
    }

    /// §7.2: against three NATs (135.78 + 10.95) endpoints are cheaper at any volume.
    #[test]
    fn endpoints_always_cheaper_has_no_break_even() {
        let c = crossings(tokyo(), &endpoints("122.64"), &nat("146.73", "0.062"));
        assert_eq!(c.from_zero, Cheaper::Endpoints);
        assert!(c.points.is_empty());
        assert_eq!(c.break_even_gb(), None);
    }

    #[test]
    fn nat_always_cheaper_when_its_per_gb_price_is_lower() {
        let c = crossings(tokyo(), &endpoints("122.64"), &nat("48.91", "0.003"));
        assert_eq!(c.from_zero, Cheaper::Other);
        assert!(c.points.is_empty());
        assert_eq!(c.break_even_gb(), None);
    }

    #[test]
    fn same_design_costs_the_same() {
        let c = crossings(tokyo(), &endpoints("10"), &endpoints("10"));
        assert_eq!(c.from_zero, Cheaper::Same);
        assert!(c.points.is_empty());
    }

    /// A NAT cheaper per GB than the first endpoint tier but dearer than the second: endpoints are
    /// cheaper at first (no fixed cost), NAT from 50,000 GB, endpoints again past the first
    /// petabyte. Every crossing is found, each exactly.
    #[test]
    fn crossings_through_the_tiers() {
        let e = endpoints("0");
        let other = nat("100", "0.008");
        let c = crossings(tokyo(), &e, &other);
        assert_eq!(c.from_zero, Cheaper::Endpoints);
        // 100 + 0.008 G = 0.01 G → G = 50,000.
        assert_eq!(c.points[0], (d("50000"), Cheaper::Other));
        // Past 1 PB the endpoint tier drops to 0.006: 100 + 0.008 G = 10485.76 + 0.006 (G − 1048576).
        let second = (d("10485.76") - d("1048576") * d("0.006") - d("100")) / d("0.002");
        assert_eq!(c.points[1], (second, Cheaper::Endpoints));
        assert_eq!(c.points.len(), 2);
        assert_eq!(c.break_even_gb(), Some(second));
        assert_eq!(other.at(tokyo(), second), e.at(tokyo(), second));
    }

    #[test]
    fn max_gb_is_a_zettabyte() {
        assert_eq!(MAX_GB, d("1000000000000"));
    }

    /// Volumes no one has: a break-even beyond MAX_GB is not reported, and a vanishing interface
    /// share does not overflow the tier bounds.
    #[test]
    fn extreme_curves_stay_in_range() {
        let far = crossings(tokyo(), &endpoints("1000000000000000"), &nat("0", "0.062"));
        assert_eq!((far.from_zero, far.break_even_gb()), (Cheaper::Other, None));
        let tiny = CostCurve {
            fixed: d("10"),
            per_gb: Decimal::ZERO,
            interface_share: d("0.0000000000000000000000000001"),
        };
        let c = crossings(tokyo(), &tiny, &nat("0", "0.062"));
        let expected = (d("10") / d("0.062")).round_dp(10);
        assert_eq!(c.break_even_gb().map(|g| g.round_dp(10)), Some(expected));
    }

    /// A break-even beyond the first petabyte is priced at the second tier.
    #[test]
    fn break_even_beyond_a_tier_bound() {
        let e = endpoints("30000");
        let c = crossings(tokyo(), &e, &nat("0", "0.03"));
        let gb = c.break_even_gb().unwrap();
        assert!(gb > d("1048576"));
        // 0.03 G = 30000 + 10485.76 + 0.006 (G − 1048576)
        assert_eq!(
            gb,
            (d("30000") + d("10485.76") - d("0.006") * d("1048576")) / d("0.024")
        );
    }
}
