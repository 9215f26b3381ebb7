//! Cross-check of `zpb::format` against Google's Python protobuf: every row of
//! fixtures/format_cases.txt (written by make_format_cases.py) is an input and what Python's
//! `json_format` / `text_format` / well-known types make of it; zpb must agree.
//!
//! Known, intended differences, checked as such: zpb prints integral floats without `.0`
//! (`1`, as C++ does; Python prints `1.0`) and escapes `<` `>` in JSON strings (as C++ does).

use zpb::format::json::{JsonReader, JsonWriter, WriteOptions};
use zpb::format::text::{escape_bytes, escape_str, Lexer, TokenKind};
use zpb::format::well_known::{duration, field_mask, timestamp};
use zpb::format::{base64, float};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn rows(kind: &str) -> Vec<Vec<&'static str>> {
    let rows: Vec<Vec<&str>> = include_str!("fixtures/format_cases.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols[0] == kind)
        .map(|cols| cols[1..].to_vec())
        .collect();
    assert!(rows.len() >= 100, "too few {kind} rows: {}", rows.len());
    rows
}

/// Python's float text without the `.0` C++ and zpb leave off.
fn without_point_zero(python: &str) -> &str {
    python.strip_suffix(".0").unwrap_or(python)
}

fn write_json(f: impl FnOnce(&mut JsonWriter<'_>)) -> String {
    let mut out = String::new();
    f(&mut JsonWriter::new(&mut out, WriteOptions::default()));
    out
}

#[test]
fn doubles_print_as_python_and_read_back() {
    for row in rows("f64") {
        let v = f64::from_bits(u64::from_str_radix(row[0], 16).unwrap());
        let ours = write_json(|w| w.f64(v));
        assert_eq!(ours, without_point_zero(row[1]), "bits {}", row[0]);
        let read = JsonReader::new(row[1].as_bytes()).read_f64().unwrap();
        assert_eq!(read.to_bits(), v.to_bits(), "{}", row[1]);
    }
}

#[test]
fn floats_print_as_python_and_read_back() {
    for row in rows("f32") {
        let v = f32::from_bits(u32::from_str_radix(row[0], 16).unwrap());
        let ours = write_json(|w| w.f32(v));
        assert_eq!(ours, without_point_zero(row[1]), "bits {}", row[0]);
        let read = JsonReader::new(ours.as_bytes()).read_f32().unwrap();
        assert_eq!(read.to_bits(), v.to_bits(), "{ours}");
    }
    // The shared float printer gives the same digits to the text format.
    let mut s = String::new();
    float::write_f32(&mut s, 0.1).unwrap();
    assert_eq!(s, "0.1");
}

#[test]
fn timestamps_print_and_parse_as_python() {
    for row in rows("ts") {
        let (seconds, nanos): (i64, i32) = (row[0].parse().unwrap(), row[1].parse().unwrap());
        let mut out = String::new();
        timestamp::format(seconds, nanos, &mut out).unwrap();
        assert_eq!(out, row[2]);
        assert_eq!(timestamp::parse(&out), Ok((seconds, nanos)));
    }
    for row in rows("tsparse") {
        let want = (row[1].parse().unwrap(), row[2].parse().unwrap());
        assert_eq!(timestamp::parse(row[0]), Ok(want), "{}", row[0]);
    }
}

#[test]
fn durations_print_and_parse_as_python() {
    for row in rows("dur") {
        let (seconds, nanos): (i64, i32) = (row[0].parse().unwrap(), row[1].parse().unwrap());
        let mut out = String::new();
        duration::format(seconds, nanos, &mut out).unwrap();
        assert_eq!(out, row[2]);
        assert_eq!(duration::parse(&out), Ok((seconds, nanos)));
    }
    for row in rows("durparse") {
        let want = (row[1].parse().unwrap(), row[2].parse().unwrap());
        assert_eq!(duration::parse(row[0]), Ok(want), "{}", row[0]);
    }
}

#[test]
fn field_mask_paths_convert_as_python() {
    for row in rows("fm") {
        let mut out = String::new();
        match field_mask::snake_to_camel(row[0], &mut out) {
            Ok(()) => assert_eq!(out, row[1], "{}", row[0]),
            Err(_) => assert_eq!(row[1], "ERR", "{}", row[0]),
        }
    }
    for row in rows("fmparse") {
        let mut scratch = String::new();
        let mut paths = Vec::new();
        match field_mask::parse(row[0], &mut scratch, |p| paths.push(p.to_owned())) {
            Ok(()) => assert_eq!(paths.join(","), row[1], "{}", row[0]),
            Err(_) => assert_eq!(row[1], "ERR", "{}", row[0]),
        }
    }
}

#[test]
fn json_strings_escape_as_python_ascii_and_read_back() {
    let ascii = WriteOptions {
        ascii_only: true,
        ..WriteOptions::default()
    };
    let mut scratch = String::new();
    for row in rows("jstr") {
        let s = String::from_utf8(hex(row[0])).unwrap();
        let mut out = String::new();
        JsonWriter::new(&mut out, ascii).string(&s);
        assert_eq!(out, row[1], "{s:?}");
        assert_eq!(
            JsonReader::new(row[1].as_bytes())
                .read_str(&mut scratch)
                .unwrap(),
            s
        );
        // The default (UTF-8 kept) output reads back too.
        let utf8 = write_json(|w| w.string(&s));
        assert_eq!(
            JsonReader::new(utf8.as_bytes())
                .read_str(&mut scratch)
                .unwrap(),
            s
        );
    }
}

#[test]
fn json_integers_read_as_python() {
    for row in rows("jint") {
        let mut r = JsonReader::new(row[1].as_bytes());
        let ours = match row[0] {
            "Int32Value" => r.read_i32().map(|v| v.to_string()),
            "Int64Value" => r.read_i64().map(|v| v.to_string()),
            "UInt32Value" => r.read_u32().map(|v| v.to_string()),
            "UInt64Value" => r.read_u64().map(|v| v.to_string()),
            other => panic!("unknown type {other}"),
        };
        let ours = ours.unwrap_or_else(|_| "ERR".to_owned());
        assert_eq!(ours, row[2], "{} {}", row[0], row[1]);
    }
}

#[test]
fn json_floats_read_as_python() {
    for row in rows("jfloat") {
        let mut r = JsonReader::new(row[1].as_bytes());
        let ours = match row[0] {
            "FloatValue" => r.read_f32().map(|v| format!("{:08x}", v.to_bits())),
            _ => r.read_f64().map(|v| format!("{:016x}", v.to_bits())),
        };
        let ours = ours.unwrap_or_else(|_| "ERR".to_owned());
        assert_eq!(ours, row[2], "{} {}", row[0], row[1]);
    }
}

#[test]
fn base64_as_python() {
    for row in rows("b64") {
        let mut out = String::new();
        base64::encode(&hex(row[0]), &mut out);
        assert_eq!(out, row[1]);
    }
    let mut buf = Vec::new();
    for row in rows("b64parse") {
        buf.clear();
        base64::decode(row[0].as_bytes(), &mut buf).unwrap();
        assert_eq!(buf, hex(row[1]), "{}", row[0]);
    }
}

#[test]
fn text_string_literals_decode_as_python() {
    let mut scratch = Vec::new();
    for row in rows("tlit") {
        let mut lexer = Lexer::new(row[0].as_bytes());
        let token = lexer.next().unwrap();
        assert_eq!(token.kind, TokenKind::String, "{}", row[0]);
        assert_eq!(token.string_value(&mut scratch), hex(row[1]), "{}", row[0]);
        assert_eq!(lexer.next().unwrap().kind, TokenKind::End, "{}", row[0]);
    }
}

#[test]
fn text_escaping_as_python_and_read_back() {
    let mut scratch = Vec::new();
    for row in rows("tescb") {
        let bytes = hex(row[0]);
        let mut out = String::new();
        escape_bytes(&mut out, &bytes).unwrap();
        assert_eq!(out, row[1]);
        let quoted = format!("\"{out}\"");
        let token = Lexer::new(quoted.as_bytes()).next().unwrap();
        assert_eq!(token.string_value(&mut scratch), bytes);
    }
    for row in rows("tescs") {
        let s = String::from_utf8(hex(row[0])).unwrap();
        let mut out = String::new();
        escape_str(&mut out, &s).unwrap();
        assert_eq!(out, row[1]);
        let quoted = format!("'{out}'");
        let token = Lexer::new(quoted.as_bytes()).next().unwrap();
        assert_eq!(token.string_value(&mut scratch), s.as_bytes());
    }
}

#[test]
fn text_numbers_as_python() {
    for row in rows("tint") {
        let token = Lexer::new(row[0].as_bytes()).next();
        let ours = match token.and_then(|t| t.integer()) {
            Ok(v) => v.to_string(),
            Err(_) => "ERR".to_owned(),
        };
        assert_eq!(ours, row[1], "{}", row[0]);
    }
    for row in rows("tfloat") {
        let token = Lexer::new(row[0].as_bytes()).next().unwrap();
        let v = token.float().unwrap();
        assert_eq!(format!("{:016x}", v.to_bits()), row[1], "{}", row[0]);
    }
}

#[test]
fn fixtures_are_what_python_produces_now() {
    let Some(python) = zpb_test_support::python("the Python half of this test") else {
        return;
    };
    let out = std::env::temp_dir().join(format!("zpb_format_cases_{}.txt", std::process::id()));
    let status = std::process::Command::new(python)
        .arg(zpb_test_support::repo_root().join("runtime/tests/fixtures/make_format_cases.py"))
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let fresh = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    assert!(
        fresh == include_str!("fixtures/format_cases.txt"),
        "fixtures/format_cases.txt is stale: regenerate it with make_format_cases.py"
    );
}
