//! Lowering of Terraform resource instances into the model.
//!
//! Shared by every Terraform source (HCL, `.tf.json`, plan JSON, state JSON), so one network gives
//! one model however Terraform describes it. Lowering applies what the provider and AWS do implicitly:
//! attribute defaults (`enable_dns_hostnames = false`, `vpc_endpoint_type = "Gateway"`,
//! `private_dns_enabled = false`), the main route table, default security group and default network
//! ACL each VPC gets, the removal of the default allow-all egress rule from every
//! `aws_security_group` Terraform creates, and the cluster security group of an EKS cluster.
//!
//! Resources are lowered in dependency order (VPCs, then what replaces their implicit companions,
//! then subnets, gateways, security groups, ACLs, route tables, endpoints, clusters, workloads), so a
//! reference to an implicit companion (`aws_vpc.main.default_security_group_id`) finds the element
//! that really plays that role.

mod attrs;
mod endpoints;
mod links;
mod network;
mod private_dns;
mod security;
mod transit;
mod workloads;

use std::collections::{HashMap, HashSet};

use privlink_model::{Diagnostic, Known, Model};

use super::resource::{ResourceMode, TfResource};

/// Lowers resource instances into a model; diagnostics go into `Model::diagnostics`.
/// `default_region` is used for elements created without a resource of their own.
pub fn lower(resources: &[TfResource], default_region: Known<String>) -> Model {
    let mut lowerer = Lowerer::new(resources, default_region);
    lowerer.run(resources);
    let mut model = lowerer.model;
    model.diagnostics.extend(lowerer.diagnostics);
    model
}

/// State of one lowering.
pub(super) struct Lowerer<'a> {
    by_address: HashMap<&'a str, &'a TfResource>,
    /// Known AWS ids (from state) to addresses, so literal ids link like references do.
    by_aws_id: HashMap<&'a str, &'a str>,
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Addresses already reported as `unresolved-input`.
    reported: HashSet<String>,
    default_region: Known<String>,
}

impl<'a> Lowerer<'a> {
    fn new(resources: &'a [TfResource], default_region: Known<String>) -> Self {
        let by_address = resources.iter().map(|r| (r.address.as_str(), r)).collect();
        let by_aws_id = resources
            .iter()
            .filter(|r| r.mode == ResourceMode::Managed)
            .filter_map(|r| Some((r.get("id")?.as_str()?, r.address.as_str())))
            .collect();
        Self {
            by_address,
            by_aws_id,
            model: Model::default(),
            diagnostics: Vec::new(),
            reported: HashSet::new(),
            default_region,
        }
    }

    fn run(&mut self, resources: &'a [TfResource]) {
        let managed = |types: &'static [&'static str]| {
            resources.iter().filter(move |r| {
                r.mode == ResourceMode::Managed && types.contains(&r.resource_type.as_str())
            })
        };
        for r in managed(&["aws_vpc", "aws_default_vpc"]) {
            self.vpc(r);
        }
        for r in managed(&["aws_vpc_ipv4_cidr_block_association"]) {
            self.secondary_cidr(r);
        }
        for r in managed(&["aws_default_route_table"]) {
            self.default_route_table(r);
        }
        for r in managed(&["aws_main_route_table_association"]) {
            self.main_route_table_association(r);
        }
        for r in managed(&["aws_default_security_group"]) {
            self.default_security_group(r);
        }
        for r in managed(&["aws_default_network_acl"]) {
            self.default_network_acl(r);
        }
        for r in managed(&["aws_subnet", "aws_default_subnet"]) {
            self.subnet(r);
        }
        for r in managed(&["aws_internet_gateway"]) {
            self.internet_gateway(r);
        }
        for r in managed(&["aws_internet_gateway_attachment"]) {
            self.internet_gateway_attachment(r);
        }
        for r in managed(&["aws_nat_gateway"]) {
            self.nat_gateway(r);
        }
        for r in managed(&["aws_security_group"]) {
            self.security_group(r);
        }
        for r in managed(&["aws_eks_cluster"]) {
            self.eks_cluster(r);
        }
        for r in managed(&[
            "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        ]) {
            self.security_group_rule(r);
        }
        for r in managed(&["aws_network_acl"]) {
            self.network_acl(r);
        }
        for r in managed(&["aws_network_acl_rule"]) {
            self.network_acl_rule(r);
        }
        for r in managed(&["aws_network_acl_association"]) {
            self.network_acl_association(r);
        }
        for r in managed(&["aws_route_table"]) {
            self.route_table(r);
        }
        for r in managed(&["aws_route"]) {
            self.route(r);
        }
        for r in managed(&["aws_route_table_association"]) {
            self.route_table_association(r);
        }
        for r in managed(&["aws_vpc_endpoint"]) {
            self.endpoint(r);
        }
        for r in managed(&[
            "aws_vpc_endpoint_subnet_association",
            "aws_vpc_endpoint_route_table_association",
            "aws_vpc_endpoint_security_group_association",
            "aws_vpc_endpoint_policy",
        ]) {
            self.endpoint_association(r);
        }
        for r in managed(&["aws_ec2_transit_gateway"]) {
            self.transit_gateway(r);
        }
        for r in managed(&["aws_ec2_transit_gateway_vpc_attachment"]) {
            self.tgw_attachment(r);
        }
        for r in managed(&["aws_ec2_transit_gateway_route_table"]) {
            self.tgw_route_table(r);
        }
        for r in managed(&["aws_ec2_transit_gateway_route"]) {
            self.tgw_route(r);
        }
        for r in managed(&[
            "aws_ec2_transit_gateway_route_table_association",
            "aws_ec2_transit_gateway_route_table_propagation",
        ]) {
            self.tgw_link(r);
        }
        for r in managed(&["aws_vpc_peering_connection"]) {
            self.vpc_peering(r);
        }
        for r in managed(&["aws_route53_zone"]) {
            self.hosted_zone(r);
        }
        for r in managed(&["aws_route53_zone_association"]) {
            self.zone_association(r);
        }
        for r in managed(&["aws_route53_record"]) {
            self.dns_record(r);
        }
        for r in managed(&["aws_efs_mount_target"]) {
            self.efs_mount_target(r);
        }
        for r in managed(&["aws_ecs_service"]) {
            self.ecs_service(r);
        }
        for r in managed(&["aws_eks_node_group", "aws_eks_fargate_profile"]) {
            self.eks_compute(r);
        }
    }
}
