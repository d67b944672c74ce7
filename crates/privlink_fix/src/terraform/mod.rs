//! Lowering fix intents to Terraform: edits of the blocks that declare the elements (hcl-edit), and
//! new resources in a new `privlink_fixes.tf` of the module that declares the element they attach to.
//!
//! | intent | Terraform |
//! |---|---|
//! | `EnablePrivateDns` | `private_dns_enabled = true` on the endpoint |
//! | `EnableVpcDns` | `enable_dns_support = true`, `enable_dns_hostnames = true` on the VPC |
//! | `AssociateGatewayEndpoint` | the route table added to `route_table_ids`, or an `aws_vpc_endpoint_route_table_association` |
//! | `AllowHttpsIngress` / `Egress` | an `aws_vpc_security_group_ingress_rule` / `egress_rule`, or an inline block where the group already has inline rules of that direction (the provider treats those as the whole set) |
//! | `AddInterfaceEndpoint` / `AddGatewayEndpoint` | a new `aws_vpc_endpoint` |
//! | `SetEndpointSecurityGroups` | a new endpoint security group, in `security_group_ids` or through `aws_vpc_endpoint_security_group_association`s |
//!
//! References are the elements' addresses inside their module (`aws_subnet.app["a"].id`,
//! `aws_vpc.main.main_route_table_id` for the main route table). A value written as an expression
//! (`var.private_dns`) is not rewritten: the fix says which variable to change. A block that writes
//! several instances (`count`, `for_each`) is edited only when every instance needs the same change;
//! otherwise the fix adds a resource for the one instance (an association, a rule) or says what to do.
//! A fix inside a module is written in the module only when the module is local and used by one
//! instance; a registry module (`.terraform/modules`) or a shared one is left to the user.

pub(crate) mod address;
mod document;
mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ipnet::Ipv4Net;
use privlink_model::{FixIntent, HttpsPeer, Known, Location, Origin, PrefixListRef, ResourceId};

use self::address::Address;
use self::document::{Document, Value};
use self::render::{Block, list, string};
use crate::plan::{FileChange, Item, Lowered};
use crate::source::{Sources, dir_of, is_terraform};

/// The file new resources go to (a fresh name when it exists).
const FIXES_FILE: &str = "privlink_fixes";

/// A model element as Terraform writes it.
#[derive(Clone, Debug)]
struct Element {
    id: ResourceId,
    address: Address,
    /// The module directory.
    dir: PathBuf,
    /// The file that declares its block (`None`: implicit, a data source placeholder, or new).
    file: Option<PathBuf>,
    kind: ElementKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ElementKind {
    /// A `resource` block in the inputs.
    Declared,
    /// Created by AWS with another element (the main route table of a VPC).
    Implicit,
    /// A `data` source: read, never written.
    Data,
    /// A resource this plan adds.
    New,
}

/// The new resources of one module directory.
#[derive(Debug, Default)]
struct Module {
    /// `TYPE.NAME` of every resource and data source declared or planned.
    taken: BTreeSet<String>,
    /// New top-level blocks, rendered.
    blocks: Vec<String>,
}

/// The Terraform backend of one plan.
#[derive(Debug)]
pub(crate) struct Terraform<'s, 'm> {
    sources: &'s Sources<'m>,
    documents: BTreeMap<PathBuf, Result<Document, String>>,
    modules: BTreeMap<PathBuf, Module>,
    created: HashMap<ResourceId, Element>,
    /// The endpoint security group created for each VPC.
    endpoint_groups: HashMap<ResourceId, ResourceId>,
    /// Managed prefix list data sources added, by name.
    prefix_lists: HashMap<(PathBuf, String), String>,
    /// Where misspelt arguments were renamed (their `invalid-terraform` findings are fixed).
    renamed: Vec<Location>,
}

impl<'s, 'm> Terraform<'s, 'm> {
    pub(crate) fn new(sources: &'s Sources<'m>) -> Self {
        Self {
            sources,
            documents: BTreeMap::new(),
            modules: BTreeMap::new(),
            created: HashMap::new(),
            endpoint_groups: HashMap::new(),
            prefix_lists: HashMap::new(),
            renamed: Vec::new(),
        }
    }

    /// Where this backend renamed misspelt arguments.
    pub(crate) fn renamed(&self) -> &[Location] {
        &self.renamed
    }

    /// Whether this backend created `id` (so later rounds lower intents about it here).
    pub(crate) fn created(&self, id: &ResourceId) -> bool {
        self.created.contains_key(id)
    }

