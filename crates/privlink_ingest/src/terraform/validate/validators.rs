//! The values the AWS provider accepts for its arguments that take one of a fixed set, as data.
//!
//! The provider schema does not carry the provider's validators; the committed table
//! (`data/terraform-aws-provider-5.100-validators.json`) was learnt from the provider itself by
//! `scripts/regenerate-terraform-validators`, which sets each string argument of each type to a
//! value nothing accepts, runs `terraform validate`, and reads the provider's answer
//! (`expected vpc_endpoint_type to be one of [...], got ...`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TABLE_JSON: &str = include_str!("../../../data/terraform-aws-provider-5.100-validators.json");

#[derive(Debug, Default, Deserialize)]
struct Table {
    #[serde(default)]
    resources: HashMap<String, HashMap<String, OneOf>>,
    #[serde(default)]
    data_sources: HashMap<String, HashMap<String, OneOf>>,
}

/// An argument that takes one of a fixed set of strings.
#[derive(Debug, Deserialize)]
pub(super) struct OneOf {
    /// The accepted values, in the provider's order (its message lists them so).
    pub(super) one_of: Vec<String>,
    /// Whether the provider compares without regard to letter case.
    pub(super) ignore_case: bool,
    /// How the provider names the argument in its message, with `0` for the index of each
    /// enclosing block: `vpc_endpoint_type`, `dns_record_ip_type`, `credit_specification.0.cpu_credits`.
    pub(super) key: String,
    /// Each element of a list or set is checked (and named with its index).
    pub(super) element: bool,
}

impl OneOf {
    /// Whether the provider accepts `value`.
    pub(super) fn accepts(&self, value: &str) -> bool {
        self.one_of
            .iter()
            .any(|v| v == value || (self.ignore_case && v.eq_ignore_ascii_case(value)))
    }

    /// The provider's message for `value` (`expected vpc_endpoint_type to be one of ["Interface"
    /// "Gateway" ...], got interface`), naming the argument with the block indices of where it
    /// is written (`indices`: each enclosing block's name and index) and the element's.
    pub(super) fn message(
        &self,
        value: &str,
        indices: &[(&str, usize)],
        element: Option<usize>,
    ) -> String {
        let mut key = Vec::new();
        let parts: Vec<&str> = self.key.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let index = (i > 0 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| indices.iter().find(|(name, _)| *name == parts[i - 1]))
                .flatten();
            key.push(index.map_or_else(|| (*part).to_owned(), |(_, n)| n.to_string()));
        }
        let mut key = key.join(".");
        if let Some(e) = element {
            key = format!("{key}.{e}");
        }
        let allowed: Vec<String> = self.one_of.iter().map(|v| go_quote(v)).collect();
        format!(
            "expected {key} to be one of [{}], got {value}",
            allowed.join(" ")
        )
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The file is committed with the crate; a parse failure is a build defect caught by tests.
    TABLE.get_or_init(|| serde_json::from_str(TABLE_JSON).unwrap_or_default())
}

/// The fixed set of values of an argument (`path`: block names and the argument, without indices:
/// `dns_options.dns_record_ip_type`), when it has one.
pub(super) fn one_of(data: bool, resource_type: &str, path: &str) -> Option<&'static OneOf> {
    let table = table();
    let types = if data {
        &table.data_sources
    } else {
        &table.resources
    };
    types.get(resource_type)?.get(path)
}

/// A string as Go's `%q` writes it.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_has_the_endpoint_type() {
        let t = one_of(false, "aws_vpc_endpoint", "vpc_endpoint_type").expect("tabled");
        assert!(t.accepts("Interface"));
        assert!(!t.accepts("interface"));
        assert_eq!(
            t.message("interface", &[], None),
            r#"expected vpc_endpoint_type to be one of ["Interface" "Gateway" "GatewayLoadBalancer" "Resource" "ServiceNetwork"], got interface"#
        );
        let zones = one_of(true, "aws_availability_zones", "state").expect("data sources too");
        assert!(zones.accepts("available"));
    }

    #[test]
    fn messages_name_the_block_and_element_indices() {
        let credits = one_of(
            false,
            "aws_launch_template",
            "credit_specification.cpu_credits",
        )
        .expect("tabled");
        assert!(
            credits
                .message("x", &[("credit_specification", 2)], None)
                .starts_with("expected credit_specification.2.cpu_credits to be one of")
        );
        let compat =
            one_of(false, "aws_ecs_task_definition", "requires_compatibilities").expect("tabled");
        assert!(compat.element);
        assert!(
            compat
                .message("fargate", &[], Some(1))
                .starts_with("expected requires_compatibilities.1 to be one of")
        );
    }
}
