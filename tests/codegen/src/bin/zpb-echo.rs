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
//! which fields zpb's generated code recognized. The other modes cross-check JSON and text
//! format (records are UTF-8 documents, still length-delimited):
//!
//! - `to-json [proto-names] [enums-as-ints] [emit-defaults] [indent]`: messages in, their
//!   JSON out, printed with those options;
//! - `to-text [single-line]`: messages in, their text format out, without unknown fields;
//! - `from-json`, `from-text`: documents in, the messages parsed from them out.
//!
//! `Any` fields and `[pkg.ext]` keys resolve through the well-known types, the conformance
//! messages and the proto2 conformance extensions.

use std::io::{BufReader, BufWriter, Read, Write};
use zpb::format::text::{TextMessage, TextPrintOptions};
use zpb::format::{JsonMessage, JsonOptions, TypeRegistry};
use zpb::Message;
use zpb_codegen_tests::benchmarks;
#[cfg(zpb_editions)]
use zpb_codegen_tests::protobuf_test_messages::editions;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

/// What zpb-echo reads and writes.
enum Mode {
    /// Messages in, messages out.
    Binary,
    /// Messages in, text format with unknown fields out.
    Text,
    /// Messages in, JSON out.
    ToJson(JsonOptions),
    /// Messages in, text format out.
    ToText(TextPrintOptions),
    /// JSON in, messages out.
    FromJson,
    /// Text format in, messages out.
    FromText,
}

impl Mode {
    /// The mode the command-line arguments after the message name ask for.
    fn parse(args: &[String]) -> Result<Mode, String> {
        let (first, flags) = match args.split_first() {
            None => return Ok(Mode::Binary),
            Some((first, flags)) => (first.as_str(), flags),
        };
        let mode = match first {
            "text" => Mode::Text,
            "from-json" => Mode::FromJson,
            "from-text" => Mode::FromText,
            "to-json" => {
                let mut options = JsonOptions::default();
                for flag in flags {
                    match flag.as_str() {
                        "proto-names" => options.proto_names = true,
                        "enums-as-ints" => options.enums_as_ints = true,
                        "emit-defaults" => options.emit_defaults = true,
                        "indent" => options.layout.indent = Some(2),
                        other => return Err(format!("unknown to-json option {other}")),
                    }
                }
                return Ok(Mode::ToJson(options));
            }
            "to-text" => {
                let mut options = TextPrintOptions {
                    print_unknown_fields: false,
                    ..TextPrintOptions::default()
                };
                for flag in flags {
                    match flag.as_str() {
                        "single-line" => options.single_line = true,
                        other => return Err(format!("unknown to-text option {other}")),
                    }
                }
                return Ok(Mode::ToText(options));
            }
            other => return Err(format!("unknown mode {other}")),
        };
        match flags.first() {
            Some(flag) => Err(format!("{first} takes no option {flag}")),
            None => Ok(mode),
        }
    }
}

/// The types `Any` fields and extension keys resolve through.
fn registry() -> TypeRegistry {
    let mut registry = TypeRegistry::with_well_known();
    registry
        .add::<proto2::TestAllTypesProto2>()
        .add::<proto3::TestAllTypesProto3>()
        .add_extension(&proto2::EXTENSION_INT32)
        .add_extension(&proto2::EXTENSION_STRING)
        .add_extension(&proto2::EXTENSION_BYTES)
        .add_extension(&proto2::GROUPFIELD);
    registry
}

