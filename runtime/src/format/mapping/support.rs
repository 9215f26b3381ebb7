//! Support for generated code (reached as `zpb::__private::json`): the JSON form of each
//! [`Kind`] ([`JsonType`], [`JsonKey`] for map keys), generic print/parse functions per field
//! container (the same containers as the binary codec's), and [`JsonOneof`]. The derive
//! only routes each field here, so the mapping rules exist once. Not public API.

use super::{JsonMessage, JsonParser, JsonPrinter};
use crate::codec::map::{spare_entry, unused_entry, Entry};
use crate::codec::{
    Bool, Bytes, ClosedEnum, Double, Enum, Fixed32, Fixed64, Float, Grp, Int32, Int64, Kind,
    MapField, Msg, PresenceField, RepeatedField, SFixed32, SFixed64, SInt32, SInt64, SharedBytes,
    Str, StringBuf, UInt32, UInt64, Utf8,
};
use crate::field::{Enumeration, OpenEnum};
use crate::format::json::{JsonError, JsonErrorKind, JsonKind, JsonNumber};
use crate::format::{is_null_value_name, EnumNames, GeneratedEnum, KeyBuf, StringSink};
use crate::UnknownFields;
use std::fmt::Write as _;

/// The JSON form of one protobuf type.
pub trait JsonType: Kind {
    /// Whether JSON `null` is a value of this type (`google.protobuf.Value`, `NullValue`)
    /// rather than "not set".
    const ACCEPTS_NULL: bool = false;
    /// Whether [`read`](Self::read) may skip a value (an unknown enum name, ignored): then
    /// callers read into a temporary so the field is not marked set.
    const MAY_SKIP: bool = false;
    /// Writes one value.
    fn write(value: &Self::Value, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>;
    /// Reads one value into `value` (messages merge); `Ok(false)` if it was skipped.
    fn read(value: &mut Self::Value, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError>;
}

/// A type that can be a map key: JSON object keys are strings.
pub trait JsonKey: Kind {
    /// Writes the key.
    fn write_key(value: &Self::Value, p: &mut JsonPrinter<'_, '_>);
    /// Reads `key` into `value`; `false` if it is not a key of this type.
    fn read_key(key: &str, value: &mut Self::Value) -> bool;
    /// Reads the open object's next key into `value` (`scratch` holds an escaped key's
    /// text): `None` after the closing `}`, else whether it is a key of this type.
    fn next_key(
        p: &mut JsonParser<'_, '_>,
        value: &mut Self::Value,
        scratch: &mut KeyBuf,
    ) -> Result<Option<bool>, JsonError> {
        Ok(p.reader()
            .next_key(scratch)?
            .map(|key| Self::read_key(key, value)))
    }
}

macro_rules! scalar_json {
    ($($kind:ident: $t:ty, $write:ident, $read:ident;)*) => {$(
        impl JsonType for $kind {
            #[inline]
            fn write(value: &$t, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
                p.writer().$write(*value);
                Ok(())
            }
            #[inline]
            fn read(value: &mut $t, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
                *value = match p.reader().$read() {
                    Ok(v) => v,
                    Err(e) => escaped_number(p, e)?
                        .$read()
                        .map_err(|e| p.reader().value_error(e))?,
                };
                Ok(true)
            }
        }
    )*};
}

scalar_json! {
    Int32: i32, i32, read_i32;
    SInt32: i32, i32, read_i32;
    SFixed32: i32, i32, read_i32;
    UInt32: u32, u32, read_u32;
    Fixed32: u32, u32, read_u32;
    Int64: i64, i64, read_i64;
    SInt64: i64, i64, read_i64;
    SFixed64: i64, i64, read_i64;
    UInt64: u64, u64, read_u64;
    Fixed64: u64, u64, read_u64;
    Float: f32, f32, read_f32;
    Double: f64, f64, read_f64;
}

impl JsonType for Bool {
    fn write(value: &bool, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().bool(*value);
        Ok(())
    }
    fn read(value: &mut bool, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        *value = p.reader().read_bool()?;
        Ok(true)
    }
}

/// After the reader's numeric read failed with `error`: a quoted number with escapes
/// (`"\u0031"`), which the reader rejects without consuming it, decoded as the number's
/// text. Any other failure is `error` itself.
#[cold]
fn escaped_number(p: &mut JsonParser<'_, '_>, error: JsonError) -> Result<NumberText, JsonError> {
    let at = p.reader().value_offset();
    let raw = p.input().get(at..).unwrap_or_default();
    let closing = raw.iter().skip(1).position(|&b| b == b'"' || b == b'\\');
    let unread_escaped_string = p.reader().offset() == at
        && raw.first() == Some(&b'"')
        && closing.is_some_and(|i| raw[i + 1] == b'\\');
    if !unread_escaped_string {
        return Err(error);
    }
    let mut decoded = KeyBuf::new();
    let text = p.reader().read_str(&mut decoded)?;
    let mut number = NumberText::default();
    if text.len() > number.buf.len() {
        return Err(p.reader().error_at(at, JsonErrorKind::InvalidNumber));
    }
    number.buf[..text.len()].copy_from_slice(text.as_bytes());
    number.len = text.len();
    Ok(number)
}

/// The decoded text of an escaped quoted number (numbers longer than this are invalid).
#[derive(Default)]
struct NumberText {
    buf: [u8; 32],
    len: usize,
}

macro_rules! number_text_reads {
    ($($read:ident: $t:ty => |$n:ident| $conv:expr;)*) => {
        impl NumberText {
            $(
                fn $read(&self) -> Result<$t, JsonErrorKind> {
                    let text = std::str::from_utf8(&self.buf[..self.len])
                        .map_err(|_| JsonErrorKind::InvalidNumber)?;
                    let $n = JsonNumber::parse(text).ok_or(JsonErrorKind::InvalidNumber)?;
                    $conv
                }
            )*
        }
    };
}

number_text_reads! {
    read_i32: i32 => |n| n.to_int();
    read_u32: u32 => |n| n.to_int();
    read_i64: i64 => |n| n.to_int();
    read_u64: u64 => |n| n.to_int();
    read_f32: f32 => |n| n.to_f32();
    read_f64: f64 => |n| n.to_f64();
}

/// A map key written through its `Display` form (integers, `true`/`false`).
fn write_display_key(value: impl std::fmt::Display, p: &mut JsonPrinter<'_, '_>) {
    let mut key = KeyBuf::new();
    let _ = write!(key, "{value}");
    p.writer().key(key.as_str());
}

macro_rules! integer_key {
    ($($kind:ident: $t:ty;)*) => {$(
        impl JsonKey for $kind {
            fn write_key(value: &$t, p: &mut JsonPrinter<'_, '_>) {
                write_display_key(value, p)
            }
            fn read_key(key: &str, value: &mut $t) -> bool {
                // Digits with an optional `-`, nothing else (no `+`, spaces or exponents).
                let digits = key.strip_prefix('-').unwrap_or(key);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
                key.parse().map(|k| *value = k).is_ok()
            }
        }
    )*};
}

integer_key! {
    Int32: i32; SInt32: i32; SFixed32: i32; UInt32: u32; Fixed32: u32;
    Int64: i64; SInt64: i64; SFixed64: i64; UInt64: u64; Fixed64: u64;
}

impl JsonKey for Bool {
    fn write_key(value: &bool, p: &mut JsonPrinter<'_, '_>) {
        write_display_key(value, p)
    }
    fn read_key(key: &str, value: &mut bool) -> bool {
        match key {
            "true" => *value = true,
            "false" => *value = false,
            _ => return false,
        }
        true
    }
}

impl JsonKey for Str {
    fn write_key(value: &String, p: &mut JsonPrinter<'_, '_>) {
        p.writer().key(value)
    }
    fn read_key(key: &str, value: &mut String) -> bool {
        value.clear();
        value.push_str(key);
        true
    }
    /// Decodes the key straight into `value` (a kept key's storage), escapes included.
    fn next_key(
        p: &mut JsonParser<'_, '_>,
        value: &mut String,
        _scratch: &mut KeyBuf,
    ) -> Result<Option<bool>, JsonError> {
        Ok(p.reader().next_key_into(value)?.then_some(true))
    }
}

impl<S: StringBuf> JsonType for Utf8<S> {
    fn write(value: &S, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().string(value);
        Ok(())
    }
    /// Decodes straight into the kept buffer: with the capacity, any string is read without
    /// allocating.
    fn read(value: &mut S, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        p.reader().read_string_into(value)?;
        Ok(true)
    }
}

impl JsonType for Bytes {
    fn write(value: &Vec<u8>, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().bytes(value);
        Ok(())
    }
    fn read(value: &mut Vec<u8>, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        value.clear();
        let (reader, scratch) = p.reader_and_scratch();
        reader.read_bytes(scratch, value)?;
        Ok(true)
    }
}

impl JsonType for SharedBytes {
    fn write(value: &bytes::Bytes, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        p.writer().bytes(value);
        Ok(())
    }
    fn read(value: &mut bytes::Bytes, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        let mut decoded = Vec::new();
        let (reader, scratch) = p.reader_and_scratch();
        reader.read_bytes(scratch, &mut decoded)?;
        *value = bytes::Bytes::from(decoded);
        Ok(true)
    }
}

/// Writes an enum value: its name, or its number with [`enums_as_ints`] or when the enum
/// does not declare it; `null` for `NullValue`.
///
/// [`enums_as_ints`]: super::JsonOptions::enums_as_ints
pub(crate) fn write_enum(names: &impl EnumNames, number: i32, p: &mut JsonPrinter<'_, '_>) {
    if names.is_null_value() {
        return p.writer().null();
    }
    match names.name_of(number) {
        Some(name) if !p.options().enums_as_ints => p.writer().string(name),
        _ => p.writer().i32(number),
    }
}

/// Reads an enum value: a declared name, a number (for a closed enum, a declared one), or
/// `null` for `NullValue`. `None` when an unknown one is ignored
/// ([`ignore_unknown_fields`](super::JsonOptions::ignore_unknown_fields)).
pub(crate) fn read_enum(
    names: &impl EnumNames,
    p: &mut JsonParser<'_, '_>,
    closed: bool,
) -> Result<Option<i32>, JsonError> {
    let found = p.reader().peek()?;
    let number = match found {
        JsonKind::Null if names.is_null_value() => {
            p.reader().read_null()?;
            return Ok(Some(0));
        }
        JsonKind::String => {
            // An escaped name is decoded on the stack (names are short).
            let mut decoded = KeyBuf::new();
            names.number_of(p.reader().read_str(&mut decoded)?)
        }
        JsonKind::Number => {
            let n = p.reader().read_i32()?;
            (!closed || names.name_of(n).is_some()).then_some(n)
        }
        found => {
            return Err(p.reader().value_error(JsonErrorKind::WrongKind {
                expected: "an enum name or number",
                found,
            }))
        }
    };
    match number {
        Some(n) => Ok(Some(n)),
        None if p.options().ignore_unknown_fields => Ok(None),
        None => Err(p.reader().value_error(JsonErrorKind::UnknownEnumValue)),
    }
}

impl<E: Enumeration> JsonType for Enum<E> {
    const ACCEPTS_NULL: bool = is_null_value_name(E::NAME);
    const MAY_SKIP: bool = true;
    fn write(value: &OpenEnum<E>, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        write_enum(&GeneratedEnum::<E>::NAMES, value.raw(), p);
        Ok(())
    }
    fn read(value: &mut OpenEnum<E>, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        Ok(read_enum(&GeneratedEnum::<E>::NAMES, p, false)?
            .map(|n| *value = OpenEnum::from_raw(n))
            .is_some())
    }
}

impl<E: Enumeration> JsonType for ClosedEnum<E> {
    const ACCEPTS_NULL: bool = is_null_value_name(E::NAME);
    const MAY_SKIP: bool = true;
    fn write(value: &E, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        write_enum(&GeneratedEnum::<E>::NAMES, value.to_i32(), p);
        Ok(())
    }
    fn read(value: &mut E, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
        Ok(read_enum(&GeneratedEnum::<E>::NAMES, p, true)?
            .and_then(E::from_i32)
            .map(|e| *value = e)
            .is_some())
    }
}

macro_rules! message_json {
    ($($kind:ident),*) => {$(
        impl<M: JsonMessage> JsonType for $kind<M> {
            const ACCEPTS_NULL: bool = M::JSON_NULL;
            fn write(value: &M, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
                value.write_json(p)
            }
            fn read(value: &mut M, p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
                value.merge_json(p).map(|()| true)
            }
        }
    )*};
}

message_json!(Msg, Grp);

/// A field's JSON key in both spellings, as the derive emits it: with `quoted`, both are
/// the complete keys `"fooBar":` (names that need no escaping, see
/// `zpb_naming::json_quoted_key`), written with one copy; otherwise the bare names, escaped
/// when written.
#[derive(Debug, Clone, Copy)]
pub struct FieldKey {
    /// The JSON name (`fooBar`), or its key `"fooBar":`.
    pub json: &'static str,
    /// The proto name (`foo_bar`), or its key `"foo_bar":`.
    pub proto: &'static str,
    /// Whether `json` and `proto` are complete keys.
    pub quoted: bool,
}

// ---- printing, per container ---------------------------------------------------------------

/// Prints an implicit-presence field unless it holds the default (or
/// [`emit_defaults`](super::JsonOptions::emit_defaults)).
///
/// The printing functions test whether there is anything to print inline (most fields of a
/// message are usually unset) and print out of line, once per kind.
#[inline(always)]
pub fn implicit<K: JsonType>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    value: &K::Value,
) -> Result<(), JsonError> {
    if K::is_default(value) && !p.options().emit_defaults {
        return Ok(());
    }
    member::<K>(p, key, value)
}

/// Prints a field with presence if it is set.
#[inline(always)]
pub fn optional<K: JsonType, C: PresenceField<Value = K::Value>>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    field: &C,
) -> Result<(), JsonError> {
    match field.value() {
        Some(v) => member::<K>(p, key, v),
        None => Ok(()),
    }
}

