#![no_main]
//! Fuzz target `transport_frames`: see `zpb_differential::transport_frame`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::transport_frame(data);
});
