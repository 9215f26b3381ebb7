//! Invalid `.proto` files, one mistake each: zpb's front end must reject every one, protoc
//! (grpcio-tools) too, and zpb's error must point at the line protoc's points at. Hostile
//! input (deep nesting, huge numbers, unterminated literals, invalid UTF-8) gives a typed
//! error with a position, never a panic or a stack overflow.

use zpb_build::frontend::{Compiler, FrontendError};

/// `(file name without .proto, contents)`.
const CASES: &[(&str, &[u8])] = &[
    ("bad_escape", b"syntax = \"proto2\";\nmessage A {\n  optional string s = 1 [default = \"\\q\"];\n}\n"),
    ("control_char", b"syntax = \"proto3\";\nmessage A {\x01}\n"),
    ("custom_option_unknown", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1 [(nope) = 1];\n}\n"),
    ("default_bad_enum", b"syntax = \"proto2\";\nenum E {\n  X = 0;\n}\nmessage A {\n  optional E e = 1 [default = Y];\n}\n"),
    ("default_bool_bad", b"syntax = \"proto2\";\nmessage A {\n  optional bool a = 1 [default = yes];\n}\n"),
    ("default_message", b"syntax = \"proto2\";\nmessage B {}\nmessage A {\n  optional B b = 1 [default = 1];\n}\n"),
    ("default_negative_unsigned", b"syntax = \"proto2\";\nmessage A {\n  optional uint32 a = 1 [default = -1];\n}\n"),
    ("default_out_of_range", b"syntax = \"proto2\";\nmessage A {\n  optional int32 a = 1 [default = 2147483648];\n}\n"),
    ("default_proto3", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1 [default = 5];\n}\n"),
    ("default_repeated", b"syntax = \"proto2\";\nmessage A {\n  repeated int32 a = 1 [default = 1];\n}\n"),
    ("duplicate_field_name", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  string a = 2;\n}\n"),
    ("duplicate_field_number", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  string b = 1;\n}\n"),
    ("duplicate_message", b"syntax = \"proto3\";\nmessage A {}\nmessage A {}\n"),
    ("edition_unknown", b"edition = \"2022\";\n"),
    ("editions_group", b"edition = \"2023\";\nmessage A {\n  group G = 1 {}\n}\n"),
    ("editions_optional", b"edition = \"2023\";\nmessage A {\n  optional int32 a = 1;\n}\n"),
    ("editions_required", b"edition = \"2023\";\nmessage A {\n  required int32 a = 1;\n}\n"),
    ("editions_string_reserved", b"edition = \"2023\";\nmessage A {\n  reserved \"a\";\n}\n"),
    ("enum_alias", b"syntax = \"proto3\";\nenum E {\n  A = 0;\n  B = 0;\n}\n"),
    ("enum_empty", b"syntax = \"proto2\";\nenum E {\n}\n"),
    ("enum_first_not_zero", b"syntax = \"proto3\";\nenum E {\n  A = 1;\n}\n"),
    ("enum_value_scope", b"syntax = \"proto3\";\nenum E {\n  A = 0;\n}\nenum F {\n  A = 0;\n}\n"),
    ("ext_range_overlap_field", b"syntax = \"proto2\";\nmessage A {\n  optional int32 a = 5;\n  extensions 1 to 10;\n}\n"),
    ("extendee_enum", b"syntax = \"proto2\";\nenum E { Z = 0; }\nextend E {\n  optional int32 x = 1;\n}\n"),
    ("extension_in_proto3", b"syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\nmessage A {}\nextend google.protobuf.FieldOptions {\n  A x = 50000;\n}\nmessage B {\n  int32 y = 1;\n}\nextend B {\n  int32 z = 2;\n}\n"),
    ("extension_out_of_range", b"syntax = \"proto2\";\nmessage A {\n  extensions 100 to 199;\n}\nextend A {\n  optional int32 x = 5;\n}\n"),
    ("field_name_conflicts_nested", b"syntax = \"proto3\";\nmessage A {\n  message B {}\n  int32 B = 1;\n}\n"),
    ("field_number_reserved_range", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 19000;\n}\n"),
    ("field_number_too_big", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 536870912;\n}\n"),
    ("field_number_zero", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 0;\n}\n"),
    ("group_lowercase", b"syntax = \"proto2\";\nmessage A {\n  optional group g = 1 {}\n}\n"),
    ("group_proto3", b"syntax = \"proto3\";\nmessage A {\n  optional group G = 1 {}\n}\n"),
    ("import_cycle", b"syntax = \"proto3\";\nimport \"import_cycle.proto\";\n"),
    ("import_missing", b"syntax = \"proto3\";\nimport \"does/not/exist.proto\";\n"),
    ("import_option_2023", b"edition = \"2023\";\nimport option \"google/protobuf/descriptor.proto\";\n"),
    ("integer_overflow", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 99999999999999999999;\n}\n"),
    ("invalid_utf8_ident", b"syntax = \"proto3\";\nmessage \xc3( {}\n"),
    ("json_name_extension", b"syntax = \"proto2\";\nmessage A {\n  extensions 1 to 10;\n}\nextend A {\n  optional int32 x = 1 [json_name = \"y\"];\n}\n"),
    ("map_entry_explicit", b"syntax = \"proto3\";\nmessage A {\n  option map_entry = true;\n}\n"),
    ("map_float_key", b"syntax = \"proto3\";\nmessage A {\n  map<float, int32> m = 1;\n}\n"),
    ("map_label", b"syntax = \"proto3\";\nmessage A {\n  repeated map<int32, int32> m = 1;\n}\n"),
    ("missing_brace", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n"),
    ("missing_label_proto2", b"syntax = \"proto2\";\nmessage A {\n  int32 a = 1;\n}\n"),
    ("missing_semicolon", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1\n}\n"),
    ("not_a_type", b"syntax = \"proto3\";\nmessage A {\n  int32 b = 1;\n  b c = 2;\n}\n"),
    ("number_then_ident", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1x;\n}\n"),
    ("octal_bad", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 09;\n}\n"),
    ("oneof_empty", b"syntax = \"proto3\";\nmessage A {\n  oneof o {\n  }\n}\n"),
    ("oneof_label", b"syntax = \"proto3\";\nmessage A {\n  oneof o {\n    repeated int32 a = 1;\n  }\n}\n"),
    ("option_atomic_path", b"syntax = \"proto3\";\noption java_package.x = \"a\";\n"),
    ("option_bad_enum", b"syntax = \"proto3\";\noption optimize_for = FAST;\n"),
    ("option_bad_type", b"syntax = \"proto3\";\noption java_package = 5;\n"),
    ("option_int_range", b"syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FileOptions {\n  optional int32 small = 50000;\n}\noption (small) = 2147483648;\n"),
    ("option_twice", b"syntax = \"proto3\";\noption java_package = \"a\";\noption java_package = \"b\";\n"),
    ("package_twice", b"syntax = \"proto3\";\npackage a;\npackage b;\n"),
    ("proto3_ident_reserved", b"syntax = \"proto3\";\nmessage A {\n  reserved a;\n}\n"),
    ("proto3_optional_and_oneof", b"syntax = \"proto3\";\nmessage A {\n  oneof o {\n    optional int32 a = 1;\n  }\n}\n"),
    ("required_proto3", b"syntax = \"proto3\";\nmessage A {\n  required int32 a = 1;\n}\n"),
    ("reserved_name_used", b"syntax = \"proto3\";\nmessage A {\n  reserved \"a\";\n  int32 a = 3;\n}\n"),
    ("reserved_number_used", b"syntax = \"proto3\";\nmessage A {\n  reserved 2 to 5;\n  int32 a = 3;\n}\n"),
    ("rpc_enum_type", b"syntax = \"proto3\";\nenum E { Z = 0; }\nmessage A {}\nservice S {\n  rpc M(E) returns (A);\n}\n"),
    ("rpc_unknown_type", b"syntax = \"proto3\";\nmessage A {}\nservice S {\n  rpc M(A) returns (Missing);\n}\n"),
    ("syntax_unknown", b"syntax = \"proto4\";\n"),
    ("top_level_junk", b"syntax = \"proto3\";\nfoo bar;\n"),
    ("unknown_extendee", b"syntax = \"proto2\";\nextend Missing {\n  optional int32 x = 100;\n}\n"),
    ("unknown_option", b"syntax = \"proto3\";\noption no_such_option = true;\n"),
    ("unknown_type", b"syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n"),
    ("unterminated_comment", b"syntax = \"proto3\";\n/* never ends\nmessage A {}\n"),
    ("unterminated_string", b"syntax = \"proto3\";\npackage \"a;\n"),
    ("visibility_2023", b"edition = \"2023\";\nexport message A {}\n"),
    ("aggregate_unknown_field", b"syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nmessage A {\n  extensions 10 to 20 [declaration = { nope: 1 }];\n}\n"),
    ("default_string_for_int", b"syntax = \"proto2\";\nmessage A {\n  optional int32 a = 1 [default = \"x\"];\n}\n"),
    ("editions_closed_enum_first_nonzero_ok_open", b"edition = \"2023\";\nenum E {\n  A = 1;\n}\n"),
    ("enum_reserved_name", b"syntax = \"proto3\";\nenum E {\n  reserved \"B\";\n  A = 0;\n  B = 1;\n}\n"),
    ("enum_reserved_number", b"syntax = \"proto3\";\nenum E {\n  reserved 1;\n  A = 0;\n  B = 1;\n}\n"),
    ("enum_value_out_of_range", b"syntax = \"proto3\";\nenum E {\n  A = 0;\n  B = 2147483648;\n}\n"),
    ("extension_default_enum", b"syntax = \"proto2\";\nenum E {\n  Z = 0;\n}\nmessage A {\n  extensions 10 to 20;\n}\nextend A {\n  optional E e = 10 [default = Q];\n}\n"),
    ("field_number_negative", b"syntax = \"proto3\";\nmessage A {\n  int32 a = -1;\n}\n"),
    ("float_field_number", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1.5;\n}\n"),
    ("group_field_number_dup", b"syntax = \"proto2\";\nmessage A {\n  optional int32 a = 1;\n  optional group G = 1 {\n  }\n}\n"),
    ("hex_escape_missing", b"syntax = \"proto3\";\noption java_package = \"\\x\";\n"),
    ("inner_scope", b"syntax = \"proto3\";\npackage a.b;\nmessage b {}\nmessage M {\n  b.X f = 1;\n}\n"),
    ("map_enum_key", b"syntax = \"proto3\";\nenum E {\n  Z = 0;\n}\nmessage A {\n  map<E, int32> m = 1;\n}\n"),
    ("nested_duplicate_number", b"syntax = \"proto2\";\nmessage A {\n  message B {\n    optional int32 x = 1;\n    optional int32 y = 1;\n  }\n}\n"),
    ("not_imported", b"syntax = \"proto3\";\nimport \"helper_b.proto\";\nmessage A {\n  ha.HA x = 1;\n}\n"),
    ("oneof_duplicate_name", b"syntax = \"proto3\";\nmessage A {\n  int32 o = 1;\n  oneof o {\n    int32 b = 2;\n  }\n}\n"),
    ("option_bool_int", b"syntax = \"proto3\";\noption java_multiple_files = 1;\n"),
    ("reserved_range_field_in_max", b"syntax = \"proto2\";\nmessage A {\n  reserved 10 to max;\n  optional int32 a = 100;\n}\n"),
    ("service_duplicate_method", b"syntax = \"proto3\";\nmessage A {}\nservice S {\n  rpc M(A) returns (A);\n  rpc M(A) returns (A);\n}\n"),
    ("string_cross_line", b"syntax = \"proto3\";\noption java_package = \"a\nb\";\n"),
    ("ext_dup", b"syntax = \"proto2\";\nmessage A {\n  extensions 10 to 20;\n}\nextend A {\n  optional int32 x = 10;\n  optional int32 y = 10;\n}\n"),
    ("feature_target", b"edition = \"2023\";\nmessage A {\n  option features.field_presence = EXPLICIT;\n  int32 foo = 1;\n}\n"),
    ("features_proto3", b"syntax = \"proto3\";\nmessage A {\n  int32 foo = 1 [features.field_presence = EXPLICIT];\n}\n"),
    ("json_conflict", b"syntax = \"proto3\";\nmessage A {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n"),
    ("packed_singular", b"syntax = \"proto2\";\nmessage A {\n  optional int32 foo = 1 [packed = true];\n}\n"),
    ("aggregate_bad_enum", b"syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nmessage A {\n  optional int32 a = 1 [features = { field_presence: NOPE }];\n}\n"),
    ("duplicate_import", b"syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\nimport \"google/protobuf/descriptor.proto\";\n"),
    ("enum_negative_first_proto3", b"syntax = \"proto3\";\nenum E {\n  A = -1;\n}\n"),
    ("extension_number_zero", b"syntax = \"proto2\";\nmessage A {\n  extensions 1 to 10;\n}\nextend A {\n  optional int32 x = 0;\n}\n"),
    ("map_in_extend", b"syntax = \"proto2\";\nmessage A {\n  extensions 1 to 10;\n}\nextend A {\n  map<int32, int32> m = 1;\n}\n"),
    ("missing_equals", b"syntax = \"proto3\";\nmessage A {\n  int32 a 1;\n}\n"),
    ("missing_field_name", b"syntax = \"proto3\";\nmessage A {\n  int32 = 1;\n}\n"),
    ("proto3_extension_range", b"syntax = \"proto3\";\nmessage A {\n  extensions 1 to 5;\n}\n"),
    ("reserved_mixed", b"syntax = \"proto3\";\nmessage A {\n  reserved 1, \"a\";\n}\n"),
    ("rpc_scalar_input", b"syntax = \"proto3\";\nmessage A {}\nservice S {\n  rpc M(int32) returns (A);\n}\n"),
    ("syntax_after_package", b"package a;\nsyntax = \"proto3\";\n"),
    ("unclosed_options", b"syntax = \"proto3\";\nmessage A {\n  int32 a = 1 [deprecated = true;\n}\n"),
    ("edition_unstable_not_allowed", b"edition = \"UNSTABLE\";\nmessage A {\n  varint32 a = 1;\n}\n"),
    ("enum_prefix", b"syntax = \"proto3\";\nenum Foo {\n  FOO_UNKNOWN = 0;\n  FOO_BAR = 1;\n  BAR = 2;\n}\n"),
    ("implicit_default", b"edition = \"2023\";\nmessage M {\n  int32 a = 1 [features.field_presence = IMPLICIT, default = 5];\n}\n"),
    ("open_uses_closed", b"syntax = \"proto3\";\npackage p;\nimport \"closed.proto\";\nmessage M {\n  Closed c = 1;\n}\n"),
    ("ext_implicit", b"edition = \"2023\";\nmessage A {\n  extensions 1 to 10;\n}\nextend A {\n  int32 a = 1 [features.field_presence = IMPLICIT];\n}\n"),
    ("msg_implicit", b"edition = \"2023\";\nmessage A {\n  A a = 1 [features.field_presence = IMPLICIT];\n}\n"),
    ("oneof_implicit", b"edition = \"2023\";\nmessage A {\n  oneof o {\n    int32 a = 1 [features.field_presence = IMPLICIT];\n  }\n}\n"),
    ("repeated_presence", b"edition = \"2023\";\nmessage A {\n  repeated int32 a = 1 [features.field_presence = EXPLICIT];\n}\n"),
    ("singular_encoding", b"edition = \"2023\";\nmessage A {\n  int32 a = 1 [features.repeated_field_encoding = EXPANDED];\n}\n"),
];

/// Valid files the cases import.
const HELPERS: &[(&str, &[u8])] = &[
    (
        "helper_a",
        b"syntax = \"proto3\";\npackage ha;\nmessage HA {}\n",
    ),
    (
        "helper_b",
        b"syntax = \"proto3\";\nimport \"helper_a.proto\";\n",
    ),
    (
        "closed",
        b"syntax = \"proto2\";\npackage p;\nenum Closed {\n  A = 1;\n}\n",
    ),
];

fn compile(dir: &std::path::Path, name: &str) -> Result<(), FrontendError> {
    Compiler::new(vec![dir.to_path_buf()])
        .compile(&[name])
        .map(|_| ())
}

/// The line of protoc's first error in `file`, if it has one.
fn protoc_line(stderr: &str, file: &str) -> Option<u32> {
    let first = stderr.lines().next()?;
    let rest = first.strip_prefix(file)?.strip_prefix(':')?;
    rest.split(':').next()?.parse().ok()
}

#[test]
fn invalid_files_are_rejected_where_protoc_rejects_them() {
    let dir = std::env::temp_dir().join(format!("zpb-frontend-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in CASES.iter().chain(HELPERS) {
        std::fs::write(dir.join(format!("{name}.proto")), text).unwrap();
    }
    let python = zpb_test_support::python("the comparison of error lines with protoc");
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for (name, _) in CASES {
        let file = format!("{name}.proto");
        let ours = match compile(&dir, &file) {
            Ok(()) => {
                mismatches.push(format!("{file}: zpb accepts it"));
                continue;
            }
            Err(e) => e,
        };
        let Some(python) = &python else { continue };
        let output = zpb_test_support::protoc(python)
            .current_dir(&dir)
            .arg("-I.")
            .arg(format!(
                "--descriptor_set_out={}",
                dir.join("out.pb").display()
            ))
            .arg(&file)
            .output()
            .expect("run protoc");
        assert!(!output.status.success(), "{file}: protoc accepts it");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let theirs = protoc_line(&stderr, &file);
        let line = ours.pos.map(|p| p.line + 1);
        if theirs.is_some() && ours.file == file && line != theirs {
            mismatches.push(format!(
                "{file}: zpb says {ours}\n    protoc says {}",
                stderr.trim()
            ));
        }
        compared += usize::from(theirs.is_some());
    }
    std::fs::remove_dir_all(&dir).ok();
    if python.is_some() {
        // Nearly every case has a line in protoc's message: the comparison must not vanish.
        assert!(
            compared + 5 >= CASES.len(),
            "only {compared} error lines compared"
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        CASES.len(),
        mismatches.join("\n")
    );
}

#[test]
fn hostile_input_gives_positioned_errors() {
    let dir = std::env::temp_dir().join(format!("zpb-frontend-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deep_messages = format!(
        "syntax = \"proto3\";\n{}{}",
        "message A {\n".repeat(5000),
        "}\n".repeat(5000)
    );
    let deep_aggregate = format!(
        "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\noption (x) = {}{};\n",
        "{ a: ".repeat(5000),
        "}".repeat(5000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("deep_messages", deep_messages.into_bytes()),
        ("deep_aggregate", deep_aggregate.into_bytes()),
        ("huge_number", b"syntax = \"proto3\";\nmessage A { int32 a = 99999999999999999999999999999999; }\n".to_vec()),
        ("huge_hex", b"syntax = \"proto2\";\nmessage A { optional int64 a = 1 [default = 0xffffffffffffffffff]; }\n".to_vec()),
        ("unterminated_string", b"syntax = \"proto3\";\noption java_package = \"abc".to_vec()),
        ("unterminated_comment", b"syntax = \"proto3\";\n/* abc".to_vec()),
        ("invalid_utf8", b"syntax = \"proto3\";\nmessage \xff\xfe {}\n".to_vec()),
        ("invalid_utf8_string", b"syntax = \"proto3\";\npackage a;\noption java_package = \"\xff\";\n".to_vec()),
        ("nul_bytes", b"syntax = \"proto3\";\x00\x00".to_vec()),
        ("only_open_brace", b"syntax = \"proto3\";\nmessage A {".to_vec()),
        ("truncated_escape", b"syntax = \"proto3\";\noption java_package = \"\\".to_vec()),
        ("self_import", b"syntax = \"proto3\";\nimport \"self_import.proto\";\n".to_vec()),
    ];
    for (name, text) in &cases {
        let file = format!("{name}.proto");
        std::fs::write(dir.join(&file), text).unwrap();
        // Run on a small stack: the depth limit, not the stack size, must stop deep nesting.
        let dir2 = dir.clone();
        let result = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || compile(&dir2, &file))
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{name}: the front end panicked"));
        let error = result.expect_err(name);
        assert!(error.pos.is_some(), "{name}: no position in {error}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Truncations and byte flips of real files (the syntax zoo and descriptor.proto): whatever
/// the damage, the front end returns (accepts or gives a positioned error), never panics.
#[test]
fn damaged_files_never_panic() {
    let dir = std::env::temp_dir().join(format!("zpb-frontend-damage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sources: Vec<Vec<u8>> = ["zoo2.proto", "zoo3.proto", "zoo2023.proto", "zoo2024.proto"]
        .iter()
        .map(|f| {
            std::fs::read(
                zpb_test_support::repo_root()
                    .join("protoc-gen/tests/frontend")
                    .join(f),
            )
            .unwrap()
        })
        .chain([zpb_build::frontend::DESCRIPTOR_PROTO.as_bytes().to_vec()])
        .collect();
    // A small deterministic generator (xorshift), so failures reproduce.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let replacements = b"{}[]<>();=.,-\"'/\\*\n\x00\xff0x9e+_az";
    let mut cases = 0;
    for source in &sources {
        for step in 0..120 {
            let mut text = source.clone();
            if step % 3 == 0 {
                text.truncate((next() % (text.len() as u64 + 1)) as usize);
            } else {
                for _ in 0..1 + next() % 4 {
                    let at = (next() % text.len() as u64) as usize;
                    text[at] = replacements[(next() % replacements.len() as u64) as usize];
                }
            }
            // Damaged files import what the originals import: give them the same neighbours.
            let name = "damaged.proto";
            std::fs::write(dir.join(name), &text).unwrap();
            let roots = vec![
                dir.clone(),
                zpb_test_support::repo_root().join("protoc-gen/tests/frontend"),
                zpb_test_support::repo_root().join("../shared/testdata/protobuf-v36/src"),
            ];
            if let Err(e) = Compiler::new(roots).compile(&[name]) {
                assert!(!e.message.is_empty(), "an error without a message");
            }
            cases += 1;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(cases, 600);
}
