//! Naming rules: proto names to Rust identifiers.
//!
//! - types and enum variants: `UpperCamelCase` (`foo_bar` → `FooBar`; names already in camel
//!   case are kept, so `HTTPRequest` stays `HTTPRequest`);
//! - fields, oneofs, modules of nested types, methods: `snake_case` with runs of `_` collapsed
//!   and leading/trailing `_` dropped (`__Field_name14` → `field_name14`);
//! - Rust keywords become raw identifiers (`r#type`); `self`, `super`, `crate` and `Self`,
//!   which cannot be raw, get a trailing `_` (`self_`, `Self_`).

/// Keywords that can be written as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// `foo_bar`/`FooBar`/`fooBar`/`FOO_BAR` → `foo_bar`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 && !out.is_empty() && !out.ends_with('_') {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

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
    out
}

/// `FooBar` → `FOO_BAR`.
pub fn screaming_snake(name: &str) -> String {
    snake_case(name).to_uppercase()
}

/// Makes `name` usable as a Rust identifier: `r#type` for keywords, `self_` for the few that
/// cannot be raw. Returns the text to put in the source (possibly with `r#`).
pub fn escape(name: &str) -> String {
    if NON_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// The identifier without a leading `r#`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
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
    fn snake() {
        let cases = [
            ("foo_bar", "foo_bar"),
            ("FooBar", "foo_bar"),
            ("fooBar", "foo_bar"),
            ("FOO_BAR", "foo_bar"),
            ("HTTPRequest", "http_request"),
            ("TestAllTypesProto3", "test_all_types_proto3"),
            ("_field_name3", "field_name3"),
            ("field__name4_", "field_name4"),
            ("__Field_name14", "field_name14"),
            ("field0name5", "field0name5"),
            ("field_0_name6", "field_0_name6"),
            ("FIELD_name12", "field_name12"),
            ("Int32Value", "int32_value"),
        ];
        for (input, want) in cases {
            assert_eq!(snake_case(input), want, "{input}");
        }
    }

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
    fn keywords_and_prefixes() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("Self"), "Self_");
        assert_eq!(strip_enum_prefix("Color", "COLOR_RED"), "RED");
        assert_eq!(strip_enum_prefix("Color", "COLOR_1"), "COLOR_1");
        assert_eq!(strip_enum_prefix("NestedEnum", "FOO"), "FOO");
        assert_eq!(default_json_name("optional_int32"), "optionalInt32");
    }
}
