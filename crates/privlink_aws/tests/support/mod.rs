//! Helpers of the moto tests: the server guard and the example networks.

pub mod moto;
pub mod networks;
