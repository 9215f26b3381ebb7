//! [`Repeated<T>`]: a vector that keeps cleared elements for reuse.

use super::reuse::{trim_buffer, Reuse};
use std::fmt;
use std::mem::size_of;
use std::ops::{Deref, DerefMut};

/// The container of repeated string, bytes and message fields.
///
/// It looks like a slice (`Deref<Target = [T]>`) of the live elements. Behind them it keeps
/// elements that were cleared, with their allocations, and [`add`](Repeated::add) hands them
/// out again before creating new ones — C++'s `RepeatedPtrField` behaviour, which makes
/// reuse parsing allocation-free.
///
/// It takes 32 bytes and holds at most `u32::MAX` live elements (C++'s repeated fields hold
/// at most `INT_MAX`); going past that panics, which no parse can do.
///
/// ```
/// use zpb::Repeated;
/// let mut names: Repeated<String> = Repeated::new();
/// names.add().push_str("first");
/// names.add().push_str("second");
/// zpb::Reuse::clear(&mut names);
/// assert!(names.is_empty());
/// assert_eq!(names.retained(), 2);          // kept, with their string buffers
/// let reused = names.add();                 // no allocation: a cleared element comes back
/// assert!(reused.capacity() >= "first".len());
/// ```
pub struct Repeated<T> {
    /// Live elements `[..len]`, then cleared spares `[len..]`.
    items: Vec<T>,
    /// Number of live elements: at most `u32::MAX` (C++ allows `INT_MAX`), which keeps the
    /// container at 32 bytes.
    len: u32,
    /// Heap bytes held by the spares, kept exact so that measuring a cleared container is
    /// O(1) rather than a walk over every retained element; [`WALK`] when they hold more than
    /// it can count (then they are walked).
    spare_bytes: u32,
}

/// `Repeated::spare_bytes` when the spares hold `u32::MAX` bytes or more.
const WALK: u32 = u32::MAX;

impl<T> Repeated<T> {
    /// An empty container (allocates nothing).
    pub const fn new() -> Self {
        Repeated {
            items: Vec::new(),
            len: 0,
            spare_bytes: 0,
        }
    }

    /// Number of live elements, as an index.
    #[inline]
    fn live(&self) -> usize {
        self.len as usize
    }

    /// Sets the number of live elements.
    ///
    /// # Panics
    ///
    /// Past `u32::MAX` live elements (no parse gets near: input is limited to 2 GiB).
    #[inline]
    fn set_live(&mut self, len: usize) {
        self.len = u32::try_from(len).expect("a repeated field holds at most u32::MAX elements");
    }

    /// Counts `bytes` more held by the spares.
    #[inline]
    fn add_spare_bytes(&mut self, bytes: usize) {
        if self.spare_bytes != WALK {
            let sum = self.spare_bytes as usize + bytes;
            self.spare_bytes = u32::try_from(sum).unwrap_or(WALK);
        }
    }

    /// Heap bytes held by the spares.
    fn spare_space(&self) -> usize
    where
        T: Reuse,
    {
        if self.spare_bytes == WALK {
            self.items[self.live()..]
                .iter()
                .map(Reuse::space_used)
                .sum()
        } else {
            self.spare_bytes as usize
        }
    }

