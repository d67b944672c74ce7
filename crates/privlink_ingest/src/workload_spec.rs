//! Workloads named by the user: `--workload kind=ecs-fargate,subnets=a+b,...` and `[[workload]]`
//! tables in `privlink.toml`.
//!
//! Subnets and security groups are named by Terraform address, CloudFormation logical ID or AWS id,
//! exactly as they appear in the model.

use std::path::PathBuf;
use std::str::FromStr;

use privlink_model::{
    Feature, Image, Known, Model, Origin, Partial, Provenance, ResourceId, Workload, WorkloadKind,
};
use serde::Deserialize;

use crate::task_definition;

/// A workload as the user wrote it, before its names are resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WorkloadSpec {
    /// Name (default: `KIND-N`).
    pub name: Option<String>,
    /// Kind.
    pub kind: String,
    /// Subnets by name.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Security groups by name.
    #[serde(default, alias = "security_groups")]
    pub security_groups: Vec<String>,
    /// Features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Images.
    #[serde(default, alias = "image")]
    pub images: Vec<String>,
    /// Fargate platform version.
    #[serde(default, alias = "platform_version")]
    pub platform_version: Option<String>,
    /// Whether tasks get a public IP.
    #[serde(default, alias = "assign_public_ip")]
    pub assign_public_ip: Option<bool>,
    /// An ECS task definition JSON file (`register-task-definition` input or
    /// `describe-task-definition` output) whose containers the workload runs: its images and the
    /// features they need are added to the workload's.
    #[serde(default, alias = "task_definition")]
    pub task_definition: Option<PathBuf>,
}

impl FromStr for WorkloadSpec {
    type Err = String;

    /// Parses `key=value,key=value`; lists are joined with `+`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spec = WorkloadSpec::default();
        let list = |v: &str| {
            v.split('+')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let mut seen: Vec<&str> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not KEY=VALUE (e.g. kind=ecs-fargate,subnets=aws_subnet.a+aws_subnet.b)"))?;
            if value.trim().is_empty() {
                return Err(format!(
                    "`{part}` has no value; give {}=VALUE or leave the key out",
                    key.trim()
                ));
            }
            let canonical = canonical_key(key.trim());
            if seen.contains(&canonical) {
                return Err(format!(
                    "`{canonical}` is given twice; give it once (lists are joined with +, e.g. subnets=aws_subnet.a+aws_subnet.b)"
                ));
            }
            seen.push(canonical);
            match key.trim() {
                "name" => spec.name = Some(value.trim().to_owned()),
                "kind" => spec.kind = value.trim().to_owned(),
                "subnets" | "subnet" => spec.subnets.extend(list(value)),
                "security-groups" | "security-group" | "sgs" => {
                    spec.security_groups.extend(list(value));
                }
                "features" | "feature" => spec.features.extend(list(value)),
                "image" | "images" => spec.images.extend(list(value)),
                "platform-version" => spec.platform_version = Some(value.trim().to_owned()),
                "task-definition" => spec.task_definition = Some(PathBuf::from(value.trim())),
                "assign-public-ip" => {
                    spec.assign_public_ip = Some(value.trim().parse().map_err(|_| {
                        format!("assign-public-ip takes true or false, not `{value}`")
                    })?);
                }
                other => {
                    return Err(format!(
                        "unknown key `{other}` in --workload; keys: name, kind, subnets, security-groups, features, image, platform-version, assign-public-ip, task-definition"
                    ));
                }
            }
        }
        if spec.kind.is_empty() {
            return Err(
                "--workload needs kind=ecs-fargate|ecs-ec2|eks-node|eks-fargate".to_owned(),
            );
        }
        Ok(spec)
    }
}

/// The one name of a key that has aliases (`subnet` is `subnets`).
fn canonical_key(key: &str) -> &str {
    match key {
        "subnet" => "subnets",
        "security-group" | "sgs" => "security-groups",
        "feature" => "features",
        "images" => "image",
        other => other,
    }
}

impl WorkloadSpec {
    /// Resolves the names against the model. `index` numbers unnamed workloads.
    pub fn resolve(&self, model: &Model, index: usize, source: &str) -> Result<Workload, String> {
        let kind: WorkloadKind = self.kind.parse()?;
        let features = self
            .features
            .iter()
            .map(|f| f.parse::<Feature>())
            .collect::<Result<Vec<_>, _>>()?;
        let subnets = self
            .subnets
            .iter()
            .map(|s| find(model.subnets.keys(), s, "subnet"))
            .collect::<Result<Vec<_>, _>>()?;
        let security_groups = self
            .security_groups
            .iter()
            .map(|s| find(model.security_groups.keys(), s, "security group"))
            .collect::<Result<Vec<_>, _>>()?;
        if subnets.is_empty() {
            return Err(format!(
                "workload {} names no subnets (subnets=NAME+NAME)",
                self.name.as_deref().unwrap_or(&self.kind)
            ));
        }
        let is_task = matches!(kind, WorkloadKind::EcsFargate | WorkloadKind::EksFargate);
        let mut features = features;
        let mut images: Vec<Image> = self
            .images
            .iter()
            .map(|i| Image {
                reference: Known::Value(i.clone()),
                container: None,
                location: None,
            })
            .collect();
        let mut windows = false;
        if let Some(path) = &self.task_definition {
            let facts = task_definition::read_path(path)
                .map_err(|e| e.to_string())?
                .facts();
            for feature in facts.features {
                if !features.contains(&feature) {
                    features.push(feature);
                }
            }
            images.extend(facts.images);
            windows = facts.windows;
        }
        Ok(Workload {
            name: self
                .name
                .clone()
                .unwrap_or_else(|| format!("{kind}-{}", index + 1)),
            kind,
            platform_version: self.platform_version.clone(),
            windows,
            subnets: Partial::complete(subnets),
            security_groups: Partial::complete(security_groups),
            assign_public_ip: if is_task {
                Some(Known::Value(self.assign_public_ip.unwrap_or(false)))
            } else {
                None
            },
            features,
            images,
            efs_file_systems: Vec::new(),
            cluster: None,
            assumed: false,
            provenance: Provenance {
                address: source.to_owned(),
                location: None,
                origin: Origin::Declared,
            },
        })
    }
}

