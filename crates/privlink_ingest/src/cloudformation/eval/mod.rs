//! Evaluation of intrinsic functions, parameters, conditions, mappings and pseudo parameters, across
//! every template of a run.
//!
//! Evaluation is lazy and memoised: a parameter, a condition, an export or a nested stack's output is
//! computed when first needed, so templates can refer to each other (`Fn::ImportValue`, nested
//! stack outputs) in any order. Cycles (circular conditions) are errors at the condition. What the
//! templates do not determine becomes [`Value::Unknown`]; an error (a `!Ref` to nothing, an unknown
//! function) is recorded against its input with file, line and column, and evaluation goes on with an
//! unknown value so the rest of the template and the other inputs are still analysed.

mod functions;
mod params;
mod stacks;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use indexmap::IndexMap;
use privlink_model::{Diagnostic, DiagnosticKind};

use super::node::{Entry, Node, NodeKind, Pos};
use super::template::Template;
use super::value::{Target, TemplateId, Value};
use crate::InputError;

/// How many resource attributes may be evaluated one inside another (`!GetAtt A.VpcId` where A's
/// `VpcId` is `!GetAtt B.VpcId`, ...); deeper chains evaluate to the deploy-time value, so a long
/// chain cannot exhaust the stack.
const MAX_ATTRIBUTE_DEPTH: usize = 64;

/// What the user passed that affects evaluation.
#[derive(Clone, Debug, Default)]
pub(crate) struct EvalOptions {
    /// `--parameter KEY=VALUE`, applied to every root template that declares KEY.
    pub(crate) parameters: Vec<(String, String)>,
    /// `--region`, where a template's context does not say.
    pub(crate) region: Option<String>,
}

/// Evaluation state for every template of a run.
#[derive(Debug)]
pub(crate) struct Evaluator {
    pub(crate) templates: Vec<Rc<Template>>,
    options: EvalOptions,
    params: HashMap<(TemplateId, String), Value>,
    /// `None` while being evaluated (to detect cycles).
    conditions: HashMap<(TemplateId, String), Option<Option<bool>>>,
    exports: Option<IndexMap<String, (TemplateId, String)>>,
    pattern_exports: Vec<stacks::PatternExport>,
    outputs: HashMap<(TemplateId, String), Option<Value>>,
    /// Errors by input index.
    pub(crate) errors: Vec<(usize, InputError)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    reported: HashSet<String>,
    /// The resource attributes being evaluated from the resource's own properties: one met again
    /// is a reference cycle (reported by [`crate::cloudformation::dependencies`]), which evaluates
    /// to the deploy-time value instead of recursing.
    attributes_in_progress: HashSet<(TemplateId, String, String)>,
    /// The errors recorded, so each is recorded once without searching them all.
    errors_seen: HashSet<InputError>,
}

impl Evaluator {
    pub(crate) fn new(templates: Vec<Rc<Template>>, options: EvalOptions) -> Self {
        Self {
            templates,
            options,
            params: HashMap::new(),
            conditions: HashMap::new(),
            exports: None,
            pattern_exports: Vec::new(),
            outputs: HashMap::new(),
            errors: Vec::new(),
            diagnostics: Vec::new(),
            reported: HashSet::new(),
            attributes_in_progress: HashSet::new(),
            errors_seen: HashSet::new(),
        }
    }

    pub(crate) fn template(&self, t: TemplateId) -> Rc<Template> {
        Rc::clone(&self.templates[t])
    }

    /// Records an error at a position of template `t`.
    pub(crate) fn error(
        &mut self,
        t: TemplateId,
        at: Pos,
        message: impl Into<String>,
        help: Option<&str>,
    ) {
        let template = &self.templates[t];
        let mut error = InputError::at(&template.location(at), message);
        if let Some(h) = help {
            error = error.with_help(h);
        }
        let input = template.file.input;
        if self.errors_seen.insert(error.clone()) {
            self.errors.push((input, error));
        }
    }

