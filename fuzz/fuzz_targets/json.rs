#![no_main]
//! Fuzz target `json`: the ProtoJSON parser on arbitrary input, for both conformance
//! messages (see `zpb_differential::json_round_trip` for what is checked).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::json_both(data);
});
