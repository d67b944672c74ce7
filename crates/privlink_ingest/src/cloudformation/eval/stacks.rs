//! Values that cross stacks: `Outputs.*.Export.Name` linked to `Fn::ImportValue` across the given
//! templates, and the outputs of nested stacks (`!GetAtt Child.Outputs.Name`).
//!
//! An export named from the stack name (`!Sub "${AWS::StackName}-VpcId"`) of a template whose stack
//! name only the deployment knows still links: its name is a pattern, and an import that fits
//! exactly one such pattern (and no literal name) is linked to it.

use indexmap::IndexMap;
use privlink_model::{Diagnostic, DiagnosticKind};

use super::Evaluator;
use crate::cloudformation::node::Pos;
use crate::cloudformation::value::{Target, TemplateId, Value};

/// An export whose name is partly known only at deploy time.
#[derive(Clone, Debug)]
pub(super) struct PatternExport {
    text: String,
    template: TemplateId,
    output: String,
}

impl Evaluator {
    /// Every export of every template by name; builds it on first use and reports duplicates.
    pub(super) fn export_table(&mut self) -> &IndexMap<String, (TemplateId, String)> {
        if self.exports.is_none() {
            // Set first: evaluating a name must not rebuild the table.
            self.exports = Some(IndexMap::new());
            let mut table = IndexMap::new();
            let mut patterns = Vec::new();
            for t in 0..self.templates.len() {
                let template = self.template(t);
                for entry in template.section("Outputs") {
                    let Some(name_node) = entry.value.get("Export").and_then(|e| e.get("Name"))
                    else {
                        continue;
                    };
                    if self.exists(t, entry) == Some(false) {
                        continue;
                    }
                    match self.eval(t, name_node) {
                        Value::String(name) => {
                            if let Some((other, _)) = table.get(&name) {
                                let other: &TemplateId = other;
                                let other_file = self.templates[*other].file.display.clone();
                                self.invalid(
                                    t,
                                    name_node.at,
                                    format!("export `{name}` is also exported by {other_file}"),
                                    "export names are unique in an account and region; rename one",
                                    Some(format!(
                                        "Export with name {name} is already exported by stack"
                                    )),
                                );
                            } else {
                                table.insert(name, (t, entry.key.clone()));
                            }
                        }
                        Value::Unknown(u) if u.text.contains("${") => {
                            patterns.push(PatternExport {
                                text: u.text,
                                template: t,
                                output: entry.key.clone(),
                            });
                        }
                        _ => {}
                    }
                }
            }
            self.exports = Some(table);
            self.pattern_exports = patterns;
        }
        self.exports.as_ref().expect("just built")
    }

    /// `Fn::ImportValue`.
    pub(super) fn import(&mut self, t: TemplateId, name: &Value, at: Pos) -> Value {
        let name = match name {
            Value::Unknown(u) => {
                return Value::unknown(format!("${{ImportValue {}}}", u.text), u.reason.clone());
            }
            other => match other.to_text() {
                Some(n) => n,
                None => {
                    self.error(t, at, "`Fn::ImportValue` expects the export's name", None);
                    return Value::unknown("${ImportValue}", "a malformed Fn::ImportValue");
                }
            },
        };
        let exporter = self.export_table().get(&name).cloned().or_else(|| {
            let fits: Vec<&PatternExport> = self
                .pattern_exports
                .iter()
                .filter(|p| fits(&p.text, &name))
                .collect();
            match fits.as_slice() {
                [only] => Some((only.template, only.output.clone())),
                _ => None,
            }
        });
        match exporter {
            Some((exporting, output)) => self.output_value(exporting, &output, (t, at)),
            None => {
                let location = self.templates[t].location(at);
                self.diagnostic(format!("import {name}"), Diagnostic {
                    kind: DiagnosticKind::UnresolvedInput,
                    message: format!("Fn::ImportValue `{name}`: no given template exports it, so what it names is not known"),
                    location: Some(location),
                    resource: Some(format!("import:{name}")),
                    help: Some(format!("give privlink the template that exports `{name}` along with this one")),
                    predicted_error: None,
                });
                Value::target(
                    Target::Import { name: name.clone() },
                    format!("${{ImportValue {name}}}"),
                    format!("`{name}` is exported by a stack that was not given"),
                )
            }
        }
    }

