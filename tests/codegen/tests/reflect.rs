//! Reflection against protoc and the generated code (here, next to the generated types: a
//! dev-dependency of `zpb` on this crate would change trybuild's UI expectations): pools built from protoc's descriptor
//! sets for Google's conformance and benchmark schemas; `DynamicMessage` parses and writes
//! the bytes the generated types do, prints the same text, and reads the values their
//! accessors return; Python's descriptor pool reads zpb's descriptor set and messages.

mod reflect_support;

use reflect_support::*;
use zpb::descriptor::feature_set::EnumType;
use zpb::descriptor::field_descriptor_proto::Type;
use zpb::descriptor::Edition;
use zpb::reflect::{
    Cardinality, Descriptor, DescriptorPool, DynamicMessage, Kind, MapKey, Value, ValueRef,
};
use zpb::Message;
use zpb_codegen_tests::benchmarks;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

const P2: &str = "protobuf_test_messages.proto2.TestAllTypesProto2";
const P3: &str = "protobuf_test_messages.proto3.TestAllTypesProto3";

#[test]
fn conformance_descriptors_answer_as_protoc_says() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let p3 = pool.get_message_by_name(P3).unwrap();
    assert_eq!(p3.name(), "TestAllTypesProto3");
    assert_eq!(
        p3.file().name(),
        "google/protobuf/test_messages_proto3.proto"
    );
    assert_eq!(p3.file().edition(), Edition::Proto3);
    assert_eq!(p3.file().package(), "protobuf_test_messages.proto3");
    // Every field, by number, name and JSON name, is the same field.
    for f in p3.fields() {
        assert_eq!(p3.get_field(f.number()).unwrap(), f);
        assert_eq!(p3.get_field_by_name(f.name()).unwrap(), f);
        assert_eq!(p3.get_field_by_json_name(f.json_name()).unwrap(), f);
        assert_eq!(f.containing_message(), p3);
    }
    let f = p3.get_field_by_name("optional_int32").unwrap();
    assert_eq!(
        (f.number(), f.kind(), f.json_name()),
        (1, Kind::Int32, "optionalInt32")
    );
    assert!(!f.supports_presence());
    assert_eq!(f.cardinality(), Cardinality::Optional);
    let f = p3.get_field_by_name("repeated_int32").unwrap();
    assert!(f.is_list() && f.is_packed());
    assert!(!p3.get_field_by_name("unpacked_int32").unwrap().is_packed());
    let f = p3.get_field_by_name("optional_nested_message").unwrap();
    assert!(f.supports_presence());
    assert_eq!(
        f.kind().as_message().unwrap().full_name(),
        format!("{P3}.NestedMessage")
    );
    // Synthetic oneofs of proto3 `optional`, the real oneof, maps.
    let f = p3.get_field_by_name("optional_bool_wrapper").unwrap();
    assert!(f.supports_presence());
    let oneof = p3.oneofs().find(|o| o.name() == "oneof_field").unwrap();
    assert!(!oneof.is_synthetic());
    let members = p3
        .fields()
        .filter(|f| f.containing_oneof().is_some_and(|o| o == oneof))
        .count();
    assert_eq!(oneof.fields().count(), members);
    assert!(members >= 9);
    assert_eq!(
        p3.get_field_by_name("oneof_uint32")
            .unwrap()
            .containing_oneof()
            .unwrap(),
        oneof
    );
    let map = p3.get_field_by_name("map_string_nested_message").unwrap();
    assert!(map.is_map() && !map.is_list());
    assert_eq!(map.map_key().unwrap().kind(), Kind::String);
    assert!(matches!(map.map_value().unwrap().kind(), Kind::Message(_)));
    assert!(map.kind().as_message().unwrap().is_map_entry());
    let e = p3.get_field_by_name("optional_nested_enum").unwrap().kind();
    let e = e.as_enum().unwrap();
    assert!(!e.is_closed());
    assert_eq!(e.get_value(-1).unwrap().name(), "NEG");
    assert_eq!(e.get_value_by_name("BAZ").unwrap().number(), 2);
    assert_eq!(e.features().enum_type(), EnumType::Open);
    // Enum values are siblings of their enum.
    assert!(matches!(
        pool.get_by_name(&format!("{P3}.NEG")),
        Some(Descriptor::EnumValue(v)) if v.number() == -1
    ));
    assert!(matches!(
        pool.get_by_name("protobuf_test_messages"),
        Some(Descriptor::Package(_))
    ));
    assert!(matches!(
        pool.get_by_name(&format!(".{P3}.optional_int32")),
        Some(Descriptor::Field(_))
    ));
    // Reserved ranges and names.
    assert!(p3.reserved_names().any(|n| n == "reserved_field"));
    assert!(p3
        .reserved_ranges()
        .any(|r| r.contains(&501) && r.contains(&510)));
    assert!(p3.reserved_ranges().any(|r| r.contains(&999999)));

    let p2 = pool.get_message_by_name(P2).unwrap();
    assert_eq!(p2.file().edition(), Edition::Proto2);
    let f = p2.get_field_by_name("optional_int32").unwrap();
    assert!(f.supports_presence());
    assert!(!p2.get_field_by_name("repeated_int32").unwrap().is_packed());
    assert!(p2.get_field_by_name("packed_int32").unwrap().is_packed());
    let e = p2.get_field_by_name("optional_nested_enum").unwrap().kind();
    assert!(e.as_enum().unwrap().is_closed());
    // Defaults.
    let d = |name: &str| {
        p2.get_field_by_name(name)
            .unwrap()
            .default_value()
            .unwrap()
            .to_value()
    };
    assert_eq!(d("default_int32"), Value::I32(-123456789));
    assert_eq!(d("default_int64"), Value::I64(-9123456789123456789));
    assert_eq!(d("default_uint64"), Value::U64(10123456789123456789));
    assert_eq!(d("default_float"), Value::F32(9e9));
    assert_eq!(d("default_double"), Value::F64(7e22));
    assert_eq!(d("default_bool"), Value::Bool(true));
    assert_eq!(d("default_string"), Value::from("Rosebud"));
    assert_eq!(d("default_bytes"), Value::from(&b"joshua"[..]));
    assert_eq!(d("optional_int32"), Value::I32(0));
    // Groups, extensions by extendee and number, extension ranges.
    let data = p2.get_field_by_name("data").unwrap();
    assert!(data.is_group());
    assert_eq!(data.proto_type(), Type::Group);
    assert_eq!(data.text_name(), "Data");
    assert!(p2.is_extension_number(120));
    let ext = p2.get_extension(120).unwrap();
    assert_eq!(
        ext.full_name(),
        "protobuf_test_messages.proto2.extension_int32"
    );
    assert_eq!(
        ext.text_name(),
        "[protobuf_test_messages.proto2.extension_int32]"
    );
    assert!(ext.is_extension());
    assert_eq!(ext.containing_message(), p2);
    assert!(p2.extensions().any(|x| x == ext));
    assert_eq!(pool.get_extension_by_name(ext.full_name()).unwrap(), ext);
    // Options, as the descriptor option messages.
    let set = p2
        .nested_messages()
        .find(|m| m.name() == "MessageSetCorrect")
        .unwrap();
    assert!(set.options().message_set_wire_format());
    // Every message's file lists it, round trip of the set.
    assert_eq!(pool.files().count(), pool.file_descriptor_set().file.len());
    assert!(pool
        .all_messages()
        .all(|m| pool.get_message_by_name(m.full_name()) == Some(m.clone())));
}

