// The generator options of the naming edge cases (`proto/naming*.proto`), in one place for
// the two that generate them: this crate's build script and zpb-build's golden test
// (`protoc-gen/tests/golden.rs`), which both `include!` this file, so that the code
// compiled here is the code the golden files hold.

/// Sets the naming edge cases' options on `config`.
fn naming_options(config: &mut zpb_build::Config) -> &mut zpb_build::Config {
    config
        .bytes([
            ".zpb.naming3.Blob.data",
            ".zpb.naming3.Blob.chunks",
            "Blob.pick_bytes",
        ])
        .btree_map([".zpb.naming3.Blob.sorted"])
        .type_attribute(".zpb.naming.Color", "#[doc(alias = \"colour\")]")
        .field_attribute("Recursive.child", "#[doc(alias = \"kid\")]")
}
