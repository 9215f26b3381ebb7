//! The writer: ProtoJSON values appended to a caller's `String`.

use crate::format::{base64, float};

/// How a [`JsonWriter`] lays out its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// `None`: compact (`{"a":1,"b":[1,2]}`, as C++ prints). `Some(n)`: one member per line,
    /// indented by `n` spaces per level, `": "` after keys.
    pub indent: Option<u8>,
    /// Escape DEL and every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`, its
    /// default). Otherwise UTF-8 is kept.
    pub ascii_only: bool,
    /// Escape what C++ protobuf's printer escapes besides JSON's own: `<`, `>`, DEL, the C1
    /// controls and the invisible or bidi-affecting characters it lists (U+00AD, U+2028,
    /// U+FEFF, ...). Off by default: then only control characters, `"` and `\` are escaped,
    /// as serde_json and Python's `json_format` print (ProtoJSON requires no more); the
    /// output is shorter and cheaper to write, and every ProtoJSON parser reads both.
    pub escape_like_cpp: bool,
}

/// Appends JSON values to a `String`. The caller states the structure (`begin_object`,
/// `key`, values, `end_object`, ...); the writer adds commas, colons and indentation. Nothing
/// is allocated beyond the growth of the output string, so a reused string costs nothing.
#[derive(Debug)]
pub struct JsonWriter<'o> {
    out: &'o mut String,
    options: WriteOptions,
    depth: u32,
    /// A value was written at this level: the next member needs a comma.
    need_comma: bool,
    /// A key was just written: the next value follows it directly.
    after_key: bool,
}

impl<'o> JsonWriter<'o> {
    /// A writer appending to `out`.
    pub fn new(out: &'o mut String, options: WriteOptions) -> Self {
        JsonWriter {
            out,
            options,
            depth: 0,
            need_comma: false,
            after_key: false,
        }
    }

    fn newline(&mut self) {
        if let Some(width) = self.options.indent {
            self.out.push('\n');
            for _ in 0..self.depth * u32::from(width) {
                self.out.push(' ');
            }
        }
    }

    #[inline]
    fn member_prefix(&mut self) {
        if self.need_comma {
            self.out.push(',');
        }
        if self.depth > 0 {
            self.newline();
        }
    }

    #[inline]
    fn before_value(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else {
            self.member_prefix();
        }
    }

    /// Writes an object key (escaped) and its colon; the key's value comes next.
    pub fn key(&mut self, key: &str) {
        self.member_prefix();
        escape_str(self.out, key, self.options);
        self.out.push_str(if self.options.indent.is_some() {
            ": "
        } else {
            ":"
        });
        self.after_key = true;
    }

    /// Writes an object key that needs no escaping, given with its quotes and colon
    /// (`"fooBar":`, as the derive precomputes field names); the key's value comes next.
    #[inline(always)]
    pub fn key_quoted(&mut self, quoted_key: &str) {
        if self.options.indent.is_some() {
            return self.key_quoted_pretty(quoted_key);
        }
        // Compact: no line breaks, so only the comma comes before the key.
        if self.need_comma {
            self.out.push(',');
        }
        self.out.push_str(quoted_key);
        self.after_key = true;
    }

    /// [`key_quoted`](Self::key_quoted) with indentation.
    fn key_quoted_pretty(&mut self, quoted_key: &str) {
        self.member_prefix();
        self.out.push_str(quoted_key);
        self.out.push(' ');
        self.after_key = true;
    }

    #[inline]
    fn open(&mut self, bracket: char) {
        self.before_value();
        self.out.push(bracket);
        self.depth += 1;
        self.need_comma = false;
    }

    #[inline]
    fn close(&mut self, bracket: char) {
        self.depth = self.depth.saturating_sub(1);
        if self.need_comma {
            self.newline();
        }
        self.out.push(bracket);
        self.need_comma = true;
    }

    /// `{`
    #[inline]
    pub fn begin_object(&mut self) {
        self.open('{');
    }

