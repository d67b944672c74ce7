//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// privlink: will this container workload start without a NAT gateway?
///
/// privlink reads your network as written (Terraform, CloudFormation/CDK) or as deployed (a live
/// account), works out which VPC endpoints each ECS task and EKS node needs, traces every required
/// network path, predicts the exact error a missing piece causes, and writes the fix.
#[derive(Debug, Parser)]
#[command(name = "privlink", version = crate::version::VERSION.as_str(), about, long_about, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  privlink check infra/                      check a Terraform directory\n  privlink check --endpoints-only infra/     as if there were no NAT or internet gateway\n  privlink explain infra/ --service logs     every hop of the flows to CloudWatch Logs\n  privlink rules                             the rule catalogue"
)]
pub(crate) struct Cli {
    /// Never colour the output (also: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub(crate) no_color: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check every workload's required network paths and report what blocks them.
    ///
    /// Loads the inputs, finds the workloads (ECS services, EKS node groups and Fargate profiles,
    /// `--workload`, privlink.toml, or an assumed Fargate task), traces every flow each one needs, and
    /// reports findings with the offending source, the error the workload would stop with, and the fix.
    #[command(
        after_help = "Coverage: the report says how many workloads and required flows were fully checked and why the others are unknown. A required flow privlink cannot decide (verdict unknown) or a workload it cannot place is an unresolved-input error naming what would decide it (--region, --var, --parameter, --aws-snapshot, --workload); --allow-undecided reports them as infos.\nExit status: 0 when nothing is at or above --fail-on (so, by default, every required flow was decided and works), 1 when something is, 2 on a usage error or an input that could not be read (the other inputs are still analysed and reported)."
    )]
    Check(InputArgs),
    /// Print every hop of each required flow, like a traceroute you can follow.
    Explain(ExplainArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print one rule's documentation.
    Rule(RuleArgs),
    /// Price NAT gateways against VPC endpoints for the workloads found: monthly cost of the design
    /// as written, all egress through NAT gateways (one per AZ, or a single one), and every required
    /// service through endpoints, with the traffic at which endpoints become cheaper.
    #[command(
        after_help = "Traffic defaults to 100 GB a month (80 image pulls, 10 logs, 10 other); set it with --gb-per-month or a [traffic] table in privlink.toml.\nPrices: the table shipped with privlink (every figure dated and sourced), or --prices FILE.\nExit status: 0 priced, 2 on a usage error, an unreadable input, or a region privlink has no prices for."
    )]
    Cost(CostArgs),
    /// A live AWS account: scan it (read-only), or create what its findings say is missing.
    #[cfg(feature = "aws")]
    #[command(subcommand)]
    Aws(crate::commands::aws::AwsCommand),
    /// In a build without the `aws` feature: takes anything, so that `privlink aws ...` says why
    /// it is missing instead of "unrecognized subcommand".
    #[cfg(not(feature = "aws"))]
    #[command(hide = true, disable_help_flag = true)]
    Aws {
        /// Whatever followed `aws`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Which VPC endpoints a workload kind needs, and a private network that serves it (no input
    /// needed).
    ///
    /// `--format table` (the default) and `json` list each required service with its endpoint type,
    /// service name and why; `terraform` and `cloudformation` write a complete reference network:
    /// isolated app subnets across `--azs` AZs, a dedicated endpoint subnet per AZ, an endpoint
    /// security group admitting HTTPS from the VPC, every interface endpoint with private DNS and a
    /// minimal policy, the S3 gateway endpoint on the app route tables, and an example workload.
    #[command(
        after_help = "Examples:\n  privlink plan --kind ecs-fargate --feature awslogs,secretsmanager --region ap-northeast-1\n  privlink plan --kind eks-node --region eu-west-1 --format terraform > main.tf\nExit status: 0 planned, 2 on a usage error or a plan privlink cannot write as a network (an image in another region or outside AWS)."
    )]
    Plan(crate::commands::plan::PlanArgs),
    /// Write the changes that resolve the findings: edits of the Terraform or CloudFormation that
    /// declares each element, and new resources, printed as a patch or written with --write.
    #[command(
        after_help = "Without --write, prints the changes as a unified diff (new files against /dev/null): `privlink fix infra/ | git apply` (or `patch -p1`), run where privlink ran, applies it.\nWith --write, a changed file is first copied to FILE.privlink-backup (numbered, never overwritten); new Terraform resources go to a new privlink_fixes.tf of the module; new CloudFormation resources at the end of the template's Resources.\nSafe and unsafe fixes are written; fixes privlink cannot write (a value that is an expression, an element outside the inputs, a generated template) are listed with what to do.\nExit status: 0 when every finding at or above --fail-on is fixed, 1 when some need manual work, 2 on a usage error, an input that could not be read, or a file that could not be written."
    )]
    Fix(FixArgs),
    /// Print the shell completion script for SHELL.
    ///
    /// bash: `privlink completions bash > ~/.local/share/bash-completion/completions/privlink`;
    /// zsh: `privlink completions zsh > "${fpath[1]}/_privlink"`;
    /// fish: `privlink completions fish > ~/.config/fish/completions/privlink.fish`;
    /// PowerShell: `privlink completions powershell >> $PROFILE`.
    Completions(CompletionsArgs),
    /// Print privlink's man page (roff), or write a page per command into a directory.
    #[command(
        after_help = "Examples:\n  privlink man | man -l -                  read it now\n  privlink man --dir /usr/local/share/man/man1   privlink.1, privlink-check.1, ..."
    )]
    Man(ManArgs),
}

