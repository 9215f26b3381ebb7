//! Map fields: each entry is a nested message with the key as field 1 and the value as
//! field 2. A missing key or value takes its default; a repeated key keeps the last entry.

use super::kinds::Kind;
use super::map_entry::{self, Static};
use crate::error::DecodeError;
use crate::field::{Enumeration, Reuse, UnknownFields};
use crate::text::TextWriter;
use crate::wire::{Decoder, Encoder, Tag, WireType};
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
    map_entry::read_entry(
        &Static::<KK>::SIDE,
        &Static::<VK>::SIDE,
        &mut key,
        &mut value,
        d,
    )?;
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
    let entry = map_entry::read_entry_or_unknown(
        tag,
        d,
        unknown,
        &Static::<KK>::SIDE,
        &Static::<super::Int32>::SIDE,
        KK::Value::default(),
        0,
        |&raw| E::from_i32(raw).is_some(),
    )?;
    if let Some((key, e)) = entry.and_then(|(key, raw)| Some((key, E::from_i32(raw)?))) {
        map.insert_entry(key, e);
    }
    Ok(true)
}

/// Encoded size of a map field. Key and value are always written, as C++ does.
pub fn map_len<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field_number: u32,
    map: &M,
) -> usize {
    let mut len = 0;
    map.for_each_entry(|k, v| {
        len += map_entry::entry_len(field_number, &Static::<KK>::SIDE, k, &Static::<VK>::SIDE, v);
    });
    len
}

/// Writes a map field, one entry message per key.
pub fn encode_map<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field_number: u32,
    map: &M,
    e: &mut Encoder<'_>,
) {
    // Message values' sizes were cached by `map_len`.
    map.for_each_entry(|k, v| {
        map_entry::encode_entry(
            field_number,
            &Static::<KK>::SIDE,
            k,
            &Static::<VK>::SIDE,
            v,
            e,
        )
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
