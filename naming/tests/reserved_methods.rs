//! `RESERVED_METHODS` lists every method of `zpb::Message` and `zpb::Reuse`: read from the
//! runtime's source, so a method added there without being reserved fails here.

use std::path::Path;

/// Names of the `fn`s declared in `pub trait <name>` of a source file.
fn trait_methods(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("pub trait {name}"))
        .unwrap_or_else(|| panic!("no trait {name}"));
    let body = &source[start..];
    let end = body.find("\n}").expect("end of trait");
    body[..end]
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .map(|l| l.split(['(', '<']).next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_message_and_reuse_method_is_reserved() {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let Ok(message) = std::fs::read_to_string(runtime.join("message.rs")) else {
        eprintln!("note: runtime sources not found (packaged crate); skipping");
        return;
    };
    let reuse = std::fs::read_to_string(runtime.join("field/reuse.rs")).unwrap();
    let methods = [
        trait_methods(&message, "Message"),
        trait_methods(&reuse, "Reuse"),
    ]
    .concat();
    assert!(methods.len() > 40, "{methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|m| !zpb_naming::is_reserved_method(m))
        .collect();
    assert!(missing.is_empty(), "not in RESERVED_METHODS: {missing:?}");
}

#[test]
fn names_that_start_with_a_digit_after_case_conversion_stay_identifiers() {
    assert_eq!(zpb_naming::snake_case("_0ield_name3"), "_0ield_name3");
    assert_eq!(zpb_naming::snake_case("__"), "_");
    assert_eq!(zpb_naming::snake_case("FooBar"), "foo_bar");
}
