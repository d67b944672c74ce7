//! Terraform JSON syntax (`*.tf.json`, `*.tfvars.json`) lowered into [`syntax`](super::syntax).
//!
//! serde_json keeps no positions, so this module has its own small JSON reader that records the
//! byte offset of every value and key (the reader also reports syntax errors with line and column).
//! Lowering follows Terraform's JSON rules: strings are templates (`${...}`) except where Terraform
//! reads them literally (`variable.default`, `module.source`, `alias`), `type` strings are type
//! expressions, and whether a property of a resource is a nested block or an attribute is decided by
//! the provider schema, exactly as Terraform needs the schema to read JSON.

use super::hcl::{parse_expression, parse_template};
use super::schema::BlockSchema;
use super::source::pos;
use super::syntax::{Attribute, Block, Body, Expr, ExprKind, FileId, Pos};

/// A JSON value with the offset where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) offset: usize,
    pub(crate) value: NodeValue,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    /// Keys keep their offsets and duplicates (Terraform JSON allows repeating a block type).
    Object(Vec<(String, usize, Node)>),
}

/// A JSON syntax error with its 1-based position.
#[derive(Debug)]
pub(crate) struct JsonError {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

/// Reads a JSON document.
pub(crate) fn parse(text: &str) -> Result<Node, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let result = reader.value().and_then(|node| {
        reader.skip_ws();
        if reader.at < reader.bytes.len() {
            Err("unexpected text after the JSON value".to_owned())
        } else {
            Ok(node)
        }
    });
    result.map_err(|message| {
        let before = &text[..reader.at.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        JsonError {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            message,
        }
    })
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.bytes.len()
            && matches!(self.bytes[self.at], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Node, String> {
        self.skip_ws();
        let offset = self.at;
        let value = match self.bytes.get(self.at) {
            None => return Err("unexpected end of JSON".to_owned()),
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b't') => self.keyword("true", NodeValue::Bool(true))?,
            Some(b'f') => self.keyword("false", NodeValue::Bool(false))?,
            Some(b'n') => self.keyword("null", NodeValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err("expected a JSON value".to_owned()),
        };
        Ok(Node { offset, value })
    }

    fn nested(
        &mut self,
        f: fn(&mut Self) -> Result<NodeValue, String>,
    ) -> Result<NodeValue, String> {
        // Deeply nested input must not overflow the stack.
        if self.depth > 256 {
            return Err("JSON nested too deeply".to_owned());
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn keyword(&mut self, word: &str, value: NodeValue) -> Result<NodeValue, String> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err("expected a JSON value".to_owned())
        }
    }

    fn number(&mut self) -> Result<NodeValue, String> {
        let start = self.at;
        while self.at < self.bytes.len()
            && matches!(
                self.bytes[self.at],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.at += 1;
        }
        self.text[start..self.at]
            .parse()
            .map(NodeValue::Number)
            .map_err(|_| {
                // Report the number's start, not where reading stopped.
                self.at = start;
                "invalid number".to_owned()
            })
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // opening quote
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(i) = rest.find(['"', '\\']) else {
                return Err("unterminated string".to_owned());
            };
            out.push_str(&rest[..i]);
            self.at += i;
            if self.bytes[self.at] == b'"' {
                self.at += 1;
                return Ok(out);
            }
            let escape = self.bytes.get(self.at + 1).copied();
            self.at += 2;
            match escape {
                Some(b'"') => out.push('"'),
                Some(b'\\') => out.push('\\'),
                Some(b'/') => out.push('/'),
                Some(b'b') => out.push('\u{8}'),
                Some(b'f') => out.push('\u{c}'),
                Some(b'n') => out.push('\n'),
                Some(b'r') => out.push('\r'),
                Some(b't') => out.push('\t'),
                Some(b'u') => {
                    let high = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&high)
                        && self.text[self.at..].starts_with("\\u")
                    {
                        self.at += 2;
                        let low = self.hex4()?;
                        0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                    } else {
                        high
                    };
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                }
                _ => return Err("invalid escape in string".to_owned()),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .ok_or("invalid \\u escape")?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| "invalid \\u escape".to_owned())
    }

    fn array(&mut self) -> Result<NodeValue, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(NodeValue::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(NodeValue::Array(items));
                }
                _ => return Err("expected ',' or ']'".to_owned()),
            }
        }
    }

    fn object(&mut self) -> Result<NodeValue, String> {
        self.at += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(NodeValue::Object(entries));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err("expected a property name in double quotes".to_owned());
            }
            let key_offset = self.at;
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b':') {
                return Err("expected ':' after the property name".to_owned());
            }
            self.at += 1;
            let value = self.value()?;
            entries.push((key, key_offset, value));
            self.skip_ws();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(NodeValue::Object(entries));
                }
                _ => return Err("expected ',' or '}'".to_owned()),
            }
        }
    }
}

/// How strings inside a JSON value are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strings {
    /// As templates (`"${var.x}"`): most expressions.
    Template,
    /// As plain strings: `variable.default`, `.tfvars.json` values.
    Literal,
}

