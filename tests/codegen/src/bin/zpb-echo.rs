//! Reads length-delimited messages of one type from stdin and writes each back,
//! re-serialized by zpb, length-delimited, to stdout: the Rust side of a cross-check against
//! another implementation (which writes the input and compares what comes back).
//!
//! ```text
//! zpb-echo protobuf_test_messages.proto3.TestAllTypesProto3 < in.bin > out.bin
//! zpb-echo protobuf_test_messages.proto3.TestAllTypesProto3 text < in.bin > out.txts
//! ```
//!
//! With `text`, each message is written back in zpb's text format instead (still
//! length-delimited): known fields by name, unknown ones by number, so the other side sees
//! which fields zpb's generated code recognized.

use std::io::{BufReader, BufWriter, Write};
use zpb::Message;
use zpb_codegen_tests::benchmarks;
#[cfg(zpb_editions)]
use zpb_codegen_tests::protobuf_test_messages::editions;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

/// Echoes every message of type `M` from `input` to `output`, reusing one message.
fn echo<M: Message>(
    input: &mut impl std::io::Read,
    output: &mut impl Write,
    text: bool,
) -> Result<usize, String> {
    let mut message = M::default();
    let mut count = 0;
    loop {
        zpb::Reuse::clear(&mut message);
        match message.merge_delimited_from(input) {
            Ok(true) => {}
            Ok(false) => return Ok(count),
            Err(e) => return Err(format!("message {count}: {e}")),
        }
        let written = match text {
            true => write_text(output, &message.text_format()),
            false => message
                .write_delimited_to(output)
                .map_err(|e| e.to_string()),
        };
        written.map_err(|e| format!("message {count}: {e}"))?;
        count += 1;
    }
}

/// Writes `text` prefixed with its length as a varint.
fn write_text(output: &mut impl Write, text: &str) -> Result<(), String> {
    let mut len = text.len() as u64;
    let mut prefix = Vec::new();
    while len >= 0x80 {
        prefix.push(len as u8 | 0x80);
        len >>= 7;
    }
    prefix.push(len as u8);
    output
        .write_all(&prefix)
        .and_then(|()| output.write_all(text.as_bytes()))
        .map_err(|e| e.to_string())
}

fn main() -> std::process::ExitCode {
    let Some(name) = std::env::args().nth(1) else {
        eprintln!("usage: zpb-echo MESSAGE_FULL_NAME [text] < delimited.bin > delimited.out");
        return std::process::ExitCode::FAILURE;
    };
    let text = std::env::args().nth(2).is_some_and(|a| a == "text");
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let result = match name.as_str() {
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.TestAllTypesEdition2023" => {
            echo::<editions::TestAllTypesEdition2023>(&mut input, &mut output, text)
        }
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.proto2.TestAllTypesProto2" => {
            echo::<editions::proto2::TestAllTypesProto2>(&mut input, &mut output, text)
        }
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.proto3.TestAllTypesProto3" => {
            echo::<editions::proto3::TestAllTypesProto3>(&mut input, &mut output, text)
        }
        "protobuf_test_messages.proto3.TestAllTypesProto3" => {
            echo::<proto3::TestAllTypesProto3>(&mut input, &mut output, text)
        }
        "protobuf_test_messages.proto2.TestAllTypesProto2" => {
            echo::<proto2::TestAllTypesProto2>(&mut input, &mut output, text)
        }
        "benchmarks.proto2.GoogleMessage1" => {
            echo::<benchmarks::proto2::GoogleMessage1>(&mut input, &mut output, text)
        }
        "benchmarks.proto3.GoogleMessage1" => {
            echo::<benchmarks::proto3::GoogleMessage1>(&mut input, &mut output, text)
        }
        "benchmarks.proto2.GoogleMessage2" => {
            echo::<benchmarks::proto2::GoogleMessage2>(&mut input, &mut output, text)
        }
        other => Err(format!("unknown message type {other}")),
    };
    match result.and_then(|_| output.flush().map_err(|e| e.to_string())) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zpb-echo: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
