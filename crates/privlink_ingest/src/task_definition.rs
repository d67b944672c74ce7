//! ECS task definitions kept as JSON files: the input of `aws ecs register-task-definition
//! --cli-input-json` (`family`, `containerDefinitions`, ... at the top level) and the output of
//! `aws ecs describe-task-definition` (the same under `taskDefinition`).
//!
//! A file gives a workload its images and the features that need AWS services (log driver,
//! secrets, EFS, ...; read by [`crate::ecs`] like every other front-end's container definitions).
//! It is attached to the ECS services whose task definition the inputs do not define, by family
//! (`task_definition = "app:3"` or an ARN), or named in a workload spec (`task-definition=PATH`).
//! For Terraform it becomes an `aws_ecs_task_definition` instance, so lowering reads it exactly
//! like one written in HCL.

use std::collections::BTreeMap;
use std::path::Path;

use privlink_model::{Feature, Known, Location};
use serde_json::Value as Json;

use crate::InputError;
use crate::ecs::{TaskFacts, get, read_container_definitions};
use crate::terraform::resource::{ResourceMode, TfResource};
use crate::terraform::value::Value;

/// One task definition file.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskDefinitionFile {
    /// The path as the user gave it (or as found beside the inputs).
    pub path: String,
    /// The family, when the file names one.
    pub family: Option<String>,
    /// Where the container definitions are written.
    pub location: Location,
    /// The task definition object itself (below `taskDefinition` for describe output).
    document: Json,
}

impl TaskDefinitionFile {
    /// What the containers need: images, log driver, secrets, EFS volumes, Windows.
    pub fn facts(&self) -> TaskFacts {
        let containers = get(&self.document, "containerDefinitions")
            .cloned()
            .unwrap_or(Json::Null);
        let mut facts = read_container_definitions(&containers, Some(&self.location));
        facts.windows = self.windows();
        if !self.efs_file_systems().is_empty() {
            facts.features.insert(Feature::Efs);
        }
        facts
    }

    fn operating_system_family(&self) -> Option<&str> {
        get(&self.document, "runtimePlatform")
            .and_then(|p| get(p, "operatingSystemFamily"))
            .and_then(Json::as_str)
    }

    fn windows(&self) -> bool {
        self.operating_system_family()
            .is_some_and(|f| f.starts_with("WINDOWS"))
    }

    /// The EFS file system ids its volumes mount.
    pub fn efs_file_systems(&self) -> Vec<String> {
        get(&self.document, "volumes")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| {
                get(get(v, "efsVolumeConfiguration")?, "fileSystemId")?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect()
    }

    /// The task definition as an `aws_ecs_task_definition` instance for Terraform lowering, named
    /// `PATH#task-definition` so it never collides with a Terraform address.
    pub(crate) fn as_terraform(&self) -> TfResource {
        let mut attributes = BTreeMap::new();
        if let Some(family) = &self.family {
            attributes.insert("family".to_owned(), Value::string(family));
        }
        if let Some(containers) = get(&self.document, "containerDefinitions") {
            attributes.insert(
                "container_definitions".to_owned(),
                Value::String(containers.to_string()),
            );
        }
        if let Some(compat) = get(&self.document, "requiresCompatibilities") {
            attributes.insert(
                "requires_compatibilities".to_owned(),
                Value::from_json(compat),
            );
        }
        if let Some(family) = self.operating_system_family() {
            let platform = Value::Map(BTreeMap::from([(
                "operating_system_family".to_owned(),
                Value::string(family),
            )]));
            attributes.insert("runtime_platform".to_owned(), Value::List(vec![platform]));
        }
        let volumes: Vec<Value> = self
            .efs_file_systems()
            .into_iter()
            .map(|fs| {
                let config = Value::Map(BTreeMap::from([(
                    "file_system_id".to_owned(),
                    Value::String(fs),
                )]));
                Value::Map(BTreeMap::from([(
                    "efs_volume_configuration".to_owned(),
                    Value::List(vec![config]),
                )]))
            })
            .collect();
        if !volumes.is_empty() {
            attributes.insert("volume".to_owned(), Value::List(volumes));
        }
        TfResource {
            address: format!("{}#task-definition", self.path),
            mode: ResourceMode::Managed,
            resource_type: "aws_ecs_task_definition".to_owned(),
            name: self.family.clone().unwrap_or_default(),
            module: String::new(),
            key: None,
            attributes,
            location: Some(self.location.clone()),
            attribute_locations: BTreeMap::from([(
                "container_definitions".to_owned(),
                self.location.clone(),
            )]),
            region: Known::unknown("a task definition file does not say its region"),
        }
    }
}

/// Reads a task definition from JSON text. `display` is the path shown in messages.
pub fn read(text: &str, display: &str) -> Result<TaskDefinitionFile, InputError> {
    let json: Json = serde_json::from_str(text)
        .map_err(|e| InputError::json(display, &e, "an ECS task definition"))?;
    let document = match get(&json, "taskDefinition") {
        Some(inner) if get(inner, "containerDefinitions").is_some() => inner.clone(),
        _ => json,
    };
    let Some(containers) = get(&document, "containerDefinitions") else {
        return Err(InputError::file(
            display,
            "not an ECS task definition: it has no containerDefinitions",
        )
        .with_help(
            "privlink reads `register-task-definition` input and `describe-task-definition` output",
        ));
    };
    if !containers.is_array() {
        return Err(InputError::at(
            &position_of(text, display, "containerDefinitions"),
            "containerDefinitions is not a list of containers",
        ));
    }
    if let Some((i, other)) = containers
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, c)| !c.is_object())
    {
        let kind = match other {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            _ => "a list",
        };
        return Err(InputError::at(
            &position_of(text, display, "containerDefinitions"),
            format!("containerDefinitions[{i}] is {kind}, not a container definition (an object)"),
        )
        .with_help("each element of containerDefinitions is an object with name, image, ..."));
    }
    let family = get(&document, "family")
        .and_then(Json::as_str)
        .map(str::to_owned);
    Ok(TaskDefinitionFile {
        path: display.to_owned(),
        family,
        location: position_of(text, display, "containerDefinitions"),
        document,
    })
}