    /// Records a diagnostic once per `key`.
    pub(crate) fn diagnostic(&mut self, key: String, diagnostic: Diagnostic) {
        if self.reported.insert(key) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Records something CloudFormation itself would reject (`invalid-cloudformation`).
    pub(crate) fn invalid(
        &mut self,
        t: TemplateId,
        at: Pos,
        message: String,
        help: &str,
        predicted_error: Option<String>,
    ) {
        let location = self.templates[t].location(at);
        self.diagnostic(
            format!("invalid {location} {message}"),
            Diagnostic {
                kind: DiagnosticKind::InvalidCloudformation,
                message,
                location: Some(location),
                resource: None,
                help: Some(help.to_owned()),
                predicted_error,
            },
        );
    }

    /// Evaluates a node of template `t`.
    pub(crate) fn eval(&mut self, t: TemplateId, node: &Node) -> Value {
        match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(text) => text
                .parse()
                .map_or_else(|_| Value::String(text.clone()), Value::Number),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| self.eval(t, i))
                    .filter(|v| *v != Value::Omitted)
                    .collect(),
            ),
            NodeKind::Map(entries) => match node.intrinsic() {
                Some(entry) => self.function(t, entry),
                None => {
                    let mut map = IndexMap::new();
                    for e in entries {
                        let v = self.eval(t, &e.value);
                        if v != Value::Omitted {
                            map.insert(e.key.clone(), v);
                        }
                    }
                    Value::Map(map)
                }
            },
        }
    }

    /// `Ref`: a pseudo parameter, a parameter, or a resource.
    pub(crate) fn reference(&mut self, t: TemplateId, name: &str, at: Pos) -> Value {
        if name.starts_with("AWS::") {
            if let Some(v) = self.pseudo(t, name) {
                return v;
            }
            self.error(t, at, format!("`Ref {name}`: there is no such pseudo parameter"), Some("the pseudo parameters are AWS::AccountId, AWS::NoValue, AWS::NotificationARNs, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName and AWS::URLSuffix"));
            return Value::unknown(
                format!("${{{name}}}"),
                format!("{name} is not a pseudo parameter"),
            );
        }
        let template = self.template(t);
        if template.parameter(name).is_some() {
            return self.parameter(t, name);
        }
        if let Some(resource_type) = template.resource_type(name) {
            return resource_ref(t, name, resource_type, None);
        }
        if template.resource(name).is_some() {
            return resource_ref(t, name, "", None);
        }
        self.error(
            t,
            at,
            format!("`Ref {name}`: no parameter or resource of this template is named `{name}`"),
            Some("declare it under Parameters or Resources, or correct the name (logical IDs are case-sensitive)"),
        );
        Value::unknown(format!("${{{name}}}"), format!("{name} is not defined"))
    }

    /// `Fn::GetAtt`: a resource attribute. Attributes that are a resource's own property
    /// (`AWS::EC2::VPC.CidrBlock`) evaluate to it; a nested stack's `Outputs.X` to that output.
    pub(crate) fn get_att(
        &mut self,
        t: TemplateId,
        resource: &str,
        attribute: &str,
        at: Pos,
    ) -> Value {
        let template = self.template(t);
        let Some(entry) = template.resource(resource) else {
            self.error(
                t,
                at,
                format!("`Fn::GetAtt {resource}.{attribute}`: no resource of this template is named `{resource}`"),
                Some("correct the logical ID (it is case-sensitive) or declare the resource"),
            );
            return Value::unknown(
                format!("${{{resource}.{attribute}}}"),
                format!("{resource} is not defined"),
            );
        };
        let resource_type = entry
            .value
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        if resource_type == "AWS::CloudFormation::Stack"
            && let Some(output) = attribute.strip_prefix("Outputs.")
        {
            return self.nested_output(t, resource, output, at);
        }
        let key = (t, resource.to_owned(), attribute.to_owned());
        if let Some(property) = property_attribute(resource_type, attribute)
            && let Some(node) = entry.value.get("Properties").and_then(|p| p.get(property))
            && self.attributes_in_progress.len() < MAX_ATTRIBUTE_DEPTH
            && self.attributes_in_progress.insert(key.clone())
        {
            let value = self.eval(t, node);
            self.attributes_in_progress.remove(&key);
            if !matches!(value, Value::Unknown(_) | Value::Omitted) {
                return value;
            }
        }
        resource_ref(t, resource, resource_type, Some(attribute))
    }

    /// Evaluates every template's parameters and outputs once, so what CloudFormation rejects
    /// (a default outside its `AllowedValues`, a duplicate export) is reported even when unused.
    pub(crate) fn validate(&mut self) {
        for t in 0..self.templates.len() {
            let template = self.template(t);
            for entry in template.section("Parameters") {
                self.parameter(t, &entry.key);
            }
            for entry in template.section("Conditions") {
                self.condition(t, &entry.key, entry.key_at);
            }
            params::check_sections(self, t);
        }
        self.export_table();
        for t in 0..self.templates.len() {
            let template = self.template(t);
            for entry in template.section("Outputs") {
                if self.exists(t, entry) != Some(false) {
                    self.output_value(t, &entry.key, (t, entry.key_at));
                }
            }
        }
    }

    /// Whether a resource or output with a `Condition` exists: `None` when the condition depends on
    /// something unknown.
    pub(crate) fn exists(&mut self, t: TemplateId, entry: &Entry) -> Option<bool> {
        let Some(condition) = entry.value.entry("Condition") else {
            return Some(true);
        };
        let Some(name) = condition.value.as_str() else {
            self.error(
                t,
                condition.value.at,
                "`Condition` must name a condition",
                None,
            );
            return None;
        };
        self.condition(t, name, condition.value.at)
    }
}

/// The value of `!Ref` or `!GetAtt` of a resource: known only at deploy time, standing for that
/// resource. The text keeps the resource type so a secret's ARN is still recognisable as one.
fn resource_ref(
    t: TemplateId,
    logical_id: &str,
    resource_type: &str,
    attribute: Option<&str>,
) -> Value {
    let name = attribute.map_or_else(|| logical_id.to_owned(), |a| format!("{logical_id}.{a}"));
    let text = if resource_type.is_empty() {
        format!("${{{name}}}")
    } else {
        format!("${{{name} ({resource_type})}}")
    };
    Value::target(
        Target::Resource {
            template: t,
            logical_id: logical_id.to_owned(),
            attribute: attribute.map(str::to_owned),
        },
        text,
        format!("{name} is known only when the stack is deployed"),
    )
}

/// Attributes that return one of the resource's own properties.
fn property_attribute(resource_type: &str, attribute: &str) -> Option<&'static str> {
    Some(match (resource_type, attribute) {
        ("AWS::EC2::VPC", "CidrBlock") => "CidrBlock",
        ("AWS::EC2::Subnet", "AvailabilityZone") => "AvailabilityZone",
        ("AWS::EC2::Subnet", "AvailabilityZoneId") => "AvailabilityZoneId",
        ("AWS::EC2::Subnet", "CidrBlock") => "CidrBlock",
        ("AWS::EC2::Subnet" | "AWS::EC2::SecurityGroup" | "AWS::EC2::RouteTable", "VpcId") => {
            "VpcId"
        }
        ("AWS::EKS::Cluster", "Name") => "Name",
        _ => return None,
    })
}
