//! Parameters (`--parameter`, a nested stack's `Parameters`, `Default`, `AllowedValues`), pseudo
//! parameters, conditions, and the template checks CloudFormation makes before it creates anything.

use super::Evaluator;
use crate::cloudformation::node::{Node, NodeKind, Pos};
use crate::cloudformation::value::{Target, TemplateId, Value};

/// The top-level sections a template may have.
const SECTIONS: [&str; 9] = [
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
];

impl Evaluator {
    /// The region a template is deployed in: its context (a CDK environment, its parent's), else
    /// `--region`.
    pub(crate) fn region(&self, t: TemplateId) -> Option<String> {
        let template = &self.templates[t];
        if let Some(r) = &template.file.env.region {
            return Some(r.clone());
        }
        match &template.parent {
            Some((parent, _)) => self.region(*parent),
            None => self.options.region.clone(),
        }
    }

    /// A pseudo parameter; `None` for a name that is not one.
    pub(super) fn pseudo(&mut self, t: TemplateId, name: &str) -> Option<Value> {
        let unknown = |why: &str| Value::unknown(format!("${{{name}}}"), why.to_owned());
        let region = self.region(t);
        let env = self.templates[t].file.env.clone();
        let partition = region.as_deref().map(|r| {
            if r.starts_with("cn-") {
                ("aws-cn", "amazonaws.com.cn")
            } else if r.starts_with("us-gov-") {
                ("aws-us-gov", "amazonaws.com")
            } else {
                ("aws", "amazonaws.com")
            }
        });
        Some(match name {
            "AWS::NoValue" => Value::Omitted,
            "AWS::Region" => region.map_or_else(
                || unknown("the region is not known; pass --region"),
                Value::String,
            ),
            "AWS::AccountId" => env.account.map_or_else(
                || unknown("the account is known only at deploy time"),
                Value::String,
            ),
            "AWS::StackName" => env.stack_name.map_or_else(
                || unknown("the stack name is chosen at deploy time"),
                Value::String,
            ),
            "AWS::StackId" => unknown("the stack id is known only at deploy time"),
            "AWS::NotificationARNs" => unknown("the notification ARNs are chosen at deploy time"),
            "AWS::Partition" => partition.map_or_else(
                || unknown("the partition follows the region, which is not known"),
                |p| Value::String(p.0.to_owned()),
            ),
            "AWS::URLSuffix" => partition.map_or_else(
                || unknown("the URL suffix follows the region, which is not known"),
                |p| Value::String(p.1.to_owned()),
            ),
            _ => return None,
        })
    }

    /// A parameter's value: given (`--parameter`, or the parent stack's `Parameters` for a nested
    /// stack), else its `Default`; else unknown, standing for the resource it names when its type is
    /// an AWS resource id (`AWS::EC2::VPC::Id`), so resources still link through it.
    pub(crate) fn parameter(&mut self, t: TemplateId, name: &str) -> Value {
        let key = (t, name.to_owned());
        if let Some(v) = self.params.get(&key) {
            return v.clone();
        }
        // A placeholder while evaluating, in case a parent's Parameters refer back.
        self.params.insert(
            key.clone(),
            Value::unknown(
                format!("${{{name}}}"),
                format!("parameter {name} refers to itself"),
            ),
        );
        let value = self.compute_parameter(t, name);
        self.params.insert(key, value.clone());
        value
    }

