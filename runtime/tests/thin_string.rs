//! `string` fields stored as `zpb::ThinString` (what generated code stores): every path a
//! `String` field takes — binary, JSON and text format, merge, clone, the accessors — and
//! the memory behaviour, counted exactly: setters and reuse parses allocate nothing once
//! the buffers are kept, and `space_used()` counts each block's header and buffer.

mod common;
use common::alloc::count;
use zpb::format::JsonOptions;
use zpb::{MemoryPolicy, Message, OptionalThinString, Repeated, Reuse, ThinString};

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;

/// Bytes a `ThinString` block keeps before its text.
const HEADER: usize = 8;

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
#[zpb(message = "Person", field = "pick")]
pub enum Pick {
    #[zpb(10)]
    Word(ThinString),
    #[zpb(11)]
    Number(i32),
}

#[derive(zpb::Message, PartialEq, Default)]
#[zpb(name = "thin.Person", syntax = "proto2", clone)]
pub struct Person {
    #[zpb(1)]
    pub name: OptionalThinString,
    #[zpb(2, default = "none")]
    pub nick: OptionalThinString,
    #[zpb(3)]
    pub emails: Repeated<ThinString>,
    #[zpb(4, implicit)]
    pub note: ThinString,
    #[zpb(5)]
    pub alias: Option<ThinString>,
    #[zpb(6)]
    pub id: Option<i32>,
    #[zpb(7, map = "string, string")]
    pub labels: std::collections::HashMap<String, ThinString>,
    #[zpb(oneof = "10, 11")]
    pub pick: Option<Pick>,
    _state: zpb::MessageState,
}

fn sample() -> Person {
    let mut p = Person::default();
    p.set_name("Ada Lovelace");
    p.add_emails().push_str("ada@example.com");
    p.add_emails().push_str("lovelace@example.org");
    p.set_note("née Byron ✓");
    p.set_id(7);
    p.labels.insert("role".into(), "analyst".into());
    p.pick = Some(Pick::Word("engine".into()));
    p
}

#[test]
fn accessors_read_and_write_like_string_fields() {
    let mut p = Person::default();
    assert_eq!(
        (p.name(), p.has_name(), p.nick(), p.note()),
        ("", false, "none", "")
    );
    p.mutable_nick().push_str("!");
    assert_eq!((p.nick(), p.has_nick()), ("none!", true));
    p.set_name(String::from("moved"));
    p.mutable_name().push('?');
    assert_eq!(p.name(), "moved?");
    assert_eq!(p.take_name().as_deref(), Some("moved?"));
    assert!(!p.has_name());
    p.add_emails();
    p.set_emails(0, "x");
    p.mutable_emails_at(0).push('y');
    assert_eq!((p.emails_at(0).as_str(), p.emails_size()), ("xy", 1));
    p.set_alias("a");
    assert_eq!((p.alias(), p.has_alias()), ("a", true));
    p.set_word("w");
    assert_eq!(p.word(), "w");
}

