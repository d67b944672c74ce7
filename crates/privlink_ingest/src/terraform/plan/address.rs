//! Terraform addresses and references as the JSON formats print them.
//!
//! Plan and state JSON name resource instances by full address
//! (`module.net["a"].aws_subnet.private[0]`), and `configuration` lists the references of each
//! expression relative to its module (`aws_subnet.private[0].id`, `module.net.vpc_id`,
//! `var.cidr`, `count.index`). Both are traversals: names joined by `.` with `[0]` / `["key"]`
//! index steps. This module parses them; it never guesses at text it cannot parse.

use std::fmt::Write as _;

use crate::terraform::resource::InstanceKey;

/// One step of a traversal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// `.name` (or the first name).
    Name(String),
    /// `[0]` or `["key"]`.
    Index(InstanceKey),
}

/// Parses `a.b["k"][0].c` into steps; `None` when the text is not a static traversal.
pub(crate) fn parse_steps(text: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut expect_name = true;
    while let Some(&(start, c)) = chars.peek() {
        match c {
            '.' if !expect_name => {
                chars.next();
                expect_name = true;
            }
            '[' => {
                chars.next();
                let key = match chars.peek().map(|&(_, c)| c) {
                    Some('"') => {
                        chars.next();
                        let mut key = String::new();
                        loop {
                            match chars.next()?.1 {
                                '\\' => key.push(unescape(chars.next()?.1)),
                                '"' => break,
                                other => key.push(other),
                            }
                        }
                        InstanceKey::Key(key)
                    }
                    _ => {
                        let mut digits = String::new();
                        while let Some(&(_, d)) = chars.peek() {
                            if !d.is_ascii_digit() {
                                break;
                            }
                            digits.push(d);
                            chars.next();
                        }
                        InstanceKey::Index(digits.parse().ok()?)
                    }
                };
                if chars.next()?.1 != ']' {
                    return None;
                }
                steps.push(Step::Index(key));
                expect_name = false;
            }
            _ if expect_name => {
                let mut end = start;
                while let Some(&(i, c)) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                let name = &text[start..end];
                if name.is_empty() {
                    return None;
                }
                steps.push(Step::Name(name.to_owned()));
                expect_name = false;
            }
            _ => return None,
        }
    }
    (!steps.is_empty() && !expect_name).then_some(steps)
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

/// One module instance on a path: `module.net["a"]` is `("net", Some(Key("a")))`.
pub(crate) type ModuleStep = (String, Option<InstanceKey>);

/// Formats a module instance path: `module.net["a"].module.inner`.
pub(crate) fn module_path_string(path: &[ModuleStep]) -> String {
    let mut out = String::new();
    for (i, (name, key)) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        let _ = write!(out, "module.{name}");
        if let Some(key) = key {
            let _ = write!(out, "{key}");
        }
    }
    out
}

/// A resource instance address, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InstanceAddress {
    /// The module instances it is in, outermost first.
    pub(crate) module: Vec<ModuleStep>,
    /// Whether it is a data source.
    pub(crate) data: bool,
    /// The resource type.
    pub(crate) resource_type: String,
    /// The resource name.
    pub(crate) name: String,
    /// The `count`/`for_each` key.
    pub(crate) key: Option<InstanceKey>,
}

impl InstanceAddress {
    /// Parses a full instance address (`module.a.aws_subnet.b[0]`, `data.aws_region.current`).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let steps = parse_steps(text)?;
        let (module, rest) = split_module_path(&steps);
        let (address, remaining) = resource_in(rest, module)?;
        remaining.is_empty().then_some(address)
    }

    /// The address of the resource (all instances): `module.a.aws_subnet.b`.
    pub(crate) fn resource(&self) -> String {
        let mut out = module_path_string(&self.module);
        if !out.is_empty() {
            out.push('.');
        }
        if self.data {
            out.push_str("data.");
        }
        let _ = write!(out, "{}.{}", self.resource_type, self.name);
        out
    }

    /// The full instance address.
    pub(crate) fn instance(&self) -> String {
        let mut out = self.resource();
        if let Some(key) = &self.key {
            let _ = write!(out, "{key}");
        }
        out
    }

    /// The module path as text (empty for the root module).
    pub(crate) fn module_string(&self) -> String {
        module_path_string(&self.module)
    }
}

