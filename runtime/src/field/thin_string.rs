//! [`ThinString`] and [`OptionalThinString`]: a string field in one pointer.
//!
//! A `String` takes 24 bytes in its message (pointer, capacity, length) and an
//! `Optional<String>` 32; most string fields of a large message are unset or short, so
//! those bytes dominate what a message with many string fields holds (a repeated group of
//! such messages pays them in every slot). A [`ThinString`] is one word: either a pointer to
//! a heap block that starts with the length and capacity (8 bytes, as two `u32`s) and holds
//! the text after them, or, for text of at most [`INLINE_CAP`] bytes (7 on 64-bit targets)
//! that arrives without a block, the text itself with its length, allocating nothing (an
//! empty string is such a word). [`OptionalThinString`] adds presence in the word's low bit
//! (headers are 4-aligned), so a string field with presence is 8 bytes too.
//!
//! The unsafe code is all here: the block's layout, its allocation, the inline form and the
//! tag bit. The invariants it keeps:
//! - a `ThinString`'s word is one of
//!   - an inline string: a word without provenance whose low byte has the [`INLINE`] bit
//!     and the length (at most [`INLINE_CAP`]) above it, and whose other bytes hold the
//!     text, initialized UTF-8 up to the length ([`INLINE_TEXT`] is where it starts in
//!     memory);
//!   - a block it owns alone (4-aligned, so without the `INLINE` bit), allocated with
//!     [`block_layout`]`(cap)` for `cap > INLINE_CAP`, whose first `len` text bytes are
//!     initialized UTF-8;
//! - only whole `&str`s and `char`s are written, and lengths only shrink to char boundaries
//!   (bytes from [`RawBytes`] are checked before the string is read again);
//! - an `OptionalThinString` holds a `ThinString` whose word has its low bit set while the
//!   field is unset (and its text is then empty); the tagged word is never dereferenced.

use super::reuse::{keep_within, Reuse};
use std::alloc::{self, Layout};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
use std::num::NonZeroUsize;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// The start of a heap block: the string's length and the capacity of the text after it.
#[repr(C)]
struct Header {
    len: u32,
    cap: u32,
}

/// Bytes of a block before its text.
const HEADER: usize = std::mem::size_of::<Header>();

/// The most text a [`ThinString`] holds (its length is a `u32`).
const MAX_LEN: usize = u32::MAX as usize;

/// The word's bit marking an inline string (clear in every block's address, which is
/// 4-aligned; bit 0 is [`OptionalThinString`]'s).
const INLINE: usize = 2;

/// Where an inline string's length sits in its word (bits 2 to 4 of the low byte).
const INLINE_LEN_SHIFT: u32 = 2;

/// The bits of an inline string's length.
const INLINE_LEN_MASK: usize = 0b111 << INLINE_LEN_SHIFT;

/// The most text an inline string holds: the word's bytes but its low one.
const INLINE_CAP: usize = std::mem::size_of::<usize>() - 1;

/// The offset in memory of an inline string's text in its word: after the low byte on
/// little-endian targets, before it on big-endian ones.
const INLINE_TEXT: usize = if cfg!(target_endian = "little") { 1 } else { 0 };

/// The layout of a block with `cap` bytes of text (`HEADER + cap` bytes, aligned for the
/// header).
///
/// # Panics
/// If the size overflows what the platform can allocate (not on 64-bit targets, where `cap`
/// is at most `u32::MAX`).
fn block_layout(cap: usize) -> Layout {
    HEADER
        .checked_add(cap)
        .and_then(|size| Layout::from_size_align(size, std::mem::align_of::<Header>()).ok())
        .unwrap_or_else(|| capacity_overflow())
}

#[cold]
fn capacity_overflow() -> ! {
    panic!("a ThinString holds at most u32::MAX bytes")
}

/// Text of at most [`INLINE_CAP`] bytes as the low bytes of a `u64`, first byte lowest
/// (overlapping loads, no loop and no call).
#[inline]
fn pack_short(text: &[u8]) -> u64 {
    let len = text.len();
    debug_assert!(len <= INLINE_CAP);
    match (text.first_chunk::<4>(), text.last_chunk::<4>()) {
        (Some(first), Some(last)) => {
            u64::from(u32::from_le_bytes(*first))
                | (u64::from(u32::from_le_bytes(*last)) << (8 * (len - 4)))
        }
        _ => match text {
            [] => 0,
            [first, ..] => {
                u64::from(*first)
                    | (u64::from(text[len / 2]) << (8 * (len / 2)))
                    | (u64::from(text[len - 1]) << (8 * (len - 1)))
            }
        },
    }
}

