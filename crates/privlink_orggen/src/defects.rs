//! The defects injected into four VPCs of five, and the findings each must produce.

/// The interface service whose endpoint gets private DNS off.
pub(crate) const PRIVATE_DNS_OFF_SERVICE: &str = "logs";

/// One kind of injected defect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// No `ecr.dkr` interface endpoint.
    MissingEcrDkr,
    /// The S3 gateway endpoint is on the endpoint subnets' route table, not the app ones.
    S3GatewayOnWrongRouteTable,
    /// The `logs` endpoint has private DNS off.
    PrivateDnsOff,
    /// The endpoint security group admits TCP 80, not 443.
    EndpointSgBlocksHttps,
    /// The workload security group lets TCP 80 out, not 443.
    WorkloadSgBlocksHttps,
    /// The VPC has `enableDnsHostnames` off.
    VpcDnsHostnamesOff,
}

/// The finding a defect must produce, for the VPC's one workload: one finding naming every
/// service the cause cuts off.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    /// The rule name.
    pub rule: &'static str,
    /// The services the finding is about, sorted.
    pub services: Vec<&'static str>,
}

impl Defect {
    /// Every kind, in the order they are handed out.
    pub const ALL: [Self; 6] = [
        Self::MissingEcrDkr,
        Self::S3GatewayOnWrongRouteTable,
        Self::PrivateDnsOff,
        Self::EndpointSgBlocksHttps,
        Self::WorkloadSgBlocksHttps,
        Self::VpcDnsHostnamesOff,
    ];

    /// The kind's name in the manifest.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::MissingEcrDkr => "missing-ecr-dkr",
            Self::S3GatewayOnWrongRouteTable => "s3-gateway-on-wrong-route-table",
            Self::PrivateDnsOff => "private-dns-off",
            Self::EndpointSgBlocksHttps => "endpoint-sg-blocks-443",
            Self::WorkloadSgBlocksHttps => "workload-sg-blocks-443",
            Self::VpcDnsHostnamesOff => "vpc-dns-hostnames-off",
        }
    }

    /// The finding privlink must report for it.
    #[must_use]
    pub fn expected(self) -> Expected {
        let interface = crate::INTERFACE_SERVICES.to_vec();
        let (rule, mut services) = match self {
            Self::MissingEcrDkr => ("missing-interface-endpoint", vec!["ecr.dkr"]),
            Self::S3GatewayOnWrongRouteTable => ("s3-gateway-not-on-route-table", vec!["s3"]),
            Self::PrivateDnsOff => ("private-dns-disabled", vec![PRIVATE_DNS_OFF_SERVICE]),
            Self::EndpointSgBlocksHttps => ("endpoint-sg-blocks-https", interface),
            Self::WorkloadSgBlocksHttps => {
                let mut services = interface;
                services.push("s3");
                ("workload-sg-blocks-https", services)
            }
            Self::VpcDnsHostnamesOff => ("vpc-dns-disabled", interface),
        };
        services.sort_unstable();
        Expected { rule, services }
    }
}

/// The defect of VPC `index`: none for every fifth VPC (0, 5, 10, ...), the kinds in turn for the
/// others.
pub(crate) fn defect(index: usize) -> Option<Defect> {
    if index.is_multiple_of(5) {
        return None;
    }
    let broken_before = index - index / 5 - 1;
    Some(Defect::ALL[broken_before % Defect::ALL.len()])
}
