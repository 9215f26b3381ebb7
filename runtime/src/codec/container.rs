//! Generic read/size/write functions per field container: implicit presence (`T`), explicit
//! presence (`Option<T>`, [`Optional<T>`], [`OptionalThinString`], [`MessageField<M>`]), repeated (`Vec<T>`,
//! [`Repeated<T>`]), packed, and closed enums. Each `merge_*` returns `Ok(false)` when the
//! wire type does not fit the field, so the caller keeps the field as unknown (as C++ does).

use super::kinds::{Kind, PackedKind, ScalarKind};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::field::{
    Enumeration, MessageField, Optional, OptionalThinString, Repeated, Reuse, ThinString,
    UnknownFields,
};
use crate::oneof::Oneof;
use crate::text::TextWriter;
use crate::wire::{encoded_varint_len, tag_len, Decoder, Encoder, Tag, WireType};
use std::fmt;

/// A container of one value with explicit presence.
pub trait PresenceField {
    /// The value type.
    type Value;
    /// The value if set.
    fn value(&self) -> Option<&Self::Value>;
    /// Marks the field set and returns its value for merging.
    fn insert_mut(&mut self) -> &mut Self::Value;
}

macro_rules! presence_field {
    ($($ty:ty, $v:ident: $($bound:path)|+ => value: |$s:ident| $value:expr, insert: |$m:ident| $insert:expr;)*) => {$(
        impl<$v: $($bound +)+> PresenceField for $ty {
            type Value = $v;
            #[inline]
            fn value(&self) -> Option<&$v> {
                let $s = self;
                $value
            }
            #[inline]
            fn insert_mut(&mut self) -> &mut $v {
                let $m = self;
                $insert
            }
        }
    )*};
}

presence_field! {
    Option<T>, T: Default => value: |s| s.as_ref(), insert: |s| s.get_or_insert_with(T::default);
    Optional<T>, T: Reuse | Default => value: |s| s.get(), insert: |s| s.mut_or_insert();
    MessageField<M>, M: Default => value: |s| s.get(), insert: |s| s.mut_or_insert();
    Box<M>, M: Sized => value: |s| Some(&**s), insert: |s| &mut **s;
}

impl PresenceField for OptionalThinString {
    type Value = ThinString;
    #[inline]
    fn value(&self) -> Option<&ThinString> {
        self.get()
    }
    #[inline]
    fn insert_mut(&mut self) -> &mut ThinString {
        self.mut_or_insert()
    }
}

/// A container of repeated values.
pub trait RepeatedField {
    /// The element type.
    type Value;
    /// Appends an element for merging (a retained one where the container keeps them).
    fn add_default(&mut self) -> &mut Self::Value;
    /// The live elements.
    fn values(&self) -> &[Self::Value];
    /// Makes room for `additional` more elements (counting retained ones).
    fn reserve(&mut self, additional: usize);
}

impl<T: Default> RepeatedField for Vec<T> {
    type Value = T;
    #[inline]
    fn add_default(&mut self) -> &mut T {
        let index = self.len();
        self.push(T::default());
        &mut self[index]
    }
    #[inline]
    fn values(&self) -> &[T] {
        self
    }
    #[inline]
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional)
    }
}

impl<T: Reuse + Default> RepeatedField for Repeated<T> {
    type Value = T;
    #[inline]
    fn add_default(&mut self) -> &mut T {
        self.add()
    }
    #[inline]
    fn values(&self) -> &[T] {
        self
    }
    #[inline]
    fn reserve(&mut self, additional: usize) {
        Repeated::reserve(self, additional)
    }
}

/// Merges one value into the slot `target` gives, if the wire type fits the kind.
#[inline(always)]
fn merge_value<'v, K: Kind>(
    tag: Tag,
    d: &mut Decoder<'_>,
    target: impl FnOnce() -> &'v mut K::Value,
) -> Result<bool, DecodeError>
where
    K::Value: 'v,
{
    if tag.wire_type() != K::WIRE_TYPE {
        return Ok(false);
    }
    K::merge(target(), d, tag.field_number())?;
    Ok(true)
}

// ---- implicit presence -------------------------------------------------------------------

/// Merges a value into an implicit-presence field.
#[inline]
pub fn merge_implicit<K: Kind>(
    value: &mut K::Value,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    merge_value::<K>(tag, d, || value)
}

