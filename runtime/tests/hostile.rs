//! Hostile input: every malformed byte string gives a typed error with an offset and a field
//! path — never a panic, never an allocation sized by an untrusted length.

mod common;
use common::alloc::count;
use common::schema::*;
use zpb::__private::wire::Decoder;
use zpb::ParseOptions;
use zpb::{DecodeErrorKind, Message};

#[global_allocator]
static ALLOC: common::alloc::Counting = common::alloc::Counting;

fn sample() -> Vec<u8> {
    let mut m = AllKinds::default();
    m.set_i32(-1);
    m.set_str("text");
    m.mutable_nested().add_children().set_s("deep");
    m.mutable_r_s64().extend([1, -300, i64::MAX]);
    m.add_r_nested().set_a(7);
    m.mutable_m_str_i32().insert("k".into(), 1);
    m.set_o_str("oneof");
    m.set_big_field(3);
    m.serialize_to_vec().unwrap()
}

/// Offsets at which a top-level field ends.
fn field_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut d = Decoder::new(bytes);
    let mut ends = vec![0];
    while let Some(tag) = d.read_tag().unwrap() {
        d.skip_value(tag).unwrap();
        ends.push(d.offset());
    }
    ends
}

#[test]
fn truncation_at_every_offset_fails_cleanly_inside_fields() {
    let bytes = sample();
    let boundaries = field_boundaries(&bytes);
    for cut in 0..bytes.len() {
        let result = AllKinds::parse_from_slice(&bytes[..cut]);
        if boundaries.contains(&cut) {
            assert!(result.is_ok(), "cut at field boundary {cut}: {result:?}");
        } else {
            let err = result.expect_err(&format!("cut at {cut} inside a field parsed"));
            assert!(
                err.offset() <= cut,
                "offset {} past the input end {cut}",
                err.offset()
            );
        }
    }
    let proto2 = {
        let mut p = Proto2Kinds::default();
        p.set_req(1);
        p.mutable_grp().set_g_s("group");
        p.add_rgrp().set_r_a(2);
        p.serialize_to_vec().unwrap()
    };
    let boundaries = field_boundaries(&proto2);
    for cut in 0..proto2.len() {
        let result = Proto2Kinds::parse_partial_from_slice(&proto2[..cut]);
        assert_eq!(
            result.is_ok(),
            boundaries.contains(&cut),
            "cut at {cut}: {result:?}"
        );
    }
}

#[test]
fn malformed_tags_and_varints() {
    let cases: &[(&[u8], DecodeErrorKind)] = &[
        (
            &[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
            DecodeErrorKind::VarintTooLong,
        ),
        (&[0x0e, 0x00], DecodeErrorKind::InvalidWireType(6)),
        (&[0x0f], DecodeErrorKind::InvalidWireType(7)),
        (&[0x00], DecodeErrorKind::InvalidFieldNumber(0)),
        (&[0x0c], DecodeErrorKind::UnexpectedEndGroup(1)),
        (&[0x0b, 0x14], DecodeErrorKind::UnexpectedEndGroup(2)),
        (&[0x0b, 0x08, 0x01], DecodeErrorKind::UnterminatedGroup(1)),
        (&[0x3d, 0x01, 0x02], DecodeErrorKind::Truncated),
        (
            &[0xb2, 0x01, 0x03, 0x01, 0x02, 0x03],
            DecodeErrorKind::InvalidPackedLength {
                len: 3,
                element_size: 4,
            },
        ),
        (&[0x72, 0x02, 0xc3, 0x28], DecodeErrorKind::InvalidUtf8),
    ];
    for (bytes, kind) in cases {
        let err = AllKinds::parse_from_slice(bytes).unwrap_err();
        assert_eq!(err.kind(), kind, "{bytes:02x?}: {err}");
    }
}

/// A tag is a varint of at most 5 bytes: longer ones are rejected even when the extra bytes
/// only pad a small value (conformance `BadTag_OverlongVarint`, as C++ and upb do); a padded
/// tag of up to 5 bytes is still accepted, as C++ does.
#[test]
fn tags_longer_than_five_bytes_are_rejected() {
    // Field 1 (varint) padded to 6, 9 (the conformance case) and 12 bytes, then 1234.
    for padding in [4, 7, 10] {
        let input = [&[0x88][..], &vec![0x80; padding], &[0x00, 0xd2, 0x09]].concat();
        let err = AllKinds::parse_from_slice(&input).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TagTooLong, "{input:02x?}");
        assert_eq!(err.offset(), 0, "{input:02x?}");
    }
    // Inside a nested message: the offset is the tag's and the path names the field.
    let overlong = [0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01];
    let input = [
        &[0x08, 0x01, 0xe2, 0x01, overlong.len() as u8][..],
        &overlong,
    ]
    .concat();
    let err = AllKinds::parse_from_slice(&input).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::TagTooLong);
    assert_eq!(err.offset(), 5);
    assert_eq!(err.path().len(), 1, "{err}");
    assert_eq!(err.path()[0].field_number, 28);
    assert!(err.to_string().contains("tag longer than 5 bytes"), "{err}");
    // Up to 5 bytes, padded or not, a tag is read as its value.
    for tag in [&[0x08][..], &[0x88, 0x00], &[0x88, 0x80, 0x80, 0x80, 0x00]] {
        let input = [tag, &[0xd2, 0x09]].concat();
        let m = AllKinds::parse_from_slice(&input).unwrap();
        assert_eq!(m.i32, 1234, "{input:02x?}");
    }
    // A tag cut short inside its first 5 bytes is truncated input, not an overlong tag.
    let err = AllKinds::parse_from_slice(&[0x88, 0x80, 0x80]).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::Truncated);
    // A 5-byte tag above 32 bits is an invalid field number, as before.
    let err = AllKinds::parse_from_slice(&[0xf8, 0xff, 0xff, 0xff, 0x7f, 0x00]).unwrap_err();
    assert!(
        matches!(err.kind(), DecodeErrorKind::InvalidFieldNumber(_)),
        "{err}"
    );
}