/// Echoes every record of `input` to `output` as `mode` says, reusing one message and one
/// buffer.
fn echo<M: Message + JsonMessage + TextMessage>(
    input: &mut impl Read,
    output: &mut impl Write,
    mode: &Mode,
) -> Result<usize, String> {
    let registry = registry();
    let mut message = M::default();
    let mut record = Vec::new();
    let mut out = String::new();
    let mut count = 0;
    loop {
        zpb::Reuse::clear(&mut message);
        let read = match mode {
            Mode::FromJson | Mode::FromText => read_record(input, &mut record),
            _ => message
                .merge_delimited_from(input)
                .map_err(|e| e.to_string()),
        };
        match read {
            Ok(true) => {}
            Ok(false) => return Ok(count),
            Err(e) => return Err(format!("record {count}: {e}")),
        }
        let written = match mode {
            Mode::Binary => message
                .write_delimited_to(output)
                .map_err(|e| e.to_string()),
            Mode::Text => write_text(output, &message.text_format()),
            Mode::ToText(options) => write_text(
                output,
                &zpb::format::text::to_text_with(&message, options, &registry),
            ),
            Mode::ToJson(options) => {
                out.clear();
                zpb::format::write_json(&message, &mut out, options, &registry)
                    .map_err(|e| e.to_string())
                    .and_then(|()| write_text(output, &out))
            }
            Mode::FromJson => zpb::format::merge_json_with(
                &mut message,
                &record,
                &JsonOptions::default(),
                &registry,
            )
            .map_err(|e| e.to_string())
            .and_then(|()| {
                message
                    .write_delimited_to(output)
                    .map_err(|e| e.to_string())
            }),
            Mode::FromText => zpb::format::text::merge_text_with(&mut message, &record, &registry)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    message
                        .write_delimited_to(output)
                        .map_err(|e| e.to_string())
                }),
        };
        written.map_err(|e| format!("record {count}: {e}"))?;
        count += 1;
    }
}

/// Reads one length-delimited record into `record`; `false` at the end of input.
fn read_record(input: &mut impl Read, record: &mut Vec<u8>) -> Result<bool, String> {
    let mut len = 0u64;
    for shift in (0..64).step_by(7) {
        let mut byte = [0u8];
        match input.read(&mut byte) {
            Ok(0) if shift == 0 => return Ok(false),
            Ok(0) => return Err("input ends inside a length".into()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        len |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            record.clear();
            let len = usize::try_from(len).map_err(|e| e.to_string())?;
            record.resize(len, 0);
            return input
                .read_exact(record)
                .map(|()| true)
                .map_err(|e| e.to_string());
        }
    }
    Err("a length longer than 10 bytes".into())
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
        eprintln!(
            "usage: zpb-echo MESSAGE_FULL_NAME [MODE [OPTION...]] < delimited.in > delimited.out"
        );
        return std::process::ExitCode::FAILURE;
    };
    let args: Vec<String> = std::env::args().skip(2).collect();
    let mode = match Mode::parse(&args) {
        Ok(mode) => mode,
        Err(e) => {
            eprintln!("zpb-echo: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let result = match name.as_str() {
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.TestAllTypesEdition2023" => {
            echo::<editions::TestAllTypesEdition2023>(&mut input, &mut output, &mode)
        }
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.proto2.TestAllTypesProto2" => {
            echo::<editions::proto2::TestAllTypesProto2>(&mut input, &mut output, &mode)
        }
        #[cfg(zpb_editions)]
        "protobuf_test_messages.editions.proto3.TestAllTypesProto3" => {
            echo::<editions::proto3::TestAllTypesProto3>(&mut input, &mut output, &mode)
        }
        "protobuf_test_messages.proto3.TestAllTypesProto3" => {
            echo::<proto3::TestAllTypesProto3>(&mut input, &mut output, &mode)
        }
        "protobuf_test_messages.proto2.TestAllTypesProto2" => {
            echo::<proto2::TestAllTypesProto2>(&mut input, &mut output, &mode)
        }
        "benchmarks.proto2.GoogleMessage1" => {
            echo::<benchmarks::proto2::GoogleMessage1>(&mut input, &mut output, &mode)
        }
        "benchmarks.proto3.GoogleMessage1" => {
            echo::<benchmarks::proto3::GoogleMessage1>(&mut input, &mut output, &mode)
        }
        "benchmarks.proto2.GoogleMessage2" => {
            echo::<benchmarks::proto2::GoogleMessage2>(&mut input, &mut output, &mode)
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
