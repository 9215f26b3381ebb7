//! Text-format string escaping, as C++ `TextFormat` prints.

use std::fmt;

/// The escape C++'s `CEscape` uses for one byte, if any.
fn short_escape(b: u8) -> Option<&'static str> {
    Some(match b {
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        b'"' => "\\\"",
        b'\'' => "\\'",
        b'\\' => "\\\\",
        _ => return None,
    })
}

/// Writes a `bytes` value's content (without quotes) as C++ `CEscape` does: `\n \r \t \" \'
/// \\`, printable ASCII as itself, every other byte as a three-digit octal escape.
pub fn escape_bytes<W: fmt::Write + ?Sized>(out: &mut W, bytes: &[u8]) -> fmt::Result {
    escape(out, bytes, false)
}

/// Writes a `string` value's content (without quotes) as C++ `TextFormat` does by default
/// (`Utf8SafeCEscape`): the escapes of [`escape_bytes`], except that non-ASCII UTF-8 is
/// kept as it is.
pub fn escape_str<W: fmt::Write + ?Sized>(out: &mut W, text: &str) -> fmt::Result {
    escape(out, text.as_bytes(), true)
}

fn escape<W: fmt::Write + ?Sized>(out: &mut W, bytes: &[u8], keep_utf8: bool) -> fmt::Result {
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let plain = matches!(b, 0x20..=0x7e) || (keep_utf8 && b >= 0x80);
        let short = short_escape(b);
        if plain && short.is_none() {
            continue;
        }
        // Runs end only at ASCII bytes, so a `&str`'s runs stay whole characters.
        write_run(out, &bytes[run_start..i])?;
        run_start = i + 1;
        match short {
            Some(s) => out.write_str(s)?,
            None => write!(out, "\\{b:03o}")?,
        }
    }
    write_run(out, &bytes[run_start..])
}

fn write_run<W: fmt::Write + ?Sized>(out: &mut W, run: &[u8]) -> fmt::Result {
    // Runs hold printable ASCII, or (for strings) whole UTF-8 characters as well.
    out.write_str(std::str::from_utf8(run).map_err(|_| fmt::Error)?)
}
