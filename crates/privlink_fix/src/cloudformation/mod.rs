//! Lowering fix intents to CloudFormation templates.

use std::path::PathBuf;

use privlink_model::ResourceId;

use crate::plan::{FileChange, Item, Lowered};
use crate::source::Sources;

/// The CloudFormation backend of one plan.
#[derive(Debug)]
pub(crate) struct CloudFormation<'s, 'm> {
    sources: &'s Sources<'m>,
    generated: Vec<PathBuf>,
}

impl<'s, 'm> CloudFormation<'s, 'm> {
    pub(crate) fn new(sources: &'s Sources<'m>, generated: &[PathBuf]) -> Self {
        Self {
            sources,
            generated: generated.to_vec(),
        }
    }

    pub(crate) fn created(&self, _id: &ResourceId) -> bool {
        false
    }

    pub(crate) fn lower(&mut self, items: &[Item]) -> Vec<Lowered> {
        let _ = (self.sources, &self.generated);
        items.iter().map(|_| Lowered::not_written("privlink does not write CloudFormation fixes yet")).collect()
    }

    pub(crate) fn finish(self) -> Vec<FileChange> {
        Vec::new()
    }
}
