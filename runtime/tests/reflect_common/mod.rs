//! Shared by the runtime's reflection tests: descriptor sets written by the venv's protoc.

use std::path::Path;
use zpb::reflect::DescriptorPool;

/// Runs the venv's protoc on `files` with the import roots `includes`, writing the
/// descriptor set (imports included) to `out`, and returns it as a pool.
pub fn protoc_pool(
    python: &Path,
    includes: &[&Path],
    files: &[&str],
    out: &Path,
) -> DescriptorPool {
    let status = zpb_test_support::protoc(python)
        .args(includes.iter().map(|i| format!("-I{}", i.display())))
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg("--include_imports")
        .args(files)
        .status()
        .expect("run protoc");
    assert!(status.success(), "protoc failed on {files:?}");
    DescriptorPool::decode(&std::fs::read(out).unwrap()).unwrap()
}
