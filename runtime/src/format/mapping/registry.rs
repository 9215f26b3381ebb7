//! [`TypeRegistry`]: the one registry of message types (generated ones, registered by type,
//! and descriptor pools), extensions, and how `Any` values resolve their type URL, used by
//! `Any` unpacking into [`DynamicMessage`], JSON and text format.

use super::support::{merge_repeated_values, skip_null, JsonType};
use super::well_known::{merge_any_members, write_any_members};
use super::{JsonMessage, JsonParser, JsonPrinter};
use crate::field::UnknownFields;
use crate::format::json::{JsonError, JsonErrorKind};
use crate::format::text::parse::{list, merge_any_payload, merge_any_payload_into, TextType};
use crate::format::text::{TextError, TextMessage, TextParser};
use crate::reflect::{
    holds_messages, AnyError, DescriptorPool, DynamicMessage, FieldDescriptor, MessageDescriptor,
    ReflectMessage,
};
use crate::text::TextWriter;
use crate::well_known::Any;
use crate::{DecodeError, Extension, Message, RepeatedExtension};
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

/// The types a program knows by name: generated message types (registered with
/// [`add`](Self::add)), extensions ([`add_extension`](Self::add_extension),
/// [`add_repeated_extension`](Self::add_repeated_extension)) and descriptor pools
/// ([`add_pool`](Self::add_pool)). One registry serves everything that resolves a name at
/// run time:
///
/// - `Any` type URLs when JSON or text format prints or parses an `Any` (a registered
///   generated type first, else a pool's message as a [`DynamicMessage`]);
/// - [`unpack`](Self::unpack) of an `Any` into a [`DynamicMessage`] (C++ `TypeResolver`,
///   Go's `protoregistry.Types`);
/// - `[pkg.ext]` extensions in JSON and text, for generated and dynamic messages alike.
///
/// C++ resolves all of these through its generated descriptor pool; zpb asks for them to be
/// registered. `zpb::reflect::TypeRegistry` is this same type.
///
/// ```
/// use zpb::format::TypeRegistry;
/// use zpb::reflect::AnyError;
/// use zpb::well_known::Any;
///
/// let mut registry = TypeRegistry::with_well_known();
/// registry.add::<zpb::well_known::Api>();
/// assert!(registry.contains("google.protobuf.Api"));
/// assert!(registry.contains("google.protobuf.Timestamp"));
/// let any = Any { type_url: "type.googleapis.com/nowhere.Nothing".into(), ..Default::default() };
/// assert!(matches!(registry.unpack(&any), Err(AnyError::UnknownType(_))));
/// ```
#[derive(Clone, Default)]
pub struct TypeRegistry {
    types: HashMap<&'static str, AnyCodec>,
    /// Extensions by full name.
    extensions: HashMap<&'static str, ExtensionCodec>,
    /// Extension names by extendee's full name.
    by_extendee: HashMap<&'static str, Vec<&'static str>>,
    /// Pools whose messages `Any` values may hold (earlier pools win).
    pools: Vec<DescriptorPool>,
    /// The pools' extensions by extendee's full name (in pool order).
    pool_extensions: HashMap<Box<str>, Vec<FieldDescriptor>>,
}

/// How an `Any`'s payload type is known: a registered generated type, or a pool's message
/// (handled as a [`DynamicMessage`]).
pub(crate) enum AnyType {
    /// A type registered with [`TypeRegistry::add`].
    Generated(AnyCodec),
    /// A message of a registered pool.
    Dynamic(MessageDescriptor),
}

impl AnyType {
    /// Decodes the payload `bytes` and writes its members (after `@type`).
    pub(super) fn write_json(
        &self,
        bytes: &[u8],
        p: &mut JsonPrinter<'_, '_>,
    ) -> Result<(), JsonError> {
        match self {
            AnyType::Generated(codec) => (codec.write)(bytes, p),
            AnyType::Dynamic(desc) => {
                let message = DynamicMessage::decode(desc.clone(), bytes)
                    .map_err(|_| p.error(JsonErrorKind::InvalidValue(ANY_DOES_NOT_PARSE)))?;
                write_any_members(&message, p)
            }
        }
    }

