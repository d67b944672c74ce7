//! Data sources answered from `--aws-snapshot`, as `terraform plan` answers them from the account.
//!
//! `data "aws_vpc"`, `aws_subnet`, `aws_subnets`, `aws_route_table`, `aws_route_tables`,
//! `aws_security_group`, `aws_security_groups` and `aws_vpc_endpoint` are looked up among the
//! objects of the snapshot's region that is the data source's provider region, with the
//! provider's semantics: every argument must match (`vpc_id`, `availability_zone`, ...), `tags`
//! match exactly (each key present with that value), and each `filter { name values }` is an EC2
//! API filter (`vpc-id`, `tag:Name`, `tag-key`, `availability-zone`, ...) matching when any of its
//! values matches, with `*` and `?` wildcards, as EC2 applies them
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html>).
//! A singular data source that matches no object, or several, is an error in Terraform ("no
//! matching EC2 Subnet found"): its attributes stay unknown with that reason.
//!
//! Nothing is answered while an argument is unknown, while the provider region is unknown, or when
//! a filter names a field privlink does not read: the attributes stay unknown and are reported.

use std::collections::BTreeMap;

use privlink_model::Known;

use crate::snapshot::Snapshot;
use crate::snapshot::format::{RegionSnapshot, Tag};
use crate::terraform::value::Value;

/// Whether a snapshot answers this data source type.
pub(crate) fn answers(resource_type: &str) -> bool {
    lookup(resource_type).is_some()
}

/// How one data source type looks objects up.
struct Lookup {
    /// The objects it searches.
    objects: fn(&RegionSnapshot) -> Vec<Object>,
    /// Arguments that select objects, with the EC2 filter each stands for.
    arguments: &'static [(&'static str, &'static str)],
    /// What the objects are called in errors.
    noun: &'static str,
    /// Whether it returns one object (else the `ids` of all).
    singular: bool,
}

fn lookup(resource_type: &str) -> Option<Lookup> {
    let (objects, arguments, noun, singular): (fn(&RegionSnapshot) -> Vec<Object>, _, _, _) =
        match resource_type {
            "aws_vpc" => (
                vpcs,
                &[
                    ("id", "vpc-id"),
                    ("cidr_block", "cidr"),
                    ("default", "is-default"),
                ][..],
                "EC2 VPC",
                true,
            ),
            "aws_subnet" => (
                subnets,
                &[
                    ("id", "subnet-id"),
                    ("vpc_id", "vpc-id"),
                    ("availability_zone", "availability-zone"),
                    ("cidr_block", "cidr-block"),
                ][..],
                "EC2 Subnet",
                true,
            ),
            "aws_subnets" => (subnets, &[][..], "EC2 Subnet", false),
            "aws_route_table" => (
                route_tables,
                &[
                    ("route_table_id", "route-table-id"),
                    ("vpc_id", "vpc-id"),
                    ("subnet_id", "association.subnet-id"),
                    ("gateway_id", "association.gateway-id"),
                ][..],
                "EC2 Route Table",
                true,
            ),
            "aws_route_tables" => (
                route_tables,
                &[("vpc_id", "vpc-id")][..],
                "EC2 Route Table",
                false,
            ),
            "aws_security_group" => (
                security_groups,
                &[
                    ("id", "group-id"),
                    ("name", "group-name"),
                    ("vpc_id", "vpc-id"),
                ][..],
                "EC2 Security Group",
                true,
            ),
            "aws_security_groups" => (security_groups, &[][..], "EC2 Security Group", false),
            "aws_vpc_endpoint" => (
                endpoints,
                &[
                    ("id", "vpc-endpoint-id"),
                    ("vpc_id", "vpc-id"),
                    ("service_name", "service-name"),
                    ("state", "vpc-endpoint-state"),
                ][..],
                "VPC Endpoint",
                true,
            ),
            _ => return None,
        };
    Some(Lookup {
        objects,
        arguments,
        noun,
        singular,
    })
}

/// One object of the snapshot: the fields filters match, its tags, and the attributes the data
/// source returns for it.
struct Object {
    id: String,
    fields: BTreeMap<&'static str, Vec<String>>,
    tags: BTreeMap<String, String>,
    attributes: BTreeMap<String, Value>,
}