#[test]
fn errors_name_the_offset_and_the_field_path() {
    // r_nested[0].children[0].s holds invalid UTF-8.
    let bad_inner = [0x12, 0x01, 0xff];
    let child = [&[0x1a, bad_inner.len() as u8][..], &bad_inner].concat();
    let nested = [&[0xe2, 0x01, child.len() as u8][..], &child].concat();
    let input = [&[0x08, 0x01][..], &nested].concat();
    let err = AllKinds::parse_from_slice(&input).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::InvalidUtf8);
    assert_eq!(err.offset(), input.len() - 1);
    let path: Vec<_> = err
        .path()
        .iter()
        .map(|p| (p.message.as_ref(), p.field_number))
        .collect();
    assert_eq!(
        path,
        [
            ("zpb.test.AllKinds", 28),
            ("zpb.test.Nested", 3),
            ("zpb.test.Nested", 2)
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("UTF-8") && text.contains("zpb.test.AllKinds#28"),
        "{text}"
    );
}

#[test]
fn huge_length_prefix_allocates_nothing_large() {
    // A string field claiming 2^31 bytes with 10 behind it.
    let mut input = vec![0x72, 0x80, 0x80, 0x80, 0x80, 0x08];
    input.extend_from_slice(&[b'a'; 10]);
    let (result, allocs) = count(|| AllKinds::parse_from_slice(&input));
    let err = result.unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::LengthExceedsInput {
            declared: 1 << 31,
            available: 10
        }
    );
    assert!(allocs.largest < 1024, "largest allocation {allocs:?}");
    // The same for a packed field, a repeated message and a map entry.
    for field_key in [[0xa2, 0x01], [0xe2, 0x01], [0xf2, 0x01]] {
        let mut input = field_key.to_vec();
        input.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x07]);
        input.extend_from_slice(&[1; 10]);
        let (result, allocs) = count(|| AllKinds::parse_from_slice(&input));
        assert!(matches!(
            result.unwrap_err().kind(),
            DecodeErrorKind::LengthExceedsInput { .. }
        ));
        assert!(allocs.largest < 1024, "{field_key:02x?}: {allocs:?}");
    }
}

