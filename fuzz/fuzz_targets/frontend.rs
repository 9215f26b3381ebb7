#![no_main]
//! Fuzz target `frontend`: zpb's `.proto` front end on any text (see
//! `zpb_differential::frontend`); seeds in `tests/differential/corpus/frontend/`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zpb_differential::frontend(data);
});
