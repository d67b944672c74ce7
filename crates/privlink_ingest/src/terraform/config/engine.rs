//! The evaluation engine: module instances, memoized lazy evaluation, cycle detection, and the
//! walk that turns the configuration into [`TfResource`]s.
//!
//! Every named value (variable, local, output, resource expansion, resource instance, module call
//! expansion, provider region) is computed at most once, on first use, and memoized; a reference
//! costs a hash lookup, so a configuration evaluates in time linear in its size. A value that is
//! re-entered while being computed is a cycle: it is reported once as an input error and evaluates
//! to unknown, so evaluation always terminates.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use privlink_model::{Diagnostic, DiagnosticKind, Known, Location};

use super::ConfigOptions;
use super::module::{LoadProblem, ModuleDef, display_join};
use super::resources::complete;
use super::schema::BlockSchema;
use super::source::Sources;
use super::syntax::Pos;
use super::variables::RootValues;
use crate::InputError;
use crate::terraform::resource::{InstanceKey, TfResource};
use crate::terraform::value::{Reference, UnknownValue, Value};

/// Index of a module instance.
pub(crate) type ModId = usize;

/// Deeper reference chains than this are reported instead of risking the stack.
const MAX_DEPTH: usize = 20_000;
/// Deeper module nesting than this is taken for a module that calls itself.
const MAX_MODULE_DEPTH: usize = 32;

/// The `count.index` / `each` binding of one instance.
#[derive(Clone, Debug)]
pub(crate) enum Repetition {
    Count(usize),
    Each { key: Value, value: Value },
}

/// How a resource or module call expands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExpansionMode {
    Single,
    Count,
    ForEach,
}

/// The instances of a resource or module call.
#[derive(Debug)]
pub(crate) struct Expansion {
    pub(crate) mode: ExpansionMode,
    pub(crate) instances: Vec<(Option<InstanceKey>, Option<Repetition>)>,
    /// For resources, each instance's full address, formatted once (references need it often).
    pub(crate) addresses: Vec<String>,
}

/// A module call's instances (or why there are none).
#[derive(Debug)]
pub(crate) struct CallExpansion {
    pub(crate) mode: ExpansionMode,
    pub(crate) children: Vec<(Option<InstanceKey>, ModId)>,
    /// Set when the module's source is not available.
    pub(crate) missing: Option<String>,
}

/// One instance of a module.
#[derive(Debug)]
pub(crate) struct ModuleInst {
    /// `""` for the root, `module.net["a"].module.inner`.
    pub(crate) path: String,
    pub(crate) def: Rc<ModuleDef>,
    pub(crate) parent: Option<ModId>,
    /// Index of the call in the parent's definition.
    pub(crate) call: Option<usize>,
    pub(crate) repetition: Option<Repetition>,
    /// The call names from the root, `vpc.sub`, as `.terraform/modules/modules.json` keys them.
    pub(crate) manifest_key: String,
    pub(crate) depth: usize,
}

/// The evaluated attributes of one resource instance.
#[derive(Debug)]
pub(crate) struct InstanceValues {
    /// What the configuration writes (nested blocks as lists of maps), plus what privlink knows of
    /// data sources.
    pub(crate) configured: BTreeMap<String, Value>,
    pub(crate) locations: BTreeMap<String, Location>,
    pub(crate) address: String,
    pub(crate) schema: Option<&'static BlockSchema>,
    /// Why its computed attributes are unknown (after apply, or read at plan time).
    pub(crate) reason: &'static str,
    /// The whole object (`aws_vpc.main`), built only when something references all of it.
    pub(crate) full: OnceCell<Value>,
}

impl InstanceValues {
    /// The whole object other expressions see: `configured` completed from the provider schema.
    pub(crate) fn full(&self) -> &Value {
        self.full.get_or_init(|| match self.schema {
            Some(schema) => Value::Map(complete(
                &self.configured,
                schema,
                &self.address,
                "",
                self.reason,
            )),
            // Without a schema every attribute may exist: the object says which resource it is
            // (its `id`), and reading any attribute it does not set gives that attribute (see
            // `Engine::get_attr`).
            None => {
                let mut values = self.configured.clone();
                values.entry("id".to_owned()).or_insert_with(|| {
                    Value::Unknown(UnknownValue::reference(
                        Reference::new(self.address.clone(), "id"),
                        self.reason,
                    ))
                });
                Value::Map(values)
            }
        })
    }

