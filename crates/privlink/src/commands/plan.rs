//! `privlink plan`: the endpoints a workload kind needs, as a table or JSON, or a whole reference
//! network as Terraform or CloudFormation.

use std::path::PathBuf;
use std::str::FromStr as _;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use privlink_model::{Feature, WorkloadKind, is_region_name};

use super::emit;
use crate::plan::{self, Plan, Reference, Request};

/// `plan`.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The workload kind: ecs-fargate, ecs-ec2, eks-node or eks-fargate.
    #[arg(long, value_name = "KIND", value_parser = WorkloadKind::from_str)]
    pub(crate) kind: WorkloadKind,

    /// A feature that needs a service of its own (repeatable, or comma-separated): awslogs,
    /// secretsmanager, ssm, private-registry-auth, exec, xray, efs, service-connect, firelens, or
    /// service:NAME for a service the application calls (e.g. service:sqs).
    #[arg(long = "feature", value_name = "FEATURE", value_delimiter = ',', value_parser = Feature::from_str)]
    pub(crate) features: Vec<Feature>,

    /// The AWS region.
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub(crate) region: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub(crate) format: PlanFormat,

    /// How many availability zones the network spans.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub(crate) azs: u8,

    /// The Fargate platform version (ECS on Fargate; default LATEST, which is 1.4.0).
    #[arg(long, value_name = "VERSION")]
    pub(crate) platform_version: Option<String>,

    /// A container image the workload runs (repeatable); an image outside ECR shows the
    /// pull-through cache it needs.
    #[arg(long = "image", value_name = "IMAGE")]
    pub(crate) images: Vec<String>,

    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// `plan` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanFormat {
    /// One row per required service: endpoint type, service name, why.
    Table,
    /// The same data as JSON (schema_version 1).
    Json,
    /// A complete reference network as one Terraform file.
    Terraform,
    /// A complete reference network as a CloudFormation template (YAML).
    Cloudformation,
}

/// An AWS region name (`ap-northeast-1`).
fn parse_region(text: &str) -> Result<String, String> {
    let region = text.trim();
    if is_region_name(region) {
        Ok(region.to_owned())
    } else {
        Err(format!(
            "`{text}` is not an AWS region name, e.g. ap-northeast-1 or us-east-1"
        ))
    }
}

/// Runs `plan`; returns the exit status.
pub(crate) fn run(args: &PlanArgs) -> Result<u8> {
    if args.platform_version.is_some() && args.kind != WorkloadKind::EcsFargate {
        bail!(
            "--platform-version is the Fargate platform version of ECS tasks; {} has none",
            args.kind
        );
    }
    let mut features = Vec::new();
    for f in &args.features {
        if !features.contains(f) {
            features.push(f.clone());
        }
    }
    let request = Request {
        kind: args.kind,
        features,
        platform_version: args.platform_version.clone(),
        images: args.images.clone(),
        region: args.region.clone(),
        azs: args.azs,
    };
    let plan = Plan::new(request);
    let text = match args.format {
        PlanFormat::Table => plan::table::render(&plan),
        PlanFormat::Json => serde_json::to_string_pretty(&plan::json::document(&plan))? + "\n",
        PlanFormat::Terraform => plan::terraform::render(&Reference::new(&plan)?),
        PlanFormat::Cloudformation => plan::cloudformation::render(&Reference::new(&plan)?),
    };
    emit(&text, args.output.as_deref())?;
    Ok(0)
}
