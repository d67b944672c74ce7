//! Flows grouped by the workload they were traced for, built in one pass over the flows, so
//! reports, rules and the cost estimate find a workload's flows without scanning every flow (which
//! made them quadratic in the size of an organisation).

use std::collections::HashMap;

use crate::reach::Flow;

/// Each workload name's flows, in analysis order.
#[derive(Debug, Default)]
pub struct FlowsByWorkload<'a> {
    by_name: HashMap<&'a str, Vec<&'a Flow>>,
}

impl<'a> FlowsByWorkload<'a> {
    /// Groups `flows` by workload name.
    pub fn new(flows: &'a [Flow]) -> Self {
        let mut by_name: HashMap<&str, Vec<&Flow>> = HashMap::new();
        for f in flows {
            by_name.entry(f.workload.as_str()).or_default().push(f);
        }
        Self { by_name }
    }

    /// The flows traced for the workload called `name` (every workload of that name), in the
    /// order of the flows given; empty when there are none.
    pub fn of(&self, name: &str) -> &[&'a Flow] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }
}
