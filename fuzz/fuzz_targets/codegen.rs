#![no_main]
//! Fuzz target `codegen`: see `zpb_differential` for what is checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::codegen(data);
});