/// Parses `bytes` into the generated type and into a dynamic message of `desc` and checks
/// that both write the same bytes and print the same text.
fn same_as_generated<G: Message>(
    desc: &zpb::reflect::MessageDescriptor,
    bytes: &[u8],
    exact: bool,
) -> DynamicMessage {
    let generated = G::parse_from_slice(bytes).unwrap();
    let dynamic = DynamicMessage::decode(desc.clone(), bytes).unwrap();
    assert_eq!(format!("{dynamic:?}"), format!("{generated:?}"));
    assert_eq!(format!("{dynamic:#?}"), format!("{generated:#?}"));
    assert_eq!(dynamic.byte_size(), generated.byte_size());
    if exact {
        assert_eq!(
            dynamic.serialize_to_vec().unwrap(),
            generated.serialize_to_vec().unwrap()
        );
    }
    dynamic
}

fn random_round_trips<G: Message>(pool: &DescriptorPool, name: &str, seed: u64) {
    let desc = pool.get_message_by_name(name).unwrap();
    let mut rng = Rng(seed);
    let mut exact = 0;
    for i in 0..1000 {
        let mut built = random_message(&desc, &mut rng, 3, i % 2 == 0);
        if rng.chance(4) {
            // Unknown fields are kept and written last, as generated types do.
            built
                .mutable_unknown_fields()
                .push_varint(99_000 + i, rng.next());
        }
        let bytes = built.serialize_to_vec().unwrap();
        let maps = has_map_entries(&built);
        let generated = G::parse_from_slice(&bytes).unwrap();
        let generated_bytes = generated.serialize_to_vec().unwrap();
        if !maps {
            assert_eq!(bytes, generated_bytes, "message {i}: {built:?}");
            exact += 1;
        }
        assert_eq!(
            format!("{built:?}"),
            format!("{generated:?}"),
            "message {i}"
        );
        let parsed = same_as_generated::<G>(&desc, &generated_bytes, !maps);
        assert_eq!(parsed.byte_size(), bytes.len());
        // Parsing into a reused message gives the same message.
        let mut reused = random_message(&desc, &mut rng, 2, true);
        reused.clear();
        reused.merge_from_slice(&bytes).unwrap();
        assert_eq!(format!("{reused:?}"), format!("{built:?}"));
        // Field-by-field merge is what parsing the concatenation gives (protobuf's definition
        // of merge), for the dynamic message and the generated type alike.
        let other = random_message(&desc, &mut rng, 2, i % 3 == 0);
        let other_bytes = other.serialize_to_vec().unwrap();
        let mut merged = built.clone();
        merged.merge_from(&other);
        let concatenated =
            DynamicMessage::decode(desc.clone(), &[&bytes[..], &other_bytes].concat()).unwrap();
        assert_eq!(
            format!("{merged:?}"),
            format!("{concatenated:?}"),
            "merge {i}"
        );
        let mut generated_merged = G::parse_from_slice(&bytes).unwrap();
        generated_merged.merge_from(&G::parse_from_slice(&other_bytes).unwrap());
        assert_eq!(
            format!("{merged:?}"),
            format!("{generated_merged:?}"),
            "merge {i}"
        );
    }
    assert!(exact > 100, "only {exact} messages without maps");
}

