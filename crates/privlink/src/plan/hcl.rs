//! A small HCL writer whose output is already as `terraform fmt` leaves it: two-space indents, and
//! the `=` of consecutive one-line attributes aligned. A comment, a blank line, a nested block or
//! an attribute whose value spans lines ends such a run, as in `terraform fmt`.

use std::fmt::Write as _;

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Expr {
    /// One line of HCL, written as is.
    Raw(String),
    /// An object, one attribute per line.
    Object(Vec<(String, Expr)>),
    /// A list, one element per line.
    List(Vec<Expr>),
    /// A function call with one argument (`jsonencode(...)`).
    Call(&'static str, Box<Expr>),
}

impl Expr {
    /// A raw expression.
    pub(super) fn raw(text: impl Into<String>) -> Self {
        Self::Raw(text.into())
    }

    /// A string literal: `"` and `\` escaped, and `${`/`%{` so that nothing is interpolated.
    pub(super) fn string(text: &str) -> Self {
        Self::Raw(literal(text))
    }

    /// A string template: like [`Expr::string`], but `${...}` interpolates.
    pub(super) fn template(text: &str) -> Self {
        Self::Raw(quote(text))
    }

    /// A one-line list of strings.
    pub(super) fn strings<S: AsRef<str>>(items: &[S]) -> Self {
        Self::Raw(list_text(items))
    }

    /// JSON as the HCL `jsonencode` takes it: objects and lists over lines, scalars inline, each
    /// string written as the HCL text `string` gives (which decides what interpolates).
    pub(super) fn from_json(value: &serde_json::Value, string: &impl Fn(&str) -> String) -> Self {
        use serde_json::Value as J;
        match value {
            J::Object(map) => Self::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::from_json(v, string)))
                    .collect(),
            ),
            J::Array(items) if items.iter().all(J::is_string) => {
                let items: Vec<String> = items.iter().filter_map(J::as_str).map(string).collect();
                Self::Raw(format!("[{}]", items.join(", ")))
            }
            J::Array(items) => {
                Self::List(items.iter().map(|i| Self::from_json(i, string)).collect())
            }
            J::String(s) => Self::Raw(string(s)),
            other => Self::Raw(other.to_string()),
        }
    }

    fn is_multiline(&self) -> bool {
        !matches!(self, Self::Raw(_))
    }
}

/// The HCL text of a one-line list of string literals.
pub(super) fn list_text<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| literal(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// The HCL text of a string literal (nothing interpolates).
pub(super) fn literal(text: &str) -> String {
    quote(text).replace("${", "$${").replace("%{", "%%{")
}

/// The HCL text of a string template (`${...}` interpolates).
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key: bare when it is an HCL identifier, quoted otherwise.
fn key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier {
        name.to_owned()
    } else {
        quote(name)
    }
}

/// One line (or block) of a body.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Item {
    /// `name = value`.
    Attr(String, Expr),
    /// A nested block.
    Block(Block),
    /// An empty line.
    Blank,
    /// A `#` comment line.
    Comment(String),
}

/// A block: its type and labels, and its body.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Block {
    /// `resource`, `"aws_vpc"`, `"main"`: the type bare, labels quoted.
    pub(super) header: Vec<String>,
    /// Its body.
    pub(super) body: Vec<Item>,
}

impl Block {
    /// A block with a type and labels.
    pub(super) fn new(kind: &str, labels: &[&str]) -> Self {
        let mut header = vec![kind.to_owned()];
        header.extend(labels.iter().map(|l| quote(l)));
        Self {
            header,
            body: Vec::new(),
        }
    }

    /// Adds an attribute.
    pub(super) fn attr(mut self, name: &str, value: Expr) -> Self {
        self.body.push(Item::Attr(name.to_owned(), value));
        self
    }

    /// Adds a nested block.
    pub(super) fn block(mut self, block: Block) -> Self {
        self.body.push(Item::Block(block));
        self
    }

    /// Adds an empty line.
    pub(super) fn blank(mut self) -> Self {
        self.body.push(Item::Blank);
        self
    }

    /// Adds a comment line.
    pub(super) fn comment(mut self, text: &str) -> Self {
        self.body.push(Item::Comment(text.to_owned()));
        self
    }
}

/// A file: top-level items.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct File {
    items: Vec<Item>,
}

impl File {
    /// Adds comment lines (an empty text is a bare `#`).
    pub(super) fn comments<S: AsRef<str>>(&mut self, lines: &[S]) {
        for line in lines {
            self.items.push(Item::Comment(line.as_ref().to_owned()));
        }
    }

    /// Adds a block, after an empty line unless it follows a comment, an empty line, or starts
    /// the file.
    pub(super) fn block(&mut self, block: Block) {
        if !matches!(
            self.items.last(),
            None | Some(Item::Comment(_) | Item::Blank)
        ) {
            self.items.push(Item::Blank);
        }
        self.items.push(Item::Block(block));
    }

