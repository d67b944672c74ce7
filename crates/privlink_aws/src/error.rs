//! Errors of calls to AWS, classified so the user is told what to do.
//!
//! Every SDK error goes through [`classify`]: missing or expired credentials, access denied (with
//! the call and the IAM permission it needs), a region that does not exist, and an endpoint that
//! cannot be reached each get their own message and advice. A denied call during a scan is recorded
//! and the scan goes on; the others stop it, since every further call would fail the same way.

use std::fmt;

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// What went wrong with one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallErrorKind {
    /// No credentials anywhere in the default chain.
    NoCredentials,
    /// The credentials' session token has expired.
    ExpiredToken,
    /// The credentials are not valid (unknown access key, bad signature).
    InvalidCredentials,
    /// The principal may not make this call.
    AccessDenied,
    /// The region is not enabled for the account, or does not exist.
    RegionUnavailable,
    /// The endpoint could not be reached (DNS, connection, timeout).
    Unreachable,
    /// Throttled even after the SDK's retries.
    Throttled,
    /// The endpoint answered with a server error, or with something that is not an AWS answer,
    /// even after the SDK's retries.
    ServerError,
    /// The call was refused for another reason.
    Other,
}

impl CallErrorKind {
    /// Whether the endpoint itself failed (no answer, or not an AWS answer), so it is named.
    pub fn is_endpoint_failure(&self) -> bool {
        matches!(
            self,
            Self::Unreachable | Self::ServerError | Self::Throttled
        )
    }

    /// A few words for it.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::NoCredentials => "no credentials",
            Self::ExpiredToken => "expired token",
            Self::InvalidCredentials => "invalid credentials",
            Self::AccessDenied => "access denied",
            Self::RegionUnavailable => "region unavailable",
            Self::Unreachable => "endpoint unreachable",
            Self::Throttled => "throttled",
            Self::ServerError => "server error",
            Self::Other => "failed",
        }
    }
}

/// A failed call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    /// The call, `ec2:DescribeVpcs`.
    pub call: String,
    /// The region it was made in.
    pub region: String,
    /// What kind of failure.
    pub kind: CallErrorKind,
    /// AWS's error code, when there is one.
    pub code: Option<String>,
    /// What went wrong, on one line: AWS's message, or the error and its causes (never the SDK's
    /// debug structures or a response body).
    pub message: String,
    /// The endpoint the call went to, when known; named when it did not answer as AWS does.
    pub endpoint: Option<Box<str>>,
}

impl CallError {
    /// The IAM permission the call needs: for every call privlink makes it is the call's own name.
    pub fn permission(&self) -> &str {
        &self.call
    }

    /// Whether the error stops everything (as opposed to one call).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self.kind,
            CallErrorKind::NoCredentials
                | CallErrorKind::ExpiredToken
                | CallErrorKind::InvalidCredentials
                | CallErrorKind::Unreachable
                | CallErrorKind::RegionUnavailable
                | CallErrorKind::ServerError
        )
    }

    /// What the user can do about it.
    pub fn help(&self) -> String {
        match self.kind {
            CallErrorKind::NoCredentials => "no AWS credentials were found: set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned(),
            CallErrorKind::ExpiredToken => "the session token has expired: refresh the credentials (`aws sso login`, or assume the role again) and retry".to_owned(),
            CallErrorKind::InvalidCredentials => "AWS does not recognise these credentials: check the access key, the profile (--profile) and the clock of this machine".to_owned(),
            CallErrorKind::AccessDenied => format!("grant {} to the calling principal (the README lists the IAM policies `aws scan` and `aws apply` need)", self.permission()),
            CallErrorKind::RegionUnavailable => format!("region {} is not enabled for this account or does not exist: check --region, or enable the region in the account settings", self.region),
            CallErrorKind::Unreachable => "the endpoint could not be reached or did not answer in time: check the network, any proxy (HTTPS_PROXY), AWS_ENDPOINT_URL if it is set, and the limits --connect-timeout, --read-timeout and --timeout".to_owned(),
            CallErrorKind::Throttled => "AWS throttled the calls even after retries: scan fewer regions at once or retry later".to_owned(),
            CallErrorKind::ServerError => "the endpoint did not answer as AWS does: retry later, and check AWS_ENDPOINT_URL and any proxy if they are set".to_owned(),
            CallErrorKind::Other => "see the error above".to_owned(),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {}: {}: {}",
            self.call,
            self.region,
            self.kind.describe(),
            self.message
        )?;
        write_endpoint(f, self)
    }
}

