//! The plan: every finding's intents lowered by the backend of the language its anchor element is
//! written in, round after round until the fixed network shows nothing new.
//!
//! Round 1 lowers the fixes of the analysis' findings. The intents that were written are applied to
//! a copy of the model ([`crate::simulate`]) and the copy is analysed again: a finding that appears
//! only now was hidden behind the first cause of its flow (an S3 gateway endpoint that the workload's
//! security group cannot reach), and its fix is lowered in the next round. A finding already seen is
//! not lowered twice; one whose written fix does not clear it in the re-analysis is reported as not
//! fixed. The rounds stop when nothing new appears, or after [`MAX_ROUNDS`].

use std::collections::HashSet;

use privlink_analysis::finding::{Applicability, Finding};
use privlink_analysis::{Analysis, analyze};
use privlink_model::{FixIntent, Location, Model};

use crate::cloudformation::CloudFormation;
use crate::plan::{FindingOutcome, IntentStatus, Item, Language, Lowered, Options, Plan, Status};
use crate::simulate;
use crate::source::{Sources, anchor};
use crate::terraform::Terraform;

/// Fixes reveal at most a few layers (endpoint, then its DNS, then a security group, then a rule):
/// more rounds than this mean the fixes do not converge.
const MAX_ROUNDS: usize = 6;

/// What identifies a finding across rounds.
type FindingKey = (String, Option<String>, Option<String>, Option<String>);

fn key(f: &Finding) -> FindingKey {
    (
        f.rule.to_owned(),
        f.resource.clone(),
        f.workload.clone(),
        f.service.clone(),
    )
}

/// Plans the fixes of an analysis of `model`.
pub fn plan(model: &Model, analysis: &Analysis, options: &Options) -> Plan {
    let sources = Sources::new(model);
    let mut terraform = Terraform::new(&sources);
    let mut cloudformation = CloudFormation::new(&sources, &options.generated);
    let mut simulated = model.clone();
    let mut outcomes: Vec<FindingOutcome> = Vec::new();
    let mut seen: HashSet<FindingKey> = HashSet::new();
    let mut handled: Vec<(FixIntent, IntentStatus)> = Vec::new();
    let mut findings = analysis.findings.clone();
    for round in 0..MAX_ROUNDS {
        // Findings still reported after their fix was written: the fix did not do it.
        for outcome in &mut outcomes {
            if outcome.status == Status::Fixed
                && findings.iter().any(|f| key(f) == key(&outcome.finding))
            {
                outcome.status = Status::Partly {
                    left: vec![
                        "privlink wrote its fix, but the network as fixed still has this finding: check it by hand".to_owned(),
                    ],
                };
            }
        }
        let mut items: Vec<Item> = Vec::new();
        // For each new finding with a fix to write: its outcome and the items of its intents.
        let mut pending: Vec<(usize, Vec<IntentRef>)> = Vec::new();
        for finding in findings {
            if !seen.insert(key(&finding)) {
                continue;
            }
            let index = outcomes.len();
            let (status, refs) = triage(&finding, &handled, &mut items);
            outcomes.push(FindingOutcome {
                finding,
                revealed: round > 0,
                status,
            });
            if !refs.is_empty() {
                pending.push((index, refs));
            }
        }
        if pending.is_empty() {
            break;
        }
        let lowered = lower(
            &sources,
            &mut terraform,
            &mut cloudformation,
            options,
            &items,
        );
        for (item, result) in items.iter().zip(&lowered) {
            if result.status == IntentStatus::Written {
                simulate::apply(&mut simulated, &item.intent, result);
            }
            handled.push((item.intent.clone(), result.status.clone()));
        }
        for (index, refs) in pending {
            let statuses: Vec<IntentStatus> = refs
                .iter()
                .map(|r| match r {
                    IntentRef::Item(i) => lowered[*i].status.clone(),
                    IntentRef::Done(s) => s.clone(),
                })
                .collect();
            outcomes[index].status = status_of(&statuses);
        }
        findings = analyze(&simulated, &options.analysis).findings;
    }
    // A misspelling renamed by a fix that set the argument it stands for is fixed too.
    let renamed: Vec<&Location> = terraform
        .renamed()
        .iter()
        .chain(cloudformation.renamed())
        .collect();
    for outcome in &mut outcomes {
        let f = &outcome.finding;
        if matches!(f.rule, "invalid-terraform" | "invalid-cloudformation")
            && f.location.as_ref().is_some_and(|l| renamed.contains(&l))
        {
            outcome.status = Status::Fixed;
        }
    }
    let mut files = terraform.finish();
    files.extend(cloudformation.finish());
    files.sort_by(|a, b| {
        a.is_new()
            .cmp(&b.is_new())
            .then_with(|| a.path.cmp(&b.path))
    });
    Plan {
        findings: outcomes,
        files,
    }
}

