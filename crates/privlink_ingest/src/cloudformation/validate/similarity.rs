//! The similarity cfn-lint uses to suggest a property name: Python's
//! `difflib.SequenceMatcher(a=..., b=...).ratio()` (Ratcliff/Obershelp: twice the characters in the
//! longest common blocks, found recursively, over the total length). The `similar` crate's ratio is
//! computed from a minimal diff instead and gives other numbers for some names, so cfn-lint's
//! algorithm is written out here.

use std::collections::HashMap;

/// `difflib.SequenceMatcher(a=a, b=b).ratio()` for names shorter than 200 characters (where difflib
/// treats no character as junk).
pub(super) fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut positions: HashMap<char, Vec<usize>> = HashMap::new();
    for (j, c) in b.iter().enumerate() {
        positions.entry(*c).or_default().push(j);
    }
    let matched = matching(&a, &positions, (0, a.len()), (0, b.len()));
    #[allow(clippy::cast_precision_loss)]
    let r = 2.0 * matched as f64 / total as f64;
    r
}

/// The characters in matching blocks of `a[alo..ahi]` and `b[blo..bhi]`.
fn matching(
    a: &[char],
    positions: &HashMap<char, Vec<usize>>,
    (alo, ahi): (usize, usize),
    (blo, bhi): (usize, usize),
) -> usize {
    let (i, j, k) = longest_match(a, positions, (alo, ahi), (blo, bhi));
    if k == 0 {
        return 0;
    }
    k + matching(a, positions, (alo, i), (blo, j))
        + matching(a, positions, (i + k, ahi), (j + k, bhi))
}

/// difflib's `find_longest_match`: the longest block, the earliest in `a` and then in `b` among
/// equals.
fn longest_match(
    a: &[char],
    positions: &HashMap<char, Vec<usize>>,
    (alo, ahi): (usize, usize),
    (blo, bhi): (usize, usize),
) -> (usize, usize, usize) {
    let (mut best_i, mut best_j, mut best) = (alo, blo, 0);
    let mut lengths: HashMap<usize, usize> = HashMap::new();
    for (i, c) in a.iter().enumerate().take(ahi).skip(alo) {
        let mut next: HashMap<usize, usize> = HashMap::new();
        for &j in positions.get(c).map_or(&[][..], Vec::as_slice) {
            if j < blo {
                continue;
            }
            if j >= bhi {
                break;
            }
            let k = j
                .checked_sub(1)
                .and_then(|p| lengths.get(&p))
                .copied()
                .unwrap_or(0)
                + 1;
            next.insert(j, k);
            if k > best {
                best_i = i + 1 - k;
                best_j = j + 1 - k;
                best = k;
            }
        }
        lengths = next;
    }
    (best_i, best_j, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values computed with Python 3's difflib.
    #[test]
    fn matches_python_difflib() {
        let cases = [
            (
                "PrivateDnsEnable",
                "PrivateDnsEnabled",
                0.969_696_969_696_969_7,
            ),
            (
                "EnableDnsHostname",
                "EnableDnsHostnames",
                0.971_428_571_428_571_4,
            ),
            ("Bogus", "DnsRecordIpType", 0.1),
            ("abcd", "bcda", 0.75),
            ("SubnetId", "SubnetIds", 0.941_176_470_588_235_3),
            ("VpcEndpointTyp", "VpcId", 0.421_052_631_578_947_35),
        ];
        for (a, b, expected) in cases {
            let r = ratio(a, b);
            assert!((r - expected).abs() < 1e-12, "{a} / {b}: {r} != {expected}");
        }
        assert!((ratio("", "") - 1.0).abs() < f64::EPSILON);
    }
}
