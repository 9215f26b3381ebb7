//! The ProtoJSON mapping of [`DynamicMessage`]: [`JsonMessage`] by the descriptor, with the
//! rules of generated messages (the same `zpb::format::mapping` functions per kind: scalar
//! forms, enums, `null`, duplicate keys, oneof conflicts, extensions through the registry).
//!
//! A dynamic message whose type is one of the well-known types with a special form
//! (`Timestamp`, `Duration`, `FieldMask`, `Struct`, `Value`, `ListValue`, the wrappers,
//! `Any`) is printed and parsed in that form by going through the generated well-known
//! type (`zpb::well_known`), so each form's rules live in one place.

use super::{
    class, entry_default, proto_type, type_index, Class, DynamicMessage, List, MapKey, MapRef,
    Single, Slot, Value, ValueRef,
};
use crate::codec::{self, PresenceField, RepeatedField};
use crate::descriptor::field_descriptor_proto::Type;
use crate::field::{Optional, Reuse};
use crate::format::json::{JsonError, JsonErrorKind, MAX_DEPTH};
use crate::format::mapping::support::{
    invalid_map_key, mark_oneof, read_enum, reject_null, write_enum, JsonKey, JsonType,
    NULL_ELEMENT, NULL_MAP_VALUE,
};
use crate::format::{is_null_value_name, EnumNames, JsonMessage, JsonParser, JsonPrinter, KeyBuf};
use crate::reflect::pool::{EnumInner, FieldInner, FieldType, PoolInner};
use crate::well_known;
use crate::{Message, ParseOptions};
use std::cell::Cell;
use std::thread::LocalKey;

impl EnumNames for EnumInner {
    fn is_null_value(&self) -> bool {
        is_null_value_name(&self.full_name)
    }
    fn number_of(&self, name: &str) -> Option<i32> {
        self.values
            .iter()
            .find(|v| &*v.name == name)
            .map(|v| v.number)
    }
    fn name_of(&self, number: i32) -> Option<&str> {
        let i = self
            .by_number
            .binary_search_by_key(&number, |&(n, _)| n)
            .ok()?;
        Some(&self.values[self.by_number[i].1 as usize].name)
    }
}

/// The well-known types with a special JSON form, each with its generated type (which
/// keeps a value per thread for [`merge_through`]).
macro_rules! special_forms {
    ($($name:literal => $ty:ty,)*) => {
        $(
            impl Kept for $ty {
                fn kept() -> &'static LocalKey<Cell<Option<Self>>> {
                    thread_local! {
                        static KEPT: Cell<Option<$ty>> = const { Cell::new(None) };
                    }
                    &KEPT
                }
            }
        )*

        /// The names this module has a generated type for (all of
        /// [`zpb_naming::JSON_SPECIAL_FORMS`], which a test checks).
        #[cfg(test)]
        const DISPATCHED: &[&str] = &[$($name),*];

        /// Writes `m` in its special form, if its type has one.
        fn write_special(
            m: &DynamicMessage,
            p: &mut JsonPrinter<'_, '_>,
        ) -> Option<Result<(), JsonError>> {
            match m.full_name() {
                $($name => Some(write_as::<$ty>(m, p)),)*
                _ => None,
            }
        }

        /// Merges the special form into `m`, if its type has one.
        fn merge_special(
            m: &mut DynamicMessage,
            p: &mut JsonParser<'_, '_>,
        ) -> Option<Result<(), JsonError>> {
            match m.full_name() {
                $($name => Some(merge_as::<$ty>(m, p)),)*
                _ => None,
            }
        }
    };
}

special_forms! {
    "google.protobuf.Any" => well_known::Any,
    "google.protobuf.Timestamp" => well_known::Timestamp,
    "google.protobuf.Duration" => well_known::Duration,
    "google.protobuf.FieldMask" => well_known::FieldMask,
    "google.protobuf.Struct" => well_known::Struct,
    "google.protobuf.Value" => well_known::Value,
    "google.protobuf.ListValue" => well_known::ListValue,
    "google.protobuf.DoubleValue" => well_known::DoubleValue,
    "google.protobuf.FloatValue" => well_known::FloatValue,
    "google.protobuf.Int64Value" => well_known::Int64Value,
    "google.protobuf.UInt64Value" => well_known::UInt64Value,
    "google.protobuf.Int32Value" => well_known::Int32Value,
    "google.protobuf.UInt32Value" => well_known::UInt32Value,
    "google.protobuf.BoolValue" => well_known::BoolValue,
    "google.protobuf.StringValue" => well_known::StringValue,
    "google.protobuf.BytesValue" => well_known::BytesValue,
}

