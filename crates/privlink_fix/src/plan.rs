//! What `privlink fix` produces: for every finding, whether its fix was written; for every file, its
//! content before and after.

use std::fmt;
use std::path::PathBuf;

use privlink_analysis::finding::Finding;
use privlink_model::ResourceId;

use crate::diff;

/// The language fixes are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Terraform HCL (`.tf`).
    Terraform,
    /// CloudFormation templates (YAML or JSON).
    CloudFormation,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Terraform => "terraform",
            Self::CloudFormation => "cloudformation",
        })
    }
}

/// How to plan.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The analysis options the findings came from (re-used to analyse the fixed network).
    pub analysis: privlink_analysis::Options,
    /// Write only fixes for elements written in this language; `None`: each fix in the language of
    /// the element it changes.
    pub language: Option<Language>,
    /// Directories whose templates are generated (CDK cloud assemblies): never edited, since the next
    /// `cdk synth` overwrites them.
    pub generated: Vec<PathBuf>,
}

/// What happened to one finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Every change it needs is in the plan.
    Fixed,
    /// Some changes are in the plan; these are left to do by hand.
    Partly {
        /// What is left, one sentence each.
        left: Vec<String>,
    },
    /// Nothing was written: a person has to do it.
    Manual {
        /// Why, and what to do, one sentence each.
        reasons: Vec<String>,
    },
}

/// One finding and its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingOutcome {
    /// The finding.
    pub finding: Finding,
    /// Whether it appeared only once the fixes of the other findings were applied (fixing one cause
    /// uncovered it).
    pub revealed: bool,
    /// Its outcome.
    pub status: Status,
}

/// A file the plan creates or changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// The path to read and write, as the inputs name it (relative paths stay relative).
    pub path: PathBuf,
    /// The content before, `None` for a new file.
    pub original: Option<String>,
    /// The content after.
    pub updated: String,
}

impl FileChange {
    /// Whether the plan creates this file.
    pub fn is_new(&self) -> bool {
        self.original.is_none()
    }

    /// The path as shown to users.
    pub fn display(&self) -> String {
        let text = self.path.to_string_lossy();
        text.strip_prefix("./").unwrap_or(&text).to_owned()
    }

    /// The change as a unified diff with git's `a/` and `b/` prefixes (`--- /dev/null` for a new
    /// file), as `git apply` and `patch -p1` read it.
    pub fn diff(&self) -> String {
        diff::unified(&self.display(), self.original.as_deref(), &self.updated)
    }
}

/// Everything `privlink fix` would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Every finding: those of the analysis, then those the fixes revealed.
    pub findings: Vec<FindingOutcome>,
    /// The files to change or create, modified files first, each group by path.
    pub files: Vec<FileChange>,
}

impl Plan {
    /// The outcomes of the findings that are not (completely) fixed.
    pub fn left_to_do(&self) -> impl Iterator<Item = &FindingOutcome> {
        self.findings
            .iter()
            .filter(|f| !matches!(f.status, Status::Fixed))
    }
}

/// Whether a backend wrote an intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IntentStatus {
    /// The change is in the plan.
    Written,
    /// It is not, for this reason (a sentence saying what to do instead).
    NotWritten(String),
}

/// What a backend did with one intent, and the model elements it created (so the simulation can add
/// them and later fixes can refer to them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lowered {
    pub(crate) status: IntentStatus,
    /// A new VPC endpoint.
    pub(crate) endpoint: Option<ResourceId>,
    /// The endpoint security group the backend gave a new or default-grouped endpoint (created
    /// with the first endpoint of its VPC that needed it).
    pub(crate) security_group: Option<ResourceId>,
}

impl Lowered {
    pub(crate) fn written() -> Self {
        Self {
            status: IntentStatus::Written,
            endpoint: None,
            security_group: None,
        }
    }

    pub(crate) fn not_written(reason: impl Into<String>) -> Self {
        Self {
            status: IntentStatus::NotWritten(reason.into()),
            endpoint: None,
            security_group: None,
        }
    }
}

/// One intent to lower, with the finding it fixes (new resources say which finding they are for).
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) intent: privlink_model::FixIntent,
    /// `rule: resource`, for comments in new code.
    pub(crate) reason: String,
}
