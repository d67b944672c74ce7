//! `aws scan`: a read-only scan of a live account into a [`Snapshot`].
//!
//! ```text
//! region names checked, shared files and profile checked ──► default credential chain (--profile)
//!   ──► sts:GetCallerIdentity ──► regions (--region, the configured one, or --all-regions)
//!   ──► per region, at most `concurrency` at once: EC2 ──► ECS ──► EKS ──► RegionSnapshot (sorted by id)
//! ```
//!
//! Only `Describe*`, `List*` and `Get*` calls are made, every page of each, each within the
//! [`Timeouts`] (connect, read, the whole call) and a bounded number of attempts of the SDK's standard
//! retry mode. A denied call is recorded in its region's `errors` and the scan goes on (the caller
//! decides, by [`REQUIRED_CALLS`], whether what is left can be analysed); missing or expired
//! credentials, an endpoint that does not answer as AWS does, or an unavailable region stop it.
//! `AWS_ENDPOINT_URL` (and the service-specific variants, an empty value counting as unset) are
//! honoured by the SDK's configuration loader, which is how tests point the scan at a local emulator.

mod calls;
mod config;
mod ec2;
mod ecs;
mod eks;

use std::sync::Arc;

use aws_config::{Region, SdkConfig};
use privlink_ingest::snapshot::format::RegionSnapshot;
use privlink_ingest::snapshot::{SNAPSHOT_VERSION, Snapshot};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use self::calls::Calls;
pub use self::config::Timeouts;
pub(crate) use self::config::sdk_config;
use self::config::{check_profile, check_region, check_shared_files, endpoint_of};
use crate::error::{CallError, CallErrorKind, classify};

/// The calls without which a region's network cannot be analysed: when one of them fails, the
/// scan is incomplete (and `aws scan` exits 2), whatever else was read. Without the others (NAT
/// gateways, ECS, EKS, ...) the analysis goes on, and what depends on them is reported as unknown.
pub const REQUIRED_CALLS: &[&str] = &[
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeVpcEndpoints",
];

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
    /// Time limits and retries of each call.
    pub timeouts: Timeouts,
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

impl ScanOutcome {
    /// The failed calls the analysis cannot do without ([`REQUIRED_CALLS`]): the scan is incomplete.
    pub fn required_failures(&self) -> impl Iterator<Item = &CallError> {
        self.warnings
            .iter()
            .filter(|w| REQUIRED_CALLS.contains(&w.call.as_str()))
    }

    /// The other failed calls: the scan goes on without what they return.
    pub fn optional_failures(&self) -> impl Iterator<Item = &CallError> {
        self.warnings
            .iter()
            .filter(|w| !REQUIRED_CALLS.contains(&w.call.as_str()))
    }
}

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScanFailure {
    /// No region given and none configured.
    #[error("no AWS region is configured")]
    NoRegion,
    /// A region that is not a region name at all (empty, a path, `xx-fake-9`).
    #[error("`{region}` ({from}) is not an AWS region name")]
    InvalidRegion {
        /// The region given.
        region: String,
        /// Where it was given.
        from: &'static str,
    },
    /// A `--region` that AWS does not know.
    #[error("region `{region}` does not exist (known regions: {known})")]
    UnknownRegion {
        /// The region given.
        region: String,
        /// The regions AWS lists.
        known: String,
    },
    /// An AWS shared config or credentials file that cannot be read safely (a FIFO, a device, too
    /// large).
    #[error("{path} ({variable}): {problem}")]
    SharedFile {
        /// The file.
        path: String,
        /// The variable that names it (or would).
        variable: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A named profile (`--profile`, `AWS_PROFILE`) that the shared files do not define.
    #[error("the AWS profile `{profile}` is not defined in {files}")]
    NoProfile {
        /// The profile.
        profile: String,
        /// Where it was looked for.
        files: String,
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
            Self::InvalidRegion { .. } => "pass a region name such as ap-northeast-1 or us-gov-west-1 (`aws ec2 describe-regions --all-regions` lists them)".to_owned(),
            Self::SharedFile { .. } => "point AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at regular files, or unset them".to_owned(),
            Self::NoProfile { .. } => "check the spelling of --profile / AWS_PROFILE; `aws configure list-profiles` lists the profiles, and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE move the files".to_owned(),
            Self::Call(e) => e.help(),
            Self::Runtime(_) => "this is a bug or a resource limit of this machine".to_owned(),
        }
    }
}

/// A credentials error's message with the profile it was looked for in and where that profile is.
fn credentials_context(profile: Option<&str>, message: &str) -> String {
    let (name, _) = config::selected_profile(profile);
    format!(
        "{message} (profile `{name}`, looked for in the environment and in {})",
        config::shared_files_text()
    )
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
    for region in &options.regions {
        check_region(region, "--region")?;
    }
    let base = match &options.sdk {
        Some(config) => options.timeouts.apply(config),
        None => {
            check_shared_files()?;
            check_profile(options.profile.as_deref()).await?;
            sdk_config(options.profile.as_deref(), None, options.timeouts).await
        }
    };
    // The account's own region (or the first one asked for) answers sts:GetCallerIdentity and
    // ec2:DescribeRegions, so a misspelt --region is reported as such, not as an unreachable host.
    // A configured region that is not a region name is an error unless --region replaces it.
    let configured = base.region().map(ToString::to_string);
    let home = match configured {
        Some(r) if options.regions.is_empty() || privlink_model::is_region_name(&r) => {
            check_region(
                &r,
                "the configured region: AWS_REGION, AWS_DEFAULT_REGION or the profile's region",
            )?;
            r
        }
        _ if !options.regions.is_empty() => options.regions[0].clone(),
        _ if options.all_regions => "us-east-1".to_owned(),
        _ => return Err(ScanFailure::NoRegion),
    };
    let home_config = base.to_builder().region(Region::new(home.clone())).build();
    let sts = aws_sdk_sts::Client::new(&home_config);
    let account = match sts.get_caller_identity().send().await {
        Ok(identity) => identity.account().map(str::to_owned),
        Err(e) => {
            let mut error = classify("sts:GetCallerIdentity", &home, &e);
            error.endpoint = Some(endpoint_of(&home_config, "sts", &home).into());
            if matches!(
                error.kind,
                CallErrorKind::NoCredentials
                    | CallErrorKind::ExpiredToken
                    | CallErrorKind::InvalidCredentials
            ) {
                error.message = credentials_context(options.profile.as_deref(), &error.message);
            }
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
            let mut error = classify("ec2:DescribeRegions", home, &e);
            error.endpoint = Some(endpoint_of(config, "ec2", home).into());
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
    let mut calls = Calls::new(config, region, progress);
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
