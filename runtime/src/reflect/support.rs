//! Reflection support for derived messages (reached as `zpb::__private::reflect`): not public
//! API. The derive routes each field's part of [`ReflectMessage`] to one of these generic
//! functions, chosen by the field's container (implicit presence, explicit presence,
//! repeated, map, oneof) and its `codec` kind, so the conversions between stored values and
//! [`Value`] / [`ValueRef`] / [`MapKey`] exist once, here.
//!
//! Every derived type also says where its descriptor comes from ([`Described`]): the
//! embedded file of generated code, or a table its derive wrote, from which a descriptor is
//! synthesized on first use (see `synthesized.rs`).

use super::access::{holds_messages, mismatch, not_a_field};
use super::{FieldDescriptor, MapKey, ReflectError, ReflectMessage, Value, ValueRef};
use crate::codec::{
    Bool, Bytes, ClosedEnum, Double, Enum, Fixed32, Fixed64, Float, Grp, Int32, Int64, Kind,
    MapField, Msg, PresenceField, RepeatedField, SFixed32, SFixed64, SInt32, SInt64, SharedBytes,
    Str, StringBuf, UInt32, UInt64, Utf8,
};
use crate::field::{Enumeration, OpenEnum, Reuse};
use crate::Message;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};
use std::ops::DerefMut;

pub use super::synthesized::{
    enum_descriptor, message_descriptor, DefaultText, Described, Entry, EnumTable, FieldShape,
    FieldTable, MessageTable, Origin, ValueType,
};

/// One stored value as reflection sees it: a plain value or a sub-message.
pub enum Elem<'a> {
    /// A scalar, string, bytes or enum value.
    Value(ValueRef<'a>),
    /// A message.
    Message(&'a dyn ReflectMessage),
}

/// A `codec` kind whose stored values convert to and from reflection's values.
pub trait ReflectKind: Kind<Value: 'static> {
    /// The stored value as reflection sees it.
    fn elem(value: &Self::Value) -> Elem<'_>;
    /// The stored message, mutably (`None` for kinds that are not messages).
    fn message_mut(value: &mut Self::Value) -> Option<&mut dyn ReflectMessage>;
    /// The stored form of `value`, or a typed error naming `field`.
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<Self::Value, ReflectError>;
}

/// A `codec` kind that can be a map key.
pub trait KeyKind: Kind<Value: 'static> {
    /// The stored key as a [`MapKey`].
    fn key(value: &Self::Value) -> MapKey;
    /// The stored form of `key`, `None` when it is of another kind.
    fn from_key(key: MapKey) -> Option<Self::Value>;
}

macro_rules! scalar_reflect {
    ($($kind:ident => $variant:ident),* $(,)?) => {$(
        impl ReflectKind for $kind {
            #[inline]
            fn elem(value: &Self::Value) -> Elem<'_> {
                Elem::Value(ValueRef::$variant(*value))
            }
            #[inline]
            fn message_mut(_: &mut Self::Value) -> Option<&mut dyn ReflectMessage> {
                None
            }
            #[inline]
            fn from_value(value: Value, field: &FieldDescriptor) -> Result<Self::Value, ReflectError> {
                match value {
                    Value::$variant(v) => Ok(v),
                    _ => Err(mismatch(field, stringify!($variant))),
                }
            }
        }
    )*};
}

scalar_reflect!(Int32 => I32, SInt32 => I32, SFixed32 => I32, Int64 => I64, SInt64 => I64,
    SFixed64 => I64, UInt32 => U32, Fixed32 => U32, UInt64 => U64, Fixed64 => U64,
    Float => F32, Double => F64, Bool => Bool);

macro_rules! key_reflect {
    ($($kind:ident => $variant:ident),* $(,)?) => {$(
        impl KeyKind for $kind {
            #[inline]
            fn key(value: &Self::Value) -> MapKey {
                MapKey::$variant(value.clone())
            }
            #[inline]
            fn from_key(key: MapKey) -> Option<Self::Value> {
                match key {
                    MapKey::$variant(v) => Some(v),
                    _ => None,
                }
            }
        }
    )*};
}

