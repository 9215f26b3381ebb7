//! Shortest round-trip printing of `f32`/`f64`, shared by the JSON and text writers.
//!
//! The digits are the shortest that parse back to the same value (for `f32`, the shortest
//! that parse back to the same `f32`, as protobuf's printers do for `float` fields). The
//! layout is that of Python's `repr` and C's `%g`, which protobuf's printers share: plain
//! decimal when the decimal exponent is in `-4..16`, otherwise `d.ddde+XX` with a signed
//! exponent of at least two digits. An integral value prints without a fraction (`1`, not
//! `1.0`), as C++ does. Non-finite values print as `inf`, `-inf` and `nan` (the text-format
//! spelling; the JSON writer prints its own strings instead).
//!
//! The shortest digits come from [`zmij`] (the Schubfach-family algorithm serde_json
//! prints with; the same digits as Rust's own `{:e}`, which the tests check), laid out here
//! in a stack buffer and written with one `write_str`.

use std::fmt;

/// Decimal exponents from `-4` up to (not including) this print without an exponent.
const FIXED_EXPONENT_LIMIT: i32 = 16;

/// The longest layout: a sign, 17 digits, `.` and `e-308`, or `-0.000` and 17 digits.
const MAX_LEN: usize = 32;

/// Writes the shortest text that parses back to `value` (to a `String` or a `Formatter`).
pub fn write_f64<W: fmt::Write + ?Sized>(out: &mut W, value: f64) -> fmt::Result {
    if !value.is_finite() {
        return write_non_finite(out, value.is_nan(), value < 0.0);
    }
    let mut digits = zmij::Buffer::new();
    let text = digits.format_finite(value);
    if (PLAIN_FROM..PLAIN_BELOW_F64).contains(&value.abs()) {
        return out.write_str(strip_point_zero(text));
    }
    write_laid_out(out, text)
}

/// Magnitudes from this up to [`PLAIN_BELOW_F64`] (`f64`) or [`PLAIN_BELOW_F32`] (`f32`)
/// have shortest digits with a decimal exponent from -4 up to 15 (`f64`) or 12 (`f32`; the
/// digits of a value below the bound may round up to it, never past it), which zmij writes
/// as plain decimals, as the layout wants them: its text serves with a `.0` dropped, without
/// reading it for an exponent (the common case, checked against [`zmij_layout`] in the
/// tests).
const PLAIN_FROM: f64 = 1e-4;
/// See [`PLAIN_FROM`].
const PLAIN_BELOW_F64: f64 = 1e15;
/// See [`PLAIN_FROM`].
const PLAIN_BELOW_F32: f32 = 1e12;

/// zmij's plain text of an integral value ends in `.0`, which the layout leaves out.
#[inline]
fn strip_point_zero(text: &str) -> &str {
    text.strip_suffix(".0").unwrap_or(text)
}

/// Writes the shortest text that parses back to `value` as an `f32`.
///
/// One exception keeps the output readable by protobuf's parsers, which reject a `float`
/// whose decimal value (read as a `double`) exceeds `f32::MAX`: the largest finite `f32`,
/// whose shortest digits (`3.4028235e+38`) lie above it, is written with its exact `f64`
/// digits instead (`3.4028234663852886e+38`). No other `f32` has that problem: the shortest
/// digits lie within half a step of the value, and only `f32::MAX`'s upper half-step
/// reaches past it.
pub fn write_f32<W: fmt::Write + ?Sized>(out: &mut W, value: f32) -> fmt::Result {
    if !value.is_finite() {
        return write_non_finite(out, value.is_nan(), value < 0.0);
    }
    if value.abs() == f32::MAX {
        return write_f64(out, f64::from(value));
    }
    let mut digits = zmij::Buffer::new();
    let text = digits.format_finite(value);
    if (PLAIN_FROM as f32..PLAIN_BELOW_F32).contains(&value.abs()) {
        return out.write_str(strip_point_zero(text));
    }
    write_laid_out(out, text)
}

