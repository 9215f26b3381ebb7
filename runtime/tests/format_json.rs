//! `zpb::format::json`: the reader's grammar, ProtoJSON number rules, error kinds and
//! positions, the depth limit, the writer's layout and escaping, and zero allocation on reuse.

#[path = "common/alloc.rs"]
mod alloc;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

use zpb::format::json::{JsonErrorKind, JsonKind, JsonReader, JsonWriter, WriteOptions};
use zpb::format::Position;

/// Walks any JSON value with the pull API, as a message parser would.
fn walk(
    r: &mut JsonReader<'_>,
    scratch: &mut String,
    out: &mut Vec<String>,
) -> Result<(), zpb::format::json::JsonError> {
    match r.peek()? {
        JsonKind::Null => r.read_null().map(|()| out.push("null".into())),
        JsonKind::Bool => r.read_bool().map(|b| out.push(b.to_string())),
        JsonKind::Number => r.read_number().map(|n| out.push(n.as_str().into())),
        JsonKind::String => r.read_str(scratch).map(|s| out.push(format!("{s:?}"))),
        JsonKind::Object => {
            r.begin_object()?;
            out.push("{".into());
            let mut key = String::new();
            while let Some(k) = r.next_key(&mut key)? {
                out.push(format!("{k:?}:"));
                walk(r, scratch, out)?;
            }
            out.push("}".into());
            Ok(())
        }
        JsonKind::Array => {
            r.begin_array()?;
            out.push("[".into());
            while r.next_element()? {
                walk(r, scratch, out)?;
            }
            out.push("]".into());
            Ok(())
        }
    }
}

fn parse(input: &str) -> Result<Vec<String>, (JsonErrorKind, Position)> {
    let mut r = JsonReader::new(input.as_bytes());
    let mut out = Vec::new();
    walk(&mut r, &mut String::new(), &mut out)
        .and_then(|()| r.finish())
        .map(|()| out)
        .map_err(|e| (e.kind, e.position))
}

fn error_kind(input: &str) -> JsonErrorKind {
    match parse(input) {
        Ok(v) => panic!("{input:?} parsed: {v:?}"),
        Err((kind, _)) => kind,
    }
}

fn pos(line: u32, column: u32) -> (u32, u32) {
    (line, column)
}

fn error_at(input: &str) -> (u32, u32) {
    let (_, p) = parse(input).expect_err(input);
    (p.line, p.column)
}

