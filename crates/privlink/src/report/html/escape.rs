//! Escaping for the HTML report: every piece of text that comes from the inputs (addresses,
//! messages, paths, service names) goes through [`Esc`] before it reaches the page.
//!
//! One escape serves element content and quoted attribute values alike (`&`, `<`, `>`, `"`, `'`),
//! so a caller cannot pick the wrong one. Control characters other than tab and newline are
//! replaced by U+FFFD: HTML forbids them, and a terminal escape in a resource name must not reach
//! a page (or a terminal printing it) as such.

use std::fmt;

/// Text escaped for HTML content or a quoted attribute value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(needs_escape) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{fffd}",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'')
        || (c.is_control() && c != '\n' && c != '\t')
        || is_noncharacter(c)
}

/// Unicode noncharacters, which HTML also reports as parse errors.
fn is_noncharacter(c: char) -> bool {
    let c = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&c) || (c & 0xFFFE) == 0xFFFE
}

/// Escapes `text`.
pub(crate) fn esc(text: &str) -> Esc<'_> {
    Esc(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#).to_string(),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(
            esc(r#"aws_subnet.app["a"]"#).to_string(),
            "aws_subnet.app[&quot;a&quot;]"
        );
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = "aws_vpc_endpoint.node[ecr.api] → 10.0.0.0/16 · ap-northeast-1a\n\tnext";
        assert_eq!(esc(text).to_string(), text);
    }

    #[test]
    fn control_characters_never_reach_the_page() {
        assert_eq!(
            esc("a\u{1b}[31mb\u{0}c\rd").to_string(),
            "a\u{fffd}[31mb\u{fffd}c\u{fffd}d"
        );
        assert_eq!(esc("x\u{fffe}y\u{fdd0}").to_string(), "x\u{fffd}y\u{fffd}");
    }
}