/// Writes zmij's shortest text of a finite value in the `%g`/`repr` layout: zmij's own text
/// where the two layouts agree (see [`zmij_layout`]), else through [`Decimal`].
#[inline]
fn write_laid_out<W: fmt::Write + ?Sized>(out: &mut W, zmij_text: &str) -> fmt::Result {
    match zmij_layout(zmij_text) {
        Layout::Plain(text) => out.write_str(text),
        Layout::PadExponent { head, digit } => {
            out.write_str(head)?;
            out.write_char('0')?;
            out.write_str(digit)
        }
        Layout::General => out.write_str(Decimal::read(zmij_text).lay_out().as_str()),
    }
}

/// How zmij's text becomes the `%g`/`repr` layout.
#[derive(Debug, PartialEq)]
enum Layout<'t> {
    /// This text.
    Plain(&'t str),
    /// `head` (`1.5e-`), a `0`, then the single exponent digit.
    PadExponent { head: &'t str, digit: &'t str },
    /// Only [`Decimal::lay_out`] gives it.
    General,
}

/// zmij writes plain decimals for decimal exponents from -5 up to 15 (`f64`; -6 to 12 for
/// `f32`) and `d.ddde±X` otherwise; the layout wants plain decimals for exponents -4 to 15,
/// with no `.0` on integral values, and the same exponent form with at least two exponent
/// digits otherwise. So zmij's text serves, with `.0` dropped or the exponent padded,
/// except where only one of them is plain.
fn zmij_layout(text: &str) -> Layout<'_> {
    let bytes = text.as_bytes();
    // An exponent (`e+16`, `e-5`, `e-308`) ends the text.
    let Some(e) = bytes.iter().rev().take(5).position(|&b| b == b'e') else {
        let unsigned = bytes.strip_prefix(b"-").unwrap_or(bytes);
        if unsigned.starts_with(b"0.0000") {
            return Layout::General;
        }
        return Layout::Plain(strip_point_zero(text));
    };
    let (head, digits) = text.split_at(text.len() - e + 1);
    let magnitude = digits
        .bytes()
        .fold(0i32, |m, d| m * 10 + i32::from(d.wrapping_sub(b'0')));
    let exponent = if head.ends_with('-') {
        -magnitude
    } else {
        magnitude
    };
    if (-4..FIXED_EXPONENT_LIMIT).contains(&exponent) {
        Layout::General
    } else if digits.len() == 1 {
        Layout::PadExponent {
            head,
            digit: digits,
        }
    } else {
        Layout::Plain(text)
    }
}

fn write_non_finite<W: fmt::Write + ?Sized>(out: &mut W, nan: bool, negative: bool) -> fmt::Result {
    out.write_str(match (nan, negative) {
        (true, _) => "nan",
        (false, true) => "-inf",
        (false, false) => "inf",
    })
}

/// A finite value as significant digits and a decimal exponent: `negative`,
/// `digits[..len]` = `d₀d₁d₂…` (no leading or trailing zeros; `0` for zero) meaning
/// `d₀.d₁d₂… × 10^exponent`.
struct Decimal {
    negative: bool,
    digits: [u8; MAX_LEN],
    len: usize,
    exponent: i32,
}

