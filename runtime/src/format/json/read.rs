//! The pull reader: one forward pass over `&[u8]`, no allocation.

use std::fmt;

use crate::format::base64::{self, Base64Error};
use crate::format::key_buf::StringSink;
use crate::format::well_known::WellKnownError;
use crate::format::{u_escape, Position, UEscapeError};

/// The nesting depth a [`JsonReader`] allows unless told otherwise (protobuf's default
/// recursion limit).
pub const DEFAULT_MAX_DEPTH: u32 = 100;

/// The largest depth limit a [`JsonReader`] accepts (message parsers built on the reader
/// recurse once per level, so the limit bounds their stack use).
pub const MAX_DEPTH: u32 = 1000;

/// What kind of value comes next, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An object, `{`.
    Object,
    /// An array, `[`.
    Array,
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Object => "an object",
            JsonKind::Array => "an array",
        })
    }
}

/// What was wrong with the JSON input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that cannot start or continue what the grammar expects here.
    UnexpectedByte {
        /// The byte found.
        found: u8,
        /// What the grammar expected, e.g. `"',' or '}'"`.
        expected: &'static str,
    },
    /// A value of another kind than the caller asked for.
    WrongKind {
        /// What the caller asked for.
        expected: &'static str,
        /// What the input holds.
        found: JsonKind,
    },
    /// A string that is not valid UTF-8.
    InvalidUtf8,
    /// An unescaped control character (below U+0020) inside a string.
    ControlCharacter,
    /// A backslash followed by something other than `" \ / b f n r t u`, or a bad `\u` escape.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate without its pair.
    LoneSurrogate,
    /// A word that is not `true`, `false` or `null` (`tru`, `nullx`, `True`).
    InvalidLiteral,
    /// Text that is not a JSON number (or, quoted, not one of the accepted number spellings).
    InvalidNumber,
    /// A number with a fraction where an integer is required.
    NotAnInteger,
    /// A number outside the range of the requested type.
    NumberOutOfRange,
    /// Objects and arrays nested deeper than the limit (the limit in force).
    DepthLimit(u32),
    /// Something other than whitespace after the top-level value.
    TrailingData,
    /// A key that appeared before in the same object (reported by callers).
    DuplicateKey,
    /// A `bytes` string that is not base64.
    Base64(Base64Error),
    /// A string that is not the form of a well-known type (reported by callers, e.g. for
    /// `timestamp::parse(s).map_err(|e| reader.value_error(JsonErrorKind::WellKnown(e)))`).
    WellKnown(WellKnownError),
    /// A key that names no field of the message (and unknown fields are not ignored).
    UnknownField(String),
    /// An enum value name (or, for a closed enum, a number) the enum does not declare.
    UnknownEnumValue,
    /// A second member of the same oneof.
    OneofConflict,
    /// A value of the right JSON kind that the field's type cannot hold, e.g. `null` in a
    /// list, a `Value` without a kind, or an `Any` without `@type` (the text says which).
    InvalidValue(&'static str),
    /// An `Any` whose type URL names a type the [`TypeRegistry`] does not know.
    ///
    /// [`TypeRegistry`]: crate::format::TypeRegistry
    UnknownType(String),
}

impl fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonErrorKind::UnexpectedEnd => f.write_str("unexpected end of input"),
            JsonErrorKind::UnexpectedByte { found, expected } => {
                if found.is_ascii_graphic() {
                    write!(f, "unexpected '{}', expected {expected}", *found as char)
                } else {
                    write!(f, "unexpected byte 0x{found:02x}, expected {expected}")
                }
            }
            JsonErrorKind::WrongKind { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            JsonErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8 in string"),
            JsonErrorKind::ControlCharacter => f.write_str("unescaped control character in string"),
            JsonErrorKind::InvalidEscape => f.write_str("invalid escape sequence"),
            JsonErrorKind::LoneSurrogate => f.write_str("unpaired UTF-16 surrogate in \\u escape"),
            JsonErrorKind::InvalidLiteral => f.write_str("invalid literal (true, false or null)"),
            JsonErrorKind::InvalidNumber => f.write_str("invalid number"),
            JsonErrorKind::NotAnInteger => f.write_str("number is not an integer"),
            JsonErrorKind::NumberOutOfRange => f.write_str("number out of range"),
            JsonErrorKind::DepthLimit(limit) => write!(f, "nesting deeper than {limit}"),
            JsonErrorKind::TrailingData => f.write_str("data after the JSON value"),
            JsonErrorKind::DuplicateKey => f.write_str("duplicate key"),
            JsonErrorKind::Base64(e) => write!(f, "bytes: {e}"),
            JsonErrorKind::WellKnown(e) => e.fmt(f),
            JsonErrorKind::UnknownField(name) => write!(f, "unknown field {name:?}"),
            JsonErrorKind::UnknownEnumValue => f.write_str("unknown enum value"),
            JsonErrorKind::OneofConflict => f.write_str("a second member of the same oneof"),
            JsonErrorKind::InvalidValue(what) => f.write_str(what),
            JsonErrorKind::UnknownType(url) => write!(f, "unknown type {url:?} in Any"),
        }
    }
}

/// A JSON error and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// Where: the start of the offending token or value.
    pub position: Position,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.kind)
    }
}

impl std::error::Error for JsonError {}

type Result<T> = std::result::Result<T, JsonError>;

/// The text of a JSON number (grammar already checked), converted on request with
/// ProtoJSON's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonNumber<'a> {
    /// The number's text: ASCII, as the grammar admits nothing else.
    text: &'a [u8],
    /// The parts, found by the grammar check, unless the significand is too long.
    parts: Option<DecimalParts>,
}

