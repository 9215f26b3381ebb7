//! Cross-check against Google's Python protobuf: every input in fixtures/python_cases.txt is
//! parsed by zpb and written back, and must give exactly the bytes Python wrote (known fields
//! in field-number order, unknown fields kept and appended, canonical varints), and the same
//! text format where no unknown fields are involved.

mod common;

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;
use common::schema::*;
use zpb::Message;

struct Case {
    name: String,
    message: String,
    input: Vec<u8>,
    python_output: Vec<u8>,
    text: String,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn cases() -> Vec<Case> {
    include_str!("fixtures/python_cases.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            Case {
                name: parts[0].into(),
                message: parts[1].into(),
                input: hex(parts[2]),
                python_output: hex(parts[3]),
                text: parts[4].into(),
            }
        })
        .collect()
}

/// Cases whose maps hold several entries: map order on the wire is unspecified, so these are
/// compared by content.
const UNORDERED: &[&str] = &["p3_map_entry_edge_cases"];

fn check<M: Message + PartialEq>(case: &Case) {
    let parsed = M::parse_partial_from_slice(&case.input)
        .unwrap_or_else(|e| panic!("{}: zpb rejected Python's bytes: {e}", case.name));
    let out = parsed.serialize_partial_to_vec().unwrap();
    if UNORDERED.contains(&case.name.as_str()) {
        let from_python = M::parse_partial_from_slice(&case.python_output).unwrap();
        assert!(from_python == parsed, "{}: content differs", case.name);
    } else {
        assert_eq!(
            out, case.python_output,
            "{}: zpb wrote {:02x?}, Python {:02x?}",
            case.name, out, case.python_output
        );
    }
    assert_eq!(out.len(), parsed.byte_size(), "{}", case.name);
    // (Python's text format of map entries with unknown fields is its own; skip those.)
    let comparable = !case.name.contains("unknown") && !UNORDERED.contains(&case.name.as_str());
    if parsed.unknown_fields().is_empty() && comparable {
        assert_eq!(
            format!("{parsed:?}"),
            integral_floats_as_cpp(&case.text),
            "{}: text format",
            case.name
        );
    }
}

/// Python writes an integral double as `repr` does (`-0.0`, `2.0`); C++, whose printing zpb
/// follows, writes `-0`, `2`. Every other byte of the two outputs is the same.
fn integral_floats_as_cpp(text: &str) -> String {
    text.split(' ')
        .map(|token| {
            let digits = token.strip_prefix('-').unwrap_or(token);
            match digits.strip_suffix(".0") {
                Some(int) if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) => {
                    &token[..token.len() - 2]
                }
                _ => token,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn zpb_writes_back_exactly_what_python_writes() {
    let cases = cases();
    assert!(cases.len() >= 26, "fixture file lost cases");
    for case in &cases {
        match case.message.as_str() {
            "AllKinds" => check::<AllKinds>(case),
            "Nested" => check::<Nested>(case),
            "Proto2Kinds" => check::<Proto2Kinds>(case),
            other => panic!("unknown message type {other}"),
        }
    }
}

fn case(name: &str) -> Case {
    cases().into_iter().find(|c| c.name == name).unwrap()
}

#[test]
fn messages_built_with_accessors_match_python_bytes() {
    // p3_scalars, built with zpb's accessors.
    let mut m = AllKinds::default();
    m.set_i32(-1);
    m.set_i64(i64::MIN);
    m.set_u32(u32::MAX);
    m.set_u64(u64::MAX);
    m.set_s32(i32::MIN);
    m.set_s64(i64::MAX);
    m.set_f32(u32::MAX);
    m.set_f64(1);
    m.set_sf32(-2);
    m.set_sf64(i64::MIN);
    m.set_fl(1.5);
    m.set_db(-0.0);
    m.set_b(true);
    m.set_str("h\u{e9}llo \u{2713}");
    m.set_by(vec![0, 0xff]);
    m.mutable_nested().set_a(150);
    m.mutable_nested().set_s("n");
    m.set_color(Color::Negative);
    m.set_big_field(1);
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p3_scalars").python_output
    );

    // p3_repeated.
    let mut m = AllKinds::default();
    for v in [0, -1, 300] {
        m.add_r_i32(v);
    }
    m.mutable_r_s64().extend([-1, 1, i64::MIN]);
    m.mutable_r_f32().extend([1, u32::MAX]);
    m.mutable_r_db()
        .extend([f64::INFINITY, f64::NEG_INFINITY, 0.25]);
    m.mutable_r_b().extend([true, false]);
    m.mutable_r_unpacked().extend([1, 2]);
    m.add_r_str().push('a');
    m.add_r_str();
    m.add_r_by();
    m.add_r_by().push(b'x');
    m.add_r_nested().set_a(1);
    m.add_r_nested().add_children().set_s("deep");
    m.add_r_color(Color::Red);
    m.add_r_color(zpb::OpenEnum::from_raw(5));
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p3_repeated").python_output
    );
    assert_eq!(m.r_nested_size(), 2);
    assert_eq!(m.r_i32_at(2), 300);
    assert_eq!(m.r_str_at(0), "a");

    // p3_maps (one entry each, so the order is fixed).
    let mut m = AllKinds::default();
    m.mutable_m_str_i32().insert("k".into(), -3);
    m.mutable_m_i64_nested().entry(-5).or_default().set_a(1);
    m.mutable_m_u32_str().insert(7, "seven".into());
    m.mutable_m_bool_color().insert(true, Color::Green.into());
    m.mutable_m_s32_by().insert(-1, vec![1]);
    assert_eq!(m.serialize_to_vec().unwrap(), case("p3_maps").python_output);

    // Oneof members.
    let mut m = AllKinds::default();
    m.set_o_u32(0);
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p3_oneof_o_u32").python_output
    );
    m.mutable_o_nested();
    assert!(!m.has_o_u32() && m.has_o_nested());
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p3_oneof_o_nested").python_output
    );

    // proto3 optional with zero values is present.
    let mut m = AllKinds::default();
    m.set_opt_i32(0);
    m.mutable_opt_str();
    assert!(m.has_opt_i32() && m.has_opt_str());
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p3_optional_zero").python_output
    );

    // p2_all_set.
    let mut m = Proto2Kinds::default();
    m.set_i32(7);
    m.set_str("s");
    m.set_by(b"b".to_vec());
    m.set_db(2.5);
    m.set_fl(-1.0);
    m.set_b(false);
    m.set_size(Size::Large);
    m.set_req(-9);
    m.mutable_inner().set_id(1);
    m.mutable_inner().set_label("l");
    m.add_inners().set_id(2);
    m.add_inners().set_id(3);
    m.add_sizes(Size::Small);
    m.add_sizes(Size::Large);
    m.add_packed_sizes(Size::Medium);
    m.add_packed_sizes(Size::Large);
    m.add_unpacked_ints(-1);
    m.add_unpacked_ints(1);
    m.mutable_grp().set_g_a(5);
    m.mutable_grp().set_g_s("g");
    m.add_rgrp().set_r_a(1);
    m.add_rgrp().set_r_a(2);
    m.mutable_size_map().insert("x".into(), Size::Large);
    m.set_o_size(Size::Small);
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p2_all_set").python_output
    );
}

