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
        Value::String { .. } => DefaultValue::Str(text.to_string()),
        Value::Bytes { .. } => DefaultValue::Bytes(
            zpb::descriptor::unescape_default_bytes(text).ok_or_else(|| {
                cx.bad(full, "a bytes default with an escape protoc does not write")
            })?,
        ),
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
