//! Replays the kept fuzz corpus (inputs that once found a bug, and seeds) through every check.

use std::path::PathBuf;

fn corpus_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for f in std::fs::read_dir(&path).unwrap() {
                files.push(f.unwrap().path());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn corpus_passes_every_check() {
    let files = corpus_files();
    assert!(!files.is_empty(), "the corpus is empty");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        if file.parent().unwrap().ends_with("codegen") {
            zpb_differential::codegen(&data);
        } else if file.parent().unwrap().ends_with("frontend") {
            zpb_differential::frontend(&data);
        } else {
            zpb_differential::all_checks(&data);
        }
    }
}

#[test]
fn google_benchmark_payloads_pass_every_check() {
    // Real messages of other types are fine hostile input for TestAllTypes.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/google-benchmarks");
    for name in [
        "dataset.google_message1_proto2.pb",
        "dataset.google_message1_proto3.pb",
        "dataset.google_message2.pb",
    ] {
        let data = std::fs::read(dir.join(name)).unwrap();
        zpb_differential::all_checks(&data);
    }
}
