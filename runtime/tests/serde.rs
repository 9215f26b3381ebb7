//! The `serde` feature: derived messages serialize to their ProtoJSON form (so
//! `serde_json::to_string` gives zpb's own JSON) and deserialize from whatever zpb's JSON
//! parser accepts, through serde_json and through a non-JSON format (CBOR).
#![cfg(feature = "serde")]

use std::collections::BTreeMap;
use zpb::format::{merge_json, to_json, JsonOptions};
use zpb::well_known::{Duration, Timestamp};
use zpb::OpenEnum;

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "s.Kind")]
enum Kind {
    #[default]
    #[zpb(name = "KIND_UNSET")]
    Unset = 0,
    #[zpb(name = "KIND_LARGE")]
    Large = 1,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "s.Inner")]
struct Inner {
    #[zpb(1)]
    label: String,
    _state: zpb::MessageState,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "s.Record")]
struct Record {
    #[zpb(1)]
    id: u64,
    #[zpb(2)]
    delta: i32,
    #[zpb(3)]
    ratio: f64,
    #[zpb(4)]
    weight: f32,
    #[zpb(5)]
    blob: Vec<u8>,
    #[zpb(6, enum)]
    kind: OpenEnum<Kind>,
    #[zpb(7)]
    inners: zpb::Repeated<Inner>,
    #[zpb(8, map = "string, sint64")]
    totals: BTreeMap<String, i64>,
    #[zpb(9)]
    since: zpb::MessageField<Timestamp>,
    #[zpb(10)]
    ttl: zpb::MessageField<Duration>,
    #[zpb(11)]
    note: Option<String>,
    #[zpb(12)]
    flags: Vec<bool>,
    _state: zpb::MessageState,
}

fn record() -> Record {
    let mut r = Record {
        id: u64::MAX,
        delta: -7,
        ratio: f64::NAN,
        weight: 0.1,
        blob: b"\x00\xffhi".to_vec(),
        kind: Kind::Large.into(),
        note: Some("caf\u{e9} \"q\"\n".into()),
        flags: vec![true, false],
        ..Default::default()
    };
    r.inners.add().label = "a".into();
    r.inners.add();
    r.totals.insert("x".into(), -(1 << 40));
    r.since.mut_or_insert().seconds = 1_700_000_000;
    r.ttl.mut_or_insert().nanos = 500_000_000;
    r
}

fn same(a: &Record, b: &Record) -> bool {
    use zpb::Message;
    a.serialize_to_vec().unwrap() == b.serialize_to_vec().unwrap()
}

#[test]
fn serde_json_prints_zpbs_json() {
    let r = record();
    let zpb = to_json(&r, &JsonOptions::default()).unwrap();
    assert_eq!(serde_json::to_string(&r).unwrap(), zpb);
    // A well-known type's special form, at the top level too.
    let d = Duration {
        seconds: -3,
        nanos: -10_000,
        ..Default::default()
    };
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"-3.000010s\"");
    assert_eq!(serde_json::to_string(&Record::default()).unwrap(), "{}");
}

#[test]
fn serde_json_reads_what_zpb_reads() {
    let r = record();
    let zpb = to_json(&r, &JsonOptions::default()).unwrap();
    let back: Record = serde_json::from_str(&zpb).unwrap();
    assert!(same(&back, &r));
    // Proto names, quoted and exponent numbers, URL-safe base64, enum numbers, null.
    let loose = r#"{"id":"18446744073709551615","delta":-7.0,"ratio":"NaN","weight":1e-1,
        "blob":"AP9oaQ","kind":1,"inners":[{"label":"a"},{}],"totals":{"x":"-1099511627776"},
        "since":"2023-11-14T22:13:20Z","ttl":"0.5s","note":"caf\u00e9 \"q\"\n",
        "flags":[true,false],"unset":null}"#;
    let err = serde_json::from_str::<Record>(loose).unwrap_err();
    assert!(err.to_string().contains("unset"), "{err}");
    let loose = loose.replace(",\"unset\":null", "");
    let back: Record = serde_json::from_str(&loose).unwrap();
    assert!(same(&back, &r));
    let mut direct = Record::default();
    merge_json(&mut direct, loose.as_bytes(), &JsonOptions::default()).unwrap();
    assert!(same(&back, &direct));
    // From a serde_json::Value too.
    let value: serde_json::Value = serde_json::from_str(&zpb).unwrap();
    let back: Record = serde_json::from_value(value).unwrap();
    assert!(same(&back, &r));
    // What zpb rejects, serde rejects: a duplicate key, a string for an int32.
    assert!(serde_json::from_str::<Record>(r#"{"delta":1,"delta":2}"#).is_err());
    assert!(serde_json::from_str::<Record>(r#"{"delta":"x"}"#).is_err());
}

#[test]
fn floats_serde_json_spells_itself_read_back_the_same() {
    let r = Record {
        ratio: 1e30,
        weight: 1e-7,
        ..Default::default()
    };
    let zpb = to_json(&r, &JsonOptions::default()).unwrap();
    assert_eq!(zpb, r#"{"ratio":1e+30,"weight":1e-07}"#);
    let serde = serde_json::to_string(&r).unwrap();
    assert_eq!(serde, r#"{"ratio":1e+30,"weight":1e-7}"#);
    let back: Record = serde_json::from_str(&serde).unwrap();
    assert!(same(&back, &r));
}

#[test]
fn a_non_json_format_round_trips() {
    let r = record();
    let mut cbor = Vec::new();
    ciborium::into_writer(&r, &mut cbor).unwrap();
    let back: Record = ciborium::from_reader(&cbor[..]).unwrap();
    assert!(same(&back, &r));
}
