//! Generates zpb code for the conformance protocol and Google's test messages, editions
//! (2023 and UNSTABLE) included, with zpb's own `.proto` front end.

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
    )?;

    // `protobuf_test_messages.edition_unstable` (edition UNSTABLE, which protoc and zpb's
    // front end accept only for protobuf's own test files: its path is kept under the v36
    // source root).
    let v36 = shared.join("testdata/protobuf-v36");
    zpb_build::compile_protos(
        &[v36.join("conformance/test_protos/test_messages_edition_unstable.proto")],
        &[&v36],
    )
}
