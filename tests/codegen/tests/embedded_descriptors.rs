//! The descriptor each generated file embeds (a `zpb::reflect::GeneratedFile`) is protoc's
//! (`--descriptor_set_out`, without source info) for that file, field for field; generated
//! messages answer `descriptor()` from the generated pool, their imports registered first.

use std::path::{Path, PathBuf};
use zpb::descriptor::{FileDescriptorProto, FileDescriptorSet};
use zpb::reflect::{DescriptorPool, DynamicMessage, GeneratedFile, ReflectMessage};
use zpb::Message;
use zpb_codegen_tests::protobuf_test_messages::{proto2, proto3};
use zpb_codegen_tests::{benchmarks, google};

fn shared() -> PathBuf {
    zpb_test_support::repo_root().join("../shared/testdata")
}

/// protoc's descriptor of `file` (an import path below `include`), or `None` without the
/// venv.
fn protoc_descriptor(include: &Path, file: &str) -> Option<FileDescriptorProto> {
    let python = zpb_test_support::python("the embedded descriptors' comparison with protoc")?;
    let out = std::env::temp_dir().join(format!(
        "zpb-embedded-{}-{}.fds",
        std::process::id(),
        file.replace('/', "_")
    ));
    let status = zpb_test_support::protoc(&python)
        .arg(format!("-I{}", include.display()))
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg(include.join(file))
        .status()
        .expect("run protoc");
    assert!(status.success(), "protoc failed on {file}");
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let set = FileDescriptorSet::parse_from_slice(&bytes).unwrap();
    assert_eq!(set.file.len(), 1);
    Some(set.file[0].clone())
}

/// Checks that `embedded` is protoc's descriptor of the same file under `include`: equal
/// as parsed messages, and byte for byte. (The pure-Rust front end's differences from
/// protoc are undone by zpb-build before lowering; see its `protoc_form` module.)
fn check(embedded: &GeneratedFile, include: &Path) {
    let Some(protoc) = protoc_descriptor(include, embedded.name()) else {
        return;
    };
    let ours = FileDescriptorProto::parse_from_slice(embedded.bytes()).unwrap();
    assert_eq!(ours.name(), embedded.name());
    assert_eq!(ours, protoc, "{}", embedded.name());
    assert_eq!(
        embedded.bytes(),
        protoc.serialize_to_vec().unwrap(),
        "{}: protoc's bytes",
        embedded.name()
    );
}

#[test]
fn conformance_schemas_embed_protocs_descriptors() {
    let protos = shared().join("protos");
    check(
        &proto2::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TEST_MESSAGES_PROTO2,
        &protos,
    );
    check(
        &proto3::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TEST_MESSAGES_PROTO3,
        &protos,
    );
}

#[test]
fn runtime_descriptor_proto_embeds_protocs_bytes() {
    // zpb::descriptor is protobuf v36's descriptor.proto, generated through protoc.
    check(
        &zpb::descriptor::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_DESCRIPTOR,
        &shared().join("protobuf-v36/src"),
    );
}

#[test]
fn well_known_types_and_descriptor_proto_embed_protocs_descriptors() {
    use google::protobuf as g;
    let protos = shared().join("protos");
    let generated_here = [
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_ANY,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_API,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_DURATION,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_EMPTY,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_FIELD_MASK,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_SOURCE_CONTEXT,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_STRUCT,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TIMESTAMP,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TYPE,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_WRAPPERS,
        &g::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_DESCRIPTOR,
        &g::compiler::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_COMPILER_PLUGIN,
    ];
    for file in generated_here {
        check(file, &protos);
    }
    // The runtime's prebuilt well-known types embed the same bytes.
    let runtime = [
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_ANY,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_API,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_DURATION,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_EMPTY,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_FIELD_MASK,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_SOURCE_CONTEXT,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_STRUCT,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TIMESTAMP,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_TYPE,
        &zpb::well_known::FILE_DESCRIPTOR_GOOGLE_PROTOBUF_WRAPPERS,
    ];
    for (ours, here) in runtime.iter().zip(generated_here) {
        assert_eq!(ours.name(), here.name());
        assert_eq!(ours.bytes(), here.bytes(), "{}", ours.name());
    }
}