impl Object {
    fn new(id: &str, tags: &[Tag]) -> Self {
        let tags: BTreeMap<String, String> = tags
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect();
        let mut attributes = BTreeMap::new();
        attributes.insert("id".to_owned(), Value::string(id));
        attributes.insert(
            "tags".to_owned(),
            Value::Map(
                tags.iter()
                    .map(|(k, v)| (k.clone(), Value::string(v.clone())))
                    .collect(),
            ),
        );
        Self {
            id: id.to_owned(),
            fields: BTreeMap::new(),
            tags,
            attributes,
        }
    }

    fn field(mut self, name: &'static str, values: impl IntoIterator<Item = String>) -> Self {
        self.fields.entry(name).or_default().extend(values);
        self
    }

    fn attribute(mut self, name: &str, value: Value) -> Self {
        self.attributes.insert(name.to_owned(), value);
        self
    }

    /// Whether an EC2 filter matches: `Err` names a filter privlink does not read.
    fn matches(&self, name: &str, values: &[String]) -> Result<bool, String> {
        let found: Vec<&str> = if let Some(key) = name.strip_prefix("tag:") {
            self.tags.get(key).map(String::as_str).into_iter().collect()
        } else if name == "tag-key" {
            self.tags.keys().map(String::as_str).collect()
        } else if name == "tag-value" {
            self.tags.values().map(String::as_str).collect()
        } else {
            self.fields
                .get(name)
                .ok_or_else(|| format!("the filter `{name}`"))?
                .iter()
                .map(String::as_str)
                .collect()
        };
        Ok(values
            .iter()
            .any(|pattern| found.iter().any(|v| wildcard(pattern, v))))
    }
}

fn strings(values: &[String]) -> Value {
    Value::List(values.iter().cloned().map(Value::String).collect())
}

fn vpcs(region: &RegionSnapshot) -> Vec<Object> {
    region
        .vpcs
        .iter()
        .map(|v| {
            let main = region
                .route_tables
                .iter()
                .find(|t| t.vpc_id == v.vpc_id && t.associations.iter().any(|a| a.main));
            let mut o = Object::new(&v.vpc_id, &v.tags)
                .field("vpc-id", [v.vpc_id.clone()])
                .field("cidr", v.cidr_blocks.first().cloned())
                .field("cidr-block-association.cidr-block", v.cidr_blocks.clone())
                .field("is-default", [v.is_default.to_string()])
                .attribute(
                    "cidr_block",
                    v.cidr_blocks
                        .first()
                        .map_or(Value::Null, |c| Value::string(c.clone())),
                )
                .attribute("default", Value::Bool(v.is_default));
            if let Some(main) = main {
                o = o.attribute(
                    "main_route_table_id",
                    Value::string(main.route_table_id.clone()),
                );
            }
            for (name, value) in [
                ("enable_dns_support", v.enable_dns_support),
                ("enable_dns_hostnames", v.enable_dns_hostnames),
            ] {
                if let Some(value) = value {
                    o = o.attribute(name, Value::Bool(value));
                }
            }
            o
        })
        .collect()
}

fn subnets(region: &RegionSnapshot) -> Vec<Object> {
    region
        .subnets
        .iter()
        .map(|s| {
            let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
            Object::new(&s.subnet_id, &s.tags)
                .field("subnet-id", [s.subnet_id.clone()])
                .field("vpc-id", [s.vpc_id.clone()])
                .field("availability-zone", s.availability_zone.clone())
                .field("cidr-block", s.cidr_block.clone())
                .field(
                    "map-public-ip-on-launch",
                    [s.map_public_ip_on_launch.to_string()],
                )
                .attribute("vpc_id", Value::string(s.vpc_id.clone()))
                .attribute("cidr_block", text(&s.cidr_block))
                .attribute("availability_zone", text(&s.availability_zone))
                .attribute(
                    "map_public_ip_on_launch",
                    Value::Bool(s.map_public_ip_on_launch),
                )
        })
        .collect()
}