/// A string in one pointer: the storage zpb's generated code uses for `string` fields
/// (8 bytes in the message, against 24 for `String`).
///
/// It reads as a `&str` (`Deref<Target = str>`) and grows like a `String`
/// ([`push_str`](Self::push_str), [`push`](Self::push), `write!`); [`clear`](Self::clear)
/// keeps the buffer for the next value. Text of up to 7 bytes (3 on 32-bit targets) is kept
/// in the pointer itself, so an empty or short string allocates nothing; longer text goes to
/// a heap block that starts with its length and capacity (8 bytes, counted by
/// [`space_used`](Reuse::space_used)). It holds at most `u32::MAX` bytes (growing past that
/// panics; no parse can get there, input is limited to 2 GiB).
///
/// ```
/// use zpb::{Reuse, ThinString};
/// assert_eq!(std::mem::size_of::<ThinString>(), 8);
/// let mut s = ThinString::from("hello");
/// assert_eq!(s.space_used(), 0); // short text: kept in the pointer
/// s.push_str(", world");
/// assert_eq!(s, "hello, world");
/// assert!(s.starts_with("hello")); // every `str` method
/// let held = s.space_used();
/// Reuse::clear(&mut s);
/// assert_eq!((s.as_str(), s.space_used()), ("", held)); // the buffer is kept
/// let owned: String = s.into();
/// assert!(owned.is_empty());
/// ```
#[repr(transparent)]
pub struct ThinString {
    /// An inline string or this string's own block (see the module's invariants).
    ptr: NonNull<Header>,
}

// SAFETY: a `ThinString` owns its block alone, as a `Box<str>` does; an inline string is
// plain data.
unsafe impl Send for ThinString {}
// SAFETY: `&ThinString` only reads (its block or its own word).
unsafe impl Sync for ThinString {}

impl ThinString {
    /// An empty string (allocates nothing).
    pub const fn new() -> ThinString {
        // SAFETY: `INLINE` is not 0. (The word has no provenance and is never dereferenced:
        // it is an inline string.)
        let ptr = unsafe { NonNull::new_unchecked(std::ptr::without_provenance_mut(INLINE)) };
        ThinString { ptr }
    }

    /// An empty string with room for `capacity` bytes (allocating when that is more than fits
    /// in the pointer: 7 bytes on 64-bit targets).
    pub fn with_capacity(capacity: usize) -> ThinString {
        let mut s = ThinString::new();
        s.grow(capacity, true);
        s
    }

    /// The word's address bits.
    #[inline]
    fn word(&self) -> usize {
        self.ptr.as_ptr().addr()
    }

    /// Whether the text is kept in the word itself (else the string owns a block): a string
    /// that has never needed a buffer, or was shrunk back to its word.
    #[inline]
    pub(crate) fn is_inline(&self) -> bool {
        self.word() & INLINE != 0
    }

    /// An inline string's word holding `text` (at most [`INLINE_CAP`] bytes).
    #[inline]
    fn inline_text(text: &[u8]) -> NonNull<Header> {
        let len = text.len();
        debug_assert!(len <= INLINE_CAP);
        // The text's bytes at `INLINE_TEXT..` in memory, whatever the byte order.
        let bytes = ((pack_short(text) << (8 * INLINE_TEXT)) as usize).to_le_bytes();
        let word = usize::from_ne_bytes(bytes) | INLINE | (len << INLINE_LEN_SHIFT);
        NonNull::dangling().with_addr(NonZeroUsize::new(word).unwrap_or(NonZeroUsize::MIN))
    }

    /// The header of a string's block (not inline).
    #[inline]
    fn header(&self) -> &Header {
        debug_assert!(!self.is_inline());
        // SAFETY: a word that is not inline is a live block this string owns (invariants),
        // untagged whenever a `ThinString` method runs.
        unsafe { self.ptr.as_ref() }
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        if self.is_inline() {
            (self.word() & INLINE_LEN_MASK) >> INLINE_LEN_SHIFT
        } else {
            self.header().len as usize
        }
    }

    /// Whether the string is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of text the string holds without growing: its block's capacity, or what fits
    /// in the pointer (7 bytes on 64-bit targets) while it has no block.
    #[inline]
    pub fn capacity(&self) -> usize {
        if self.is_inline() {
            INLINE_CAP
        } else {
            self.header().cap as usize
        }
    }

    /// The start of the text.
    #[inline]
    fn text(&self) -> *const u8 {
        if self.is_inline() {
            (&raw const self.ptr).cast::<u8>().wrapping_add(INLINE_TEXT)
        } else {
            self.ptr.as_ptr().cast::<u8>().wrapping_add(HEADER)
        }
    }

    /// The start of the text, to write it.
    #[inline]
    fn text_mut(&mut self) -> *mut u8 {
        if self.is_inline() {
            (&raw mut self.ptr).cast::<u8>().wrapping_add(INLINE_TEXT)
        } else {
            self.ptr.as_ptr().cast::<u8>().wrapping_add(HEADER)
        }
    }

    /// The text as bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the first `len` text bytes of a block or an inline word are initialized
        // and live as long as `self`.
        unsafe { std::slice::from_raw_parts(self.text(), self.len()) }
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: the text is UTF-8 (only whole `&str`s and chars are written, or bytes
        // checked by `assign_bytes` / `RawBytes` before the string is read again, and lengths
        // shrink only to char boundaries).
        unsafe { std::str::from_utf8_unchecked(self.as_bytes()) }
    }

    /// The text, mutably (as `String::as_mut_str`: a `&mut str` can only stay UTF-8).
    #[inline]
    pub fn as_mut_str(&mut self) -> &mut str {
        let len = self.len();
        // SAFETY: as `as_str`; `&mut self` makes the text (in the block or the word)
        // exclusively ours.
        unsafe {
            std::str::from_utf8_unchecked_mut(std::slice::from_raw_parts_mut(self.text_mut(), len))
        }
    }

