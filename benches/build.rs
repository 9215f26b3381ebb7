//! Generates the benchmark schemas four times from the same .proto files: with zpb-build
//! (which also writes the FileDescriptorSet), from that descriptor set with prost-build (plus
//! pbjson-build's serde impls, the ProtoJSON peer) and buffa-build (with its JSON and text
//! impls), and with rust-protobuf's codegen in its pure-Rust parser mode — so no `protoc` is
//! needed. The RPC benchmark's service (`proto/rpc_bench.proto`) goes through zpb-build and,
//! with the `rpc` feature, through tonic-prost-build from zpb-build's descriptor set. With the
//! `cpp` feature, also the C++ classes (`protoc --cpp_out` of Debian's protobuf-compiler,
//! matching its libprotobuf-dev) and the C++ shim of `cpp/`.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "benchmarks.proto",
    "benchmark_message1_proto2.proto",
    "benchmark_message1_proto3.proto",
    "benchmark_message2.proto",
];

/// Our own schema for the memory benchmark's spiky workload (in `benches/proto`).
const SPIKY: &str = "spiky.proto";

/// The RPC benchmark's service (in `benches/proto`), generated apart from the others: only
/// zpb and tonic + prost speak it.
const RPC: &str = "rpc_bench.proto";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let data_dir = manifest.join("../../shared/testdata/google-benchmarks");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let fds_path = out.join("benchmarks.fds");
    let proto_dir = manifest.join("proto");
    let mut files: Vec<PathBuf> = PROTOS.iter().map(|p| data_dir.join(p)).collect();
    files.push(proto_dir.join(SPIKY));
    let includes = [&data_dir, &proto_dir];

    for dir in ["zpb", "prost", "buffa", "rust_protobuf"] {
        std::fs::create_dir_all(out.join(dir))?;
    }
    zpb_build::Config::new()
        .out_dir(out.join("zpb"))
        .file_descriptor_set_path(&fds_path)
        .compile_protos(&files, &includes)?;

    let fds_bytes = std::fs::read(&fds_path)?;
    let mut fds = <prost_types::FileDescriptorSet as prost::Message>::decode(&fds_bytes[..])?;
    // Comments are not needed for benchmarking (and prost-build expects protoc's exact
    // source-info layout).
    for file in &mut fds.file {
        file.source_code_info = None;
    }
    prost_build::Config::new()
        .out_dir(out.join("prost"))
        .include_file("mod.rs")
        .compile_fds(fds)?;
    pbjson(&fds_bytes, &out.join("prost"))?;

    buffa_build::Config::new()
        .descriptor_set(&fds_path)
        .files(&[PROTOS, &[SPIKY]].concat())
        .includes(&includes)
        .out_dir(out.join("buffa"))
        .generate_json(true)
        .generate_text(true)
        .include_file("mod.rs")
        .compile()?;

    protobuf_codegen::Codegen::new()
        .pure()
        .includes(includes)
        .inputs(&files)
        .out_dir(out.join("rust_protobuf"))
        .run()?;
    rpc(&proto_dir, &out)?;
    #[cfg(feature = "cpp")]
    cpp(&files, &includes, &manifest.join("cpp"), &out.join("cpp"))?;
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}

/// Adds pbjson-build's ProtoJSON `Serialize`/`Deserialize` impls of every package of
/// `fds_bytes` to prost's generated code in `prost_dir`: each `PACKAGE.serde.rs` is included at
/// the end of prost's `PACKAGE.rs`, so the impls sit beside the types.
fn pbjson(fds_bytes: &[u8], prost_dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    pbjson_build::Builder::new()
        .out_dir(prost_dir)
        .register_descriptors(fds_bytes)?
        .build(&["."])?;
    for entry in std::fs::read_dir(prost_dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(package) = name.strip_suffix(".serde.rs") {
            let types = prost_dir.join(format!("{package}.rs"));
            let mut code = std::fs::read_to_string(&types)?;
            code.push_str(&format!("include!(\"{name}\");\n"));
            std::fs::write(&types, code)?;
        }
    }
    Ok(())
}

/// Generates the RPC benchmark's service: zpb's messages, client and server (compiled only
/// when zpb has its `zmq` feature), and with the `rpc` feature tonic's client and server over
/// prost's messages, from the descriptor set zpb-build wrote.
fn rpc(
    proto_dir: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let fds_path = out.join("rpc_bench.fds");
    zpb_build::Config::new()
        .out_dir(out.join("zpb"))
        .file_descriptor_set_path(&fds_path)
        .compile_protos(&[proto_dir.join(RPC)], &[proto_dir])?;
    #[cfg(feature = "rpc")]
    {
        let fds_bytes = std::fs::read(&fds_path)?;
        let mut fds = <prost_types::FileDescriptorSet as prost::Message>::decode(&fds_bytes[..])?;
        for file in &mut fds.file {
            file.source_code_info = None;
        }
        std::fs::create_dir_all(out.join("tonic"))?;
        // `bytes` fields as `bytes::Bytes`: tonic's cheapest setting (an echo hands the
        // request's buffer back without copying it).
        tonic_prost_build::configure()
            .bytes(".")
            .out_dir(out.join("tonic"))
            .compile_fds(fds)?;
    }
    Ok(())
}

/// Generates the C++ classes of `files` with the system's `protoc` (or `ZPB_CPP_PROTOC`) and
/// compiles them with the shim in `shim_dir`, linked to the system's libprotobuf.
#[cfg(feature = "cpp")]
fn cpp(
    files: &[PathBuf],
    includes: &[&PathBuf],
    shim_dir: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    const MISSING: &str = "the `cpp` feature needs protoc and libprotobuf 3.21 \
                           (apt-get install protobuf-compiler libprotobuf-dev)";
    std::fs::create_dir_all(out)?;
    println!("cargo:rerun-if-env-changed=ZPB_CPP_PROTOC");
    let protoc = std::env::var_os("ZPB_CPP_PROTOC").unwrap_or_else(|| "protoc".into());
    let mut cmd = std::process::Command::new(&protoc);
    cmd.arg(format!("--cpp_out={}", out.display()));
    for dir in includes {
        cmd.arg(format!("-I{}", dir.display()));
    }
    let status = cmd
        .args(files)
        .status()
        .map_err(|e| format!("{}: {e}; {MISSING}", protoc.to_string_lossy()))?;
    if !status.success() {
        return Err(format!("{} --cpp_out failed ({status})", protoc.to_string_lossy()).into());
    }
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .include(out)
        .warnings(false)
        .file(shim_dir.join("shim.cc"));
    for file in files {
        let stem = file.file_stem().ok_or("proto file without a name")?;
        build.file(out.join(stem).with_extension("pb.cc"));
    }
    build.try_compile("zpb_cpp_shim")?;
    println!("cargo:rustc-link-lib=protobuf");
    println!("cargo:rerun-if-changed=cpp");
    Ok(())
}
