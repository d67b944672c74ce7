//! Minimal endpoint policies: allow exactly the calls the catalog lists for a service, nothing else.
//!
//! A call's resource becomes the policy's resource, with two widenings that keep the policy
//! working for every workload of the kind: a resource the catalog does not name (a log group, a
//! secret) is `*`, and so are ECR repositories, because nodes and tasks also pull images the user
//! does not name (EKS add-ons, the FireLens router) from AWS-owned repositories through the same
//! endpoint. The layer bucket stays exact: `arn:aws:s3:::prod-REGION-starport-layer-bucket/*`.

use privlink_analysis::requirements::Call;
use serde_json::{Value, json};

/// The policy resource that allows `call` for any workload of the kind.
fn resource(call: &Call) -> &str {
    match call.resource.as_deref() {
        Some(arn) if !arn.starts_with("arn:aws:ecr:") => arn,
        _ => "*",
    }
}

/// The minimal policy for `calls`, one `Allow` statement per resource; `None` when the catalog
/// lists no calls (the endpoint then keeps its default, full-access policy).
pub(super) fn minimal(calls: &[Call]) -> Option<Value> {
    if calls.is_empty() {
        return None;
    }
    let mut by_resource: Vec<(&str, Vec<&str>)> = Vec::new();
    for call in calls {
        let r = resource(call);
        let index = match by_resource.iter().position(|(x, _)| *x == r) {
            Some(i) => i,
            None => {
                by_resource.push((r, Vec::new()));
                by_resource.len() - 1
            }
        };
        let actions = &mut by_resource[index].1;
        if !actions.contains(&call.action.as_str()) {
            actions.push(&call.action);
        }
    }
    let statements: Vec<Value> = by_resource
        .into_iter()
        .map(|(resource, actions)| {
            json!({
                "Effect": "Allow",
                "Principal": "*",
                "Action": actions,
                "Resource": resource,
            })
        })
        .collect();
    Some(json!({"Version": "2012-10-17", "Statement": statements}))
}

#[cfg(test)]
mod tests {
    use privlink_analysis::policy::{Decision, RequestContext, evaluate};
    use privlink_model::WorkloadKind;

    use super::*;
    use crate::plan::Plan;
    use crate::plan::tests::request;

    /// Every planned policy allows every call of every flow of the workload, as `check` evaluates
    /// it: `check` on the reference network finds no `endpoint-policy-denies`.
    #[test]
    fn planned_policies_allow_what_the_flows_need() {
        let feature_sets: &[&[&str]] = &[
            &[],
            &["awslogs", "secretsmanager", "ssm"],
            &["exec", "xray", "service-connect", "private-registry-auth"],
            &["service:sqs", "service:kms"],
        ];
        let images: &[&[&str]] = &[
            &[],
            &["123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1"],
        ];
        for kind in WorkloadKind::ALL {
            for features in feature_sets {
                for images in images {
                    let mut r = request(kind, features);
                    r.images = images.iter().map(|i| (*i).to_owned()).collect();
                    let plan = Plan::new(r);
                    for row in plan.rows.iter().filter(|r| r.endpoint.is_some()) {
                        let need = &row.requirement;
                        let Some(policy) = &row.policy else {
                            assert!(need.calls.is_empty(), "{kind} {}", need.service);
                            continue;
                        };
                        let text = policy.to_string();
                        for call in &need.calls {
                            assert_eq!(
                                evaluate(&text, call, &RequestContext::default()),
                                Decision::Allowed,
                                "{kind} {features:?}: {} {:?} against {text}",
                                call.action,
                                call.resource
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_layer_bucket_stays_exact_and_repositories_widen() {
        let call = |action: &str, resource: Option<&str>| Call {
            action: action.to_owned(),
            resource: resource.map(str::to_owned),
        };
        let layers = "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*";
        assert_eq!(
            minimal(&[call("s3:GetObject", Some(layers))]),
            Some(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": layers}
            ]}))
        );
        let repo = "arn:aws:ecr:eu-west-1:123456789012:repository/app";
        let policy = minimal(&[
            call("ecr:BatchGetImage", Some(repo)),
            call(
                "ecr:BatchGetImage",
                Some("arn:aws:ecr:eu-west-1:1:repository/x"),
            ),
            call("ecr:GetDownloadUrlForLayer", None),
        ])
        .expect("a policy");
        assert_eq!(
            policy["Statement"],
            json!([{"Effect": "Allow", "Principal": "*",
                    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"}])
        );
        assert_eq!(minimal(&[]), None);
    }
}
