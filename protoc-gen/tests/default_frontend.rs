//! zpb's own front end is `Config`'s default: editions files and the well-known types compile
//! with no protoc, to the same code as through protoc.

use std::path::{Path, PathBuf};
use zpb_build::frontend::WELL_KNOWN_PROTOS;
use zpb_build::{Config, WELL_KNOWN_FILES};

fn roots() -> [PathBuf; 2] {
    [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/frontend"),
        zpb_test_support::repo_root().join("../shared/testdata/protobuf-v36/src"),
    ]
}

#[test]
fn editions_compile_by_default_as_through_protoc() {
    let roots = roots();
    let inputs = [
        roots[0].join("zoo2023.proto"),
        roots[0].join("zoo2024.proto"),
    ];
    let ours = Config::new()
        .generate(&inputs, &roots)
        .expect("editions by default");
    assert!(ours.iter().any(|f| f.content.contains("pub struct")));
    let Some(python) = zpb_test_support::python("the default front end against protoc") else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!("zpb-default-fe-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let protoc = zpb_test_support::protoc_executable(&python, &scratch);
    let theirs = Config::new()
        .protoc_path(protoc)
        .generate(&inputs, &roots)
        .expect("through protoc");
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(o.name, t.name);
        assert!(o.content == t.content, "{} differs", o.name);
    }
}

#[test]
fn well_known_types_are_built_in() {
    let built_in: Vec<&str> = WELL_KNOWN_PROTOS.iter().map(|(name, _)| *name).collect();
    assert_eq!(built_in, WELL_KNOWN_FILES, "one list of well-known files");
    let files = Config::new()
        .generate_from_source(
            "app.proto",
            "syntax = \"proto3\";\npackage app;\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/struct.proto\";\nmessage M { google.protobuf.Timestamp at = 1; google.protobuf.Value v = 2; }\n",
        )
        .expect("well-known imports without an include directory for them");
    assert!(
        files[0].content.contains("::zpb::well_known::"),
        "{}",
        files[0].content
    );
}