/// `completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write privlink.1 and one page per command (privlink-check.1, ...) into DIR instead of
    /// printing the main page.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

/// `fix`.
#[derive(Debug, Args)]
// `--format` names the language of the fixes here (as for `plan`), so the report format of the
// shared input flags is `--report-format`.
#[command(mut_arg("format", |a| a
    .long("report-format")
    .help("Report format: text (the findings, then the changes as a patch), or json (each finding with what became of it, and the changes as diffs)")))]
pub(crate) struct FixArgs {
    /// Inputs and options as for `check`.
    #[command(flatten)]
    pub(crate) inputs: InputArgs,

    /// The language to write fixes in (default: each fix in the language of the element it
    /// changes); findings about elements written in the other language are listed, not fixed.
    #[arg(
        long = "format",
        id = "fix_language",
        value_enum,
        value_name = "LANGUAGE"
    )]
    pub(crate) language: Option<FixLanguage>,

    /// Write the changes (with backups) instead of printing them.
    #[arg(long)]
    pub(crate) write: bool,
}

/// The languages `fix` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FixLanguage {
    /// Terraform (`.tf`).
    Terraform,
    /// CloudFormation templates (YAML or JSON).
    Cloudformation,
}

/// `cost`.
#[derive(Debug, Args)]
pub(crate) struct CostArgs {
    /// Inputs and options as for `check`.
    #[command(flatten)]
    pub(crate) inputs: InputArgs,

    /// Total traffic to AWS services in GB a month, split as the [traffic] table of privlink.toml
    /// splits it (default: 80% image pulls, 10% logs, 10% other).
    #[arg(long, value_name = "GB", value_parser = parse_gb)]
    pub(crate) gb_per_month: Option<rust_decimal::Decimal>,

    /// A price table replacing the one shipped with privlink (same TOML shape; every region must
    /// have every figure).
    #[arg(long, value_name = "FILE")]
    pub(crate) prices: Option<PathBuf>,
}