key_reflect!(Int32 => I32, SInt32 => I32, SFixed32 => I32, Int64 => I64, SInt64 => I64,
    SFixed64 => I64, UInt32 => U32, Fixed32 => U32, UInt64 => U64, Fixed64 => U64,
    Bool => Bool, Str => String);

/// Reflection's values are `String`s: another storage converts (a copy).
impl<S: StringBuf> ReflectKind for Utf8<S> {
    fn elem(value: &S) -> Elem<'_> {
        Elem::Value(ValueRef::String(value))
    }
    fn message_mut(_: &mut S) -> Option<&mut dyn ReflectMessage> {
        None
    }
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<S, ReflectError> {
        match value {
            Value::String(v) => Ok(S::from(v)),
            _ => Err(mismatch(field, "String")),
        }
    }
}

impl ReflectKind for Bytes {
    fn elem(value: &Vec<u8>) -> Elem<'_> {
        Elem::Value(ValueRef::Bytes(value))
    }
    fn message_mut(_: &mut Vec<u8>) -> Option<&mut dyn ReflectMessage> {
        None
    }
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<Vec<u8>, ReflectError> {
        match value {
            Value::Bytes(v) => Ok(v),
            _ => Err(mismatch(field, "Bytes")),
        }
    }
}

impl ReflectKind for SharedBytes {
    fn elem(value: &bytes::Bytes) -> Elem<'_> {
        Elem::Value(ValueRef::Bytes(value))
    }
    fn message_mut(_: &mut bytes::Bytes) -> Option<&mut dyn ReflectMessage> {
        None
    }
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<bytes::Bytes, ReflectError> {
        match value {
            Value::Bytes(v) => Ok(v.into()),
            _ => Err(mismatch(field, "Bytes")),
        }
    }
}

/// The enum number a value gives, if it is one.
fn enum_number(value: Value, field: &FieldDescriptor) -> Result<i32, ReflectError> {
    match value {
        Value::EnumNumber(n) => Ok(n),
        _ => Err(mismatch(field, "EnumNumber")),
    }
}

impl<E: Enumeration> ReflectKind for Enum<E> {
    fn elem(value: &OpenEnum<E>) -> Elem<'_> {
        Elem::Value(ValueRef::EnumNumber(value.raw()))
    }
    fn message_mut(_: &mut OpenEnum<E>) -> Option<&mut dyn ReflectMessage> {
        None
    }
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<OpenEnum<E>, ReflectError> {
        enum_number(value, field).map(OpenEnum::from_raw)
    }
}

impl<E: Enumeration> ReflectKind for ClosedEnum<E> {
    fn elem(value: &E) -> Elem<'_> {
        Elem::Value(ValueRef::EnumNumber(value.to_i32()))
    }
    fn message_mut(_: &mut E) -> Option<&mut dyn ReflectMessage> {
        None
    }
    /// A closed enum takes only its declared numbers.
    fn from_value(value: Value, field: &FieldDescriptor) -> Result<E, ReflectError> {
        E::from_i32(enum_number(value, field)?)
            .ok_or_else(|| mismatch(field, "a number the closed enum declares"))
    }
}

/// A generated message from a dynamic one of the same type (through its encoding).
fn message_from_value<M: Message + ReflectMessage>(
    value: Value,
    field: &FieldDescriptor,
) -> Result<M, ReflectError> {
    match value {
        Value::Message(m) if m.full_name() == M::NAME => {
            let bytes = m
                .serialize_partial_to_vec()
                .map_err(|_| mismatch(field, M::NAME))?;
            M::parse_partial_from_slice(&bytes).map_err(ReflectError::Decode)
        }
        _ => Err(mismatch(field, M::NAME)),
    }
}

