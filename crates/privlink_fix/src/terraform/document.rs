//! One `.tf` file opened for editing with hcl-edit.
//!
//! hcl-edit keeps every byte it parsed (whitespace and comments are decor of the nodes), so what a fix
//! does not touch is written back unchanged; a file it cannot reproduce exactly is refused rather than
//! rewritten. Changes follow `terraform fmt`: a new attribute takes the indentation of its
//! neighbours, and the `=` of the run of single-line attributes it joins (a blank line, a comment, a
//! block or a multi-line value ends a run) is realigned one space after the longest name.

use hcl_edit::expr::{Array, Expression, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::{Decorate, Decorated, Ident, RawString};

/// A parsed configuration file.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) original: String,
    body: Body,
    pub(crate) changed: bool,
}

/// The value of an attribute, as a fix sees it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// Not written.
    Absent,
    /// `true` or `false`.
    Bool(bool),
    /// A list written out (`[a.id, b.id]`), with the text of its items.
    List(Vec<String>),
    /// Anything else: a variable, a conditional, a function call, ... (its text).
    Expression(String),
}

impl Document {
    /// Parses a file; refuses one hcl-edit would not write back byte for byte.
    pub(crate) fn parse(text: String) -> Result<Self, String> {
        let body: Body = text
            .parse()
            .map_err(|e: hcl_edit::parser::Error| format!("it does not parse: {e}"))?;
        if body.to_string() != text {
            return Err("privlink cannot rewrite it without changing other lines".to_owned());
        }
        Ok(Self {
            original: text,
            body,
            changed: false,
        })
    }

    /// The index of the top-level block `resource "TYPE" "NAME"` (or `data`).
    pub(crate) fn find_block(&self, data: bool, resource_type: &str, name: &str) -> Option<usize> {
        let ident = if data { "data" } else { "resource" };
        self.body.iter().position(|s| {
            s.as_block()
                .is_some_and(|b| b.has_ident(ident) && b.has_exact_labels(&[resource_type, name]))
        })
    }

    /// The names (`TYPE.NAME`) of the resources and data sources declared in the file.
    pub(crate) fn declared_names(&self) -> Vec<String> {
        self.body
            .iter()
            .filter_map(Structure::as_block)
            .filter(|b| b.labels.len() == 2)
            .filter_map(|b| {
                let prefix = if b.has_ident("data") {
                    "data."
                } else if b.has_ident("resource") {
                    ""
                } else {
                    return None;
                };
                Some(format!(
                    "{prefix}{}.{}",
                    b.labels[0].as_str(),
                    b.labels[1].as_str()
                ))
            })
            .collect()
    }

    pub(crate) fn block(&self, index: usize) -> Option<&Block> {
        self.body.get(index).and_then(Structure::as_block)
    }

    pub(crate) fn block_mut(&mut self, index: usize) -> Option<&mut Block> {
        self.changed = true;
        match self.body.get_mut(index) {
            Some(Structure::Block(b)) => Some(b),
            _ => None,
        }
    }

    /// The file as it is now.
    pub(crate) fn render(&self) -> String {
        self.body.to_string()
    }
}

/// The value of `key` in a block body.
pub(crate) fn value_of(body: &Body, key: &str) -> Value {
    let Some(attr) = body.get_attribute(key) else {
        return Value::Absent;
    };
    match &attr.value {
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Array(items) => Value::List(
            items
                .iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.decor_mut().clear();
                    i.to_string()
                })
                .collect(),
        ),
        other => {
            let mut e = other.clone();
            e.decor_mut().clear();
            Value::Expression(e.to_string())
        }
    }
}

/// Whether a block body has a nested block (or `dynamic` block) of this type.
pub(crate) fn has_blocks(body: &Body, ident: &str) -> bool {
    body.iter()
        .filter_map(Structure::as_block)
        .any(|b| block_is(b, ident))
}

/// Whether a block has an attribute `key` (inline rules written as attributes: `ingress = [...]`).
pub(crate) fn has_attribute(body: &Body, key: &str) -> bool {
    body.has_attribute(key)
}

