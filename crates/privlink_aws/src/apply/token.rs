//! Idempotency tokens: the same change gets the same `ClientToken`, so a retried `CreateVpcEndpoint`
//! (by the SDK's retry, or by running `aws apply` again after a failure) creates nothing twice.

/// A token for the change described by `parts`: `privlink-` and a 64-bit FNV-1a hash in hex, which is
/// stable across builds and platforms (unlike `std`'s hasher) and well inside the 64-character limit.
pub(crate) fn client_token(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("privlink-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_and_distinct() {
        let a = client_token(&[
            "interface",
            "ap-northeast-1",
            "vpc-1",
            "com.amazonaws.ap-northeast-1.logs",
        ]);
        assert_eq!(
            a,
            client_token(&[
                "interface",
                "ap-northeast-1",
                "vpc-1",
                "com.amazonaws.ap-northeast-1.logs"
            ])
        );
        assert_ne!(
            a,
            client_token(&[
                "interface",
                "ap-northeast-1",
                "vpc-2",
                "com.amazonaws.ap-northeast-1.logs"
            ])
        );
        // Part boundaries matter.
        assert_ne!(client_token(&["ab", "c"]), client_token(&["a", "bc"]));
        assert!(a.len() <= 64 && a.starts_with("privlink-"));
    }
}
