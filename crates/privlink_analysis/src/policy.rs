//! Endpoint policies, evaluated as IAM does for the calls a flow makes.
//!
//! An explicit `Deny` that applies wins; otherwise an `Allow` that applies is needed; otherwise the
//! call is implicitly denied (so a policy of `Deny` statements only denies everything). A statement
//! applies when its `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal` and
//! `Condition` all match. privlink decides what it can (wildcards, `Principal: "*"`,
//! `aws:SourceVpc`/`aws:SourceVpce` when the ids are known) and says so when it cannot (a specific
//! principal: the caller is a role the inputs do not name; a resource the inputs do not name; other
//! condition keys).
//!
//! Parts of a policy the inputs do not determine are written `${...}` by the front-ends (a bucket ARN
//! known only after apply). An unknown part makes only its statement undecided: an `Allow` with an
//! unknown part can only add access, so a known `Allow` for the call decides it, unless a `Deny`
//! that could match (one with an unknown part) might take it away.

use serde_json::Value as Json;

use crate::requirements::Call;

/// What privlink knows about the request.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    /// The VPC's AWS id (`vpc-...`), when the inputs give it (live scans do, Terraform does not).
    pub source_vpc: Option<String>,
    /// The endpoint's AWS id (`vpce-...`), when known.
    pub source_vpce: Option<String>,
}

/// The outcome for one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Allowed by a statement.
    Allowed,
    /// Denied: by an explicit `Deny` statement (its Sid or index), or implicitly.
    Denied {
        /// The statement that denies it, or `None` when no statement allows it.
        statement: Option<String>,
    },
    /// privlink cannot decide.
    Undecided(String),
}

/// Whether a statement applies to a call.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Applies {
    Yes,
    No,
    Maybe(String),
}

impl Applies {
    fn and(self, other: impl FnOnce() -> Applies) -> Applies {
        match self {
            Applies::No => Applies::No,
            Applies::Yes => other(),
            Applies::Maybe(why) => match other() {
                Applies::No => Applies::No,
                _ => Applies::Maybe(why),
            },
        }
    }
}

