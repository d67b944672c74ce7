//! Where model elements are written: the language of the file that declares them, and which other
//! instances share the same block (Terraform `count`/`for_each`, a module called several times).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use privlink_model::{FixIntent, Misspelling, Model, Origin, Provenance, ResourceId};

use crate::plan::Language;

/// The element an intent changes or builds on: its language decides who lowers it.
pub(crate) fn anchor(intent: &FixIntent) -> Option<&ResourceId> {
    match intent {
        FixIntent::AddInterfaceEndpoint { vpc, .. }
        | FixIntent::AddGatewayEndpoint { vpc, .. }
        | FixIntent::EnableVpcDns { vpc } => Some(vpc),
        FixIntent::AssociateGatewayEndpoint { endpoint, .. }
        | FixIntent::EnablePrivateDns { endpoint }
        | FixIntent::SetEndpointSecurityGroups { endpoint, .. } => Some(endpoint),
        FixIntent::AllowHttpsIngress { security_group, .. }
        | FixIntent::AllowHttpsEgress { security_group, .. } => Some(security_group),
        FixIntent::Manual { .. } => None,
    }
}

/// Every element of the model with its provenance.
fn elements(model: &Model) -> impl Iterator<Item = (&ResourceId, &Provenance)> {
    let m = model;
    m.vpcs
        .iter()
        .map(|(id, e)| (id, &e.provenance))
        .chain(m.subnets.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(m.route_tables.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(m.security_groups.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(m.network_acls.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(m.endpoints.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(
            m.internet_gateways
                .iter()
                .map(|(id, e)| (id, &e.provenance)),
        )
        .chain(m.nat_gateways.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(m.eks_clusters.iter().map(|(id, e)| (id, &e.provenance)))
        .chain(
            m.efs_mount_targets
                .iter()
                .map(|(id, e)| (id, &e.provenance)),
        )
}

type LocationKey = (String, u32, u32);

/// Lookups over the analysed model.
#[derive(Debug)]
pub(crate) struct Sources<'m> {
    pub(crate) model: &'m Model,
    /// Declared elements by the place they are written.
    by_location: HashMap<LocationKey, Vec<ResourceId>>,
    /// Declared Terraform elements by directory: the module instances whose blocks are there.
    module_instances: HashMap<PathBuf, Vec<String>>,
}

impl<'m> Sources<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        let mut by_location: HashMap<LocationKey, Vec<ResourceId>> = HashMap::new();
        let mut module_instances: HashMap<PathBuf, Vec<String>> = HashMap::new();
        for (id, p) in elements(model) {
            let (Origin::Declared, Some(loc)) = (&p.origin, &p.location) else {
                continue;
            };
            by_location
                .entry((loc.path.clone(), loc.line, loc.column))
                .or_default()
                .push(id.clone());
            if is_terraform(&loc.path) {
                let module = crate::terraform::address::Address::parse(&p.address)
                    .map(|a| a.module)
                    .unwrap_or_default();
                let list = module_instances.entry(dir_of(&loc.path)).or_default();
                if !list.contains(&module) {
                    list.push(module);
                }
            }
        }
        Self {
            model,
            by_location,
            module_instances,
        }
    }

    pub(crate) fn provenance(&self, id: &ResourceId) -> Option<&'m Provenance> {
        self.model.provenance_of(id)
    }

    /// The declared elements written by the same block as `id` (itself included).
    pub(crate) fn sharing_block(&self, id: &ResourceId) -> Vec<ResourceId> {
        self.provenance(id)
            .and_then(|p| p.location.as_ref())
            .and_then(|l| {
                self.by_location
                    .get(&(l.path.clone(), l.line, l.column))
                    .cloned()
            })
            .unwrap_or_else(|| vec![id.clone()])
    }

    /// The module instances (`""` for the root, `module.net`, ...) whose blocks are written in `dir`.
    pub(crate) fn module_instances(&self, dir: &Path) -> &[String] {
        self.module_instances.get(dir).map_or(&[], Vec::as_slice)
    }

    /// The misspellings of the arguments or properties `keys` at the top level of the block that
    /// declares `id` (`private_dns_enable` for `private_dns_enabled`): a fix that sets one of them
    /// renames the misspelling instead of writing the name beside it.
    pub(crate) fn misspellings(&self, id: &ResourceId, keys: &[&str]) -> Vec<&'m Misspelling> {
        let model: &'m Model = self.model;
        let Some(block) = model.provenance_of(id).and_then(|p| p.location.as_ref()) else {
            return Vec::new();
        };
        model
            .misspellings
            .iter()
            .filter(|m| {
                m.block == *block && m.parent.is_empty() && keys.contains(&m.meant.as_str())
            })
            .collect()
    }

    /// The language of the file that writes `id`, or why there is none privlink can edit.
    pub(crate) fn language(&self, id: &ResourceId) -> Result<Language, String> {
        let Some(p) = self.provenance(id) else {
            return Err(format!("{id} is not in the inputs"));
        };
        let Some(loc) = &p.location else {
            return Err(
                if crate::terraform::address::Address::parse(&p.address).is_some() {
                    format!(
                        "{id} comes from a plan or state without its configuration: give privlink the configuration directory too (privlink fix plan.json DIR/)"
                    )
                } else {
                    format!(
                        "{id} is not written in a file privlink can edit: change it where it is defined (privlink aws apply for a live account)"
                    )
                },
            );
        };
        if is_terraform(&loc.path) {
            Ok(Language::Terraform)
        } else {
            Ok(Language::CloudFormation)
        }
    }
}

/// Whether a path is a Terraform configuration file.
pub(crate) fn is_terraform(path: &str) -> bool {
    path.ends_with(".tf") || path.ends_with(".tf.json")
}

/// The directory of a file as the inputs name it (`.` for a bare file name).
pub(crate) fn dir_of(path: &str) -> PathBuf {
    match Path::new(path).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
