//! Default values (`[default = ...]`), from protoc's text to what the derive takes.

use super::context::Context;
use super::enums::enum_variants;
use super::index::TypeKind;
use crate::error::Error;
use crate::ir::{DefaultValue, Value};
use zpb::descriptor::FieldDescriptorProto;

/// The default of field `f` (named `full`), whose values are `value`.
pub fn default_value(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    value: &Value,
    full: &str,
) -> Result<DefaultValue, Error> {
    let text = f.default_value();
    Ok(match value {
        Value::Scalar { word: "bool", .. } => DefaultValue::Bool(text == "true"),
        Value::Scalar {
            word: "float" | "double",
            ..
        } => DefaultValue::Float(match text {
            "inf" | "-inf" | "nan" => text.to_string(),
            _ => text
                .parse::<f64>()
                .map_err(|_| cx.bad(full, "bad float default"))?
                .to_string(),
        }),
        Value::Scalar { .. } => DefaultValue::Int(text.to_string()),
        Value::String => DefaultValue::Str(text.to_string()),
        Value::Bytes { .. } => DefaultValue::Bytes(unescape_bytes(text)),
        Value::Enum { .. } => {
            let TypeKind::Enum(e) = &cx.index.get(f.type_name())?.kind else {
                return Err(cx.bad(full, "enum default on a non-enum"));
            };
            let variants = enum_variants(e);
            let v = e
                .value
                .iter()
                .position(|v| v.name() == text)
                .ok_or_else(|| cx.bad(full, "unknown enum default"))?;
            DefaultValue::Enum(variants[v].1.clone())
        }
        Value::Message { .. } | Value::Group { .. } => {
            return Err(cx.bad(full, "a message field cannot have a default"))
        }
    })
}

/// Undoes protoc's C escaping of a bytes default (`\n`, `\001`, `\x7f`, `\\`, ...).
pub fn unescape_bytes(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'x' | b'X' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_unescape() {
        assert_eq!(unescape_bytes(r#"a\001\x7f\\\"\n"#), b"a\x01\x7f\\\"\n");
        assert_eq!(unescape_bytes(r"\0012"), b"\x012");
    }
}
