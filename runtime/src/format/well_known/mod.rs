//! Textual forms of the well-known types, as ProtoJSON writes them: pure functions over
//! `(seconds, nanos)` and strings, writing into caller `String`s.
//!
//! - [`timestamp`]: `google.protobuf.Timestamp` ↔ RFC 3339 (`1972-01-01T10:00:20.021Z`).
//! - [`duration`]: `google.protobuf.Duration` ↔ `"1.5s"`.
//! - [`field_mask`]: `google.protobuf.FieldMask` paths, snake_case ↔ lowerCamelCase.

pub mod duration;
pub mod field_mask;
pub mod timestamp;

use std::fmt;

/// Why a well-known value could not be printed or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WellKnownError {
    /// A timestamp outside 0001-01-01T00:00:00Z ..= 9999-12-31T23:59:59.999999999Z.
    TimestampOutOfRange,
    /// A duration beyond ±315,576,000,000 seconds (10,000 years).
    DurationOutOfRange,
    /// `nanos` outside its range (0..=999,999,999 for a timestamp; for a duration
    /// -999,999,999..=999,999,999 with the sign of `seconds`).
    InvalidNanos,
    /// Text that does not have the required syntax; `offset` is the byte where it fails.
    Syntax {
        /// What was being parsed: `"timestamp"`, `"duration"` or `"field mask"`.
        what: &'static str,
        /// Byte offset of the first byte that does not fit.
        offset: usize,
    },
    /// A field mask path that has no JSON form (uppercase letters, or `_` not followed by a
    /// lowercase letter) or a JSON path that has no proto form (an `_`).
    InvalidFieldMaskPath,
}

impl fmt::Display for WellKnownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WellKnownError::TimestampOutOfRange => f.write_str(
                "timestamp out of range (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z)",
            ),
            WellKnownError::DurationOutOfRange => {
                f.write_str("duration out of range (±315576000000 seconds)")
            }
            WellKnownError::InvalidNanos => f.write_str("nanos out of range or of the wrong sign"),
            WellKnownError::Syntax { what, offset } => {
                write!(f, "invalid {what} syntax at byte {offset}")
            }
            WellKnownError::InvalidFieldMaskPath => f.write_str("invalid field mask path"),
        }
    }
}

impl std::error::Error for WellKnownError {}

/// Appends the fraction of a second as protobuf prints it: nothing for 0, else a dot and 3,
/// 6 or 9 digits, the fewest that hold `nanos` (0..=999,999,999) exactly.
fn write_nanos(out: &mut String, nanos: u32) {
    use std::fmt::Write as _;
    if nanos == 0 {
        return;
    }
    let _ = if nanos % 1_000_000 == 0 {
        write!(out, ".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        write!(out, ".{:06}", nanos / 1_000)
    } else {
        write!(out, ".{nanos:09}")
    };
}

/// A cursor over ASCII syntax, for the timestamp and duration parsers.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, what: &'static str) -> Self {
        Cursor {
            text: text.as_bytes(),
            pos: 0,
            what,
        }
    }

    fn error(&self) -> WellKnownError {
        WellKnownError::Syntax {
            what: self.what,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), WellKnownError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Result<u32, WellKnownError> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(d @ b'0'..=b'9') => v = v * 10 + u32::from(d - b'0'),
                _ => return Err(self.error()),
            }
            self.pos += 1;
        }
        Ok(v)
    }

    /// A fraction after `.`: 1 to 9 digits, as nanoseconds.
    fn fraction(&mut self) -> Result<u32, WellKnownError> {
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            if self.pos - start == 9 {
                return Err(self.error());
            }
            nanos = nanos * 10 + u32::from(d - b'0');
            self.pos += 1;
        }
        let n = self.pos - start;
        if n == 0 {
            return Err(self.error());
        }
        Ok(nanos * 10u32.pow((9 - n) as u32))
    }

    fn end(&self) -> Result<(), WellKnownError> {
        if self.pos == self.text.len() {
            Ok(())
        } else {
            Err(self.error())
        }
    }
}
