//! Lowering evaluated CloudFormation resources into the model, with CloudFormation's defaults.
//!
//! It mirrors the Terraform lowering (`terraform::lower`), element for element, so one network gives
//! one model whichever way it is written. Where CloudFormation differs, it follows CloudFormation:
//! an `AWS::EC2::SecurityGroup` without `SecurityGroupEgress` keeps AWS's allow-all egress rule
//! (Terraform removes it); `VpcEndpointType` defaults to `Gateway` and `PrivateDnsEnabled` to false;
//! `EnableDnsSupport` defaults to true and `EnableDnsHostnames` to false. Each VPC gets its implicit
//! main route table, default security group and default network ACL; each EKS cluster (native or the
//! CDK's `Custom::AWSCDK-EKS-Cluster`) its cluster security group.
//!
//! Resources are lowered in dependency order (VPCs, subnets, gateways, security groups, ACLs, route
//! tables, endpoints, clusters, workloads) so that every link finds the element it names.

mod attrs;
mod endpoints;
mod links;
mod network;
mod security;
mod workloads;

use std::collections::{HashMap, HashSet};

use privlink_model::{Diagnostic, Known, Model};

use super::eval::Evaluator;
use super::resources::CfnResource;
use super::value::TemplateId;

/// Lowers the resources of a run into a model; diagnostics go into `Model::diagnostics`.
pub(crate) fn lower(ev: &Evaluator, resources: &[CfnResource]) -> Model {
    let regions = (0..ev.templates.len())
        .map(|t| {
            ev.region(t).map_or_else(
                || Known::unknown("no region is configured; pass --region"),
                Known::Value,
            )
        })
        .collect();
    let mut lowerer = Lowerer {
        by_logical_id: resources
            .iter()
            .map(|r| ((r.template_id, r.logical_id.as_str()), r))
            .collect(),
        resources,
        model: Model::default(),
        diagnostics: Vec::new(),
        reported: HashSet::new(),
        regions,
    };
    lowerer.run();
    let mut model = lowerer.model;
    model.diagnostics.extend(lowerer.diagnostics);
    model
}

/// State of one lowering.
pub(super) struct Lowerer<'a> {
    by_logical_id: HashMap<(TemplateId, &'a str), &'a CfnResource>,
    resources: &'a [CfnResource],
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Placeholders already reported as `unresolved-input`.
    reported: HashSet<String>,
    /// The region of each template.
    regions: Vec<Known<String>>,
}

impl<'a> Lowerer<'a> {
    fn of_types(
        &self,
        types: &'static [&'static str],
    ) -> impl Iterator<Item = &'a CfnResource> + use<'a> {
        self.resources
            .iter()
            .filter(move |r| types.contains(&r.resource_type.as_str()))
    }

    fn run(&mut self) {
        for r in self.of_types(&["AWS::EC2::VPC"]) {
            self.vpc(r);
        }
        for r in self.of_types(&["AWS::EC2::VPCCidrBlock"]) {
            self.secondary_cidr(r);
        }
        for r in self.of_types(&["AWS::EC2::Subnet"]) {
            self.subnet(r);
        }
        for r in self.of_types(&["AWS::EC2::InternetGateway"]) {
            self.internet_gateway(r);
        }
        for r in self.of_types(&["AWS::EC2::VPCGatewayAttachment"]) {
            self.gateway_attachment(r);
        }
        for r in self.of_types(&["AWS::EC2::NatGateway"]) {
            self.nat_gateway(r);
        }
        for r in self.of_types(&["AWS::EC2::SecurityGroup"]) {
            self.security_group(r);
        }
        for r in self.of_types(&["AWS::EKS::Cluster", "Custom::AWSCDK-EKS-Cluster"]) {
            self.eks_cluster(r);
        }
        for r in self.of_types(&[
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
        ]) {
            self.security_group_rule(r);
        }
        for r in self.of_types(&["AWS::EC2::NetworkAcl"]) {
            self.network_acl(r);
        }
        for r in self.of_types(&["AWS::EC2::NetworkAclEntry"]) {
            self.network_acl_entry(r);
        }
        for r in self.of_types(&["AWS::EC2::SubnetNetworkAclAssociation"]) {
            self.network_acl_association(r);
        }
        for r in self.of_types(&["AWS::EC2::RouteTable"]) {
            self.route_table(r);
        }
        for r in self.of_types(&["AWS::EC2::Route"]) {
            self.route(r);
        }
        for r in self.of_types(&["AWS::EC2::SubnetRouteTableAssociation"]) {
            self.route_table_association(r);
        }
        for r in self.of_types(&["AWS::EC2::VPCEndpoint"]) {
            self.endpoint(r);
        }
        for r in self.of_types(&["AWS::EFS::MountTarget"]) {
            self.efs_mount_target(r);
        }
        for r in self.of_types(&["AWS::ECS::Service"]) {
            self.ecs_service(r);
        }
        for r in self.of_types(&["AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile"]) {
            self.eks_compute(r);
        }
    }
}