#[test]
fn valid_documents_walk_in_order() {
    let got = parse(r#" {"a": [1, -2.5e3, true, false, null, "x\n"], "b": {}, "c": []} "#).unwrap();
    assert_eq!(
        got.join(" "),
        r#"{ "a": [ 1 -2.5e3 true false null "x\n" ] "b": { } "c": [ ] }"#
    );
    assert_eq!(parse("0").unwrap(), ["0"]);
    assert_eq!(parse("\t\r\n\"\"\n").unwrap(), ["\"\""]);
}

#[test]
fn syntax_errors_are_typed() {
    use JsonErrorKind::*;
    let unexpected = |s: &str| matches!(error_kind(s), UnexpectedByte { .. });
    for bad in [
        r#"{"a":1,}"#,
        "[1,]",
        "{'a':1}",
        "{a:1}",
        r#"{"a":1 "b":2}"#,
        r#"{"a" 1}"#,
        "[1 2]",
        "/* c */ 1",
        "+1",
        ".5",
        "Infinity",
        "NaN",
        "True",
        "[,1]",
        r#"{,"a":1}"#,
        "{\"a\":1]",
        "[1}",
        "\u{a0}1",
    ] {
        assert!(unexpected(bad), "{bad:?}: {:?}", error_kind(bad));
    }
    for bad in [
        "01", "-01", "1.", "1.e5", "1e", "1e+", "-", "0x10", "1.5.2", "1ee5",
    ] {
        assert!(
            matches!(error_kind(bad), InvalidNumber | UnexpectedByte { .. }),
            "{bad:?}"
        );
    }
    for bad in ["nul", "tru", "nullx", "truex", "fals", "[null1]"] {
        assert_eq!(error_kind(bad), InvalidLiteral, "{bad:?}");
    }
    assert_eq!(error_kind(""), UnexpectedEnd);
    assert_eq!(error_kind("[1"), UnexpectedEnd);
    assert_eq!(error_kind(r#"{"a""#), UnexpectedEnd);
    assert_eq!(error_kind(r#""abc"#), UnexpectedEnd);
    assert_eq!(error_kind("{} x"), TrailingData);
    assert_eq!(error_kind("1 2"), TrailingData);
}

#[test]
fn strings_reject_bad_escapes_utf8_and_surrogates() {
    use JsonErrorKind::*;
    for (bad, kind) in [
        ("\"a\u{1}\"", ControlCharacter),
        ("\"\t\"", ControlCharacter),
        (r#""\x41""#, InvalidEscape),
        (r#""\u12""#, InvalidEscape),
        (r#""\u12G4""#, InvalidEscape),
        (r#""\'""#, InvalidEscape),
        (r#""\uD800""#, LoneSurrogate),
        (r#""\uDC00""#, LoneSurrogate),
        (r#""\uD800\u0041""#, LoneSurrogate),
        (r#""\uD800\n""#, LoneSurrogate),
    ] {
        assert_eq!(error_kind(bad), kind, "{bad}");
    }
    for bad in [
        &b"\"\xff\""[..],
        b"\"\xc0\xaf\"",
        b"\"\xed\xa0\x80\"",
        b"\"a\xe2\x82\"",
        b"{\"\xfe\":1}",
    ] {
        let mut r = JsonReader::new(bad);
        let err = walk(&mut r, &mut String::new(), &mut Vec::new()).unwrap_err();
        assert_eq!(err.kind, InvalidUtf8, "{bad:?}");
    }
    let mut scratch = String::new();
    let mut r = JsonReader::new(br#""\ud83d\ude00 \u00e9\"\\\/\b\f\n\r\t""#);
    assert_eq!(
        r.read_str(&mut scratch).unwrap(),
        "😀 é\"\\/\u{8}\u{c}\n\r\t"
    );
}

#[test]
fn errors_carry_line_and_column() {
    assert_eq!(error_at("{\n  \"a\": tru\n}"), pos(2, 8));
    assert_eq!(error_at("[1,\n 2,\n ]"), pos(3, 2));
    // Columns count characters: "é" is one column although two bytes.
    assert_eq!(error_at("[\"é\", x]"), pos(1, 7));
    assert_eq!(error_at("\"ab\\q\""), pos(1, 4));
    assert_eq!(error_at("\"ab\u{1}\""), pos(1, 4));
    let mut r = JsonReader::new(b"\n\n  \"\xffx\"");
    let e = r.read_str(&mut String::new()).unwrap_err();
    assert_eq!(
        (e.position.line, e.position.column, e.position.offset),
        (3, 4, 5)
    );
    assert_eq!(e.to_string(), "3:4: invalid UTF-8 in string");
}

#[test]
fn integers_follow_protojson() {
    use JsonErrorKind::*;
    let i32_of = |s: &str| JsonReader::new(s.as_bytes()).read_i32().map_err(|e| e.kind);
    let u64_of = |s: &str| JsonReader::new(s.as_bytes()).read_u64().map_err(|e| e.kind);
    let i64_of = |s: &str| JsonReader::new(s.as_bytes()).read_i64().map_err(|e| e.kind);
    for (text, want) in [
        ("1", Ok(1)),
        ("\"1\"", Ok(1)),
        ("1e2", Ok(100)),
        ("1E+2", Ok(100)),
        ("\"1e2\"", Ok(100)),
        ("100.000", Ok(100)),
        ("0.0001e4", Ok(1)),
        ("12300e-2", Ok(123)),
        ("-0", Ok(0)),
        ("0e999999999999999999999", Ok(0)),
        ("-2147483648", Ok(i32::MIN)),
        ("2147483647", Ok(i32::MAX)),
        ("2147483648", Err(NumberOutOfRange)),
        ("-2147483649", Err(NumberOutOfRange)),
        ("1e10", Err(NumberOutOfRange)),
        ("1e999999999999999999999", Err(NumberOutOfRange)),
        ("1.5", Err(NotAnInteger)),
        ("\"1.5\"", Err(NotAnInteger)),
        ("1e-1", Err(NotAnInteger)),
        ("\" 1\"", Err(InvalidNumber)),
        ("\"1 \"", Err(InvalidNumber)),
        ("\"0x10\"", Err(InvalidNumber)),
        ("\"+1\"", Err(InvalidNumber)),
        ("\"\"", Err(InvalidNumber)),
        ("\"\\u0031\"", Err(InvalidNumber)),
        ("\"NaN\"", Err(InvalidNumber)),
        (
            "true",
            Err(WrongKind {
                expected: "a number",
                found: zpb::format::json::JsonKind::Bool,
            }),
        ),
    ] {
        assert_eq!(i32_of(text), want, "{text}");
    }
    assert_eq!(u64_of("18446744073709551615"), Ok(u64::MAX));
    assert_eq!(u64_of("\"18446744073709551615\""), Ok(u64::MAX));
    assert_eq!(u64_of("1.8446744073709551615e19"), Ok(u64::MAX));
    assert_eq!(u64_of("18446744073709551616"), Err(NumberOutOfRange));
    assert_eq!(u64_of("1e19"), Ok(10_000_000_000_000_000_000));
    assert_eq!(u64_of("1e20"), Err(NumberOutOfRange));
    assert_eq!(u64_of("-1"), Err(NumberOutOfRange));
    assert_eq!(i64_of("-9223372036854775808"), Ok(i64::MIN));
    assert_eq!(i64_of("\"-9223372036854775809\""), Err(NumberOutOfRange));
    assert_eq!(
        JsonReader::new(b"4294967296")
            .read_u32()
            .map_err(|e| e.kind),
        Err(NumberOutOfRange)
    );
}

#[test]
fn floats_follow_protojson() {
    use JsonErrorKind::*;
    let f32_of = |s: &str| JsonReader::new(s.as_bytes()).read_f32().map_err(|e| e.kind);
    let f64_of = |s: &str| JsonReader::new(s.as_bytes()).read_f64().map_err(|e| e.kind);
    assert_eq!(f64_of("1.5"), Ok(1.5));
    assert_eq!(f64_of("\"1.5\""), Ok(1.5));
    assert_eq!(f64_of("\"-1e5\""), Ok(-1e5));
    assert_eq!(f64_of("1"), Ok(1.0));
    assert!(f64_of("\"NaN\"").unwrap().is_nan());
    assert_eq!(f64_of("\"Infinity\""), Ok(f64::INFINITY));
    assert_eq!(f64_of("\"-Infinity\""), Ok(f64::NEG_INFINITY));
    assert_eq!(f32_of("\"-Infinity\""), Ok(f32::NEG_INFINITY));
    assert_eq!(f64_of("1.7976931348623157e308"), Ok(f64::MAX));
    assert_eq!(f64_of("1e309"), Err(NumberOutOfRange));
    assert_eq!(f64_of("-1e400"), Err(NumberOutOfRange));
    assert_eq!(f64_of("1e-400"), Ok(0.0));
    assert_eq!(f32_of("3.402823e38"), Ok(3.402823e38));
    assert_eq!(f32_of("-3.402823e+38"), Ok(-3.402823e38));
    assert_eq!(f32_of("3.4028236e38"), Err(NumberOutOfRange));
    assert_eq!(f32_of("1e39"), Err(NumberOutOfRange));
    assert_eq!(f32_of("\"nan\""), Err(InvalidNumber));
    assert_eq!(f32_of("\"inf\""), Err(InvalidNumber));
    assert_eq!(f32_of("\"Infinity \""), Err(InvalidNumber));
    assert!(matches!(f32_of("NaN"), Err(UnexpectedByte { .. })));
    // f32 is rounded once, from the text.
    assert_eq!(f32_of("0.1"), Ok(0.1f32));
}

#[test]
fn depth_limit_is_enforced_without_recursion_blowup() {
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&nested(100)).is_ok());
    assert_eq!(error_kind(&nested(101)), JsonErrorKind::DepthLimit(100));
    let bomb = "[".repeat(1_000_000);
    let mut r = JsonReader::new(bomb.as_bytes()).with_max_depth(u32::MAX);
    assert_eq!(
        r.skip_value().unwrap_err().kind,
        JsonErrorKind::DepthLimit(1000)
    );
    // Skipping is iterative: the deepest allowed mix of objects and arrays costs no stack.
    let deep = format!("{}1{}", r#"{"a":["#.repeat(500), "]}".repeat(500));
    let mut r = JsonReader::new(deep.as_bytes()).with_max_depth(1000);
    r.skip_value().unwrap();
    r.finish().unwrap();
    for bad in ["[}", "{\"a\":1]", "[{]}", "{\"a\" 1}", "{1:2}", "[1,]"] {
        let mut r = JsonReader::new(bad.as_bytes());
        assert!(
            matches!(
                r.skip_value().unwrap_err().kind,
                JsonErrorKind::UnexpectedByte { .. }
            ),
            "{bad}"
        );
    }
    let mut r = JsonReader::new(br#"{"a":{"b":{"c":1}}}"#).with_max_depth(2);
    let err = r.skip_value().unwrap_err();
    assert_eq!(err.kind, JsonErrorKind::DepthLimit(2));
    assert_eq!(err.position.column, 11);
}

#[test]
fn skip_value_validates_and_keys_allow_duplicate_detection() {
    let input = br#"{"known": 1, "skip": {"x": [1, {"y": "\u00e9"}], "z": null}, "known": 2}"#;
    let mut r = JsonReader::new(input);
    let mut key = String::new();
    let mut seen_known = false;
    r.begin_object().unwrap();
    let err = loop {
        match r.next_key(&mut key).unwrap() {
            Some("known") if seen_known => break r.value_error(JsonErrorKind::DuplicateKey),
            Some("known") => {
                seen_known = true;
                assert_eq!(r.read_i32().unwrap(), 1);
            }
            Some(_) => r.skip_value().unwrap(),
            None => panic!("duplicate not seen"),
        }
    };
    assert_eq!(err.kind, JsonErrorKind::DuplicateKey);
    assert_eq!(err.position.column, 62);
    let mut r = JsonReader::new(br#"{"a": [1, "\q"]}"#);
    assert_eq!(
        r.skip_value().unwrap_err().kind,
        JsonErrorKind::InvalidEscape
    );
}

#[test]
fn wrong_kinds_are_reported() {
    let mut r = JsonReader::new(b"  [1]");
    let err = r.read_str(&mut String::new()).unwrap_err();
    assert_eq!(
        err.kind,
        JsonErrorKind::WrongKind {
            expected: "a string",
            found: JsonKind::Array
        }
    );
    assert_eq!(err.position.column, 3);
    assert_eq!(err.to_string(), "1:3: expected a string, found an array");
    let mut r = JsonReader::new(b"null");
    assert!(r.try_null().unwrap());
    r.finish().unwrap();
    let mut r = JsonReader::new(b"1");
    assert!(!r.try_null().unwrap());
    assert_eq!(r.read_u32().unwrap(), 1);
}

#[test]
fn reader_reuse_allocates_nothing() {
    let input = br#"{"na\u006de": "caf\u00e9 \ud83d\ude00", "id": "123", "list": [1.5, "NaN", -2],
        "nested": {"deep": [{"k": "v\n"}]}, "plain": "no escapes"}"#;
    let (mut key, mut value) = (String::new(), String::new());
    let run = |key: &mut String, value: &mut String| {
        let mut r = JsonReader::new(input);
        let mut total = 0usize;
        r.begin_object().unwrap();
        while let Some(k) = r.next_key(key).unwrap() {
            total += k.len();
            match r.peek().unwrap() {
                JsonKind::String => total += r.read_str(value).unwrap().len(),
                JsonKind::Array => {
                    r.begin_array().unwrap();
                    while r.next_element().unwrap() {
                        total += r.read_f64().unwrap() as usize;
                    }
                }
                _ => r.skip_value().unwrap(),
            }
        }
        r.finish().unwrap();
        total
    };
    let first = run(&mut key, &mut value);
    let (again, allocs) = alloc::count(|| run(&mut key, &mut value));
    assert_eq!(first, again);
    assert_eq!(allocs.count, 0, "{allocs:?}");
}

fn written(options: WriteOptions, f: impl FnOnce(&mut JsonWriter<'_>)) -> String {
    let mut out = String::new();
    f(&mut JsonWriter::new(&mut out, options));
    out
}

fn sample(w: &mut JsonWriter<'_>) {
    w.begin_object();
    w.key("int64");
    w.i64(-12);
    w.key("uint64");
    w.u64(u64::MAX);
    w.key("int32");
    w.i32(-7);
    w.key("uint32");
    w.u32(7);
    w.key("floats");
    w.begin_array();
    w.f64(f64::NAN);
    w.f64(f64::INFINITY);
    w.f32(f32::NEG_INFINITY);
    w.f64(1e30);
    w.f32(0.1);
    w.f64(-0.0);
    w.end_array();
    w.key("empty");
    w.begin_object();
    w.end_object();
    w.key("none");
    w.begin_array();
    w.end_array();
    w.key("bytes");
    w.bytes(b"\xff\x00a");
    w.key("ok");
    w.bool(true);
    w.key("nothing");
    w.null();
    w.end_object();
}

#[test]
fn writer_compact_and_pretty() {
    assert_eq!(
        written(WriteOptions::default(), sample),
        r#"{"int64":"-12","uint64":"18446744073709551615","int32":-7,"uint32":7,"floats":["NaN","Infinity","-Infinity",1e+30,0.1,-0],"empty":{},"none":[],"bytes":"/wBh","ok":true,"nothing":null}"#
    );
    let pretty = WriteOptions {
        indent: Some(2),
        ..WriteOptions::default()
    };
    assert_eq!(
        written(pretty, sample),
        "{\n  \"int64\": \"-12\",\n  \"uint64\": \"18446744073709551615\",\n  \"int32\": -7,\n  \"uint32\": 7,\n  \"floats\": [\n    \"NaN\",\n    \"Infinity\",\n    \"-Infinity\",\n    1e+30,\n    0.1,\n    -0\n  ],\n  \"empty\": {},\n  \"none\": [],\n  \"bytes\": \"/wBh\",\n  \"ok\": true,\n  \"nothing\": null\n}"
    );
    // What the writer prints, the reader reads.
    let text = written(pretty, sample);
    assert!(parse(&text).is_ok());
    assert_eq!(
        written(WriteOptions::default(), |w| w.string("top")),
        "\"top\""
    );
}

#[test]
fn writer_escapes_as_serde_json_python_or_cpp() {
    let s = "q\" b\\ /\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}<>&'é\u{ad}\u{2028}\u{2029}\u{feff}\u{200b}中😀\u{e0001}";
    // By default only what JSON requires (serde_json's and Python's output).
    assert_eq!(
        written(WriteOptions::default(), |w| w.string(s)),
        "\"q\\\" b\\\\ /\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}<>&'é\u{ad}\u{2028}\u{2029}\u{feff}\u{200b}中😀\u{e0001}\""
    );
    assert_eq!(
        written(WriteOptions::default(), |w| w.string(s)),
        serde_json::to_string(s).unwrap()
    );
    let cpp = WriteOptions {
        escape_like_cpp: true,
        ..WriteOptions::default()
    };
    assert_eq!(
        written(cpp, |w| w.string(s)),
        "\"q\\\" b\\\\ /\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u003c\\u003e&'é\\u00ad\\u2028\\u2029\\ufeff\\u200b中😀\\udb40\\udc01\""
    );
    let ascii = WriteOptions {
        ascii_only: true,
        ..WriteOptions::default()
    };
    assert_eq!(
        written(ascii, |w| w.string("é中😀<\u{7f}")),
        r#""\u00e9\u4e2d\ud83d\ude00<\u007f""#
    );
    assert_eq!(
        written(
            WriteOptions {
                escape_like_cpp: true,
                ..ascii
            },
            |w| w.string("é<")
        ),
        r#""\u00e9\u003c""#
    );
    // Keys are escaped the same way.
    let key = |options| {
        written(options, |w| {
            w.begin_object();
            w.key("a\"<");
            w.i32(1);
            w.end_object();
        })
    };
    assert_eq!(key(WriteOptions::default()), r#"{"a\"<":1}"#);
    assert_eq!(key(cpp), r#"{"a\"\u003c":1}"#);
}

#[test]
fn writer_reuse_allocates_nothing() {
    let mut out = String::new();
    sample(&mut JsonWriter::new(&mut out, WriteOptions::default()));
    let first = out.clone();
    let ((), allocs) = alloc::count(|| {
        out.clear();
        sample(&mut JsonWriter::new(&mut out, WriteOptions::default()));
    });
    assert_eq!(out, first);
    assert_eq!(allocs.count, 0, "{allocs:?}");
}

#[test]
fn bytes_and_well_known_errors_carry_positions() {
    use zpb::format::base64::Base64Error;
    use zpb::format::well_known::{timestamp, WellKnownError};
    let mut out = Vec::new();
    let mut scratch = String::new();
    let mut r = JsonReader::new(br#"["AQID", "AQI", "_-8=", "A\u0051==", "AQ*D"]"#);
    r.begin_array().unwrap();
    for want in [&[1u8, 2, 3][..], &[1, 2], &[0xff, 0xef], &[1]] {
        assert!(r.next_element().unwrap());
        out.clear();
        r.read_bytes(&mut scratch, &mut out).unwrap();
        assert_eq!(out, want);
    }
    assert!(r.next_element().unwrap());
    let err = r.read_bytes(&mut scratch, &mut out).unwrap_err();
    assert_eq!(
        err.kind,
        JsonErrorKind::Base64(Base64Error::InvalidByte {
            offset: 2,
            byte: b'*'
        })
    );
    assert_eq!(err.position.column, 38);

    let mut r = JsonReader::new(b"\n  \"1970-01-01T00:00:00\"");
    let text = r.read_str(&mut scratch).unwrap();
    let err = timestamp::parse(text)
        .map_err(|e| r.value_error(JsonErrorKind::WellKnown(e)))
        .unwrap_err();
    assert_eq!(
        err.kind,
        JsonErrorKind::WellKnown(WellKnownError::Syntax {
            what: "timestamp",
            offset: 19
        })
    );
    assert_eq!(err.to_string(), "2:3: invalid timestamp syntax at byte 19");
}
