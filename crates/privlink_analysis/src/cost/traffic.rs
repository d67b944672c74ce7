//! Monthly traffic: how many GB the workloads send to AWS services, in three categories, and which
//! services carry each category.
//!
//! Image pulls ride on S3 (ECR serves layers from S3; manifests and auth through `ecr.dkr` and
//! `ecr.api` are small and counted as other traffic). Logs ride on `logs`. Other traffic is shared
//! evenly by every other required service. Within a service, traffic is shared evenly by the subnets
//! of the workloads that need it (ECS and EKS spread tasks and nodes over them).

use std::fmt;

use rust_decimal::Decimal;

/// The most GB a month a traffic figure may be (an exabyte): larger inputs are refused, so the
/// exact arithmetic on them cannot overflow.
pub const MAX_TRAFFIC_GB: u64 = 1_000_000_000;

/// Where the traffic figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrafficOrigin {
    /// privlink's defaults.
    Default,
    /// The `[traffic]` table of privlink.toml.
    Config,
    /// `--gb-per-month`, split as the `[traffic]` table or the defaults split it.
    Total,
}

/// A traffic category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Image layers (S3).
    ImagePulls,
    /// CloudWatch Logs.
    Logs,
    /// Everything else the workloads send to AWS services.
    Other,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 3] = [Self::ImagePulls, Self::Logs, Self::Other];

    /// The category a service's traffic belongs to.
    pub fn of(service: &str) -> Category {
        match service {
            "s3" => Self::ImagePulls,
            "logs" => Self::Logs,
            _ => Self::Other,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ImagePulls => "image pulls",
            Self::Logs => "logs",
            Self::Other => "other",
        })
    }
}

/// GB per month by category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Traffic {
    /// Image layers pulled.
    pub image_pulls_gb: Decimal,
    /// Logs sent.
    pub logs_gb: Decimal,
    /// Everything else.
    pub other_gb: Decimal,
    /// Where the figures come from.
    pub origin: TrafficOrigin,
}

impl Default for Traffic {
    /// 100 GB a month: 80 of image pulls, 10 of logs, 10 of other calls.
    fn default() -> Self {
        Self {
            image_pulls_gb: Decimal::from(80),
            logs_gb: Decimal::from(10),
            other_gb: Decimal::from(10),
            origin: TrafficOrigin::Default,
        }
    }
}

impl Traffic {
    /// Traffic from the `[traffic]` table.
    pub fn configured(image_pulls_gb: Decimal, logs_gb: Decimal, other_gb: Decimal) -> Self {
        Self {
            image_pulls_gb,
            logs_gb,
            other_gb,
            origin: TrafficOrigin::Config,
        }
    }

    /// The total GB per month.
    pub fn total(&self) -> Decimal {
        self.image_pulls_gb + self.logs_gb + self.other_gb
    }

    /// The GB of one category.
    pub fn gb(&self, category: Category) -> Decimal {
        match category {
            Category::ImagePulls => self.image_pulls_gb,
            Category::Logs => self.logs_gb,
            Category::Other => self.other_gb,
        }
    }

    /// `total` GB split in this traffic's proportions (the defaults' when it is all zero).
    pub fn scaled_to(&self, total: Decimal) -> Traffic {
        let base = self.mix();
        let share = |gb: Decimal| gb * total / base.total();
        Traffic {
            image_pulls_gb: share(base.image_pulls_gb),
            logs_gb: share(base.logs_gb),
            other_gb: total - share(base.image_pulls_gb) - share(base.logs_gb),
            origin: TrafficOrigin::Total,
        }
    }

    /// The traffic whose proportions split a total: this one, or the defaults when it is all zero
    /// (so a cost can still be written as a function of the total).
    pub fn mix(&self) -> Traffic {
        if self.total().is_zero() {
            Traffic::default()
        } else {
            self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn categories() {
        assert_eq!(Category::of("s3"), Category::ImagePulls);
        assert_eq!(Category::of("logs"), Category::Logs);
        assert_eq!(Category::of("ecr.dkr"), Category::Other);
        assert_eq!(Category::of("sqs"), Category::Other);
    }

    #[test]
    fn a_total_keeps_the_configured_proportions() {
        let t = Traffic::configured(d("300"), d("60"), d("40")).scaled_to(d("1000"));
        assert_eq!(
            (t.image_pulls_gb, t.logs_gb, t.other_gb),
            (d("750"), d("150"), d("100"))
        );
        assert_eq!(t.origin, TrafficOrigin::Total);
        let t = Traffic::default().scaled_to(d("2000"));
        assert_eq!(
            (t.image_pulls_gb, t.logs_gb, t.other_gb),
            (d("1600"), d("200"), d("200"))
        );
    }

    #[test]
    fn a_total_always_sums_exactly() {
        let t = Traffic::configured(d("1"), d("1"), d("1")).scaled_to(d("100"));
        assert_eq!(t.total(), d("100"));
    }

    #[test]
    fn zero_traffic_keeps_the_default_mix_for_break_even() {
        let zero = Traffic::configured(Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        assert_eq!(zero.mix().image_pulls_gb, d("80"));
        assert_eq!(zero.scaled_to(d("10")).logs_gb, d("1"));
    }
}
