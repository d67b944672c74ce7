//! The EC2 part of a region's scan: VPCs with their DNS attributes, subnets, route tables, security
//! groups, network ACLs, VPC endpoints, the services' prefix lists, internet and NAT gateways, and
//! the security groups of node-group launch templates. Only `Describe*` calls, every page of each.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{self as ec2, VpcAttributeName};
use privlink_ingest::snapshot::format::{
    InternetGateway, IpPermission, NatGateway, NetworkAcl, NetworkAclEntry, PortRange, PrefixList,
    RegionSnapshot, Route, RouteTable, RouteTableAssociation, SecurityGroup, Subnet, Tag, Vpc,
    VpcEndpoint,
};

use super::calls::Calls;

fn s(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

fn o(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

fn tags(list: &[ec2::Tag]) -> Vec<Tag> {
    list.iter()
        .map(|t| Tag {
            key: s(t.key()),
            value: s(t.value()),
        })
        .collect()
}

/// Scans the EC2 resources of the region into `out`.
pub(super) async fn scan(client: &Client, calls: &mut Calls, out: &mut RegionSnapshot) {
    calls.step("VPCs");
    if let Some(vpcs) = calls
        .run(
            "ec2:DescribeVpcs",
            "vpcs",
            client
                .describe_vpcs()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        for v in vpcs {
            let vpc_id = s(v.vpc_id());
            let mut cidr_blocks: Vec<String> = v
                .cidr_block_association_set()
                .iter()
                .filter(|a| {
                    a.cidr_block_state()
                        .and_then(|st| st.state())
                        .is_none_or(|st| st.as_str() == "associated")
                })
                .filter_map(|a| o(a.cidr_block()))
                .collect();
            if let Some(primary) = v.cidr_block() {
                cidr_blocks.retain(|c| c != primary);
                cidr_blocks.insert(0, primary.to_owned());
            }
            let attribute = |name: VpcAttributeName| {
                client
                    .describe_vpc_attribute()
                    .vpc_id(&vpc_id)
                    .attribute(name)
                    .send()
            };
            let support = calls
                .run(
                    "ec2:DescribeVpcAttribute",
                    "vpcs",
                    attribute(VpcAttributeName::EnableDnsSupport),
                )
                .await;
            let hostnames = calls
                .run(
                    "ec2:DescribeVpcAttribute",
                    "vpcs",
                    attribute(VpcAttributeName::EnableDnsHostnames),
                )
                .await;
            out.vpcs.push(Vpc {
                is_default: v.is_default().unwrap_or(false),
                cidr_blocks,
                enable_dns_support: support
                    .and_then(|a| a.enable_dns_support().and_then(|b| b.value())),
                enable_dns_hostnames: hostnames
                    .and_then(|a| a.enable_dns_hostnames().and_then(|b| b.value())),
                tags: tags(v.tags()),
                vpc_id,
            });
        }
    }
    calls.step("subnets");
    if let Some(subnets) = calls
        .run(
            "ec2:DescribeSubnets",
            "subnets",
            client
                .describe_subnets()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.subnets = subnets
            .iter()
            .map(|n| Subnet {
                subnet_id: s(n.subnet_id()),
                vpc_id: s(n.vpc_id()),
                cidr_block: o(n.cidr_block()),
                availability_zone: o(n.availability_zone()),
                map_public_ip_on_launch: n.map_public_ip_on_launch().unwrap_or(false),
                tags: tags(n.tags()),
            })
            .collect();
    }
    calls.step("route tables");
    if let Some(tables) = calls
        .run(
            "ec2:DescribeRouteTables",
            "route_tables",
            client
                .describe_route_tables()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.route_tables = tables.iter().map(route_table).collect();
    }
    calls.step("security groups");
    if let Some(groups) = calls
        .run(
            "ec2:DescribeSecurityGroups",
            "security_groups",
            client
                .describe_security_groups()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.security_groups = groups
            .iter()
            .map(|g| SecurityGroup {
                group_id: s(g.group_id()),
                group_name: s(g.group_name()),
                vpc_id: o(g.vpc_id()),
                ip_permissions: g.ip_permissions().iter().map(permission).collect(),
                ip_permissions_egress: g.ip_permissions_egress().iter().map(permission).collect(),
                tags: tags(g.tags()),
            })
            .collect();
    }
    calls.step("network ACLs");
    if let Some(acls) = calls
        .run(
            "ec2:DescribeNetworkAcls",
            "network_acls",
            client
                .describe_network_acls()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.network_acls = acls.iter().map(network_acl).collect();
    }
    calls.step("VPC endpoints");
    if let Some(endpoints) = calls
        .run(
            "ec2:DescribeVpcEndpoints",
            "vpc_endpoints",
            client
                .describe_vpc_endpoints()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.vpc_endpoints = endpoints.iter().map(endpoint).collect();
    }
    calls.step("prefix lists");
    if let Some(lists) = calls
        .run(
            "ec2:DescribePrefixLists",
            "prefix_lists",
            client
                .describe_prefix_lists()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.prefix_lists = lists
            .iter()
            .map(|p| PrefixList {
                prefix_list_id: s(p.prefix_list_id()),
                prefix_list_name: s(p.prefix_list_name()),
                cidrs: p.cidrs().to_vec(),
            })
            .collect();
    }
    calls.step("gateways");
    if let Some(gateways) = calls
        .run(
            "ec2:DescribeInternetGateways",
            "internet_gateways",
            client
                .describe_internet_gateways()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.internet_gateways = gateways
            .iter()
            .map(|g| InternetGateway {
                internet_gateway_id: s(g.internet_gateway_id()),
                attached_vpc_ids: g
                    .attachments()
                    .iter()
                    .filter_map(|a| o(a.vpc_id()))
                    .collect(),
                tags: tags(g.tags()),
            })
            .collect();
    }
    if let Some(nats) = calls
        .run(
            "ec2:DescribeNatGateways",
            "nat_gateways",
            client
                .describe_nat_gateways()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        out.nat_gateways = nats
            .iter()
            .map(|n| NatGateway {
                nat_gateway_id: s(n.nat_gateway_id()),
                subnet_id: o(n.subnet_id()),
                vpc_id: o(n.vpc_id()),
                connectivity_type: n.connectivity_type().map(|c| c.as_str().to_owned()),
                state: n.state().map(|c| c.as_str().to_owned()),
            })
            .collect();
    }
}

fn route_table(t: &ec2::RouteTable) -> RouteTable {
    RouteTable {
        route_table_id: s(t.route_table_id()),
        vpc_id: s(t.vpc_id()),
        associations: t
            .associations()
            .iter()
            .filter(|a| {
                a.association_state()
                    .and_then(|st| st.state())
                    .is_none_or(|st| st.as_str() == "associated")
            })
            .map(|a| RouteTableAssociation {
                route_table_association_id: o(a.route_table_association_id()),
                main: a.main().unwrap_or(false),
                subnet_id: o(a.subnet_id()),
                gateway_id: o(a.gateway_id()),
            })
            .collect(),
        routes: t
            .routes()
            .iter()
            .map(|r| Route {
                destination_cidr_block: o(r.destination_cidr_block()),
                destination_ipv6_cidr_block: o(r.destination_ipv6_cidr_block()),
                destination_prefix_list_id: o(r.destination_prefix_list_id()),
                gateway_id: o(r.gateway_id()),
                nat_gateway_id: o(r.nat_gateway_id()),
                network_interface_id: o(r.network_interface_id()),
                instance_id: o(r.instance_id()),
                transit_gateway_id: o(r.transit_gateway_id()),
                vpc_peering_connection_id: o(r.vpc_peering_connection_id()),
                egress_only_internet_gateway_id: o(r.egress_only_internet_gateway_id()),
                other_target: r
                    .local_gateway_id()
                    .or(r.carrier_gateway_id())
                    .or(r.core_network_arn())
                    .map(str::to_owned),
                state: r.state().map(|st| st.as_str().to_owned()),
            })
            .collect(),
        tags: tags(t.tags()),
    }
}

fn permission(p: &ec2::IpPermission) -> IpPermission {
    IpPermission {
        ip_protocol: s(p.ip_protocol()),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ip_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| o(r.cidr_ip()))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| o(r.cidr_ipv6()))
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| o(r.prefix_list_id()))
            .collect(),
        user_id_group_pairs: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|r| o(r.group_id()))
            .collect(),
    }
}

