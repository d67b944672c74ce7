//! One region's calls: each is awaited, and its failure is sorted into a recorded gap (access denied
//! on one call: the scan goes on without what that call returns) or a fatal error (credentials,
//! reachability: every further call would fail the same way, so no further call is made).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use aws_config::SdkConfig;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use privlink_ingest::snapshot::format::ScanError;

use super::Progress;
use super::config::endpoint_of;
use crate::error::{CallError, classify};

/// The calls of one region and what went wrong with them.
pub(super) struct Calls {
    pub(super) region: String,
    /// The configuration the calls are made with (to name the endpoint of a failed call).
    config: SdkConfig,
    pub(super) errors: Vec<ScanError>,
    pub(super) warnings: Vec<CallError>,
    pub(super) fatal: Option<CallError>,
    progress: Arc<dyn Progress>,
}

impl fmt::Debug for Calls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calls")
            .field("region", &self.region)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl Calls {
    pub(super) fn new(config: &SdkConfig, region: &str, progress: Arc<dyn Progress>) -> Self {
        Self {
            region: region.to_owned(),
            config: config.clone(),
            errors: Vec::new(),
            warnings: Vec::new(),
            fatal: None,
            progress,
        }
    }

    /// Reports the part of the scan that starts.
    pub(super) fn step(&self, what: &str) {
        self.progress.step(&self.region, what);
    }

    /// Awaits one call (`service:Action`); `collection` is the snapshot list it fills. `None` when it
    /// failed, or when an earlier fatal error means it is not made at all.
    pub(super) async fn run<T, E, R>(
        &mut self,
        call: &str,
        collection: &str,
        request: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Option<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug + crate::error::RawStatus,
    {
        if self.fatal.is_some() {
            return None;
        }
        match request.await {
            Ok(value) => Some(value),
            Err(e) => {
                let mut error = classify(call, &self.region, &e);
                let service = call.split(':').next().unwrap_or(call);
                error.endpoint = Some(endpoint_of(&self.config, service, &self.region).into());
                if error.is_fatal() {
                    self.fatal = Some(error);
                } else {
                    self.errors.push(ScanError {
                        call: call.to_owned(),
                        permission: error.permission().to_owned(),
                        collection: collection.to_owned(),
                        message: error.message.clone(),
                    });
                    self.warnings.push(error);
                }
                None
            }
        }
    }
}
