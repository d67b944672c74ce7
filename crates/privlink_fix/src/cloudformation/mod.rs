//! Lowering fix intents to CloudFormation: properties set or extended on the resources that declare
//! the elements, and new resources at the end of a template's `Resources`.
//!
//! | intent | CloudFormation |
//! |---|---|
//! | `EnablePrivateDns` | `PrivateDnsEnabled: true` on the `AWS::EC2::VPCEndpoint` |
//! | `EnableVpcDns` | `EnableDnsSupport: true`, `EnableDnsHostnames: true` on the `AWS::EC2::VPC` |
//! | `AssociateGatewayEndpoint` | the route table added to `RouteTableIds` |
//! | `AllowHttpsIngress` / `Egress` | an `AWS::EC2::SecurityGroupIngress` / `SecurityGroupEgress` |
//! | `AddInterfaceEndpoint` / `AddGatewayEndpoint` | an `AWS::EC2::VPCEndpoint` |
//! | `SetEndpointSecurityGroups` | a new `AWS::EC2::SecurityGroup` in `SecurityGroupIds` |
//!
//! A new resource goes in the template where the team keeps the VPC's endpoints (the one declaring
//! most of them), else the one declaring the element it attaches to. It names other elements as that
//! template can: `!Ref`/`!GetAtt` in the same template; the very text an existing resource of the
//! template uses for the same element (an endpoint's `Fn::ImportValue: !Sub "${EnvironmentName}-vpc"`);
//! `Fn::ImportValue` of another template's `Export`; the parameter or import a placeholder stands for.
//! What it cannot name, a value written as an intrinsic function, a VPC's main route table (which
//! CloudFormation cannot refer to), the prefix list of a gateway endpoint (no attribute gives it), and
//! the templates of a CDK cloud assembly (generated: the next `cdk synth` overwrites them) are left to
//! the user with the reason.

mod outline;
mod render;
mod template;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ipnet::Ipv4Net;
use privlink_model::{
    FixIntent, HttpsPeer, Known, Location, Origin, PrefixListRef, ResourceId, ServiceName,
};

use self::outline::{Kind, Node};
use self::render::Value;
use self::template::Template;
use crate::plan::{FileChange, Item, Lowered};
use crate::source::{Sources, is_terraform};

/// A model element as a template declares it.
#[derive(Clone, Debug)]
enum Element {
    /// A resource: its template and logical ID.
    Resource { path: PathBuf, logical: String },
    /// Created by AWS with a resource (a VPC's default security group, main route table).
    Implicit {
        path: PathBuf,
        of: String,
        what: String,
    },
    /// Outside the inputs: an import, a parameter or a literal id, written in `path`.
    External { path: PathBuf, reference: String },
}

impl Element {
    fn path(&self) -> &Path {
        match self {
            Self::Resource { path, .. }
            | Self::Implicit { path, .. }
            | Self::External { path, .. } => path,
        }
    }
}

/// How a reference is used: as the element's id, or as the CIDR block of a VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    Id,
    Cidr,
}

/// The CloudFormation backend of one plan.
#[derive(Debug)]
pub(crate) struct CloudFormation<'s, 'm> {
    sources: &'s Sources<'m>,
    generated: Vec<PathBuf>,
    templates: BTreeMap<PathBuf, Result<Template, String>>,
    /// New resources by model id.
    created: HashMap<ResourceId, Element>,
    /// The endpoint security group created for a VPC in a template.
    endpoint_groups: HashMap<(PathBuf, ResourceId), String>,
    /// What existing resources of a template write for the elements they refer to.
    harvested: HashMap<PathBuf, HashMap<ResourceId, Value>>,
    /// Where misspelt properties were renamed (their `invalid-cloudformation` findings are fixed).
    renamed: Vec<Location>,
}

impl<'s, 'm> CloudFormation<'s, 'm> {
    pub(crate) fn new(sources: &'s Sources<'m>, generated: &[PathBuf]) -> Self {
        Self {
            sources,
            generated: generated.to_vec(),
            templates: BTreeMap::new(),
            created: HashMap::new(),
            endpoint_groups: HashMap::new(),
            harvested: HashMap::new(),
            renamed: Vec::new(),
        }
    }

    /// Where this backend renamed misspelt properties.
    pub(crate) fn renamed(&self) -> &[Location] {
        &self.renamed
    }

    pub(crate) fn created(&self, id: &ResourceId) -> bool {
        self.created.contains_key(id)
    }

