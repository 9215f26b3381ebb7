#![no_main]
//! Fuzz target `delimited`: see `zpb_differential` for what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::delimited_stream::<zpb_differential::Z3>(data);
});