    /// Lowers one round of intents; the result is in the order of `items`.
    pub(crate) fn lower(&mut self, items: &[Item]) -> Vec<Lowered> {
        let mut results: Vec<Option<Lowered>> = vec![None; items.len()];
        self.block_settings(items, &mut results);
        for (i, item) in items.iter().enumerate() {
            if results[i].is_some() {
                continue;
            }
            let reason = item.reason.as_str();
            let lowered = match &item.intent {
                FixIntent::AssociateGatewayEndpoint {
                    endpoint,
                    route_table,
                } => self
                    .associate_gateway_endpoint(endpoint, route_table, reason)
                    .map(|()| Lowered::written()),
                FixIntent::AllowHttpsIngress {
                    security_group,
                    from,
                } => self
                    .allow_https(security_group, from, Direction::Ingress, reason)
                    .map(|()| Lowered::written()),
                FixIntent::AllowHttpsEgress { security_group, to } => self
                    .allow_https(security_group, to, Direction::Egress, reason)
                    .map(|()| Lowered::written()),
                FixIntent::AddInterfaceEndpoint {
                    vpc,
                    service_name,
                    subnets,
                    security_groups,
                } => {
                    self.add_interface_endpoint(vpc, service_name, subnets, security_groups, reason)
                }
                FixIntent::AddGatewayEndpoint {
                    vpc,
                    service_name,
                    route_tables,
                } => self.add_gateway_endpoint(vpc, service_name, route_tables, reason),
                FixIntent::SetEndpointSecurityGroups {
                    endpoint,
                    security_groups,
                } => self.endpoint_groups_by_association(endpoint, security_groups, reason),
                FixIntent::EnablePrivateDns { .. }
                | FixIntent::EnableVpcDns { .. }
                | FixIntent::Manual { .. } => Err("privlink cannot write this".to_owned()),
            };
            results[i] = Some(lowered.unwrap_or_else(Lowered::not_written));
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Lowered::not_written("privlink cannot write this")))
            .collect()
    }

    /// The planned files: edited configuration files, then new files.
    pub(crate) fn finish(self) -> Vec<FileChange> {
        let mut out = Vec::new();
        for (path, doc) in self.documents {
            if let Ok(doc) = doc {
                let updated = doc.render();
                if doc.changed && updated != doc.original {
                    out.push(FileChange {
                        path,
                        original: Some(doc.original),
                        updated,
                    });
                }
            }
        }
        for (dir, module) in self.modules {
            if module.blocks.is_empty() {
                continue;
            }
            let mut text = String::from(
                "# Written by `privlink fix`: what the findings of `privlink check` need.\n# Review it, then run `terraform plan`.\n",
            );
            for block in &module.blocks {
                text.push('\n');
                text.push_str(block);
            }
            out.push(FileChange {
                path: fresh_file(&dir),
                original: None,
                updated: text,
            });
        }
        out
    }

    // ---- elements -------------------------------------------------------------------------

    fn resolve(&self, id: &ResourceId) -> Result<Element, String> {
        if let Some(e) = self.created.get(id) {
            return Ok(e.clone());
        }
        let p = self
            .sources
            .provenance(id)
            .ok_or_else(|| format!("{id} is not in the inputs"))?;
        let loc = p
            .location
            .as_ref()
            .ok_or_else(|| format!("{id} is not written in a file privlink can edit"))?;
        if !is_terraform(&loc.path) {
            return Err(format!("{id} is not written in Terraform"));
        }
        let address =
            Address::parse(&p.address).ok_or_else(|| format!("{id} is not a Terraform address"))?;
        let kind = match &p.origin {
            Origin::Declared => ElementKind::Declared,
            Origin::Implicit { .. } => ElementKind::Implicit,
            Origin::External { .. } if address.data => ElementKind::Data,
            Origin::External { reference } => {
                return Err(format!(
                    "{id} is outside the inputs (read from {reference}): make the change where it is defined"
                ));
            }
            Origin::Assumed => return Err(format!("{id} is assumed by privlink")),
        };
        Ok(Element {
            id: id.clone(),
            address,
            dir: dir_of(&loc.path),
            file: (kind == ElementKind::Declared).then(|| PathBuf::from(&loc.path)),
            kind,
        })
    }

    /// The expression for `attribute` of `target`, written in the module of `from`.
    fn reference(from: &Element, target: &Element, attribute: &str) -> Result<String, String> {
        if target.address.module != from.address.module {
            return Err(format!(
                "{} is in {} and {} in {}: pass it through a module variable or output, then add the reference",
                target.id,
                module_name(&target.address.module),
                from.id,
                module_name(&from.address.module)
            ));
        }
        target
            .address
            .reference(attribute)
            .ok_or_else(|| format!("privlink cannot refer to the {attribute} of {}", target.id))
    }

    fn reference_to(
        &self,
        from: &Element,
        id: &ResourceId,
        attribute: &str,
    ) -> Result<String, String> {
        let target = self.resolve(id)?;
        Self::reference(from, &target, attribute)
    }

    /// Whether new resources may be written in the module of `e`.
    fn module_writable(&self, e: &Element) -> Result<(), String> {
        if e.address.module.is_empty() {
            return Ok(());
        }
        if e.dir.components().any(|c| c.as_os_str() == ".terraform") {
            return Err(format!(
                "the change belongs in {}, which is not local ({}): change it upstream or through its variables",
                module_name(&e.address.module),
                e.dir.display()
            ));
        }
        let instances = self.sources.module_instances(&e.dir);
        if instances.len() > 1 {
            return Err(format!(
                "the change belongs in the module at {}, which {} share: change it there if every instance needs it",
                e.dir.display(),
                instances.join(", ")
            ));
        }
        Ok(())
    }