#[test]
fn benchmark_schemas_embed_protocs_descriptors() {
    let dir = shared().join("google-benchmarks");
    for file in [
        &benchmarks::FILE_DESCRIPTOR_BENCHMARKS,
        &benchmarks::proto2::FILE_DESCRIPTOR_BENCHMARK_MESSAGE1_PROTO2,
        &benchmarks::proto2::FILE_DESCRIPTOR_BENCHMARK_MESSAGE2,
        &benchmarks::proto3::FILE_DESCRIPTOR_BENCHMARK_MESSAGE1_PROTO3,
    ] {
        check(file, &dir);
    }
}

#[test]
fn generated_messages_answer_their_descriptor_from_the_generated_pool() {
    let msg = proto3::TestAllTypesProto3::default();
    let dyn_msg: &dyn ReflectMessage = &msg;
    let desc = dyn_msg.descriptor();
    assert_eq!(
        desc.full_name(),
        "protobuf_test_messages.proto3.TestAllTypesProto3"
    );
    assert_eq!(
        desc.file().name(),
        "google/protobuf/test_messages_proto3.proto"
    );
    // Its imports (the well-known types, from zpb::well_known) were registered first.
    let pool = DescriptorPool::generated();
    for import in desc.file().file_descriptor_proto().dependency() {
        assert!(pool.get_file_by_name(import).is_some(), "{import}");
    }
    let any = desc.get_field_by_name("optional_any").unwrap();
    assert_eq!(
        any.kind().as_message().unwrap().full_name(),
        zpb::well_known::Any::default().descriptor().full_name()
    );
    // Nested messages and every message of the file resolve; asking twice is the same.
    let nested = proto3::test_all_types_proto3::NestedMessage::default().descriptor();
    assert_eq!(
        nested.full_name(),
        "protobuf_test_messages.proto3.TestAllTypesProto3.NestedMessage"
    );
    assert_eq!(
        nested,
        proto3::test_all_types_proto3::NestedMessage::default().descriptor()
    );
    assert_eq!(
        proto2::TestAllTypesProto2::default()
            .descriptor()
            .full_name(),
        "protobuf_test_messages.proto2.TestAllTypesProto2"
    );
    assert_eq!(
        zpb::descriptor::FileDescriptorProto::default()
            .descriptor()
            .full_name(),
        "google.protobuf.FileDescriptorProto"
    );
    // Fields agree with the generated code's field numbers.
    assert_eq!(
        desc.get_field_by_name("optional_int32").unwrap().number(),
        1
    );
}

#[test]
fn dynamic_messages_of_the_embedded_descriptor_read_the_generated_bytes() {
    let mut msg = proto3::TestAllTypesProto3::default();
    msg.set_optional_int32(7);
    msg.set_optional_string("x".to_string());
    msg.add_repeated_int64(-3);
    let bytes = msg.serialize_to_vec().unwrap();
    let dynamic = DynamicMessage::decode(msg.descriptor(), &bytes).unwrap();
    assert_eq!(dynamic.serialize_to_vec().unwrap(), bytes);
    let field = msg
        .descriptor()
        .get_field_by_name("optional_int32")
        .unwrap();
    assert_eq!(dynamic.get_field(&field).and_then(|v| v.as_i32()), Some(7));
}

mod reflect_support;

#[test]
fn random_messages_of_the_embedded_descriptors_are_the_generated_types() {
    fn agree<M: Message + ReflectMessage + Default>(seed: u64) {
        let desc = M::default().descriptor();
        let mut rng = reflect_support::Rng(seed);
        for _ in 0..200 {
            // No maps: their entry order on the wire is a hash order.
            let dynamic = reflect_support::random_message(&desc, &mut rng, 2, false);
            let bytes = dynamic.serialize_to_vec().unwrap();
            let generated = M::parse_from_slice(&bytes).unwrap();
            assert_eq!(generated.serialize_to_vec().unwrap(), bytes);
            // (Compared as bytes: a NaN makes equal messages unequal.)
            let back = DynamicMessage::decode(desc.clone(), &bytes).unwrap();
            assert_eq!(back.serialize_to_vec().unwrap(), bytes);
        }
    }
    agree::<proto3::TestAllTypesProto3>(0x9e37_79b9_7f4a_7c15);
    agree::<proto2::TestAllTypesProto2>(0x2545_f491_4f6c_dd1d);
    agree::<benchmarks::proto2::GoogleMessage1>(0x1234_5678_9abc_def1);
    agree::<benchmarks::proto2::GoogleMessage2>(0x0fed_cba9_8765_4321);
    agree::<zpb::descriptor::FileDescriptorProto>(0x5555_aaaa_3333_cccc);
}
