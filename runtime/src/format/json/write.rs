//! The writer: ProtoJSON values appended to a caller's `String`.

use std::fmt::Write as _;

use crate::format::{base64, float};

/// How a [`JsonWriter`] lays out its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// `None`: compact (`{"a":1,"b":[1,2]}`, as C++ prints). `Some(n)`: one member per line,
    /// indented by `n` spaces per level, `": "` after keys.
    pub indent: Option<u8>,
    /// Escape every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`, its default).
    /// Otherwise UTF-8 is kept except for the characters C++ escapes.
    pub ascii_only: bool,
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

    fn member_prefix(&mut self) {
        if self.need_comma {
            self.out.push(',');
        }
        if self.depth > 0 {
            self.newline();
        }
    }

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
        escape_str(self.out, key, self.options.ascii_only);
        self.out.push_str(if self.options.indent.is_some() {
            ": "
        } else {
            ":"
        });
        self.after_key = true;
    }

    fn open(&mut self, bracket: char) {
        self.before_value();
        self.out.push(bracket);
        self.depth += 1;
        self.need_comma = false;
    }

    fn close(&mut self, bracket: char) {
        self.depth = self.depth.saturating_sub(1);
        if self.need_comma {
            self.newline();
        }
        self.out.push(bracket);
        self.need_comma = true;
    }

    /// `{`
    pub fn begin_object(&mut self) {
        self.open('{');
    }

    /// `}`
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// `[`
    pub fn begin_array(&mut self) {
        self.open('[');
    }

    /// `]`
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Writes `raw` as a value, unchanged (it must be valid JSON).
    pub fn raw(&mut self, raw: &str) {
        self.before_value();
        self.out.push_str(raw);
        self.need_comma = true;
    }

    fn display(&mut self, value: impl std::fmt::Display, quoted: bool) {
        self.before_value();
        if quoted {
            let _ = write!(self.out, "\"{value}\"");
        } else {
            let _ = write!(self.out, "{value}");
        }
        self.need_comma = true;
    }

    /// `null`
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// `true` / `false`
    pub fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// A 32-bit signed integer, as a number.
    pub fn i32(&mut self, value: i32) {
        self.display(value, false);
    }

    /// A 32-bit unsigned integer, as a number.
    pub fn u32(&mut self, value: u32) {
        self.display(value, false);
    }

    /// A 64-bit signed integer, as a string (`"-12"`), as ProtoJSON prints them.
    pub fn i64(&mut self, value: i64) {
        self.display(value, true);
    }

    /// A 64-bit unsigned integer, as a string.
    pub fn u64(&mut self, value: u64) {
        self.display(value, true);
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
    pub fn string(&mut self, value: &str) {
        self.before_value();
        escape_str(self.out, value, self.options.ascii_only);
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

/// How one character is written inside a JSON string, by C++ protobuf's rules
/// (`json/internal/writer.cc`): short escapes for the seven JSON has, `\u` escapes for
/// control characters, `<` `>` and the invisible or bidi-affecting characters C++ lists,
/// everything else as itself (or, `ascii_only`, every non-ASCII character as `\u`).
enum Escape {
    Keep,
    Short(&'static str),
    Unicode,
}

fn escape_of(c: char, ascii_only: bool) -> Escape {
    /// The ranges C++ escapes besides the JSON-mandated ones.
    const ESCAPED_RANGES: &[(u32, u32)] = &[
        (0x0000, 0x001f),
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
    match c {
        '\n' => Escape::Short("\\n"),
        '\r' => Escape::Short("\\r"),
        '\t' => Escape::Short("\\t"),
        '"' => Escape::Short("\\\""),
        '\\' => Escape::Short("\\\\"),
        '\u{8}' => Escape::Short("\\b"),
        '\u{c}' => Escape::Short("\\f"),
        '<' | '>' => Escape::Unicode,
        _ if ascii_only && !c.is_ascii() => Escape::Unicode,
        _ => {
            let u = u32::from(c);
            if ESCAPED_RANGES
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&u))
            {
                Escape::Unicode
            } else {
                Escape::Keep
            }
        }
    }
}

/// ASCII bytes that [`escape_of`] escapes: control characters, DEL, `"`, `\\`, `<`, `>`.
const ASCII_ESCAPED: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[0x7f] = true;
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table
};

/// Appends `value` as a quoted, escaped JSON string (see [`WriteOptions::ascii_only`]).
pub fn escape_str(out: &mut String, value: &str, ascii_only: bool) {
    out.push('"');
    let bytes = value.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Plain ASCII (the common case) is decided by the table alone.
        if b < 0x80 && !ASCII_ESCAPED[usize::from(b)] {
            i += 1;
            continue;
        }
        let c = value[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        let len = c.len_utf8();
        let escape = escape_of(c, ascii_only);
        if let Escape::Keep = escape {
            i += len;
            continue;
        }
        out.push_str(&value[run_start..i]);
        match escape {
            Escape::Short(s) => out.push_str(s),
            Escape::Unicode => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            Escape::Keep => {}
        }
        i += len;
        run_start = i;
    }
    out.push_str(&value[run_start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_table_agrees_with_the_rule() {
        for b in 0u8..0x80 {
            let escaped = !matches!(escape_of(char::from(b), false), Escape::Keep);
            assert_eq!(ASCII_ESCAPED[usize::from(b)], escaped, "byte {b:#x}");
        }
    }
}
