//! `DynamicMessage` memory and hostile input: a reused dynamic message parses with no
//! allocation, memory policies bound what it keeps, and malformed input gives exactly the
//! generated type's typed error (kind, offset, path) with no allocation sized by it.

/// The runtime tests' counting allocator.
#[path = "../../../runtime/tests/common/alloc.rs"]
mod alloc;
mod reflect_support;

use alloc::count;
use reflect_support::*;
use zpb::reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use zpb::ParseOptions;
use zpb::{DecodeErrorKind, MemoryPolicy, Message, Reuse};
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

const P2: &str = "protobuf_test_messages.proto2.TestAllTypesProto2";
const P3: &str = "protobuf_test_messages.proto3.TestAllTypesProto3";

fn reuse_allocates_nothing(desc: &MessageDescriptor, payload: &[u8]) {
    let mut m = DynamicMessage::new(desc.clone());
    m.merge_from_slice(payload).unwrap();
    let held = m.space_used();
    for round in 0..3 {
        m.clear();
        assert_eq!(m.space_used(), held, "clear keeps everything");
        let (r, allocs) = count(|| m.merge_from_slice(payload));
        r.unwrap();
        assert_eq!(
            allocs.count,
            0,
            "{} round {round}: {allocs:?}",
            desc.full_name()
        );
        assert_eq!(m.serialize_to_vec().unwrap().len(), m.byte_size());
    }
}

#[test]
fn reused_dynamic_messages_parse_benchmark_datasets_without_allocating() {
    let Some(pool) = benchmark_pool() else { return };
    for (dataset_name, message) in [
        ("google_message1_proto2", "benchmarks.proto2.GoogleMessage1"),
        ("google_message1_proto3", "benchmarks.proto3.GoogleMessage1"),
        ("google_message2", "benchmarks.proto2.GoogleMessage2"),
    ] {
        let desc = pool.get_message_by_name(message).unwrap();
        for payload in dataset(dataset_name) {
            reuse_allocates_nothing(&desc, &payload);
        }
    }
}

#[test]
fn reused_dynamic_messages_parse_random_messages_without_allocating() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    for (name, seed) in [(P2, 5), (P3, 6)] {
        let desc = pool.get_message_by_name(name).unwrap();
        let mut rng = Rng(seed);
        for _ in 0..100 {
            // Map entries are dropped on clear (as generated maps' are): no maps here.
            let payload = random_message(&desc, &mut rng, 3, false)
                .serialize_to_vec()
                .unwrap();
            reuse_allocates_nothing(&desc, &payload);
        }
    }
}

#[test]
fn memory_policies_bound_what_a_dynamic_message_keeps() {
    let Some(pool) = benchmark_pool() else { return };
    let desc = pool
        .get_message_by_name("benchmarks.proto2.GoogleMessage2")
        .unwrap();
    let payload = &dataset("google_message2")[0];
    let mut m = DynamicMessage::new(desc.clone());
    m.merge_from_slice(payload).unwrap();
    let full = m.space_used();
    let table = DynamicMessage::new(desc.clone()).space_used();
    assert!(full > table);
    m.clear_with(&MemoryPolicy::Release);
    assert_eq!(
        m.space_used(),
        table,
        "only the field table (the message's shape) stays"
    );
    m.merge_from_slice(payload).unwrap();
    m.clear_with(&MemoryPolicy::Budget { max_bytes: 4096 });
    assert!(
        m.space_used() <= table + 4096,
        "{} > {}",
        m.space_used(),
        table + 4096
    );
    // What was released is allocated again, and parsing still gives the same message.
    m.merge_from_slice(payload).unwrap();
    assert_eq!(m.serialize_to_vec().unwrap(), *payload);
    m.shrink_to_fit();
    assert_eq!(m.serialize_to_vec().unwrap(), *payload);
}

/// Parses `input` through the generated type and through a dynamic message: both succeed
/// with the same text, or both fail with the same error; and parsing allocates no more than
/// a small multiple of the input.
fn same_outcome<G: Message>(desc: &MessageDescriptor, input: &[u8], options: &ParseOptions) {
    // A new (sub-)message allocates its field table: the schema's size, not the input's.
    let table = DynamicMessage::new(desc.clone()).space_used() as u64;
    let mut g = G::default();
    let expected = g.merge_partial_from_slice(input, options);
    let mut d = DynamicMessage::new(desc.clone());
    let (got, allocs) = count(|| d.merge_partial_from_slice(input, options));
    assert_eq!(got, expected, "input {input:02x?}");
    if got.is_ok() {
        assert_eq!(format!("{d:?}"), format!("{g:?}"), "input {input:02x?}");
    }
    assert!(
        allocs.largest <= 4096 + table + 64 * input.len() as u64,
        "allocation of {} bytes for {} input bytes",
        allocs.largest,
        input.len()
    );
}

