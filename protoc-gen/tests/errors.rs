//! Bad `.proto` files give errors with `file:line:column`, never a panic.

use zpb_build::{Config, ErrorKind};

fn error(source: &str) -> zpb_build::Error {
    Config::new()
        .generate_from_source("bad.proto", source)
        .unwrap_err()
}

#[test]
fn syntax_error_has_file_line_column() {
    let e = error("syntax = \"proto3\";\n\nmessage M {\n  int32 x = ;\n}\n");
    assert_eq!(e.kind(), ErrorKind::Parse);
    let l = e.location().expect("a location");
    assert_eq!((l.file.as_str(), l.line, l.column), ("bad.proto", 4, 13));
    assert!(e.to_string().starts_with("bad.proto:4:13: "), "{e}");
}

#[test]
fn unknown_type_has_file_line_column() {
    let e = error("syntax = \"proto3\";\npackage p;\nmessage M {\n  // Nope is not declared\n  Nope n = 1;\n}\n");
    assert_eq!(e.kind(), ErrorKind::Parse);
    let l = e.location().expect("a location");
    assert_eq!((l.line, l.column), (5, 3), "{e}");
    assert!(e.to_string().contains("Nope"), "{e}");
}

#[test]
fn missing_import_is_an_error() {
    let e = error("syntax = \"proto3\";\nimport \"missing.proto\";\n");
    assert!(e.to_string().contains("missing.proto"), "{e}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for source in [
        "",
        "message",
        "}}}",
        "syntax = \"proto4\";",
        "message M { map<float, int32> m = 1; }",
        "\u{0}\u{1}",
    ] {
        let _ = Config::new().generate_from_source("bad.proto", source);
    }
}

#[test]
fn input_outside_includes_is_a_config_error() {
    let e = Config::new()
        .generate(&["/nowhere/x.proto"], &["/elsewhere"])
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[test]
fn plugin_reports_errors_in_the_response() {
    use zpb::Message;
    use zpb_build::descriptor::google::protobuf::compiler::{
        CodeGeneratorRequest, CodeGeneratorResponse,
    };
    // Undecodable request.
    let response =
        CodeGeneratorResponse::parse_from_slice(&zpb_build::plugin::respond(&[0xff])).unwrap();
    assert!(
        response.error().contains("CodeGeneratorRequest"),
        "{}",
        response.error()
    );
    // A file to generate that the request does not contain; a bad parameter.
    let mut request = CodeGeneratorRequest::default();
    request.add_file_to_generate().push_str("absent.proto");
    let response = CodeGeneratorResponse::parse_from_slice(&zpb_build::plugin::respond(
        &request.serialize_to_vec().unwrap(),
    ))
    .unwrap();
    assert!(
        response.error().contains("absent.proto"),
        "{}",
        response.error()
    );
    request.set_parameter("frobnicate");
    let response = CodeGeneratorResponse::parse_from_slice(&zpb_build::plugin::respond(
        &request.serialize_to_vec().unwrap(),
    ))
    .unwrap();
    assert!(
        response.error().contains("frobnicate"),
        "{}",
        response.error()
    );
    // FEATURE_PROTO3_OPTIONAL | FEATURE_SUPPORTS_EDITIONS, editions 2023 to 2024.
    assert_eq!(response.supported_features(), 3);
    assert_eq!(response.minimum_edition(), 1000);
    assert_eq!(response.maximum_edition(), 1001);
}

#[test]
fn unsupported_editions_are_unsupported_errors() {
    use zpb::descriptor::{Edition, FileDescriptorSet};
    use zpb::Message;
    let with = |syntax: &str, edition: Option<Edition>| {
        let mut set = FileDescriptorSet::default();
        let file = set.add_file();
        file.set_name("e.proto");
        file.set_syntax(syntax);
        file.edition = edition;
        file.add_message_type().set_name("M");
        let bytes = set.serialize_to_vec().unwrap();
        Config::new().generate_from_descriptor_set(&bytes, &["e.proto".to_string()])
    };
    // EDITION_UNSTABLE resolves as 2024 (the front ends admit it only for protobuf's own
    // test files, as protoc does; the conformance testee serves one).
    for edition in [
        Edition::Edition2023,
        Edition::Edition2024,
        Edition::Unstable,
    ] {
        let files = with("editions", Some(edition)).unwrap_or_else(|e| panic!("{e}"));
        assert!(files[0].content.contains("pub struct M"));
    }
    for (syntax, edition, message) in [
        (
            "editions",
            Some(Edition::Edition2026),
            "EDITION_2026 (1002) is not supported",
        ),
        ("editions", None, "without an edition"),
        ("proto4", None, "syntax \"proto4\" is not supported"),
    ] {
        let e = with(syntax, edition).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
        assert!(e.to_string().starts_with("e.proto: "), "{e}");
        assert!(e.to_string().contains(message), "{e}");
    }
}
