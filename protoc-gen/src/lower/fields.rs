//! Fields: the type of a field's values and the shape of the field (singular, repeated or
//! map), with the decisions of the features applied.

use super::context::Context;
use super::defaults::default_value;
use super::index::TypeKind;
use crate::descriptor::google::protobuf::field_descriptor_proto::{Label, Type};
use crate::descriptor::google::protobuf::FieldDescriptorProto;
use crate::error::Error;
use crate::ir::{Shape, Value};
use zpb_naming::Scalar;

/// The value type of field `f` (the element type for repeated fields), named `full`, with
/// type paths as seen from module `from`.
pub fn value(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    from: &[String],
    full: &str,
) -> Result<Value, Error> {
    // The word and Rust type of each scalar come from zpb-naming's table (shared with the
    // derive).
    let scalar = |s: Scalar| Value::Scalar {
        word: s.word(),
        rust: s.rust_type(),
    };
    Ok(match f.r#type() {
        Type::Double => scalar(Scalar::Double),
        Type::Float => scalar(Scalar::Float),
        Type::Int64 => scalar(Scalar::Int64),
        Type::Uint64 => scalar(Scalar::UInt64),
        Type::Int32 => scalar(Scalar::Int32),
        Type::Fixed64 => scalar(Scalar::Fixed64),
        Type::Fixed32 => scalar(Scalar::Fixed32),
        Type::Bool => scalar(Scalar::Bool),
        Type::Uint32 => scalar(Scalar::UInt32),
        Type::Sfixed32 => scalar(Scalar::SFixed32),
        Type::Sfixed64 => scalar(Scalar::SFixed64),
        Type::Sint32 => scalar(Scalar::SInt32),
        Type::Sint64 => scalar(Scalar::SInt64),
        Type::String => Value::String,
        Type::Bytes => Value::Bytes {
            shared: cx.options.shared_bytes(full),
        },
        Type::Message | Type::Group => {
            let path = cx.index.path(f.type_name(), from)?;
            match cx.features.delimited(f) {
                true => Value::Group {
                    path,
                    type_name: f
                        .type_name()
                        .rsplit('.')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                },
                false => Value::Message { path },
            }
        }
        Type::Enum => Value::Enum {
            path: cx.index.path(f.type_name(), from)?,
            closed: cx.index.get(f.type_name())?.features.closed_enums(),
        },
    })
}

/// The shape of field `f` of message `message` (full name with a leading dot), with type
/// paths as seen from module `from`.
pub fn shape(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    from: &[String],
    message: &str,
) -> Result<Shape, Error> {
    let full = &format!("{message}.{}", f.name());
    if f.label() == Label::Repeated {
        if f.r#type() == Type::Message {
            if let TypeKind::Message(entry) = &cx.index.get(f.type_name())?.kind {
                if entry.options().map_entry() {
                    let (Some(k), Some(v)) = (
                        entry.field.iter().find(|x| x.number() == 1),
                        entry.field.iter().find(|x| x.number() == 2),
                    ) else {
                        return Err(cx.bad(full, "map entry without key or value"));
                    };
                    return Ok(Shape::Map {
                        key: value(cx, k, from, full)?,
                        value: value(cx, v, from, full)?,
                        btree: cx.options.btree_map(full),
                    });
                }
            }
        }
        let value = value(cx, f, from, full)?;
        let packed = cx.features.packed(f, &value);
        return Ok(Shape::Repeated { value, packed });
    }
    let value = value(cx, f, from, full)?;
    let presence = cx.features.presence(f, &value);
    let default = match f.has_default_value() {
        true => Some(default_value(cx, f, &value, full)?),
        false => None,
    };
    let boxed = matches!(value, Value::Message { .. } | Value::Group { .. })
        && cx.graph.is_cyclic(message, f.type_name());
    Ok(Shape::Singular {
        value,
        presence,
        default,
        boxed,
    })
}