#[test]
fn random_proto3_messages_match_the_generated_type() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    random_round_trips::<proto3::TestAllTypesProto3>(&pool, P3, 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn random_proto2_messages_match_the_generated_type() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    random_round_trips::<proto2::TestAllTypesProto2>(&pool, P2, 0x2545_f491_4f6c_dd1d);
}

#[test]
fn random_benchmark_messages_match_the_generated_types() {
    let Some(pool) = benchmark_pool() else { return };
    random_round_trips::<benchmarks::proto2::GoogleMessage1>(
        &pool,
        "benchmarks.proto2.GoogleMessage1",
        31,
    );
    random_round_trips::<benchmarks::proto3::GoogleMessage1>(
        &pool,
        "benchmarks.proto3.GoogleMessage1",
        32,
    );
    random_round_trips::<benchmarks::proto2::GoogleMessage2>(
        &pool,
        "benchmarks.proto2.GoogleMessage2",
        33,
    );
}

#[test]
fn benchmark_datasets_match_the_generated_types() {
    let Some(pool) = benchmark_pool() else { return };
    let m1p2 = pool
        .get_message_by_name("benchmarks.proto2.GoogleMessage1")
        .unwrap();
    let m1p3 = pool
        .get_message_by_name("benchmarks.proto3.GoogleMessage1")
        .unwrap();
    let m2 = pool
        .get_message_by_name("benchmarks.proto2.GoogleMessage2")
        .unwrap();
    for payload in dataset("google_message1_proto2") {
        let d = same_as_generated::<benchmarks::proto2::GoogleMessage1>(&m1p2, &payload, true);
        assert_eq!(d.serialize_to_vec().unwrap(), payload);
    }
    for payload in dataset("google_message1_proto3") {
        same_as_generated::<benchmarks::proto3::GoogleMessage1>(&m1p3, &payload, true);
    }
    for payload in dataset("google_message2") {
        let d = same_as_generated::<benchmarks::proto2::GoogleMessage2>(&m2, &payload, true);
        assert_eq!(d.serialize_to_vec().unwrap(), payload);
    }
}

