//! An index over the model for tracing: the route table and network ACL each subnet really uses,
//! the endpoints of each VPC by service, computed once per analysis.

use std::collections::HashMap;

use privlink_model::{
    EffectiveAssociation, EndpointKind, Known, Model, ResourceId, Subnet, VpcEndpoint, Workload,
};

/// The model plus lookups.
#[derive(Debug)]
pub struct Network<'m> {
    /// The model.
    pub model: &'m Model,
    route_tables: HashMap<&'m ResourceId, Known<EffectiveAssociation>>,
    acls: HashMap<&'m ResourceId, Known<ResourceId>>,
    /// Endpoints by VPC and service suffix.
    endpoints: HashMap<(&'m ResourceId, String), Vec<&'m VpcEndpoint>>,
    /// Endpoints whose VPC is known but whose service is not.
    undetermined: HashMap<&'m ResourceId, Vec<&'m VpcEndpoint>>,
}

impl<'m> Network<'m> {
    /// Indexes `model`.
    pub fn new(model: &'m Model) -> Self {
        let route_tables = model.effective_route_tables();
        let acls = model.network_acls_of_subnets();
        let mut endpoints: HashMap<(&ResourceId, String), Vec<&VpcEndpoint>> = HashMap::new();
        let mut undetermined: HashMap<&ResourceId, Vec<&VpcEndpoint>> = HashMap::new();
        for e in model.endpoints.values() {
            let Some(vpc) = e.vpc.value() else { continue };
            match e.service() {
                Some(s) => endpoints.entry((vpc, s.service)).or_default().push(e),
                None => undetermined.entry(vpc).or_default().push(e),
            }
        }
        Self {
            model,
            route_tables,
            acls,
            endpoints,
            undetermined,
        }
    }

    /// The route table a subnet uses.
    pub fn route_table(&self, subnet: &ResourceId) -> Known<EffectiveAssociation> {
        self.route_tables
            .get(subnet)
            .cloned()
            .unwrap_or_else(|| self.model.effective_route_table(subnet))
    }

    /// The network ACL a subnet uses.
    pub fn acl(&self, subnet: &ResourceId) -> Known<ResourceId> {
        self.acls
            .get(subnet)
            .cloned()
            .unwrap_or_else(|| self.model.network_acl_for(subnet))
    }

    /// The endpoints of `kind` for `service` in `vpc`.
    pub fn endpoints(
        &self,
        vpc: &ResourceId,
        service: &str,
        kind: EndpointKind,
    ) -> Vec<&'m VpcEndpoint> {
        self.endpoints
            .get(&(vpc, service.to_owned()))
            .into_iter()
            .flatten()
            .filter(|e| e.kind.value().is_none_or(|k| *k == kind))
            .copied()
            .collect()
    }

    /// Every endpoint for `service` in `vpc`, whatever its type.
    pub fn endpoints_any_kind(&self, vpc: &ResourceId, service: &str) -> Vec<&'m VpcEndpoint> {
        self.endpoints
            .get(&(vpc, service.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// Endpoints in `vpc` whose service the inputs do not determine.
    /// Only those that can be a `kind` endpoint of `service` are returned: a Gateway endpoint can only
    /// be S3 or DynamoDB, an Interface endpoint any interface service; one of unknown type either.
    pub fn undetermined_endpoints(
        &self,
        vpc: &ResourceId,
        service: &str,
        kind: EndpointKind,
    ) -> Vec<&'m VpcEndpoint> {
        let gateway_service = matches!(service, "s3" | "dynamodb");
        self.undetermined
            .get(vpc)
            .into_iter()
            .flatten()
            .filter(|e| match (kind, e.kind.value()) {
                (EndpointKind::Gateway, _) if !gateway_service => false,
                (_, Some(k)) => *k == kind,
                (_, None) => true,
            })
            .copied()
            .collect()
    }

    /// A subnet.
    pub fn subnet(&self, id: &ResourceId) -> Option<&'m Subnet> {
        self.model.subnets.get(id)
    }

    /// The security groups a workload's tasks, pods or nodes use: its own, or the VPC default group
    /// when it names none (what ECS does for `awsvpc` tasks).
    pub fn workload_groups(
        &self,
        workload: &Workload,
        vpc: &ResourceId,
    ) -> privlink_model::Partial<ResourceId> {
        if workload.security_groups.is_known_empty() {
            match self.model.vpcs.get(vpc) {
                Some(v) => {
                    privlink_model::Partial::complete(vec![v.default_security_group.clone()])
                }
                None => privlink_model::Partial::unknown(format!("VPC {vpc} is not in the inputs")),
            }
        } else {
            workload.security_groups.clone()
        }
    }
}
