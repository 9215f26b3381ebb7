#![no_main]
//! Fuzz target `parse_proto2`: see `zpb_differential` for what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::round_trip::<zpb_differential::Z2>(data);
    zpb_differential::extensions(data);
});
