//! Evaluation budgets: what a configuration may make privlink compute.
//!
//! Terraform bounds `range()` to 1024 elements (privlink does the same in `functions`), but not
//! instance counts or string sizes; a configuration that asks for a billion instances or doubles a
//! string forty times would exhaust memory. privlink bounds them and reports, at the expression,
//! an input error saying which limit was reached; the value becomes unknown and the rest of the
//! configuration is still analysed.
//!
//! | limit | value |
//! |---|---|
//! | instances of one `count`/`for_each` | [`MAX_INSTANCES`] |
//! | size of one evaluated value (string bytes, plus 16 per element) | [`MAX_VALUE_SIZE`] |
//! | total size of the local values and outputs of a run | [`MAX_TOTAL_SIZE`] |

use std::cell::Cell;

use crate::terraform::value::Value;

/// Instances one `count` or `for_each` may create.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// The size one value may have.
pub(crate) const MAX_VALUE_SIZE: usize = 16 << 20;
/// The total size of every local value and output of a run.
pub(crate) const MAX_TOTAL_SIZE: usize = 256 << 20;

/// What has been spent so far.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    total: Cell<usize>,
}

/// A limit a value reached, as the message of an input error.
pub(crate) type Exceeded = String;

impl Budget {
    /// Checks one value; `named` values (locals, outputs) also count towards the total.
    pub(crate) fn check(&self, value: &Value, named: bool) -> Result<(), Exceeded> {
        let size = size(value, MAX_VALUE_SIZE);
        if size > MAX_VALUE_SIZE {
            return Err(format!(
                "this expression evaluates to more than {} MiB; privlink evaluates values up to that size",
                MAX_VALUE_SIZE >> 20
            ));
        }
        if named {
            let total = self.total.get().saturating_add(size);
            self.total.set(total);
            if total > MAX_TOTAL_SIZE {
                return Err(format!(
                    "the local values and outputs evaluated so far exceed {} MiB in total; privlink evaluates configurations up to that size",
                    MAX_TOTAL_SIZE >> 20
                ));
            }
        }
        Ok(())
    }
}

/// Help for an exceeded budget.
pub(crate) const HELP: &str = "privlink bounds evaluation so that no configuration can exhaust memory; a real network configuration stays far below these limits — check the expression for runaway growth";

/// The approximate size of a value, counting no further than `limit`.
fn size(value: &Value, limit: usize) -> usize {
    let mut total = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(16);
        match v {
            Value::String(s) => total = total.saturating_add(s.len()),
            Value::List(items) | Value::Set(items) => stack.extend(items),
            Value::Map(map) => {
                for (k, v) in map {
                    total = total.saturating_add(k.len());
                    stack.push(v);
                }
            }
            _ => {}
        }
        if total > limit {
            break;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_over_the_limit_is_refused_and_named_values_add_up() {
        let budget = Budget::default();
        let big = Value::String("x".repeat(MAX_VALUE_SIZE + 1));
        assert!(budget.check(&big, false).is_err());
        let half = Value::String("x".repeat(MAX_VALUE_SIZE / 2));
        let needed = MAX_TOTAL_SIZE / (MAX_VALUE_SIZE / 2);
        for _ in 0..needed - 1 {
            assert!(budget.check(&half, true).is_ok());
        }
        assert!(budget.check(&half, true).is_err());
        assert!(budget.check(&half, false).is_ok());
    }
}
