//! Descriptor pools without generated code: typed errors, editions features resolved from
//! file to field (and followed on the wire by dynamic messages), custom options read with
//! `zpb::Extension`, services. (The comparisons with generated types are in
//! `tests/codegen/tests/reflect*.rs`, next to the generated code.)

mod reflect_common;

use std::path::PathBuf;
use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::{Edition, FileDescriptorProto};
use zpb::reflect::{
    Cardinality, Descriptor, DescriptorPool, DynamicMessage, Kind, PoolError, Value,
};
use zpb::Message;

/// Google's test protos.
fn shared() -> PathBuf {
    zpb_test_support::repo_root().join("../shared/testdata")
}

/// Writes `proto` as `dir/name` and returns the descriptor set protoc makes of it (imports
/// included), or `None` without the venv.
fn compile(test: &str, name: &str, proto: &str) -> Option<DescriptorPool> {
    let python = zpb_test_support::python(test)?;
    let dir = std::env::temp_dir().join(format!("zpb-reflect-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), proto).unwrap();
    let out = dir.join("set.fds");
    let protos = shared().join("protos");
    Some(reflect_common::protoc_pool(
        &python,
        &[&dir, &protos],
        &[name],
        &out,
    ))
}

#[test]
fn pool_errors_are_typed() {
    let file = |name: &str, deps: &[&str]| {
        let mut f = FileDescriptorProto::default();
        f.set_name(name);
        for d in deps {
            f.mutable_dependency().push(d.to_string());
        }
        f
    };
    let mut pool = DescriptorPool::new();
    assert_eq!(
        pool.add_file_descriptor_protos([file("a.proto", &["missing.proto"])]),
        Err(PoolError::MissingImport {
            file: "a.proto".into(),
            import: "missing.proto".into()
        })
    );
    assert_eq!(
        DescriptorPool::new().add_file_descriptor_protos([
            file("x.proto", &["y.proto"]),
            file("y.proto", &["x.proto"])
        ]),
        Err(PoolError::Invalid {
            element: "x.proto".into(),
            reason: "import cycle".into()
        })
    );
    // Imports may come after their importers in one batch.
    pool.add_file_descriptor_protos([file("b.proto", &["c.proto"]), file("c.proto", &[])])
        .unwrap();
    assert_eq!(
        pool.files()
            .map(|f| f.name().to_string())
            .collect::<Vec<_>>(),
        ["c.proto", "b.proto"]
    );

    let mut with_message = file("m.proto", &[]);
    with_message.add_message_type().set_name("M");
    let mut dup = file("n.proto", &[]);
    dup.add_message_type().set_name("M");
    let mut p = DescriptorPool::new();
    assert_eq!(
        p.add_file_descriptor_protos([with_message.clone(), dup]),
        Err(PoolError::DuplicateSymbol("M".into()))
    );
    assert_eq!(
        p.files().count(),
        0,
        "a failed batch leaves the pool unchanged"
    );

    let mut bad_type = file("t.proto", &[]);
    let m = bad_type.add_message_type();
    m.set_name("T");
    let f = m.add_field();
    f.set_name("x");
    f.set_number(1);
    f.set_label(Label::Optional);
    f.set_type(Type::Message);
    f.set_type_name(".nowhere.Nothing");
    assert_eq!(
        DescriptorPool::new().add_file_descriptor_protos([bad_type]),
        Err(PoolError::UnresolvedType {
            element: "T.x".into(),
            type_name: ".nowhere.Nothing".into()
        })
    );
    // The same file twice is fine; a different file under the same name is not.
    let mut p = DescriptorPool::new();
    p.add_file_descriptor_protos([with_message.clone()])
        .unwrap();
    p.add_file_descriptor_protos([with_message.clone()])
        .unwrap();
    let mut changed = with_message;
    changed.set_package("other");
    assert_eq!(
        p.add_file_descriptor_protos([changed]),
        Err(PoolError::DuplicateFile("m.proto".into()))
    );
    assert!(matches!(
        DescriptorPool::decode(&[0x0a, 0x05]),
        Err(PoolError::Decode(_))
    ));
}

#[test]
fn editions_features_resolve_file_message_field() {
    let Some(pool) = compile(
        "the editions descriptor test",
        "ed.proto",
        r#"edition = "2023";
package ed;
option features.field_presence = IMPLICIT;
message M {
  int32 implicit = 1;
  int32 explicit = 2 [features.field_presence = EXPLICIT];
  repeated int32 packed = 3;
  repeated int32 expanded = 4 [features.repeated_field_encoding = EXPANDED];
  M delimited = 5 [features.message_encoding = DELIMITED];
  E closed = 6 [features.field_presence = EXPLICIT];
  int32 required = 7 [features.field_presence = LEGACY_REQUIRED];
}
enum E {
  option features.enum_type = CLOSED;
  ZERO = 0;
  ONE = 1;
}
"#,
    ) else {
        return;
    };
    let m = pool.get_message_by_name("ed.M").unwrap();
    assert_eq!(m.file().edition(), Edition::Edition2023);
    let f = |n: &str| m.get_field_by_name(n).unwrap();
    assert!(!f("implicit").supports_presence());
    assert!(f("explicit").supports_presence());
    assert!(f("packed").is_packed());
    assert!(!f("expanded").is_packed());
    assert!(f("delimited").is_group());
    assert!(f("closed").kind().as_enum().unwrap().is_closed());
    assert_eq!(f("required").cardinality(), Cardinality::Required);

    // A dynamic message follows the features on the wire.
    let mut msg = DynamicMessage::new(m.clone());
    msg.set_field(&f("implicit"), Value::I32(0)).unwrap();
    msg.set_field(&f("explicit"), Value::I32(0)).unwrap();
    msg.set_field(&f("required"), Value::I32(1)).unwrap();
    msg.push_value(&f("expanded"), Value::I32(1)).unwrap();
    msg.push_value(&f("packed"), Value::I32(1)).unwrap();
    msg.get_message_mut(&f("delimited")).unwrap();
    assert_eq!(msg.missing_fields(), ["delimited.required"]);
    assert_eq!(
        msg.serialize_partial_to_vec().unwrap(),
        [0x10, 0x00, 0x1a, 0x01, 0x01, 0x20, 0x01, 0x2b, 0x2c, 0x38, 0x01]
    );
    let mut closed = DynamicMessage::new(m.clone());
    closed.merge_from_slice(&[0x30, 0x05, 0x38, 0x01]).unwrap();
    assert!(!closed.has_field(&f("closed")));
    assert_eq!(closed.unknown_fields().as_bytes(), [0x30, 0x05]);
}

#[test]
fn unsupported_editions_and_syntaxes_are_typed_errors() {
    use zpb::descriptor::features::FeatureError;
    let file = |syntax: &str, edition: Option<Edition>| {
        let mut f = FileDescriptorProto::default();
        f.set_name("e.proto");
        f.set_syntax(syntax);
        f.edition = edition;
        f.add_message_type().set_name("M");
        f
    };
    let error = |f| {
        DescriptorPool::new()
            .add_file_descriptor_protos([f])
            .unwrap_err()
    };
    let unsupported = error(file("editions", Some(Edition::Edition2026)));
    assert_eq!(
        unsupported,
        PoolError::Features {
            file: "e.proto".into(),
            error: FeatureError::UnsupportedEdition(Edition::Edition2026 as i32)
        }
    );
    assert!(
        unsupported.to_string().starts_with("e.proto: "),
        "{unsupported}"
    );
    assert_eq!(
        error(file("editions", None)),
        PoolError::Features {
            file: "e.proto".into(),
            error: FeatureError::MissingEdition
        }
    );
    assert_eq!(
        error(file("proto4", None)),
        PoolError::Features {
            file: "e.proto".into(),
            error: FeatureError::UnknownSyntax("proto4".into())
        }
    );
}

#[test]
fn descriptors_expose_the_full_resolved_feature_set() {
    use zpb::descriptor::feature_set::MessageEncoding;
    use zpb::descriptor::feature_set::{EnumType, FieldPresence, Utf8Validation};
    use zpb::descriptor::FeatureSet;
    use zpb::reflect::Features;
    // pb.cpp (extension 1000) { legacy_closed_enum (1): true / false }: another language's
    // feature, which zpb keeps as unknown fields.
    const CPP_CLOSED: &[u8] = b"\xc2\x3e\x02\x08\x01";
    const CPP_OPEN: &[u8] = b"\xc2\x3e\x02\x08\x00";
    let mut proto = FileDescriptorProto::default();
    proto.set_name("fs.proto");
    proto.set_package("fs");
    proto.set_syntax("editions");
    proto.edition = Some(Edition::Edition2023);
    let file_set = proto.mutable_options().mutable_features();
    file_set.set_utf8_validation(Utf8Validation::None);
    file_set.merge_from_slice(CPP_CLOSED).unwrap();
    let m = proto.add_message_type();
    m.set_name("M");
    // map<string, M> entries = 4, under the file's DELIMITED: maps and their entries'
    // fields stay length-prefixed (C++ `is_delimited()`).
    let entry = m.add_nested_type();
    entry.set_name("EntriesEntry");
    entry.mutable_options().set_map_entry(true);
    entry
        .mutable_options()
        .mutable_features()
        .set_message_encoding(MessageEncoding::Delimited);
    for (name, number, ty) in [("key", 1, Type::String), ("value", 2, Type::Message)] {
        let f = entry.add_field();
        f.set_name(name);
        f.set_number(number);
        f.set_label(Label::Optional);
        f.set_type(ty);
        if ty == Type::Message {
            f.set_type_name(".fs.M");
        }
    }
    let entries = m.add_field();
    entries.set_name("entries");
    entries.set_number(4);
    entries.set_label(Label::Repeated);
    entries.set_type(Type::Message);
    entries.set_type_name(".fs.M.EntriesEntry");
    m.mutable_options()
        .mutable_features()
        .set_field_presence(FieldPresence::Implicit);
    let o = m.add_oneof_decl();
    o.set_name("o");
    o.mutable_options()
        .mutable_features()
        .set_utf8_validation(Utf8Validation::Verify);
    for (name, number, ty) in [
        ("a", 1, Type::Int32),
        ("s", 2, Type::String),
        ("d", 3, Type::Message),
    ] {
        let f = m.add_field();
        f.set_name(name);
        f.set_number(number);
        f.set_label(Label::Optional);
        f.set_type(ty);
        match name {
            "s" => f.set_oneof_index(0),
            "d" => {
                f.set_type_name(".fs.M");
                f.mutable_options()
                    .mutable_features()
                    .set_message_encoding(MessageEncoding::Delimited);
            }
            _ => {}
        }
    }
    let e = proto.add_enum_type();
    e.set_name("E");
    e.mutable_options()
        .mutable_features()
        .set_enum_type(EnumType::Closed);
    let z = e.add_value();
    z.set_name("Z");
    z.set_number(0);
    z.mutable_options()
        .mutable_features()
        .merge_from_slice(CPP_OPEN)
        .unwrap();
    let s = proto.add_service();
    s.set_name("S");
    let call = s.add_method();
    call.set_name("Call");
    call.set_input_type(".fs.M");
    call.set_output_type(".fs.M");
    let mut pool = DescriptorPool::new();
    pool.add_file_descriptor_protos([proto]).unwrap();

    let file = pool.get_file_by_name("fs.proto").unwrap();
    let expected = {
        let mut set = zpb::descriptor::features::edition_features(Edition::Edition2023).unwrap();
        set.set_utf8_validation(Utf8Validation::None);
        set.merge_from_slice(CPP_CLOSED).unwrap();
        set
    };
    assert_eq!(file.features(), &expected);
    let m = pool.get_message_by_name("fs.M").unwrap();
    assert_eq!(m.features().field_presence(), FieldPresence::Implicit);
    let a = m.get_field_by_name("a").unwrap();
    assert_eq!(
        Features::from_set(a.features()).field_presence,
        FieldPresence::Implicit
    );
    assert_eq!(a.features().utf8_validation(), Utf8Validation::None);
    let o = m.oneofs().next().unwrap();
    assert_eq!(o.features().utf8_validation(), Utf8Validation::Verify);
    let s = m.get_field_by_name("s").unwrap();
    assert_eq!(s.features().utf8_validation(), Utf8Validation::Verify);
    assert!(s
        .features()
        .serialize_to_vec()
        .unwrap()
        .ends_with(CPP_CLOSED));
    let d = m.get_field_by_name("d").unwrap();
    assert!(d.is_group());
    let entries = m.get_field_by_name("entries").unwrap();
    assert!(entries.is_map() && !entries.is_group());
    let value = pool
        .get_message_by_name("fs.M.EntriesEntry")
        .unwrap()
        .get_field_by_name("value")
        .unwrap();
    assert_eq!(
        value.features().message_encoding(),
        MessageEncoding::Delimited
    );
    assert!(
        !value.is_group(),
        "a map entry's value stays length-prefixed"
    );
    assert_eq!(d.features().message_encoding(), MessageEncoding::Delimited);
    assert_eq!(
        FeatureSet::parse_from_slice(&d.features().serialize_to_vec().unwrap()).unwrap(),
        *d.features()
    );
    let e = pool.get_enum_by_name("fs.E").unwrap();
    assert_eq!(e.features().enum_type(), EnumType::Closed);
    assert!(e.is_closed());
    let z = e.values().next().unwrap();
    assert!(z.features().serialize_to_vec().unwrap().ends_with(CPP_OPEN));
    let service = pool.get_service_by_name("fs.S").unwrap();
    assert_eq!(service.features(), &expected);
    assert_eq!(service.methods().next().unwrap().features(), &expected);
}

#[test]
fn custom_options_are_readable_as_extensions() {
    let Some(pool) = compile(
        "the custom options test",
        "opt.proto",
        r#"syntax = "proto2";
package opt;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { optional string label = 50000; }
extend google.protobuf.MessageOptions { repeated int32 tags = 50001; }
extend google.protobuf.FileOptions { optional bool audited = 50002; }
option (audited) = true;
option java_package = "com.example.opt";
message Item {
  option (tags) = 1;
  option (tags) = 2;
  optional int32 id = 1 [(label) = "identifier", deprecated = true];
}
service Store {
  rpc Get(Item) returns (Item);
  rpc Watch(Item) returns (stream Item);
}
"#,
    ) else {
        return;
    };
    let item = pool.get_message_by_name("opt.Item").unwrap();
    let id = item.get_field_by_name("id").unwrap();
    assert!(id.options().deprecated());
    const LABEL: zpb::Extension<zpb::descriptor::FieldOptions, zpb::kind::Str> =
        zpb::Extension::new(50000, "opt.label");
    assert_eq!(
        LABEL.get(id.options()).unwrap().as_deref(),
        Some("identifier")
    );
    const TAGS: zpb::RepeatedExtension<zpb::descriptor::MessageOptions, zpb::kind::Int32> =
        zpb::RepeatedExtension::new(50001, "opt.tags");
    assert_eq!(TAGS.get(item.options()).unwrap(), [1, 2]);
    const AUDITED: zpb::Extension<zpb::descriptor::FileOptions, zpb::kind::Bool> =
        zpb::Extension::new(50002, "opt.audited");
    let file = item.file();
    assert_eq!(AUDITED.get(file.options()).unwrap(), Some(true));
    assert_eq!(file.options().java_package(), "com.example.opt");
    assert_eq!(
        file.dependencies().next().unwrap().name(),
        "google/protobuf/descriptor.proto"
    );
    // The option extensions, by extendee and number.
    let field_options = pool
        .get_message_by_name("google.protobuf.FieldOptions")
        .unwrap();
    let label = field_options.get_extension(50000).unwrap();
    assert_eq!(
        (label.full_name(), label.kind()),
        ("opt.label", Kind::String)
    );
    assert_eq!(file.extensions().count(), 3);
    // Services and methods.
    let store = pool.get_service_by_name("opt.Store").unwrap();
    let methods: Vec<_> = store.methods().collect();
    assert_eq!(methods[0].full_name(), "opt.Store.Get");
    assert_eq!(methods[0].input(), item);
    assert!(!methods[0].is_server_streaming() && methods[1].is_server_streaming());
    assert!(
        matches!(pool.get_by_name("opt.Store.Watch"), Some(Descriptor::Method(m)) if m == methods[1])
    );
    // The options message itself, as a dynamic message: the extension stays unknown and
    // prints by number.
    let bytes = id.options().serialize_to_vec().unwrap();
    let dynamic = DynamicMessage::decode(field_options, &bytes).unwrap();
    assert_eq!(format!("{dynamic:?}"), format!("{:?}", id.options()));
    assert_eq!(dynamic.serialize_to_vec().unwrap(), bytes);
}

/// Type names written relative to their scope resolve as protoc resolves them: innermost
/// enclosing scope first.
#[test]
fn relative_type_names_resolve_from_the_innermost_scope() {
    let mut file = FileDescriptorProto::default();
    file.set_name("rel.proto");
    file.set_package("a.b");
    let add_field = |m: &mut zpb::descriptor::DescriptorProto, name: &str, n: i32, ty: &str| {
        let f = m.add_field();
        f.set_name(name);
        f.set_number(n);
        f.set_label(Label::Optional);
        f.set_type_name(ty);
    };
    let thing = file.add_message_type();
    thing.set_name("Thing");
    let outer = file.add_message_type();
    outer.set_name("Outer");
    let inner = outer.add_nested_type();
    inner.set_name("Thing");
    add_field(outer, "inner_thing", 1, "Thing");
    add_field(outer, "top_thing", 2, "b.Thing");
    add_field(outer, "absolute", 3, ".a.b.Outer.Thing");
    let mut pool = DescriptorPool::new();
    pool.add_file_descriptor_protos([file]).unwrap();
    let outer = pool.get_message_by_name("a.b.Outer").unwrap();
    let target = |name: &str| {
        outer
            .get_field_by_name(name)
            .unwrap()
            .kind()
            .as_message()
            .unwrap()
            .full_name()
            .to_string()
    };
    assert_eq!(target("inner_thing"), "a.b.Outer.Thing");
    assert_eq!(target("top_thing"), "a.b.Thing");
    assert_eq!(target("absolute"), "a.b.Outer.Thing");
    // No type given: the name decides (message here), as protoc allows.
    assert_eq!(
        outer.get_field_by_name("top_thing").unwrap().proto_type(),
        Type::Message
    );
}