fn block_is(b: &Block, ident: &str) -> bool {
    b.has_ident(ident) || (b.has_ident("dynamic") && b.has_exact_labels(&[ident]))
}

/// The text of a decor part (`""` when there is none).
fn raw(part: Option<&RawString>) -> &str {
    part.map_or("", |p| p)
}

/// The input variable an expression is exactly (`var.private_dns` → `private_dns`).
pub(crate) fn variable_name(text: &str) -> Option<String> {
    let expr = hcl_edit::parser::parse_expr(text).ok()?;
    let Expression::Traversal(t) = expr else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    if root.as_str() != "var" || t.operators.len() != 1 {
        return None;
    }
    match t.operators[0].value() {
        TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
        _ => None,
    }
}

fn parse_value(text: &str) -> Result<Expression, String> {
    hcl_edit::parser::parse_expr(text)
        .map_err(|e| format!("privlink wrote invalid HCL `{text}`: {e}"))
}

/// The indentation of a body's lines: that of its first structure, else two spaces more than
/// `outer`.
fn indentation(body: &Body, outer: &str) -> String {
    body.iter()
        .find_map(|s| {
            let prefix = raw(s.decor().prefix());
            let tail = prefix.rsplit('\n').next().unwrap_or(prefix);
            tail.chars()
                .all(|c| c == ' ' || c == '\t')
                .then(|| tail.to_owned())
        })
        .unwrap_or_else(|| format!("{outer}  "))
}

/// Sets `key = value` in a block body: replaces the value if the attribute exists, else adds it after
/// the last single-line attribute written before any nested block.
pub(crate) fn set_attribute(body: &mut Body, key: &str, value: &str) -> Result<(), String> {
    let mut expr = parse_value(value)?;
    expr.decor_mut().set_prefix(" ");
    let existing = body
        .iter()
        .position(|s| s.as_attribute().is_some_and(|a| a.has_key(key)));
    let index = if let Some(i) = existing {
        if let Some(Structure::Attribute(a)) = body.get_mut(i) {
            let suffix = a.value.decor().suffix().cloned();
            a.value = expr;
            if let Some(s) = suffix {
                a.value.decor_mut().set_suffix(s);
            }
        }
        i
    } else {
        let indent = indentation(body, "");
        let first_block = body
            .iter()
            .position(Structure::is_block)
            .unwrap_or(body.len());
        let at = (0..first_block)
            .rev()
            .find(|&i| single_line_attribute(body, i))
            .map_or(first_block, |i| i + 1);
        let mut attr = Attribute::new(Decorated::new(Ident::new(key)), expr);
        attr.decor_mut().set_prefix(indent);
        body.insert(at, attr);
        at
    };
    realign(body, index);
    Ok(())
}

/// Renames the attribute `from` to `to` (a misspelt argument to the one it stands for), keeping its
/// value and comments, and realigns its run of `=`.
pub(crate) fn rename_attribute(body: &mut Body, from: &str, to: &str) -> Result<(), String> {
    let index = body
        .iter()
        .position(|s| s.as_attribute().is_some_and(|a| a.has_key(from)))
        .ok_or_else(|| format!("{from} is not written"))?;
    if let Some(Structure::Attribute(a)) = body.get_mut(index) {
        let decor = a.key.decor().clone();
        a.key = Decorated::new(Ident::new(to));
        *a.key.decor_mut() = decor;
    }
    realign(body, index);
    Ok(())
}

/// Adds `item` to the list `key` (which must be written out as a list), keeping its layout: on one
/// line, or one item per line with or without a trailing comma.
pub(crate) fn push_list_item(body: &mut Body, key: &str, item: &str) -> Result<(), String> {
    let mut expr = parse_value(item)?;
    let index = body
        .iter()
        .position(|s| s.as_attribute().is_some_and(|a| a.has_key(key)))
        .ok_or_else(|| format!("{key} is not written"))?;
    let Some(Structure::Attribute(attr)) = body.get_mut(index) else {
        return Err(format!("{key} is not an attribute"));
    };
    let Expression::Array(list) = &mut attr.value else {
        return Err(format!("{key} is not a list"));
    };
    push_keeping_layout(list, &mut expr);
    list.push(expr);
    realign(body, index);
    Ok(())
}

