//! Extensions known from a [`TypeRegistry`](crate::format::TypeRegistry)'s descriptor pools,
//! read and written as `[pkg.ext]` in JSON and text format for any message holding them in
//! its unknown fields (generated or dynamic): the value goes through a dynamic message of the
//! extendee ([`DynamicMessage::get_extension`] / [`set_extension`](DynamicMessage::set_extension)),
//! with the same per-kind rules as fields.

use super::json::{accepts_null, read_value, write_value};
use super::{entry_default, proto_type, text_value, DynamicMessage, Value};
use crate::codec;
use crate::descriptor::field_descriptor_proto::Type;
use crate::field::UnknownFields;
use crate::format::json::{JsonError, JsonErrorKind};
use crate::format::mapping::support::{reject_null, NULL_ELEMENT};
use crate::format::text::parse::{list, read_enum, TextType};
use crate::format::text::{TextError, TextErrorKind, TextParser};
use crate::format::{JsonParser, JsonPrinter};
use crate::reflect::pool::{FieldInner, FieldType, PoolInner};
use crate::reflect::{FieldDescriptor, ReflectError};
use crate::text::TextWriter;
use crate::DecodeError;
use std::fmt;

/// The value of `ext` in `unknown`, decoded through a dynamic message of its extendee.
fn decode(ext: &FieldDescriptor, unknown: &UnknownFields) -> Result<Option<Value>, ReflectError> {
    let mut m = DynamicMessage::new(ext.containing_message());
    m.unknown.merge_from(unknown);
    m.get_extension(ext)
}

/// The value of `ext` in `unknown`: `Ok(None)` when absent (or an empty list), `Err` when
/// its bytes do not decode.
fn get(ext: &FieldDescriptor, unknown: &UnknownFields) -> Result<Option<Value>, ()> {
    match decode(ext, unknown) {
        Ok(Some(Value::List(l))) if l.is_empty() => Ok(None),
        Ok(v) => Ok(v),
        Err(_) => Err(()),
    }
}

/// Checks that the value of `ext` in `unknown` (if any) decodes as its type, for
/// [`TypeRegistry::check_extensions`](crate::format::TypeRegistry::check_extensions).
pub(crate) fn check(ext: &FieldDescriptor, unknown: &UnknownFields) -> Result<(), DecodeError> {
    match decode(ext, unknown) {
        Err(ReflectError::Decode(e)) => Err(e),
        // `ext` extends this very message, so nothing else can fail.
        _ => Ok(()),
    }
}

/// Runs `f` on a dynamic message of `ext`'s extendee holding `unknown` (moved in and back).
fn with_extendee<R>(
    ext: &FieldDescriptor,
    unknown: &mut UnknownFields,
    f: impl FnOnce(&mut DynamicMessage) -> R,
) -> R {
    let mut m = DynamicMessage::new(ext.containing_message());
    std::mem::swap(&mut m.unknown, unknown);
    let result = f(&mut m);
    std::mem::swap(&mut m.unknown, unknown);
    result
}

/// Adds `values` to extension `ext` (appended for a repeated one, replacing otherwise).
fn add(ext: &FieldDescriptor, unknown: &mut UnknownFields, values: Vec<Value>) {
    with_extendee(ext, unknown, |m| {
        let value = if ext.inner().is_repeated() {
            let mut all = match m.get_extension(ext) {
                Ok(Some(Value::List(l))) => l,
                _ => Vec::new(),
            };
            all.extend(values);
            Value::List(all)
        } else {
            match values.into_iter().last() {
                Some(v) => v,
                None => return,
            }
        };
        // The value was read for this very field, so it fits.
        let _ = m.set_extension(ext, value);
    })
}

/// Writes `"[pkg.ext]": value` if `unknown` holds extension `ext`.
pub(crate) fn write_json(
    ext: &FieldDescriptor,
    unknown: &UnknownFields,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let value = get(ext, unknown)
        .map_err(|()| p.error(JsonErrorKind::InvalidValue("an extension does not decode")))?;
    let Some(value) = value else {
        return Ok(());
    };
    let (pool, f) = (&*ext.pool.inner, ext.inner());
    p.writer().key(&format!("[{}]", ext.full_name()));
    match &value {
        Value::List(l) => {
            p.writer().begin_array();
            for v in l {
                write_value(pool, f, v.as_ref(), p)?;
            }
            p.writer().end_array();
            Ok(())
        }
        v => write_value(pool, f, v.as_ref(), p),
    }
}

