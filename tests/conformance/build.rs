//! Generates zpb code for the conformance protocol and Google's test messages.

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
        &[conformance, protos],
    )
}