fn mutations(rng: &mut Rng, bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for cut in 0..bytes.len() {
        out.push(bytes[..cut].to_vec());
    }
    for _ in 0..40 {
        let mut b = bytes.to_vec();
        if b.is_empty() {
            break;
        }
        for _ in 0..=rng.below(3) {
            let at = rng.below(b.len() as u64) as usize;
            match rng.below(4) {
                0 => b[at] = rng.next() as u8,
                1 => b[at] ^= 1 << rng.below(8),
                // An overlong varint / huge length where a byte was.
                2 => {
                    b.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
                }
                _ => {
                    b.splice(at..at, [0x80; 11]);
                }
            }
        }
        out.push(b);
    }
    out
}

fn hostile<G: Message>(pool: &DescriptorPool, name: &str, seed: u64) {
    let desc = pool.get_message_by_name(name).unwrap();
    let mut rng = Rng(seed);
    let options = ParseOptions::default();
    for _ in 0..25 {
        let bytes = random_message(&desc, &mut rng, 1, true)
            .serialize_to_vec()
            .unwrap();
        for input in mutations(&mut rng, &bytes) {
            same_outcome::<G>(&desc, &input, &options);
        }
    }
}

#[test]
fn malformed_proto3_input_fails_as_the_generated_type_does() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    hostile::<proto3::TestAllTypesProto3>(&pool, P3, 21);
}

#[test]
fn malformed_proto2_input_fails_as_the_generated_type_does() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    hostile::<proto2::TestAllTypesProto2>(&pool, P2, 22);
}

/// Random byte strings built from plausible tags (every field number of the message, wire
/// types 0-7) and random values.
fn random_bytes(desc: &MessageDescriptor, rng: &mut Rng) -> Vec<u8> {
    let numbers: Vec<u32> = desc.fields().map(|f| f.number()).collect();
    let mut out = Vec::new();
    for _ in 0..rng.below(12) {
        let number = if rng.chance(8) {
            1 + rng.below(1000) as u32
        } else {
            numbers[rng.below(numbers.len() as u64) as usize]
        };
        let mut key = (u64::from(number) << 3) | rng.below(8);
        while key >= 0x80 {
            out.push(key as u8 | 0x80);
            key >>= 7;
        }
        out.push(key as u8);
        for _ in 0..rng.below(6) {
            out.push(rng.next() as u8 & if rng.chance(2) { 0x7f } else { 0xff });
        }
    }
    out
}

#[test]
fn random_bytes_fail_or_parse_as_the_generated_types_do() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let opts = ParseOptions::default();
    let p2 = pool.get_message_by_name(P2).unwrap();
    let p3 = pool.get_message_by_name(P3).unwrap();
    let mut rng = Rng(77);
    for _ in 0..2000 {
        same_outcome::<proto2::TestAllTypesProto2>(&p2, &random_bytes(&p2, &mut rng), &opts);
        same_outcome::<proto3::TestAllTypesProto3>(&p3, &random_bytes(&p3, &mut rng), &opts);
    }
}