    /// Whether the block of `e` may be edited: it is a resource block in a `.tf` file of a writable
    /// module.
    fn block_editable(&self, e: &Element) -> Result<PathBuf, String> {
        let file = match (&e.kind, &e.file) {
            (ElementKind::Declared, Some(f)) => f.clone(),
            (ElementKind::Data, _) => {
                return Err(format!(
                    "{} is read with a data source: make the change where it is defined",
                    e.id
                ));
            }
            _ => return Err(format!("{} has no block of its own to edit", e.id)),
        };
        if file.to_string_lossy().ends_with(".tf.json") {
            return Err(format!(
                "{} is written in JSON syntax ({}), which privlink does not edit",
                e.id,
                file.display()
            ));
        }
        self.module_writable(e)?;
        Ok(file)
    }

    /// The document and block index of the block that declares `e`.
    fn locate(&mut self, e: &Element) -> Result<(&mut Document, usize), String> {
        let file = self.block_editable(e)?;
        let doc = self
            .documents
            .entry(file.clone())
            .or_insert_with(|| {
                std::fs::read_to_string(&file)
                    .map_err(|err| format!("cannot read {}: {err}", file.display()))
                    .and_then(Document::parse)
            })
            .as_mut()
            .map_err(|err| format!("{}: {err}", file.display()))?;
        let index = doc
            .find_block(e.address.data, &e.address.resource_type, &e.address.name)
            .ok_or_else(|| format!("the block of {} is not in {}", e.id, file.display()))?;
        Ok((doc, index))
    }

    /// Runs `edit` on the body of the block that declares `e`; nothing changes when it fails.
    fn edit_block<T>(
        &mut self,
        e: &Element,
        edit: impl FnOnce(&mut hcl_edit::structure::Body) -> Result<T, String>,
    ) -> Result<T, String> {
        let (doc, index) = self.locate(e)?;
        let mut copy = doc.block(index).cloned().ok_or("not a block")?;
        let value = edit(&mut copy.body)?;
        if let Some(block) = doc.block_mut(index) {
            *block = copy;
        }
        Ok(value)
    }

    /// Reads the body of the block that declares `e`.
    fn read_block<T>(
        &mut self,
        e: &Element,
        read: impl FnOnce(&hcl_edit::structure::Body) -> T,
    ) -> Result<T, String> {
        let (doc, index) = self.locate(e)?;
        let block = doc.block(index).ok_or("not a block")?;
        Ok(read(&block.body))
    }

    // ---- new resources ----------------------------------------------------------------------

    fn module(&mut self, dir: &Path) -> &mut Module {
        self.modules
            .entry(dir.to_path_buf())
            .or_insert_with(|| Module {
                taken: declared_names(dir),
                blocks: Vec::new(),
            })
    }

    /// A name for a new block of `resource_type` in `dir`: `wanted`, else `wanted_2`, ...
    fn fresh_name(&mut self, dir: &Path, resource_type: &str, wanted: &str) -> String {
        let module = self.module(dir);
        let wanted = sanitize(wanted);
        let mut name = wanted.clone();
        let mut n = 1;
        while module.taken.contains(&format!("{resource_type}.{name}")) {
            n += 1;
            name = format!("{wanted}_{n}");
        }
        module.taken.insert(format!("{resource_type}.{name}"));
        name
    }

    /// Adds a new block to the module of `anchor`; returns the element it declares.
    fn add_block(
        &mut self,
        anchor: &Element,
        block: &Block,
        reason: &str,
        address_local: String,
    ) -> Element {
        let text = format!("# {}\n{}", comment(reason), block.render(0));
        self.module(&anchor.dir).blocks.push(text);
        let full = if anchor.address.module.is_empty() {
            address_local
        } else {
            format!("{}.{address_local}", anchor.address.module)
        };
        let id = ResourceId::new(full.clone());
        let e = Element {
            id: id.clone(),
            address: Address::parse(&full).unwrap_or_else(|| anchor.address.clone()),
            dir: anchor.dir.clone(),
            file: None,
            kind: ElementKind::New,
        };
        self.created.insert(id, e.clone());
        e
    }

    // ---- settings on existing blocks ---------------------------------------------------------