impl Decimal {
    /// Reads zmij's output (`-1.5`, `0.001234`, `12340000000.0`, `1.234e+33`, `5e-324`).
    fn read(text: &str) -> Decimal {
        let mut d = Decimal {
            negative: false,
            digits: [0; MAX_LEN],
            len: 0,
            exponent: 0,
        };
        let mut bytes = text.as_bytes();
        if let [b'-', rest @ ..] = bytes {
            d.negative = true;
            bytes = rest;
        }
        // Digits before the point (or before the exponent when there is no point).
        let mut int_digits: i32 = 0;
        let mut in_fraction = false;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'.' => in_fraction = true,
                b'e' | b'E' => break,
                digit => {
                    // Leading zeros only move the point.
                    if d.len == 0 && digit == b'0' {
                        if in_fraction {
                            int_digits -= 1;
                        }
                    } else if d.len < MAX_LEN {
                        d.digits[d.len] = digit;
                        d.len += 1;
                        if !in_fraction {
                            int_digits += 1;
                        }
                    }
                }
            }
            i += 1;
        }
        let mut exponent: i32 = 0;
        if i < bytes.len() {
            let (negative, exp_digits) = match &bytes[i + 1..] {
                [b'-', rest @ ..] => (true, rest),
                [b'+', rest @ ..] => (false, rest),
                rest => (false, rest),
            };
            for &e in exp_digits {
                exponent = exponent * 10 + i32::from(e - b'0');
            }
            if negative {
                exponent = -exponent;
            }
        }
        while d.len > 0 && d.digits[d.len - 1] == b'0' {
            d.len -= 1;
        }
        if d.len == 0 {
            d.digits[0] = b'0';
            d.len = 1;
            return d;
        }
        d.exponent = int_digits - 1 + exponent;
        d
    }

    /// The `%g`/`repr` layout of the value.
    fn lay_out(&self) -> StackText {
        let mut out = StackText::default();
        let digits = &self.digits[..self.len];
        let exponent = self.exponent;
        if self.negative {
            out.push(b'-');
        }
        if (-4..FIXED_EXPONENT_LIMIT).contains(&exponent) {
            if exponent < 0 {
                out.extend(b"0.");
                for _ in 0..(-exponent - 1) {
                    out.push(b'0');
                }
                out.extend(digits);
            } else if digits.len() as i32 <= exponent + 1 {
                out.extend(digits);
                for _ in 0..(exponent + 1 - digits.len() as i32) {
                    out.push(b'0');
                }
            } else {
                let (int, fraction) = digits.split_at(exponent as usize + 1);
                out.extend(int);
                out.push(b'.');
                out.extend(fraction);
            }
        } else {
            out.push(digits[0]);
            if digits.len() > 1 {
                out.push(b'.');
                out.extend(&digits[1..]);
            }
            out.push(b'e');
            out.push(if exponent < 0 { b'-' } else { b'+' });
            let magnitude = exponent.unsigned_abs();
            if magnitude >= 100 {
                out.push(b'0' + (magnitude / 100) as u8);
            }
            out.push(b'0' + (magnitude / 10 % 10) as u8);
            out.push(b'0' + (magnitude % 10) as u8);
        }
        out
    }
}

/// A fixed buffer for one laid-out float (ASCII only).
struct StackText {
    buf: [u8; MAX_LEN],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText {
            buf: [0; MAX_LEN],
            len: 0,
        }
    }
}

impl StackText {
    fn push(&mut self, b: u8) {
        // The layouts are at most `MAX_LEN` bytes; a longer one would be cut, never panic.
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    fn extend(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, signs, `.` and `e` are pushed.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
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
        write_f32(&mut s, -f32::MAX).unwrap();
        assert_eq!(s, "-3.4028234663852886e+38");
        s.clear();
        write_f32(&mut s, 3.4028233e38).unwrap();
        assert_eq!(s, "3.4028233e+38");
    }

    /// Rust's `{:e}` spelling of a [`Decimal`] (`-1.234e-7`, `0e0`).
    fn as_rust_e(d: &Decimal) -> String {
        let digits = std::str::from_utf8(&d.digits[..d.len]).unwrap();
        let sign = if d.negative { "-" } else { "" };
        let (lead, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        format!("{sign}{lead}{point}{rest}e{}", d.exponent)
    }

    /// A small deterministic generator of bit patterns (xorshift64*).
    fn bit_patterns(count: usize) -> impl Iterator<Item = u64> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        (0..count).map(move |_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        })
    }

