//! Cross-check of the generated conformance messages with Google's Python protobuf (upb),
//! through `python/cross_check.py` and the project's venv (scripts/setup-python.sh):
//!
//! - 500 random `TestAllTypesProto3` and 500 random `TestAllTypesProto2` messages built in
//!   Python (every field kind, extreme values, unicode, recursion, unknown fields,
//!   extensions) go through `zpb-echo` and must come back equal, and zpb must recognize the
//!   same fields as Python (`--text-check`, through zpb's text format), as must 500 of each
//!   editions conformance message;
//! - the same 1,000 messages go through JSON and text format both ways (`--formats`): zpb
//!   prints them with each option set and Python's `json_format` / `text_format` parse them
//!   to the same message, and what Python prints (with and without
//!   `preserving_proto_field_name`, `use_integers_for_enums`, ...) parses in zpb to the same
//!   message, compared by deterministic serialization;
//! - messages built here with zpb's accessors must parse in Python to the values a text
//!   format expectation (written by hand next to each case) gives.
//!
//! Without the venv both tests print a note and skip the Python half, unless
//! `ZPB_REQUIRE_PYTHON=1` (set by scripts/test.sh, hence CI) makes that a failure.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use zpb::well_known::{NullValue, Value};
use zpb::{Message, OpenEnum};
use zpb_codegen_tests::protobuf_test_messages::proto2::{
    self, test_all_types_proto2 as p2, GroupField, TestAllTypesProto2, EXTENSION_INT32,
    EXTENSION_STRING, GROUPFIELD,
};
use zpb_codegen_tests::protobuf_test_messages::proto3::{
    self, test_all_types_proto3 as p3, TestAllTypesProto3,
};

/// Messages per syntax in the random corpus (the issue asks for at least 500 each).
const CORPUS_SIZE: usize = 500;

/// The venv's Python, or `None` (with a note) when it is missing and not required.
fn python() -> Option<PathBuf> {
    zpb_test_support::python("the Python cross-check")
}

/// Runs `cross_check.py` with `args` and returns the counts of its final `ok: k=v ...` line.
fn run_script(python: &Path, args: &[&str]) -> HashMap<String, usize> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/cross_check.py");
    let shared = zpb_test_support::repo_root().join("../shared");
    let output = Command::new(python)
        .arg(&script)
        .arg("--protos")
        .arg(shared.join("testdata/protos"))
        .arg("--editions")
        .arg(shared.join("conformance/protos/editions"))
        .args(args)
        .output()
        .expect("run cross_check.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cross_check.py {args:?} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    let counts = last
        .strip_prefix("ok: ")
        .unwrap_or_else(|| panic!("unexpected last line from cross_check.py: {last:?}"));
    counts
        .split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), v.parse().expect("a count"))
        })
        .collect()
}

#[test]
fn random_python_messages_round_trip_through_zpb() {
    let Some(python) = python() else { return };
    let count = CORPUS_SIZE.to_string();
    let counts = run_script(
        &python,
        &[
            "corpus",
            "--echo",
            env!("CARGO_BIN_EXE_zpb-echo"),
            "--count",
            &count,
            "--text-check",
            "--formats",
        ],
    );
    assert!(counts["proto3"] >= CORPUS_SIZE, "{counts:?}");
    assert!(counts["proto2"] >= CORPUS_SIZE, "{counts:?}");
    // Every message of both types, through JSON and text, in each direction.
    for key in [
        "json_zpb_to_python",
        "json_python_to_zpb",
        "text_zpb_to_python",
        "text_python_to_zpb",
    ] {
        assert_eq!(counts[key], 2 * CORPUS_SIZE, "{key}: {counts:?}");
    }
}

/// The editions conformance messages (edition 2023: delimited messages, closed enums,
/// expanded repeated fields, implicit presence, per file and per field) through zpb-echo,
/// which must also recognize the same fields as Python (`--text-check`: a field read with
/// the wrong encoding would otherwise round-trip as an unknown field).
#[cfg(zpb_editions)]
#[test]
fn random_python_editions_messages_round_trip_through_zpb() {
    let Some(python) = python() else { return };
    let count = CORPUS_SIZE.to_string();
    let types = [
        "protobuf_test_messages.editions.TestAllTypesEdition2023",
        "protobuf_test_messages.editions.proto2.TestAllTypesProto2",
        "protobuf_test_messages.editions.proto3.TestAllTypesProto3",
    ]
    .join(",");
    let counts = run_script(
        &python,
        &[
            "corpus",
            "--echo",
            env!("CARGO_BIN_EXE_zpb-echo"),
            "--count",
            &count,
            "--types",
            &types,
            "--text-check",
        ],
    );
    for short in ["edition2023", "editions_proto2", "editions_proto3"] {
        assert!(counts[short] >= CORPUS_SIZE, "{counts:?}");
    }
}

