//! The intrinsic functions: `Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::If`, `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`, `Fn::FindInMap`,
//! `Fn::GetAZs`, `Fn::Cidr`, `Fn::ImportValue`, `Fn::Base64`, `Fn::Length`, `Fn::ToJsonString`,
//! `Fn::Transform`.
//!
//! Each gives a known value when its arguments are known and an unknown one (with its `${...}` text)
//! when they are not; malformed arguments are errors at the function, as CloudFormation reports them.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use privlink_model::net::parse_ipv4_cidr;
use privlink_model::{Diagnostic, DiagnosticKind};

use super::Evaluator;
use crate::cloudformation::node::{Entry, Node, NodeKind, Pos};
use crate::cloudformation::value::{TemplateId, Unknown, Value};

impl Evaluator {
    /// Evaluates a one-key intrinsic mapping.
    pub(super) fn function(&mut self, t: TemplateId, entry: &Entry) -> Value {
        let at = entry.key_at;
        let arg = &entry.value;
        match entry.key.as_str() {
            "Ref" => match arg.as_str() {
                Some(name) => self.reference(t, name, at),
                None => self.malformed(
                    t,
                    at,
                    "Ref",
                    "the name of a parameter, resource or pseudo parameter",
                ),
            },
            "Condition" => match arg.as_str() {
                Some(name) => match self.condition(t, name, at) {
                    Some(b) => Value::Bool(b),
                    None => Value::unknown(
                        format!("${{Condition {name}}}"),
                        format!("condition {name} cannot be evaluated"),
                    ),
                },
                None => self.malformed(t, at, "Condition", "the name of a condition"),
            },
            "Fn::GetAtt" => self.fn_get_att(t, arg, at),
            "Fn::Sub" => self.fn_sub(t, arg, at),
            "Fn::Join" => self.fn_join(t, arg, at),
            "Fn::Select" => self.fn_select(t, arg, at),
            "Fn::Split" => self.fn_split(t, arg, at),
            "Fn::If" => self.fn_if(t, arg, at),
            "Fn::Equals" => self.fn_equals(t, arg, at),
            "Fn::And" | "Fn::Or" => self.fn_and_or(t, entry.key == "Fn::And", arg, at),
            "Fn::Not" => self.fn_not(t, arg, at),
            "Fn::FindInMap" => self.fn_find_in_map(t, arg, at),
            "Fn::GetAZs" => self.fn_get_azs(t, arg, at),
            "Fn::Cidr" => self.fn_cidr(t, arg, at),
            "Fn::ImportValue" => {
                let name = self.eval(t, arg);
                self.import(t, &name, at)
            }
            "Fn::Base64" => match self.eval(t, arg) {
                Value::Unknown(u) => Value::unknown(format!("${{Base64 {}}}", u.text), u.reason),
                v => match v.to_text() {
                    Some(text) => Value::String(base64(text.as_bytes())),
                    None => self.malformed(t, at, "Fn::Base64", "a string"),
                },
            },
            "Fn::Length" => match self.eval(t, arg) {
                #[allow(clippy::cast_precision_loss)]
                Value::List(items) => Value::Number(items.len() as f64),
                Value::Unknown(u) => Value::unknown(format!("${{Length {}}}", u.text), u.reason),
                _ => self.malformed(t, at, "Fn::Length", "a list"),
            },
            "Fn::ToJsonString" => {
                let v = self.eval(t, arg);
                match v.to_json() {
                    Some(json) => Value::String(json.to_string()),
                    None => Value::unknown(
                        v.to_deferred_json().to_string(),
                        "the document has values known only at deploy time",
                    ),
                }
            }
            "Fn::Transform" => {
                Value::unknown("${Transform}", "a macro transforms this at deploy time")
            }
            other => {
                self.error(
                    t,
                    at,
                    format!("unknown intrinsic function `{other}`"),
                    Some("CloudFormation rejects the template: `Template format error: Unrecognized function`"),
                );
                Value::unknown(
                    format!("${{{other}}}"),
                    format!("{other} is not a function"),
                )
            }
        }
    }

    fn malformed(&mut self, t: TemplateId, at: Pos, function: &str, expected: &str) -> Value {
        self.error(t, at, format!("`{function}` expects {expected}"), None);
        Value::unknown(
            format!("${{{function}}}"),
            format!("a malformed {function}"),
        )
    }

