//! [`Repeated<T>`]: a vector that keeps cleared elements for reuse, in one pointer.
//!
//! The container is one pointer to a heap block: a header (live length, initialized
//! elements, capacity, the spares' bytes; four `u32`s) followed by the element slots. An
//! empty container without a block points to a shared static header and allocates nothing.
//! A message with many repeated fields that are mostly empty (or a repeated group whose
//! elements have such fields) pays 8 bytes per field instead of a `Vec`'s 24.
//!
//! The unsafe code is all here; its invariants:
//! - `ptr` is [`EMPTY`] (every count 0, never written) or a block this container owns alone,
//!   allocated with `Repeated::<T>::layout(cap)` for `cap > 0`;
//! - in a block, slots `[..total]` hold initialized elements (`[..len]` live, `[len..total]`
//!   cleared spares) and `len <= total <= cap`.

use super::reuse::{keep_within, Reuse};
use std::alloc::{self, Layout};
use std::fmt;
use std::marker::PhantomData;
use std::mem::{align_of, size_of};
use std::ops::{Deref, DerefMut};
use std::ptr::{self, NonNull};

/// The start of a block.
#[repr(C)]
struct Header {
    /// Live elements.
    len: u32,
    /// Initialized elements: live, then cleared spares.
    total: u32,
    /// Element slots.
    cap: u32,
    /// Heap bytes held by the spares, kept exact so that measuring a cleared container is
    /// O(1) rather than a walk over every retained element; [`WALK`] when they hold more
    /// than it can count (then they are walked).
    spare_bytes: u32,
}

/// What every container without a block points to. Never written: writes go to blocks.
static EMPTY: Header = Header {
    len: 0,
    total: 0,
    cap: 0,
    spare_bytes: 0,
};

/// `Header::spare_bytes` when the spares hold `u32::MAX` bytes or more.
const WALK: u32 = u32::MAX;

#[cold]
fn capacity_overflow() -> ! {
    panic!("a repeated field holds at most u32::MAX elements")
}

/// The container of repeated string, bytes and message fields.
///
/// It looks like a slice (`Deref<Target = [T]>`) of the live elements. Behind them it keeps
/// elements that were cleared, with their allocations, and [`add`](Repeated::add) hands them
/// out again before creating new ones — C++'s `RepeatedPtrField` behaviour, which makes
/// reuse parsing allocation-free.
///
/// It is one pointer (8 bytes): the lengths live in the heap block before the elements (16
/// bytes, counted by [`space_used`](Reuse::space_used)), and an empty container without a
/// block allocates nothing. It holds at most `u32::MAX` elements (C++'s repeated fields
/// hold at most `INT_MAX`); going past that panics, which no parse can do.
///
/// ```
/// use zpb::Repeated;
/// let mut names: Repeated<String> = Repeated::new();
/// assert_eq!(std::mem::size_of_val(&names), 8);
/// names.add().push_str("first");
/// names.add().push_str("second");
/// zpb::Reuse::clear(&mut names);
/// assert!(names.is_empty());
/// assert_eq!(names.retained(), 2);          // kept, with their string buffers
/// let reused = names.add();                 // no allocation: a cleared element comes back
/// assert!(reused.capacity() >= "first".len());
/// ```
pub struct Repeated<T> {
    /// [`EMPTY`] or this container's own block (see the module's invariants).
    ptr: NonNull<Header>,
    /// Owns `T`s.
    items: PhantomData<T>,
}

// SAFETY: a `Repeated<T>` owns its block and the `T`s in it alone, as a `Vec<T>` does; the
// shared `EMPTY` header is never written.
unsafe impl<T: Send> Send for Repeated<T> {}
// SAFETY: `&Repeated<T>` only gives out `&T` (and reads the header).
unsafe impl<T: Sync> Sync for Repeated<T> {}

impl<T> Repeated<T> {
    /// Where the elements start in a block: after the header, aligned for `T`.
    const OFFSET: usize = size_of::<Header>().next_multiple_of(align_of::<T>());

