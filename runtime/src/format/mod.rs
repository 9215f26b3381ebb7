//! The layers the JSON and text mappings stand on: tokenizers, writers and the textual forms
//! of the well-known types, independent of any message type.
//!
//! - [`json`]: a pull reader over `&[u8]` ([`json::JsonReader`]) that borrows strings from the
//!   input, decodes escapes into a caller-provided buffer and converts numbers with
//!   ProtoJSON's rules; a writer ([`json::JsonWriter`]) into a reusable `String`.
//! - [`text`]: the protobuf text-format tokenizer ([`text::Lexer`]) and its string escaping.
//! - [`base64`]: standard / URL-safe base64 into caller buffers.
//! - [`float`]: shortest round-trip float printing shared by both formats.
//! - [`KeyBuf`]: where both decode a key that has escapes, inline up to
//!   [`KEY_BUF_INLINE`] bytes (a [`StringSink`], as a `String` is).
//! - [`well_known`]: `Timestamp` ↔ RFC 3339, `Duration` ↔ `"1.5s"`, `FieldMask` paths.
//! - [`mapping`]: whole messages as ProtoJSON ([`JsonMessage`], [`to_json`],
//!   [`merge_json`], [`JsonOptions`], [`TypeRegistry`]: the one registry of types, pools and
//!   extensions, for `Any` and `[pkg.ext]`).
//!
//! Every parse error carries a [`Position`] (line and column, both from 1) computed from the
//! byte offset only when the error is created, so the success path pays nothing for it.
//!
//! ## Why an own JSON tokenizer
//!
//! serde_json and simd-json were weighed against the constraints. serde_json's `de::Read` is
//! sealed (no custom input), it converts numbers eagerly to `u64`/`i64`/`f64` (so `1e2` as an
//! int, exact range checks and f32 range rules need its `arbitrary_precision` feature, which
//! allocates a `String` per number), and duplicate keys, quoted numbers and NaN strings would
//! all have to be handled in a `Visitor` layer that cannot report a byte position. simd-json
//! needs a mutable copy of the input and builds a tape (allocation per parse) and reports
//! positions only approximately. The reader here is a single forward pass that never
//! allocates: keys and strings without escapes are borrowed, escaped ones are decoded into a
//! reused `String`, numbers stay text until the caller asks for a type, and UTF-8 is checked
//! with `simdutf8` over whole string runs.

pub mod base64;
pub mod float;
pub mod json;
mod key_buf;
pub mod mapping;
#[cfg(feature = "serde")]
pub mod serde;
pub mod text;
pub mod well_known;

pub use key_buf::{KeyBuf, StringSink, KEY_BUF_INLINE};
pub use mapping::{
    merge_json, merge_json_with, to_json, write_json, JsonMessage, JsonOptions, JsonParser,
    JsonPrinter, TypeRegistry,
};

use crate::field::Enumeration;
use std::fmt;
use std::marker::PhantomData;

/// What the JSON and text mappings need of an enum type, which is known either by its
/// generated Rust type ([`GeneratedEnum`]) or at run time (a dynamic message's enum): the
/// rules that read and write enum values exist once, over this.
pub(crate) trait EnumNames {
    /// Whether it is `google.protobuf.NullValue` (written `null` in JSON).
    fn is_null_value(&self) -> bool;
    /// The number of the value with this name (aliases included).
    fn number_of(&self, name: &str) -> Option<i32>;
    /// The name of the (first) value with this number.
    fn name_of(&self, number: i32) -> Option<&str>;
}

/// [`EnumNames`] of a generated enum.
pub(crate) struct GeneratedEnum<E>(PhantomData<E>);

impl<E> GeneratedEnum<E> {
    /// The names of `E`.
    pub(crate) const NAMES: GeneratedEnum<E> = GeneratedEnum(PhantomData);
}

impl<E: Enumeration> EnumNames for GeneratedEnum<E> {
    #[inline]
    fn is_null_value(&self) -> bool {
        is_null_value_name(E::NAME)
    }
    #[inline]
    fn number_of(&self, name: &str) -> Option<i32> {
        E::from_name(name).map(E::to_i32)
    }
    #[inline]
    fn name_of(&self, number: i32) -> Option<&str> {
        E::from_i32(number).map(E::name)
    }
}

/// Whether an enum of this full name is `google.protobuf.NullValue`.
pub(crate) const fn is_null_value_name(name: &str) -> bool {
    let (a, b) = (name.as_bytes(), b"google.protobuf.NullValue");
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A place in a text input: line and column, both counted from 1. Columns count characters
/// (Unicode scalar values), not bytes; a tab counts as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// Byte offset from the start of the input, from 0.
    pub offset: usize,
}

impl Position {
    /// The position of byte `offset` in `input` (clamped to the input's length). Invalid UTF-8
    /// counts one column per byte that does not continue a character.
    pub fn locate(input: &[u8], offset: usize) -> Position {
        let offset = offset.min(input.len());
        let before = &input[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        // Characters are counted by their first byte: every byte that is not a UTF-8
        // continuation byte (0b10xx_xxxx).
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        Position {
            line: saturate(line),
            column: saturate(column),
            offset,
        }
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The value of the ASCII hex digits `s[from..from + n]`, if they are all there and all hex.
pub(crate) fn hex_value(s: &[u8], from: usize, n: usize) -> Option<u32> {
    s.get(from..from.checked_add(n)?)?
        .iter()
        .try_fold(0u32, |acc, &d| Some(acc << 4 | char::from(d).to_digit(16)?))
}

/// Why a `\u` escape was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UEscapeError {
    /// Fewer than four hex digits.
    BadHex,
    /// A UTF-16 surrogate without its pair.
    LoneSurrogate,
}

/// Decodes the `\uXXXX` escape at `at` (the backslash), with the `\uXXXX` low surrogate that
/// must follow a high one, as JSON and the text format both write characters beyond the
/// BMP: the character and the offset after the escape(s).
pub(crate) fn u_escape(s: &[u8], at: usize) -> Result<(char, usize), UEscapeError> {
    let unit = hex_value(s, at + 2, 4).ok_or(UEscapeError::BadHex)?;
    let (scalar, end) = match unit {
        0xD800..=0xDBFF => {
            if s.get(at + 6..at + 8) != Some(b"\\u") {
                return Err(UEscapeError::LoneSurrogate);
            }
            let low = hex_value(s, at + 8, 4).ok_or(UEscapeError::BadHex)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(UEscapeError::LoneSurrogate);
            }
            (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), at + 12)
        }
        _ => (unit, at + 6),
    };
    // Only a lone low surrogate is left that is no scalar value.
    let c = char::from_u32(scalar).ok_or(UEscapeError::LoneSurrogate)?;
    Ok((c, end))
}
