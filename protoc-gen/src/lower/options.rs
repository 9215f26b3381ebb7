//! [`LowerOptions`]: what lowering needs to know of the user's options, and how an option's
//! path selects proto elements.

/// The options lowering reads, built from `Config` by the driver.
///
/// Paths name proto elements: `.` matches everything, a fully qualified `.pkg.Msg` matches
/// that message and everything in it (`.pkg.Msg.field`), and a name without a leading dot
/// matches by suffix (`Msg.field`).
#[derive(Clone, Debug, Default)]
pub struct LowerOptions {
    /// `(path, attribute)`: attributes for matching messages and enums.
    pub type_attributes: Vec<(String, String)>,
    /// `(path, attribute)`: attributes for matching fields.
    pub field_attributes: Vec<(String, String)>,
    /// `bytes` fields stored as `bytes::Bytes`.
    pub bytes: Vec<String>,
    /// Map fields stored as `BTreeMap`.
    pub btree_map: Vec<String>,
    /// Singular message fields stored boxed (`zpb::MessageField<M>`).
    pub boxed: Vec<String>,
    /// Singular and repeated `string` fields stored as `String` rather than
    /// `zpb::ThinString`.
    pub std_strings: Vec<String>,
    /// Generate the well-known types instead of referring to `zpb::well_known`.
    pub compile_well_known_types: bool,
}

impl LowerOptions {
    /// Whether the `bytes` field `full` (with a leading dot) is `bytes::Bytes`.
    pub fn shared_bytes(&self, full: &str) -> bool {
        self.bytes.iter().any(|p| matches_path(p, full))
    }

    /// Whether the `string` field `full` is stored as `String` (else `zpb::ThinString`).
    pub fn std_strings(&self, full: &str) -> bool {
        self.std_strings.iter().any(|p| matches_path(p, full))
    }

    /// Whether the map field `full` is a `BTreeMap`.
    pub fn btree_map(&self, full: &str) -> bool {
        self.btree_map.iter().any(|p| matches_path(p, full))
    }

    /// Whether the singular message field `full` is boxed by the user's choice.
    pub fn boxed(&self, full: &str) -> bool {
        self.boxed.iter().any(|p| matches_path(p, full))
    }

    /// The attributes of the message or enum `full`.
    pub fn type_attributes(&self, full: &str) -> Vec<String> {
        matching(&self.type_attributes, full)
    }

    /// The attributes of the field `full`.
    pub fn field_attributes(&self, full: &str) -> Vec<String> {
        matching(&self.field_attributes, full)
    }
}

/// Whether an option's `pattern` selects the element `full`.
fn matches_path(pattern: &str, full: &str) -> bool {
    if pattern == "." {
        return true;
    }
    if pattern.starts_with('.') {
        full == pattern || full.starts_with(&format!("{pattern}."))
    } else {
        full == pattern || full.ends_with(&format!(".{pattern}"))
    }
}

/// The values of the `(pattern, value)` pairs whose pattern selects `full`.
fn matching(list: &[(String, String)], full: &str) -> Vec<String> {
    list.iter()
        .filter(|(p, _)| matches_path(p, full))
        .map(|(_, a)| a.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        assert!(matches_path(".", ".a.B.c"));
        assert!(matches_path(".a.B", ".a.B.c"));
        assert!(!matches_path(".a.B", ".a.BC"));
        assert!(matches_path("B.c", ".a.B.c"));
        assert!(!matches_path("c", ".a.B.cc"));
    }
}
