//! The ProtoJSON mapping of whole messages, on top of [`json`](super::json)'s reader and
//! writer: the [`JsonMessage`] trait (implemented by `#[derive(zpb::Message)]`, so by
//! generated code too), its [`JsonOptions`], the printer and parser state, the well-known
//! types' special forms and the [`TypeRegistry`] that `Any` needs.
//!
//! ```
//! use zpb::format::{JsonOptions, JsonMessage};
//! use zpb::well_known::Duration;
//! let d = Duration { seconds: 3, nanos: 500_000_000, ..Default::default() };
//! let text = zpb::format::to_json(&d, &JsonOptions::default()).unwrap();
//! assert_eq!(text, "\"3.500s\"");
//! let mut back = Duration::default();
//! zpb::format::merge_json(&mut back, text.as_bytes(), &JsonOptions::default()).unwrap();
//! assert_eq!(back, d);
//! ```
//!
//! Field functions for generated code are in [`support`] (reached as
//! `zpb::__private::json`): not public API.

mod registry;
pub mod support;
mod well_known;

pub use registry::TypeRegistry;
pub use well_known::WellKnownJson;

use crate::format::json::{
    JsonError, JsonErrorKind, JsonReader, JsonWriter, WriteOptions, DEFAULT_MAX_DEPTH,
};
use crate::format::Position;
use crate::Message;

/// How messages are printed and parsed as JSON (C++ `JsonPrintOptions` /
/// `JsonParseOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonOptions {
    /// Print fields that hold their default value (implicit-presence scalars, empty repeated
    /// fields and maps) instead of leaving them out.
    pub emit_defaults: bool,
    /// Print the proto field names (`foo_bar`) instead of the JSON names (`fooBar`).
    pub proto_names: bool,
    /// Print enum values as numbers instead of names.
    pub enums_as_ints: bool,
    /// When parsing, skip keys that name no field and enum names the enum does not
    /// declare, instead of failing.
    pub ignore_unknown_fields: bool,
    /// When parsing, the deepest nesting of objects and arrays accepted (at most
    /// [`json::MAX_DEPTH`](crate::format::json::MAX_DEPTH)).
    pub max_depth: u32,
    /// Layout of the printed JSON (compact by default).
    pub layout: WriteOptions,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            emit_defaults: false,
            proto_names: false,
            enums_as_ints: false,
            ignore_unknown_fields: false,
            max_depth: DEFAULT_MAX_DEPTH,
            layout: WriteOptions::default(),
        }
    }
}

/// A message with a ProtoJSON form. `#[derive(zpb::Message)]` implements it; the well-known
/// types with a special form (`Timestamp`, `Any`, `Struct`, the wrappers, ...) route it to
/// [`WellKnownJson`]. [`DynamicMessage`](crate::reflect::DynamicMessage) implements it by
/// its descriptor, with the same output.
pub trait JsonMessage: Message {
    /// Whether JSON `null` is a value of this type (`google.protobuf.Value`), rather than
    /// "field not set".
    const JSON_NULL: bool = false;
    /// Whether the type's JSON form is not an object of its fields (a well-known type with
    /// a special form): inside an `Any` it goes under `"value"`.
    const SPECIAL_FORM: bool = false;

    /// Whether this message's JSON form is special ([`SPECIAL_FORM`](Self::SPECIAL_FORM) for a
    /// generated type; a [`DynamicMessage`](crate::reflect::DynamicMessage) answers by its
    /// type's name).
    fn has_special_form(&self) -> bool {
        Self::SPECIAL_FORM
    }

