//! The accessor methods a message gets for each field, by field shape: the one list the
//! derive emits from and the generator predicts collisions with.

use crate::case::snake_case;
use crate::keywords::{suffix_non_raw, NON_RAW};

/// One accessor method, named from a field's accessor base `x`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Accessor {
    /// `x()`: the value (a slice for repeated fields, the container for maps).
    Get,
    /// `set_x(v)`, or `set_x(i, v)` for a repeated field.
    Set,
    /// `has_x()`: whether a field with presence (or a oneof member) is set.
    Has,
    /// `mutable_x()`: mutable access (to the container for repeated fields and maps).
    Mutable,
    /// `clear_x()`.
    Clear,
    /// `take_x()`: the value moved out.
    Take,
    /// `x_size()`: the number of elements or entries.
    Size,
    /// `x_at(i)`: one element of a repeated field.
    At,
    /// `add_x()`: appends an element to a repeated field.
    Add,
    /// `mutable_x_at(i)`: one element of a repeated field, mutable.
    MutableAt,
    /// `which_x()`: the set member of a oneof.
    Which,
}

impl Accessor {
    /// The method's name for the accessor base `base` (`Size` of `x` → `x_size`).
    pub fn name(self, base: &str) -> String {
        match self {
            Accessor::Get => base.to_string(),
            Accessor::Set => format!("set_{base}"),
            Accessor::Has => format!("has_{base}"),
            Accessor::Mutable => format!("mutable_{base}"),
            Accessor::Clear => format!("clear_{base}"),
            Accessor::Take => format!("take_{base}"),
            Accessor::Size => format!("{base}_size"),
            Accessor::At => format!("{base}_at"),
            Accessor::Add => format!("add_{base}"),
            Accessor::MutableAt => format!("mutable_{base}_at"),
            Accessor::Which => format!("which_{base}"),
        }
    }
}

/// The shape of a field as far as its accessors go.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FieldShape {
    /// A singular field without presence (proto3 implicit presence). `by_value` for scalars
    /// and enums, which are copied out and have no `take_x()`; strings and bytes have one.
    Implicit {
        /// Scalars and enums (no `take_x()`).
        by_value: bool,
    },
    /// A singular field with presence (`optional`, `required`, a message field).
    Present,
    /// A repeated field.
    Repeated,
    /// A map field.
    Map,
    /// The field holding a oneof (`Option<E>`); its members have their own accessors.
    Oneof,
    /// One member of a oneof, with accessors on the message.
    OneofMember,
}

impl FieldShape {
    /// The accessors of a field of this shape, in the order the derive emits them.
    pub fn accessors(self) -> &'static [Accessor] {
        use Accessor::*;
        match self {
            FieldShape::Implicit { by_value: true } => &[Get, Set, Mutable, Clear],
            FieldShape::Implicit { by_value: false } => &[Get, Set, Mutable, Clear, Take],
            FieldShape::Present => &[Get, Set, Mutable, Clear, Has, Take],
            FieldShape::Repeated => &[Get, Size, Mutable, Clear, Take, At, Set, Add, MutableAt],
            FieldShape::Map => &[Get, Size, Mutable, Clear, Take],
            FieldShape::Oneof => &[Which, Clear, Take],
            FieldShape::OneofMember => &[Get, Has, Set, Mutable, Clear, Take],
        }
    }
}

/// The names of the accessor methods a field of shape `shape` whose accessor base is `base`
/// gets, in the order the derive emits them:
/// `zpb_naming::accessor_names("x", FieldShape::Map)` is `x`, `x_size`, `mutable_x`,
/// `clear_x`, `take_x`.
pub fn accessor_names(base: &str, shape: FieldShape) -> Vec<String> {
    shape.accessors().iter().map(|a| a.name(base)).collect()
}

/// The base of a oneof member's accessors (`x()`, `has_x()`, `set_x()`, ...) when none is
/// given explicitly: its proto name in snake case, `_`-suffixed if it is `self`, `super` or
/// `crate` (`fooBar` → `foo_bar`, `self` → `self_`). Keywords that can be raw stay as they
/// are (the getter is then `r#type()`, the others `has_type()`, ...).
pub fn oneof_accessor_base(proto_name: &str) -> String {
    suffix_non_raw(&snake_case(proto_name))
}

/// The accessors the derive generates on the message for a oneof member whose accessor base
/// is `base`, in this order: `x`, `has_x`, `set_x`, `mutable_x`, `clear_x`, `take_x`
/// ([`accessor_names`] of [`FieldShape::OneofMember`] as an array).
pub fn oneof_member_accessors(base: &str) -> [String; 6] {
    let mut names = accessor_names(base, FieldShape::OneofMember).into_iter();
    std::array::from_fn(|_| names.next().unwrap_or_default())
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
    fn names_per_shape() {
        assert_eq!(
            accessor_names("x", FieldShape::Map),
            ["x", "x_size", "mutable_x", "clear_x", "take_x"]
        );
        assert_eq!(
            accessor_names("x", FieldShape::Implicit { by_value: true }),
            ["x", "set_x", "mutable_x", "clear_x"]
        );
        assert_eq!(
            accessor_names("x", FieldShape::Oneof),
            ["which_x", "clear_x", "take_x"]
        );
        assert_eq!(
            oneof_member_accessors("x"),
            ["x", "has_x", "set_x", "mutable_x", "clear_x", "take_x"]
        );
        let repeated = accessor_names("x", FieldShape::Repeated);
        for name in ["x_at", "add_x", "mutable_x_at", "set_x"] {
            assert!(repeated.iter().any(|n| n == name), "{name}");
        }
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