    /// `EnablePrivateDns` and `EnableVpcDns`, grouped by the block that writes them, and
    /// `SetEndpointSecurityGroups` where the endpoint's own block can take the list.
    fn block_settings(&mut self, items: &[Item], results: &mut [Option<Lowered>]) {
        // The ids each intent kind touches in this round, to tell whether a shared block is covered.
        let ids_of = |f: fn(&FixIntent) -> Option<&ResourceId>| -> BTreeSet<ResourceId> {
            items.iter().filter_map(|i| f(&i.intent)).cloned().collect()
        };
        let private_dns = ids_of(|i| match i {
            FixIntent::EnablePrivateDns { endpoint } => Some(endpoint),
            _ => None,
        });
        let vpc_dns = ids_of(|i| match i {
            FixIntent::EnableVpcDns { vpc } => Some(vpc),
            _ => None,
        });
        let mut done: HashMap<Vec<ResourceId>, Lowered> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let (id, covered, settings): (&ResourceId, &BTreeSet<ResourceId>, &[(&str, Setting)]) =
                match &item.intent {
                    FixIntent::EnablePrivateDns { endpoint } => (
                        endpoint,
                        &private_dns,
                        &[("private_dns_enabled", Setting::PrivateDns)],
                    ),
                    FixIntent::EnableVpcDns { vpc } => (
                        vpc,
                        &vpc_dns,
                        &[
                            ("enable_dns_support", Setting::DnsSupport),
                            ("enable_dns_hostnames", Setting::DnsHostnames),
                        ],
                    ),
                    _ => continue,
                };
            let mut block = self.sources.sharing_block(id);
            block.sort();
            let key = {
                let mut k = block.clone();
                k.push(ResourceId::new(settings[0].0));
                k
            };
            if let Some(previous) = done.get(&key) {
                results[i] = Some(previous.clone());
                continue;
            }
            let lowered = if block.iter().all(|b| covered.contains(b)) {
                self.set_true(id, settings)
                    .map_or_else(Lowered::not_written, |()| Lowered::written())
            } else {
                let others: Vec<String> = block
                    .iter()
                    .filter(|b| *b != id)
                    .map(ToString::to_string)
                    .collect();
                Lowered::not_written(format!(
                    "the block of {id} also writes {}, which do not need the change: set {} = true for {id} alone (e.g. a value that depends on each.key)",
                    others.join(", "),
                    settings[0].0
                ))
            };
            done.insert(key, lowered.clone());
            results[i] = Some(lowered);
        }
        self.endpoint_group_lists(items, results);
    }

    /// Sets boolean attributes to `true`, unless the value is an expression (then says which
    /// variable or expression to change) or the model already has them true.
    fn set_true(&mut self, id: &ResourceId, settings: &[(&str, Setting)]) -> Result<(), String> {
        let e = self.resolve(id)?;
        // A block that writes several instances is named without the key.
        let shared = self.sources.sharing_block(id).len() > 1;
        let name = if shared {
            format!(
                "{} (every instance)",
                e.address.local().split('[').next().unwrap_or_default()
            )
        } else {
            id.to_string()
        };
        let model = self.sources.model;
        let needed: Vec<(&str, bool)> = settings
            .iter()
            .map(|(key, s)| {
                let current = match s {
                    Setting::PrivateDns => model.endpoints.get(id).map(|e| &e.private_dns),
                    Setting::DnsSupport => model.vpcs.get(id).map(|v| &v.dns_support),
                    Setting::DnsHostnames => model.vpcs.get(id).map(|v| &v.dns_hostnames),
                };
                (*key, current != Some(&Known::Value(true)))
            })
            .collect();
        // A misspelling of a setting (`private_dns_enable`) is the setting as written: renamed, not
        // written beside.
        let keys: Vec<&str> = needed.iter().map(|(k, _)| *k).collect();
        let misspelt = self.sources.misspellings(id, &keys);
        let values = self.read_block(&e, |body| {
            needed
                .iter()
                .map(|(key, _)| match misspelt.iter().find(|m| m.meant == *key) {
                    Some(m) if document::value_of(body, key) == Value::Absent => {
                        document::value_of(body, &m.written)
                    }
                    _ => document::value_of(body, key),
                })
                .collect::<Vec<_>>()
        })?;
        let mut problems = Vec::new();
        for ((key, need), value) in needed.iter().zip(&values) {
            if let Value::Expression(text) = value
                && *need
            {
                problems.push(match document::variable_name(text) {
                    Some(var) => format!(
                        "{key} of {name} is var.{var}: set the variable {var} = true where its value is given (terraform.tfvars, -var)"
                    ),
                    None => format!("{key} of {name} is `{text}`: make it true"),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        self.edit_block(&e, |body| {
            for m in &misspelt {
                document::rename_attribute(body, &m.written, &m.meant)?;
            }
            for ((key, _), value) in needed.iter().zip(&values) {
                if matches!(value, Value::Absent | Value::Bool(false)) {
                    document::set_attribute(body, key, "true")?;
                }
            }
            Ok(())
        })?;
        self.renamed
            .extend(misspelt.into_iter().map(|m| m.location.clone()));
        Ok(())
    }

    /// `SetEndpointSecurityGroups` written into `security_group_ids` of the endpoint's own block,
    /// when the block writes only that endpoint and the list is absent or written out empty.
    fn endpoint_group_lists(&mut self, items: &[Item], results: &mut [Option<Lowered>]) {
        for (i, item) in items.iter().enumerate() {
            let FixIntent::SetEndpointSecurityGroups {
                endpoint,
                security_groups,
            } = &item.intent
            else {
                continue;
            };
            if results[i].is_some() || self.sources.sharing_block(endpoint).len() > 1 {
                continue;
            }
            let Ok(e) = self.resolve(endpoint) else {
                continue;
            };
            if self.block_editable(&e).is_err() {
                continue;
            }
            let written = self.read_block(&e, |body| {
                match document::value_of(body, "security_group_ids") {
                    Value::Absent => true,
                    Value::List(items) => items.is_empty(),
                    _ => false,
                }
            });
            if written != Ok(true) {
                continue;
            }
            let lowered = self
                .endpoint_group_refs(&e, security_groups, &item.reason)
                .and_then(|(refs, created)| {
                    self.edit_block(&e, |body| {
                        document::set_attribute(body, "security_group_ids", &list(&refs))
                    })?;
                    Ok(Lowered {
                        security_group: created,
                        ..Lowered::written()
                    })
                });
            results[i] = Some(lowered.unwrap_or_else(Lowered::not_written));
        }
    }

    /// References to the groups an endpoint gets: the ones given, or the VPC's endpoint group
    /// (created once per VPC), with its id.
    fn endpoint_group_refs(
        &mut self,
        endpoint: &Element,
        groups: &[ResourceId],
        reason: &str,
    ) -> Result<(Vec<String>, Option<ResourceId>), String> {
        if !groups.is_empty() {
            let refs = groups
                .iter()
                .map(|g| self.reference_to(endpoint, g, "id"))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok((refs, None));
        }
        let vpc = match self
            .sources
            .model
            .endpoints
            .get(&endpoint.id)
            .map(|e| &e.vpc)
        {
            Some(Known::Value(v)) => v.clone(),
            _ => return Err(format!("the VPC of {} is not known", endpoint.id)),
        };
        let (group, created) = self.endpoint_group(&vpc, reason)?;
        Ok((vec![Self::reference(endpoint, &group, "id")?], created))
    }

    /// The security group for the interface endpoints of a VPC, admitting HTTPS from the VPC:
    /// created with the first endpoint that needs it; with its id.
    fn endpoint_group(
        &mut self,
        vpc: &ResourceId,
        reason: &str,
    ) -> Result<(Element, Option<ResourceId>), String> {
        if let Some(id) = self.endpoint_groups.get(vpc) {
            let id = id.clone();
            return Ok((self.resolve(&id)?, Some(id)));
        }
        let v = self.resolve(vpc)?;
        self.module_writable(&v)?;
        let name = self.fresh_name(&v.dir, "aws_security_group", "vpc_endpoints");
        let block = Block::resource("aws_security_group", &name)
            .attr("name_prefix", string("vpc-endpoints-"))
            .attr(
                "description",
                string("HTTPS from the VPC to its interface endpoints"),
            )
            .attr("vpc_id", Self::reference(&v, &v, "id")?)
            .blank()
            .block(
                Block::new("ingress")
                    .attr("description", string("HTTPS from the VPC"))
                    .attr("from_port", "443")
                    .attr("to_port", "443")
                    .attr("protocol", string("tcp"))
                    .attr("cidr_blocks", self.vpc_cidrs(&v)?),
            );
        let e = self.add_block(&v, &block, reason, format!("aws_security_group.{name}"));
        self.endpoint_groups.insert(vpc.clone(), e.id.clone());
        Ok((e.clone(), Some(e.id)))
    }

    /// The VPC's CIDR blocks as a list expression: a reference to its `cidr_block` when it has one.
    fn vpc_cidrs(&self, vpc: &Element) -> Result<String, String> {
        let cidrs = self
            .sources
            .model
            .vpcs
            .get(&vpc.id)
            .map(|v| v.cidrs.known.clone())
            .unwrap_or_default();
        if cidrs.len() > 1 {
            return Ok(list(
                &cidrs
                    .iter()
                    .map(|c| string(&c.to_string()))
                    .collect::<Vec<_>>(),
            ));
        }
        Ok(list(&[Self::reference(vpc, vpc, "cidr_block")?]))
    }

    /// `SetEndpointSecurityGroups` where the endpoint's block cannot take the list: one
    /// `aws_vpc_endpoint_security_group_association` per group, replacing the VPC default group.
    fn endpoint_groups_by_association(
        &mut self,
        endpoint: &ResourceId,
        groups: &[ResourceId],
        reason: &str,
    ) -> Result<Lowered, String> {
        let e = self.resolve(endpoint)?;
        self.module_writable(&e)?;
        let (refs, created) = self.endpoint_group_refs(&e, groups, reason)?;
        let endpoint_ref = Self::reference(&e, &e, "id")?;
        for (n, group) in refs.iter().enumerate() {
            let name = self.fresh_name(
                &e.dir,
                "aws_vpc_endpoint_security_group_association",
                &format!("{}_{}", instance_name(&e.address), n + 1),
            );
            let mut block = Block::resource("aws_vpc_endpoint_security_group_association", &name)
                .attr("vpc_endpoint_id", endpoint_ref.clone())
                .attr("security_group_id", group.clone());
            if n == 0 {
                block = block.attr("replace_default_association", "true");
            }
            self.add_block(
                &e,
                &block,
                reason,
                format!("aws_vpc_endpoint_security_group_association.{name}"),
            );
        }
        Ok(Lowered {
            security_group: created,
            ..Lowered::written()
        })
    }

    // ---- route tables ----------------------------------------------------------------------

    fn associate_gateway_endpoint(
        &mut self,
        endpoint: &ResourceId,
        route_table: &ResourceId,
        reason: &str,
    ) -> Result<(), String> {
        let e = self.resolve(endpoint)?;
        let table = self.reference_to(&e, route_table, "id")?;
        let own_block =
            self.sources.sharing_block(endpoint).len() == 1 && self.block_editable(&e).is_ok();
        if own_block {
            let value = self.read_block(&e, |body| document::value_of(body, "route_table_ids"))?;
            match value {
                Value::List(_) => {
                    return self.edit_block(&e, |body| {
                        document::push_list_item(body, "route_table_ids", &table)
                    });
                }
                Value::Absent => {
                    return self.edit_block(&e, |body| {
                        document::set_attribute(
                            body,
                            "route_table_ids",
                            &list(std::slice::from_ref(&table)),
                        )
                    });
                }
                Value::Bool(_) | Value::Expression(_) => {}
            }
        }
        // The list is an expression, or the block writes other instances too: associate this one
        // table with this one endpoint.
        self.module_writable(&e)?;
        let rt = self.resolve(route_table)?;
        let name = self.fresh_name(
            &e.dir,
            "aws_vpc_endpoint_route_table_association",
            &format!(
                "{}_{}",
                instance_name(&e.address),
                instance_name(&rt.address)
            ),
        );
        let block = Block::resource("aws_vpc_endpoint_route_table_association", &name)
            .attr("vpc_endpoint_id", Self::reference(&e, &e, "id")?)
            .attr("route_table_id", table);
        self.add_block(
            &e,
            &block,
            reason,
            format!("aws_vpc_endpoint_route_table_association.{name}"),
        );
        Ok(())
    }

    // ---- security group rules ----------------------------------------------------------------

    fn allow_https(
        &mut self,
        group: &ResourceId,
        peer: &HttpsPeer,
        direction: Direction,
        reason: &str,
    ) -> Result<(), String> {
        let g = self.resolve(group)?;
        let peer = self.peer(&g, peer)?;
        let ident = direction.block();
        let inline = match g.kind {
            ElementKind::Declared if self.block_editable(&g).is_ok() => {
                self.read_block(&g, |body| {
                    (
                        document::has_blocks(body, ident),
                        document::has_attribute(body, ident),
                    )
                })?
            }
            _ => (false, false),
        };
        let authoritative = g.address.resource_type == "aws_default_security_group";
        if inline.1 {
            return Err(format!(
                "{group} lists its {ident} rules as an attribute: add one for tcp/443 {} {} to it",
                direction.preposition(),
                peer.describe
            ));
        }
        if inline.0 || authoritative {
            // The provider manages inline rules as the whole set: a separate rule resource would be
            // removed again by the next apply, so the rule goes inline too.
            if self.sources.sharing_block(group).len() > 1 {
                return Err(format!(
                    "the block of {group} writes several security groups: add an {ident} rule for tcp/443 {} {} to the instance that needs it",
                    direction.preposition(),
                    peer.describe
                ));
            }
            let rule = Block::new(ident)
                .attr(
                    "description",
                    string(&format!("HTTPS {} {}", direction.preposition(), peer.label)),
                )
                .attr("from_port", "443")
                .attr("to_port", "443")
                .attr("protocol", string("tcp"))
                .attr(
                    peer.inline_key,
                    list(std::slice::from_ref(&peer.expression)),
                );
            let text = rule.render(1);
            return self.edit_block(&g, |body| document::insert_block(body, ident, &text));
        }
        self.module_writable(&g)?;
        let resource_type = direction.resource_type();
        let name = self.fresh_name(
            &g.dir,
            resource_type,
            &format!(
                "{}_https_{}_{}",
                instance_name(&g.address),
                direction.preposition(),
                peer.label_name
            ),
        );
        let block = Block::resource(resource_type, &name)
            .attr("security_group_id", Self::reference(&g, &g, "id")?)
            .attr(
                "description",
                string(&format!("HTTPS {} {}", direction.preposition(), peer.label)),
            )
            .attr("ip_protocol", string("tcp"))
            .attr("from_port", "443")
            .attr("to_port", "443")
            .attr(peer.rule_key, peer.expression.clone());
        self.add_block(&g, &block, reason, format!("{resource_type}.{name}"));
        Ok(())
    }

    /// How a rule of `group` names its peer.
    fn peer(&mut self, group: &Element, peer: &HttpsPeer) -> Result<Peer, String> {
        match peer {
            HttpsPeer::Cidr(cidr) => Ok(self.cidr_peer(group, *cidr)),
            HttpsPeer::SecurityGroup(other) => {
                let o = self.resolve(other)?;
                Ok(Peer {
                    expression: Self::reference(group, &o, "id")?,
                    rule_key: "referenced_security_group_id",
                    inline_key: "security_groups",
                    label: other.to_string(),
                    label_name: instance_name(&o.address),
                    describe: other.to_string(),
                })
            }
            HttpsPeer::PrefixList(list_ref) => self.prefix_list_peer(group, list_ref),
        }
    }

    fn cidr_peer(&self, group: &Element, cidr: Ipv4Net) -> Peer {
        let model = self.sources.model;
        let vpc = model
            .security_groups
            .get(&group.id)
            .and_then(|g| g.vpc.value())
            .cloned();
        let primary = vpc
            .as_ref()
            .and_then(|v| model.vpcs.get(v))
            .filter(|v| v.cidrs.known.len() == 1)
            .and_then(|v| v.cidrs.known.first().copied());
        let vpc_ref = vpc
            .filter(|_| primary == Some(cidr))
            .and_then(|v| self.reference_to(group, &v, "cidr_block").ok());
        match vpc_ref {
            Some(expression) => Peer {
                expression,
                rule_key: "cidr_ipv4",
                inline_key: "cidr_blocks",
                label: "the VPC".to_owned(),
                label_name: "vpc".to_owned(),
                describe: format!("the VPC CIDR {cidr}"),
            },
            None => Peer {
                expression: string(&cidr.to_string()),
                rule_key: "cidr_ipv4",
                inline_key: "cidr_blocks",
                label: cidr.to_string(),
                label_name: cidr.to_string(),
                describe: cidr.to_string(),
            },
        }
    }

    fn prefix_list_peer(
        &mut self,
        group: &Element,
        list_ref: &PrefixListRef,
    ) -> Result<Peer, String> {
        let peer = |expression: String, label: String| Peer {
            expression,
            rule_key: "prefix_list_id",
            inline_key: "prefix_list_ids",
            label_name: label.clone(),
            describe: format!("the prefix list of {label}"),
            label,
        };
        match list_ref {
            PrefixListRef::OfEndpoint { endpoint } => {
                let e = self.resolve(endpoint)?;
                let service = self
                    .sources
                    .model
                    .endpoints
                    .get(endpoint)
                    .and_then(privlink_model::VpcEndpoint::service_suffix)
                    .unwrap_or_else(|| "s3".to_owned());
                Ok(peer(Self::reference(group, &e, "prefix_list_id")?, service))
            }
            PrefixListRef::AwsManaged {
                name: Known::Value(name),
            } => {
                let service = name.rsplit('.').next().unwrap_or(name).to_owned();
                let key = (group.dir.clone(), name.clone());
                let data_name = if let Some(n) = self.prefix_lists.get(&key) {
                    n.clone()
                } else {
                    let n =
                        self.fresh_name(&group.dir, "data.aws_ec2_managed_prefix_list", &service);
                    let block = Block::new(format!("data \"aws_ec2_managed_prefix_list\" \"{n}\""))
                        .attr("name", string(name));
                    let text = format!(
                        "# the AWS-managed prefix list of {name}\n{}",
                        block.render(0)
                    );
                    self.module(&group.dir).blocks.push(text);
                    self.prefix_lists.insert(key, n.clone());
                    n
                };
                Ok(peer(
                    format!("data.aws_ec2_managed_prefix_list.{data_name}.id"),
                    service,
                ))
            }
            PrefixListRef::Id { id, service } => Ok(peer(
                string(id),
                service.clone().unwrap_or_else(|| id.clone()),
            )),
            PrefixListRef::CustomerManaged { id, .. } => {
                let e = self.resolve(id)?;
                Ok(peer(
                    Self::reference(group, &e, "id")?,
                    instance_name(&e.address),
                ))
            }
            PrefixListRef::AwsManaged { .. } | PrefixListRef::Unknown(_) => {
                Err("the prefix list is not known".to_owned())
            }
        }
    }

    // ---- endpoints -----------------------------------------------------------------------

    fn add_interface_endpoint(
        &mut self,
        vpc: &ResourceId,
        service_name: &str,
        subnets: &[ResourceId],
        groups: &[ResourceId],
        reason: &str,
    ) -> Result<Lowered, String> {
        let v = self.resolve(vpc)?;
        self.module_writable(&v)?;
        let subnet_refs = subnets
            .iter()
            .map(|s| self.reference_to(&v, s, "id"))
            .collect::<Result<Vec<_>, _>>()?;
        let (group_refs, created_group) = if groups.is_empty() {
            let (g, created) = self.endpoint_group(vpc, reason)?;
            (vec![Self::reference(&v, &g, "id")?], created)
        } else {
            let refs = groups
                .iter()
                .map(|g| self.reference_to(&v, g, "id"))
                .collect::<Result<Vec<_>, _>>()?;
            (refs, None)
        };
        let name = self.fresh_name(&v.dir, "aws_vpc_endpoint", &service_label(service_name));
        let block = Block::resource("aws_vpc_endpoint", &name)
            .attr("vpc_id", Self::reference(&v, &v, "id")?)
            .attr("service_name", string(service_name))
            .attr("vpc_endpoint_type", string("Interface"))
            .attr("private_dns_enabled", "true")
            .attr("subnet_ids", list(&subnet_refs))
            .attr("security_group_ids", list(&group_refs));
        let e = self.add_block(&v, &block, reason, format!("aws_vpc_endpoint.{name}"));
        Ok(Lowered {
            endpoint: Some(e.id),
            security_group: created_group,
            ..Lowered::written()
        })
    }

    fn add_gateway_endpoint(
        &mut self,
        vpc: &ResourceId,
        service_name: &str,
        route_tables: &[ResourceId],
        reason: &str,
    ) -> Result<Lowered, String> {
        let v = self.resolve(vpc)?;
        self.module_writable(&v)?;
        let tables = route_tables
            .iter()
            .map(|t| self.reference_to(&v, t, "id"))
            .collect::<Result<Vec<_>, _>>()?;
        let name = self.fresh_name(&v.dir, "aws_vpc_endpoint", &service_label(service_name));
        let block = Block::resource("aws_vpc_endpoint", &name)
            .attr("vpc_id", Self::reference(&v, &v, "id")?)
            .attr("service_name", string(service_name))
            .attr("vpc_endpoint_type", string("Gateway"))
            .attr("route_table_ids", list(&tables));
        let e = self.add_block(&v, &block, reason, format!("aws_vpc_endpoint.{name}"));
        Ok(Lowered {
            endpoint: Some(e.id),
            ..Lowered::written()
        })
    }
}

/// Which boolean a setting intent turns on.
#[derive(Clone, Copy, Debug)]
enum Setting {
    PrivateDns,
    DnsSupport,
    DnsHostnames,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn block(self) -> &'static str {
        match self {
            Self::Ingress => "ingress",
            Self::Egress => "egress",
        }
    }

    fn preposition(self) -> &'static str {
        match self {
            Self::Ingress => "from",
            Self::Egress => "to",
        }
    }

    fn resource_type(self) -> &'static str {
        match self {
            Self::Ingress => "aws_vpc_security_group_ingress_rule",
            Self::Egress => "aws_vpc_security_group_egress_rule",
        }
    }
}