    /// A nested stack's output (`!GetAtt Child.Outputs.Name`).
    pub(super) fn nested_output(
        &mut self,
        t: TemplateId,
        stack: &str,
        output: &str,
        at: Pos,
    ) -> Value {
        let child = (0..self.templates.len()).find(|&c| {
            self.templates[c]
                .parent
                .as_ref()
                .is_some_and(|(p, s)| *p == t && s == stack)
        });
        match child {
            Some(child) => self.output_value(child, output, (t, at)),
            None => {
                let location = self.templates[t].location(at);
                self.diagnostic(format!("nested {t} {stack}"), Diagnostic {
                    kind: DiagnosticKind::UnreadInput,
                    message: format!("the template of nested stack {stack} is not in the inputs, so its resources are not checked and its outputs are not known"),
                    location: Some(location),
                    resource: Some(stack.to_owned()),
                    help: Some("give TemplateURL as a path to the template beside this one, or pass the nested template too".to_owned()),
                    predicted_error: None,
                });
                Value::unknown(
                    format!("${{{stack}.Outputs.{output}}}"),
                    format!("nested stack {stack} is not in the inputs"),
                )
            }
        }
    }

    /// The value of an output of template `t`, evaluated once.
    pub(super) fn output_value(
        &mut self,
        t: TemplateId,
        output: &str,
        from: (TemplateId, Pos),
    ) -> Value {
        let key = (t, output.to_owned());
        match self.outputs.get(&key) {
            Some(Some(v)) => return v.clone(),
            Some(None) => {
                return Value::unknown(
                    format!("${{{output}}}"),
                    format!("output {output} depends on itself"),
                );
            }
            None => {}
        }
        self.outputs.insert(key.clone(), None);
        let template = self.template(t);
        let value = match template
            .section("Outputs")
            .iter()
            .find(|e| e.key == output)
            .and_then(|e| e.value.get("Value"))
        {
            Some(node) => self.eval(t, node),
            None => {
                let (caller, at) = from;
                let file = template.file.display.clone();
                self.error(
                    caller,
                    at,
                    format!("{file} has no output `{output}`"),
                    Some("add the output, or correct the name"),
                );
                Value::unknown(
                    format!("${{{output}}}"),
                    format!("there is no output {output}"),
                )
            }
        };
        self.outputs.insert(key, Some(value.clone()));
        value
    }
}

/// Whether `name` fits a pattern whose `${...}` parts stand for any non-empty text.
fn fits(pattern: &str, name: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        parts.push(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => return false,
        }
    }
    parts.push(rest);
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1
        || !name.starts_with(first)
        || !name.ends_with(last)
        || name.len() < first.len() + last.len()
    {
        return parts.len() == 1 && pattern == name;
    }
    let mut remaining = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        // Each hole takes at least one character before the next literal part.
        match remaining.get(1..).and_then(|r| r.find(middle)) {
            Some(i) => remaining = &remaining[1 + i + middle.len()..],
            None => return false,
        }
    }
    !remaining.is_empty()
}

#[cfg(test)]
mod tests {
    use super::fits;

    #[test]
    fn export_patterns() {
        assert!(fits("${AWS::StackName}-VpcId", "network-VpcId"));
        assert!(!fits("${AWS::StackName}-VpcId", "-VpcId"));
        assert!(!fits("${AWS::StackName}-VpcId", "network-SubnetId"));
        assert!(fits("${Env}-${AWS::StackName}-sg", "dev-net-sg"));
        assert!(!fits("${Env}-${AWS::StackName}-sg", "dev--sg"));
    }
}