impl<'a> JsonNumber<'a> {
    /// Checks `text` against the JSON number grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    pub fn parse(text: &'a str) -> Option<Self> {
        Self::parse_ascii(text.as_bytes())
    }

    /// [`parse`](Self::parse) on bytes (a number's are ASCII; other bytes fail the grammar).
    fn parse_ascii(text: &'a [u8]) -> Option<Self> {
        match scan_number(text) {
            Some((len, parts)) if len == text.len() => Some(JsonNumber { text, parts }),
            _ => None,
        }
    }

    /// The number's text.
    pub fn as_str(&self) -> &'a str {
        // ASCII (checked by the grammar), so never the empty default.
        std::str::from_utf8(self.text).unwrap_or_default()
    }

    /// The exact integer value, if the number is integral and within `i128` of 20 digits:
    /// `1e2` and `100.000` are integers, `1.5` is not.
    pub fn to_integer(&self) -> std::result::Result<i128, JsonErrorKind> {
        let b = self.text;
        let digits = b.strip_prefix(b"-").unwrap_or(b);
        // The common case, plain digits that cannot overflow, without the general path.
        if digits.len() <= 19 && digits.iter().all(u8::is_ascii_digit) {
            let v = digits
                .iter()
                .fold(0i128, |acc, &d| acc * 10 + i128::from(d - b'0'));
            return Ok(if digits.len() < b.len() { -v } else { v });
        }
        exact_integer(b)
    }

    /// As an `i32`, `i64`, `u32` or `u64` (any `T` an `i128` converts to): integral and in range.
    pub fn to_int<T: TryFrom<i128>>(&self) -> std::result::Result<T, JsonErrorKind> {
        T::try_from(self.to_integer()?).map_err(|_| JsonErrorKind::NumberOutOfRange)
    }

    /// The correctly rounded `f64` by Clinger's fast path ([`DecimalParts::exact_f64`]).
    fn exact_f64(&self) -> Option<f64> {
        self.parts?.exact_f64()
    }

    /// As an `f64`, rounded to nearest; values beyond `f64`'s range are out of range.
    pub fn to_f64(&self) -> std::result::Result<f64, JsonErrorKind> {
        if let Some(v) = self.exact_f64() {
            return Ok(v);
        }
        let v: f64 = self
            .as_str()
            .parse()
            .map_err(|_| JsonErrorKind::InvalidNumber)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(JsonErrorKind::NumberOutOfRange)
        }
    }

    /// As an `f32`, rounded to nearest from the text; values whose magnitude exceeds
    /// `f32::MAX` are out of range (as protobuf checks).
    pub fn to_f32(&self) -> std::result::Result<f32, JsonErrorKind> {
        if let Some(v) = self.parts.and_then(DecimalParts::exact_f32) {
            return Ok(v);
        }
        let v: f32 = self
            .as_str()
            .parse()
            .map_err(|_| JsonErrorKind::InvalidNumber)?;
        // Rounded to an `f32` below `f32::MAX`, the text's value lies below it too (under
        // the midpoint to the next `f32`), so only the top values need the `f64` check.
        if v.abs() < f32::MAX {
            return Ok(v);
        }
        if self.to_f64()?.abs() > f64::from(f32::MAX) {
            return Err(JsonErrorKind::NumberOutOfRange);
        }
        Ok(v)
    }
}

/// Checks the JSON number at the start of `b` against the grammar: its length and, unless
/// its significand has more than 19 digits (which a `u64` may not hold), its parts; `None`
/// if no number starts there.
fn scan_number(b: &[u8]) -> Option<(usize, Option<DecimalParts>)> {
    let negative = b.first() == Some(&b'-');
    let mut i = usize::from(negative);
    let mut significand: u64 = 0;
    let int_digits = match b.get(i) {
        Some(b'0') => {
            i += 1;
            1
        }
        Some(b'1'..=b'9') => append_digits(b, &mut i, &mut significand),
        _ => return None,
    };
    let mut fraction_digits = 0;
    let mut exponent: i32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        fraction_digits = append_digits(b, &mut i, &mut significand);
        if fraction_digits == 0 {
            return None;
        }
        exponent = i32::try_from(fraction_digits).map_or(i32::MIN, |n| -n);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = b.get(i) == Some(&b'-');
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        let mut written: i32 = 0;
        while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            // Saturated far beyond any exponent the fast path takes.
            written = (written * 10 + i32::from(d - b'0')).min(1_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent = exponent.saturating_add(if negative { -written } else { written });
    }
    // Up to 19 digits (leading zeros included, for simplicity) never wrapped around.
    let parts = (int_digits + fraction_digits <= 19).then_some(DecimalParts {
        negative,
        significand,
        exponent,
    });
    Some((i, parts))
}

/// Consumes the digits at `*i`, appending them to `significand` (wrapping around after 19
/// digits, which callers discard): how many there were. Eight bytes at a time while eight
/// are left.
#[inline(always)]
fn append_digits(b: &[u8], i: &mut usize, significand: &mut u64) -> usize {
    /// `10^n` for the digits of one word.
    const POW10: [u64; 9] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
    ];
    let start = *i;
    while let Some(word) = b.get(*i..).and_then(|rest| rest.first_chunk::<8>()) {
        let n = leading_digits(u64::from_le_bytes(*word));
        if n == 0 {
            return *i - start;
        }
        *significand = significand
            .wrapping_mul(POW10[n])
            .wrapping_add(digits_value(u64::from_le_bytes(*word), n));
        *i += n;
        if n < 8 {
            return *i - start;
        }
    }
    while let Some(d) = b.get(*i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10) {
        *significand = significand.wrapping_mul(10).wrapping_add(u64::from(d));
        *i += 1;
    }
    *i - start
}

/// How many of the eight little-endian bytes of `word` are ASCII digits before the first
/// byte that is not (8 if all are).
#[inline(always)]
fn leading_digits(word: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte, `c - '0'` has its high bit set below '0', and adding 0x76 sets it from
    // ':' up. Borrows and carries only travel upwards, from bytes that are not digits, so
    // the lowest flagged byte is exact.
    let d = word.wrapping_sub(ONES * u64::from(b'0'));
    let not_digit = (d | d.wrapping_add(ONES * 0x76)) & (ONES * 0x80);
    (not_digit.trailing_zeros() / 8) as usize
}

/// The value of the first `n` (1 to 8) bytes of `word`, all ASCII digits, read as a decimal
/// number (the first byte is the most significant digit): three multiplications.
#[inline(always)]
fn digits_value(word: u64, n: usize) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const EVERY_4TH: u64 = 0x0000_00FF_0000_00FF;
    // The digits' values, moved up so that the bytes below them are zeros (leading zeros).
    let v = word.wrapping_sub(ONES * u64::from(b'0')) << (8 * (8 - n));
    // Pairs of digits, then groups of four, then all eight.
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    ((v & EVERY_4TH)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((v >> 16) & EVERY_4TH).wrapping_mul(1 + (10_000 << 32))))
        >> 32
}

