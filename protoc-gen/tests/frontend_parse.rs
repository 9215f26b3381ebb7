//! The front end without protoc: facts about the syntax zoo's descriptors that protoc's
//! output has too (the corpus test checks them byte for byte when the venv is there).

use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::FileDescriptorProto;
use zpb_build::frontend::Compiler;

fn compile(name: &str) -> FileDescriptorProto {
    let root = zpb_test_support::repo_root();
    let compiled = Compiler::new(vec![
        root.join("protoc-gen/tests/frontend"),
        root.join("../shared/testdata/protobuf-v36/src"),
    ])
    .compile(&[name])
    .unwrap_or_else(|e| panic!("{e}"));
    compiled.descriptor_set(false).file[0].clone()
}

#[test]
fn proto3_optional_fields_get_synthetic_oneofs_named_as_protoc_names_them() {
    let file = compile("zoo3.proto");
    let m = &file.message_type[0];
    let oneofs: Vec<&str> = m.oneof_decl.iter().map(|o| o.name()).collect();
    // `_a` is taken by a field, then `X_a`: protoc prefixes `X` until the name is free.
    assert_eq!(oneofs, ["o", "XX_a", "_self", "_X_a"]);
    let a = &m.field[0];
    assert_eq!(a.proto3_optional, Some(true));
    assert_eq!(a.oneof_index, Some(1));
    assert_eq!(file.syntax(), "proto3");
    assert_eq!(file.public_dependency, [0]);
    assert_eq!(file.weak_dependency, [1]);
}

#[test]
fn literals_and_keyword_names_parse_as_protoc_reads_them() {
    let file = compile("zoo2.proto");
    let keywords = file
        .message_type
        .iter()
        .find(|m| m.name() == "Keywords")
        .unwrap();
    let field = |name: &str| keywords.field.iter().find(|f| f.name() == name).unwrap();
    assert_eq!(field("inf").default_value(), "31");
    assert_eq!(field("nan").default_value(), "-15");
    assert_eq!(field("option").default_value(), "\\000\\377abc");
    assert_eq!(field("syntax").default_value(), "-inf");
    assert_eq!(field("import").default_value(), "1.5e+300");
    assert_eq!(field("package").default_value(), "0.5");
    assert_eq!(field("enum").default_value(), "1e-05");
    assert_eq!(field("rpc").default_value(), "-9223372036854775808");
    assert_eq!(field("stream").default_value(), "BLUE");
    assert_eq!(field("stream").r#type, Some(Type::Enum));
    assert_eq!(field("to").type_name(), ".zoo.two.Keywords");
    assert_eq!(field("map").json_name(), "MAP!");
    let weak = field("weak");
    assert_eq!(weak.label, Some(Label::Repeated));
    assert_eq!(weak.type_name(), ".zoo.two.Keywords.WeakEntry");
    let entry = keywords
        .nested_type
        .iter()
        .find(|m| m.name() == "WeakEntry")
        .unwrap();
    assert_eq!(entry.options.get().unwrap().map_entry, Some(true));
    assert_eq!(
        file.options.get().unwrap().java_package.get().unwrap(),
        "abc"
    );
    let max = keywords.extension_range.last().unwrap();
    assert_eq!((max.start, max.end), (Some(1000), Some(536_870_912)));
}

#[test]
fn errors_print_as_protoc_prints_them() {
    let dir = std::env::temp_dir().join(format!("zpb-frontend-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bad.proto"),
        "syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n",
    )
    .unwrap();
    let error = Compiler::new(vec![dir.clone()])
        .compile(&["bad.proto"])
        .unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        error.to_string(),
        "bad.proto:3:3: \"Missing\" is not defined."
    );
}

#[test]
fn disk_paths_map_to_names_under_the_first_root_containing_them() {
    let compiler = Compiler::new(vec!["/a/b".into(), "/a".into()]);
    assert_eq!(
        compiler.virtual_name(std::path::Path::new("/a/b/c/d.proto")),
        Some("c/d.proto".to_string())
    );
    assert_eq!(
        compiler.virtual_name(std::path::Path::new("/a/x.proto")),
        Some("x.proto".to_string())
    );
    assert_eq!(
        compiler.virtual_name(std::path::Path::new("/z/x.proto")),
        None
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let dir = std::env::temp_dir().join(format!("zpb-frontend-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bom.proto"),
        b"\xef\xbb\xbfsyntax = \"proto3\";\nmessage A {}\n",
    )
    .unwrap();
    let compiled = Compiler::new(vec![dir.clone()]).compile(&["bom.proto"]);
    std::fs::remove_dir_all(&dir).ok();
    let set = compiled
        .unwrap_or_else(|e| panic!("{e}"))
        .descriptor_set(false);
    assert_eq!(set.file[0].message_type[0].name(), "A");
}
