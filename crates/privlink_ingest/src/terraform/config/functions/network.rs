//! IP network functions: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`, for IPv4 and IPv6,
//! with Terraform's error messages.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{FnError, FnResult, arity, int_arg, string_arg};
use crate::terraform::value::Value;

pub(super) fn call(name: &str, args: &[Value]) -> Option<FnResult> {
    Some(match name {
        "cidrsubnet" => cidrsubnet(args),
        "cidrsubnets" => cidrsubnets(args),
        "cidrhost" => cidrhost(args),
        "cidrnetmask" => cidrnetmask(args),
        _ => return None,
    })
}

/// A prefix as (network address as an integer, prefix length, address width).
struct Prefix {
    network: u128,
    len: u32,
    bits: u32,
    v6: bool,
}

impl Prefix {
    fn parse(text: &str) -> Result<Self, FnError> {
        let (addr, len) = text.split_once('/').ok_or_else(|| {
            FnError::Argument(format!(
                "invalid CIDR expression: invalid CIDR address: {text}"
            ))
        })?;
        let ip: IpAddr = addr.parse().map_err(|_| {
            FnError::Argument(format!(
                "invalid CIDR expression: invalid CIDR address: {text}"
            ))
        })?;
        let (value, bits, v6) = match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32, false),
            IpAddr::V6(v6) => (u128::from(v6), 128, true),
        };
        let len: u32 = len.parse().ok().filter(|l| *l <= bits).ok_or_else(|| {
            FnError::Argument(format!(
                "invalid CIDR expression: invalid CIDR address: {text}"
            ))
        })?;
        let network = value & mask(len, bits);
        Ok(Self {
            network,
            len,
            bits,
            v6,
        })
    }

    fn address(&self, value: u128) -> String {
        if self.v6 {
            Ipv6Addr::from(value).to_string()
        } else {
            Ipv4Addr::from(u32::try_from(value).unwrap_or(0)).to_string()
        }
    }

    fn subnet(&self, newbits: i64, netnum: i64) -> Result<(u128, u32), FnError> {
        let newbits = u32::try_from(newbits)
            .map_err(|_| FnError::Call("newbits must not be negative".into()))?;
        let new_len = self.len + newbits;
        if new_len > self.bits {
            return Err(FnError::Call(format!(
                "insufficient address space to extend prefix of {} by {newbits}.",
                self.len
            )));
        }
        let netnum_u = u128::try_from(netnum)
            .ok()
            .filter(|n| newbits >= 128 || *n < (1u128 << newbits));
        let Some(netnum_u) = netnum_u else {
            return Err(FnError::Call(format!(
                "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}."
            )));
        };
        let shift = self.bits - new_len;
        let offset = if shift >= 128 { 0 } else { netnum_u << shift };
        Ok((self.network | offset, new_len))
    }
}

/// The netmask of a prefix length within an address width.
fn mask(len: u32, bits: u32) -> u128 {
    let all = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    let host = bits - len;
    let host_mask = if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    all & !host_mask
}

fn cidrsubnet(args: &[Value]) -> FnResult {
    arity(args, 3, 3)?;
    let prefix = Prefix::parse(&string_arg(args, 0)?)?;
    let (network, len) = prefix.subnet(int_arg(args, 1)?, int_arg(args, 2)?)?;
    Ok(Value::String(format!("{}/{len}", prefix.address(network))))
}

fn cidrsubnets(args: &[Value]) -> FnResult {
    arity(args, 1, usize::MAX)?;
    let prefix = Prefix::parse(&string_arg(args, 0)?)?;
    let mut next = prefix.network;
    let end = prefix.network | (!mask(prefix.len, prefix.bits) & mask(prefix.bits, prefix.bits));
    let mut out = Vec::new();
    for i in 1..args.len() {
        let newbits = int_arg(args, i)?;
        let new_len = u32::try_from(newbits)
            .ok()
            .map(|n| n + prefix.len)
            .filter(|l| *l <= prefix.bits)
            .ok_or_else(|| {
                FnError::Call(format!(
                    "would extend prefix to {} bits, which is too long for an IPv{} address",
                    i64::from(prefix.len) + newbits,
                    if prefix.v6 { 6 } else { 4 }
                ))
            })?;
        let size = 1u128 << (prefix.bits - new_len).min(127);
        // Each subnet starts at the first address after the previous one, aligned to its own size.
        let start = next.div_ceil(size).saturating_mul(size);
        if start > end || start.saturating_add(size - 1) > end {
            let after = out
                .last()
                .and_then(Value::as_str)
                .unwrap_or("the start of the prefix");
            return Err(FnError::Argument(format!(
                "Invalid value for \"newbits\" parameter: not enough remaining address space for a subnet with a prefix of {new_len} bits after {after}."
            )));
        }
        out.push(Value::String(format!(
            "{}/{new_len}",
            prefix.address(start)
        )));
        next = start.saturating_add(size);
    }
    Ok(Value::List(out))
}

