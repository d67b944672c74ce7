//! `privlink cost`: NAT gateways against VPC endpoints, priced for the workloads found.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Result, bail};
use privlink_analysis::cost::{self, NotPriced, PriceTable};

use super::emit;
use crate::cli::{CostArgs, Format};
use crate::report::{self, text};
use crate::session;

/// Runs `cost`; returns the exit status.
pub(crate) fn run(args: &CostArgs) -> Result<u8> {
    let (session, _) = session::open(&args.inputs, false)?;
    let prices = match &args.prices {
        Some(path) => Cow::Owned(read_prices(path)?),
        None => Cow::Borrowed(PriceTable::embedded()),
    };
    let traffic = report::cost::traffic(&session.config, args.gb_per_month);
    let sets = cost::estimate(&session.analysis, &session.model, &prices, &traffic);
    // A set privlink cannot price for want of a region or its prices is something the user fixes.
    for set in &sets {
        if let Err(e @ (NotPriced::Region(_) | NotPriced::RegionUnknown)) = &set.result {
            bail!("{}: {e}", report::cost::set_name(set));
        }
    }
    let rendered = match args.inputs.format {
        Format::Text => {
            let mut out = String::new();
            text::input_errors(&session, &mut out);
            report::cost::text(&sets, &mut out);
            out
        }
        Format::Json => serde_json::to_string_pretty(&report::cost::json(&sets, &traffic))? + "\n",
        Format::Sarif | Format::Markdown | Format::Html => {
            bail!("privlink cost writes --format text or json")
        }
    };
    emit(&rendered, args.inputs.output.as_deref())?;
    Ok(if session.has_input_errors() { 2 } else { 0 })
}

fn read_prices(path: &Path) -> Result<PriceTable> {
    let text = crate::config::read_file(path, "cannot read the price table")?;
    PriceTable::parse(&text).map_err(|e| {
        let at = match e.position {
            Some((line, column)) => format!("{}:{line}:{column}", path.display()),
            None => path.display().to_string(),
        };
        anyhow::anyhow!(
            "{at}: {}\n  = help: a price table has the shape of crates/privlink_analysis/data/prices.toml",
            e.message
        )
    })
}
