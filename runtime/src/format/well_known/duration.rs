//! `google.protobuf.Duration` ↔ `"<seconds>[.<fraction>]s"`.
//!
//! Output: an optional `-`, the whole seconds, 0/3/6/9 fractional digits, `s`
//! (`"1.5s"`, `"-0.000001s"`, `"3s"`). Input: an optional `-`, digits, optionally `.` and 1
//! to 9 digits, `s`.

use super::{write_nanos, Cursor, WellKnownError};

/// The largest magnitude of `seconds`: 10,000 years.
pub const MAX_SECONDS: i64 = 315_576_000_000;

/// Checks the protobuf rules: `|seconds| <= MAX_SECONDS`, `|nanos| < 10^9`, and `nanos` of
/// the same sign as `seconds` when both are non-zero.
pub fn validate(seconds: i64, nanos: i32) -> Result<(), WellKnownError> {
    if !(-MAX_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(WellKnownError::DurationOutOfRange);
    }
    if !(-999_999_999..=999_999_999).contains(&nanos)
        || (seconds > 0 && nanos < 0)
        || (seconds < 0 && nanos > 0)
    {
        return Err(WellKnownError::InvalidNanos);
    }
    Ok(())
}

/// Appends the JSON form of `(seconds, nanos)` to `out`.
pub fn format(seconds: i64, nanos: i32, out: &mut String) -> Result<(), WellKnownError> {
    use std::fmt::Write as _;
    validate(seconds, nanos)?;
    if seconds < 0 || nanos < 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", seconds.unsigned_abs());
    write_nanos(out, nanos.unsigned_abs());
    out.push('s');
    Ok(())
}

/// Parses the JSON form into `(seconds, nanos)`, both carrying the sign.
pub fn parse(text: &str) -> Result<(i64, i32), WellKnownError> {
    let mut c = Cursor::new(text, "duration");
    let negative = c.eat(b'-');
    let digits_at = c.pos;
    let mut seconds: i64 = 0;
    while let Some(d @ b'0'..=b'9') = c.peek() {
        // Saturates well above the range, which is checked below.
        seconds = seconds
            .saturating_mul(10)
            .saturating_add(i64::from(d - b'0'));
        c.pos += 1;
    }
    if c.pos == digits_at {
        return Err(c.error());
    }
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    c.expect(b's')?;
    c.end()?;
    if seconds > MAX_SECONDS {
        return Err(WellKnownError::DurationOutOfRange);
    }
    let (seconds, nanos) = if negative {
        (-seconds, -(nanos as i32))
    } else {
        (seconds, nanos as i32)
    };
    Ok((seconds, nanos))
}
