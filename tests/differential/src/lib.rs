//! Checks that any byte string must pass, shared by the cargo-fuzz targets in `fuzz/` and by
//! `cargo test` (which replays the kept corpus in `corpus/`). Each check panics on a bug and
//! returns normally for input that is merely invalid.

#![allow(missing_docs)]

use std::sync::OnceLock;
use zpb::format::text::{TextMessage, TextPrintOptions};
use zpb::format::{JsonMessage, JsonOptions, TypeRegistry};
use zpb::Message;

/// zpb's `TestAllTypesProto2/3`.
pub mod zpb_gen {
    pub mod proto2 {
        zpb::include_proto!("zpb/protobuf_test_messages.proto2");
    }
    pub mod proto3 {
        zpb::include_proto!("zpb/protobuf_test_messages.proto3");
    }
}

/// prost's `TestAllTypesProto2/3`, from the same descriptor set.
#[allow(clippy::all, dead_code)]
pub mod prost_gen {
    pub mod proto2 {
        include!(concat!(
            env!("OUT_DIR"),
            "/prost/protobuf_test_messages.proto2.rs"
        ));
    }
    pub mod proto3 {
        include!(concat!(
            env!("OUT_DIR"),
            "/prost/protobuf_test_messages.proto3.rs"
        ));
    }
}

pub type Z2 = zpb_gen::proto2::TestAllTypesProto2;
pub type Z3 = zpb_gen::proto3::TestAllTypesProto3;
pub type P2 = prost_gen::proto2::TestAllTypesProto2;
pub type P3 = prost_gen::proto3::TestAllTypesProto3;

fn encode<M: Message>(m: &M) -> Vec<u8> {
    m.serialize_partial_to_vec()
        .expect("a parsed message always encodes")
}

/// [`encode`], checking that `byte_size` agrees with the encoding's length.
fn encode_sized<M: Message>(m: &M) -> Vec<u8> {
    let bytes = encode(m);
    assert_eq!(
        bytes.len(),
        m.byte_size(),
        "byte_size disagrees with the encoding"
    );
    bytes
}

/// Parse → serialize → parse gives the same message (compared by its encoding, so NaN and
/// map order cannot hide a difference), `byte_size` matches, and parsing into a cleared,
/// previously used message gives the same result as a fresh parse.
pub fn round_trip<M: Message>(data: &[u8]) {
    let Ok(m) = M::parse_partial_from_slice(data) else {
        return;
    };
    let bytes = encode_sized(&m);
    let again = M::parse_partial_from_slice(&bytes).expect("zpb's own encoding parses");
    assert_eq!(encode(&again), bytes, "parse(serialize(m)) differs from m");

    // Reuse: a message that held other content, cleared, then parsed.
    let mut reused = M::parse_partial_from_slice(&bytes).unwrap();
    reused
        .merge_partial_from_slice(&bytes, &Default::default())
        .unwrap();
    reused.clear();
    reused
        .merge_partial_from_slice(data, &Default::default())
        .expect("what parsed once parses again");
    assert_eq!(
        encode(&reused),
        bytes,
        "a reused message parsed differently"
    );
    reused.shrink_to_fit();
    assert_eq!(encode(&reused), bytes, "shrink_to_fit changed content");
}

/// Reads length-delimited messages until the input ends or is malformed.
pub fn delimited_stream<M: Message>(data: &[u8]) {
    let mut cursor = data;
    let mut msg = M::default();
    for _ in 0..=data.len() {
        msg.clear();
        match msg.merge_delimited_from(&mut cursor) {
            Ok(true) => {
                let _ = encode(&msg);
            }
            Ok(false) | Err(_) => return,
        }
    }
    panic!("more records than bytes");
}

