//! Map fields: each entry is a nested message with the key as field 1 and the value as
//! field 2. A missing key or value takes its default; a repeated key keeps the last entry.

use super::kinds::Kind;
use crate::error::DecodeError;
use crate::field::{Enumeration, Reuse, UnknownFields};
use crate::text::TextWriter;
use crate::wire::{encoded_varint_len, tag_len, Decoder, Encoder, Tag, WireType};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};

/// A map container (`HashMap` or `BTreeMap`).
pub trait MapField {
    /// Key type.
    type Key: Ord;
    /// Value type.
    type Value;
    /// Inserts or replaces an entry.
    fn insert_entry(&mut self, key: Self::Key, value: Self::Value);
    /// The value under `key`, mutably, if there is one.
    fn value_mut(&mut self, key: &Self::Key) -> Option<&mut Self::Value>;
    /// Number of entries.
    fn entry_count(&self) -> usize;
    /// Calls `f` on every entry (in the map's own order).
    fn for_each_entry<'a>(&'a self, f: impl FnMut(&'a Self::Key, &'a Self::Value));
}

macro_rules! map_field {
    ($($map:ident<K, V $(, $s:ident: $bound:path)?> where K: $($kb:path)|+;)*) => {$(
        impl<K: $($kb +)+, V $(, $s: $bound)?> MapField for $map<K, V $(, $s)?> {
            type Key = K;
            type Value = V;
            #[inline]
            fn insert_entry(&mut self, key: K, value: V) {
                self.insert(key, value);
            }
            #[inline]
            fn value_mut(&mut self, key: &K) -> Option<&mut V> {
                self.get_mut(key)
            }
            #[inline]
            fn entry_count(&self) -> usize {
                self.len()
            }
            #[inline]
            fn for_each_entry<'a>(&'a self, mut f: impl FnMut(&'a K, &'a V)) {
                for (k, v) in self {
                    f(k, v)
                }
            }
        }
    )*};
}

map_field! {
    HashMap<K, V, S: BuildHasher> where K: Ord | Hash;
    BTreeMap<K, V> where K: Ord;
}

/// Reads one map entry; its key and value fields may come in any order, repeated (last
/// wins), or be missing (default). Unknown entry fields are skipped.
fn read_entry<KK: Kind, VK: Kind>(
    d: &mut Decoder<'_>,
) -> Result<(KK::Value, VK::Value), DecodeError> {
    let mut key = KK::Value::default();
    let mut value = VK::Value::default();
    while let Some(tag) = d.read_tag()? {
        match (tag.field_number(), tag.wire_type()) {
            (1, w) if w == KK::WIRE_TYPE => KK::merge(&mut key, d, 1)?,
            (2, w) if w == VK::WIRE_TYPE => VK::merge(&mut value, d, 2)?,
            _ => d.skip_value(tag)?,
        }
    }
    Ok((key, value))
}

/// Merges one entry into a map field.
pub fn merge_map<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    map: &mut M,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError> {
    if tag.wire_type() != WireType::Len {
        return Ok(false);
    }
    let (key, value) = d.nested(read_entry::<KK, VK>)?;
    map.insert_entry(key, value);
    Ok(true)
}

/// Merges another message's map field into `map`: each of its entries is inserted, replacing
/// the value under the same key (as a later entry on the wire does; an existing value keeps
/// its storage).
pub fn merge_map_from<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    map: &mut M,
    other: &M,
) where
    VK::Value: Reuse,
{
    other.for_each_entry(|k, v| match map.value_mut(k) {
        Some(slot) => {
            slot.clear();
            VK::merge_value(slot, v);
        }
        None => {
            let mut key = KK::Value::default();
            KK::merge_value(&mut key, k);
            let mut value = VK::Value::default();
            VK::merge_value(&mut value, v);
            map.insert_entry(key, value);
        }
    });
}

/// Merges one entry into a map whose values are a closed enum: an entry with an undeclared
/// value goes, whole, to the unknown fields (as C++ does).
pub fn merge_map_closed_enum<KK: Kind, E: Enumeration, M: MapField<Key = KK::Value, Value = E>>(
    map: &mut M,
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
) -> Result<bool, DecodeError> {
    if tag.wire_type() != WireType::Len {
        return Ok(false);
    }
    let entry = d.rest();
    let (key, raw) = d.nested(read_entry::<KK, super::Int32>)?;
    match E::from_i32(raw) {
        Some(e) => map.insert_entry(key, e),
        None => {
            let consumed = entry.len() - d.rest().len();
            unknown.push_raw(tag, &entry[..consumed]);
        }
    }
    Ok(true)
}

#[inline]
fn entry_body_len<KK: Kind, VK: Kind>(key: &KK::Value, value: &VK::Value) -> usize {
    tag_len(1) + KK::encoded_len(key, 1) + tag_len(2) + VK::encoded_len(value, 2)
}

/// Encoded size of a map field. Key and value are always written, as C++ does.
pub fn map_len<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field_number: u32,
    map: &M,
) -> usize {
    let mut len = tag_len(field_number) * map.entry_count();
    map.for_each_entry(|k, v| {
        let body = entry_body_len::<KK, VK>(k, v);
        len += encoded_varint_len(body as u64) + body;
    });
    len
}

/// Writes a map field, one entry message per key.
pub fn encode_map<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field_number: u32,
    map: &M,
    e: &mut Encoder<'_>,
) {
    map.for_each_entry(|k, v| {
        e.put_tag(field_number, WireType::Len);
        // Message values' sizes were cached by `map_len`.
        let body = tag_len(1) + KK::cached_len(k, 1) + tag_len(2) + VK::cached_len(v, 2);
        e.put_varint(body as u64);
        e.put_tag(1, KK::WIRE_TYPE);
        KK::encode(k, 1, e);
        e.put_tag(2, VK::WIRE_TYPE);
        VK::encode(v, 2, e);
    });
}

/// Whether every message value of a map is initialized.
pub fn map_is_initialized<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    map: &M,
) -> bool {
    let mut ok = true;
    map.for_each_entry(|_, v| ok &= VK::is_initialized(v));
    ok
}

/// Writes a map field in text format, entries sorted by key (as Python and C++ print them).
pub fn text_map<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    w: &mut TextWriter<'_, '_>,
    name: &str,
    map: &M,
) -> fmt::Result
where
    KK::Value: Ord,
{
    let mut entries: Vec<(&M::Key, &M::Value)> = Vec::with_capacity(map.entry_count());
    map.for_each_entry(|k, v| entries.push((k, v)));
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in entries {
        w.field(name, |w| {
            w.message(|w| {
                // Entries are messages with implicit presence: defaults are not printed.
                super::text_implicit::<KK>(w, "key", k)?;
                super::text_implicit::<VK>(w, "value", v)
            })
        })?;
    }
    Ok(())
}
