//! The [`Model`] container and the lookups every consumer needs (which route table and which network
//! ACL a subnet really uses, which VPC a workload is in).

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::{
    Diagnostic, DnsRecord, EfsMountTarget, EksCluster, HostedZone, InternetGateway, Known,
    Misspelling, NatGateway, NetworkAcl, Provenance, ResourceId, RouteTable, RouteTableAssociation,
    SecurityGroup, Subnet, TgwLink, TgwRouteTable, TgwVpcAttachment, TransitGateway, Unknown, Vpc,
    VpcEndpoint, VpcPeering, Workload, ZoneAssociation,
};

/// The whole network and its workloads, as read from every input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// VPCs by id.
    pub vpcs: IndexMap<ResourceId, Vpc>,
    /// Subnets by id.
    pub subnets: IndexMap<ResourceId, Subnet>,
    /// Route tables by id (including implicit main route tables).
    pub route_tables: IndexMap<ResourceId, RouteTable>,
    /// Explicit subnet ↔ route table associations.
    pub route_table_associations: Vec<RouteTableAssociation>,
    /// Security groups by id (including VPC default groups).
    pub security_groups: IndexMap<ResourceId, SecurityGroup>,
    /// Network ACLs by id (including VPC default ACLs).
    pub network_acls: IndexMap<ResourceId, NetworkAcl>,
    /// VPC endpoints by id.
    pub endpoints: IndexMap<ResourceId, VpcEndpoint>,
    /// Internet gateways by id.
    pub internet_gateways: IndexMap<ResourceId, InternetGateway>,
    /// NAT gateways by id.
    pub nat_gateways: IndexMap<ResourceId, NatGateway>,
    /// EKS clusters by id.
    pub eks_clusters: IndexMap<ResourceId, EksCluster>,
    /// EFS mount targets by id.
    pub efs_mount_targets: IndexMap<ResourceId, EfsMountTarget>,
    /// Transit gateways by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub transit_gateways: IndexMap<ResourceId, TransitGateway>,
    /// Transit gateway VPC attachments by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tgw_attachments: IndexMap<ResourceId, TgwVpcAttachment>,
    /// Transit gateway route tables by id (including default route tables).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tgw_route_tables: IndexMap<ResourceId, TgwRouteTable>,
    /// Attachment ↔ transit gateway route table associations (explicit and default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tgw_associations: Vec<TgwLink>,
    /// Attachment → transit gateway route table propagations (explicit and default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tgw_propagations: Vec<TgwLink>,
    /// VPC peering connections by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub peerings: IndexMap<ResourceId, VpcPeering>,
    /// Route 53 hosted zones by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub hosted_zones: IndexMap<ResourceId, HostedZone>,
    /// Private hosted zone ↔ VPC associations (inline and separate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zone_associations: Vec<ZoneAssociation>,
    /// Route 53 records by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub dns_records: IndexMap<ResourceId, DnsRecord>,
    /// Workloads, in input order.
    pub workloads: Vec<Workload>,
    /// Problems found while reading the inputs.
    pub diagnostics: Vec<Diagnostic>,
    /// Misspelt arguments and properties (each also an `invalid-*` diagnostic): what `fix` renames.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misspellings: Vec<Misspelling>,
}

/// The route table a subnet uses and why.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveAssociation {
    /// The route table.
    pub route_table: ResourceId,
    /// The explicit association, or `None` when the subnet falls back to the VPC main route table.
    pub association: Option<Provenance>,
}

impl Model {
    /// Adds everything from `other`. Elements with an id already present are kept from `self`, as the
    /// first input to define an address wins; front-ends qualify addresses when inputs may collide.
    pub fn merge(&mut self, other: Model) {
        fn merge_map<T>(into: &mut IndexMap<ResourceId, T>, from: IndexMap<ResourceId, T>) {
            for (id, v) in from {
                into.entry(id).or_insert(v);
            }
        }
        merge_map(&mut self.vpcs, other.vpcs);
        merge_map(&mut self.subnets, other.subnets);
        merge_map(&mut self.route_tables, other.route_tables);
        self.route_table_associations
            .extend(other.route_table_associations);
        merge_map(&mut self.security_groups, other.security_groups);
        merge_map(&mut self.network_acls, other.network_acls);
        merge_map(&mut self.endpoints, other.endpoints);
        merge_map(&mut self.internet_gateways, other.internet_gateways);
        merge_map(&mut self.nat_gateways, other.nat_gateways);
        merge_map(&mut self.eks_clusters, other.eks_clusters);
        merge_map(&mut self.efs_mount_targets, other.efs_mount_targets);
        merge_map(&mut self.transit_gateways, other.transit_gateways);
        merge_map(&mut self.tgw_attachments, other.tgw_attachments);
        merge_map(&mut self.tgw_route_tables, other.tgw_route_tables);
        self.tgw_associations.extend(other.tgw_associations);
        self.tgw_propagations.extend(other.tgw_propagations);
        merge_map(&mut self.peerings, other.peerings);
        merge_map(&mut self.hosted_zones, other.hosted_zones);
        self.zone_associations.extend(other.zone_associations);
        merge_map(&mut self.dns_records, other.dns_records);
        self.workloads.extend(other.workloads);
        self.diagnostics.extend(other.diagnostics);
        self.misspellings.extend(other.misspellings);
    }

