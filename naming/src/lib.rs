//! Naming rules shared by `zpb-derive` (which names the accessors it generates) and
//! `zpb-build` (which must predict those names to avoid collisions), so that both apply
//! exactly the same rules:
//!
//! - [`snake_case`]: `fooBar`, `FooBar`, `FOO_BAR`, `__foo__bar_` → `foo_bar`;
//! - [`escape`] and [`is_keyword`]: Rust keywords become raw identifiers (`r#type`), and the
//!   few that cannot be raw (`self`, `super`, `crate`, `Self`) get a trailing `_`;
//! - [`RESERVED_METHODS`]: methods every message has, which an accessor must not shadow;
//! - [`oneof_accessor_base`] and [`oneof_member_accessors`]: how a oneof member's accessors
//!   are named;
//! - [`variant_proto_name`]: the proto name of a variant that does not give one.

#![deny(missing_docs)]

/// Methods every message has — from `zpb::Message`, `zpb::Reuse`,
/// `zpb::field::DefaultInstance` and the traits a message derives or gets for free (`Clone`,
/// `PartialEq`, `Debug`, `Default`, `Any`, `ToOwned`, `Borrow`): an accessor with one of these
/// names would shadow the method. The derive rejects such accessors; the generator renames
/// fields around them.
pub const RESERVED_METHODS: &[&str] = &[
    // zpb::Message
    "merge_fields",
    "merge_fields_from",
    "compute_size",
    "cached_size",
    "encode_fields",
    "collect_missing_fields",
    "fmt_text",
    "is_initialized",
    "unknown_fields",
    "mutable_unknown_fields",
    "default_instance",
    "byte_size",
    "serialize_to_vec",
    "serialize_into_vec",
    "append_to_vec",
    "append_partial_to_vec",
    "serialize_partial_to_vec",
    "serialize_into_slice",
    "serialize_partial_into_slice",
    "serialize_into_buf",
    "write_to",
    "write_delimited_to",
    "append_delimited_to_vec",
    "parse_from_slice",
    "parse_from_slice_with",
    "parse_partial_from_slice",
    "merge_from_slice",
    "merge_from_slice_with",
    "merge_partial_from_slice",
    "clear_and_parse",
    "parse_from_bytes",
    "parse_from_bytes_with",
    "parse_from_buf",
    "parse_from_reader",
    "merge_from_reader",
    "merge_from_reader_with",
    "parse_delimited_from",
    "merge_delimited_from",
    "merge_delimited_from_with",
    "merge_from",
    "copy_from",
    "clear_with",
    "shrink_to_fit",
    "missing_fields",
    "text_format",
    "short_text_format",
    // zpb::field::DefaultInstance (blanket-implemented for every message)
    "default_ref",
    // zpb::Reuse
    "clear",
    "space_used",
    "trim",
    // Clone, PartialEq, Debug, Default
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "default",
    // Blanket impls: Any, ToOwned, Borrow, BorrowMut
    "type_id",
    "to_owned",
    "clone_into",
    "borrow",
    "borrow_mut",
];

/// Keywords that can be written as raw identifiers (`r#type`), strict and reserved, of
/// every edition.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// The protobuf scalar types: the word `#[zpb(...)]` attributes use, and the `zpb::kind`
/// marker type that reads and writes values of that type.
pub const SCALAR_CODECS: [(&str, &str); 13] = [
    ("int32", "Int32"),
    ("int64", "Int64"),
    ("uint32", "UInt32"),
    ("uint64", "UInt64"),
    ("sint32", "SInt32"),
    ("sint64", "SInt64"),
    ("fixed32", "Fixed32"),
    ("fixed64", "Fixed64"),
    ("sfixed32", "SFixed32"),
    ("sfixed64", "SFixed64"),
    ("float", "Float"),
    ("double", "Double"),
    ("bool", "Bool"),
];

/// The `zpb::kind` marker type of a scalar word (`sint32` → `SInt32`).
pub fn scalar_codec(word: &str) -> Option<&'static str> {
    SCALAR_CODECS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, codec)| *codec)
}

/// Whether `name` is a keyword that must be written as a raw identifier (`r#type`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a method every message has ([`RESERVED_METHODS`]).
pub fn is_reserved_method(name: &str) -> bool {
    RESERVED_METHODS.contains(&name)
}

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

/// `name` with a trailing `_` if it is a keyword that cannot be raw (`self` → `self_`).
pub fn suffix_non_raw(name: &str) -> String {
    if NON_RAW.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// Makes `name` usable as a Rust identifier: `r#type` for keywords, `self_` for the few that
/// cannot be raw. Returns the text to put in the source (possibly with `r#`).
pub fn escape(name: &str) -> String {
    if is_keyword(name) {
        format!("r#{name}")
    } else {
        suffix_non_raw(name)
    }
}

/// The identifier without a leading `r#`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The base of a oneof member's accessors (`x()`, `has_x()`, `set_x()`, ...) when none is
/// given explicitly: its proto name in snake case, `_`-suffixed if it is `self`, `super` or
/// `crate` (`fooBar` → `foo_bar`, `self` → `self_`). Keywords that can be raw stay as they
/// are (the getter is then `r#type()`, the others `has_type()`, ...).
pub fn oneof_accessor_base(proto_name: &str) -> String {
    suffix_non_raw(&snake_case(proto_name))
}

/// The accessors the derive generates on the message for a oneof member whose accessor base
/// is `base`, in this order: `x`, `has_x`, `set_x`, `mutable_x`, `clear_x`, `take_x`.
pub fn oneof_member_accessors(base: &str) -> [String; 6] {
    ["", "has_", "set_", "mutable_", "clear_", "take_"].map(|prefix| format!("{prefix}{base}"))
}

/// Whether `name` is an identifier an accessor can be built from: ASCII letters, digits and
/// `_`, not starting with a digit, and not a keyword that cannot be raw.
pub fn is_accessor_base(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !NON_RAW.contains(&name)
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
    fn keywords() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("Self"), "Self_");
        assert_eq!(escape("gen"), "r#gen");
        assert_eq!(unraw("r#type"), "type");
        assert!(is_keyword("async") && !is_keyword("self") && !is_keyword("foo"));
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
    fn oneof_accessor_bases() {
        assert_eq!(oneof_accessor_base("camelCase"), "camel_case");
        assert_eq!(oneof_accessor_base("self"), "self_");
        assert_eq!(oneof_accessor_base("Self"), "self_");
        assert_eq!(oneof_accessor_base("crate"), "crate_");
        assert_eq!(oneof_accessor_base("type"), "type");
        assert!(is_accessor_base("type") && is_accessor_base("_x") && is_accessor_base("clear_"));
        assert!(!is_accessor_base("self") && !is_accessor_base("a b") && !is_accessor_base("1a"));
        assert!(!is_accessor_base(""));
    }
}