/// The exact value of a grammar-checked number that must be an integer.
fn exact_integer(b: &[u8]) -> std::result::Result<i128, JsonErrorKind> {
    let negative = b.first() == Some(&b'-');
    let body = &b[usize::from(negative)..];
    let mantissa_end = body
        .iter()
        .position(|&c| c == b'e' || c == b'E')
        .unwrap_or(body.len());
    let (mantissa, exponent) = body.split_at(mantissa_end);
    // The exponent saturates far beyond anything that can be an in-range integer.
    let mut exp: i64 = 0;
    if let Some(rest) = exponent.get(1..) {
        let (sign, digits) = match rest.first() {
            Some(b'-') => (-1, &rest[1..]),
            Some(b'+') => (1, &rest[1..]),
            _ => (1, rest),
        };
        for &d in digits {
            exp = (exp * 10 + i64::from(d - b'0')).min(1_000_000);
        }
        exp *= sign;
    }
    let (int_part, frac_part) = match mantissa.iter().position(|&c| c == b'.') {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, &[][..]),
    };
    let all = || int_part.iter().chain(frac_part);
    let leading_zeros = all().take_while(|&&c| c == b'0').count();
    let total = int_part.len() + frac_part.len();
    if leading_zeros == total {
        return Ok(0);
    }
    let trailing_zeros = all().rev().take_while(|&&c| c == b'0').count();
    let significant = total - leading_zeros - trailing_zeros;
    // value = significant digits × 10^scale
    let scale = exp - frac_part.len() as i64 + trailing_zeros as i64;
    if scale < 0 {
        return Err(JsonErrorKind::NotAnInteger);
    }
    if significant as i64 + scale > 20 {
        return Err(JsonErrorKind::NumberOutOfRange);
    }
    let mut value: i128 = 0;
    for &d in all().skip(leading_zeros).take(significant) {
        value = value * 10 + i128::from(d - b'0');
    }
    for _ in 0..scale {
        value *= 10;
    }
    Ok(if negative { -value } else { value })
}

/// A grammar-checked number as `±significand × 10^exponent`, for the fast float conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DecimalParts {
    negative: bool,
    significand: u64,
    exponent: i32,
}

impl DecimalParts {
    /// The correctly rounded `f64` by Clinger's fast path, when the significand (at most
    /// 2^53) and the power of ten (at most 10^22) are both exact `f64`s, so one
    /// multiplication or division rounds correctly; `None` for other numbers.
    #[inline]
    fn exact_f64(self) -> Option<f64> {
        /// The powers of ten an `f64` holds exactly.
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        if self.significand > 1 << 53 {
            return None;
        }
        let scale = *POW10.get(self.exponent.unsigned_abs() as usize)?;
        let significand = self.significand as f64;
        let magnitude = if self.exponent < 0 {
            significand / scale
        } else {
            significand * scale
        };
        Some(if self.negative { -magnitude } else { magnitude })
    }

    /// The correctly rounded `f32` from [`exact_f64`](Self::exact_f64), unless that `f64`
    /// may be a rounded midpoint between two `f32`s.
    #[inline]
    fn exact_f32(self) -> Option<f32> {
        // The correctly rounded `f64` rounds to the correctly rounded `f32` unless it lies
        // exactly halfway between two `f32`s (then the text may lie on either side): every
        // such midpoint is an `f64`, so none lies strictly between the text's value and its
        // nearest `f64`. The fast path's values are within the normal `f32` range (at least
        // `10^-22` or zero, at most `2^53 × 10^22`), where a midpoint is an `f64` whose 29
        // significand bits below the `f32`'s are `1000…0`.
        const BELOW_F32: u64 = (1 << 29) - 1;
        const MIDPOINT: u64 = 1 << 28;
        self.exact_f64()
            .filter(|v| v.to_bits() & BELOW_F32 != MIDPOINT)
            .map(|v| v as f32)
    }
}

/// A number in a common spelling found at the reader's position (see
/// [`JsonReader::plain_decimal`]), not yet consumed.
#[derive(Clone, Copy)]
struct PlainDecimal {
    parts: DecimalParts,
    /// Where the value starts (its quote, if quoted).
    start: usize,
    /// The offset after the value (after its closing quote, if quoted).
    end: usize,
}

