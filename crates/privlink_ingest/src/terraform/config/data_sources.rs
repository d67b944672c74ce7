//! Data sources whose results privlink can know without an AWS account: the region, its
//! availability zones, the partition, endpoint service names, and IAM policy documents.
//! Everything else a data source returns stays an unknown reference (`data.aws_vpc.shared` / `id`).

use std::collections::BTreeMap;

use privlink_model::Known;

use crate::regions::availability_zones;
use crate::terraform::value::Value;

/// Whether privlink computes attributes of this data source type.
pub(crate) fn is_known(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "aws_region"
            | "aws_availability_zones"
            | "aws_partition"
            | "aws_vpc_endpoint_service"
            | "aws_iam_policy_document"
    )
}

/// Why an attribute of a data source privlink does not compute is unknown when its arguments are
/// known: Terraform reads it at plan time (so its `for_each` keys are valid), privlink cannot.
pub(crate) const READ_AT_PLAN: &str =
    "read from AWS by Terraform at plan time; privlink does not read this data source";

/// Why a computed attribute is unknown: known only after apply for a managed resource, or for a data
/// source whose arguments are themselves known only after apply (Terraform then reads it during
/// apply); read at plan time for any other data source.
pub(crate) fn computed_reason(data: bool, configured: &BTreeMap<String, Value>) -> &'static str {
    fn after_apply(value: &Value) -> bool {
        match value {
            Value::Unknown(u) => u.reason.contains(AFTER_APPLY),
            Value::List(items) | Value::Set(items) => items.iter().any(after_apply),
            Value::Map(map) => map.values().any(after_apply),
            _ => false,
        }
    }
    if data && !configured.values().any(after_apply) {
        READ_AT_PLAN
    } else {
        AFTER_APPLY
    }
}

/// The reason of a value Terraform knows only after apply.
pub(crate) const AFTER_APPLY: &str = "known only after apply";

/// Data sources that look one object up by `id`: given the id of a resource of the same type in
/// the configuration, they read that resource.
pub(crate) fn reads_resource_by_id(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "aws_subnet"
            | "aws_vpc"
            | "aws_security_group"
            | "aws_route_table"
            | "aws_vpc_endpoint"
            | "aws_nat_gateway"
            | "aws_internet_gateway"
            | "aws_ec2_transit_gateway"
    )
}

/// The partition and DNS suffix of a region.
pub(crate) fn partition(region: &str) -> (&'static str, &'static str) {
    if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com")
    } else {
        ("aws", "amazonaws.com")
    }
}

