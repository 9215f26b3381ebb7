//! Fields: the type of a field's values and the shape of the field (singular, repeated or
//! map), with the decisions of the features applied.

use super::context::Context;
use super::defaults::default_value;
use super::features::Features;
use super::index::{TypeInfo, TypeKind};
use crate::error::Error;
use crate::ir::{Shape, Value};
use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::FieldDescriptorProto;
use zpb_naming::Scalar;

/// The value type of field `f` (the element type for repeated fields), named `full`, with
/// its own `features`, declared in message `scope` (a full name; for an extension, its
/// extension scope, empty at top level), with type paths as seen from module `from`.
pub fn value(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    features: &Features,
    scope: &str,
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
        Type::String => Value::String { thin: false },
        Type::Bytes => Value::Bytes {
            shared: cx.options.shared_bytes(full),
        },
        Type::Message | Type::Group => {
            let path = cx.index.path(f.type_name(), from)?;
            let target = cx.index.get(f.type_name())?;
            let map_entry = |t: &TypeInfo<'_>| match t.kind {
                TypeKind::Message(m) => m.options().map_entry(),
                TypeKind::Enum(_) => false,
            };
            let in_map_entry = cx.index.get(scope).is_ok_and(map_entry);
            match features.delimited(in_map_entry || map_entry(target)) {
                true => Value::Group {
                    path,
                    text_name: group_like(cx, f, target, scope).then(|| {
                        let name = f.type_name().rsplit('.').next().unwrap_or_default();
                        name.to_string()
                    }),
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

/// The value type of a singular or repeated field: [`value`], with strings stored as
/// `zpb::ThinString` unless the options keep them `String`. (Map keys and values, oneof
/// members and extensions stay `String`: their inline size is not a message's.)
fn field_value(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    features: &Features,
    scope: &str,
    from: &[String],
    full: &str,
) -> Result<Value, Error> {
    Ok(match value(cx, f, features, scope, from, full)? {
        Value::String { .. } => Value::String {
            thin: !cx.options.std_strings(full),
        },
        other => other,
    })
}

/// Whether the delimited field `f` of `scope` looks like a proto2 group, whose text format
/// name is its type's name (protoc's `IsGroupLike`): the field is named as its type in
/// lower case, and the type is declared in the same file and the same scope as the field.
/// Every proto2 group is; in editions, other delimited fields are printed by field name.
fn group_like(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    target: &TypeInfo<'_>,
    scope: &str,
) -> bool {
    let type_name = f.type_name().rsplit('.').next().unwrap_or_default();
    f.name() == type_name.to_ascii_lowercase() && target.file == cx.file && target.parent == scope
}

/// The shape of field `f` of message `message` (full name with a leading dot), with its own
/// `features`, and type paths as seen from module `from`.
pub fn shape(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    features: &Features,
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
                    let entry_features = features.message(entry);
                    let entry_name = f.type_name();
                    let kv = |x: &FieldDescriptorProto| {
                        value(cx, x, &entry_features.field(x), entry_name, from, full)
                    };
                    return Ok(Shape::Map {
                        key: kv(k)?,
                        value: kv(v)?,
                        btree: cx.options.btree_map(full),
                    });
                }
            }
        }
        let value = field_value(cx, f, features, message, from, full)?;
        let packed = features.packed(&value);
        return Ok(Shape::Repeated { value, packed });
    }
    let value = field_value(cx, f, features, message, from, full)?;
    let presence = features.presence(f, &value);
    let default = match f.has_default_value() {
        true => Some(default_value(cx, f, &value, full)?),
        false => None,
    };
    let boxed = matches!(value, Value::Message { .. } | Value::Group { .. })
        && (cx.options.boxed(full) || cx.graph.is_cyclic(message, f.type_name()));
    Ok(Shape::Singular {
        value,
        presence,
        default,
        boxed,
    })
}