/// A pull reader over one JSON document.
///
/// The caller drives it by the shape it expects: [`peek`](Self::peek) the next value's kind,
/// read scalars with `read_*`, objects with [`begin_object`](Self::begin_object) then
/// [`next_key`](Self::next_key) until `None` (reading each key's value in between), arrays
/// with [`begin_array`](Self::begin_array) then [`next_element`](Self::next_element) until
/// `false`, unknown values with [`skip_value`](Self::skip_value), and the end of the input with
/// [`finish`](Self::finish). Keys are given to the caller one by one, so detecting duplicates
/// is the caller's (it knows which keys name the same field); [`error_at`](Self::error_at)
/// builds the [`JsonErrorKind::DuplicateKey`] error with its position.
///
/// Numeric reads accept ProtoJSON's quoted numbers (`"12"`, `"1e2"`, `"NaN"` for floats); the
/// quoted text must be the number alone, without whitespace or escapes.
///
/// The reader is a few words and `Clone`: to look ahead (an `Any`'s `@type` may come after
/// its other fields), clone it, scan the copy, and go on with either.
#[derive(Debug, Clone)]
pub struct JsonReader<'a> {
    input: &'a [u8],
    pos: usize,
    depth: u32,
    max_depth: u32,
    /// Set by `begin_*`: the next `next_key`/`next_element` reads the first member.
    first: bool,
    /// Offset where the last value read (or peeked) starts, for callers' errors.
    value_start: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader over `input` with the [`DEFAULT_MAX_DEPTH`] nesting limit.
    pub fn new(input: &'a [u8]) -> Self {
        JsonReader {
            input,
            pos: 0,
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            first: false,
            value_start: 0,
        }
    }

    /// Sets the nesting limit (objects and arrays), at most [`MAX_DEPTH`].
    pub fn with_max_depth(mut self, max_depth: u32) -> Self {
        self.max_depth = max_depth.min(MAX_DEPTH);
        self
    }

    /// The byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The current nesting depth (open objects and arrays).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// The offset where the value last read or peeked starts.
    #[inline]
    pub fn value_offset(&self) -> usize {
        self.value_start
    }

    /// An error of `kind` at byte `offset`, with its line and column.
    #[cold]
    #[inline(never)]
    pub fn error_at(&self, offset: usize, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            position: Position::locate(self.input, offset),
        }
    }

    /// An error of `kind` at the start of the value last read or peeked.
    #[cold]
    #[inline(never)]
    pub fn value_error(&self, kind: JsonErrorKind) -> JsonError {
        self.error_at(self.value_start, kind)
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed.
    #[inline]
    fn next_byte(&mut self) -> Result<u8> {
        self.skip_ws();
        match self.input.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.error_at(self.pos, JsonErrorKind::UnexpectedEnd)),
        }
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, at: usize, expected: &'static str) -> JsonError {
        match self.input.get(at) {
            Some(&found) => self.error_at(at, JsonErrorKind::UnexpectedByte { found, expected }),
            None => self.error_at(at, JsonErrorKind::UnexpectedEnd),
        }
    }

    /// The kind of the next value, from its first byte; consumes only whitespace.
    #[inline]
    pub fn peek(&mut self) -> Result<JsonKind> {
        let b = self.next_byte()?;
        self.value_start = self.pos;
        Ok(match b {
            b'n' => JsonKind::Null,
            b't' | b'f' => JsonKind::Bool,
            b'-' | b'0'..=b'9' => JsonKind::Number,
            b'"' => JsonKind::String,
            b'{' => JsonKind::Object,
            b'[' => JsonKind::Array,
            _ => return Err(self.unexpected(self.pos, "a value")),
        })
    }

    fn expect_kind(&mut self, expected: &'static str, want: JsonKind) -> Result<()> {
        let found = self.peek()?;
        if found == want {
            Ok(())
        } else {
            Err(self.wrong_kind(expected, found))
        }
    }

    /// The error for a value of kind `found` where `expected` was asked for.
    #[cold]
    #[inline(never)]
    fn wrong_kind(&self, expected: &'static str, found: JsonKind) -> JsonError {
        self.value_error(JsonErrorKind::WrongKind { expected, found })
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<()> {
        let start = self.pos;
        let end = start + word.len();
        if self.input.get(start..end) == Some(word) && !self.runs_on(end) {
            self.pos = end;
            Ok(())
        } else {
            Err(self.error_at(start, JsonErrorKind::InvalidLiteral))
        }
    }

    /// Whether the byte at `at` would continue a literal or number (`nullx`, `01`, `1.5.2`,
    /// `1x`): a token must end before letters, digits, `.`, `+` or `-`.
    fn runs_on(&self, at: usize) -> bool {
        self.input
            .get(at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
    }

    fn check_delimiter(&self, at: usize, expected: &'static str) -> Result<()> {
        if self.runs_on(at) {
            Err(self.unexpected(at, expected))
        } else {
            Ok(())
        }
    }

    /// Consumes `null` if it comes next; `false` (and only whitespace consumed) for anything
    /// else, including the end of the input or a byte no value starts with, which the read
    /// that follows reports.
    #[inline]
    pub fn try_null(&mut self) -> Result<bool> {
        self.skip_ws();
        if self.input.get(self.pos) != Some(&b'n') {
            return Ok(false);
        }
        self.value_start = self.pos;
        self.literal(b"null")?;
        Ok(true)
    }

    /// Reads `null`.
    pub fn read_null(&mut self) -> Result<()> {
        self.expect_kind("null", JsonKind::Null)?;
        self.literal(b"null")
    }

    /// Reads `true` or `false`.
    pub fn read_bool(&mut self) -> Result<bool> {
        self.expect_kind("a boolean", JsonKind::Bool)?;
        if self.input[self.pos] == b't' {
            self.literal(b"true").map(|()| true)
        } else {
            self.literal(b"false").map(|()| false)
        }
    }

    /// Reads a string. Without escapes it is borrowed from the input; with escapes it is
    /// decoded into `scratch` (cleared first: a `String` whose capacity is reused, or a
    /// [`KeyBuf`](crate::format::KeyBuf) for short text).
    pub fn read_str<'s, S: StringSink>(&mut self, scratch: &'s mut S) -> Result<&'s str>
    where
        'a: 's,
    {
        self.expect_string()?;
        self.string_body(scratch)
    }

    /// Reads a string into `out`, replacing its content: escapes are decoded straight into it
    /// and an unescaped string is copied, so a kept `String` with the capacity takes any
    /// string without allocating.
    pub fn read_string_into<S: StringSink>(&mut self, out: &mut S) -> Result<()> {
        self.expect_string()?;
        self.string_into(out)
    }

    /// Checks that a string comes next (at its `"`, which is the value's start).
    #[inline]
    fn expect_string(&mut self) -> Result<()> {
        self.skip_ws();
        if self.input.get(self.pos) == Some(&b'"') {
            self.value_start = self.pos;
            Ok(())
        } else {
            self.expect_kind("a string", JsonKind::String)
        }
    }

    /// Reads a `bytes` value: a base64 string (standard or URL-safe, padded or not), decoded
    /// and appended to `out`; `scratch` holds the string if it has escapes.
    pub fn read_bytes(&mut self, scratch: &mut String, out: &mut Vec<u8>) -> Result<()> {
        let text = self.read_str(scratch)?;
        base64::decode(text.as_bytes(), out).map_err(|e| self.value_error(JsonErrorKind::Base64(e)))
    }

    /// Reads a bare (unquoted) number; its conversions are on [`JsonNumber`].
    pub fn read_number(&mut self) -> Result<JsonNumber<'a>> {
        self.expect_kind("a number", JsonKind::Number)?;
        self.bare_number()
    }

    /// The bare number at `self.pos` (peeked as [`JsonKind::Number`]).
    fn bare_number(&mut self) -> Result<JsonNumber<'a>> {
        let start = self.pos;
        let (len, parts) = scan_number(&self.input[start..])
            .ok_or_else(|| self.error_at(start, JsonErrorKind::InvalidNumber))?;
        self.pos = start + len;
        self.check_delimiter(self.pos, "a delimiter after the number")?;
        Ok(JsonNumber {
            text: &self.input[start..self.pos],
            parts,
        })
    }

    /// A number, bare or quoted (ProtoJSON accepts both for every numeric field). Quoted, the
    /// content must be a JSON number with no whitespace or escapes, or (with `specials`) one
    /// of `"NaN"`, `"Infinity"`, `"-Infinity"`, returned as `Err(value)`.
    fn numeric(&mut self, specials: bool) -> Result<std::result::Result<JsonNumber<'a>, f64>> {
        match self.peek()? {
            JsonKind::String => {}
            JsonKind::Number => return self.bare_number().map(Ok),
            found => return Err(self.wrong_kind("a number", found)),
        }
        let start = self.pos;
        let content_start = start + 1;
        // Escapes, control characters and non-ASCII bytes are not part of any number.
        let end = find_special::<true>(self.input, content_start);
        if self.input.get(end) != Some(&b'"') {
            return Err(self.error_at(start, JsonErrorKind::InvalidNumber));
        }
        let text = &self.input[content_start..end];
        self.pos = end + 1;
        if specials {
            match text {
                b"NaN" => return Ok(Err(f64::NAN)),
                b"Infinity" => return Ok(Err(f64::INFINITY)),
                b"-Infinity" => return Ok(Err(f64::NEG_INFINITY)),
                _ => {}
            }
        }
        JsonNumber::parse_ascii(text)
            .map(Ok)
            .ok_or_else(|| self.error_at(start, JsonErrorKind::InvalidNumber))
    }

    /// The next value, after whitespace, when it is a number of at most 19 significant
    /// digits, bare or quoted (then with nothing else inside the quotes): its parts and
    /// extent, not consumed (see [`consume`](Self::consume)). `None` for any other value,
    /// which the general path then reads (or rejects).
    #[inline(always)]
    fn plain_decimal(&mut self) -> Option<PlainDecimal> {
        self.skip_ws();
        let start = self.pos;
        let quoted = self.input.get(start) == Some(&b'"');
        let from = start + usize::from(quoted);
        let (len, parts) = scan_number(self.input.get(from..)?)?;
        let end = from + len;
        let delimited = if quoted {
            self.input.get(end) == Some(&b'"')
        } else {
            !self.runs_on(end)
        };
        Some(PlainDecimal {
            parts: parts.filter(|_| delimited)?,
            start,
            end: end + usize::from(quoted),
        })
    }

    /// Consumes the value [`plain_decimal`](Self::plain_decimal) found.
    #[inline]
    fn consume(&mut self, number: PlainDecimal) {
        self.value_start = number.start;
        self.pos = number.end;
    }

    #[inline]
    fn integer<T: TryFrom<i128>>(&mut self) -> Result<T> {
        match self.plain_integer() {
            Some(v) => {
                T::try_from(v).map_err(|_| self.value_error(JsonErrorKind::NumberOutOfRange))
            }
            None => self.integer_general(),
        }
    }

    /// [`integer`](Self::integer) past the fast path (out of line).
    #[inline(never)]
    fn integer_general<T: TryFrom<i128>>(&mut self) -> Result<T> {
        let number = self.numeric(false)?;
        match number {
            Ok(n) => n.to_int().map_err(|kind| self.value_error(kind)),
            Err(_) => Err(self.value_error(JsonErrorKind::InvalidNumber)),
        }
    }

    /// The common integer spellings, `-?(0|[1-9][0-9]*)` with a magnitude up to `u64::MAX`,
    /// bare or quoted, read without the general number path: the value, consumed; `None`
    /// (only whitespace consumed) for any other value, which the general path then reads (or
    /// rejects) as before.
    #[inline(always)]
    fn plain_integer(&mut self) -> Option<i128> {
        self.skip_ws();
        let start = self.pos;
        let quoted = self.input.get(start) == Some(&b'"');
        let from = start + usize::from(quoted);
        let b = self.input.get(from..)?;
        let negative = b.first() == Some(&b'-');
        let digits_start = usize::from(negative);
        let mut end = digits_start;
        let mut magnitude: u64 = 0;
        let digits = append_digits(b, &mut end, &mut magnitude);
        if digits == 0 || (digits > 1 && b[digits_start] == b'0') {
            return None;
        }
        // A number beyond `u64` (out of range for every integer type; `magnitude` wrapped
        // around) goes the general way.
        if digits > 19 && (digits > 20 || b[digits_start..end] > b"18446744073709551615"[..]) {
            return None;
        }
        let end = from + end;
        let delimited = if quoted {
            self.input.get(end) == Some(&b'"')
        } else {
            !self.runs_on(end)
        };
        if !delimited {
            return None;
        }
        self.value_start = start;
        self.pos = end + usize::from(quoted);
        let v = i128::from(magnitude);
        Some(if negative { -v } else { v })
    }

    /// Reads an `int32`/`sint32`/`sfixed32` value: a number or a quoted number, integral
    /// (`1e2` and `5.0` are), in range.
    #[inline]
    pub fn read_i32(&mut self) -> Result<i32> {
        self.integer()
    }

    /// Reads an `int64`/`sint64`/`sfixed64` value (number or quoted), integral, in range.
    #[inline]
    pub fn read_i64(&mut self) -> Result<i64> {
        self.integer()
    }

    /// Reads a `uint32`/`fixed32` value (number or quoted), integral, in range.
    #[inline]
    pub fn read_u32(&mut self) -> Result<u32> {
        self.integer()
    }

    /// Reads a `uint64`/`fixed64` value (number or quoted), integral, in range.
    #[inline]
    pub fn read_u64(&mut self) -> Result<u64> {
        self.integer()
    }

    /// Reads a `double`: a number, a quoted number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    /// Numbers beyond `f64`'s range are errors.
    #[inline]
    pub fn read_f64(&mut self) -> Result<f64> {
        if let Some(number) = self.plain_decimal() {
            if let Some(v) = number.parts.exact_f64() {
                self.consume(number);
                return Ok(v);
            }
        }
        self.f64_general()
    }

    /// [`read_f64`](Self::read_f64) past the fast path (out of line).
    #[inline(never)]
    fn f64_general(&mut self) -> Result<f64> {
        match self.numeric(true)? {
            Ok(n) => n.to_f64().map_err(|kind| self.value_error(kind)),
            Err(special) => Ok(special),
        }
    }

    /// Reads a `float`, as [`read_f64`](Self::read_f64) with `f32`'s range.
    #[inline]
    pub fn read_f32(&mut self) -> Result<f32> {
        if let Some(number) = self.plain_decimal() {
            if let Some(v) = number.parts.exact_f32() {
                self.consume(number);
                return Ok(v);
            }
        }
        self.f32_general()
    }

    /// [`read_f32`](Self::read_f32) past the fast path (out of line).
    #[inline(never)]
    fn f32_general(&mut self) -> Result<f32> {
        match self.numeric(true)? {
            Ok(n) => n.to_f32().map_err(|kind| self.value_error(kind)),
            Err(special) => Ok(special as f32),
        }
    }

    /// Opens an object: `{`.
    pub fn begin_object(&mut self) -> Result<()> {
        self.expect_kind("an object", JsonKind::Object)?;
        self.open()
    }

    /// Opens an array: `[`.
    pub fn begin_array(&mut self) -> Result<()> {
        self.expect_kind("an array", JsonKind::Array)?;
        self.open()
    }

    fn open(&mut self) -> Result<()> {
        if self.depth >= self.max_depth {
            return Err(self.error_at(self.pos, JsonErrorKind::DepthLimit(self.max_depth)));
        }
        self.depth += 1;
        self.pos += 1;
        self.first = true;
        Ok(())
    }

    /// Consumes `close` (ending the container) or, unless this is the first member, a comma.
    /// `true` when a member follows.
    #[inline]
    fn member(&mut self, close: u8, expected: &'static str) -> Result<bool> {
        let b = self.next_byte()?;
        if b == close {
            self.pos += 1;
            self.depth = self.depth.saturating_sub(1);
            self.first = false;
            return Ok(false);
        }
        if !self.first {
            if b != b',' {
                return Err(self.unexpected(self.pos, expected));
            }
            self.pos += 1;
        }
        self.first = false;
        Ok(true)
    }

    /// The next key of the open object, or `None` after its closing `}`. The key is borrowed
    /// from the input, or decoded into `scratch` (a `String`, or a [`KeyBuf`] that holds
    /// short keys without allocating) if it has escapes. The caller must read or skip the
    /// key's value before asking for the next key.
    ///
    /// [`KeyBuf`]: crate::format::KeyBuf
    pub fn next_key<'s, S: StringSink>(&mut self, scratch: &'s mut S) -> Result<Option<&'s str>>
    where
        'a: 's,
    {
        match self.next_key_bytes(scratch)? {
            Some(key) => self.key_text(key).map(Some),
            None => Ok(None),
        }
    }

    /// As [`next_key`](Self::next_key), with the key as bytes, for a caller that compares
    /// them with the names it knows before it needs the key as text: a key without escapes
    /// is borrowed from the input *without the UTF-8 check* (which
    /// [`key_text`](Self::key_text) makes), an escaped one is decoded (and checked).
    #[inline]
    pub fn next_key_bytes<'s, S: StringSink>(
        &mut self,
        scratch: &'s mut S,
    ) -> Result<Option<&'s [u8]>>
    where
        'a: 's,
    {
        match self.compact_key() {
            Some(key) => Ok(Some(key)),
            None => self.next_key_general(scratch),
        }
    }

    /// [`next_key_bytes`](Self::next_key_bytes) for keys that are not compact (out of line,
    /// so the compact path stays small where it is inlined).
    #[inline(never)]
    fn next_key_general<'s, S: StringSink>(
        &mut self,
        scratch: &'s mut S,
    ) -> Result<Option<&'s [u8]>>
    where
        'a: 's,
    {
        if !self.member(b'}', "',' or '}'")? {
            return Ok(None);
        }
        if self.next_byte()? != b'"' {
            return Err(self.unexpected(self.pos, "a string key"));
        }
        self.value_start = self.pos;
        let input = self.input;
        // A key that runs to its closing quote without escapes or control characters.
        let end = find_special::<false>(input, self.pos + 1);
        let key: &'s [u8] = if input.get(end) == Some(&b'"') {
            let raw = &input[self.pos + 1..end];
            self.pos = end + 1;
            raw
        } else {
            self.string_body(scratch)?.as_bytes()
        };
        if self.next_byte()? != b':' {
            return Err(self.unexpected(self.pos, "':'"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// The next key when it is written compactly, `,"key":` (`"key":` for the first member)
    /// with no whitespace, escapes or control characters: consumed, as
    /// [`next_key_bytes`](Self::next_key_bytes) would read it. `None` (nothing consumed)
    /// for anything else, which the general path reads.
    #[inline(always)]
    fn compact_key(&mut self) -> Option<&'a [u8]> {
        let input = self.input;
        let quote = self.pos + usize::from(!self.first);
        let opened = if self.first {
            input.get(quote) == Some(&b'"')
        } else {
            input.get(self.pos..quote + 1) == Some(b",\"")
        };
        if !opened {
            return None;
        }
        let end = find_special::<false>(input, quote + 1);
        if input.get(end..end + 2) != Some(b"\":") {
            return None;
        }
        self.first = false;
        self.value_start = quote;
        self.pos = end + 2;
        Some(&input[quote + 1..end])
    }

    /// The key [`next_key_bytes`](Self::next_key_bytes) gave, as text: an error at its byte
    /// that is not UTF-8. Call it before reading the key's value (the error's position is
    /// found from the key's).
    pub fn key_text<'k>(&self, key: &'k [u8]) -> Result<&'k str> {
        crate::wire::utf8(key).map_err(|valid| {
            self.error_at(self.value_start + 1 + valid, JsonErrorKind::InvalidUtf8)
        })
    }

    /// As [`next_key`](Self::next_key), with the key read into `out` (replacing its
    /// content, as [`read_string_into`](Self::read_string_into) does): `false` after the
    /// object's closing `}`.
    pub fn next_key_into(&mut self, out: &mut String) -> Result<bool> {
        if !self.member(b'}', "',' or '}'")? {
            return Ok(false);
        }
        if self.next_byte()? != b'"' {
            return Err(self.unexpected(self.pos, "a string key"));
        }
        self.value_start = self.pos;
        self.string_into(out)?;
        if self.next_byte()? != b':' {
            return Err(self.unexpected(self.pos, "':'"));
        }
        self.pos += 1;
        Ok(true)
    }

    /// `true` if the open array has another element (then read or skip it), `false` after
    /// its closing `]`.
    #[inline]
    pub fn next_element(&mut self) -> Result<bool> {
        self.member(b']', "',' or ']'")
    }

    /// Skips the next value, validating it (strings, numbers, nesting) as if it were read.
    /// Iterative: nesting costs no stack, only a bit per level.
    pub fn skip_value(&mut self) -> Result<()> {
        // Bit `i` set: level `i` (counted from this value) is an object, else an array.
        let mut objects = [0u64; (MAX_DEPTH as usize).div_ceil(64)];
        let mut level = 0usize;
        loop {
            match self.peek()? {
                JsonKind::Null => self.literal(b"null")?,
                JsonKind::Bool => drop(self.read_bool()?),
                JsonKind::Number => drop(self.read_number()?),
                JsonKind::String => self.skip_string()?,
                kind @ (JsonKind::Object | JsonKind::Array) => {
                    self.open()?;
                    // `open` bounds the depth by `max_depth <= MAX_DEPTH`, so `level` fits.
                    let (word, bit) = (level / 64, 1u64 << (level % 64));
                    if kind == JsonKind::Object {
                        objects[word] |= bit;
                    } else {
                        objects[word] &= !bit;
                    }
                    level += 1;
                }
            }
            // Move to the next value to skip, closing finished containers.
            loop {
                let Some(top) = level.checked_sub(1) else {
                    return Ok(());
                };
                let is_object = objects[top / 64] & (1 << (top % 64)) != 0;
                let more = if is_object {
                    self.member(b'}', "',' or '}'")?
                } else {
                    self.member(b']', "',' or ']'")?
                };
                if !more {
                    level = top;
                    continue;
                }
                if is_object {
                    if self.next_byte()? != b'"' {
                        return Err(self.unexpected(self.pos, "a string key"));
                    }
                    self.skip_string()?;
                    if self.next_byte()? != b':' {
                        return Err(self.unexpected(self.pos, "':'"));
                    }
                    self.pos += 1;
                }
                break;
            }
        }
    }

    /// Checks that only whitespace follows the value read.
    pub fn finish(&mut self) -> Result<()> {
        self.skip_ws();
        if self.pos < self.input.len() {
            return Err(self.error_at(self.pos, JsonErrorKind::TrailingData));
        }
        Ok(())
    }

    fn skip_string(&mut self) -> Result<()> {
        self.string_scan(None::<&mut String>).map(drop)
    }

    /// Reads the string starting at `self.pos` (a `"`).
    fn string_body<'s, S: StringSink>(&mut self, scratch: &'s mut S) -> Result<&'s str>
    where
        'a: 's,
    {
        match self.string_scan(Some(&mut *scratch))? {
            Some(borrowed) => Ok(borrowed),
            None => Ok(scratch.as_str()),
        }
    }

    /// The string at `self.pos` (a `"`) into `out`, replacing its content.
    #[inline]
    fn string_into<S: StringSink>(&mut self, out: &mut S) -> Result<()> {
        if let Some(borrowed) = self.string_scan(Some(&mut *out))? {
            out.assign(borrowed);
        }
        Ok(())
    }

    /// Scans and validates the string at `self.pos` (a `"`). Without escapes it returns the
    /// content borrowed from the input; with escapes it decodes them into `sink` (cleared
    /// first; `None` only validates) and returns `None`.
    ///
    /// One pass: the scan stops at `"`, `\\`, control characters and non-ASCII bytes; ASCII
    /// runs need no UTF-8 check, and each non-ASCII stretch (up to the next `"`, `\\` or
    /// control character) is validated once.
    #[inline]
    fn string_scan<S: StringSink>(&mut self, sink: Option<&mut S>) -> Result<Option<&'a str>> {
        let input = self.input;
        let start = self.pos + 1;
        let i = find_special::<true>(input, start);
        if input.get(i) == Some(&b'"') {
            // SAFETY: the scan stopped at the first byte above 0x7f, so the run is ASCII.
            let run = unsafe { std::str::from_utf8_unchecked(&input[start..i]) };
            self.pos = i + 1;
            return Ok(Some(run));
        }
        self.string_scan_general(sink, i)
    }

    /// [`string_scan`](Self::string_scan) from `i`, the first byte after the opening quote
    /// that ends a plain ASCII run (out of line: escapes, non-ASCII text, errors).
    #[inline(never)]
    fn string_scan_general<S: StringSink>(
        &mut self,
        mut sink: Option<&mut S>,
        mut i: usize,
    ) -> Result<Option<&'a str>> {
        let input = self.input;
        let mut run_start = self.pos + 1;
        let mut escaped = false;
        loop {
            i = find_special::<true>(input, i);
            let Some(&b) = input.get(i) else {
                return Err(self.error_at(i, JsonErrorKind::UnexpectedEnd));
            };
            match b {
                b'"' | b'\\' => {
                    // SAFETY: the run's bytes are ASCII, or in non-ASCII stretches that the
                    // arm below validated whole; a stretch ends at an ASCII byte, so the run
                    // (ending at `i`, an ASCII byte) holds whole stretches.
                    let run = unsafe { std::str::from_utf8_unchecked(&input[run_start..i]) };
                    if b == b'"' && !escaped {
                        self.pos = i + 1;
                        return Ok(Some(run));
                    }
                    if !escaped {
                        if let Some(out) = sink.as_deref_mut() {
                            out.clear();
                            // A new string is given room for its raw text between the
                            // quotes (the decoded text is no longer).
                            out.reserve_if_new(|| raw_string_end(input, i) - (self.pos + 1));
                        }
                        escaped = true;
                    }
                    if let Some(out) = sink.as_deref_mut() {
                        out.push_str(run);
                    }
                    if b == b'"' {
                        self.pos = i + 1;
                        return Ok(None);
                    }
                    let (c, end) = self.escape(i)?;
                    if let Some(out) = sink.as_deref_mut() {
                        out.push(c);
                    }
                    i = end;
                    run_start = i;
                }
                0..=0x1F => return Err(self.error_at(i, JsonErrorKind::ControlCharacter)),
                _ => {
                    // Non-ASCII: the stretch up to the next byte that ends a run.
                    let end = find_special::<false>(input, i);
                    crate::wire::utf8(&input[i..end])
                        .map_err(|valid| self.error_at(i + valid, JsonErrorKind::InvalidUtf8))?;
                    i = end;
                }
            }
        }
    }

    /// Decodes the escape at `at` (a backslash): the character and the offset after it.
    fn escape(&self, at: usize) -> Result<(char, usize)> {
        let bad = |offset| self.error_at(offset, JsonErrorKind::InvalidEscape);
        let c = match self.input.get(at + 1) {
            None => return Err(self.error_at(at + 1, JsonErrorKind::UnexpectedEnd)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                return u_escape(self.input, at).map_err(|e| match e {
                    UEscapeError::BadHex => bad(at),
                    UEscapeError::LoneSurrogate => self.error_at(at, JsonErrorKind::LoneSurrogate),
                });
            }
            Some(_) => return Err(bad(at)),
        };
        Ok((c, at + 2))
    }
}

