//! Generates the seed schema's Rust types (`$OUT_DIR/zpb.examples.rs`) and the Greeter
//! service's (`$OUT_DIR/zpb.examples.rpc.rs`: messages, trait, RPC client and server), and
//! the benchmarks' spiky workload (`$OUT_DIR/spiky.rs`) for the demo's memory section.
fn main() -> std::io::Result<()> {
    zpb_build::compile_protos(
        &[
            "proto/seed.proto",
            "proto/greeter.proto",
            "../benches/proto/spiky.proto",
        ],
        &["proto", "../benches/proto"],
    )
}
