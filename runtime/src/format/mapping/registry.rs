//! [`TypeRegistry`]: the message types an `Any` may hold in JSON, by full name.

use super::support::{skip_null, JsonType};
use super::well_known::{merge_any_members, write_any_members};
use super::{JsonMessage, JsonParser, JsonPrinter};
use crate::field::UnknownFields;
use crate::format::json::{JsonError, JsonErrorKind};
use crate::format::text::parse::merge_any_payload;
use crate::format::text::parse::TextType;
use crate::format::text::{TextError, TextMessage, TextParser};
use crate::text::TextWriter;
use crate::{DecodeError, Extension, Message};
use std::collections::HashMap;

/// How one registered type's `Any` payload is printed and parsed.
#[derive(Clone, Copy)]
pub(crate) struct AnyCodec {
    /// Decodes the payload and writes its members (after `@type`).
    pub(super) write: fn(&[u8], &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>,
    /// Reads the members of the open object and appends the encoded message.
    pub(super) merge: fn(&mut JsonParser<'_, '_>, &mut Vec<u8>) -> Result<(), JsonError>,
    /// Reads an expanded `Any`'s message in text format and appends its encoding.
    pub(crate) merge_text: fn(&mut TextParser<'_, '_>, &mut Vec<u8>) -> Result<(), TextError>,
}

/// The message types `Any` values may hold when printed or parsed as JSON, by full name (the
/// last segment of the type URL). C++ resolves them through the descriptor pool; zpb asks
/// for them to be registered.
///
/// ```
/// use zpb::format::TypeRegistry;
/// let mut registry = TypeRegistry::with_well_known();
/// registry.add::<zpb::well_known::Api>();
/// assert!(registry.contains("google.protobuf.Api"));
/// assert!(registry.contains("google.protobuf.Timestamp"));
/// ```
#[derive(Clone, Default)]
pub struct TypeRegistry {
    types: HashMap<&'static str, AnyCodec>,
    /// Extensions by full name.
    extensions: HashMap<&'static str, ExtensionCodec>,
    /// Extension names by extendee's full name.
    by_extendee: HashMap<&'static str, Vec<&'static str>>,
}

/// How one registered extension is read and written (`[pkg.ext]` keys and fields). The
/// functions work on the extendee's unknown fields, where extensions live.
#[derive(Clone, Copy)]
pub(crate) struct ExtensionCodec {
    pub(crate) extendee: &'static str,
    pub(crate) name: &'static str,
    pub(crate) number: u32,
    pub(crate) merge_json:
        fn(&ExtensionCodec, &mut UnknownFields, &mut JsonParser<'_, '_>) -> Result<(), JsonError>,
    pub(crate) write_json:
        fn(&ExtensionCodec, &UnknownFields, &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>,
    pub(crate) merge_text:
        fn(&ExtensionCodec, &mut UnknownFields, &mut TextParser<'_, '_>) -> Result<(), TextError>,
    pub(crate) write_text:
        fn(&ExtensionCodec, &UnknownFields, &mut TextWriter<'_, '_>) -> std::fmt::Result,
    /// Decodes the extension's value (if present), for [`TypeRegistry::check_extensions`].
    pub(crate) check: fn(&ExtensionCodec, &UnknownFields) -> Result<(), DecodeError>,
}

/// Runs `f` on a default `M` holding `unknown` (moved in and back out).
fn with_extendee<M: Message + Default, R>(
    unknown: &mut UnknownFields,
    f: impl FnOnce(&mut M) -> R,
) -> R {
    let mut message = M::default();
    std::mem::swap(message.mutable_unknown_fields(), unknown);
    let result = f(&mut message);
    std::mem::swap(message.mutable_unknown_fields(), unknown);
    result
}

fn merge_json_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &mut UnknownFields,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if skip_null::<K>(p)? {
        return Ok(());
    }
    let mut value = K::Value::default();
    if <K as JsonType>::read(&mut value, p)? {
        let ext = Extension::<M, K>::new(codec.number, codec.name);
        with_extendee::<M, _>(unknown, |m| ext.set(m, &value));
    }
    Ok(())
}

fn write_json_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let mut message = M::default();
    message.mutable_unknown_fields().merge_from(unknown);
    let ext = Extension::<M, K>::new(codec.number, codec.name);
    let value = ext
        .get(&message)
        .map_err(|_| p.error(JsonErrorKind::InvalidValue("an extension does not decode")))?;
    if let Some(value) = value {
        p.writer().key(&format!("[{}]", codec.name));
        <K as JsonType>::write(&value, p)?;
    }
    Ok(())
}

fn write_text_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
    w: &mut TextWriter<'_, '_>,
) -> std::fmt::Result {
    let mut message = M::default();
    message.mutable_unknown_fields().merge_from(unknown);
    let ext = Extension::<M, K>::new(codec.number, codec.name);
    match ext.get(&message) {
        Ok(Some(value)) => w.field(&format!("[{}]", codec.name), |w| K::fmt_text(&value, w)),
        // Absent, or bytes that do not decode (printed as unknown fields instead).
        _ => Ok(()),
    }
}

fn merge_text_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &mut UnknownFields,
    p: &mut TextParser<'_, '_>,
) -> Result<(), TextError> {
    p.field_colon(K::MESSAGE)?;
    let mut value = K::Value::default();
    <K as TextType>::read(&mut value, p)?;
    let ext = Extension::<M, K>::new(codec.number, codec.name);
    with_extendee::<M, _>(unknown, |m| ext.set(m, &value));
    Ok(())
}

