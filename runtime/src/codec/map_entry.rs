//! One map entry on the wire (a nested message, key field 1, value field 2), for key and
//! value kinds known at compile time ([`Static`], the generic `map` functions) or at run
//! time (reflection's dynamic messages): the one place that reads, sizes and writes entries.

use super::kinds::Kind;
use crate::error::DecodeError;
use crate::field::UnknownFields;
use crate::wire::{encoded_varint_len, tag_len, Decoder, Encoder, Tag, WireType};
use std::marker::PhantomData;

/// The key or value side of a map entry: its wire type.
pub trait EntrySide {
    /// The wire type of its (unpacked) values.
    fn wire_type(&self) -> WireType;
}

/// A side that reads values of type `V`.
pub trait EntryRead<V>: EntrySide {
    /// Reads one value (the tag is already consumed) into `value`, as [`Kind::merge`].
    fn merge(
        &self,
        value: &mut V,
        d: &mut Decoder<'_>,
        field_number: u32,
    ) -> Result<(), DecodeError>;
}

/// A side that sizes and writes values of type `V`.
pub trait EntryWrite<V>: EntrySide {
    /// Bytes `value` takes after its tag; `cached` reads nested message sizes from their
    /// caches (valid after a pass with `cached == false`), as [`Kind::cached_len`].
    fn len(&self, value: &V, field_number: u32, cached: bool) -> usize;
    /// Writes `value` after its tag, as [`Kind::encode`].
    fn encode(&self, value: &V, field_number: u32, e: &mut Encoder<'_>);
}

/// A compile-time [`Kind`] as an entry side.
pub struct Static<K>(PhantomData<K>);

impl<K> Static<K> {
    /// The side for kind `K`.
    pub const SIDE: Static<K> = Static(PhantomData);
}

impl<K: Kind> EntrySide for Static<K> {
    #[inline]
    fn wire_type(&self) -> WireType {
        K::WIRE_TYPE
    }
}

impl<K: Kind> EntryRead<K::Value> for Static<K> {
    #[inline]
    fn merge(
        &self,
        value: &mut K::Value,
        d: &mut Decoder<'_>,
        field_number: u32,
    ) -> Result<(), DecodeError> {
        K::merge(value, d, field_number)
    }
}

impl<K: Kind> EntryWrite<K::Value> for Static<K> {
    #[inline]
    fn len(&self, value: &K::Value, field_number: u32, cached: bool) -> usize {
        if cached {
            K::cached_len(value, field_number)
        } else {
            K::encoded_len(value, field_number)
        }
    }
    #[inline]
    fn encode(&self, value: &K::Value, field_number: u32, e: &mut Encoder<'_>) {
        K::encode(value, field_number, e)
    }
}

/// Reads one entry's body (inside its length) into `key` and `value` (their defaults on
/// entry): key and value may come in any order, repeated (last wins) or be missing (the
/// default stays); unknown entry fields are skipped.
#[inline]
pub fn read_entry<KV, VV>(
    k: &impl EntryRead<KV>,
    v: &impl EntryRead<VV>,
    key: &mut KV,
    value: &mut VV,
    d: &mut Decoder<'_>,
) -> Result<(), DecodeError> {
    while let Some(tag) = d.read_tag()? {
        match (tag.field_number(), tag.wire_type()) {
            (1, w) if w == k.wire_type() => k.merge(key, d, 1)?,
            (2, w) if w == v.wire_type() => v.merge(value, d, 2)?,
            _ => d.skip_value(tag)?,
        }
    }
    Ok(())
}

/// Reads one length-delimited entry (its tag `tag` already read) from `key` and `value`
/// defaults; an entry whose value `keep` refuses (an undeclared closed-enum value) goes,
/// whole, to `unknown` as C++ does, and `None` is returned.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn read_entry_or_unknown<KV, VV>(
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
    k: &impl EntryRead<KV>,
    v: &impl EntryRead<VV>,
    mut key: KV,
    mut value: VV,
    keep: impl FnOnce(&VV) -> bool,
) -> Result<Option<(KV, VV)>, DecodeError> {
    let entry = d.rest();
    d.nested(|d| read_entry(k, v, &mut key, &mut value, d))?;
    if keep(&value) {
        return Ok(Some((key, value)));
    }
    let consumed = entry.len() - d.rest().len();
    unknown.push_raw(tag, &entry[..consumed]);
    Ok(None)
}

/// Bytes of an entry's body: key and value are always written, as C++ does.
#[inline]
pub fn entry_body_len<KV, VV>(
    k: &impl EntryWrite<KV>,
    key: &KV,
    v: &impl EntryWrite<VV>,
    value: &VV,
    cached: bool,
) -> usize {
    tag_len(1) + k.len(key, 1, cached) + tag_len(2) + v.len(value, 2, cached)
}

/// Bytes of one entry of map field `field_number`, tag and length included (nested message
/// sizes computed and cached).
#[inline]
pub fn entry_len<KV, VV>(
    field_number: u32,
    k: &impl EntryWrite<KV>,
    key: &KV,
    v: &impl EntryWrite<VV>,
    value: &VV,
) -> usize {
    let body = entry_body_len(k, key, v, value, false);
    tag_len(field_number) + encoded_varint_len(body as u64) + body
}

/// Writes one entry of map field `field_number`. Its length prefix is patched in after the
/// body (see [`Encoder::len_delimited`]), with the length nested messages' cached sizes give
/// as the hint: exact after [`entry_len`] ran.
#[inline]
pub fn encode_entry<KV, VV>(
    field_number: u32,
    k: &impl EntryWrite<KV>,
    key: &KV,
    v: &impl EntryWrite<VV>,
    value: &VV,
    e: &mut Encoder<'_>,
) {
    e.put_tag(field_number, WireType::Len);
    let hint = entry_body_len(k, key, v, value, true);
    e.len_delimited(hint, |e| {
        e.put_tag(1, k.wire_type());
        k.encode(key, 1, e);
        e.put_tag(2, v.wire_type());
        v.encode(value, 2, e);
    });
}
