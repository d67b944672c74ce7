//! Where a container image comes from, and what an ECR pull-through cache would make of it.

use std::fmt;

/// The registry an image reference points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// A private ECR registry.
    Ecr {
        /// The registry's account.
        account: String,
        /// The registry's region.
        region: String,
    },
    /// Amazon ECR Public (`public.ecr.aws`).
    EcrPublic,
    /// Docker Hub (including bare names like `nginx:1.27`).
    DockerHub,
    /// GitHub Container Registry.
    Ghcr,
    /// Quay.
    Quay,
    /// The Kubernetes registry (`registry.k8s.io`).
    KubernetesRegistry,
    /// GitLab Container Registry.
    Gitlab,
    /// Azure Container Registry.
    Azure(String),
    /// Any other registry.
    Other(String),
}

impl fmt::Display for ImageSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ecr { account, region } => write!(f, "private ECR ({account}, {region})"),
            Self::EcrPublic => f.write_str("Amazon ECR Public"),
            Self::DockerHub => f.write_str("Docker Hub"),
            Self::Ghcr => f.write_str("GitHub Container Registry"),
            Self::Quay => f.write_str("Quay"),
            Self::KubernetesRegistry => f.write_str("registry.k8s.io"),
            Self::Gitlab => f.write_str("GitLab Container Registry"),
            Self::Azure(host) | Self::Other(host) => f.write_str(host),
        }
    }
}

/// Splits a reference into registry host and repository path (with tag or digest).
fn split_registry(reference: &str) -> (Option<&str>, &str) {
    match reference.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), rest)
        }
        _ => (None, reference),
    }
}

/// Classifies an image reference.
pub fn classify(reference: &str) -> ImageSource {
    let (host, _) = split_registry(reference.trim());
    let Some(host) = host.map(str::to_ascii_lowercase) else {
        return ImageSource::DockerHub;
    };
    let host = host.split(':').next().unwrap_or_default().to_owned();
    if let Some(ecr) = ecr_registry(&host) {
        return ecr;
    }
    match host.as_str() {
        "public.ecr.aws" => ImageSource::EcrPublic,
        "docker.io" | "registry-1.docker.io" | "index.docker.io" => ImageSource::DockerHub,
        "ghcr.io" => ImageSource::Ghcr,
        "quay.io" => ImageSource::Quay,
        "registry.k8s.io" | "k8s.gcr.io" => ImageSource::KubernetesRegistry,
        "registry.gitlab.com" => ImageSource::Gitlab,
        h if h.ends_with(".azurecr.io") => ImageSource::Azure(host.clone()),
        _ => ImageSource::Other(host),
    }
}

/// `<acct>.dkr.ecr.<r>.amazonaws.com[.cn]`, FIPS `<acct>.dkr.ecr-fips.<r>...`, dual-stack
/// `<acct>.dkr-ecr.<r>.on.aws`.
fn ecr_registry(host: &str) -> Option<ImageSource> {
    let parts: Vec<&str> = host.split('.').collect();
    let (account, region) = match parts.as_slice() {
        [
            acct,
            "dkr",
            "ecr" | "ecr-fips",
            region,
            "amazonaws",
            "com",
            ..,
        ] => (acct, region),
        [acct, "dkr-ecr" | "dkr-ecr-fips", region, "on", "aws"] => (acct, region),
        _ => return None,
    };
    // Host names are compared lower-case; the run's region, when the inputs name none, keeps its
    // own spelling so it matches the workload's.
    let region = if region.eq_ignore_ascii_case(privlink_model::RUN_REGION) {
        privlink_model::RUN_REGION
    } else {
        region
    };
    Some(ImageSource::Ecr {
        account: (*account).to_owned(),
        region: region.to_owned(),
    })
}

/// The upstream prefix and URL of an ECR pull-through cache rule for a registry ECR can cache.
pub fn pull_through_upstream(source: &ImageSource) -> Option<(&'static str, String)> {
    Some(match source {
        ImageSource::DockerHub => ("docker-hub", "registry-1.docker.io".to_owned()),
        ImageSource::EcrPublic => ("ecr-public", "public.ecr.aws".to_owned()),
        ImageSource::Ghcr => ("github", "ghcr.io".to_owned()),
        ImageSource::Quay => ("quay", "quay.io".to_owned()),
        ImageSource::KubernetesRegistry => ("k8s", "registry.k8s.io".to_owned()),
        ImageSource::Gitlab => ("gitlab", "registry.gitlab.com".to_owned()),
        ImageSource::Azure(host) => ("azure", host.clone()),
        ImageSource::Ecr { .. } | ImageSource::Other(_) => return None,
    })
}

/// The image URI to use once a pull-through cache rule with `prefix` exists in `account`/`region`.
/// Docker Hub official images need `library/`.
pub fn pull_through_uri(reference: &str, prefix: &str, account: &str, region: &str) -> String {
    let (host, path) = split_registry(reference.trim());
    let path = match host {
        None | Some("docker.io" | "registry-1.docker.io" | "index.docker.io")
            if !path.contains('/') =>
        {
            format!("library/{path}")
        }
        _ => path.to_owned(),
    };
    format!("{account}.dkr.ecr.{region}.amazonaws.com/{prefix}/{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_registries() {
        assert_eq!(classify("nginx:1.27"), ImageSource::DockerHub);
        assert_eq!(classify("bitnami/redis:7"), ImageSource::DockerHub);
        assert_eq!(classify("docker.io/library/nginx"), ImageSource::DockerHub);
        assert_eq!(
            classify("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1"),
            ImageSource::Ecr {
                account: "123456789012".into(),
                region: "ap-northeast-1".into()
            }
        );
        assert_eq!(
            classify("123456789012.dkr-ecr.us-west-2.on.aws/app@sha256:abc"),
            ImageSource::Ecr {
                account: "123456789012".into(),
                region: "us-west-2".into()
            }
        );
        assert_eq!(
            classify("public.ecr.aws/nginx/nginx:1"),
            ImageSource::EcrPublic
        );
        assert_eq!(classify("ghcr.io/org/app:1"), ImageSource::Ghcr);
        assert_eq!(
            classify("quay.io/prometheus/node-exporter"),
            ImageSource::Quay
        );
        assert_eq!(
            classify("registry.k8s.io/pause:3.9"),
            ImageSource::KubernetesRegistry
        );
        assert_eq!(
            classify("myreg.azurecr.io/app"),
            ImageSource::Azure("myreg.azurecr.io".into())
        );
        assert_eq!(
            classify("localhost:5000/app"),
            ImageSource::Other("localhost".into())
        );
        assert_eq!(
            classify("registry.example.com:5000/app"),
            ImageSource::Other("registry.example.com".into())
        );
    }

    #[test]
    fn pull_through_uris() {
        assert_eq!(
            pull_through_uri("nginx:1.27", "docker-hub", "123456789012", "ap-northeast-1"),
            "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/docker-hub/library/nginx:1.27"
        );
        assert_eq!(
            pull_through_uri(
                "public.ecr.aws/nginx/nginx:1",
                "ecr-public",
                "1",
                "us-east-1"
            ),
            "1.dkr.ecr.us-east-1.amazonaws.com/ecr-public/nginx/nginx:1"
        );
        assert!(pull_through_upstream(&ImageSource::Other("x".into())).is_none());
    }
}
