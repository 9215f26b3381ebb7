//! The testee for Google's protobuf conformance runner (`../shared/conformance`), built only on
//! zpb's public API: generated code for `conformance.proto` and Google's test messages.
//!
//! Protocol: the runner writes a 4-byte little-endian length and a serialized
//! `conformance.ConformanceRequest` per test on stdin; the testee answers each with a 4-byte
//! little-endian length and a serialized `conformance.ConformanceResponse` on stdout, until
//! stdin ends. Every answer comes from zpb; a request is `skipped` only where zpb lacks the
//! feature (today: JSPB, which the runner does not send).
//!
//! With `ZPB_CONFORMANCE_DYNAMIC=1` in its environment, the testee answers through
//! `zpb::reflect::DynamicMessage`s of the test messages' (embedded) descriptors instead of
//! the generated types: the same parse, serialize, JSON and text paths, driven by descriptors.

use std::io::{self, Read, Write};

use zpb::format::text::{TextMessage, TextPrintOptions};
use zpb::format::{JsonMessage, JsonOptions, TypeRegistry};
use zpb::reflect::{DynamicMessage, ReflectMessage};
use zpb::{Message, Reuse};

#[allow(dead_code, clippy::all)]
mod conformance {
    zpb::include_proto!("conformance");
}
#[allow(dead_code, clippy::all)]
mod proto2 {
    zpb::include_proto!("protobuf_test_messages.proto2");
}
#[allow(dead_code, clippy::all)]
mod proto3 {
    zpb::include_proto!("protobuf_test_messages.proto3");
}
/// `protobuf_test_messages.editions` and its `proto2` / `proto3` (edition 2023).
#[allow(dead_code, clippy::all)]
mod editions {
    zpb::include_proto!("protobuf_test_messages.editions");
    pub mod proto2 {
        zpb::include_proto!("protobuf_test_messages.editions.proto2");
    }
    pub mod proto3 {
        zpb::include_proto!("protobuf_test_messages.editions.proto3");
    }
}

/// `protobuf_test_messages.edition_unstable` (edition UNSTABLE).
#[allow(dead_code, clippy::all)]
mod edition_unstable {
    zpb::include_proto!("protobuf_test_messages.edition_unstable");
}

use conformance::conformance_request::Payload;
use conformance::conformance_response::Result as Answer;
use conformance::{ConformanceRequest, ConformanceResponse, TestCategory, WireFormat};

/// The test messages, each parsed into a message reused across requests (as a C++ server
/// would: cleared, never dropped), and the types `Any` fields may hold in JSON.
struct Testee {
    proto2: proto2::TestAllTypesProto2,
    proto3: proto3::TestAllTypesProto3,
    edition2023: editions::TestAllTypesEdition2023,
    editions_proto2: editions::proto2::TestAllTypesProto2,
    editions_proto3: editions::proto3::TestAllTypesProto3,
    edition_unstable: edition_unstable::TestAllTypesEditionUnstable,
    /// With `ZPB_CONFORMANCE_DYNAMIC=1`: a dynamic message of each test message type, which
    /// answers instead of the generated ones.
    dynamic: Option<Vec<DynamicMessage>>,
    registry: TypeRegistry,
}

impl Default for Testee {
    fn default() -> Self {
        let mut registry = TypeRegistry::with_well_known();
        registry
            .add::<proto2::TestAllTypesProto2>()
            .add::<proto3::TestAllTypesProto3>();
        registry
            .add::<editions::TestAllTypesEdition2023>()
            .add::<editions::proto2::TestAllTypesProto2>()
            .add::<editions::proto3::TestAllTypesProto3>()
            .add::<edition_unstable::TestAllTypesEditionUnstable>();
        registry
            .add_extension(&proto2::EXTENSION_INT32)
            .add_extension(&proto2::EXTENSION_STRING)
            .add_extension(&proto2::EXTENSION_BYTES)
            .add_extension(&proto2::GROUPFIELD)
            .add_extension(&editions::EXTENSION_INT32)
            .add_extension(&editions::EXTENSION_STRING)
            .add_extension(&editions::EXTENSION_BYTES)
            .add_extension(&editions::GROUPLIKETYPE)
            .add_extension(&editions::DELIMITED_EXT)
            .add_extension(&editions::proto2::EXTENSION_INT32)
            .add_extension(&editions::proto2::EXTENSION_STRING)
            .add_extension(&editions::proto2::EXTENSION_BYTES)
            .add_extension(&editions::proto2::GROUPFIELD)
            .add_extension(&edition_unstable::EXTENSION_INT32);
        let testee = Testee {
            proto2: Default::default(),
            proto3: Default::default(),
            edition2023: Default::default(),
            editions_proto2: Default::default(),
            editions_proto3: Default::default(),
            edition_unstable: Default::default(),
            dynamic: None,
            registry,
        };
        let dynamic = std::env::var_os("ZPB_CONFORMANCE_DYNAMIC").is_some_and(|v| v == "1");
        Testee {
            dynamic: dynamic.then(|| {
                [
                    testee.proto2.descriptor(),
                    testee.proto3.descriptor(),
                    testee.edition2023.descriptor(),
                    testee.editions_proto2.descriptor(),
                    testee.editions_proto3.descriptor(),
                    testee.edition_unstable.descriptor(),
                ]
                .into_iter()
                .map(DynamicMessage::new)
                .collect()
            }),
            ..testee
        }
    }
}

