//! Golden output for the naming edge cases (`tests/codegen/proto/naming*.proto`): keywords,
//! accessor collisions, nesting, recursion, groups, defaults, aliases, services. The
//! `zpb-codegen-tests` crate compiles the same output, with the derive as the oracle for
//! collisions. Run with `ZPB_BLESS=1` to accept a change.

use std::path::{Path, PathBuf};

include!("../../tests/codegen/naming_options.rs");

#[test]
fn naming_edge_cases_match_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests/codegen");
    let protos = root.join("proto");
    // reexport.proto too: naming3.proto's embedded descriptor refers to its imports'.
    let inputs: Vec<PathBuf> = ["naming.proto", "naming3.proto", "reexport.proto"]
        .iter()
        .map(|f| protos.join(f))
        .collect();
    let files = naming_options(&mut zpb_build::Config::new())
        .generate(&inputs, &[&protos])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 2);
    for file in files {
        let golden = root.join("golden").join(&file.name);
        if std::env::var_os("ZPB_BLESS").is_some() {
            std::fs::write(&golden, &file.content).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        assert!(
            want == file.content,
            "{} differs from the generator's output; accept with ZPB_BLESS=1",
            golden.display()
        );
    }
}

#[test]
fn well_known_types_are_referred_to_in_zpb_from_any_package_depth() {
    for package in ["", "package app;", "package a.b.c;"] {
        let source = format!(
            "syntax = \"proto3\"; {package} import \"google/protobuf/timestamp.proto\"; \
             import \"google/protobuf/type.proto\"; \
             message M {{ google.protobuf.Timestamp t = 1; google.protobuf.Field.Kind k = 2; }}"
        );
        let files = zpb_build::Config::new()
            .generate_from_source("m.proto", &source)
            .unwrap();
        let code = &files[0].content;
        assert!(
            code.contains("pub t: ::zpb::Optional<::zpb::well_known::Timestamp>"),
            "{code}"
        );
        assert!(
            code.contains("::zpb::OpenEnum<::zpb::well_known::field::Kind>"),
            "{code}"
        );
    }
}

#[test]
fn gated_rpc_items_are_formatted_as_rust_whatever_their_comments() {
    // A comment line ending in `;` inside a gated trait method, rpcs of every kind.
    let source = "syntax = \"proto3\"; package app; message M {} \
        service S {\n \
          rpc Get(M) returns (M);\n // Streams;\n rpc Watch(M) returns (stream M); \
          rpc Up(stream M) returns (M); rpc Both(stream M) returns (stream M); \
          rpc Connect(M) returns (M); rpc GetOwned(M) returns (M); }";
    let files = zpb_build::Config::new()
        .generate_from_source("s.proto", source)
        .unwrap();
    let code = &files[0].content;
    syn::parse_file(code).unwrap_or_else(|e| panic!("{e}\n{code}"));
    assert!(!code.contains("__zpb_rpc_gate"), "{code}");
    assert!(
        code.contains("    ::zpb::__rpc! {\n        /// Streams;\n"),
        "{code}"
    );
    // The client's own `connect` and the `_owned` forms keep their names.
    for method in [
        "pub fn connect_(",
        "pub fn connect__owned(",
        "pub fn get(",
        "pub fn get_owned(",
        "pub fn get_owned_(",
        "pub fn get_owned__owned(",
    ] {
        assert!(code.contains(method), "no {method} in\n{code}");
    }
}
