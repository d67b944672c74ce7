//! `for` expressions over resources, evaluated without building whole resource objects.
//!
//! `[for s in aws_subnet.this : s.id]` is everywhere in real configurations, often inside every
//! instance of another resource. Building each subnet's whole object (every schema attribute) for
//! it is wasteful: when the `for` uses its value variable only as `s.ATTR...`, the collection is
//! built with just those attributes, each looked up the same schema-aware way a direct reference
//! is. Any other use of the variable falls back to whole objects.

use std::collections::BTreeSet;

use super::engine::{Engine, ExpansionMode};
use super::eval::Scope;
use super::syntax::{Expr, ExprKind, ForExpr, TemplatePart, TraversalOp};
use crate::terraform::resource::{InstanceKey, ResourceMode};
use crate::terraform::value::Value;

/// Root names that are not resource types.
const NOT_RESOURCE_TYPES: &[&str] = &[
    "var",
    "local",
    "count",
    "each",
    "path",
    "terraform",
    "module",
    "self",
];

impl Engine<'_> {
    /// The collection of a `for` over a resource, with only the attributes the `for` reads; `None`
    /// when the shortcut does not apply.
    pub(crate) fn projected_collection(&self, f: &ForExpr, scope: &Scope<'_>) -> Option<Value> {
        let module = scope.module?;
        let ExprKind::Traversal(root, ops) = &f.collection.kind else {
            return None;
        };
        let ExprKind::Variable(root_name) = &root.kind else {
            return None;
        };
        if scope.lookup(root_name).is_some() {
            return None;
        }
        let (mode, resource_type, name) = match ops.as_slice() {
            [TraversalOp::GetAttr(t), TraversalOp::GetAttr(n)] if root_name == "data" => {
                (ResourceMode::Data, t, n)
            }
            [TraversalOp::GetAttr(t), TraversalOp::GetAttr(n)] if root_name == "resource" => {
                (ResourceMode::Managed, t, n)
            }
            [TraversalOp::GetAttr(n)]
                if !NOT_RESOURCE_TYPES.contains(&root_name.as_str())
                    && !matches!(root_name.as_str(), "data" | "resource") =>
            {
                (ResourceMode::Managed, root_name, n)
            }
            _ => return None,
        };
        let mut attributes = BTreeSet::new();
        let exprs = [Some(&f.value), f.key.as_ref(), f.cond.as_ref()];
        for expr in exprs.into_iter().flatten() {
            collect_attributes(expr, &f.value_var, &mut attributes)?;
        }
        let resource = *self.inst(module).def.resource_index.get(&(
            mode,
            resource_type.clone(),
            name.clone(),
        ))?;
        let expansion = self.expansion(module, resource);
        let object = |n: usize| {
            Value::Map(
                attributes
                    .iter()
                    .map(|a| (a.clone(), self.instance_attribute(module, resource, n, a)))
                    .collect(),
            )
        };
        Some(match expansion.mode {
            // A `for` over one resource iterates its attributes: that needs the whole object.
            ExpansionMode::Single => return None,
            ExpansionMode::Count => {
                Value::List((0..expansion.instances.len()).map(object).collect())
            }
            ExpansionMode::ForEach => Value::Map(
                expansion
                    .instances
                    .iter()
                    .enumerate()
                    .map(|(n, (key, _))| {
                        let key = match key {
                            Some(InstanceKey::Key(k)) => k.clone(),
                            Some(InstanceKey::Index(i)) => i.to_string(),
                            None => String::new(),
                        };
                        (key, object(n))
                    })
                    .collect(),
            ),
        })
    }
}

