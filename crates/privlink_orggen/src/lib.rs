//! Writes an organisation's network at any size, in three forms privlink reads — a Terraform
//! configuration (one module call per VPC), CloudFormation (one template per VPC) and an account
//! snapshot — with known defects injected in four VPCs of five, and a manifest of the findings those
//! defects must produce.
//!
//! Every VPC has 3 AZs, two app subnets and one endpoint subnet per AZ, a route table per AZ for the
//! app subnets and one for the endpoint subnets, an endpoint security group, interface endpoints for
//! `ecr.api`, `ecr.dkr`, `logs` and `secretsmanager`, the S3 gateway endpoint on the app route
//! tables, and one ECS Fargate 1.4.0 service (ECR image, `awslogs`, a Secrets Manager secret) in the
//! six app subnets. The defect of a VPC depends only on its index, so any two runs agree.
//!
//! Used by `scripts/gen-org`, `scripts/bench`, the scale test and the criterion benches.

mod cloudformation;
mod defects;
mod snapshot;
mod terraform;

use std::path::Path;

pub use cloudformation::write as write_cloudformation;
pub use defects::{Defect, Expected};
pub use snapshot::{render as render_snapshot, write as write_snapshot};
pub use terraform::write as write_terraform;

/// The region every generated VPC is in.
pub const REGION: &str = "eu-west-1";
/// The AZs of every VPC.
pub const AZS: [&str; 3] = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/// The account the images and ARNs name.
pub const ACCOUNT: &str = "123456789012";
/// The interface endpoints a correct VPC has (the S3 gateway endpoint comes on top).
pub const INTERFACE_SERVICES: [&str; 4] = ["ecr.api", "ecr.dkr", "logs", "secretsmanager"];

/// One generated VPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcSpec {
    /// Position in the organisation, from 0.
    pub index: usize,
    /// `app-0007`: the ECS service's name, the cluster's and the stem of the files.
    pub name: String,
    /// The VPC's IPv4 block, a /22 (blocks repeat after 4,096 VPCs: unpeered VPCs may overlap).
    pub cidr: String,
    /// What is wrong in it, if anything.
    pub defect: Option<Defect>,
}

impl VpcSpec {
    /// The `/26` subnet `k` (0–15) of this VPC's /22.
    #[must_use]
    pub fn subnet_cidr(&self, k: usize) -> String {
        dotted(block_start(self.index) + k * 64, 26)
    }

    /// The interface services this VPC has endpoints for.
    #[must_use]
    pub fn interface_services(&self) -> Vec<&'static str> {
        INTERFACE_SERVICES
            .into_iter()
            .filter(|s| !(self.defect == Some(Defect::MissingEcrDkr) && *s == "ecr.dkr"))
            .collect()
    }

    /// Whether the endpoint for `service` has private DNS on.
    #[must_use]
    pub fn private_dns(&self, service: &str) -> bool {
        !(self.defect == Some(Defect::PrivateDnsOff) && service == defects::PRIVATE_DNS_OFF_SERVICE)
    }

    /// The port the endpoint security group admits.
    #[must_use]
    pub fn endpoint_ingress_port(&self) -> u16 {
        if self.defect == Some(Defect::EndpointSgBlocksHttps) {
            80
        } else {
            443
        }
    }

    /// The port the workload security group lets out.
    #[must_use]
    pub fn workload_egress_port(&self) -> u16 {
        if self.defect == Some(Defect::WorkloadSgBlocksHttps) {
            80
        } else {
            443
        }
    }

    /// `enableDnsHostnames`.
    #[must_use]
    pub fn dns_hostnames(&self) -> bool {
        self.defect != Some(Defect::VpcDnsHostnamesOff)
    }

    /// Whether the S3 gateway is on the endpoint subnets' route table instead of the app ones.
    #[must_use]
    pub fn s3_gateway_misplaced(&self) -> bool {
        self.defect == Some(Defect::S3GatewayOnWrongRouteTable)
    }

    /// The ECR image its task runs.
    #[must_use]
    pub fn image(&self) -> String {
        format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{}:1", self.name)
    }

    /// The Secrets Manager secret its task reads.
    #[must_use]
    pub fn secret_arn(&self) -> String {
        format!(
            "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{}-db",
            self.name
        )
    }
}