#[test]
fn reflection_reads_what_the_accessors_return() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let desc = pool.get_message_by_name(P3).unwrap();
    let mut rng = Rng(7);
    for _ in 0..200 {
        let bytes = random_message(&desc, &mut rng, 2, true)
            .serialize_to_vec()
            .unwrap();
        let g = proto3::TestAllTypesProto3::parse_from_slice(&bytes).unwrap();
        let d = DynamicMessage::decode(desc.clone(), &bytes).unwrap();
        let get = |name: &str| d.get_field_by_name(name).unwrap();
        assert_eq!(get("optional_int32"), ValueRef::I32(g.optional_int32()));
        assert_eq!(get("optional_uint64"), ValueRef::U64(g.optional_uint64()));
        assert_eq!(get("optional_sint64"), ValueRef::I64(g.optional_sint64()));
        assert_eq!(get("optional_bool"), ValueRef::Bool(g.optional_bool()));
        assert_eq!(
            get("optional_string"),
            ValueRef::String(g.optional_string())
        );
        assert_eq!(get("optional_bytes"), ValueRef::Bytes(g.optional_bytes()));
        assert_eq!(
            get("optional_nested_enum"),
            ValueRef::EnumNumber(g.optional_nested_enum().raw())
        );
        let list = get("repeated_int32").as_list().unwrap();
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            g.repeated_int32()
                .iter()
                .map(|&v| ValueRef::I32(v))
                .collect::<Vec<_>>()
        );
        let strings = get("repeated_string").as_list().unwrap();
        assert_eq!(strings.len(), g.repeated_string().len());
        let map = get("map_int32_int32").as_map().unwrap();
        assert_eq!(map.len(), g.map_int32_int32().len());
        for (k, v) in g.map_int32_int32() {
            assert_eq!(map.get(&MapKey::I32(*k)), Some(ValueRef::I32(*v)));
        }
        let nested = desc.get_field_by_name("optional_nested_message").unwrap();
        assert_eq!(d.has_field(&nested), g.has_optional_nested_message());
        let a = get("optional_nested_message")
            .as_message()
            .unwrap()
            .get_field_by_name("a")
            .unwrap();
        assert_eq!(a, ValueRef::I32(g.optional_nested_message().a()));
        let oneof = desc.oneofs().find(|o| o.name() == "oneof_field").unwrap();
        assert_eq!(
            d.which_oneof(&oneof).map(|f| f.number()),
            g.which_oneof_field().map(zpb::Oneof::field_number)
        );
        // Set fields are listed in number order.
        let numbers: Vec<u32> = d.fields().map(|(f, _)| f.number()).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
    }
}

