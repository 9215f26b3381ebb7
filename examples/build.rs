//! Generates the seed schema's Rust types (`$OUT_DIR/zpb.examples.rs`) and the Greeter
//! service's (`$OUT_DIR/zpb.examples.rpc.rs`: messages, trait, RPC client and server).
fn main() -> std::io::Result<()> {
    zpb_build::compile_protos(&["proto/seed.proto", "proto/greeter.proto"], &["proto"])
}
