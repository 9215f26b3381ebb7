//! The derive's feature words (`delimited`, `expanded`, `closed_enum`, presets on the struct)
//! write the same bytes as the words they stand for, and the struct's defaults reach its
//! fields unless a field says otherwise.

use std::collections::HashMap;
use zpb::{Message, OpenEnum};

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
enum Color {
    #[default]
    Red = 0,
    Blue = 1,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct Leaf {
    #[zpb(1)]
    n: Option<i32>,
    _state: zpb::MessageState,
}

/// The older spelling: type words and `unpacked`.
#[derive(zpb::Message, Clone, PartialEq, Default)]
struct Words {
    #[zpb(1, group)]
    leaf: zpb::MessageField<Leaf>,
    #[zpb(2, int32, repeated, unpacked)]
    values: Vec<i32>,
    #[zpb(3, enum)]
    closed: Option<Color>,
    #[zpb(4, enum)]
    open: OpenEnum<Color>,
    #[zpb(5, message)]
    plain: zpb::MessageField<Leaf>,
    #[zpb(6, message, repeated)]
    leaves: zpb::Repeated<Leaf>,
    #[zpb(7, map = "int32, message")]
    by_id: HashMap<i32, Leaf>,
    _state: zpb::MessageState,
}

/// The same fields in feature words, the encodings from the struct's defaults.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(syntax = "proto2", delimited)]
struct Features {
    #[zpb(1)]
    leaf: zpb::MessageField<Leaf>,
    #[zpb(2)]
    values: Vec<i32>,
    #[zpb(3, closed_enum)]
    closed: Option<Color>,
    #[zpb(4, open_enum, implicit)]
    open: OpenEnum<Color>,
    #[zpb(5, length_prefixed)]
    plain: zpb::MessageField<Leaf>,
    #[zpb(6, length_prefixed)]
    leaves: zpb::Repeated<Leaf>,
    // Map entries stay length-prefixed whatever the struct says.
    #[zpb(7)]
    by_id: HashMap<i32, Leaf>,
    _state: zpb::MessageState,
}

fn leaf(n: i32) -> Leaf {
    let mut l = Leaf::default();
    l.set_n(n);
    l
}

#[test]
fn feature_words_write_what_the_type_words_write() {
    let mut w = Words::default();
    *w.mutable_leaf() = leaf(1);
    w.values.extend([2, 3]);
    w.set_closed(Color::Blue);
    w.set_open(OpenEnum::from_raw(7));
    *w.mutable_plain() = leaf(4);
    *w.add_leaves() = leaf(5);
    w.by_id.insert(6, leaf(6));
    let bytes = w.serialize_to_vec().unwrap();
    // The group between tags 0x0b / 0x0c; the repeated scalar one record per value.
    assert_eq!(&bytes[..8], [0x0b, 0x08, 1, 0x0c, 0x10, 2, 0x10, 3]);

    let f = Features::parse_from_slice(&bytes).unwrap();
    assert_eq!(f.leaf().n(), 1);
    assert_eq!(f.values, [2, 3]);
    assert_eq!(f.closed(), Color::Blue);
    assert_eq!(f.open().raw(), 7);
    assert_eq!(f.plain().n(), 4);
    assert_eq!(f.leaves()[0].n(), 5);
    assert_eq!(f.by_id[&6].n(), 6);
    assert_eq!(f.serialize_to_vec().unwrap(), bytes);
}

/// Without a preset: repeated scalars packed, messages length-prefixed; a field's word wins
/// over the struct's.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(expanded)]
struct Overrides {
    #[zpb(1, packed)]
    packed: Vec<i32>,
    #[zpb(2)]
    expanded: Vec<i32>,
    #[zpb(3, delimited)]
    group: Option<Leaf>,
    _state: zpb::MessageState,
}

#[test]
fn a_fields_word_overrides_the_structs_default() {
    let mut m = Overrides::default();
    m.packed.extend([1, 2]);
    m.expanded.extend([3, 4]);
    m.group = Some(leaf(5));
    let bytes = m.serialize_to_vec().unwrap();
    assert_eq!(
        bytes,
        [0x0a, 2, 1, 2, 0x10, 3, 0x10, 4, 0x1b, 0x08, 5, 0x1c],
        "{bytes:x?}"
    );
    assert_eq!(Overrides::parse_from_slice(&bytes).unwrap(), m);
}

/// Edition 2023: explicit presence by default, so a plain value says `implicit`.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(edition = "2023")]
struct Edition2023 {
    #[zpb(1)]
    explicit: Option<i32>,
    #[zpb(2, implicit)]
    implicit: i32,
    #[zpb(3)]
    packed: Vec<i32>,
    _state: zpb::MessageState,
}

#[test]
fn edition_2023_preset() {
    let mut m = Edition2023::default();
    m.set_explicit(0);
    m.set_implicit(0);
    m.packed.extend([1, 2]);
    // The explicit zero is written, the implicit one is not; the repeated field is packed.
    assert_eq!(m.serialize_to_vec().unwrap(), [0x08, 0, 0x1a, 2, 1, 2]);
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
enum Choice {
    #[zpb(1, delimited)]
    Group(Box<Leaf>),
    #[zpb(2, closed_enum)]
    Color(Color),
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
struct WithOneof {
    #[zpb(oneof = "1, 2")]
    choice: Option<Choice>,
    _state: zpb::MessageState,
}

#[test]
fn oneof_members_take_feature_words() {
    let mut m = WithOneof {
        choice: Some(Choice::Group(Box::new(leaf(3)))),
        ..Default::default()
    };
    assert_eq!(m.serialize_to_vec().unwrap(), [0x0b, 0x08, 3, 0x0c]);
    m.choice = Some(Choice::Color(Color::Blue));
    assert_eq!(m.serialize_to_vec().unwrap(), [0x10, 1]);
    // A closed enum member keeps an unknown number in the unknown fields.
    let parsed = WithOneof::parse_from_slice(&[0x10, 9]).unwrap();
    assert_eq!(parsed.choice, None);
    assert_eq!(parsed.serialize_to_vec().unwrap(), [0x10, 9]);
}