thread_local! {
    /// The encoding buffer of [`transcode`] and [`store`], kept between calls so that a
    /// well-known value of scalars (a `Timestamp`, a wrapper) moves without allocating.
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Runs `f` on the thread's scratch buffer, emptied (a nested call gets a buffer of its own).
fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut buf = cell.take();
        buf.clear();
        let result = f(&mut buf);
        cell.set(buf);
        result
    })
}

/// `m`'s content as the generated type `T` (the same wire form).
fn transcode<T: Message>(m: &DynamicMessage) -> Option<T> {
    with_scratch(|buf| {
        m.serialize_into_vec(buf).ok()?;
        T::parse_from_slice_with(buf, &TRANSFER).ok()
    })
}

/// Replaces `m`'s content with `t`'s (the same wire form).
fn store<T: Message>(m: &mut DynamicMessage, t: &T) -> bool {
    with_scratch(|buf| {
        if t.serialize_into_vec(buf).is_err() {
            return false;
        }
        m.clear();
        m.merge_from_slice_with(buf, &TRANSFER).is_ok()
    })
}

/// How a well-known value moves between a dynamic message and its generated type: the
/// content was already parsed with a depth limit, but a JSON `Value` list or struct is two
/// messages deep in the wire form per level of JSON (`Value` holding `ListValue` holding
/// `Value`), so the binary limit is twice the deepest JSON the reader accepts.
const TRANSFER: ParseOptions = ParseOptions {
    recursion_limit: 2 * MAX_DEPTH,
    max_size: usize::MAX,
};

const NOT_WELL_KNOWN: &str = "a well-known type's content does not fit its generated type";

fn write_as<T: JsonMessage>(
    m: &DynamicMessage,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let t: T = transcode(m).ok_or_else(|| p.error(JsonErrorKind::InvalidValue(NOT_WELL_KNOWN)))?;
    t.write_json(p)
}

/// A well-known type with a special form, of which each thread keeps one value between
/// parses of that form into dynamic messages, so that parsing into a reused dynamic message
/// allocates nothing (the value is cleared and trimmed to [`KEPT_BUDGET`] bytes).
pub(super) trait Kept: Message {
    /// The thread's kept value (taken while in use).
    fn kept() -> &'static LocalKey<Cell<Option<Self>>>;
}

/// The most heap bytes a kept well-known value holds between parses.
const KEPT_BUDGET: usize = 4096;

/// Runs `parse` on `m`'s content as the generated type `T` (the thread's kept value, or a
/// new one when an enclosing call holds it), then stores the result back into `m`: `None`
/// if it does not fit `m` (which the descriptor rules out).
pub(super) fn merge_through<T: Kept, R, E>(
    m: &mut DynamicMessage,
    parse: impl FnOnce(&mut T) -> Result<R, E>,
) -> Result<Option<R>, E> {
    let mut t = T::kept().take().unwrap_or_default();
    let loaded = with_scratch(|buf| {
        m.serialize_into_vec(buf).is_ok() && t.merge_from_slice_with(buf, &TRANSFER).is_ok()
    });
    if !loaded {
        t.clear();
    }
    let result = parse(&mut t).map(|r| store(m, &t).then_some(r));
    t.clear();
    let mut budget = KEPT_BUDGET;
    t.trim(&mut budget);
    T::kept().set(Some(t));
    result
}

fn merge_as<T: JsonMessage + Kept>(
    m: &mut DynamicMessage,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    merge_through(m, |t: &mut T| t.merge_json(p))?.ok_or_else(|| {
        p.reader()
            .value_error(JsonErrorKind::InvalidValue(NOT_WELL_KNOWN))
    })
}

/// Whether JSON `null` is a value of field `f`'s type (`google.protobuf.Value`,
/// `google.protobuf.NullValue`) rather than "not set".
pub(super) fn accepts_null(pool: &PoolInner, f: &FieldInner) -> bool {
    match f.ty {
        FieldType::Message(m) => &*pool.messages[m as usize].full_name == "google.protobuf.Value",
        FieldType::Enum(e) => pool.enums[e as usize].is_null_value(),
        _ => false,
    }
}

/// The enum of an enum field.
fn enum_of<'p>(pool: &'p PoolInner, f: &FieldInner) -> Option<&'p EnumInner> {
    match f.ty {
        FieldType::Enum(e) => Some(&pool.enums[e as usize]),
        _ => None,
    }
}

