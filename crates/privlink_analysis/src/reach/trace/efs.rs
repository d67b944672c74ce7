//! EFS: NFS to the mount target of the file system in the workload's AZ.

use privlink_model::net::{Ipv4Range, PortRange};
use privlink_model::{Direction, Known};

use super::{Outcome, PathState, Tracer};
use crate::reach::check::Peer;
use crate::reach::{Blocked, Cause, HopKind, HopStatus, Verdict};
use crate::requirements::Origin;

impl Tracer<'_, '_> {
    /// NFS to the EFS mount target in the workload's AZ.
    pub(super) fn nfs(&mut self) -> Outcome {
        let Origin::Efs { file_system } = &self.requirement.origin else {
            return Outcome::unknown();
        };
        let Some(fs) = file_system else {
            let detail = "the file system is not known before apply".to_owned();
            return self.undecided(HopKind::MountTarget, detail, None, None);
        };
        let id = if fs.as_str().starts_with("fs-") {
            fs.to_string()
        } else {
            "fs-…".to_owned()
        };
        let host = format!("{id}.efs.{}.amazonaws.com", self.region.unwrap_or("REGION"));
        if let Some(outcome) = self.resolver_fails(&host) {
            return outcome;
        }
        let unreachable = |missing_in: Option<String>| Cause::EfsUnreachable {
            file_system: fs.clone(),
            missing_in,
        };
        if self.vpc.dns_hostnames == Known::Value(false) {
            let detail = format!(
                "the name of {fs} ({host}) resolves only with enableDnsHostnames on, and it is off in {}",
                self.vpc.id
            );
            let location = self.vpc_location();
            self.hop(
                HopKind::Dns,
                HopStatus::Blocked,
                detail.clone(),
                Some(&self.vpc.id),
                location.clone(),
            );
            return Outcome::blocked(Blocked {
                cause: unreachable(None),
                resource: self.vpc.id.clone(),
                location,
                detail,
            });
        }
        let net = self.net;
        let targets: Vec<_> = net
            .model
            .efs_mount_targets
            .values()
            .filter(|t| t.file_system.value() == Some(fs))
            .collect();
        let az = self.subnet.availability_zone.value();
        let subnet_of =
            |t: &&privlink_model::EfsMountTarget| t.subnet.value().and_then(|s| net.subnet(s));
        let in_az = targets.iter().find(|t| {
            subnet_of(t).is_some_and(|s| az.is_some() && s.availability_zone.value() == az)
        });
        let Some(target) = in_az else {
            if targets.iter().any(|t| !t.subnet.is_known()) || az.is_none() {
                let detail = format!("where the mount targets of {fs} are is not known");
                return self.undecided(HopKind::MountTarget, detail, None, None);
            }
            let az = az.map_or("the workload's AZ", String::as_str);
            let detail = format!(
                "{fs} has no mount target in {az}, so its name ({host}) does not resolve there"
            );
            self.hop(
                HopKind::MountTarget,
                HopStatus::Blocked,
                detail.clone(),
                Some(fs),
                None,
            );
            return Outcome::blocked(Blocked {
                cause: unreachable(Some(az.to_owned())),
                resource: fs.clone(),
                location: self.workload.provenance.location.clone(),
                detail,
            });
        };
        let Some(target_subnet) = subnet_of(target) else {
            return Outcome::unknown();
        };
        let detail = format!("{host} resolves to {} in {}", target.id, target_subnet.id);
        let at = target.provenance.location.clone();
        self.hop(
            HopKind::MountTarget,
            HopStatus::Ok,
            detail,
            Some(&target.id),
            at,
        );
        let (Some(own), Some(cidr)) = (self.subnet_ranges(), target_subnet.cidr.value()) else {
            let detail = "the subnet addresses are not known".to_owned();
            return self.undecided(HopKind::Route, detail, None, None);
        };
        let target_range = vec![Ipv4Range::from_net(*cidr)];
        let mut state = PathState::default();
        let groups = self.groups_or_default(&target.security_groups);
        let to_target = Peer {
            ranges: target_range.clone(),
            groups: &groups.known,
            prefix_list_service: None,
            region: self.region,
            name: target.id.to_string(),
        };
        self.sg_egress(&mut state, &to_target, PortRange::NFS, || unreachable(None));
        let own_name = format!("{} ({})", self.subnet.id, own[0]);
        let crosses_acls = target_subnet.id != self.subnet.id;
        if crosses_acls {
            self.nacl_own(
                &mut state,
                HopKind::NaclOut,
                Direction::Egress,
                &target_range,
                "the mount target",
                PortRange::NFS,
                |_| unreachable(None),
            );
            self.nacl_remote(
                &mut state,
                HopKind::NaclIn,
                Direction::Ingress,
                &[&target_subnet.id],
                &own,
                &own_name,
                PortRange::NFS,
                |_| unreachable(None),
            );
        }
        self.sg_ingress(&mut state, &groups, &own, &own_name, PortRange::NFS, || {
            unreachable(None)
        });
        if crosses_acls {
            let ephemeral = PortRange::LINUX_EPHEMERAL;
            self.nacl_remote(
                &mut state,
                HopKind::NaclReturn,
                Direction::Egress,
                &[&target_subnet.id],
                &own,
                &own_name,
                ephemeral,
                |_| unreachable(None),
            );
            self.nacl_own(
                &mut state,
                HopKind::NaclReturn,
                Direction::Ingress,
                &target_range,
                "the mount target",
                ephemeral,
                |_| unreachable(None),
            );
        }
        self.finish(state, Verdict::Endpoint, Some(target.id.clone()), None)
    }
}