/// The offset of the first byte at or after `i` that ends a plain string run (`"`, `\\`, a
/// control character and, with `NON_ASCII`, a byte above 0x7f), or the input's length:
/// eight bytes at a time, then byte by byte for the last few.
#[inline(always)]
fn find_special<const NON_ASCII: bool>(input: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is zero. A borrow can also mark a byte above a
    // zero byte, never one below it, so the lowest mark is exact.
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    while let Some(chunk) = input.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        let quote = zeros(x ^ (ONES * u64::from(b'"')));
        let backslash = zeros(x ^ (ONES * u64::from(b'\\')));
        // Bytes below 0x20 (with the same borrow caveat).
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let high = if NON_ASCII { x & HIGHS } else { 0 };
        let special = quote | backslash | control | high;
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = input.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 || (NON_ASCII && b > 0x7f) {
            break;
        }
        i += 1;
    }
    i
}

/// The offset of the closing quote of the string whose escape or closing quote is at `i`
/// (skipping escaped characters), or the end of the input; only a bound for reserving (the
/// scan that decodes validates).
fn raw_string_end(input: &[u8], mut i: usize) -> usize {
    loop {
        i = find_special::<false>(input, i);
        match input.get(i) {
            None | Some(b'"') => return i.min(input.len()),
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers up to `u64::MAX` take the plain path; one more is out of range, bare or
    /// quoted, for every width.
    #[test]
    fn integers_at_the_edge_of_u64() {
        let read_u64 = |text: &str| JsonReader::new(text.as_bytes()).read_u64();
        let read_i64 = |text: &str| JsonReader::new(text.as_bytes()).read_i64();
        for (text, want) in [
            ("18446744073709551615", Some(u64::MAX)),
            ("\"18446744073709551615\"", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("\"18446744073709551616\"", None),
            ("99999999999999999999", None),
            ("100000000000000000000", None),
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
            ("0", Some(0)),
        ] {
            match want {
                Some(v) => assert_eq!(read_u64(text), Ok(v), "{text}"),
                None => assert_eq!(
                    read_u64(text).map_err(|e| e.kind),
                    Err(JsonErrorKind::NumberOutOfRange),
                    "{text}"
                ),
            }
        }
        assert_eq!(read_i64("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            read_i64("-9223372036854775809").map_err(|e| e.kind),
            Err(JsonErrorKind::NumberOutOfRange)
        );
        assert_eq!(
            read_i64("-18446744073709551616").map_err(|e| e.kind),
            Err(JsonErrorKind::NumberOutOfRange)
        );
    }

    /// The fast conversions agree with the standard library's correctly rounded ones, bit
    /// for bit, on numbers inside and outside the fast path's bounds.
    #[test]
    fn float_conversions_are_correctly_rounded() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "-0.0e5",
            "1",
            "0.1",
            "1e22",
            "1e23",
            "9007199254740993",
            "16777217",
            "1.5e-10",
            "3.4028235e38",
            "1e-45",
            "123456789012345678901",
            "0.000000000000000000000000001",
            "1E+2",
            "2.5E-3",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..100_000 {
            let r = next();
            let digits = (r % 21) as u32 + 1;
            let significand = next() % 10u64.pow(digits.min(19));
            let exponent = (r >> 8) % 60;
            let point = ((r >> 16) % u64::from(digits + 1)) as usize;
            let mut text = significand.to_string();
            if point < text.len() && point > 0 {
                text.insert(point, '.');
            }
            if r & (1 << 30) != 0 {
                text = format!("-{text}");
            }
            if r & (1 << 31) != 0 {
                text = format!("{text}e{}", exponent as i64 - 30);
            }
            texts.push(text);
        }
        let mut fast = 0;
        for text in &texts {
            let number = JsonNumber::parse(text).unwrap_or_else(|| panic!("{text}"));
            let parts = scan_number(text.as_bytes()).and_then(|(_, parts)| parts);
            fast += usize::from(
                parts.is_some_and(|p| p.significand <= 1 << 53 && p.exponent.abs() <= 22),
            );
            let f64_want: f64 = text.parse().unwrap();
            match number.to_f64() {
                Ok(v) => assert_eq!(v.to_bits(), f64_want.to_bits(), "{text}"),
                Err(e) => assert!(!f64_want.is_finite(), "{text}: {e}"),
            }
            let f32_want: f32 = text.parse().unwrap();
            match number.to_f32() {
                Ok(v) => assert_eq!(v.to_bits(), f32_want.to_bits(), "{text}"),
                Err(e) => assert_eq!(e, JsonErrorKind::NumberOutOfRange, "{text}"),
            }
        }
        // Both paths are covered.
        assert!(fast > 10_000 && texts.len() - fast > 10_000, "{fast}");
    }

    #[test]
    fn find_special_stops_at_the_first_special_byte() {
        for special in [b'"', b'\\', 0x00, 0x1f, 0x80, 0xff] {
            let non_ascii = special > 0x7f;
            // (Every fifth byte of the filler is 0xc3, above 0x7f.)
            for len in 0..40 {
                for at in 0..len {
                    // Bytes just above the control range are plain; so are bytes above 0x7f
                    // unless non-ASCII bytes are special.
                    let mut input: Vec<u8> = (0..len)
                        .map(|i| [b'a', 0x20, b'~', 0x7f, 0xc3][i % 5])
                        .collect();
                    input[at] = special;
                    // The first byte at or after `from` that ends a run, byte by byte.
                    let first = |from: usize, non_ascii: bool| {
                        input[from..]
                            .iter()
                            .position(|&b| {
                                b == b'"' || b == b'\\' || b < 0x20 || (non_ascii && b > 0x7f)
                            })
                            .map_or(len, |n| from + n)
                    };
                    for from in 0..=at {
                        for (got, want) in [
                            (find_special::<true>(&input, from), first(from, true)),
                            (find_special::<false>(&input, from), first(from, false)),
                        ] {
                            assert_eq!(got, want, "{special:#x} at {at} of {len}, from {from}");
                        }
                        assert_eq!(find_special::<false>(&input, from) == at, !non_ascii);
                    }
                }
                assert_eq!(find_special::<true>(&vec![b'a'; len], 0), len);
                assert_eq!(find_special::<false>(&vec![0xc3; len], 0), len);
            }
        }
    }

    /// Strings with non-ASCII text and escapes at every offset from the input's end decode
    /// as the standard library reads them (the last bytes are scanned one by one), and an
    /// invalid byte anywhere is reported at its own offset.
    #[test]
    fn strings_decode_and_validate_at_every_offset() {
        for content in [
            "é",
            "aé",
            "日本語",
            "ab\\ncé",
            "\\u00e9x€",
            "€\\\"\\u003c😀",
        ] {
            for pad in 0..12 {
                let text = format!("{}{content}", "x".repeat(pad));
                let json = format!("\"{text}\"");
                let want: String = serde_json::from_str(&json).unwrap();
                let mut out = String::new();
                let mut r = JsonReader::new(json.as_bytes());
                r.read_string_into(&mut out).unwrap();
                assert_eq!(out, want, "{json}");
                let mut thin = crate::ThinString::new();
                JsonReader::new(json.as_bytes())
                    .read_string_into(&mut thin)
                    .unwrap();
                assert_eq!(thin.as_str(), want, "{json}");
                // A truncated or invalid byte in place of each byte of the text.
                for at in 1..=text.len() {
                    let mut bad = json.clone().into_bytes();
                    bad[at] = 0xff;
                    let e = JsonReader::new(&bad)
                        .read_string_into(&mut out)
                        .unwrap_err();
                    if e.kind == JsonErrorKind::InvalidUtf8 {
                        assert!(e.position.offset <= at, "{bad:?}: {e}");
                        assert!(std::str::from_utf8(&bad[1..e.position.offset]).is_ok());
                    } else {
                        // The byte replaced part of an escape.
                        assert!(
                            matches!(e.kind, JsonErrorKind::InvalidEscape),
                            "{bad:?}: {e}"
                        );
                    }
                }
            }
        }
    }

    /// The word-wise digit scan agrees with a byte-wise one on every count of leading
    /// digits, whatever follows them.
    #[test]
    fn digits_are_read_eight_at_a_time() {
        for text in [
            "0",
            "7",
            "12",
            "123456789",
            "12345678",
            "1234567890123456789",
            "99999999",
            "1.5",
            "00012",
            "9/",
            "9:",
            "123456789012345678901234",
        ] {
            for tail in ["", ",", "}", " ", "e5", ".25", "/", ":", "\u{ff}"] {
                let input = format!("{text}{tail}");
                let b = input.as_bytes();
                let mut i = 0;
                let mut value = 0u64;
                let n = append_digits(b, &mut i, &mut value);
                let want = b.iter().take_while(|c| c.is_ascii_digit()).count();
                assert_eq!((n, i), (want, want), "{input}");
                let want_value = b[..want].iter().fold(0u64, |v, &d| {
                    v.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
                });
                assert_eq!(value, want_value, "{input}");
            }
        }
    }
}
