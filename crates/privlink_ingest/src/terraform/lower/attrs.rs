//! Typed readers for resource attributes, applying the provider's defaults.

use ipnet::Ipv4Net;
use privlink_model::net::{PortRange, Protocol, parse_ipv4_cidr};
use privlink_model::{Known, Partial, Unknown};

use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

/// Why a value is unknown, for the model.
pub(super) fn unknown_of(value: &Value) -> Unknown {
    match value {
        Value::Unknown(u) => match &u.reference {
            Some(r) => Unknown::new(format!("{r} is known only after apply")),
            None => Unknown::new(u.reason.clone()),
        },
        other => Unknown::new(format!(
            "expected another type, found {}",
            other.type_name()
        )),
    }
}

/// A boolean attribute; absent or null gives the provider default.
pub(super) fn bool_or(res: &TfResource, path: &str, default: bool) -> Known<bool> {
    bool_value_or(res.get(path), default)
}

/// A boolean value; absent or null gives the default.
pub(super) fn bool_value_or(value: Option<&Value>, default: bool) -> Known<bool> {
    match value {
        None | Some(Value::Null) => Known::Value(default),
        Some(v) => v
            .as_bool()
            .map_or_else(|| Known::Unknown(unknown_of(v)), Known::Value),
    }
}

/// A string attribute; `None` when absent or null.
pub(super) fn string(res: &TfResource, path: &str) -> Option<Known<String>> {
    string_value(res.get(path)?)
}

/// A string value; `None` when null.
pub(super) fn string_value(value: &Value) -> Option<Known<String>> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(Known::Value(s.clone())),
        Value::Number(_) | Value::Bool(_) => Some(Known::Value(plain_text(value))),
        other => Some(Known::Unknown(unknown_of(other))),
    }
}

/// Numbers and booleans as Terraform converts them to strings.
fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An IPv4 CIDR value.
pub(super) fn cidr_value(value: &Value) -> Known<Ipv4Net> {
    match value {
        Value::String(s) => parse_ipv4_cidr(s).map_or_else(
            || Known::unknown(format!("`{s}` is not an IPv4 CIDR block")),
            Known::Value,
        ),
        other => Known::Unknown(unknown_of(other)),
    }
}

/// A list attribute of CIDRs.
pub(super) fn cidr_list(value: Option<&Value>) -> Partial<Known<Ipv4Net>> {
    each_element(value, cidr_value)
}

/// Applies `f` to each element of a list value, keeping unknown lists as unknown.
pub(super) fn each_element<T>(value: Option<&Value>, mut f: impl FnMut(&Value) -> T) -> Partial<T> {
    match value {
        None | Some(Value::Null) => Partial::default(),
        Some(Value::List(items) | Value::Set(items)) => {
            Partial::complete(items.iter().map(&mut f).collect())
        }
        Some(Value::Unknown(u)) => Partial {
            known: Vec::new(),
            unknown: Some(unknown_of(&Value::Unknown(u.clone()))),
        },
        Some(single) => Partial::complete(vec![f(single)]),
    }
}

/// A port number.
pub(super) fn port(value: Option<&Value>) -> Option<u16> {
    let n = value?.as_f64()?;
    if n < 0.0 {
        // ICMP and "all" rules write -1; the range then means every port.
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(n.min(65535.0) as u16)
}

/// Protocol and port range of a security-group or NACL rule, as AWS applies them: protocols without
/// ports (`-1`, ICMP, ...) cover every port.
pub(super) fn protocol_and_ports(
    protocol: Option<&Value>,
    from: Option<&Value>,
    to: Option<&Value>,
) -> Result<(Protocol, PortRange), Unknown> {
    let text = match protocol {
        Some(v) => match v {
            Value::String(s) => s.clone(),
            Value::Number(_) => plain_text(v),
            other => return Err(unknown_of(other)),
        },
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

/// The elements of a block list (`ingress`, `route`, `vpc_config`), each with its index.
pub(super) fn blocks<'a>(
    res: &'a TfResource,
    name: &str,
) -> Result<Vec<(usize, &'a Value)>, Unknown> {
    match res.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::List(items) | Value::Set(items)) => Ok(items.iter().enumerate().collect()),
        Some(Value::Map(_)) => Ok(vec![(0, res.get(name).expect("just matched"))]),
        Some(other) => Err(unknown_of(other)),
    }
}

/// A field of a block element.
pub(super) fn field<'a>(block: &'a Value, name: &str) -> Option<&'a Value> {
    match block.as_map()?.get(name)? {
        Value::Null => None,
        v => Some(v),
    }
}

/// JSON for a value with unknown parts, each unknown written `${reference}` (see [`crate::ecs`]).
pub(super) fn deferred_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Unknown(u) => serde_json::Value::String(match &u.reference {
            Some(r) => format!("${{{r}}}"),
            None => "${unknown}".to_owned(),
        }),
        Value::List(v) | Value::Set(v) => {
            serde_json::Value::Array(v.iter().map(deferred_json).collect())
        }
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), deferred_json(v)))
                .collect(),
        ),
        known => known.to_json().unwrap_or(serde_json::Value::Null),
    }
}