    /// The block's layout for `cap` slots.
    ///
    /// # Panics
    /// If the size overflows what the platform can allocate.
    fn layout(cap: usize) -> Layout {
        size_of::<T>()
            .checked_mul(cap)
            .and_then(|bytes| bytes.checked_add(Self::OFFSET))
            .and_then(|size| {
                Layout::from_size_align(size, align_of::<Header>().max(align_of::<T>())).ok()
            })
            .unwrap_or_else(|| capacity_overflow())
    }

    /// An empty container (allocates nothing).
    pub const fn new() -> Self {
        // SAFETY: a reference to a static is not null. (Writing through the pointer is never
        // done while it is `EMPTY`'s: see the module's invariants.)
        let ptr = unsafe { NonNull::new_unchecked(&EMPTY as *const Header as *mut Header) };
        Repeated {
            ptr,
            items: PhantomData,
        }
    }

    #[inline]
    fn header(&self) -> &Header {
        // SAFETY: the pointer is `EMPTY` or our live block (invariants).
        unsafe { self.ptr.as_ref() }
    }

    /// The header of our block, mutably (only with a block: `cap > 0`).
    #[inline]
    fn header_mut(&mut self) -> &mut Header {
        debug_assert!(self.header().cap > 0);
        // SAFETY: with `cap > 0` the pointer is our own block, which nothing else
        // references while `self` is borrowed mutably.
        unsafe { self.ptr.as_mut() }
    }

    /// Number of live elements, as an index.
    #[inline]
    fn live(&self) -> usize {
        self.header().len as usize
    }

    /// Number of initialized elements (live and spare).
    #[inline]
    fn total(&self) -> usize {
        self.header().total as usize
    }

    /// The first slot (meaningful only with a block).
    #[inline]
    fn slots(&self) -> *mut T {
        self.ptr
            .as_ptr()
            .cast::<u8>()
            .wrapping_add(Self::OFFSET)
            .cast::<T>()
    }

    /// Initialized elements `[from..to]` (`to <= total`).
    #[inline]
    fn range(&self, from: usize, to: usize) -> &[T] {
        debug_assert!(from <= to && to <= self.total());
        if from == to {
            return &[];
        }
        // SAFETY: with elements there is a block, whose slots `[..total]` are initialized and
        // aligned for `T`; they live as long as `self`.
        unsafe { std::slice::from_raw_parts(self.slots().add(from), to - from) }
    }

    /// Initialized elements `[from..to]`, mutably.
    #[inline]
    fn range_mut(&mut self, from: usize, to: usize) -> &mut [T] {
        debug_assert!(from <= to && to <= self.total());
        if from == to {
            return &mut [];
        }
        // SAFETY: as `range`; `&mut self` makes the elements exclusively ours.
        unsafe { std::slice::from_raw_parts_mut(self.slots().add(from), to - from) }
    }

    /// Sets the number of live elements (with a block).
    #[inline]
    fn set_live(&mut self, len: usize) {
        debug_assert!(len <= self.total());
        // `len <= total`, which fits a `u32`.
        self.header_mut().len = len as u32;
    }

    /// Counts `bytes` more held by the spares (with a block).
    #[inline]
    fn add_spare_bytes(&mut self, bytes: usize) {
        let h = self.header_mut();
        if h.spare_bytes != WALK {
            let sum = h.spare_bytes as usize + bytes;
            h.spare_bytes = u32::try_from(sum).unwrap_or(WALK);
        }
    }

    /// Heap bytes held by the spares.
    fn spare_space(&self) -> usize
    where
        T: Reuse,
    {
        match self.header().spare_bytes {
            WALK => self
                .range(self.live(), self.total())
                .iter()
                .map(Reuse::space_used)
                .sum(),
            bytes => bytes as usize,
        }
    }

    /// Bytes of the block (0 without one).
    fn block_bytes(&self) -> usize {
        match self.capacity() {
            0 => 0,
            cap => Self::layout(cap).size(),
        }
    }

