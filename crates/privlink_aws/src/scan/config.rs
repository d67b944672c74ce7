//! The SDK configuration of a scan or an apply: time limits and bounded retries, empty endpoint
//! settings treated as unset, region names checked before any call, and the shared config files
//! and profile checked before the SDK reads them, so a broken environment is an error that names
//! what to fix instead of a hang, a panic or a generic credentials error.

use std::path::PathBuf;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

use super::ScanFailure;

/// Time limits of each AWS call: an endpoint that accepts and never answers, answers slowly or
/// answers errors costs at most `call` per call, and the scan stops at the first such call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing the connection (`--connect-timeout`).
    pub connect: Duration,
    /// Waiting for an answer to start, per attempt (`--read-timeout`).
    pub read: Duration,
    /// One call in total, every attempt and the whole answer included (`--timeout`).
    pub call: Duration,
    /// Attempts of one call, the first included (`--max-attempts`): throttling, server errors and
    /// timeouts are retried with the SDK's standard backoff.
    pub attempts: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(20),
            call: Duration::from_secs(60),
            attempts: 3,
        }
    }
}

impl Timeouts {
    fn timeout_config(self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .read_timeout(self.read)
            .operation_attempt_timeout(self.call)
            .operation_timeout(self.call)
            .build()
    }

    fn retry_config(self) -> RetryConfig {
        RetryConfig::standard().with_max_attempts(self.attempts.max(1))
    }

    /// `config` with these limits.
    pub(crate) fn apply(self, config: &SdkConfig) -> SdkConfig {
        config
            .to_builder()
            .timeout_config(self.timeout_config())
            .retry_config(self.retry_config())
            .build()
    }
}

/// Loads the SDK configuration: the default credential chain, `--profile`, the standard retry mode
/// and the time limits of `timeouts`.
pub(crate) async fn sdk_config(
    profile: Option<&str>,
    region: Option<&str>,
    timeouts: Timeouts,
) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(timeouts.retry_config())
        .timeout_config(timeouts.timeout_config());
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_owned()));
    }
    without_empty_endpoint(loader.load().await)
}

/// The configuration without empty endpoint settings: an `AWS_ENDPOINT_URL=` (or
/// `AWS_ENDPOINT_URL_EC2=`, ...) left empty by a CI variable that is not set counts as unset, as the
/// AWS CLI treats it. (The SDK's clients would otherwise take the empty text as their endpoint.)
pub(crate) fn without_empty_endpoint(config: SdkConfig) -> SdkConfig {
    let mut builder = config.to_builder();
    if config.endpoint_url().is_some_and(|u| u.trim().is_empty()) {
        builder.set_endpoint_url(None);
    }
    if config.service_config().is_some() {
        builder.set_service_config(Some(NonEmpty(config)));
    }
    builder.build()
}

/// The service-specific settings of a configuration, an empty value counting as unset.
#[derive(Debug)]
struct NonEmpty(SdkConfig);

impl LoadServiceConfig for NonEmpty {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        self.0
            .service_config()?
            .load_config(key)
            .filter(|v| !v.trim().is_empty())
    }
}

/// The endpoint a call of `service` (`ec2`, `sts`, ...) in `region` goes to: the configured one
/// (`AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`), else AWS's regional
/// endpoint. Named in errors, so the user knows which host did not answer.
pub(crate) fn endpoint_of(config: &SdkConfig, service: &str, region: &str) -> String {
    let service_id = service.to_ascii_uppercase();
    let configured = ServiceConfigKey::builder()
        .service_id(&service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()
        .and_then(|key| config.service_config()?.load_config(key))
        .filter(|u| !u.trim().is_empty())
        .or_else(|| config.endpoint_url().map(str::to_owned))
        .filter(|u| !u.trim().is_empty());
    configured.unwrap_or_else(|| {
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("https://{service}.{region}.{suffix}")
    })
}

/// Checks a region name before any call: `--region ""` or `--region ../../etc` (which the SDK would
/// put into a host name) are errors, as is a name that does not follow AWS's pattern.
pub(crate) fn check_region(region: &str, from: &'static str) -> Result<(), ScanFailure> {
    if privlink_model::is_region_name(region) {
        Ok(())
    } else {
        Err(ScanFailure::InvalidRegion {
            region: region.to_owned(),
            from,
        })
    }
}

/// The AWS shared config and credentials files, where the SDK looks for them.
pub(crate) fn shared_files() -> Vec<(&'static str, PathBuf)> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut files = Vec::new();
    for (variable, default) in [
        ("AWS_CONFIG_FILE", ".aws/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials"),
    ] {
        match std::env::var_os(variable) {
            Some(p) if !p.is_empty() => files.push((variable, PathBuf::from(p))),
            _ => {
                if let Some(h) = &home {
                    files.push((variable, h.join(default)));
                }
            }
        }
    }
    files
}

/// The shared files named for the user: `~/.aws/config and ~/.aws/credentials`.
pub(crate) fn shared_files_text() -> String {
    let files: Vec<String> = shared_files()
        .iter()
        .map(|(_, p)| p.display().to_string())
        .collect();
    if files.is_empty() {
        "no shared config file (HOME is not set)".to_owned()
    } else {
        files.join(" and ")
    }
}

/// Checks the AWS shared config and credentials files before the SDK reads them: a FIFO or a
/// device there would block it forever or fill memory.
pub(crate) fn check_shared_files() -> Result<(), ScanFailure> {
    for (variable, path) in shared_files() {
        let problem = match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => "it is not a regular file".to_owned(),
            Ok(m) if m.len() > privlink_ingest::read::MAX_FILE_BYTES => format!(
                "it is larger than {} MiB",
                privlink_ingest::read::MAX_FILE_BYTES >> 20
            ),
            _ => continue,
        };
        return Err(ScanFailure::SharedFile {
            path: path.display().to_string(),
            variable,
            problem,
        });
    }
    Ok(())
}