macro_rules! message_reflect {
    ($($kind:ident),*) => {$(
        impl<M: Message + ReflectMessage> ReflectKind for $kind<M> {
            fn elem(value: &M) -> Elem<'_> {
                Elem::Message(value)
            }
            fn message_mut(value: &mut M) -> Option<&mut dyn ReflectMessage> {
                Some(value)
            }
            fn from_value(value: Value, field: &FieldDescriptor) -> Result<M, ReflectError> {
                message_from_value(value, field)
            }
        }
    )*};
}

message_reflect!(Msg, Grp);

// ---- checks ------------------------------------------------------------------------------

/// The number of `field` when it is a field of message `M` (not an extension).
#[inline]
pub fn field_number<M: Message>(field: &FieldDescriptor) -> Result<u32, ReflectError> {
    match !field.is_extension() && field.containing_message().full_name() == M::NAME {
        true => Ok(field.number()),
        false => Err(not_a_field(field, M::NAME)),
    }
}

/// The error for a call that does not fit `field`'s shape (`reflect_len` on a singular
/// field, `reflect_get` on a message field).
pub fn wrong_shape(field: &FieldDescriptor) -> ReflectError {
    let shape = if field.is_map() {
        "map"
    } else if field.is_list() {
        "repeated"
    } else {
        "singular"
    };
    mismatch(
        field,
        &format!("a call for a {shape} {:?} field", field.kind()),
    )
}

/// A plain value from an element, refusing messages.
fn plain<'a>(elem: Elem<'a>, field: &FieldDescriptor) -> Result<ValueRef<'a>, ReflectError> {
    match elem {
        Elem::Value(v) => Ok(v),
        Elem::Message(_) => Err(wrong_shape(field)),
    }
}

/// A message from an element, refusing plain values.
fn message<'a>(
    elem: Elem<'a>,
    field: &FieldDescriptor,
) -> Result<&'a dyn ReflectMessage, ReflectError> {
    match elem {
        Elem::Message(m) => Ok(m),
        Elem::Value(_) => Err(wrong_shape(field)),
    }
}

/// What an unset singular field reads as (its descriptor's default).
fn unset<'a>(field: &'a FieldDescriptor) -> Result<ValueRef<'a>, ReflectError> {
    field.default_value().ok_or_else(|| wrong_shape(field))
}

// ---- implicit presence -------------------------------------------------------------------

/// Whether an implicit-presence field is set (holds a non-default value).
#[inline]
pub fn implicit_has<K: Kind>(value: &K::Value) -> bool {
    !K::is_default(value)
}

/// The value of an implicit-presence field.
#[inline]
pub fn implicit_get<'a, K: ReflectKind>(
    value: &'a K::Value,
    field: &FieldDescriptor,
) -> Result<ValueRef<'a>, ReflectError> {
    plain(K::elem(value), field)
}

/// Sets an implicit-presence field.
#[inline]
pub fn implicit_set<K: ReflectKind>(
    slot: &mut K::Value,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError> {
    *slot = K::from_value(value, field)?;
    Ok(())
}

// ---- explicit presence -------------------------------------------------------------------

/// Whether a field with presence is set.
#[inline]
pub fn present_has<C: PresenceField>(slot: &C) -> bool {
    slot.value().is_some()
}

/// The value of a field with presence (its default when unset).
#[inline]
pub fn present_get<'a, K: ReflectKind, C: PresenceField<Value = K::Value>>(
    slot: &'a C,
    field: &'a FieldDescriptor,
) -> Result<ValueRef<'a>, ReflectError> {
    match slot.value() {
        Some(v) => plain(K::elem(v), field),
        None => unset(field),
    }
}

/// The message in a message field with presence, if set.
#[inline]
pub fn present_message<'a, K: ReflectKind, C: PresenceField<Value = K::Value>>(
    slot: &'a C,
    field: &FieldDescriptor,
) -> Result<Option<&'a dyn ReflectMessage>, ReflectError> {
    slot.value().map(|v| message(K::elem(v), field)).transpose()
}

/// The message in a message field with presence, set if it was not.
#[inline]
pub fn present_message_mut<'a, K: ReflectKind, C: PresenceField<Value = K::Value>>(
    slot: &'a mut C,
    field: &FieldDescriptor,
) -> Result<&'a mut dyn ReflectMessage, ReflectError> {
    K::message_mut(slot.insert_mut()).ok_or_else(|| wrong_shape(field))
}

