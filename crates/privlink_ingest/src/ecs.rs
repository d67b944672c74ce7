//! What an ECS task definition says about the network: its images and the features that need AWS
//! services of their own (log driver, secrets, private registry credentials, FireLens, X-Ray, EFS).
//!
//! Shared by every front-end: Terraform (`container_definitions` JSON), CloudFormation
//! (`ContainerDefinitions`, PascalCase keys) and task-definition JSON files (camelCase). Keys are
//! matched case-insensitively. A value not known before apply is written `${...}` by the front-end
//! (Terraform interpolation syntax, whatever the source): an image that is such a value is unknown,
//! a secret whose ARN is `${aws_ssm_parameter.x.arn}` is still known to come from SSM.

use std::collections::BTreeSet;

use privlink_model::{Feature, Image, Known, Location};
use serde_json::Value as Json;

/// The network-relevant facts of a task definition.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskFacts {
    /// One per container.
    pub images: Vec<Image>,
    /// Features found.
    pub features: BTreeSet<Feature>,
    /// Whether the task runs Windows containers.
    pub windows: bool,
}

/// A field of a JSON object, matched case-insensitively (camelCase and PascalCase).
pub fn get<'a>(object: &'a Json, key: &str) -> Option<&'a Json> {
    let map = object.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn get_str<'a>(object: &'a Json, key: &str) -> Option<&'a str> {
    get(object, key)?.as_str()
}

fn list<'a>(object: &'a Json, key: &str) -> impl Iterator<Item = &'a Json> {
    get(object, key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
}

/// Whether a string stands for a value known only after apply.
pub fn is_deferred(text: &str) -> bool {
    text.contains("${")
}

/// Reads container definitions (a JSON array of containers).
pub fn read_container_definitions(containers: &Json, location: Option<&Location>) -> TaskFacts {
    let mut facts = TaskFacts::default();
    for container in containers.as_array().into_iter().flatten() {
        let name = get_str(container, "name").map(str::to_owned);
        let reference = match get(container, "image") {
            Some(Json::String(s)) if !is_deferred(s) => Known::Value(s.clone()),
            Some(Json::String(s)) => {
                Known::unknown(format!("the image {s} is known only after apply"))
            }
            _ => Known::unknown("the container's image is known only after apply"),
        };
        if reference
            .value()
            .is_some_and(|i| i.contains("xray-daemon") || i.contains("aws-xray"))
        {
            facts.features.insert(Feature::Xray);
        }
        facts.images.push(Image {
            reference,
            container: name,
            location: location.cloned(),
        });
        if let Some(log) = get(container, "logConfiguration") {
            match get_str(log, "logDriver") {
                Some("awslogs") => {
                    facts.features.insert(Feature::Awslogs);
                }
                Some("awsfirelens") => {
                    facts.features.insert(Feature::Firelens);
                    if let Some(output) = get(log, "options").and_then(|o| get_str(o, "Name")) {
                        facts.features.extend(firelens_output_service(output));
                    }
                }
                _ => {}
            }
            for secret in list(log, "secretOptions") {
                facts
                    .features
                    .extend(get_str(secret, "valueFrom").map(secret_source));
            }
        }
        if get(container, "firelensConfiguration").is_some_and(|f| !f.is_null()) {
            facts.features.insert(Feature::Firelens);
        }
        for secret in list(container, "secrets") {
            facts
                .features
                .extend(get_str(secret, "valueFrom").map(secret_source));
        }
        if get(container, "repositoryCredentials")
            .and_then(|c| get(c, "credentialsParameter"))
            .is_some()
        {
            facts.features.insert(Feature::PrivateRegistryAuth);
        }
    }
    facts
}

/// Which service a secret's `valueFrom` is read from: a Secrets Manager ARN, or else SSM Parameter
/// Store (an `arn:aws:ssm:` ARN or a bare parameter name).
fn secret_source(value_from: &str) -> Feature {
    let is_secrets_manager = value_from.contains(":secretsmanager:")
        || value_from.contains("aws_secretsmanager_secret")
        || value_from.contains("AWS::SecretsManager");
    if is_secrets_manager {
        Feature::SecretsManager
    } else {
        Feature::Ssm
    }
}

/// The AWS service a FireLens (Fluent Bit) output plugin sends to.
fn firelens_output_service(output: &str) -> Option<Feature> {
    let service = match output {
        "cloudwatch" | "cloudwatch_logs" => "logs",
        "firehose" | "kinesis_firehose" => "firehose",
        "kinesis" | "kinesis_streams" => "kinesis-streams",
        "es" | "opensearch" => "es",
        _ => return None,
    };
    Some(Feature::Service(service.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_features_from_camel_and_pascal_case() {
        let camel = json!([{
            "name": "app",
            "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1",
            "logConfiguration": {"logDriver": "awslogs"},
            "secrets": [
                {"name": "DB", "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"},
                {"name": "KEY", "valueFrom": "/app/key"}
            ],
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:...:secret:hub"}
        }]);
        let facts = read_container_definitions(&camel, None);
        assert_eq!(
            facts.features.into_iter().collect::<Vec<_>>(),
            vec![
                Feature::Awslogs,
                Feature::SecretsManager,
                Feature::Ssm,
                Feature::PrivateRegistryAuth
            ]
        );
        let pascal = json!([{"Name": "app", "Image": "nginx:1.27", "LogConfiguration": {"LogDriver": "awslogs"}}]);
        let facts = read_container_definitions(&pascal, None);
        assert_eq!(
            facts.images[0].reference,
            Known::Value("nginx:1.27".to_owned())
        );
        assert!(facts.features.contains(&Feature::Awslogs));
    }

    #[test]
    fn deferred_values_stay_unknown_but_keep_their_source() {
        let defs = json!([{
            "name": "app",
            "image": "${aws_ecr_repository.app.repository_url}",
            "secrets": [{"name": "P", "valueFrom": "${aws_ssm_parameter.p.arn}"},
                        {"name": "S", "valueFrom": "${aws_secretsmanager_secret.s.arn}"}]
        }]);
        let facts = read_container_definitions(&defs, None);
        assert!(!facts.images[0].reference.is_known());
        assert!(facts.features.contains(&Feature::Ssm));
        assert!(facts.features.contains(&Feature::SecretsManager));
    }

    #[test]
    fn firelens_outputs_need_their_service() {
        let defs = json!([
            {"name": "log_router", "image": "906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable",
             "firelensConfiguration": {"type": "fluentbit"}},
            {"name": "app", "image": "app", "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "kinesis_firehose"}}}
        ]);
        let facts = read_container_definitions(&defs, None);
        assert!(facts.features.contains(&Feature::Firelens));
        assert!(
            facts
                .features
                .contains(&Feature::Service("firehose".into()))
        );
    }
}
