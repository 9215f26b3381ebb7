//! [`FieldSpares`]: storage a message's oneofs and maps keep across `clear()`.

use super::reuse::{keep_within, Reuse};
use std::any::Any;
use std::fmt;
use std::mem::size_of;

/// What one slot keeps, type-erased: `Option<O>` for a oneof enum `O` (its last member),
/// `Vec<(K, V)>` for a map (its cleared entries).
pub trait Spare: Any + Send + Sync {
    /// Heap bytes held, the slot's box included.
    fn space_used(&self) -> usize;
    /// As `Any`, to get the typed value back.
    fn as_any(&self) -> &dyn Any;
    /// As `Any`, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<O: Reuse + Send + Sync + 'static> Spare for Option<O> {
    fn space_used(&self) -> usize {
        size_of::<Self>() + self.as_ref().map_or(0, Reuse::space_used)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl<K: Reuse + Send + Sync + 'static, V: Reuse + Send + Sync + 'static> Spare for Vec<(K, V)> {
    fn space_used(&self) -> usize {
        let own = size_of::<Self>() + self.capacity() * size_of::<(K, V)>();
        own + self
            .iter()
            .map(|(k, v)| k.space_used() + v.space_used())
            .sum::<usize>()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Storage a message keeps for its oneofs and maps across `clear()`, one slot per oneof or
/// map field (numbered in declaration order). A message's `clear()` moves a oneof's set
/// member, cleared, into its slot instead of dropping it, and a map's entries, cleared, into
/// its slot's list; the next parse or merge takes them back (the oneof's member when the same
/// member comes in, the map's entries one per new entry), so a same-shape re-parse allocates
/// nothing for them. It lives in the message's out-of-line block, beside its unknown fields
/// ([`UnknownFields`](super::UnknownFields)), so that a message pays one pointer for both;
/// support for derived code.
///
/// It is memory like any other kept storage: counted by `space_used()`, released by
/// `trim()` when over the budget (so by `MemoryPolicy::Release`, and by `Budget` when over),
/// never cloned, and not part of a message's value.
#[derive(Default)]
pub struct FieldSpares {
    slots: Vec<Slot>,
}

/// One oneof's or map's slot: empty until it first keeps something.
type Slot = Option<Box<dyn Spare>>;

impl FieldSpares {
    /// The value kept in slot `k`, if it holds a `T`.
    pub fn get<T: Spare>(&self, k: usize) -> Option<&T> {
        self.slots.get(k)?.as_ref()?.as_any().downcast_ref::<T>()
    }

    /// The value kept in slot `k`, mutably, if it holds a `T`.
    pub fn get_mut<T: Spare>(&mut self, k: usize) -> Option<&mut T> {
        self.slots
            .get_mut(k)?
            .as_mut()?
            .as_any_mut()
            .downcast_mut::<T>()
    }

    /// Slot `k`'s `T`, made (empty) if the slot holds none: `None` only if it could not be
    /// made, which does not happen. Allocates the first time a slot is used.
    pub fn get_or_default<T: Spare + Default>(&mut self, k: usize) -> Option<&mut T> {
        if self.slots.len() <= k {
            self.slots.resize_with(k + 1, || None);
        }
        let slot = &mut self.slots[k];
        if !slot.as_ref().is_some_and(|s| s.as_any().is::<T>()) {
            *slot = Some(Box::new(T::default()));
        }
        slot.as_mut()?.as_any_mut().downcast_mut::<T>()
    }

    /// Whether nothing is kept (no slot was ever used, or all were released).
    pub fn is_empty(&self) -> bool {
        self.slots.capacity() == 0
    }
}

impl Reuse for FieldSpares {
    /// Spares are already cleared: nothing to do.
    fn clear(&mut self) {}

    /// The slot list's buffer and what each slot keeps (the list itself is inline in the
    /// block that holds it).
    fn space_used(&self) -> usize {
        self.slots.capacity() * size_of::<Slot>()
            + self
                .slots
                .iter()
                .flatten()
                .map(|s| s.space_used())
                .sum::<usize>()
    }

    /// Kept whole while it fits the budget, else released whole (none of it is live).
    fn trim(&mut self, budget: &mut usize) {
        if !keep_within(budget, self.space_used()) {
            self.slots = Vec::new();
        }
    }
}

/// A clone keeps nothing: spares are storage, not value.
impl Clone for FieldSpares {
    fn clone(&self) -> Self {
        FieldSpares::default()
    }
}

impl fmt::Debug for FieldSpares {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = self.slots.iter().flatten().count();
        write!(f, "FieldSpares({kept} slots)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_keep_taken_and_released() {
        let mut spares = FieldSpares::default();
        assert_eq!(spares.space_used(), 0);
        assert!(spares.get::<Option<String>>(0).is_none());
        *spares.get_or_default::<Option<String>>(1).unwrap() = Some(String::with_capacity(100));
        let kept = spares.get::<Option<String>>(1).and_then(Option::as_ref);
        assert_eq!(kept.map(String::capacity), Some(100));
        assert!(
            spares.get::<Option<Vec<u8>>>(1).is_none(),
            "another type is not it"
        );
        assert!(spares.space_used() >= 100);
        assert!(!spares.is_empty());
        let entries = spares.get_or_default::<Vec<(String, i32)>>(0).unwrap();
        entries.push((String::with_capacity(10), 7));
        assert_eq!(spares.get::<Vec<(String, i32)>>(0).map(Vec::len), Some(1));
        // A slot asked for as another type is remade.
        assert_eq!(spares.get_or_default::<Option<i32>>(0).copied(), Some(None));
        spares.trim(&mut 50);
        assert_eq!(spares.space_used(), 0);
        assert!(spares.is_empty());
        spares.get_or_default::<Option<i32>>(0);
        assert!(spares.clone().get::<Option<i32>>(0).is_none());
    }
}
