//! Editions (2023) lowered to what the derive supports, checked on the wire with bytes
//! written by hand: delimited messages (group encoding, per file and per field, group-like
//! or not, extensions too), expanded and packed repeated fields, implicit presence, closed
//! enums and `LEGACY_REQUIRED`. Needs the venv's protoc (`cfg(zpb_editions)`, set by
//! build.rs); the Python cross-check compares the same types with Google's implementation.
#![cfg(zpb_editions)]

use zpb::{Message, OpenEnum};
use zpb_codegen_tests::protobuf_test_messages::editions::{
    self as e2023, test_all_types_edition2023 as t2023, TestAllTypesEdition2023,
};
use zpb_codegen_tests::protobuf_test_messages::editions::{proto2, proto3};
use zpb_codegen_tests::v36::pb::{cpp_features::StringType, CPP};

#[test]
fn delimited_fields_are_groups() {
    let mut m = TestAllTypesEdition2023::default();
    // Group-like (named as its type, declared beside it) and not group-like: both
    // delimited, as the file's `message_encoding = DELIMITED` says.
    m.mutable_groupliketype().set_group_int32(1);
    m.mutable_delimited_field().set_group_uint32(2);
    let bytes = m.serialize_to_vec().unwrap();
    // 201 start group, 202 varint 1, 201 end group; 202 start group, 203 varint 2, 202 end.
    assert_eq!(
        bytes, b"\xcb\x0c\xd0\x0c\x01\xcc\x0c\xd3\x0c\xd8\x0c\x02\xd4\x0c",
        "{bytes:x?}"
    );
    assert_eq!(
        TestAllTypesEdition2023::parse_from_slice(&bytes).unwrap(),
        m
    );

    // `features.message_encoding = LENGTH_PREFIXED` on a field overrides the file.
    let mut m = TestAllTypesEdition2023::default();
    m.mutable_optional_nested_message().set_a(1);
    assert_eq!(m.serialize_to_vec().unwrap(), b"\x92\x01\x02\x08\x01");

    // An extension inherits the file's DELIMITED.
    let mut m = TestAllTypesEdition2023::default();
    let mut g = e2023::GroupLikeType::default();
    g.set_c(3);
    e2023::DELIMITED_EXT.set(&mut m, &g);
    assert_eq!(m.serialize_to_vec().unwrap(), b"\xd3\x07\x08\x03\xd4\x07");
}

#[test]
fn repeated_encodings() {
    let mut m = TestAllTypesEdition2023::default();
    m.mutable_repeated_int32().extend([1, 2]); // 2023's default: packed
    m.mutable_unpacked_int32().extend([3, 4]); // EXPANDED
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        b"\xfa\x01\x02\x01\x02\xc8\x05\x03\xc8\x05\x04"
    );
    // The proto2 file sets `repeated_field_encoding = EXPANDED`; `packed_*` fields override.
    let mut m = proto2::TestAllTypesProto2::default();
    m.mutable_repeated_int32().extend([1, 2]);
    m.mutable_packed_int32().extend([3, 4]);
    assert_eq!(
        m.serialize_to_vec().unwrap(),
        b"\xf8\x01\x01\xf8\x01\x02\xda\x04\x02\x03\x04"
    );
}

#[test]
fn presence() {
    // proto3 editions: `field_presence = IMPLICIT` for the file: zero is not written.
    let mut m = proto3::TestAllTypesProto3::default();
    let implicit: &mut i32 = &mut m.optional_int32;
    *implicit = 0;
    assert!(m.serialize_to_vec().unwrap().is_empty());
    m.set_optional_int32(5);
    assert_eq!(m.serialize_to_vec().unwrap(), b"\x08\x05");

    // 2023's default is EXPLICIT: zero is present and written.
    let mut m = TestAllTypesEdition2023::default();
    assert!(!m.has_optional_int32());
    m.set_optional_int32(0);
    assert!(m.has_optional_int32());
    assert_eq!(m.serialize_to_vec().unwrap(), b"\x08\x00");

    // LEGACY_REQUIRED fields are required.
    let m = proto2::TestAllRequiredTypesProto2::default();
    assert!(!m.is_initialized());
    assert!(m.missing_fields().contains(&"required_int32".to_string()));
}