// ---- printing ------------------------------------------------------------------------------

/// Writes one value of field `f` (an element, for repeated fields).
pub(super) fn write_value(
    pool: &PoolInner,
    f: &FieldInner,
    v: ValueRef<'_>,
    p: &mut JsonPrinter<'_, '_>,
) -> Result<(), JsonError> {
    let w = p.writer();
    match v {
        ValueRef::Bool(x) => w.bool(x),
        ValueRef::I32(x) => w.i32(x),
        ValueRef::I64(x) => w.i64(x),
        ValueRef::U32(x) => w.u32(x),
        ValueRef::U64(x) => w.u64(x),
        ValueRef::F32(x) => w.f32(x),
        ValueRef::F64(x) => w.f64(x),
        ValueRef::String(s) => w.string(s),
        ValueRef::Bytes(b) => w.bytes(b),
        ValueRef::EnumNumber(n) => match enum_of(pool, f) {
            Some(en) => write_enum(en, n, p),
            None => w.i32(n),
        },
        ValueRef::Message(m) => return m.write_json(p),
        ValueRef::List(_) | ValueRef::Map(_) => {
            return Err(p.error(JsonErrorKind::InvalidValue("a list as a single value")))
        }
    }
    Ok(())
}

/// Writes a map key as an object key.
fn write_key(k: &MapKey, p: &mut JsonPrinter<'_, '_>) {
    match k {
        MapKey::Bool(v) => codec::Bool::write_key(v, p),
        MapKey::I32(v) => codec::Int32::write_key(v, p),
        MapKey::I64(v) => codec::Int64::write_key(v, p),
        MapKey::U32(v) => codec::UInt32::write_key(v, p),
        MapKey::U64(v) => codec::UInt64::write_key(v, p),
        MapKey::String(v) => p.writer().key(v),
    }
}

impl DynamicMessage {
    /// Writes field `i` (if it is to be printed) as a member.
    fn write_json_field(&self, i: usize, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        let pool = self.pool();
        let f = &self.desc.inner().fields[i];
        let emit_defaults = p.options().emit_defaults;
        match &self.slots()[i] {
            Slot::Map(map) => {
                if map.is_empty() && !emit_defaults {
                    return Ok(());
                }
                let entry = &pool.messages[type_index(f) as usize];
                p.field_key(&f.json_name, &f.name);
                p.writer().begin_object();
                for (k, v) in MapRef(map).sorted() {
                    write_key(k, p);
                    write_value(pool, &entry.fields[1], v.as_ref(), p)?;
                }
                p.writer().end_object();
            }
            Slot::List(_) | Slot::Messages(_) => {
                let Some(list) = self.get_index(i).as_list() else {
                    return Ok(());
                };
                if list.is_empty() && !emit_defaults {
                    return Ok(());
                }
                p.field_key(&f.json_name, &f.name);
                p.writer().begin_array();
                for v in list.iter() {
                    write_value(pool, f, v, p)?;
                }
                p.writer().end_array();
            }
            _ => {
                // Fields with presence print when set; implicit-presence ones when not the
                // default, or always with `emit_defaults`.
                if !self.has_index(i) && (f.has_presence() || !emit_defaults) {
                    return Ok(());
                }
                p.field_key(&f.json_name, &f.name);
                write_value(pool, f, self.get_index(i), p)?;
            }
        }
        Ok(())
    }
}

// ---- parsing -------------------------------------------------------------------------------

