//! [`Optional<T>`]: a string or bytes value with presence that keeps its buffer when cleared.

use super::reuse::Reuse;
use std::fmt;

/// A field with explicit presence whose value owns a buffer (`String`, `Vec<u8>`): clearing
/// marks it absent but keeps the buffer for the next value. (Scalars use `Option<T>`, which
/// has nothing to keep; a [`ThinString`](crate::ThinString) field uses
/// [`OptionalThinString`](crate::OptionalThinString), 8 bytes against 32.)
///
/// ```
/// use zpb::{Optional, Reuse};
/// let mut name: Optional<String> = Optional::default();
/// name.mut_or_insert().push_str("zpb");
/// assert_eq!(name.get().map(String::as_str), Some("zpb"));
/// Reuse::clear(&mut name);
/// assert!(name.get().is_none());
/// assert!(name.space_used() >= 3); // buffer kept
/// ```
#[derive(Default, Clone)]
pub struct Optional<T> {
    value: T,
    present: bool,
}

impl<T> Optional<T> {
    /// A present value.
    pub fn some(value: T) -> Self {
        Optional {
            value,
            present: true,
        }
    }

    /// Whether the value is set.
    #[inline]
    pub fn is_some(&self) -> bool {
        self.present
    }

    /// The value if set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        self.present.then_some(&self.value)
    }

    /// The value, mutably, if set.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.present.then_some(&mut self.value)
    }

    /// Sets the value.
    pub fn set(&mut self, value: T) {
        self.value = value;
        self.present = true;
    }
}

impl<T: Reuse + Default> Optional<T> {
    /// Marks the value set and returns it (empty, with its kept buffer, if it was absent).
    #[inline]
    pub fn mut_or_insert(&mut self) -> &mut T {
        self.present = true;
        &mut self.value
    }

    /// Takes the value out, leaving the field absent.
    pub fn take(&mut self) -> Option<T> {
        if !self.present {
            return None;
        }
        self.present = false;
        Some(std::mem::take(&mut self.value))
    }
}

impl<T: Reuse> Reuse for Optional<T> {
    #[inline]
    fn clear(&mut self) {
        if self.present {
            self.value.clear();
            self.present = false;
        }
    }
    #[inline]
    fn space_used(&self) -> usize {
        self.value.space_used()
    }
    fn trim(&mut self, budget: &mut usize) {
        self.value.trim(budget)
    }
    #[inline]
    fn space_needed(&self) -> usize {
        if self.present {
            self.value.space_needed()
        } else {
            0
        }
    }
}

impl<T: PartialEq> PartialEq for Optional<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for Optional<T> {}

impl<T: fmt::Debug> fmt::Debug for Optional<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: Default> From<Option<T>> for Optional<T> {
    fn from(v: Option<T>) -> Self {
        match v {
            Some(v) => Optional::some(v),
            None => Optional::default(),
        }
    }
}