/// Prints one member: the key, then the value.
#[inline(always)]
fn member<K: JsonType>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    value: &K::Value,
) -> Result<(), JsonError> {
    p.key(key);
    K::write(value, p)
}

/// Prints a repeated field as an array unless it is empty (or `emit_defaults`).
#[inline(always)]
pub fn repeated<K: JsonType, R: RepeatedField<Value = K::Value>>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    field: &R,
) -> Result<(), JsonError> {
    let values = field.values();
    if values.is_empty() && !p.options().emit_defaults {
        return Ok(());
    }
    array::<K>(p, key, values)
}

/// Prints a repeated field's values as an array member.
fn array<K: JsonType>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    values: &[K::Value],
) -> Result<(), JsonError> {
    p.key(key);
    p.writer().begin_array();
    for v in values {
        K::write(v, p)?;
    }
    p.writer().end_array();
    Ok(())
}

/// Prints a map field as an object with string keys unless it is empty (or
/// `emit_defaults`).
#[inline(always)]
pub fn map<KK: JsonKey, VK: JsonType, M: MapField<Key = KK::Value, Value = VK::Value>>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    field: &M,
) -> Result<(), JsonError> {
    if field.entry_count() == 0 && !p.options().emit_defaults {
        return Ok(());
    }
    map_object::<KK, VK, M>(p, key, field)
}