#[test]
fn reflection_writes_are_seen_by_the_accessors() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let desc = pool.get_message_by_name(P2).unwrap();
    let f = |n: &str| desc.get_field_by_name(n).unwrap();
    let mut d = DynamicMessage::new(desc.clone());
    d.set_field(&f("optional_int32"), Value::I32(-5)).unwrap();
    d.set_field(&f("optional_string"), Value::from("zpb"))
        .unwrap();
    d.set_field(&f("optional_nested_enum"), Value::EnumNumber(2))
        .unwrap();
    d.push_value(&f("repeated_sint64"), Value::I64(-1)).unwrap();
    d.insert_map_entry(
        &f("map_string_string"),
        MapKey::String("k".into()),
        Value::from("v"),
    )
    .unwrap();
    d.get_message_mut(&f("optional_nested_message"))
        .unwrap()
        .set_field_by_name("a", Value::I32(9))
        .unwrap();
    d.get_message_mut(&f("data"))
        .unwrap()
        .set_field_by_name("group_int32", Value::I32(3))
        .unwrap();
    d.set_field(&f("oneof_uint32"), Value::U32(4)).unwrap();
    d.set_field(&f("oneof_string"), Value::from("wins"))
        .unwrap();
    assert!(
        !d.has_field(&f("oneof_uint32")),
        "setting a oneof member clears the others"
    );

    let g = proto2::TestAllTypesProto2::parse_from_slice(&d.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(g.optional_int32(), -5);
    assert_eq!(g.optional_string(), "zpb");
    assert_eq!(
        g.optional_nested_enum(),
        proto2::test_all_types_proto2::NestedEnum::Baz
    );
    assert_eq!(g.repeated_sint64(), [-1]);
    assert_eq!(g.map_string_string()["k"], "v");
    assert_eq!(g.optional_nested_message().a(), 9);
    assert_eq!(g.data().group_int32(), 3);
    assert_eq!(g.oneof_string(), "wins");
    assert_eq!(format!("{d:?}"), format!("{g:?}"));

    // Element writes and map removal.
    d.push_value(&f("repeated_sint64"), Value::I64(2)).unwrap();
    d.set_list_element(&f("repeated_sint64"), 0, Value::I64(7))
        .unwrap();
    assert_eq!(
        d.set_list_element(&f("repeated_sint64"), 2, Value::I64(7)),
        Err(zpb::reflect::ReflectError::IndexOutOfRange { index: 2, len: 2 })
    );
    let list = d
        .get_field(&f("repeated_sint64"))
        .unwrap()
        .as_list()
        .unwrap();
    assert_eq!(
        list.iter().collect::<Vec<_>>(),
        [ValueRef::I64(7), ValueRef::I64(2)]
    );
    d.insert_map_entry(
        &f("map_string_string"),
        MapKey::String("gone".into()),
        Value::from("x"),
    )
    .unwrap();
    assert_eq!(
        d.remove_map_entry(&f("map_string_string"), &MapKey::String("gone".into())),
        Some(Value::from("x"))
    );
    d.set_list_element(&f("repeated_sint64"), 0, Value::I64(-1))
        .unwrap();
    d.clear_field(&f("repeated_sint64"));
    d.push_value(&f("repeated_sint64"), Value::I64(-1)).unwrap();

    // Type errors are typed, and leave the message as it was.
    let before = format!("{d:?}");
    assert!(d.set_field(&f("optional_int32"), Value::I64(1)).is_err());
    assert!(d
        .set_field(&f("optional_nested_enum"), Value::I32(1))
        .is_err());
    assert!(d.push_value(&f("optional_int32"), Value::I32(1)).is_err());
    assert!(d
        .insert_map_entry(&f("map_string_string"), MapKey::I32(1), Value::from("v"))
        .is_err());
    let p3 = pool.get_message_by_name(P3).unwrap();
    let other = p3.get_field_by_name("optional_int32").unwrap();
    assert!(d.set_field(&other, Value::I32(1)).is_err());
    assert!(d.get_field(&other).is_none());
    assert!(d.set_field_by_name("no_such_field", Value::I32(1)).is_err());
    assert_eq!(format!("{d:?}"), before);

    // Clearing a field; reading an unset message gives an empty one; defaults.
    d.clear_field(&f("optional_nested_message"));
    assert!(!d.has_field(&f("optional_nested_message")));
    let empty = d.get_field(&f("optional_nested_message")).unwrap();
    assert_eq!(format!("{:?}", empty.as_message().unwrap()), "");
    assert_eq!(
        d.get_field(&f("default_string")).unwrap(),
        ValueRef::String("Rosebud")
    );
    assert!(!d.has_field(&f("default_string")));
}

#[test]
fn required_fields_are_checked_with_paths() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let name = "protobuf_test_messages.proto2.TestAllRequiredTypesProto2";
    let desc = pool.get_message_by_name(name).unwrap();
    let d = DynamicMessage::new(desc.clone());
    let g = proto2::TestAllRequiredTypesProto2::default();
    assert!(!d.is_initialized());
    assert_eq!(d.missing_fields(), g.missing_fields());
    let mut rng = Rng(11);
    for _ in 0..100 {
        let m = random_message(&desc, &mut rng, 2, true);
        let bytes = m.serialize_partial_to_vec().unwrap();
        let g = proto2::TestAllRequiredTypesProto2::parse_partial_from_slice(&bytes).unwrap();
        let d = DynamicMessage::parse_partial_with(&desc, &bytes);
        assert_eq!(d.is_initialized(), g.is_initialized());
        assert_eq!(d.missing_fields(), g.missing_fields());
        assert_eq!(
            DynamicMessage::decode(desc.clone(), &bytes).map(|_| ()),
            proto2::TestAllRequiredTypesProto2::parse_from_slice(&bytes).map(|_| ())
        );
    }
}

trait PartialWith {
    fn parse_partial_with(desc: &zpb::reflect::MessageDescriptor, bytes: &[u8]) -> Self;
}

impl PartialWith for DynamicMessage {
    fn parse_partial_with(desc: &zpb::reflect::MessageDescriptor, bytes: &[u8]) -> Self {
        let mut d = DynamicMessage::new(desc.clone());
        d.merge_partial_from_slice(bytes, &Default::default())
            .unwrap();
        d
    }
}

