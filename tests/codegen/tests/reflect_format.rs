//! JSON and text format of `DynamicMessage` against the generated types: for Google's
//! `test_messages_proto2/3`, 1,000 random messages each print the same JSON and text as the
//! generated type (byte for byte; messages with map entries, whose JSON order is the
//! generated map's hash order, are compared after parsing back), parse back to the same
//! message, and hostile JSON and text give the same typed errors.

mod reflect_support;

use reflect_support::*;
use zpb::format::json::WriteOptions;
use zpb::format::text::{merge_text_with, to_text_with, TextMessage, TextPrintOptions};
use zpb::format::{merge_json_with, write_json, JsonMessage, JsonOptions, TypeRegistry};
use zpb::reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, ReflectMessage};
use zpb::Message;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};

const P2: &str = "protobuf_test_messages.proto2.TestAllTypesProto2";
const P3: &str = "protobuf_test_messages.proto3.TestAllTypesProto3";

/// The well-known types whose random content may have no JSON form (a timestamp out of
/// range, a `Value` with no kind, an `Any` of an unknown type, a field mask path with
/// capitals).
const REFUSABLE: &[&str] = &[
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
    "google.protobuf.Value",
    "google.protobuf.Struct",
    "google.protobuf.ListValue",
    "google.protobuf.Any",
    "google.protobuf.FieldMask",
];

/// The registry both sides print and parse through: the test messages (for `Any`) and
/// proto2's extensions.
fn registry() -> TypeRegistry {
    let mut registry = TypeRegistry::with_well_known();
    registry
        .add::<proto2::TestAllTypesProto2>()
        .add::<proto3::TestAllTypesProto3>()
        .add_extension(&proto2::EXTENSION_INT32)
        .add_extension(&proto2::EXTENSION_STRING)
        .add_extension(&proto2::EXTENSION_BYTES)
        .add_extension(&proto2::GROUPFIELD);
    registry
}

/// The JSON of `m`, or the error and what was printed before it.
fn json<M: JsonMessage>(
    m: &M,
    options: &JsonOptions,
    registry: &TypeRegistry,
) -> Result<String, (String, String)> {
    let mut out = String::new();
    match write_json(m, &mut out, options, registry) {
        Ok(()) => Ok(out),
        Err(e) => Err((format!("{e:?}"), out)),
    }
}

fn option_sets() -> [JsonOptions; 3] {
    [
        JsonOptions::default(),
        JsonOptions {
            emit_defaults: true,
            proto_names: true,
            enums_as_ints: true,
            ..JsonOptions::default()
        },
        JsonOptions {
            layout: WriteOptions {
                indent: Some(2),
                ..WriteOptions::default()
            },
            ..JsonOptions::default()
        },
    ]
}

/// Parses `input` as JSON into a fresh `G` and a fresh dynamic message of `desc`: the same
/// error, or messages that print the same text.
fn same_json_parse<G: JsonMessage + Default>(
    desc: &MessageDescriptor,
    input: &str,
    options: &JsonOptions,
    registry: &TypeRegistry,
) -> Result<(G, DynamicMessage), String> {
    let mut g = G::default();
    let mut d = DynamicMessage::new(desc.clone());
    let gr = merge_json_with(&mut g, input.as_bytes(), options, registry);
    let dr = merge_json_with(&mut d, input.as_bytes(), options, registry);
    match (gr, dr) {
        (Ok(()), Ok(())) => {
            assert_eq!(format!("{d:?}"), format!("{g:?}"), "parsing {input}");
            Ok((g, d))
        }
        (Err(ge), Err(de)) => {
            assert_eq!(format!("{de:?}"), format!("{ge:?}"), "parsing {input}");
            Err(format!("{ge:?}"))
        }
        (gr, dr) => panic!("parsing {input}: generated {gr:?}, dynamic {dr:?}"),
    }
}

