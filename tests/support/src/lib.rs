//! Helpers shared by the workspace's tests: the project's Python venv (`.venv` at the
//! workspace root, made by `scripts/setup-python.sh`) and `protoc` from its grpcio-tools.
//!
//! A test that needs Python asks [`python`] and skips its Python half when the answer is
//! `None`; `ZPB_REQUIRE_PYTHON=1` turns a missing venv into a failure instead. [`corpus`]
//! lays out a `.proto` corpus (protobuf v36's) with the import roots of each file, and
//! [`alloc`] is the counting global allocator of the benches, the demo and allocation tests.
#![deny(missing_docs)]

pub mod alloc;
pub mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/support is two levels below the workspace root")
        .to_path_buf()
}

/// Where the venv's Python is, whether or not the venv exists.
pub fn venv_python_path() -> PathBuf {
    repo_root().join(".venv/bin/python")
}

/// The venv's Python, or `None` when it is not installed and the run does not require it:
/// `ZPB_REQUIRE_PYTHON=1` (set by `scripts/test.sh`, hence CI) turns a missing venv into a
/// panic. Otherwise a note on stderr says the caller is skipping `skipped` (for example
/// "the Python cross-check").
pub fn python(skipped: &str) -> Option<PathBuf> {
    let py = venv_python_path();
    if py.exists() {
        return Some(py);
    }
    if std::env::var_os("ZPB_REQUIRE_PYTHON").is_some_and(|v| v == "1") {
        panic!(
            "no Python venv at {}: run scripts/setup-python.sh",
            py.display()
        );
    }
    eprintln!("note: no Python venv (run scripts/setup-python.sh); skipping {skipped}");
    None
}

/// A command running grpcio-tools' protoc (`python -m grpc_tools.protoc`) with `python`, to
/// which the caller adds protoc's arguments.
pub fn protoc(python: &Path) -> Command {
    let mut command = Command::new(python);
    command.args(["-m", "grpc_tools.protoc"]);
    command
}

/// Writes `dir/protoc`, an executable script running grpcio-tools' protoc with `python`, for
/// code that wants a `protoc` binary; returns its path.
pub fn protoc_executable(python: &Path, dir: &Path) -> PathBuf {
    let path = dir.join("protoc");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nexec '{}' -m grpc_tools.protoc \"$@\"\n",
            python.display()
        ),
    )
    .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("make {} executable: {e}", path.display()));
    }
    path
}