/// ` (endpoint URL)` after an error of the endpoint itself.
fn write_endpoint(f: &mut fmt::Formatter<'_>, e: &CallError) -> fmt::Result {
    match &e.endpoint {
        Some(url) if e.kind.is_endpoint_failure() => write!(f, " ({url})"),
        _ => Ok(()),
    }
}

impl std::error::Error for CallError {}

/// Failed calls of one kind: the same call failing the same way in several regions, told once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallErrors {
    /// The first of them (its message stands for all).
    pub first: CallError,
    /// Every region it failed in, in the order met.
    pub regions: Vec<String>,
}

/// Regions named in full before the rest are counted.
const REGIONS_NAMED: usize = 3;

impl CallErrors {
    /// Groups `errors` by call and kind, in the order first met.
    pub fn group<'e>(errors: impl IntoIterator<Item = &'e CallError>) -> Vec<Self> {
        let mut groups: Vec<Self> = Vec::new();
        for e in errors {
            match groups
                .iter_mut()
                .find(|g| g.first.call == e.call && g.first.kind == e.kind)
            {
                Some(g) => {
                    if !g.regions.contains(&e.region) {
                        g.regions.push(e.region.clone());
                    }
                }
                None => groups.push(Self {
                    first: e.clone(),
                    regions: vec![e.region.clone()],
                }),
            }
        }
        groups
    }

    /// What the user can do about it.
    pub fn help(&self) -> String {
        self.first.help()
    }
}

impl fmt::Display for CallErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let regions = if self.regions.len() <= REGIONS_NAMED {
            self.regions.join(", ")
        } else {
            format!(
                "{} regions ({}, …)",
                self.regions.len(),
                self.regions[..REGIONS_NAMED].join(", ")
            )
        };
        write!(
            f,
            "{} in {regions}: {}: {}",
            self.first.call,
            self.first.kind.describe(),
            self.first.message
        )?;
        write_endpoint(f, &self.first)
    }
}

/// The HTTP status of a raw response, when there is one.
pub trait RawStatus {
    /// The status code.
    fn status_code(&self) -> Option<u16>;
}

impl RawStatus for aws_sdk_ec2::config::http::HttpResponse {
    fn status_code(&self) -> Option<u16> {
        Some(self.status().as_u16())
    }
}

impl RawStatus for () {
    fn status_code(&self) -> Option<u16> {
        None
    }
}

/// Classifies an SDK error of `call` in `region`.
pub fn classify<E, R>(call: &str, region: &str, error: &SdkError<E, R>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + RawStatus,
{
    let lower = DisplayErrorContext(error).to_string().to_ascii_lowercase();
    let (kind, code) = match error {
        SdkError::ServiceError(service) => match service.err().code() {
            Some(code) => (kind_of_code(code), Some(code.to_owned())),
            // A refusal without a code (an emulator's) is one call's failure; any other answer
            // without a code is not AWS's.
            None if service
                .raw()
                .status_code()
                .is_some_and(|c| (400..500).contains(&c)) =>
            {
                (CallErrorKind::Other, None)
            }
            None => (CallErrorKind::ServerError, None),
        },
        // Before the credentials test: a response body may say anything.
        SdkError::ResponseError(_) => (CallErrorKind::ServerError, None),
        _ if lower.contains("credential") => (CallErrorKind::NoCredentials, None),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            (CallErrorKind::Unreachable, None)
        }
        _ => (CallErrorKind::Other, None),
    };
    let message = match error {
        SdkError::ServiceError(service) => match (service.err().message(), &kind) {
            (Some(m), _) => short(m),
            (None, CallErrorKind::ServerError) => {
                "the answer is an error without an AWS error code".to_owned()
            }
            (None, _) => short(&causes(error)),
        },
        SdkError::TimeoutError(_) => "no complete answer within the time limit".to_owned(),
        SdkError::ResponseError(_) => "the answer is not an AWS response".to_owned(),
        _ => short(&causes(error)),
    };
    CallError {
        call: call.to_owned(),
        region: region.to_owned(),
        kind,
        code,
        message,
        endpoint: None,
    }
}

