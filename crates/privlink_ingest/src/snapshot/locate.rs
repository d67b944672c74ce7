//! Locations of live resources inside a snapshot document.
//!
//! A live resource has no source file, so its location is the line of the snapshot that names it: the
//! writer puts each resource's own id as the first field of its object and pretty-prints, so the id
//! line directly follows the object's `{`. That makes locations stable (the same resource is on the
//! same line in two scans of an unchanged account) and lets text and SARIF reports show the resource.
//! A hand-edited or compact snapshot still gets the first line that mentions the id.

use std::collections::HashMap;

use privlink_model::Location;

/// Finds the line of a resource in one snapshot document.
#[derive(Debug)]
pub(crate) struct Locator<'a> {
    path: &'a str,
    lines: Vec<&'a str>,
    /// Ids that open an object, to their 1-based line and column.
    openers: HashMap<&'a str, (u32, u32)>,
}

impl<'a> Locator<'a> {
    /// Indexes `text`, shown as `path`.
    pub(crate) fn new(path: &'a str, text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut openers = HashMap::new();
        let mut previous = "";
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim();
            if previous.ends_with('{')
                && let Some(value) = first_string_value(trimmed)
            {
                let column = line.len() - line.trim_start().len() + 1;
                openers
                    .entry(value)
                    .or_insert((to_u32(i + 1), to_u32(column)));
            }
            if !trimmed.is_empty() {
                previous = trimmed;
            }
        }
        Self {
            path,
            lines,
            openers,
        }
    }

    /// The location of the resource whose id (or ARN) is `id`.
    pub(crate) fn locate(&self, id: &str) -> Location {
        if let Some((line, column)) = self.openers.get(id) {
            return Location::new(self.path, *line, *column);
        }
        let quoted = format!("\"{id}\"");
        for (i, line) in self.lines.iter().enumerate() {
            if let Some(at) = line.find(&quoted) {
                return Location::new(self.path, to_u32(i + 1), to_u32(at + 1));
            }
        }
        Location::new(self.path, 1, 1)
    }
}

/// The string value of a `"Key": "value"` line.
fn first_string_value(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('"')?;
    let (_, rest) = rest.split_once("\":")?;
    let value = rest
        .trim()
        .trim_end_matches(',')
        .strip_prefix('"')?
        .strip_suffix('"')?;
    (!value.contains('"')).then_some(value)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_that_opens_a_resource() {
        let text = "{\n  \"subnets\": [\n    {\n      \"SubnetId\": \"subnet-1\",\n      \"VpcId\": \"vpc-1\"\n    }\n  ],\n  \"vpcs\": [\n    {\n      \"VpcId\": \"vpc-1\"\n    }\n  ]\n}\n";
        let locator = Locator::new("scan.json", text);
        assert_eq!(locator.locate("subnet-1"), Location::new("scan.json", 4, 7));
        // The VPC is where its own object starts, not where the subnet mentions it.
        assert_eq!(locator.locate("vpc-1"), Location::new("scan.json", 10, 7));
        let compact = Locator::new("c.json", r#"{"vpcs":[{"VpcId":"vpc-9"}]}"#);
        assert_eq!(compact.locate("vpc-9"), Location::new("c.json", 1, 19));
        assert_eq!(compact.locate("vpc-0"), Location::new("c.json", 1, 1));
    }
}
