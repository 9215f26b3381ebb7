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
    /// Moves every entry out to `f`, leaving the map empty with its own storage (a hash
    /// table keeps its buckets; a B-tree has none to keep).
    fn drain_entries(&mut self, f: impl FnMut(Self::Key, Self::Value));
}

macro_rules! map_field {
    ($($map:ident<K, V $(, $s:ident: $bound:path)?> where K: $($kb:path)|+, drain: |$m:ident| $drain:expr;)*) => {$(
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
            #[inline]
            fn drain_entries(&mut self, mut f: impl FnMut(K, V)) {
                let $m = self;
                for (k, v) in $drain {
                    f(k, v)
                }
            }
        }
    )*};
}

map_field! {
    HashMap<K, V, S: BuildHasher> where K: Ord | Hash, drain: |m| m.drain();
    BTreeMap<K, V> where K: Ord, drain: |m| std::mem::take(m);
}

/// A map entry's key and value, as a map's spare slot keeps them.
pub trait Entry: Reuse + Default + Send + Sync + 'static {}
impl<T: Reuse + Default + Send + Sync + 'static> Entry for T {}

/// The cleared entries map `M` keeps in its spare slot.
type Entries<M> = Vec<(<M as MapField>::Key, <M as MapField>::Value)>;

/// A key and a value to read an entry into: a cleared pair kept by the map's last `clear()`
/// (slot `k` of the spares in `held`, the message's unknown fields' block), else new
/// defaults. Takes nothing from a map that never kept any, so a fresh parse allocates nothing
/// here.
#[inline]
pub(crate) fn spare_entry<M: MapField>(held: &mut UnknownFields, k: usize) -> (M::Key, M::Value)
where
    M::Key: Entry,
    M::Value: Entry,
{
    held.spare_mut::<Entries<M>>(k)
        .and_then(Vec::pop)
        .unwrap_or_default()
}

/// Gives back a pair [`spare_entry`] handed out and the parse did not use (cleared), so
/// that it stays for the next parse. A pair from a map that keeps none is dropped.
pub(crate) fn unused_entry<M: MapField>(
    held: &mut UnknownFields,
    k: usize,
    (mut key, mut value): (M::Key, M::Value),
) where
    M::Key: Entry,
    M::Value: Entry,
{
    if let Some(kept) = held.spare_mut::<Entries<M>>(k) {
        key.clear();
        value.clear();
        kept.push((key, value));
    }
}

/// Clears a map field (a message's `clear()`): its entries are cleared and kept in slot `k`
/// of the spares in `held`, keys and values with their storage, for the next parse to fill;
/// a hash table keeps its buckets.
pub fn clear_map<M: MapField>(map: &mut M, held: &mut UnknownFields, k: usize)
where
    M::Key: Entry,
    M::Value: Entry,
{
    if map.entry_count() == 0 {
        return;
    }
    match held.spare_or_default::<Entries<M>>(k) {
        Some(kept) => map.drain_entries(|mut key, mut value| {
            key.clear();
            value.clear();
            kept.push((key, value));
        }),
        None => map.drain_entries(|_, _| {}),
    }
}

/// Reads one map entry into `key` and `value` (empty); its key and value fields may come in
/// any order, repeated (last wins), or be missing (default). Unknown entry fields are
/// skipped.
fn read_entry<KK: Kind, VK: Kind>(
    d: &mut Decoder<'_>,
    key: &mut KK::Value,
    value: &mut VK::Value,
) -> Result<(), DecodeError> {
    map_entry::read_entry(&Static::<KK>::SIDE, &Static::<VK>::SIDE, key, value, d)
}

/// Merges one entry into a map field, reading it into a pair the map kept from its last
/// `clear()` (slot `k` of the spares in `held`) when there is one.
pub fn merge_map<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    map: &mut M,
    held: &mut UnknownFields,
    k: usize,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError>
where
    M::Key: Entry,
    M::Value: Entry,
{
    if tag.wire_type() != WireType::Len {
        return Ok(false);
    }
    let (mut key, mut value) = spare_entry::<M>(held, k);
    d.nested(|d| read_entry::<KK, VK>(d, &mut key, &mut value))?;
    map.insert_entry(key, value);
    Ok(true)
}

/// Merges another message's map field into `map`: each of its entries is inserted, replacing
/// the value under the same key (as a later entry on the wire does; an existing value keeps
/// its storage). New entries are copied into pairs the map kept from its last `clear()`
/// (slot `k` of the spares in `held`) when there are some.
pub fn merge_map_from<KK: Kind, VK: Kind, M: MapField<Key = KK::Value, Value = VK::Value>>(
    map: &mut M,
    held: &mut UnknownFields,
    k: usize,
    other: &M,
) where
    M::Key: Entry,
    M::Value: Entry,
{
    other.for_each_entry(|k_other, v| match map.value_mut(k_other) {
        Some(slot) => {
            slot.clear();
            VK::merge_value(slot, v);
        }
        None => {
            let (mut key, mut value) = spare_entry::<M>(held, k);
            KK::merge_value(&mut key, k_other);
            VK::merge_value(&mut value, v);
            map.insert_entry(key, value);
        }
    });
}

/// Merges one entry into a map whose values are a closed enum: an entry with an undeclared
/// value goes, whole, to the unknown fields (as C++ does). The key is read into one the map
/// kept from its last `clear()` (slot `k` of the spares in `held`) when there is one.
pub fn merge_map_closed_enum<KK, E, M>(
    map: &mut M,
    held: &mut UnknownFields,
    k: usize,
    tag: Tag,
    d: &mut Decoder<'_>,
) -> Result<bool, DecodeError>
where
    KK: Kind,
    E: Enumeration + Entry,
    M: MapField<Key = KK::Value, Value = E>,
    M::Key: Entry,
{
    if tag.wire_type() != WireType::Len {
        return Ok(false);
    }
    let entry = d.rest();
    let (mut key, e) = spare_entry::<M>(held, k);
    let mut raw = 0;
    d.nested(|d| read_entry::<KK, super::Int32>(d, &mut key, &mut raw))?;
    match E::from_i32(raw) {
        Some(e) => map.insert_entry(key, e),
        None => {
            let consumed = entry.len() - d.rest().len();
            held.push_raw(tag, &entry[..consumed]);
            key.clear();
            if let Some(kept) = held.spare_mut::<Entries<M>>(k) {
                kept.push((key, e));
            }
        }
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
