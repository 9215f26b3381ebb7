//! The checked-in generated code (zpb's descriptor types in `src/descriptor/`, the
//! well-known types in `runtime/src/well_known/`) is what the generator produces today.
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

#[test]
fn descriptor_types_are_regenerated_identically() {
    check(
        &zpb_build::Config::new(),
        &[
            "google/protobuf/descriptor.proto",
            "google/protobuf/compiler/plugin.proto",
        ],
        &root().join("protoc-gen/src/descriptor"),
    );
}

#[test]
fn runtime_descriptor_types_are_regenerated_identically() {
    // protobuf v36's descriptor.proto (editions, extension declarations) needs protoc: the
    // pure-Rust parser reads only older syntax.
    let Some(python) = zpb_test_support::python("regenerating zpb::descriptor") else {
        return;
    };
    let tmp = std::env::temp_dir().join(format!("zpb-bootstrap-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let protoc = zpb_test_support::protoc_executable(&python, &tmp);
    let v36 = root().join("../shared/testdata/protobuf-v36/src");
    let generated = zpb_build::Config::new()
        .protoc_path(protoc)
        .generate(&[v36.join("google/protobuf/descriptor.proto")], &[v36])
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&tmp);
    bless_or_compare(generated, &root().join("runtime/src/descriptor"));
}

#[test]
fn well_known_types_are_regenerated_identically() {
    // `Struct.fields` is a BTreeMap: a JSON-like object whose encoding is deterministic.
    check(
        zpb_build::Config::new()
            .compile_well_known_types()
            .btree_map([".google.protobuf.Struct.fields"]),
        zpb_build::WELL_KNOWN_FILES,
        &root().join("runtime/src/well_known"),
    );
}
