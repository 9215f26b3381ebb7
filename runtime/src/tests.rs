//! In-crate round trips through derived messages (small enough to also run under Miri).

use crate::{Message, MessageField, Repeated, Reuse};

#[derive(crate::Message, Clone, PartialEq, Default)]
struct Leaf {
    #[zpb(1)]
    name: String,
    #[zpb(2, sint32)]
    values: Vec<i32>,
    _state: crate::MessageState,
}

#[derive(crate::Message, Clone, PartialEq, Default)]
struct Tree {
    #[zpb(1)]
    id: u64,
    #[zpb(2)]
    leaves: Repeated<Leaf>,
    #[zpb(3)]
    first: MessageField<Leaf>,
    #[zpb(4)]
    blob: bytes::Bytes,
    _state: crate::MessageState,
}

fn tree() -> Tree {
    let mut t = Tree::default();
    t.set_id(300);
    for i in 0..3 {
        let leaf = t.add_leaves();
        leaf.set_name(format!("leaf {i}"));
        leaf.mutable_values().extend([-1, i, 1000]);
    }
    t.mutable_first()
        .set_name("first: non-ASCII \u{e9}\u{2713}");
    t.set_blob(bytes::Bytes::from_static(b"blob"));
    t
}

#[test]
fn round_trip_through_every_output_path() {
    let t = tree();
    let v = t.serialize_to_vec().unwrap();
    let mut slice = vec![0u8; v.len()];
    assert_eq!(t.serialize_into_slice(&mut slice).unwrap(), v.len());
    assert_eq!(slice, v);
    let mut delimited = Vec::new();
    t.append_delimited_to_vec(&mut delimited).unwrap();
    assert_eq!(&delimited[1..], &v[..]);
    assert_eq!(Tree::parse_from_slice(&v).unwrap(), t);
    assert_eq!(Tree::parse_from_bytes(&bytes::Bytes::from(v)).unwrap(), t);
}

#[test]
fn clear_and_reparse_reuses_storage() {
    let v = tree().serialize_to_vec().unwrap();
    let mut t = Tree::parse_from_slice(&v).unwrap();
    let held = t.space_used();
    t.clear();
    // Everything is kept but the `Bytes` view (shared, so nothing to reuse): 4 bytes.
    assert_eq!(t.space_used(), held - 4);
    t.merge_from_slice(&v).unwrap();
    assert_eq!(t, tree());
    assert_eq!(t.leaves.retained(), 0);
    t.shrink_to_fit();
    assert_eq!(t, tree());
}

/// `bytes` after its length as a varint: a delimited record.
fn framed(bytes: &[u8]) -> Vec<u8> {
    let prefix = crate::__private::wire::encoded_varint_len(bytes.len() as u64);
    let mut out = Vec::new();
    crate::__private::wire::Encoder::append_to_vec(&mut out, prefix + bytes.len(), |e| {
        e.put_varint(bytes.len() as u64);
        e.put_slice(bytes);
    });
    out
}

#[test]
fn reused_buffers_get_the_bytes_of_a_fresh_serialization_whatever_changed() {
    // One message per output path, each with its own cached sizes.
    let (mut plain, mut framed_too) = (tree(), tree());
    let (mut out, mut delimited) = (Vec::new(), Vec::new());
    // Sized first (empty buffers), then written in one pass with the cached sizes as hints
    // for the length prefixes: too short (the body moves forward), then too long (it moves
    // back), at one- to three-byte prefixes; the buffers grow past their room.
    for len in [5, 200, 20_000, 3, 0, 130] {
        let name = "x".repeat(len);
        plain.mutable_first().set_name(name.as_str());
        framed_too.mutable_first().set_name(name.as_str());
        plain.serialize_into_vec(&mut out).unwrap();
        delimited.clear();
        framed_too.append_delimited_to_vec(&mut delimited).unwrap();
        let fresh = plain.serialize_to_vec().unwrap();
        assert_eq!(out, fresh, "{len}");
        assert_eq!(delimited, framed(&fresh), "{len}");
        assert_eq!(Tree::parse_from_slice(&out).unwrap(), plain);
    }
}