/// zpb and prost agree: both reject, or both accept with the same known-field content.
/// Tolerated differences, where prost deviates from Google's implementations (Python's upb
/// is the tie-breaker) and zpb follows them:
/// - a known field arriving with another wire type: prost rejects it; zpb, C++ and upb keep
///   it as an unknown field;
/// - a 10-byte varint whose last byte is above 1: prost rejects it ("invalid varint"); zpb,
///   C++ and upb drop the bits past the 64th;
/// - a tag longer than 5 bytes (padded with `0x80` bytes): prost accepts it; zpb, C++ and
///   upb reject it (conformance `BadTag_OverlongVarint`);
/// - proto2 enums: prost treats them as open (an undeclared number is stored in the field),
///   zpb, C++ and upb keep it as an unknown field and leave the field as it was — so for
///   proto2 messages only acceptance is compared (`compare_content = false`).
pub fn against_prost<Z: Message, P: prost::Message + Default>(data: &[u8], compare_content: bool) {
    let z = Z::parse_partial_from_slice(data);
    let p = P::decode(data);
    match (z, p) {
        (Ok(z), Ok(p)) if compare_content => {
            // prost drops unknown fields: compare what both keep by passing zpb's output
            // through prost too.
            let from_prost = Z::parse_partial_from_slice(&p.encode_to_vec())
                .expect("prost's encoding parses in zpb");
            let z_through_prost = P::decode(&encode(&z)[..]).expect("prost parses zpb's encoding");
            let z_known = Z::parse_partial_from_slice(&z_through_prost.encode_to_vec()).unwrap();
            assert_eq!(
                encode(&from_prost),
                encode(&z_known),
                "zpb and prost read different content"
            );
        }
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => {
            let reason = e.to_string();
            assert!(
                reason.contains("invalid wire type") || reason.contains("invalid varint"),
                "prost rejects what zpb accepts: {reason}"
            );
        }
        (Err(e), Ok(_)) => assert!(
            *e.kind() == zpb::DecodeErrorKind::TagTooLong,
            "zpb rejects what prost accepts: {e}"
        ),
    }
}

/// Both conformance messages against prost: content for proto3, acceptance for proto2.
pub fn against_prost_both(data: &[u8]) {
    against_prost::<Z3, P3>(data, true);
    against_prost::<Z2, P2>(data, false);
}

/// A ZeroMQ frame as the transport's receiving sockets read it, in both framings: raw (the
/// frame is one message) and delimited (records split by `zpb::split_delimited`, each
/// parsed into one reused message). Every record parses or is an error for that record; the
/// number of records is bounded by the frame's length.
pub fn transport_frame(data: &[u8]) {
    let options = zpb::ParseOptions {
        max_size: 1 << 20,
        ..Default::default()
    };
    let mut msg = Z3::default();
    let _ = msg.merge_partial_from_slice(data, &options);
    let mut records = 0;
    for record in zpb::delimited_records(data, options.max_size) {
        records += 1;
        assert!(records <= data.len(), "more records than bytes");
        let Ok(body) = record else { break };
        msg.clear();
        if msg.merge_partial_from_slice(body, &options).is_ok() {
            let _ = encode(&msg);
        }
    }
}

/// The code generator never panics on a descriptor set, whatever it holds.
pub fn codegen(data: &[u8]) {
    let Ok(set) = <prost_types::FileDescriptorSet as prost::Message>::decode(data) else {
        return;
    };
    let files: Vec<String> = set.file.iter().filter_map(|f| f.name.clone()).collect();
    let _ = zpb_build::Config::new().generate_from_descriptor_set(data, &files);
}

/// Proto2 extensions read from whatever a parse left in the unknown fields: `get` never
/// panics, a value read back through `set` reads the same, and `clear` removes it.
pub fn extensions(data: &[u8]) {
    use zpb_gen::proto2::{EXTENSION_BYTES, EXTENSION_INT32, EXTENSION_STRING, GROUPFIELD};
    let Ok(m) = Z2::parse_partial_from_slice(data) else {
        return;
    };
    macro_rules! check {
        ($($ext:ident),*) => {$(
            let mut copy = m.clone();
            if let Ok(Some(value)) = $ext.get(&m) {
                $ext.set(&mut copy, &value);
                assert!($ext.get(&copy).unwrap() == Some(value), "{} reads back", $ext.name());
            }
            $ext.clear(&mut copy);
            assert!(!$ext.has(&copy), "{} cleared", $ext.name());
        )*};
    }
    check!(
        EXTENSION_INT32,
        EXTENSION_STRING,
        EXTENSION_BYTES,
        GROUPFIELD
    );
}

/// The types and extensions the JSON and text checks resolve: the well-known types, both
/// conformance messages (for `Any`) and the proto2 extensions (for `[pkg.ext]`).
pub fn registry() -> &'static TypeRegistry {
    static REGISTRY: OnceLock<TypeRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        use zpb_gen::proto2::{EXTENSION_BYTES, EXTENSION_INT32, EXTENSION_STRING, GROUPFIELD};
        let mut registry = TypeRegistry::with_well_known();
        registry.add::<Z2>().add::<Z3>();
        registry
            .add_extension(&EXTENSION_INT32)
            .add_extension(&EXTENSION_STRING)
            .add_extension(&EXTENSION_BYTES)
            .add_extension(&GROUPFIELD);
        registry
    })
}

