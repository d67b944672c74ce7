//! Resource and module-call expansion (`count`, `for_each`) and resource instance bodies (nested and
//! `dynamic` blocks, locations, completion from the provider schema).
//!
//! Invalid `count`/`for_each` values are reported with Terraform's words and still interpreted, so
//! analysis goes on: `for_each` over a tuple makes one instance per element, an element known only
//! after apply is keyed by its reference text (`aws_subnet.a.id`), and an unknown `count` makes one
//! instance.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Component, Path};
use std::rc::Rc;

use privlink_model::{DiagnosticKind, Location};

use super::budget::MAX_INSTANCES;
use super::engine::{
    CallExpansion, Engine, Expansion, ExpansionMode, InstanceValues, ModId, ModuleInst, Repetition,
};
use super::eval::{Binding, Scope};
use super::schema::{BlockSchema, block_schema};
use super::syntax::{Attribute, Body, Pos};
use super::values::{derived, first_unknown, key_text, to_number, type_description};
use super::variables::prefix;
use crate::terraform::resource::{InstanceKey, ResourceMode};
use crate::terraform::value::{Reference, UnknownValue, Value};

/// Arguments that configure Terraform itself rather than the resource.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// What is being expanded, for messages.
#[derive(Clone, Copy)]
enum Expanding {
    Resource,
    Module,
}