    /// The VPC a subnet belongs to.
    pub fn subnet_vpc(&self, subnet: &ResourceId) -> Known<ResourceId> {
        match self.subnets.get(subnet) {
            Some(s) => s.vpc.clone(),
            None => Known::unknown(format!("{subnet} is not in the inputs")),
        }
    }

    /// The VPC a workload runs in, from its first known subnet.
    pub fn workload_vpc(&self, workload: &Workload) -> Known<ResourceId> {
        match workload.subnets.iter().next() {
            Some(subnet) => self.subnet_vpc(subnet),
            None => Known::Unknown(
                workload
                    .subnets
                    .unknown
                    .clone()
                    .unwrap_or_else(|| Unknown::new("the workload names no subnets")),
            ),
        }
    }

    /// The route table a subnet really uses: its explicit association, or else its VPC's main route
    /// table. Unknown when an association in the inputs has an unknown subnet (it might be this one).
    pub fn effective_route_table(&self, subnet: &ResourceId) -> Known<EffectiveAssociation> {
        let mut undetermined = None;
        for assoc in &self.route_table_associations {
            match &assoc.subnet {
                Known::Value(s) if s == subnet => return explicit_association(assoc),
                Known::Value(_) => {}
                Known::Unknown(u) => undetermined = Some(u),
            }
        }
        self.implicit_route_table(subnet, undetermined)
    }

    /// [`Self::effective_route_table`] of every subnet, in one pass over the associations.
    pub fn effective_route_tables(&self) -> HashMap<&ResourceId, Known<EffectiveAssociation>> {
        let mut explicit: HashMap<&ResourceId, &RouteTableAssociation> = HashMap::new();
        let mut undetermined = None;
        for assoc in &self.route_table_associations {
            match &assoc.subnet {
                Known::Value(s) => {
                    explicit.entry(s).or_insert(assoc);
                }
                Known::Unknown(u) => undetermined = Some(u),
            }
        }
        self.subnets
            .keys()
            .map(|s| {
                let table = match explicit.get(s) {
                    Some(assoc) => explicit_association(assoc),
                    None => self.implicit_route_table(s, undetermined),
                };
                (s, table)
            })
            .collect()
    }

    /// The route table of a subnet no association names: unknown when some association's subnet
    /// is (`undetermined`, the last such), else its VPC's main route table.
    fn implicit_route_table(
        &self,
        subnet: &ResourceId,
        undetermined: Option<&Unknown>,
    ) -> Known<EffectiveAssociation> {
        if let Some(u) = undetermined {
            return Known::Unknown(Unknown::new(format!(
                "an explicit route table association has an unknown subnet ({})",
                u.reason
            )));
        }
        let vpc = match self.subnet_vpc(subnet) {
            Known::Value(v) => v,
            Known::Unknown(u) => return Known::Unknown(u),
        };
        match self.vpcs.get(&vpc).map(|v| &v.main_route_table) {
            Some(Known::Value(rt)) => Known::Value(EffectiveAssociation {
                route_table: rt.clone(),
                association: None,
            }),
            Some(Known::Unknown(u)) => Known::Unknown(u.clone()),
            None => Known::unknown(format!("VPC {vpc} is not in the inputs")),
        }
    }

    /// The network ACL a subnet uses: the one that lists it, or else its VPC's default ACL.
    pub fn network_acl_for(&self, subnet: &ResourceId) -> Known<ResourceId> {
        let mut undetermined = None;
        for acl in self.acls_custom_first() {
            if acl.subnets.contains(subnet) {
                return Known::Value(acl.id.clone());
            }
            if let Some(u) = &acl.subnets.unknown {
                undetermined = Some(u);
            }
        }
        self.implicit_network_acl(subnet, undetermined)
    }

