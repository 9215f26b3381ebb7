//! Generates zpb code for the conformance protocol and Google's test messages; with the
//! Python venv's protoc, the editions test messages too (`cfg(zpb_editions)`).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let shared = PathBuf::from("../../../shared");
    let protos = shared.join("testdata/protos");
    let google = protos.join("google/protobuf");
    let conformance = shared.join("conformance/protos");
    zpb_build::compile_protos(
        &[
            conformance.join("conformance/conformance.proto"),
            google.join("test_messages_proto2.proto"),
            google.join("test_messages_proto3.proto"),
        ],
        &[&conformance, &protos],
    )?;

    // `protobuf_test_messages.editions.*` (edition 2023) need protoc.
    println!("cargo::rustc-check-cfg=cfg(zpb_editions)");
    let Some(python) = zpb_test_support::python("the editions test messages") else {
        return Ok(());
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let editions = conformance.join("editions");
    zpb_build::Config::new()
        .protoc_path(zpb_test_support::protoc_executable(&python, &out))
        .compile_protos(
            &[
                editions.join("test_messages_edition2023.proto"),
                editions.join("test_messages_proto2_editions.proto"),
                editions.join("test_messages_proto3_editions.proto"),
            ],
            &[&editions, &protos],
        )?;
    println!("cargo::rustc-cfg=zpb_editions");
    Ok(())
}
