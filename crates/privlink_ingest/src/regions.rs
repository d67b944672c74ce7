//! What privlink assumes about a region without asking the account: its availability zones.
//!
//! Terraform's `data "aws_availability_zones"` and CloudFormation's `Fn::GetAZs` both answer from
//! this table, so the same network gets the same AZs whichever way it is written. The letters are
//! the zones AWS offers new accounts (Tokyo has no `b`, N. California no `b`, Canada no `c`);
//! front-ends say in an `unresolved-input` finding when they rely on it.

/// The availability zone letters per region.
const AZ_LETTERS: &[(&str, &str)] = &[
    ("ap-northeast-1", "acd"),
    ("ap-northeast-2", "abcd"),
    ("ca-central-1", "abd"),
    ("us-east-1", "abcdef"),
    ("us-west-1", "ac"),
    ("us-west-2", "abcd"),
];

/// The letters of a region not in the table.
const DEFAULT_AZ_LETTERS: &str = "abc";

/// The availability zones privlink assumes for `region`.
pub(crate) fn availability_zones(region: &str) -> Vec<String> {
    let letters = AZ_LETTERS
        .iter()
        .find(|(r, _)| *r == region)
        .map_or(DEFAULT_AZ_LETTERS, |(_, l)| l);
    letters.chars().map(|c| format!("{region}{c}")).collect()
}
