//! The [`Reuse`] trait: clear-and-keep, memory accounting, and trimming to a budget.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};
use std::mem::size_of;

/// A value that can be emptied while keeping its heap allocations, and that can report and
/// give back what it holds. Implemented by every field container and every message.
///
/// ```
/// use zpb::Reuse;
/// let mut s = String::from("a long string value");
/// let held = s.space_used();
/// Reuse::clear(&mut s);
/// assert_eq!(s.space_used(), held); // capacity kept for the next value
/// s.trim(&mut 0);                   // give back everything not in use
/// assert_eq!(s.space_used(), 0);
/// ```
pub trait Reuse {
    /// Whether values of this type can own heap memory at all (`false` for scalars, which
    /// lets containers of scalars skip per-element accounting).
    const OWNS_HEAP: bool = true;

    /// Empties the value, keeping allocations for reuse (C++ `Clear()`).
    #[doc(alias = "Clear")]
    fn clear(&mut self);

    /// Heap bytes owned by the value (recursively), including retained-but-unused storage.
    /// Does not count the value's own inline size (C++ `SpaceUsedLong()` minus
    /// `sizeof`).
    #[doc(alias = "SpaceUsedLong", alias = "SpaceUsed")]
    fn space_used(&self) -> usize;

    /// Releases retained storage that the current content does not use, keeping spare
    /// allocations (in field order) only while they fit in `*budget`, and subtracting what is
    /// kept from `*budget`. Live content is never released. `trim(&mut 0)` is a full
    /// shrink-to-fit.
    fn trim(&mut self, budget: &mut usize);

    /// A lower bound of the heap bytes the live content needs: of what
    /// [`space_used`](Reuse::space_used) reports after `trim(&mut 0)`. It lets
    /// [`MemoryPolicy::Budget`](crate::MemoryPolicy::Budget) see, without trimming first, that
    /// even a full shrink would stay over the budget (and release at once instead). `0`, the
    /// default, is always a valid bound; containers and derived messages report the bytes
    /// their live elements occupy.
    fn space_needed(&self) -> usize {
        0
    }
}

/// Keeps a spare allocation of `bytes` if the budget allows; says whether it may be kept.
#[inline]
pub(crate) fn keep_within(budget: &mut usize, bytes: usize) -> bool {
    if bytes <= *budget {
        *budget -= bytes;
        true
    } else {
        false
    }
}

/// Trims a growable buffer of `elem_size`-byte slots holding `len` live elements: it is kept
/// whole if it fits the budget, else shrunk to its live length. `shrink_to` releases down to a
/// capacity and returns the new one.
#[inline]
pub(crate) fn trim_buffer(
    budget: &mut usize,
    elem_size: usize,
    len: usize,
    cap: usize,
    shrink_to: impl FnOnce(usize) -> usize,
) {
    if elem_size == 0 || keep_within(budget, cap * elem_size) {
        return;
    }
    let new_cap = shrink_to(len);
    *budget = budget.saturating_sub(new_cap * elem_size);
}

/// Implements [`Reuse`] for types that own no heap memory (clearing resets them to their
/// default). Used for scalars here and for enums by `#[derive(zpb::Enumeration)]`.
#[doc(hidden)]
#[macro_export]
macro_rules! __reuse_plain {
    ($($t:ty),*) => {$(
        impl $crate::Reuse for $t {
            const OWNS_HEAP: bool = false;
            #[inline]
            fn clear(&mut self) {
                *self = ::core::default::Default::default();
            }
            #[inline]
            fn space_used(&self) -> usize {
                0
            }
            #[inline]
            fn trim(&mut self, _budget: &mut usize) {}
        }
    )*};
}

crate::__reuse_plain!(u8, i32, i64, u32, u64, f32, f64, bool);

impl Reuse for String {
    #[inline]
    fn clear(&mut self) {
        String::clear(self)
    }
    #[inline]
    fn space_used(&self) -> usize {
        self.capacity()
    }
    fn trim(&mut self, budget: &mut usize) {
        let (len, cap) = (self.len(), self.capacity());
        trim_buffer(budget, 1, len, cap, |n| {
            self.shrink_to(n);
            self.capacity()
        });
    }
    #[inline]
    fn space_needed(&self) -> usize {
        self.len()
    }
}

