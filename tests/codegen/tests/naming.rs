//! The generated code for the naming edge cases behaves: renamed fields keep their proto
//! names, defaults, aliases, groups, oneofs, maps, bytes options, services, extensions.

use std::collections::BTreeMap;
use zpb::{Enumeration, Message};
use zpb_codegen_tests::zpb::naming::{
    self, Aliased, Clashes, Color, Defaults, Loop, Members, Mutual, Recursive, EXT, NAMING_SERVICE,
};
use zpb_codegen_tests::zpb::naming3::{self, Blob, Level};

#[test]
fn renamed_fields_keep_proto_names() {
    let mut m = Clashes::default();
    m.set_type(1);
    m.set_self_(2);
    m.set_clear_("c");
    m.add_foo(3);
    m.set_foo_size_(4);
    m.set_has_bar(5);
    m.set_bar_(6);
    m.set_byte_size_(7);
    m.set_state(8);
    m.set_async(9);
    m.set_field_name(10);
    m.set_clone_(11);
    m.set_label("l");
    m.set_which_kind_(12);
    m.set_crate_(13);
    m.set_double_under(14);
    m.mutable_data().set_x(15);
    m.add_item().set_name("i");
    assert_eq!(m.r#type(), 1);
    assert_eq!(m.foo_size(), 1);
    assert_eq!(m.foo_size_(), 4);
    assert!(m.has_bar_());
    assert!(matches!(
        m.which_kind(),
        Some(naming::clashes::Kind::Label(_))
    ));
    assert_eq!(
        format!("{m:?}"),
        r#"type: 1 self: 2 clear: "c" foo: 3 foo_size: 4 has_bar: 5 bar: 6 byte_size: 7 _state: 8 async: 9 FieldName: 10 clone: 11 label: "l" which_kind: 12 crate: 13 __double__under: 14 Data { x: 15 } Item { name: "i" }"#
    );
    let bytes = m.serialize_to_vec().unwrap();
    assert_eq!(Clashes::parse_from_slice(&bytes).unwrap(), m);
    // Message methods are not shadowed.
    m.clear();
    assert_eq!(m.byte_size(), 0);
}

#[test]
fn oneof_member_accessors_are_snake_case_and_renamed_around_methods() {
    let mut m = Members::default();
    m.set_self_(1);
    assert_eq!((m.self_(), m.has_self_()), (1, true));
    m.set_camel_case(2);
    assert!(m.has_camel_case() && !m.has_self_());
    m.set_camel_case_(3);
    assert_eq!((m.camel_case(), m.camel_case_()), (0, 3));
    m.set_clear_("c");
    assert_eq!(m.clear_(), "c");
    m.set_type(5);
    assert_eq!(m.r#type(), 5);
    m.set_super_(7);
    m.set_has_type_(8);
    assert_eq!(format!("{m:?}"), "Super: 7 has_type: 8");
    m.mutable_byte_size_().set_type(6);
    assert!(m.has_byte_size_());
    assert_eq!(format!("{m:?}"), "byte_size { type: 6 } has_type: 8");
    assert_eq!(m.take_byte_size_().map(|b| b.r#type()), Some(6));
    // The message's own methods are not shadowed.
    m.set_clear_("x");
    assert_eq!(m.byte_size(), 5);
    m.clear();
    assert_eq!(m.which_pick(), None);
    assert_eq!(m.byte_size(), 0);
    for (set, text) in [
        (Members::set_self_ as fn(&mut Members, i32), "self: 1"),
        (Members::set_camel_case, "camelCase: 1"),
        (Members::set_camel_case_, "Camel_case: 1"),
    ] {
        let mut m = Members::default();
        set(&mut m, 1);
        assert_eq!(format!("{m:?}"), text);
        let back = Members::parse_from_slice(&m.serialize_to_vec().unwrap()).unwrap();
        assert_eq!(back, m);
    }
}

#[test]
fn proto2_defaults() {
    let d = Defaults::default();
    assert_eq!(d.pos_inf(), f64::INFINITY);
    assert_eq!(d.ninf(), f64::NEG_INFINITY);
    assert!(d.not_a_number().is_nan());
    assert_eq!(d.bin(), b"\0\x01\xff\"q\n");
    assert_eq!(d.text(), "hé \"quoted\"\ttab");
    assert_eq!((d.min(), d.max()), (i64::MIN, u64::MAX));
    assert_eq!(d.color(), Color::Red);
    assert_eq!(d.exp(), 1500.0);
    assert!(d.flag());
    assert_eq!(d.neg(), -42);
    assert_eq!(d.alias(), Aliased::One);
    assert_eq!(d.fixed(), 7);
    assert!(!d.is_initialized(), "req is required");
    assert_eq!(d.missing_fields(), ["req"]);
}

#[test]
fn enums_strip_prefixes_and_keep_proto_names() {
    assert_eq!(Color::Unspecified.name(), "COLOR_UNSPECIFIED");
    assert_eq!(Color::Color1.name(), "COLOR_1");
    assert_eq!(Color::from_i32(-3), Some(Color::Negative));
    assert_eq!(Aliased::UNO, Aliased::One);
    assert_eq!(Aliased::uno, Aliased::One);
    assert_eq!(Aliased::default(), Aliased::Zero);
}

#[test]
fn nesting_recursion_and_oneofs() {
    let mut l = Loop::default();
    l.mutable_me().mutable_deep().mutable_back().set_as_int(3);
    l.mutable_as_kind().set_k(4);
    l.mutable_deeps().insert("d".into(), Default::default());
    assert!(matches!(
        l.which_kind(),
        Some(naming::r#loop::Kind_::AsKind(_))
    ));
    let mut r = Recursive::default();
    r.mutable_child()
        .mutable_child()
        .add_mutual()
        .mutable_r()
        .mutable_by_id()
        .insert(1, Recursive::default());
    let mut m = Mutual::default();
    m.set_c(Color::Red);
    r.mutable_mutual().push(m);
    let bytes = r.serialize_to_vec().unwrap();
    assert_eq!(Recursive::parse_from_slice(&bytes).unwrap(), r);
    let bytes = l.serialize_to_vec().unwrap();
    assert_eq!(Loop::parse_from_slice(&bytes).unwrap(), l);
}

#[test]
fn extensions_are_kept_as_unknown_fields_and_read_through_their_constant() {
    let mut d = Defaults::default();
    d.set_req(1);
    let mut bytes = d.serialize_to_vec().unwrap();
    bytes.extend([0xa0, 0x06, 0x2a]); // field 100 (extension `ext`) = 42
    let mut parsed = Defaults::parse_from_slice(&bytes).unwrap();
    assert_eq!(parsed.serialize_to_vec().unwrap(), bytes);
    assert_eq!(EXT.get(&parsed).unwrap(), Some(42));
    assert_eq!((EXT.number(), EXT.name()), (100, "zpb.naming.ext"));
    EXT.set(&mut parsed, &-1);
    assert_eq!(EXT.get(&parsed).unwrap(), Some(-1));
    EXT.clear(&mut parsed);
    assert!(!EXT.has(&parsed));
    assert_eq!(
        parsed.serialize_to_vec().unwrap(),
        d.serialize_to_vec().unwrap()
    );
}

#[test]
fn proto3_options_and_imports() {
    let mut b = Blob::default();
    b.set_data(zpb::bytes::Bytes::from_static(b"shared"));
    let sorted: &BTreeMap<String, Vec<u8>> = b.sorted();
    assert!(sorted.is_empty());
    b.mutable_sorted().insert("k".into(), b"v".to_vec());
    b.add_levels(Level::High);
    b.set_level(Level::High);
    b.set_maybe_level(Level::Unspecified);
    b.add_chunks();
    b.mutable_other().set_child(Recursive::default());
    b.mutable_at().seconds = 5;
    b.mutable_mutuals().insert(7, Mutual::default());
    b.set_pick_bytes(zpb::bytes::Bytes::from_static(b"p"));
    assert!(b.has_maybe_level());
    assert!(!b.has_maybe_data());
    let _: &zpb::well_known::Timestamp = b.at();
    let bytes = b.serialize_to_vec().unwrap();
    assert_eq!(Blob::parse_from_slice(&bytes).unwrap(), b);
    assert!(matches!(
        b.which_pick(),
        Some(naming3::blob::Pick::PickBytes(_))
    ));
}

#[test]
fn service_descriptor_and_trait() {
    assert_eq!(NAMING_SERVICE.name, "zpb.naming.Naming");
    let stream = NAMING_SERVICE.method("Stream").unwrap();
    assert!(stream.client_streaming && stream.server_streaming);
    assert_eq!(stream.input_type, "zpb.naming.Recursive");
    struct Server;
    impl naming::Naming for Server {
        type Error = String;
        fn get_thing(&self, request: &Clashes, response: &mut Loop) -> Result<(), String> {
            response.set_as_int(request.r#type());
            Ok(())
        }
        fn stream(&self, _: &Recursive, _: &mut Mutual) -> Result<(), String> {
            Err("unary only".into())
        }
        fn r#type(&self, request: &Defaults, response: &mut Defaults) -> Result<(), String> {
            response.merge_from(request);
            Ok(())
        }
    }
    let server: &dyn naming::Naming<Error = String> = &Server;
    let mut request = Clashes::default();
    request.set_type(5);
    let mut response = Loop::default();
    server.get_thing(&request, &mut response).unwrap();
    assert_eq!(response.as_int(), 5);
}

#[test]
fn descriptor_set_is_written() {
    use zpb_codegen_tests::google::protobuf::FileDescriptorSet;
    let set = FileDescriptorSet::parse_from_slice(zpb_codegen_tests::NAMING_DESCRIPTORS).unwrap();
    let names: Vec<&str> = set.file().iter().map(|f| f.name()).collect();
    assert!(
        names.contains(&"naming.proto") && names.contains(&"naming3.proto"),
        "{names:?}"
    );
}