/// The attributes privlink knows for a data source, given its configured arguments and its
/// provider's region. Configured arguments win; an argument set to `null` counts as omitted, as
/// in Terraform, so the data source still computes it.
pub(crate) fn known_attributes(
    resource_type: &str,
    configured: &BTreeMap<String, Value>,
    region: &Known<String>,
) -> BTreeMap<String, Value> {
    let configured: BTreeMap<String, Value> = configured
        .iter()
        .filter(|(_, v)| !matches!(v, Value::Null))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut out = BTreeMap::new();
    let region_value = || match region {
        Known::Value(r) => Value::string(r.clone()),
        Known::Unknown(u) => Value::unknown(u.reason.clone()),
    };
    match resource_type {
        "aws_region" => {
            let value = configured
                .get("name")
                .or_else(|| configured.get("region"))
                .cloned()
                .unwrap_or_else(region_value);
            if let Value::String(region) = &value {
                let suffix = partition(region).1;
                out.insert(
                    "endpoint".to_owned(),
                    Value::String(format!("ec2.{region}.{suffix}")),
                );
            }
            for name in ["name", "id", "region"] {
                out.insert(name.to_owned(), value.clone());
            }
        }
        "aws_availability_zones" => {
            let names = match region {
                Known::Value(r) => {
                    let excluded: Vec<&str> = configured
                        .get("exclude_names")
                        .and_then(Value::as_list)
                        .map(|l| l.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    Value::List(
                        availability_zones(r)
                            .into_iter()
                            .filter(|z| !excluded.contains(&z.as_str()))
                            .map(Value::String)
                            .collect(),
                    )
                }
                Known::Unknown(u) => Value::unknown(u.reason.clone()),
            };
            out.insert("names".to_owned(), names);
        }
        "aws_partition" => match region {
            Known::Value(r) => {
                let (partition, suffix) = partition(r);
                out.insert("partition".to_owned(), Value::string(partition));
                out.insert("id".to_owned(), Value::string(partition));
                out.insert("dns_suffix".to_owned(), Value::string(suffix));
                out.insert(
                    "reverse_dns_prefix".to_owned(),
                    Value::string(suffix.split('.').rev().collect::<Vec<_>>().join(".")),
                );
            }
            Known::Unknown(u) => {
                for name in ["partition", "dns_suffix"] {
                    out.insert(name.to_owned(), Value::unknown(u.reason.clone()));
                }
            }
        },
        "aws_vpc_endpoint_service" => {
            if let (Some(Value::String(service)), None) =
                (configured.get("service"), configured.get("service_name"))
            {
                let name = match region {
                    Known::Value(r) => Value::String(format!("com.amazonaws.{r}.{service}")),
                    Known::Unknown(u) => Value::unknown(u.reason.clone()),
                };
                out.insert("service_name".to_owned(), name);
            }
        }
        "aws_iam_policy_document" => {
            out.insert(
                "json".to_owned(),
                super::iam_policy::policy_json(&configured),
            );
        }
        _ => {}
    }
    out.retain(|k, _| !configured.contains_key(k));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_zone_table() {
        assert_eq!(
            availability_zones("ap-northeast-1"),
            ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
        );
        assert_eq!(availability_zones("us-east-1").len(), 6);
        assert_eq!(
            availability_zones("us-west-1"),
            ["us-west-1a", "us-west-1c"]
        );
        assert_eq!(
            availability_zones("eu-west-3"),
            ["eu-west-3a", "eu-west-3b", "eu-west-3c"]
        );
    }

    #[test]
    fn partitions_follow_the_region_prefix() {
        assert_eq!(partition("cn-north-1"), ("aws-cn", "amazonaws.com.cn"));
        assert_eq!(partition("us-gov-west-1"), ("aws-us-gov", "amazonaws.com"));
        assert_eq!(partition("eu-west-1"), ("aws", "amazonaws.com"));
    }

    #[test]
    fn endpoint_service_names_need_a_known_region() {
        let configured: BTreeMap<String, Value> =
            [("service".to_owned(), Value::string("ecr.dkr"))].into();
        let known = known_attributes(
            "aws_vpc_endpoint_service",
            &configured,
            &Known::Value("eu-west-1".into()),
        );
        assert_eq!(
            known["service_name"],
            Value::string("com.amazonaws.eu-west-1.ecr.dkr")
        );
        let unknown = known_attributes(
            "aws_vpc_endpoint_service",
            &configured,
            &Known::unknown("no region"),
        );
        assert!(unknown["service_name"].as_unknown().is_some());
    }

    #[test]
    fn null_arguments_count_as_omitted() {
        let configured: BTreeMap<String, Value> = [
            ("service".to_owned(), Value::string("logs")),
            ("service_name".to_owned(), Value::Null),
        ]
        .into();
        let known = known_attributes(
            "aws_vpc_endpoint_service",
            &configured,
            &Known::Value("eu-west-1".into()),
        );
        assert_eq!(
            known["service_name"],
            Value::string("com.amazonaws.eu-west-1.logs")
        );
        let region: BTreeMap<String, Value> = [("region".to_owned(), Value::Null)].into();
        let known = known_attributes("aws_region", &region, &Known::Value("eu-west-1".into()));
        assert_eq!(known["region"], Value::string("eu-west-1"));
    }
}
