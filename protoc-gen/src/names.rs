//! Naming rules: proto names to Rust identifiers (snake case and keyword escaping come from
//! `zpb-naming`, shared with the derive).
//!
//! - types and enum variants: `UpperCamelCase` (`foo_bar` → `FooBar`; names already in camel
//!   case are kept, so `HTTPRequest` stays `HTTPRequest`);
//! - fields, oneofs, modules of nested types, methods: `snake_case` with runs of `_` collapsed
//!   and leading/trailing `_` dropped (`__Field_name14` → `field_name14`);
//! - Rust keywords become raw identifiers (`r#type`); `self`, `super`, `crate` and `Self`,
//!   which cannot be raw, get a trailing `_` (`self_`, `Self_`).

pub use zpb_naming::{escape, snake_case, unraw};

/// `foo_bar` → `FooBar`; `FOO_BAR` → `FooBar`; `FooBar` and `HTTPRequest` unchanged.
pub fn upper_camel(name: &str) -> String {
    let all_caps = !name.chars().any(|c| c.is_lowercase());
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if all_caps {
                out.extend(chars.flat_map(char::to_lowercase));
            } else {
                out.extend(chars);
            }
        }
    }
    if out.is_empty() {
        out.push_str("Unnamed");
    }
    // `_1Foo` is a protobuf identifier; `1Foo` would not be a Rust one.
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `FooBar` → `FOO_BAR`.
pub fn screaming_snake(name: &str) -> String {
    snake_case(name).to_uppercase()
}

/// The default `json_name` of a field, as protoc computes it (`foo_bar` → `fooBar`).
pub fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Strips the enum's name from a value name (`COLOR_RED` in `Color` → `RED`) when what is
/// left is a usable name, as prost does.
pub fn strip_enum_prefix<'a>(enum_name: &str, value: &'a str) -> &'a str {
    let prefix = screaming_snake(enum_name);
    match value
        .strip_prefix(prefix.as_str())
        .and_then(|r| r.strip_prefix('_'))
    {
        Some(rest) if rest.chars().next().is_some_and(|c| c.is_alphabetic()) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel() {
        for (input, want) in [
            ("foo_bar", "FooBar"),
            ("FooBar", "FooBar"),
            ("FOO_BAR", "FooBar"),
            ("UINT64", "Uint64"),
            ("HTTPRequest", "HTTPRequest"),
            ("bAz", "BAz"),
        ] {
            assert_eq!(upper_camel(input), want, "{input}");
        }
    }

    #[test]
    fn prefixes_and_json_names() {
        assert_eq!(strip_enum_prefix("Color", "COLOR_RED"), "RED");
        assert_eq!(strip_enum_prefix("Color", "COLOR_1"), "COLOR_1");
        assert_eq!(strip_enum_prefix("NestedEnum", "FOO"), "FOO");
        assert_eq!(default_json_name("optional_int32"), "optionalInt32");
    }
}