/// Prints a map field's entries as an object member.
fn map_object<KK: JsonKey, VK: JsonType, M: MapField<Key = KK::Value, Value = VK::Value>>(
    p: &mut JsonPrinter<'_, '_>,
    key: FieldKey,
    field: &M,
) -> Result<(), JsonError> {
    p.key(key);
    p.writer().begin_object();
    let mut result = Ok(());
    field.for_each_entry(|k, v| {
        if result.is_ok() {
            KK::write_key(k, p);
            result = VK::write(v, p);
        }
    });
    p.writer().end_object();
    result
}

// ---- parsing, per container ----------------------------------------------------------------

/// Consumes a `null` that means "not set" for a field of kind `K`: `true` if there was one.
#[inline]
pub fn skip_null<K: JsonType>(p: &mut JsonParser<'_, '_>) -> Result<bool, JsonError> {
    if K::ACCEPTS_NULL {
        return Ok(false);
    }
    p.reader().try_null()
}

/// Reads a value into an implicit-presence field (`null` leaves it as it is).
#[inline]
pub fn merge_implicit<K: JsonType>(
    value: &mut K::Value,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if !skip_null::<K>(p)? {
        K::read(value, p)?;
    }
    Ok(())
}

/// Reads a value into a field with presence (`null` leaves it unset).
#[inline]
pub fn merge_optional<K: JsonType, C: PresenceField<Value = K::Value>>(
    field: &mut C,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if skip_null::<K>(p)? {
        return Ok(());
    }
    if K::MAY_SKIP {
        let mut v = K::Value::default();
        if K::read(&mut v, p)? {
            *field.insert_mut() = v;
        }
    } else {
        K::read(field.insert_mut(), p)?;
    }
    Ok(())
}