    /// Moves the elements into a block of `new_cap >= total` slots (`new_cap > 0`).
    fn reallocate(&mut self, new_cap: usize) {
        let (cap, total) = (self.capacity(), self.total());
        debug_assert!(new_cap >= total && new_cap > 0);
        if new_cap > u32::MAX as usize {
            capacity_overflow();
        }
        let layout = Self::layout(new_cap);
        let block = if cap == 0 {
            // SAFETY: the layout is at least a header's size, not zero-sized.
            unsafe { alloc::alloc(layout) }
        } else {
            // SAFETY: the block was allocated by the global allocator with
            // `Self::layout(cap)` (same alignment); the new size is not zero and `layout`
            // checked it. The elements are plain bytes to move.
            unsafe { alloc::realloc(self.ptr.as_ptr().cast(), Self::layout(cap), layout.size()) }
        };
        let Some(block) = NonNull::new(block.cast::<Header>()) else {
            alloc::handle_alloc_error(layout)
        };
        if cap == 0 {
            // SAFETY: the new block is ours, aligned for a header and large enough for one.
            unsafe {
                block.as_ptr().write(Header {
                    len: 0,
                    total: 0,
                    cap: new_cap as u32,
                    spare_bytes: 0,
                })
            };
        } else {
            // SAFETY: `realloc` kept the header and the elements; the block is ours.
            unsafe { (*block.as_ptr()).cap = new_cap as u32 };
        }
        self.ptr = block;
    }

    /// Makes room for one more initialized element, growing as `Vec` does (double, at
    /// least 4 slots — 8 for 1-byte elements, 1 for elements over 1 KiB).
    #[inline]
    fn reserve_one(&mut self) {
        let (cap, total) = (self.capacity(), self.total());
        if total < cap {
            return;
        }
        self.grow_for(total + 1);
    }

    /// Grows the block to at least `needed` slots, amortized as `Vec` does.
    #[cold]
    fn grow_for(&mut self, needed: usize) {
        let min = match size_of::<T>() {
            1 => 8,
            s if s <= 1024 => 4,
            _ => 1,
        };
        let new_cap = needed.max(self.capacity() * 2).max(min);
        let new_cap = if needed <= u32::MAX as usize {
            new_cap.min(u32::MAX as usize)
        } else {
            new_cap
        };
        self.reallocate(new_cap);
    }

    /// Frees the block (it must hold no element).
    fn release(&mut self) {
        debug_assert_eq!(self.total(), 0);
        let cap = self.capacity();
        if cap > 0 {
            let block = std::mem::take(self).into_raw();
            // SAFETY: the block was allocated with `Self::layout(cap)`, holds no element and
            // is no longer referenced (its owner was replaced by an empty container).
            unsafe { alloc::dealloc(block.as_ptr().cast(), Self::layout(cap)) }
        }
    }

    /// The pointer, without running `Drop` (the caller owns the block and its elements).
    fn into_raw(self) -> NonNull<Header> {
        std::mem::ManuallyDrop::new(self).ptr
    }