impl<T: Reuse> Reuse for Vec<T> {
    #[inline]
    fn clear(&mut self) {
        Vec::clear(self)
    }
    fn space_used(&self) -> usize {
        let own = self.capacity() * size_of::<T>();
        if T::OWNS_HEAP {
            own + self.iter().map(Reuse::space_used).sum::<usize>()
        } else {
            own
        }
    }
    fn trim(&mut self, budget: &mut usize) {
        let (len, cap) = (self.len(), self.capacity());
        trim_buffer(budget, size_of::<T>(), len, cap, |n| {
            self.shrink_to(n);
            self.capacity()
        });
        if T::OWNS_HEAP {
            for v in self.iter_mut() {
                v.trim(budget);
            }
        }
    }
    fn space_needed(&self) -> usize {
        let own = self.len() * size_of::<T>();
        if T::OWNS_HEAP {
            own + self.iter().map(Reuse::space_needed).sum::<usize>()
        } else {
            own
        }
    }
}

impl Reuse for bytes::Bytes {
    #[inline]
    fn clear(&mut self) {
        bytes::Bytes::clear(self)
    }
    /// A `Bytes` may share its buffer; its own length is what it is counted for.
    fn space_used(&self) -> usize {
        self.len()
    }
    fn trim(&mut self, _budget: &mut usize) {}
    #[inline]
    fn space_needed(&self) -> usize {
        self.len()
    }
}

impl<T: Reuse> Reuse for Option<T> {
    /// `Option` holds no spare storage: clearing drops the value (use
    /// [`Optional`](crate::Optional) or [`MessageField`](crate::MessageField) to keep it).
    #[inline]
    fn clear(&mut self) {
        *self = None;
    }
    #[inline]
    fn space_used(&self) -> usize {
        self.as_ref().map_or(0, Reuse::space_used)
    }
    #[inline]
    fn trim(&mut self, budget: &mut usize) {
        if let Some(v) = self {
            v.trim(budget)
        }
    }
    #[inline]
    fn space_needed(&self) -> usize {
        self.as_ref().map_or(0, Reuse::space_needed)
    }
}

impl<T: Reuse> Reuse for Box<T> {
    #[inline]
    fn clear(&mut self) {
        (**self).clear()
    }
    fn space_used(&self) -> usize {
        size_of::<T>() + (**self).space_used()
    }
    fn trim(&mut self, budget: &mut usize) {
        *budget = budget.saturating_sub(size_of::<T>());
        (**self).trim(budget)
    }
    fn space_needed(&self) -> usize {
        size_of::<T>() + (**self).space_needed()
    }
}

/// Approximate per-entry bookkeeping of std's hash table (one control byte) and B-tree.
const HASH_ENTRY_OVERHEAD: usize = 1;
const BTREE_ENTRY_OVERHEAD: usize = 8;

impl<K: Reuse, V: Reuse, S: BuildHasher> Reuse for HashMap<K, V, S>
where
    K: Eq + Hash,
{
    /// Keeps the table's buckets; keys and values are dropped (maps cost one allocation per
    /// heap-owning key or value on the next parse).
    fn clear(&mut self) {
        HashMap::clear(self)
    }
    /// Approximate: bucket storage plus what the entries own.
    fn space_used(&self) -> usize {
        self.capacity() * (size_of::<(K, V)>() + HASH_ENTRY_OVERHEAD)
            + self
                .iter()
                .map(|(k, v)| k.space_used() + v.space_used())
                .sum::<usize>()
    }
    fn trim(&mut self, budget: &mut usize) {
        let table = self.capacity() * (size_of::<(K, V)>() + HASH_ENTRY_OVERHEAD);
        if !keep_within(budget, table) {
            self.shrink_to_fit();
            *budget = budget
                .saturating_sub(self.capacity() * (size_of::<(K, V)>() + HASH_ENTRY_OVERHEAD));
        }
    }
    fn space_needed(&self) -> usize {
        self.len() * (size_of::<(K, V)>() + HASH_ENTRY_OVERHEAD)
            + self
                .iter()
                .map(|(k, v)| k.space_needed() + v.space_needed())
                .sum::<usize>()
    }
}

impl<K: Reuse + Ord, V: Reuse> Reuse for BTreeMap<K, V> {
    /// A B-tree keeps nothing when cleared.
    fn clear(&mut self) {
        BTreeMap::clear(self)
    }
    /// Approximate: entries plus per-entry node overhead.
    fn space_used(&self) -> usize {
        self.iter()
            .map(|(k, v)| {
                size_of::<(K, V)>() + BTREE_ENTRY_OVERHEAD + k.space_used() + v.space_used()
            })
            .sum()
    }
    fn trim(&mut self, _budget: &mut usize) {}
    fn space_needed(&self) -> usize {
        self.iter()
            .map(|(k, v)| {
                size_of::<(K, V)>() + BTREE_ENTRY_OVERHEAD + k.space_needed() + v.space_needed()
            })
            .sum()
    }
}
