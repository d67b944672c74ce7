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
mod instances;
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
        current: 0,
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
    /// The template of the resource being lowered (placeholders get its region).
    current: TemplateId,
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
        self.each(&["AWS::EC2::VPC"], Self::vpc);
        self.each(&["AWS::EC2::VPCCidrBlock"], Self::secondary_cidr);
        self.each(&["AWS::EC2::Subnet"], Self::subnet);
        self.each(&["AWS::EC2::InternetGateway"], Self::internet_gateway);
        self.each(
            &["AWS::EC2::VPCGatewayAttachment"],
            Self::gateway_attachment,
        );
        self.each(&["AWS::EC2::NatGateway"], Self::nat_gateway);
        self.each(&["AWS::EC2::SecurityGroup"], Self::security_group);
        self.each(
            &["AWS::EKS::Cluster", "Custom::AWSCDK-EKS-Cluster"],
            Self::eks_cluster,
        );
        self.each(
            &[
                "AWS::EC2::SecurityGroupIngress",
                "AWS::EC2::SecurityGroupEgress",
            ],
            Self::security_group_rule,
        );
        self.each(&["AWS::EC2::NetworkAcl"], Self::network_acl);
        self.each(&["AWS::EC2::NetworkAclEntry"], Self::network_acl_entry);
        self.each(
            &["AWS::EC2::SubnetNetworkAclAssociation"],
            Self::network_acl_association,
        );
        self.each(&["AWS::EC2::RouteTable"], Self::route_table);
        self.each(&["AWS::EC2::Route"], Self::route);
        self.each(
            &["AWS::EC2::SubnetRouteTableAssociation"],
            Self::route_table_association,
        );
        self.each(&["AWS::EC2::VPCEndpoint"], Self::endpoint);
        self.each(&["AWS::EFS::MountTarget"], Self::efs_mount_target);
        self.each(&["AWS::ECS::Service"], Self::ecs_service);
        self.each(
            &["AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile"],
            Self::eks_compute,
        );
    }

    /// Lowers every resource of the given types with `lower`, in template order.
    fn each(&mut self, types: &'static [&'static str], lower: fn(&mut Self, &'a CfnResource)) {
        for r in self.of_types(types) {
            self.current = r.template_id;
            lower(self, r);
        }
    }
}
