//! Named references: `var.`, `local.`, `count.index`, `each.`, `path.`, `terraform.workspace`,
//! `module.NAME.output`, `data.TYPE.NAME...`, `resource.TYPE.NAME...` and `TYPE.NAME...`.
//!
//! Resource and module references are walked step by step (collection → instance → attribute) so
//! that an attribute the configuration does not set is answered from the provider schema without
//! evaluating the resource: `aws_vpc.main.id` is the unknown reference `aws_vpc.main` / `id`, and
//! `aws_subnet.private[*].id` a list of per-instance references.

use super::engine::{Engine, ExpansionMode, ModId, Repetition};
use super::eval::Scope;
use super::schema::block_schema;
use super::syntax::{Pos, TraversalOp};
use super::values::{derived, key_text};
use crate::terraform::resource::{InstanceKey, ResourceMode};
use crate::terraform::value::{Reference, UnknownValue, Value};

/// What a reference walk currently points at.
enum Target {
    /// All instances of a resource or module call.
    Collection,
    /// One instance.
    Instance(usize),
}

/// A resource, or a module call, being referenced.
#[derive(Clone, Copy)]
enum Referent {
    Resource { module: ModId, resource: usize },
    Call { module: ModId, call: usize },
}

impl Engine<'_> {
    /// Evaluates `name` followed by `ops`.
    pub(crate) fn traversal_from(
        &self,
        name: &str,
        at: Pos,
        ops: &[TraversalOp],
        scope: &Scope<'_>,
    ) -> Value {
        if let Some(bound) = scope.lookup(name) {
            return self.apply_ops(bound.clone(), ops, scope, at);
        }
        let Some(module) = scope.module else {
            self.invalid(
                at,
                format!("Variables not allowed: Variables may not be used here ({name})."),
                None,
            );
            return Value::unknown(format!("{name} cannot be used here"));
        };
        let first = match ops.first() {
            Some(TraversalOp::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let rest = ops.get(1..).unwrap_or_default();
        let value = match (name, first) {
            ("var", Some(var)) => self.variable(module, var, at),
            ("local", Some(local)) => self.local(module, local, at),
            ("count", Some("index")) => match scope.repetition {
                Some(Repetition::Count(i)) => Value::Number(*i as f64),
                _ => return self.bad_reference(at, "Reference to \"count\" in non-counted context: The \"count\" object can only be used in \"module\", \"resource\", and \"data\" blocks, and only when the \"count\" argument is set."),
            },
            ("each", Some(field @ ("key" | "value"))) => match scope.repetition {
                Some(Repetition::Each { key, value }) => if field == "key" { key.clone() } else { value.clone() },
                _ => return self.bad_reference(at, "Reference to \"each\" in context without for_each: The \"each\" object can be used only in \"module\" or \"resource\" blocks, and only when the \"for_each\" argument is set."),
            },
            ("path", Some("module")) => Value::string(self.inst(module).def.rel_path.clone()),
            ("path", Some("root")) => Value::string("."),
            ("path", Some("cwd")) => Value::string(self.root_dir.canonicalize().unwrap_or_else(|_| self.root_dir.clone()).to_string_lossy()),
            ("terraform", Some("workspace")) => Value::string("default"),
            ("self", _) => Value::unknown("self is only known in provisioners"),
            ("module", Some(call)) => return self.module_reference(module, call, rest, scope, at),
            ("data", Some(resource_type)) => match rest.split_first() {
                Some((TraversalOp::GetAttr(name), rest)) => {
                    return self.resource_reference(module, ResourceMode::Data, resource_type, name, rest, scope, at);
                }
                _ => return self.bad_reference(at, "Invalid data resource reference: A data resource reference must be followed by the resource type and name."),
            },
            // `resource.TYPE.NAME` (Terraform 1.x) is the same as `TYPE.NAME`.
            ("resource", Some(resource_type)) => match rest.split_first() {
                Some((TraversalOp::GetAttr(name), rest)) => {
                    return self.resource_reference(module, ResourceMode::Managed, resource_type, name, rest, scope, at);
                }
                _ => return self.bad_reference(at, "Invalid managed resource reference: A managed resource reference must be followed by the resource type and name."),
            },
            (resource_type, Some(name)) if !matches!(resource_type, "var" | "local" | "count" | "each" | "path" | "terraform" | "module" | "data" | "resource") => {
                return self.resource_reference(module, ResourceMode::Managed, resource_type, name, rest, scope, at);
            }
            _ => return self.bad_reference(at, &format!("Invalid reference: A reference to {name:?} must be followed by an attribute name.")),
        };
        self.apply_ops(value, rest, scope, at)
    }

    fn bad_reference(&self, at: Pos, message: &str) -> Value {
        self.invalid(at, message.to_owned(), None);
        Value::unknown("invalid reference")
    }

    /// `local.NAME`.
    pub(crate) fn local(&self, module: ModId, name: &str, at: Pos) -> Value {
        let inst = self.inst(module);
        let Some(attr) = inst.def.locals.get(name) else {
            self.invalid(at, format!("Reference to undeclared local value: A local value with the name {name:?} has not been declared."), None);
            return Value::unknown(format!("local.{name} is not declared"));
        };
        self.memo(
            &self.memos.locals,
            (module, name.to_owned()),
            || format!("{}local.{name}", super::variables::prefix(&inst.path)),
            attr.pos,
            || {
                self.bounded(
                    self.eval(&attr.expr, &Scope::module(module, None)),
                    attr.pos,
                    true,
                )
            },
            |cycle| Value::unknown(cycle.to_owned()),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn resource_reference(
        &self,
        module: ModId,
        mode: ResourceMode,
        resource_type: &str,
        name: &str,
        ops: &[TraversalOp],
        scope: &Scope<'_>,
        at: Pos,
    ) -> Value {
        let inst = self.inst(module);
        let Some(&resource) =
            inst.def
                .resource_index
                .get(&(mode, resource_type.to_owned(), name.to_owned()))
        else {
            let what = match mode {
                ResourceMode::Managed => "A managed resource",
                ResourceMode::Data => "A data resource",
            };
            let within = if inst.path.is_empty() {
                "the root module".to_owned()
            } else {
                inst.path.clone()
            };
            self.invalid(at, format!("Reference to undeclared resource: {what} {resource_type:?} {name:?} has not been declared in {within}."), None);
            return Value::unknown(format!("{resource_type}.{name} is not declared"));
        };
        self.walk(Referent::Resource { module, resource }, ops, scope, at)
    }

    fn module_reference(
        &self,
        module: ModId,
        call_name: &str,
        ops: &[TraversalOp],
        scope: &Scope<'_>,
        at: Pos,
    ) -> Value {
        let inst = self.inst(module);
        let Some(&call) = inst.def.call_index.get(call_name) else {
            let within = if inst.path.is_empty() {
                "the root module".to_owned()
            } else {
                inst.path.clone()
            };
            self.invalid(at, format!("Reference to undeclared module: No module call named {call_name:?} is declared in {within}."), None);
            return Value::unknown(format!("module.{call_name} is not declared"));
        };
        self.walk(Referent::Call { module, call }, ops, scope, at)
    }

    /// The instance keys of a resource or module call, and how it expands.
    fn keys_of(
        &self,
        referent: Referent,
    ) -> (ExpansionMode, Vec<Option<InstanceKey>>, Option<String>) {
        match referent {
            Referent::Resource { module, resource } => {
                let e = self.expansion(module, resource);
                (
                    e.mode,
                    e.instances.iter().map(|(k, _)| k.clone()).collect(),
                    None,
                )
            }
            Referent::Call { module, call } => {
                let e = self.call_expansion(module, call);
                (
                    e.mode,
                    e.children.iter().map(|(k, _)| k.clone()).collect(),
                    e.missing.clone(),
                )
            }
        }
    }

    fn walk(&self, referent: Referent, ops: &[TraversalOp], scope: &Scope<'_>, at: Pos) -> Value {
        let (mode, keys, missing) = self.keys_of(referent);
        if let Some(reason) = missing {
            return Value::unknown(reason);
        }
        let mut target = Target::Collection;
        let mut i = 0;
        while i < ops.len() {
            match (&target, &ops[i]) {
                (Target::Collection, TraversalOp::Index(index))
                    if mode != ExpansionMode::Single =>
                {
                    let key = self.eval(index, scope);
                    if let Some(u) = key.as_unknown() {
                        return derived(u);
                    }
                    let wanted = match mode {
                        ExpansionMode::Count => key
                            .as_f64()
                            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                            .map(|n| {
                                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                                InstanceKey::Index(n as u64)
                            }),
                        _ => super::values::to_string(&key).ok().map(InstanceKey::Key),
                    };
                    match keys
                        .iter()
                        .position(|k| k.is_some() && k.as_ref() == wanted.as_ref())
                    {
                        Some(p) => target = Target::Instance(p),
                        None => {
                            self.invalid(index.pos, format!("Invalid index: The given key does not identify an element in this collection value ({key})."), None);
                            return Value::unknown("invalid instance key");
                        }
                    }
                }
                (Target::Collection, TraversalOp::GetAttr(_)) if mode == ExpansionMode::Single => {
                    target = Target::Instance(0);
                    continue;
                }
                (Target::Collection, TraversalOp::GetAttr(_)) => {
                    let argument = if mode == ExpansionMode::Count {
                        "count"
                    } else {
                        "for_each"
                    };
                    let (what, name) = match referent {
                        Referent::Resource { module, resource } => {
                            ("resource", self.resource_address(module, resource))
                        }
                        Referent::Call { module, call } => {
                            let inst = self.inst(module);
                            (
                                "module",
                                format!(
                                    "{}module.{}",
                                    super::variables::prefix(&inst.path),
                                    inst.def.calls[call].name
                                ),
                            )
                        }
                    };
                    self.invalid(at, format!("Missing {what} instance key: Because {name} has \"{argument}\" set, its attributes must be accessed on specific instances."), None);
                    return Value::unknown(format!("{name} needs an instance key"));
                }
                (Target::Collection, TraversalOp::FullSplat | TraversalOp::AttrSplat) => {
                    let full = matches!(ops[i], TraversalOp::FullSplat);
                    let span = if full {
                        ops.len() - i - 1
                    } else {
                        ops[i + 1..]
                            .iter()
                            .take_while(|op| matches!(op, TraversalOp::GetAttr(_)))
                            .count()
                    };
                    let per_instance = &ops[i + 1..i + 1 + span];
                    let instances = if mode == ExpansionMode::Single {
                        1.min(keys.len())
                    } else {
                        keys.len()
                    };
                    let list = Value::List(
                        (0..instances)
                            .map(|n| self.instance_ops(referent, n, per_instance, scope, at))
                            .collect(),
                    );
                    return self.apply_ops(list, &ops[i + 1 + span..], scope, at);
                }
                (Target::Instance(n), TraversalOp::GetAttr(_)) => {
                    return self.instance_ops(referent, *n, &ops[i..], scope, at);
                }
                _ => break,
            }
            i += 1;
        }
        let value = match target {
            Target::Instance(n) => self.instance_object(referent, n),
            Target::Collection => self.collection_object(referent, mode, &keys),
        };
        self.apply_ops(value, &ops[i..], scope, at)
    }

    /// Steps applied to one instance: the first attribute is looked up the schema-aware way.
    fn instance_ops(
        &self,
        referent: Referent,
        n: usize,
        ops: &[TraversalOp],
        scope: &Scope<'_>,
        at: Pos,
    ) -> Value {
        match ops.split_first() {
            Some((TraversalOp::GetAttr(attr), rest)) => {
                let value = match referent {
                    Referent::Resource { module, resource } => {
                        self.instance_attribute(module, resource, n, attr)
                    }
                    Referent::Call { module, call } => {
                        let child = self.call_expansion(module, call).children[n].1;
                        self.output(child, attr, at)
                    }
                };
                self.apply_ops(value, rest, scope, at)
            }
            _ => self.apply_ops(self.instance_object(referent, n), ops, scope, at),
        }
    }

    fn instance_object(&self, referent: Referent, n: usize) -> Value {
        match referent {
            Referent::Resource { module, resource } => {
                self.instance_values(module, resource, n).full().clone()
            }
            Referent::Call { module, call } => {
                let child = self.call_expansion(module, call).children[n].1;
                let def = self.inst(child).def.clone();
                let mut names: Vec<&String> = def.outputs.keys().collect();
                names.sort();
                Value::Map(
                    names
                        .into_iter()
                        .map(|name| {
                            (
                                name.clone(),
                                self.output(child, name, def.outputs[name].pos),
                            )
                        })
                        .collect(),
                )
            }
        }
    }

    fn collection_object(
        &self,
        referent: Referent,
        mode: ExpansionMode,
        keys: &[Option<InstanceKey>],
    ) -> Value {
        match mode {
            ExpansionMode::Single if keys.is_empty() => Value::Null,
            ExpansionMode::Single => self.instance_object(referent, 0),
            ExpansionMode::Count => Value::List(
                (0..keys.len())
                    .map(|n| self.instance_object(referent, n))
                    .collect(),
            ),
            ExpansionMode::ForEach => Value::Map(
                keys.iter()
                    .enumerate()
                    .map(|(n, k)| {
                        let key = match k {
                            Some(InstanceKey::Key(k)) => k.clone(),
                            Some(InstanceKey::Index(i)) => i.to_string(),
                            None => key_text(&Value::Null, n),
                        };
                        (key, self.instance_object(referent, n))
                    })
                    .collect(),
            ),
        }
    }

    /// One attribute of one resource instance. Attributes the configuration sets are evaluated;
    /// the others come from the schema without evaluating the resource (fewer false cycles).
    pub(crate) fn instance_attribute(
        &self,
        module: ModId,
        resource: usize,
        n: usize,
        attr: &str,
    ) -> Value {
        let inst = self.inst(module);
        let decl = &inst.def.resources[resource];
        let written = decl.body.attribute(attr).is_some()
            || decl.body.blocks.iter().any(|b| {
                b.kind == attr
                    || (b.kind == "dynamic" && b.labels.first().is_some_and(|l| l == attr))
            });
        if decl.mode == ResourceMode::Data
            && attr != "id"
            && super::data_sources::reads_resource_by_id(&decl.resource_type)
            && let Some(value) = self.attribute_of_resource_by_id(module, resource, n, attr)
        {
            return value;
        }
        let known_data = decl.mode == ResourceMode::Data
            && (super::data_sources::is_known(&decl.resource_type)
                || (!self.snapshots.is_empty()
                    && super::snapshot_data::answers(&decl.resource_type)));
        if (written || known_data)
            && let Some(v) = self.instance_values(module, resource, n).attribute(attr)
        {
            return v;
        }
        let address = self.expansion(module, resource).addresses[n].clone();
        let mode = if decl.mode == ResourceMode::Data {
            "data"
        } else {
            "managed"
        };
        match block_schema(mode, &decl.resource_type) {
            Some(schema) if schema.block_types.contains_key(attr) => Value::List(Vec::new()),
            Some(schema) if schema.attributes.get(attr).is_some_and(|a| !a.computed) => Value::Null,
            _ => Value::Unknown(UnknownValue::reference(
                Reference::new(address, attr),
                self.instance_values(module, resource, n).reason,
            )),
        }
    }

    /// `data.aws_subnet.x.ATTR` where the data source's `id` is the id of an `aws_subnet` of this
    /// configuration: that subnet's attribute (the data source reads that very subnet).
    fn attribute_of_resource_by_id(
        &self,
        module: ModId,
        resource: usize,
        n: usize,
        attr: &str,
    ) -> Option<Value> {
        let decl = &self.inst(module).def.resources[resource];
        let Some(Value::Unknown(UnknownValue {
            reference: Some(id),
            ..
        })) = self.instance_values(module, resource, n).attribute("id")
        else {
            return None;
        };
        if id.attribute != "id"
            || resource_type_of(&id.address) != Some(("managed", decl.resource_type.as_str()))
        {
            return None;
        }
        let (target_module, target, instance) = self.find_instance(&id.address)?;
        Some(self.instance_attribute(target_module, target, instance, attr))
    }

    /// The module instance, resource and instance index of a managed resource instance address
    /// already evaluated.
    fn find_instance(&self, address: &str) -> Option<(ModId, usize, usize)> {
        (0..self.instance_count()).find_map(|module| {
            let inst = self.inst(module);
            let local = if inst.path.is_empty() {
                address
            } else {
                address.strip_prefix(&inst.path)?.strip_prefix('.')?
            };
            inst.def.resources.iter().enumerate().find_map(|(r, decl)| {
                let rest = local.strip_prefix(&decl.local_address())?;
                if decl.mode != ResourceMode::Managed || !(rest.is_empty() || rest.starts_with('['))
                {
                    return None;
                }
                let n = self
                    .expansion(module, r)
                    .addresses
                    .iter()
                    .position(|a| a == address)?;
                Some((module, r, n))
            })
        })
    }

    /// `module.NAME.OUTPUT` in the child instance.
    pub(crate) fn output(&self, child: ModId, name: &str, at: Pos) -> Value {
        let inst = self.inst(child);
        let Some(attr) = inst.def.outputs.get(name) else {
            self.invalid(at, format!("Unsupported attribute: This object does not have an attribute named {name:?} ({} has no such output).", inst.path), None);
            return Value::unknown(format!("{} has no output {name}", inst.path));
        };
        self.memo(
            &self.memos.outputs,
            (child, name.to_owned()),
            || format!("{}.output.{name}", inst.path),
            attr.pos,
            || self.eval(&attr.expr, &Scope::module(child, None)),
            |cycle| Value::unknown(cycle.to_owned()),
        )
    }
}

/// `name` read from the whole object of a resource (passed through a variable or an output) that
/// does not set it, when privlink lacks the resource type's schema: the attribute exists in
/// Terraform's schema, so it is that resource's attribute, not an "Unsupported attribute".
pub(crate) fn unset_attribute_of_resource(
    object: &std::collections::BTreeMap<String, Value>,
    name: &str,
) -> Option<Value> {
    let Some(Value::Unknown(UnknownValue {
        reference: Some(id),
        reason,
        ..
    })) = object.get("id")
    else {
        return None;
    };
    if id.attribute != "id" {
        return None;
    }
    let (mode, resource_type) = resource_type_of(&id.address)?;
    if block_schema(mode, resource_type).is_some() {
        return None;
    }
    Some(Value::Unknown(UnknownValue::reference(
        Reference::new(id.address.clone(), name),
        reason.clone(),
    )))
}

/// The mode (`managed`/`data`) and type of a resource instance address
/// (`module.m.aws_lb_target_group.this["a"]` → `managed`, `aws_lb_target_group`).
fn resource_type_of(address: &str) -> Option<(&'static str, &str)> {
    let base = match address.strip_suffix(']') {
        Some(keyed) => &keyed[..keyed.rfind('[')?],
        None => address,
    };
    let mut parts = base.rsplit('.');
    let _name = parts.next()?;
    let resource_type = parts.next()?;
    let mode = if parts.next() == Some("data") && parts.next() != Some("module") {
        "data"
    } else {
        "managed"
    };
    Some((mode, resource_type))
}