    /// Reads the members of the open object and appends the encoded message.
    pub(super) fn merge_json(
        &self,
        p: &mut JsonParser<'_, '_>,
        out: &mut Vec<u8>,
    ) -> Result<(), JsonError> {
        match self {
            AnyType::Generated(codec) => (codec.merge)(p, out),
            AnyType::Dynamic(desc) => {
                merge_any_into(&mut DynamicMessage::new(desc.clone()), p, out)
            }
        }
    }

    /// Reads an expanded `Any`'s message in text format and appends its encoding.
    pub(crate) fn merge_text(
        &self,
        p: &mut TextParser<'_, '_>,
        out: &mut Vec<u8>,
    ) -> Result<(), TextError> {
        match self {
            AnyType::Generated(codec) => (codec.merge_text)(p, out),
            AnyType::Dynamic(desc) => {
                merge_any_payload_into(&mut DynamicMessage::new(desc.clone()), p, out)
            }
        }
    }
}

/// The error for an `Any` payload that does not parse as its type.
const ANY_DOES_NOT_PARSE: &str = "Any value does not parse as its type";

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

/// A default `M` holding a copy of `unknown`, to read extensions from.
fn extendee_holding<M: Message + Default>(unknown: &UnknownFields) -> M {
    let mut message = M::default();
    message.mutable_unknown_fields().merge_from(unknown);
    message
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
    let message = extendee_holding::<M>(unknown);
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
    let message = extendee_holding::<M>(unknown);
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

fn merge_json_repeated_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &mut UnknownFields,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    let mut values = Vec::new();
    merge_repeated_values::<K>(p, |v| values.push(v))?;
    let ext = RepeatedExtension::<M, K>::new(codec.number, codec.name);
    with_extendee::<M, _>(unknown, |m| values.iter().for_each(|v| ext.add(m, v)));
    Ok(())
}

fn write_json_repeated_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let message = extendee_holding::<M>(unknown);
    let ext = RepeatedExtension::<M, K>::new(codec.number, codec.name);
    let values = ext
        .get(&message)
        .map_err(|_| p.error(JsonErrorKind::InvalidValue("an extension does not decode")))?;
    if !values.is_empty() {
        p.writer().key(&format!("[{}]", codec.name));
        p.writer().begin_array();
        for value in &values {
            <K as JsonType>::write(value, p)?;
        }
        p.writer().end_array();
    }
    Ok(())
}

fn write_text_repeated_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
    w: &mut TextWriter<'_, '_>,
) -> std::fmt::Result {
    let message = extendee_holding::<M>(unknown);
    let ext = RepeatedExtension::<M, K>::new(codec.number, codec.name);
    // Bytes that do not decode are printed as unknown fields instead.
    let name = format!("[{}]", codec.name);
    for value in ext.get(&message).unwrap_or_default() {
        w.field(&name, |w| K::fmt_text(&value, w))?;
    }
    Ok(())
}

fn merge_text_repeated_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &mut UnknownFields,
    p: &mut TextParser<'_, '_>,
) -> Result<(), TextError> {
    p.field_colon(K::MESSAGE)?;
    let ext = RepeatedExtension::<M, K>::new(codec.number, codec.name);
    list(p, |p| {
        let mut value = K::Value::default();
        <K as TextType>::read(&mut value, p)?;
        with_extendee::<M, _>(unknown, |m| ext.add(m, &value));
        Ok(())
    })
}

fn check_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
) -> Result<(), DecodeError> {
    let message = extendee_holding::<M>(unknown);
    Extension::<M, K>::new(codec.number, codec.name)
        .get(&message)
        .map(drop)
}