/// The JSON printing options every message parsed from JSON or text must survive.
fn json_print_options() -> [JsonOptions; 3] {
    let defaults = JsonOptions::default();
    [
        defaults,
        JsonOptions {
            emit_defaults: true,
            proto_names: true,
            ..defaults
        },
        JsonOptions {
            enums_as_ints: true,
            layout: zpb::format::json::WriteOptions {
                indent: Some(2),
                ascii_only: true,
                escape_like_cpp: true,
            },
            ..defaults
        },
    ]
}

/// What a print → parse round trip must keep. Extensions live among the unknown fields in
/// the order they were read, and printing writes them in the registry's order, so the first
/// round trip may reorder them: `back` (parsed from `printed`, which printing `m` gave) must
/// print the same and encode to as many bytes as `m` (whose encoding is `bytes`), and a
/// second round trip (`again`, parsed from what `back` printed) must keep every byte.
fn same_message<M: Message>(back: &M, again: &M, bytes: &[u8], what: &str, printed: &str) {
    let (back_bytes, again_bytes) = (encode(back), encode(again));
    if back_bytes.len() != bytes.len() || again_bytes != back_bytes {
        let want = M::parse_partial_from_slice(bytes).expect("an encoding zpb wrote parses");
        panic!(
            "{what} changed the message\nprinted: {printed}\nwant: {}\ngot:  {}\nthen: {}",
            want.text_format(),
            back.text_format(),
            again.text_format()
        );
    }
}

/// `m` (whose encoding is `bytes`) printed as JSON with every option set parses back to
/// the same message (see [`same_message`]). Printing may fail only for values JSON cannot
/// hold (a `Timestamp` or `Duration` out of range, an `Any` of an unknown type), which
/// `from_json` excludes.
fn json_prints_back<M: JsonMessage + Default>(m: &M, bytes: &[u8], from_json: bool) {
    let print = |m: &M, options: &JsonOptions| {
        let mut out = String::new();
        zpb::format::write_json(m, &mut out, options, registry()).map(|()| out)
    };
    let parse = |text: &str, options: &JsonOptions| {
        let mut back = M::default();
        zpb::format::merge_json_with(&mut back, text.as_bytes(), options, registry())
            .unwrap_or_else(|e| panic!("zpb's JSON does not parse: {e}\n{text}"));
        back
    };
    for options in json_print_options() {
        let out = match print(m, &options) {
            Ok(out) => out,
            Err(e) => {
                assert!(!from_json, "a message parsed from JSON does not print: {e}");
                continue;
            }
        };
        let mut back = parse(&out, &options);
        // A message may hold what JSON cannot say: a `NullValue` field set to a number other
        // than 0 (from the wire, or from a JSON number, which C++ and upb accept for an open
        // enum too) prints as `null`, which reads back as 0. When the first round trip
        // changes the message, the check starts from JSON's own reading of it, and the
        // second round trip below must keep every byte.
        let (mut out, mut bytes) = (out, bytes.to_vec());
        if !from_json || encode(&back) != bytes {
            bytes = encode(&back);
            out = print(&back, &options).expect("what printed once prints again");
            back = parse(&out, &options);
        }
        let out2 = print(&back, &options).expect("what printed once prints again");
        assert_eq!(out2, out, "JSON print → parse → print differs");
        let again = parse(&out2, &options);
        same_message(&back, &again, &bytes, "JSON print → parse", &out);
    }
}

/// `m` (whose encoding is `bytes`) printed in text format, multi-line and single-line,
/// parses back to the same message (see [`same_message`]).
fn text_prints_back<M: TextMessage + Message + Default>(m: &M, bytes: &[u8]) {
    let parse = |text: &str| {
        let mut back = M::default();
        zpb::format::text::merge_text_with(&mut back, text.as_bytes(), registry())
            .unwrap_or_else(|e| panic!("zpb's text format does not parse: {e}\n{text}"));
        back
    };
    for single_line in [false, true] {
        let options = TextPrintOptions {
            single_line,
            ..Default::default()
        };
        let text = zpb::format::text::to_text_with(m, &options, registry());
        let back = parse(&text);
        let text2 = zpb::format::text::to_text_with(&back, &options, registry());
        assert_eq!(text2, text, "text print → parse → print differs");
        let again = parse(&text2);
        same_message(&back, &again, bytes, "text print → parse", &text);
    }
}

