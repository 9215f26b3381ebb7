//! The front end's hash maps and sets. Their keys are names and source-code-info paths,
//! hashed many times per element; std's default SipHash costs more than the lookups it
//! guards, so they use FxHash (the multiply-rotate hash of rustc and Firefox), which is
//! not randomized: the front end's output never depends on iteration order.

use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`FxHasher`].
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` hashed with [`FxHasher`].
pub type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;

/// FxHash: each word rotated into the state, then multiplied by a large odd constant.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

/// The multiplier of FxHash (from rustc's `FxHasher`).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_i32(&mut self, i: i32) {
        self.add(u64::from(i as u32));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table's bucket index) weakest: rotate the
        // strong high bits down.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn distinct_keys_hash_apart() {
        let build = BuildHasherDefault::<FxHasher>::default();
        let a = build.hash_one("google.protobuf.FieldOptions");
        let b = build.hash_one("google.protobuf.FileOptions");
        assert_ne!(a, b);
        assert_ne!(
            build.hash_one(vec![4, 0, 2, 1]),
            build.hash_one(vec![4, 0, 2, 2])
        );
        assert_eq!(build.hash_one("same"), build.hash_one("same"));
    }
}
