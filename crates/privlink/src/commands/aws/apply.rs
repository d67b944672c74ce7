//! `privlink aws apply`: scan, analyse, plan the findings' fixes, print the plan, and with `--yes`
//! (or `--dry-run`) carry it out, reporting what was and was not done.

use std::fmt::Write as _;

use anyhow::Result;
use privlink_analysis::finding::Applicability;
use privlink_aws::apply::{self, ApplyOptions, ApplyReport, Plan, StepOutcome};

use super::{ApplyArgs, scan_and_analyse};
use crate::cli::InputArgs;
use crate::commands::emit;
use crate::report::style::{BOLD, DIM, ERROR, OK, WARNING, paint};

/// Runs `aws apply`; returns the exit status.
pub(crate) fn run(args: &ApplyArgs) -> Result<u8> {
    let scanned = scan_and_analyse(&args.account, &args.analysis, InputArgs::default())?;
    if scanned.session.has_input_errors() {
        anyhow::bail!(
            "the scan is incomplete (see the errors above), so no fixes are planned: a fix made \
             from part of the network could duplicate or contradict what the scan could not read"
        );
    }
    let findings = &scanned.session.analysis.findings;
    let mut fixes = Vec::new();
    let mut manual = Vec::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if fix.applicability == Applicability::Manual || fix.intents.is_empty() {
            manual.push(format!(
                "{} ({}): {}",
                f.rule,
                f.resource.as_deref().unwrap_or("-"),
                fix.summary
            ));
        } else {
            fixes.push(fix.intents.clone());
        }
    }
    let mut plan = apply::plan(&scanned.model, &scanned.snapshot, &fixes);
    plan.manual.extend(manual);
    let mut out = String::new();
    render_plan(&plan, findings.len(), &mut out);
    if plan.steps.is_empty() {
        emit(&out, None)?;
        return Ok(0);
    }
    if !args.yes && !args.dry_run {
        let _ = writeln!(
            out,
            "\nNothing was changed. Run again with --yes to make these changes, or --dry-run to have AWS check them."
        );
        emit(&out, None)?;
        return Ok(0);
    }
    emit(&out, None)?;
    let options = ApplyOptions {
        profile: args.account.profile.clone(),
        dry_run: args.dry_run,
        sdk: None,
        timeouts: args.account.timeouts(),
    };
    let report = apply::execute(&plan, &options)?;
    let mut out = String::new();
    render_report(&report, args.dry_run, &mut out);
    emit(&out, None)?;
    Ok(u8::from(report.failed.is_some()))
}

fn render_plan(plan: &Plan, findings: usize, out: &mut String) {
    if plan.steps.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(
                OK,
                format!(
                    "Nothing to apply ({findings} findings, none with a fix privlink can make)."
                )
            )
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            paint(
                BOLD,
                format!(
                    "Plan: {} change{}",
                    plan.steps.len(),
                    if plan.steps.len() == 1 { "" } else { "s" }
                )
            )
        );
        for (i, step) in plan.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:>2}. [{}] {}  {}",
                i + 1,
                step.region,
                step.action,
                paint(DIM, step.action.call())
            );
        }
        let _ = writeln!(
            out,
            "  {}",
            paint(
                DIM,
                format!("everything created is tagged {}=true", apply::MANAGED_TAG)
            )
        );
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "{}: {w}", paint(WARNING, "warning"));
    }
    if !plan.manual.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(BOLD, "Not done by apply (change these yourself):")
        );
        for m in &plan.manual {
            let _ = writeln!(out, "  - {m}");
        }
    }
}

fn render_report(report: &ApplyReport, dry_run: bool, out: &mut String) {
    for (step, outcome) in &report.done {
        let (mark, detail) = match outcome {
            StepOutcome::Done(d) => (paint(OK, "done"), d.clone()),
            StepOutcome::AlreadyDone(d) => (paint(OK, "already done"), d.clone()),
            StepOutcome::WouldSucceed => (paint(OK, "would succeed"), "DryRun".to_owned()),
            StepOutcome::NotChecked => (
                paint(WARNING, "not checked"),
                format!("{} has no DryRun flag", step.action.call()),
            ),
        };
        let _ = writeln!(out, "{mark}: [{}] {} ({detail})", step.region, step.action);
    }
    if let Some((step, error)) = &report.failed {
        let _ = writeln!(
            out,
            "{}: [{}] {}: {error}",
            paint(ERROR, "failed"),
            step.region,
            step.action
        );
        let _ = writeln!(out, "  = help: {}", error.help());
        for s in &report.not_done {
            let _ = writeln!(
                out,
                "{}: [{}] {}",
                paint(WARNING, "not done"),
                s.region,
                s.action
            );
        }
        let _ = writeln!(
            out,
            "Stopped at the first failure. Fix its cause and run `privlink aws apply --yes` again: it scans again and finishes what is left."
        );
    } else if dry_run {
        let _ = writeln!(
            out,
            "{}",
            paint(
                OK,
                "Dry run: AWS accepted every call it could check; nothing was changed."
            )
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            paint(
                OK,
                format!(
                    "Applied {} change{}.",
                    report.done.len(),
                    if report.done.len() == 1 { "" } else { "s" }
                )
            )
        );
    }
}