/// Reads an array into a repeated field (`null` adds nothing; a `null` element is an error
/// unless the kind accepts it).
pub fn merge_repeated<K: JsonType, R: RepeatedField<Value = K::Value>>(
    field: &mut R,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if p.reader().try_null()? {
        return Ok(());
    }
    p.reader().begin_array()?;
    while p.reader().next_element()? {
        reject_null_element::<K>(p)?;
        if K::MAY_SKIP {
            let mut v = K::Value::default();
            if K::read(&mut v, p)? {
                *field.add_default() = v;
            }
        } else {
            K::read(field.add_default(), p)?;
        }
    }
    Ok(())
}

/// Fails on a `null` array element unless the kind accepts `null`.
pub fn reject_null_element<K: JsonType>(p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
    reject_null(p, K::ACCEPTS_NULL, NULL_ELEMENT)
}

/// Fails with `message` on a `null` value unless `null` is a value of its type.
pub(crate) fn reject_null(
    p: &mut JsonParser<'_, '_>,
    accepts_null: bool,
    message: &'static str,
) -> Result<(), JsonError> {
    if !accepts_null && p.reader().peek()? == JsonKind::Null {
        return Err(p.reader().value_error(JsonErrorKind::InvalidValue(message)));
    }
    Ok(())
}