    /// Live elements as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        self.range(0, self.live())
    }

    /// Live elements as a mutable slice.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let live = self.live();
        self.range_mut(0, live)
    }

    /// Number of cleared elements kept for reuse.
    #[inline]
    pub fn retained(&self) -> usize {
        self.total() - self.live()
    }

    /// Makes room in the buffer for at least `additional` more live elements, counting the
    /// retained ones (which [`add`](Repeated::add) hands out first): no reallocation until
    /// then.
    ///
    /// ```
    /// let mut r: zpb::Repeated<String> = zpb::Repeated::new();
    /// r.reserve(10);
    /// assert!(r.capacity() >= 10);
    /// ```
    ///
    /// # Panics
    /// Past `u32::MAX` elements.
    pub fn reserve(&mut self, additional: usize) {
        let spare = self.retained();
        if additional > spare {
            let needed = self
                .total()
                .checked_add(additional - spare)
                .unwrap_or_else(|| capacity_overflow());
            if needed > self.capacity() {
                self.grow_for(needed);
            }
        }
    }

    /// Elements the buffer holds without reallocating (live, retained and free slots).
    #[inline]
    pub fn capacity(&self) -> usize {
        self.header().cap as usize
    }

    /// Drops the cleared elements kept for reuse (live ones stay).
    pub fn drop_retained(&mut self) {
        let (live, total) = (self.live(), self.total());
        if total == live {
            return;
        }
        let spares: *mut [T] = self.range_mut(live, total);
        let h = self.header_mut();
        h.total = live as u32;
        h.spare_bytes = 0;
        // SAFETY: the spares were initialized and are no longer counted (`total` was lowered
        // first, so a panicking drop leaks rather than drops twice).
        unsafe { ptr::drop_in_place(spares) }
    }

    /// Appends `value` (retained elements stay behind it, for later reuse).
    ///
    /// # Panics
    ///
    /// Past `u32::MAX` live elements.
    pub fn push(&mut self, value: T) {
        self.reserve_one();
        let (live, total) = (self.live(), self.total());
        let slots = self.slots();
        // SAFETY: `reserve_one` made slot `total` free in our block; the first spare (if
        // any) moves there and `value` takes its slot, so `[..total + 1]` are initialized.
        unsafe {
            if live < total {
                ptr::copy_nonoverlapping(slots.add(live), slots.add(total), 1);
            }
            slots.add(live).write(value);
        }
        let h = self.header_mut();
        h.total += 1;
        h.len += 1;
    }

    /// Removes and returns the element at `index`, shifting the rest down.
    ///
    /// # Panics
    ///
    /// If `index` is not below [`len`](slice::len) (as `Vec::remove`).
    pub fn remove(&mut self, index: usize) -> T {
        let (slots, _, total) = self.unlink(index);
        // SAFETY: `index < live <= total`: the element is initialized; it is read out and the
        // initialized elements after it move down into its slot.
        unsafe {
            let value = slots.add(index).read();
            ptr::copy(slots.add(index + 1), slots.add(index), total - index - 1);
            value
        }
    }

    /// Removes the element at `index` by swapping the last live element into its place.
    ///
    /// # Panics
    ///
    /// If `index` is not below [`len`](slice::len) (as `Vec::swap_remove`).
    pub fn swap_remove(&mut self, index: usize) -> T {
        let (slots, live, total) = self.unlink(index);
        // SAFETY: `index < live <= total`: the element is read out, the last live one moves
        // into its slot, and the spares move down by one to close the gap.
        unsafe {
            let value = slots.add(index).read();
            ptr::copy(slots.add(live - 1), slots.add(index), 1);
            ptr::copy(slots.add(live), slots.add(live - 1), total - live);
            value
        }
    }

    /// The start of [`remove`](Self::remove) and [`swap_remove`](Self::swap_remove): checks
    /// `index` and counts one element fewer, live and in all; returns the slots and the
    /// counts from before. The caller moves the element out and closes the gap.
    ///
    /// # Panics
    ///
    /// If `index` is not below the live count.
    fn unlink(&mut self, index: usize) -> (*mut T, usize, usize) {
        let (live, total) = (self.live(), self.total());
        assert!(index < live, "index {index} out of range for {live}");
        let slots = self.slots();
        let h = self.header_mut();
        h.len -= 1;
        h.total -= 1;
        (slots, live, total)
    }

    /// Converts into a `Vec` of the live elements.
    pub fn into_vec(mut self) -> Vec<T> {
        self.drop_retained();
        let live = self.live();
        let mut out = Vec::with_capacity(live);
        if live > 0 {
            // SAFETY: the live elements move into `out`'s buffer, which has room for them;
            // the block then counts none, so dropping `self` only frees it.
            unsafe {
                ptr::copy_nonoverlapping(self.slots(), out.as_mut_ptr(), live);
                out.set_len(live);
            }
            let h = self.header_mut();
            h.len = 0;
            h.total = 0;
        }
        out
    }
}

