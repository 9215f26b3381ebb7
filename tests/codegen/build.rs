//! Generates code for Google's test and benchmark schemas, the well-known types,
//! descriptor.proto, plugin.proto and this crate's naming edge cases; with the Python venv's
//! protoc, editions files too (`cfg(zpb_editions)`).

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
        .compile_protos(
            &[
                "proto/naming.proto",
                "proto/naming3.proto",
                "proto/reexport.proto",
            ],
            &["proto"],
        )?;

    editions(&out, &shared)
}

/// Editions files (`edition = "2023"` and `"2024"`), which only protoc parses: Google's
/// editions conformance messages, some of protobuf v36's unit test schemas and this crate's
/// `proto/editions2024.proto`. Skipped
/// (with a note; a failure under `ZPB_REQUIRE_PYTHON=1`) without the Python venv, and the
/// code using them is compiled under `cfg(zpb_editions)`.
fn editions(out: &std::path::Path, shared: &std::path::Path) -> std::io::Result<()> {
    println!("cargo::rustc-check-cfg=cfg(zpb_editions)");
    let Some(python) = zpb_test_support::python("the editions schemas") else {
        return Ok(());
    };
    let protoc = zpb_test_support::protoc_executable(&python, out);
    let conformance = shared.join("../conformance/protos/editions");
    let v36 = shared.join("protobuf-v36/src");
    zpb_build::Config::new()
        .protoc_path(&protoc)
        .out_dir(out.join("editions"))
        .compile_protos(
            &[
                conformance.join("test_messages_edition2023.proto"),
                conformance.join("test_messages_proto2_editions.proto"),
                conformance.join("test_messages_proto3_editions.proto"),
            ],
            &[&conformance, &v36],
        )?;
    let google = v36.join("google/protobuf");
    let files: Vec<PathBuf> = [
        "unittest.proto",                   // 2023, 2,282 lines
        "unittest_lite_edition_2024.proto", // 2024
        "unittest_import.proto",            // 2023
        "unittest_import_public.proto",     // 2023
        "unittest_fuzz_extensions.proto",   // 2023, with `features.(pb.cpp)` options
        "cpp_features.proto",               // 2023, extends FeatureSet
    ]
    .iter()
    .map(|f| google.join(f))
    .collect();
    zpb_build::Config::new()
        .protoc_path(&protoc)
        .out_dir(out.join("v36"))
        .file_descriptor_set_path(out.join("v36.fds"))
        .compile_protos(&files, &[&v36])?;
    zpb_build::Config::new()
        .protoc_path(&protoc)
        .out_dir(out.join("editions2024"))
        .compile_protos(&["proto/editions2024.proto"], &["proto"])?;
    println!("cargo::rustc-cfg=zpb_editions");
    Ok(())
}
