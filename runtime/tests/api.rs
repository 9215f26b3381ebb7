//! The C++-shaped message API: serialize/parse variants, delimited streams, merge, required
//! fields, text format, accessors.

mod common;
use common::alloc::count;
use common::schema::*;
use zpb::{EncodeError, Message, MessageField};

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;

fn sample() -> AllKinds {
    let mut m = AllKinds::default();
    m.set_u64(42);
    m.set_str("hello");
    m.mutable_nested().set_a(1);
    m.add_r_str().push('x');
    m
}

#[test]
fn serialize_variants_agree() {
    let m = sample();
    let v = m.serialize_to_vec().unwrap();
    assert_eq!(v.len(), m.byte_size());

    let mut buf = vec![0xaa; 3];
    m.serialize_into_vec(&mut buf).unwrap();
    assert_eq!(buf, v, "serialize_into_vec replaces the content");
    let (_, a) = count(|| m.serialize_into_vec(&mut buf).unwrap());
    assert_eq!(a.count, 0, "a reused output buffer is not reallocated");

    let mut appended = b"prefix".to_vec();
    m.append_to_vec(&mut appended).unwrap();
    assert_eq!(&appended[6..], &v[..]);

    let mut slice = [0u8; 64];
    let n = m.serialize_into_slice(&mut slice).unwrap();
    assert_eq!(&slice[..n], &v[..]);
    let mut small = vec![0u8; v.len() - 1];
    match m.serialize_into_slice(&mut small) {
        Err(EncodeError::BufferTooSmall {
            required,
            available,
        }) => {
            assert_eq!((required, available), (v.len(), v.len() - 1))
        }
        other => panic!("{other:?}"),
    }

    let mut w = Vec::new();
    m.write_to(&mut w).unwrap();
    assert_eq!(w, v);
    let mut bm = bytes::BytesMut::new();
    m.serialize_into_buf(&mut bm).unwrap();
    assert_eq!(&bm[..], &v[..]);
}

#[test]
fn parse_variants_agree() {
    let m = sample();
    let v = m.serialize_to_vec().unwrap();
    assert_eq!(AllKinds::parse_from_slice(&v).unwrap(), m);
    assert_eq!(AllKinds::parse_from_reader(&mut &v[..]).unwrap(), m);
    assert_eq!(
        AllKinds::parse_from_bytes(&bytes::Bytes::from(v.clone())).unwrap(),
        m
    );
    let chained = bytes::Buf::chain(&v[..3], &v[3..]);
    assert_eq!(AllKinds::parse_from_buf(chained).unwrap(), m);
    let mut other = AllKinds::default();
    other.set_i32(9);
    other.merge_from_slice(&v).unwrap();
    assert_eq!((other.i32(), other.u64()), (9, 42));
}