fn check_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
) -> Result<(), DecodeError> {
    let mut message = M::default();
    message.mutable_unknown_fields().merge_from(unknown);
    Extension::<M, K>::new(codec.number, codec.name)
        .get(&message)
        .map(drop)
}

impl std::fmt::Debug for TypeRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.types.keys().collect();
        names.sort();
        let mut extensions: Vec<_> = self.extensions.keys().collect();
        extensions.sort();
        f.debug_struct("TypeRegistry")
            .field("types", &names)
            .field("extensions", &extensions)
            .finish()
    }
}

fn write_any<M: JsonMessage + Default>(
    bytes: &[u8],
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let message = M::parse_from_slice(bytes).map_err(|_| {
        p.error(JsonErrorKind::InvalidValue(
            "Any value does not parse as its type",
        ))
    })?;
    write_any_members(&message, p)
}

fn merge_any<M: JsonMessage + Default>(
    p: &mut JsonParser<'_, '_>,
    out: &mut Vec<u8>,
) -> Result<(), JsonError> {
    let mut message = M::default();
    merge_any_members(&mut message, p)?;
    message.serialize_into_vec(out).map_err(|_| {
        p.reader()
            .value_error(JsonErrorKind::InvalidValue("Any value does not serialize"))
    })
}

impl TypeRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        TypeRegistry::default()
    }

    /// A registry holding the well-known types (`google.protobuf.*`).
    pub fn with_well_known() -> Self {
        use crate::well_known::*;
        let mut r = TypeRegistry::new();
        r.add::<Any>()
            .add::<Api>()
            .add::<BoolValue>()
            .add::<BytesValue>()
            .add::<DoubleValue>()
            .add::<Duration>()
            .add::<Empty>()
            .add::<Enum>()
            .add::<EnumValue>()
            .add::<Field>()
            .add::<FieldMask>()
            .add::<FloatValue>()
            .add::<Int32Value>()
            .add::<Int64Value>()
            .add::<ListValue>()
            .add::<Method>()
            .add::<Mixin>()
            .add::<Option>()
            .add::<SourceContext>()
            .add::<StringValue>()
            .add::<Struct>()
            .add::<Timestamp>()
            .add::<Type>()
            .add::<UInt32Value>()
            .add::<UInt64Value>()
            .add::<Value>();
        r
    }

    /// Registers `M` under its full name ([`Message::NAME`](crate::Message::NAME)).
    pub fn add<M: JsonMessage + TextMessage + Default>(&mut self) -> &mut Self {
        self.types.insert(
            M::NAME,
            AnyCodec {
                write: write_any::<M>,
                merge: merge_any::<M>,
                merge_text: merge_any_payload::<M>,
            },
        );
        self
    }

    /// Whether a type of this full name is registered.
    pub fn contains(&self, full_name: &str) -> bool {
        self.types.contains_key(full_name)
    }

    pub(crate) fn get(&self, full_name: &str) -> Option<AnyCodec> {
        self.types.get(full_name).copied()
    }

    /// Registers a (singular) proto2 extension, so that it is read from and written to JSON
    /// (`"[pkg.ext]": value`) and read from text format (`[pkg.ext]: value`).
    pub fn add_extension<M: Message + Default, K: JsonType + TextType>(
        &mut self,
        extension: &Extension<M, K>,
    ) -> &mut Self {
        let codec = ExtensionCodec {
            extendee: M::NAME,
            name: extension.name(),
            number: extension.number(),
            merge_json: merge_json_extension::<M, K>,
            write_json: write_json_extension::<M, K>,
            merge_text: merge_text_extension::<M, K>,
            write_text: write_text_extension::<M, K>,
            check: check_extension::<M, K>,
        };
        if self.extensions.insert(codec.name, codec).is_none() {
            self.by_extendee
                .entry(M::NAME)
                .or_default()
                .push(codec.name);
        }
        self
    }

    /// Checks that every registered extension `message` holds decodes as its type (a
    /// string extension is valid UTF-8, an enum or integer a valid varint, ...), as a parser
    /// that knows the extensions checks them while parsing: extensions arrive as unknown
    /// fields, so `merge_from_slice` alone accepts any bytes under their numbers. Call it
    /// after parsing to reject what C++ rejects. Only `message`'s own extensions are checked,
    /// not those of messages nested in it.
    ///
    /// # Errors
    ///
    /// The [`DecodeError`] of the first registered extension whose bytes do not decode.
    pub fn check_extensions<M: Message>(&self, message: &M) -> Result<(), DecodeError> {
        let unknown = message.unknown_fields();
        if unknown.is_empty() {
            return Ok(());
        }
        self.extensions_of(M::NAME)
            .try_for_each(|codec| (codec.check)(&codec, unknown))
    }

    /// The extension of `extendee` with full name `name`.
    pub(crate) fn extension(&self, extendee: &str, name: &str) -> Option<ExtensionCodec> {
        self.extensions
            .get(name)
            .filter(|c| c.extendee == extendee)
            .copied()
    }

    /// The extensions of `extendee`, in registration order.
    pub(crate) fn extensions_of<'s>(
        &'s self,
        extendee: &str,
    ) -> impl Iterator<Item = ExtensionCodec> + 's {
        self.by_extendee
            .get(extendee)
            .into_iter()
            .flatten()
            .filter_map(|name| self.extensions.get(name).copied())
    }
}