/// Python's descriptor pool loads the descriptor set zpb's pool writes, and parses messages
/// built through zpb's reflection to the same text.
#[test]
fn python_reads_zpb_descriptors_and_dynamic_messages() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let Some(python) = zpb_test_support::python("the Python reflection cross-check") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("zpb-reflect-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("set.fds"),
        pool.file_descriptor_set().serialize_to_vec().unwrap(),
    )
    .unwrap();
    let desc = pool.get_message_by_name(P2).unwrap();
    let mut rng = Rng(3);
    let mut messages = Vec::new();
    let mut expected = Vec::new();
    for _ in 0..50 {
        let m = random_message(&desc, &mut rng, 2, false);
        let b = m.serialize_to_vec().unwrap();
        let hex = b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        messages.push(hex.clone());
        expected.push(hex);
    }
    std::fs::write(dir.join("messages.txt"), messages.join("\n")).unwrap();
    let script = r#"
import sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
d = sys.argv[1]
fds = descriptor_pb2.FileDescriptorSet()
fds.ParseFromString(open(d + "/set.fds", "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.Add(f)
cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(sys.argv[2]))
n = 0
for line in open(d + "/messages.txt").read().split():
    data = bytes.fromhex(line)
    m = cls()
    m.ParseFromString(data)
    print(m.SerializeToString().hex())
    n += 1
print("ok", n, len(pool.FindMessageTypeByName(sys.argv[2]).fields))
"#;
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&dir)
        .arg(P2)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some(format!("ok 50 {}", desc.fields().count()).as_str())
    );
    // Python (upb) writes the same bytes as the dynamic message did.
    assert_eq!(
        lines[..lines.len() - 1],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
}

#[test]
fn any_packs_unpacks_and_resolves_type_urls() {
    use zpb::reflect::{AnyError, TypeRegistry};
    use zpb::well_known::{Any, Duration};
    let Some(pool) = conformance_pool() else {
        return;
    };
    let mut g = proto3::TestAllTypesProto3::default();
    g.set_optional_int32(5);
    g.set_optional_string("packed");
    g.mutable_optional_any().clone_from(
        &Any::pack(&Duration {
            seconds: 9,
            ..Default::default()
        })
        .unwrap(),
    );
    let any = Any::pack(&g).unwrap();
    assert_eq!(any.type_name().unwrap(), P3);
    assert!(any.is::<proto3::TestAllTypesProto3>());
    assert_eq!(any.unpack::<proto3::TestAllTypesProto3>().unwrap(), g);

    // Through a registry, into a dynamic message; nested Any too.
    let mut registry = TypeRegistry::new();
    registry.add_pool(pool.clone());
    let d = registry.unpack(&any).unwrap();
    assert_eq!(format!("{d:?}"), format!("{g:?}"));
    let inner = d.get_field_by_name("optional_any").unwrap();
    let inner_bytes = inner.as_message().unwrap().serialize_to_vec().unwrap();
    let inner_any = Any::parse_from_slice(&inner_bytes).unwrap();
    assert_eq!(inner_any.unpack::<Duration>().unwrap().seconds, 9);
    let nested = Any::pack(&any).unwrap();
    assert_eq!(
        nested
            .unpack::<Any>()
            .unwrap()
            .unpack::<proto3::TestAllTypesProto3>()
            .unwrap(),
        g
    );
    let dynamic_nested = registry.unpack(&nested).unwrap();
    assert_eq!(dynamic_nested.full_name(), "google.protobuf.Any");

    // Dynamic messages pack under their descriptor's name.
    let repacked = Any::pack_dynamic(&d).unwrap();
    assert_eq!(repacked.type_url, any.type_url);
    assert_eq!(repacked.unpack_dynamic(d.descriptor()).unwrap(), d);
    let custom = Any::pack_with_prefix(&g, "example.com/types/").unwrap();
    assert_eq!(custom.type_url, format!("example.com/types/{P3}"));

    // Typed errors.
    let bad = |url: &str| Any {
        type_url: url.into(),
        ..Default::default()
    };
    assert!(matches!(
        registry.unpack(&bad("no-slash")),
        Err(AnyError::InvalidTypeUrl(_))
    ));
    assert!(matches!(
        registry.unpack(&bad("x.com/")),
        Err(AnyError::InvalidTypeUrl(_))
    ));
    assert!(
        matches!(registry.unpack(&bad("x.com/pkg.Missing")), Err(AnyError::UnknownType(n)) if n == "pkg.Missing")
    );
    assert!(matches!(
        any.unpack::<Duration>(),
        Err(AnyError::TypeMismatch { .. })
    ));
    let mut corrupt = any.clone();
    corrupt.value = vec![0x0a, 0xff];
    assert!(matches!(
        registry.unpack(&corrupt),
        Err(AnyError::Decode(_))
    ));
    assert!(matches!(
        corrupt.unpack::<proto3::TestAllTypesProto3>(),
        Err(AnyError::Decode(_))
    ));
}