#[test]
fn deep_nesting_huge_lengths_and_bad_tags_are_typed_errors() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let desc = pool.get_message_by_name(P3).unwrap();
    let opts = ParseOptions::default();
    // recursive_message (27) nested 200 deep.
    let mut deep = Vec::new();
    for _ in 0..200 {
        let mut outer = vec![0xda, 0x01];
        let len = deep.len();
        let mut l = len;
        loop {
            let b = (l & 0x7f) as u8;
            l >>= 7;
            outer.push(if l > 0 { b | 0x80 } else { b });
            if l == 0 {
                break;
            }
        }
        outer.extend_from_slice(&deep);
        deep = outer;
    }
    let err = DynamicMessage::decode(desc.clone(), &deep).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(100));
    same_outcome::<proto3::TestAllTypesProto3>(&desc, &deep, &opts);
    let shallow = ParseOptions {
        recursion_limit: 5,
        ..opts
    };
    same_outcome::<proto3::TestAllTypesProto3>(&desc, &deep[..], &shallow);

    for input in [
        // optional_nested_message (18) claiming 2 GiB.
        &[0x92, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00][..],
        // packed repeated_int32 (31) claiming more than present.
        &[0xfa, 0x01, 0xff, 0xff, 0xff, 0x7f, 0x01][..],
        // a 2^40 varint length for a string.
        &[0x72, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20][..],
        // overlong varint value, invalid wire type, field 0, stray end group.
        &[
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ][..],
        &[0x0f][..],
        &[0x00][..],
        &[0x0c][..],
        // invalid UTF-8 in optional_string (14).
        &[0x72, 0x02, 0xc3, 0x28][..],
        // a map entry (map_int32_int32, 56) cut short.
        &[0xc2, 0x03, 0x04, 0x08, 0x01][..],
    ] {
        let err = DynamicMessage::decode(desc.clone(), input).unwrap_err();
        assert!(
            !matches!(err.kind(), DecodeErrorKind::MissingRequiredFields(_)),
            "{input:02x?}: {err}"
        );
        same_outcome::<proto3::TestAllTypesProto3>(&desc, input, &opts);
    }

    // Unterminated and mismatched groups in proto2 (Data = 201).
    let p2 = pool.get_message_by_name(P2).unwrap();
    for input in [
        &[0xcb, 0x0c][..],
        &[0xcb, 0x0c, 0xd4, 0x0c][..],
        &[0xcb, 0x0c, 0xcc, 0x0c][..],
    ] {
        same_outcome::<proto2::TestAllTypesProto2>(&p2, input, &opts);
    }
}

/// JSON parsing into a cleared message of the same shape: the allocations of the generated
/// type and of the dynamic message, per round after the first.
fn json_reuse_allocations<G: zpb::format::JsonMessage>(
    desc: &MessageDescriptor,
    payload: &[u8],
) -> (u64, u64) {
    use zpb::format::{merge_json, to_json, JsonOptions};
    let options = JsonOptions::default();
    let generated = G::parse_from_slice(payload).unwrap();
    let json = to_json(&generated, &options).unwrap();
    let mut g = G::default();
    let mut d = DynamicMessage::new(desc.clone());
    let (mut g_allocs, mut d_allocs) = (0, 0);
    for round in 0..3 {
        g.clear();
        d.clear();
        let (r, allocs) = count(|| merge_json(&mut g, json.as_bytes(), &options));
        r.unwrap();
        let (r2, dyn_allocs) = count(|| merge_json(&mut d, json.as_bytes(), &options));
        r2.unwrap();
        if round > 0 {
            g_allocs += allocs.count;
            d_allocs += dyn_allocs.count;
        }
    }
    assert_eq!(format!("{d:?}"), format!("{g:?}"));
    (g_allocs, d_allocs)
}

/// The well-known types that hold strings, lists or maps.
const STRING_WELL_KNOWN: &[&str] = &[
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
    "google.protobuf.Value",
    "google.protobuf.Struct",
    "google.protobuf.ListValue",
    "google.protobuf.Any",
    "google.protobuf.FieldMask",
];