/// Encoded size of an implicit-presence field (0 when it holds the default).
#[inline]
pub fn implicit_len<K: Kind>(field_number: u32, value: &K::Value) -> usize {
    if K::is_default(value) {
        0
    } else {
        tag_len(field_number) + K::encoded_len(value, field_number)
    }
}

/// Writes an implicit-presence field unless it holds the default.
#[inline]
pub fn encode_implicit<K: Kind>(field_number: u32, value: &K::Value, e: &mut Encoder<'_>) {
    if !K::is_default(value) {
        e.put_tag(field_number, K::WIRE_TYPE);
        K::encode(value, field_number, e);
    }
}

/// Writes an implicit-presence field in text format unless it holds the default.
pub fn text_implicit<K: Kind>(
    w: &mut TextWriter<'_, '_>,
    name: &str,
    value: &K::Value,
) -> fmt::Result {
    if K::is_default(value) {
        return Ok(());
    }
    w.field(name, |w| K::fmt_text(value, w))
}

// ---- explicit presence -------------------------------------------------------------------

/// Merges a value into a field with presence (sets it).
#[inline]
pub fn merge_optional<K: Kind, C: PresenceField<Value = K::Value>>(
    field: &mut C,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    merge_value::<K>(tag, d, || field.insert_mut())
}

/// Encoded size of a field with presence (0 when unset).
#[inline]
pub fn optional_len<K: Kind, C: PresenceField<Value = K::Value>>(
    field_number: u32,
    field: &C,
) -> usize {
    match field.value() {
        Some(v) => tag_len(field_number) + K::encoded_len(v, field_number),
        None => 0,
    }
}

/// Writes a field with presence if set.
#[inline]
pub fn encode_optional<K: Kind, C: PresenceField<Value = K::Value>>(
    field_number: u32,
    field: &C,
    e: &mut Encoder<'_>,
) {
    if let Some(v) = field.value() {
        e.put_tag(field_number, K::WIRE_TYPE);
        K::encode(v, field_number, e);
    }
}

/// Whether a field with presence holds an initialized value (or none).
#[inline]
pub fn optional_is_initialized<K: Kind, C: PresenceField<Value = K::Value>>(field: &C) -> bool {
    field.value().is_none_or(K::is_initialized)
}

/// Collects missing required fields below a field with presence.
pub fn optional_collect_missing<K: Kind, C: PresenceField<Value = K::Value>>(
    field: &C,
    prefix: &str,
    name: &str,
    out: &mut Vec<String>,
) {
    if let Some(v) = field.value() {
        K::collect_missing(v, &format!("{prefix}{name}."), out);
    }
}

/// Writes a field with presence in text format if set.
pub fn text_optional<K: Kind, C: PresenceField<Value = K::Value>>(
    w: &mut TextWriter<'_, '_>,
    name: &str,
    field: &C,
) -> fmt::Result {
    match field.value() {
        Some(v) => w.field(name, |w| K::fmt_text(v, w)),
        None => Ok(()),
    }
}

// ---- repeated ------------------------------------------------------------------------------

/// Merges one element into a repeated field of a non-packable kind (string, bytes, message,
/// group).
#[inline]
pub fn merge_repeated<K: Kind, C: RepeatedField<Value = K::Value>>(
    field: &mut C,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    merge_value::<K>(tag, d, || field.add_default())
}

/// Merges into a repeated scalar field, accepting packed and unpacked encodings alike (as
/// the spec requires of parsers).
#[inline]
pub fn merge_repeated_scalar<K: ScalarKind>(
    field: &mut Vec<K::Value>,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    if tag.wire_type() == K::WIRE_TYPE {
        field.push(K::read(d)?);
        Ok(true)
    } else if tag.wire_type() == WireType::Len {
        merge_packed::<K>(field, d)?;
        Ok(true)
    } else {
        Ok(false)
    }
}

