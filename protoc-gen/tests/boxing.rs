//! Singular message fields are stored inline (`zpb::Optional<M>`) unless they lie on a cycle
//! of singular message fields, which must be boxed (`zpb::MessageField<M>`); repeated
//! fields, maps and oneof members break cycles. `Config::boxed` boxes chosen fields too.

/// The Rust type the generator gives field `name` (`pub name: TYPE,` in the output).
fn field_type<'a>(code: &'a str, name: &str) -> &'a str {
    let start = format!("pub {name}: ");
    let at = code
        .find(&start)
        .unwrap_or_else(|| panic!("no field {name} in\n{code}"))
        + start.len();
    let end = code[at..].find(",\n").expect("end of field") + at;
    code[at..end].trim()
}

fn generate(source: &str) -> String {
    generate_with(&zpb_build::Config::new(), source)
}

fn generate_with(config: &zpb_build::Config, source: &str) -> String {
    let files = config
        .generate_from_source("g.proto", source)
        .unwrap_or_else(|e| panic!("{e}"));
    files.into_iter().map(|f| f.content).collect()
}

#[test]
fn only_fields_on_cycles_of_singular_message_fields_are_boxed() {
    let code = generate(
        "syntax = \"proto2\"; package p;
         message A { optional B to_b = 1; optional Leaf leaf = 2; repeated A many = 3; }
         message B { optional C to_c = 1; map<int32, A> by_id = 2; optional Leaf leaf_b = 3; }
         message C { optional A to_a = 1; oneof o { C self_in_oneof = 2; } }
         message Leaf { optional int32 x = 1; }
         message Loop { optional Loop next = 1; required Leaf needed = 2; }
         message Repeats { repeated Repeats r = 1; oneof o { Repeats one = 2; } map<string, Repeats> m = 3; }
         message Grouped { optional group G = 1 { optional Grouped back = 2; } optional group H = 3 { optional Leaf l = 4; } }
         message UsesA { optional A a = 1; }",
    );
    let boxed = [
        ("to_b", "B"),
        ("to_c", "C"),
        ("to_a", "A"),
        ("next", "Loop"),
        ("g", "grouped::G"),
        ("back", "super::Grouped"),
    ];
    for (field, ty) in boxed {
        assert_eq!(
            field_type(&code, field),
            format!("::zpb::MessageField<{ty}>"),
            "{field}"
        );
    }
    let inline = [
        ("leaf", "Leaf"),
        ("leaf_b", "Leaf"),
        ("needed", "Leaf"),
        ("h", "grouped::H"),
        ("l", "super::Leaf"),
        ("a", "A"),
    ];
    for (field, ty) in inline {
        assert_eq!(
            field_type(&code, field),
            format!("::zpb::Optional<{ty}>"),
            "{field}"
        );
    }
    assert_eq!(field_type(&code, "r"), "::zpb::Repeated<Repeats>");
}

#[test]
fn proto3_optional_message_fields_are_edges_and_oneofs_are_not() {
    let code = generate(
        "syntax = \"proto3\"; package q;
         message N { optional N next = 1; M plain = 2; }
         message M { oneof o { M inner = 1; } N n = 2; }",
    );
    assert_eq!(field_type(&code, "next"), "::zpb::MessageField<N>");
    // N -> M -> N through plain fields: a cycle.
    assert_eq!(field_type(&code, "plain"), "::zpb::MessageField<M>");
    assert_eq!(field_type(&code, "n"), "::zpb::MessageField<N>");
    assert!(
        code.contains("Inner(::std::boxed::Box<super::M>)"),
        "{code}"
    );
}

#[test]
fn config_boxes_the_chosen_singular_message_fields_only() {
    let source = "syntax = \"proto2\"; package b;
         message Big { optional int64 a = 1; optional int64 b = 2; }
         message Holder {
           optional Big rare = 1; optional Big often = 2; repeated Big many = 3;
           optional group G = 4 { optional Big in_group = 5; }
           optional Holder next = 6;
         }
         message Other { optional Big rare = 1; }";
    let mut config = zpb_build::Config::new();
    config.boxed([".b.Holder.rare", "G.in_group", ".b.Holder.g", "Holder.next"]);
    let code = generate_with(&config, source);
    let other = &code[code.find("pub struct Other").expect("Other")..];
    assert_eq!(field_type(&code, "rare"), "::zpb::MessageField<Big>");
    assert_eq!(field_type(other, "rare"), "::zpb::Optional<Big>");
    assert_eq!(field_type(&code, "often"), "::zpb::Optional<Big>");
    assert_eq!(field_type(&code, "many"), "::zpb::Repeated<Big>");
    assert_eq!(field_type(&code, "g"), "::zpb::MessageField<holder::G>");
    assert_eq!(
        field_type(&code, "in_group"),
        "::zpb::MessageField<super::Big>"
    );
    // On a cycle: boxed with or without the option.
    assert_eq!(field_type(&code, "next"), "::zpb::MessageField<Holder>");
    let unboxed = generate(source);
    assert_eq!(field_type(&unboxed, "rare"), "::zpb::Optional<Big>");
    assert_eq!(field_type(&unboxed, "g"), "::zpb::Optional<holder::G>");
    // `.` boxes every singular message field.
    let mut all = zpb_build::Config::new();
    all.boxed(["."]);
    let code = generate_with(&all, source);
    assert_eq!(field_type(&code, "often"), "::zpb::MessageField<Big>");
    assert_eq!(field_type(&code, "many"), "::zpb::Repeated<Big>");
}