/// A length-delimited field: its `key`, the length of `body` as a varint, then `body`.
fn length_delimited(key: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = key.to_vec();
    let mut len = body.len();
    while len >= 0x80 {
        out.push((len as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(body);
    out
}

#[test]
fn packed_varints_reserve_only_for_bytes_present() {
    // 100 KB of packed varints: memory allocated is a small multiple of the input.
    let body: Vec<u8> = std::iter::repeat_n(0x01, 100_000).collect();
    let input = length_delimited(&[0xa2, 0x01], &body);
    let (m, allocs) = count(|| AllKinds::parse_from_slice(&input).unwrap());
    assert_eq!(m.r_i32_size(), 100_000);
    assert!(allocs.bytes <= 4 * input.len() as u64 + 4096, "{allocs:?}");
}

fn nested_messages(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..depth {
        bytes = length_delimited(&[0x1a], &bytes);
    }
    bytes
}

#[test]
fn nesting_beyond_the_recursion_limit_is_an_error() {
    assert!(Nested::parse_from_slice(&nested_messages(100)).is_ok());
    let err = Nested::parse_from_slice(&nested_messages(101)).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(100));
    assert_eq!(
        err.path().len(),
        101,
        "each level, down to the field that went too deep"
    );
    // A custom limit.
    let opts = ParseOptions {
        recursion_limit: 5,
        ..Default::default()
    };
    let mut m = Nested::default();
    assert!(m.merge_from_slice_with(&nested_messages(5), &opts).is_ok());
    assert!(m.merge_from_slice_with(&nested_messages(6), &opts).is_err());
}

#[test]
fn recursion_limit_applies_to_groups_and_map_values() {
    let opts = ParseOptions {
        recursion_limit: 3,
        ..Default::default()
    };
    // Unknown groups nested 4 deep.
    let groups = [
        0xa3, 0x06, 0xa3, 0x06, 0xa3, 0x06, 0xa3, 0x06, 0xa4, 0x06, 0xa4, 0x06, 0xa4, 0x06, 0xa4,
        0x06,
    ];
    let mut m = Proto2Kinds::default();
    let err = m.merge_partial_from_slice(&groups, &opts).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(3));
    // A map value message whose children nest: entry + value + 2 children > 3.
    let value = nested_messages(2);
    let entry = [&[0x08, 0x01, 0x12, value.len() as u8][..], &value].concat();
    let input = [&[0xfa, 0x01, entry.len() as u8][..], &entry].concat();
    let mut m = AllKinds::default();
    let err = m.merge_partial_from_slice(&input, &opts).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(3));
    assert!(m
        .merge_partial_from_slice(&input, &ParseOptions::default())
        .is_ok());
}

#[test]
fn sixty_four_megabytes_of_nested_groups_do_not_blow_the_stack() {
    let input = vec![0x0b; 64 << 20]; // START_GROUP for field 1, over and over
    let err = Nested::parse_from_slice(&input).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(100));
    let err = Proto2Kinds::parse_partial_from_slice(&input).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(100));
}

#[test]
fn size_limit_is_enforced() {
    let opts = ParseOptions {
        max_size: 4,
        ..Default::default()
    };
    let mut m = AllKinds::default();
    let err = m
        .merge_from_slice_with(&[0x08, 0x01, 0x08, 0x01, 0x08], &opts)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::SizeLimitExceeded { size: 5, limit: 4 }
    );
}

#[test]
fn delimited_stream_with_hostile_prefix() {
    // Claims 2^30 bytes, has 10: a truncation error, and no large allocation.
    let mut input = vec![0x80, 0x80, 0x80, 0x80, 0x04];
    input.extend_from_slice(&[0x08; 10]);
    let (result, allocs) = count(|| AllKinds::parse_delimited_from(&mut &input[..]));
    assert_eq!(result.unwrap_err().kind(), &DecodeErrorKind::Truncated);
    assert!(allocs.largest <= 16 << 10, "{allocs:?}");
    // Claims more than the size limit.
    let input = [0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    let err = AllKinds::parse_delimited_from(&mut &input[..]).unwrap_err();
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::SizeLimitExceeded { .. }
    ));
    // An endless varint.
    let err = AllKinds::parse_delimited_from(&mut &[0xff; 20][..]).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::VarintTooLong);
}

#[test]
fn required_fields_are_checked_on_parse() {
    let inner_without_id = [0x4a, 0x00, 0x40, 0x01]; // inner {}, req: 1
    let err = Proto2Kinds::parse_from_slice(&inner_without_id).unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::MissingRequiredFields(vec!["inner.id".into()])
    );
    let partial = Proto2Kinds::parse_partial_from_slice(&inner_without_id).unwrap();
    assert!(!partial.is_initialized());
    assert_eq!(
        Proto2Kinds::parse_from_slice(&[]).unwrap_err().to_string(),
        "missing required fields: req at byte 0"
    );
}

#[test]
fn random_bytes_never_panic() {
    // A small deterministic fuzz: xorshift bytes, and mutations of a valid message.
    let mut state = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let valid = sample();
    let mut m = AllKinds::default();
    let mut p = Proto2Kinds::default();
    for round in 0..20_000 {
        let bytes: Vec<u8> = if round % 2 == 0 {
            let len = (next() % 64) as usize;
            (0..len).map(|_| next() as u8).collect()
        } else {
            let mut v = valid.clone();
            for _ in 0..1 + next() % 4 {
                let i = (next() as usize) % v.len();
                v[i] = next() as u8;
            }
            v
        };
        m.clear();
        if m.merge_from_slice(&bytes).is_ok() {
            // Whatever parses re-encodes, and parses again to the same message.
            let again = AllKinds::parse_from_slice(&m.serialize_to_vec().unwrap()).unwrap();
            assert!(again == m, "round {round}: {bytes:02x?}");
        }
        p.clear();
        let _ = p.merge_partial_from_slice(&bytes, &ParseOptions::default());
    }
}