    /// The elements of a list argument of exactly `n` (or `n..=max`) items.
    fn args<'n>(
        &mut self,
        t: TemplateId,
        arg: &'n Node,
        at: Pos,
        function: &str,
        n: usize,
        max: usize,
    ) -> Option<&'n [Node]> {
        match &arg.kind {
            NodeKind::List(items) if (n..=max).contains(&items.len()) => Some(items),
            _ => {
                let count = if n == max {
                    n.to_string()
                } else {
                    format!("{n} to {max}")
                };
                self.error(
                    t,
                    at,
                    format!("`{function}` expects a list of {count} arguments"),
                    None,
                );
                None
            }
        }
    }

    fn fn_get_att(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::GetAtt", 2, 2) else {
            return Value::unknown("${GetAtt}", "malformed");
        };
        let (Some(resource), attribute) = (
            items[0].as_str().map(str::to_owned),
            self.eval(t, &items[1]),
        ) else {
            return self.malformed(t, at, "Fn::GetAtt", "[LogicalId, Attribute]");
        };
        match attribute.to_text() {
            Some(attribute) => self.get_att(t, &resource, &attribute, at),
            None => Value::unknown(
                format!("${{{resource}.?}}"),
                "the attribute name is not known",
            ),
        }
    }

    fn fn_sub(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let (text, vars) = match &arg.kind {
            NodeKind::String(s) => (s.clone(), None),
            NodeKind::List(items) if items.len() == 2 && items[0].as_str().is_some() => (
                items[0].as_str().unwrap_or_default().to_owned(),
                Some(&items[1]),
            ),
            _ => return self.malformed(t, at, "Fn::Sub", "a string, or [string, {variables}]"),
        };
        let mut pieces: Vec<Value> = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            pieces.push(Value::String(rest[..start].to_owned()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                self.error(
                    t,
                    at,
                    format!("`Fn::Sub`: unclosed `${{` in {text:?}"),
                    None,
                );
                return Value::unknown(text.clone(), "a malformed Fn::Sub");
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                pieces.push(Value::String(format!("${{{literal}}}")));
                continue;
            }
            let name = name.trim();
            let value = match vars.and_then(|v| v.get(name)) {
                Some(node) => self.eval(t, node),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        self.get_att(t, resource, attribute, at)
                    }
                    _ => self.reference(t, name, at),
                },
            };
            pieces.push(value);
        }
        pieces.push(Value::String(rest.to_owned()));
        pieces.retain(|p| p.as_str() != Some(""));
        match pieces.as_slice() {
            [] => Value::String(String::new()),
            [only @ Value::Unknown(_)] => only.clone(),
            _ => concat(&pieces, ""),
        }
    }

    fn fn_join(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Join", 2, 2) else {
            return Value::unknown("${Join}", "malformed");
        };
        let Some(delimiter) = self.eval(t, &items[0]).to_text() else {
            return self.malformed(t, at, "Fn::Join", "a delimiter string");
        };
        match self.eval(t, &items[1]) {
            Value::List(values) => concat(&values, &delimiter),
            Value::Unknown(u) => Value::unknown(format!("${{Join {}}}", u.text), u.reason),
            _ => self.malformed(t, at, "Fn::Join", "[delimiter, [values]]"),
        }
    }

    fn fn_select(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Select", 2, 2) else {
            return Value::unknown("${Select}", "malformed");
        };
        let index = self.eval(t, &items[0]);
        let list = self.eval(t, &items[1]);
        let index = match index.as_f64() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n >= 0.0 && n.fract() == 0.0 => n as usize,
            _ if matches!(index, Value::Unknown(_)) => {
                return Value::unknown(format!("${{Select {index}}}"), "the index is not known");
            }
            _ => return self.malformed(t, at, "Fn::Select", "a non-negative index"),
        };
        match list {
            Value::List(values) => match values.get(index) {
                Some(v) => v.clone(),
                None => {
                    self.error(t, at, format!("`Fn::Select` index {index} is out of range: the list has {} items", values.len()), Some("CloudFormation rejects this at deploy time: `Fn::Select cannot select nonexistent value at index`"));
                    Value::unknown(format!("${{Select {index}}}"), "index out of range")
                }
            },
            Value::Unknown(u) => {
                Value::unknown(format!("${{Select {index} {}}}", u.text), u.reason)
            }
            _ => self.malformed(t, at, "Fn::Select", "[index, [values]]"),
        }
    }

    fn fn_split(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Split", 2, 2) else {
            return Value::unknown("${Split}", "malformed");
        };
        let Some(delimiter) = self.eval(t, &items[0]).to_text() else {
            return self.malformed(t, at, "Fn::Split", "a delimiter string");
        };
        match self.eval(t, &items[1]) {
            Value::Unknown(u) => Value::unknown(format!("${{Split {}}}", u.text), u.reason),
            v => match v.to_text() {
                Some(text) if !delimiter.is_empty() => Value::List(
                    text.split(delimiter.as_str())
                        .map(|s| Value::String(s.to_owned()))
                        .collect(),
                ),
                _ => self.malformed(t, at, "Fn::Split", "[delimiter, string]"),
            },
        }
    }

    fn fn_if(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::If", 3, 3) else {
            return Value::unknown("${If}", "malformed");
        };
        let Some(name) = items[0].as_str() else {
            return self.malformed(
                t,
                at,
                "Fn::If",
                "[condition name, value if true, value if false]",
            );
        };
        match self.condition(t, name, items[0].at) {
            Some(true) => self.eval(t, &items[1]),
            Some(false) => self.eval(t, &items[2]),
            None => {
                let (a, b) = (self.eval(t, &items[1]), self.eval(t, &items[2]));
                if a == b {
                    a
                } else {
                    Value::unknown(
                        format!("${{If {name}}}"),
                        format!("condition {name} cannot be evaluated"),
                    )
                }
            }
        }
    }

    fn fn_equals(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Equals", 2, 2) else {
            return Value::unknown("${Equals}", "malformed");
        };
        let (a, b) = (self.eval(t, &items[0]), self.eval(t, &items[1]));
        match (&a, &b) {
            (Value::Unknown(u), _) | (_, Value::Unknown(u)) => {
                Value::unknown("${Equals}", u.reason.clone())
            }
            _ => Value::Bool(a.to_text().zip(b.to_text()).map_or(a == b, |(x, y)| x == y)),
        }
    }

    fn fn_and_or(&mut self, t: TemplateId, is_and: bool, arg: &Node, at: Pos) -> Value {
        let name = if is_and { "Fn::And" } else { "Fn::Or" };
        let Some(items) = self.args(t, arg, at, name, 2, 10) else {
            return Value::unknown("${And}", "malformed");
        };
        let mut unknown = None;
        for item in items {
            match self.eval(t, item) {
                Value::Bool(b) if b != is_and => return Value::Bool(b),
                Value::Bool(_) => {}
                Value::Unknown(u) => unknown = Some(u),
                _ => return self.malformed(t, item.at, name, "conditions"),
            }
        }
        match unknown {
            Some(u) => Value::Unknown(Unknown {
                target: None,
                text: format!("${{{name}}}"),
                reason: u.reason,
            }),
            None => Value::Bool(is_and),
        }
    }

    fn fn_not(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Not", 1, 1) else {
            return Value::unknown("${Not}", "malformed");
        };
        match self.eval(t, &items[0]) {
            Value::Bool(b) => Value::Bool(!b),
            Value::Unknown(u) => Value::unknown("${Not}", u.reason),
            _ => self.malformed(t, at, "Fn::Not", "[condition]"),
        }
    }

    fn fn_find_in_map(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::FindInMap", 3, 4) else {
            return Value::unknown("${FindInMap}", "malformed");
        };
        let keys: Vec<Value> = items[..3].iter().map(|i| self.eval(t, i)).collect();
        let default = items
            .get(3)
            .and_then(|d| d.get("DefaultValue"))
            .map(|d| self.eval(t, d));
        let texts: Option<Vec<String>> = keys.iter().map(Value::to_text).collect();
        let Some(texts) = texts else {
            let unknown = keys
                .iter()
                .find_map(Value::as_unknown)
                .map_or_else(|| "a key is not a string".to_owned(), |u| u.reason.clone());
            return Value::unknown("${FindInMap}", unknown);
        };
        let template = self.template(t);
        let found = template
            .root
            .get("Mappings")
            .and_then(|m| m.get(&texts[0]))
            .and_then(|m| m.get(&texts[1]))
            .and_then(|m| m.get(&texts[2]));
        match (found, default) {
            (Some(node), _) => self.eval(t, node),
            (None, Some(d)) => d,
            (None, None) => {
                self.error(
                    t,
                    at,
                    format!(
                        "`Fn::FindInMap`: mapping {} has no key {} / {}",
                        texts[0], texts[1], texts[2]
                    ),
                    Some("add the key to Mappings, or correct the lookup"),
                );
                Value::unknown("${FindInMap}", "no such mapping key")
            }
        }
    }

    fn fn_get_azs(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let region = match self.eval(t, arg) {
            Value::String(s) if s.is_empty() => self.region(t),
            Value::String(s) => Some(s),
            Value::Null => self.region(t),
            _ => None,
        };
        let Some(region) = region else {
            return Value::unknown(
                "${GetAZs}",
                "Fn::GetAZs: the region is not known; pass --region",
            );
        };
        let names = crate::regions::availability_zones(&region);
        let location = self.templates[t].location(at);
        self.diagnostic(format!("getazs {}", self.templates[t].file.display), Diagnostic {
            kind: DiagnosticKind::UnresolvedInput,
            message: format!(
                "Fn::GetAZs returns the account's availability zones, which only the account knows; privlink assumes {}",
                names.join(", ")
            ),
            location: Some(location),
            resource: None,
            help: Some("name the availability zones in the template (or in the CDK context) for a definite answer".to_owned()),
            predicted_error: None,
        });
        Value::List(names.into_iter().map(Value::String).collect())
    }

    fn fn_cidr(&mut self, t: TemplateId, arg: &Node, at: Pos) -> Value {
        let Some(items) = self.args(t, arg, at, "Fn::Cidr", 3, 3) else {
            return Value::unknown("${Cidr}", "malformed");
        };
        let values: Vec<Value> = items.iter().map(|i| self.eval(t, i)).collect();
        if let Some(u) = values.iter().find_map(Value::as_unknown) {
            return Value::unknown(format!("${{Cidr {}}}", u.text), u.reason.clone());
        }
        let block = values[0].to_text().and_then(|s| parse_ipv4_cidr(&s));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (count, bits) = (
            values[1].as_f64().map(|n| n as u32),
            values[2].as_f64().map(|n| n as u8),
        );
        match (block, count, bits) {
            (Some(block), Some(count), Some(bits)) => match cidr_subnets(block, count, bits) {
                Some(list) => Value::List(
                    list.into_iter()
                        .map(|n| Value::String(n.to_string()))
                        .collect(),
                ),
                None => {
                    self.error(t, at, format!("`Fn::Cidr`: {block} has no room for {count} subnets of {bits} host bits"), None);
                    Value::unknown("${Cidr}", "no room")
                }
            },
            _ => self.malformed(t, at, "Fn::Cidr", "[IPv4 CIDR block, count, host bits]"),
        }
    }
}