/// Lowers a JSON value into an expression. Template parse errors are returned with the position.
pub(crate) fn expr(node: &Node, file: FileId, strings: Strings) -> Result<Expr, (Pos, String)> {
    let at = pos(file, node.offset);
    let kind = match &node.value {
        NodeValue::Null => ExprKind::Null,
        NodeValue::Bool(b) => ExprKind::Bool(*b),
        NodeValue::Number(n) => ExprKind::Number(*n),
        NodeValue::String(s) => match strings {
            Strings::Literal => ExprKind::String(s.clone()),
            Strings::Template => return parse_template(s, at).map_err(|m| (at, m)),
        },
        NodeValue::Array(items) => ExprKind::Tuple(
            items
                .iter()
                .map(|i| expr(i, file, strings))
                .collect::<Result<_, _>>()?,
        ),
        NodeValue::Object(entries) => ExprKind::Object(
            entries
                .iter()
                .filter(|(k, _, _)| k != "//")
                .map(|(k, koff, v)| {
                    let key = Expr::new(ExprKind::String(k.clone()), pos(file, *koff));
                    Ok((key, expr(v, file, strings)?))
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok(Expr::new(kind, at))
}

/// Lowering of a whole `.tf.json` file; errors are collected, the rest still lowers.
pub(crate) struct FileLowering<'s> {
    pub(crate) file: FileId,
    pub(crate) errors: Vec<(Pos, String)>,
    /// The provider schema of a resource or data type, to tell nested blocks from attributes.
    pub(crate) schema: &'s dyn Fn(&str, &str) -> Option<&'s BlockSchema>,
}

impl FileLowering<'_> {
    /// The top-level body of a `.tf.json` file.
    pub(crate) fn file_body(&mut self, root: &Node) -> Body {
        let mut body = Body::default();
        let NodeValue::Object(entries) = &root.value else {
            self.errors.push((
                pos(self.file, root.offset),
                "the root of a .tf.json file must be an object".into(),
            ));
            return body;
        };
        for (kind, _, value) in entries {
            let labels = match kind.as_str() {
                "resource" | "data" => 2,
                "variable" | "module" | "output" | "provider" => 1,
                "locals" => 0,
                _ => continue, // terraform, moved, import, check and comments do not affect values
            };
            for (labels, node, key_offset) in
                self.labelled_at(value, labels, Vec::new(), value.offset)
            {
                let at = pos(self.file, key_offset);
                let block_body = match kind.as_str() {
                    "locals" => self.attributes_only(&node, Strings::Template),
                    "variable" => self.variable_body(&node),
                    "module" => self.module_body(&node),
                    "resource" | "data" => {
                        let mode = if kind == "data" { "data" } else { "managed" };
                        let schema = (self.schema)(mode, labels.first().map_or("", String::as_str));
                        self.resource_body(&node, schema)
                    }
                    _ => self.attributes_only(&node, Strings::Template),
                };
                body.blocks.push(Block {
                    kind: kind.clone(),
                    labels,
                    body: block_body,
                    pos: at,
                });
            }
        }
        body
    }

    /// Unwraps `labels` levels of objects (each level may also be an array of objects). Each result
    /// carries the offset of its innermost label's key, where the block is written.
    fn labelled(
        &mut self,
        node: &Node,
        levels: usize,
        prefix: Vec<String>,
    ) -> Vec<(Vec<String>, Node)> {
        self.labelled_at(node, levels, prefix, node.offset)
            .into_iter()
            .map(|(labels, node, _)| (labels, node))
            .collect()
    }

    fn labelled_at(
        &mut self,
        node: &Node,
        levels: usize,
        prefix: Vec<String>,
        at: usize,
    ) -> Vec<(Vec<String>, Node, usize)> {
        match &node.value {
            NodeValue::Array(items) => items
                .iter()
                .flat_map(|i| self.labelled_at(i, levels, prefix.clone(), i.offset))
                .collect(),
            NodeValue::Object(entries) if levels > 0 => entries
                .iter()
                .filter(|(k, _, _)| k != "//")
                .flat_map(|(k, koff, v)| {
                    let mut labels = prefix.clone();
                    labels.push(k.clone());
                    self.labelled_at(v, levels - 1, labels, *koff)
                })
                .collect(),
            NodeValue::Object(_) => vec![(prefix, node.clone(), at)],
            _ => {
                self.errors.push((
                    pos(self.file, node.offset),
                    "expected a JSON object here".into(),
                ));
                Vec::new()
            }
        }
    }

    fn entries<'n>(&mut self, node: &'n Node) -> &'n [(String, usize, Node)] {
        match &node.value {
            NodeValue::Object(entries) => entries,
            _ => {
                self.errors.push((
                    pos(self.file, node.offset),
                    "expected a JSON object here".into(),
                ));
                &[]
            }
        }
    }

    fn attribute(
        &mut self,
        name: &str,
        key_offset: usize,
        value: &Node,
        strings: Strings,
    ) -> Option<Attribute> {
        match expr(value, self.file, strings) {
            Ok(expr) => Some(Attribute {
                name: name.to_owned(),
                expr,
                pos: pos(self.file, key_offset),
            }),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    fn attributes_only(&mut self, node: &Node, strings: Strings) -> Body {
        let mut body = Body::default();
        for (key, koff, value) in self.entries(node) {
            if key != "//" {
                body.attributes
                    .extend(self.attribute(key, *koff, value, strings));
            }
        }
        body
    }

    fn variable_body(&mut self, node: &Node) -> Body {
        let mut body = Body::default();
        for (key, koff, value) in self.entries(node) {
            let at = pos(self.file, *koff);
            match (key.as_str(), &value.value) {
                ("type", NodeValue::String(text)) => match parse_expression(text, at) {
                    Ok(expr) => body.attributes.push(Attribute {
                        name: key.clone(),
                        expr,
                        pos: at,
                    }),
                    Err(m) => self
                        .errors
                        .push((at, format!("invalid type constraint: {m}"))),
                },
                ("default", _) => {
                    body.attributes
                        .extend(self.attribute(key, *koff, value, Strings::Literal));
                }
                ("validation" | "//", _) => {}
                _ => body
                    .attributes
                    .extend(self.attribute(key, *koff, value, Strings::Literal)),
            }
        }
        body
    }

    fn module_body(&mut self, node: &Node) -> Body {
        let mut body = Body::default();
        for (key, koff, value) in self.entries(node) {
            let strings = match key.as_str() {
                "source" | "version" | "providers" => Strings::Literal,
                "depends_on" | "//" => continue,
                _ => Strings::Template,
            };
            body.attributes
                .extend(self.attribute(key, *koff, value, strings));
        }
        body
    }

    fn resource_body(&mut self, node: &Node, schema: Option<&BlockSchema>) -> Body {
        let mut body = Body::default();
        for (key, koff, value) in self.entries(node) {
            let at = pos(self.file, *koff);
            match key.as_str() {
                "//" | "depends_on" | "lifecycle" | "provisioner" | "connection" => {}
                "provider" => {
                    body.attributes
                        .extend(self.attribute(key, *koff, value, Strings::Literal));
                }
                "dynamic" => {
                    for (labels, spec) in self.labelled(value, 1, Vec::new()) {
                        let nested = schema
                            .and_then(|s| s.block_types.get(&labels[0]))
                            .map(|n| &n.block);
                        let mut dynamic = Body::default();
                        for (k, ko, v) in self.entries(&spec) {
                            match k.as_str() {
                                "content" => {
                                    for (_, content) in self.labelled(v, 0, Vec::new()) {
                                        let content_body = self.resource_body(&content, nested);
                                        dynamic.blocks.push(Block {
                                            kind: "content".into(),
                                            labels: Vec::new(),
                                            body: content_body,
                                            pos: pos(self.file, content.offset),
                                        });
                                    }
                                }
                                "iterator" => dynamic.attributes.extend(self.attribute(
                                    k,
                                    *ko,
                                    v,
                                    Strings::Literal,
                                )),
                                _ => dynamic.attributes.extend(self.attribute(
                                    k,
                                    *ko,
                                    v,
                                    Strings::Template,
                                )),
                            }
                        }
                        body.blocks.push(Block {
                            kind: "dynamic".into(),
                            labels,
                            body: dynamic,
                            pos: pos(self.file, spec.offset),
                        });
                    }
                }
                _ => match schema.and_then(|s| s.block_types.get(key)) {
                    Some(nested) => {
                        for (_, block) in self.labelled(value, 0, Vec::new()) {
                            let block_body = self.resource_body(&block, Some(&nested.block));
                            body.blocks.push(Block {
                                kind: key.clone(),
                                labels: Vec::new(),
                                body: block_body,
                                pos: if matches!(value.value, NodeValue::Array(_)) {
                                    pos(self.file, block.offset)
                                } else {
                                    at
                                },
                            });
                        }
                    }
                    None => {
                        body.attributes.extend(self.attribute(
                            key,
                            *koff,
                            value,
                            Strings::Template,
                        ));
                    }
                },
            }
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_records_offsets_and_unescapes() {
        let node = parse(r#"{"a": [1, "x\u00e9\n"], "b": null}"#).unwrap();
        let NodeValue::Object(entries) = node.value else {
            panic!()
        };
        assert_eq!(entries[0].0, "a");
        assert_eq!(entries[0].1, 1);
        let NodeValue::Array(items) = &entries[0].2.value else {
            panic!()
        };
        assert_eq!(items[1].offset, 10);
        assert!(matches!(&items[1].value, NodeValue::String(s) if s == "xé\n"));
    }

    #[test]
    fn reader_reports_line_and_column() {
        let err = parse("{\n  \"a\": [1,,]\n}").unwrap_err();
        assert_eq!((err.line, err.column), (2, 11));
        assert!(parse("[[[[").is_err());
        assert!(parse(&"[".repeat(10_000)).is_err());
    }
}