/// A non-negative number of GB, kept exact.
fn parse_gb(text: &str) -> Result<rust_decimal::Decimal, String> {
    let gb: rust_decimal::Decimal = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of GB, e.g. 1500 or 250.5"))?;
    if gb.is_sign_negative() {
        return Err(format!("`{text}`: traffic cannot be negative"));
    }
    let max = privlink_analysis::cost::MAX_TRAFFIC_GB;
    if gb > rust_decimal::Decimal::from(max) {
        return Err(format!(
            "`{text}`: privlink prices at most {max} GB a month"
        ));
    }
    Ok(gb)
}

/// Report formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable, with source snippets.
    #[default]
    Text,
    /// The JSON schema of SPEC.md (schema_version 1).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers (check only).
    Sarif,
    /// Markdown, for pull-request comments (check only).
    Markdown,
    /// One self-contained HTML page: diagram, flows, findings, cost (check only).
    Html,
}

/// Formats of the rule list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

/// The minimum severity that makes the exit status 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never fail on findings.
    Never,
}

/// Options shared by the commands that read inputs.
#[derive(Debug, Default, Args)]
pub(crate) struct InputArgs {
    /// Files or directories to read: Terraform directories, plan/state JSON, CloudFormation templates,
    /// task definitions, privlink snapshots. Formats are detected by content. Default: `.` (unless
    /// --aws-snapshot is given).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// A snapshot written by `privlink aws scan --save FILE`, analysed offline (repeatable).
    #[arg(long = "aws-snapshot", value_name = "FILE")]
    pub(crate) aws_snapshots: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// AWS region where the inputs do not determine one.
    #[arg(long, value_name = "REGION")]
    pub(crate) region: Option<String>,

    /// Configuration file (default: privlink.toml beside the inputs or in the working directory).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// A workload to check, e.g.
    /// kind=ecs-fargate,subnets=aws_subnet.a+aws_subnet.b,security-groups=aws_security_group.app,features=awslogs+secretsmanager
    /// (repeatable; replaces the workloads found in the inputs).
    #[arg(long = "workload", value_name = "SPEC")]
    pub(crate) workloads: Vec<String>,

    /// Evaluate as if no NAT gateway, NAT instance or internet gateway route existed.
    #[arg(long)]
    pub(crate) endpoints_only: bool,

    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<FailOn>,

    /// Report required flows privlink cannot decide (verdict `unknown`) and workloads it cannot place
    /// as `unresolved-input` infos instead of errors. By default they are errors: exit status 0
    /// means every required flow was checked and works.
    #[arg(long)]
    pub(crate) allow_undecided: bool,

    /// Set a Terraform variable (repeatable), as `terraform plan -var` does.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,

    /// Read Terraform variables from FILE (repeatable), as `terraform plan -var-file` does.
    #[arg(long = "var-file", value_name = "FILE")]
    pub(crate) var_files: Vec<PathBuf>,

    /// Set a CloudFormation parameter of every template that declares it (repeatable), as
    /// `aws cloudformation deploy --parameter-overrides KEY=VALUE` does.
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub(crate) parameters: Vec<String>,
}

/// `explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Inputs and options as for `check`; here `--workload NAME` (without `=`) picks the workload to
    /// explain, while `--workload kind=...` still defines one.
    #[command(flatten)]
    pub(crate) inputs: InputArgs,

    /// Only flows to this service (endpoint suffix, e.g. logs, ecr.api, s3).
    #[arg(long, value_name = "SERVICE")]
    pub(crate) service: Option<String>,
}

/// `rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub(crate) format: ListFormat,
}

/// `rule`.
#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// The rule's name (e.g. missing-interface-endpoint) or code (e.g. PL001).
    pub(crate) name: String,
}

impl InputArgs {
    /// The inputs to read: the PATHs and snapshots given, or else the working directory.
    pub(crate) fn input_paths(&self) -> Vec<PathBuf> {
        let mut paths = self.paths.clone();
        paths.extend(self.aws_snapshots.iter().cloned());
        if paths.is_empty() {
            paths.push(PathBuf::from("."));
        }
        paths
    }
}
