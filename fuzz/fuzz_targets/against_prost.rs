#![no_main]
//! Fuzz target `against_prost`: zpb and prost must agree on every input (see
//! `zpb_differential::against_prost`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::against_prost_both(data);
});