    /// `}`
    #[inline]
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// `[`
    #[inline]
    pub fn begin_array(&mut self) {
        self.open('[');
    }

    /// `]`
    #[inline]
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Writes `raw` as a value, unchanged (it must be valid JSON).
    #[inline]
    pub fn raw(&mut self, raw: &str) {
        self.before_value();
        self.out.push_str(raw);
        self.need_comma = true;
    }

    /// An integer's digits, quoted (ProtoJSON's 64-bit form) or not.
    #[inline]
    fn integer(&mut self, value: impl itoa::Integer, quoted: bool) {
        self.before_value();
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value);
        if quoted {
            self.out.reserve(digits.len() + 2);
            self.out.push('"');
            self.out.push_str(digits);
            self.out.push('"');
        } else {
            self.out.push_str(digits);
        }
        self.need_comma = true;
    }

    /// `null`
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// `true` / `false`
    #[inline]
    pub fn bool(&mut self, value: bool) {
        self.before_value();
        // Each a constant-length copy.
        if value {
            self.out.push_str("true");
        } else {
            self.out.push_str("false");
        }
        self.need_comma = true;
    }

    /// A number from 0 to 99, one or two digits pushed directly (small numbers are common).
    #[inline]
    fn small_number(&mut self, value: u8) {
        self.before_value();
        if value >= 10 {
            self.out.push(char::from(b'0' + value / 10));
        }
        self.out.push(char::from(b'0' + value % 10));
        self.need_comma = true;
    }

    /// A 32-bit signed integer, as a number.
    #[inline]
    pub fn i32(&mut self, value: i32) {
        match u8::try_from(value) {
            Ok(small @ 0..=99) => self.small_number(small),
            _ => self.integer(value, false),
        }
    }

    /// A 32-bit unsigned integer, as a number.
    #[inline]
    pub fn u32(&mut self, value: u32) {
        match u8::try_from(value) {
            Ok(small @ 0..=99) => self.small_number(small),
            _ => self.integer(value, false),
        }
    }

    /// A 64-bit signed integer, as a string (`"-12"`), as ProtoJSON prints them.
    #[inline]
    pub fn i64(&mut self, value: i64) {
        self.integer(value, true);
    }

    /// A 64-bit unsigned integer, as a string.
    #[inline]
    pub fn u64(&mut self, value: u64) {
        self.integer(value, true);
    }

    fn non_finite(&mut self, nan: bool, negative: bool) {
        self.raw(match (nan, negative) {
            (true, _) => "\"NaN\"",
            (false, true) => "\"-Infinity\"",
            (false, false) => "\"Infinity\"",
        });
    }

    /// A `double`: the shortest round-trip number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn f64(&mut self, value: f64) {
        if !value.is_finite() {
            return self.non_finite(value.is_nan(), value < 0.0);
        }
        self.before_value();
        let _ = float::write_f64(self.out, value);
        self.need_comma = true;
    }

    /// A `float`: the shortest number that reads back as the same `f32`, or the strings.
    pub fn f32(&mut self, value: f32) {
        if !value.is_finite() {
            return self.non_finite(value.is_nan(), value < 0.0);
        }
        self.before_value();
        let _ = float::write_f32(self.out, value);
        self.need_comma = true;
    }

    /// A string, escaped.
    #[inline]
    pub fn string(&mut self, value: &str) {
        self.before_value();
        escape_str(self.out, value, self.options);
        self.need_comma = true;
    }

    /// `bytes`, as a string of standard, padded base64.
    pub fn bytes(&mut self, value: &[u8]) {
        self.before_value();
        self.out.push('"');
        base64::encode(value, self.out);
        self.out.push('"');
        self.need_comma = true;
    }
}

/// How one character is written inside a JSON string: short escapes for the seven JSON has,
/// `\u` escapes for the other control characters, and with [`WriteOptions::ascii_only`] for
/// DEL and every non-ASCII character, with [`WriteOptions::escape_like_cpp`] for DEL, `<`,
/// `>` and the invisible or bidi-affecting characters C++ protobuf lists
/// (`json/internal/writer.cc`); everything else as itself.
enum Escape {
    Keep,
    /// A backslash and this letter.
    Short(u8),
    Unicode,
}

