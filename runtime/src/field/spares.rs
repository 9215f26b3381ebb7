//! [`OneofSpares`]: the storage of each oneof's last member, kept across `clear()`.

use super::reuse::{keep_within, Reuse};
use std::any::Any;
use std::fmt;
use std::mem::size_of;

/// A kept member value (`Option<O>` for a oneof enum `O`), type-erased.
trait Spare: Any + Send + Sync {
    /// Heap bytes held, the box included.
    fn space_used(&self) -> usize;
    fn as_any(&self) -> &dyn Any;
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

/// The cleared last member of each oneof of a message, with its storage (a sub-message's
/// box and buffers, a string's capacity), one slot per oneof in declaration order. A
/// message's `clear()` moves the set member here instead of dropping it, and the next parse
/// (or merge) of the same member takes it back, so a same-shape re-parse allocates nothing
/// for its oneofs. Part of [`MessageState`](super::MessageState); support for derived code.
///
/// It is memory like any other kept storage: counted by `space_used()`, released by
/// `trim()` past the budget (so by `MemoryPolicy::Release` and `Budget`), never cloned, and
/// not part of a message's value.
#[derive(Default)]
pub struct OneofSpares {
    slots: Vec<Option<Box<dyn Spare>>>,
}

impl OneofSpares {
    /// The kept member of oneof `k`, if there is one.
    pub fn peek<O: 'static>(&self, k: usize) -> Option<&O> {
        let spare = self.slots.get(k)?.as_ref()?;
        spare.as_any().downcast_ref::<Option<O>>()?.as_ref()
    }

    /// Takes the kept member of oneof `k` out (its slot, a box, stays for the next one).
    pub fn take<O: 'static>(&mut self, k: usize) -> Option<O> {
        let spare = self.slots.get_mut(k)?.as_mut()?;
        spare.as_any_mut().downcast_mut::<Option<O>>()?.take()
    }

    /// Keeps `member` (cleared by the caller) as oneof `k`'s spare, replacing any earlier
    /// one. Allocates only the first time a oneof keeps a member.
    pub fn put<O: Reuse + Send + Sync + 'static>(&mut self, k: usize, member: O) {
        if self.slots.len() <= k {
            self.slots.resize_with(k + 1, || None);
        }
        let slot = &mut self.slots[k];
        match slot
            .as_mut()
            .and_then(|s| s.as_any_mut().downcast_mut::<Option<O>>())
        {
            Some(kept) => *kept = Some(member),
            None => *slot = Some(Box::new(Some(member))),
        }
    }
}

impl Reuse for OneofSpares {
    /// Spares are already cleared: nothing to do.
    fn clear(&mut self) {}

    fn space_used(&self) -> usize {
        if self.slots.capacity() == 0 {
            return 0;
        }
        self.slots.capacity() * size_of::<Option<Box<dyn Spare>>>()
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
impl Clone for OneofSpares {
    fn clone(&self) -> Self {
        OneofSpares::default()
    }
}

impl fmt::Debug for OneofSpares {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OneofSpares({} kept)",
            self.slots.iter().flatten().count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_kept_taken_and_released() {
        let mut spares = OneofSpares::default();
        assert_eq!((spares.space_used(), spares.peek::<String>(0)), (0, None));
        spares.put(1, String::with_capacity(100));
        assert_eq!(spares.peek::<String>(1).map(String::capacity), Some(100));
        assert_eq!(
            spares.peek::<Vec<u8>>(1),
            None,
            "another type is not taken for it"
        );
        assert_eq!(spares.take::<Vec<u8>>(1), None);
        assert!(spares.space_used() >= 100);
        let s = spares.take::<String>(1).unwrap();
        assert_eq!((s.capacity(), spares.take::<String>(1)), (100, None));
        spares.put(1, s);
        spares.trim(&mut 50);
        assert_eq!(spares.space_used(), 0);
        assert!(spares.clone().peek::<String>(1).is_none());
    }
}
