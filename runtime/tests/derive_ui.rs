//! Compile errors for the main mistakes in `#[derive(zpb::Message)]` point at the field.

#[test]
fn derive_errors_point_at_the_field() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
