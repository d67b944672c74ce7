//! `privlink fix`: the changes that resolve the findings, printed as a patch or written.

use std::path::PathBuf;

use anyhow::{Result, bail};
use privlink_fix::{Language, Options, Plan, Status, Written};
use privlink_ingest::InputFormat;
use privlink_model::Severity;

use super::emit;
use crate::cli::{FailOn, FixArgs, FixLanguage, Format};
use crate::report::fix as report;
use crate::session::{self, Session};

/// Runs `fix`; returns the exit status.
pub(crate) fn run(args: &FixArgs) -> Result<u8> {
    let json = match args.inputs.format {
        Format::Text => false,
        Format::Json => true,
        Format::Sarif | Format::Markdown | Format::Html => {
            bail!("privlink fix writes --report-format text or json")
        }
    };
    let (session, _) = session::open(&args.inputs, false)?;
    let options = Options {
        analysis: privlink_analysis::Options {
            endpoints_only: session.endpoints_only,
            region: args
                .inputs
                .region
                .clone()
                .or_else(|| session.config.region.clone()),
        },
        language: args.language.map(|l| match l {
            FixLanguage::Terraform => Language::Terraform,
            FixLanguage::Cloudformation => Language::CloudFormation,
        }),
        generated: generated_inputs(&session),
    };
    let plan = privlink_fix::plan(&session.model, &session.analysis, &options);
    let render = |written: Option<&[Written]>| -> Result<String> {
        if json {
            return Ok(
                serde_json::to_string_pretty(&report::json(&session, &plan, written))? + "\n",
            );
        }
        let mut out = String::new();
        crate::report::text::input_errors(&session, &mut out);
        report::findings(&plan, &mut out);
        match written {
            None => report::patch(&plan, &mut out),
            Some(files) => report::written(files, &mut out),
        }
        Ok(out)
    };
    if !args.write {
        emit(&render(None)?, args.inputs.output.as_deref())?;
        return Ok(exit_code(&session, &plan));
    }
    if session.has_input_errors() {
        emit(&render(Some(&[]))?, args.inputs.output.as_deref())?;
        bail!(
            "nothing was written: an input could not be read; make it readable, then run privlink fix --write again"
        );
    }
    match privlink_fix::write(&plan) {
        Ok(written) => {
            emit(&render(Some(&written))?, args.inputs.output.as_deref())?;
            Ok(exit_code(&session, &plan))
        }
        Err(e) => {
            emit(&render(Some(&e.written))?, args.inputs.output.as_deref())?;
            Err(e.into())
        }
    }
}

/// The CDK cloud assemblies among the inputs: their templates are generated, never edited.
fn generated_inputs(session: &Session) -> Vec<PathBuf> {
    session
        .inputs
        .iter()
        .filter(|i| i.format == InputFormat::CdkOut)
        .map(|i| PathBuf::from(&i.path))
        .collect()
}

/// 2 for unreadable inputs; 1 when a finding at or above `--fail-on` is left to do by hand; else 0.
fn exit_code(session: &Session, plan: &Plan) -> u8 {
    if session.has_input_errors() {
        return 2;
    }
    let threshold = match session.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return 0,
    };
    u8::from(
        plan.findings
            .iter()
            .any(|f| f.status != Status::Fixed && f.finding.severity >= threshold),
    )
}
