//! The ECS part of a region's scan: clusters (with their ECS Exec KMS key), services, and the task
//! definition each service runs, its containers written as `describe-task-definition` prints them so
//! the shared container-definition reader reads them like any other front-end's.

use std::collections::BTreeSet;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{self as ecs, ClusterField};
use privlink_ingest::snapshot::format::{EcsCluster, EcsService, RegionSnapshot, TaskDefinition};
use serde_json::{Map, Value, json};

use super::calls::Calls;

/// `DescribeClusters` takes at most 100 clusters, `DescribeServices` at most 10 services.
const CLUSTER_BATCH: usize = 100;
const SERVICE_BATCH: usize = 10;

/// Scans clusters, services and their task definitions into `out`.
pub(super) async fn scan(client: &Client, calls: &mut Calls, out: &mut RegionSnapshot) {
    calls.step("ECS");
    let Some(arns) = calls
        .run(
            "ecs:ListClusters",
            "ecs_clusters",
            client
                .list_clusters()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    else {
        return;
    };
    for batch in arns.chunks(CLUSTER_BATCH) {
        let request = client
            .describe_clusters()
            .set_clusters(Some(batch.to_vec()))
            .include(ClusterField::Configurations)
            .send();
        if let Some(described) = calls
            .run("ecs:DescribeClusters", "ecs_clusters", request)
            .await
        {
            out.ecs_clusters
                .extend(described.clusters().iter().map(|c| {
                    EcsCluster {
                        cluster_arn: c.cluster_arn().unwrap_or_default().to_owned(),
                        cluster_name: c.cluster_name().unwrap_or_default().to_owned(),
                        execute_command_kms_key_id: c
                            .configuration()
                            .and_then(|x| x.execute_command_configuration())
                            .and_then(|x| x.kms_key_id())
                            .map(str::to_owned),
                    }
                }));
        }
    }
    for cluster in &arns {
        let request = client
            .list_services()
            .cluster(cluster)
            .into_paginator()
            .items()
            .send()
            .try_collect();
        let Some(services) = calls.run("ecs:ListServices", "ecs_services", request).await else {
            continue;
        };
        for batch in services.chunks(SERVICE_BATCH) {
            let request = client
                .describe_services()
                .cluster(cluster)
                .set_services(Some(batch.to_vec()))
                .send();
            if let Some(described) = calls
                .run("ecs:DescribeServices", "ecs_services", request)
                .await
            {
                out.ecs_services
                    .extend(described.services().iter().map(service));
            }
        }
    }
    let wanted: BTreeSet<String> = out
        .ecs_services
        .iter()
        .map(|s| s.task_definition.clone())
        .filter(|t| !t.is_empty())
        .collect();
    for arn in wanted {
        let request = client
            .describe_task_definition()
            .task_definition(&arn)
            .send();
        if let Some(described) = calls
            .run("ecs:DescribeTaskDefinition", "task_definitions", request)
            .await
            && let Some(t) = described.task_definition()
        {
            out.task_definitions.push(task_definition(t));
        }
    }
}

fn service(s: &ecs::Service) -> EcsService {
    let awsvpc = s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration());
    EcsService {
        service_arn: s.service_arn().unwrap_or_default().to_owned(),
        service_name: s.service_name().unwrap_or_default().to_owned(),
        cluster_arn: s.cluster_arn().unwrap_or_default().to_owned(),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        capacity_providers: s
            .capacity_provider_strategy()
            .iter()
            .map(|c| c.capacity_provider().to_owned())
            .collect(),
        platform_version: s.platform_version().map(str::to_owned),
        task_definition: s.task_definition().unwrap_or_default().to_owned(),
        subnets: awsvpc.map(|a| a.subnets().to_vec()).unwrap_or_default(),
        security_groups: awsvpc
            .map(|a| a.security_groups().to_vec())
            .unwrap_or_default(),
        assign_public_ip: awsvpc
            .and_then(|a| a.assign_public_ip())
            .map(|p| p.as_str() == "ENABLED"),
        awsvpc: awsvpc.is_some(),
        enable_execute_command: s.enable_execute_command(),
        service_connect: s
            .deployments()
            .iter()
            .filter_map(|d| d.service_connect_configuration())
            .any(ecs::ServiceConnectConfiguration::enabled),
    }
}

fn task_definition(t: &ecs::TaskDefinition) -> TaskDefinition {
    TaskDefinition {
        task_definition_arn: t.task_definition_arn().unwrap_or_default().to_owned(),
        family: t.family().unwrap_or_default().to_owned(),
        requires_compatibilities: t
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        operating_system_family: t
            .runtime_platform()
            .and_then(|r| r.operating_system_family())
            .map(|f| f.as_str().to_owned()),
        efs_file_system_ids: t
            .volumes()
            .iter()
            .filter_map(|v| v.efs_volume_configuration())
            .map(|e| e.file_system_id().to_owned())
            .collect(),
        container_definitions: Value::Array(
            t.container_definitions().iter().map(container).collect(),
        ),
    }
}

/// The network-relevant fields of a container definition, in `describe-task-definition`'s camelCase.
fn container(c: &ecs::ContainerDefinition) -> Value {
    let secrets = |list: &[ecs::Secret]| -> Value {
        list.iter()
            .map(|s| json!({"name": s.name(), "valueFrom": s.value_from()}))
            .collect()
    };
    let mut out = Map::new();
    if let Some(name) = c.name() {
        out.insert("name".into(), json!(name));
    }
    if let Some(image) = c.image() {
        out.insert("image".into(), json!(image));
    }
    if let Some(log) = c.log_configuration() {
        let mut l = Map::new();
        l.insert("logDriver".into(), json!(log.log_driver().as_str()));
        if let Some(options) = log.options() {
            let sorted: std::collections::BTreeMap<_, _> = options.iter().collect();
            l.insert("options".into(), json!(sorted));
        }
        if !log.secret_options().is_empty() {
            l.insert("secretOptions".into(), secrets(log.secret_options()));
        }
        out.insert("logConfiguration".into(), Value::Object(l));
    }
    if !c.secrets().is_empty() {
        out.insert("secrets".into(), secrets(c.secrets()));
    }
    if let Some(credentials) = c.repository_credentials() {
        out.insert(
            "repositoryCredentials".into(),
            json!({"credentialsParameter": credentials.credentials_parameter()}),
        );
    }
    if let Some(firelens) = c.firelens_configuration() {
        out.insert(
            "firelensConfiguration".into(),
            json!({"type": firelens.r#type().as_str()}),
        );
    }
    Value::Object(out)
}
