//! The price table: per region, the figures `privlink cost` multiplies, each with the date it was
//! taken, its source, and whether it is assumed.
//!
//! The table is data (`data/prices.toml`, embedded); `--prices FILE` replaces it with a file of the
//! same shape. [`PriceTable::parse`] accepts a table only when every region has every figure, every
//! date reads as a date and the endpoint tiers are in order, so arithmetic never meets a hole.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

/// The table shipped with privlink.
const EMBEDDED: &str = include_str!("../../data/prices.toml");

/// One price with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// USD per unit.
    #[serde(deserialize_with = "exact")]
    pub usd: Decimal,
    /// When it was taken: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// Where it comes from.
    pub source: String,
    /// Whether no source gives it for this region (it is carried over from another).
    #[serde(default)]
    pub assumed: bool,
}

/// One tier of interface-endpoint data processing.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Tier {
    /// The cumulative monthly GB up to which this tier's price applies; `None` for the last tier.
    #[serde(default, deserialize_with = "exact_option")]
    pub up_to_gb: Option<Decimal>,
    /// USD per GB.
    #[serde(deserialize_with = "exact")]
    pub usd: Decimal,
    /// When it was taken.
    pub date: String,
    /// Where it comes from.
    pub source: String,
    /// Whether no source gives it for this region.
    #[serde(default)]
    pub assumed: bool,
}

/// Every figure of one region.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegionPrices {
    /// NAT gateway, per hour.
    pub nat_gateway_hour: Figure,
    /// NAT gateway data processing, per GB.
    pub nat_gateway_gb: Figure,
    /// A public IPv4 address (a NAT gateway's Elastic IP), per hour.
    pub public_ipv4_hour: Figure,
    /// An interface endpoint, per AZ per hour.
    pub interface_endpoint_hour: Figure,
    /// Interface endpoint data processing tiers, in order; the last has no bound.
    pub interface_endpoint_gb: Vec<Tier>,
    /// Data crossing AZs, per GB in each direction.
    pub cross_az_gb: Figure,
}

impl RegionPrices {
    /// The cost of `gb` of interface-endpoint processing in a month, tier by tier: each tier's part
    /// and price, the parts summing to `gb`.
    pub fn endpoint_processing(&self, gb: Decimal) -> Vec<(Decimal, &Tier)> {
        let mut parts = Vec::new();
        let mut below = Decimal::ZERO;
        for tier in &self.interface_endpoint_gb {
            if gb <= below {
                break;
            }
            let top = tier.up_to_gb.map_or(gb, |up| up.min(gb));
            parts.push((top - below, tier));
            match tier.up_to_gb {
                Some(up) => below = up,
                None => break,
            }
        }
        parts
    }

    /// The total USD of `gb` of interface-endpoint processing.
    pub fn endpoint_processing_usd(&self, gb: Decimal) -> Decimal {
        self.endpoint_processing(gb)
            .iter()
            .map(|(part, tier)| *part * tier.usd)
            .sum()
    }

    /// The tier bounds, for the break-even search.
    pub fn tier_bounds(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.interface_endpoint_gb.iter().filter_map(|t| t.up_to_gb)
    }

    /// Every figure with its name, for validation and for listing sources.
    pub fn figures(&self) -> Vec<(&'static str, &Figure)> {
        vec![
            ("nat-gateway-hour", &self.nat_gateway_hour),
            ("nat-gateway-gb", &self.nat_gateway_gb),
            ("public-ipv4-hour", &self.public_ipv4_hour),
            ("interface-endpoint-hour", &self.interface_endpoint_hour),
            ("cross-az-gb", &self.cross_az_gb),
        ]
    }
}

/// The whole table.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// Regions by name.
    regions: BTreeMap<String, RegionPrices>,
}

/// A price table that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceTableError {
    /// Where, when the TOML parser says: 1-based line and column.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PriceTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{line}:{column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PriceTableError {}

/// A region the table has no prices for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionNotPriced {
    /// The region asked for.
    pub region: String,
    /// The regions the table has.
    pub known: Vec<String>,
}

impl fmt::Display for RegionNotPriced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the price table has no prices for region `{}`; it has {}. Add the region to a copy of the table and pass it with --prices FILE",
            self.region,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for RegionNotPriced {}

