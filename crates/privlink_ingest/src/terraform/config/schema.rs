//! The AWS provider schema (5.100, network-related types), loaded once from the committed JSON.
//!
//! The evaluator asks it two things: which attributes a provider computes (so an unset `id` is a
//! reference known only after apply while an unset optional argument is `null`), and which names
//! are nested blocks (so `.tf.json` properties and unset blocks are read as Terraform reads them).
//! Validation (`terraform::validate`) also reads which arguments are required or optional, their
//! types, and how many of each nested block a resource takes.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const SCHEMA_JSON: &str =
    include_str!("../../../data/terraform-aws-provider-5.100-network-schema.json");

#[derive(Debug, Deserialize)]
struct ProviderSchema {
    #[serde(default)]
    resource_schemas: HashMap<String, TypeSchema>,
    #[serde(default)]
    data_source_schemas: HashMap<String, TypeSchema>,
}

#[derive(Debug, Deserialize)]
struct TypeSchema {
    block: BlockSchema,
}

/// One block of the schema: its attributes and nested block types.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BlockSchema {
    #[serde(default)]
    pub(crate) attributes: HashMap<String, AttributeSchema>,
    #[serde(default)]
    pub(crate) block_types: HashMap<String, NestedBlockSchema>,
}

/// What the provider says about one attribute.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AttributeSchema {
    #[serde(default)]
    pub(crate) computed: bool,
    #[serde(default)]
    pub(crate) optional: bool,
    #[serde(default)]
    pub(crate) required: bool,
    /// The value type (`None` where privlink builds the schema itself).
    #[serde(default, rename = "type")]
    pub(crate) value_type: Option<crate::terraform::validate::ValueType>,
}

/// A nested block type.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NestedBlockSchema {
    pub(crate) block: BlockSchema,
    /// `list`, `set`, `single`, `group` or `map` (empty where privlink builds the schema itself).
    #[serde(default)]
    pub(crate) nesting_mode: String,
    #[serde(default)]
    pub(crate) min_items: u64,
    /// 0 for no limit.
    #[serde(default)]
    pub(crate) max_items: u64,
}

impl std::ops::Deref for NestedBlockSchema {
    type Target = BlockSchema;
    fn deref(&self) -> &BlockSchema {
        &self.block
    }
}

fn schema() -> &'static ProviderSchema {
    static SCHEMA: OnceLock<ProviderSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The file is committed with the crate; a parse failure is a build defect caught by tests,
        // and an empty schema still lets evaluation go on.
        serde_json::from_str(SCHEMA_JSON).unwrap_or(ProviderSchema {
            resource_schemas: HashMap::new(),
            data_source_schemas: HashMap::new(),
        })
    })
}

/// The schema of a managed resource type (`managed`) or data source (`data`), when privlink has it.
pub(crate) fn block_schema(mode: &str, resource_type: &str) -> Option<&'static BlockSchema> {
    if mode == "data" && resource_type == "aws_iam_policy_document" {
        return Some(policy_document_schema());
    }
    provider_block_schema(mode, resource_type)
}

/// The schema the AWS provider itself gives a managed resource type (`managed`) or data source
/// (`data`), when the committed schema has it.
pub(crate) fn provider_block_schema(
    mode: &str,
    resource_type: &str,
) -> Option<&'static BlockSchema> {
    let schema = schema();
    let types = if mode == "data" {
        &schema.data_source_schemas
    } else {
        &schema.resource_schemas
    };
    types.get(resource_type).map(|t| &t.block)
}

/// `aws_iam_policy_document` is not in the committed network schema, but privlink renders it, and
/// reading it from `.tf.json` needs to know its nested blocks.
fn policy_document_schema() -> &'static BlockSchema {
    static SCHEMA: OnceLock<BlockSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let attributes = |names: &[(&str, bool)]| {
            names
                .iter()
                .map(|(name, computed)| {
                    (
                        (*name).to_owned(),
                        AttributeSchema {
                            computed: *computed,
                            ..AttributeSchema::default()
                        },
                    )
                })
                .collect()
        };
        let principals = || NestedBlockSchema {
            block: BlockSchema {
                attributes: attributes(&[("type", false), ("identifiers", false)]),
                block_types: HashMap::new(),
            },
            ..NestedBlockSchema::default()
        };
        let condition = NestedBlockSchema {
            block: BlockSchema {
                attributes: attributes(&[("test", false), ("variable", false), ("values", false)]),
                block_types: HashMap::new(),
            },
            ..NestedBlockSchema::default()
        };
        let statement = NestedBlockSchema {
            block: BlockSchema {
                attributes: attributes(&[
                    ("sid", false),
                    ("effect", false),
                    ("actions", false),
                    ("not_actions", false),
                    ("resources", false),
                    ("not_resources", false),
                ]),
                block_types: [
                    ("principals".to_owned(), principals()),
                    ("not_principals".to_owned(), principals()),
                    ("condition".to_owned(), condition),
                ]
                .into(),
            },
            ..NestedBlockSchema::default()
        };
        BlockSchema {
            attributes: attributes(&[
                ("id", true),
                ("json", true),
                ("minified_json", true),
                ("policy_id", false),
                ("version", false),
                ("source_policy_documents", false),
                ("override_policy_documents", false),
            ]),
            block_types: [("statement".to_owned(), statement)].into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_loads() {
        let vpc = block_schema("managed", "aws_vpc").expect("aws_vpc in schema");
        assert!(vpc.attributes["id"].computed);
        assert!(
            !vpc.attributes["cidr_block"].computed || vpc.attributes.contains_key("cidr_block")
        );
        let sg = block_schema("managed", "aws_security_group").unwrap();
        assert!(sg.attributes.contains_key("ingress"));
        let eks = block_schema("managed", "aws_eks_cluster").unwrap();
        assert!(eks.block_types["vpc_config"].attributes["cluster_security_group_id"].computed);
        assert!(block_schema("data", "aws_region").is_some());
        assert!(block_schema("managed", "aws_ecr_repository").is_none());
        let policy = block_schema("data", "aws_iam_policy_document").unwrap();
        assert!(
            policy.block_types["statement"]
                .block_types
                .contains_key("principals")
        );
    }
}