#[test]
fn delimited_streams() {
    let mut stream = Vec::new();
    let mut expected = Vec::new();
    for i in 0..5u64 {
        let mut m = sample();
        m.set_u64(i);
        m.write_delimited_to(&mut stream).unwrap();
        expected.push(m);
    }
    let mut r = &stream[..];
    let mut got = Vec::new();
    while let Some(m) = AllKinds::parse_delimited_from(&mut r).unwrap() {
        got.push(m);
    }
    assert_eq!(got, expected);
    // Reuse one message for the whole stream.
    let mut r = &stream[..];
    let mut m = AllKinds::default();
    let mut n = 0;
    loop {
        m.clear();
        if !m.merge_delimited_from(&mut r).unwrap() {
            break;
        }
        assert_eq!(m.u64(), n);
        n += 1;
    }
    assert_eq!(n, 5);
    // A stream cut inside a record is an error, not a clean end.
    let cut = &stream[..stream.len() - 1];
    let mut r = cut;
    let results: Vec<_> = std::iter::from_fn(|| match AllKinds::parse_delimited_from(&mut r) {
        Ok(Some(m)) => Some(Ok(m)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    })
    .take(10)
    .collect();
    assert_eq!(results.len(), 5);
    assert!(results[4].is_err());
}

#[test]
fn merge_from_follows_protobuf_merge_rules() {
    let mut a = sample();
    let mut b = AllKinds::default();
    b.set_u64(7);
    b.mutable_nested().set_s("merged");
    b.add_r_str().push('y');
    a.merge_from(&b);
    assert_eq!(a.u64(), 7, "scalars overwrite");
    assert_eq!(
        (a.nested().a(), a.nested().s()),
        (1, "merged"),
        "messages merge"
    );
    assert_eq!(a.r_str(), ["x", "y"], "repeated fields append");
    assert_eq!(
        a.str(),
        "hello",
        "unset fields in the source leave the target alone"
    );
}

#[test]
fn required_fields_block_serialization_unless_partial() {
    let mut m = Proto2Kinds::default();
    m.add_inners();
    m.mutable_inner();
    assert!(!m.is_initialized());
    let mut missing = m.missing_fields();
    missing.sort();
    assert_eq!(missing, ["inner.id", "inners[0].id", "req"]);
    match m.serialize_to_vec() {
        Err(EncodeError::MissingRequiredFields(p)) => assert_eq!(p.len(), 3),
        other => panic!("{other:?}"),
    }
    assert!(m.serialize_partial_to_vec().is_ok());
    m.set_req(1);
    m.mutable_inner().set_id(1);
    m.mutable_inners_at(0).set_id(2);
    assert!(m.is_initialized());
    assert!(m.serialize_to_vec().is_ok());
    // Required fields inside a oneof member and a map value are checked too.
    m.mutable_o_inner();
    assert_eq!(m.missing_fields(), ["o_inner.id"]);
}

#[test]
fn text_format_debug_output() {
    let mut m = Proto2Kinds::default();
    m.set_req(3);
    m.set_size(Size::Large);
    m.mutable_grp().set_g_s("a\"b\n");
    m.add_sizes(Size::Small);
    m.mutable_unknown_fields().push_varint(99, 5);
    assert_eq!(
        format!("{m:?}"),
        r#"size: LARGE req: 3 sizes: SMALL Grp { g_s: "a\"b\n" } 99: 5"#
    );
    assert_eq!(
        m.text_format(),
        "size: LARGE\nreq: 3\nsizes: SMALL\nGrp {\n  g_s: \"a\\\"b\\n\"\n}\n99: 5\n"
    );
    let mut k = AllKinds::default();
    k.set_by(vec![0, b'a', 0xfe]);
    k.set_db(f64::NAN);
    k.set_fl(f32::NEG_INFINITY);
    assert_eq!(format!("{k:?}"), r#"fl: -inf db: nan by: "\000a\376""#);
}

#[test]
fn accessors_follow_the_cpp_names() {
    let mut m = AllKinds::default();
    assert!(!m.has_nested());
    assert_eq!(
        m.nested().a(),
        0,
        "unset message reads as the default instance"
    );
    assert!(std::ptr::eq(m.nested(), Nested::default_instance()));
    m.mutable_nested().set_a(5);
    assert!(m.has_nested());
    assert_eq!(m.take_nested().map(|n| n.a), Some(5));
    assert!(!m.has_nested());

    m.set_opt_i32(0);
    assert!(m.has_opt_i32());
    m.clear_opt_i32();
    assert!(!m.has_opt_i32());

    m.add_r_nested().set_a(1);
    m.add_r_nested().set_a(2);
    m.set_r_nested(
        0,
        Nested {
            a: 10,
            ..Default::default()
        },
    );
    assert_eq!(m.r_nested_at(0).a(), 10);
    m.mutable_r_nested_at(1).set_a(20);
    assert_eq!(
        m.r_nested().iter().map(|n| n.a).collect::<Vec<_>>(),
        [10, 20]
    );
    m.clear_r_nested();
    assert_eq!(m.r_nested_size(), 0);
    assert_eq!(m.r_nested.retained(), 2);

    m.set_o_str("x");
    assert_eq!(m.o_str(), "x");
    assert!(matches!(m.which_choice(), Some(all_kinds::Choice::OStr(_))));
    m.mutable_o_nested().set_a(4);
    assert_eq!(m.o_str(), "", "setting another member unsets the first");
    assert_eq!(m.o_nested().a(), 4);
    assert_eq!(m.which_choice().map(zpb::Oneof::field_number), Some(37));
    m.clear_o_str();
    assert!(
        m.has_o_nested(),
        "clearing a member that is not set changes nothing"
    );
    m.clear_choice();
    assert!(m.which_choice().is_none());

    m.set_color(Color::Green);
    assert_eq!(m.color(), Color::Green);
    m.set_color(zpb::OpenEnum::from_raw(77));
    assert_eq!((m.color().get(), m.color().raw()), (None, 77));
}

#[test]
fn message_field_and_unknown_fields_survive_clone_and_compare() {
    let mut a = Proto2Kinds::parse_partial_from_slice(&[0x40, 0x01, 0xa0, 0x06, 0x05]).unwrap();
    assert_eq!(a.unknown_fields().as_bytes(), [0xa0, 0x06, 0x05]);
    let b = a.clone();
    assert_eq!(a, b);
    a.mutable_unknown_fields().clear();
    assert_ne!(a, b, "unknown fields take part in equality");
    let f: MessageField<Inner> = Inner {
        id: Some(1),
        ..Default::default()
    }
    .into();
    assert_eq!(f.get().and_then(|i| i.id), Some(1));
}

#[test]
fn deep_nesting_encodes_in_one_size_pass() {
    // 90 levels of nesting: sizes are cached per level, so encoding is linear and the result
    // parses back identically.
    let mut root = Nested::default();
    let mut cur = &mut root;
    for i in 0..90 {
        cur.set_a(i);
        cur = cur.add_children();
    }
    let bytes = root.serialize_to_vec().unwrap();
    assert_eq!(bytes.len(), root.byte_size());
    assert_eq!(Nested::parse_from_slice(&bytes).unwrap(), root);
}

#[test]
fn inline_message_fields_need_no_box() {
    // A non-recursive sub-message may live inline in `Optional<M>` (what the generator emits
    // for non-recursive fields): no allocation for it, same wire format and accessors.
    #[derive(zpb::Message, Clone, PartialEq, Default)]
    struct Outer {
        #[zpb(1)]
        inner: zpb::Optional<Inner>,
        #[zpb(2, group, name = "G")]
        g: zpb::Optional<proto2_kinds::RGrp>,
        _state: zpb::MessageState,
    }
    let mut o = Outer::default();
    assert!(!o.has_inner());
    assert_eq!(o.inner().id(), 0);
    o.mutable_inner().set_id(5);
    o.mutable_g().set_r_a(1);
    let bytes = o.serialize_to_vec().unwrap();
    assert_eq!(
        bytes,
        [0x0a, 0x02, 0x08, 0x05, 0x13, 0x90, 0x01, 0x01, 0x14]
    );
    let back = Outer::parse_from_slice(&bytes).unwrap();
    assert_eq!(back, o);
    let mut reused = Outer::default();
    reused.merge_from_slice(&bytes).unwrap();
    let (_, a) = count(|| {
        reused.clear();
        reused.merge_from_slice(&bytes).unwrap();
    });
    assert_eq!(a.count, 0);
    assert_eq!(o.take_inner().and_then(|i| i.id), Some(5));
    assert!(!o.has_inner());
    assert_eq!(format!("{back:?}"), "inner { id: 5 } G { r_a: 1 }");
}

#[test]
fn shared_bytes_fields_slice_the_input_buffer() {
    #[derive(zpb::Message, Clone, PartialEq, Default)]
    struct Blob {
        #[zpb(1)]
        data: bytes::Bytes,
        _state: zpb::MessageState,
    }
    let input = bytes::Bytes::from(vec![0x0a, 0x03, 1, 2, 3]);
    let blob = Blob::parse_from_bytes(&input).unwrap();
    assert_eq!(blob.data(), [1, 2, 3]);
    assert_eq!(blob.data.as_ptr(), input[2..].as_ptr(), "no copy");
}

/// Oneof members named like keywords or in camel case get snake-case accessors (`self_()`,
/// `camel_case()`, `r#type()`); `accessor = "..."` names them explicitly.
#[deny(non_snake_case)]
mod member_names {
    #[derive(zpb::Oneof, Clone, PartialEq, Debug)]
    #[zpb(message = "Holder", field = "pick")]
    pub enum Pick {
        #[zpb(1, name = "self")]
        Me(i32),
        #[zpb(2, name = "camelCase")]
        Camel(i32),
        #[zpb(3)]
        Crate(String),
        #[zpb(4, name = "type")]
        Kind(u32),
        #[zpb(5, name = "Super")]
        Up(bool),
        #[zpb(6, name = "clear", accessor = "clear_it")]
        Wipe(bool),
    }

    #[derive(zpb::Message, Clone, PartialEq, Default)]
    pub struct Holder {
        #[zpb(oneof = "1, 2, 3, 4, 5, 6")]
        pub pick: Option<Pick>,
        pub _state: zpb::MessageState,
    }
}

#[test]
fn oneof_member_accessor_names() {
    use member_names::Holder;
    let mut h = Holder::default();
    h.set_self_(1);
    assert_eq!((h.self_(), h.has_self_()), (1, true));
    h.set_camel_case(2);
    assert_eq!((h.camel_case(), h.self_()), (2, 0));
    h.set_crate_("c");
    assert_eq!(h.crate_(), "c");
    h.set_type(4);
    assert_eq!(h.r#type(), 4);
    assert_eq!(format!("{h:?}"), "type: 4");
    h.set_super_(true);
    assert_eq!(format!("{h:?}"), "Super: true");
    h.set_clear_it(true);
    assert_eq!(format!("{h:?}"), "clear: true");
    assert_eq!(h.take_clear_it(), Some(true));
    h.mutable_camel_case();
    assert_eq!(format!("{h:?}"), "camelCase: 0");
    let back = Holder::parse_from_slice(&h.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(back, h);
    h.clear();
    assert!(h.which_pick().is_none());
}