/// The same for text format.
fn same_text_parse<G: TextMessage + Message>(
    desc: &MessageDescriptor,
    input: &str,
    registry: &TypeRegistry,
) -> Result<(), String> {
    let mut g = G::default();
    let mut d = DynamicMessage::new(desc.clone());
    let gr = merge_text_with(&mut g, input.as_bytes(), registry);
    let dr = merge_text_with(&mut d, input.as_bytes(), registry);
    match (gr, dr) {
        (Ok(()), Ok(())) => {
            assert_eq!(format!("{d:?}"), format!("{g:?}"), "parsing {input}");
            Ok(())
        }
        (Err(ge), Err(de)) => {
            assert_eq!(format!("{de:?}"), format!("{ge:?}"), "parsing {input}");
            Err(format!("{ge:?}"))
        }
        (gr, dr) => panic!("parsing {input}: generated {gr:?}, dynamic {dr:?}"),
    }
}

fn cross_check<G: JsonMessage + TextMessage + Message>(
    pool: &DescriptorPool,
    name: &str,
    seed: u64,
    refusals: bool,
) {
    let desc = pool.get_message_by_name(name).unwrap();
    let registry = registry();
    let mut rng = Rng(seed);
    let (mut exact, mut printed, mut refused) = (0, 0, 0);
    for i in 0..1000 {
        let mut built = random_message(&desc, &mut rng, 3, i % 2 == 0);
        if i % 4 != 0 {
            without_types(&mut built, REFUSABLE);
        }
        let bytes = built.serialize_to_vec().unwrap();
        let generated = G::parse_from_slice(&bytes).unwrap();
        let dynamic = DynamicMessage::decode(desc.clone(), &bytes).unwrap();
        let maps = has_map_entries(&dynamic);
        for options in option_sets() {
            let g = json(&generated, &options, &registry);
            let d = json(&dynamic, &options, &registry);
            match (&g, &d) {
                (Err(ge), Err(de)) => {
                    // The same error, after the same output (unless map entries, in hash
                    // order on the generated side, came first: then another bad value may
                    // be met first).
                    if !maps {
                        assert_eq!(de, ge, "message {i}");
                    }
                    refused += 1;
                    continue;
                }
                (Ok(gj), Ok(dj)) if !maps => {
                    assert_eq!(dj, gj, "message {i}");
                    exact += 1;
                }
                (Ok(_), Ok(_)) => {}
                _ => panic!("message {i}: generated {g:?}, dynamic {d:?}"),
            }
            printed += 1;
            let (gj, dj) = (g.unwrap(), d.unwrap());
            // Each side's output parses on both sides to the same message.
            let from_generated = same_json_parse::<G>(&desc, &gj, &options, &registry)
                .unwrap_or_else(|e| panic!("message {i}: {e}\n{gj}"));
            let from_dynamic = same_json_parse::<G>(&desc, &dj, &options, &registry)
                .unwrap_or_else(|e| panic!("message {i}: {e}\n{dj}"));
            assert_eq!(
                format!("{:?}", from_generated.1),
                format!("{:?}", from_dynamic.1),
                "message {i}"
            );
        }
        // Text: the same output (maps are printed sorted), which parses back on both sides.
        let no_unknown = TextPrintOptions {
            print_unknown_fields: false,
            ..TextPrintOptions::default()
        };
        for options in [
            no_unknown,
            TextPrintOptions {
                single_line: true,
                ..no_unknown
            },
        ] {
            let gt = to_text_with(&generated, &options, &registry);
            let dt = to_text_with(&dynamic, &options, &registry);
            assert_eq!(dt, gt, "message {i}");
            same_text_parse::<G>(&desc, &dt, &registry)
                .unwrap_or_else(|e| panic!("message {i}: {e}\n{dt}"));
        }
    }
    // Random well-known values (a timestamp out of range, a `Value` with no kind, an `Any` of
    // an unknown type) are refused by both sides: only proto3 has them.
    assert!(
        exact >= 100,
        "only {exact} JSON outputs compared byte for byte"
    );
    assert!(printed >= 300, "only {printed} printed");
    assert_eq!(refused > 0, refusals, "{refused} refused");
}

#[test]
fn random_proto3_messages_print_and_parse_as_the_generated_type() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    cross_check::<proto3::TestAllTypesProto3>(&pool, P3, 0x51_7cc1_b727_220a, true);
}

#[test]
fn random_proto2_messages_print_and_parse_as_the_generated_type() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    cross_check::<proto2::TestAllTypesProto2>(&pool, P2, 0x2f69_3b0d_14c3_8b7e, false);
}

