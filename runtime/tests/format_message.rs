//! ProtoJSON and text format for derived messages (`zpb::format::mapping`,
//! `zpb::format::text::parse`): names, options, null and duplicate rules, oneofs, maps,
//! enums, the well-known types' forms, typed errors with positions, and zero allocation when
//! parsing into a reused message.

#[path = "common/alloc.rs"]
mod alloc;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

use std::collections::BTreeMap;
use zpb::format::json::JsonErrorKind;
use zpb::format::text::{merge_text, to_text, TextErrorKind, TextPrintOptions};
use zpb::format::{merge_json, merge_json_with, to_json, JsonOptions, TypeRegistry};
use zpb::well_known::{Any, Duration, Struct, Timestamp, Value};
use zpb::{Message, OpenEnum};

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "t.Color")]
enum Color {
    #[default]
    #[zpb(name = "COLOR_UNSET")]
    Unset = 0,
    #[zpb(name = "RED")]
    Red = 1,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "t.Inner")]
struct Inner {
    #[zpb(1)]
    label: String,
    _state: zpb::MessageState,
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Choice {
    #[zpb(10)]
    Number(i32),
    #[zpb(11, message)]
    Nested(Box<Inner>),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "t.Sample")]
struct Sample {
    #[zpb(1)]
    small: i32,
    #[zpb(2)]
    big_number: i64,
    #[zpb(3)]
    ratio: f64,
    #[zpb(4)]
    blob: Vec<u8>,
    #[zpb(5, enum)]
    color: OpenEnum<Color>,
    #[zpb(6)]
    items: zpb::Repeated<Inner>,
    #[zpb(7, map = "string, int32")]
    counts: BTreeMap<String, i32>,
    #[zpb(8)]
    maybe: Option<u32>,
    #[zpb(9)]
    inner: zpb::MessageField<Inner>,
    #[zpb(oneof = "10, 11")]
    choice: Option<Choice>,
    #[zpb(12, json_name = "custom")]
    renamed: String,
    _state: zpb::MessageState,
}

fn sample() -> Sample {
    let mut s = Sample {
        small: -3,
        big_number: 1 << 40,
        ratio: f64::NAN,
        blob: b"\x00\xffhi".to_vec(),
        color: Color::Red.into(),
        maybe: Some(0),
        choice: Some(Choice::Number(7)),
        renamed: "r".into(),
        ..Default::default()
    };
    s.items.add().label = "a\"b".into();
    s.counts.insert("k".into(), 2);
    s.inner.mut_or_insert().label = "in".into();
    s
}

const SAMPLE_JSON: &str = r#"{"small":-3,"bigNumber":"1099511627776","ratio":"NaN","blob":"AP9oaQ==","color":"RED","items":[{"label":"a\"b"}],"counts":{"k":2},"maybe":0,"inner":{"label":"in"},"number":7,"custom":"r"}"#;

fn parse(text: &str) -> Result<Sample, zpb::format::json::JsonError> {
    let mut m = Sample::default();
    merge_json(&mut m, text.as_bytes(), &JsonOptions::default()).map(|()| m)
}

fn parse_kind(text: &str) -> JsonErrorKind {
    parse(text).expect_err(text).kind
}

/// NaN != NaN: compare through the encoding.
fn same(a: &Sample, b: &Sample) -> bool {
    a.serialize_to_vec().unwrap() == b.serialize_to_vec().unwrap()
}

#[test]
fn prints_json_names_in_field_order() {
    assert_eq!(
        to_json(&sample(), &JsonOptions::default()).unwrap(),
        SAMPLE_JSON
    );
}

#[test]
fn print_options() {
    let options = JsonOptions {
        proto_names: true,
        enums_as_ints: true,
        emit_defaults: true,
        ..JsonOptions::default()
    };
    let text = to_json(&Sample::default(), &options).unwrap();
    assert_eq!(
        text,
        r#"{"small":0,"big_number":"0","ratio":0,"blob":"","color":0,"items":[],"counts":{},"renamed":""}"#
    );
    let s = Sample {
        color: OpenEnum::from_raw(42),
        ..Default::default()
    };
    // An undeclared number prints as a number.
    assert_eq!(
        to_json(&s, &JsonOptions::default()).unwrap(),
        r#"{"color":42}"#
    );
}