#[test]
fn reused_dynamic_messages_parse_json_without_allocating_where_generated_types_do_not() {
    let Some(pool) = benchmark_pool() else { return };
    let mut zero = 0;
    for (dataset_name, message) in [
        ("google_message1_proto2", "benchmarks.proto2.GoogleMessage1"),
        ("google_message1_proto3", "benchmarks.proto3.GoogleMessage1"),
        ("google_message2", "benchmarks.proto2.GoogleMessage2"),
    ] {
        let desc = pool.get_message_by_name(message).unwrap();
        for payload in dataset(dataset_name) {
            let (g, d) =
                match message {
                    "benchmarks.proto2.GoogleMessage1" => json_reuse_allocations::<
                        zpb_codegen_tests::benchmarks::proto2::GoogleMessage1,
                    >(&desc, &payload),
                    "benchmarks.proto3.GoogleMessage1" => json_reuse_allocations::<
                        zpb_codegen_tests::benchmarks::proto3::GoogleMessage1,
                    >(&desc, &payload),
                    _ => json_reuse_allocations::<
                        zpb_codegen_tests::benchmarks::proto2::GoogleMessage2,
                    >(&desc, &payload),
                };
            // Escaped strings still allocate a scratch buffer, for both.
            assert!(d <= g, "{message}: generated {g}, dynamic {d}");
            zero += usize::from(g == 0);
        }
    }
    let Some(pool) = conformance_pool() else {
        return;
    };
    for (name, seed) in [(P2, 7), (P3, 8)] {
        let desc = pool.get_message_by_name(name).unwrap();
        let mut rng = Rng(seed);
        for i in 0..100 {
            // No maps (their entries are dropped on clear, as generated maps' are), and of
            // the well-known types only those of scalars (the others move through their
            // generated type, which allocates their strings).
            let mut message = random_message(&desc, &mut rng, 3, false);
            without_types(&mut message, STRING_WELL_KNOWN);
            let payload = message.serialize_to_vec().unwrap();
            let (g, d) = if name == P2 {
                let generated = proto2::TestAllTypesProto2::parse_from_slice(&payload).unwrap();
                if zpb::format::to_json(&generated, &Default::default()).is_err() {
                    continue;
                }
                json_reuse_allocations::<proto2::TestAllTypesProto2>(&desc, &payload)
            } else {
                let generated = proto3::TestAllTypesProto3::parse_from_slice(&payload).unwrap();
                if zpb::format::to_json(&generated, &Default::default()).is_err() {
                    continue;
                }
                json_reuse_allocations::<proto3::TestAllTypesProto3>(&desc, &payload)
            };
            // Strings with escapes allocate a scratch buffer, on both sides alike.
            assert!(d <= g, "{name} message {i}: generated {g}, dynamic {d}");
            zero += usize::from(g == 0);
        }
    }
    assert!(zero >= 5, "only {zero} messages parsed without allocations");
}

/// JSON and text with the string-holding well-known forms (wrappers, `FieldMask`, `Any`),
/// escaped keys and values included, parse into a reused generated and dynamic message
/// without allocating: the dynamic message goes through values of the generated types that
/// the thread keeps.
#[test]
fn string_well_known_forms_parse_into_reused_messages_without_allocating() {
    use zpb::format::text::merge_text;
    use zpb::format::{merge_json, JsonOptions};
    use zpb::reflect::ReflectMessage;
    let json = br#"{"optionalStringWrapper":"s\u00e9","optionalBytesWrapper":"AP8=","optionalFieldMask":"a.bC,\u0064","optionalAny":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.5s"},"optionalDuration":"\u0031s","opt\u0069onalInt32":1,"repeatedStringWrapper":["x","y\n"],"oneofString":"o"}"#;
    let text = br#"optional_string_wrapper { value: "s\303\251" } optional_field_mask { paths: "a" paths: "b_c" }
                   optional_any { [type.googleapis.com/google.protobuf.Duration] { seconds: 1 } }
                   repeated_string_wrapper [{ value: "x" }, { value: "y" }] oneof_string: "o""#;
    let options = JsonOptions::default();
    let mut generated = proto3::TestAllTypesProto3::default();
    let mut dynamic = DynamicMessage::new(generated.descriptor());
    for round in 0..3 {
        for doc in [&json[..], &text[..]] {
            let is_json = doc.starts_with(b"{");
            let (g, g_allocs) = count(|| {
                generated.clear();
                match is_json {
                    true => merge_json(&mut generated, doc, &options).map_err(|e| e.to_string()),
                    false => merge_text(&mut generated, doc).map_err(|e| e.to_string()),
                }
            });
            let (d, d_allocs) = count(|| {
                dynamic.clear();
                match is_json {
                    true => merge_json(&mut dynamic, doc, &options).map_err(|e| e.to_string()),
                    false => merge_text(&mut dynamic, doc).map_err(|e| e.to_string()),
                }
            });
            g.unwrap();
            d.unwrap();
            assert_eq!(
                dynamic.serialize_to_vec().unwrap(),
                generated.serialize_to_vec().unwrap()
            );
            // The first rounds size the kept memory (JSON and text hold different values).
            if round > 0 {
                assert_eq!(g_allocs.count, 0, "generated, json {is_json}: {g_allocs:?}");
                assert_eq!(d_allocs.count, 0, "dynamic, json {is_json}: {d_allocs:?}");
            }
        }
    }
    assert_eq!(generated.optional_field_mask.get().unwrap().paths.len(), 2);
}
