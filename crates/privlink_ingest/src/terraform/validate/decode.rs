//! What Terraform checks while it decodes a resource block against the provider schema, before it
//! asks the provider anything: every argument and block name is one the schema has, every required
//! argument is written, nested blocks come in the numbers the schema allows, and every value
//! converts to its argument's type.
//!
//! Messages are Terraform's, in the syntax the block is written in: `Unsupported argument` /
//! `Unsupported block type` in native syntax, `Extraneous JSON object property` in `.tf.json`.

use std::collections::BTreeMap;

use privlink_model::Location;

use super::Problem;
use super::suggest::name_suggestion;
use super::types::ValueType;
use crate::terraform::config::schema::BlockSchema;
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

/// The decoding problems of one resource instance.
pub(super) fn check(resource: &TfResource, schema: &BlockSchema, json: bool) -> Vec<Problem> {
    let mut decoder = Decoder {
        resource,
        json,
        problems: Vec::new(),
    };
    decoder.body(schema, &resource.attributes, "", resource.location.as_ref());
    decoder.problems
}

struct Decoder<'r> {
    resource: &'r TfResource,
    json: bool,
    problems: Vec<Problem>,
}

/// How a name is written in a body.
enum Written {
    /// `name = value`, here.
    Argument(Location),
    /// `name { ... }`, one or more times.
    Blocks,
}