/// Sets a field with presence.
#[inline]
pub fn present_set<K: ReflectKind, C: PresenceField<Value = K::Value>>(
    slot: &mut C,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError> {
    let value = K::from_value(value, field)?;
    *slot.insert_mut() = value;
    Ok(())
}

// ---- repeated ----------------------------------------------------------------------------

/// Element `index` of a repeated field, or the index error.
fn element<K: ReflectKind, C: RepeatedField<Value = K::Value>>(
    list: &C,
    index: usize,
) -> Result<Elem<'_>, ReflectError> {
    let values = list.values();
    values
        .get(index)
        .map(K::elem)
        .ok_or(ReflectError::IndexOutOfRange {
            index,
            len: values.len(),
        })
}

/// Element `index` of a repeated field of plain values.
#[inline]
pub fn repeated_get<'a, K: ReflectKind, C: RepeatedField<Value = K::Value>>(
    list: &'a C,
    index: usize,
    field: &FieldDescriptor,
) -> Result<ValueRef<'a>, ReflectError> {
    plain(element::<K, C>(list, index)?, field)
}

/// Element `index` of a repeated message field.
#[inline]
pub fn repeated_message<'a, K: ReflectKind, C: RepeatedField<Value = K::Value>>(
    list: &'a C,
    index: usize,
    field: &FieldDescriptor,
) -> Result<&'a dyn ReflectMessage, ReflectError> {
    message(element::<K, C>(list, index)?, field)
}

/// Element `index` of a repeated message field, mutably.
#[inline]
pub fn repeated_message_mut<'a, K, C>(
    list: &'a mut C,
    index: usize,
    field: &FieldDescriptor,
) -> Result<&'a mut dyn ReflectMessage, ReflectError>
where
    K: ReflectKind,
    C: DerefMut<Target = [K::Value]>,
{
    K::message_mut(element_mut(list, index)?).ok_or_else(|| wrong_shape(field))
}

/// Appends an empty message to a repeated message field and returns it.
#[inline]
pub fn repeated_add_message<'a, K: ReflectKind, C: RepeatedField<Value = K::Value>>(
    list: &'a mut C,
    field: &FieldDescriptor,
) -> Result<&'a mut dyn ReflectMessage, ReflectError> {
    K::message_mut(list.add_default()).ok_or_else(|| wrong_shape(field))
}