/// An intent of a finding: lowered in this round (its item), or already decided.
#[derive(Debug)]
enum IntentRef {
    Item(usize),
    Done(IntentStatus),
}

/// The status of a finding that needs no lowering, or the intents to lower.
fn triage(
    finding: &Finding,
    handled: &[(FixIntent, IntentStatus)],
    items: &mut Vec<Item>,
) -> (Status, Vec<IntentRef>) {
    let Some(fix) = &finding.fix else {
        return (
            Status::Manual {
                reasons: vec!["privlink has no fix for this finding".to_owned()],
            },
            Vec::new(),
        );
    };
    if fix.applicability == Applicability::Manual || fix.intents.is_empty() {
        return (
            Status::Manual {
                reasons: vec![fix.summary.clone()],
            },
            Vec::new(),
        );
    }
    let reason = format!(
        "{}: {}",
        finding.rule,
        finding.resource.as_deref().unwrap_or("")
    );
    let refs = fix
        .intents
        .iter()
        .map(|intent| {
            if let FixIntent::Manual { description } = intent {
                return IntentRef::Done(IntentStatus::NotWritten(description.clone()));
            }
            if let Some((_, status)) = handled.iter().find(|(i, _)| i == intent) {
                return IntentRef::Done(status.clone());
            }
            if let Some(i) = items.iter().position(|it| &it.intent == intent) {
                return IntentRef::Item(i);
            }
            items.push(Item {
                intent: intent.clone(),
                reason: reason.clone(),
            });
            IntentRef::Item(items.len() - 1)
        })
        .collect();
    (Status::Fixed, refs)
}

fn status_of(statuses: &[IntentStatus]) -> Status {
    let mut left: Vec<String> = Vec::new();
    for s in statuses {
        if let IntentStatus::NotWritten(reason) = s
            && !left.contains(reason)
        {
            left.push(reason.clone());
        }
    }
    let written = statuses
        .iter()
        .filter(|s| **s == IntentStatus::Written)
        .count();
    if left.is_empty() {
        Status::Fixed
    } else if written == 0 {
        Status::Manual { reasons: left }
    } else {
        Status::Partly { left }
    }
}

/// Lowers one round: each item by the backend of its anchor's language.
fn lower(
    sources: &Sources<'_>,
    terraform: &mut Terraform<'_, '_>,
    cloudformation: &mut CloudFormation<'_, '_>,
    options: &Options,
    items: &[Item],
) -> Vec<Lowered> {
    let mut results: Vec<Option<Lowered>> = vec![None; items.len()];
    let mut by_language: [(Language, Vec<usize>); 2] = [
        (Language::Terraform, Vec::new()),
        (Language::CloudFormation, Vec::new()),
    ];
    for (i, item) in items.iter().enumerate() {
        let Some(id) = anchor(&item.intent) else {
            results[i] = Some(Lowered::not_written("privlink cannot write this"));
            continue;
        };
        let language = if terraform.created(id) {
            Ok(Language::Terraform)
        } else if cloudformation.created(id) {
            Ok(Language::CloudFormation)
        } else {
            sources.language(id)
        };
        match language {
            Err(reason) => results[i] = Some(Lowered::not_written(reason)),
            Ok(l) if options.language.is_some_and(|chosen| chosen != l) => {
                results[i] = Some(Lowered::not_written(format!(
                    "{id} is written in {}: run privlink fix --format {l}",
                    match l {
                        Language::Terraform => "Terraform",
                        Language::CloudFormation => "CloudFormation",
                    }
                )));
            }
            Ok(l) => {
                if let Some((_, list)) = by_language.iter_mut().find(|(lang, _)| *lang == l) {
                    list.push(i);
                }
            }
        }
    }
    for (language, indices) in by_language {
        if indices.is_empty() {
            continue;
        }
        let batch: Vec<Item> = indices.iter().map(|&i| items[i].clone()).collect();
        let lowered = match language {
            Language::Terraform => terraform.lower(&batch),
            Language::CloudFormation => cloudformation.lower(&batch),
        };
        for (i, l) in indices.into_iter().zip(lowered) {
            results[i] = Some(l);
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Lowered::not_written("privlink cannot write this")))
        .collect()
}