fn network_acl(a: &ec2::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        network_acl_id: s(a.network_acl_id()),
        vpc_id: s(a.vpc_id()),
        is_default: a.is_default().unwrap_or(false),
        subnet_ids: a
            .associations()
            .iter()
            .filter_map(|x| o(x.subnet_id()))
            .collect(),
        entries: a
            .entries()
            .iter()
            .map(|e| NetworkAclEntry {
                rule_number: e.rule_number().unwrap_or(i32::MAX),
                egress: e.egress().unwrap_or(false),
                protocol: s(e.protocol()),
                rule_action: e
                    .rule_action()
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                cidr_block: o(e.cidr_block()),
                ipv6_cidr_block: o(e.ipv6_cidr_block()),
                port_range: e.port_range().map(|r| PortRange {
                    from: r.from().unwrap_or(0),
                    to: r.to().unwrap_or(65535),
                }),
            })
            .collect(),
        tags: tags(a.tags()),
    }
}

fn endpoint(e: &ec2::VpcEndpoint) -> VpcEndpoint {
    VpcEndpoint {
        vpc_endpoint_id: s(e.vpc_endpoint_id()),
        vpc_id: s(e.vpc_id()),
        service_name: s(e.service_name()),
        vpc_endpoint_type: e
            .vpc_endpoint_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        state: e.state().map(|st| st.as_str().to_owned()),
        private_dns_enabled: e.private_dns_enabled().unwrap_or(false),
        subnet_ids: e.subnet_ids().to_vec(),
        group_ids: e.groups().iter().filter_map(|g| o(g.group_id())).collect(),
        route_table_ids: e.route_table_ids().to_vec(),
        policy_document: o(e.policy_document()),
        service_region: o(e.service_region()),
        tags: tags(e.tags()),
    }
}

/// The security groups of a launch template version (`$Default`, `$Latest` or a number), from
/// `vpc_security_group_ids` or the first network interface.
pub(super) async fn launch_template_groups(
    client: &Client,
    calls: &mut Calls,
    template: &str,
    version: Option<&str>,
) -> Option<Vec<String>> {
    let request = client
        .describe_launch_template_versions()
        .launch_template_id(template)
        .versions(version.unwrap_or("$Default"))
        .into_paginator()
        .items()
        .send()
        .try_collect();
    let versions = calls
        .run(
            "ec2:DescribeLaunchTemplateVersions",
            "eks_nodegroups",
            request,
        )
        .await?;
    let data = versions.first()?.launch_template_data()?;
    let mut groups = data.security_group_ids().to_vec();
    if groups.is_empty() {
        groups = data
            .network_interfaces()
            .first()
            .map(|n| n.groups().to_vec())
            .unwrap_or_default();
    }
    Some(groups)
}