    /// Sets the length (`len <= capacity()`).
    #[inline]
    fn set_len(&mut self, len: usize) {
        debug_assert!(len <= self.capacity());
        if self.is_inline() {
            self.ptr = self.ptr.map_addr(|a| {
                NonZeroUsize::new((a.get() & !INLINE_LEN_MASK) | (len << INLINE_LEN_SHIFT))
                    .unwrap_or(a)
            });
        } else {
            // SAFETY: the block is this string's alone; `len <= cap` fits a `u32` as `cap`
            // does.
            unsafe { (*self.ptr.as_ptr()).len = len as u32 }
        }
    }

    /// Makes room for `additional` more bytes: exactly that many with `exact` (a first fill
    /// of a parsed value), else at least doubling as `String` does.
    #[inline]
    fn grow(&mut self, additional: usize, exact: bool) {
        // `len <= capacity` always: room is one subtraction away (decoded pieces of a
        // string mostly fit).
        if additional <= self.capacity() - self.len() {
            return;
        }
        self.grow_block(additional, exact);
    }

    /// [`grow`](Self::grow) when the text does not fit: a new or larger block.
    #[inline(never)]
    fn grow_block(&mut self, additional: usize, exact: bool) {
        let (len, cap) = (self.len(), self.capacity());
        let needed = match len.checked_add(additional) {
            Some(n) if n <= MAX_LEN => n,
            _ => capacity_overflow(),
        };
        if needed <= cap {
            return;
        }
        let new_cap = if exact {
            needed
        } else {
            needed.max(cap.saturating_mul(2)).clamp(8, MAX_LEN)
        };
        self.reallocate(new_cap);
    }

    /// Moves the text into a block of `new_cap > INLINE_CAP` bytes (`new_cap >= len`), from
    /// its block or its word.
    fn reallocate(&mut self, new_cap: usize) {
        let len = self.len();
        debug_assert!(new_cap >= len && new_cap > INLINE_CAP);
        let layout = block_layout(new_cap);
        let block = if self.is_inline() {
            // SAFETY: the layout is at least `HEADER` bytes, not zero-sized.
            unsafe { alloc::alloc(layout) }
        } else {
            // SAFETY: the block was allocated by the global allocator with
            // `block_layout(cap)`; the new size is not zero and `block_layout` checked it.
            unsafe {
                alloc::realloc(
                    self.ptr.as_ptr().cast(),
                    block_layout(self.capacity()),
                    layout.size(),
                )
            }
        };
        let Some(block) = NonNull::new(block.cast::<Header>()) else {
            alloc::handle_alloc_error(layout)
        };
        // SAFETY: the new block is ours, aligned for a header, with room for the header and
        // `new_cap >= len` text bytes; `realloc` kept the `len` text bytes of an old block,
        // and an inline string's `len` bytes are copied from its word, which the new block
        // cannot overlap.
        unsafe {
            if self.is_inline() {
                std::ptr::copy_nonoverlapping(
                    self.text(),
                    block.as_ptr().cast::<u8>().add(HEADER),
                    len,
                );
            }
            block.as_ptr().write(Header {
                len: len as u32,
                cap: new_cap as u32,
            })
        };
        self.ptr = block;
    }

    /// The pointer, without running `Drop` (the caller owns the block).
    fn into_raw(self) -> NonNull<Header> {
        ManuallyDrop::new(self).ptr
    }

    /// Replaces the string's block with the inline string `word`, freeing the block.
    fn free_block_for(&mut self, word: NonNull<Header>) {
        debug_assert!(!self.is_inline());
        let cap = self.capacity();
        let block = std::mem::replace(self, ThinString { ptr: word }).into_raw();
        // SAFETY: the block was allocated with `block_layout(cap)` and is no longer
        // referenced (its owner now holds the inline word).
        unsafe { alloc::dealloc(block.as_ptr().cast(), block_layout(cap)) }
    }

    /// Appends UTF-8 text, growing as `String` does.
    #[inline]
    fn append(&mut self, s: &str) {
        self.append_bytes(s.as_bytes())
    }

