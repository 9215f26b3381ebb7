//! Finds the project's Python venv (made by scripts/setup-python.sh) for tests that run
//! Google's Python protobuf.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The venv's Python, or `None` when it is not installed and the run does not require it
/// (`ZPB_REQUIRE_PYTHON=1`, set by scripts/test.sh, turns a missing venv into a failure).
pub fn python() -> Option<PathBuf> {
    let py = repo_root().join(".venv/bin/python");
    if py.exists() {
        return Some(py);
    }
    if std::env::var_os("ZPB_REQUIRE_PYTHON").is_some_and(|v| v == "1") {
        panic!(
            "no Python venv at {}: run scripts/setup-python.sh",
            py.display()
        );
    }
    eprintln!(
        "note: no Python venv (run scripts/setup-python.sh); skipping the Python half of this test"
    );
    None
}