/// The error for a `null` list element (of a type that has no `null`).
pub(crate) const NULL_ELEMENT: &str = "null in a repeated field";

/// The error for a `null` map value (of a type that has no `null`).
pub(crate) const NULL_MAP_VALUE: &str = "null as a map value";

/// The error for an object key that is not a key of the map's key type.
pub(crate) fn invalid_map_key(p: &mut JsonParser<'_, '_>, at: usize) -> JsonError {
    p.reader()
        .error_at(at, JsonErrorKind::InvalidValue("invalid map key"))
}

/// Reads an array of `K` values (or `null`: none), passing each one read to `add` (the rules
/// of [`merge_repeated`], for values that are not stored in a container).
pub fn merge_repeated_values<K: JsonType>(
    p: &mut JsonParser<'_, '_>,
    mut add: impl FnMut(K::Value),
) -> Result<(), JsonError> {
    if p.reader().try_null()? {
        return Ok(());
    }
    p.reader().begin_array()?;
    while p.reader().next_element()? {
        reject_null_element::<K>(p)?;
        let mut v = K::Value::default();
        if K::read(&mut v, p)? {
            add(v);
        }
    }
    Ok(())
}

/// Reads an object into a map field (`null` adds nothing; keys are the stringified keys).
/// Each entry is read into a key and value the map kept from its last `clear()` (slot `k`
/// of the spares in `held`, the message's unknown fields' block) when there is one, so a
/// reused message's map allocates nothing.
pub fn merge_map<KK: JsonKey, VK: JsonType, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field: &mut M,
    held: &mut UnknownFields,
    k: usize,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError>