#[test]
fn proto2_defaults_read_through_accessors() {
    let m = Proto2Kinds::default();
    assert_eq!(m.i32(), -7);
    assert_eq!(m.str(), "hi \"there\"");
    assert_eq!(m.by(), b"\x01\x02");
    assert_eq!(m.db(), f64::INFINITY);
    assert_eq!(m.fl(), 1.5);
    assert!(m.b());
    assert_eq!(m.size(), Size::Medium);
    assert!(!m.has_i32() && !m.has_str() && !m.has_size());
    assert_eq!(m.inner().id(), 0);
    // mutable_x() on an unset field with a default starts from the default, as in C++.
    let mut m = Proto2Kinds::default();
    m.mutable_str().push('!');
    assert_eq!(m.str(), "hi \"there\"!");
    // A default value that is present is written.
    let mut m = Proto2Kinds::default();
    m.set_req(1);
    m.set_i32(-7);
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        case("p2_default_value_present").python_output
    );
}

#[test]
fn closed_enum_unknown_values_are_kept_as_unknown_fields() {
    let c = case("p2_closed_enum_unknown");
    let m = Proto2Kinds::parse_from_slice(&c.input).unwrap();
    assert_eq!(
        m.size(),
        Size::Medium,
        "9 is not a Size: the field stays unset"
    );
    assert!(!m.has_size());
    assert_eq!(m.sizes(), &[Size::Medium]);
    assert_eq!(m.packed_sizes(), &[Size::Large, Size::Small]);
    assert_eq!(m.size_map().len(), 1);
    assert!(m.pick.is_none());
    let unknown: Vec<_> = m
        .unknown_fields()
        .iter()
        .map(|f| f.unwrap().field_number)
        .collect();
    assert_eq!(unknown, [7, 11, 12, 19, 21]);
}

#[test]
fn fixtures_are_what_python_produces_now() {
    let Some(python) = zpb_test_support::python("the Python half of this test") else {
        return;
    };
    let out = std::env::temp_dir().join(format!("zpb_python_cases_{}.txt", std::process::id()));
    let status = std::process::Command::new(python)
        .arg(zpb_test_support::repo_root().join("runtime/tests/fixtures/make_python_cases.py"))
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let fresh = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    // Compare every column but, for cases with several map entries, Python's output (its map
    // order varies from run to run).
    let rows = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                if UNORDERED.contains(&cols[0]) {
                    cols[..3].join("\t")
                } else {
                    l.to_string()
                }
            })
            .collect()
    };
    let (fresh, checked_in) = (
        rows(&fresh),
        rows(include_str!("fixtures/python_cases.txt")),
    );
    assert_eq!(
        fresh.len(),
        checked_in.len(),
        "case count changed: regenerate the fixtures"
    );
    for (a, b) in fresh.iter().zip(&checked_in) {
        assert_eq!(
            a, b,
            "fixtures/python_cases.txt is stale: regenerate it with make_python_cases.py"
        );
    }
}