/// Appends to a repeated field.
#[inline]
pub fn repeated_push<K: ReflectKind, C: RepeatedField<Value = K::Value>>(
    list: &mut C,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError> {
    let value = K::from_value(value, field)?;
    *list.add_default() = value;
    Ok(())
}

/// Replaces element `index` of a repeated field.
#[inline]
pub fn repeated_set_element<K, C>(
    list: &mut C,
    index: usize,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError>
where
    K: ReflectKind,
    C: DerefMut<Target = [K::Value]>,
{
    *element_mut(list, index)? = K::from_value(value, field)?;
    Ok(())
}

/// Replaces a repeated field's elements with a `Value::List`'s.
pub fn repeated_set_all<K: ReflectKind, C: RepeatedField<Value = K::Value> + Reuse>(
    list: &mut C,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError> {
    let Value::List(values) = value else {
        return Err(mismatch(field, "List"));
    };
    let values = values
        .into_iter()
        .map(|v| K::from_value(v, field))
        .collect::<Result<Vec<_>, _>>()?;
    list.clear();
    for v in values {
        *list.add_default() = v;
    }
    Ok(())
}

// ---- maps --------------------------------------------------------------------------------

/// Key lookups of the map containers (`HashMap`, `BTreeMap`).
pub trait MapAccess: MapField {
    /// The value under `key`.
    fn get_value(&self, key: &Self::Key) -> Option<&Self::Value>;
    /// Removes the entry under `key`; whether there was one.
    fn remove_entry(&mut self, key: &Self::Key) -> bool;
}

impl<K: Ord + Hash, V, S: BuildHasher> MapAccess for HashMap<K, V, S> {
    fn get_value(&self, key: &K) -> Option<&V> {
        self.get(key)
    }
    fn remove_entry(&mut self, key: &K) -> bool {
        self.remove(key).is_some()
    }
}

impl<K: Ord, V> MapAccess for BTreeMap<K, V> {
    fn get_value(&self, key: &K) -> Option<&V> {
        self.get(key)
    }
    fn remove_entry(&mut self, key: &K) -> bool {
        self.remove(key).is_some()
    }
}

/// The stored form of a map key, or the error.
fn stored_key<KK: KeyKind>(
    key: MapKey,
    field: &FieldDescriptor,
) -> Result<KK::Value, ReflectError> {
    KK::from_key(key).ok_or_else(|| mismatch(field, "a key of the map's key type"))
}

/// The keys of a map field.
pub fn map_keys<KK: KeyKind, M: MapField<Key = KK::Value>>(map: &M) -> Vec<MapKey> {
    let mut keys = Vec::with_capacity(map.entry_count());
    map.for_each_entry(|k, _| keys.push(KK::key(k)));
    keys
}

/// The element under `key` in a map field.
fn map_elem<'a, KK, VK, M>(
    map: &'a M,
    key: &MapKey,
    field: &FieldDescriptor,
) -> Result<Option<Elem<'a>>, ReflectError>
where
    KK: KeyKind,
    VK: ReflectKind,
    M: MapAccess<Key = KK::Value, Value = VK::Value>,
{
    let key = stored_key::<KK>(key.clone(), field)?;
    Ok(map.get_value(&key).map(VK::elem))
}

/// The plain value under `key` in a map field.
#[inline]
pub fn map_get<'a, KK, VK, M>(
    map: &'a M,
    key: &MapKey,
    field: &FieldDescriptor,
) -> Result<Option<ValueRef<'a>>, ReflectError>
where
    KK: KeyKind,
    VK: ReflectKind,
    M: MapAccess<Key = KK::Value, Value = VK::Value>,
{
    map_elem::<KK, VK, M>(map, key, field)?
        .map(|e| plain(e, field))
        .transpose()
}

/// The message under `key` in a map field.
#[inline]
pub fn map_message<'a, KK, VK, M>(
    map: &'a M,
    key: &MapKey,
    field: &FieldDescriptor,
) -> Result<Option<&'a dyn ReflectMessage>, ReflectError>
where
    KK: KeyKind,
    VK: ReflectKind,
    M: MapAccess<Key = KK::Value, Value = VK::Value>,
{
    map_elem::<KK, VK, M>(map, key, field)?
        .map(|e| message(e, field))
        .transpose()
}

/// The message under `key` in a map field of messages, inserted (empty) if the key is not
/// there.
#[inline]
pub fn map_message_mut<'a, KK, VK, M>(
    map: &'a mut M,
    key: &MapKey,
    field: &FieldDescriptor,
) -> Result<&'a mut dyn ReflectMessage, ReflectError>
where
    KK: KeyKind,
    VK: ReflectKind,
    M: MapField<Key = KK::Value, Value = VK::Value>,
{
    if !holds_messages(field) {
        return Err(wrong_shape(field));
    }
    let stored = stored_key::<KK>(key.clone(), field)?;
    if map.value_mut(&stored).is_none() {
        map.insert_entry(stored_key::<KK>(key.clone(), field)?, Default::default());
    }
    map.value_mut(&stored)
        .and_then(VK::message_mut)
        .ok_or_else(|| wrong_shape(field))
}

/// Inserts an entry into a map field.
#[inline]
pub fn map_insert<KK, VK, M>(
    map: &mut M,
    key: MapKey,
    value: Value,
    field: &FieldDescriptor,
) -> Result<(), ReflectError>
where
    KK: KeyKind,
    VK: ReflectKind,
    M: MapField<Key = KK::Value, Value = VK::Value>,
{
    let key = stored_key::<KK>(key, field)?;
    let value = VK::from_value(value, field)?;
    map.insert_entry(key, value);
    Ok(())
}