    /// Live elements as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.live()]
    }

    /// Live elements as a mutable slice.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let live = self.live();
        &mut self.items[..live]
    }

    /// Number of cleared elements kept for reuse.
    #[inline]
    pub fn retained(&self) -> usize {
        self.items.len() - self.live()
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
    pub fn reserve(&mut self, additional: usize) {
        let spare = self.retained();
        if additional > spare {
            self.items.reserve(additional - spare);
        }
    }

    /// Elements the buffer holds without reallocating (live, retained and free slots).
    pub fn capacity(&self) -> usize {
        self.items.capacity()
    }

    /// Drops the cleared elements kept for reuse (live ones stay).
    pub fn drop_retained(&mut self) {
        self.items.truncate(self.live());
        self.spare_bytes = 0;
    }

    /// Appends `value` (retained elements stay behind it, for later reuse).
    ///
    /// # Panics
    ///
    /// Past `u32::MAX` live elements.
    pub fn push(&mut self, value: T) {
        let live = self.live();
        self.set_live(live + 1);
        self.items.push(value);
        let last = self.items.len() - 1;
        self.items.swap(live, last);
    }

    /// Removes and returns the element at `index`, shifting the rest down.
    ///
    /// # Panics
    ///
    /// If `index` is not below [`len`](slice::len) (as `Vec::remove`).
    pub fn remove(&mut self, index: usize) -> T {
        assert!(
            index < self.live(),
            "index {index} out of range for {}",
            self.len
        );
        self.len -= 1;
        self.items.remove(index)
    }

    /// Removes the element at `index` by swapping the last live element into its place.
    ///
    /// # Panics
    ///
    /// If `index` is not below [`len`](slice::len) (as `Vec::swap_remove`).
    pub fn swap_remove(&mut self, index: usize) -> T {
        assert!(
            index < self.live(),
            "index {index} out of range for {}",
            self.len
        );
        self.len -= 1;
        let last = self.live();
        self.items.swap(index, last);
        self.items.remove(last)
    }

    /// Converts into a `Vec` of the live elements.
    pub fn into_vec(mut self) -> Vec<T> {
        self.drop_retained();
        self.items
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
        let live = self.live();
        if live == self.items.len() {
            self.set_live(live + 1);
            // Room first, then the default built in its slot: `push(T::default())` would
            // build it on the stack and copy it in.
            self.items.resize_with(live + 1, T::default);
        } else {
            if T::OWNS_HEAP && self.spare_bytes != WALK {
                // Measuring a cleared element is cheap: it holds no live content.
                self.spare_bytes -= self.items[live].space_used() as u32;
            }
            self.len += 1;
        }
        &mut self.items[live]
    }

    /// Shortens to `len` live elements; the rest are cleared and kept for reuse.
    pub fn truncate(&mut self, len: usize) {
        while self.live() > len {
            self.len -= 1;
            let item = &mut self.items[self.len as usize];
            item.clear();
            let bytes = item.space_used();
            self.add_spare_bytes(bytes);
        }
    }

    /// Removes the last live element and returns it (its slot is kept as a cleared spare).
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        Some(std::mem::take(&mut self.items[self.len as usize]))
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

impl<T: Reuse> Reuse for Repeated<T> {
    /// Clears the live elements and keeps all of them for reuse.
    fn clear(&mut self) {
        let live = self.live();
        let mut bytes = 0;
        for item in &mut self.items[..live] {
            item.clear();
            if T::OWNS_HEAP {
                bytes += item.space_used();
            }
        }
        self.add_spare_bytes(bytes);
        self.len = 0;
    }

    /// Walks the live elements only; retained ones are accounted for as they are cleared.
    fn space_used(&self) -> usize {
        let own = self.items.capacity() * size_of::<T>();
        if T::OWNS_HEAP {
            own + self.spare_space() + self.as_slice().iter().map(Reuse::space_used).sum::<usize>()
        } else {
            own
        }
    }

    /// Keeps the buffer, then live elements' spare storage, then retained elements, in that
    /// order, while the budget lasts; retained elements past it are dropped.
    fn trim(&mut self, budget: &mut usize) {
        let (len, cap) = (self.live(), self.items.capacity());
        let items = &mut self.items;
        trim_buffer(budget, size_of::<T>(), len, cap, |n| {
            items.truncate(n);
            items.shrink_to(n);
            items.capacity()
        });
        for item in self.items.iter_mut() {
            item.trim(budget);
        }
        self.spare_bytes = 0;
        let bytes = self.items[len..].iter().map(Reuse::space_used).sum();
        self.add_spare_bytes(bytes);
    }

    /// The live elements only: a full trim drops the retained ones.
    fn space_needed(&self) -> usize {
        let own = self.live() * size_of::<T>();
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

/// Clones the live elements only.
impl<T: Clone> Clone for Repeated<T> {
    fn clone(&self) -> Self {
        Repeated {
            items: self.as_slice().to_vec(),
            len: self.len,
            spare_bytes: 0,
        }
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

impl<T> From<Vec<T>> for Repeated<T> {
    fn from(items: Vec<T>) -> Self {
        let mut r = Repeated {
            items,
            len: 0,
            spare_bytes: 0,
        };
        r.set_live(r.items.len());
        r
    }
}

impl<T> FromIterator<T> for Repeated<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<T> Extend<T> for Repeated<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
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

    #[test]
    fn is_32_bytes() {
        assert_eq!(size_of::<Repeated<String>>(), 32);
    }

    #[test]
    fn spares_beyond_u32_are_walked_exactly() {
        let own = |r: &Repeated<Huge>| r.capacity() * size_of::<Huge>();
        let mut r: Repeated<Huge> = Repeated::new();
        r.add();
        r.add();
        r.add();
        Reuse::clear(&mut r);
        assert_eq!(r.spare_bytes, WALK);
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.add();
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.truncate(0);
        assert_eq!(r.space_used(), own(&r) + 3 * GIB3);
        r.drop_retained();
        assert_eq!((r.spare_bytes, r.space_used()), (0, own(&r)));
    }

    #[test]
    fn spare_bytes_stay_exact_below_u32() {
        let mut r: Repeated<String> = Repeated::new();
        r.add().push_str("0123456789");
        r.add().push_str("abc");
        let first = r[0].capacity();
        let held = r.space_used();
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
}
