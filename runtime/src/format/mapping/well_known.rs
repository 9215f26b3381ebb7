//! The special JSON forms of the well-known types: `Timestamp` and `Duration` as strings,
//! `FieldMask` as a comma-separated string, the wrappers as their bare value, `Struct` /
//! `Value` / `ListValue` as arbitrary JSON, and `Any` as its message's object plus `@type`.
//! The derive routes these types' [`JsonMessage`] methods here (by full name).

use super::support::JsonType;
use super::{JsonMessage, JsonParser, JsonPrinter};
use crate::codec;
use crate::field::OpenEnum;
use crate::format::json::{JsonError, JsonErrorKind, JsonKind};
use crate::format::well_known::{duration, field_mask, timestamp, WellKnownError};
use crate::format::KeyBuf;
use crate::well_known::{
    value, Any, BoolValue, BytesValue, DoubleValue, Duration, FieldMask, FloatValue, Int32Value,
    Int64Value, ListValue, StringValue, Struct, Timestamp, UInt32Value, UInt64Value, Value,
};
use crate::{Message, Reuse};

/// A well-known type with a special JSON form (implemented for the types listed in the
/// module docs; the derive calls it for them).
pub trait WellKnownJson: Message {
    /// Whether JSON `null` is a value of the type (`Value`).
    const JSON_NULL: bool = false;
    /// Writes the special form.
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>;
    /// Reads the special form.
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError>;
}

/// Writes a string built by `format` (a well-known type's text form).
fn write_formatted(
    p: &mut JsonPrinter<'_, '_>,
    format: impl FnOnce(&mut String) -> Result<(), WellKnownError>,
) -> Result<(), JsonError> {
    let mut text = String::new();
    format(&mut text).map_err(|e| p.error(JsonErrorKind::WellKnown(e)))?;
    p.writer().string(&text);
    Ok(())
}

/// Reads a string and converts it with `parse`, reporting its errors at the string (an
/// escaped one is decoded on the stack, or on the heap if it is long).
fn read_parsed<T>(
    p: &mut JsonParser<'_, '_>,
    parse: impl FnOnce(&str) -> Result<T, WellKnownError>,
) -> Result<T, JsonError> {
    let mut decoded = KeyBuf::new();
    let parsed = parse(p.reader().read_str(&mut decoded)?);
    parsed.map_err(|e| p.reader().value_error(JsonErrorKind::WellKnown(e)))
}

impl WellKnownJson for Timestamp {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        write_formatted(p, |out| timestamp::format(self.seconds, self.nanos, out))
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        (self.seconds, self.nanos) = read_parsed(p, timestamp::parse)?;
        Ok(())
    }
}

impl WellKnownJson for Duration {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        write_formatted(p, |out| duration::format(self.seconds, self.nanos, out))
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        (self.seconds, self.nanos) = read_parsed(p, duration::parse)?;
        Ok(())
    }
}

impl WellKnownJson for FieldMask {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        write_formatted(p, |out| {
            field_mask::format(self.paths.iter().map(String::as_str), out)
        })
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        let paths = &mut self.paths;
        let mut scratch = KeyBuf::new();
        read_parsed(p, |text| {
            field_mask::parse(text, &mut scratch, |path| paths.add().push_str(path))
        })
    }
}

macro_rules! wrapper {
    ($($ty:ident: $kind:ident;)*) => {$(
        impl WellKnownJson for $ty {
            fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
                <codec::$kind as JsonType>::write(&self.value, p)
            }
            fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
                <codec::$kind as JsonType>::read(&mut self.value, p).map(drop)
            }
        }
    )*};
}

wrapper! {
    DoubleValue: Double; FloatValue: Float; Int64Value: Int64; UInt64Value: UInt64;
    Int32Value: Int32; UInt32Value: UInt32; BoolValue: Bool; StringValue: Str;
    BytesValue: Bytes;
}

impl WellKnownJson for Struct {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().begin_object();
        for (key, value) in &self.fields {
            p.writer().key(key);
            value.write_special(p)?;
        }
        p.writer().end_object();
        Ok(())
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        p.reader().begin_object()?;
        let mut key_buf = KeyBuf::new();
        while let Some(key) = p.reader().next_key(&mut key_buf)? {
            let value = match self.fields.get_mut(key) {
                Some(v) => {
                    v.clear();
                    v
                }
                None => self.fields.entry(key.to_owned()).or_default(),
            };
            value.merge_special(p)?;
        }
        Ok(())
    }
}

impl WellKnownJson for ListValue {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().begin_array();
        for value in self.values.iter() {
            value.write_special(p)?;
        }
        p.writer().end_array();
        Ok(())
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        p.reader().begin_array()?;
        while p.reader().next_element()? {
            self.values.add().merge_special(p)?;
        }
        Ok(())
    }
}

