//! Resources after evaluation: one per resource that exists (its `Condition` holds), with evaluated
//! properties, the model id it lowers to and where each property is written.
//!
//! Ids are logical IDs. When two templates of a run declare the same logical ID (two CDK stacks
//! built from one construct, two copies of a template), each is qualified with its stack name:
//! `StackName.LogicalId`.

use std::collections::HashMap;
use std::rc::Rc;

use privlink_model::{Diagnostic, DiagnosticKind, Location, ResourceId};

use super::eval::Evaluator;
use super::template::Template;
use super::value::{TemplateId, Value};

/// One resource with its evaluated properties.
#[derive(Debug)]
pub(crate) struct CfnResource {
    pub(crate) template: Rc<Template>,
    pub(crate) template_id: TemplateId,
    pub(crate) logical_id: String,
    pub(crate) id: ResourceId,
    pub(crate) resource_type: String,
    /// The evaluated `Properties` (an empty mapping when there are none).
    pub(crate) properties: Value,
}

impl CfnResource {
    /// A property by dotted path (`NetworkConfiguration.AwsvpcConfiguration.Subnets`).
    pub(crate) fn get(&self, path: &str) -> Option<&Value> {
        match self.properties.get_path(path) {
            Some(Value::Null | Value::Omitted) | None => None,
            Some(v) => Some(v),
        }
    }

    /// Where the resource is declared: its logical ID.
    pub(crate) fn location(&self) -> Option<Location> {
        self.template
            .resource(&self.logical_id)
            .map(|e| self.template.location(e.key_at))
    }

    /// Where a property path is written, or its closest written parent, or the resource.
    pub(crate) fn location_of(&self, path: &str) -> Option<Location> {
        let entry = self.template.resource(&self.logical_id)?;
        let at = entry.value.position_of(&format!("Properties.{path}"));
        Some(self.template.location(if at == entry.value.at {
            entry.key_at
        } else {
            at
        }))
    }
}

/// Evaluates the resources of every template.
pub(crate) fn evaluate(ev: &mut Evaluator) -> Vec<CfnResource> {
    let mut out = Vec::new();
    for t in 0..ev.templates.len() {
        let template = ev.template(t);
        for entry in template.section("Resources") {
            let Some(resource_type) = entry.value.get("Type").and_then(|n| n.as_str()) else {
                continue;
            };
            match ev.exists(t, entry) {
                Some(false) => continue,
                Some(true) => {}
                None => {
                    let location = template.location(entry.key_at);
                    ev.diagnostic(format!("exists {t} {}", entry.key), Diagnostic {
                        kind: DiagnosticKind::UnresolvedInput,
                        message: format!("whether {} is created depends on a condition privlink cannot evaluate; it is analysed as created", entry.key),
                        location: Some(location),
                        resource: Some(entry.key.clone()),
                        help: Some("pass the parameters the condition uses with --parameter".to_owned()),
                        predicted_error: None,
                    });
                }
            }
            let properties = match entry.value.get("Properties") {
                Some(node) => ev.eval(t, node),
                None => Value::Map(indexmap::IndexMap::new()),
            };
            out.push(CfnResource {
                template: Rc::clone(&template),
                template_id: t,
                logical_id: entry.key.clone(),
                id: ResourceId::new(&entry.key),
                resource_type: resource_type.to_owned(),
                properties,
            });
        }
    }
    let mut count: HashMap<&str, usize> = HashMap::new();
    for r in &out {
        *count.entry(r.logical_id.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = out
        .iter()
        .map(|r| count[r.logical_id.as_str()] > 1)
        .collect();
    for (r, shared) in out.iter_mut().zip(shared) {
        if shared {
            r.id = ResourceId::new(format!("{}.{}", r.template.file.stack, r.logical_id));
        }
    }
    out
}
