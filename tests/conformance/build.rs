//! Generates zpb code for the conformance protocol and Google's test messages, editions
//! included, with zpb's own `.proto` front end.

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

    // `protobuf_test_messages.editions.*` (edition 2023): zpb's own front end reads
    // editions files, no protoc needed.
    let editions = conformance.join("editions");
    zpb_build::compile_protos(
        &[
            editions.join("test_messages_edition2023.proto"),
            editions.join("test_messages_proto2_editions.proto"),
            editions.join("test_messages_proto3_editions.proto"),
        ],
        &[&editions, &protos],
    )
}