#[test]
fn parses_what_it_prints_and_both_names() {
    assert!(same(&parse(SAMPLE_JSON).unwrap(), &sample()));
    let m =
        parse(r#"{"big_number": 5, "renamed": "x", "color": 1, "ratio": "-Infinity"}"#).unwrap();
    assert_eq!(
        (m.big_number, m.renamed.as_str(), m.color.raw()),
        (5, "x", 1)
    );
    assert_eq!(m.ratio, f64::NEG_INFINITY);
    // URL-safe base64 without padding.
    assert_eq!(parse(r#"{"blob": "AP9oaQ"}"#).unwrap().blob, b"\x00\xffhi");
    assert_eq!(parse(r#"{"blob": "_-8"}"#).unwrap().blob, [0xff, 0xef]);
}

#[test]
fn null_means_unset() {
    let m = parse(r#"{"small": null, "maybe": null, "inner": null, "items": null, "counts": null, "number": null}"#)
        .unwrap();
    assert!(same(&m, &Sample::default()));
    assert!(matches!(
        parse_kind(r#"{"items": [null]}"#),
        JsonErrorKind::InvalidValue(_)
    ));
}

#[test]
fn duplicates_and_oneof_conflicts_are_errors() {
    assert_eq!(
        parse_kind(r#"{"small": 1, "small": 2}"#),
        JsonErrorKind::DuplicateKey
    );
    assert_eq!(
        parse_kind(r#"{"bigNumber": 1, "big_number": 2}"#),
        JsonErrorKind::DuplicateKey
    );
    assert_eq!(
        parse_kind(r#"{"number": 1, "nested": {}}"#),
        JsonErrorKind::OneofConflict
    );
    // A null member does not count.
    let m = parse(r#"{"number": null, "nested": {"label": "n"}}"#).unwrap();
    assert!(matches!(m.choice, Some(Choice::Nested(ref n)) if n.label == "n"));
}

#[test]
fn unknown_fields_and_enum_names() {
    assert_eq!(
        parse_kind(r#"{"nope": 1}"#),
        JsonErrorKind::UnknownField("nope".into())
    );
    assert_eq!(
        parse_kind(r#"{"color": "BLUE"}"#),
        JsonErrorKind::UnknownEnumValue
    );
    let ignore = JsonOptions {
        ignore_unknown_fields: true,
        ..JsonOptions::default()
    };
    let mut m = Sample::default();
    merge_json(
        &mut m,
        br#"{"nope": {"deep": [1]}, "color": "BLUE", "small": 4}"#,
        &ignore,
    )
    .unwrap();
    assert_eq!((m.small, m.color.raw()), (4, 0));
}

#[test]
fn errors_have_positions_and_never_panic() {
    let e = parse("{\n  \"small\": 1.5\n}").unwrap_err();
    assert_eq!(e.kind, JsonErrorKind::NotAnInteger);
    assert_eq!((e.position.line, e.position.column), (2, 12));
    assert_eq!(
        parse_kind(r#"{"small": 2147483648}"#),
        JsonErrorKind::NumberOutOfRange
    );
    assert_eq!(parse_kind(r#"{"small": 1} x"#), JsonErrorKind::TrailingData);
    let mut bomb = String::new();
    for _ in 0..150 {
        bomb.push_str(r#"{"fields":{"a":"#);
    }
    let mut s = Struct::default();
    let err = merge_json(&mut s, bomb.as_bytes(), &JsonOptions::default()).unwrap_err();
    assert_eq!(err.kind, JsonErrorKind::DepthLimit(100));
    for cut in 0..SAMPLE_JSON.len() {
        let _ = parse(&SAMPLE_JSON[..cut]);
    }
}

#[test]
fn well_known_forms() {
    let t = Timestamp {
        seconds: 1,
        nanos: 20_000_000,
        ..Default::default()
    };
    assert_eq!(
        to_json(&t, &JsonOptions::default()).unwrap(),
        r#""1970-01-01T00:00:01.020Z""#
    );
    let d = Duration {
        seconds: -1,
        nanos: -500_000_000,
        ..Default::default()
    };
    assert_eq!(
        to_json(&d, &JsonOptions::default()).unwrap(),
        r#""-1.500s""#
    );
    let mut v = Value::default();
    let doc = r#"{"a":[1,"x",true,null,{}]}"#;
    merge_json(&mut v, doc.as_bytes(), &JsonOptions::default()).unwrap();
    assert_eq!(to_json(&v, &JsonOptions::default()).unwrap(), doc);
    let bad = Timestamp {
        seconds: i64::MAX,
        ..Default::default()
    };
    assert!(to_json(&bad, &JsonOptions::default()).is_err());
}

#[test]
fn any_through_the_registry() {
    let mut registry = TypeRegistry::with_well_known();
    registry.add::<Sample>();
    let inner = Sample {
        small: 9,
        ..Default::default()
    };
    let any = Any {
        type_url: "type.googleapis.com/t.Sample".into(),
        value: inner.serialize_to_vec().unwrap(),
        ..Default::default()
    };
    let mut out = String::new();
    zpb::format::write_json(&any, &mut out, &JsonOptions::default(), &registry).unwrap();
    assert_eq!(out, r#"{"@type":"type.googleapis.com/t.Sample","small":9}"#);
    // `@type` may come last.
    let mut back = Any::default();
    merge_json_with(
        &mut back,
        br#"{"small": 9, "@type": "type.googleapis.com/t.Sample"}"#,
        &JsonOptions::default(),
        &registry,
    )
    .unwrap();
    assert_eq!(back, any);
    // Well-known types go under "value"; unknown types are typed errors.
    let wk = r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"2s"}"#;
    let mut a = Any::default();
    merge_json(&mut a, wk.as_bytes(), &JsonOptions::default()).unwrap();
    assert_eq!(to_json(&a, &JsonOptions::default()).unwrap(), wk);
    let err = merge_json(
        &mut Any::default(),
        br#"{"@type":"x/y.Z"}"#,
        &JsonOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, JsonErrorKind::UnknownType("x/y.Z".into()));
}

#[test]
fn json_parse_into_a_reused_message_allocates_nothing() {
    // Everything is parsed into the kept memory, escaped strings decoded straight into kept
    // strings. (Maps: see `maps_parse_into_a_reused_message_without_allocating`.)
    // Escaped keys are decoded on the stack.
    let doc = br#"{"\u0073mall":-3,"bigNumber":"1099511627776","ratio":"NaN","blob":"AP9oaQ==","color":"RED","items":[{"label":"a\"b\u00e9\ud83d\ude00"},{"l\u0061bel":"c"}],"maybe":0,"inner":{"label":"in\\"},"number":7,"cu\u0073tom":"r\t"}"#;
    let options = JsonOptions::default();
    let mut m = Sample::default();
    merge_json(&mut m, doc, &options).unwrap();
    // The first clear makes room to keep the oneof's member (and map entries) for reuse.
    m.clear();
    merge_json(&mut m, doc, &options).unwrap();
    let ((), allocs) = alloc::count(|| {
        for _ in 0..3 {
            m.clear();
            merge_json(&mut m, doc, &options).unwrap();
        }
    });
    assert_eq!(allocs.count, 0, "{allocs:?}");
    assert_eq!(m.items.len(), 2);
    assert_eq!(m.items[0].label, "a\"b\u{e9}\u{1f600}");
    assert_eq!(m.inner.get().map(|i| i.label.as_str()), Some("in\\"));
    assert_eq!(m.renamed, "r\t");
}

#[test]
fn text_parse_round_trip_and_errors() {
    let s = sample();
    let text = to_text(&s, &TextPrintOptions::default());
    let mut back = Sample::default();
    merge_text(&mut back, text.as_bytes()).unwrap();
    assert!(same(&back, &s), "{text}");
    let mut m = Sample::default();
    merge_text(
        &mut m,
        b"small: -0x10 # hex\n items [{label: 'a' \"b\"}, <label: \"c\">] counts { key: \"z\" value: 1 } color: 1 nested {}",
    )
    .unwrap();
    assert_eq!(m.small, -16);
    assert_eq!(m.items.len(), 2);
    assert_eq!(m.items[0].label, "ab");
    assert_eq!(m.counts["z"], 1);
    assert_eq!(m.color.raw(), 1);
    assert!(matches!(m.choice, Some(Choice::Nested(_))));
    let err = merge_text(&mut Sample::default(), b"small: 1\n  nope: 2").unwrap_err();
    assert_eq!(err.kind, TextErrorKind::UnknownField);
    assert_eq!((err.position.line, err.position.column), (2, 3));
    let err = merge_text(&mut Sample::default(), b"color: BLUE").unwrap_err();
    assert_eq!(err.kind, TextErrorKind::UnknownEnumValue);
    // An expanded Any: the type URL may have whitespace and comments inside, as in C++.
    let mut any = Any::default();
    merge_text(
        &mut any,
        b"[type.google # c\n apis.com/google.protobuf. Duration] { seconds: 2 }",
    )
    .unwrap();
    assert_eq!(any.type_url, "type.googleapis.com/google.protobuf.Duration");
    assert_eq!(Duration::parse_from_slice(&any.value).unwrap().seconds, 2);
    let deep = "inner {".repeat(200);
    assert!(merge_text(&mut Sample::default(), deep.as_bytes()).is_err());
}

#[test]
fn text_parse_into_a_reused_message_allocates_nothing() {
    // Escaped and concatenated strings are decoded straight into kept strings and byte
    // buffers. (Maps: see `maps_parse_into_a_reused_message_without_allocating`.)
    let text =
        br#"small: 1 big_number: 2 items { label: "x\n" 'y' } items { label: "\303\251\U0001F600" }
                   inner { label: "z" } blob: "\x00\377ab""#;
    let mut m = Sample::default();
    merge_text(&mut m, text).unwrap();
    let ((), allocs) = alloc::count(|| {
        for _ in 0..3 {
            m.clear();
            merge_text(&mut m, text).unwrap();
        }
    });
    assert_eq!(allocs.count, 0, "{allocs:?}");
    assert_eq!(m.items[0].label, "x\ny");
    assert_eq!(m.items[1].label, "\u{e9}\u{1f600}");
    assert_eq!(m.blob, b"\x00\xffab");
}

/// Hash maps of each key and value shape (a B-tree keeps no spare nodes, so a `BTreeMap`
/// allocates a node per parse, in binary too).
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "t.Maps")]
struct Maps {
    #[zpb(1, map = "string, int32")]
    counts: std::collections::HashMap<String, i32>,
    #[zpb(2, map = "int64, string")]
    names: std::collections::HashMap<i64, String>,
    #[zpb(3, map = "bool, message")]
    inners: std::collections::HashMap<bool, Inner>,
    #[zpb(4, map = "string, bytes")]
    blobs: std::collections::HashMap<String, Vec<u8>>,
    _state: zpb::MessageState,
}

#[test]
fn maps_parse_into_a_reused_message_without_allocating() {
    // Entries are read into the key and value pairs `clear()` kept; escaped keys and values
    // are decoded straight into them (escaped integer and bool keys on the stack).
    let json = br#"{"\u0063ounts":{"k":2,"\u00e9\n":3,"plain":4},"names":{"\u002d7":"seven\t","8":""},"inners":{"tru\u0065":{"label":"t\""},"false":{}},"blobs":{"b\\":"AP8="}}"#;
    let text = br#"counts { key: "k" value: 2 } counts [{ key: "\303\251\n" value: 3 }, { key: "plain" value: 4 }]
                   names { key: -7 value: "seven\t" } names { key: 8 }
                   inners { key: true value { label: 't"' } } inners { key: false value {} }
                   blobs { key: "b\\" value: "\000\377" }"#;
    let check = |m: &Maps| {
        assert_eq!(m.counts.len(), 3);
        assert_eq!(m.counts["\u{e9}\n"], 3);
        assert_eq!(m.names[&-7], "seven\t");
        assert_eq!(m.names[&8], "");
        assert_eq!(m.inners[&true].label, "t\"");
        assert_eq!(m.blobs["b\\"], b"\x00\xff");
    };
    let options = JsonOptions::default();
    let mut m = Maps::default();
    merge_json(&mut m, json, &options).unwrap();
    check(&m);
    let from_json = m.clone();
    m.clear();
    merge_text(&mut m, text).unwrap();
    check(&m);
    assert!(m == from_json, "JSON and text give the same maps");
    let ((), allocs) = alloc::count(|| {
        for _ in 0..3 {
            m.clear();
            merge_json(&mut m, json, &options).unwrap();
            m.clear();
            merge_text(&mut m, text).unwrap();
        }
    });
    assert_eq!(allocs.count, 0, "{allocs:?}");
    check(&m);
}

#[test]
fn text_printing_of_unknown_fields() {
    let mut m = Inner::default();
    // Field 5: a varint; field 6: bytes that parse as a message (field 1 = 111).
    m.merge_from_slice(&[0x28, 0x01, 0x32, 0x02, 0x08, 0x6f])
        .unwrap();
    assert_eq!(
        to_text(&m, &TextPrintOptions::default()),
        "5: 1\n6 {\n  1: 111\n}\n"
    );
    let drop = TextPrintOptions {
        print_unknown_fields: false,
        single_line: true,
    };
    assert_eq!(to_text(&m, &drop), "");
    // Floats as C++ prints them.
    let s = Sample {
        ratio: 1e30,
        ..Default::default()
    };
    assert_eq!(format!("{s:?}"), "ratio: 1e+30");
}

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "t.Aliased")]
enum Aliased {
    #[default]
    #[zpb(name = "ZERO")]
    Zero = 0,
    #[zpb(name = "ONE", aliases = "UNO, uno")]
    One = 1,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "t.Extendable", reserved_names = "old, gone")]
struct Extendable {
    #[zpb(1, enum)]
    a: OpenEnum<Aliased>,
    _state: zpb::MessageState,
}

const EXT_NUMBER: zpb::Extension<Extendable, zpb::kind::Int64> =
    zpb::Extension::new(100, "t.ext_number");
const EXT_INNER: zpb::Extension<Extendable, zpb::kind::Msg<Inner>> =
    zpb::Extension::new(101, "t.ext_inner");

#[test]
fn enum_aliases_parse_and_print_the_first_name() {
    let mut m = Extendable::default();
    merge_json(&mut m, br#"{"a": "uno"}"#, &JsonOptions::default()).unwrap();
    assert_eq!(m.a.raw(), 1);
    assert_eq!(
        to_json(&m, &JsonOptions::default()).unwrap(),
        r#"{"a":"ONE"}"#
    );
    let mut t = Extendable::default();
    merge_text(&mut t, b"a: UNO").unwrap();
    assert_eq!(t.a.raw(), 1);
}

#[test]
fn reserved_names_are_skipped_in_text_only() {
    let mut m = Extendable::default();
    merge_text(
        &mut m,
        b"old: 1 gone { x: [1, 2] y < z: 'q' > } a: ONE old: [-1.5, inf]",
    )
    .unwrap();
    assert_eq!(m.a.raw(), 1);
    assert!(merge_text(&mut m, b"old: ").is_err());
    assert!(merge_json(&mut m, br#"{"old": 1}"#, &JsonOptions::default()).is_err());
}

#[test]
fn extension_names_parse_into_a_reused_message_without_allocating() {
    // Bracketed text names are gathered on the stack, escaped JSON keys decoded there.
    let mut registry = TypeRegistry::new();
    registry.add_extension(&EXT_NUMBER);
    let options = JsonOptions::default();
    let json = br#"{"a":"ONE","[t.ext_n\u0075mber]":"-5"}"#;
    let text = b"a: ONE [t . ext_number]: -5";
    let mut m = Extendable::default();
    merge_json_with(&mut m, json, &options, &registry).unwrap();
    let from_json = m.clone();
    m.clear();
    zpb::format::text::merge_text_with(&mut m, text, &registry).unwrap();
    assert!(m == from_json);
    assert_eq!(EXT_NUMBER.get(&m).unwrap(), Some(-5));
    let ((), allocs) = alloc::count(|| {
        for _ in 0..3 {
            m.clear();
            merge_json_with(&mut m, json, &options, &registry).unwrap();
            m.clear();
            zpb::format::text::merge_text_with(&mut m, text, &registry).unwrap();
        }
    });
    // The names, escaped or bracketed, allocate nothing, and each value is encoded straight
    // into the unknown fields' kept buffer.
    assert_eq!(allocs.count, 0, "{allocs:?}");
    assert_eq!(EXT_NUMBER.get(&m).unwrap(), Some(-5));
}

#[test]
fn registered_extensions_in_json_and_text() {
    let mut registry = TypeRegistry::with_well_known();
    registry
        .add_extension(&EXT_NUMBER)
        .add_extension(&EXT_INNER);
    let options = JsonOptions::default();
    let mut m = Extendable::default();
    let doc = br#"{"a":"ONE","[t.ext_number]":"-5","[t.ext_inner]":{"label":"x"}}"#;
    merge_json_with(&mut m, doc, &options, &registry).unwrap();
    assert_eq!(EXT_NUMBER.get(&m).unwrap(), Some(-5));
    assert_eq!(EXT_INNER.get(&m).unwrap().unwrap().label, "x");
    let mut out = String::new();
    zpb::format::write_json(&m, &mut out, &options, &registry).unwrap();
    assert_eq!(out.as_bytes(), doc);
    // Without the registry, an extension key is an unknown field.
    assert_eq!(
        merge_json(&mut Extendable::default(), doc, &options)
            .unwrap_err()
            .kind,
        JsonErrorKind::UnknownField("[t.ext_number]".into())
    );
    let text = zpb::format::text::to_text_with(&m, &TextPrintOptions::default(), &registry);
    assert_eq!(
        text,
        "a: ONE\n[t.ext_number]: -5\n[t.ext_inner] {\n  label: \"x\"\n}\n"
    );
    let mut back = Extendable::default();
    zpb::format::text::merge_text_with(&mut back, text.as_bytes(), &registry).unwrap();
    assert_eq!(back, m);
    assert_eq!(
        merge_text(&mut Extendable::default(), text.as_bytes())
            .unwrap_err()
            .kind,
        TextErrorKind::UnknownField
    );
}

const EXT_SAMPLES: zpb::RepeatedExtension<Extendable, zpb::kind::SInt32> =
    zpb::RepeatedExtension::new(102, "t.ext_samples");
const EXT_ITEMS: zpb::RepeatedExtension<Extendable, zpb::kind::Msg<Inner>> =
    zpb::RepeatedExtension::new(103, "t.ext_items");

#[test]
fn registered_repeated_extensions_in_json_and_text() {
    let mut registry = TypeRegistry::with_well_known();
    registry
        .add_repeated_extension(&EXT_SAMPLES)
        .add_repeated_extension(&EXT_ITEMS);
    let options = JsonOptions::default();
    let mut m = Extendable::default();
    let doc = br#"{"[t.ext_samples]":[-1,0,7],"[t.ext_items]":[{"label":"x"},{}]}"#;
    merge_json_with(&mut m, doc, &options, &registry).unwrap();
    assert_eq!(EXT_SAMPLES.get(&m).unwrap(), [-1, 0, 7]);
    let items = EXT_ITEMS.get(&m).unwrap();
    assert_eq!((items.len(), items[0].label.as_str()), (2, "x"));
    let mut out = String::new();
    zpb::format::write_json(&m, &mut out, &options, &registry).unwrap();
    assert_eq!(out.as_bytes(), doc);
    // `null` adds nothing; a `null` element is an error, as in a repeated field.
    merge_json_with(&mut m, br#"{"[t.ext_samples]":null}"#, &options, &registry).unwrap();
    assert_eq!(EXT_SAMPLES.len(&m), 3);
    let err = merge_json_with(
        &mut m,
        br#"{"[t.ext_samples]":[1,null]}"#,
        &options,
        &registry,
    )
    .unwrap_err();
    assert!(matches!(err.kind, JsonErrorKind::InvalidValue(_)), "{err}");

    let text = zpb::format::text::to_text_with(
        &m,
        &TextPrintOptions {
            single_line: true,
            ..Default::default()
        },
        &registry,
    );
    assert_eq!(
        text,
        "[t.ext_samples]: -1 [t.ext_samples]: 0 [t.ext_samples]: 7 [t.ext_items] { label: \"x\" } [t.ext_items] { }"
    );
    let mut back = Extendable::default();
    zpb::format::text::merge_text_with(&mut back, text.as_bytes(), &registry).unwrap();
    assert_eq!(EXT_SAMPLES.get(&back).unwrap(), [-1, 0, 7]);
    assert_eq!(EXT_ITEMS.get(&back).unwrap(), items);
    // The list form reads too.
    let mut listed = Extendable::default();
    zpb::format::text::merge_text_with(
        &mut listed,
        b"[t.ext_samples]: [-1, 0] [t.ext_samples]: 7 [t.ext_items] [{label: 'x'}, <>]",
        &registry,
    )
    .unwrap();
    assert_eq!(EXT_SAMPLES.get(&listed).unwrap(), [-1, 0, 7]);
    assert_eq!(EXT_ITEMS.get(&listed).unwrap(), items);
}