    /// Adds an empty line.
    pub(super) fn blank(&mut self) {
        self.items.push(Item::Blank);
    }

    /// The text.
    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        body(&self.items, 0, &mut out);
        out
    }
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes a body: attributes in runs aligned on `=`, each run ended by anything else.
fn body(items: &[Item], level: usize, out: &mut String) {
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Attr(..) => {
                let run_end = items[i..]
                    .iter()
                    .position(|item| !matches!(item, Item::Attr(_, v) if !v.is_multiline()))
                    .map_or(items.len(), |p| i + p);
                if run_end == i {
                    // A multi-line attribute stands alone.
                    attribute(&items[i], 0, level, out);
                    i += 1;
                    continue;
                }
                let width = items[i..run_end]
                    .iter()
                    .map(|item| match item {
                        Item::Attr(name, _) => key(name).len(),
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0);
                for item in &items[i..run_end] {
                    attribute(item, width, level, out);
                }
                i = run_end;
            }
            Item::Block(b) => {
                indent(level, out);
                out.push_str(&b.header.join(" "));
                out.push_str(" {\n");
                body(&b.body, level + 1, out);
                indent(level, out);
                out.push_str("}\n");
                i += 1;
            }
            Item::Blank => {
                out.push('\n');
                i += 1;
            }
            Item::Comment(text) => {
                indent(level, out);
                if text.is_empty() {
                    out.push_str("#\n");
                } else {
                    let _ = writeln!(out, "# {text}");
                }
                i += 1;
            }
        }
    }
}

fn attribute(item: &Item, width: usize, level: usize, out: &mut String) {
    let Item::Attr(name, value) = item else {
        return;
    };
    indent(level, out);
    let _ = write!(out, "{:<width$} = ", key(name));
    expr(value, level, out);
    out.push('\n');
}

/// Writes an expression that starts on the current line; its inner lines are indented one level
/// deeper than `level`.
fn expr(value: &Expr, level: usize, out: &mut String) {
    match value {
        Expr::Raw(text) => out.push_str(text),
        Expr::Call(name, arg) => {
            let _ = write!(out, "{name}(");
            expr(arg, level, out);
            out.push(')');
        }
        Expr::Object(entries) => {
            out.push_str("{\n");
            let items: Vec<Item> = entries
                .iter()
                .map(|(k, v)| Item::Attr(k.clone(), v.clone()))
                .collect();
            body(&items, level + 1, out);
            indent(level, out);
            out.push('}');
        }
        Expr::List(items) => {
            out.push_str("[\n");
            for item in items {
                indent(level + 1, out);
                expr(item, level + 1, out);
                out.push_str(",\n");
            }
            indent(level, out);
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_runs_of_one_line_attributes_as_terraform_fmt_does() {
        let mut file = File::default();
        file.comments(&["A comment.", ""]);
        file.block(
            Block::new("resource", &["aws_vpc", "main"])
                .attr("cidr_block", Expr::string("10.0.0.0/16"))
                .attr("enable_dns_hostnames", Expr::raw("true"))
                .attr(
                    "tags",
                    Expr::Object(vec![
                        ("Name".to_owned(), Expr::string("x")),
                        ("Long-Key".to_owned(), Expr::string("y")),
                    ]),
                )
                .attr("count", Expr::raw("1"))
                .blank()
                .block(Block::new("lifecycle", &[]).attr("ignore_changes", Expr::raw("[tags]"))),
        );
        file.block(Block::new("locals", &[]).attr("a.b", Expr::template("${var.x}")));
        assert_eq!(
            file.render(),
            r#"# A comment.
#
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  tags = {
    Name     = "x"
    Long-Key = "y"
  }
  count = 1

  lifecycle {
    ignore_changes = [tags]
  }
}

locals {
  "a.b" = "${var.x}"
}
"#
        );
    }

    #[test]
    fn json_becomes_jsonencode_arguments() {
        let json =
            serde_json::json!({"Statement": [{"Action": ["a:B"], "Resource": "arn:${x}\"q"}]});
        let mut out = String::new();
        expr(
            &Expr::Call("jsonencode", Box::new(Expr::from_json(&json, &quote))),
            0,
            &mut out,
        );
        assert_eq!(
            out,
            "jsonencode({\n  Statement = [\n    {\n      Action   = [\"a:B\"]\n      Resource = \"arn:${x}\\\"q\"\n    },\n  ]\n})"
        );
    }

    #[test]
    fn strings_do_not_interpolate() {
        assert_eq!(
            Expr::string("a ${b} %{c} \\"),
            Expr::raw(r#""a $${b} %%{c} \\""#)
        );
    }
}