    /// Checks zmij's digits of `v` against Rust's shortest `{:e}` digits: the same, except
    /// when the value lies exactly halfway between the two nearest shortest candidates, where
    /// zmij rounds half to even (as C's `%.17g` and Python's `repr` do, the spellings of
    /// C++ protobuf and upb) and Rust rounds half up.
    fn check_digits<F: zmij::Float + fmt::LowerExp + Copy>(v: F) {
        let mut buffer = zmij::Buffer::new();
        let ours = as_rust_e(&Decimal::read(buffer.format_finite(v)));
        let rust = format!("{v:e}");
        if ours == rust {
            return;
        }
        let (ours_digits, ours_exp) = ours.trim_start_matches('-').split_once('e').unwrap();
        let (rust_digits, rust_exp) = rust.trim_start_matches('-').split_once('e').unwrap();
        assert_eq!(ours_exp, rust_exp, "{rust}");
        let digits = |s: &str| s.replace('.', "").parse::<u64>().unwrap();
        let (ours_n, rust_n) = (digits(ours_digits), digits(rust_digits));
        assert_eq!(ours_n.abs_diff(rust_n), 1, "{ours} vs {rust}");
        assert_eq!(ours_n % 2, 0, "half to even: {ours} vs {rust}");
        // The exact value has a 5 right after the shortest digits, then only zeros.
        let n = ours_digits.replace('.', "").len();
        let exact = format!("{v:.60e}");
        let exact_digits: String = exact
            .trim_start_matches('-')
            .split_once('e')
            .unwrap()
            .0
            .replace('.', "");
        let rest = &exact_digits[n..];
        assert!(
            rest.starts_with('5') && rest[1..].bytes().all(|b| b == b'0'),
            "not a tie: {exact}"
        );
    }