fn route_tables(region: &RegionSnapshot) -> Vec<Object> {
    region
        .route_tables
        .iter()
        .map(|t| {
            Object::new(&t.route_table_id, &t.tags)
                .field("route-table-id", [t.route_table_id.clone()])
                .field("vpc-id", [t.vpc_id.clone()])
                .field(
                    "association.subnet-id",
                    t.associations.iter().filter_map(|a| a.subnet_id.clone()),
                )
                .field(
                    "association.gateway-id",
                    t.associations.iter().filter_map(|a| a.gateway_id.clone()),
                )
                .field(
                    "association.main",
                    [t.associations.iter().any(|a| a.main).to_string()],
                )
                .attribute("route_table_id", Value::string(t.route_table_id.clone()))
                .attribute("vpc_id", Value::string(t.vpc_id.clone()))
        })
        .collect()
}

fn security_groups(region: &RegionSnapshot) -> Vec<Object> {
    region
        .security_groups
        .iter()
        .map(|g| {
            Object::new(&g.group_id, &g.tags)
                .field("group-id", [g.group_id.clone()])
                .field("group-name", [g.group_name.clone()])
                .field("vpc-id", g.vpc_id.clone())
                .attribute("name", Value::string(g.group_name.clone()))
                .attribute(
                    "vpc_id",
                    g.vpc_id.clone().map_or(Value::Null, Value::String),
                )
        })
        .collect()
}

fn endpoints(region: &RegionSnapshot) -> Vec<Object> {
    region
        .vpc_endpoints
        .iter()
        .map(|e| {
            Object::new(&e.vpc_endpoint_id, &e.tags)
                .field("vpc-endpoint-id", [e.vpc_endpoint_id.clone()])
                .field("vpc-id", [e.vpc_id.clone()])
                .field("service-name", [e.service_name.clone()])
                .field("vpc-endpoint-type", [e.vpc_endpoint_type.clone()])
                .field("vpc-endpoint-state", e.state.clone())
                .attribute("vpc_id", Value::string(e.vpc_id.clone()))
                .attribute("service_name", Value::string(e.service_name.clone()))
                .attribute(
                    "vpc_endpoint_type",
                    Value::string(e.vpc_endpoint_type.clone()),
                )
                .attribute("private_dns_enabled", Value::Bool(e.private_dns_enabled))
                .attribute("subnet_ids", strings(&e.subnet_ids))
                .attribute("security_group_ids", strings(&e.group_ids))
                .attribute("route_table_ids", strings(&e.route_table_ids))
                .attribute(
                    "policy",
                    e.policy_document.clone().map_or(Value::Null, Value::String),
                )
        })
        .collect()
}

/// EC2 filter wildcards: `*` any run of characters, `?` one character.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Positions of the pattern reachable after each character of the text.
    let mut reach = vec![false; p.len() + 1];
    reach[0] = true;
    for i in 0..p.len() {
        if p[i] == '*' && reach[i] {
            reach[i + 1] = true;
        }
    }
    for c in t {
        let mut next = vec![false; p.len() + 1];
        for i in 0..p.len() {
            if reach[i] && (p[i] == '?' || p[i] == c) {
                next[i + 1] = true;
            }
            if reach[i] && p[i] == '*' {
                next[i] = true;
                next[i + 1] = true;
            }
        }
        for i in 0..p.len() {
            if p[i] == '*' && next[i] {
                next[i + 1] = true;
            }
        }
        reach = next;
    }
    reach[p.len()]
}

/// A configured value as filter values: a string, number or bool, or a list of them. `None` when
/// any part is unknown.
fn filter_values(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Bool(b) => Some(vec![b.to_string()]),
        Value::Number(_) => value
            .as_str()
            .map(|s| vec![s.to_owned()])
            .or_else(|| value.as_f64().map(|n| vec![n.to_string()])),
        Value::List(items) | Value::Set(items) => items
            .iter()
            .map(filter_values)
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|v| v.concat()),
        _ => None,
    }
}

