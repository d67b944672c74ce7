//! Transit gateways (attachments, route tables, routes, associations, propagations) and VPC peering
//! connections.
//!
//! Terraform's defaults are applied: a transit gateway has default route table association and
//! propagation on (`"enable"`), so it gets a default route table (`<gateway>#default-route-table`,
//! what `association_default_route_table_id` names), and an attachment associates with and
//! propagates to it unless `transit_gateway_default_route_table_association` /
//! `_propagation` are `false`.

use privlink_model::{
    Known, Partial, Provenance, ResourceId, TgwLink, TgwRoute, TgwRouteTable, TgwRouteTarget,
    TgwVpcAttachment, TransitGateway, Unknown, VpcPeering,
};

use super::Lowerer;
use super::attrs::{self, bool_or, bool_value_or, cidr_value, field, string};
use crate::elements::ElementKind;
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

/// `"enable"`/`"disable"` attributes; absent gives `default`.
fn enabled(r: &TfResource, path: &str, default: bool) -> Known<bool> {
    match string(r, path) {
        None => Known::Value(default),
        Some(Known::Value(s)) => Known::Value(s == "enable"),
        Some(Known::Unknown(u)) => Known::Unknown(u),
    }
}

impl Lowerer<'_> {
    /// A value naming an element of one of `types` through one of `attributes` (beyond `id`), or a
    /// literal id.
    pub(super) fn resolve_named(
        &mut self,
        r: &TfResource,
        path: &str,
        types: &[&str],
        attributes: &[&str],
    ) -> Known<ResourceId> {
        let value = r.get(path).unwrap_or(&Value::Null);
        if let Value::Unknown(u) = value
            && let Some(reference) = &u.reference
            && attributes.contains(&reference.attribute.as_str())
            && self
                .by_address
                .get(reference.address.as_str())
                .is_some_and(|t| types.contains(&t.resource_type.as_str()))
        {
            return Known::Value(ResourceId::new(&reference.address));
        }
        self.resolve(value, ElementKind::Other, r.location_of(path).as_ref())
    }

    /// A transit gateway route table named by `path`: a route table, or a gateway's default table.
    fn tgw_route_table_ref(&mut self, r: &TfResource, path: &str) -> Known<ResourceId> {
        let value = r.get(path).unwrap_or(&Value::Null);
        if let Value::Unknown(u) = value
            && let Some(reference) = &u.reference
            && matches!(
                reference.attribute.as_str(),
                "association_default_route_table_id" | "propagation_default_route_table_id"
            )
        {
            return Known::Value(
                ResourceId::new(&reference.address).implicit("default-route-table"),
            );
        }
        self.resolve_named(r, path, &["aws_ec2_transit_gateway_route_table"], &["id"])
    }

    pub(super) fn transit_gateway(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let provenance = Provenance::declared(&r.address, r.location.clone());
        let default_table = id.implicit("default-route-table");
        let table_if = |on: Known<bool>| match on {
            Known::Value(true) => Some(Known::Value(default_table.clone())),
            Known::Value(false) => None,
            Known::Unknown(u) => Some(Known::Unknown(u)),
        };
        let association = table_if(enabled(r, "default_route_table_association", true));
        let propagation = table_if(enabled(r, "default_route_table_propagation", true));
        if association.is_some() || propagation.is_some() {
            self.model.tgw_route_tables.insert(
                default_table.clone(),
                TgwRouteTable {
                    id: default_table.clone(),
                    provenance: provenance.clone(),
                    transit_gateway: Known::Value(id.clone()),
                    routes: Partial::default(),
                },
            );
        }
        self.model.transit_gateways.insert(
            id.clone(),
            TransitGateway {
                id,
                provenance,
                default_association_table: association,
                default_propagation_table: propagation,
            },
        );
    }

    pub(super) fn tgw_attachment(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let provenance = Provenance::declared(&r.address, r.location.clone());
        let transit_gateway = self.resolve_named(
            r,
            "transit_gateway_id",
            &["aws_ec2_transit_gateway"],
            &["id"],
        );
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let subnets = self.resolve_list(
            r.get("subnet_ids"),
            ElementKind::Subnet,
            r.location_of("subnet_ids").as_ref(),
        );
        let default_association =
            bool_or(r, "transit_gateway_default_route_table_association", true);
        let default_propagation =
            bool_or(r, "transit_gateway_default_route_table_propagation", true);
        let tgw = transit_gateway
            .value()
            .and_then(|t| self.model.transit_gateways.get(t));
        let links = [
            (
                &default_association,
                tgw.and_then(|t| t.default_association_table.clone()),
                true,
            ),
            (
                &default_propagation,
                tgw.and_then(|t| t.default_propagation_table.clone()),
                false,
            ),
        ];
        for (on, table, association) in links {
            let (Known::Value(true), Some(route_table)) = (on, table) else {
                continue;
            };
            let link = TgwLink {
                attachment: Known::Value(id.clone()),
                route_table,
                provenance: provenance.clone(),
            };
            if association {
                self.model.tgw_associations.push(link);
            } else {
                self.model.tgw_propagations.push(link);
            }
        }
        self.model.tgw_attachments.insert(
            id.clone(),
            TgwVpcAttachment {
                id,
                provenance,
                transit_gateway,
                vpc,
                subnets,
                appliance_mode: enabled(r, "appliance_mode_support", false),
                default_association,
                default_propagation,
            },
        );
    }

    pub(super) fn tgw_route_table(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let transit_gateway = self.resolve_named(
            r,
            "transit_gateway_id",
            &["aws_ec2_transit_gateway"],
            &["id"],
        );
        self.model.tgw_route_tables.insert(
            id.clone(),
            TgwRouteTable {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                transit_gateway,
                routes: Partial::default(),
            },
        );
    }

    pub(super) fn tgw_route(&mut self, r: &TfResource) {
        let table = self.tgw_route_table_ref(r, "transit_gateway_route_table_id");
        let destination = r.get("destination_cidr_block").map_or_else(
            || Known::unknown("the route has no destination"),
            cidr_value,
        );
        let target = match bool_or(r, "blackhole", false) {
            Known::Value(true) => TgwRouteTarget::Blackhole,
            Known::Unknown(u) => TgwRouteTarget::Unknown(u),
            Known::Value(false) => match self.resolve_named(
                r,
                "transit_gateway_attachment_id",
                &["aws_ec2_transit_gateway_vpc_attachment"],
                &["id"],
            ) {
                Known::Value(a) => TgwRouteTarget::Attachment(a),
                Known::Unknown(u) => TgwRouteTarget::Unknown(u),
            },
        };
        let route = TgwRoute {
            destination,
            target,
            provenance: Provenance::declared(&r.address, r.location.clone()),
        };
        match table {
            Known::Value(t) => {
                if let Some(table) = self.model.tgw_route_tables.get_mut(&t) {
                    table.routes.push(route);
                }
            }
            // A route in a table the inputs do not name could be in any table.
            Known::Unknown(u) => {
                for table in self.model.tgw_route_tables.values_mut() {
                    table.routes.mark_incomplete(Unknown::new(format!(
                        "{} is in a route table privlink cannot determine ({})",
                        r.address, u.reason
                    )));
                }
            }
        }
    }

    /// `aws_ec2_transit_gateway_route_table_association` and `_propagation`.
    pub(super) fn tgw_link(&mut self, r: &TfResource) {
        let link = TgwLink {
            attachment: self.resolve_named(
                r,
                "transit_gateway_attachment_id",
                &["aws_ec2_transit_gateway_vpc_attachment"],
                &["id"],
            ),
            route_table: self.tgw_route_table_ref(r, "transit_gateway_route_table_id"),
            provenance: Provenance::declared(&r.address, r.location.clone()),
        };
        if r.resource_type.ends_with("_association") {
            self.model.tgw_associations.push(link);
        } else {
            self.model.tgw_propagations.push(link);
        }
    }

    pub(super) fn vpc_peering(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let requester_vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let accepter_vpc = self.resolve(
            r.get("peer_vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("peer_vpc_id").as_ref(),
        );
        let remote_dns = |side: &str| match attrs::blocks(r, side) {
            Ok(list) => bool_value_or(
                list.first()
                    .and_then(|(_, b)| field(b, "allow_remote_vpc_dns_resolution")),
                false,
            ),
            Err(u) => Known::Unknown(u),
        };
        let requester_remote_dns = remote_dns("requester");
        let accepter_remote_dns = remote_dns("accepter");
        self.model.peerings.insert(
            id.clone(),
            VpcPeering {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                requester_vpc,
                accepter_vpc,
                requester_remote_dns,
                accepter_remote_dns,
            },
        );
    }
}