    /// Writes the message's members (keys and values) into an object already open.
    fn write_json_members(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>;

    /// Reads the members of an object already opened, up to and including its `}`. With
    /// `in_any`, the key `@type` is skipped (the caller read it).
    fn merge_json_members(
        &mut self,
        p: &mut JsonParser<'_, '_>,
        in_any: bool,
    ) -> Result<(), JsonError>;

    /// Writes the message's JSON value.
    fn write_json(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().begin_object();
        self.write_json_members(p)?;
        p.writer().end_object();
        Ok(())
    }

    /// Merges one JSON value into the message.
    fn merge_json(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        p.reader().begin_object()?;
        self.merge_json_members(p, false)
    }
}

/// The printer state: the writer, the options and the type registry for `Any`.
pub struct JsonPrinter<'o, 'r> {
    writer: JsonWriter<'o>,
    options: JsonOptions,
    registry: &'r TypeRegistry,
}

impl<'o, 'r> JsonPrinter<'o, 'r> {
    /// A printer appending to `out`.
    pub fn new(out: &'o mut String, options: JsonOptions, registry: &'r TypeRegistry) -> Self {
        JsonPrinter {
            writer: JsonWriter::new(out, options.layout),
            options,
            registry,
        }
    }

    /// The JSON writer.
    #[inline]
    pub fn writer(&mut self) -> &mut JsonWriter<'o> {
        &mut self.writer
    }

    /// The options in force.
    #[inline]
    pub fn options(&self) -> &JsonOptions {
        &self.options
    }

    /// The registry `Any` values are printed through.
    pub fn registry(&self) -> &'r TypeRegistry {
        self.registry
    }

    /// Writes a field's key: its JSON name, or its proto name with
    /// [`JsonOptions::proto_names`].
    pub fn field_key(&mut self, json_name: &str, proto_name: &str) {
        let key = if self.options.proto_names {
            proto_name
        } else {
            json_name
        };
        self.writer.key(key);
    }

    /// Writes a generated field's key (see [`field_key`](Self::field_key)).
    #[inline]
    pub fn key(&mut self, key: support::FieldKey) {
        let name = if self.options.proto_names {
            key.proto
        } else {
            key.json
        };
        if key.quoted {
            self.writer.key_quoted(name);
        } else {
            self.writer.key(name);
        }
    }

    /// Writes the registered extensions of `extendee` that `unknown` holds, as
    /// `"[pkg.ext]": value` members.
    #[inline(always)]
    pub fn write_extensions(
        &mut self,
        extendee: &str,
        unknown: &crate::UnknownFields,
    ) -> Result<(), JsonError> {
        if unknown.is_empty() {
            return Ok(());
        }
        self.write_held_extensions(extendee, unknown)
    }

    /// [`write_extensions`](Self::write_extensions) when there are unknown fields.
    fn write_held_extensions(
        &mut self,
        extendee: &str,
        unknown: &crate::UnknownFields,
    ) -> Result<(), JsonError> {
        let registry = self.registry;
        for codec in registry.extensions_of(extendee) {
            (codec.write_json)(&codec, unknown, self)?;
        }
        for ext in registry.pool_extensions_of(extendee) {
            crate::reflect::pool_extensions::write_json(ext, unknown, self)?;
        }
        Ok(())
    }

    /// An error found while printing (it has no input position).
    pub fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            position: Position::default(),
        }
    }
}

/// The parser state: the reader over the input, the options, the registry for `Any` and a
/// scratch buffer for escaped strings (allocated only if one comes).
pub struct JsonParser<'a, 'r> {
    reader: JsonReader<'a>,
    input: &'a [u8],
    options: JsonOptions,
    registry: &'r TypeRegistry,
    scratch: String,
}

impl<'a, 'r> JsonParser<'a, 'r> {
    /// A parser over `input`.
    pub fn new(input: &'a [u8], options: JsonOptions, registry: &'r TypeRegistry) -> Self {
        JsonParser {
            reader: JsonReader::new(input).with_max_depth(options.max_depth),
            input,
            options,
            registry,
            scratch: String::new(),
        }
    }

