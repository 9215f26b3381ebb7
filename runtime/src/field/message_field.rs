//! [`MessageField<M>`]: a singular sub-message that keeps its box when cleared.

use super::reuse::{keep_within, Reuse};
use std::fmt;
use std::mem::size_of;

/// A singular message field: present or absent, boxed so messages can nest recursively (or
/// because a large, rarely set sub-message is cheaper behind a pointer).
///
/// Clearing marks it absent but keeps the box and everything inside it (cleared), so the
/// next parse or `mut_or_insert()` reuses them — C++'s behaviour for sub-messages. The field
/// itself is one pointer; the box holds the value and its presence flag
/// (`size_of::<M>() + 8` bytes for a message, whose size is a multiple of 8).
///
/// ```
/// use zpb::{MessageField, Reuse};
/// use zpb::well_known::Duration;
/// let mut f: MessageField<Duration> = MessageField::none();
/// assert_eq!(std::mem::size_of_val(&f), 8);
/// f.mut_or_insert().seconds = 5;
/// assert_eq!(f.get().map(|d| d.seconds), Some(5));
/// Reuse::clear(&mut f);
/// assert!(!f.is_some());
/// assert_eq!(f.space_used(), std::mem::size_of::<Duration>() + 8); // the box is kept
/// assert_eq!(f.get_or_default().seconds, 0);
/// ```
pub struct MessageField<M> {
    /// The box, once made: kept (with the value cleared) while the field is absent.
    slot: Option<Box<Slot<M>>>,
}

/// What a [`MessageField`]'s box holds: the presence flag lives with the value, so that the
/// field is one pointer.
struct Slot<M> {
    value: M,
    present: bool,
}

impl<M> MessageField<M> {
    /// An absent field (allocates nothing).
    pub const fn none() -> Self {
        MessageField { slot: None }
    }

    /// A present field holding `value`.
    pub fn some(value: M) -> Self {
        MessageField {
            slot: Some(Box::new(Slot {
                value,
                present: true,
            })),
        }
    }

    /// Whether the field is set (`has_x()`).
    #[inline]
    pub fn is_some(&self) -> bool {
        self.slot.as_ref().is_some_and(|s| s.present)
    }

    /// The value if set.
    #[inline]
    pub fn get(&self) -> Option<&M> {
        match &self.slot {
            Some(s) if s.present => Some(&s.value),
            _ => None,
        }
    }

    /// The value, mutably, if set.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut M> {
        match &mut self.slot {
            Some(s) if s.present => Some(&mut s.value),
            _ => None,
        }
    }

    /// Whether a box is held while the field is absent (retained for reuse).
    pub fn is_retained(&self) -> bool {
        self.slot.as_ref().is_some_and(|s| !s.present)
    }
}

/// A type with a shared, immutable default value: what an unset [`MessageField`] reads as.
///
/// Every [`Message`](crate::Message) has one (a blanket implementation returns
/// [`Message::default_instance`](crate::Message::default_instance)); the trait exists so that
/// the field containers do not depend on the `Message` trait.
pub trait DefaultInstance: Default + 'static {
    /// The shared default value.
    fn default_ref() -> &'static Self;
}

impl<M: DefaultInstance> MessageField<M> {
    /// The value if set, else the type's default instance (C++'s `x()`).
    #[inline]
    pub fn get_or_default(&self) -> &M {
        self.get().unwrap_or_else(|| M::default_ref())
    }
}

impl<M: Default> MessageField<M> {
    /// Marks the field set and returns it (C++'s `mutable_x()`): the retained box if there is
    /// one, else a new default value.
    #[inline]
    pub fn mut_or_insert(&mut self) -> &mut M {
        let slot = self.slot.get_or_insert_with(|| {
            Box::new(Slot {
                value: M::default(),
                present: true,
            })
        });
        slot.present = true;
        &mut slot.value
    }

    /// Sets the field to `value`, reusing the box if one is held.
    pub fn set(&mut self, value: M) {
        match &mut self.slot {
            Some(s) => {
                s.value = value;
                s.present = true;
            }
            None => *self = MessageField::some(value),
        }
    }

    /// Takes the value out, leaving the field absent (the box is kept, emptied).
    pub fn take(&mut self) -> Option<M> {
        match &mut self.slot {
            Some(s) if s.present => {
                s.present = false;
                Some(std::mem::take(&mut s.value))
            }
            _ => None,
        }
    }
}

impl<M: Reuse> Reuse for MessageField<M> {
    /// Marks absent and clears the value, keeping the box.
    #[inline]
    fn clear(&mut self) {
        if let Some(s) = &mut self.slot {
            if s.present {
                s.value.clear();
                s.present = false;
            }
        }
    }

    fn space_used(&self) -> usize {
        self.slot
            .as_ref()
            .map_or(0, |s| size_of::<Slot<M>>() + s.value.space_used())
    }

    fn trim(&mut self, budget: &mut usize) {
        let Some(s) = &mut self.slot else { return };
        if s.present || keep_within(budget, size_of::<Slot<M>>()) {
            *budget = budget.saturating_sub(if s.present { size_of::<Slot<M>>() } else { 0 });
            s.value.trim(budget);
        } else {
            self.slot = None;
        }
    }

    fn space_needed(&self) -> usize {
        self.get()
            .map_or(0, |m| size_of::<Slot<M>>() + m.space_needed())
    }
}

impl<M> Default for MessageField<M> {
    fn default() -> Self {
        MessageField::none()
    }
}

/// Clones the value if set (not a retained box).
impl<M: Clone> Clone for MessageField<M> {
    fn clone(&self) -> Self {
        match self.get() {
            Some(v) => MessageField::some(v.clone()),
            None => MessageField::none(),
        }
    }
}

impl<M: PartialEq> PartialEq for MessageField<M> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<M: fmt::Debug> fmt::Debug for MessageField<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<M> From<M> for MessageField<M> {
    fn from(value: M) -> Self {
        MessageField::some(value)
    }
}

impl<M> From<Option<M>> for MessageField<M> {
    fn from(value: Option<M>) -> Self {
        value.map_or_else(MessageField::none, MessageField::some)
    }
}