    /// Lowers one round of intents; the result is in the order of `items`.
    pub(crate) fn lower(&mut self, items: &[Item]) -> Vec<Lowered> {
        items
            .iter()
            .map(|item| {
                let reason = item.reason.as_str();
                let result = match &item.intent {
                    FixIntent::EnablePrivateDns { endpoint } => self
                        .set_true(endpoint, &["PrivateDnsEnabled"])
                        .map(|()| Lowered::written()),
                    FixIntent::EnableVpcDns { vpc } => self
                        .set_true(vpc, &["EnableDnsSupport", "EnableDnsHostnames"])
                        .map(|()| Lowered::written()),
                    FixIntent::AssociateGatewayEndpoint {
                        endpoint,
                        route_table,
                    } => self
                        .associate_gateway_endpoint(endpoint, route_table)
                        .map(|()| Lowered::written()),
                    FixIntent::AllowHttpsIngress {
                        security_group,
                        from,
                    } => self
                        .allow_https(security_group, from, true, reason)
                        .map(|()| Lowered::written()),
                    FixIntent::AllowHttpsEgress { security_group, to } => self
                        .allow_https(security_group, to, false, reason)
                        .map(|()| Lowered::written()),
                    FixIntent::SetEndpointSecurityGroups {
                        endpoint,
                        security_groups,
                    } => self.set_endpoint_groups(endpoint, security_groups, reason),
                    FixIntent::AddInterfaceEndpoint {
                        vpc,
                        service_name,
                        subnets,
                        security_groups,
                    } => self.add_endpoint(
                        vpc,
                        service_name,
                        Placement::Interface {
                            subnets,
                            security_groups,
                        },
                        reason,
                    ),
                    FixIntent::AddGatewayEndpoint {
                        vpc,
                        service_name,
                        route_tables,
                    } => self.add_endpoint(
                        vpc,
                        service_name,
                        Placement::Gateway { route_tables },
                        reason,
                    ),
                    FixIntent::Manual { .. } => Err("privlink cannot write this".to_owned()),
                };
                result.unwrap_or_else(Lowered::not_written)
            })
            .collect()
    }

    /// The changed templates.
    pub(crate) fn finish(self) -> Vec<FileChange> {
        self.templates
            .into_iter()
            .filter_map(|(path, t)| {
                let t = t.ok()?;
                let updated = t.updated()?;
                Some(FileChange {
                    path,
                    original: Some(t.text),
                    updated,
                })
            })
            .collect()
    }

    // ---- templates and elements ------------------------------------------------------------

    fn is_generated(&self, path: &Path) -> bool {
        self.generated.iter().any(|g| path.starts_with(g))
    }

