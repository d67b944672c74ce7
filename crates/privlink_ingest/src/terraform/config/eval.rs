//! Expression evaluation: literals, templates, operators, conditionals, `for` expressions, function
//! calls (with `try`, `can` and `templatefile`, which need their arguments unevaluated), and generic
//! traversal (attributes, indexes, splats). Named references (`var.`, `aws_vpc.main`, ...) are
//! resolved in [`references`](super::references).
//!
//! Unknown values propagate: an operation on an unknown gives an unknown derived from it, never a
//! guess. Errors Terraform would report become `invalid-terraform` diagnostics at the expression
//! and the expression evaluates to unknown, so the rest of the configuration is still evaluated.

use std::collections::BTreeMap;

use privlink_model::DiagnosticKind;

use super::engine::{Engine, ModId, Repetition};
use super::functions::{self, FnContext, FnError};
use super::syntax::{BinaryOp, Expr, ExprKind, ForExpr, Pos, TemplatePart, TraversalOp, UnaryOp};
use super::values::{
    collect_sources, derived, equals_partial, first_unknown, to_bool, to_number, to_string,
    type_description, unknown_among,
};
use crate::terraform::value::Value;

/// A name bound by a `for` expression, a `dynamic` iterator or `templatefile`.
#[derive(Debug)]
pub(crate) struct Binding<'a> {
    pub(crate) name: String,
    pub(crate) value: Value,
    pub(crate) parent: Option<&'a Binding<'a>>,
}

/// What names mean where an expression is evaluated.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    /// The module instance; `None` where no references are allowed (`.tfvars`, defaults).
    pub(crate) module: Option<ModId>,
    pub(crate) repetition: Option<&'a Repetition>,
    pub(crate) bindings: Option<&'a Binding<'a>>,
}

impl<'a> Scope<'a> {
    /// No references: variable defaults, `.tfvars` values, type constraints.
    pub(crate) fn constant() -> Self {
        Self {
            module: None,
            repetition: None,
            bindings: None,
        }
    }

    /// A module instance, optionally inside one `count`/`for_each` instance.
    pub(crate) fn module(module: ModId, repetition: Option<&'a Repetition>) -> Self {
        Self {
            module: Some(module),
            repetition,
            bindings: None,
        }
    }

    /// The same scope with one more binding.
    pub(crate) fn with(self, binding: &'a Binding<'a>) -> Self {
        Self {
            bindings: Some(binding),
            ..self
        }
    }

    /// A bound name's value.
    pub(crate) fn lookup(&self, name: &str) -> Option<&'a Value> {
        let mut current = self.bindings;
        while let Some(b) = current {
            if b.name == name {
                return Some(&b.value);
            }
            current = b.parent;
        }
        None
    }
}

