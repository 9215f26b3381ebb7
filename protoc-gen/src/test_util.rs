//! Shared by the unit tests.

/// Calls `check` with 20,000 strings made of up to `max_pieces` of `pieces`, picked by a
/// fixed xorshift sequence (the same strings on every run).
pub fn random_mixes(pieces: &[&str], max_pieces: u64, mut check: impl FnMut(&str)) {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut text = String::new();
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        text.clear();
        let mut pick = seed;
        for _ in 0..seed % (max_pieces + 1) {
            text.push_str(pieces[(pick % pieces.len() as u64) as usize]);
            pick = pick.rotate_right(5) ^ seed;
        }
        check(&text);
    }
}