where
    M::Key: Entry,
    M::Value: Entry,
{
    if p.reader().try_null()? {
        return Ok(());
    }
    p.reader().begin_object()?;
    // Only an escaped integer or bool key is decoded here (string keys go into the key).
    let mut key_scratch = KeyBuf::new();
    loop {
        let (mut key, mut value) = spare_entry::<M>(held, k);
        let Some(valid) = KK::next_key(p, &mut key, &mut key_scratch)? else {
            unused_entry::<M>(held, k, (key, value));
            return Ok(());
        };
        if !valid {
            let at = p.reader().value_offset();
            return Err(invalid_map_key(p, at));
        }
        reject_null(p, VK::ACCEPTS_NULL, NULL_MAP_VALUE)?;
        if VK::read(&mut value, p)? {
            field.insert_entry(key, value);
        }
    }
}

// ---- oneofs --------------------------------------------------------------------------------

/// The JSON form of a oneof enum (implemented by `#[derive(zpb::Oneof)]`): each member is a
/// key of the message's object.
pub trait JsonOneof: Sized {
    /// The member (its index in declaration order) a key names, by JSON or proto name.
    fn json_member(key: &str) -> Option<usize>;
    /// The field number of member `member` (0 for an index out of range).
    fn member_number(member: usize) -> u32;
    /// Reads member `member`'s value into `slot`; `Ok(false)` if the value was `null` (or an
    /// ignored unknown enum name) and the slot is unchanged.
    fn merge_json_member(
        slot: &mut Option<Self>,
        member: usize,
        p: &mut JsonParser<'_, '_>,
    ) -> Result<bool, JsonError>;
    /// Writes the set member's key and value.
    fn write_json(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError>;
}

/// Marks field `index` seen in `seen` (one bit per field): `false` if it was seen before,
/// under either of its names (a duplicate key).
#[inline]
pub fn first_sight(seen: &mut [u64], index: usize) -> bool {
    let (word, bit) = (index / 64, 1u64 << (index % 64));
    let first = seen[word] & bit == 0;
    seen[word] |= bit;
    first
}

/// Marks a oneof (field `index` of its message) set; a second member is a conflict,
/// reported at `at`.
pub fn mark_oneof(
    p: &JsonParser<'_, '_>,
    seen: &mut [u64],
    index: usize,
    at: usize,
) -> Result<(), JsonError> {
    p.mark_seen(seen, index, at).map_err(|mut e| {
        e.kind = JsonErrorKind::OneofConflict;
        e
    })
}

/// Reads a oneof member of kind `K` into `slot`: into the member's value if `get` finds it
/// set (messages merge), else into a new value that `wrap` makes the member, replacing
/// another one. `Ok(false)` if the value was `null` (or an ignored unknown enum name) and
/// the slot is unchanged. Generated [`JsonOneof::merge_json_member`]s call it per member.
pub fn merge_member<K: JsonType, O>(
    slot: &mut Option<O>,
    p: &mut JsonParser<'_, '_>,
    get: impl FnOnce(&mut O) -> Option<&mut K::Value>,
    wrap: impl FnOnce(K::Value) -> O,
) -> Result<bool, JsonError> {
    if skip_null::<K>(p)? {
        return Ok(false);
    }
    if let Some(value) = slot.as_mut().and_then(get) {
        return K::read(value, p);
    }
    let mut value = K::Value::default();
    if !K::read(&mut value, p)? {
        return Ok(false);
    }
    *slot = Some(wrap(value));
    Ok(true)
}