/// Hostile and edge-case JSON: the same typed errors (kind and line/column) or the same
/// message on both sides.
#[test]
fn hostile_json_gives_the_same_errors() {
    with_small_stack(hostile_json);
}

/// Runs `f` on a thread with a 2 MiB stack (what test threads get): every parser, generated
/// or dynamic and unoptimized, takes 100 levels of nesting in it (`depth.rs`).
fn with_small_stack(f: fn()) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn hostile_json() {
    let registry = registry();
    let deep = format!(
        "{}{}",
        "{\"recursiveMessage\":".repeat(200),
        "}".repeat(200)
    );
    let deep_list = format!(
        "{{\"repeatedValue\":{}{}}}",
        "[".repeat(150),
        "]".repeat(150)
    );
    let cases: Vec<String> = [
        "",
        "{",
        "}",
        "[]",
        "null",
        "{\"optionalInt32\": 1,}",
        "{\"optionalInt32\": 2147483648}",
        "{\"optionalInt32\": 1.5}",
        "{\"optionalInt32\": \"1\"}",
        "{\"optionalInt32\": \"\\u0031\"}",
        "{\"optionalUint32\": -1}",
        "{\"optionalInt64\": \"9223372036854775808\"}",
        "{\"optionalFloat\": 1e39}",
        "{\"optionalDouble\": \"NaN\"}",
        "{\"optionalBool\": \"true\"}",
        "{\"optionalString\": \"\\ud800\"}",
        "{\"optionalBytes\": \"!!\"}",
        "{\"optionalBytes\": \"-_8\"}",
        "{\"optionalNestedEnum\": \"NOPE\"}",
        "{\"optionalNestedEnum\": 7}",
        "{\"optionalNestedEnum\": null}",
        "{\"optionalInt32\": 1, \"optional_int32\": 2}",
        "{\"oneofUint32\": 1, \"oneofString\": \"x\"}",
        "{\"oneofUint32\": null, \"oneofString\": \"x\"}",
        "{\"oneofNestedMessage\": {\"a\": 1}, \"oneofNestedMessage\": {}}",
        "{\"mapInt32Int32\": {\"1\": 2, \"x\": 3}}",
        "{\"mapInt32Int32\": {\"1\": null}}",
        "{\"mapBoolBool\": {\"true\": true, \"false\": false}}",
        "{\"mapStringNestedMessage\": {\"a\": {\"a\": 1}}}",
        "{\"repeatedInt32\": [1, null]}",
        "{\"repeatedInt32\": null}",
        "{\"repeatedNestedEnum\": [\"FOO\", \"BAR\", 5]}",
        "{\"optionalTimestamp\": \"1970-01-01T00:00:00Z\"}",
        "{\"optionalTimestamp\": \"10000-01-01T00:00:00Z\"}",
        "{\"optionalDuration\": \"-1.5s\"}",
        "{\"optionalDuration\": \"1.5\"}",
        "{\"optionalFieldMask\": \"a.b,cD\"}",
        "{\"optionalStruct\": {\"a\": [1, \"x\", null, {\"b\": true}]}}",
        "{\"optionalValue\": null}",
        "{\"repeatedValue\": [null, 1]}",
        "{\"optionalBoolWrapper\": false, \"optionalInt64Wrapper\": \"5\"}",
        "{\"optionalAny\": {\"@type\": \"type.googleapis.com/google.protobuf.Duration\", \"value\": \"1s\"}}",
        "{\"optionalAny\": {\"optionalInt32\": 1, \"@type\": \"type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3\"}}",
        "{\"optionalAny\": {\"@type\": \"type.googleapis.com/nowhere.Nothing\"}}",
        "{\"optionalAny\": {\"optionalInt32\": 1}}",
        "{\"unknownField\": 1}",
        "{\"[protobuf_test_messages.proto2.extension_int32]\": 1}",
        "{\"optionalNestedMessage\": {\"corecursive\": {\"optionalInt32\": true}}}",
        "{\"optionalInt32\": 1}\n garbage",
        "{\"optionalString\": \"\u{ff}\"}",
    ]
    .into_iter()
    .map(String::from)
    .chain([deep, deep_list])
    .collect();
    let Some(pool) = conformance_pool() else {
        return;
    };
    let p3 = pool.get_message_by_name(P3).unwrap();
    let p2 = pool.get_message_by_name(P2).unwrap();
    let ignoring = JsonOptions {
        ignore_unknown_fields: true,
        ..JsonOptions::default()
    };
    let mut errors = 0;
    for case in &cases {
        for options in [JsonOptions::default(), ignoring] {
            errors += same_json_parse::<proto3::TestAllTypesProto3>(&p3, case, &options, &registry)
                .is_err() as usize;
            let p2_case = case.replace(
                "optionalNestedEnum\": \"NOPE",
                "optionalNestedEnum\": \"FOO",
            );
            same_json_parse::<proto2::TestAllTypesProto2>(&p2, &p2_case, &options, &registry).ok();
        }
    }
    assert!(errors > 30, "only {errors} errors");
    // Extensions parse into the dynamic message's unknown fields as into the generated one's.
    let (g, d) = same_json_parse::<proto2::TestAllTypesProto2>(
        &p2,
        "{\"[protobuf_test_messages.proto2.extension_int32]\": 7}",
        &JsonOptions::default(),
        &registry,
    )
    .unwrap();
    assert_eq!(g.unknown_fields(), d.unknown_fields());
    assert_eq!(proto2::EXTENSION_INT32.get(&g).unwrap(), Some(7));
}