    fn compute_parameter(&mut self, t: TemplateId, name: &str) -> Value {
        let template = self.template(t);
        let Some(entry) = template.parameter(name) else {
            return Value::Null;
        };
        let declared = &entry.value;
        let ty = declared
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or("String")
            .to_owned();
        let (given, source_at) = match &template.parent {
            Some((parent, stack)) => {
                let parent_template = self.template(*parent);
                let node = parent_template
                    .resource(stack)
                    .and_then(|r| r.value.get("Properties"))
                    .and_then(|p| p.get("Parameters"))
                    .and_then(|p| p.get(name));
                (node.map(|n| self.eval(*parent, n)), None)
            }
            None => {
                let cli = self
                    .options
                    .parameters
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| Value::String(v.clone()));
                (cli, None)
            }
        };
        let default = declared.get("Default");
        let (raw, at): (Value, Option<Pos>) = match (given, default) {
            (Some(v), _) => (v, source_at),
            (None, Some(d)) => (self.eval(t, d), Some(d.at)),
            (None, None) => {
                let reason =
                    format!("parameter {name} has no value; pass --parameter {name}=VALUE");
                return if names_resource(&ty) {
                    Value::target(
                        Target::Parameter {
                            template: t,
                            name: name.to_owned(),
                        },
                        format!("${{{name}}}"),
                        reason,
                    )
                } else {
                    Value::unknown(format!("${{{name}}}"), reason)
                };
            }
        };
        if ty.starts_with("AWS::SSM::Parameter::Value") {
            return Value::unknown(
                format!("${{{name}}}"),
                format!("parameter {name} is read from SSM Parameter Store at deploy time"),
            );
        }
        self.check_allowed(t, name, declared, &raw, at.unwrap_or(entry.key_at));
        let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
        match raw {
            Value::String(s) if is_list => Value::List(
                s.split(',')
                    .map(|p| Value::String(p.trim().to_owned()))
                    .filter(|p| p.as_str() != Some(""))
                    .collect(),
            ),
            Value::Number(n) => Value::String(crate::cloudformation::value::number_text(n)),
            other => other,
        }
    }

    /// CloudFormation refuses a parameter value outside `AllowedValues` (a `Default` included).
    fn check_allowed(
        &mut self,
        t: TemplateId,
        name: &str,
        declared: &Node,
        value: &Value,
        at: Pos,
    ) {
        let Some(NodeKind::List(allowed)) = declared.get("AllowedValues").map(|n| &n.kind) else {
            return;
        };
        let Some(text) = value.to_text() else { return };
        // CloudFormation compares parameter values as strings: YAML `true` and `2` in
        // AllowedValues stand for "true" and "2", as in a Default.
        let allowed: Vec<String> = allowed
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Bool(b) => Some(b.to_string()),
                NodeKind::Number(_) => self.eval(t, n).to_text(),
                _ => n.as_str().map(str::to_owned),
            })
            .collect();
        let values: Vec<&str> = if value.as_str().is_some_and(|s| s.contains(','))
            && allowed.iter().all(|a| !a.contains(','))
        {
            text.split(',').map(str::trim).collect()
        } else {
            vec![text.as_str()]
        };
        if let Some(bad) = values.into_iter().find(|v| !allowed.iter().any(|a| a == v)) {
            let list = allowed.join(", ");
            self.invalid(
                t,
                at,
                format!("parameter {name} is `{bad}`, which is not one of its AllowedValues ({list})"),
                &format!("make `{bad}` an allowed value, or use one of {list} (as the Default, or with --parameter {name}=VALUE)"),
                Some(format!("Parameter '{name}' must be one of AllowedValues")),
            );
        }
    }

    /// A condition's value; `None` when it depends on something unknown or is circular (an error).
    pub(crate) fn condition(&mut self, t: TemplateId, name: &str, at: Pos) -> Option<bool> {
        let key = (t, name.to_owned());
        match self.conditions.get(&key) {
            Some(Some(v)) => return *v,
            Some(None) => {
                let template = self.template(t);
                let at = template
                    .section("Conditions")
                    .iter()
                    .find(|e| e.key == name)
                    .map_or(at, |e| e.key_at);
                self.error(
                    t,
                    at,
                    format!("condition `{name}` depends on itself"),
                    Some("CloudFormation rejects circular conditions; break the cycle"),
                );
                self.conditions.insert(key, Some(None));
                return None;
            }
            None => {}
        }
        let template = self.template(t);
        let Some(entry) = template
            .section("Conditions")
            .iter()
            .find(|e| e.key == name)
        else {
            self.error(
                t,
                at,
                format!("condition `{name}` is not defined"),
                Some("declare it under Conditions, or correct the name"),
            );
            return None;
        };
        self.conditions.insert(key.clone(), None);
        let value = match self.eval(t, &entry.value) {
            Value::Bool(b) => Some(b),
            Value::Unknown(_) => None,
            other => {
                self.error(
                    t,
                    entry.value.at,
                    format!(
                        "condition `{name}` is a {}, not a condition function",
                        other.type_name()
                    ),
                    None,
                );
                None
            }
        };
        // A cycle found below has already recorded the failure.
        if self.conditions.get(&key) == Some(&None) {
            self.conditions.insert(key, Some(value));
        }
        value
    }
}

/// Whether a parameter type names an AWS resource by id.
fn names_resource(ty: &str) -> bool {
    let inner = ty
        .strip_prefix("List<")
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(ty);
    inner.starts_with("AWS::EC2::") && inner.ends_with("::Id")
}

/// Checks CloudFormation makes of a template's shape before creating anything.
pub(super) fn check_sections(ev: &mut Evaluator, t: TemplateId) {
    let template = ev.template(t);
    let root = &template.root;
    if !matches!(root.kind, NodeKind::Map(_)) {
        ev.error(
            t,
            root.at,
            "a template is a mapping of sections (Resources, Parameters, ...)",
            None,
        );
        return;
    }
    for entry in root.entries() {
        if !SECTIONS.contains(&entry.key.as_str()) && entry.key != "Outputs" {
            ev.invalid(
                t,
                entry.key_at,
                format!("`{}` is not a template section", entry.key),
                "the sections are AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources and Outputs",
                Some(format!("Template format error: Invalid template property or properties [{}]", entry.key)),
            );
        }
    }
    if template.section("Resources").is_empty() {
        ev.invalid(
            t,
            root.at,
            "the template has no resources".to_owned(),
            "a template must declare at least one resource",
            Some(
                "Template format error: At least one Resources member must be defined.".to_owned(),
            ),
        );
    }
    for entry in template.section("Parameters") {
        if entry.value.get("Type").is_none() {
            ev.invalid(
                t,
                entry.key_at,
                format!("parameter {} has no Type", entry.key),
                "give it a Type (String, Number, AWS::EC2::VPC::Id, ...)",
                Some(
                    "Template format error: Every Parameters object must contain a Type member."
                        .to_owned(),
                ),
            );
        }
    }
    for entry in template.section("Resources") {
        if !entry.key.chars().all(|c| c.is_ascii_alphanumeric()) {
            ev.invalid(
                t,
                entry.key_at,
                format!("logical ID `{}` is not alphanumeric", entry.key),
                "logical IDs may contain only A-Z, a-z and 0-9",
                Some(format!(
                    "Template format error: Resource name {} is non alphanumeric.",
                    entry.key
                )),
            );
        }
        if entry.value.get("Type").and_then(Node::as_str).is_none() {
            ev.invalid(t, entry.key_at, format!("resource {} has no Type", entry.key), "give the resource a Type", Some(format!("Template format error: [/Resources/{}] Every Resources object must contain a Type member.", entry.key)));
        }
    }
}