/// The letter of JSON's short escape of `c` (`n` for a line feed), if it has one.
#[inline]
fn short_escape(c: char) -> Option<u8> {
    Some(match c {
        '\n' => b'n',
        '\r' => b'r',
        '\t' => b't',
        '"' => b'"',
        '\\' => b'\\',
        '\u{8}' => b'b',
        '\u{c}' => b'f',
        _ => return None,
    })
}

fn escape_of(c: char, options: WriteOptions) -> Escape {
    /// The ranges C++ escapes besides the JSON-mandated ones.
    const CPP_RANGES: &[(u32, u32)] = &[
        (0x007f, 0x009f),
        (0x00ad, 0x00ad),
        (0x0600, 0x0603),
        (0x06dd, 0x06dd),
        (0x070f, 0x070f),
        (0x17b4, 0x17b5),
        (0x200b, 0x200f),
        (0x2028, 0x202e),
        (0x2060, 0x2064),
        (0x206a, 0x206f),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x1d173, 0x1d17a),
        (0xe0001, 0xe0001),
        (0xe0020, 0xe007f),
    ];
    if let Some(letter) = short_escape(c) {
        return Escape::Short(letter);
    }
    match c {
        '\0'..='\u{1f}' => Escape::Unicode,
        _ if options.ascii_only && c >= '\u{7f}' => Escape::Unicode,
        '<' | '>' if options.escape_like_cpp => Escape::Unicode,
        _ if options.escape_like_cpp
            && CPP_RANGES
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&u32::from(c))) =>
        {
            Escape::Unicode
        }
        _ => Escape::Keep,
    }
}

/// Appends `value` as a quoted, escaped JSON string (see [`WriteOptions::ascii_only`] and
/// [`WriteOptions::escape_like_cpp`]).
pub fn escape_str(out: &mut String, value: &str, options: WriteOptions) {
    out.reserve(value.len() + 2);
    out.push('"');
    if options.ascii_only || options.escape_like_cpp {
        escape_chars(out, value, options);
    } else {
        escape_json(out, value);
    }
    out.push('"');
}

/// The default escaping, as serde_json and Python's `json_format` (without `ensure_ascii`)
/// write it: only the characters JSON requires (control characters, `"` and `\\`), all of
/// them ASCII, so UTF-8 runs are copied unread.
fn escape_json(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let mut run_start = 0;
    loop {
        let at = next_json_marked(bytes, run_start);
        let Some(&b) = bytes.get(at) else {
            break;
        };
        // `at` holds an ASCII byte, so both ends of the run are character boundaries.
        out.push_str(value.get(run_start..at).unwrap_or_default());
        push_ascii_escape(out, b);
        run_start = at + 1;
    }
    out.push_str(value.get(run_start..).unwrap_or_default());
}

/// Appends the escape of an ASCII byte that [`json_marks`] marks (short, or `\u00XX`).
#[inline]
fn push_ascii_escape(out: &mut String, b: u8) {
    match short_escape(char::from(b)) {
        Some(letter) => push_short_escape(out, letter),
        None => push_u_escape(out, u16::from(b)),
    }
}

/// Appends a backslash and `letter`.
#[inline]
fn push_short_escape(out: &mut String, letter: u8) {
    out.push('\\');
    out.push(char::from(letter));
}

