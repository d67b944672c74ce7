//! `data "aws_iam_policy_document"`: the `json` the AWS provider renders from `statement` blocks.
//!
//! Like the provider: `Version` 2012-10-17, `Effect` defaults to `Allow`, a list of one element is
//! written as a string and longer lists in reverse lexical order, `principals` blocks of one type
//! merge, `type = "*"` with identifiers `["*"]` is `"*"`, conditions nest test → variable → values,
//! and the document is indented with two spaces. `source_policy_documents` statements come first
//! and `override_policy_documents` replace statements with the same `Sid` (a simplification of the
//! provider's merge).

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};

use super::values::{derived, first_unknown};
use crate::terraform::value::Value;

/// The rendered policy, or an unknown when any part of the configuration is unknown.
pub(crate) fn policy_json(configured: &BTreeMap<String, Value>) -> Value {
    if let Some(u) = configured.values().find_map(first_unknown) {
        return derived(u);
    }
    let mut statements: Vec<Json> = Vec::new();
    for doc in documents(configured.get("source_policy_documents")) {
        statements.extend(doc);
    }
    if let Some(Value::List(blocks)) = configured.get("statement") {
        statements.extend(blocks.iter().filter_map(Value::as_map).map(statement));
    }
    for doc in documents(configured.get("override_policy_documents")) {
        for over in doc {
            let sid = over.get("Sid").cloned();
            match statements
                .iter_mut()
                .find(|s| sid.is_some() && s.get("Sid") == sid.as_ref())
            {
                Some(existing) => *existing = over,
                None => statements.push(over),
            }
        }
    }
    let mut doc = Map::new();
    doc.insert(
        "Version".into(),
        json!(
            configured
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or("2012-10-17")
        ),
    );
    if let Some(id) = configured.get("policy_id").and_then(Value::as_str) {
        doc.insert("Id".into(), json!(id));
    }
    doc.insert("Statement".into(), Json::Array(statements));
    Value::String(serde_json::to_string_pretty(&Json::Object(doc)).unwrap_or_default())
}

fn documents(value: Option<&Value>) -> Vec<Vec<Json>> {
    value
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|text| serde_json::from_str::<Json>(text).ok())
        .map(|doc| match doc.get("Statement") {
            Some(Json::Array(items)) => items.clone(),
            Some(single @ Json::Object(_)) => vec![single.clone()],
            _ => Vec::new(),
        })
        .collect()
}

fn statement(block: &BTreeMap<String, Value>) -> Json {
    let mut out = Map::new();
    if let Some(sid) = block
        .get("sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        out.insert("Sid".into(), json!(sid));
    }
    out.insert(
        "Effect".into(),
        json!(
            block
                .get("effect")
                .and_then(Value::as_str)
                .unwrap_or("Allow")
        ),
    );
    for (key, name) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(list) = string_list(block.get(key)) {
            out.insert(name.into(), list);
        }
    }
    for (key, name) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(principals) = principals(block.get(key)) {
            out.insert(name.into(), principals);
        }
    }
    if let Some(Value::List(conditions)) = block.get("condition") {
        let mut by_test: Map<String, Json> = Map::new();
        for condition in conditions.iter().filter_map(Value::as_map) {
            let test = condition
                .get("test")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let variable = condition
                .get("variable")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let values = string_list(condition.get("values")).unwrap_or(Json::Null);
            if let Json::Object(vars) = by_test
                .entry(test.to_owned())
                .or_insert_with(|| Json::Object(Map::new()))
            {
                vars.insert(variable.to_owned(), values);
            }
        }
        if !by_test.is_empty() {
            out.insert("Condition".into(), Json::Object(by_test));
        }
    }
    Json::Object(out)
}

/// A list of strings as the provider writes it: one element as a string, more in reverse order.
fn string_list(value: Option<&Value>) -> Option<Json> {
    let mut items: Vec<String> = value?
        .as_list()?
        .iter()
        .filter_map(|v| super::values::to_string(v).ok())
        .collect();
    match items.len() {
        0 => None,
        1 => Some(json!(items[0])),
        _ => {
            items.sort_by(|a, b| b.cmp(a));
            Some(json!(items))
        }
    }
}

fn principals(value: Option<&Value>) -> Option<Json> {
    let blocks = value?.as_list()?;
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for block in blocks.iter().filter_map(Value::as_map) {
        let kind = block
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        by_type.entry(kind).or_default().extend(
            block
                .get("identifiers")
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
    }
    if by_type.is_empty() {
        return None;
    }
    if by_type.len() == 1
        && let Some(ids) = by_type.get("*")
        && ids.iter().all(|i| i.as_str() == Some("*"))
    {
        return Some(json!("*"));
    }
    Some(Json::Object(
        by_type
            .into_iter()
            .map(|(k, ids)| {
                (
                    k,
                    string_list(Some(&Value::List(ids))).unwrap_or(Json::Null),
                )
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::config::functions::test_support::v;

    #[test]
    fn renders_like_the_provider() {
        let configured: BTreeMap<String, Value> = [(
            "statement".to_owned(),
            v(r#"[{
                sid = "AllowPull",
                actions = ["s3:GetObject"],
                resources = ["arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*", "arn:aws:s3:::a/*"],
                principals = [{type = "*", identifiers = ["*"]}],
                condition = [{test = "StringEquals", variable = "aws:SourceVpc", values = ["vpc-1"]}]
            }]"#),
        )]
        .into();
        let Value::String(text) = policy_json(&configured) else {
            panic!("json should be known")
        };
        let parsed: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AllowPull",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": ["arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*", "arn:aws:s3:::a/*"],
                    "Principal": "*",
                    "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}
                }]
            })
        );
        assert!(text.starts_with("{\n  \"Version\": \"2012-10-17\""));
    }

    #[test]
    fn unknown_parts_make_the_document_unknown() {
        let configured: BTreeMap<String, Value> = [(
            "statement".to_owned(),
            Value::List(vec![Value::Map(
                [("resources".to_owned(), Value::unknown("x"))].into(),
            )]),
        )]
        .into();
        assert!(policy_json(&configured).as_unknown().is_some());
    }
}