fn find<'a>(
    ids: impl Iterator<Item = &'a ResourceId>,
    name: &str,
    what: &str,
) -> Result<ResourceId, String> {
    let ids: Vec<&ResourceId> = ids.collect();
    if let Some(id) = ids.iter().find(|id| id.as_str() == name) {
        return Ok((*id).clone());
    }
    let close: Vec<&str> = ids
        .iter()
        .map(|id| id.as_str())
        .filter(|id| id.ends_with(name) || id.contains(name.rsplit('.').next().unwrap_or(name)))
        .take(5)
        .collect();
    let hint = if close.is_empty() {
        let some: Vec<&str> = ids.iter().map(|id| id.as_str()).take(8).collect();
        if some.is_empty() {
            format!("the inputs define no {what}s")
        } else {
            format!("{what}s in the inputs: {}", some.join(", "))
        }
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    Err(format!("no {what} named `{name}` in the inputs; {hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_md_example() {
        let spec: WorkloadSpec = "kind=ecs-fargate,subnets=aws_subnet.a+aws_subnet.b,security-groups=aws_security_group.app,features=awslogs+secretsmanager,image=1.dkr.ecr.ap-northeast-1.amazonaws.com/app:1,platform-version=1.4.0,name=app".parse().unwrap();
        assert_eq!(spec.kind, "ecs-fargate");
        assert_eq!(spec.subnets, ["aws_subnet.a", "aws_subnet.b"]);
        assert_eq!(spec.security_groups, ["aws_security_group.app"]);
        assert_eq!(spec.features, ["awslogs", "secretsmanager"]);
        assert_eq!(spec.platform_version.as_deref(), Some("1.4.0"));
        assert_eq!(spec.name.as_deref(), Some("app"));
    }

    #[test]
    fn keys_given_twice_and_empty_values_are_refused() {
        let twice = "kind=ecs-fargate,subnet=a,subnets=b"
            .parse::<WorkloadSpec>()
            .unwrap_err();
        assert!(twice.contains("`subnets` is given twice"), "{twice}");
        let empty = "kind=ecs-fargate,subnets="
            .parse::<WorkloadSpec>()
            .unwrap_err();
        assert!(empty.contains("`subnets=` has no value"), "{empty}");
    }

    #[test]
    fn task_definition_files_add_images_and_features() {
        let dir = std::env::temp_dir().join(format!("privlink-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("taskdef.json");
        std::fs::write(
            &path,
            r#"{"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx:1.27",
                "logConfiguration": {"logDriver": "awslogs"},
                "secrets": [{"name": "P", "valueFrom": "/app/p"}]}]}"#,
        )
        .unwrap();
        let mut model = Model::default();
        let subnet = ResourceId::new("aws_subnet.a");
        model.subnets.insert(
            subnet.clone(),
            privlink_model::Subnet {
                id: subnet,
                provenance: Provenance::declared("aws_subnet.a", None),
                vpc: Known::unknown("x"),
                cidr: Known::unknown("x"),
                availability_zone: Known::unknown("x"),
                map_public_ip_on_launch: Known::Value(false),
            },
        );
        let spec: WorkloadSpec = format!(
            "kind=ecs-fargate,subnets=aws_subnet.a,features=awslogs,task-definition={}",
            path.display()
        )
        .parse()
        .unwrap();
        let w = spec.resolve(&model, 0, "--workload").unwrap();
        assert_eq!(w.features, vec![Feature::Awslogs, Feature::Ssm]);
        assert_eq!(w.images[0].reference, Known::Value("nginx:1.27".to_owned()));
        let missing: WorkloadSpec =
            "kind=ecs-fargate,subnets=aws_subnet.a,task-definition=does/not/exist.json"
                .parse()
                .unwrap();
        assert!(
            missing
                .resolve(&model, 0, "--workload")
                .unwrap_err()
                .contains("does/not/exist.json")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(
            "subnets=a"
                .parse::<WorkloadSpec>()
                .unwrap_err()
                .contains("kind=")
        );
        assert!(
            "kind=ecs-fargate,colour=red"
                .parse::<WorkloadSpec>()
                .unwrap_err()
                .contains("unknown key")
        );
        assert!(
            "kind=ecs-fargate,subnets"
                .parse::<WorkloadSpec>()
                .unwrap_err()
                .contains("KEY=VALUE")
        );
    }

    #[test]
    fn resolution_names_what_is_missing() {
        let spec: WorkloadSpec = "kind=ecs-fargate,subnets=aws_subnet.x".parse().unwrap();
        let err = spec
            .resolve(&Model::default(), 0, "--workload")
            .unwrap_err();
        assert!(err.contains("no subnet named `aws_subnet.x`"), "{err}");
        let bad_kind: WorkloadSpec = "kind=lambda,subnets=a".parse().unwrap();
        assert!(
            bad_kind
                .resolve(&Model::default(), 0, "x")
                .unwrap_err()
                .contains("unknown workload kind")
        );
    }
}
