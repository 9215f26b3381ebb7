//! The protoc plugin (run by a real protoc, from the Python venv's `grpcio-tools`), the
//! `Config::protoc()` front end and the default pure-Rust front end produce the same code.
//!
//! Needs `.venv` (made by `scripts/setup-python.sh`); without it these tests say so on
//! stderr and pass, unless `ZPB_REQUIRE_PYTHON=1`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zpb-plugin-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A `protoc` executable: a script running grpcio-tools' protoc.
fn protoc_script(python: &Path) -> PathBuf {
    zpb_test_support::protoc_executable(python, &scratch("bin"))
}

struct Case {
    include: PathBuf,
    files: Vec<&'static str>,
    parameter: &'static str,
    config: zpb_build::Config,
}

fn cases() -> Vec<Case> {
    let protos = root().join("../shared/testdata/protos");
    let mut naming = zpb_build::Config::new();
    naming
        .bytes([".zpb.naming3.Blob.data"])
        .btree_map([".zpb.naming3.Blob.sorted"])
        .boxed([".zpb.naming3.Blob.level"]);
    vec![
        Case {
            include: protos.clone(),
            files: vec![
                "google/protobuf/test_messages_proto2.proto",
                "google/protobuf/test_messages_proto3.proto",
            ],
            parameter: "",
            config: zpb_build::Config::new(),
        },
        Case {
            include: protos,
            files: vec![
                "google/protobuf/descriptor.proto",
                "google/protobuf/compiler/plugin.proto",
            ],
            parameter: "",
            config: zpb_build::Config::new(),
        },
        Case {
            include: root().join("tests/codegen/proto"),
            files: vec!["naming.proto", "naming3.proto"],
            parameter: "bytes=.zpb.naming3.Blob.data,btree_map=.zpb.naming3.Blob.sorted,\
                        boxed=.zpb.naming3.Blob.level",
            config: naming,
        },
    ]
}

fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// What `config` generates for the case's files: (name, content), sorted by name.
fn generate(case: &Case, config: &zpb_build::Config) -> Vec<(String, String)> {
    let inputs: Vec<PathBuf> = case.files.iter().map(|f| case.include.join(f)).collect();
    let mut files: Vec<(String, String)> = config
        .generate(&inputs, &[&case.include])
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|f| (f.name, f.content))
        .collect();
    files.sort();
    files
}

/// What the pure-Rust front end generates for the case.
fn pure(case: &Case) -> Vec<(String, String)> {
    generate(case, &case.config)
}

fn assert_same(what: &str, got: &[(String, String)], want: &[(String, String)]) {
    let names = |f: &[(String, String)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "{what}: file names");
    for ((name, a), (_, b)) in got.iter().zip(want) {
        if a != b {
            let line = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!(
                "{what}: {name} differs from the expected code at line {}:\n  {}\n  {}",
                line + 1,
                a.lines().nth(line).unwrap_or(""),
                b.lines().nth(line).unwrap_or("")
            );
        }
    }
}

#[test]
fn plugin_and_build_rs_produce_the_same_code() {
    let Some(python) = zpb_test_support::python("the protoc plugin test") else {
        return;
    };
    for (i, case) in cases().iter().enumerate() {
        let out = scratch(&format!("plugin{i}"));
        let status = zpb_test_support::protoc(&python)
            .arg(format!(
                "--plugin=protoc-gen-zpb={}",
                env!("CARGO_BIN_EXE_protoc-gen-zpb")
            ))
            .arg(format!("--zpb_out={}", out.display()))
            .arg(format!("--zpb_opt={}", case.parameter))
            .arg(format!("-I{}", case.include.display()))
            .args(&case.files)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "protoc with the plugin failed for {:?}",
            case.files
        );
        assert_same("plugin", &read_dir(&out), &pure(case));
        let _ = std::fs::remove_dir_all(&out);
    }
}

#[test]
fn protoc_front_end_produces_the_same_code() {
    let Some(python) = zpb_test_support::python("the protoc plugin test") else {
        return;
    };
    let protoc = protoc_script(&python);
    for case in cases() {
        let mut config = case.config.clone();
        config.protoc_path(&protoc);
        assert_same("Config::protoc", &generate(&case, &config), &pure(&case));
    }
}

#[test]
fn plugin_reports_bad_proto_through_protoc() {
    let Some(python) = zpb_test_support::python("the protoc plugin test") else {
        return;
    };
    let dir = scratch("bad");
    std::fs::write(
        dir.join("bad.proto"),
        "syntax = \"proto3\";\nmessage M { Nope n = 1; }\n",
    )
    .unwrap();
    let protoc = protoc_script(&python);
    let e = zpb_build::Config::new()
        .protoc_path(&protoc)
        .generate(&[dir.join("bad.proto")], &[&dir])
        .unwrap_err();
    let l = e.location().expect("protoc reports a location");
    assert_eq!((l.line, l.column), (2, 13), "{e}");
    assert!(e.to_string().contains("Nope"), "{e}");
}

/// Editions files (2023, 2024, with other languages' features) through the plugin, which
/// declares `FEATURE_SUPPORTS_EDITIONS` (protoc refuses to send editions files to a plugin
/// that does not), and through `Config::protoc()`: the same code.
#[test]
fn editions_through_the_plugin_and_config_protoc() {
    let Some(python) = zpb_test_support::python("the protoc plugin test") else {
        return;
    };
    let v36 = root().join("../shared/testdata/protobuf-v36/src");
    let editions = root().join("../shared/conformance/protos/editions");
    let cases = [
        (
            editions.clone(),
            vec![
                "test_messages_edition2023.proto",
                "test_messages_proto2_editions.proto",
                "test_messages_proto3_editions.proto",
            ],
        ),
        (
            v36.clone(),
            vec![
                "google/protobuf/unittest_lite_edition_2024.proto",
                "google/protobuf/unittest_fuzz_extensions.proto",
                "google/protobuf/unittest_import.proto",
                "google/protobuf/unittest_import_public.proto",
                "google/protobuf/cpp_features.proto",
            ],
        ),
        (
            root().join("tests/codegen/proto"),
            vec!["editions2024.proto"],
        ),
    ];
    let protoc = protoc_script(&python);
    for (i, (include, files)) in cases.iter().enumerate() {
        let out = scratch(&format!("editions{i}"));
        let status = zpb_test_support::protoc(&python)
            .arg(format!(
                "--plugin=protoc-gen-zpb={}",
                env!("CARGO_BIN_EXE_protoc-gen-zpb")
            ))
            .arg(format!("--zpb_out={}", out.display()))
            .arg(format!("-I{}", include.display()))
            .arg(format!("-I{}", v36.display()))
            .args(files)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "protoc with the plugin failed for {files:?}"
        );
        let inputs: Vec<PathBuf> = files.iter().map(|f| include.join(f)).collect();
        let mut from_protoc: Vec<(String, String)> = zpb_build::Config::new()
            .protoc_path(&protoc)
            .generate(&inputs, &[include, &v36])
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|f| (f.name, f.content))
            .collect();
        from_protoc.sort();
        assert!(!from_protoc.is_empty());
        assert_same("plugin (editions)", &read_dir(&out), &from_protoc);
        let _ = std::fs::remove_dir_all(&out);
    }
}