impl<T: Reuse + Default> Repeated<T> {
    /// Appends an element and returns it: a cleared retained one if there is one (keeping its
    /// allocations), else a new default one.
    ///
    /// # Panics
    ///
    /// Past `u32::MAX` live elements.
    #[inline]
    pub fn add(&mut self) -> &mut T {
        let (live, total) = (self.live(), self.total());
        if live == total {
            self.reserve_one();
            // SAFETY: `reserve_one` made slot `total` free in our block. The default is built
            // straight in its slot (not on the stack and copied in).
            unsafe { self.slots().add(total).write(T::default()) };
            let h = self.header_mut();
            h.total += 1;
            h.len += 1;
        } else {
            if T::OWNS_HEAP {
                // Measuring a cleared element is cheap: it holds no live content.
                let bytes = self.range(live, live + 1)[0].space_used();
                let h = self.header_mut();
                if h.spare_bytes != WALK {
                    h.spare_bytes -= bytes as u32;
                }
            }
            self.header_mut().len += 1;
        }
        &mut self.range_mut(live, live + 1)[0]
    }

    /// Shortens to `len` live elements; the rest are cleared and kept for reuse.
    pub fn truncate(&mut self, len: usize) {
        while self.live() > len {
            let last = self.live() - 1;
            self.set_live(last);
            let item = &mut self.range_mut(last, last + 1)[0];
            item.clear();
            let bytes = item.space_used();
            self.add_spare_bytes(bytes);
        }
    }

    /// Removes the last live element and returns it (its slot is kept as a cleared spare).
    pub fn pop(&mut self) -> Option<T> {
        let last = self.live().checked_sub(1)?;
        self.set_live(last);
        Some(std::mem::take(&mut self.range_mut(last, last + 1)[0]))
    }

    /// Sets the element at `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not below [`len`](slice::len) (as slice indexing).
    pub fn set(&mut self, index: usize, value: T) {
        self.as_mut_slice()[index] = value;
    }
}

impl<T> Drop for Repeated<T> {
    fn drop(&mut self) {
        let cap = self.capacity();
        if cap == 0 {
            return;
        }
        /// Frees the block when dropped, even if an element's drop panics.
        struct Free(NonNull<u8>, Layout);
        impl Drop for Free {
            fn drop(&mut self) {
                // SAFETY: the block was allocated with this layout and is dropped once.
                unsafe { alloc::dealloc(self.0.as_ptr(), self.1) }
            }
        }
        let _free = Free(self.ptr.cast(), Self::layout(cap));
        let total = self.total();
        let elements: *mut [T] = self.range_mut(0, total);
        // SAFETY: slots `[..total]` are initialized and dropped once, here.
        unsafe { ptr::drop_in_place(elements) }
    }
}

impl<T: Reuse> Reuse for Repeated<T> {
    /// Clears the live elements and keeps all of them for reuse.
    fn clear(&mut self) {
        let live = self.live();
        if live == 0 {
            return;
        }
        let mut bytes = 0;
        for item in self.range_mut(0, live) {
            item.clear();
            if T::OWNS_HEAP {
                bytes += item.space_used();
            }
        }
        self.add_spare_bytes(bytes);
        self.set_live(0);
    }

    /// The block, and what the elements hold: live ones walked, retained ones accounted
    /// for as they are cleared.
    fn space_used(&self) -> usize {
        let own = self.block_bytes();
        if T::OWNS_HEAP {
            own + self.spare_space() + self.as_slice().iter().map(Reuse::space_used).sum::<usize>()
        } else {
            own
        }
    }

    /// Keeps the block, then live elements' spare storage, then retained elements, in that
    /// order, while the budget lasts; past it the block shrinks to the live elements (the
    /// retained ones are dropped). A block already of the live elements' size stays as it
    /// is: `Shrink` over same-sized messages reallocates nothing.
    fn trim(&mut self, budget: &mut usize) {
        let block = self.block_bytes();
        if block > 0 && !keep_within(budget, block) {
            self.drop_retained();
            match self.live() {
                0 => self.release(),
                live if live < self.capacity() => self.reallocate(live),
                _ => {}
            }
            *budget = budget.saturating_sub(self.block_bytes());
        }
        let (live, total) = (self.live(), self.total());
        for item in self.range_mut(0, total) {
            item.trim(budget);
        }
        if self.capacity() > 0 {
            let bytes = self.range(live, total).iter().map(Reuse::space_used).sum();
            self.header_mut().spare_bytes = 0;
            self.add_spare_bytes(bytes);
        }
    }

