//! The checked-in generated code (the plugin types in `src/descriptor/`, the descriptor
//! types in `runtime/src/descriptor/`, the well-known types in `runtime/src/well_known/`) is
//! what the generator produces today, and the runtime's edition defaults are protoc's.
//! Run with `ZPB_BLESS=1` to rewrite it.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn protos() -> PathBuf {
    root().join("../shared/testdata/protos")
}

fn check(config: &zpb_build::Config, files: &[&str], out_dir: &Path) {
    let inputs: Vec<PathBuf> = files.iter().map(|f| protos().join(f)).collect();
    let generated = config
        .generate(&inputs, &[protos()])
        .unwrap_or_else(|e| panic!("{e}"));
    bless_or_compare(generated, out_dir);
}

/// Writes `generated` into `out_dir` under `ZPB_BLESS=1`, else requires it to equal what is
/// there.
fn bless_or_compare(generated: Vec<zpb_build::GeneratedFile>, out_dir: &Path) {
    let bless = std::env::var_os("ZPB_BLESS").is_some();
    for file in generated {
        let path = out_dir.join(&file.name);
        if bless {
            std::fs::write(&path, &file.content).unwrap();
            continue;
        }
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            old == file.content,
            "{} is stale: regenerate with ZPB_BLESS=1 cargo test -p zpb-build --test bootstrap",
            path.display()
        );
    }
}

/// A `protoc` from the venv in a fresh scratch directory, or `None` (skipping `what`).
fn venv_protoc(what: &str) -> Option<(PathBuf, PathBuf)> {
    let python = zpb_test_support::python(what)?;
    let tmp = std::env::temp_dir().join(format!(
        "zpb-bootstrap-{}-{}",
        std::process::id(),
        what.replace(' ', "-")
    ));
    std::fs::create_dir_all(&tmp).unwrap();
    Some((zpb_test_support::protoc_executable(&python, &tmp), tmp))
}

fn v36() -> PathBuf {
    root().join("../shared/testdata/protobuf-v36/src")
}

/// Generates protobuf v36's `file` with protoc into `out_dir` (or compares).
fn check_v36(file: &str, what: &str, out_dir: &Path) {
    // protobuf v36's descriptor.proto (editions, extension declarations) needs protoc: the
    // pure-Rust parser reads only older syntax.
    let Some((protoc, tmp)) = venv_protoc(what) else {
        return;
    };
    // The descriptor types keep `String` fields: the front end and the reflection code build
    // and read them as `String`s.
    let generated = zpb_build::Config::new()
        .protoc_path(protoc)
        .std_strings(["."])
        .generate(&[v36().join(file)], &[v36()])
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&tmp);
    bless_or_compare(generated, out_dir);
}

#[test]
fn plugin_types_are_regenerated_identically() {
    // plugin.proto imports descriptor.proto, whose types are `::zpb::descriptor`'s.
    check_v36(
        "google/protobuf/compiler/plugin.proto",
        "regenerating the plugin types",
        &root().join("protoc-gen/src/descriptor"),
    );
}

#[test]
fn runtime_descriptor_types_are_regenerated_identically() {
    check_v36(
        "google/protobuf/descriptor.proto",
        "regenerating zpb::descriptor",
        &root().join("runtime/src/descriptor"),
    );
}

#[test]
fn edition_defaults_are_protocs() {
    let Some((protoc, tmp)) = venv_protoc("edition defaults") else {
        return;
    };
    let out = tmp.join("defaults.bin");
    let status = std::process::Command::new(&protoc)
        .arg(format!("--edition_defaults_out={}", out.display()))
        .args([
            "--edition_defaults_minimum=PROTO2",
            "--edition_defaults_maximum=2024",
        ])
        .arg(format!("-I{}", v36().display()))
        .arg("google/protobuf/descriptor.proto")
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(bytes, zpb::descriptor::features::EDITION_DEFAULTS);
}

#[test]
fn well_known_types_are_regenerated_identically() {
    // `Struct.fields` is a BTreeMap: a JSON-like object whose encoding is deterministic.
    check(
        zpb_build::Config::new()
            .compile_well_known_types()
            .btree_map([".google.protobuf.Struct.fields"])
            .std_strings(["."]),
        zpb_build::WELL_KNOWN_FILES,
        &root().join("runtime/src/well_known"),
    );
}

#[test]
fn rpc_greeter_is_regenerated_identically() {
    // The runtime's RPC tests use the generated Greeter (client, server adapter, trait).
    let protos = root().join("examples/proto");
    let generated = zpb_build::Config::new()
        .generate(&[protos.join("greeter.proto")], &[&protos])
        .unwrap_or_else(|e| panic!("{e}"));
    bless_or_compare(generated, &root().join("runtime/tests/rpc_greeter"));
}