/// The other side of a new rule, as Terraform writes it.
#[derive(Debug)]
struct Peer {
    expression: String,
    /// The argument of `aws_vpc_security_group_*_rule`.
    rule_key: &'static str,
    /// The argument of an inline `ingress`/`egress` block (a list).
    inline_key: &'static str,
    /// For descriptions: `the VPC`, `s3`.
    label: String,
    /// For resource names.
    label_name: String,
    /// For messages.
    describe: String,
}

/// `module.net` → `module.net`, `""` → `the root module`.
fn module_name(module: &str) -> String {
    if module.is_empty() {
        "the root module".to_owned()
    } else {
        module.to_owned()
    }
}

/// A name part for an instance: `app`, `app_a` for `app["a"]`, `app_0` for `app[0]`.
fn instance_name(address: &Address) -> String {
    let mut name = address.name.clone();
    if let Some(key) = &address.key {
        name.push('_');
        name.push_str(key.trim_matches(['[', ']', '"']));
    }
    if let Some(what) = &address.implicit {
        // `aws_vpc.main#main-route-table` → `main_main_route_table`.
        name.push('_');
        name.push_str(what);
    }
    sanitize(&name)
}

/// `com.amazonaws.ap-northeast-1.ecr.api` → `ecr_api`.
fn service_label(service_name: &str) -> String {
    privlink_model::ServiceName::parse(service_name)
        .map_or_else(|| service_name.to_owned(), |s| s.service)
}

