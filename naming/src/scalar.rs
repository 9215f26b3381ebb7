//! The protobuf scalar types: one table of the word `#[zpb(...)]` attributes and `.proto` files
//! use, the `codec` marker type that reads and writes values of that type, the Rust type that
//! stores them and the text of their default value.

/// A protobuf scalar type (the numeric types and `bool`; strings and bytes are not scalars
/// here because their storage varies).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Scalar {
    /// `int32`
    Int32,
    /// `int64`
    Int64,
    /// `uint32`
    UInt32,
    /// `uint64`
    UInt64,
    /// `sint32`
    SInt32,
    /// `sint64`
    SInt64,
    /// `fixed32`
    Fixed32,
    /// `fixed64`
    Fixed64,
    /// `sfixed32`
    SFixed32,
    /// `sfixed64`
    SFixed64,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bool`
    Bool,
}

/// One row of [`SCALARS`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScalarInfo {
    /// The scalar.
    pub scalar: Scalar,
    /// The proto word (`sint32`).
    pub word: &'static str,
    /// The `codec` marker type (`SInt32`).
    pub codec: &'static str,
    /// The Rust type that stores a value (`i32`).
    pub rust: &'static str,
    /// The default value as Rust source text (`0`, `0.0`, `false`).
    pub default: &'static str,
}

const fn row(
    scalar: Scalar,
    word: &'static str,
    codec: &'static str,
    rust: &'static str,
    default: &'static str,
) -> ScalarInfo {
    ScalarInfo {
        scalar,
        word,
        codec,
        rust,
        default,
    }
}

/// Every scalar type. For each Rust type the first row is the one a bare Rust type means
/// (`i32` is `int32`, `u64` is `uint64`, `f64` is `double`).
pub const SCALARS: [ScalarInfo; 13] = [
    row(Scalar::Int32, "int32", "Int32", "i32", "0"),
    row(Scalar::Int64, "int64", "Int64", "i64", "0"),
    row(Scalar::UInt32, "uint32", "UInt32", "u32", "0"),
    row(Scalar::UInt64, "uint64", "UInt64", "u64", "0"),
    row(Scalar::SInt32, "sint32", "SInt32", "i32", "0"),
    row(Scalar::SInt64, "sint64", "SInt64", "i64", "0"),
    row(Scalar::Fixed32, "fixed32", "Fixed32", "u32", "0"),
    row(Scalar::Fixed64, "fixed64", "Fixed64", "u64", "0"),
    row(Scalar::SFixed32, "sfixed32", "SFixed32", "i32", "0"),
    row(Scalar::SFixed64, "sfixed64", "SFixed64", "i64", "0"),
    row(Scalar::Float, "float", "Float", "f32", "0.0"),
    row(Scalar::Double, "double", "Double", "f64", "0.0"),
    row(Scalar::Bool, "bool", "Bool", "bool", "false"),
];

impl Scalar {
    /// This scalar's row of [`SCALARS`].
    pub fn info(self) -> &'static ScalarInfo {
        // The table lists the variants in declaration order.
        &SCALARS[self as usize]
    }

    /// The scalar a proto word names (`sint32` → [`Scalar::SInt32`]).
    pub fn from_word(word: &str) -> Option<Scalar> {
        SCALARS.iter().find(|r| r.word == word).map(|r| r.scalar)
    }

    /// The scalar a bare Rust type means (`i32` → [`Scalar::Int32`]).
    pub fn from_rust(rust: &str) -> Option<Scalar> {
        SCALARS.iter().find(|r| r.rust == rust).map(|r| r.scalar)
    }

    /// The proto word (`sint32`).
    pub fn word(self) -> &'static str {
        self.info().word
    }

    /// The `codec` marker type (`SInt32`).
    pub fn codec(self) -> &'static str {
        self.info().codec
    }

    /// The Rust type that stores a value (`i32`).
    pub fn rust_type(self) -> &'static str {
        self.info().rust
    }

    /// The default value as Rust source text (`0`, `0.0`, `false`).
    pub fn default_text(self) -> &'static str {
        self.info().default
    }

    /// `float` or `double`.
    pub fn is_float(self) -> bool {
        matches!(self, Scalar::Float | Scalar::Double)
    }
}

/// The `codec` marker type of a scalar word (`sint32` → `SInt32`).
pub fn scalar_codec(word: &str) -> Option<&'static str> {
    Scalar::from_word(word).map(Scalar::codec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (i, row) in SCALARS.iter().enumerate() {
            assert_eq!(row.scalar as usize, i, "{}", row.word);
            assert_eq!(Scalar::from_word(row.word), Some(row.scalar));
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(scalar_codec("sint32"), Some("SInt32"));
        assert_eq!(scalar_codec("string"), None);
        assert_eq!(Scalar::from_rust("i32"), Some(Scalar::Int32));
        assert_eq!(Scalar::from_rust("u64"), Some(Scalar::UInt64));
        assert_eq!(Scalar::from_rust("f64"), Some(Scalar::Double));
        assert_eq!(Scalar::from_rust("u8"), None);
        assert_eq!(Scalar::Float.default_text(), "0.0");
        assert_eq!(Scalar::SFixed64.rust_type(), "i64");
        assert!(Scalar::Float.is_float() && !Scalar::Bool.is_float());
    }
}