/// The values joined, or an unknown whose text shows where the unknown parts are.
fn concat(values: &[Value], delimiter: &str) -> Value {
    let texts: Option<Vec<String>> = values.iter().map(Value::to_text).collect();
    if let Some(texts) = texts {
        return Value::String(texts.join(delimiter));
    }
    let text = values
        .iter()
        .map(|v| {
            v.deferred_text()
                .unwrap_or_else(|| format!("${{{}}}", v.type_name()))
        })
        .collect::<Vec<_>>()
        .join(delimiter);
    let reason = values
        .iter()
        .find_map(Value::as_unknown)
        .map_or_else(|| "a part is not a string".to_owned(), |u| u.reason.clone());
    Value::unknown(text, reason)
}

/// `Fn::Cidr`: `count` consecutive blocks with `bits` host bits from the start of `block`.
fn cidr_subnets(block: Ipv4Net, count: u32, bits: u8) -> Option<Vec<Ipv4Net>> {
    let prefix = 32u8.checked_sub(bits)?;
    if prefix < block.prefix_len() || count == 0 || count > 256 {
        return None;
    }
    let size = 1u64 << bits;
    let start = u64::from(u32::from(block.network()));
    let end = start + (1u64 << (32 - block.prefix_len()));
    (0..u64::from(count))
        .map(|i| {
            let first = start + i * size;
            if first + size > end {
                return None;
            }
            Ipv4Net::new(Ipv4Addr::from(u32::try_from(first).ok()?), prefix).ok()
        })
        .collect()
}

/// Standard base64 with padding (`Fn::Base64`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_splits_like_cloudformation() {
        let block: Ipv4Net = "10.0.0.0/16".parse().unwrap();
        let list = cidr_subnets(block, 3, 8).unwrap();
        assert_eq!(
            list.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        assert!(cidr_subnets(block, 2, 17).is_none());
        assert!(cidr_subnets("10.0.0.0/24".parse().unwrap(), 3, 7).is_none());
    }

    #[test]
    fn base64_encodes() {
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