    /// The live elements in a block of their size: a full trim drops the retained ones.
    fn space_needed(&self) -> usize {
        let own = match self.live() {
            0 => 0,
            live => Self::layout(live).size(),
        };
        if T::OWNS_HEAP {
            own + self
                .as_slice()
                .iter()
                .map(Reuse::space_needed)
                .sum::<usize>()
        } else {
            own
        }
    }
}

impl<T> Default for Repeated<T> {
    fn default() -> Self {
        Repeated::new()
    }
}

impl<T> Deref for Repeated<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for Repeated<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

/// Clones the live elements only, into a block of their size.
impl<T: Clone> Clone for Repeated<T> {
    fn clone(&self) -> Self {
        let mut out = Repeated::new();
        if !self.is_empty() {
            out.reallocate(self.len());
            for item in self.as_slice() {
                out.push(item.clone());
            }
        }
        out
    }
}

impl<T: PartialEq> PartialEq for Repeated<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for Repeated<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Repeated<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}

impl<T: fmt::Debug> fmt::Debug for Repeated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// Moves the elements into a block of their number.
impl<T> From<Vec<T>> for Repeated<T> {
    fn from(items: Vec<T>) -> Self {
        let mut r = Repeated::new();
        r.extend(items);
        r
    }
}

impl<T> FromIterator<T> for Repeated<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut r = Repeated::new();
        r.extend(iter);
        r
    }
}

impl<T> Extend<T> for Repeated<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        let (lower, _) = iter.size_hint();
        let needed = self.total().saturating_add(lower);
        if needed > self.capacity() {
            self.grow_for(needed);
        }
        for v in iter {
            self.push(v);
        }
    }
}