    /// Appends bytes: callers append UTF-8, or go through [`RawBytes`], which checks.
    #[inline]
    fn append_bytes(&mut self, s: &[u8]) {
        if s.is_empty() {
            return;
        }
        self.grow(s.len(), false);
        let len = self.len();
        // SAFETY: `grow` made room for `s.len()` more bytes after `len` in our own block or
        // word, which `s` (a shared borrow, while `self` is borrowed mutably) cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), self.text_mut().add(len), s.len());
        }
        self.set_len(len + s.len());
    }

    /// Replaces the text with the bytes `write` appends, in the kept buffer, if they are
    /// UTF-8; else empties the text and returns `false`. (The text-format reader decodes
    /// escapes, which may spell any bytes, straight into a field's buffer this way.)
    pub(crate) fn assign_bytes(&mut self, write: impl FnOnce(&mut RawBytes<'_>)) -> bool {
        self.clear();
        let mut raw = RawBytes(self);
        write(&mut raw);
        let ok = std::str::from_utf8(raw.0.as_bytes()).is_ok();
        if !ok {
            raw.0.clear();
        }
        // Checked (and emptied if need be) above.
        std::mem::forget(raw);
        ok
    }

    /// Appends `s`.
    ///
    /// # Panics
    /// Past `u32::MAX` bytes.
    #[inline]
    pub fn push_str(&mut self, s: &str) {
        self.append(s)
    }

    /// Appends a character.
    ///
    /// # Panics
    /// Past `u32::MAX` bytes.
    pub fn push(&mut self, ch: char) {
        self.push_str(ch.encode_utf8(&mut [0; 4]))
    }

    /// Replaces the text with `s`: in the kept block when it fits; without a block, in the
    /// pointer when it fits there, else in a new block of exactly `s.len()` bytes (what a
    /// parse stores).
    #[inline(always)]
    pub fn assign(&mut self, s: &str) {
        if self.is_inline() {
            if s.len() <= INLINE_CAP {
                self.ptr = Self::inline_text(s.as_bytes());
            } else {
                self.fill_block(s);
            }
        } else if s.len() <= self.header().cap as usize {
            // SAFETY: the text fits the block this string owns; `s`, a shared borrow while
            // `self` is borrowed mutably, cannot overlap it; `s.len() <= cap` fits a `u32`.
            unsafe {
                std::ptr::copy_nonoverlapping(s.as_ptr(), self.text_mut(), s.len());
                (*self.ptr.as_ptr()).len = s.len() as u32;
            }
        } else {
            self.assign_growing(s);
        }
    }

    /// `assign` of text longer than the block: grows it as `String` does.
    #[cold]
    #[inline(never)]
    fn assign_growing(&mut self, s: &str) {
        self.set_len(0);
        self.append(s);
    }

    /// Puts text longer than [`INLINE_CAP`] into a new block of exactly its length, for a
    /// string without one: one allocation, one header write, one copy.
    #[inline]
    fn fill_block(&mut self, s: &str) {
        debug_assert!(self.is_inline() && s.len() > INLINE_CAP);
        let len = s.len();
        if len > MAX_LEN {
            capacity_overflow();
        }
        let layout = block_layout(len);
        // SAFETY: the layout is at least `HEADER` bytes, not zero-sized.
        let Some(block) = NonNull::new(unsafe { alloc::alloc(layout) }.cast::<Header>()) else {
            alloc::handle_alloc_error(layout)
        };
        // SAFETY: the new block is ours, aligned for a header, with room for the header and
        // `len` text bytes after it, which `s` cannot overlap; `len` fits a `u32` (checked).
        unsafe {
            block.as_ptr().write(Header {
                len: len as u32,
                cap: len as u32,
            });
            std::ptr::copy_nonoverlapping(s.as_ptr(), block.as_ptr().cast::<u8>().add(HEADER), len);
        }
        // The old word is an inline string: nothing to free.
        self.ptr = block;
    }

    /// Empties the string, keeping its block.
    #[inline]
    pub fn clear(&mut self) {
        self.set_len(0)
    }

    /// Shortens the string to `new_len` bytes (nothing if it is not shorter).
    ///
    /// # Panics
    /// If `new_len` is not on a char boundary (as `String::truncate`).
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len() {
            assert!(
                self.as_str().is_char_boundary(new_len),
                "ThinString::truncate: {new_len} is not a char boundary"
            );
            self.set_len(new_len);
        }
    }

    /// Removes and returns the last character.
    pub fn pop(&mut self) -> Option<char> {
        let ch = self.as_str().chars().next_back()?;
        self.set_len(self.len() - ch.len_utf8());
        Some(ch)
    }

    /// Makes room for at least `additional` more bytes.
    ///
    /// # Panics
    /// Past `u32::MAX` bytes.
    pub fn reserve(&mut self, additional: usize) {
        self.grow(additional, false)
    }

    /// Makes room for exactly `additional` more bytes (text that fits in the pointer stays
    /// there).
    ///
    /// # Panics
    /// Past `u32::MAX` bytes.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.grow(additional, true)
    }

    /// Shrinks the block to the length or `min_capacity`, whichever is larger; text that
    /// then fits in the pointer moves there and the block is freed.
    pub fn shrink_to(&mut self, min_capacity: usize) {
        if self.is_inline() {
            return;
        }
        let target = min_capacity.max(self.len());
        if target >= self.capacity() {
            return;
        }
        if target <= INLINE_CAP {
            self.free_block_for(Self::inline_text(self.as_bytes()));
        } else {
            self.reallocate(target);
        }
    }

    /// Shrinks the block to the length (freeing it when the text fits in the pointer).
    pub fn shrink_to_fit(&mut self) {
        self.shrink_to(0)
    }
}

impl Drop for ThinString {
    #[inline]
    fn drop(&mut self) {
        if !self.is_inline() {
            // SAFETY: the word is our own block, allocated with `block_layout(cap)`, and
            // nothing uses it after this.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), block_layout(self.capacity())) }
        }
    }
}

impl Default for ThinString {
    fn default() -> Self {
        ThinString::new()
    }
}

/// Copies the text into a buffer of exactly its length; `clone_from` reuses the target's.
impl Clone for ThinString {
    fn clone(&self) -> Self {
        ThinString::from(self.as_str())
    }
    fn clone_from(&mut self, source: &Self) {
        self.assign(source)
    }
}