/// Reads a packed body, reserving only for elements whose bytes are present.
fn merge_packed<K: ScalarKind>(
    field: &mut Vec<K::Value>,
    d: &mut Decoder<'_>,
) -> Result<(), DecodeError> {
    let mut body = d.read_packed_body()?;
    let len = body.remaining();
    match K::FIXED_SIZE {
        Some(size) => {
            if len % size != 0 {
                return Err(DecodeError::new(
                    DecodeErrorKind::InvalidPackedLength {
                        len,
                        element_size: size,
                    },
                    body.offset(),
                ));
            }
            field.reserve(len / size);
        }
        // Every varint ends in exactly one byte below 0x80: count them.
        None => field.reserve(body.rest().iter().filter(|&&b| b < 0x80).count()),
    }
    while !body.is_empty() {
        field.push(K::read(&mut body)?);
    }
    Ok(())
}

/// Encoded size of a repeated field written unpacked (one tag per element).
#[inline]
pub fn repeated_len<K: Kind>(field_number: u32, values: &[K::Value]) -> usize {
    let mut len = tag_len(field_number) * values.len();
    for v in values {
        len += K::encoded_len(v, field_number);
    }
    len
}

/// Writes a repeated field unpacked.
#[inline]
pub fn encode_repeated<K: Kind>(field_number: u32, values: &[K::Value], e: &mut Encoder<'_>) {
    for v in values {
        e.put_tag(field_number, K::WIRE_TYPE);
        K::encode(v, field_number, e);
    }
}

/// Bytes of a packed body (without tag and length prefix).
#[inline]
pub fn packed_body_len<K: PackedKind>(values: &[K::Value]) -> usize {
    match K::FIXED_SIZE {
        Some(size) => size * values.len(),
        None => values.iter().map(|v| K::value_len(*v)).sum(),
    }
}

/// Encoded size of a packed field (0 when empty).
#[inline]
pub fn packed_len<K: PackedKind>(field_number: u32, values: &[K::Value]) -> usize {
    if values.is_empty() {
        return 0;
    }
    let body = packed_body_len::<K>(values);
    tag_len(field_number) + encoded_varint_len(body as u64) + body
}

/// Writes a packed field (nothing when empty).
#[inline]
pub fn encode_packed<K: PackedKind>(field_number: u32, values: &[K::Value], e: &mut Encoder<'_>) {
    if values.is_empty() {
        return;
    }
    e.put_tag(field_number, WireType::Len);
    e.put_varint(packed_body_len::<K>(values) as u64);
    for v in values {
        K::write(*v, e);
    }
}

/// Whether every element of a repeated message field is initialized.
#[inline]
pub fn repeated_is_initialized<K: Kind>(values: &[K::Value]) -> bool {
    values.iter().all(K::is_initialized)
}

/// Collects missing required fields below each element of a repeated field.
pub fn repeated_collect_missing<K: Kind>(
    values: &[K::Value],
    prefix: &str,
    name: &str,
    out: &mut Vec<String>,
) {
    for (i, v) in values.iter().enumerate() {
        K::collect_missing(v, &format!("{prefix}{name}[{i}]."), out);
    }
}

/// Writes each element of a repeated field in text format.
pub fn text_repeated<K: Kind>(
    w: &mut TextWriter<'_, '_>,
    name: &str,
    values: &[K::Value],
) -> fmt::Result {
    for v in values {
        w.field(name, |w| K::fmt_text(v, w))?;
    }
    Ok(())
}

// ---- merging from another message (C++ `MergeFrom`) -------------------------------------

/// Merges an implicit-presence field of another message into `value`: overwrites it when
/// `other` holds a non-default value (what parsing `other`'s encoding after `value`'s does).
#[inline]
pub fn merge_implicit_from<K: Kind>(value: &mut K::Value, other: &K::Value) {
    if !K::is_default(other) {
        K::merge_value(value, other)
    }
}

/// Merges a field with presence of another message into `field`: when `other` is set,
/// `field` becomes set and takes its value (messages merge, reusing a retained box).
#[inline]
pub fn merge_optional_from<K: Kind, C: PresenceField<Value = K::Value>>(field: &mut C, other: &C) {
    if let Some(v) = other.value() {
        K::merge_value(field.insert_mut(), v)
    }
}

/// Appends the elements of another message's repeated field to `field`, copying each into
/// a retained element where the container keeps them (no allocation into warmed storage).
#[inline]
pub fn merge_repeated_from<K: Kind, C: RepeatedField<Value = K::Value>>(field: &mut C, other: &C) {
    field.reserve(other.values().len());
    for v in other.values() {
        K::merge_value(field.add_default(), v)
    }
}

