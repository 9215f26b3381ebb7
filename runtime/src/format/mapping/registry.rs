//! [`TypeRegistry`]: the message types an `Any` may hold in JSON, by full name.

use super::well_known::{merge_any_members, write_any_members};
use super::{JsonMessage, JsonParser, JsonPrinter};
use crate::format::json::{JsonError, JsonErrorKind};
use crate::format::text::parse::merge_any_payload;
use crate::format::text::{TextError, TextMessage, TextParser};
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
}

impl std::fmt::Debug for TypeRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.types.keys().collect();
        names.sort();
        f.debug_struct("TypeRegistry")
            .field("types", &names)
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
}