impl Deref for ThinString {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl DerefMut for ThinString {
    #[inline]
    fn deref_mut(&mut self) -> &mut str {
        self.as_mut_str()
    }
}

impl AsRef<str> for ThinString {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for ThinString {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for ThinString {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Debug for ThinString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ThinString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Write for ThinString {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl PartialEq for ThinString {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ThinString {}

/// Comparisons with the other string types, both ways round.
macro_rules! eq_str {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for ThinString {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == &other[..]
            }
        }
        impl PartialEq<ThinString> for $t {
            fn eq(&self, other: &ThinString) -> bool {
                &self[..] == other.as_str()
            }
        }
    )*};
}

eq_str!(str, &str, String);

impl PartialOrd for ThinString {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ThinString {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// Hashes as the `str` (so lookups by `&str` work through `Borrow<str>`).
impl Hash for ThinString {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl From<&str> for ThinString {
    fn from(s: &str) -> Self {
        let mut t = ThinString::new();
        t.assign(s);
        t
    }
}

impl From<&mut str> for ThinString {
    fn from(s: &mut str) -> Self {
        ThinString::from(&*s)
    }
}

/// Copies the text (a `ThinString` keeps its length in its own block).
impl From<String> for ThinString {
    fn from(s: String) -> Self {
        ThinString::from(s.as_str())
    }
}

impl From<&String> for ThinString {
    fn from(s: &String) -> Self {
        ThinString::from(s.as_str())
    }
}

impl From<Box<str>> for ThinString {
    fn from(s: Box<str>) -> Self {
        ThinString::from(&*s)
    }
}

impl From<Cow<'_, str>> for ThinString {
    fn from(s: Cow<'_, str>) -> Self {
        ThinString::from(&*s)
    }
}

impl From<char> for ThinString {
    fn from(c: char) -> Self {
        ThinString::from(c.encode_utf8(&mut [0; 4]) as &str)
    }
}

impl From<ThinString> for String {
    fn from(s: ThinString) -> Self {
        String::from(s.as_str())
    }
}

impl<'a> Extend<&'a str> for ThinString {
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, iter: I) {
        iter.into_iter().for_each(|s| self.push_str(s))
    }
}

impl Extend<char> for ThinString {
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        iter.into_iter().for_each(|c| self.push(c))
    }
}

impl<'a> FromIterator<&'a str> for ThinString {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut s = ThinString::new();
        s.extend(iter);
        s
    }
}

impl FromIterator<char> for ThinString {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Self {
        let mut s = ThinString::new();
        s.extend(iter);
        s
    }
}

impl Reuse for ThinString {
    #[inline]
    fn clear(&mut self) {
        ThinString::clear(self)
    }
    /// The block: header and buffer (0 without one, text in the pointer included).
    #[inline]
    fn space_used(&self) -> usize {
        if self.is_inline() {
            0
        } else {
            HEADER + self.capacity()
        }
    }
    fn trim(&mut self, budget: &mut usize) {
        let used = self.space_used();
        if used == 0 || keep_within(budget, used) {
            return;
        }
        self.shrink_to_fit();
        *budget = budget.saturating_sub(self.space_used());
    }
    /// A block of the text's length, when it does not fit in the pointer.
    #[inline]
    fn space_needed(&self) -> usize {
        match self.len() {
            len if len <= INLINE_CAP => 0,
            len => HEADER + len,
        }
    }
}

/// Bytes appended to a [`ThinString`] before they are known to be UTF-8
/// ([`ThinString::assign_bytes`]). If it is dropped without that check (a panicking writer),
/// it empties a string that is not UTF-8, so the string's invariant holds again.
pub(crate) struct RawBytes<'a>(&'a mut ThinString);

impl Drop for RawBytes<'_> {
    fn drop(&mut self) {
        if std::str::from_utf8(self.0.as_bytes()).is_err() {
            self.0.clear();
        }
    }
}

impl crate::codec::ByteSink for RawBytes<'_> {
    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.0.append_bytes(bytes)
    }

    #[inline]
    fn reserve_exact(&mut self, additional: usize) {
        self.0.reserve_exact(additional)
    }
}

/// The low pointer bit marking an [`OptionalThinString`] unset.
const UNSET: usize = 1;

/// A `string` field with explicit presence in one pointer: `Optional<String>`'s API (and
/// behaviour: clearing marks it unset and keeps the buffer) over a [`ThinString`], with the
/// presence in the pointer's low bit. 8 bytes, against 32 for `Optional<String>`.
///
/// ```
/// use zpb::{OptionalThinString, Reuse};
/// assert_eq!(std::mem::size_of::<OptionalThinString>(), 8);
/// let mut name = OptionalThinString::default();
/// assert_eq!(name.as_str(), None);
/// name.mut_or_insert().push_str("zpb");
/// assert_eq!(name.as_str(), Some("zpb"));
/// let held = name.space_used();
/// Reuse::clear(&mut name);
/// assert!(!name.is_some());
/// assert_eq!(name.space_used(), held); // buffer kept
/// name.mut_or_insert().push_str("again"); // no allocation: it fits
/// assert_eq!(name.get().map(|s| s.as_str()), Some("again"));
/// ```
pub struct OptionalThinString {
    /// The value; its pointer has the [`UNSET`] bit while the field is unset (then the text
    /// is empty and the pointer is never dereferenced until the bit is cleared).
    value: ThinString,
}

impl OptionalThinString {
    /// An unset field (allocates nothing).
    pub fn none() -> Self {
        let mut f = OptionalThinString {
            value: ThinString::new(),
        };
        f.mark_unset();
        f
    }