/// Adds the attributes read from `var` in `expr` (`var.ATTR...`); `None` if `var` is used in any
/// other way, or rebound inside.
fn collect_attributes(expr: &Expr, var: &str, out: &mut BTreeSet<String>) -> Option<()> {
    match &expr.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_) => Some(()),
        ExprKind::Variable(name) => (name != var).then_some(()),
        ExprKind::Traversal(root, ops) => {
            match (&root.kind, ops.first()) {
                (ExprKind::Variable(name), Some(TraversalOp::GetAttr(attr))) if name == var => {
                    out.insert(attr.clone());
                }
                _ => collect_attributes(root, var, out)?,
            }
            for op in ops {
                if let TraversalOp::Index(index) = op {
                    collect_attributes(index, var, out)?;
                }
            }
            Some(())
        }
        ExprKind::Template(parts) => collect_template(parts, var, out),
        ExprKind::Tuple(items) => items
            .iter()
            .try_for_each(|i| collect_attributes(i, var, out)),
        ExprKind::Object(entries) => entries.iter().try_for_each(|(k, v)| {
            collect_attributes(k, var, out)?;
            collect_attributes(v, var, out)
        }),
        ExprKind::Call { args, .. } => args
            .iter()
            .try_for_each(|a| collect_attributes(a, var, out)),
        ExprKind::Conditional(a, b, c) => {
            collect_attributes(a, var, out)?;
            collect_attributes(b, var, out)?;
            collect_attributes(c, var, out)
        }
        ExprKind::Unary(_, inner) => collect_attributes(inner, var, out),
        ExprKind::Binary(_, a, b) => {
            collect_attributes(a, var, out)?;
            collect_attributes(b, var, out)
        }
        ExprKind::For(inner) => {
            if inner.value_var == var || inner.key_var.as_deref() == Some(var) {
                return None;
            }
            let exprs = [
                Some(&inner.collection),
                inner.key.as_ref(),
                Some(&inner.value),
                inner.cond.as_ref(),
            ];
            exprs
                .into_iter()
                .flatten()
                .try_for_each(|e| collect_attributes(e, var, out))
        }
    }
}

fn collect_template(parts: &[TemplatePart], var: &str, out: &mut BTreeSet<String>) -> Option<()> {
    parts.iter().try_for_each(|part| match part {
        TemplatePart::Literal(_) => Some(()),
        TemplatePart::Interpolation(e) => collect_attributes(e, var, out),
        TemplatePart::If {
            cond,
            then,
            otherwise,
        } => {
            collect_attributes(cond, var, out)?;
            collect_template(then, var, out)?;
            collect_template(otherwise, var, out)
        }
        TemplatePart::For {
            key_var,
            value_var,
            collection,
            body,
        } => {
            if value_var == var || key_var.as_deref() == Some(var) {
                return None;
            }
            collect_attributes(collection, var, out)?;
            collect_template(body, var, out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::config::hcl::parse_expression;
    use crate::terraform::config::source::pos;

    fn attributes(text: &str) -> Option<Vec<String>> {
        let expr = parse_expression(text, pos(0, 0)).unwrap();
        let ExprKind::For(f) = &expr.kind else {
            panic!("not a for expression")
        };
        let mut out = BTreeSet::new();
        for e in [Some(&f.value), f.key.as_ref(), f.cond.as_ref()]
            .into_iter()
            .flatten()
        {
            collect_attributes(e, &f.value_var, &mut out)?;
        }
        Some(out.into_iter().collect())
    }

    #[test]
    fn finds_the_attributes_a_for_reads() {
        assert_eq!(attributes("[for s in x.y : s.id]"), Some(vec!["id".into()]));
        assert_eq!(
            attributes(
                "{for k, s in x.y : s.tags.Name => \"${s.id}/${k}\" if s.cidr_block != \"\"}"
            ),
            Some(vec!["cidr_block".into(), "id".into(), "tags".into()])
        );
        assert_eq!(attributes("[for s in x.y : s]"), None);
        assert_eq!(attributes("[for s in x.y : lookup(s, \"id\")]"), None);
        assert_eq!(attributes("[for s in x.y : [for s in s.list : s]]"), None);
        assert_eq!(attributes("[for s in x.y : s[\"id\"]]"), None);
    }
}
