//! Typed readers for evaluated properties, applying CloudFormation's defaults.

use ipnet::Ipv4Net;
use privlink_model::net::{PortRange, Protocol, parse_ipv4_cidr};
use privlink_model::{Known, Unknown};

use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;

/// Why a value is unknown, for the model.
pub(super) fn unknown_of(value: &Value) -> Unknown {
    match value {
        Value::Unknown(u) => Unknown::new(u.reason.clone()),
        other => Unknown::new(format!(
            "expected another type, found a {}",
            other.type_name()
        )),
    }
}

/// A boolean property; absent gives CloudFormation's default.
pub(super) fn bool_or(r: &CfnResource, path: &str, default: bool) -> Known<bool> {
    bool_value_or(r.get(path), default)
}

/// A boolean value; absent gives the default.
pub(super) fn bool_value_or(value: Option<&Value>, default: bool) -> Known<bool> {
    match value {
        None | Some(Value::Null | Value::Omitted) => Known::Value(default),
        Some(v) => v
            .as_bool()
            .map_or_else(|| Known::Unknown(unknown_of(v)), Known::Value),
    }
}

/// A string property; `None` when absent.
pub(super) fn string(r: &CfnResource, path: &str) -> Option<Known<String>> {
    string_value(r.get(path)?)
}

/// A string value (numbers and booleans as text). A string whose only unknown part is the run's
/// region (no `--region`, no CDK environment) is known, written with the symbolic region.
pub(super) fn string_value(value: &Value) -> Option<Known<String>> {
    match value {
        Value::Null | Value::Omitted => None,
        other @ Value::Unknown(_) => Some(
            other
                .run_region_text()
                .map_or_else(|| Known::Unknown(unknown_of(other)), Known::Value),
        ),
        other => Some(
            other
                .to_text()
                .map_or_else(|| Known::Unknown(unknown_of(other)), Known::Value),
        ),
    }
}

/// A known string property, or `None`.
pub(super) fn text(r: &CfnResource, path: &str) -> Option<String> {
    r.get(path)?.to_text()
}

/// An IPv4 CIDR value.
pub(super) fn cidr_value(value: &Value) -> Known<Ipv4Net> {
    match value.to_text() {
        Some(s) => parse_ipv4_cidr(&s).map_or_else(
            || Known::unknown(format!("`{s}` is not an IPv4 CIDR block")),
            Known::Value,
        ),
        None => Known::Unknown(unknown_of(value)),
    }
}

/// A port number; `None` for -1 (every port) or absent.
fn port(value: Option<&Value>) -> Option<u16> {
    let n = value?.as_f64()?;
    if n < 0.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(n.min(65535.0) as u16)
}

/// Protocol and port range of a rule, as AWS applies them: protocols without ports (`-1`, ICMP)
/// cover every port.
pub(super) fn protocol_and_ports(
    protocol: Option<&Value>,
    from: Option<&Value>,
    to: Option<&Value>,
) -> Result<(Protocol, PortRange), Unknown> {
    let text = match protocol {
        Some(v) => v.to_text().ok_or_else(|| unknown_of(v))?,
        None => return Err(Unknown::new("the rule has no protocol")),
    };
    let protocol =
        Protocol::parse(&text).ok_or_else(|| Unknown::new(format!("unknown protocol `{text}`")))?;
    let ports = match protocol {
        Protocol::Tcp | Protocol::Udp => match (port(from), port(to)) {
            (Some(f), Some(t)) => PortRange::new(f, t),
            (Some(f), None) => PortRange::single(f),
            _ => PortRange::ALL,
        },
        _ => PortRange::ALL,
    };
    Ok((protocol, ports))
}

/// The items of a list property with their indexes; an unknown list is an error with its reason.
pub(super) fn items(value: Option<&Value>) -> Result<Vec<(usize, &Value)>, Unknown> {
    match value {
        None | Some(Value::Null | Value::Omitted) => Ok(Vec::new()),
        Some(Value::List(items)) => Ok(items.iter().enumerate().collect()),
        Some(other @ Value::Map(_)) => Ok(vec![(0, other)]),
        Some(other) => Err(unknown_of(other)),
    }
}