    /// A set field holding `value`.
    pub fn some(value: ThinString) -> Self {
        OptionalThinString { value }
    }

    /// Whether the field is set.
    #[inline]
    pub fn is_some(&self) -> bool {
        self.value.ptr.as_ptr().addr() & UNSET == 0
    }

    /// Sets the tag bit (the value must be empty).
    #[inline]
    fn mark_unset(&mut self) {
        debug_assert!(self.is_some() && self.value.is_empty());
        self.value.ptr = self.value.ptr.map_addr(|a| a | UNSET);
    }

    /// The pointer without the tag bit (a header's, never null: headers are 4-aligned).
    #[inline]
    fn untagged(&self) -> NonNull<Header> {
        self.value
            .ptr
            .map_addr(|a| NonZeroUsize::new(a.get() & !UNSET).unwrap_or(a))
    }

    /// Clears the tag bit, making the value a valid `ThinString` again.
    #[inline]
    fn mark_set(&mut self) {
        self.value.ptr = self.untagged();
    }

    /// The value (set or not) as a read-only `ThinString`, to measure its buffer.
    fn peek(&self) -> ManuallyDrop<ThinString> {
        ManuallyDrop::new(ThinString {
            ptr: self.untagged(),
        })
    }

    /// The value if set.
    #[inline]
    pub fn get(&self) -> Option<&ThinString> {
        self.is_some().then_some(&self.value)
    }

    /// The value, mutably, if set.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut ThinString> {
        self.is_some().then_some(&mut self.value)
    }

    /// The text if set.
    #[inline]
    pub fn as_str(&self) -> Option<&str> {
        self.get().map(ThinString::as_str)
    }

    /// Marks the field set and returns its value (empty, with the kept buffer, if it was
    /// unset).
    #[inline]
    pub fn mut_or_insert(&mut self) -> &mut ThinString {
        self.mark_set();
        &mut self.value
    }

    /// Sets the value.
    pub fn set(&mut self, value: ThinString) {
        *self.mut_or_insert() = value;
    }

    /// Takes the value out, leaving the field unset (without a buffer).
    pub fn take(&mut self) -> Option<ThinString> {
        if !self.is_some() {
            return None;
        }
        let value = std::mem::take(&mut self.value);
        self.mark_unset();
        Some(value)
    }
}

impl Drop for OptionalThinString {
    fn drop(&mut self) {
        // The value then drops as a plain `ThinString`.
        self.mark_set();
    }
}

impl Default for OptionalThinString {
    fn default() -> Self {
        OptionalThinString::none()
    }
}

/// Clones the value if set (an unset field's kept buffer is not copied); `clone_from`
/// reuses the target's buffer.
impl Clone for OptionalThinString {
    fn clone(&self) -> Self {
        match self.get() {
            Some(v) => OptionalThinString::some(v.clone()),
            None => OptionalThinString::none(),
        }
    }
    fn clone_from(&mut self, source: &Self) {
        match source.get() {
            Some(v) => self.mut_or_insert().assign(v),
            None => Reuse::clear(self),
        }
    }
}

impl Reuse for OptionalThinString {
    #[inline]
    fn clear(&mut self) {
        if self.is_some() {
            self.value.clear();
            self.mark_unset();
        }
    }
    #[inline]
    fn space_used(&self) -> usize {
        self.peek().space_used()
    }
    fn trim(&mut self, budget: &mut usize) {
        let set = self.is_some();
        self.mark_set();
        self.value.trim(budget);
        if !set {
            self.mark_unset();
        }
    }
    #[inline]
    fn space_needed(&self) -> usize {
        self.get().map_or(0, Reuse::space_needed)
    }
}