/// The escaping of [`WriteOptions::ascii_only`] and [`WriteOptions::escape_like_cpp`]:
/// character by character wherever [`wide_marks`] marks a byte.
fn escape_chars(out: &mut String, value: &str, options: WriteOptions) {
    let bytes = value.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i = next_marked(bytes, i, wide_marks);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        // An ASCII byte is its character; otherwise decode the character it starts.
        let c = if b < 0x80 {
            char::from(b)
        } else {
            value
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER)
        };
        let len = c.len_utf8();
        let escape = escape_of(c, options);
        if let Escape::Keep = escape {
            i += len;
            continue;
        }
        out.push_str(value.get(run_start..i).unwrap_or_default());
        match escape {
            Escape::Short(letter) => push_short_escape(out, letter),
            Escape::Unicode => {
                let mut units = [0u16; 2];
                for &unit in c.encode_utf16(&mut units).iter() {
                    push_u_escape(out, unit);
                }
            }
            Escape::Keep => {}
        }
        i += len;
        run_start = i;
    }
    out.push_str(value.get(run_start..).unwrap_or_default());
}

/// Appends `\uXXXX` (lowercase hex, as C++ writes it) for one UTF-16 unit.
fn push_u_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from(unit >> shift & 0xf)]));
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` that is zero. A borrow can also mark a byte above a zero
/// byte, never one below it, so the lowest mark is exact (as for all the marks below).
#[inline(always)]
fn zeros(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// Marks the bytes of `x` that JSON requires escaped: below 0x20, `"` and `\\`.
#[inline(always)]
fn json_marks(x: u64) -> u64 {
    // Below 0x20 (a borrow only moves up).
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    control | zeros(x ^ (ONES * u64::from(b'"'))) | zeros(x ^ (ONES * u64::from(b'\\')))
}

/// Marks what [`json_marks`] marks, and every byte from 0x7f up, `<` and `>`: the bytes
/// where [`escape_of`] may escape something under any options.
#[inline(always)]
fn wide_marks(x: u64) -> u64 {
    // From 0x7f up: adding one sets the high bit of 0x7f (a carry only moves up).
    let high = (x.wrapping_add(ONES) | x) & HIGHS;
    // `<` and `>` are 0x3c and 0x3e: with bit 1 set, both are 0x3e.
    let angle = zeros((x | (ONES * 0x02)) ^ (ONES * 0x3e));
    json_marks(x) | high | angle
}

/// The offset of the first byte at or after `i` that JSON requires escaped (as
/// [`json_marks`] marks them), or `bytes.len()`: on x86_64 sixteen bytes at a time with SSE2
/// (part of its baseline), the rest (or everything elsewhere) by [`next_marked`].
#[inline(always)]
fn next_json_marked(bytes: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    let i = {
        let word = |half: &[u8]| u64::from_le_bytes(half.try_into().unwrap_or_default());
        let mut at = i;
        while let Some(chunk) = bytes.get(at..at + 16) {
            let (low, high) = chunk.split_at(8);
            // SAFETY: every x86_64 CPU has SSE2 (it is part of the architecture's baseline).
            let mask = unsafe { json_mask_sse2(word(low), word(high)) };
            if mask != 0 {
                return at + mask.trailing_zeros() as usize;
            }
            at += 16;
        }
        at
    };
    next_marked(bytes, i, json_marks)
}

/// One bit per byte of the 16 bytes `low`, `high` (little-endian) that [`json_marks`]
/// marks: below 0x20, `"` and `\\`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn json_mask_sse2(low: u64, high: u64) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x,
    };
    let x = _mm_set_epi64x(high as i64, low as i64);
    // Unsigned `x <= 0x1f`: the minimum of the two is `x` itself.
    let control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
    let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
    let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
    _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
}