#[test]
fn extensions_live_in_unknown_fields_and_read_as_values() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let desc = pool.get_message_by_name(P2).unwrap();
    let int_ext = desc.get_extension(120).unwrap();
    let string_ext = pool
        .get_extension_by_name("protobuf_test_messages.proto2.extension_string")
        .unwrap();
    let group_ext = desc.get_extension(121).unwrap();
    assert!(group_ext.is_group());

    // Written through reflection, read by the generated extension constants.
    let mut d = DynamicMessage::new(desc.clone());
    d.set_field_by_name("optional_int32", Value::I32(1))
        .unwrap();
    d.set_extension(&int_ext, Value::I32(-7)).unwrap();
    d.set_extension(&int_ext, Value::I32(8)).unwrap();
    d.set_extension(&string_ext, Value::from("ext")).unwrap();
    let mut group = DynamicMessage::new(group_ext.kind().as_message().unwrap().clone());
    group
        .set_field_by_name("group_int32", Value::I32(3))
        .unwrap();
    d.set_extension(&group_ext, Value::Message(group)).unwrap();
    let g = proto2::TestAllTypesProto2::parse_from_slice(&d.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(proto2::EXTENSION_INT32.get(&g).unwrap(), Some(8));
    assert_eq!(
        proto2::EXTENSION_STRING.get(&g).unwrap().as_deref(),
        Some("ext")
    );
    assert_eq!(
        proto2::GROUPFIELD.get(&g).unwrap().unwrap().group_int32(),
        3
    );
    assert_eq!(format!("{d:?}"), format!("{g:?}"));

    // Written by the generated constants, read through reflection.
    let mut g = proto2::TestAllTypesProto2::default();
    proto2::EXTENSION_INT32.set(&mut g, &42);
    let d = DynamicMessage::decode(desc.clone(), &g.serialize_to_vec().unwrap()).unwrap();
    assert_eq!(d.get_extension(&int_ext).unwrap(), Some(Value::I32(42)));
    assert!(d.has_extension(&int_ext) && !d.has_extension(&string_ext));
    assert_eq!(d.get_extension(&string_ext).unwrap(), None);
    let mut d = d;
    d.clear_extension(&int_ext);
    assert!(d.unknown_fields().is_empty());

    // Wrong message, wrong type.
    let p3 = pool.get_message_by_name(P3).unwrap();
    assert!(DynamicMessage::new(p3).get_extension(&int_ext).is_err());
    assert!(d.set_extension(&int_ext, Value::from("x")).is_err());
    let field = desc.get_field_by_name("optional_int32").unwrap();
    assert!(d.get_extension(&field).is_err());
}

/// zpb-build's own descriptor set (protobuf-parse's front end, `Config::file_descriptor_set_path`)
/// loads into a pool, and dynamic messages of its types write what the generated ones do.
#[test]
fn zpb_build_descriptor_sets_load() {
    let pool = DescriptorPool::decode(zpb_codegen_tests::NAMING_DESCRIPTORS).unwrap();
    assert!(pool.files().count() >= 2);
    let mut rng = Rng(5);
    for desc in pool.all_messages().filter(|m| !m.is_map_entry()) {
        for f in desc.fields() {
            assert_eq!(desc.get_field_by_name(f.name()), Some(f.clone()));
        }
        for _ in 0..20 {
            let m = random_message(&desc, &mut rng, 2, true);
            let bytes = m.serialize_to_vec().unwrap();
            let back = DynamicMessage::decode(desc.clone(), &bytes).unwrap();
            assert_eq!(format!("{back:?}"), format!("{m:?}"));
            assert_eq!(back.byte_size(), bytes.len());
        }
    }
}
