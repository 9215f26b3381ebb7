//! Rust keywords and the names an accessor must not take.

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
    "cache_size",
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
    "space_needed",
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
pub(crate) const NON_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Whether `name` is a keyword that must be written as a raw identifier (`r#type`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a method every message has ([`RESERVED_METHODS`]).
pub fn is_reserved_method(name: &str) -> bool {
    RESERVED_METHODS.contains(&name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("Self"), "Self_");
        assert_eq!(escape("gen"), "r#gen");
        assert_eq!(unraw("r#type"), "type");
        assert!(is_keyword("async") && !is_keyword("self") && !is_keyword("foo"));
    }
}
