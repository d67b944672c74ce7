//! One template of a run: its parsed tree, where it came from, and the stack context it is deployed
//! in (stack name, account and region when a CDK manifest says so; the parent of a nested stack).

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use privlink_model::Location;

use super::node::{Entry, Node, Pos};
use super::value::TemplateId;

/// What the deployment context says about a stack, when something says it (a CDK manifest's
/// `environment`, its stack name). `None` means known only at deploy time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct StackEnv {
    pub(crate) stack_name: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) region: Option<String>,
}

/// A template file found in an input, before parsing.
#[derive(Clone, Debug)]
pub(crate) struct TemplateFile {
    /// The input it belongs to (an index into the user's paths).
    pub(crate) input: usize,
    /// The file on disk.
    pub(crate) path: PathBuf,
    /// The file as shown to the user.
    pub(crate) display: String,
    /// The name that qualifies its logical IDs when two templates share one.
    pub(crate) stack: String,
    pub(crate) env: StackEnv,
    /// CDK file assets by S3 object key: how a CDK nested stack's `TemplateURL` finds its file.
    pub(crate) assets: Rc<HashMap<String, PathBuf>>,
}

/// A parsed template.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) file: TemplateFile,
    pub(crate) root: Node,
    /// For a nested stack: the parent template and the `AWS::CloudFormation::Stack` resource.
    pub(crate) parent: Option<(TemplateId, String)>,
    /// Positions of the `Resources` and `Parameters` entries by name, so that looking a logical
    /// ID up does not make loading quadratic in the template's size.
    resources: HashMap<String, usize>,
    parameters: HashMap<String, usize>,
}

impl Template {
    pub(crate) fn new(
        file: TemplateFile,
        root: Node,
        parent: Option<(TemplateId, String)>,
    ) -> Self {
        let index = |section: &str| -> HashMap<String, usize> {
            root.get(section)
                .map_or(&[][..], Node::entries)
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect()
        };
        let (resources, parameters) = (index("Resources"), index("Parameters"));
        Self {
            file,
            root,
            parent,
            resources,
            parameters,
        }
    }

    /// The entries of a top-level section (`Resources`, `Parameters`, ...).
    pub(crate) fn section(&self, name: &str) -> &[Entry] {
        self.root.get(name).map_or(&[], Node::entries)
    }

    pub(crate) fn resource(&self, logical_id: &str) -> Option<&Entry> {
        self.section("Resources")
            .get(*self.resources.get(logical_id)?)
    }

    pub(crate) fn resource_type(&self, logical_id: &str) -> Option<&str> {
        self.resource(logical_id)?.value.get("Type")?.as_str()
    }

    pub(crate) fn parameter(&self, name: &str) -> Option<&Entry> {
        self.section("Parameters").get(*self.parameters.get(name)?)
    }

    pub(crate) fn location(&self, at: Pos) -> Location {
        at.location(&self.file.display)
    }
}