    #[test]
    fn digits_are_rusts_shortest_digits() {
        let specials = [
            0.0,
            -0.0,
            1.0,
            0.1,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e15,
            1e16,
            123456789012345680.0,
            9007199254740993.0,
            1394865425023536.0 + 0.25,
        ];
        let randoms = bit_patterns(200_000).map(f64::from_bits);
        for v in specials
            .into_iter()
            .chain(randoms)
            .filter(|v| v.is_finite())
        {
            check_digits(v);
            assert_eq!(f64_text(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
        let f32_specials = [0.0f32, -0.0, 1.0, 0.1, f32::MIN_POSITIVE, 1e-45, 16777217.0];
        let f32_randoms = bit_patterns(200_000).map(|b| f32::from_bits(b as u32));
        for v in f32_specials
            .into_iter()
            .chain(f32_randoms)
            .filter(|v| v.is_finite() && v.abs() != f32::MAX)
        {
            check_digits(v);
            let mut s = String::new();
            write_f32(&mut s, v).unwrap();
            assert_eq!(s.parse::<f32>().unwrap().to_bits(), v.to_bits(), "{s}");
        }
    }

    /// Where zmij's own layout is used, it is the general layout's text.
    #[test]
    fn zmij_layout_is_the_general_layout() {
        fn check(text: &str) -> bool {
            let general = Decimal::read(text).lay_out();
            let mut written = String::new();
            write_laid_out(&mut written, text).unwrap();
            assert_eq!(written, general.as_str(), "{text}");
            zmij_layout(text) != Layout::General
        }
        let mut buffer = zmij::Buffer::new();
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            1e-4,
            1.5e-4,
            1e-5,
            1e15,
            1e16,
            123.0,
            0.1,
            1e300,
            -2.5e-300,
            5e-324,
            f64::MAX,
        ];
        // Values of every decimal exponent from -8 to 17, fractional and integral, either sign.
        let randoms = bit_patterns(100_000).map(|b| {
            let fraction = (b >> 11) as f64 / (1u64 << 53) as f64;
            let v = fraction * 10f64.powi((b % 26) as i32 - 7);
            let v = if b & 0x100 != 0 { v.round() } else { v };
            if b & 0x200 != 0 {
                -v
            } else {
                v
            }
        });
        let (mut fast, mut general) = (0, 0);
        // And values of every exponent.
        let any = bit_patterns(50_000)
            .map(f64::from_bits)
            .filter(|v| v.is_finite());
        for v in specials.into_iter().chain(randoms).chain(any) {
            let mut texts = vec![buffer.format_finite(v).to_owned()];
            if (v as f32).is_finite() {
                texts.push(buffer.format_finite(v as f32).to_owned());
            }
            for text in texts {
                if check(&text) {
                    fast += 1;
                } else {
                    general += 1;
                }
            }
        }
        for v in bit_patterns(50_000).map(|b| f32::from_bits(b as u32)) {
            if v.is_finite() {
                check(buffer.format_finite(v));
            }
        }
        // Both outcomes are covered.
        assert!(fast > 10_000 && general > 1_000, "{fast} {general}");
        for (text, want) in [
            ("0.0", Layout::Plain("0")),
            ("-0.0", Layout::Plain("-0")),
            ("0.00001", Layout::General),
            ("1.5e+13", Layout::General),
            ("1.5e+16", Layout::Plain("1.5e+16")),
            ("-2e-300", Layout::Plain("-2e-300")),
            (
                "1.5e-7",
                Layout::PadExponent {
                    head: "1.5e-",
                    digit: "7",
                },
            ),
        ] {
            assert_eq!(zmij_layout(text), want);
        }
    }

    /// The magnitudes written without reading zmij's text are those [`zmij_layout`] finds
    /// plain, at and around the bounds.
    #[test]
    fn plain_ranges_are_plain() {
        let mut buffer = zmij::Buffer::new();
        let mut checked = 0;
        let mut check = |text: &str, plain: bool| {
            if plain {
                assert_eq!(
                    zmij_layout(text),
                    Layout::Plain(strip_point_zero(text)),
                    "{text}"
                );
                checked += 1;
            }
        };
        let bounds = [PLAIN_FROM, PLAIN_BELOW_F64, f64::from(PLAIN_BELOW_F32), 1.0];
        for bound in bounds {
            for sign in [1.0, -1.0] {
                let mut up = bound;
                let mut down = bound;
                for _ in 0..2000 {
                    up = up.next_up();
                    down = down.next_down();
                    for v in [up * sign, down * sign, bound * sign] {
                        let plain = (PLAIN_FROM..PLAIN_BELOW_F64).contains(&v.abs());
                        check(buffer.format_finite(v), plain);
                        let w = v as f32;
                        let plain = (PLAIN_FROM as f32..PLAIN_BELOW_F32).contains(&w.abs());
                        check(buffer.format_finite(w), plain);
                        let (mut w_up, mut w_down) = (w, w);
                        for _ in 0..4 {
                            w_up = w_up.next_up();
                            w_down = w_down.next_down();
                            for x in [w_up, w_down] {
                                let plain = (PLAIN_FROM as f32..PLAIN_BELOW_F32).contains(&x.abs());
                                check(buffer.format_finite(x), plain);
                            }
                        }
                    }
                }
            }
        }
        for b in bit_patterns(100_000) {
            let v = f64::from_bits(b);
            if v.is_finite() {
                check(
                    buffer.format_finite(v),
                    (PLAIN_FROM..PLAIN_BELOW_F64).contains(&v.abs()),
                );
            }
            let w = f32::from_bits(b as u32);
            if w.is_finite() {
                let plain = (PLAIN_FROM as f32..PLAIN_BELOW_F32).contains(&w.abs());
                check(buffer.format_finite(w), plain);
            }
        }
        assert!(checked > 20_000, "{checked}");
    }

    #[test]
    fn ties_round_half_to_even() {
        // Exactly 1394865425023536.25: 17 digits end in 2 or 3 at the same distance.
        assert_eq!(f64_text(1394865425023536.0 + 0.25), "1394865425023536.2");
    }

    #[test]
    fn only_f32_max_has_shortest_digits_above_it() {
        let mut v = f32::MAX;
        for _ in 0..10_000 {
            v = f32::from_bits(v.to_bits() - 1);
            let shortest: f64 = format!("{v:e}").parse().unwrap();
            assert!(shortest <= f64::from(f32::MAX), "{v:e}");
        }
        let shortest: f64 = format!("{:e}", f32::MAX).parse().unwrap();
        assert!(shortest > f64::from(f32::MAX));
    }
}
