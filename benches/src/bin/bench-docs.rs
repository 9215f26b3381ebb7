//! Writes the documents the JSON and text-format benchmarks parse: every dataset's payloads
//! printed by zpb as compact ProtoJSON (`DIR/NAME.json`) and one-line text format
//! (`DIR/NAME.txtpb`), one document per line, for `scripts/bench-python-formats.py` to time
//! Python's `json_format` and `text_format` on the same documents as the Rust peers.
//!
//! `cargo run -p zpb-benches --bin bench-docs -- DIR`

use std::path::PathBuf;
use zpb_benches::formats::{documents, Form};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: bench-docs DIR (writes DIR/NAME.json and DIR/NAME.txtpb)")?,
    );
    std::fs::create_dir_all(&dir)?;
    for ds in zpb_benches::datasets() {
        for form in [Form::Json, Form::Text] {
            let mut file = documents(&ds, form).join("\n");
            file.push('\n');
            let path = dir.join(format!("{}.{}", ds.name, form.extension()));
            std::fs::write(&path, file).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