/// The offset in 10.0.0.0/8 of VPC `index`'s /22.
fn block_start(index: usize) -> usize {
    (index % 4096) * 1024
}

/// `10.x.y.z/len` for an offset in 10.0.0.0/8.
fn dotted(offset: usize, len: u8) -> String {
    format!(
        "10.{}.{}.{}/{len}",
        offset >> 16 & 255,
        offset >> 8 & 255,
        offset & 255
    )
}

/// The organisation of `vpcs` VPCs.
#[must_use]
pub fn org(vpcs: usize) -> Vec<VpcSpec> {
    (0..vpcs)
        .map(|index| VpcSpec {
            index,
            name: format!("app-{index:04}"),
            cidr: dotted(block_start(index), 22),
            defect: defects::defect(index),
        })
        .collect()
}

/// The manifest: for each VPC its name, its defect and the findings it must produce, as
/// `{"region", "vpcs": [{"name", "cidr", "defect", "findings": [{"rule", "services"}]}]}`; `name` is
/// also the name of the VPC's workload in every form.
#[must_use]
pub fn manifest(org: &[VpcSpec]) -> serde_json::Value {
    let vpcs = org
        .iter()
        .map(|vpc| {
            let findings = vpc
                .defect
                .map(Defect::expected)
                .into_iter()
                .map(|e| serde_json::json!({"rule": e.rule, "services": e.services}))
                .collect::<Vec<_>>();
            serde_json::json!({
                "name": vpc.name,
                "cidr": vpc.cidr,
                "defect": vpc.defect.map(Defect::name),
                "findings": findings,
            })
        })
        .collect::<Vec<_>>();
    serde_json::json!({"region": REGION, "vpcs": vpcs})
}

/// Which forms to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `DIR/terraform/`: a root module with one module call per VPC, and `modules/vpc`.
    Terraform,
    /// `DIR/cloudformation/`: one template per VPC.
    CloudFormation,
    /// `DIR/snapshot.json`: one region of an account snapshot.
    Snapshot,
}

/// Writes the forms asked for and `DIR/manifest.json` under `dir`.
///
/// # Errors
/// When a file cannot be written.
pub fn write_all(dir: &Path, org: &[VpcSpec], forms: &[Form]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for form in forms {
        match form {
            Form::Terraform => write_terraform(&dir.join("terraform"), org)?,
            Form::CloudFormation => write_cloudformation(&dir.join("cloudformation"), org)?,
            Form::Snapshot => write_snapshot(&dir.join("snapshot.json"), org)?,
        }
    }
    let mut text = serde_json::to_string_pretty(&manifest(org)).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(dir.join("manifest.json"), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_vpcs_of_five_are_broken_with_every_kind_by_ten() {
        let org = org(10);
        assert_eq!(org.iter().filter(|v| v.defect.is_some()).count(), 8);
        for kind in Defect::ALL {
            assert!(org.iter().any(|v| v.defect == Some(kind)), "{kind:?}");
        }
    }

    #[test]
    fn subnets_fall_inside_their_vpc() {
        let org = org(4100);
        assert_eq!(org[0].cidr, "10.0.0.0/22");
        assert_eq!(org[0].subnet_cidr(15), "10.0.3.192/26");
        assert_eq!(org[65].cidr, "10.1.4.0/22");
        assert_eq!(org[65].subnet_cidr(4), "10.1.5.0/26");
        assert_eq!(org[4095].cidr, "10.63.252.0/22");
        assert_eq!(org[4096].cidr, org[0].cidr);
    }
}