/// The profile the SDK uses: `--profile`, else `AWS_PROFILE`, else `default`; and whether it was
/// named (a named profile must exist).
pub(crate) fn selected_profile(profile: Option<&str>) -> (String, bool) {
    match profile {
        Some(p) => (p.to_owned(), true),
        None => match std::env::var("AWS_PROFILE") {
            Ok(p) if !p.trim().is_empty() => (p, true),
            _ => ("default".to_owned(), false),
        },
    }
}

/// Checks that a named profile is defined in the shared files, so `--profile no-such-profile` is an
/// error naming the profile and the files instead of a generic credentials error.
pub(crate) async fn check_profile(profile: Option<&str>) -> Result<(), ScanFailure> {
    let (name, named) = selected_profile(profile);
    if !named {
        return Ok(());
    }
    let fs = aws_types::os_shim_internal::Fs::real();
    let env = aws_types::os_shim_internal::Env::real();
    // The default files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws), as the SDK reads them.
    let defined = match aws_config::profile::load(&fs, &env, &Default::default(), None).await {
        Ok(set) => set.get_profile(&name).is_some(),
        // An unreadable or malformed file: the SDK reports it in its own words.
        Err(_) => return Ok(()),
    };
    if defined {
        Ok(())
    } else {
        Err(ScanFailure::NoProfile {
            profile: name,
            files: shared_files_text(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_checked_by_their_shape() {
        assert!(check_region("ap-northeast-1", "--region").is_ok());
        assert!(check_region("us-gov-west-1", "--region").is_ok());
        for bad in [
            "",
            "../../etc",
            "ap-northeast-1/../x",
            "xx-fake-9",
            "AP-NORTHEAST-1",
        ] {
            match check_region(bad, "--region") {
                Err(ScanFailure::InvalidRegion { region, .. }) => assert_eq!(region, bad),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn empty_endpoint_settings_count_as_unset() {
        #[derive(Debug)]
        struct Settings;
        impl LoadServiceConfig for Settings {
            fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
                match key.service_id() {
                    "EC2" => Some(String::new()),
                    "ECS" => Some("  ".to_owned()),
                    _ => Some("http://127.0.0.1:5000".to_owned()),
                }
            }
        }
        let config = SdkConfig::builder()
            .endpoint_url("")
            .service_config(Settings)
            .build();
        let config = without_empty_endpoint(config);
        assert_eq!(config.endpoint_url(), None);
        assert_eq!(
            endpoint_of(&config, "ec2", "ap-northeast-1"),
            "https://ec2.ap-northeast-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_of(&config, "ecs", "cn-north-1"),
            "https://ecs.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            endpoint_of(&config, "sts", "ap-northeast-1"),
            "http://127.0.0.1:5000"
        );
    }

    #[test]
    fn every_call_has_a_budget_and_a_bounded_number_of_attempts() {
        let t = Timeouts::default();
        let config = t.apply(&SdkConfig::builder().build());
        let timeouts = config.timeout_config().expect("time limits");
        assert_eq!(timeouts.connect_timeout(), Some(t.connect));
        assert_eq!(timeouts.read_timeout(), Some(t.read));
        assert_eq!(timeouts.operation_timeout(), Some(t.call));
        let retries = config.retry_config().expect("retries");
        assert_eq!(retries.max_attempts(), t.attempts);
    }
}