    /// The JSON reader.
    #[inline]
    pub fn reader(&mut self) -> &mut JsonReader<'a> {
        &mut self.reader
    }

    /// The whole input.
    #[inline]
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The options in force.
    #[inline]
    pub fn options(&self) -> &JsonOptions {
        &self.options
    }

    /// The registry `Any` values are parsed through.
    pub fn registry(&self) -> &'r TypeRegistry {
        self.registry
    }

    /// The reader and the scratch buffer, borrowed together (to read a string).
    #[inline]
    pub fn reader_and_scratch(&mut self) -> (&mut JsonReader<'a>, &mut String) {
        (&mut self.reader, &mut self.scratch)
    }

    /// Reads a string value (borrowed from the input, or decoded into the scratch buffer).
    pub fn read_str(&mut self) -> Result<&str, JsonError> {
        self.reader.read_str(&mut self.scratch)
    }

    /// Handles a key that names no field: skips its value with
    /// [`JsonOptions::ignore_unknown_fields`], else fails with the key's position at `at`.
    pub fn unknown_key(&mut self, key: &str, at: usize) -> Result<(), JsonError> {
        if self.options.ignore_unknown_fields {
            self.reader.skip_value()
        } else {
            Err(self
                .reader
                .error_at(at, JsonErrorKind::UnknownField(key.to_owned())))
        }
    }

    /// Reads the value of a `"[pkg.ext]"` key into `unknown` if `key` names an extension of
    /// `extendee` in the registry; `false` (nothing read) otherwise.
    pub fn merge_extension(
        &mut self,
        extendee: &str,
        key: &str,
        unknown: &mut crate::UnknownFields,
    ) -> Result<bool, JsonError> {
        let Some(name) = key.strip_prefix('[').and_then(|k| k.strip_suffix(']')) else {
            return Ok(false);
        };
        let registry = self.registry;
        if let Some(codec) = registry.extension(extendee, name) {
            return (codec.merge_json)(&codec, unknown, self).map(|()| true);
        }
        match registry.pool_extension(extendee, name) {
            Some(ext) => {
                crate::reflect::pool_extensions::merge_json(ext, unknown, self).map(|()| true)
            }
            None => Ok(false),
        }
    }

    /// Marks field `index` seen in `seen`; a field seen before (under either of its names)
    /// is a duplicate key, reported at `at`.
    #[inline]
    pub fn mark_seen(&self, seen: &mut [u64], index: usize, at: usize) -> Result<(), JsonError> {
        if support::first_sight(seen, index) {
            Ok(())
        } else {
            self.duplicate_key(at)
        }
    }

    /// The error for a key whose field was seen before in the same object, at `at`.
    pub fn duplicate_key(&self, at: usize) -> Result<(), JsonError> {
        Err(self.reader.error_at(at, JsonErrorKind::DuplicateKey))
    }

    /// Replaces the reader (used to re-read an `Any`'s object once its type is known).
    pub(crate) fn swap_reader(&mut self, reader: JsonReader<'a>) -> JsonReader<'a> {
        std::mem::replace(&mut self.reader, reader)
    }
}

/// The registry used when none is given: the well-known types.
fn default_registry() -> &'static TypeRegistry {
    static REGISTRY: std::sync::OnceLock<TypeRegistry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(TypeRegistry::with_well_known)
}

/// Prints `message` as JSON (`Any` values through the well-known types only).
pub fn to_json<M: JsonMessage>(message: &M, options: &JsonOptions) -> Result<String, JsonError> {
    let mut out = String::new();
    write_json(message, &mut out, options, default_registry())?;
    Ok(out)
}

/// Appends `message` as JSON to `out`, printing `Any` values through `registry`.
pub fn write_json<M: JsonMessage>(
    message: &M,
    out: &mut String,
    options: &JsonOptions,
    registry: &TypeRegistry,
) -> Result<(), JsonError> {
    let mut printer = JsonPrinter::new(out, *options, registry);
    message.write_json(&mut printer)
}

/// Merges the JSON document `input` into `message` (`Any` values through the well-known
/// types only). Parse into a cleared message for C++ `JsonStringToMessage`.
pub fn merge_json<M: JsonMessage>(
    message: &mut M,
    input: &[u8],
    options: &JsonOptions,
) -> Result<(), JsonError> {
    merge_json_with(message, input, options, default_registry())
}

/// Merges the JSON document `input` into `message`, parsing `Any` values through
/// `registry`.
pub fn merge_json_with<M: JsonMessage>(
    message: &mut M,
    input: &[u8],
    options: &JsonOptions,
    registry: &TypeRegistry,
) -> Result<(), JsonError> {
    let mut parser = JsonParser::new(input, *options, registry);
    message.merge_json(&mut parser)?;
    parser.reader().finish()
}
