//! `TypeRegistry::check_extensions` after a binary parse: a registered extension whose bytes
//! do not decode (a string extension holding invalid UTF-8) is an error wherever it is, in
//! the message or in any message nested in it (singular, oneof member, repeated element,
//! map value, at any depth), registered by type or through a pool, for generated and
//! dynamic messages; well-formed and unregistered extensions pass.

use zpb::format::TypeRegistry;
use zpb::reflect::{DynamicMessage, ReflectMessage};
use zpb::{DecodeErrorKind, Message};
use zpb_codegen_tests::protobuf_test_messages::proto2::{self, TestAllTypesProto2};

/// `extension_string` (field 133, length-delimited) holding the byte `0xff`: not UTF-8.
const BAD: [u8; 4] = [0xaa, 0x08, 0x01, 0xff];

/// `extension_string` holding `"ok"`.
const GOOD: [u8; 5] = [0xaa, 0x08, 0x02, b'o', b'k'];

/// The message `place` puts `ext` in, parsed back from its encoding (the extension arrives
/// as unknown fields, as from the wire).
fn holding(ext: &[u8], place: Place) -> Vec<u8> {
    let mut m = TestAllTypesProto2::default();
    place(&mut m).mutable_unknown_fields().extend_raw(ext);
    m.serialize_to_vec().unwrap()
}

/// Where an extension is put: a message inside `m` (or `m` itself).
type Place = fn(&mut TestAllTypesProto2) -> &mut TestAllTypesProto2;

fn top(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    m
}

fn recursive(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    m.recursive_message.mut_or_insert()
}

fn nested(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    m.optional_nested_message
        .mut_or_insert()
        .corecursive
        .mut_or_insert()
}

fn repeated(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    m.repeated_nested_message.add();
    m.repeated_nested_message.add().corecursive.mut_or_insert()
}

fn map_value(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    m.map_string_nested_message
        .entry("k".into())
        .or_default()
        .corecursive
        .mut_or_insert()
}

fn oneof_member(m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    use proto2::test_all_types_proto2::OneofField;
    let member = m
        .oneof_field
        .insert(OneofField::OneofNestedMessage(Default::default()));
    match member {
        OneofField::OneofNestedMessage(n) => n.corecursive.mut_or_insert(),
        _ => unreachable!("just set"),
    }
}

fn deep(mut m: &mut TestAllTypesProto2) -> &mut TestAllTypesProto2 {
    for _ in 0..99 {
        m = m.recursive_message.mut_or_insert();
    }
    m
}

/// The places an extension is checked in, from the top-level message down.
const PLACES: [(&str, Place); 7] = [
    ("top", top),
    ("recursive_message", recursive),
    ("optional_nested_message.corecursive", nested),
    ("repeated_nested_message[1].corecursive", repeated),
    ("map_string_nested_message[k].corecursive", map_value),
    ("oneof_nested_message.corecursive", oneof_member),
    ("99 levels down", deep),
];

/// Parses `bytes` as a generated and as a dynamic message and checks both with `registry`.
fn check(registry: &TypeRegistry, bytes: &[u8]) -> [Result<(), DecodeErrorKind>; 2] {
    let generated = TestAllTypesProto2::parse_from_slice(bytes).unwrap();
    let dynamic = DynamicMessage::decode(generated.descriptor(), bytes).unwrap();
    [
        registry
            .check_extensions(&generated)
            .map_err(|e| e.kind().clone()),
        registry
            .check_extensions(&dynamic)
            .map_err(|e| e.kind().clone()),
    ]
}

#[test]
fn bad_extensions_are_found_at_every_depth() {
    let mut by_type = TypeRegistry::new();
    by_type.add_extension(&proto2::EXTENSION_STRING);
    let mut by_pool = TypeRegistry::new();
    by_pool.add_pool(TestAllTypesProto2::default().descriptor().pool().clone());
    for (name, place) in PLACES {
        let bad = holding(&BAD, place);
        let good = holding(&GOOD, place);
        for registry in [&by_type, &by_pool] {
            assert_eq!(
                check(registry, &bad),
                [
                    Err(DecodeErrorKind::InvalidUtf8),
                    Err(DecodeErrorKind::InvalidUtf8)
                ],
                "{name}"
            );
            assert_eq!(check(registry, &good), [Ok(()), Ok(())], "{name}");
        }
        // Unregistered, the bytes are an unknown field like any other.
        assert_eq!(
            check(&TypeRegistry::new(), &bad),
            [Ok(()), Ok(())],
            "{name}"
        );
    }
}