impl PartialEq for OptionalThinString {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for OptionalThinString {}

impl fmt::Debug for OptionalThinString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl From<Option<ThinString>> for OptionalThinString {
    fn from(v: Option<ThinString>) -> Self {
        match v {
            Some(v) => OptionalThinString::some(v),
            None => OptionalThinString::none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn layout_is_one_pointer() {
        use std::mem::size_of;
        assert_eq!(size_of::<ThinString>(), 8);
        assert_eq!(size_of::<OptionalThinString>(), 8);
        assert_eq!(size_of::<Option<ThinString>>(), 8);
        assert_eq!(
            std::mem::align_of::<Header>() % 4,
            0,
            "the tag and inline bits are free"
        );
    }

    #[test]
    fn grows_shrinks_and_keeps_its_buffer() {
        let mut s = ThinString::new();
        assert_eq!((s.len(), s.capacity(), s.space_used()), (0, INLINE_CAP, 0));
        s.clear();
        s.push_str("");
        assert_eq!(s.space_used(), 0, "empty text allocates nothing");
        s.push_str("héllo");
        assert_eq!(
            (s.as_str(), s.capacity(), s.space_used()),
            ("héllo", INLINE_CAP, 0),
            "short text is kept in the pointer"
        );
        s.push(' ');
        assert_eq!((s.as_str(), s.space_used()), ("héllo ", 0));
        s.push('🦀');
        write!(s, " {}", 42).unwrap();
        assert_eq!(s, "héllo 🦀 42");
        assert_eq!(s.len(), "héllo 🦀 42".len());
        assert_eq!(s.pop(), Some('2'));
        s.truncate(6);
        assert_eq!(s.as_str(), "héllo");
        let cap = s.capacity();
        assert!(cap >= 11);
        s.as_mut_str().make_ascii_uppercase();
        assert_eq!(s, "HéLLO");
        assert_eq!(s.space_used(), HEADER + cap);
        Reuse::clear(&mut s);
        assert_eq!((s.as_str(), s.capacity()), ("", cap));
        s.assign("abcdefghi");
        assert_eq!((s.as_str(), s.capacity()), ("abcdefghi", cap));
        assert_eq!(s.space_needed(), HEADER + 9);
        s.shrink_to_fit();
        assert_eq!((s.as_str(), s.capacity()), ("abcdefghi", 9));
        s.truncate(3);
        assert_eq!(s.space_needed(), 0, "fits in the pointer");
        s.shrink_to_fit();
        assert_eq!(
            (s.as_str(), s.capacity(), s.space_used()),
            ("abc", INLINE_CAP, 0),
            "moved into the pointer, the block freed"
        );
        s.as_mut_str().make_ascii_uppercase();
        assert_eq!(s.pop(), Some('C'));
        assert_eq!(s, "AB");
        s.clear();
        s.shrink_to(0);
        assert_eq!((s.as_str(), s.space_used()), ("", 0));
        let mut t = ThinString::with_capacity(20);
        assert_eq!(t.capacity(), 20);
        t.shrink_to(0);
        assert_eq!((t.capacity(), t.space_used()), (INLINE_CAP, 0), "freed");
        t.reserve_exact(5);
        assert_eq!((t.capacity(), t.space_used()), (INLINE_CAP, 0));
        t.push_str("ñ123");
        t.reserve_exact(5);
        assert_eq!(
            (t.as_str(), t.capacity()),
            ("ñ123", 10),
            "copied out of the pointer"
        );
        t.reserve(11);
        assert!(t.capacity() >= 20, "grows by doubling");
        assert_eq!(t, "ñ123");
    }

    #[test]
    fn assign_fills_a_new_buffer_exactly_and_reuses_a_kept_one() {
        let mut s = ThinString::new();
        s.assign("exactly 9");
        assert_eq!(s.capacity(), 9);
        s.assign("abc");
        assert_eq!((s.as_str(), s.capacity()), ("abc", 9));
        s.assign("");
        assert_eq!((s.as_str(), s.capacity()), ("", 9));
        s.assign("longer than 9");
        assert_eq!(
            (s.as_str(), s.capacity()),
            ("longer than 9", 18),
            "grows by doubling"
        );
        assert_eq!(
            ThinString::from("").space_used(),
            0,
            "empty text allocates nothing"
        );
        let mut short = ThinString::from("short");
        assert_eq!(
            (short.as_str(), short.capacity(), short.space_used()),
            ("short", INLINE_CAP, 0),
            "kept in the pointer"
        );
        short.assign("abc");
        assert_eq!((short.as_str(), short.space_used()), ("abc", 0));
        short.assign("");
        assert_eq!((short.as_str(), short.space_used()), ("", 0));
        short.assign("longer than seven");
        assert_eq!(
            (short.as_str(), short.capacity()),
            ("longer than seven", 17),
            "a block of exactly its length"
        );
        let with = ThinString::with_capacity(INLINE_CAP);
        assert_eq!((with.capacity(), with.space_used()), (INLINE_CAP, 0));
        let with = ThinString::with_capacity(INLINE_CAP + 1);
        assert_eq!((with.capacity(), with.space_used()), (8, HEADER + 8));
    }

    #[test]
    fn assign_bytes_keeps_utf8_and_empties_anything_else() {
        use crate::codec::ByteSink;
        let mut s = ThinString::with_capacity(16);
        assert!(s.assign_bytes(|raw| {
            raw.extend_from_slice(b"caf");
            raw.extend_from_slice("é".as_bytes());
        }));
        assert_eq!((s.as_str(), s.capacity()), ("café", 16));
        assert!(!s.assign_bytes(|raw| raw.extend_from_slice(&[b'a', 0xff])));
        assert_eq!((s.as_str(), s.capacity()), ("", 16), "emptied, buffer kept");
        // A writer that panics halfway through a character leaves an empty string.
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            s.assign_bytes(|raw| {
                raw.extend_from_slice(&"é".as_bytes()[..1]);
                panic!("writer failed");
            })
        }));
        assert!(caught.is_err());
        assert_eq!(s.as_str(), "");
        let mut grown = ThinString::new();
        assert!(grown.assign_bytes(|raw| raw.extend_from_slice(&[b'x'; 40])));
        assert_eq!(grown.len(), 40);
    }

    #[test]
    #[should_panic(expected = "not a char boundary")]
    fn truncate_checks_char_boundaries() {
        ThinString::from("é").truncate(1);
    }

    #[test]
    fn trim_frees_what_the_budget_does_not_cover() {
        let mut s = ThinString::with_capacity(100);
        s.push_str("abcdefgh");
        let mut budget = 200;
        s.trim(&mut budget);
        assert_eq!((s.capacity(), budget), (100, 200 - HEADER - 100));
        let mut budget = 20;
        s.trim(&mut budget);
        assert_eq!(
            (s.as_str(), s.capacity(), budget),
            ("abcdefgh", 8, 20 - HEADER - 8)
        );
        s.truncate(2);
        s.trim(&mut 0);
        assert_eq!(
            (s.as_str(), s.space_used()),
            ("ab", 0),
            "moved into the pointer"
        );
        s.clear();
        s.trim(&mut 0);
        assert_eq!(s.space_used(), 0);
    }

