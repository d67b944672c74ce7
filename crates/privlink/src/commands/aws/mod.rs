//! `privlink aws scan` and `privlink aws apply`: the live account as an input, and the fixes made in it.
//!
//! A scan becomes a snapshot document (saved with `--save`, or kept in memory) that is loaded like any
//! other input and analysed exactly as `check` analyses its inputs, so the reports are the same and
//! locations point at lines of the snapshot. `apply` plans the findings' fixes, prints the plan, and
//! changes the account only with `--yes` (or checks it with `--dry-run`).

mod apply;
mod progress;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use privlink_aws::error::CallErrors;
use privlink_ingest::snapshot::{self, Snapshot};
use privlink_ingest::{InputFormat, InputReport, Loaded};
use privlink_model::Model;

use super::emit;
use crate::cli::{FailOn, Format, InputArgs};
use crate::report::style;
use crate::session::{self, Session};

/// `privlink aws`.
#[derive(Debug, Subcommand)]
pub(crate) enum AwsCommand {
    /// Scan a live account (read-only) and check it like `check` checks files.
    ///
    /// Uses the default credential chain (environment, profile, SSO, instance role) and honours
    /// AWS_ENDPOINT_URL. Only Describe, List and Get calls are made.
    #[command(
        after_help = "Exit status: as for `check`; 2 also when the scan cannot run (credentials, profile, region, an endpoint that does not answer within the limits) or could not read a call the analysis needs (ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeRouteTables, ec2:DescribeSecurityGroups, ec2:DescribeNetworkAcls, ec2:DescribeVpcEndpoints)."
    )]
    Scan(ScanArgs),
    /// Create what the findings of a scan say is missing: endpoints, security-group rules, route-table
    /// associations, VPC DNS attributes.
    ///
    /// Prints the plan and changes nothing without --yes. Everything created is tagged
    /// privlink:managed; running it again after a failure finishes the job.
    #[command(
        after_help = "Exit status: 0 when the plan was printed or fully applied, 1 when a step failed, 2 when the scan cannot run."
    )]
    Apply(ApplyArgs),
}

/// Which account and regions.
#[derive(Debug, Args)]
pub(crate) struct AccountArgs {
    /// A named profile of the AWS shared config and credentials files.
    #[arg(long, value_name = "PROFILE")]
    pub(crate) profile: Option<String>,

    /// A region to scan (repeatable; default: the configured region).
    #[arg(long = "region", value_name = "REGION", conflicts_with = "all_regions")]
    pub(crate) regions: Vec<String>,

    /// Scan every region enabled for the account.
    #[arg(long)]
    pub(crate) all_regions: bool,

    /// How many regions to scan at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub(crate) concurrency: usize,

    /// The most one AWS call may take in total, every attempt and the whole answer included.
    #[arg(long, value_name = "SECONDS", env = "PRIVLINK_AWS_TIMEOUT", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,

    /// The most establishing a connection to an AWS endpoint may take.
    #[arg(long, value_name = "SECONDS", env = "PRIVLINK_AWS_CONNECT_TIMEOUT", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) connect_timeout: u64,

    /// The most an attempt may wait for the answer to start.
    #[arg(long, value_name = "SECONDS", env = "PRIVLINK_AWS_READ_TIMEOUT", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) read_timeout: u64,

    /// Attempts of one call, the first included: throttling, server errors and timeouts are
    /// retried with backoff, within --timeout.
    #[arg(long, value_name = "N", env = "AWS_MAX_ATTEMPTS", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub(crate) max_attempts: u32,

    /// Write the scan to FILE as a snapshot (`check --aws-snapshot FILE` reads it offline).
    #[arg(long, value_name = "FILE")]
    pub(crate) save: Option<PathBuf>,
}

impl AccountArgs {
    /// The time limits and retries of each call.
    pub(crate) fn timeouts(&self) -> privlink_aws::Timeouts {
        privlink_aws::Timeouts {
            connect: Duration::from_secs(self.connect_timeout),
            read: Duration::from_secs(self.read_timeout),
            call: Duration::from_secs(self.timeout),
            attempts: self.max_attempts,
        }
    }
}

/// How to analyse and report, as for `check`.
#[derive(Debug, Args)]
pub(crate) struct AnalysisArgs {
    /// Configuration file (default: privlink.toml in the working directory).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// A workload to check instead of those found (repeatable), e.g.
    /// kind=ecs-fargate,subnets=subnet-0abc+subnet-0def,features=awslogs
    #[arg(long = "workload", value_name = "SPEC")]
    pub(crate) workloads: Vec<String>,