/// A message built with zpb's accessors and what Python must read from its bytes.
struct Case {
    name: &'static str,
    type_name: &'static str,
    bytes: Vec<u8>,
    /// The expected message in text format (Python's syntax).
    text: String,
    /// Expected unknown fields, as raw wire bytes written by hand.
    unknown: Vec<u8>,
}

impl Case {
    fn new<M: Message>(
        name: &'static str,
        text: impl Into<String>,
        build: impl FnOnce(&mut M),
    ) -> Case {
        let mut m = M::default();
        build(&mut m);
        let bytes = m.serialize_to_vec().unwrap();
        assert_eq!(
            M::parse_from_slice(&bytes).unwrap().byte_size(),
            bytes.len(),
            "{name}"
        );
        Case {
            name,
            type_name: M::NAME,
            bytes,
            text: text.into(),
            unknown: Vec::new(),
        }
    }

    /// Declares the unknown fields the case's message holds.
    fn with_unknown(mut self, raw: &[u8]) -> Case {
        self.unknown = raw.to_vec();
        self
    }

    /// One line of the file `cross_check.py verify` reads.
    fn line(&self) -> String {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        format!(
            "{}\t{}\t{}\t{}\t{}\n",
            self.name,
            self.type_name,
            hex(&self.bytes),
            hex(self.text.as_bytes()),
            hex(&self.unknown)
        )
    }
}

/// Bytes as a text-format string literal body, every byte octal-escaped.
fn octal(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:03o}")).collect()
}

fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
    out
}

/// A case that sets one oneof member: name, expected text, setter.
type OneofCase<M> = (&'static str, &'static str, fn(&mut M));

fn oneof_cases<M: Message>(list: impl IntoIterator<Item = OneofCase<M>>) -> Vec<Case> {
    list.into_iter()
        .map(|(name, text, build)| Case::new::<M>(name, text, build))
        .collect()
}