impl PriceTable {
    /// The table shipped with privlink (validated by a test, so it always parses).
    pub fn embedded() -> &'static PriceTable {
        static TABLE: OnceLock<PriceTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            PriceTable::parse(EMBEDDED).expect("the embedded price table is valid (tested)")
        })
    }

    /// Parses and validates a table.
    pub fn parse(text: &str) -> Result<PriceTable, PriceTableError> {
        let table: PriceTable = toml::from_str(text).map_err(|e| PriceTableError {
            position: e.span().map(|span| line_column(text, span.start)),
            message: e.message().to_owned(),
        })?;
        table.validate().map_err(|message| PriceTableError {
            position: None,
            message,
        })?;
        Ok(table)
    }

    fn validate(&self) -> Result<(), String> {
        if self.regions.is_empty() {
            return Err("the price table has no regions: add a [regions.REGION] table".to_owned());
        }
        for (region, prices) in &self.regions {
            for (name, figure) in prices.figures() {
                check_figure(region, name, figure.usd, &figure.date, &figure.source)?;
            }
            let tiers = &prices.interface_endpoint_gb;
            if tiers.is_empty() {
                return Err(format!(
                    "region `{region}`: `interface-endpoint-gb` needs at least one tier"
                ));
            }
            let mut below = Decimal::ZERO;
            for (i, tier) in tiers.iter().enumerate() {
                let name = format!("interface-endpoint-gb tier {}", i + 1);
                check_figure(region, &name, tier.usd, &tier.date, &tier.source)?;
                let last = i + 1 == tiers.len();
                match (tier.up_to_gb, last) {
                    (Some(_), true) => {
                        return Err(format!(
                            "region `{region}`: the last {name} must have no `up-to-gb` (it applies beyond)"
                        ));
                    }
                    (None, false) => {
                        return Err(format!(
                            "region `{region}`: {name} needs `up-to-gb` (only the last tier is unbounded)"
                        ));
                    }
                    (Some(up), false) if up <= below => {
                        return Err(format!(
                            "region `{region}`: {name} `up-to-gb` must be above the previous tier's ({below})"
                        ));
                    }
                    (Some(up), false) if up > super::MAX_GB => {
                        return Err(format!(
                            "region `{region}`: {name} `up-to-gb` is above {} GB",
                            super::MAX_GB
                        ));
                    }
                    (Some(up), false) => below = up,
                    (None, true) => {}
                }
            }
        }
        Ok(())
    }

    /// The prices of `region`, or an error naming the regions the table has.
    pub fn region(&self, region: &str) -> Result<&RegionPrices, RegionNotPriced> {
        self.regions.get(region).ok_or_else(|| RegionNotPriced {
            region: region.to_owned(),
            known: self.regions.keys().cloned().collect(),
        })
    }

    /// The regions, sorted.
    pub fn regions(&self) -> impl Iterator<Item = (&str, &RegionPrices)> {
        self.regions.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The date of the newest figure (YYYY, YYYY-MM or YYYY-MM-DD, as written): how current the
    /// table is, as `privlink --version` says. Dates compare as text: a validated date is a prefix
    /// of the longer forms of the same period, which it precedes.
    pub fn newest_date(&self) -> &str {
        self.regions
            .values()
            .flat_map(|prices| {
                let tiers = prices.interface_endpoint_gb.iter().map(|t| t.date.as_str());
                prices
                    .figures()
                    .into_iter()
                    .map(|(_, f)| f.date.as_str())
                    .chain(tiers)
            })
            .max()
            .unwrap_or("")
    }
}

/// A decimal written as a string (`"0.062"`): a TOML float would pass through binary floating
/// point on the way and lose exactness.
fn exact<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(deserializer)?;
    Decimal::from_str_exact(text.trim()).map_err(|e| {
        serde::de::Error::custom(format!(
            "`{text}` is not a decimal number ({e}); write prices as strings, e.g. \"0.062\""
        ))
    })
}

fn exact_option<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    exact(deserializer).map(Some)
}

/// No unit AWS prices here costs this much; a table saying so is mistyped.
const MAX_USD: u32 = 10_000;