/// Reads one value into a field with presence or implicit presence (`set` unless skipped).
fn read_optional<K: JsonType>(
    v: &mut Optional<K::Value>,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError>
where
    K::Value: Copy,
{
    let mut x = K::Value::default();
    if K::read(&mut x, p)? {
        v.set(x);
    }
    Ok(())
}

/// Reads one element and appends it (unless skipped).
fn read_element<K: JsonType>(
    v: &mut Vec<K::Value>,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    let mut x = K::Value::default();
    if K::read(&mut x, p)? {
        v.push(x);
    }
    Ok(())
}

/// Reads one value into `v` (made by `entry_default` for `f`); `false` if it was skipped.
pub(super) fn read_value(
    pool: &PoolInner,
    f: &FieldInner,
    v: &mut Value,
    p: &mut JsonParser<'_, '_>,
) -> Result<bool, JsonError> {
    match v {
        Value::String(s) => codec::Str::read(s, p),
        Value::Bytes(b) => codec::Bytes::read(b, p),
        Value::EnumNumber(x) => {
            let en = enum_of(pool, f).ok_or_else(|| p.reader().value_error(MISMATCH))?;
            Ok(read_enum(en, p, en.closed)?.map(|n| *x = n).is_some())
        }
        Value::Message(m) => m.merge_json(p).map(|()| true),
        v => numeric!(proto_type(f), Value, v, |K, x| K::read(x, p), {
            Err(p.reader().value_error(MISMATCH))
        }),
    }
}

const MISMATCH: JsonErrorKind = JsonErrorKind::InvalidValue("a value does not fit its field");

/// An object key read as a `K` map key, if it is one.
fn key_as<K: JsonKey>(key: &str) -> Option<K::Value>
where
    K::Value: Default,
{
    let mut value = K::Value::default();
    K::read_key(key, &mut value).then_some(value)
}

/// Reads a map key of key field `kf` from an object key.
fn read_key(kf: &FieldInner, key: &str) -> Option<MapKey> {
    Some(match class(proto_type(kf)) {
        Class::Bool => MapKey::Bool(key_as::<codec::Bool>(key)?),
        Class::I32 => MapKey::I32(key_as::<codec::Int32>(key)?),
        Class::I64 => MapKey::I64(key_as::<codec::Int64>(key)?),
        Class::U32 => MapKey::U32(key_as::<codec::UInt32>(key)?),
        Class::U64 => MapKey::U64(key_as::<codec::UInt64>(key)?),
        Class::String => MapKey::String(key.to_owned()),
        _ => return None,
    })
}

/// Reads a singular scalar, string or bytes value (kept out of the recursive path, so that
/// deep nesting uses small stack frames).
#[inline(never)]
fn merge_single(
    pool: &PoolInner,
    f: &FieldInner,
    s: &mut Single,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    if let Some(en) = enum_of(pool, f) {
        if let (Some(n), Single::I32(v)) = (read_enum(en, p, en.closed)?, s) {
            v.set(n);
        }
        return Ok(());
    }
    match s {
        Single::String(v) => codec::Str::read(v.mut_or_insert(), p).map(drop),
        Single::Bytes(v) => codec::Bytes::read(v.mut_or_insert(), p).map(drop),
        s => numeric!(proto_type(f), Single, s, |K, v| read_optional::<K>(v, p), {
            Err(p.reader().value_error(MISMATCH))
        }),
    }
}

/// Reads an array into a repeated scalar, string or bytes field.
#[inline(never)]
fn merge_list(
    pool: &PoolInner,
    f: &FieldInner,
    l: &mut List,
    null_ok: bool,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    p.reader().begin_array()?;
    let en = enum_of(pool, f);
    while p.reader().next_element()? {
        reject_null(p, null_ok, NULL_ELEMENT)?;
        match (en, &mut *l) {
            (_, List::String(v)) => {
                codec::Str::read(v.add(), p)?;
            }
            (_, List::Bytes(v)) => {
                codec::Bytes::read(v.add(), p)?;
            }
            (Some(en), List::I32(v)) => {
                if let Some(n) = read_enum(en, p, en.closed)? {
                    v.push(n);
                }
            }
            (_, l) => numeric!(proto_type(f), List, l, |K, v| read_element::<K>(v, p), {
                Err(p.reader().value_error(MISMATCH))
            })?,
        }
    }
    Ok(())
}

/// Reads one JSON value into field `f`'s slot (`null` leaves it as it is).
fn merge_slot(
    desc_pool: &crate::reflect::DescriptorPool,
    f: &FieldInner,
    slot: &mut Slot,
    p: &mut JsonParser<'_, '_>,
) -> Result<(), JsonError> {
    let pool = &*desc_pool.inner;
    let null_ok = accepts_null(pool, f);
    // `null` is "not set" for a field, unless it is a value of a singular field's type
    // (a list or map given as `null` is always empty).
    let single = matches!(slot, Slot::Single(_) | Slot::Message(_));
    if (!single || !null_ok) && p.reader().try_null()? {
        return Ok(());
    }
    match slot {
        Slot::Single(s) => merge_single(pool, f, s, p),
        Slot::Message(m) => m.insert_mut().merge_json(p),
        Slot::Messages(l) => {
            p.reader().begin_array()?;
            while p.reader().next_element()? {
                reject_null(p, null_ok, NULL_ELEMENT)?;
                l.add_default().merge_json(p)?;
            }
            Ok(())
        }
        Slot::List(l) => merge_list(pool, f, l, null_ok, p),
        Slot::Map(map) => {
            let entry = &pool.messages[type_index(f) as usize];
            let (kf, vf) = (&entry.fields[0], &entry.fields[1]);
            p.reader().begin_object()?;
            let mut key_buf = KeyBuf::new();
            while let Some(key) = p.reader().next_key(&mut key_buf)? {
                let at = p.reader().value_offset();
                let Some(k) = read_key(kf, key) else {
                    return Err(invalid_map_key(p, at));
                };
                reject_null(p, accepts_null(pool, vf), NULL_MAP_VALUE)?;
                let mut v = entry_default(desc_pool, vf);
                if read_value(pool, vf, &mut v, p)? {
                    map.insert(k, v);
                }
            }
            Ok(())
        }
    }
}

/// Which keys were seen: one bit per field and per oneof (on the stack for up to 256).
enum Seen {
    Small([u64; 4]),
    Large(Vec<u64>),
}

impl Seen {
    fn new(bits: usize) -> Seen {
        if bits <= 256 {
            Seen::Small([0; 4])
        } else {
            Seen::Large(vec![0; bits.div_ceil(64)])
        }
    }

    fn words(&mut self) -> &mut [u64] {
        match self {
            Seen::Small(w) => w,
            Seen::Large(w) => w,
        }
    }
}

impl JsonMessage for DynamicMessage {
    fn has_special_form(&self) -> bool {
        zpb_naming::JSON_SPECIAL_FORMS.contains(&self.full_name())
    }

    fn write_json(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        if let Some(result) = write_special(self, p) {
            return result;
        }
        p.writer().begin_object();
        self.write_json_members(p)?;
        p.writer().end_object();
        Ok(())
    }

    fn merge_json(&mut self, p: &mut JsonParser<'_, '_>) -> Result<(), JsonError> {
        if let Some(result) = merge_special(self, p) {
            return result;
        }
        p.reader().begin_object()?;
        self.merge_json_members(p, false)
    }

    fn write_json_members(&self, p: &mut JsonPrinter<'_, '_>) -> Result<(), JsonError> {
        for &i in &self.desc.inner().number_order {
            self.write_json_field(i as usize, p)?;
        }
        p.write_extensions(self.full_name(), &self.unknown)
    }

    fn merge_json_members(
        &mut self,
        p: &mut JsonParser<'_, '_>,
        in_any: bool,
    ) -> Result<(), JsonError> {
        let DynamicMessage {
            desc,
            table,
            unknown,
            ..
        } = self;
        let slots = super::made(table, desc);
        let msg = desc.inner();
        let mut seen = Seen::new(msg.fields.len() + msg.oneofs.len());
        let mut key_buf = KeyBuf::new();
        while let Some(key) = p.reader().next_key(&mut key_buf)? {
            let at = p.reader().value_offset();
            let index = msg
                .by_json_name
                .get(key)
                .or_else(|| msg.by_name.get(key))
                .map(|&i| i as usize);
            let Some(i) = index else {
                if in_any && key == "@type" {
                    p.reader().skip_value()?;
                } else if !p.merge_extension(&msg.full_name, key, unknown)? {
                    p.unknown_key(key, at)?;
                }
                continue;
            };
            let f = &msg.fields[i];
            match f.oneof.filter(|&o| !msg.oneofs[o as usize].synthetic) {
                Some(o) => {
                    merge_slot(&desc.pool, f, &mut slots[i], p)?;
                    // Setting a member replaces the one set before (a member read again
                    // merges, keeping its storage).
                    if has_slot(f, &slots[i]) {
                        mark_oneof(p, seen.words(), msg.fields.len() + o as usize, at)?;
                        for &j in &msg.oneofs[o as usize].fields {
                            if j as usize != i {
                                slots[j as usize].clear();
                            }
                        }
                    }
                }
                None => {
                    p.mark_seen(seen.words(), i, at)?;
                    merge_slot(&desc.pool, f, &mut slots[i], p)?;
                }
            }
        }
        Ok(())
    }
}

/// Whether a oneof member's slot holds a value (was written).
fn has_slot(f: &FieldInner, slot: &Slot) -> bool {
    match slot {
        Slot::Single(s) => super::single_is_set(s),
        Slot::Message(m) => m.value().is_some(),
        _ => super::slot_has(f, slot),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_form_has_its_generated_type() {
        let mut listed = zpb_naming::JSON_SPECIAL_FORMS.to_vec();
        let mut dispatched = DISPATCHED.to_vec();
        listed.sort_unstable();
        dispatched.sort_unstable();
        assert_eq!(listed, dispatched);
    }
}