impl WellKnownJson for Value {
    const JSON_NULL: bool = true;
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        match &self.kind {
            None => {
                return Err(p.error(JsonErrorKind::InvalidValue(
                    "google.protobuf.Value with no kind set",
                )))
            }
            Some(value::Kind::NullValue(_)) => p.writer().null(),
            Some(value::Kind::NumberValue(n)) => {
                if !n.is_finite() {
                    return Err(p.error(JsonErrorKind::InvalidValue(
                        "NaN or infinity in google.protobuf.Value",
                    )));
                }
                p.writer().f64(*n)
            }
            Some(value::Kind::StringValue(s)) => p.writer().string(s),
            Some(value::Kind::BoolValue(b)) => p.writer().bool(*b),
            Some(value::Kind::StructValue(s)) => s.write_special(p)?,
            Some(value::Kind::ListValue(l)) => l.write_special(p)?,
        }
        Ok(())
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        let kind = match p.reader().peek()? {
            JsonKind::Null => {
                p.reader().read_null()?;
                value::Kind::NullValue(OpenEnum::from_raw(0))
            }
            JsonKind::Bool => value::Kind::BoolValue(p.reader().read_bool()?),
            JsonKind::Number => value::Kind::NumberValue(
                p.reader()
                    .read_number()?
                    .to_f64()
                    .map_err(|e| p.reader().value_error(e))?,
            ),
            JsonKind::String => {
                let mut s = match self.kind.take() {
                    Some(value::Kind::StringValue(s)) => s,
                    _ => String::new(),
                };
                p.reader().read_string_into(&mut s)?;
                value::Kind::StringValue(s)
            }
            JsonKind::Object => {
                let mut s = match self.kind.take() {
                    Some(value::Kind::StructValue(s)) => s,
                    _ => Box::default(),
                };
                s.clear();
                s.merge_special(p)?;
                value::Kind::StructValue(s)
            }
            JsonKind::Array => {
                let mut l = match self.kind.take() {
                    Some(value::Kind::ListValue(l)) => l,
                    _ => Box::default(),
                };
                l.clear();
                l.merge_special(p)?;
                value::Kind::ListValue(l)
            }
        };
        self.kind = Some(kind);
        Ok(())
    }
}

/// The full message name in a type URL: what follows its last `/`.
fn type_name(url: &str) -> Option<&str> {
    url.rsplit_once('/')
        .map(|(_, name)| name)
        .filter(|n| !n.is_empty())
}

impl WellKnownJson for Any {
    fn write_special(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        if self.type_url.is_empty() && self.value.is_empty() {
            p.writer().begin_object();
            p.writer().end_object();
            return Ok(());
        }
        let codec = type_name(&self.type_url)
            .and_then(|name| p.registry().any_type(name))
            .ok_or_else(|| p.error(JsonErrorKind::UnknownType(self.type_url.clone())))?;
        p.writer().begin_object();
        p.writer().key("@type");
        p.writer().string(&self.type_url);
        codec.write_json(&self.value, p)?;
        p.writer().end_object();
        Ok(())
    }
    fn merge_special(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        // First pass on a copy of the reader: find `@type` wherever it is.
        let start = p.reader().clone();
        let object_at = p.reader().peek().map(|_| p.reader().value_offset())?;
        p.reader().begin_object()?;
        let mut key_buf = KeyBuf::new();
        let mut found = false;
        let mut members = 0usize;
        while let Some(key) = p.reader().next_key(&mut key_buf)? {
            members += 1;
            if key == "@type" && !found {
                p.reader().read_string_into(&mut self.type_url)?;
                found = true;
            } else {
                p.reader().skip_value()?;
            }
        }
        if !found {
            if members == 0 {
                return Ok(());
            }
            return Err(p
                .reader()
                .error_at(object_at, JsonErrorKind::InvalidValue("Any without @type")));
        }
        let codec = type_name(&self.type_url)
            .and_then(|name| p.registry().any_type(name))
            .ok_or_else(|| {
                p.reader()
                    .error_at(object_at, JsonErrorKind::UnknownType(self.type_url.clone()))
            })?;
        // Second pass from the object's start, now that the type is known.
        let end = p.swap_reader(start);
        p.reader().begin_object()?;
        self.value.clear();
        codec.merge_json(p, &mut self.value)?;
        p.swap_reader(end);
        Ok(())
    }
}

/// Writes the members of an `Any` holding `M` (after `@type`): its fields, or `"value"` and
/// the special form.
pub(super) fn write_any_members<M: JsonMessage>(
    message: &M,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    if message.has_special_form() {
        p.writer().key("value");
        message.write_json(p)
    } else {
        message.write_json_members(p)
    }
}

/// Reads the members of an `Any` holding `M` (the object is open; `@type` is skipped).
pub(super) fn merge_any_members<M: JsonMessage>(
    message: &mut M,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if !message.has_special_form() {
        return message.merge_json_members(p, true);
    }
    let mut key_buf = KeyBuf::new();
    let mut seen = [0u64; 1];
    while let Some(key) = p.reader().next_key(&mut key_buf)? {
        let at = p.reader().value_offset();
        match key {
            "@type" => p.reader().skip_value()?,
            "value" => {
                p.mark_seen(&mut seen, 0, at)?;
                message.merge_json(p)?;
            }
            _ => p.unknown_key(key, at)?,
        }
    }
    Ok(())
}