/// Merges another message's oneof into `slot`: the same member merges (messages) or
/// overwrites (everything else); another member replaces the one set. An unset oneof takes
/// back the storage its last member left in slot `k` of the spares in `held` (the message's
/// unknown fields' block) when that is the member coming in.
#[inline]
pub fn merge_oneof_from<O: Oneof + Send + Sync + 'static>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
    other: &Option<O>,
) {
    if let Some(o) = other {
        if slot.is_none() {
            restore_oneof(slot, held, k, o.field_number());
        }
        O::merge_from(slot, o)
    }
}

/// Merges a field into a oneof if `tag` names one of its members (`Ok(false)` if not, or if
/// the wire type does not fit). An unset oneof first takes back the storage its last member
/// left in slot `k` of the spares in `held` when that is the member coming in, so a
/// same-shape re-parse allocates nothing. A closed enum member's undeclared number goes to
/// `held`'s unknown fields.
#[inline]
pub fn merge_oneof<O: Oneof + Send + Sync + 'static>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    let restored = slot.is_none() && restore_oneof(slot, held, k, tag.field_number());
    let unknown_len = held.encoded_len();
    let merged = O::merge(slot, tag, d, held)?;
    if restored && (!merged || held.encoded_len() != unknown_len) {
        // The wire type did not fit, or the value went to the unknown fields (a closed
        // enum's undeclared number): the oneof stays unset, the member's storage kept.
        keep_member(slot, held, k);
    }
    Ok(merged)
}

/// Reads member `number` of oneof `k` with `merge` (a JSON or text reader) into `slot`, first
/// putting the member kept across `clear()` back when it is that member, so that a reused
/// message reads into its storage; when `merge` reads nothing (`Ok(false)`: a `null`), the
/// kept member goes back to the spares and the oneof stays unset. The spares are kept in
/// `held`, the message's unknown fields' block.
///
/// # Errors
/// What `merge` returns.
pub fn merge_oneof_with<O: Oneof + Send + Sync + 'static, E>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
    number: u32,
    merge: impl FnOnce(&mut Option<O>) -> Result<bool, E>,
) -> Result<bool, E> {
    let restored = slot.is_none() && restore_oneof(slot, held, k, number);
    let merged = merge(slot)?;
    if restored && !merged {
        keep_member(slot, held, k);
    }
    Ok(merged)
}

/// Puts oneof `k`'s kept member back into the unset `slot` if it is member `number`.
#[inline]
fn restore_oneof<O: Oneof + Send + Sync + 'static>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
    number: u32,
) -> bool {
    let kept = held.spare::<Option<O>>(k).and_then(Option::as_ref);
    if kept.map(O::field_number) != Some(number) {
        return false;
    }
    *slot = held.spare_or_default::<Option<O>>(k).and_then(Option::take);
    slot.is_some()
}

/// Moves the (cleared) member in `slot` into oneof `k`'s spare slot.
#[inline]
fn keep_member<O: Oneof + Send + Sync + 'static>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
) {
    if let Some(kept) = held.spare_or_default::<Option<O>>(k) {
        *kept = slot.take();
    } else {
        *slot = None;
    }
}

/// Clears a oneof (a message's `clear()`): the set member is cleared and kept in the spares
/// (slot `k`) with its storage, for the next parse of the same member.
#[inline]
pub fn clear_oneof<O: Oneof + Send + Sync + 'static>(
    slot: &mut Option<O>,
    held: &mut UnknownFields,
    k: usize,
) {
    if let Some(member) = slot {
        member.clear();
        keep_member(slot, held, k);
    }
}

// ---- closed enums ------------------------------------------------------------------------

/// Reads a closed enum field (singular or repeated; packed accepted when `repeated`): each
/// declared number is passed to `set`, each undeclared one is kept in `unknown` as a varint
/// field, as C++ does.
#[inline]
pub fn merge_closed_enum<E: Enumeration>(
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
    repeated: bool,
    set: impl FnMut(E),
) -> Result<bool, DecodeError> {
    super::merge_closed_enum_with(tag, d, unknown, repeated, E::from_i32, set)
}

/// Writes a required or optional field name into a missing-field list when unset.
#[inline]
pub fn require_present(present: bool, prefix: &str, name: &str, out: &mut Vec<String>) {
    if !present {
        out.push(format!("{prefix}{name}"));
    }
}
