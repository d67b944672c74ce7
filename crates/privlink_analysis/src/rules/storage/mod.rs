//! Rules about storage the workload mounts.

pub(super) mod efs_mount_target_unreachable;