/// Reads the value of a `"[pkg.ext]"` key into `unknown`.
pub(crate) fn merge_json(
    ext: &FieldDescriptor,
    unknown: &mut UnknownFields,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    let (pool, f) = (&*ext.pool.inner, ext.inner());
    let null_ok = accepts_null(pool, f);
    let repeated = f.is_repeated();
    if (repeated || !null_ok) && p.reader().try_null()? {
        return Ok(());
    }
    let mut values = Vec::new();
    let mut one = |p: &mut JsonParser<'_, '_>| -> Result<(), JsonError> {
        let mut v = entry_default(&ext.pool, f);
        if read_value(pool, f, &mut v, p)? {
            values.push(v);
        }
        Ok(())
    };
    if repeated {
        p.reader().begin_array()?;
        while p.reader().next_element()? {
            reject_null(p, null_ok, NULL_ELEMENT)?;
            one(p)?;
        }
    } else {
        one(p)?;
    }
    add(ext, unknown, values);
    Ok(())
}

/// Writes `[pkg.ext]` fields (one per element) if `unknown` holds extension `ext` (nothing
/// for bytes that do not decode).
pub(crate) fn write_text(
    ext: &FieldDescriptor,
    unknown: &UnknownFields,
    w: &mut TextWriter<'_, '_>,
) -> fmt::Result {
    let Ok(Some(value)) = get(ext, unknown) else {
        return Ok(());
    };
    let (pool, f) = (&*ext.pool.inner, ext.inner());
    let name = format!("[{}]", ext.full_name());
    match &value {
        Value::List(l) => l
            .iter()
            .try_for_each(|v| w.field(&name, |w| text_value(pool, f, v.as_ref(), w))),
        v => w.field(&name, |w| text_value(pool, f, v.as_ref(), w)),
    }
}

/// Reads one value of `f` in text format into `v` (made by `entry_default`).
fn read_text_value(
    pool: &PoolInner,
    f: &FieldInner,
    v: &mut Value,
    p: &mut TextParser<'_, '_>,
) -> Result<(), TextError> {
    match v {
        Value::String(s) => codec::Str::read(s, p),
        Value::Bytes(b) => codec::Bytes::read(b, p),
        Value::Message(m) => p.message(m),
        Value::EnumNumber(x) => match f.ty {
            FieldType::Enum(e) => {
                let en = &pool.enums[e as usize];
                *x = read_enum(en, p, en.closed)?;
                Ok(())
            }
            _ => Err(mismatch(p)),
        },
        v => numeric!(proto_type(f), Value, v, |K, x| K::read(x, p), {
            Err(mismatch(p))
        }),
    }
}

fn mismatch(p: &mut TextParser<'_, '_>) -> TextError {
    match p.lexer().peek() {
        Ok(token) => token.error(TextErrorKind::UnexpectedToken {
            expected: "a value of the extension's type",
        }),
        Err(e) => e,
    }
}

/// Reads `[pkg.ext]`'s `:` and value (or `[a, b]` list, for a repeated one) into `unknown`.
pub(crate) fn merge_text(
    ext: &FieldDescriptor,
    unknown: &mut UnknownFields,
    p: &mut TextParser<'_, '_>,
) -> Result<(), TextError> {
    let (pool, f) = (&*ext.pool.inner, ext.inner());
    p.field_colon(matches!(f.ty, FieldType::Message(_) | FieldType::Group(_)))?;
    let mut values = Vec::new();
    let mut one = |p: &mut TextParser<'_, '_>| -> Result<(), TextError> {
        let mut v = entry_default(&ext.pool, f);
        read_text_value(pool, f, &mut v, p)?;
        values.push(v);
        Ok(())
    };
    if f.is_repeated() {
        list(p, one)?;
    } else {
        one(p)?;
    }
    add(ext, unknown, values);
    Ok(())
}
