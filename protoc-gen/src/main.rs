//! `protoc-gen-zpb`: the zpb protoc plugin.
//!
//! ```text
//! protoc --plugin=protoc-gen-zpb=path/to/protoc-gen-zpb --zpb_out=OUT_DIR -I DIR file.proto
//! ```
//!
//! Writes one `<package>.rs` per proto package, as `zpb_build::compile_protos` does.

use std::io::{Read, Write};

fn main() -> std::process::ExitCode {
    let mut request = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut request) {
        eprintln!("protoc-gen-zpb: reading the request from stdin: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let response = zpb_build::plugin::respond(&request);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(&response).and_then(|()| stdout.flush()) {
        eprintln!("protoc-gen-zpb: writing the response: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
