//! Helpers of the moto tests: the server guard and the example networks.

pub(crate) mod moto;
pub(crate) mod networks;