    /// [`Self::network_acl_for`] of every subnet, in one pass over the ACLs.
    pub fn network_acls_of_subnets(&self) -> HashMap<&ResourceId, Known<ResourceId>> {
        let mut listed: HashMap<&ResourceId, &ResourceId> = HashMap::new();
        let mut undetermined = None;
        for acl in self.acls_custom_first() {
            for s in &acl.subnets {
                listed.entry(s).or_insert(&acl.id);
            }
            if let Some(u) = &acl.subnets.unknown {
                undetermined = Some(u);
            }
        }
        self.subnets
            .keys()
            .map(|s| {
                let acl = match listed.get(s) {
                    Some(id) => Known::Value((*id).clone()),
                    None => self.implicit_network_acl(s, undetermined),
                };
                (s, acl)
            })
            .collect()
    }

    /// Custom ACLs first: an association with one moves the subnet off the default ACL.
    fn acls_custom_first(&self) -> Vec<&NetworkAcl> {
        let mut acls: Vec<&NetworkAcl> = self.network_acls.values().collect();
        acls.sort_by_key(|a| a.is_default);
        acls
    }

    /// The network ACL of a subnet no ACL lists: unknown when some ACL's subnets are
    /// (`undetermined`, the last such), else its VPC's default ACL.
    fn implicit_network_acl(
        &self,
        subnet: &ResourceId,
        undetermined: Option<&Unknown>,
    ) -> Known<ResourceId> {
        if let Some(u) = undetermined {
            return Known::Unknown(Unknown::new(format!(
                "a network ACL has subnets privlink cannot determine ({})",
                u.reason
            )));
        }
        match self.subnet_vpc(subnet) {
            Known::Value(vpc) => match self.vpcs.get(&vpc) {
                Some(v) => Known::Value(v.default_network_acl.clone()),
                None => Known::unknown(format!("VPC {vpc} is not in the inputs")),
            },
            Known::Unknown(u) => Known::Unknown(u),
        }
    }

    /// The endpoints of each VPC (those whose VPC is known), each list in model order.
    pub fn endpoints_by_vpc(&self) -> HashMap<&ResourceId, Vec<&VpcEndpoint>> {
        let mut by_vpc: HashMap<&ResourceId, Vec<&VpcEndpoint>> = HashMap::new();
        for e in self.endpoints.values() {
            if let Some(vpc) = e.vpc.value() {
                by_vpc.entry(vpc).or_default().push(e);
            }
        }
        by_vpc
    }

    /// The endpoints in a VPC.
    pub fn endpoints_in<'a>(
        &'a self,
        vpc: &'a ResourceId,
    ) -> impl Iterator<Item = &'a VpcEndpoint> + 'a {
        self.endpoints
            .values()
            .filter(move |e| e.vpc.value() == Some(vpc))
    }

    /// The provenance of any element by id, for locating findings.
    pub fn provenance_of(&self, id: &ResourceId) -> Option<&Provenance> {
        self.vpcs
            .get(id)
            .map(|e| &e.provenance)
            .or_else(|| self.subnets.get(id).map(|e| &e.provenance))
            .or_else(|| self.route_tables.get(id).map(|e| &e.provenance))
            .or_else(|| self.security_groups.get(id).map(|e| &e.provenance))
            .or_else(|| self.network_acls.get(id).map(|e| &e.provenance))
            .or_else(|| self.endpoints.get(id).map(|e| &e.provenance))
            .or_else(|| self.internet_gateways.get(id).map(|e| &e.provenance))
            .or_else(|| self.nat_gateways.get(id).map(|e| &e.provenance))
            .or_else(|| self.eks_clusters.get(id).map(|e| &e.provenance))
            .or_else(|| self.efs_mount_targets.get(id).map(|e| &e.provenance))
            .or_else(|| self.transit_gateways.get(id).map(|e| &e.provenance))
            .or_else(|| self.tgw_attachments.get(id).map(|e| &e.provenance))
            .or_else(|| self.tgw_route_tables.get(id).map(|e| &e.provenance))
            .or_else(|| self.peerings.get(id).map(|e| &e.provenance))
            .or_else(|| self.hosted_zones.get(id).map(|e| &e.provenance))
            .or_else(|| self.dns_records.get(id).map(|e| &e.provenance))
    }
}

/// The route table an explicit association gives its subnet.
fn explicit_association(assoc: &RouteTableAssociation) -> Known<EffectiveAssociation> {
    match &assoc.route_table {
        Known::Value(rt) => Known::Value(EffectiveAssociation {
            route_table: rt.clone(),
            association: Some(assoc.provenance.clone()),
        }),
        Known::Unknown(u) => Known::Unknown(u.clone()),
    }
}