fn push_keeping_layout(list: &mut Array, new: &mut Expression) {
    let Some(last) = list.len().checked_sub(1).and_then(|i| list.get_mut(i)) else {
        new.decor_mut().clear();
        return;
    };
    let prefix = last.decor().prefix().map_or("", |p| &**p).to_owned();
    if prefix.contains('\n') {
        new.decor_mut().set_prefix(prefix);
        // Without a trailing comma the line break before `]` is the last item's suffix: it moves to
        // the new last item.
        let suffix = last.decor().suffix().map_or("", |p| &**p).to_owned();
        if suffix.contains('\n') {
            last.decor_mut().set_suffix("");
            new.decor_mut().set_suffix(suffix);
        }
    } else {
        new.decor_mut().set_prefix(" ");
    }
}

/// Inserts a nested block (given as text, already indented for its depth) after the last nested
/// block of type `ident`, else after the last nested block, else at the end; with a blank line
/// before it.
pub(crate) fn insert_block(body: &mut Body, ident: &str, text: &str) -> Result<(), String> {
    let parsed: Body = text
        .parse()
        .map_err(|e: hcl_edit::parser::Error| format!("privlink wrote invalid HCL: {e}"))?;
    let Some(Structure::Block(mut block)) = parsed.into_iter().next() else {
        return Err("privlink wrote no block".to_owned());
    };
    let indent = block.decor().prefix().map_or("", |p| &**p).to_owned();
    block.decor_mut().set_prefix(format!("\n{indent}"));
    let last = |f: &dyn Fn(&Structure) -> bool| {
        body.iter()
            .enumerate()
            .filter(|(_, s)| f(s))
            .map(|(i, _)| i)
            .last()
    };
    let after = last(&|s| s.as_block().is_some_and(|b| block_is(b, ident)))
        .or_else(|| last(&|s| s.is_block()));
    let at = after.map_or(body.len(), |i| i + 1);
    body.insert(at, block);
    Ok(())
}

fn single_line_attribute(body: &Body, index: usize) -> bool {
    let Some(Structure::Attribute(a)) = body.get(index) else {
        return false;
    };
    !a.value.to_string().contains('\n')
        && !a
            .decor()
            .suffix()
            .map(|p| &**p)
            .is_some_and(|s| s.contains('\n'))
}

/// Whether structure `index` starts on the line right after the previous one (no blank line or
/// comment line between them).
fn follows_directly(body: &Body, index: usize) -> bool {
    body.get(index).is_some_and(|s| {
        !s.decor()
            .prefix()
            .map(|p| &**p)
            .is_some_and(|p| p.contains('\n'))
    })
}