fn cidrhost(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let prefix = Prefix::parse(&string_arg(args, 0)?)?;
    let hostnum = int_arg(args, 1)?;
    let host_bits = prefix.bits - prefix.len;
    let capacity: Option<u128> = (host_bits < 128).then(|| 1u128 << host_bits);
    let offset = if hostnum < 0 {
        capacity.and_then(|c| c.checked_sub(u128::from(hostnum.unsigned_abs())))
    } else {
        u128::try_from(hostnum)
            .ok()
            .filter(|h| capacity.is_none_or(|c| *h < c))
    };
    let Some(offset) = offset else {
        return Err(FnError::Call(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}.",
            prefix.len
        )));
    };
    Ok(Value::String(prefix.address(prefix.network | offset)))
}

fn cidrnetmask(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let prefix = Prefix::parse(&string_arg(args, 0)?)?;
    if prefix.v6 {
        return Err(FnError::Call("only IPv4 networks are supported".into()));
    }
    Ok(Value::String(prefix.address(mask(prefix.len, 32))))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::terraform::value::Value;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn cidr_functions_match_terraform_console() {
        assert_eq!(
            f("cidrsubnet", &[s("10.0.0.0/16"), v("8"), v("2")]).unwrap(),
            s("10.0.2.0/24")
        );
        assert_eq!(
            f("cidrsubnet", &[s("10.0.0.0/16"), v("4"), v("15")]).unwrap(),
            s("10.0.240.0/20")
        );
        assert_eq!(
            f("cidrsubnet", &[s("10.0.0.0/16"), v("0"), v("0")]).unwrap(),
            s("10.0.0.0/16")
        );
        assert_eq!(
            f("cidrsubnet", &[s("10.1.2.3/16"), v("8"), v("1")]).unwrap(),
            s("10.1.1.0/24")
        );
        assert_eq!(
            f("cidrsubnet", &[s("fd00::/8"), v("8"), v("1")]).unwrap(),
            s("fd01::/16")
        );
        assert_eq!(
            fails("cidrsubnet", &[s("10.0.0.0/30"), v("3"), v("0")]),
            "insufficient address space to extend prefix of 30 by 3."
        );
        assert_eq!(
            fails("cidrsubnet", &[s("10.0.0.0/16"), v("8"), v("256")]),
            "prefix extension of 8 does not accommodate a subnet numbered 256."
        );
        assert_eq!(
            f(
                "cidrsubnets",
                &[s("10.1.0.0/16"), v("4"), v("4"), v("8"), v("4")]
            )
            .unwrap(),
            v("[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]")
        );
        assert_eq!(f("cidrsubnets", &[s("10.0.0.0/8")]).unwrap(), v("[]"));
        assert_eq!(
            f("cidrhost", &[s("10.12.112.0/20"), v("16")]).unwrap(),
            s("10.12.112.16")
        );
        assert_eq!(
            f("cidrhost", &[s("10.12.112.0/20"), v("268")]).unwrap(),
            s("10.12.113.12")
        );
        assert_eq!(
            f("cidrhost", &[s("10.12.112.0/20"), v("-1")]).unwrap(),
            s("10.12.127.255")
        );
        assert_eq!(
            fails("cidrhost", &[s("10.12.112.0/20"), v("5000")]),
            "prefix of 20 does not accommodate a host numbered 5000."
        );
        assert_eq!(
            f("cidrnetmask", &[s("172.16.0.0/12")]).unwrap(),
            s("255.240.0.0")
        );
        assert_eq!(f("cidrnetmask", &[s("0.0.0.0/0")]).unwrap(), s("0.0.0.0"));
        assert!(f("cidrsubnet", &[s("nonsense"), v("8"), v("1")]).is_err());
    }

    #[test]
    fn cidr_edges_match_terraform_console() {
        assert_eq!(
            f("cidrsubnet", &[s("10.0.0.0/8"), v("24"), v("1")]).unwrap(),
            s("10.0.0.1/32")
        );
        assert_eq!(
            fails("cidrsubnet", &[s("10.0.0.0/8"), v("25"), v("1")]),
            "insufficient address space to extend prefix of 8 by 25."
        );
        assert_eq!(
            f("cidrhost", &[s("10.0.0.0/32"), v("0")]).unwrap(),
            s("10.0.0.0")
        );
        assert_eq!(
            fails("cidrsubnets", &[s("10.0.0.0/24"), v("1"), v("1"), v("1")]),
            "Invalid value for \"newbits\" parameter: not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25."
        );
    }
}
