//! Shortest round-trip printing of `f32`/`f64`, shared by the JSON and text writers.
//!
//! The digits are the shortest that parse back to the same value (for `f32`, the shortest
//! that parse back to the same `f32`, as protobuf's printers do for `float` fields). The
//! layout is that of Python's `repr` and C's `%g`, which protobuf's printers share: plain
//! decimal when the decimal exponent is in `-4..16`, otherwise `d.ddde+XX` with a signed
//! exponent of at least two digits. An integral value prints without a fraction (`1`, not
//! `1.0`), as C++ does. Non-finite values print as `inf`, `-inf` and `nan` (the text-format
//! spelling; the JSON writer prints its own strings instead).

use std::fmt::{self, Write as _};

/// Decimal exponents from `-4` up to (not including) this print without an exponent.
const FIXED_EXPONENT_LIMIT: i32 = 16;

/// Writes the shortest text that parses back to `value` (to a `String` or a `Formatter`).
pub fn write_f64<W: fmt::Write + ?Sized>(out: &mut W, value: f64) -> fmt::Result {
    if !value.is_finite() {
        return write_non_finite(out, value.is_nan(), value < 0.0);
    }
    let mut sci = StackText::new();
    // `{:e}` prints the shortest round-trip digits: `-1.2345e-7`, `1e30`, `0e0`.
    write!(sci, "{value:e}")?;
    lay_out(out, sci.as_str())
}

/// Writes the shortest text that parses back to `value` as an `f32`.
///
/// One exception keeps the output readable by protobuf's parsers, which reject a `float`
/// whose decimal value (read as a `double`) exceeds `f32::MAX`: near the largest finite
/// `f32`, where the shortest digits (`3.4028235e+38`) lie above it, the value is written
/// with its exact `f64` digits instead (`3.4028234663852886e+38`).
pub fn write_f32<W: fmt::Write + ?Sized>(out: &mut W, value: f32) -> fmt::Result {
    if !value.is_finite() {
        return write_non_finite(out, value.is_nan(), value < 0.0);
    }
    let mut sci = StackText::new();
    write!(sci, "{value:e}")?;
    let shortest_above_max = sci
        .as_str()
        .parse::<f64>()
        .is_ok_and(|v| v.abs() > f64::from(f32::MAX));
    if shortest_above_max {
        return write_f64(out, f64::from(value));
    }
    lay_out(out, sci.as_str())
}

fn write_non_finite<W: fmt::Write + ?Sized>(out: &mut W, nan: bool, negative: bool) -> fmt::Result {
    out.write_str(match (nan, negative) {
        (true, _) => "nan",
        (false, true) => "-inf",
        (false, false) => "inf",
    })
}

/// Rewrites Rust's `{:e}` form (`-d.ddde-x`) in the `%g`/`repr` layout.
fn lay_out<W: fmt::Write + ?Sized>(out: &mut W, sci: &str) -> fmt::Result {
    let (negative, sci) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (lead, rest) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if negative {
        out.write_char('-')?;
    }
    if (-4..FIXED_EXPONENT_LIMIT).contains(&exponent) {
        let digits_len = 1 + rest.len() as i32;
        if exponent < 0 {
            out.write_str("0.")?;
            for _ in 0..(-exponent - 1) {
                out.write_char('0')?;
            }
            out.write_str(lead)?;
            out.write_str(rest)?;
        } else if digits_len <= exponent + 1 {
            out.write_str(lead)?;
            out.write_str(rest)?;
            for _ in 0..(exponent + 1 - digits_len) {
                out.write_char('0')?;
            }
        } else {
            let split = exponent as usize;
            out.write_str(lead)?;
            out.write_str(&rest[..split])?;
            out.write_char('.')?;
            out.write_str(&rest[split..])?;
        }
    } else {
        out.write_str(lead)?;
        if !rest.is_empty() {
            out.write_char('.')?;
            out.write_str(rest)?;
        }
        out.write_char('e')?;
        out.write_char(if exponent < 0 { '-' } else { '+' })?;
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.write_char('0')?;
        }
        write!(out, "{magnitude}")?;
    }
    Ok(())
}

/// A fixed buffer for one formatted float (the longest `{:e}` of an `f64` is 24 bytes).
struct StackText {
    buf: [u8; 32],
    len: usize,
}

impl StackText {
    fn new() -> Self {
        StackText {
            buf: [0; 32],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only `write_str` fills the buffer, with whole `&str`s.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_text(v: f64) -> String {
        let mut s = String::new();
        write_f64(&mut s, v).unwrap();
        s
    }

    #[test]
    fn layout_matches_repr() {
        for (v, want) in [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (123456.0, "123456"),
            (1e15, "1000000000000000"),
            (1e16, "1e+16"),
            (1.2345e16, "1.2345e+16"),
            (1e30, "1e+30"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (1e-5, "1e-05"),
            (-2.5e-300, "-2.5e-300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(f64_text(v), want, "{v:e}");
        }
        let mut s = String::new();
        write_f32(&mut s, 0.1f32).unwrap();
        assert_eq!(s, "0.1");
        s.clear();
        write_f32(&mut s, f32::MAX).unwrap();
        assert_eq!(s, "3.4028234663852886e+38");
        assert_eq!(s.parse::<f32>().unwrap(), f32::MAX);
        s.clear();
        write_f32(&mut s, 3.4028233e38).unwrap();
        assert_eq!(s, "3.4028233e+38");
    }
}