/// A message that held other content, cleared, then merged with `merge`, encodes as
/// `bytes` (what a fresh parse gave).
fn reuse_parses_alike<M: Message + Default>(
    bytes: &[u8],
    merge: impl FnOnce(&mut M) -> bool,
    what: &str,
) {
    let mut reused = M::parse_partial_from_slice(bytes).expect("zpb's own encoding parses");
    reused
        .merge_partial_from_slice(bytes, &Default::default())
        .expect("zpb's own encoding merges");
    reused.clear();
    assert!(
        merge(&mut reused),
        "{what} that parsed once does not parse again"
    );
    assert_eq!(
        encode(&reused),
        bytes,
        "a reused message parsed {what} differently"
    );
}

/// JSON input: parsed (with and without `ignore_unknown_fields`, which may only accept
/// more), then printed with every option and parsed back to the same message, printed in
/// text format and parsed back, and parsed again into a cleared, used message.
pub fn json_round_trip<M: JsonMessage + TextMessage + Default>(data: &[u8]) {
    let strict = JsonOptions::default();
    let lenient = JsonOptions {
        ignore_unknown_fields: true,
        ..strict
    };
    let mut m = M::default();
    let strict_ok = zpb::format::merge_json_with(&mut m, data, &strict, registry()).is_ok();
    let mut loose = M::default();
    let lenient_ok = zpb::format::merge_json_with(&mut loose, data, &lenient, registry()).is_ok();
    if !strict_ok {
        return;
    }
    assert!(
        lenient_ok,
        "ignore_unknown_fields rejects what the strict parse accepts"
    );
    let bytes = encode_sized(&m);
    assert_eq!(
        encode(&loose),
        bytes,
        "ignore_unknown_fields changed the message"
    );
    json_prints_back(&m, &bytes, true);
    text_prints_back(&m, &bytes);
    reuse_parses_alike::<M>(
        &bytes,
        |r| zpb::format::merge_json_with(r, data, &strict, registry()).is_ok(),
        "JSON",
    );
}

/// Text-format input: parsed, then printed (multi-line and single-line) and parsed back to
/// the same message, printed as JSON (when JSON can hold it) and parsed back, and parsed
/// again into a cleared, used message.
pub fn text_round_trip<M: JsonMessage + TextMessage + Default>(data: &[u8]) {
    let mut m = M::default();
    if zpb::format::text::merge_text_with(&mut m, data, registry()).is_err() {
        return;
    }
    let bytes = encode_sized(&m);
    text_prints_back(&m, &bytes);
    json_prints_back(&m, &bytes, false);
    reuse_parses_alike::<M>(
        &bytes,
        |r| zpb::format::text::merge_text_with(r, data, registry()).is_ok(),
        "text",
    );
}

/// Both conformance messages through [`json_round_trip`].
pub fn json_both(data: &[u8]) {
    json_round_trip::<Z3>(data);
    json_round_trip::<Z2>(data);
}

/// Both conformance messages through [`text_round_trip`].
pub fn text_both(data: &[u8]) {
    text_round_trip::<Z3>(data);
    text_round_trip::<Z2>(data);
}

/// Every check, as `cargo test` runs the corpus.
pub fn all_checks(data: &[u8]) {
    round_trip::<Z3>(data);
    round_trip::<Z2>(data);
    extensions(data);
    delimited_stream::<Z3>(data);
    transport_frame(data);
    against_prost_both(data);
    json_both(data);
    text_both(data);
}

/// zpb's `.proto` front end on any text, compiled as `fuzz.proto` (which may import itself,
/// a missing file or the built-in well-known types), with and without source info: an
/// error or descriptors that encode and decode back to the same bytes, never a panic.
pub fn frontend(data: &[u8]) {
    use zpb::descriptor::FileDescriptorSet;
    use zpb_build::frontend::Compiler;
    thread_local! {
        static DIR: std::path::PathBuf = {
            let dir = std::env::temp_dir().join(format!(
                "zpb-frontend-check-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&dir).expect("create the scratch directory");
            dir
        };
    }
    DIR.with(|dir| {
        std::fs::write(dir.join("fuzz.proto"), data).expect("write fuzz.proto");
        for source_info in [false, true] {
            let Ok(compiled) = Compiler::new(vec![dir.clone()])
                .include_source_info(source_info)
                .compile(&["fuzz.proto"])
            else {
                continue;
            };
            let set = compiled.descriptor_set(true);
            let bytes = set.serialize_to_vec().expect("descriptors encode");
            let back = FileDescriptorSet::parse_from_slice(&bytes).expect("descriptors decode");
            assert_eq!(back.serialize_to_vec().expect("re-encode"), bytes);
        }
    });
}