fn check_repeated_extension<M: Message + Default, K: JsonType + TextType>(
    codec: &ExtensionCodec,
    unknown: &UnknownFields,
) -> Result<(), DecodeError> {
    let message = extendee_holding::<M>(unknown);
    RepeatedExtension::<M, K>::new(codec.number, codec.name)
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
            .field("pools", &self.pools)
            .finish()
    }
}

fn write_any<M: JsonMessage + Default>(
    bytes: &[u8],
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let message = M::parse_from_slice(bytes)
        .map_err(|_| p.error(JsonErrorKind::InvalidValue(ANY_DOES_NOT_PARSE)))?;
    write_any_members(&message, p)
}

fn merge_any<M: JsonMessage + Default>(
    p: &mut JsonParser<'_, '_>,
    out: &mut Vec<u8>,
) -> Result<(), JsonError> {
    merge_any_into(&mut M::default(), p, out)
}

/// Reads the members of an `Any` into `message` and appends its encoding to `out`.
fn merge_any_into<M: JsonMessage>(
    message: &mut M,
    p: &mut JsonParser<'_, '_>,
    out: &mut Vec<u8>,
) -> Result<(), JsonError> {
    merge_any_members(message, p)?;
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

    /// Adds the message types and extensions of `pool`: `Any` values holding its types are
    /// printed, parsed and unpacked as [`DynamicMessage`]s (a type registered with
    /// [`add`](Self::add) wins; among pools, earlier ones win), and its extensions are read
    /// and written as `[pkg.ext]` on any message (generated or dynamic) they extend.
    pub fn add_pool(&mut self, pool: DescriptorPool) -> &mut Self {
        for ext in pool.all_extensions() {
            let extendee = ext.containing_message().full_name().into();
            self.pool_extensions.entry(extendee).or_default().push(ext);
        }
        self.pools.push(pool);
        self
    }

    /// The pools' extension of `extendee` with full name `name` (one registered with
    /// [`add_extension`](Self::add_extension) wins).
    pub(crate) fn pool_extension(&self, extendee: &str, name: &str) -> Option<&FieldDescriptor> {
        if self.extensions.contains_key(name) {
            return None;
        }
        self.pool_extensions
            .get(extendee)?
            .iter()
            .find(|e| e.full_name() == name)
    }

    /// The pools' extensions of `extendee` (but those registered by type).
    pub(crate) fn pool_extensions_of<'s>(
        &'s self,
        extendee: &str,
    ) -> impl Iterator<Item = &'s FieldDescriptor> + 's {
        self.pool_extensions
            .get(extendee)
            .into_iter()
            .flatten()
            .filter(|e| !self.extensions.contains_key(e.full_name()))
    }

    /// Whether a message type of this full name is registered, by type or in a pool.
    pub fn contains(&self, full_name: &str) -> bool {
        self.types.contains_key(full_name) || self.find_message(full_name).is_some()
    }

    /// The pools' message type of this full name.
    pub fn find_message(&self, full_name: &str) -> Option<MessageDescriptor> {
        self.pools
            .iter()
            .find_map(|p| p.get_message_by_name(full_name))
    }

    /// The pools' message type a type URL names (what follows its last `/`).
    pub fn find(&self, type_url: &str) -> Result<MessageDescriptor, AnyError> {
        let name = crate::reflect::type_name_of(type_url)?;
        self.find_message(name)
            .ok_or_else(|| AnyError::UnknownType(name.to_string()))
    }

    /// The message in `any`, as a dynamic message of the pool type its URL names.
    pub fn unpack(&self, any: &Any) -> Result<DynamicMessage, AnyError> {
        let desc = self.find(&any.type_url)?;
        Ok(DynamicMessage::decode(desc, &any.value)?)
    }

    /// How an `Any` holding the type `full_name` is printed and parsed.
    pub(crate) fn any_type(&self, full_name: &str) -> Option<AnyType> {
        match self.types.get(full_name) {
            Some(codec) => Some(AnyType::Generated(*codec)),
            None => self.find_message(full_name).map(AnyType::Dynamic),
        }
    }

    /// Registers a (singular) proto2 extension, so that it is read from and written to JSON
    /// (`"[pkg.ext]": value`) and text format (`[pkg.ext]: value`).
    pub fn add_extension<M: Message + Default, K: JsonType + TextType>(
        &mut self,
        extension: &Extension<M, K>,
    ) -> &mut Self {
        self.insert_extension(ExtensionCodec {
            extendee: M::NAME,
            name: extension.name(),
            number: extension.number(),
            merge_json: merge_json_extension::<M, K>,
            write_json: write_json_extension::<M, K>,
            merge_text: merge_text_extension::<M, K>,
            write_text: write_text_extension::<M, K>,
            check: check_extension::<M, K>,
        })
    }

    /// Registers a repeated extension: a JSON array (`"[pkg.ext]": [a, b]`), and in text
    /// format one `[pkg.ext]: value` per element (a `[a, b]` list is read too).
    pub fn add_repeated_extension<M: Message + Default, K: JsonType + TextType>(
        &mut self,
        extension: &RepeatedExtension<M, K>,
    ) -> &mut Self {
        self.insert_extension(ExtensionCodec {
            extendee: M::NAME,
            name: extension.name(),
            number: extension.number(),
            merge_json: merge_json_repeated_extension::<M, K>,
            write_json: write_json_repeated_extension::<M, K>,
            merge_text: merge_text_repeated_extension::<M, K>,
            write_text: write_text_repeated_extension::<M, K>,
            check: check_repeated_extension::<M, K>,
        })
    }

    fn insert_extension(&mut self, codec: ExtensionCodec) -> &mut Self {
        if self.extensions.insert(codec.name, codec).is_none() {
            self.by_extendee
                .entry(codec.extendee)
                .or_default()
                .push(codec.name);
        }
        self
    }

    /// Checks that every registered extension held by `message` or by any message nested
    /// in it (singular, repeated and map-value fields, at every depth) decodes as its type
    /// (a string extension is valid UTF-8, an enum or integer a valid varint, ...), as a
    /// parser that knows the extensions checks them while parsing: extensions arrive as
    /// unknown fields, so `merge_from_slice` alone accepts any bytes under their numbers.
    /// Call it after parsing to reject what C++ rejects. Extensions registered by type and
    /// those of added pools are both checked; the messages are walked through reflection
    /// with a work list, so any depth takes no stack (the parse bounded it by its recursion
    /// limit). The payload of an `Any` is bytes, not a nested message, and is not entered.
    ///
    /// # Errors
    ///
    /// The [`DecodeError`] of the first registered extension whose bytes do not decode.
    pub fn check_extensions(&self, message: &dyn ReflectMessage) -> Result<(), DecodeError> {
        let mut pending = vec![message];
        while let Some(m) = pending.pop() {
            let unknown = m.reflect_unknown_fields();
            if !unknown.is_empty() {
                let desc = m.descriptor();
                let extendee = desc.full_name();
                for codec in self.extensions_of(extendee) {
                    (codec.check)(&codec, unknown)?;
                }
                for ext in self.pool_extensions_of(extendee) {
                    crate::reflect::pool_extensions::check(ext, unknown)?;
                }
            }
            // A message's reflection agrees with its own descriptor, so the calls below
            // cannot fail; a field that did would have nothing to check.
            for f in m.reflect_fields() {
                if !holds_messages(&f) {
                    continue;
                }
                if f.is_map() {
                    for key in m.reflect_map_keys(&f).unwrap_or_default() {
                        pending.extend(m.reflect_map_message(&f, &key).ok().flatten());
                    }
                } else if f.is_list() {
                    for i in 0..m.reflect_len(&f).unwrap_or(0) {
                        pending.extend(m.reflect_message_element(&f, i).ok());
                    }
                } else {
                    pending.extend(m.reflect_message(&f).ok().flatten());
                }
            }
        }
        Ok(())
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