/// The error and its causes, by their `Display` only (never the SDK's debug structures or bodies).
fn causes(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// One line of at most [`MAX_MESSAGE`] characters.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > MAX_MESSAGE {
        let cut: String = line.chars().take(MAX_MESSAGE).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

/// The longest message shown for a failed call.
const MAX_MESSAGE: usize = 200;

fn kind_of_code(code: &str) -> CallErrorKind {
    match code {
        "UnauthorizedOperation"
        | "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedException" => CallErrorKind::AccessDenied,
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => {
            CallErrorKind::ExpiredToken
        }
        "AuthFailure"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "InvalidAccessKeyId" => CallErrorKind::InvalidCredentials,
        "OptInRequired" | "InvalidRegion" => CallErrorKind::RegionUnavailable,
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException" => CallErrorKind::Throttled,
        "InternalError" | "InternalFailure" | "ServiceUnavailable" | "Unavailable" => {
            CallErrorKind::ServerError
        }
        _ => CallErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_advice() {
        assert_eq!(
            kind_of_code("UnauthorizedOperation"),
            CallErrorKind::AccessDenied
        );
        assert_eq!(kind_of_code("ExpiredToken"), CallErrorKind::ExpiredToken);
        assert_eq!(
            kind_of_code("AuthFailure"),
            CallErrorKind::InvalidCredentials
        );
        assert_eq!(
            kind_of_code("OptInRequired"),
            CallErrorKind::RegionUnavailable
        );
        let e = CallError {
            call: "ec2:DescribeNatGateways".into(),
            region: "ap-northeast-1".into(),
            kind: CallErrorKind::AccessDenied,
            code: Some("UnauthorizedOperation".into()),
            message: "You are not authorized to perform this operation.".into(),
            endpoint: None,
        };
        assert!(e.help().contains("grant ec2:DescribeNatGateways"));
        assert!(!e.is_fatal());
        assert!(
            e.to_string()
                .starts_with("ec2:DescribeNatGateways in ap-northeast-1: access denied")
        );
    }

    #[test]
    fn an_expired_token_stops_everything_and_says_how_to_refresh() {
        use aws_sdk_ec2::error::ErrorMetadata;
        use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsError;
        let meta = ErrorMetadata::builder()
            .code("ExpiredToken")
            .message("The security token included in the request is expired")
            .build();
        let error = SdkError::service_error(DescribeVpcsError::generic(meta), ());
        let e = classify("ec2:DescribeVpcs", "eu-west-1", &error);
        assert_eq!(e.kind, CallErrorKind::ExpiredToken);
        assert_eq!(
            e.message,
            "The security token included in the request is expired"
        );
        assert!(e.is_fatal());
        assert!(e.help().contains("aws sso login"), "{}", e.help());
    }

    #[test]
    fn errors_that_are_not_aws_answers_are_short_and_stop_the_scan() {
        use aws_sdk_ec2::error::ErrorMetadata;
        use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsError;
        let junk = ErrorMetadata::builder().build();
        let error = SdkError::service_error(DescribeVpcsError::generic(junk), ());
        let e = classify("ec2:DescribeVpcs", "eu-west-1", &error);
        assert_eq!(e.kind, CallErrorKind::ServerError);
        assert!(e.is_fatal());
        assert_eq!(
            e.message,
            "the answer is an error without an AWS error code"
        );

        let long = ErrorMetadata::builder()
            .code("InternalError")
            .message(format!("{}\n<html>body</html>", "x".repeat(500)))
            .build();
        let error = SdkError::service_error(DescribeVpcsError::generic(long), ());
        let e = classify("ec2:DescribeVpcs", "eu-west-1", &error);
        assert_eq!(e.kind, CallErrorKind::ServerError);
        assert!(
            e.message.chars().count() <= MAX_MESSAGE + 1,
            "{}",
            e.message
        );
        assert!(!e.message.contains("html"));
    }

    fn denied(call: &str, region: &str) -> CallError {
        CallError {
            call: call.into(),
            region: region.into(),
            kind: CallErrorKind::AccessDenied,
            code: Some("AccessDeniedException".into()),
            message: "not authorized".into(),
            endpoint: Some("https://ecs.example".into()),
        }
    }

    #[test]
    fn the_same_failure_in_many_regions_is_one_line() {
        let mut errors: Vec<CallError> = ["ap-northeast-1", "eu-west-1", "us-east-1", "us-west-2"]
            .iter()
            .map(|r| denied("ecs:ListClusters", r))
            .collect();
        errors.push(denied("eks:ListClusters", "eu-west-1"));
        errors.push(CallError {
            kind: CallErrorKind::Throttled,
            ..denied("ecs:ListClusters", "eu-west-1")
        });
        let groups = CallErrors::group(&errors);
        assert_eq!(groups.len(), 3);
        let text = groups[0].to_string();
        assert_eq!(
            text,
            "ecs:ListClusters in 4 regions (ap-northeast-1, eu-west-1, us-east-1, …): access denied: not authorized"
        );
        assert_eq!(
            groups[1].to_string(),
            "eks:ListClusters in eu-west-1: access denied: not authorized"
        );
        // The endpoint is named when it is the endpoint that failed.
        assert_eq!(
            groups[2].to_string(),
            "ecs:ListClusters in eu-west-1: throttled: not authorized (https://ecs.example)"
        );
        assert!(groups[0].help().contains("grant ecs:ListClusters"));
    }
}
