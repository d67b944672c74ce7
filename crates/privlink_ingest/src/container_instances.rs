//! ECS container instances: which cluster an EC2 instance joins.
//!
//! The ECS agent on an instance registers with the cluster named by `ECS_CLUSTER=` in
//! `/etc/ecs/ecs.config`, which the instance's user data usually writes
//! (`echo ECS_CLUSTER=main >> /etc/ecs/ecs.config`); without it the agent joins the cluster named
//! `default` (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html>).
//! Front-ends use this to place an ECS service on EC2 without a capacity provider: its tasks run
//! on the instances of the Auto Scaling group whose user data names the service's cluster.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The cluster the user data makes the instance join: the value of `ECS_CLUSTER=`, with user data
/// given as written or base64-encoded (as launch templates hold it). A value the inputs do not know
/// stays as the front-end wrote it (`${Cluster}`). `None` when the user data names no cluster.
pub fn joined_cluster(user_data: &str) -> Option<String> {
    let decoded = STANDARD
        .decode(user_data.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let text = decoded.as_deref().unwrap_or(user_data);
    let start = text.find("ECS_CLUSTER=")? + "ECS_CLUSTER=".len();
    let rest = text[start..].trim_start_matches(['"', '\'']);
    let value = if rest.starts_with("${") {
        &rest[..=rest.find('}')?]
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | ';' | '}'))
            .unwrap_or(rest.len());
        &rest[..end]
    };
    (!value.is_empty()).then(|| value.to_owned())
}

/// The name of a cluster as a service or capacity provider names it: a name or an ARN
/// (`arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`).
pub fn cluster_name(name_or_arn: &str) -> &str {
    name_or_arn
        .strip_prefix("arn:")
        .and_then(|_| name_or_arn.rsplit_once(":cluster/"))
        .map_or(name_or_arn, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cluster_from_plain_and_base64_user_data() {
        let script = "#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n";
        assert_eq!(joined_cluster(script).as_deref(), Some("main"));
        assert_eq!(
            joined_cluster(&STANDARD.encode(script)).as_deref(),
            Some("main")
        );
        assert_eq!(
            joined_cluster("echo \"ECS_CLUSTER=web\" >> /etc/ecs/ecs.config").as_deref(),
            Some("web")
        );
        assert_eq!(
            joined_cluster("${Base64 #!/bin/bash\necho ECS_CLUSTER=${Cluster}}").as_deref(),
            Some("${Cluster}")
        );
        assert_eq!(joined_cluster("#!/bin/bash\nyum update -y\n"), None);
        assert_eq!(joined_cluster("ECS_CLUSTER=\n"), None);
    }

    #[test]
    fn cluster_arns_name_their_cluster() {
        assert_eq!(
            cluster_name("arn:aws:ecs:ap-northeast-1:123456789012:cluster/main"),
            "main"
        );
        assert_eq!(cluster_name("main"), "main");
    }
}
