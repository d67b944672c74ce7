//! `aws scan`: a read-only scan of a live account into a [`Snapshot`].
//!
//! ```text
//! default credential chain (--profile) ──► sts:GetCallerIdentity ──► regions (--region, the configured one, or --all-regions)
//!   ──► per region, at most `concurrency` at once: EC2 ──► ECS ──► EKS ──► RegionSnapshot (sorted by id)
//! ```
//!
//! Only `Describe*`, `List*` and `Get*` calls are made, every page of each. The SDK's standard retry
//! mode retries throttled calls. A denied call is recorded in its region's `errors` and the scan goes
//! on; missing or expired credentials, an unreachable endpoint or an unavailable region stop it.
//! `AWS_ENDPOINT_URL` (and the service-specific variants) are honoured by the SDK's configuration
//! loader, which is how tests point the scan at a local emulator.

mod calls;
mod ec2;
mod ecs;
mod eks;

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use privlink_ingest::snapshot::format::RegionSnapshot;
use privlink_ingest::snapshot::{SNAPSHOT_VERSION, Snapshot};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use self::calls::Calls;
use crate::error::{CallError, classify};

/// What to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// `--profile`: a named profile of the shared config files.
    pub profile: Option<String>,
    /// `--region` (repeatable); empty means the configured region.
    pub regions: Vec<String>,
    /// `--all-regions`: every region enabled for the account.
    pub all_regions: bool,
    /// How many regions are scanned at once (at least 1).
    pub concurrency: usize,
    /// A ready SDK configuration to use instead of the default chain (tests use it to point the scan
    /// at an emulator with test credentials, without touching the process environment).
    pub sdk: Option<SdkConfig>,
}

/// Told how the scan goes, to draw a progress bar.
pub trait Progress: Send + Sync {
    /// The regions to scan, once known.
    fn regions(&self, regions: &[String]) {
        let _ = regions;
    }
    /// A region starts one part of its scan.
    fn step(&self, region: &str, what: &str) {
        let _ = (region, what);
    }
    /// A region is done.
    fn region_done(&self, region: &str) {
        let _ = region;
    }
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// A finished scan.
#[derive(Clone, Debug)]
pub struct ScanOutcome {
    /// What was read.
    pub snapshot: Snapshot,
    /// Calls that failed without stopping the scan (also recorded in the snapshot).
    pub warnings: Vec<CallError>,
}

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScanFailure {
    /// No region given and none configured.
    #[error("no AWS region is configured")]
    NoRegion,
    /// A `--region` that AWS does not know.
    #[error("region `{region}` does not exist (known regions: {known})")]
    UnknownRegion {
        /// The region given.
        region: String,
        /// The regions AWS lists.
        known: String,
    },
    /// A call that stops the scan.
    #[error("{0}")]
    Call(CallError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl ScanFailure {
    /// What the user can do about it.
    pub fn help(&self) -> String {
        match self {
            Self::NoRegion => "pass --region REGION (repeatable) or --all-regions, or set AWS_REGION or a region in the profile".to_owned(),
            Self::UnknownRegion { .. } => "check the spelling of --region; `aws ec2 describe-regions --all-regions` lists them".to_owned(),
            Self::Call(e) => e.help(),
            Self::Runtime(_) => "this is a bug or a resource limit of this machine".to_owned(),
        }
    }
}

/// Loads the SDK configuration: the default credential chain, `--profile`, the standard retry mode
/// (throttled calls are retried with backoff) and timeouts so an unreachable endpoint fails quickly.
pub(crate) async fn sdk_config(profile: Option<&str>, region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_owned()));
    }
    loader.load().await
}

/// Builds the runtime the SDK runs on (the rest of privlink is synchronous).
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, std::io::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Scans the account. Blocks until done.
pub fn scan(
    options: &ScanOptions,
    progress: Arc<dyn Progress>,
) -> Result<ScanOutcome, ScanFailure> {
    runtime()
        .map_err(ScanFailure::Runtime)?
        .block_on(scan_async(options, progress))
}

async fn scan_async(
    options: &ScanOptions,
    progress: Arc<dyn Progress>,
) -> Result<ScanOutcome, ScanFailure> {
    let base = match &options.sdk {
        Some(config) => config.clone(),
        None => sdk_config(options.profile.as_deref(), None).await,
    };
    // The account's own region (or the first one asked for) answers sts:GetCallerIdentity and
    // ec2:DescribeRegions, so a misspelt --region is reported as such, not as an unreachable host.
    let home = match base.region() {
        Some(r) => r.to_string(),
        None if !options.regions.is_empty() => options.regions[0].clone(),
        None if options.all_regions => "us-east-1".to_owned(),
        None => return Err(ScanFailure::NoRegion),
    };
    let home_config = base.to_builder().region(Region::new(home.clone())).build();
    let sts = aws_sdk_sts::Client::new(&home_config);
    let account = match sts.get_caller_identity().send().await {
        Ok(identity) => identity.account().map(str::to_owned),
        Err(e) => {
            let error = classify("sts:GetCallerIdentity", &home, &e);
            if error.is_fatal() {
                return Err(ScanFailure::Call(error));
            }
            None
        }
    };
    let mut warnings = Vec::new();
    let regions = regions_to_scan(options, &home, &home_config, &mut warnings).await?;
    progress.regions(&regions);
    let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for region in regions {
        let config = base
            .to_builder()
            .region(Region::new(region.clone()))
            .build();
        let limit = Arc::clone(&limit);
        let progress = Arc::clone(&progress);
        tasks.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = limit.acquire_owned().await;
            let result = scan_region(&config, &region, Arc::clone(&progress)).await;
            progress.region_done(&region);
            result
        });
    }
    let mut snapshots = Vec::new();
    let mut fatal = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((snapshot, calls)) => {
                warnings.extend(calls.warnings);
                if let Some(e) = calls.fatal {
                    fatal.get_or_insert(e);
                }
                snapshots.push(snapshot);
            }
            Err(e) => return Err(ScanFailure::Runtime(std::io::Error::other(e.to_string()))),
        }
    }
    if let Some(e) = fatal {
        return Err(ScanFailure::Call(e));
    }
    snapshots.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(ScanOutcome {
        snapshot: Snapshot {
            privlink_snapshot: SNAPSHOT_VERSION,
            generator: Some(format!("privlink {}", env!("CARGO_PKG_VERSION"))),
            account,
            regions: snapshots,
        },
        warnings,
    })
}