#[test]
fn round_trips_through_every_format() {
    let mut p = sample();
    // `Option<ThinString>` works too (it keeps nothing across `clear()`, as `Option<String>`).
    p.set_alias("Countess");
    let bytes = p.serialize_to_vec().unwrap();
    let back = Person::parse_from_slice(&bytes).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.emails.len(), 2);
    assert_eq!(back.emails[1], "lovelace@example.org");

    let json = zpb::format::to_json(&p, &JsonOptions::default()).unwrap();
    assert!(json.contains(r#""name":"Ada Lovelace""#), "{json}");
    let mut from_json = Person::default();
    zpb::format::merge_json(&mut from_json, json.as_bytes(), &JsonOptions::default()).unwrap();
    assert_eq!(from_json, p);
    let mut escaped = Person::default();
    zpb::format::merge_json(
        &mut escaped,
        br#"{"name": "tab\there \u00e9", "emails": ["a\"b"]}"#,
        &JsonOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (escaped.name(), escaped.emails_at(0).as_str()),
        ("tab\there é", "a\"b")
    );

    let text = format!("{p:?}");
    assert!(text.contains(r#"name: "Ada Lovelace""#), "{text}");
    let mut from_text = Person::default();
    zpb::format::text::merge_text(&mut from_text, text.as_bytes()).unwrap();
    assert_eq!(from_text, p);
    let bad = zpb::format::text::merge_text(&mut Person::default(), br#"name: "\xff""#);
    assert!(bad.is_err(), "invalid UTF-8 is a typed error");
}

#[test]
fn invalid_utf8_on_the_wire_is_rejected() {
    // Field 1, length 1, byte 0xff.
    assert!(Person::parse_from_slice(&[0x0a, 0x01, 0xff]).is_err());
}

#[test]
fn merge_and_clone_go_through_the_kept_buffers() {
    let p = sample();
    let mut target = sample();
    target.emails.push("third".into());
    target.clone_from(&p); // the first clear makes room for the map's and oneof's spares
    target.emails.push("third".into());
    let (_, allocs) = count(|| target.clone_from(&p));
    assert_eq!(target, p);
    assert_eq!(
        allocs.count, 0,
        "clone_from into the same shape: {allocs:?}"
    );
    let mut merged = Person::default();
    merged.set_note("kept");
    merged.merge_from(&p);
    assert_eq!(
        (merged.name(), merged.note()),
        ("Ada Lovelace", "née Byron ✓")
    );
    assert_eq!(merged.clone(), merged);
}

#[test]
fn setters_and_reuse_parses_allocate_nothing_once_warm() {
    let bytes = sample().serialize_to_vec().unwrap();
    let mut p = Person::default();
    p.merge_from_slice(&bytes).unwrap();
    // The first clear makes room for what the map and the oneof keep.
    p.clear();
    p.merge_from_slice(&bytes).unwrap();
    for _ in 0..3 {
        let (_, allocs) = count(|| {
            p.clear();
            p.merge_from_slice(&bytes).unwrap();
        });
        assert_eq!(allocs.count, 0, "reuse parse: {allocs:?}");
    }
    let (_, allocs) = count(|| {
        for _ in 0..100 {
            p.clear();
            p.set_name("Ada");
            p.add_emails().push_str("a@b");
            p.set_emails(0, "c@d");
        }
    });
    assert_eq!(allocs.count, 0, "setters into kept buffers: {allocs:?}");
    let owned = String::from("copied in"); // into the kept buffer
    let (_, allocs) = count(|| p.set_note(owned));
    assert_eq!(allocs.count, 0, "{allocs:?}");
    let json = zpb::format::to_json(&sample(), &JsonOptions::default()).unwrap();
    let mut q = Person::default();
    for _ in 0..2 {
        q.clear();
        zpb::format::merge_json(&mut q, json.as_bytes(), &JsonOptions::default()).unwrap();
    }
    let (_, allocs) = count(|| {
        q.clear();
        zpb::format::merge_json(&mut q, json.as_bytes(), &JsonOptions::default()).unwrap();
    });
    assert_eq!(allocs.count, 0, "JSON reuse parse: {allocs:?}");
}

#[test]
fn fresh_parse_allocates_one_exact_block_per_long_string() {
    let mut p = Person::default();
    p.set_name("Ada Lovelace");
    p.set_note("");
    p.add_emails().push_str("a@b.org");
    p.add_emails().push_str("ada@example.com");
    let bytes = p.serialize_to_vec().unwrap();
    let (parsed, allocs) = count(|| Person::parse_from_slice(&bytes).unwrap());
    // name, the long email, the emails' buffer; the 7-byte email is kept in its pointer,
    // the empty note and the unset fields take nothing.
    assert_eq!(allocs.count, 3, "{allocs:?}");
    assert_eq!(parsed.name.space_used(), HEADER + 12);
    assert_eq!(parsed.emails[0], "a@b.org");
    assert_eq!(parsed.emails[0].space_used(), 0);
    assert_eq!(parsed.emails[1].space_used(), HEADER + 15);
    assert_eq!(parsed.note.space_used(), 0);
    assert_eq!(parsed, p);
}

#[test]
fn space_used_and_the_policies_count_blocks_exactly() {
    let mut p = Person::default();
    p.mutable_name().reserve_exact(100);
    p.mutable_name().push_str("x");
    p.mutable_note().reserve_exact(40);
    let state = p._state.space_used();
    let blocks = (HEADER + 100) + (HEADER + 40);
    assert_eq!(p.space_used(), blocks + state);
    p.clear();
    assert_eq!(p.space_used(), blocks + state, "Retain keeps both buffers");
    p.set_name("long enough");
    p.clear_with(&MemoryPolicy::Budget {
        max_bytes: HEADER + 100,
    });
    // Over the budget: shrunk to the content, which is then cleared.
    assert_eq!(p.name.space_used(), HEADER + 11);
    assert_eq!(p.note.space_used(), 0);
    p.mutable_note().reserve_exact(40);
    p.clear_with(&MemoryPolicy::Budget {
        max_bytes: HEADER + 100,
    });
    assert_eq!(
        p.space_used(),
        (HEADER + 11) + (HEADER + 40) + state,
        "within the budget"
    );
    p.set_name("z");
    p.clear_with(&MemoryPolicy::Release);
    assert_eq!(p.space_used(), 0);
    assert!(!p.has_name());
}

#[test]
fn shrink_over_same_sized_messages_allocates_nothing() {
    // Three emails: the one-pointer `Repeated`'s block grows to 4 slots, which the first
    // `Shrink` trims to 3; from then on the block is the live size and stays as it is.
    // (Strings and repeated fields only: maps and oneofs have their own cost model under
    // `Shrink`, see `MemoryPolicy`.)
    let mut p = sample();
    p.add_emails().push_str("third@example.net");
    p.labels.clear();
    p.pick = None;
    let bytes = p.serialize_to_vec().unwrap();
    let mut q = Person::default();
    for _ in 0..2 {
        q.merge_from_slice(&bytes).unwrap();
        q.clear_with(&MemoryPolicy::Shrink);
    }
    let held = q.space_used();
    for _ in 0..3 {
        let (_, allocs) = count(|| {
            q.merge_from_slice(&bytes).unwrap();
            q.clear_with(&MemoryPolicy::Shrink);
        });
        assert_eq!(allocs.count, 0, "Shrink, same shape: {allocs:?}");
        assert_eq!(q.space_used(), held);
    }
}

#[test]
fn a_fresh_json_string_with_escapes_gets_one_block() {
    // Escapes make the reader decode in pieces; a string without a block yet is given room
    // for the raw rest of the string once, so it never grows piece by piece.
    let note = "a \"quoted\" word, a back\\slash and a tab\t, then more text after it";
    let mut p = Person::default();
    p.set_note(note);
    let json = zpb::format::to_json(&p, &JsonOptions::default()).unwrap();
    assert!(json.contains(r#"\"quoted\""#), "{json}");
    let mut q = Person::default();
    let (_, allocs) = count(|| {
        zpb::format::merge_json(&mut q, json.as_bytes(), &JsonOptions::default()).unwrap()
    });
    assert_eq!(allocs.count, 1, "one block for the note: {allocs:?}");
    assert_eq!(q.note, note);
    // Room for the raw text: the decoded text plus one byte per escape's backslash.
    assert_eq!(q.note.capacity(), note.len() + 4);
}