#[test]
fn enum_closedness() {
    // The proto2 editions file sets `enum_type = CLOSED`: an unknown number goes to the
    // unknown fields.
    let m = proto2::TestAllTypesProto2::parse_from_slice(b"\xa8\x01\x63").unwrap();
    assert!(!m.has_optional_nested_enum());
    assert_eq!(m.unknown_fields().as_bytes(), b"\xa8\x01\x63");
    // 2023's default is OPEN: the field keeps it.
    let m = TestAllTypesEdition2023::parse_from_slice(b"\xa8\x01\x63").unwrap();
    assert_eq!(
        m.optional_nested_enum,
        Some(OpenEnum::<t2023::NestedEnum>::from_raw(99))
    );
    assert!(m.unknown_fields().is_empty());
}

#[test]
fn other_languages_features_are_carried_through() {
    use zpb::descriptor::feature_set::{EnumType, Utf8Validation};
    use zpb::descriptor::{features, FileDescriptorSet};
    let set = FileDescriptorSet::parse_from_slice(zpb_codegen_tests::V36_DESCRIPTORS).unwrap();
    let file = set
        .file
        .iter()
        .find(|f| f.name() == "google/protobuf/unittest_fuzz_extensions.proto")
        .unwrap();
    let edition = features::edition(file).unwrap();
    let file_features = features::file_features(file).unwrap();
    assert_eq!(file_features.enum_type(), EnumType::Closed);
    assert_eq!(file_features.utf8_validation(), Utf8Validation::None);
    let m = file
        .message_type
        .iter()
        .find(|m| m.name() == "FuzzMostTypes")
        .unwrap();
    let message_features = features::message_features(&file_features, m);
    let field = |name: &str| {
        let f = m.field.iter().find(|f| f.name() == name).unwrap();
        features::field_features(&message_features, f, edition)
    };
    // `[features.(pb.cpp).string_type = CORD]`: C++'s feature, an unknown field of the
    // resolved set, readable through the `pb.cpp` extension generated from cpp_features.proto.
    let cord = field("optional_cord");
    assert_eq!(cord.enum_type(), EnumType::Closed);
    let cpp = CPP
        .get(&cord)
        .unwrap()
        .expect("pb.cpp is carried to the field");
    assert_eq!(cpp.string_type, Some(StringType::Cord));
    assert_eq!(CPP.get(&field("optional_string")).unwrap(), None);
}

#[test]
fn edition_2024_file() {
    use zpb_codegen_tests::zpb::editions2024::{visible::Inner, Closed, Open, Visible};
    let inner = || {
        let mut i = Inner::default();
        i.set_text("a");
        i
    };
    let bytes = |m: &Visible| m.serialize_partial_to_vec().unwrap();

    let mut m = Visible {
        implicit: 0, // IMPLICIT: a plain `i32`, zero not written
        ..Visible::default()
    };
    m.set_explicit(0); // EXPLICIT (the default): present at zero
    assert_eq!(bytes(&m), b"\x10\x00");
    assert!(!m.is_initialized(), "LEGACY_REQUIRED `required` is unset");
    m.set_required(1);
    assert!(m.is_initialized());

    let mut m = Visible::default();
    m.mutable_expanded().extend([1, 2]);
    m.mutable_packed().extend([1, -1]);
    assert_eq!(bytes(&m), b"\x20\x01\x20\x02\x2a\x02\x02\x01");

    // The file's DELIMITED: `inner` (group-like), `delimited` and the oneof member are
    // groups; `prefixed` overrides it; map values stay length-prefixed.
    let mut m = Visible::default();
    *m.mutable_inner() = inner();
    *m.mutable_prefixed() = inner();
    m.mutable_by_name().insert("k".into(), inner());
    *m.mutable_delimited() = inner();
    assert_eq!(
        bytes(&m),
        b"\x33\x0a\x01a\x34\x3a\x03\x0a\x01a\x42\x08\x0a\x01k\x12\x03\x0a\x01a\x6b\x0a\x01a\x6c"
    );
    let text = m.text_format();
    assert!(
        text.contains("Inner {") && text.contains("delimited {"),
        "{text}"
    );
    assert_eq!(Visible::parse_partial_from_slice(&bytes(&m)).unwrap(), m);
    let mut m = Visible::default();
    *m.mutable_nested() = inner();
    assert_eq!(bytes(&m), b"\x63\x0a\x01a\x64");

    // `Closed` takes the file's CLOSED, `Open` its own OPEN.
    let m = Visible::parse_partial_from_slice(b"\x48\x05\x50\x05").unwrap();
    assert_eq!(m.closed, None::<Closed>);
    assert_eq!(m.unknown_fields().as_bytes(), b"\x48\x05");
    assert_eq!(m.open, Some(OpenEnum::<Open>::from_raw(5)));
}