/// The regions to scan: `--all-regions` lists those enabled for the account; `--region` values are
/// checked against the regions AWS knows, so a typo is an error rather than a connection failure.
async fn regions_to_scan(
    options: &ScanOptions,
    home: &str,
    config: &SdkConfig,
    warnings: &mut Vec<CallError>,
) -> Result<Vec<String>, ScanFailure> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let wanted = if options.regions.is_empty() && !options.all_regions {
        vec![home.to_owned()]
    } else {
        options.regions.clone()
    };
    let listed = ec2
        .describe_regions()
        .all_regions(!options.all_regions)
        .send()
        .await;
    let known: Vec<String> = match listed {
        Ok(out) => out
            .regions()
            .iter()
            .filter_map(|r| r.region_name().map(str::to_owned))
            .collect(),
        Err(e) => {
            let error = classify("ec2:DescribeRegions", home, &e);
            if error.is_fatal() || options.all_regions {
                return Err(ScanFailure::Call(error));
            }
            // Without the list the regions are taken as given.
            warnings.push(error);
            let mut regions = wanted;
            regions.dedup();
            return Ok(regions);
        }
    };
    if options.all_regions {
        let mut regions = known;
        regions.sort();
        return Ok(regions);
    }
    if let Some(bad) = wanted.iter().find(|r| !known.contains(r)) {
        return Err(ScanFailure::UnknownRegion {
            region: bad.clone(),
            known: known.join(", "),
        });
    }
    let mut regions = wanted;
    regions.sort();
    regions.dedup();
    Ok(regions)
}

/// Scans one region.
async fn scan_region(
    config: &SdkConfig,
    region: &str,
    progress: Arc<dyn Progress>,
) -> (RegionSnapshot, Calls) {
    let mut calls = Calls::new(region, progress);
    let mut out = RegionSnapshot {
        region: region.to_owned(),
        ..RegionSnapshot::default()
    };
    let ec2_client = aws_sdk_ec2::Client::new(config);
    ec2::scan(&ec2_client, &mut calls, &mut out).await;
    ecs::scan(&aws_sdk_ecs::Client::new(config), &mut calls, &mut out).await;
    eks::scan(
        &aws_sdk_eks::Client::new(config),
        &ec2_client,
        &mut calls,
        &mut out,
    )
    .await;
    sort(&mut out);
    out.errors = calls.errors.clone();
    (out, calls)
}

/// Orders every list by id, so two scans of an unchanged account give the same document.
fn sort(out: &mut RegionSnapshot) {
    out.vpcs.sort_by(|a, b| a.vpc_id.cmp(&b.vpc_id));
    out.subnets.sort_by(|a, b| a.subnet_id.cmp(&b.subnet_id));
    out.route_tables
        .sort_by(|a, b| a.route_table_id.cmp(&b.route_table_id));
    out.security_groups
        .sort_by(|a, b| a.group_id.cmp(&b.group_id));
    out.network_acls
        .sort_by(|a, b| a.network_acl_id.cmp(&b.network_acl_id));
    out.vpc_endpoints
        .sort_by(|a, b| a.vpc_endpoint_id.cmp(&b.vpc_endpoint_id));
    out.prefix_lists
        .sort_by(|a, b| a.prefix_list_id.cmp(&b.prefix_list_id));
    out.internet_gateways
        .sort_by(|a, b| a.internet_gateway_id.cmp(&b.internet_gateway_id));
    out.nat_gateways
        .sort_by(|a, b| a.nat_gateway_id.cmp(&b.nat_gateway_id));
    out.ecs_clusters
        .sort_by(|a, b| a.cluster_arn.cmp(&b.cluster_arn));
    out.ecs_services
        .sort_by(|a, b| a.service_arn.cmp(&b.service_arn));
    out.task_definitions
        .sort_by(|a, b| a.task_definition_arn.cmp(&b.task_definition_arn));
    out.eks_clusters.sort_by(|a, b| a.arn.cmp(&b.arn));
    out.eks_nodegroups
        .sort_by(|a, b| a.nodegroup_arn.cmp(&b.nodegroup_arn));
    out.eks_fargate_profiles
        .sort_by(|a, b| a.fargate_profile_arn.cmp(&b.fargate_profile_arn));
}