/// The offset of the first byte at or after `i` that `marks` marks (it marks the high bit of
/// each such byte of a little-endian word, exactly for the lowest), or `bytes.len()`,
/// looking at eight bytes at a time (the last eight again for the rest; text shorter than
/// eight bytes is read into a zero-padded word, whose padding is only marked above the
/// text).
#[inline(always)]
fn next_marked(bytes: &[u8], i: usize, marks: impl Fn(u64) -> u64) -> usize {
    let word = |at: usize| {
        let chunk: [u8; 8] = bytes
            .get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .unwrap_or_default();
        u64::from_le_bytes(chunk)
    };
    let lane = |m: u64| (m.trailing_zeros() / 8) as usize;
    if bytes.len() < 8 {
        let mut chunk = [0u8; 8];
        let rest = bytes.get(i..).unwrap_or_default();
        chunk[..rest.len()].copy_from_slice(rest);
        return (i + lane(marks(u64::from_le_bytes(chunk)))).min(bytes.len());
    }
    let mut at = i;
    while at + 8 <= bytes.len() {
        let m = marks(word(at));
        if m != 0 {
            return at + lane(m);
        }
        at += 8;
    }
    if at == bytes.len() {
        return at;
    }
    // The last eight bytes, shifted down past those before `at` (checked already): the zero
    // bytes shifted in on top are marked, but only above the real ones.
    let checked = at - (bytes.len() - 8);
    (at + lane(marks(word(bytes.len() - 8) >> (8 * checked)))).min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPP: WriteOptions = WriteOptions {
        indent: None,
        ascii_only: false,
        escape_like_cpp: true,
    };
    const ASCII: WriteOptions = WriteOptions {
        indent: None,
        ascii_only: true,
        escape_like_cpp: false,
    };

    /// Whether [`escape_of`] escapes byte `b` (an ASCII character) under `options`.
    fn escapes_ascii(b: u8, options: WriteOptions) -> bool {
        !matches!(escape_of(char::from(b), options), Escape::Keep)
    }

    #[test]
    fn marks_agree_with_the_rule() {
        let all = [WriteOptions::default(), CPP, ASCII];
        for b in 0u8..=0xff {
            let word = u64::from(b) << 8 | u64::from(b'a');
            let json = json_marks(word) >> 8 & 0x80 != 0;
            let wide = wide_marks(word) >> 8 & 0x80 != 0;
            if b < 0x80 {
                assert_eq!(json, escapes_ascii(b, WriteOptions::default()), "{b:#x}");
                // Every byte any option escapes is marked.
                let any = all.iter().any(|&o| escapes_ascii(b, o));
                assert!(wide || !any, "{b:#x}");
            } else {
                assert!(wide && !json, "{b:#x}");
            }
        }
    }

    #[test]
    fn escapes() {
        let text = "a<b>\"\\\n\u{1}\u{7f}é\u{2028}😀";
        let mut out = String::new();
        escape_str(&mut out, text, WriteOptions::default());
        assert_eq!(out, "\"a<b>\\\"\\\\\\n\\u0001\u{7f}é\u{2028}😀\"");
        out.clear();
        escape_str(&mut out, text, CPP);
        assert_eq!(out, r#""a\u003cb\u003e\"\\\n\u0001\u007fé\u2028😀""#);
        out.clear();
        escape_str(&mut out, text, ASCII);
        assert_eq!(out, r#""a<b>\"\\\n\u0001\u007f\u00e9\u2028\ud83d\ude00""#);
    }

    /// `next_marked` finds the first marked byte from any start, for both mark sets.
    #[test]
    fn scans_stop_at_the_first_marked_byte() {
        type Marks = fn(u64) -> u64;
        type Marked = fn(u8) -> bool;
        // The mark function, the bytes it marks, and whether it is JSON's (which
        // `next_json_marked` scans for too).
        let sets: [(Marks, Marked, bool); 2] = [
            (json_marks, |b| b < 0x20 || b == b'"' || b == b'\\', true),
            (
                wide_marks,
                |b| !(0x20..0x7f).contains(&b) || matches!(b, b'"' | b'\\' | b'<' | b'>'),
                false,
            ),
        ];
        for (marks, marked, json) in sets {
            let check = |bytes: &[u8]| {
                for from in 0..=bytes.len() {
                    let first = bytes[from..]
                        .iter()
                        .position(|&c| marked(c))
                        .map_or(bytes.len(), |n| from + n);
                    assert_eq!(
                        next_marked(bytes, from, marks),
                        first,
                        "{bytes:?} from {from}"
                    );
                    if json {
                        let sse = next_json_marked(bytes, from);
                        assert_eq!(sse, first, "{bytes:?} from {from}");
                    }
                }
            };
            // Under Miri (which checks the SSE2 scan's `unsafe` call) a sample of bytes and
            // strings.
            let (tried, lens): (Vec<u8>, Vec<usize>) = if cfg!(miri) {
                (vec![0x1f, b'\\', 0x80], vec![7, 16, 17, 33])
            } else {
                ((0..=0xff).collect(), (1..36).collect())
            };
            for &b in &tried {
                for &len in &lens {
                    for at in 0..len {
                        let mut bytes = vec![b'a'; len];
                        bytes[at] = b;
                        // Bytes after the first special one do not matter.
                        if let Some(after) = bytes.get_mut(at + 1) {
                            *after = b'"';
                        }
                        check(&bytes);
                    }
                }
            }
            // Mixed bytes around the edges of the tests (carries and borrows between lanes).
            let alphabet = [
                0x00, 0x1f, 0x20, b'"', b'#', b'<', b'=', b'>', b'?', b'\\', b']', b'a', 0x7e,
                0x7f, 0x80, 0xff,
            ];
            let mut state = 0x9E37_79B9_7F4A_7C15u64;
            for _ in 0..if cfg!(miri) { 10 } else { 20_000 } {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let len = (state % 48) as usize;
                let bytes: Vec<u8> = (0..len)
                    .map(|k| {
                        let pick = (state >> (k * 2 % 60)) as usize;
                        // Mostly plain bytes, so runs get long.
                        if pick % 3 == 0 {
                            alphabet[pick / 3 % alphabet.len()]
                        } else {
                            b'a'
                        }
                    })
                    .collect();
                check(&bytes);
            }
        }
    }

    /// Integers print as their decimal text, small ones (pushed digit by digit) included.
    #[test]
    fn integers_print_as_decimal() {
        let values = (-300..=300).chain([i64::from(i32::MIN), i64::from(u32::MAX), i64::MAX]);
        for v in values {
            let mut out = String::new();
            let mut w = JsonWriter::new(&mut out, WriteOptions::default());
            w.begin_array();
            if let Ok(v) = i32::try_from(v) {
                w.i32(v);
            }
            if let Ok(v) = u32::try_from(v) {
                w.u32(v);
            }
            w.i64(v);
            w.end_array();
            let text = v.to_string();
            let want = match (i32::try_from(v).is_ok(), u32::try_from(v).is_ok()) {
                (true, true) => format!("[{text},{text},\"{text}\"]"),
                (true, false) | (false, true) => format!("[{text},\"{text}\"]"),
                (false, false) => format!("[\"{text}\"]"),
            };
            assert_eq!(out, want);
        }
    }

    /// The keys the derive precomputes (`zpb_naming::json_quoted_key`) are what `key` writes,
    /// with every option; names it leaves alone need escaping under some option (or are not
    /// ASCII).
    #[test]
    fn precomputed_keys_are_the_written_keys() {
        let names = (0u8..=0xff)
            .map(|b| format!("a{}z", char::from(b)))
            .chain(["fooBar", "foo_bar", "", "é", "a b"].map(String::from));
        for name in names {
            for options in [
                WriteOptions::default(),
                WriteOptions {
                    indent: Some(2),
                    ..ASCII
                },
                CPP,
            ] {
                let (mut escaped, mut quoted) = (String::new(), String::new());
                JsonWriter::new(&mut escaped, options).key(&name);
                match zpb_naming::json_quoted_key(&name) {
                    Some(key) => {
                        JsonWriter::new(&mut quoted, options).key_quoted(&key);
                        assert_eq!(quoted, escaped, "{name:?}");
                    }
                    None => assert!(
                        name.bytes()
                            .any(|b| b >= 0x80 || escapes_ascii(b, CPP) || escapes_ascii(b, ASCII)),
                        "{name:?}"
                    ),
                }
            }
        }
    }
}
