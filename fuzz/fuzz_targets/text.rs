#![no_main]
//! Fuzz target `text`: the text-format parser on arbitrary input, for both conformance
//! messages (see `zpb_differential::text_round_trip` for what is checked).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::text_both(data);
});