/// Aligns the `=` of the run of single-line attributes that contains `index`, as `terraform fmt`.
fn realign(body: &mut Body, index: usize) {
    if !single_line_attribute(body, index) {
        return;
    }
    let mut start = index;
    while start > 0 && single_line_attribute(body, start - 1) && follows_directly(body, start) {
        start -= 1;
    }
    let mut end = index;
    while single_line_attribute(body, end + 1) && follows_directly(body, end + 1) {
        end += 1;
    }
    let columns = |s: &Structure| -> usize {
        let indent = s
            .decor()
            .prefix()
            .map(|p| &**p)
            .map_or(0, |p| p.rsplit('\n').next().unwrap_or(p).chars().count());
        indent
            + s.as_attribute()
                .map_or(0, |a| a.key.as_str().chars().count())
    };
    let widest = (start..=end)
        .filter_map(|i| body.get(i).map(columns))
        .max()
        .unwrap_or(0);
    for i in start..=end {
        if let Some(s) = body.get_mut(i) {
            let pad = widest - columns(s) + 1;
            if let Structure::Attribute(a) = s {
                a.key.decor_mut().set_suffix(" ".repeat(pad));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, f: impl FnOnce(&mut Body)) -> String {
        let mut doc = Document::parse(text.to_owned()).unwrap();
        let block = doc.block_mut(0).unwrap();
        f(&mut block.body);
        doc.render()
    }

    #[test]
    fn new_attributes_join_and_realign_their_run() {
        let text = "resource \"aws_vpc\" \"main\" {\n  # the VPC\n  cidr_block = \"10.0.0.0/16\" # primary\n  tags = {\n    Name = \"x\"\n  }\n}\n";
        let out = edit(text, |b| {
            set_attribute(b, "enable_dns_support", "true").unwrap();
            set_attribute(b, "enable_dns_hostnames", "true").unwrap();
        });
        assert_eq!(
            out,
            "resource \"aws_vpc\" \"main\" {\n  # the VPC\n  cidr_block           = \"10.0.0.0/16\" # primary\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n  tags = {\n    Name = \"x\"\n  }\n}\n"
        );
    }

    #[test]
    fn existing_values_are_replaced_in_place() {
        let text = "resource \"aws_vpc_endpoint\" \"x\" {\n  vpc_id              = aws_vpc.main.id\n  private_dns_enabled = false # off\n}\n";
        let out = edit(text, |b| {
            set_attribute(b, "private_dns_enabled", "true").unwrap();
        });
        assert_eq!(out, text.replace("false", "true"));
    }

    #[test]
    fn misspelt_attributes_are_renamed_in_place() {
        let text = "resource \"aws_vpc_endpoint\" \"x\" {\n  vpc_id             = aws_vpc.main.id\n  private_dns_enable = true # on\n}\n";
        let out = edit(text, |b| {
            rename_attribute(b, "private_dns_enable", "private_dns_enabled").unwrap();
        });
        assert_eq!(
            out,
            "resource \"aws_vpc_endpoint\" \"x\" {\n  vpc_id              = aws_vpc.main.id\n  private_dns_enabled = true # on\n}\n"
        );
    }

    #[test]
    fn list_items_keep_the_list_layout() {
        let text = "resource \"a\" \"b\" {\n  one = [a.id]\n  multi = [\n    a.id,\n    b.id\n  ]\n  trailing = [\n    a.id,\n  ]\n  empty = []\n}\n";
        let out = edit(text, |b| {
            for key in ["one", "multi", "trailing", "empty"] {
                push_list_item(b, key, "c.id").unwrap();
            }
        });
        assert_eq!(
            out,
            "resource \"a\" \"b\" {\n  one = [a.id, c.id]\n  multi = [\n    a.id,\n    b.id,\n    c.id\n  ]\n  trailing = [\n    a.id,\n    c.id,\n  ]\n  empty = [c.id]\n}\n"
        );
    }

    #[test]
    fn nested_blocks_go_after_their_kind() {
        let text = "resource \"aws_security_group\" \"a\" {\n  name = \"a\"\n\n  ingress {\n    from_port = 80\n  }\n\n  egress {\n    from_port = 0\n  }\n}\n";
        let out = edit(text, |b| {
            insert_block(b, "ingress", "  ingress {\n    from_port = 443\n  }\n").unwrap();
        });
        assert_eq!(
            out,
            "resource \"aws_security_group\" \"a\" {\n  name = \"a\"\n\n  ingress {\n    from_port = 80\n  }\n\n  ingress {\n    from_port = 443\n  }\n\n  egress {\n    from_port = 0\n  }\n}\n"
        );
    }

    #[test]
    fn values_are_classified() {
        let doc = Document::parse(
            "resource \"a\" \"b\" {\n  x = var.on\n  y = false\n  z = [a.id, b.id]\n}\n".to_owned(),
        )
        .unwrap();
        let body = &doc.block(0).unwrap().body;
        assert_eq!(value_of(body, "x"), Value::Expression("var.on".into()));
        assert_eq!(value_of(body, "y"), Value::Bool(false));
        assert_eq!(
            value_of(body, "z"),
            Value::List(vec!["a.id".into(), "b.id".into()])
        );
        assert_eq!(value_of(body, "w"), Value::Absent);
        assert_eq!(variable_name("var.on").as_deref(), Some("on"));
        assert_eq!(variable_name("var.on ? 1 : 2"), None);
        assert_eq!(variable_name("local.on"), None);
    }
}