impl Engine<'_> {
    /// The instances of a resource.
    pub(crate) fn expansion(&self, module: ModId, resource: usize) -> Rc<Expansion> {
        let inst = self.inst(module);
        let decl = &inst.def.resources[resource];
        self.memo(
            &self.memos.expansions,
            (module, resource),
            || {
                format!(
                    "{} (count/for_each)",
                    self.resource_address(module, resource)
                )
            },
            decl.pos,
            || {
                let address = self.resource_address(module, resource);
                let (mode, instances) =
                    self.expand(&decl.body, module, &address, Expanding::Resource);
                let addresses = instances
                    .iter()
                    .map(|(key, _)| self.instance_address(module, resource, key.as_ref()))
                    .collect();
                Rc::new(Expansion {
                    mode,
                    instances,
                    addresses,
                })
            },
            |_| {
                let addresses = vec![self.resource_address(module, resource)];
                Rc::new(Expansion {
                    mode: ExpansionMode::Single,
                    instances: vec![(None, None)],
                    addresses,
                })
            },
        )
    }

    fn expand(
        &self,
        body: &Body,
        module: ModId,
        address: &str,
        what: Expanding,
    ) -> (ExpansionMode, Instances) {
        let scope = Scope::module(module, None);
        if let Some(attr) = body.attribute("for_each") {
            let value = self.eval(&attr.expr, &scope);
            let instances = self.for_each_instances(&value, attr, address, what);
            return (
                ExpansionMode::ForEach,
                self.within_budget(instances, attr, address),
            );
        }
        if let Some(attr) = body.attribute("count") {
            let value = self.eval(&attr.expr, &scope);
            return (
                ExpansionMode::Count,
                self.count_instances(&value, attr, address),
            );
        }
        (ExpansionMode::Single, vec![(None, None)])
    }

    fn count_instances(&self, value: &Value, attr: &Attribute, address: &str) -> Instances {
        let n = match value {
            Value::Unknown(u) => {
                self.unknown_expansion(attr, address, u, "count", "The \"count\" value depends on resource attributes that cannot be determined until apply, so Terraform cannot predict how many instances will be created.");
                1
            }
            Value::Null => {
                self.invalid(attr.pos, "Invalid count argument: The given \"count\" argument value is null. An integer is required.".into(), Some(address.to_owned()));
                0
            }
            other => match to_number(other) {
                #[allow(clippy::cast_precision_loss)]
                Ok(n) if n >= 0.0 && n.fract() == 0.0 && n > MAX_INSTANCES as f64 => {
                    self.instances_over_budget(attr, address, &format!("{n}"));
                    0
                }
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let n = n as usize;
                    n
                }
                Ok(n) if n < 0.0 => {
                    self.invalid(attr.pos, "Invalid count argument: The given \"count\" argument value is unsuitable: must be greater than or equal to zero.".into(), Some(address.to_owned()));
                    0
                }
                _ => {
                    self.invalid(attr.pos, format!("Invalid count argument: The given \"count\" argument value is unsuitable: a whole number is required, not {}.", type_description(other)), Some(address.to_owned()));
                    0
                }
            },
        };
        (0..n)
            .map(|i| {
                (
                    Some(InstanceKey::Index(i as u64)),
                    Some(Repetition::Count(i)),
                )
            })
            .collect()
    }

    /// The instances of a `for_each`, or none with an input error when there are more than
    /// [`MAX_INSTANCES`].
    fn within_budget(&self, instances: Instances, attr: &Attribute, address: &str) -> Instances {
        if instances.len() > MAX_INSTANCES {
            self.instances_over_budget(attr, address, &instances.len().to_string());
            return Vec::new();
        }
        instances
    }

    fn instances_over_budget(&self, attr: &Attribute, address: &str, count: &str) {
        self.input_error(
            attr.pos,
            format!("{address} would have {count} instances; privlink evaluates at most {MAX_INSTANCES} instances of one resource or module call, and analyses it with none"),
            Some(super::budget::HELP.to_owned()),
        );
    }

    /// A `count`/`for_each` that is unknown: `invalid-terraform` when it comes from resource
    /// attributes (Terraform's plan error), `unresolved-input` when privlink lacks an input value.
    fn unknown_expansion(
        &self,
        attr: &Attribute,
        address: &str,
        unknown: &UnknownValue,
        argument: &str,
        terraform_reason: &str,
    ) {
        let after_apply = unknown.reason.contains("known only after apply");
        if after_apply {
            self.diagnostic(
                DiagnosticKind::InvalidTerraform,
                attr.pos,
                format!("Invalid {argument} argument: {terraform_reason}"),
                Some(address.to_owned()),
                Some(format!("use a value known at plan time for \"{argument}\" (a map with static keys, a variable or a literal)")),
            );
        } else {
            self.diagnostic(
                DiagnosticKind::UnresolvedInput,
                attr.pos,
                format!(
                    "the {argument} of {address} is not known ({}); assuming one instance",
                    unknown.reason
                ),
                Some(address.to_owned()),
                Some("give privlink the missing input (--var, --var-file) to expand it".into()),
            );
        }
    }

    fn for_each_instances(
        &self,
        value: &Value,
        attr: &Attribute,
        address: &str,
        what: Expanding,
    ) -> Instances {
        let noun = match what {
            Expanding::Resource => "resource",
            Expanding::Module => "module",
        };
        let unknown_set_reason = format!(
            "The \"for_each\" set includes values derived from resource attributes that cannot be determined until apply, and so Terraform cannot determine the full set of keys that will identify the instances of this {noun}."
        );
        match value {
            Value::Map(map) => map
                .iter()
                .map(|(k, v)| {
                    (
                        Some(InstanceKey::Key(k.clone())),
                        Some(Repetition::Each {
                            key: Value::String(k.clone()),
                            value: v.clone(),
                        }),
                    )
                })
                .collect(),
            Value::Set(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
                elements_as_instances(items)
            }
            Value::Set(items) if items.iter().any(|i| first_unknown(i).is_some()) => {
                let unknown = items
                    .iter()
                    .find_map(first_unknown)
                    .cloned()
                    .unwrap_or_else(|| UnknownValue::derived("unknown"));
                self.unknown_expansion(attr, address, &unknown, "for_each", &unknown_set_reason);
                elements_as_instances(items)
            }
            Value::Set(items) => {
                let element = items
                    .iter()
                    .find(|i| !matches!(i, Value::String(_)))
                    .map_or("string", Value::type_name);
                self.diagnostic(
                    DiagnosticKind::InvalidTerraform,
                    attr.pos,
                    format!("Invalid for_each set argument: The given \"for_each\" argument value is unsuitable: \"for_each\" supports maps and sets of strings, but you have provided a set containing type {element}."),
                    Some(address.to_owned()),
                    Some("convert the elements to strings, e.g. toset([for n in ... : tostring(n)])".into()),
                );
                elements_as_instances(items)
            }
            Value::List(items) => {
                self.diagnostic(
                    DiagnosticKind::InvalidTerraform,
                    attr.pos,
                    format!("Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type {}.", type_description(value)),
                    Some(address.to_owned()),
                    Some("convert it with toset(...) when the elements are strings known before apply, or use a map with static keys: for_each = { a = aws_subnet.a.id, ... }".into()),
                );
                elements_as_instances(items)
            }
            Value::Unknown(u) => {
                self.unknown_expansion(attr, address, u, "for_each", &unknown_set_reason);
                let key = key_text(value, 0);
                vec![(
                    Some(InstanceKey::Key(key)),
                    Some(Repetition::Each {
                        key: derived(u),
                        value: derived(u),
                    }),
                )]
            }
            Value::Null => {
                self.invalid(attr.pos, "Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the given \"for_each\" argument value is null. A map, or set of strings is allowed.".into(), Some(address.to_owned()));
                Vec::new()
            }
            other => {
                self.invalid(attr.pos, format!("Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type {}.", type_description(other)), Some(address.to_owned()));
                Vec::new()
            }
        }
    }

    /// The evaluated attributes of one resource instance.
    pub(crate) fn instance_values(
        &self,
        module: ModId,
        resource: usize,
        n: usize,
    ) -> Rc<InstanceValues> {
        let inst = self.inst(module);
        let decl = &inst.def.resources[resource];
        let expansion = self.expansion(module, resource);
        self.memo(
            &self.memos.instances,
            (module, resource, n),
            || expansion.addresses[n].clone(),
            decl.pos,
            || {
                let repetition = expansion.instances.get(n).and_then(|(_, r)| r.as_ref());
                let address = expansion.addresses[n].clone();
                self.own(&address);
                let scope = Scope::module(module, repetition);
                let mut locations = BTreeMap::new();
                let mut configured = self.body_values(&decl.body, &scope, "", &mut locations, true);
                let mode = if decl.mode == ResourceMode::Data {
                    "data"
                } else {
                    "managed"
                };
                if decl.mode == ResourceMode::Data {
                    let region = self.provider_region(module, &decl.provider_key());
                    configured.extend(super::data_sources::known_attributes(
                        &decl.resource_type,
                        &configured,
                        &region,
                    ));
                    configured.extend(super::snapshot_data::attributes(
                        &decl.resource_type,
                        &configured,
                        &region,
                        self.snapshots,
                    ));
                }
                let schema = block_schema(mode, &decl.resource_type);
                let reason = super::data_sources::computed_reason(
                    decl.mode == ResourceMode::Data,
                    &configured,
                );
                Rc::new(InstanceValues {
                    reason,
                    configured,
                    locations,
                    address,
                    schema,
                    full: OnceCell::new(),
                })
            },
            |reason| {
                Rc::new(InstanceValues {
                    reason: super::data_sources::AFTER_APPLY,
                    configured: BTreeMap::new(),
                    locations: BTreeMap::new(),
                    address: expansion.addresses[n].clone(),
                    schema: None,
                    full: OnceCell::from(Value::unknown(reason.to_owned())),
                })
            },
        )
    }

    /// Evaluates a (nested) body: attributes (a null one as if omitted), then nested and `dynamic`
    /// blocks as lists of maps.
    fn body_values(
        &self,
        body: &Body,
        scope: &Scope<'_>,
        path: &str,
        locations: &mut BTreeMap<String, Location>,
        top: bool,
    ) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for attr in &body.attributes {
            if top && META_ARGUMENTS.contains(&attr.name.as_str()) {
                continue;
            }
            locations.insert(format!("{path}{}", attr.name), self.location(attr.pos));
            // `x = null` is exactly an omitted argument: the provider's default applies, a
            // computed attribute is computed, a data source still works it out.
            let value = self.eval(&attr.expr, scope);
            if !value.is_null() {
                out.insert(attr.name.clone(), value);
            }
        }
        let mut blocks: BTreeMap<String, Result<Vec<Value>, Value>> = BTreeMap::new();
        for block in &body.blocks {
            if top && META_BLOCKS.contains(&block.kind.as_str()) {
                continue;
            }
            if block.kind == "dynamic" {
                let Some(kind) = block.labels.first() else {
                    continue;
                };
                let entry = blocks.entry(kind.clone()).or_insert_with(|| Ok(Vec::new()));
                self.dynamic_block(kind, &block.body, scope, path, locations, entry);
                continue;
            }
            let entry = blocks
                .entry(block.kind.clone())
                .or_insert_with(|| Ok(Vec::new()));
            if let Ok(list) = entry {
                let block_path = format!("{path}{}.{}", block.kind, list.len());
                locations.insert(block_path.clone(), self.location(block.pos));
                let values = self.body_values(
                    &block.body,
                    scope,
                    &format!("{block_path}."),
                    locations,
                    false,
                );
                list.push(Value::Map(values));
            }
        }
        for (kind, list) in blocks {
            out.insert(kind, list.map_or_else(|unknown| unknown, Value::List));
        }
        out
    }

    /// Expands `dynamic "KIND" { for_each, iterator, content {...} }` into `entry`.
    fn dynamic_block(
        &self,
        kind: &str,
        body: &Body,
        scope: &Scope<'_>,
        path: &str,
        locations: &mut BTreeMap<String, Location>,
        entry: &mut Result<Vec<Value>, Value>,
    ) {
        let Some(for_each) = body.attribute("for_each") else {
            self.invalid(
                body.blocks
                    .first()
                    .map_or(Pos { file: 0, offset: 0 }, |b| b.pos),
                format!(
                    "Missing required argument: the dynamic {kind:?} block needs \"for_each\"."
                ),
                None,
            );
            return;
        };
        let iterator = body
            .attribute("iterator")
            .and_then(|a| a.expr.as_static_path())
            .and_then(|p| p.into_iter().next())
            .unwrap_or_else(|| kind.to_owned());
        let collection = self.eval(&for_each.expr, scope);
        if collection.is_null() {
            return;
        }
        let items = match self.iterate(collection, for_each.pos) {
            Ok(items) => items,
            Err(not_iterable) => {
                *entry = Err(not_iterable);
                return;
            }
        };
        for (key, value) in items {
            let binding = Binding {
                name: iterator.clone(),
                value: Value::Map([("key".to_owned(), key), ("value".to_owned(), value)].into()),
                parent: scope.bindings,
            };
            let inner = scope.with(&binding);
            for content in body.blocks_of("content") {
                if let Ok(list) = entry {
                    let block_path = format!("{path}{kind}.{}", list.len());
                    locations.insert(block_path.clone(), self.location(content.pos));
                    let values = self.body_values(
                        &content.body,
                        &inner,
                        &format!("{block_path}."),
                        locations,
                        false,
                    );
                    list.push(Value::Map(values));
                }
            }
        }
    }

    /// The instances of a module call (loading the module on first use).
    pub(crate) fn call_expansion(&self, module: ModId, call: usize) -> Rc<CallExpansion> {
        let inst = self.inst(module);
        let decl = &inst.def.calls[call];
        let address = format!("{}module.{}", prefix(&inst.path), decl.name);
        self.memo(
            &self.memos.calls,
            (module, call),
            || address.clone(),
            decl.pos,
            || Rc::new(self.compute_call(module, call, &address)),
            |reason| {
                Rc::new(CallExpansion {
                    mode: ExpansionMode::Single,
                    children: Vec::new(),
                    missing: Some(reason.to_owned()),
                })
            },
        )
    }

    fn compute_call(&self, module: ModId, call: usize, address: &str) -> CallExpansion {
        let inst = self.inst(module);
        let decl = &inst.def.calls[call];
        let manifest_key = if inst.manifest_key.is_empty() {
            decl.name.clone()
        } else {
            format!("{}.{}", inst.manifest_key, decl.name)
        };
        let local = decl.source.starts_with("./") || decl.source.starts_with("../");
        let (dir, rel) = if local {
            let rel = normalize(&Path::new(&inst.def.rel_path).join(&decl.source));
            (inst.def.dir.join(&decl.source), rel)
        } else {
            match self.installed_module_dir(&manifest_key) {
                Some(dir) => (self.root_dir.join(&dir), normalize(Path::new(&dir))),
                None => (
                    self.root_dir.join(".terraform/modules").join(&manifest_key),
                    String::new(),
                ),
            }
        };
        if !dir.is_dir() || (!local && rel.is_empty()) {
            let message = if local {
                format!(
                    "module {:?} (source {}) was not found at {}",
                    decl.name,
                    decl.source,
                    super::module::display_join(
                        &self.display,
                        &normalize(&Path::new(&inst.def.rel_path).join(&decl.source))
                    )
                )
            } else {
                format!(
                    "module {:?} (source {}) is not installed; run `terraform init` in {} so its code is under .terraform/modules, then run privlink again",
                    decl.name, decl.source, self.display
                )
            };
            self.diagnostic(
                DiagnosticKind::UnreadInput,
                decl.pos,
                message.clone(),
                Some(address.to_owned()),
                Some("its resources are not checked and its outputs are unknown".into()),
            );
            return CallExpansion {
                mode: ExpansionMode::Single,
                children: Vec::new(),
                missing: Some(message),
            };
        }
        if self.module_depth_exceeded(inst.depth + 1) {
            self.input_error(
                decl.pos,
                format!("module {address} nests more than 32 modules deep; does it call itself?"),
                None,
            );
            return CallExpansion {
                mode: ExpansionMode::Single,
                children: Vec::new(),
                missing: Some("module nesting too deep".into()),
            };
        }
        let def = self.load_module(&dir, &rel);
        let (mode, instances) = self.expand(&decl.body, module, address, Expanding::Module);
        let children = instances
            .into_iter()
            .map(|(key, repetition)| {
                let path = format!(
                    "{address}{}",
                    key.as_ref().map(ToString::to_string).unwrap_or_default()
                );
                let child = self.add_instance(ModuleInst {
                    path,
                    def: Rc::clone(&def),
                    parent: Some(module),
                    call: Some(call),
                    repetition,
                    manifest_key: manifest_key.clone(),
                    depth: inst.depth + 1,
                });
                (key, child)
            })
            .collect();
        CallExpansion {
            mode,
            children,
            missing: None,
        }
    }
}