/// Hostile and edge-case text: the same typed errors or the same message.
#[test]
fn hostile_text_gives_the_same_errors() {
    with_small_stack(hostile_text);
}

fn hostile_text() {
    let registry = registry();
    let Some(pool) = conformance_pool() else {
        return;
    };
    let p3 = pool.get_message_by_name(P3).unwrap();
    let p2 = pool.get_message_by_name(P2).unwrap();
    let deep = format!("{}{}", "recursive_message {".repeat(150), "}".repeat(150));
    let cases: Vec<String> = [
        "",
        "optional_int32",
        "optional_int32: ",
        "optional_int32: 0x7fffffff optional_uint32: 0777",
        "optional_int32: 2147483648",
        "optional_int32: -0x80000000",
        "optional_uint32: -1",
        "optional_float: 1.5f optional_double: -inf",
        "optional_double: 012",
        "optional_bool: t optional_string: 'a' \"b\"",
        "optional_string: \"\\xff\"",
        "optional_bytes: \"\\xff\\377\\u00e9\"",
        "optional_nested_enum: BAR",
        "optional_nested_enum: 7",
        "optional_nested_enum: NOPE",
        "repeated_int32: [1, 2, 3] repeated_int32: 4",
        "repeated_int32: [1, 2,]",
        "repeated_nested_message [{a: 1}, <a: 2>]",
        "map_int32_int32 { key: 1 value: 2 } map_int32_int32 [{key: 3}, {value: 4}]",
        "map_string_nested_message { key: \"k\" value { a: 5 } }",
        "map_int32_int32 { key: 1 nope: 2 }",
        "oneof_uint32: 1 oneof_string: \"x\"",
        "oneof_nested_message { a: 1 } oneof_nested_message { corecursive { optional_int32: 2 } }",
        "optional_nested_message { a: 1 ",
        "optional_nested_message: 5",
        "unknown_field: 1",
        "[protobuf_test_messages.proto2.extension_int32]: 1",
        "optional_any { [type.googleapis.com/google.protobuf.Duration] { seconds: 1 } }",
        "optional_any { [type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3] { optional_int32: 3 } }",
        "optional_any { [type.googleapis.com/nowhere.Nothing] { } }",
        "optional_any { [type.googleapis.com/google.protobuf.Empty] { } [type.googleapis.com/google.protobuf.Empty] { } }",
        "optional_timestamp { seconds: 5 nanos: 6 }",
        "# only a comment\n",
        "optional_int32: 1; optional_int64: 2, optional_uint32: 3",
    ]
    .into_iter()
    .map(String::from)
    .chain([deep])
    .collect();
    let mut errors = 0;
    for case in &cases {
        errors +=
            same_text_parse::<proto3::TestAllTypesProto3>(&p3, case, &registry).is_err() as usize;
        let p2_case = case.replace("oneof_uint32: 1 ", "");
        same_text_parse::<proto2::TestAllTypesProto2>(&p2, &p2_case, &registry).ok();
    }
    assert!(errors > 10, "only {errors} errors");
    // proto2 specifics: groups by type name, extensions, closed enums.
    for case in [
        "Data { group_int32: 1 } data { group_uint32: 2 }",
        "[protobuf_test_messages.proto2.extension_int32]: 5 [protobuf_test_messages.proto2.groupfield] { group_int32: 1 }",
        "optional_nested_enum: 7",
        "required_int32: 1",
    ] {
        same_text_parse::<proto2::TestAllTypesProto2>(&p2, case, &registry).ok();
    }
}