impl Decoder<'_> {
    fn written(&self, path: &str) -> Option<Written> {
        let locations = &self.resource.attribute_locations;
        if let Some(at) = locations.get(path) {
            Some(Written::Argument(at.clone()))
        } else if locations.contains_key(&format!("{path}.0")) {
            Some(Written::Blocks)
        } else {
            // Not written by the user: answers privlink added to a data source, or a `dynamic`
            // block whose `for_each` is not known yet.
            None
        }
    }

    fn location(&self, path: &str) -> Option<Location> {
        self.resource.location_of(path)
    }

    fn body(
        &mut self,
        schema: &BlockSchema,
        values: &BTreeMap<String, Value>,
        prefix: &str,
        at: Option<&Location>,
    ) {
        for (name, value) in values {
            let path = format!("{prefix}{name}");
            match self.written(&path) {
                Some(Written::Argument(location)) => {
                    self.argument(schema, name, value, (prefix, &path), location);
                }
                Some(Written::Blocks) => self.blocks(schema, name, value, prefix),
                None => {}
            }
        }
        let mut required: Vec<&String> = schema
            .attributes
            .iter()
            .filter(|(name, a)| a.required && self.written(&format!("{prefix}{name}")).is_none())
            .map(|(name, _)| name)
            .collect();
        required.sort();
        for name in required {
            self.problems.push(Problem {
                location: at.cloned(),
                summary: "Missing required argument".to_owned(),
                detail: format!("The argument {name:?} is required, but no definition was found."),
                help: format!("set {name}"),
                ..Problem::default()
            });
        }
        let mut block_types: Vec<_> = schema.block_types.iter().collect();
        block_types.sort_by_key(|(name, _)| *name);
        for (name, nested) in block_types {
            let count = match values.get(name.as_str()) {
                None => 0,
                Some(Value::List(items) | Value::Set(items)) => items.len(),
                // Not known yet (a `dynamic` block over an unknown collection), or not blocks at all
                // (reported above).
                Some(_) => continue,
            };
            self.block_count(name, nested, count, prefix, at);
        }
    }

    /// `name = value`: an argument of the schema with a value of its type.
    fn argument(
        &mut self,
        schema: &BlockSchema,
        name: &str,
        value: &Value,
        (prefix, path): (&str, &str),
        location: Location,
    ) {
        if let Some(attribute) = schema.attributes.get(name) {
            if let Some(ty) = &attribute.value_type {
                self.value_type(name, ty, value, location);
            }
            return;
        }
        if self.json {
            self.extraneous(schema, name, path, location);
            return;
        }
        // Terraform suggests only arguments the block does not write already.
        let unwritten = schema
            .attributes
            .keys()
            .filter(|a| {
                !self
                    .resource
                    .attribute_locations
                    .contains_key(&format!("{prefix}{a}"))
            })
            .map(String::as_str);
        let suggestion = name_suggestion(name, unwritten);
        let detail = match suggestion {
            Some(s) => {
                format!("An argument named {name:?} is not expected here. Did you mean {s:?}?")
            }
            None if schema.block_types.contains_key(name) => format!(
                "An argument named {name:?} is not expected here. Did you mean to define a block of type {name:?}?"
            ),
            None => format!("An argument named {name:?} is not expected here."),
        };
        let help = if suggestion.is_none() && schema.block_types.contains_key(name) {
            format!("write it as a block: {name} {{ ... }}")
        } else {
            not_read_help(suggestion, name, "argument")
        };
        self.unknown(
            path,
            name,
            suggestion,
            location,
            "Unsupported argument",
            detail,
            help,
        );
    }

    /// `name { ... }`: nested blocks of the schema (or an argument the provider lets be written as
    /// blocks), each checked in turn.
    fn blocks(&mut self, schema: &BlockSchema, name: &str, value: &Value, prefix: &str) {
        let blocks: Vec<(usize, &BTreeMap<String, Value>)> = value
            .as_list()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.as_map().map(|m| (i, m)))
            .collect();
        if let Some(nested) = schema.block_types.get(name) {
            for (i, block) in blocks {
                let block_prefix = format!("{prefix}{name}.{i}.");
                let at = self.location(&format!("{prefix}{name}.{i}"));
                self.body(&nested.block, block, &block_prefix, at.as_ref());
            }
            return;
        }
        if let Some(attribute) = schema.attributes.get(name) {
            if let Some((attributes, _)) = attribute
                .value_type
                .as_ref()
                .and_then(ValueType::block_attributes)
            {
                for (i, block) in blocks {
                    self.object_block(attributes, block, &format!("{prefix}{name}.{i}."));
                }
                return;
            }
            for (i, _) in blocks {
                self.problems.push(Problem {
                    location: self.location(&format!("{prefix}{name}.{i}")),
                    summary: "Unsupported block type".to_owned(),
                    detail: format!("Blocks of type {name:?} are not expected here. Did you mean to define argument {name:?}? If so, use the equals sign to assign it a value."),
                    help: format!("assign it with an equals sign: {name} = ..."),
                    unknown: Some(format!("{prefix}{name}")),
                    ..Problem::default()
                });
            }
            return;
        }
        let candidates = block_names(schema);
        let suggestion = name_suggestion(name, candidates.iter().map(String::as_str));
        let detail = match suggestion {
            Some(s) => {
                format!("Blocks of type {name:?} are not expected here. Did you mean {s:?}?")
            }
            None => format!("Blocks of type {name:?} are not expected here."),
        };
        for (i, _) in blocks {
            let location = self.location(&format!("{prefix}{name}.{i}"));
            self.unknown(
                &format!("{prefix}{name}"),
                name,
                suggestion,
                location,
                "Unsupported block type",
                detail.clone(),
                not_read_help(suggestion, name, "block"),
            );
        }
    }

    /// A block written for an argument of objects (`ingress { ... }` for the `ingress` set of
    /// `aws_security_group`): its arguments are the object's attributes.
    fn object_block(
        &mut self,
        attributes: &BTreeMap<String, ValueType>,
        values: &BTreeMap<String, Value>,
        prefix: &str,
    ) {
        for (name, value) in values {
            let path = format!("{prefix}{name}");
            match self.written(&path) {
                Some(Written::Argument(location)) => match attributes.get(name) {
                    Some(ty) => self.value_type(name, ty, value, location),
                    None if self.json => {
                        let schema = BlockSchema::default();
                        let names: Vec<&str> = attributes.keys().map(String::as_str).collect();
                        self.extraneous_among(&schema, &names, name, &path, location);
                    }
                    None => {
                        let locations = &self.resource.attribute_locations;
                        let unwritten = attributes
                            .keys()
                            .filter(|a| !locations.contains_key(&format!("{prefix}{a}")))
                            .map(String::as_str);
                        let suggestion = name_suggestion(name, unwritten);
                        let detail = match suggestion {
                            Some(s) => format!(
                                "An argument named {name:?} is not expected here. Did you mean {s:?}?"
                            ),
                            None => format!("An argument named {name:?} is not expected here."),
                        };
                        self.unknown(
                            &path,
                            name,
                            suggestion,
                            location,
                            "Unsupported argument",
                            detail,
                            not_read_help(suggestion, name, "argument"),
                        );
                    }
                },
                Some(Written::Blocks) => {
                    let nested = attributes.get(name).and_then(ValueType::block_attributes);
                    for (i, block) in value.as_list().unwrap_or_default().iter().enumerate() {
                        match (nested, block.as_map()) {
                            (Some((inner, _)), Some(block)) => {
                                self.object_block(inner, block, &format!("{path}.{i}."));
                            }
                            _ => self.problems.push(Problem {
                                location: self.location(&format!("{path}.{i}")),
                                summary: "Unsupported block type".to_owned(),
                                detail: format!("Blocks of type {name:?} are not expected here."),
                                help: not_read_help(None, name, "block"),
                                unknown: Some(path.clone()),
                                ..Problem::default()
                            }),
                        }
                    }
                }
                None => {}
            }
        }
    }

    fn value_type(&mut self, name: &str, ty: &ValueType, value: &Value, location: Location) {
        if let Some(error) = ty.conversion_error(value) {
            self.problems.push(Problem {
                location: Some(location),
                summary: "Incorrect attribute value type".to_owned(),
                detail: format!("Inappropriate value for attribute {name:?}: {error}."),
                help: format!("give {name} a value of type {}", ty.friendly_name()),
                ..Problem::default()
            });
        }
    }

    /// A `.tf.json` property the schema does not have.
    fn extraneous(&mut self, schema: &BlockSchema, name: &str, path: &str, location: Location) {
        let mut names: Vec<&str> = schema.attributes.keys().map(String::as_str).collect();
        names.sort_unstable();
        self.extraneous_among(schema, &names, name, path, location);
    }

    fn extraneous_among(
        &mut self,
        schema: &BlockSchema,
        attributes: &[&str],
        name: &str,
        path: &str,
        location: Location,
    ) {
        let blocks = block_names(schema);
        let suggestion = name_suggestion(
            name,
            attributes
                .iter()
                .copied()
                .chain(blocks.iter().map(String::as_str)),
        );
        let detail = match suggestion {
            Some(s) => format!("No argument or block type is named {name:?}. Did you mean {s:?}?"),
            None => format!("No argument or block type is named {name:?}."),
        };
        self.unknown(
            path,
            name,
            suggestion,
            location,
            "Extraneous JSON object property",
            detail,
            not_read_help(suggestion, name, "property"),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn unknown(
        &mut self,
        path: &str,
        name: &str,
        suggestion: Option<&str>,
        location: impl Into<Option<Location>>,
        summary: &str,
        detail: String,
        help: String,
    ) {
        let parent = path
            .strip_suffix(name)
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_owned();
        self.problems.push(Problem {
            location: location.into(),
            summary: summary.to_owned(),
            detail,
            help,
            unknown: Some(path.to_owned()),
            misspelt: suggestion.map(|s| (parent, name.to_owned(), s.to_owned())),
        });
    }

    /// Nested blocks in the numbers the schema allows.
    fn block_count(
        &mut self,
        name: &str,
        nested: &crate::terraform::config::schema::NestedBlockSchema,
        count: usize,
        prefix: &str,
        at: Option<&Location>,
    ) {
        let min = usize::try_from(nested.min_items).unwrap_or(usize::MAX);
        let max = usize::try_from(nested.max_items).unwrap_or(usize::MAX);
        let resource = self.resource;
        let block_at = |i: usize| resource.location_of(&format!("{prefix}{name}.{i}"));
        if matches!(nested.nesting_mode.as_str(), "single" | "group") {
            if count == 0 && min >= 1 {
                self.problems.push(Problem {
                    location: at.cloned(),
                    summary: format!("Missing {name} block"),
                    detail: format!("A block of type {name:?} is required here."),
                    help: format!("add a {name} block"),
                    ..Problem::default()
                });
            }
            if count > 1 {
                let first = block_at(0);
                for i in 1..count {
                    let previous = first.as_ref().map_or_else(String::new, |l| {
                        format!(
                            " Previous definition was at {}:{},{}-{}.",
                            l.path,
                            l.line,
                            l.column,
                            l.column as usize + name.len()
                        )
                    });
                    self.problems.push(Problem {
                        location: block_at(i),
                        summary: format!("Duplicate {name} block"),
                        detail: format!("Only one block of type {name:?} is allowed.{previous}"),
                        help: format!("merge the {name} blocks into one"),
                        ..Problem::default()
                    });
                }
            }
            return;
        }
        if count < min {
            self.problems.push(Problem {
                location: at.cloned(),
                summary: format!("Insufficient {name} blocks"),
                detail: format!("At least {min} {name:?} blocks are required."),
                help: format!("write at least {min} {name} block(s)"),
                ..Problem::default()
            });
        }
        if max > 0 && count > max {
            self.problems.push(Problem {
                location: block_at(max),
                summary: format!("Too many {name} blocks"),
                detail: format!("No more than {max} {name:?} blocks are allowed"),
                help: format!("write at most {max} {name} block(s)"),
                ..Problem::default()
            });
        }
    }
}

/// The names a block may be written with: nested block types, and arguments of objects the
/// provider lets be written as blocks.
fn block_names(schema: &BlockSchema) -> Vec<String> {
    let mut names: Vec<String> = schema
        .block_types
        .keys()
        .chain(schema.attributes.iter().filter_map(|(name, a)| {
            a.value_type
                .as_ref()
                .and_then(ValueType::block_attributes)
                .map(|_| name)
        }))
        .cloned()
        .collect();
    names.sort();
    names
}

/// What to do about a name the schema does not have, and what privlink made of it.
fn not_read_help(suggestion: Option<&str>, name: &str, what: &str) -> String {
    match suggestion {
        Some(s) => format!(
            "rename it to {s}; Terraform accepts nothing of this configuration until then, so privlink reads the resource as if {name} were not written"
        ),
        None => format!(
            "remove it or correct the name (the provider's documentation of the resource lists them); privlink reads the resource as if this {what} were not written"
        ),
    }
}