/// IAM wildcard matching: `*` any run, `?` one character.
fn wildcard(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case_insensitive {
        (
            pattern.to_lowercase().chars().collect(),
            text.to_lowercase().chars().collect(),
        )
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn strings(value: &Json) -> Vec<&str> {
    match value {
        Json::String(s) => vec![s.as_str()],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A value the inputs do not determine, written `${...}` in the policy text by the front-ends (a
/// Terraform reference known only after apply, for one).
fn unknown_value(s: &str) -> bool {
    s.starts_with("${") && s.ends_with('}')
}

/// Whether any of `patterns` matches: `Maybe` when no known one does and one is not known (it could).
fn any_match(patterns: &[&str], what: &str, hit: impl Fn(&str) -> bool) -> Applies {
    if patterns.iter().any(|p| !unknown_value(p) && hit(p)) {
        return Applies::Yes;
    }
    match patterns.iter().find(|p| unknown_value(p)) {
        Some(p) => Applies::Maybe(format!("its {what} {p} is not known")),
        None => Applies::No,
    }
}

fn negate(applies: Applies) -> Applies {
    match applies {
        Applies::Yes => Applies::No,
        Applies::No => Applies::Yes,
        maybe @ Applies::Maybe(_) => maybe,
    }
}

fn action_applies(statement: &Json, action: &str) -> Applies {
    let matches = |key| {
        any_match(&strings(&statement[key]), "action", |p| {
            wildcard(p, action, true)
        })
    };
    if statement.get("Action").is_some() {
        matches("Action")
    } else if statement.get("NotAction").is_some() {
        negate(matches("NotAction"))
    } else {
        Applies::No
    }
}

fn resource_applies(statement: &Json, resource: Option<&str>) -> Applies {
    let (key, negated) = match (statement.get("Resource"), statement.get("NotResource")) {
        (Some(_), _) => ("Resource", false),
        (None, Some(_)) => ("NotResource", true),
        // Endpoint policies may omit Resource; it then means every resource.
        (None, None) => return Applies::Yes,
    };
    let patterns = strings(&statement[key]);
    let hit = match resource {
        Some(r) => any_match(&patterns, "resource", |p| wildcard(p, r, false)),
        None if patterns.contains(&"*") => Applies::Yes,
        None => return Applies::Maybe("the call's resource is not named in the inputs".to_owned()),
    };
    if negated { negate(hit) } else { hit }
}

fn principal_applies(statement: &Json) -> Applies {
    let any = |v: &Json| {
        v.as_str() == Some("*") || v.get("AWS").is_some_and(|a| strings(a).contains(&"*"))
    };
    match (statement.get("Principal"), statement.get("NotPrincipal")) {
        (Some(p), _) if any(p) => Applies::Yes,
        (Some(_), _) | (None, Some(_)) => Applies::Maybe(
            "the statement names specific principals, and the caller's role is not in the inputs"
                .to_owned(),
        ),
        // Endpoint policies without Principal apply to every principal.
        (None, None) => Applies::Yes,
    }
}

fn condition_applies(statement: &Json, ctx: &RequestContext) -> Applies {
    let Some(conditions) = statement.get("Condition").and_then(Json::as_object) else {
        return Applies::Yes;
    };
    let mut result = Applies::Yes;
    for (operator, keys) in conditions {
        let Some(keys) = keys.as_object() else {
            return Applies::Maybe(format!("condition {operator} is malformed"));
        };
        for (key, expected) in keys {
            let actual = match key.to_ascii_lowercase().as_str() {
                "aws:sourcevpc" => ctx.source_vpc.as_deref(),
                "aws:sourcevpce" => ctx.source_vpce.as_deref(),
                _ => {
                    return result.and(|| {
                        Applies::Maybe(format!("privlink cannot decide the condition key {key}"))
                    });
                }
            };
            let Some(actual) = actual else {
                result = result.and(|| {
                    Applies::Maybe(format!(
                        "the {key} condition needs the AWS id, which the inputs do not give"
                    ))
                });
                continue;
            };
            let expected = strings(expected);
            if let Some(e) = expected.iter().find(|e| unknown_value(e)) {
                result = result.and(|| Applies::Maybe(format!("the {key} value {e} is not known")));
                continue;
            }
            let op = operator.trim_end_matches("IfExists");
            let hit = match op {
                "StringEquals" => expected.contains(&actual),
                "StringNotEquals" => !expected.contains(&actual),
                "StringEqualsIgnoreCase" => expected.iter().any(|e| e.eq_ignore_ascii_case(actual)),
                "StringNotEqualsIgnoreCase" => {
                    !expected.iter().any(|e| e.eq_ignore_ascii_case(actual))
                }
                "StringLike" => expected.iter().any(|e| wildcard(e, actual, false)),
                "StringNotLike" => !expected.iter().any(|e| wildcard(e, actual, false)),
                other => {
                    return result.and(|| {
                        Applies::Maybe(format!("privlink cannot evaluate the operator {other}"))
                    });
                }
            };
            if !hit {
                return Applies::No;
            }
        }
    }
    result
}

fn statement_applies(statement: &Json, call: &Call, ctx: &RequestContext) -> Applies {
    action_applies(statement, &call.action)
        .and(|| resource_applies(statement, call.resource.as_deref()))
        .and(|| principal_applies(statement))
        .and(|| condition_applies(statement, ctx))
}

/// Evaluates `policy` (JSON text) for one call.
pub fn evaluate(policy: &str, call: &Call, ctx: &RequestContext) -> Decision {
    let document: Json = match serde_json::from_str(policy) {
        Ok(d) => d,
        Err(e) => return Decision::Undecided(format!("the policy is not valid JSON ({e})")),
    };
    let statements: Vec<&Json> = match &document["Statement"] {
        Json::Array(items) => items.iter().collect(),
        single @ Json::Object(_) => vec![single],
        _ => return Decision::Undecided("the policy has no Statement".to_owned()),
    };
    let mut allowed = false;
    let mut allow_maybe = None;
    let mut deny_maybe = None;
    for (i, statement) in statements.iter().enumerate() {
        let name = statement.get("Sid").and_then(Json::as_str).map_or_else(
            || format!("statement {}", i + 1),
            |s| format!("statement {s}"),
        );
        let effect = statement.get("Effect").and_then(Json::as_str);
        let is_deny = effect == Some("Deny");
        let applies = statement_applies(statement, call, ctx);
        // A statement whose effect is not known may deny: it decides nothing, and blocks nothing for sure.
        if let Some(e) = effect.filter(|e| unknown_value(e)) {
            if applies != Applies::No {
                deny_maybe
                    .get_or_insert(format!("{name} may deny it: its effect {e} is not known"));
            }
            continue;
        }
        match (applies, is_deny) {
            (Applies::Yes, true) => {
                return Decision::Denied {
                    statement: Some(name),
                };
            }
            (Applies::Yes, false) => allowed = true,
            (Applies::Maybe(why), true) => {
                deny_maybe.get_or_insert(format!("{name} may deny it: {why}"));
            }
            (Applies::Maybe(why), false) => {
                allow_maybe.get_or_insert(format!("{name} may allow it: {why}"));
            }
            (Applies::No, _) => {}
        }
    }
    match (allowed, deny_maybe, allow_maybe) {
        (_, Some(why), _) => Decision::Undecided(why),
        (true, None, _) => Decision::Allowed,
        (false, None, Some(why)) => Decision::Undecided(why),
        (false, None, None) => Decision::Denied { statement: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(action: &str, resource: Option<&str>) -> Call {
        Call {
            action: action.to_owned(),
            resource: resource.map(str::to_owned),
        }
    }

    const LAYERS: &str = "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*";

    #[test]
    fn an_unknown_part_only_matters_where_it_could_change_the_answer() {
        let get = call("s3:GetObject", Some(LAYERS));
        let ctx = RequestContext::default();
        // A known Allow decides; the Allow with an unknown resource could only add access.
        let allow = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"${aws_s3_bucket.logs.arn}"},
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*"}]}"#;
        assert_eq!(evaluate(allow, &get, &ctx), Decision::Allowed);
        // Only an Allow with an unknown resource: it may or may not allow the call.
        let only = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["${aws_s3_bucket.logs.arn}"]}]}"#;
        assert!(
            matches!(evaluate(only, &get, &ctx), Decision::Undecided(why) if why.contains("aws_s3_bucket.logs.arn"))
        );
        // A Deny with an unknown resource could take the known Allow's access away.
        let deny = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"${aws_s3_bucket.secret.arn}"}]}"#;
        assert!(matches!(evaluate(deny, &get, &ctx), Decision::Undecided(_)));
        // A Deny whose known action does not match cannot, whatever its unknown resource.
        let other = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"${aws_s3_bucket.secret.arn}"}]}"#;
        assert_eq!(evaluate(other, &get, &ctx), Decision::Allowed);
        // An unknown effect may deny.
        let effect = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"${var.effect}","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert!(matches!(
            evaluate(effect, &get, &ctx),
            Decision::Undecided(_)
        ));
    }

    #[test]
    fn full_access_allows() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert_eq!(
            evaluate(
                p,
                &call("ecr:BatchGetImage", None),
                &RequestContext::default()
            ),
            Decision::Allowed
        );
    }

    #[test]
    fn own_buckets_only_breaks_layer_downloads() {
        let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"]}]}"#;
        assert_eq!(
            evaluate(
                p,
                &call("s3:GetObject", Some(LAYERS)),
                &RequestContext::default()
            ),
            Decision::Denied { statement: None }
        );
        let ok = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*"}]}"#;
        assert_eq!(
            evaluate(
                ok,
                &call("s3:GetObject", Some(LAYERS)),
                &RequestContext::default()
            ),
            Decision::Allowed
        );
    }

    #[test]
    fn deny_only_policy_denies_everything() {
        let p = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository","Resource":"*"}]}"#;
        assert_eq!(
            evaluate(
                p,
                &call("ecr:GetAuthorizationToken", Some("*")),
                &RequestContext::default()
            ),
            Decision::Denied { statement: None }
        );
    }

    #[test]
    fn explicit_deny_wins_and_names_its_statement() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"NoPulls","Effect":"Deny","Principal":"*","Action":"ecr:BatchGet*","Resource":"*"}]}"#;
        assert_eq!(
            evaluate(
                p,
                &call("ecr:BatchGetImage", None),
                &RequestContext::default()
            ),
            Decision::Denied {
                statement: Some("statement NoPulls".to_owned())
            }
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"ecr:Delete*","NotResource":"arn:aws:ecr:*:*:repository/secret"}]}"#;
        let ctx = RequestContext::default();
        assert_eq!(
            evaluate(
                p,
                &call(
                    "ecr:BatchGetImage",
                    Some("arn:aws:ecr:ap-northeast-1:1:repository/app")
                ),
                &ctx
            ),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(p, &call("ecr:DeleteRepository", Some("*")), &ctx),
            Decision::Denied { statement: None }
        );
        assert_eq!(
            evaluate(
                p,
                &call(
                    "ecr:BatchGetImage",
                    Some("arn:aws:ecr:ap-northeast-1:1:repository/secret")
                ),
                &ctx
            ),
            Decision::Denied { statement: None }
        );
    }

    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ECR:batch?et*"],"Resource":"*"}]}"#;
        assert_eq!(
            evaluate(
                p,
                &call("ecr:BatchGetImage", None),
                &RequestContext::default()
            ),
            Decision::Allowed
        );
    }

    #[test]
    fn specific_principals_and_unknown_conditions_are_undecided() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/exec"},"Action":"*","Resource":"*"}]}"#;
        assert!(matches!(
            evaluate(
                p,
                &call("ecr:BatchGetImage", None),
                &RequestContext::default()
            ),
            Decision::Undecided(_)
        ));
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
        match evaluate(
            p,
            &call("ecr:BatchGetImage", None),
            &RequestContext::default(),
        ) {
            Decision::Undecided(why) => assert!(why.contains("aws:PrincipalOrgID"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn source_vpc_conditions_are_decided_when_the_id_is_known() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}"#;
        let c = call("s3:GetObject", Some(LAYERS));
        assert_eq!(
            evaluate(
                p,
                &c,
                &RequestContext {
                    source_vpc: Some("vpc-1".into()),
                    source_vpce: None
                }
            ),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(
                p,
                &c,
                &RequestContext {
                    source_vpc: Some("vpc-2".into()),
                    source_vpce: None
                }
            ),
            Decision::Denied { statement: None }
        );
        assert!(matches!(
            evaluate(p, &c, &RequestContext::default()),
            Decision::Undecided(_)
        ));
    }

    #[test]
    fn unnamed_resources_are_undecided_unless_the_policy_says_star() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:*","Resource":"arn:aws:logs:*:*:log-group:/ecs/*"}]}"#;
        assert!(matches!(
            evaluate(
                p,
                &call("logs:CreateLogStream", None),
                &RequestContext::default()
            ),
            Decision::Undecided(_)
        ));
    }

    #[test]
    fn malformed_policies_are_undecided() {
        assert!(matches!(
            evaluate("{", &call("a:b", None), &RequestContext::default()),
            Decision::Undecided(_)
        ));
        assert!(matches!(
            evaluate("{}", &call("a:b", None), &RequestContext::default()),
            Decision::Undecided(_)
        ));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("a*c", "abbbc", false));
        assert!(wildcard("a?c", "abc", false));
        assert!(!wildcard("a?c", "abbc", false));
        assert!(wildcard("*", "", false));
        assert!(!wildcard("A*", "abc", false));
        assert!(wildcard("A*", "abc", true));
    }
}
