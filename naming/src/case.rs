//! Name transforms: proto names to Rust identifiers and back (snake case, camel case, JSON
//! names, enum value prefixes).

use crate::keywords::unraw;

/// `foo_bar`/`FooBar`/`fooBar`/`FOO_BAR` → `foo_bar`; acronyms stay together
/// (`HTTPRequest` → `http_request`), runs of `_` collapse and leading/trailing `_` are
/// dropped (`__Field_name14` → `field_name14`). An empty result, or one that would start
/// with a digit (`_0x` → `_0x`), gets a leading `_`.
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
    // `_0abc` is a protobuf identifier; `0abc` would not be a Rust one.
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The proto name the derives give an enum or oneof variant written without
/// `#[zpb(name = "...")]`: every capital starts a word, `FooBar` → `foo_bar` for a oneof
/// member (`Http2` → `http2`, `HTTPCode` → `h_t_t_p_code`); an enum value's is the same in
/// upper case (`FOO_BAR`). A leading `r#` is ignored.
pub fn variant_proto_name(variant: &str) -> String {
    let mut out = String::new();
    for (i, c) in unraw(variant).chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
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
    upper_after_underscores(name, false, "")
}

/// The name protoc gives a map field's entry message: `_` dropped, the letter after it
/// and the first letter upper-cased (ASCII only), `Entry` appended (`foo_bar` →
/// `FooBarEntry`). Shared by zpb-build's front end and the descriptors `zpb` synthesizes for
/// hand-written structs.
pub fn map_entry_name(field: &str) -> String {
    upper_after_underscores(field, true, "Entry")
}

/// protoc's rule behind [`default_json_name`] and [`map_entry_name`]: `_` dropped, the letter
/// after each `_` (and the first letter when `first` is set) upper-cased, ASCII only, as
/// protoc's `ToJsonName` / `MapEntryName` do; `suffix` appended.
fn upper_after_underscores(name: &str, first: bool, suffix: &str) -> String {
    let mut out = String::with_capacity(name.len() + suffix.len());
    let mut upper = first;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out.push_str(suffix);
    out
}

/// The JSON object key `"name":` of a field name that every JSON printer option writes as
/// it is: `None` unless the name is printable ASCII other than `"`, `\`, `<` and `>` (the
/// characters zpb's JSON writer escapes, as C++ does). The derive precomputes these keys;
/// other names are escaped when printed.
pub fn json_quoted_key(name: &str) -> Option<String> {
    let plain = |b: u8| matches!(b, 0x20..=0x7e) && !matches!(b, b'"' | b'\\' | b'<' | b'>');
    name.bytes().all(plain).then(|| format!("\"{name}\":"))
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
            ("o_u32", "o_u32"),
            ("___", "_"),
        ];
        for (input, want) in cases {
            assert_eq!(snake_case(input), want, "{input}");
        }
    }

    #[test]
    fn variant_proto_names() {
        assert_eq!(variant_proto_name("FooBar"), "foo_bar");
        assert_eq!(variant_proto_name("OU32"), "o_u32");
        assert_eq!(variant_proto_name("Self_"), "self_");
        assert_eq!(variant_proto_name("r#Type"), "type");
        assert_eq!(variant_proto_name("Http2").to_uppercase(), "HTTP2");
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
    fn prefixes_and_json_names() {
        assert_eq!(strip_enum_prefix("Color", "COLOR_RED"), "RED");
        assert_eq!(strip_enum_prefix("Color", "COLOR_1"), "COLOR_1");
        assert_eq!(strip_enum_prefix("NestedEnum", "FOO"), "FOO");
        assert_eq!(default_json_name("optional_int32"), "optionalInt32");
        assert_eq!(map_entry_name("foo_bar"), "FooBarEntry");
        assert_eq!(map_entry_name("map_int32_int32"), "MapInt32Int32Entry");
    }
}
