//! A stable hash for ids in the output (SARIF fingerprints, GitLab
//! fingerprints, the plan's `request_id`s). A leaf: imports nothing of the
//! crate.

/// FNV-1a, 64 bits: a small hash that is stable across runs, platforms and
/// Rust versions (unlike `std`'s `DefaultHasher`). Parts are separated by a
/// `0xff` byte (never part of UTF-8 text) so that `("ab", "c")` and
/// `("a", "bc")` differ.
pub fn fnv1a64(parts: &[&[u8]]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        let separator: &[u8] = if i > 0 { &[0xff] } else { &[] };
        for &b in separator.iter().chain(part.iter()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_known_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(&[b"foobar"]), 0x8594_4171_f739_67e8);
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
    }
}
