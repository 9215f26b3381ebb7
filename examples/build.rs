//! Generates the seed schema's Rust types (`$OUT_DIR/zpb.examples.rs`).
fn main() -> std::io::Result<()> {
    zpb_build::compile_protos(&["proto/seed.proto"], &["proto"])
}
