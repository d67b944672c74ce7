//! What `privlink --version` says: the version, the optional features built in (a wheel or a
//! `cargo install` with default features has `aws`; a build without it cannot scan an account),
//! and how current the shipped price table is, so a bug report or a cost estimate can be traced to
//! the exact build.

use std::sync::LazyLock;

use privlink_analysis::cost::PriceTable;

/// `0.1.0 (features: aws; price table of 2026-10-06)`.
pub(crate) static VERSION: LazyLock<String> = LazyLock::new(|| {
    let features = FEATURES
        .iter()
        .filter(|(_, built_in)| *built_in)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>();
    let features = if features.is_empty() {
        "none".to_owned()
    } else {
        features.join(", ")
    };
    format!(
        "{} (features: {features}; price table of {})",
        env!("CARGO_PKG_VERSION"),
        PriceTable::embedded().newest_date()
    )
});

/// The optional features of the `privlink` package, and whether this build has each.
const FEATURES: &[(&str, bool)] = &[("aws", cfg!(feature = "aws"))];
