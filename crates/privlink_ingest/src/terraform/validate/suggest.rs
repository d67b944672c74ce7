//! Terraform's "Did you mean": a name within two edits of what was written.

/// The candidate Terraform suggests for a name it does not know: one at an edit (Levenshtein)
/// distance below 3. Terraform takes the first such name in an order it does not fix; privlink takes
/// the closest, then the first by name, so the answer is the same on every run.
pub(super) fn name_suggestion<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(given, c), c))
        .filter(|(distance, _)| *distance < 3)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name_within_two_edits() {
        let names = ["private_dns_enabled", "policy", "vpc_id", "subnet_ids"];
        assert_eq!(
            name_suggestion("private_dns_enable", names),
            Some("private_dns_enabled")
        );
        assert_eq!(name_suggestion("subnet_id", names), Some("subnet_ids"));
        assert_eq!(name_suggestion("bogus", names), None);
        assert_eq!(name_suggestion("vpc", names), None);
    }
}