    #[test]
    fn conversions_and_comparisons() {
        let s = ThinString::from(String::from("x"));
        assert_eq!(s, ThinString::from("x"));
        assert_eq!(s, *"x");
        assert_eq!("x", s);
        assert_eq!(String::from("x"), s);
        let (a, b) = (ThinString::from("a"), ThinString::from("b"));
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Less);
        assert_eq!(format!("{s:?} {s}"), "\"x\" x");
        assert_eq!(String::from(s.clone()), "x");
        let mut set = std::collections::HashSet::new();
        set.insert(ThinString::from('c'));
        assert!(set.contains("c"));
        let joined: ThinString = ["a", "b"].into_iter().collect();
        let chars: ThinString = "cd".chars().collect();
        assert_eq!((joined.as_str(), chars.as_str()), ("ab", "cd"));
        assert_eq!(ThinString::from(Cow::Borrowed("y")), "y");
        assert_eq!(ThinString::from(Box::<str>::from("z")), "z");
        let mut target = ThinString::with_capacity(16);
        target.clone_from(&s);
        assert_eq!((target.as_str(), target.capacity()), ("x", 16));
        let empty = ThinString::new().clone();
        assert_eq!(empty.space_used(), 0);
        // Inline text of every length, compared through every path that reads it.
        for text in [
            "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "é🦀",
        ] {
            let t = ThinString::from(text);
            assert_eq!((t.as_str(), t.len(), t.space_used()), (text, text.len(), 0));
            assert_eq!(t, ThinString::from(String::from(text)));
        }
    }

    #[test]
    fn threads_share_and_move_it() {
        let s = ThinString::from("shared");
        std::thread::scope(|scope| {
            scope.spawn(|| assert_eq!(s, "shared"));
        });
        let moved = std::thread::spawn(move || s.len()).join().unwrap();
        assert_eq!(moved, 6);
    }

    #[test]
    fn optional_keeps_its_buffer_while_unset() {
        let mut f = OptionalThinString::default();
        assert_eq!(
            (f.is_some(), f.space_used(), f.space_needed()),
            (false, 0, 0)
        );
        assert_eq!(f.get(), None);
        assert!(f.get_mut().is_none());
        assert_eq!(f.take(), None);
        f.mut_or_insert();
        assert_eq!(f.as_str(), Some(""), "set and empty");
        f.mut_or_insert().push_str("short");
        assert_eq!(
            (f.as_str(), f.space_used()),
            (Some("short"), 0),
            "in the pointer"
        );
        Reuse::clear(&mut f);
        assert_eq!((f.is_some(), f.as_str()), (false, None));
        f.mut_or_insert().push_str("a longer value");
        let held = f.space_used();
        assert_eq!(held, HEADER + 14);
        Reuse::clear(&mut f);
        assert_eq!(
            (f.is_some(), f.space_used(), f.space_needed()),
            (false, held, 0)
        );
        assert_eq!(format!("{f:?}"), "None");
        assert_eq!(f.clone().space_used(), 0, "an unset clone copies no buffer");
        f.mut_or_insert().push_str("again");
        assert_eq!((f.as_str(), f.space_used()), (Some("again"), held));
        assert_eq!(format!("{f:?}"), "Some(\"again\")");
        f.get_mut().unwrap().push('!');
        assert_eq!(f.take().as_deref(), Some("again!"));
        assert_eq!((f.is_some(), f.space_used()), (false, 0));
        f.set(ThinString::from("set"));
        assert_eq!(f, OptionalThinString::some(ThinString::from("set")));
        assert_ne!(f, OptionalThinString::none());
        assert_eq!(OptionalThinString::from(None), OptionalThinString::none());
    }

    #[test]
    fn optional_trims_and_clones_into_kept_buffers() {
        let mut f = OptionalThinString::some(ThinString::with_capacity(64));
        Reuse::clear(&mut f);
        let mut budget = 0;
        f.trim(&mut budget);
        assert_eq!((f.is_some(), f.space_used()), (false, 0), "unset and freed");
        f.mut_or_insert().push_str("live");
        assert_eq!(
            (f.as_str(), f.space_used()),
            (Some("live"), 0),
            "in the pointer"
        );
        f.mut_or_insert().reserve(100);
        f.trim(&mut 0);
        assert_eq!(
            (f.as_str(), f.space_used()),
            (Some("live"), 0),
            "back in the pointer"
        );
        f.mut_or_insert().push_str(" and well");
        f.mut_or_insert().reserve(100);
        f.trim(&mut 0);
        assert_eq!(
            (f.as_str(), f.space_used()),
            (Some("live and well"), HEADER + 13)
        );
        let mut target = OptionalThinString::some(ThinString::with_capacity(32));
        Reuse::clear(&mut target);
        target.clone_from(&f);
        assert_eq!(
            (target.as_str(), target.space_used()),
            (Some("live and well"), HEADER + 32)
        );
        target.clone_from(&OptionalThinString::none());
        assert_eq!(
            (target.is_some(), target.space_used()),
            (false, HEADER + 32)
        );
        drop(target); // an unset field with a buffer frees it
    }
}
