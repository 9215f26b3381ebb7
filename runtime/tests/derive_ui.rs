//! Compile errors for the main mistakes in `#[derive(zpb::Message)]` point at the field.
//!
//! Runs without the `zmq` feature only (scripts/test.sh runs it on its own): trybuild builds
//! the crate again in its own target directory, and libzmq with it when the feature is on.
#![cfg(not(feature = "zmq"))]

#[test]
fn derive_errors_point_at_the_field() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