/// A dynamic message whose type is a well-known type prints and parses the special form, and
/// `Any`s of pool types resolve through the registry's pools.
#[test]
fn well_known_dynamic_messages_use_special_forms() {
    let registry = registry();
    let pool = DescriptorPool::generated();
    let _ = zpb::well_known::Timestamp::default().descriptor();
    let stamp = zpb::well_known::Timestamp {
        seconds: 1,
        nanos: 5_000_000,
        ..Default::default()
    };
    let desc = stamp.descriptor();
    let d = DynamicMessage::decode(desc.clone(), &stamp.serialize_to_vec().unwrap()).unwrap();
    let options = JsonOptions::default();
    assert_eq!(
        json(&d, &options, &registry).unwrap(),
        "\"1970-01-01T00:00:01.005Z\""
    );
    let mut back = DynamicMessage::new(desc);
    merge_json_with(&mut back, b"\"1970-01-01T00:00:02Z\"", &options, &registry).unwrap();
    assert_eq!(format!("{back:?}"), "seconds: 2");
    drop(pool);

    // An `Any` holding a type known only to a pool: printed, parsed and unpacked as dynamic.
    let p3 = proto3::TestAllTypesProto3 {
        optional_int32: 9,
        ..Default::default()
    };
    let any = zpb::well_known::Any::pack(&p3).unwrap();
    let mut pools = TypeRegistry::with_well_known();
    pools.add_pool(DescriptorPool::generated());
    let _ = p3.descriptor();
    pools.add_pool(DescriptorPool::generated());
    let text = json(&any, &options, &pools).unwrap();
    assert_eq!(
        text,
        "{\"@type\":\"type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3\",\"optionalInt32\":9}"
    );
    let mut parsed = zpb::well_known::Any::default();
    merge_json_with(&mut parsed, text.as_bytes(), &options, &pools).unwrap();
    assert_eq!(parsed, any);
    assert_eq!(
        pools
            .unpack(&any)
            .unwrap()
            .get_field_by_name("optional_int32")
            .and_then(|v| v.as_i32()),
        Some(9)
    );
    let text = "[type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3] { optional_int32: 9 }";
    let mut parsed = zpb::well_known::Any::default();
    merge_text_with(&mut parsed, text.as_bytes(), &pools).unwrap();
    assert_eq!(parsed, any);
}

/// Registered extensions print and parse on a dynamic message as on the generated type
/// (they live in the unknown fields of both).
#[test]
fn extensions_print_and_parse_through_the_registry() {
    let registry = registry();
    let Some(pool) = conformance_pool() else {
        return;
    };
    let p2 = pool.get_message_by_name(P2).unwrap();
    let doc = r#"{"optionalInt32":1,"[protobuf_test_messages.proto2.extension_int32]":7,"[protobuf_test_messages.proto2.groupfield]":{"groupInt32":2}}"#;
    let options = JsonOptions::default();
    let (g, d) =
        same_json_parse::<proto2::TestAllTypesProto2>(&p2, doc, &options, &registry).unwrap();
    assert_eq!(json(&d, &options, &registry).unwrap(), doc);
    assert_eq!(json(&g, &options, &registry).unwrap(), doc);
    let text = to_text_with(&d, &TextPrintOptions::default(), &registry);
    assert_eq!(
        text,
        to_text_with(&g, &TextPrintOptions::default(), &registry)
    );
    assert_eq!(
        text,
        "optional_int32: 1\n[protobuf_test_messages.proto2.extension_int32]: 7\n[protobuf_test_messages.proto2.groupfield] {\n  group_int32: 2\n}\n"
    );
    same_text_parse::<proto2::TestAllTypesProto2>(&p2, &text, &registry).unwrap();
}