    /// Evaluate as if no NAT gateway, NAT instance or internet gateway route existed.
    #[arg(long)]
    pub(crate) endpoints_only: bool,
}

/// `aws scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) account: AccountArgs,

    #[command(flatten)]
    pub(crate) analysis: AnalysisArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<FailOn>,
}

/// `aws apply`.
#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    pub(crate) account: AccountArgs,

    #[command(flatten)]
    pub(crate) analysis: AnalysisArgs,

    /// Make the changes (without it the plan is only printed).
    #[arg(long)]
    pub(crate) yes: bool,

    /// Send each call with EC2's DryRun flag: AWS checks permissions and parameters, nothing changes.
    #[arg(long, conflicts_with = "yes")]
    pub(crate) dry_run: bool,
}

/// Runs an `aws` command; returns the exit status.
pub(crate) fn run(command: &AwsCommand) -> Result<u8> {
    match command {
        AwsCommand::Scan(args) => scan_command(args),
        AwsCommand::Apply(args) => apply::run(args),
    }
}

/// A scan, analysed.
pub(crate) struct Scanned {
    /// The analysis, as `check` has it.
    pub(crate) session: Session,
    /// What was scanned.
    pub(crate) snapshot: Snapshot,
    /// The network as the snapshot gives it (before `--workload` replaces workloads).
    pub(crate) model: Model,
}

/// Scans and analyses. A scan that cannot run is an error (exit status 2).
pub(crate) fn scan_and_analyse(
    account: &AccountArgs,
    analysis: &AnalysisArgs,
    report: InputArgs,
) -> Result<Scanned> {
    let options = privlink_aws::ScanOptions {
        profile: account.profile.clone(),
        regions: account.regions.clone(),
        all_regions: account.all_regions,
        concurrency: account.concurrency,
        sdk: None,
        timeouts: account.timeouts(),
    };
    let bar = Arc::new(progress::Bar::new());
    let outcome = privlink_aws::scan(&options, bar.clone());
    bar.finish();
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}\n  = help: {}", e.help()))?;
    // One line per call that failed the same way, however many regions; anstream drops the
    // colours under NO_COLOR, --no-color and when standard error is not a terminal.
    for group in CallErrors::group(outcome.optional_failures()) {
        anstream::eprintln!(
            "{}: {group}; {}",
            style::paint(style::WARNING, "warning[aws]"),
            group.help()
        );
    }
    let incomplete = CallErrors::group(outcome.required_failures());
    for group in &incomplete {
        anstream::eprintln!(
            "{}: {group}; {}",
            style::paint(style::ERROR, "error[aws]"),
            group.help()
        );
    }
    let document = snapshot::to_text(&outcome.snapshot);
    let path = match &account.save {
        Some(file) => {
            privlink_fix::write_atomically(file, document.as_bytes())
                .with_context(|| format!("cannot write the snapshot to {}", file.display()))?;
            file.display().to_string()
        }
        // Not written anywhere: locations still point into this document, shown from memory.
        None => "aws-scan.json".to_owned(),
    };
    let model = snapshot::lower(&outcome.snapshot, &document, &path);
    let args = InputArgs {
        config: analysis.config.clone(),
        workloads: analysis.workloads.clone(),
        endpoints_only: analysis.endpoints_only,
        ..report
    };
    let loaded = Loaded {
        model: model.clone(),
        inputs: vec![InputReport {
            path: path.clone(),
            format: InputFormat::AwsSnapshot,
            // Without a required call the network of its regions is not known: the scan is an
            // input that could not be read (exit 2), never a clean account.
            errors: incomplete
                .iter()
                .map(|group| {
                    privlink_ingest::InputError::file(
                        path.clone(),
                        format!("the scan is incomplete: {group}"),
                    )
                    .with_help(format!(
                        "{}; privlink cannot analyse a region's network without {}",
                        group.help(),
                        group.first.call
                    ))
                })
                .collect(),
        }],
    };
    let (mut session, _) = session::open_with(&args, false, &[], |_| loaded)?;
    session.documents.push((path, document));
    Ok(Scanned {
        session,
        snapshot: outcome.snapshot,
        model,
    })
}

fn scan_command(args: &ScanArgs) -> Result<u8> {
    let report = InputArgs {
        format: args.format,
        output: args.output.clone(),
        fail_on: args.fail_on,
        ..InputArgs::default()
    };
    let scanned = scan_and_analyse(&args.account, &args.analysis, report)?;
    let session = &scanned.session;
    emit(
        &super::check::render(session, args.format)?,
        args.output.as_deref(),
    )?;
    Ok(session.exit_code())
}
