//! Generates code for Google's test and benchmark schemas, the well-known types,
//! descriptor.proto, plugin.proto and this crate's naming edge cases.

use std::path::PathBuf;

include!("naming_options.rs");

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let shared = PathBuf::from("../../../shared/testdata");
    let protos = shared.join("protos");
    let google = protos.join("google/protobuf");
    let benchmarks = shared.join("google-benchmarks");

    // Google's conformance test messages (they refer to zpb::well_known).
    zpb_build::Config::new()
        .out_dir(out.join("conformance"))
        .compile_protos(
            &[
                google.join("test_messages_proto2.proto"),
                google.join("test_messages_proto3.proto"),
            ],
            &[&protos],
        )?;

    // Every well-known type, descriptor.proto and plugin.proto, generated here.
    let google_files: Vec<PathBuf> = zpb_build::WELL_KNOWN_FILES
        .iter()
        .chain(&[
            "google/protobuf/descriptor.proto",
            "google/protobuf/compiler/plugin.proto",
        ])
        .map(|f| protos.join(f))
        .collect();
    zpb_build::Config::new()
        .out_dir(out.join("google"))
        .compile_well_known_types()
        .compile_protos(&google_files, &[&protos])?;

    // Google's benchmark schemas and dataset wrapper.
    let bench: Vec<PathBuf> = [
        "benchmarks",
        "benchmark_message1_proto2",
        "benchmark_message1_proto3",
        "benchmark_message2",
    ]
    .iter()
    .map(|f| benchmarks.join(format!("{f}.proto")))
    .collect();
    zpb_build::Config::new()
        .out_dir(out.join("benchmarks"))
        .compile_protos(&bench, &[&benchmarks])?;

    // Naming edge cases, with options.
    naming_options(zpb_build::Config::new().out_dir(out.join("naming")))
        .file_descriptor_set_path(out.join("naming.fds"))
        .compile_protos(&["proto/naming.proto", "proto/naming3.proto"], &["proto"])?;
    Ok(())
}