/// Instance keys with their `count.index`/`each` bindings.
type Instances = Vec<(Option<InstanceKey>, Option<Repetition>)>;

fn elements_as_instances(items: &[Value]) -> Instances {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let key = key_text(item, i);
            seen.insert(key.clone()).then(|| {
                // each.key is the element itself, so `subnet_id = each.key` keeps the reference.
                let each_key = if matches!(item, Value::Unknown(_)) {
                    item.clone()
                } else {
                    Value::String(key.clone())
                };
                (
                    Some(InstanceKey::Key(key)),
                    Some(Repetition::Each {
                        key: each_key,
                        value: item.clone(),
                    }),
                )
            })
        })
        .collect()
}

/// Completes configured values from the schema: computed attributes not set become references
/// (`address` / `path.attr`), other unset attributes null, unset nested blocks empty lists.
pub(crate) fn complete(
    configured: &BTreeMap<String, Value>,
    schema: &BlockSchema,
    address: &str,
    path: &str,
    reason: &str,
) -> BTreeMap<String, Value> {
    let mut out = configured.clone();
    for (name, attr) in &schema.attributes {
        out.entry(name.clone()).or_insert_with(|| {
            if attr.computed {
                Value::Unknown(UnknownValue::reference(
                    Reference::new(address, format!("{path}{name}")),
                    reason,
                ))
            } else {
                Value::Null
            }
        });
    }
    for (name, nested) in &schema.block_types {
        match out.get_mut(name) {
            Some(Value::List(blocks)) => {
                for (i, block) in blocks.iter_mut().enumerate() {
                    if let Value::Map(values) = block {
                        *values = complete(
                            values,
                            nested,
                            address,
                            &format!("{path}{name}.{i}."),
                            reason,
                        );
                    }
                }
            }
            Some(_) => {}
            None => {
                out.insert(name.clone(), Value::List(Vec::new()));
            }
        }
    }
    out
}

/// `a/./b/../c` → `a/c`, `.` for empty.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}