/// A registry's pools make their extensions known as registering them by type does: the same
/// JSON and text, on generated and dynamic messages, repeated ones included.
#[test]
fn pool_extensions_read_and_write_as_registered_ones() {
    let Some(pool) = conformance_pool() else {
        return;
    };
    let p2 = pool.get_message_by_name(P2).unwrap();
    let by_type = registry();
    let mut by_pool = TypeRegistry::with_well_known();
    by_pool.add_pool(pool.clone());
    let doc = r#"{"optionalInt32":1,"[protobuf_test_messages.proto2.extension_int32]":7,"[protobuf_test_messages.proto2.extension_string]":"s","[protobuf_test_messages.proto2.groupfield]":{"groupInt32":2}}"#;
    let options = JsonOptions::default();
    for registry in [&by_type, &by_pool] {
        let (g, d) =
            same_json_parse::<proto2::TestAllTypesProto2>(&p2, doc, &options, registry).unwrap();
        assert_eq!(json(&g, &options, registry).unwrap(), doc);
        assert_eq!(json(&d, &options, registry).unwrap(), doc);
        assert_eq!(proto2::EXTENSION_INT32.get(&g).unwrap(), Some(7));
        let text = to_text_with(&d, &TextPrintOptions::default(), registry);
        assert_eq!(
            text,
            to_text_with(&g, &TextPrintOptions::default(), registry)
        );
        assert_eq!(
            text,
            "optional_int32: 1\n[protobuf_test_messages.proto2.extension_int32]: 7\n[protobuf_test_messages.proto2.extension_string]: \"s\"\n[protobuf_test_messages.proto2.groupfield] {\n  group_int32: 2\n}\n"
        );
        same_text_parse::<proto2::TestAllTypesProto2>(&p2, &text, registry).unwrap();
    }
    // Without them, an extension key is an unknown field.
    let bare = TypeRegistry::with_well_known();
    assert!(same_json_parse::<proto2::TestAllTypesProto2>(&p2, doc, &options, &bare).is_err());

    // A repeated extension, from a pool of its own (a file extending `TestAllTypesProto2`).
    use zpb::descriptor::field_descriptor_proto::{Label, Type};
    use zpb::descriptor::FileDescriptorProto;
    let mut file = FileDescriptorProto::default();
    file.set_name("more.proto");
    file.set_package("more");
    file.mutable_dependency()
        .push("google/protobuf/test_messages_proto2.proto".into());
    let ext = file.add_extension();
    ext.set_name("samples");
    ext.set_number(150);
    ext.set_label(Label::Repeated);
    ext.set_type(Type::Sint64);
    ext.set_extendee(format!(".{P2}"));
    let mut extended = pool.clone();
    extended.add_file_descriptor_protos([file]).unwrap();
    let mut registry = TypeRegistry::with_well_known();
    registry.add_pool(extended.clone());
    let p2 = extended.get_message_by_name(P2).unwrap();
    let doc = r#"{"[more.samples]":["-1","5"]}"#;
    let (g, d) =
        same_json_parse::<proto2::TestAllTypesProto2>(&p2, doc, &options, &registry).unwrap();
    assert_eq!(json(&g, &options, &registry).unwrap(), doc);
    assert_eq!(json(&d, &options, &registry).unwrap(), doc);
    let samples: zpb::RepeatedExtension<proto2::TestAllTypesProto2, zpb::kind::SInt64> =
        zpb::RepeatedExtension::new(150, "more.samples");
    assert_eq!(samples.get(&g).unwrap(), [-1, 5]);
    let text = to_text_with(&d, &TextPrintOptions::default(), &registry);
    assert_eq!(text, "[more.samples]: -1\n[more.samples]: 5\n");
    same_text_parse::<proto2::TestAllTypesProto2>(&p2, "[more.samples]: [-1, 5]", &registry)
        .unwrap();
}