    /// The template at `path`, read once.
    fn template(&mut self, path: &Path) -> Result<&mut Template, String> {
        self.templates
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))
                    .and_then(|text| {
                        Template::parse(text).map_err(|e| format!("{}: {e}", path.display()))
                    })
            })
            .as_mut()
            .map_err(|e| e.clone())
    }

    /// The template at `path`, to change: not generated.
    fn writable(&mut self, path: &Path) -> Result<&mut Template, String> {
        if self.is_generated(path) {
            return Err(format!(
                "{} is generated by the CDK (`cdk synth` overwrites it): make the change in the CDK app",
                path.display()
            ));
        }
        self.template(path)
    }

    fn resolve(&mut self, id: &ResourceId) -> Result<Element, String> {
        if let Some(e) = self.created.get(id) {
            return Ok(e.clone());
        }
        let p = self
            .sources
            .provenance(id)
            .ok_or_else(|| format!("{id} is not in the inputs"))?;
        let loc = p
            .location
            .clone()
            .ok_or_else(|| format!("{id} is not written in a file privlink can edit"))?;
        if is_terraform(&loc.path) {
            return Err(format!("{id} is written in Terraform"));
        }
        let path = PathBuf::from(&loc.path);
        match &p.origin {
            Origin::Declared => {
                let t = self.template(&path)?;
                let logical = t
                    .resource_at(loc.line, loc.column)
                    .map(|(name, _)| name.to_owned())
                    .ok_or_else(|| format!("{id} is not a resource of {}", path.display()))?;
                Ok(Element::Resource { path, logical })
            }
            Origin::Implicit { .. } => {
                let (of, what) = id
                    .as_str()
                    .split_once('#')
                    .ok_or_else(|| format!("{id} has no resource of its own"))?;
                let Element::Resource { path, logical } = self.resolve(&ResourceId::new(of))?
                else {
                    return Err(format!("{of} is not declared in a template"));
                };
                Ok(Element::Implicit {
                    path,
                    of: logical,
                    what: what.to_owned(),
                })
            }
            Origin::External { reference } => Ok(Element::External {
                path,
                reference: reference.clone(),
            }),
            Origin::Assumed => Err(format!("{id} is assumed by privlink")),
        }
    }

    /// The resource node of a declared element, to change, with its template.
    fn resource_to_change(&mut self, id: &ResourceId) -> Result<(PathBuf, String), String> {
        match self.resolve(id)? {
            Element::Resource { path, logical } => {
                self.writable(&path)?;
                Ok((path, logical))
            }
            Element::Implicit { of, .. } => Err(format!(
                "{id} is created by AWS with {of} and has no resource of its own to change"
            )),
            Element::External { reference, .. } => Err(format!(
                "{id} is outside the inputs ({reference}): make the change where it is defined"
            )),
        }
    }

    /// How the template at `from` names `id`.
    fn reference(&mut self, from: &Path, id: &ResourceId, usage: Use) -> Result<Value, String> {
        let model = self.sources.model;
        let element = self.resolve(id)?;
        let is_group = model.security_groups.get(id).is_some_and(|g| !g.is_default)
            || self.endpoint_groups.values().any(|g| g == id.as_str());
        match (&element, usage) {
            (Element::Resource { path, logical }, _) if path == from => Ok(match usage {
                Use::Cidr => Value::GetAtt(logical.clone(), "CidrBlock".into()),
                Use::Id if is_group => Value::GetAtt(logical.clone(), "GroupId".into()),
                Use::Id => Value::Ref(logical.clone()),
            }),
            (Element::Implicit { path, of, what }, Use::Id) if path == from => {
                match what.as_str() {
                    "default-security-group" => {
                        Ok(Value::GetAtt(of.clone(), "DefaultSecurityGroup".into()))
                    }
                    "cluster-security-group" => {
                        Ok(Value::GetAtt(of.clone(), "ClusterSecurityGroupId".into()))
                    }
                    "main-route-table" => Err(format!(
                        "CloudFormation cannot refer to the main route table of {of}: give the subnets that use it a route table of their own (AWS::EC2::RouteTable and AWS::EC2::SubnetRouteTableAssociation) and use that"
                    )),
                    _ => Err(format!("CloudFormation cannot refer to {id}")),
                }
            }
            (Element::Implicit { what, of, .. }, _) if what == "main-route-table" => Err(format!(
                "CloudFormation cannot refer to the main route table of {of}: give the subnets that use it a route table of their own (AWS::EC2::RouteTable and AWS::EC2::SubnetRouteTableAssociation) and use that"
            )),
            (Element::External { reference, .. }, Use::Id) => {
                if let Some(name) = reference.strip_prefix("Fn::ImportValue ") {
                    return Ok(Value::Import(Box::new(Value::Text(name.to_owned()))));
                }
                if let Some(name) = reference.strip_prefix("parameter ") {
                    if self.template(from)?.has_parameter(name) {
                        return Ok(Value::Ref(name.to_owned()));
                    }
                    return Err(format!(
                        "{id} is the value of parameter {name}, which {} does not declare",
                        from.display()
                    ));
                }
                Ok(Value::Text(reference.clone()))
            }
            (_, Use::Id) => {
                if let Some(v) = self.harvest(from).get(id) {
                    return Ok(v.clone());
                }
                self.export_of(from, &element, is_group).ok_or_else(|| {
                    format!(
                        "{id} is declared in {}, which does not export it: add an Output with an Export for it, or make the change there",
                        element.path().display()
                    )
                })
            }
            (_, Use::Cidr) => Err(format!(
                "{} cannot name the CIDR block of {id}",
                from.display()
            )),
        }
    }

    /// `Fn::ImportValue` of an export of the element's template that `from` can name too: a literal
    /// export name, or a `!Sub` of parameters `from` also declares.
    fn export_of(&mut self, from: &Path, element: &Element, is_group: bool) -> Option<Value> {
        let Element::Resource { path, logical } = element else {
            return None;
        };
        let outputs = self.template(path).ok()?.root.get("Outputs")?.clone();
        for (_, output) in outputs.entries() {
            let Some(value) = output.get("Value") else {
                continue;
            };
            let names_it = value.reference() == Some(logical.as_str())
                || (is_group && value.get_att() == Some((logical.as_str(), "GroupId")));
            if !names_it {
                continue;
            }
            let Some(name) = output.get("Export").and_then(|e| e.get("Name")) else {
                continue;
            };
            if let Some(text) = name.scalar() {
                return Some(Value::Import(Box::new(Value::Text(text.to_owned()))));
            }
            if let Some(sub) = sub_text(name) {
                let target = self.template(from).ok()?;
                let variables_known = variables(&sub)
                    .iter()
                    .all(|v| v.starts_with("AWS::") || target.has_parameter(v));
                if variables_known {
                    return Some(Value::Import(Box::new(Value::Sub(sub))));
                }
            }
        }
        None
    }

    /// What the resources of the template at `path` write for the elements their properties refer
    /// to: an endpoint's `VpcId`, the items of its `SubnetIds`, `SecurityGroupIds` and
    /// `RouteTableIds`, the `VpcId` of subnets and security groups.
    fn harvest(&mut self, path: &Path) -> &HashMap<ResourceId, Value> {
        if !self.harvested.contains_key(path) {
            let found = self.harvest_uncached(path);
            self.harvested.insert(path.to_path_buf(), found);
        }
        &self.harvested[path]
    }

    fn harvest_uncached(&mut self, path: &Path) -> HashMap<ResourceId, Value> {
        let model = self.sources.model;
        let mut found: HashMap<ResourceId, Value> = HashMap::new();
        let Ok(template) = self.template(path) else {
            return found;
        };
        let text = template.text.clone();
        let at = |p: &privlink_model::Provenance| -> Option<Node> {
            let loc = p.location.as_ref()?;
            if Path::new(&loc.path) != path {
                return None;
            }
            template
                .resource_at(loc.line, loc.column)
                .and_then(|(_, node)| node.get("Properties").cloned())
        };
        let source = |node: &Node| Value::Source {
            text: node.text(&text).to_owned(),
            column: node.column,
            block: !node.is_flow(),
        };
        let mut add = |id: &ResourceId, node: &Node| {
            found.entry(id.clone()).or_insert_with(|| source(node));
        };
        for e in model.endpoints.values() {
            let Some(props) = at(&e.provenance) else {
                continue;
            };
            if let (Known::Value(vpc), Some(node)) = (&e.vpc, props.get("VpcId")) {
                add(vpc, node);
            }
            for (key, list) in [
                ("SubnetIds", &e.subnets),
                ("SecurityGroupIds", &e.security_groups),
                ("RouteTableIds", &e.route_tables),
            ] {
                let Some(items) = props.get(key).and_then(Node::items) else {
                    continue;
                };
                if list.is_complete() && items.len() == list.known.len() {
                    for (id, node) in list.known.iter().zip(items) {
                        add(id, node);
                    }
                }
            }
        }
        let vpc_users = model
            .subnets
            .values()
            .map(|s| (&s.provenance, &s.vpc))
            .chain(
                model
                    .security_groups
                    .values()
                    .map(|g| (&g.provenance, &g.vpc)),
            );
        for (p, vpc) in vpc_users {
            if let (Some(props), Known::Value(vpc)) = (at(p), vpc)
                && let Some(node) = props.get("VpcId")
            {
                add(vpc, node);
            }
        }
        found
    }

    /// A logical ID not used by any template of the inputs nor planned: `wanted`, `wanted2`, ...
    fn fresh_logical(&mut self, path: &Path, wanted: &str) -> Result<String, String> {
        let model = self.sources.model;
        let in_model = |name: &str| {
            model.provenance_of(&ResourceId::new(name)).is_some()
                || model
                    .vpcs
                    .keys()
                    .chain(model.subnets.keys())
                    .chain(model.security_groups.keys())
                    .chain(model.endpoints.keys())
                    .chain(model.route_tables.keys())
                    .any(|k| k.as_str().rsplit('.').next() == Some(name))
        };
        let created: Vec<String> = self.created.keys().map(ToString::to_string).collect();
        let template = self.template(path)?;
        let mut name = wanted.to_owned();
        let mut n = 1;
        while template.taken.contains(&name) || in_model(&name) || created.contains(&name) {
            n += 1;
            name = format!("{wanted}{n}");
        }
        template.taken.insert(name.clone());
        Ok(name)
    }

    /// Adds a resource to the template at `path`; returns its model id.
    fn add_resource(
        &mut self,
        path: &Path,
        wanted: &str,
        resource_type: &str,
        properties: Vec<(String, Value)>,
        reason: &str,
    ) -> Result<ResourceId, String> {
        let logical = self.fresh_logical(path, wanted)?;
        let body = Value::Map(vec![
            ("Type".to_owned(), Value::Text(resource_type.to_owned())),
            ("Properties".to_owned(), Value::Map(properties)),
        ]);
        self.writable(path)?
            .add_resource(&logical, &body, &format!("privlink fix: {reason}"));
        let id = ResourceId::new(logical.clone());
        self.created.insert(
            id.clone(),
            Element::Resource {
                path: path.to_path_buf(),
                logical,
            },
        );
        Ok(id)
    }

    // ---- properties --------------------------------------------------------------------------

    /// Sets boolean properties to true, unless they are intrinsic functions (then says which
    /// parameter or expression to change).
    fn set_true(&mut self, id: &ResourceId, keys: &[&str]) -> Result<(), String> {
        let misspelt = self.sources.misspellings(id, keys);
        let (path, logical) = self.resource_to_change(id)?;
        let template = self.writable(&path)?;
        let resource = template
            .resource(&logical)
            .cloned()
            .ok_or_else(|| format!("{logical} is not in {}", path.display()))?;
        let props = resource.get("Properties").cloned();
        // A misspelling of a property (`PrivateDnsEnable`) is the property as written: renamed, not
        // written beside.
        let mut renames: Vec<(Node, String, Location)> = Vec::new();
        let mut problems = Vec::new();
        let mut changes: Vec<(String, Option<Node>)> = Vec::new();
        for key in keys {
            let written = props.as_ref().and_then(|p| p.get(key)).or_else(|| {
                let m = misspelt.iter().find(|m| m.meant == *key)?;
                let (name, value) = props.as_ref()?.entry(&m.written)?;
                renames.push((name.clone(), m.meant.clone(), m.location.clone()));
                Some(value)
            });
            match written {
                None => changes.push(((*key).to_owned(), None)),
                Some(node) => match node.boolean() {
                    Some(true) => {}
                    Some(false) => changes.push(((*key).to_owned(), Some(node.clone()))),
                    None => problems.push(match node.reference() {
                        Some(param) if template.has_parameter(param) => format!(
                            "{key} of {logical} is !Ref {param}: set the parameter {param} to true (--parameter {param}=true, and in the stack)"
                        ),
                        _ => format!(
                            "{key} of {logical} is `{}`: make it true",
                            node.text(&template.text).trim()
                        ),
                    }),
                },
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let mut renamed = Vec::new();
        for (name, meant, location) in renames {
            template.replace(&name, &Value::Text(meant))?;
            renamed.push(location);
        }
        for (key, node) in changes {
            match node {
                Some(node) => template.replace(&node, &Value::Bool(true))?,
                None => match &props {
                    Some(p) => template.insert_entry(p, &key, &Value::Bool(true))?,
                    None => template.insert_entry(
                        &resource,
                        "Properties",
                        &Value::Map(vec![(key, Value::Bool(true))]),
                    )?,
                },
            }
        }
        self.renamed.extend(renamed);
        Ok(())
    }

    fn associate_gateway_endpoint(
        &mut self,
        endpoint: &ResourceId,
        route_table: &ResourceId,
    ) -> Result<(), String> {
        let (path, logical) = self.resource_to_change(endpoint)?;
        let table = self.reference(&path, route_table, Use::Id)?;
        let template = self.writable(&path)?;
        let resource = template.resource(&logical).cloned().ok_or("no resource")?;
        let props = resource
            .get("Properties")
            .cloned()
            .ok_or_else(|| format!("{logical} has no Properties"))?;
        match props.get("RouteTableIds") {
            None => template.insert_entry(&props, "RouteTableIds", &Value::List(vec![table])),
            Some(list) if list.items().is_some() && !has_tag(list) => {
                template.append_item(&list.clone(), &table)
            }
            Some(other) => Err(format!(
                "RouteTableIds of {logical} is `{}`: add the route table to it",
                other.text(&template.text).trim()
            )),
        }
    }

    fn set_endpoint_groups(
        &mut self,
        endpoint: &ResourceId,
        groups: &[ResourceId],
        reason: &str,
    ) -> Result<Lowered, String> {
        let (path, logical) = self.resource_to_change(endpoint)?;
        let (refs, group) = if groups.is_empty() {
            let vpc = match self.sources.model.endpoints.get(endpoint).map(|e| &e.vpc) {
                Some(Known::Value(v)) => v.clone(),
                _ => return Err(format!("the VPC of {endpoint} is not known")),
            };
            let id = self.endpoint_group(&path, &vpc, reason)?;
            (vec![self.reference(&path, &id, Use::Id)?], Some(id))
        } else {
            let refs = groups
                .iter()
                .map(|g| self.reference(&path, g, Use::Id))
                .collect::<Result<Vec<_>, _>>()?;
            (refs, None)
        };
        let template = self.writable(&path)?;
        let resource = template.resource(&logical).cloned().ok_or("no resource")?;
        let props = resource
            .get("Properties")
            .cloned()
            .ok_or_else(|| format!("{logical} has no Properties"))?;
        match props.get("SecurityGroupIds") {
            None => template.insert_entry(&props, "SecurityGroupIds", &Value::List(refs))?,
            Some(list) if list.items().is_some_and(<[Node]>::is_empty) && !has_tag(list) => {
                template.replace(&list.clone(), &Value::List(refs))?;
            }
            Some(other) => {
                return Err(format!(
                    "SecurityGroupIds of {logical} is `{}`: put the endpoint security group in it",
                    other.text(&template.text).trim()
                ));
            }
        }
        Ok(Lowered {
            security_group: group,
            ..Lowered::written()
        })
    }

    /// The security group for the interface endpoints of a VPC, declared in the template at `path`
    /// (once per template and VPC): HTTPS from the VPC.
    fn endpoint_group(
        &mut self,
        path: &Path,
        vpc: &ResourceId,
        reason: &str,
    ) -> Result<ResourceId, String> {
        let key = (path.to_path_buf(), vpc.clone());
        if let Some(logical) = self.endpoint_groups.get(&key) {
            return Ok(ResourceId::new(logical.clone()));
        }
        let vpc_ref = self.reference(path, vpc, Use::Id)?;
        let cidrs: Vec<Value> = match self.reference(path, vpc, Use::Cidr) {
            Ok(v) => vec![v],
            Err(_) => self
                .sources
                .model
                .vpcs
                .get(vpc)
                .map(|v| {
                    v.cidrs
                        .known
                        .iter()
                        .map(|c| Value::Text(c.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        if cidrs.is_empty() {
            return Err(format!("the CIDR blocks of {vpc} are not known"));
        }
        let rules = cidrs
            .into_iter()
            .map(|cidr| {
                Value::Map(vec![
                    (
                        "Description".into(),
                        Value::Text("HTTPS from the VPC".into()),
                    ),
                    ("IpProtocol".into(), Value::Text("tcp".into())),
                    ("FromPort".into(), Value::Number(443)),
                    ("ToPort".into(), Value::Number(443)),
                    ("CidrIp".into(), cidr),
                ])
            })
            .collect();
        let id = self.add_resource(
            path,
            "VpcEndpointSecurityGroup",
            "AWS::EC2::SecurityGroup",
            vec![
                (
                    "GroupDescription".into(),
                    Value::Text("HTTPS from the VPC to its interface endpoints".into()),
                ),
                ("VpcId".into(), vpc_ref),
                ("SecurityGroupIngress".into(), Value::List(rules)),
            ],
            reason,
        )?;
        self.endpoint_groups.insert(key, id.to_string());
        Ok(id)
    }

    // ---- rules -------------------------------------------------------------------------------

    fn allow_https(
        &mut self,
        group: &ResourceId,
        peer: &HttpsPeer,
        ingress: bool,
        reason: &str,
    ) -> Result<(), String> {
        let path = self.resolve(group)?.path().to_path_buf();
        self.writable(&path)?;
        let group_ref = self.reference(&path, group, Use::Id)?;
        let (peer_key, peer_value, label) = self.peer(&path, group, peer, ingress)?;
        let wanted = format!(
            "{}Https{}{}",
            camel(group.as_str().rsplit('.').next().unwrap_or(group.as_str())),
            if ingress { "From" } else { "To" },
            camel(&label)
        );
        let direction = if ingress { "from" } else { "to" };
        self.add_resource(
            &path,
            &wanted,
            if ingress {
                "AWS::EC2::SecurityGroupIngress"
            } else {
                "AWS::EC2::SecurityGroupEgress"
            },
            vec![
                ("GroupId".into(), group_ref),
                (
                    "Description".into(),
                    Value::Text(format!("HTTPS {direction} {label}")),
                ),
                ("IpProtocol".into(), Value::Text("tcp".into())),
                ("FromPort".into(), Value::Number(443)),
                ("ToPort".into(), Value::Number(443)),
                (peer_key.into(), peer_value),
            ],
            reason,
        )?;
        Ok(())
    }

    /// The property naming a rule's peer, its value, and a label for names and descriptions.
    fn peer(
        &mut self,
        path: &Path,
        group: &ResourceId,
        peer: &HttpsPeer,
        ingress: bool,
    ) -> Result<(&'static str, Value, String), String> {
        match peer {
            HttpsPeer::Cidr(cidr) => Ok((
                "CidrIp",
                self.cidr(path, group, *cidr),
                cidr_label(self, group, *cidr),
            )),
            HttpsPeer::SecurityGroup(other) => Ok((
                if ingress {
                    "SourceSecurityGroupId"
                } else {
                    "DestinationSecurityGroupId"
                },
                self.reference(path, other, Use::Id)?,
                other.to_string(),
            )),
            HttpsPeer::PrefixList(PrefixListRef::Id { id, service }) => Ok((
                if ingress {
                    "SourcePrefixListId"
                } else {
                    "DestinationPrefixListId"
                },
                Value::Text(id.clone()),
                service.clone().unwrap_or_else(|| id.clone()),
            )),
            HttpsPeer::PrefixList(PrefixListRef::CustomerManaged { id, .. }) => Ok((
                if ingress {
                    "SourcePrefixListId"
                } else {
                    "DestinationPrefixListId"
                },
                self.reference(path, id, Use::Id)?,
                id.to_string(),
            )),
            HttpsPeer::PrefixList(list) => {
                let name = match list {
                    PrefixListRef::OfEndpoint { endpoint } => self
                        .sources
                        .model
                        .endpoints
                        .get(endpoint)
                        .and_then(|e| e.service_name.value().cloned()),
                    PrefixListRef::AwsManaged {
                        name: Known::Value(n),
                    } => Some(n.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| "com.amazonaws.REGION.s3".to_owned());
                Err(format!(
                    "CloudFormation has no attribute for the prefix list of {name}: look its id up (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values={name}) and add an AWS::EC2::SecurityGroup{} with {}PrefixListId to {group}",
                    if ingress { "Ingress" } else { "Egress" },
                    if ingress { "Source" } else { "Destination" },
                ))
            }
        }
    }

    /// A CIDR in a rule: `!GetAtt Vpc.CidrBlock` when it is the group's VPC's one block.
    fn cidr(&mut self, path: &Path, group: &ResourceId, cidr: Ipv4Net) -> Value {
        if let Some(vpc) = vpc_with_block(self.sources, group, cidr)
            && let Ok(v) = self.reference(path, &vpc, Use::Cidr)
        {
            return v;
        }
        Value::Text(cidr.to_string())
    }

    // ---- endpoints ---------------------------------------------------------------------------

    fn add_endpoint(
        &mut self,
        vpc: &ResourceId,
        service_name: &str,
        placement: Placement<'_>,
        reason: &str,
    ) -> Result<Lowered, String> {
        let path = self.endpoint_template(vpc)?;
        self.writable(&path)?;
        let vpc_ref = self.reference(&path, vpc, Use::Id)?;
        let model = self.sources.model;
        let service = ServiceName::parse(service_name);
        let vpc_region = model.vpcs.get(vpc).and_then(|v| v.region.value().cloned());
        let name_value = match &service {
            // The VPC's own region, or the run's when the inputs name none: `AWS::Region`.
            Some(s) if s.in_run_region() || Some(&s.region) == vpc_region.as_ref() => {
                Value::Sub(format!("com.amazonaws.${{AWS::Region}}.{}", s.service))
            }
            _ => Value::Text(service_name.to_owned()),
        };
        let label = service.as_ref().map_or("Service", |s| s.service.as_str());
        let mut properties = vec![
            ("ServiceName".to_owned(), name_value),
            ("VpcId".to_owned(), vpc_ref),
        ];
        let mut group = None;
        let wanted = match placement {
            Placement::Interface {
                subnets,
                security_groups,
            } => {
                let subnet_refs = subnets
                    .iter()
                    .map(|s| self.reference(&path, s, Use::Id))
                    .collect::<Result<Vec<_>, _>>()?;
                let group_refs = if security_groups.is_empty() {
                    let id = self.endpoint_group(&path, vpc, reason)?;
                    let r = self.reference(&path, &id, Use::Id)?;
                    group = Some(id);
                    vec![r]
                } else {
                    security_groups
                        .iter()
                        .map(|g| self.reference(&path, g, Use::Id))
                        .collect::<Result<Vec<_>, _>>()?
                };
                properties.push(("VpcEndpointType".into(), Value::Text("Interface".into())));
                properties.push(("PrivateDnsEnabled".into(), Value::Bool(true)));
                properties.push(("SubnetIds".into(), Value::List(subnet_refs)));
                properties.push(("SecurityGroupIds".into(), Value::List(group_refs)));
                format!("{}Endpoint", camel(label))
            }
            Placement::Gateway { route_tables } => {
                let tables = route_tables
                    .iter()
                    .map(|t| self.reference(&path, t, Use::Id))
                    .collect::<Result<Vec<_>, _>>()?;
                properties.push(("VpcEndpointType".into(), Value::Text("Gateway".into())));
                properties.push(("RouteTableIds".into(), Value::List(tables)));
                format!("{}GatewayEndpoint", camel(label))
            }
        };
        let id = self.add_resource(&path, &wanted, "AWS::EC2::VPCEndpoint", properties, reason)?;
        Ok(Lowered {
            endpoint: Some(id),
            security_group: group,
            ..Lowered::written()
        })
    }

    /// The template a new endpoint of a VPC goes in: the one that declares most of the VPC's
    /// endpoints, else the one that declares the VPC.
    fn endpoint_template(&mut self, vpc: &ResourceId) -> Result<PathBuf, String> {
        let model = self.sources.model;
        let mut counts: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for e in model.endpoints_in(vpc) {
            if let (Origin::Declared, Some(loc)) = (&e.provenance.origin, &e.provenance.location) {
                let path = PathBuf::from(&loc.path);
                if !is_terraform(&loc.path) && !self.is_generated(&path) {
                    *counts.entry(path).or_default() += 1;
                }
            }
        }
        if let Some((path, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        {
            return Ok(path);
        }
        match self.resolve(vpc)? {
            Element::Resource { path, .. } => Ok(path),
            Element::Implicit { .. } | Element::External { .. } => Err(format!(
                "{vpc} is not declared in the inputs and no template has endpoints in it: add the endpoint where the VPC is defined"
            )),
        }
    }
}

/// Where a new endpoint is.
#[derive(Clone, Copy, Debug)]
enum Placement<'a> {
    Interface {
        subnets: &'a [ResourceId],
        security_groups: &'a [ResourceId],
    },
    Gateway {
        route_tables: &'a [ResourceId],
    },
}

/// Whether a node is an intrinsic function in short form (`!If [...]`, `!Split`...).
fn has_tag(node: &Node) -> bool {
    matches!(
        &node.kind,
        Kind::Scalar { tag: Some(_), .. }
            | Kind::Sequence { tag: Some(_), .. }
            | Kind::Mapping { tag: Some(_), .. }
    )
}

/// The string of `!Sub "..."` or `{"Fn::Sub": "..."}`.
fn sub_text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Scalar {
            value,
            tag: Some(t),
            ..
        } if t == "Sub" => Some(value.clone()),
        Kind::Mapping { entries, .. } if entries.len() == 1 => {
            let (k, v) = &entries[0];
            (k.scalar() == Some("Fn::Sub"))
                .then(|| v.scalar().map(str::to_owned))
                .flatten()
        }
        _ => None,
    }
}

/// The `${...}` variables of a `Fn::Sub` string (`${!Literal}` is not one).
fn variables(sub: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sub;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name.split('.').next().unwrap_or(name).to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

/// The VPC of a security group when `cidr` is its one CIDR block.
fn vpc_with_block(sources: &Sources<'_>, group: &ResourceId, cidr: Ipv4Net) -> Option<ResourceId> {
    let model = sources.model;
    let vpc = model.security_groups.get(group)?.vpc.value()?;
    let v = model.vpcs.get(vpc)?;
    (v.cidrs.known.len() == 1 && v.cidrs.known[0] == cidr).then(|| vpc.clone())
}

fn cidr_label(backend: &CloudFormation<'_, '_>, group: &ResourceId, cidr: Ipv4Net) -> String {
    if vpc_with_block(backend.sources, group, cidr).is_some() {
        "the VPC".to_owned()
    } else {
        cidr.to_string()
    }
}

/// `ecr.api` → `EcrApi`, `the VPC` → `VPC`, `10.0.0.0/16` → `1000016`.
fn camel(text: &str) -> String {
    let text = text.strip_prefix("the ").unwrap_or(text);
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sub_variables() {
        assert_eq!(camel("ecr.api"), "EcrApi");
        assert_eq!(camel("the VPC"), "VPC");
        assert_eq!(
            camel("VpcEndpointSecurityGroup"),
            "VpcEndpointSecurityGroup"
        );
        assert_eq!(camel("10.0.0.0/16"), "1000016");
        assert_eq!(
            variables("${EnvironmentName}-vpc-${AWS::Region}-${!Literal}-${Res.Attr}"),
            vec!["EnvironmentName", "AWS::Region", "Res"]
        );
    }
}
