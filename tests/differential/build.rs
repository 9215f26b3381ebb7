//! Generates Google's conformance messages (`TestAllTypesProto2/3`) twice, with zpb-build and
//! (from zpb-build's descriptor set, so no protoc is needed) with prost-build.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let protos = manifest.join("../../../shared/testdata/protos");
    let google = protos.join("google/protobuf");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let fds = out.join("conformance.fds");
    for dir in ["zpb", "prost"] {
        std::fs::create_dir_all(out.join(dir))?;
    }
    zpb_build::Config::new()
        .out_dir(out.join("zpb"))
        // Sorted maps encode deterministically, so encodings can be compared byte for byte.
        .btree_map(["."])
        .file_descriptor_set_path(&fds)
        .compile_protos(
            &[
                google.join("test_messages_proto2.proto"),
                google.join("test_messages_proto3.proto"),
            ],
            &[&protos],
        )?;
    let bytes = std::fs::read(&fds)?;
    let mut set = <prost_types::FileDescriptorSet as prost::Message>::decode(&bytes[..])?;
    // prost-build expects protoc's exact source-info layout; comments are not needed here.
    for file in &mut set.file {
        file.source_code_info = None;
    }
    prost_build::Config::new()
        .out_dir(out.join("prost"))
        .compile_fds(set)?;
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}