    /// One written attribute as references see it (nested blocks completed from the schema).
    pub(crate) fn attribute(&self, name: &str) -> Option<Value> {
        if let Some(full) = self.full.get() {
            return full.as_map().and_then(|m| m.get(name)).cloned();
        }
        let value = self.configured.get(name)?;
        let nested = self.schema.and_then(|s| s.block_types.get(name));
        Some(match (nested, value) {
            (Some(nested), Value::List(blocks)) => Value::List(
                blocks
                    .iter()
                    .enumerate()
                    .map(|(i, block)| match block {
                        Value::Map(values) => Value::Map(complete(
                            values,
                            nested,
                            &self.address,
                            &format!("{name}.{i}."),
                            self.reason,
                        )),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            _ => value.clone(),
        })
    }
}

enum Slot<V> {
    Busy,
    Done(V),
}

/// A memo table keyed by `K`.
pub(crate) struct Memo<K, V> {
    map: RefCell<HashMap<K, Slot<V>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            map: RefCell::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// Removes a computed value.
    pub(crate) fn take(&self, key: &K) -> Option<V> {
        match self.map.borrow_mut().remove(key)? {
            Slot::Done(v) => Some(v),
            Slot::Busy => None,
        }
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memo({} entries)", self.map.borrow().len())
    }
}

/// The memo tables.
#[derive(Debug, Default)]
pub(crate) struct Memos {
    pub(crate) variables: Memo<(ModId, String), Value>,
    pub(crate) locals: Memo<(ModId, String), Value>,
    pub(crate) outputs: Memo<(ModId, String), Value>,
    pub(crate) expansions: Memo<(ModId, usize), Rc<Expansion>>,
    pub(crate) instances: Memo<(ModId, usize, usize), Rc<InstanceValues>>,
    pub(crate) calls: Memo<(ModId, usize), Rc<CallExpansion>>,
    pub(crate) regions: Memo<(ModId, String), Known<String>>,
}

/// The whole evaluation state.
#[derive(Debug)]
pub(crate) struct Engine<'o> {
    pub(crate) root_dir: PathBuf,
    pub(crate) display: String,
    pub(crate) options: &'o ConfigOptions,
    /// AWS snapshots that answer data sources.
    pub(crate) snapshots: &'o [crate::snapshot::Snapshot],
    pub(crate) sources: Sources,
    pub(crate) memos: Memos,
    pub(crate) root_values: RootValues,
    modules: RefCell<HashMap<PathBuf, Rc<ModuleDef>>>,
    instances: RefCell<Vec<Rc<ModuleInst>>>,
    manifest: Option<HashMap<String, String>>,
    stack: RefCell<Vec<String>>,
    /// Parallel to `stack`: the resource instance whose own expressions are being evaluated, so
    /// diagnostics name it.
    owners: RefCell<Vec<Option<String>>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    errors: RefCell<Vec<InputError>>,
    /// While above zero, errors are not reported but mark the evaluation failed (`try`, `can`).
    suppress: Cell<u32>,
    failed: Cell<bool>,
    /// What evaluation has spent of its [`super::budget`].
    budget: super::budget::Budget,
}

impl<'o> Engine<'o> {
    /// Sets up the root module instance: loads it and gathers the root variables' values.
    pub(crate) fn new(
        root_dir: &Path,
        display: &str,
        options: &'o ConfigOptions,
        snapshots: &'o [crate::snapshot::Snapshot],
    ) -> Self {
        let mut engine = Self {
            root_dir: root_dir.to_path_buf(),
            display: display.to_owned(),
            options,
            snapshots,
            sources: Sources::default(),
            memos: Memos::default(),
            root_values: RootValues::default(),
            modules: RefCell::new(HashMap::new()),
            instances: RefCell::new(Vec::new()),
            manifest: None,
            stack: RefCell::new(Vec::new()),
            owners: RefCell::new(Vec::new()),
            diagnostics: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
            suppress: Cell::new(0),
            failed: Cell::new(false),
            budget: super::budget::Budget::default(),
        };
        engine.manifest = engine.read_manifest();
        let def = engine.load_module(root_dir, ".");
        engine.instances.borrow_mut().push(Rc::new(ModuleInst {
            path: String::new(),
            def,
            parent: None,
            call: None,
            repetition: None,
            manifest_key: String::new(),
            depth: 0,
        }));
        engine.root_values = RootValues::gather(&engine);
        engine
    }

    /// Evaluates everything and returns the resources, diagnostics and errors.
    pub(crate) fn run(self) -> (Vec<TfResource>, Vec<Diagnostic>, Vec<InputError>) {
        let mut resources = Vec::new();
        self.emit(0, &mut resources);
        let mut diagnostics = self.diagnostics.into_inner();
        let mut seen = std::collections::HashSet::new();
        diagnostics
            .retain(|d| seen.insert((d.message.clone(), d.location.clone(), d.resource.clone())));
        let mut errors = self.errors.into_inner();
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.path.clone(), e.position, e.message.clone())));
        (resources, diagnostics, errors)
    }

    /// Evaluates every instance (root module first, in file order), then moves the results out of
    /// the memo tables: nothing is evaluated twice and nothing big is copied.
    fn emit(&self, module: ModId, out: &mut Vec<TfResource>) {
        let mut order = Vec::new();
        self.evaluate_all(module, &mut order);
        for (module, r, i) in order {
            let inst = self.inst(module);
            let decl = &inst.def.resources[r];
            let expansion = self.expansion(module, r);
            let values = self
                .memos
                .instances
                .take(&(module, r, i))
                .unwrap_or_else(|| self.instance_values(module, r, i));
            let (attributes, attribute_locations) = match Rc::try_unwrap(values) {
                Ok(values) => (values.configured, values.locations),
                Err(shared) => (shared.configured.clone(), shared.locations.clone()),
            };
            out.push(TfResource {
                address: expansion.addresses[i].clone(),
                mode: decl.mode,
                resource_type: decl.resource_type.clone(),
                name: decl.name.clone(),
                module: inst.path.clone(),
                key: expansion.instances[i].0.clone(),
                attributes,
                location: Some(self.location(decl.pos)),
                attribute_locations,
                region: self.provider_region(module, &decl.provider_key()),
            });
        }
    }

    fn evaluate_all(&self, module: ModId, order: &mut Vec<(ModId, usize, usize)>) {
        let inst = self.inst(module);
        for r in 0..inst.def.resources.len() {
            for i in 0..self.expansion(module, r).instances.len() {
                self.instance_values(module, r, i);
                order.push((module, r, i));
            }
        }
        // Terraform checks every variable, local and output, used or not.
        let mut names: Vec<(&str, &String, Pos)> = Vec::new();
        names.extend(inst.def.variables.iter().map(|(n, d)| ("var", n, d.pos)));
        names.extend(inst.def.locals.iter().map(|(n, a)| ("local", n, a.pos)));
        names.extend(inst.def.outputs.iter().map(|(n, a)| ("output", n, a.pos)));
        names.sort_by_key(|(kind, name, _)| (*kind, *name));
        for (kind, name, pos) in names {
            match kind {
                "var" => self.variable(module, name, pos),
                "local" => self.local(module, name, pos),
                _ => self.output(module, name, pos),
            };
        }
        for c in 0..inst.def.calls.len() {
            let calls = self.call_expansion(module, c);
            for (_, child) in &calls.children {
                self.evaluate_all(*child, order);
            }
        }
    }

    /// A module instance.
    pub(crate) fn inst(&self, module: ModId) -> Rc<ModuleInst> {
        Rc::clone(&self.instances.borrow()[module])
    }

    /// How many module instances are registered so far.
    pub(crate) fn instance_count(&self) -> usize {
        self.instances.borrow().len()
    }

    /// Registers a module instance.
    pub(crate) fn add_instance(&self, inst: ModuleInst) -> ModId {
        let mut instances = self.instances.borrow_mut();
        instances.push(Rc::new(inst));
        instances.len() - 1
    }

    /// The full address of a resource instance.
    pub(crate) fn instance_address(
        &self,
        module: ModId,
        resource: usize,
        key: Option<&InstanceKey>,
    ) -> String {
        let inst = self.inst(module);
        let local = inst.def.resources[resource].local_address();
        let key = key.map(ToString::to_string).unwrap_or_default();
        if inst.path.is_empty() {
            format!("{local}{key}")
        } else {
            format!("{}.{local}{key}", inst.path)
        }
    }

    /// The resource address without instance key (for diagnostics).
    pub(crate) fn resource_address(&self, module: ModId, resource: usize) -> String {
        self.instance_address(module, resource, None)
    }

    /// Loads (once) the module in `dir`.
    pub(crate) fn load_module(&self, dir: &Path, rel_path: &str) -> Rc<ModuleDef> {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Some(def) = self.modules.borrow().get(&canonical) {
            return Rc::clone(def);
        }
        let mut problems = Vec::new();
        let def = Rc::new(super::module::load(
            dir,
            rel_path,
            &self.display,
            &self.sources,
            &mut problems,
        ));
        for problem in problems {
            match problem {
                LoadProblem::Input { path, position, message, help } => {
                    self.errors.borrow_mut().push(InputError { path, position, message, help });
                }
                LoadProblem::InputAt { pos, message } => self.input_error(pos, message, None),
                LoadProblem::Invalid { pos, message } => self.invalid(pos, message, None),
                LoadProblem::Unresolved { path, message } => self.diagnostics.borrow_mut().push(Diagnostic {
                    kind: DiagnosticKind::UnresolvedInput,
                    message,
                    location: Some(Location::new(path, 1, 1)),
                    resource: None,
                    help: Some("merge the override into the main files, or check the overridden values by hand".into()),
                    predicted_error: None,
                }),
            }
        }
        self.modules.borrow_mut().insert(canonical, Rc::clone(&def));
        def
    }

    fn read_manifest(&self) -> Option<HashMap<String, String>> {
        let text =
            std::fs::read_to_string(self.root_dir.join(".terraform/modules/modules.json")).ok()?;
        let json: serde_json::Value = match serde_json::from_str(&text) {
            Ok(json) => json,
            Err(e) => {
                self.errors.borrow_mut().push(
                    InputError::file(
                        display_join(&self.display, ".terraform/modules/modules.json"),
                        format!("cannot read the module manifest: {e}"),
                    )
                    .with_help("run `terraform init` again to rewrite it"),
                );
                return None;
            }
        };
        Some(
            json.get("Modules")?
                .as_array()?
                .iter()
                .filter_map(|m| {
                    Some((
                        m.get("Key")?.as_str()?.to_owned(),
                        m.get("Dir")?.as_str()?.to_owned(),
                    ))
                })
                .collect(),
        )
    }

    /// The directory of an installed non-local module, from `modules.json`.
    pub(crate) fn installed_module_dir(&self, key: &str) -> Option<String> {
        self.manifest.as_ref()?.get(key).cloned()
    }

    /// Module nesting limit.
    pub(crate) fn module_depth_exceeded(&self, depth: usize) -> bool {
        depth > MAX_MODULE_DEPTH
    }

    /// Memoized evaluation with cycle detection. `describe` names the node for cycle messages.
    pub(crate) fn memo<K: Hash + Eq + Clone, V: Clone>(
        &self,
        memo: &Memo<K, V>,
        key: K,
        describe: impl Fn() -> String,
        at: Pos,
        compute: impl FnOnce() -> V,
        fallback: impl FnOnce(&str) -> V,
    ) -> V {
        let busy = match memo.map.borrow().get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => true,
            None => false,
        };
        if busy {
            let name = describe();
            let stack = self.stack.borrow();
            let start = stack.iter().position(|s| *s == name).unwrap_or(0);
            let mut cycle: Vec<&str> = stack[start..].iter().map(String::as_str).collect();
            cycle.push(&name);
            let message = format!("Cycle: {}", cycle.join(" → "));
            drop(stack);
            self.input_error(
                at,
                message.clone(),
                Some("break the cycle: a value cannot depend on itself".into()),
            );
            return fallback(&message);
        }
        if self.stack.borrow().len() > MAX_DEPTH {
            self.input_error(
                at,
                format!(
                    "references nested more than {MAX_DEPTH} deep at {}",
                    describe()
                ),
                None,
            );
            return fallback("references nested too deeply");
        }
        memo.map.borrow_mut().insert(key.clone(), Slot::Busy);
        self.stack.borrow_mut().push(describe());
        self.owners.borrow_mut().push(None);
        // A named value's errors are its own, even when a `try` elsewhere first asked for it:
        // it is computed once, so suppressing them here would lose them for good.
        let suppress = self.suppress.replace(0);
        let failed = self.failed.replace(false);
        let value = compute();
        self.suppress.set(suppress);
        self.failed.set(failed);
        self.owners.borrow_mut().pop();
        self.stack.borrow_mut().pop();
        memo.map.borrow_mut().insert(key, Slot::Done(value.clone()));
        value
    }

    /// The location of a position.
    pub(crate) fn location(&self, pos: Pos) -> Location {
        self.sources.location(pos)
    }

    /// Reports something Terraform would reject.
    pub(crate) fn invalid(&self, pos: Pos, message: String, resource: Option<String>) {
        self.diagnostic(
            DiagnosticKind::InvalidTerraform,
            pos,
            message,
            resource,
            None,
        );
    }

    /// Reports a diagnostic (or, inside `try`/`can`, marks the evaluation failed).
    pub(crate) fn diagnostic(
        &self,
        kind: DiagnosticKind,
        pos: Pos,
        message: String,
        resource: Option<String>,
        help: Option<String>,
    ) {
        if self.suppress.get() > 0 && kind == DiagnosticKind::InvalidTerraform {
            self.failed.set(true);
            return;
        }
        let predicted_error = (kind == DiagnosticKind::InvalidTerraform)
            .then(|| format!("Error: {}", message.split(':').next().unwrap_or(&message)));
        let resource = resource.or_else(|| self.owners.borrow().last().cloned().flatten());
        self.diagnostics.borrow_mut().push(Diagnostic {
            kind,
            message,
            location: Some(self.location(pos)),
            resource,
            help,
            predicted_error,
        });
    }

    /// Reports an input error at a position.
    pub(crate) fn input_error(&self, pos: Pos, message: String, help: Option<String>) {
        let mut error = InputError::at(&self.location(pos), message);
        error.help = help;
        self.errors.borrow_mut().push(error);
    }

    /// The value, or an unknown one with an input error at `pos` when it exceeds an evaluation
    /// budget; `named` values (locals, outputs) count towards the run's total.
    pub(crate) fn bounded(&self, value: Value, pos: Pos, named: bool) -> Value {
        match self.budget.check(&value, named) {
            Ok(()) => value,
            Err(message) => {
                self.input_error(pos, message, Some(super::budget::HELP.to_owned()));
                Value::unknown("an evaluation limit was reached")
            }
        }
    }

    /// Reports an input error about a whole file.
    pub(crate) fn file_error(&self, error: InputError) {
        self.errors.borrow_mut().push(error);
    }

    /// Marks the node being computed as `address`'s own expressions (see `owners`).
    pub(crate) fn own(&self, address: &str) {
        if let Some(top) = self.owners.borrow_mut().last_mut() {
            *top = Some(address.to_owned());
        }
    }

    /// Whether evaluation is inside `try`/`can` (or another attempt).
    pub(crate) fn attempting(&self) -> bool {
        self.suppress.get() > 0
    }

    /// Inside `try`/`can`: marks the attempt failed and returns true.
    pub(crate) fn fail_if_attempting(&self) -> bool {
        let attempting = self.suppress.get() > 0;
        if attempting {
            self.failed.set(true);
        }
        attempting
    }

    /// Runs `f` with errors turned into a failure flag; returns its value and whether it failed.
    pub(crate) fn attempt(&self, f: impl FnOnce() -> Value) -> (Value, bool) {
        let outer_failed = self.failed.replace(false);
        self.suppress.set(self.suppress.get() + 1);
        let value = f();
        self.suppress.set(self.suppress.get() - 1);
        let failed = self.failed.replace(outer_failed);
        (value, failed)
    }
}