/// The attributes a snapshot gives a data source with these configured arguments in this provider
/// region; empty when it does not answer (the attributes then stay unknown as without a snapshot).
pub(crate) fn attributes(
    resource_type: &str,
    configured: &BTreeMap<String, Value>,
    region: &Known<String>,
    snapshots: &[Snapshot],
) -> BTreeMap<String, Value> {
    let Some(lookup) = lookup(resource_type) else {
        return BTreeMap::new();
    };
    let Known::Value(region) = region else {
        return BTreeMap::new();
    };
    let scanned: Vec<&RegionSnapshot> = snapshots
        .iter()
        .flat_map(|s| &s.regions)
        .filter(|r| &r.region == region)
        .collect();
    if scanned.is_empty() || configured.values().any(Value::contains_unknown) {
        return BTreeMap::new();
    }
    match select(&lookup, configured, &scanned) {
        Ok(found) => answer(&lookup, found, configured),
        Err(why) => BTreeMap::from([(
            if lookup.singular { "id" } else { "ids" }.to_owned(),
            Value::unknown(why),
        )]),
    }
}

/// The objects matching every argument, `tags` and `filter`.
fn select(
    lookup: &Lookup,
    configured: &BTreeMap<String, Value>,
    scanned: &[&RegionSnapshot],
) -> Result<Vec<Object>, String> {
    let mut conditions: Vec<(String, Vec<String>)> = Vec::new();
    for (argument, filter) in lookup.arguments {
        if let Some(value) = configured.get(*argument).filter(|v| !v.is_null()) {
            conditions.push((
                (*filter).to_owned(),
                filter_values(value).unwrap_or_default(),
            ));
        }
    }
    for block in configured
        .get("filter")
        .and_then(Value::as_list)
        .unwrap_or_default()
    {
        let name = block
            .get_path("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let values = block
            .get_path("values")
            .and_then(filter_values)
            .unwrap_or_default();
        conditions.push((name.to_owned(), values));
    }
    let tags: Vec<(String, String)> = configured
        .get("tags")
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    for object in scanned.iter().flat_map(|r| (lookup.objects)(r)) {
        let mut all = tags.iter().all(|(k, v)| object.tags.get(k) == Some(v));
        for (name, values) in &conditions {
            all = all
                && object.matches(name, values).map_err(|f| {
                    format!("privlink does not apply {f} to the snapshot's objects")
                })?;
        }
        if all {
            found.push(object);
        }
    }
    if lookup.singular && found.len() != 1 {
        return Err(if found.is_empty() {
            format!(
                "Terraform would fail: no matching {} found in the snapshot",
                lookup.noun
            )
        } else {
            format!(
                "Terraform would fail: {} matching {}s found in the snapshot, the data source takes one",
                found.len(),
                lookup.noun
            )
        });
    }
    Ok(found)
}

fn answer(
    lookup: &Lookup,
    found: Vec<Object>,
    configured: &BTreeMap<String, Value>,
) -> BTreeMap<String, Value> {
    let mut out = if lookup.singular {
        found
            .into_iter()
            .next()
            .map(|o| o.attributes)
            .unwrap_or_default()
    } else {
        let mut out = BTreeMap::new();
        let ids: Vec<String> = found.iter().map(|o| o.id.clone()).collect();
        out.insert("ids".to_owned(), strings(&ids));
        if lookup.noun == "EC2 Security Group" {
            let mut vpcs: Vec<String> = found
                .iter()
                .filter_map(|o| o.fields.get("vpc-id").and_then(|v| v.first().cloned()))
                .collect();
            vpcs.dedup();
            out.insert("vpc_ids".to_owned(), strings(&vpcs));
        }
        out
    };
    // Configured arguments keep their values, as for the data sources privlink computes.
    out.retain(|k, _| !configured.contains_key(k));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::format::{Subnet, Vpc};

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    fn snapshot() -> Vec<Snapshot> {
        let subnet = |id: &str, az: &str, tier: &str| Subnet {
            subnet_id: id.to_owned(),
            vpc_id: "vpc-1".to_owned(),
            cidr_block: Some("10.0.1.0/24".to_owned()),
            availability_zone: Some(az.to_owned()),
            tags: vec![tag("Tier", tier)],
            ..Subnet::default()
        };
        vec![Snapshot {
            privlink_snapshot: 1,
            regions: vec![RegionSnapshot {
                region: "eu-west-1".to_owned(),
                vpcs: vec![Vpc {
                    vpc_id: "vpc-1".to_owned(),
                    cidr_blocks: vec!["10.0.0.0/16".to_owned()],
                    tags: vec![tag("Name", "main")],
                    ..Vpc::default()
                }],
                subnets: vec![
                    subnet("subnet-a", "eu-west-1a", "private"),
                    subnet("subnet-b", "eu-west-1b", "private"),
                    subnet("subnet-c", "eu-west-1a", "public"),
                ],
                ..RegionSnapshot::default()
            }],
            ..Snapshot::default()
        }]
    }

    fn args(pairs: Vec<(&str, Value)>) -> BTreeMap<String, Value> {
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    fn filter(name: &str, values: &[&str]) -> Value {
        Value::Map(BTreeMap::from([
            ("name".to_owned(), Value::string(name)),
            (
                "values".to_owned(),
                Value::List(values.iter().map(|v| Value::string(*v)).collect()),
            ),
        ]))
    }

    const REGION: fn() -> Known<String> = || Known::Value("eu-west-1".to_owned());

    #[test]
    fn filters_tags_and_arguments_select_as_ec2_does() {
        let tags = |pairs: &[(&str, &str)]| {
            Value::Map(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), Value::string(*v)))
                    .collect(),
            )
        };
        let ids = |configured| {
            attributes("aws_subnets", &configured, &REGION(), &snapshot())["ids"].clone()
        };
        let list = |ids: &[&str]| Value::List(ids.iter().map(|i| Value::string(*i)).collect());
        assert_eq!(
            ids(args(vec![
                ("filter", Value::List(vec![filter("vpc-id", &["vpc-1"])])),
                ("tags", tags(&[("Tier", "private")])),
            ])),
            list(&["subnet-a", "subnet-b"])
        );
        assert_eq!(
            ids(args(vec![(
                "filter",
                Value::List(vec![
                    filter("tag:Tier", &["pub*"]),
                    filter("availability-zone", &["eu-west-1?"])
                ])
            )])),
            list(&["subnet-c"])
        );
        // Tags match exactly; no match is an empty list for the plural data source.
        assert_eq!(
            ids(args(vec![("tags", tags(&[("Tier", "priv")]))])),
            list(&[])
        );

        let vpc = attributes(
            "aws_vpc",
            &args(vec![("tags", tags(&[("Name", "main")]))]),
            &REGION(),
            &snapshot(),
        );
        assert_eq!(vpc["id"], Value::string("vpc-1"));
        assert_eq!(vpc["cidr_block"], Value::string("10.0.0.0/16"));
        let subnet = attributes(
            "aws_subnet",
            &args(vec![
                ("vpc_id", Value::string("vpc-1")),
                ("availability_zone", Value::string("eu-west-1b")),
            ]),
            &REGION(),
            &snapshot(),
        );
        assert_eq!(subnet["id"], Value::string("subnet-b"));
    }

    #[test]
    fn unanswerable_lookups_stay_unknown_with_the_reason() {
        let several = attributes(
            "aws_subnet",
            &args(vec![("vpc_id", Value::string("vpc-1"))]),
            &REGION(),
            &snapshot(),
        );
        assert!(
            several["id"]
                .as_unknown()
                .is_some_and(|u| u.reason.contains("3 matching EC2 Subnets")),
            "{several:?}"
        );
        let unread = attributes(
            "aws_subnets",
            &args(vec![(
                "filter",
                Value::List(vec![filter("owner-id", &["1"])]),
            )]),
            &REGION(),
            &snapshot(),
        );
        assert!(
            unread["ids"]
                .as_unknown()
                .is_some_and(|u| u.reason.contains("`owner-id`"))
        );
        // Another region, an unknown region or an unknown argument: not answered.
        let vpc = args(vec![("id", Value::string("vpc-1"))]);
        assert!(
            attributes(
                "aws_vpc",
                &vpc,
                &Known::Value("us-east-1".into()),
                &snapshot()
            )
            .is_empty()
        );
        assert!(attributes("aws_vpc", &vpc, &Known::unknown("no region"), &snapshot()).is_empty());
        let unknown = args(vec![("id", Value::unknown("known only after apply"))]);
        assert!(attributes("aws_vpc", &unknown, &REGION(), &snapshot()).is_empty());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("eu-*", "eu-west-1a"));
        assert!(wildcard("*-1?", "eu-west-1a"));
        assert!(!wildcard("eu-west-1", "eu-west-1a"));
        assert!(wildcard("*", ""));
        assert!(!wildcard("?", ""));
    }
}
