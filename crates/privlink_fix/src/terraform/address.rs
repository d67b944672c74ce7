//! Terraform addresses as the model names elements (`module.net.aws_subnet.app["a"]`,
//! `data.aws_vpc.shared`, `aws_vpc.main#main-route-table`), split into the parts a fix needs: the
//! module instance, the block's type and name, the instance key, and the expression that refers to
//! the element from inside its module.

/// A parsed address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Address {
    /// The module instance path: `""` for the root module, `module.net`, `module.net["a"]`.
    pub(crate) module: String,
    /// A `data` block.
    pub(crate) data: bool,
    /// The resource type: `aws_subnet`.
    pub(crate) resource_type: String,
    /// The block name: `app`.
    pub(crate) name: String,
    /// The instance key as written: `["a"]`, `[0]`.
    pub(crate) key: Option<String>,
    /// For an element AWS creates with another one, what it is (`main-route-table`).
    pub(crate) implicit: Option<String>,
}

impl Address {
    /// Parses an address; `None` when it is not a Terraform address.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (text, implicit) = match text.split_once('#') {
            Some((base, what)) => (base, Some(what.to_owned())),
            None => (text, None),
        };
        let mut rest = text;
        let mut module = String::new();
        while let Some(after) = rest.strip_prefix("module.") {
            let name_end = after.find(['.', '['])?;
            let mut end = name_end;
            if after[name_end..].starts_with('[') {
                end = name_end + bracket_len(&after[name_end..])?;
            }
            if !module.is_empty() {
                module.push('.');
            }
            module.push_str("module.");
            module.push_str(&after[..end]);
            rest = after[end..].strip_prefix('.')?;
        }
        let (data, rest) = match rest.strip_prefix("data.") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (resource_type, rest) = rest.split_once('.')?;
        let (name, key) = match rest.find('[') {
            Some(i) => {
                let key = &rest[i..];
                if bracket_len(key)? != key.len() {
                    return None;
                }
                (&rest[..i], Some(key.to_owned()))
            }
            None => (rest, None),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if !valid(resource_type) || !valid(name) {
            return None;
        }
        Some(Self {
            module,
            data,
            resource_type: resource_type.to_owned(),
            name: name.to_owned(),
            key,
            implicit,
        })
    }

    /// The address inside its module, without the implicit suffix: `aws_subnet.app["a"]`.
    pub(crate) fn local(&self) -> String {
        format!(
            "{}{}.{}{}",
            if self.data { "data." } else { "" },
            self.resource_type,
            self.name,
            self.key.as_deref().unwrap_or("")
        )
    }

    /// The expression for an attribute of the element, from inside its module. Implicit elements are
    /// attributes of the element that creates them.
    pub(crate) fn reference(&self, attribute: &str) -> Option<String> {
        let base = self.local();
        match self.implicit.as_deref() {
            None => Some(format!("{base}.{attribute}")),
            Some(what) if attribute == "id" => {
                let of = match (self.resource_type.as_str(), what) {
                    (_, "main-route-table") => "main_route_table_id",
                    (_, "default-security-group") => "default_security_group_id",
                    (_, "default-network-acl") => "default_network_acl_id",
                    ("aws_eks_cluster", "cluster-security-group") => {
                        "vpc_config[0].cluster_security_group_id"
                    }
                    _ => return None,
                };
                Some(format!("{base}.{of}"))
            }
            Some(_) => None,
        }
    }
}

/// The length of a `[...]` index at the start of `text`, quoted strings included.
fn bracket_len(text: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_modules_keys_and_implicit_elements() {
        let a = Address::parse(r#"module.net["x"].module.inner.aws_subnet.app["a.b"]"#).unwrap();
        assert_eq!(a.module, r#"module.net["x"].module.inner"#);
        assert_eq!(a.local(), r#"aws_subnet.app["a.b"]"#);
        assert_eq!(a.reference("id").unwrap(), r#"aws_subnet.app["a.b"].id"#);

        let d = Address::parse("data.aws_vpc.shared").unwrap();
        assert!(d.data && d.module.is_empty());
        assert_eq!(
            d.reference("cidr_block").unwrap(),
            "data.aws_vpc.shared.cidr_block"
        );

        let m = Address::parse("aws_vpc.main#main-route-table").unwrap();
        assert_eq!(
            m.reference("id").unwrap(),
            "aws_vpc.main.main_route_table_id"
        );
        let e = Address::parse("aws_eks_cluster.main#cluster-security-group").unwrap();
        assert_eq!(
            e.reference("id").unwrap(),
            "aws_eks_cluster.main.vpc_config[0].cluster_security_group_id"
        );

        assert_eq!(
            Address::parse("aws_vpc_endpoint.s3[0]")
                .unwrap()
                .key
                .as_deref(),
            Some("[0]")
        );
        assert!(Address::parse("Vpc").is_none());
        assert!(Address::parse("import:dev-vpc").is_none());
        assert!(Address::parse("vpc-0abc").is_none());
    }
}