impl Testee {
    fn answer(&mut self, request: &ConformanceRequest) -> Answer {
        let registry = &self.registry;
        if let Some(dynamic) = &mut self.dynamic {
            let name = request.message_type.as_str();
            return match dynamic.iter_mut().find(|m| m.full_name() == name) {
                Some(message) => answer(message, request, registry),
                None => Answer::Skipped(format!("message type {name} is not supported")),
            };
        }
        match request.message_type.as_str() {
            "protobuf_test_messages.proto2.TestAllTypesProto2" => {
                answer(&mut self.proto2, request, registry)
            }
            "protobuf_test_messages.proto3.TestAllTypesProto3" => {
                answer(&mut self.proto3, request, registry)
            }
            "protobuf_test_messages.editions.TestAllTypesEdition2023" => {
                answer(&mut self.edition2023, request, registry)
            }
            "protobuf_test_messages.editions.proto2.TestAllTypesProto2" => {
                answer(&mut self.editions_proto2, request, registry)
            }
            "protobuf_test_messages.editions.proto3.TestAllTypesProto3" => {
                answer(&mut self.editions_proto3, request, registry)
            }
            "protobuf_test_messages.edition_unstable.TestAllTypesEditionUnstable" => {
                answer(&mut self.edition_unstable, request, registry)
            }
            other => Answer::Skipped(format!("message type {other} is not supported")),
        }
    }
}

/// Parses the request's payload into `message` and writes it in the requested format.
fn answer<M: JsonMessage + TextMessage + ReflectMessage + Reuse>(
    message: &mut M,
    request: &ConformanceRequest,
    registry: &TypeRegistry,
) -> Answer {
    message.clear();
    let options = JsonOptions {
        ignore_unknown_fields: request.test_category.get()
            == Some(TestCategory::JsonIgnoreUnknownParsingTest),
        ..JsonOptions::default()
    };
    match &request.payload {
        Some(Payload::ProtobufPayload(bytes)) => {
            // Extensions arrive as unknown fields: the registry checks the registered ones
            // decode (a string extension must be UTF-8), as C++'s parser does.
            if let Err(e) = message
                .merge_from_slice(bytes)
                .and_then(|()| registry.check_extensions(message))
            {
                return Answer::ParseError(e.to_string());
            }
        }
        Some(Payload::JsonPayload(json)) => {
            if let Err(e) =
                zpb::format::merge_json_with(message, json.as_bytes(), &options, registry)
            {
                return Answer::ParseError(e.to_string());
            }
        }
        Some(Payload::TextPayload(text)) => {
            if let Err(e) = zpb::format::text::merge_text_with(message, text.as_bytes(), registry) {
                return Answer::ParseError(e.to_string());
            }
        }
        Some(Payload::JspbPayload(_)) => return Answer::Skipped("JSPB input".into()),
        None => return Answer::RuntimeError("request without a payload".into()),
    }
    match request.requested_output_format.get() {
        Some(WireFormat::Protobuf) => match message.serialize_to_vec() {
            Ok(bytes) => Answer::ProtobufPayload(bytes),
            Err(e) => Answer::SerializeError(e.to_string()),
        },
        Some(WireFormat::TextFormat) => {
            let options = TextPrintOptions {
                print_unknown_fields: request.print_unknown_fields,
                ..TextPrintOptions::default()
            };
            Answer::TextPayload(zpb::format::text::to_text_with(message, &options, registry))
        }
        Some(WireFormat::Json) => {
            let mut out = String::new();
            match zpb::format::write_json(message, &mut out, &options, registry) {
                Ok(()) => Answer::JsonPayload(out),
                Err(e) => Answer::SerializeError(e.to_string()),
            }
        }
        Some(WireFormat::Jspb) => Answer::Skipped("JSPB output".into()),
        _ => Answer::RuntimeError("unspecified output format".into()),
    }
}

/// Reads one length-prefixed request into `buf`; `false` at the end of input.
fn read_request(input: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.clear();
    let len = u32::from_le_bytes(len) as u64;
    let read = input.take(len).read_to_end(buf)?;
    if read as u64 != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("request cut short: {read} of {len} bytes"),
        ));
    }
    Ok(true)
}

fn main() -> io::Result<()> {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    let mut testee = Testee::default();
    let mut request = ConformanceRequest::default();
    let mut response = ConformanceResponse::default();
    let (mut buf, mut out) = (Vec::new(), Vec::new());
    while read_request(&mut input, &mut buf)? {
        request.clear();
        let answer = match request.merge_from_slice(&buf) {
            Ok(()) => testee.answer(&request),
            Err(e) => Answer::RuntimeError(format!("bad ConformanceRequest: {e}")),
        };
        response.result = Some(answer);
        out.clear();
        response
            .serialize_into_vec(&mut out)
            .map_err(|e| io::Error::other(e.to_string()))?;
        output.write_all(&(out.len() as u32).to_le_bytes())?;
        output.write_all(&out)?;
        output.flush()?;
    }
    Ok(())
}