fn check_figure(
    region: &str,
    name: &str,
    usd: Decimal,
    date: &str,
    source: &str,
) -> Result<(), String> {
    if usd.is_sign_negative() {
        return Err(format!("region `{region}`: `{name}` is negative ({usd})"));
    }
    if usd > Decimal::from(MAX_USD) {
        return Err(format!(
            "region `{region}`: `{name}` is {usd} USD, above {MAX_USD} USD a unit: check the figure"
        ));
    }
    if !is_date(date) {
        return Err(format!(
            "region `{region}`: `{name}` has date `{date}`; write YYYY, YYYY-MM or YYYY-MM-DD"
        ));
    }
    if source.trim().is_empty() {
        return Err(format!(
            "region `{region}`: `{name}` needs a `source` saying where the price comes from"
        ));
    }
    Ok(())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => number(y, 4).is_some(),
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

/// The 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// The six regions of the domain notes (§7.2), each with every figure.
    #[test]
    fn embedded_table_has_every_figure_for_the_six_regions() {
        let table = PriceTable::embedded();
        let names: Vec<&str> = table.regions().map(|(r, _)| r).collect();
        for region in [
            "us-east-1",
            "us-west-2",
            "eu-west-1",
            "eu-central-1",
            "ap-northeast-1",
            "ap-southeast-1",
        ] {
            assert!(names.contains(&region), "{region} missing");
        }
        for (region, prices) in table.regions() {
            assert_eq!(
                prices.interface_endpoint_gb.len(),
                3,
                "{region}: first 1 PB, next 4 PB, beyond"
            );
            assert_eq!(prices.public_ipv4_hour.usd, d("0.005"), "{region}");
            for (name, f) in prices.figures() {
                assert!(f.usd > Decimal::ZERO, "{region} {name}");
                assert!(!f.source.is_empty() && is_date(&f.date), "{region} {name}");
            }
        }
    }

    #[test]
    fn newest_date_is_the_latest_figure_or_tier() {
        let table = PriceTable::parse(ONE_REGION).unwrap();
        assert_eq!(table.newest_date(), "2026-01-01");
        let later_tier = ONE_REGION.replacen(
            "{ usd = \"0.005\", date = \"2026\"",
            "{ usd = \"0.005\", date = \"2026-03\"",
            1,
        );
        assert_eq!(
            PriceTable::parse(&later_tier).unwrap().newest_date(),
            "2026-03"
        );
    }

    /// Tokyo's figures are unchanged since 2019 (§7.2).
    #[test]
    fn tokyo_figures_unchanged_since_2019() {
        let tokyo = PriceTable::embedded().region("ap-northeast-1").unwrap();
        assert_eq!(tokyo.nat_gateway_hour.usd, d("0.062"));
        assert_eq!(tokyo.nat_gateway_gb.usd, d("0.062"));
        assert_eq!(tokyo.interface_endpoint_hour.usd, d("0.014"));
        assert_eq!(tokyo.interface_endpoint_gb[0].usd, d("0.01"));
        assert_eq!(tokyo.cross_az_gb.usd, d("0.01"));
        assert!(
            tokyo.cross_az_gb.assumed,
            "cross-AZ outside the US is not sourced"
        );
    }

    #[test]
    fn unknown_region_names_the_known_ones() {
        let err = PriceTable::embedded().region("sa-east-1").unwrap_err();
        assert_eq!(
            err.known,
            [
                "ap-northeast-1",
                "ap-southeast-1",
                "eu-central-1",
                "eu-west-1",
                "us-east-1",
                "us-west-2"
            ]
        );
        let text = err.to_string();
        assert!(
            text.contains("`sa-east-1`")
                && text.contains("ap-northeast-1, ap-southeast-1, eu-central-1")
                && text.contains("--prices"),
            "{text}"
        );
    }

    #[test]
    fn tiers_split_at_exactly_one_petabyte() {
        let tokyo = PriceTable::embedded().region("ap-northeast-1").unwrap();
        let pb = d("1048576");
        // Exactly 1 PB is all first tier.
        assert_eq!(tokyo.endpoint_processing_usd(pb), d("10485.76"));
        assert_eq!(tokyo.endpoint_processing(pb).len(), 1);
        // One GB more is priced at the second tier.
        assert_eq!(
            tokyo.endpoint_processing_usd(pb + Decimal::ONE),
            d("10485.766")
        );
        // 5 PB: 1 PB at 0.01 and 4 PB at 0.006; one more GB at 0.004.
        let five = d("5242880");
        assert_eq!(
            tokyo.endpoint_processing_usd(five),
            d("10485.76") + d("4194304") * d("0.006")
        );
        assert_eq!(
            tokyo.endpoint_processing_usd(five + Decimal::ONE)
                - tokyo.endpoint_processing_usd(five),
            d("0.004")
        );
        assert_eq!(tokyo.endpoint_processing_usd(Decimal::ZERO), Decimal::ZERO);
        assert!(tokyo.endpoint_processing(Decimal::ZERO).is_empty());
    }

    const ONE_REGION: &str = r#"
[regions.xx-test-1]
nat-gateway-hour = { usd = "0.05", date = "2026-01-01", source = "test" }
nat-gateway-gb = { usd = "0.05", date = "2026-01", source = "test" }
public-ipv4-hour = { usd = "0.005", date = "2026", source = "test" }
interface-endpoint-hour = { usd = "0.01", date = "2026", source = "test" }
cross-az-gb = { usd = "0.01", date = "2026", source = "test", assumed = true }
interface-endpoint-gb = [ { up-to-gb = "100", usd = "0.01", date = "2026", source = "test" }, { usd = "0.005", date = "2026", source = "test" } ]
"#;

    #[test]
    fn parses_a_replacement_table() {
        let table = PriceTable::parse(ONE_REGION).unwrap();
        let p = table.region("xx-test-1").unwrap();
        assert_eq!(p.endpoint_processing_usd(d("150")), d("1.25"));
        assert!(
            table.region("ap-northeast-1").is_err(),
            "--prices replaces the table"
        );
    }

    #[test]
    fn a_missing_figure_is_an_error_with_its_position() {
        let text = ONE_REGION.replace(
            "nat-gateway-gb = { usd = \"0.05\", date = \"2026-01\", source = \"test\" }\n",
            "",
        );
        let err = PriceTable::parse(&text).unwrap_err();
        assert!(err.message.contains("nat-gateway-gb"), "{err}");
        assert_eq!(err.position.map(|p| p.0), Some(2), "{err}");
    }

    #[test]
    fn bad_figures_are_errors_that_say_what_to_write() {
        let cases = [
            (
                ONE_REGION.replace(
                    "\"0.05\", date = \"2026-01-01\"",
                    "\"-0.05\", date = \"2026-01-01\"",
                ),
                "negative",
            ),
            (
                ONE_REGION.replace("date = \"2026-01-01\"", "date = \"last year\""),
                "YYYY-MM-DD",
            ),
            (
                ONE_REGION.replace(
                    "source = \"test\" }\nnat-gateway-gb",
                    "source = \" \" }\nnat-gateway-gb",
                ),
                "source",
            ),
            (
                ONE_REGION.replace(
                    "{ usd = \"0.005\", date = \"2026\", source = \"test\" } ]",
                    "{ up-to-gb = \"200\", usd = \"0.005\", date = \"2026\", source = \"test\" } ]",
                ),
                "last",
            ),
            (
                ONE_REGION.replace("up-to-gb = \"100\", ", ""),
                "only the last tier",
            ),
            (
                ONE_REGION.replace(
                    "usd = \"0.05\", date = \"2026-01-01\"",
                    "usd = 0.05, date = \"2026-01-01\"",
                ),
                "string",
            ),
            ("[regions]\n".to_owned(), "no regions"),
            (
                ONE_REGION.replace(
                    "\"0.05\", date = \"2026-01-01\"",
                    "\"50000\", date = \"2026-01-01\"",
                ),
                "check the figure",
            ),
            (
                ONE_REGION.replace("up-to-gb = \"100\"", "up-to-gb = \"1000000000001\""),
                "above 1000000000000 GB",
            ),
        ];
        for (text, expected) in cases {
            let err = PriceTable::parse(&text).unwrap_err();
            assert!(
                err.to_string().contains(expected),
                "expected `{expected}` in: {err}"
            );
        }
    }

    #[test]
    fn dates() {
        for good in ["2026", "2026-09", "2026-09-25"] {
            assert!(is_date(good), "{good}");
        }
        for bad in ["26", "2026-13", "2026-09-32", "2026/09/25", "", "2026-9-1"] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
