//! Provider configurations: which region each resource's AWS provider uses.
//!
//! A resource uses `provider = aws.west` or its type's default configuration (`aws`). A module
//! instance resolves a configuration key through its own `provider` blocks, then the call's
//! `providers = { aws = aws.west }` map, then (for default configurations only, as Terraform does)
//! the parent's configuration of the same name. At the root, an undeclared configuration, or one
//! whose region is not determined, falls back to `--region`.

use privlink_model::Known;

use super::engine::{Engine, ModId};
use super::eval::Scope;
use super::syntax::Pos;
use super::values::to_string;
use crate::terraform::value::Value;

impl Engine<'_> {
    /// The region of provider configuration `key` (`aws`, `aws.west`) as seen from `module`.
    pub(crate) fn provider_region(&self, module: ModId, key: &str) -> Known<String> {
        let inst = self.inst(module);
        self.memo(
            &self.memos.regions,
            (module, key.to_owned()),
            || format!("{}provider[{key}]", super::variables::prefix(&inst.path)),
            Pos { file: 0, offset: 0 },
            || self.compute_region(module, key),
            |reason| Known::unknown(reason),
        )
    }

    fn compute_region(&self, module: ModId, key: &str) -> Known<String> {
        let inst = self.inst(module);
        if let Some(provider) = inst.def.providers.iter().find(|p| p.key == key) {
            let value = provider
                .body
                .attribute("region")
                .map(|a| self.eval(&a.expr, &Scope::module(module, None)));
            return match value {
                Some(Value::Unknown(u)) => self.fallback_region(&format!(
                    "the region of provider {key} is not known: {}",
                    u.reason
                )),
                Some(Value::Null) | None => {
                    self.fallback_region(&format!("provider {key} sets no region"))
                }
                Some(value) => match to_string(&value) {
                    Ok(region) => Known::Value(region),
                    Err(e) => {
                        let at = provider
                            .body
                            .attribute("region")
                            .map_or(Pos { file: 0, offset: 0 }, |a| a.pos);
                        self.invalid(at, format!("Incorrect attribute value type: Inappropriate value for attribute \"region\": {e}."), None);
                        self.fallback_region(&format!("provider {key} has an invalid region"))
                    }
                },
            };
        }
        if let (Some(parent), Some(call)) = (inst.parent, inst.call) {
            let parent_def = self.inst(parent).def.clone();
            let mapped = parent_def.calls[call]
                .providers
                .iter()
                .find(|(child, _)| child == key)
                .map(|(_, p)| p.clone());
            match mapped {
                Some(parent_key) => return self.provider_region(parent, &parent_key),
                None if !key.contains('.') => return self.provider_region(parent, key),
                None => {}
            }
        }
        self.fallback_region(&format!("no provider configuration {key} sets the region"))
    }

    fn fallback_region(&self, reason: &str) -> Known<String> {
        match &self.options.region {
            Some(region) => Known::Value(region.clone()),
            None => Known::unknown(format!("{reason}; pass --region")),
        }
    }
}
