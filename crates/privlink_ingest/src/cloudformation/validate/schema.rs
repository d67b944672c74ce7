//! The property schemas of the resource types privlink reads, as data: names, types, enumerations
//! and required properties, cut from the CloudFormation resource schemas cfn-lint ships
//! (`data/cloudformation-resource-schemas.json`, written by
//! `scripts/regenerate-cloudformation-schemas`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TABLE_JSON: &str = include_str!("../../../data/cloudformation-resource-schemas.json");

#[derive(Debug, Default, Deserialize)]
struct Table {
    types: HashMap<String, Shape>,
}

/// What a property (or the resource's `Properties`) may hold.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Shape {
    /// The JSON schema types it may be (`string`, `integer`, `number`, `boolean`, `array`,
    /// `object`); empty for any.
    #[serde(default, rename = "type")]
    pub(super) types: Vec<String>,
    /// The values it may take, when they are fixed.
    #[serde(default, rename = "enum")]
    pub(super) one_of: Vec<serde_json::Value>,
    /// The values compare without regard to letter case.
    #[serde(default)]
    pub(super) enum_case_insensitive: bool,
    /// An object's properties, in the schema's order.
    #[serde(default)]
    pub(super) properties: Vec<(String, Shape)>,
    /// An object may have no property the schema does not name.
    #[serde(default)]
    pub(super) closed: bool,
    /// An object's required properties.
    #[serde(default)]
    pub(super) required: Vec<String>,
    /// An array's items.
    #[serde(default)]
    pub(super) items: Option<Box<Shape>>,
}

impl Shape {
    /// The shape of an object's property.
    pub(super) fn property(&self, name: &str) -> Option<&Shape> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The file is committed with the crate; a parse failure is a build defect caught by tests.
    TABLE.get_or_init(|| serde_json::from_str(TABLE_JSON).unwrap_or_default())
}

/// The schema of a resource type's `Properties`, when privlink has it.
pub(super) fn resource_schema(resource_type: &str) -> Option<&'static Shape> {
    table().types.get(resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_has_the_endpoint() {
        let endpoint = resource_schema("AWS::EC2::VPCEndpoint").expect("tabled");
        assert!(endpoint.closed);
        assert!(endpoint.required.contains(&"VpcId".to_owned()));
        let kind = endpoint.property("VpcEndpointType").expect("a property");
        assert!(kind.one_of.contains(&serde_json::json!("Interface")));
        assert_eq!(
            endpoint
                .property("SubnetIds")
                .and_then(|s| s.items.as_ref())
                .map(|i| i.types.clone()),
            Some(vec!["string".to_owned()])
        );
        assert!(resource_schema("Custom::Thing").is_none());
    }
}
