//! The EKS part of a region's scan: clusters with their `ResourcesVpcConfig`, managed node groups
//! (with the security groups of their launch template, read through EC2), and Fargate profiles.

use privlink_ingest::snapshot::format::{
    EksCluster, EksFargateProfile, EksNodegroup, EksVpcConfig, RegionSnapshot,
};

use super::calls::Calls;

/// Scans clusters, node groups and Fargate profiles into `out`.
pub(super) async fn scan(
    client: &aws_sdk_eks::Client,
    ec2: &aws_sdk_ec2::Client,
    calls: &mut Calls,
    out: &mut RegionSnapshot,
) {
    calls.step("EKS");
    let Some(names) = calls
        .run(
            "eks:ListClusters",
            "eks_clusters",
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
    for name in &names {
        let Some(described) = calls
            .run(
                "eks:DescribeCluster",
                "eks_clusters",
                client.describe_cluster().name(name).send(),
            )
            .await
        else {
            continue;
        };
        let Some(c) = described.cluster() else {
            continue;
        };
        let config = c.resources_vpc_config();
        out.eks_clusters.push(EksCluster {
            arn: c.arn().unwrap_or_default().to_owned(),
            name: name.clone(),
            resources_vpc_config: EksVpcConfig {
                subnet_ids: config.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
                security_group_ids: config
                    .map(|v| v.security_group_ids().to_vec())
                    .unwrap_or_default(),
                cluster_security_group_id: config
                    .and_then(|v| v.cluster_security_group_id())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
                vpc_id: config.and_then(|v| v.vpc_id()).map(str::to_owned),
                endpoint_private_access: config
                    .is_some_and(aws_sdk_eks::types::VpcConfigResponse::endpoint_private_access),
                endpoint_public_access: config
                    .is_some_and(aws_sdk_eks::types::VpcConfigResponse::endpoint_public_access),
            },
        });
        let request = client
            .list_nodegroups()
            .cluster_name(name)
            .into_paginator()
            .items()
            .send()
            .try_collect();
        for group in calls
            .run("eks:ListNodegroups", "eks_nodegroups", request)
            .await
            .unwrap_or_default()
        {
            let request = client
                .describe_nodegroup()
                .cluster_name(name)
                .nodegroup_name(&group)
                .send();
            let Some(described) = calls
                .run("eks:DescribeNodegroup", "eks_nodegroups", request)
                .await
            else {
                continue;
            };
            let Some(n) = described.nodegroup() else {
                continue;
            };
            let template = n.launch_template().and_then(|t| t.id()).map(str::to_owned);
            let template_groups = match &template {
                Some(id) => {
                    let version = n.launch_template().and_then(|t| t.version());
                    super::ec2::launch_template_groups(ec2, calls, id, version).await
                }
                None => None,
            };
            out.eks_nodegroups.push(EksNodegroup {
                nodegroup_arn: n.nodegroup_arn().unwrap_or_default().to_owned(),
                nodegroup_name: group.clone(),
                cluster_name: name.clone(),
                subnets: n.subnets().to_vec(),
                ami_type: n.ami_type().map(|t| t.as_str().to_owned()),
                launch_template_id: template,
                launch_template_security_group_ids: template_groups,
            });
        }
        let request = client
            .list_fargate_profiles()
            .cluster_name(name)
            .into_paginator()
            .items()
            .send()
            .try_collect();
        for profile in calls
            .run("eks:ListFargateProfiles", "eks_fargate_profiles", request)
            .await
            .unwrap_or_default()
        {
            let request = client
                .describe_fargate_profile()
                .cluster_name(name)
                .fargate_profile_name(&profile)
                .send();
            let Some(described) = calls
                .run(
                    "eks:DescribeFargateProfile",
                    "eks_fargate_profiles",
                    request,
                )
                .await
            else {
                continue;
            };
            let Some(p) = described.fargate_profile() else {
                continue;
            };
            out.eks_fargate_profiles.push(EksFargateProfile {
                fargate_profile_arn: p.fargate_profile_arn().unwrap_or_default().to_owned(),
                fargate_profile_name: profile.clone(),
                cluster_name: name.clone(),
                subnets: p.subnets().to_vec(),
            });
        }
    }
}