/// Removes the entry under `key` from a map field.
#[inline]
pub fn map_remove<KK, M>(
    map: &mut M,
    key: &MapKey,
    field: &FieldDescriptor,
) -> Result<bool, ReflectError>
where
    KK: KeyKind,
    M: MapAccess<Key = KK::Value>,
{
    let key = stored_key::<KK>(key.clone(), field)?;
    Ok(map.remove_entry(&key))
}

/// Stored map entries with keys of kind `KK` and values of kind `VK`.
pub type Entries<KK, VK> = Vec<(<KK as Kind>::Value, <VK as Kind>::Value)>;

/// The entries of a `Value::Map`, converted for a map field (checked before the map
/// changes).
pub fn map_entries<KK: KeyKind, VK: ReflectKind>(
    value: Value,
    field: &FieldDescriptor,
) -> Result<Entries<KK, VK>, ReflectError> {
    let Value::Map(entries) = value else {
        return Err(mismatch(field, "Map"));
    };
    entries
        .into_iter()
        .map(|(k, v)| Ok((stored_key::<KK>(k, field)?, VK::from_value(v, field)?)))
        .collect()
}

// ---- oneofs ------------------------------------------------------------------------------

/// Reflection on a oneof enum's members, emitted by `#[derive(zpb::Oneof)]` for the oneofs
/// of messages with reflection. `number` is a member's field number.
pub trait ReflectOneof: Sized {
    /// The members as the oneof's message describes them (for descriptors synthesized for
    /// hand-written messages).
    const MEMBERS: &'static [FieldTable];
    /// The value of member `number`, if it is the one set.
    fn reflect_elem(slot: &Option<Self>, number: u32) -> Option<Elem<'_>>;
    /// The message of member `number`, set to an empty message if another member (or none)
    /// was set; `None` if the member is not a message.
    fn reflect_message_mut(slot: &mut Option<Self>, number: u32)
        -> Option<&mut dyn ReflectMessage>;
    /// Sets member `number` to `value`.
    fn reflect_set(
        slot: &mut Option<Self>,
        number: u32,
        value: Value,
        field: &FieldDescriptor,
    ) -> Result<(), ReflectError>;
}

/// The plain value of oneof member `field` (its default when another member or none is set).
#[inline]
pub fn oneof_get<'a, O: ReflectOneof>(
    slot: &'a Option<O>,
    field: &'a FieldDescriptor,
) -> Result<ValueRef<'a>, ReflectError> {
    match O::reflect_elem(slot, field.number()) {
        Some(e) => plain(e, field),
        None => unset(field),
    }
}

/// The message of oneof member `field`, if it is the member set.
#[inline]
pub fn oneof_message<'a, O: ReflectOneof>(
    slot: &'a Option<O>,
    field: &FieldDescriptor,
) -> Result<Option<&'a dyn ReflectMessage>, ReflectError> {
    if !holds_messages(field) {
        return Err(wrong_shape(field));
    }
    O::reflect_elem(slot, field.number())
        .map(|e| message(e, field))
        .transpose()
}

/// The message of oneof member `field`, set if it was not.
#[inline]
pub fn oneof_message_mut<'a, O: ReflectOneof>(
    slot: &'a mut Option<O>,
    field: &FieldDescriptor,
) -> Result<&'a mut dyn ReflectMessage, ReflectError> {
    if !holds_messages(field) {
        return Err(wrong_shape(field));
    }
    O::reflect_message_mut(slot, field.number()).ok_or_else(|| wrong_shape(field))
}

/// Element `index` of a repeated field's values, or `IndexOutOfRange`.
fn element_mut<T>(list: &mut [T], index: usize) -> Result<&mut T, ReflectError> {
    let len = list.len();
    list.get_mut(index)
        .ok_or(ReflectError::IndexOutOfRange { index, len })
}
