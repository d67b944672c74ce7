//! New Terraform blocks, laid out as `terraform fmt` lays them out: two spaces per level, and the `=`
//! of consecutive single-line attributes aligned one space after the longest name.

use std::fmt::Write as _;

/// A block to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    /// `resource "aws_vpc_endpoint" "logs"`, `ingress`, ...
    pub(crate) header: String,
    pub(crate) items: Vec<Item>,
}

/// A line (or lines) of a block body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    /// `name = expression`; the expression is on one line.
    Attribute(String, String),
    /// An empty line (it ends an alignment group, as in `terraform fmt`).
    Blank,
    /// A nested block.
    Block(Block),
}

impl Block {
    pub(crate) fn new(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            items: Vec::new(),
        }
    }

    /// A `resource "TYPE" "NAME"` block.
    pub(crate) fn resource(resource_type: &str, name: &str) -> Self {
        Self::new(format!("resource \"{resource_type}\" \"{name}\""))
    }

    pub(crate) fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.items
            .push(Item::Attribute(name.to_owned(), value.into()));
        self
    }

    pub(crate) fn blank(mut self) -> Self {
        self.items.push(Item::Blank);
        self
    }

    pub(crate) fn block(mut self, block: Block) -> Self {
        self.items.push(Item::Block(block));
        self
    }

    /// The block at `indent` levels, ending with a newline.
    pub(crate) fn render(&self, indent: usize) -> String {
        let mut out = String::new();
        self.render_into(&mut out, indent);
        out
    }

    fn render_into(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent);
        let inner = "  ".repeat(indent + 1);
        let _ = writeln!(out, "{pad}{} {{", self.header);
        let mut i = 0;
        while i < self.items.len() {
            match &self.items[i] {
                Item::Attribute(..) => {
                    let end = self.items[i..]
                        .iter()
                        .position(|it| !matches!(it, Item::Attribute(..)))
                        .map_or(self.items.len(), |n| i + n);
                    let width = self.items[i..end]
                        .iter()
                        .map(|it| match it {
                            Item::Attribute(name, _) => name.chars().count(),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    for it in &self.items[i..end] {
                        if let Item::Attribute(name, value) = it {
                            let _ = writeln!(out, "{inner}{name:width$} = {value}");
                        }
                    }
                    i = end;
                }
                Item::Blank => {
                    out.push('\n');
                    i += 1;
                }
                Item::Block(b) => {
                    b.render_into(out, indent + 1);
                    i += 1;
                }
            }
        }
        let _ = writeln!(out, "{pad}}}");
    }
}

/// A Terraform string literal.
pub(crate) fn string(text: &str) -> String {
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
    // `${` and `%{` start template sequences: escape them by doubling the marker.
    out.replace("${", "$${").replace("%{", "%%{")
}

/// A one-line list expression.
pub(crate) fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_consecutive_attributes_like_terraform_fmt() {
        let b = Block::resource("aws_vpc_endpoint", "logs")
            .attr("vpc_id", "aws_vpc.main.id")
            .attr("private_dns_enabled", "true")
            .blank()
            .attr("tags", "{}")
            .block(
                Block::new("ingress")
                    .attr("from_port", "443")
                    .attr("protocol", "\"tcp\""),
            );
        assert_eq!(
            b.render(0),
            "resource \"aws_vpc_endpoint\" \"logs\" {\n  vpc_id              = aws_vpc.main.id\n  private_dns_enabled = true\n\n  tags = {}\n  ingress {\n    from_port = 443\n    protocol  = \"tcp\"\n  }\n}\n"
        );
    }

    #[test]
    fn strings_escape_template_markers() {
        assert_eq!(string("a\"b${c}"), "\"a\\\"b$${c}\"");
    }
}
