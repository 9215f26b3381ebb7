//! Names and protoc's spellings: full names, source paths, JSON names, map entry names, default values of floating-point and
//! bytes fields.

use super::path::Path;

/// The full name of `name` in `scope` (`scope.name`, or `name` at the root).
pub fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        return name.to_string();
    }
    // Built by hand: `format!` costs several times the allocation, and this runs for every
    // name of every file.
    let mut full = String::with_capacity(scope.len() + 1 + name.len());
    full.push_str(scope);
    full.push('.');
    full.push_str(name);
    full
}

/// A source-code-info path extended by `more`.
pub fn with(path: &[i32], more: &[i32]) -> Path {
    Path::concat(path, more)
}

/// protoc's `ToJsonName` (`foo_bar` → `fooBar`; the rule lives in `zpb_naming`).
pub use zpb_naming::default_json_name as json_name;

/// The name of a map field's entry message: `foo_bar` → `FooBarEntry` (the rule lives in
/// `zpb_naming`, which the runtime's synthesized descriptors use too).
pub use zpb_naming::map_entry_name;

/// C's `%.{precision}g`.
fn format_g(value: f64, precision: usize) -> String {
    let sci = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exponent < -4 || exponent >= precision as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.unsigned_abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        trim(&format!("{value:.decimals$}"))
    }
}

/// protoc's `SimpleDtoa`: `%.15g` when it reads back as the same value, else `%.17g`;
/// `inf`, `-inf`, `nan`.
pub fn simple_dtoa(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let short = format_g(value, 15);
    if short.parse::<f64>().ok() == Some(value) {
        short
    } else {
        format_g(value, 17)
    }
}

/// protoc's `SimpleFtoa` (a float field's default): `%.6g` when it reads back as the same
/// `f32`, else `%.9g`.
pub fn simple_ftoa(value: f32) -> String {
    if value.is_nan() || value.is_infinite() {
        return simple_dtoa(f64::from(value));
    }
    let short = format_g(f64::from(value), 6);
    if short.parse::<f32>().ok() == Some(value) {
        short
    } else {
        format_g(f64::from(value), 9)
    }
}

/// protoc's `CEscape`: how a bytes field's default value is stored.
pub fn c_escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_protoc_prints_them() {
        assert_eq!(simple_dtoa(1e10), "10000000000");
        assert_eq!(simple_dtoa(1e20), "1e+20");
        assert_eq!(simple_dtoa(1.234567891), "1.234567891");
        assert_eq!(simple_dtoa(0.1), "0.1");
        assert_eq!(simple_dtoa(-1.5e-7), "-1.5e-07");
        assert_eq!(simple_dtoa(0.0), "0");
        assert_eq!(simple_dtoa(f64::NEG_INFINITY), "-inf");
        assert_eq!(simple_ftoa(2e8), "2e+08");
        assert_eq!(simple_ftoa(0.1), "0.1");
        assert_eq!(simple_ftoa(1.1), "1.1");
    }

    #[test]
    fn names() {
        assert_eq!(json_name("foo_bar_baz"), "fooBarBaz");
        assert_eq!(json_name("_foo"), "Foo");
        assert_eq!(map_entry_name("foo_bar"), "FooBarEntry");
        assert_eq!(c_escape(b"a\x01\"b\xff"), "a\\001\\\"b\\377");
    }
}