/// Reads a task definition file from disk.
pub fn read_path(path: &Path) -> Result<TaskDefinitionFile, InputError> {
    let display = path.to_string_lossy();
    let display = display.strip_prefix("./").unwrap_or(&display);
    let text = crate::read::read_text(path)
        .map_err(|e| e.into_input_error(display, "cannot read the task definition"))?;
    read(&text, display)
}

/// Where `"key"` is first written (case-insensitively), for locations; the file start otherwise.
fn position_of(text: &str, display: &str, key: &str) -> Location {
    let needle = format!("\"{}\"", key.to_ascii_lowercase());
    let lower = text.to_ascii_lowercase();
    let Some(offset) = lower.find(&needle) else {
        return Location::new(display, 1, 1);
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location::new(
        display,
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// The family a service's task definition names: `app`, `app:3`, or
/// `arn:aws:ecs:REGION:ACCOUNT:task-definition/app:3`.
pub(crate) fn family_of(task_definition: &str) -> &str {
    let last = task_definition
        .rsplit('/')
        .next()
        .unwrap_or(task_definition);
    last.split(':').next().unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: &str = r#"{
  "family": "app",
  "requiresCompatibilities": ["FARGATE"],
  "containerDefinitions": [
    {
      "name": "app",
      "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1",
      "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app"}},
      "secrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"}]
    }
  ],
  "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-0123"}}]
}"#;

    #[test]
    fn reads_register_input() {
        let file = read(REGISTER, "taskdef.json").unwrap();
        assert_eq!(file.family.as_deref(), Some("app"));
        assert_eq!(file.location, Location::new("taskdef.json", 4, 3));
        let facts = file.facts();
        assert!(facts.features.contains(&Feature::Awslogs));
        assert!(facts.features.contains(&Feature::SecretsManager));
        assert!(facts.features.contains(&Feature::Efs));
        assert_eq!(
            facts.images[0].location,
            Some(Location::new("taskdef.json", 4, 3))
        );
        let tf = file.as_terraform();
        assert_eq!(tf.get("family"), Some(&Value::string("app")));
        assert!(
            tf.get("container_definitions")
                .and_then(Value::as_str)
                .is_some_and(|c| c.contains("awslogs"))
        );
        assert_eq!(
            tf.get("volume.0.efs_volume_configuration.0.file_system_id"),
            Some(&Value::string("fs-0123"))
        );
    }

    #[test]
    fn reads_describe_output() {
        let describe = format!(r#"{{"taskDefinition": {}, "tags": []}}"#, REGISTER);
        let file = read(&describe, "describe.json").unwrap();
        assert_eq!(file.family.as_deref(), Some("app"));
        assert_eq!(file.facts().images.len(), 1);
    }

    #[test]
    fn rejects_what_is_not_a_task_definition() {
        assert!(
            read(r#"{"family": "x"}"#, "x.json")
                .unwrap_err()
                .message
                .contains("no containerDefinitions")
        );
        assert!(
            read(r#"{"containerDefinitions": 3}"#, "x.json")
                .unwrap_err()
                .message
                .contains("not a list")
        );
        let element = read(
            r#"{"containerDefinitions": [{"name": "a"}, "b"]}"#,
            "x.json",
        )
        .unwrap_err()
        .message;
        assert!(
            element.contains("containerDefinitions[1] is a string, not a container definition"),
            "{element}"
        );
        let truncated = read(r#"{"containerDefinitions": ["#, "x.json").unwrap_err();
        assert_eq!(truncated.position, Some((1, 26)));
        assert!(
            truncated.message.contains("ends early"),
            "{}",
            truncated.message
        );
        assert!(
            read_path(Path::new("does/not/exist.json"))
                .unwrap_err()
                .message
                .contains("cannot read")
        );
    }

    #[test]
    fn families() {
        assert_eq!(family_of("app"), "app");
        assert_eq!(family_of("app:3"), "app");
        assert_eq!(
            family_of("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/app:3"),
            "app"
        );
    }
}
