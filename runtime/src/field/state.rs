//! [`MessageState`]: the per-message bookkeeping every zpb message carries.

use super::{Reuse, UnknownFields};
use std::sync::atomic::{AtomicU32, Ordering};

/// The encoded size of a message, cached by `byte_size()` so that encoding a tree of
/// messages is linear in its size (as C++'s `_cached_size_`).
///
/// Relaxed atomic loads and stores are plain moves on common targets; the atomic keeps
/// messages `Sync`.
#[derive(Default)]
pub struct CachedSize(AtomicU32);

impl CachedSize {
    /// The size stored by the last size computation.
    #[inline]
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed) as usize
    }

    /// Stores a freshly computed size (sizes above 4 GiB cannot be encoded and are
    /// rejected before encoding).
    #[inline]
    pub fn set(&self, size: usize) {
        self.0
            .store(size.min(u32::MAX as usize) as u32, Ordering::Relaxed)
    }
}

impl Clone for CachedSize {
    fn clone(&self) -> Self {
        CachedSize(AtomicU32::new(self.0.load(Ordering::Relaxed)))
    }
}

impl std::fmt::Debug for CachedSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CachedSize({})", self.get())
    }
}

/// What every message holds besides its fields: its out-of-line block (unknown fields, and
/// the storage its oneofs and maps keep across `clear()`) and the cached size — 16 bytes.
/// Declare one field of this type in a `#[derive(zpb::Message)]` struct.
///
/// ```
/// #[derive(zpb::Message, Clone, PartialEq, Default)]
/// struct Point {
///     #[zpb(1)]
///     x: i32,
///     #[zpb(2)]
///     y: i32,
///     _state: zpb::MessageState,
/// }
/// assert_eq!(std::mem::size_of::<zpb::MessageState>(), 16);
/// ```
#[derive(Clone, Default, Debug)]
pub struct MessageState {
    /// Fields not in the schema, kept and re-emitted; their block also keeps the storage
    /// the message's oneofs and maps keep across `clear()` (support for derived code).
    pub unknown_fields: UnknownFields,
    /// Encoded size from the last size computation.
    pub cached_size: CachedSize,
}

/// Two states are equal when their unknown fields are (the cached size is bookkeeping).
impl PartialEq for MessageState {
    fn eq(&self, other: &Self) -> bool {
        self.unknown_fields == other.unknown_fields
    }
}

impl Reuse for MessageState {
    #[inline]
    fn clear(&mut self) {
        self.unknown_fields.clear()
    }
    #[inline]
    fn space_used(&self) -> usize {
        self.unknown_fields.space_used()
    }
    fn trim(&mut self, budget: &mut usize) {
        self.unknown_fields.trim(budget)
    }
    #[inline]
    fn space_needed(&self) -> usize {
        self.unknown_fields.space_needed()
    }
}
