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
    /// The call was refused for another reason.
    Other,
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
    /// The full error text.
    pub message: String,
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
            CallErrorKind::Unreachable => "the AWS endpoint could not be reached: check the network, any proxy (HTTPS_PROXY), and AWS_ENDPOINT_URL if it is set".to_owned(),
            CallErrorKind::Throttled => "AWS throttled the calls even after retries: scan fewer regions at once or retry later".to_owned(),
            CallErrorKind::Other => "see the error above".to_owned(),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            CallErrorKind::NoCredentials => "no credentials",
            CallErrorKind::ExpiredToken => "expired token",
            CallErrorKind::InvalidCredentials => "invalid credentials",
            CallErrorKind::AccessDenied => "access denied",
            CallErrorKind::RegionUnavailable => "region unavailable",
            CallErrorKind::Unreachable => "endpoint unreachable",
            CallErrorKind::Throttled => "throttled",
            CallErrorKind::Other => "failed",
        };
        write!(
            f,
            "{} in {}: {what}: {}",
            self.call, self.region, self.message
        )
    }
}

impl std::error::Error for CallError {}

/// Classifies an SDK error of `call` in `region`.
pub fn classify<E, R>(call: &str, region: &str, error: &SdkError<E, R>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    let message = DisplayErrorContext(error).to_string();
    let lower = message.to_ascii_lowercase();
    let (kind, code) = match error {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default().to_owned();
            (kind_of_code(&code), Some(code))
        }
        _ if lower.contains("credential") => (CallErrorKind::NoCredentials, None),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            (CallErrorKind::Unreachable, None)
        }
        _ => (CallErrorKind::Other, None),
    };
    let message = match error {
        SdkError::ServiceError(service) => service.err().message().map_or(message, str::to_owned),
        _ => message,
    };
    CallError {
        call: call.to_owned(),
        region: region.to_owned(),
        kind,
        code,
        message,
    }
}

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
}