/// Splits leading `module.NAME[key]` steps off a traversal.
pub(crate) fn split_module_path(steps: &[Step]) -> (Vec<ModuleStep>, &[Step]) {
    let mut module = Vec::new();
    let mut rest = steps;
    while let [Step::Name(m), Step::Name(name), tail @ ..] = rest {
        if m != "module" {
            break;
        }
        let (key, tail) = match tail {
            [Step::Index(k), tail @ ..] => (Some(k.clone()), tail),
            _ => (None, tail),
        };
        // `module.net.vpc_id` is an output of a call, not a module instance path, when nothing
        // follows that could be a resource: the caller decides by what comes after.
        module.push((name.clone(), key));
        rest = tail;
    }
    (module, rest)
}

/// Reads `[data.]TYPE.NAME[key]` at the start of `steps` (below `module`), returning the rest.
pub(crate) fn resource_in(
    steps: &[Step],
    module: Vec<ModuleStep>,
) -> Option<(InstanceAddress, &[Step])> {
    let (data, steps) = match steps {
        [Step::Name(d), rest @ ..] if d == "data" => (true, rest),
        _ => (false, steps),
    };
    let [Step::Name(resource_type), Step::Name(name), rest @ ..] = steps else {
        return None;
    };
    let (key, rest) = match rest {
        [Step::Index(k), rest @ ..] => (Some(k.clone()), rest),
        _ => (None, rest),
    };
    Some((
        InstanceAddress {
            module,
            data,
            resource_type: resource_type.clone(),
            name: name.clone(),
            key,
        },
        rest,
    ))
}

/// An attribute path in the dotted form [`crate::terraform::value::Reference`] uses:
/// `vpc_config.0.cluster_security_group_id`.
pub(crate) fn attribute_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        if !out.is_empty() {
            out.push('.');
        }
        match step {
            Step::Name(n) => out.push_str(n),
            Step::Index(InstanceKey::Index(i)) => {
                let _ = write!(out, "{i}");
            }
            Step::Index(InstanceKey::Key(k)) => out.push_str(k),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_instance_addresses() {
        let a = InstanceAddress::parse(r#"module.net["a.b"].module.inner.aws_subnet.private[2]"#)
            .unwrap();
        assert_eq!(
            a.module,
            vec![
                ("net".to_owned(), Some(InstanceKey::Key("a.b".into()))),
                ("inner".to_owned(), None)
            ]
        );
        assert_eq!(
            (a.resource_type.as_str(), a.name.as_str(), a.data),
            ("aws_subnet", "private", false)
        );
        assert_eq!(a.key, Some(InstanceKey::Index(2)));
        assert_eq!(
            a.instance(),
            r#"module.net["a.b"].module.inner.aws_subnet.private[2]"#
        );
        assert_eq!(
            a.resource(),
            r#"module.net["a.b"].module.inner.aws_subnet.private"#
        );
        let d = InstanceAddress::parse("data.aws_region.current").unwrap();
        assert!(d.data);
        assert_eq!(d.instance(), "data.aws_region.current");
        assert!(InstanceAddress::parse("aws_subnet.a.id").is_none());
        assert!(InstanceAddress::parse("aws_subnet").is_none());
    }

    #[test]
    fn parses_reference_traversals() {
        let steps =
            parse_steps(r#"aws_vpc_endpoint.this["ecr.api"].dns_entry[0].dns_name"#).unwrap();
        assert_eq!(steps[2], Step::Index(InstanceKey::Key("ecr.api".into())));
        assert_eq!(attribute_path(&steps[3..]), "dns_entry.0.dns_name");
        assert_eq!(
            parse_steps(r#"x["a\"b"]"#).unwrap()[1],
            Step::Index(InstanceKey::Key("a\"b".into()))
        );
        assert!(parse_steps("a..b").is_none());
        assert!(parse_steps("a.").is_none());
        assert!(parse_steps("a[").is_none());
        assert!(parse_steps(r#"a["x"#).is_none());
        assert!(parse_steps("").is_none());
    }
}