impl<T> IntoIterator for Repeated<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Repeated<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Repeated<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// An element that claims to hold 3 GiB (nothing is allocated).
    #[derive(Default)]
    struct Huge;

    const GIB3: usize = 3 << 30;

    impl Reuse for Huge {
        fn clear(&mut self) {}
        fn space_used(&self) -> usize {
            GIB3
        }
        fn trim(&mut self, _: &mut usize) {}
    }

    /// Counts its drops.
    #[derive(Default, Clone)]
    struct Counted(Option<Rc<Cell<usize>>>, String);

    impl Drop for Counted {
        fn drop(&mut self) {
            if let Some(c) = &self.0 {
                c.set(c.get() + 1);
            }
        }
    }

    impl Reuse for Counted {
        fn clear(&mut self) {
            self.1.clear()
        }
        fn space_used(&self) -> usize {
            self.1.capacity()
        }
        fn trim(&mut self, budget: &mut usize) {
            self.1.trim(budget)
        }
    }

    #[test]
    fn is_one_pointer() {
        assert_eq!(size_of::<Repeated<String>>(), 8);
        assert_eq!(size_of::<Option<Repeated<String>>>(), 8);
        assert_eq!(Repeated::<String>::new().space_used(), 0);
    }

    #[test]
    fn spares_beyond_u32_are_walked_exactly() {
        let own = |r: &Repeated<Huge>| r.block_bytes();
        let mut r: Repeated<Huge> = Repeated::new();
        r.add();
        r.add();
        r.add();
        Reuse::clear(&mut r);
        assert_eq!(r.header().spare_bytes, WALK);
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.add();
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.truncate(0);
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.drop_retained();
        assert_eq!((r.header().spare_bytes, r.space_used()), (0, own(&r)));
    }

    #[test]
    fn spare_bytes_stay_exact_below_u32() {
        let mut r: Repeated<String> = Repeated::new();
        r.add().push_str("0123456789");
        r.add().push_str("abc");
        let first = r[0].capacity();
        let held = r.space_used();
        assert_eq!(held, r.block_bytes() + first + r[1].capacity());
        assert_eq!(r.block_bytes(), 16 + 4 * size_of::<String>());
        Reuse::clear(&mut r);
        assert_eq!(r.space_used(), held);
        r.add();
        assert_eq!(r.space_used(), held);
        r.push(String::with_capacity(100));
        assert_eq!(r.len(), 2);
        assert_eq!(r.retained(), 1);
        assert_eq!(r.swap_remove(0).capacity(), first);
        assert_eq!((r.len(), r[0].capacity()), (1, 100));
    }

    #[test]
    fn every_element_is_dropped_once() {
        let drops = Rc::new(Cell::new(0));
        let counted = |s: &str| Counted(Some(drops.clone()), s.to_string());
        let mut r: Repeated<Counted> = Repeated::new();
        for s in ["a", "b", "c", "d", "e"] {
            r.push(counted(s));
        }
        r.truncate(3); // d, e kept as spares
        r.push(counted("f")); // a b c f | e d
        assert_eq!(r.iter().map(|c| c.1.as_str()).collect::<String>(), "abcf");
        assert_eq!(r.retained(), 2);
        drop(r.remove(1)); // a c f | e d
        drop(r.swap_remove(0)); // f c | e d
        assert_eq!(r.iter().map(|c| c.1.as_str()).collect::<String>(), "fc");
        assert_eq!(drops.get(), 2);
        let popped = r.pop().unwrap(); // f | (default) e d
        assert_eq!(popped.1, "c");
        drop(popped);
        r.drop_retained(); // the default left by `pop`, e, d
        assert_eq!((r.len(), r.retained(), drops.get()), (1, 0, 5));
        let cloned = r.clone();
        let v = r.into_vec();
        assert_eq!((v.len(), drops.get()), (1, 5), "moved out, not dropped");
        drop(v);
        drop(cloned);
        assert_eq!(drops.get(), 7);
    }

    #[test]
    fn trim_shrinks_the_block_to_the_live_elements() {
        let mut r: Repeated<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(r.capacity(), 10);
        r.truncate(2);
        let mut budget = 0;
        r.trim(&mut budget);
        assert_eq!((r.len(), r.retained(), r.capacity()), (2, 0, 2));
        assert_eq!(r.space_used(), r.space_needed());
        Reuse::clear(&mut r);
        r.trim(&mut 0);
        assert_eq!((r.capacity(), r.space_used()), (0, 0));
        r.add().push_str("again");
        r.trim(&mut 0);
        let block = r.ptr;
        r.trim(&mut 0);
        assert_eq!(
            r.ptr, block,
            "a block of the live size is kept, not reallocated"
        );
        let mut plenty = usize::MAX;
        r.trim(&mut plenty);
        assert_eq!(r.as_slice(), ["again"]);
    }

    #[test]
    fn vec_conversions_keep_the_order() {
        let r: Repeated<String> = vec!["x".to_string(), "y".to_string()].into();
        let mut copy = r.clone();
        copy.extend(["z".to_string()]);
        assert_eq!(copy.as_slice(), ["x", "y", "z"]);
        assert_eq!(r.into_iter().collect::<Vec<_>>(), ["x", "y"]);
        let mut m: Repeated<String> = Repeated::new();
        m.reserve(3);
        assert_eq!(m.capacity(), 4);
        for s in &mut copy {
            s.push('!');
        }
        assert_eq!(format!("{copy:?}"), r#"["x!", "y!", "z!"]"#);
    }

    #[test]
    fn over_aligned_elements_sit_aligned() {
        #[derive(Default, Clone, PartialEq, Debug)]
        #[repr(align(64))]
        struct Wide(u8);
        impl Reuse for Wide {
            fn clear(&mut self) {}
            fn space_used(&self) -> usize {
                0
            }
            fn trim(&mut self, _: &mut usize) {}
        }
        let mut r: Repeated<Wide> = Repeated::new();
        assert!(r.is_empty());
        r.add().0 = 1;
        r.push(Wide(2));
        assert_eq!(r.as_ptr() as usize % 64, 0);
        assert_eq!(r.as_slice(), [Wide(1), Wide(2)]);
        assert_eq!(Repeated::<Wide>::OFFSET, 64);
    }
}