fn proto3_cases() -> Vec<Case> {
    let all_bytes: Vec<u8> = (0..=255).collect();
    let mut cases = vec![
        Case::new::<TestAllTypesProto3>(
            "p3_scalars_max",
            "optional_int32: 2147483647 optional_int64: 9223372036854775807 \
             optional_uint32: 4294967295 optional_uint64: 18446744073709551615 \
             optional_sint32: 2147483647 optional_sint64: 9223372036854775807 \
             optional_fixed32: 4294967295 optional_fixed64: 18446744073709551615 \
             optional_sfixed32: 2147483647 optional_sfixed64: 9223372036854775807 \
             optional_float: 3.4028234663852886e+38 optional_double: 1.7976931348623157e+308 \
             optional_bool: true",
            |m| {
                m.set_optional_int32(i32::MAX);
                m.set_optional_int64(i64::MAX);
                m.set_optional_uint32(u32::MAX);
                m.set_optional_uint64(u64::MAX);
                m.set_optional_sint32(i32::MAX);
                m.set_optional_sint64(i64::MAX);
                m.set_optional_fixed32(u32::MAX);
                m.set_optional_fixed64(u64::MAX);
                m.set_optional_sfixed32(i32::MAX);
                m.set_optional_sfixed64(i64::MAX);
                m.set_optional_float(f32::MAX);
                m.set_optional_double(f64::MAX);
                m.set_optional_bool(true);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_scalars_min",
            "optional_int32: -2147483648 optional_int64: -9223372036854775808 \
             optional_uint32: 1 optional_uint64: 1 \
             optional_sint32: -2147483648 optional_sint64: -9223372036854775808 \
             optional_fixed32: 1 optional_fixed64: 1 \
             optional_sfixed32: -2147483648 optional_sfixed64: -9223372036854775808 \
             optional_float: 1.401298464324817e-45 optional_double: -0",
            |m| {
                m.set_optional_int32(i32::MIN);
                m.set_optional_int64(i64::MIN);
                m.set_optional_uint32(1);
                m.set_optional_uint64(1);
                m.set_optional_sint32(i32::MIN);
                m.set_optional_sint64(i64::MIN);
                m.set_optional_fixed32(1);
                m.set_optional_fixed64(1);
                m.set_optional_sfixed32(i32::MIN);
                m.set_optional_sfixed64(i64::MIN);
                m.set_optional_float(f32::from_bits(1));
                m.set_optional_double(-0.0);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_special_floats",
            "optional_float: nan optional_double: -inf \
             repeated_float: [inf, -inf, nan, -0, 1.17549435e-38] \
             repeated_double: [nan, inf, 5e-324, -0]",
            |m| {
                m.set_optional_float(f32::NAN);
                m.set_optional_double(f64::NEG_INFINITY);
                m.mutable_repeated_float().extend([
                    f32::INFINITY,
                    f32::NEG_INFINITY,
                    f32::NAN,
                    -0.0,
                    f32::MIN_POSITIVE,
                ]);
                m.mutable_repeated_double()
                    .extend([f64::NAN, f64::INFINITY, f64::from_bits(1), -0.0]);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_strings_and_bytes",
            format!(
                "optional_string: \"h\u{e9}llo \u{2713} \u{1d11e} \u{1f980} \\000 \\t \\\" end\" \
                 optional_bytes: \"{}\" \
                 optional_string_piece: \"piece\" optional_cord: \"\u{65e5}\u{672c}\" \
                 repeated_string: [\"\", \"a\", \"\u{10ffff}\", \"{}\"] \
                 repeated_bytes: [\"\", \"\\377\\000\"]",
                octal(&all_bytes),
                "x".repeat(300)
            ),
            |m| {
                m.set_optional_string("h\u{e9}llo \u{2713} \u{1d11e} \u{1f980} \0 \t \" end");
                m.set_optional_bytes(all_bytes.clone());
                m.set_optional_string_piece("piece");
                m.set_optional_cord("\u{65e5}\u{672c}");
                for s in ["", "a", "\u{10ffff}"] {
                    m.add_repeated_string().push_str(s);
                }
                m.add_repeated_string().push_str(&"x".repeat(300));
                m.add_repeated_bytes();
                m.add_repeated_bytes().extend_from_slice(&[0xff, 0]);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_messages_and_recursion",
            "optional_nested_message { a: 1 corecursive { optional_int32: 2 \
               recursive_message { optional_int32: 3 recursive_message { } } } } \
             optional_foreign_message { c: -1 } \
             recursive_message { optional_nested_message { a: 4 } } \
             repeated_nested_message { a: 5 } repeated_nested_message { } \
             repeated_foreign_message { c: 6 }",
            |m| {
                let nested = m.mutable_optional_nested_message();
                nested.set_a(1);
                let co = nested.mutable_corecursive();
                co.set_optional_int32(2);
                let rec = co.mutable_recursive_message();
                rec.set_optional_int32(3);
                rec.mutable_recursive_message();
                m.mutable_optional_foreign_message().set_c(-1);
                m.mutable_recursive_message()
                    .mutable_optional_nested_message()
                    .set_a(4);
                m.add_repeated_nested_message().set_a(5);
                m.add_repeated_nested_message();
                m.add_repeated_foreign_message().set_c(6);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_enums_open",
            "optional_nested_enum: NEG optional_foreign_enum: FOREIGN_BAZ \
             optional_aliased_enum: ALIAS_BAZ \
             repeated_nested_enum: [FOO, BAR, 12345, -7] repeated_foreign_enum: [FOREIGN_BAR] \
             packed_nested_enum: [BAZ, 99] unpacked_nested_enum: [NEG, 100]",
            |m| {
                m.set_optional_nested_enum(p3::NestedEnum::Neg);
                m.set_optional_foreign_enum(proto3::ForeignEnum::ForeignBaz);
                m.set_optional_aliased_enum(p3::AliasedEnum::MOO);
                m.add_repeated_nested_enum(p3::NestedEnum::Foo);
                m.add_repeated_nested_enum(p3::NestedEnum::Bar);
                m.add_repeated_nested_enum(OpenEnum::from_raw(12345));
                m.add_repeated_nested_enum(OpenEnum::from_raw(-7));
                m.add_repeated_foreign_enum(proto3::ForeignEnum::ForeignBar);
                m.add_packed_nested_enum(p3::NestedEnum::Baz);
                m.add_packed_nested_enum(OpenEnum::from_raw(99));
                m.add_unpacked_nested_enum(p3::NestedEnum::Neg);
                m.add_unpacked_nested_enum(OpenEnum::from_raw(100));
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_repeated_scalars",
            "repeated_int32: [-1, 0, 2147483647] repeated_int64: [-9223372036854775808] \
             repeated_uint32: [4294967295, 0] repeated_uint64: [18446744073709551615] \
             repeated_sint32: [-2147483648, 1] repeated_sint64: [9223372036854775807, -1] \
             repeated_fixed32: [7] repeated_fixed64: [8] repeated_sfixed32: [-9] \
             repeated_sfixed64: [-10] repeated_bool: [true, false, true] \
             packed_int32: [-1, 1] packed_int64: [-2] packed_uint32: [3] packed_uint64: [4] \
             packed_sint32: [-5] packed_sint64: [-6] packed_fixed32: [7] packed_fixed64: [8] \
             packed_sfixed32: [-9] packed_sfixed64: [-10] packed_float: [1.5] \
             packed_double: [-2.25] packed_bool: [false, true] \
             unpacked_int32: [-1, 1] unpacked_int64: [-2] unpacked_uint32: [3] \
             unpacked_uint64: [4] unpacked_sint32: [-5] unpacked_sint64: [-6] \
             unpacked_fixed32: [7] unpacked_fixed64: [8] unpacked_sfixed32: [-9] \
             unpacked_sfixed64: [-10] unpacked_float: [1.5] unpacked_double: [-2.25] \
             unpacked_bool: [false, true]",
            |m| {
                m.mutable_repeated_int32().extend([-1, 0, i32::MAX]);
                m.add_repeated_int64(i64::MIN);
                m.mutable_repeated_uint32().extend([u32::MAX, 0]);
                m.add_repeated_uint64(u64::MAX);
                m.mutable_repeated_sint32().extend([i32::MIN, 1]);
                m.mutable_repeated_sint64().extend([i64::MAX, -1]);
                m.add_repeated_fixed32(7);
                m.add_repeated_fixed64(8);
                m.add_repeated_sfixed32(-9);
                m.add_repeated_sfixed64(-10);
                m.mutable_repeated_bool().extend([true, false, true]);
                m.mutable_packed_int32().extend([-1, 1]);
                m.add_packed_int64(-2);
                m.add_packed_uint32(3);
                m.add_packed_uint64(4);
                m.add_packed_sint32(-5);
                m.add_packed_sint64(-6);
                m.add_packed_fixed32(7);
                m.add_packed_fixed64(8);
                m.add_packed_sfixed32(-9);
                m.add_packed_sfixed64(-10);
                m.add_packed_float(1.5);
                m.add_packed_double(-2.25);
                m.mutable_packed_bool().extend([false, true]);
                m.mutable_unpacked_int32().extend([-1, 1]);
                m.add_unpacked_int64(-2);
                m.add_unpacked_uint32(3);
                m.add_unpacked_uint64(4);
                m.add_unpacked_sint32(-5);
                m.add_unpacked_sint64(-6);
                m.add_unpacked_fixed32(7);
                m.add_unpacked_fixed64(8);
                m.add_unpacked_sfixed32(-9);
                m.add_unpacked_sfixed64(-10);
                m.add_unpacked_float(1.5);
                m.add_unpacked_double(-2.25);
                m.mutable_unpacked_bool().extend([false, true]);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_maps",
            "map_int32_int32 { key: -1 value: 1 } map_int32_int32 { key: 0 value: 0 } \
             map_int64_int64 { key: -9223372036854775808 value: 9223372036854775807 } \
             map_uint32_uint32 { key: 4294967295 value: 1 } \
             map_uint64_uint64 { key: 18446744073709551615 value: 2 } \
             map_sint32_sint32 { key: -3 value: -4 } map_sint64_sint64 { key: -5 value: -6 } \
             map_fixed32_fixed32 { key: 7 value: 8 } map_fixed64_fixed64 { key: 9 value: 10 } \
             map_sfixed32_sfixed32 { key: -11 value: -12 } \
             map_sfixed64_sfixed64 { key: -13 value: -14 } \
             map_int32_float { key: 1 value: -0.5 } map_int32_double { key: 2 value: inf } \
             map_bool_bool { key: true value: false } map_bool_bool { key: false value: true } \
             map_string_string { key: \"\u{1f980}\" value: \"crab\" } \
             map_string_string { key: \"\" value: \"\" } \
             map_string_bytes { key: \"b\" value: \"\\000\\377\" } \
             map_string_nested_message { key: \"n\" value { a: 15 corecursive { optional_int32: 16 } } } \
             map_string_nested_message { key: \"empty\" value { } } \
             map_string_foreign_message { key: \"f\" value { c: 17 } } \
             map_string_nested_enum { key: \"e\" value: NEG } \
             map_string_nested_enum { key: \"u\" value: 77 } \
             map_string_foreign_enum { key: \"g\" value: FOREIGN_BAR }",
            |m| {
                m.mutable_map_int32_int32().extend([(-1, 1), (0, 0)]);
                m.mutable_map_int64_int64().insert(i64::MIN, i64::MAX);
                m.mutable_map_uint32_uint32().insert(u32::MAX, 1);
                m.mutable_map_uint64_uint64().insert(u64::MAX, 2);
                m.mutable_map_sint32_sint32().insert(-3, -4);
                m.mutable_map_sint64_sint64().insert(-5, -6);
                m.mutable_map_fixed32_fixed32().insert(7, 8);
                m.mutable_map_fixed64_fixed64().insert(9, 10);
                m.mutable_map_sfixed32_sfixed32().insert(-11, -12);
                m.mutable_map_sfixed64_sfixed64().insert(-13, -14);
                m.mutable_map_int32_float().insert(1, -0.5);
                m.mutable_map_int32_double().insert(2, f64::INFINITY);
                m.mutable_map_bool_bool().extend([(true, false), (false, true)]);
                m.mutable_map_string_string()
                    .extend([("\u{1f980}".into(), "crab".into()), (String::new(), String::new())]);
                m.mutable_map_string_bytes().insert("b".into(), vec![0, 0xff]);
                let mut nested = p3::NestedMessage::default();
                nested.set_a(15);
                nested.mutable_corecursive().set_optional_int32(16);
                m.mutable_map_string_nested_message().insert("n".into(), nested);
                m.mutable_map_string_nested_message()
                    .insert("empty".into(), Default::default());
                let mut foreign = proto3::ForeignMessage::default();
                foreign.set_c(17);
                m.mutable_map_string_foreign_message().insert("f".into(), foreign);
                m.mutable_map_string_nested_enum()
                    .extend([("e".into(), p3::NestedEnum::Neg.into()), ("u".into(), OpenEnum::from_raw(77))]);
                m.mutable_map_string_foreign_enum()
                    .insert("g".into(), proto3::ForeignEnum::ForeignBar.into());
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_well_known_types",
            "optional_bool_wrapper { value: true } optional_int32_wrapper { value: -1 } \
             optional_int64_wrapper { value: -9223372036854775808 } \
             optional_uint32_wrapper { value: 4294967295 } \
             optional_uint64_wrapper { value: 18446744073709551615 } \
             optional_float_wrapper { value: nan } optional_double_wrapper { } \
             optional_string_wrapper { value: \"w\u{e9}\" } optional_bytes_wrapper { value: \"\\001\" } \
             repeated_bool_wrapper { value: false } repeated_bool_wrapper { value: true } \
             repeated_int32_wrapper { value: 1 } repeated_int64_wrapper { value: 2 } \
             repeated_uint32_wrapper { value: 3 } repeated_uint64_wrapper { value: 4 } \
             repeated_float_wrapper { value: 5 } repeated_double_wrapper { value: 6 } \
             repeated_string_wrapper { value: \"7\" } repeated_bytes_wrapper { value: \"8\" } \
             optional_duration { seconds: -315576000000 nanos: -999999999 } \
             optional_timestamp { seconds: 253402300799 nanos: 999999999 } \
             optional_field_mask { paths: \"a.b\" paths: \"c\" } \
             optional_struct { fields { key: \"n\" value { number_value: 1.5 } } \
               fields { key: \"s\" value { struct_value { fields { key: \"l\" value { list_value { \
                 values { null_value: NULL_VALUE } values { bool_value: true } values { string_value: \"x\" } } } } } } } } \
             optional_any { type_url: \"type.googleapis.com/protobuf_test_messages.proto3.ForeignMessage\" value: \"\\010\\001\" } \
             optional_value { string_value: \"v\" } optional_null_value: NULL_VALUE optional_empty { } \
             repeated_duration { seconds: 1 } repeated_timestamp { nanos: 2 } \
             repeated_fieldmask { paths: \"p\" } repeated_struct { } \
             repeated_any { type_url: \"t\" } repeated_value { bool_value: false } \
             repeated_list_value { values { number_value: -0 } } repeated_empty { }",
            |m| {
                m.mutable_optional_bool_wrapper().set_value(true);
                m.mutable_optional_int32_wrapper().set_value(-1);
                m.mutable_optional_int64_wrapper().set_value(i64::MIN);
                m.mutable_optional_uint32_wrapper().set_value(u32::MAX);
                m.mutable_optional_uint64_wrapper().set_value(u64::MAX);
                m.mutable_optional_float_wrapper().set_value(f32::NAN);
                m.mutable_optional_double_wrapper().set_value(0.0);
                m.mutable_optional_string_wrapper().set_value("w\u{e9}");
                m.mutable_optional_bytes_wrapper().set_value(vec![1]);
                m.add_repeated_bool_wrapper().set_value(false);
                m.add_repeated_bool_wrapper().set_value(true);
                m.add_repeated_int32_wrapper().set_value(1);
                m.add_repeated_int64_wrapper().set_value(2);
                m.add_repeated_uint32_wrapper().set_value(3);
                m.add_repeated_uint64_wrapper().set_value(4);
                m.add_repeated_float_wrapper().set_value(5.0);
                m.add_repeated_double_wrapper().set_value(6.0);
                m.add_repeated_string_wrapper().set_value("7");
                m.add_repeated_bytes_wrapper().set_value(b"8".to_vec());
                let d = m.mutable_optional_duration();
                d.set_seconds(-315_576_000_000);
                d.set_nanos(-999_999_999);
                let t = m.mutable_optional_timestamp();
                t.set_seconds(253_402_300_799);
                t.set_nanos(999_999_999);
                let mask = m.mutable_optional_field_mask();
                mask.add_paths().push_str("a.b");
                mask.add_paths().push('c');
                let mut list = zpb::well_known::ListValue::default();
                list.add_values().set_null_value(NullValue::NullValue);
                list.add_values().set_bool_value(true);
                list.add_values().set_string_value("x");
                let mut inner = zpb::well_known::Struct::default();
                let mut list_value = Value::default();
                list_value.set_list_value(list);
                inner.mutable_fields().insert("l".into(), list_value);
                let fields = m.mutable_optional_struct().mutable_fields();
                let mut number = Value::default();
                number.set_number_value(1.5);
                fields.insert("n".into(), number);
                let mut nested = Value::default();
                nested.set_struct_value(inner);
                fields.insert("s".into(), nested);
                let any = m.mutable_optional_any();
                any.set_type_url("type.googleapis.com/protobuf_test_messages.proto3.ForeignMessage");
                any.set_value(vec![0x08, 0x01]);
                m.mutable_optional_value().set_string_value("v");
                m.set_optional_null_value(NullValue::NullValue);
                m.mutable_optional_empty();
                m.add_repeated_duration().set_seconds(1);
                m.add_repeated_timestamp().set_nanos(2);
                m.add_repeated_fieldmask().add_paths().push('p');
                m.add_repeated_struct();
                m.add_repeated_any().set_type_url("t");
                m.add_repeated_value().set_bool_value(false);
                m.add_repeated_list_value().add_values().set_number_value(-0.0);
                m.add_repeated_empty();
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_field_names",
            "fieldname1: 1 field_name2: 2 _field_name3: 3 field__name4_: 4 field0name5: 5 \
             field_0_name6: 6 fieldName7: 7 FieldName8: 8 field_Name9: 9 Field_Name10: 10 \
             FIELD_NAME11: 11 FIELD_name12: 12 __field_name13: 13 __Field_name14: 14 \
             field__name15: 15 field__Name16: 16 field_name17__: 17 Field_name18__: 18",
            |m| {
                m.set_fieldname1(1);
                m.set_field_name2(2);
                m.set_field_name3(3);
                m.set_field_name4(4);
                m.set_field0name5(5);
                m.set_field_0_name6(6);
                m.set_field_name7(7);
                m.set_field_name8(8);
                m.set_field_name9(9);
                m.set_field_name10(10);
                m.set_field_name11(11);
                m.set_field_name12(12);
                m.set_field_name13(13);
                m.set_field_name14(14);
                m.set_field_name15(15);
                m.set_field_name16(16);
                m.set_field_name17(17);
                m.set_field_name18(18);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_implicit_defaults_are_not_written",
            "optional_nested_message { }",
            |m| {
                m.set_optional_int32(0);
                m.set_optional_string("");
                m.set_optional_bytes(Vec::new());
                m.set_optional_nested_enum(p3::NestedEnum::Foo);
                m.set_optional_bool(false);
                m.mutable_optional_nested_message().set_a(0);
            },
        ),
        Case::new::<TestAllTypesProto3>(
            "p3_unknown_fields",
            "optional_int32: 1 optional_nested_message { a: 2 }",
            |m| {
                m.set_optional_int32(1);
                m.mutable_optional_nested_message().set_a(2);
                let unknown = m.mutable_unknown_fields();
                unknown.push_varint(1000, u64::MAX);
                unknown.push_len_delimited(1001, b"xy");
            },
        )
        .with_unknown(b"\xc0\x3e\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\xca\x3e\x02xy"),
    ];
    // Each oneof member, set to a non-default and to a default value (a set member is
    // written even when it holds its default).
    let oneofs: [OneofCase<TestAllTypesProto3>; 12] = [
        ("p3_oneof_uint32", "oneof_uint32: 4294967295", |m| {
            m.set_oneof_uint32(u32::MAX)
        }),
        ("p3_oneof_uint32_zero", "oneof_uint32: 0", |m| {
            m.set_oneof_uint32(0)
        }),
        (
            "p3_oneof_nested_message",
            "oneof_nested_message { a: 3 }",
            |m| m.mutable_oneof_nested_message().set_a(3),
        ),
        ("p3_oneof_string", "oneof_string: \"\"", |m| {
            m.set_oneof_string("")
        }),
        ("p3_oneof_bytes", "oneof_bytes: \"\\000\"", |m| {
            m.set_oneof_bytes(vec![0])
        }),
        ("p3_oneof_bool", "oneof_bool: false", |m| {
            m.set_oneof_bool(false)
        }),
        (
            "p3_oneof_uint64",
            "oneof_uint64: 18446744073709551615",
            |m| m.set_oneof_uint64(u64::MAX),
        ),
        ("p3_oneof_float", "oneof_float: -0", |m| {
            m.set_oneof_float(-0.0)
        }),
        ("p3_oneof_double", "oneof_double: nan", |m| {
            m.set_oneof_double(f64::NAN)
        }),
        ("p3_oneof_enum", "oneof_enum: 1000", |m| {
            m.set_oneof_enum(OpenEnum::from_raw(1000))
        }),
        ("p3_oneof_null_value", "oneof_null_value: NULL_VALUE", |m| {
            m.set_oneof_null_value(NullValue::NullValue)
        }),
        ("p3_oneof_last_set_wins", "oneof_string: \"last\"", |m| {
            m.set_oneof_uint32(5);
            m.mutable_oneof_nested_message().set_a(1);
            m.set_oneof_string("last");
        }),
    ];
    cases.extend(oneof_cases(oneofs));
    cases
}

fn proto2_cases() -> Vec<Case> {
    let ext1 = {
        let mut e = p2::MessageSetCorrectExtension1::default();
        e.set_str("in a set");
        e.serialize_to_vec().unwrap()
    };
    // A MessageSet item: group 1 { type_id (2) = the extension's number, message (3) }.
    let mut item = vec![0x0b, 0x10];
    item.extend(varint(1_547_769));
    item.push(0x1a);
    item.extend(varint(ext1.len() as u64));
    item.extend(&ext1);
    item.push(0x0c);
    let mut cases = vec![
        Case::new::<TestAllTypesProto2>(
            "p2_scalars_present_at_zero",
            "optional_int32: 0 optional_int64: 0 optional_uint32: 0 optional_uint64: 0 \
             optional_sint32: 0 optional_sint64: 0 optional_fixed32: 0 optional_fixed64: 0 \
             optional_sfixed32: 0 optional_sfixed64: 0 optional_float: 0 optional_double: 0 \
             optional_bool: false optional_string: \"\" optional_bytes: \"\" \
             optional_nested_enum: FOO optional_foreign_enum: FOREIGN_FOO \
             optional_string_piece: \"\" optional_cord: \"\"",
            |m| {
                m.set_optional_int32(0);
                m.set_optional_int64(0);
                m.set_optional_uint32(0);
                m.set_optional_uint64(0);
                m.set_optional_sint32(0);
                m.set_optional_sint64(0);
                m.set_optional_fixed32(0);
                m.set_optional_fixed64(0);
                m.set_optional_sfixed32(0);
                m.set_optional_sfixed64(0);
                m.set_optional_float(0.0);
                m.set_optional_double(0.0);
                m.set_optional_bool(false);
                m.set_optional_string("");
                m.set_optional_bytes(Vec::new());
                m.set_optional_nested_enum(p2::NestedEnum::Foo);
                m.set_optional_foreign_enum(proto2::ForeignEnumProto2::ForeignFoo);
                m.set_optional_string_piece("");
                m.set_optional_cord("");
            },
        ),
        Case::new::<TestAllTypesProto2>(
            "p2_defaults",
            "default_int32: -123456789 default_int64: 0 default_uint32: 4294967295 \
             default_uint64: 10123456789123456789 default_sint32: -123456789 \
             default_sint64: -9223372036854775808 default_fixed32: 2123456789 \
             default_fixed64: 0 default_sfixed32: -123456789 default_sfixed64: 1 \
             default_float: 9e9 default_double: -inf default_bool: true \
             default_string: \"Rosebud\" default_bytes: \"\"",
            |m| {
                assert_eq!(m.default_int32(), -123_456_789);
                assert_eq!(m.default_string(), "Rosebud");
                assert_eq!(m.default_bytes(), b"joshua");
                m.set_default_int32(m.default_int32());
                m.set_default_int64(0);
                m.set_default_uint32(u32::MAX);
                m.set_default_uint64(m.default_uint64());
                m.set_default_sint32(m.default_sint32());
                m.set_default_sint64(i64::MIN);
                m.set_default_fixed32(m.default_fixed32());
                m.set_default_fixed64(0);
                m.set_default_sfixed32(m.default_sfixed32());
                m.set_default_sfixed64(1);
                m.set_default_float(m.default_float());
                m.set_default_double(f64::NEG_INFINITY);
                m.set_default_bool(m.default_bool());
                m.mutable_default_string();
                m.set_default_bytes(Vec::new());
            },
        ),
        Case::new::<TestAllTypesProto2>(
            "p2_groups_and_messages",
            "optional_nested_message { a: -1 corecursive { optional_int32: 1 } } \
             optional_foreign_message { c: 2 } recursive_message { recursive_message { } } \
             repeated_nested_message { } repeated_foreign_message { c: 3 } \
             Data { group_int32: -2147483648 group_uint32: 4294967295 } \
             MultiWordGroupField { group_int32: 5 }",
            |m| {
                let nested = m.mutable_optional_nested_message();
                nested.set_a(-1);
                nested.mutable_corecursive().set_optional_int32(1);
                m.mutable_optional_foreign_message().set_c(2);
                m.mutable_recursive_message().mutable_recursive_message();
                m.add_repeated_nested_message();
                m.add_repeated_foreign_message().set_c(3);
                let data = m.mutable_data();
                data.set_group_int32(i32::MIN);
                data.set_group_uint32(u32::MAX);
                m.mutable_multiwordgroupfield().set_group_int32(5);
            },
        ),
        Case::new::<TestAllTypesProto2>(
            "p2_closed_enums_repeated_and_maps",
            "repeated_nested_enum: [NEG, BAZ] repeated_foreign_enum: [FOREIGN_BAR] \
             packed_nested_enum: [FOO, NEG] unpacked_nested_enum: [BAR] \
             packed_int32: [-1] unpacked_int32: [-1] repeated_string: [\"\u{1f600}\"] \
             map_int32_bool { key: -1 value: true } \
             map_int32_nested_message { key: 7 value { a: 8 } } \
             map_string_nested_enum { key: \"e\" value: NEG } \
             map_string_foreign_enum { key: \"f\" value: FOREIGN_BAZ } \
             map_string_foreign_message { key: \"m\" value { } }",
            |m| {
                m.mutable_repeated_nested_enum()
                    .extend([p2::NestedEnum::Neg, p2::NestedEnum::Baz]);
                m.add_repeated_foreign_enum(proto2::ForeignEnumProto2::ForeignBar);
                m.mutable_packed_nested_enum()
                    .extend([p2::NestedEnum::Foo, p2::NestedEnum::Neg]);
                m.add_unpacked_nested_enum(p2::NestedEnum::Bar);
                m.add_packed_int32(-1);
                m.add_unpacked_int32(-1);
                m.add_repeated_string().push('\u{1f600}');
                m.mutable_map_int32_bool().insert(-1, true);
                m.mutable_map_int32_nested_message()
                    .entry(7)
                    .or_default()
                    .set_a(8);
                m.mutable_map_string_nested_enum()
                    .insert("e".into(), p2::NestedEnum::Neg);
                m.mutable_map_string_foreign_enum()
                    .insert("f".into(), proto2::ForeignEnumProto2::ForeignBaz);
                m.mutable_map_string_foreign_message()
                    .insert("m".into(), Default::default());
            },
        ),
        Case::new::<TestAllTypesProto2>(
            "p2_extensions_set_through_their_constants",
            "optional_int32: 1 [protobuf_test_messages.proto2.extension_int32]: -7 \
             [protobuf_test_messages.proto2.extension_string]: \"ext\" \
             [protobuf_test_messages.proto2.groupfield] { group_int32: 1 } \
             message_set_correct { \
               [protobuf_test_messages.proto2.TestAllTypesProto2.MessageSetCorrectExtension1] \
               { str: \"in a set\" } }",
            |m| {
                m.set_optional_int32(1);
                EXTENSION_INT32.set(m, &-7);
                EXTENSION_STRING.set(m, &"ext".to_string());
                let mut group = GroupField::default();
                group.set_group_int32(1);
                GROUPFIELD.set(m, &group);
                // Extensions of a MessageSet get no constant: the item is written by hand.
                m.mutable_message_set_correct()
                    .mutable_unknown_fields()
                    .extend_raw(&item);
            },
        ),
        Case::new::<TestAllTypesProto2>(
            "p2_unknown_enum_value_kept_as_unknown",
            "optional_nested_enum: BAR",
            |m| {
                m.set_optional_nested_enum(p2::NestedEnum::Bar);
                m.mutable_unknown_fields().push_varint(21, 99);
            },
        )
        .with_unknown(b"\xa8\x01\x63"),
    ];
    let oneofs: [OneofCase<TestAllTypesProto2>; 9] = [
        ("p2_oneof_uint32", "oneof_uint32: 0", |m| {
            m.set_oneof_uint32(0)
        }),
        ("p2_oneof_nested_message", "oneof_nested_message { }", |m| {
            m.mutable_oneof_nested_message();
        }),
        ("p2_oneof_string", "oneof_string: \"\u{10000}\"", |m| {
            m.set_oneof_string("\u{10000}")
        }),
        ("p2_oneof_bytes", "oneof_bytes: \"\"", |m| {
            m.set_oneof_bytes(Vec::new())
        }),
        ("p2_oneof_bool", "oneof_bool: true", |m| {
            m.set_oneof_bool(true)
        }),
        ("p2_oneof_uint64", "oneof_uint64: 0", |m| {
            m.set_oneof_uint64(0)
        }),
        ("p2_oneof_float", "oneof_float: inf", |m| {
            m.set_oneof_float(f32::INFINITY)
        }),
        ("p2_oneof_double", "oneof_double: -0", |m| {
            m.set_oneof_double(-0.0)
        }),
        ("p2_oneof_enum", "oneof_enum: NEG", |m| {
            m.set_oneof_enum(p2::NestedEnum::Neg)
        }),
    ];
    cases.extend(oneof_cases(oneofs));
    cases
}

#[test]
fn messages_built_with_zpb_accessors_parse_in_python() {
    let cases: Vec<Case> = proto3_cases().into_iter().chain(proto2_cases()).collect();
    assert!(cases.len() >= 12);
    let Some(python) = python() else { return };
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zpb_accessor_cases.tsv");
    std::fs::write(&path, cases.iter().map(Case::line).collect::<String>()).unwrap();
    let counts = run_script(&python, &["verify", path.to_str().unwrap()]);
    assert_eq!(counts["verified"], cases.len(), "{counts:?}");
}