impl Engine<'_> {
    /// Evaluates an expression.
    pub(crate) fn eval(&self, expr: &Expr, scope: &Scope<'_>) -> Value {
        match &expr.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::String(s) => Value::String(s.clone()),
            ExprKind::Template(parts) => match parts.as_slice() {
                // A template that is a single interpolation yields the value itself, not a string.
                [TemplatePart::Interpolation(inner)] => self.eval(inner, scope),
                _ => self.bounded(self.template(parts, scope), expr.pos, false),
            },
            ExprKind::Tuple(items) => {
                Value::List(items.iter().map(|i| self.eval(i, scope)).collect())
            }
            ExprKind::Object(entries) => self.object(entries, scope),
            ExprKind::Variable(name) => self.traversal_from(name, expr.pos, &[], scope),
            ExprKind::Traversal(root, ops) => match &root.kind {
                ExprKind::Variable(name) => self.traversal_from(name, root.pos, ops, scope),
                _ => {
                    let base = self.eval(root, scope);
                    self.apply_ops(base, ops, scope, expr.pos)
                }
            },
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => self.bounded(
                self.call(name, args, *expand_final, scope, expr.pos),
                expr.pos,
                false,
            ),
            ExprKind::Conditional(cond, then, otherwise) => {
                self.conditional(cond, then, otherwise, scope)
            }
            ExprKind::Unary(op, inner) => self.unary(*op, inner, scope),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, scope, expr.pos),
            ExprKind::For(f) => self.bounded(self.for_expr(f, scope, expr.pos), expr.pos, false),
        }
    }

    fn object(&self, entries: &[(Expr, Expr)], scope: &Scope<'_>) -> Value {
        let mut map = BTreeMap::new();
        for (key, value) in entries {
            // A bare identifier key is a literal name, not a reference.
            let key_value = match &key.kind {
                ExprKind::Variable(name) => Value::String(name.clone()),
                _ => self.eval(key, scope),
            };
            if let Some(u) = key_value.as_unknown() {
                return derived(u);
            }
            match to_string(&key_value) {
                Ok(k) => {
                    map.insert(k, self.eval(value, scope));
                }
                Err(e) => {
                    self.invalid(key.pos, format!("Invalid object key: {e}"), None);
                    return Value::unknown("invalid object key");
                }
            }
        }
        Value::Map(map)
    }

    fn template(&self, parts: &[TemplatePart], scope: &Scope<'_>) -> Value {
        let mut out = String::new();
        let mut unknown = None;
        self.render(parts, scope, &mut out, &mut unknown);
        unknown.unwrap_or(Value::String(out))
    }

    fn render(
        &self,
        parts: &[TemplatePart],
        scope: &Scope<'_>,
        out: &mut String,
        unknown: &mut Option<Value>,
    ) {
        for part in parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Interpolation(expr) => {
                    let value = self.eval(expr, scope);
                    match &value {
                        Value::Unknown(u) => match unknown {
                            // Every unknown part is a source of the result.
                            Some(Value::Unknown(so_far)) => {
                                collect_sources(&value, &mut so_far.sources);
                            }
                            _ => *unknown = Some(derived(u)),
                        },
                        other => match to_string(other) {
                            Ok(s) => out.push_str(&s),
                            Err(e) => {
                                self.invalid(
                                    expr.pos,
                                    format!("Invalid template interpolation value: {e}."),
                                    None,
                                );
                                *unknown = Some(Value::unknown("invalid template interpolation"));
                            }
                        },
                    }
                }
                TemplatePart::If {
                    cond,
                    then,
                    otherwise,
                } => match self.eval(cond, scope) {
                    Value::Unknown(u) => *unknown = unknown.take().or_else(|| Some(derived(&u))),
                    value => match to_bool(&value) {
                        Ok(true) => self.render(then, scope, out, unknown),
                        Ok(false) => self.render(otherwise, scope, out, unknown),
                        Err(e) => {
                            self.invalid(
                                cond.pos,
                                format!("Invalid template directive condition: {e}."),
                                None,
                            );
                            *unknown = Some(Value::unknown("invalid template condition"));
                        }
                    },
                },
                TemplatePart::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let coll = self.eval(collection, scope);
                    let items = match self.iterate(coll, collection.pos) {
                        Ok(items) => items,
                        Err(not_iterable) => {
                            *unknown = Some(not_iterable);
                            continue;
                        }
                    };
                    for (key, value) in items {
                        let key_binding = key_var.as_ref().map(|k| Binding {
                            name: k.clone(),
                            value: key,
                            parent: scope.bindings,
                        });
                        let inner_scope = key_binding.as_ref().map_or(*scope, |b| scope.with(b));
                        let value_binding = Binding {
                            name: value_var.clone(),
                            value,
                            parent: inner_scope.bindings,
                        };
                        self.render(body, &inner_scope.with(&value_binding), out, unknown);
                        if out.len() > super::budget::MAX_VALUE_SIZE {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The (key, value) pairs a `for` iterates (taking the collection, so nothing is copied); for
    /// an unknown or unsuitable collection, the unknown the whole result becomes.
    pub(crate) fn iterate(&self, collection: Value, at: Pos) -> Result<Vec<(Value, Value)>, Value> {
        match collection {
            Value::List(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect()),
            Value::Set(items) => Ok(items.into_iter().map(|v| (v.clone(), v)).collect()),
            Value::Map(map) => Ok(map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect()),
            Value::Unknown(u) => Err(derived(&u)),
            other => {
                self.invalid(at, format!("Iteration over non-iterable value: A value of type {} cannot be used as the collection in a 'for' expression.", type_description(&other)), None);
                Err(Value::unknown("iteration over a non-iterable value"))
            }
        }
    }

    fn conditional(&self, cond: &Expr, then: &Expr, otherwise: &Expr, scope: &Scope<'_>) -> Value {
        match self.eval(cond, scope) {
            // Unknown whichever branch it takes, as in Terraform; it depends on both branches.
            Value::Unknown(u) => {
                let (a, b) = (self.eval(then, scope), self.eval(otherwise, scope));
                let mut out = derived(&u);
                if let Value::Unknown(out) = &mut out {
                    collect_sources(&a, &mut out.sources);
                    collect_sources(&b, &mut out.sources);
                }
                out
            }
            value => match to_bool(&value) {
                Ok(true) => self.unify_branch(self.eval(then, scope), otherwise, scope),
                Ok(false) => self.unify_branch(self.eval(otherwise, scope), then, scope),
                Err(e) => {
                    self.invalid(cond.pos, format!("Incorrect condition type: The condition expression must be of type bool: {e}."), None);
                    Value::unknown("invalid condition")
                }
            },
        }
    }

    /// Terraform gives both branches of a conditional one type: a number or bool chosen against a
    /// string in the other branch becomes a string (`true ? 1 : "a"` is `"1"`).
    /// A number against a bool is Terraform's "Inconsistent conditional result types".
    fn unify_branch(&self, chosen: Value, other: &Expr, scope: &Scope<'_>) -> Value {
        if !matches!(chosen, Value::Number(_) | Value::Bool(_)) {
            return chosen;
        }
        match (&chosen, self.attempt(|| self.eval(other, scope))) {
            (_, (Value::String(_), false)) => to_string(&chosen).map_or(chosen, Value::String),
            (Value::Number(_), (Value::Bool(_), false))
            | (Value::Bool(_), (Value::Number(_), false)) => {
                self.invalid(
                    other.pos,
                    format!("Inconsistent conditional result types: The true and false result expressions must have consistent types; one is {}, the other {}.", chosen.type_name(), if matches!(chosen, Value::Number(_)) { "bool" } else { "number" }),
                    None,
                );
                Value::unknown("inconsistent conditional result types")
            }
            _ => chosen,
        }
    }

    fn unary(&self, op: UnaryOp, inner: &Expr, scope: &Scope<'_>) -> Value {
        let value = self.eval(inner, scope);
        if let Some(u) = value.as_unknown() {
            return derived(u);
        }
        let result = match op {
            UnaryOp::Neg => to_number(&value).map(|n| Value::Number(-n)),
            UnaryOp::Not => to_bool(&value).map(|b| Value::Bool(!b)),
        };
        result.unwrap_or_else(|e| {
            self.invalid(
                inner.pos,
                format!("Invalid operand: Unsuitable value for unary operand: {e}."),
                None,
            );
            Value::unknown("invalid operand")
        })
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr, scope: &Scope<'_>, at: Pos) -> Value {
        let a = self.eval(lhs, scope);
        let b = self.eval(rhs, scope);
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let want = op == BinaryOp::Or;
                // As in Terraform, an unknown operand makes the result unknown even where the
                // other operand would decide it (`false && unknown` is unknown).
                if let Some(u) = unknown_among([&a, &b]) {
                    return u;
                }
                for v in [&a, &b] {
                    if to_bool(v) == Ok(want) {
                        return Value::Bool(want);
                    }
                }
                match (to_bool(&a), to_bool(&b)) {
                    (Ok(_), Ok(_)) => Value::Bool(!want),
                    (Err(e), _) | (_, Err(e)) => {
                        self.invalid(
                            at,
                            format!("Invalid operand: Unsuitable value for logical operand: {e}."),
                            None,
                        );
                        Value::unknown("invalid operand")
                    }
                }
            }
            BinaryOp::Eq | BinaryOp::NotEq => match equals_partial(&a, &b) {
                Ok(eq) => Value::Bool(eq == (op == BinaryOp::Eq)),
                Err(u) => derived(u),
            },
            _ => {
                if let Some(u) = unknown_among([&a, &b]) {
                    return u;
                }
                let (x, y) = match (to_number(&a), to_number(&b)) {
                    (Ok(x), Ok(y)) => (x, y),
                    (Err(e), _) | (_, Err(e)) => {
                        self.invalid(at, format!("Invalid operand: Unsuitable value for arithmetic or comparison operand: {e}."), None);
                        return Value::unknown("invalid operand");
                    }
                };
                match op {
                    BinaryOp::Add => Value::Number(x + y),
                    BinaryOp::Sub => Value::Number(x - y),
                    BinaryOp::Mul => Value::Number(x * y),
                    BinaryOp::Div => Value::Number(x / y),
                    BinaryOp::Mod => Value::Number(x % y),
                    BinaryOp::Lt => Value::Bool(x < y),
                    BinaryOp::LtEq => Value::Bool(x <= y),
                    BinaryOp::Gt => Value::Bool(x > y),
                    _ => Value::Bool(x >= y),
                }
            }
        }
    }

    fn for_expr(&self, f: &ForExpr, scope: &Scope<'_>, at: Pos) -> Value {
        let collection = self
            .projected_collection(f, scope)
            .unwrap_or_else(|| self.eval(&f.collection, scope));
        let items = match self.iterate(collection, f.collection.pos) {
            Ok(items) => items,
            Err(not_iterable) => return not_iterable,
        };
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (key, value) in items {
            let key_binding = f.key_var.as_ref().map(|k| Binding {
                name: k.clone(),
                value: key,
                parent: scope.bindings,
            });
            let inner = key_binding.as_ref().map_or(*scope, |b| scope.with(b));
            let value_binding = Binding {
                name: f.value_var.clone(),
                value,
                parent: inner.bindings,
            };
            let inner = inner.with(&value_binding);
            if let Some(cond) = &f.cond {
                match self.eval(cond, &inner) {
                    // An object `for` filtering its fields (`{ for k, v in m : k => v if v != null }`,
                    // as modules build container definitions) keeps every field it can decide:
                    // a field whose condition is unknown is kept as unknown, so one value privlink
                    // cannot know does not hide the known ones.
                    Value::Unknown(u) if f.key.is_some() && !f.grouping => {
                        let k = self.eval(f.key.as_ref().expect("object for"), &inner);
                        match to_string(&k) {
                            Ok(k) if !object.contains_key(&k) => {
                                object.insert(k, derived(&u));
                                continue;
                            }
                            _ => return derived(&u),
                        }
                    }
                    Value::Unknown(u) => return derived(&u),
                    c => match to_bool(&c) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(e) => {
                            self.invalid(cond.pos, format!("Invalid 'for' condition: {e}."), None);
                            return Value::unknown("invalid for condition");
                        }
                    },
                }
            }
            match &f.key {
                None => list.push(self.eval(&f.value, &inner)),
                Some(key_expr) => {
                    let k = self.eval(key_expr, &inner);
                    if let Some(u) = k.as_unknown() {
                        return derived(u);
                    }
                    let Ok(k) = to_string(&k) else {
                        self.invalid(
                            key_expr.pos,
                            "Invalid object key: the key expression must produce a string.".into(),
                            None,
                        );
                        return Value::unknown("invalid object key");
                    };
                    let v = self.eval(&f.value, &inner);
                    if f.grouping {
                        groups.entry(k).or_default().push(v);
                        continue;
                    }
                    match object.entry(k) {
                        std::collections::btree_map::Entry::Occupied(entry) => {
                            self.invalid(at, format!("Duplicate object key: Two different items produced the key {:?} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.", entry.key()), None);
                            return Value::unknown("duplicate object key");
                        }
                        std::collections::btree_map::Entry::Vacant(entry) => {
                            entry.insert(v);
                        }
                    }
                }
            }
        }
        match (&f.key, f.grouping) {
            (None, _) => Value::List(list),
            (Some(_), true) => Value::Map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
            (Some(_), false) => Value::Map(object),
        }
    }

    fn call(
        &self,
        name: &str,
        arg_exprs: &[Expr],
        expand_final: bool,
        scope: &Scope<'_>,
        at: Pos,
    ) -> Value {
        // `core::NAME` is Terraform's own NAME.
        let name = name.strip_prefix("core::").unwrap_or(name);
        match name {
            "try" => {
                for arg in arg_exprs {
                    let (value, failed) = self.attempt(|| self.eval(arg, scope));
                    if !failed {
                        return value;
                    }
                }
                self.invalid(at, "Error in function call: Call to function \"try\" failed: no expression succeeded.".into(), None);
                return Value::unknown("try() had no successful argument");
            }
            "can" => {
                let Some(arg) = arg_exprs.first() else {
                    self.invalid(
                        at,
                        "Not enough function arguments: can() needs one argument.".into(),
                        None,
                    );
                    return Value::unknown("invalid can()");
                };
                let (value, failed) = self.attempt(|| self.eval(arg, scope));
                return match value.as_unknown() {
                    Some(u) if !failed => derived(u),
                    _ => Value::Bool(!failed),
                };
            }
            _ => {}
        }
        let mut args: Vec<Value> = arg_exprs.iter().map(|a| self.eval(a, scope)).collect();
        if expand_final {
            match args.pop() {
                Some(Value::List(items) | Value::Set(items)) => args.extend(items),
                Some(Value::Unknown(u)) => return derived(&u),
                Some(other) => {
                    self.invalid(at, format!("Invalid expanding argument value: The expanding argument (indicated by ...) must be of a tuple, list, or set type, not {}.", type_description(&other)), None);
                    return Value::unknown("invalid expanding argument");
                }
                None => {}
            }
        }
        if name == "templatefile" {
            return self.templatefile(&args, at);
        }
        let ctx = FnContext {
            cwd: &self.root_dir,
        };
        match functions::call(name, &args, &ctx) {
            Ok(value) => {
                if let Some(reason) = functions::not_evaluated(name)
                    && !self.attempting()
                {
                    self.diagnostic(
                        DiagnosticKind::UnresolvedInput,
                        at,
                        reason,
                        None,
                        Some("privlink treats its result as unknown; give the value another way (a variable, a literal) where it matters".into()),
                    );
                }
                value
            }
            Err(error) => self.function_error(name, error, at),
        }
    }

    fn function_error(&self, name: &str, error: FnError, at: Pos) -> Value {
        match error {
            FnError::UnknownFunction => {
                self.input_error(
                    at,
                    format!("Call to unknown function: There is no function named {name:?}."),
                    Some(
                        "Terraform would refuse this configuration; check the function name".into(),
                    ),
                );
                Value::unknown(format!("{name}() is not a Terraform function"))
            }
            FnError::Call(message) => {
                self.invalid(
                    at,
                    format!("Error in function call: Call to function {name:?} failed: {message}"),
                    None,
                );
                Value::unknown(format!("{name}() failed"))
            }
            FnError::Argument(message) => {
                self.invalid(
                    at,
                    format!("Invalid function argument: {name}(): {message}"),
                    None,
                );
                Value::unknown(format!("{name}() failed"))
            }
            FnError::Input { message, help } => {
                // Inside try()/can() a missing file is a failure the expression handles.
                if !self.fail_if_attempting() {
                    self.input_error(at, format!("{name}(): {message}"), Some(help));
                }
                Value::unknown(format!("{name}() could not read its file"))
            }
        }
    }

    fn templatefile(&self, args: &[Value], at: Pos) -> Value {
        if let Some(u) = args.iter().find_map(first_unknown) {
            return derived(u);
        }
        let ctx = FnContext {
            cwd: &self.root_dir,
        };
        let Some(path) = args.first().and_then(|p| to_string(p).ok()) else {
            self.invalid(
                at,
                "Invalid function argument: templatefile() needs a path.".into(),
                None,
            );
            return Value::unknown("templatefile() failed");
        };
        let text = match functions::read_file(&ctx, &path) {
            Ok(text) => text,
            Err(error) => return self.function_error("templatefile", error, at),
        };
        let template = match super::hcl::parse_template(&text, at) {
            Ok(t) => t,
            Err(message) => {
                self.invalid(at, format!("Error in function call: Call to function \"templatefile\" failed: {path}: {message}"), None);
                return Value::unknown("templatefile() failed");
            }
        };
        let vars = match args.get(1) {
            Some(Value::Map(vars)) => vars.clone(),
            _ => BTreeMap::new(),
        };
        // The template sees only its variables (and functions), never the module's names.
        let vars: Vec<(String, Value)> = vars.into_iter().collect();
        with_bindings(&vars, None, &|bindings| {
            self.eval(
                &template,
                &Scope {
                    module: None,
                    repetition: None,
                    bindings,
                },
            )
        })
    }

    /// Applies traversal steps to a value: attributes, indexes and splats.
    pub(crate) fn apply_ops(
        &self,
        mut value: Value,
        ops: &[TraversalOp],
        scope: &Scope<'_>,
        at: Pos,
    ) -> Value {
        let mut i = 0;
        while i < ops.len() {
            match &ops[i] {
                TraversalOp::GetAttr(name) => value = self.get_attr(value, name, at),
                TraversalOp::Index(index) => {
                    let key = self.eval(index, scope);
                    value = self.index(value, &key, index.pos);
                }
                TraversalOp::FullSplat => {
                    let rest = &ops[i + 1..];
                    return self.splat(value, |element| self.apply_ops(element, rest, scope, at));
                }
                TraversalOp::AttrSplat => {
                    let attrs = ops[i + 1..]
                        .iter()
                        .take_while(|op| matches!(op, TraversalOp::GetAttr(_)))
                        .count();
                    let rest = &ops[i + 1..i + 1 + attrs];
                    value = self.splat(value, |element| self.apply_ops(element, rest, scope, at));
                    i += attrs;
                }
            }
            i += 1;
        }
        value
    }

    /// `[*]` on a value: each element of a list/set, a single value as a one-element list, `null`
    /// as an empty list.
    pub(crate) fn splat(&self, value: Value, each: impl Fn(Value) -> Value) -> Value {
        match value {
            Value::Null => Value::List(Vec::new()),
            Value::List(items) | Value::Set(items) => {
                Value::List(items.into_iter().map(each).collect())
            }
            Value::Unknown(u) => derived(&u),
            single => Value::List(vec![each(single)]),
        }
    }

    /// `value.name`.
    pub(crate) fn get_attr(&self, value: Value, name: &str, at: Pos) -> Value {
        match value {
            Value::Map(mut map) => map.remove(name).unwrap_or_else(|| {
                if let Some(value) = super::references::unset_attribute_of_resource(&map, name) {
                    return value;
                }
                self.invalid(at, format!("Unsupported attribute: This object does not have an attribute named {name:?}."), None);
                Value::unknown(format!("no attribute {name:?}"))
            }),
            Value::Unknown(u) => match &u.reference {
                Some(r) => Value::Unknown(crate::terraform::value::UnknownValue::reference(
                    crate::terraform::value::Reference::new(r.address.clone(), format!("{}.{name}", r.attribute)),
                    u.reason.clone(),
                )),
                None => derived(&u),
            },
            Value::Null => {
                self.invalid(at, format!("Attempt to get attribute from null value: This value is null, so it does not have any attribute named {name:?}."), None);
                Value::unknown("attribute of null")
            }
            other => {
                self.invalid(at, format!("Unsupported attribute: Can't access attributes on a primitive-typed value ({}).", other.type_name()), None);
                Value::unknown("attribute of a primitive")
            }
        }
    }

    /// `value[key]`.
    pub(crate) fn index(&self, value: Value, key: &Value, at: Pos) -> Value {
        if let Some(u) = key.as_unknown() {
            return derived(u);
        }
        match value {
            Value::List(mut items) => {
                let index = to_number(key)
                    .ok()
                    .filter(|n| n.fract() == 0.0 && *n >= 0.0);
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let index = index.map(|n| n as usize).filter(|n| *n < items.len());
                match index {
                    Some(i) => items.swap_remove(i),
                    None => {
                        self.invalid(at, format!("Invalid index: The given key does not identify an element in this collection value ({key} of {}).", items.len()), None);
                        Value::unknown("invalid index")
                    }
                }
            }
            Value::Map(mut map) => match to_string(key).ok().and_then(|k| map.remove(&k)) {
                Some(v) => v,
                None => {
                    self.invalid(at, format!("Invalid index: The given key does not identify an element in this collection value: {key}."), None);
                    Value::unknown("invalid index")
                }
            },
            Value::Unknown(u) => match (&u.reference, key) {
                (Some(r), Value::Number(n)) => {
                    Value::Unknown(crate::terraform::value::UnknownValue::reference(
                        crate::terraform::value::Reference::new(
                            r.address.clone(),
                            format!("{}.{}", r.attribute, super::values::number_to_string(*n)),
                        ),
                        u.reason.clone(),
                    ))
                }
                _ => derived(&u),
            },
            Value::Set(_) => {
                self.invalid(at, "Invalid index: Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.".into(), None);
                Value::unknown("index into a set")
            }
            other => {
                self.invalid(
                    at,
                    format!(
                        "Invalid index: This value does not have any indices ({}).",
                        other.type_name()
                    ),
                    None,
                );
                Value::unknown("invalid index")
            }
        }
    }
}

/// Runs `f` with every `(name, value)` bound (one stack frame per binding; templates have few).
fn with_bindings<R>(
    vars: &[(String, Value)],
    parent: Option<&Binding<'_>>,
    f: &dyn Fn(Option<&Binding<'_>>) -> R,
) -> R {
    match vars.split_first() {
        None => f(parent),
        Some(((name, value), rest)) => {
            let binding = Binding {
                name: name.clone(),
                value: value.clone(),
                parent,
            };
            with_bindings(rest, Some(&binding), f)
        }
    }
}
