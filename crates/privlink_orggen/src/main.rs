//! `privlink-orggen`: writes a generated organisation (see the library docs) under a directory.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use privlink_orggen::{Form, org, write_all};

/// Writes an organisation of N VPCs in Terraform (DIR/terraform), CloudFormation
/// (DIR/cloudformation, one template per VPC) and snapshot (DIR/snapshot.json) form, with defects
/// in four VPCs of five, and DIR/manifest.json listing the findings each VPC must produce.
#[derive(Debug, Parser)]
#[command(name = "privlink-orggen", version)]
struct Args {
    /// How many VPCs.
    #[arg(long, default_value_t = 10)]
    vpcs: usize,
    /// The forms to write (repeatable, comma-separated); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    form: Vec<FormArg>,
    /// The directory to write into (created; existing files of the same names are replaced).
    #[arg(long, short)]
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormArg {
    Terraform,
    Cloudformation,
    Snapshot,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let forms: Vec<Form> = if args.form.is_empty() {
        vec![Form::Terraform, Form::CloudFormation, Form::Snapshot]
    } else {
        args.form
            .iter()
            .map(|f| match f {
                FormArg::Terraform => Form::Terraform,
                FormArg::Cloudformation => Form::CloudFormation,
                FormArg::Snapshot => Form::Snapshot,
            })
            .collect()
    };
    write_all(&args.out, &org(args.vpcs), &forms)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", args.out.display()))
}