/// A Terraform name in the usual style: lower-case letters, digits and `_`, not starting with a digit.
fn sanitize(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    let out = out.trim_matches('_').to_owned();
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        format!("r_{out}")
    } else {
        out
    }
}

/// A one-line comment from a finding's reason.
fn comment(reason: &str) -> String {
    reason.replace('\n', " ")
}

/// The resources and data sources declared in the `.tf` and `.tf.json` files of a directory.
fn declared_names(dir: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return names;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if name.ends_with(".tf") {
            if let Ok(doc) = Document::parse(text) {
                names.extend(doc.declared_names());
            }
        } else if name.ends_with(".tf.json")
            && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
        {
            for (mode, prefix) in [("resource", ""), ("data", "data.")] {
                if let Some(types) = json.get(mode).and_then(|v| v.as_object()) {
                    for (t, blocks) in types {
                        if let Some(blocks) = blocks.as_object() {
                            names.extend(blocks.keys().map(|n| format!("{prefix}{t}.{n}")));
                        }
                    }
                }
            }
        }
    }
    names
}

/// `DIR/privlink_fixes.tf`, or `privlink_fixes_2.tf`, ... when that exists.
fn fresh_file(dir: &Path) -> PathBuf {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{FIXES_FILE}.tf")
        } else {
            format!("{FIXES_FILE}_{n}.tf")
        };
        let path = if dir == Path::new(".") {
            PathBuf::from(&name)
        } else {
            dir.join(&name)
        };
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_terraform_identifiers() {
        assert_eq!(sanitize("ecr.api"), "ecr_api");
        assert_eq!(sanitize("10.0.0.0/16"), "r_10_0_0_0_16");
        assert_eq!(
            instance_name(&Address::parse(r#"aws_route_table.app["a"]"#).unwrap()),
            "app_a"
        );
        assert_eq!(
            instance_name(&Address::parse("aws_vpc.main#main-route-table").unwrap()),
            "main_main_route_table"
        );
        assert_eq!(
            service_label("com.amazonaws.ap-northeast-1.ecr.api"),
            "ecr.api"
        );
    }
}
