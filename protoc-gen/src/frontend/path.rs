//! Source-code-info paths (`[4, 0, 2, 1]`: the name of field 1 of message 0), held inline.
//! The parser records a path for every source location, element name and option, and the
//! linker, option interpreter and checks key maps by them: as `Vec<i32>`s each would be a
//! heap allocation, most of them short-lived.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};

/// How many elements a [`Path`] holds without a heap allocation: enough for an option of a
/// field of a message nested three deep (`[4, i, 3, j, 3, k, 2, l, 8, 999, n]`).
const INLINE: usize = 12;

/// A source-code-info path: a slice of `i32`s, inline up to 12 elements, on the heap beyond.
/// It hashes and compares as its slice, so maps keyed by paths are searched with `&[i32]`.
#[derive(Clone)]
pub struct Path(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `.0` elements of `.1` are the path.
    Inline(u8, [i32; INLINE]),
    /// A path longer than [`INLINE`].
    Heap(Vec<i32>),
}

impl Path {
    /// The empty path (the file itself).
    pub const fn new() -> Self {
        Path(Repr::Inline(0, [0; INLINE]))
    }

    /// `path` followed by `more`, built in one step.
    pub fn concat(path: &[i32], more: &[i32]) -> Self {
        let len = path.len() + more.len();
        if len > INLINE {
            return Path(Repr::Heap([path, more].concat()));
        }
        let mut items = [0; INLINE];
        items[..path.len()].copy_from_slice(path);
        items[path.len()..len].copy_from_slice(more);
        // At most INLINE (12): fits a u8.
        Path(Repr::Inline(len as u8, items))
    }

    /// The path's elements.
    pub fn as_slice(&self) -> &[i32] {
        match &self.0 {
            Repr::Inline(len, items) => &items[..usize::from(*len)],
            Repr::Heap(items) => items,
        }
    }

    /// The path's elements, mutable.
    pub fn as_mut_slice(&mut self) -> &mut [i32] {
        match &mut self.0 {
            Repr::Inline(len, items) => &mut items[..usize::from(*len)],
            Repr::Heap(items) => items,
        }
    }

    /// Appends `more`.
    pub fn extend_from_slice(&mut self, more: &[i32]) {
        if let Repr::Inline(len, items) = &mut self.0 {
            let n = usize::from(*len);
            if n + more.len() <= INLINE {
                items[n..n + more.len()].copy_from_slice(more);
                // At most INLINE (12): fits a u8.
                *len = (n + more.len()) as u8;
                return;
            }
            let mut heap = Vec::with_capacity(n + more.len());
            heap.extend_from_slice(&items[..n]);
            self.0 = Repr::Heap(heap);
        }
        if let Repr::Heap(items) = &mut self.0 {
            items.extend_from_slice(more);
        }
    }

    /// Appends `value`.
    pub fn push(&mut self, value: i32) {
        self.extend_from_slice(&[value]);
    }

    /// The elements as a vector (a `SourceCodeInfo.Location`'s path).
    pub fn into_vec(self) -> Vec<i32> {
        match self.0 {
            Repr::Inline(len, items) => items[..usize::from(len)].to_vec(),
            Repr::Heap(items) => items,
        }
    }
}

impl Default for Path {
    fn default() -> Self {
        Path::new()
    }
}

impl From<&[i32]> for Path {
    fn from(items: &[i32]) -> Self {
        Path::concat(items, &[])
    }
}

impl<const N: usize> From<[i32; N]> for Path {
    fn from(items: [i32; N]) -> Self {
        Path::from(&items[..])
    }
}

impl Deref for Path {
    type Target = [i32];

    fn deref(&self) -> &[i32] {
        self.as_slice()
    }
}

impl DerefMut for Path {
    fn deref_mut(&mut self) -> &mut [i32] {
        self.as_mut_slice()
    }
}

impl Borrow<[i32]> for Path {
    fn borrow(&self) -> &[i32] {
        self.as_slice()
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Path {}

// As the slice hashes: `Borrow<[i32]>` requires it, so that maps keyed by paths can be
// searched with slices.
impl Hash for Path {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn inline_and_heap_paths_are_their_slices() {
        let mut path = Path::from([4, 0]);
        for i in 0..20 {
            path.push(i);
            let expected: Vec<i32> = [4, 0].into_iter().chain(0..=i).collect();
            assert_eq!(path.as_slice(), &expected[..]);
            assert_eq!(path.clone().into_vec(), expected);
            assert_eq!(path, Path::from(&expected[..]));
        }
        let mut long = Path::from(&[1; 11][..]);
        long.extend_from_slice(&[2, 3]);
        assert_eq!(long.len(), 13);
        assert_eq!(long[11..], [2, 3]);
        long[0] = 9;
        assert_eq!(long[0], 9);
        assert_eq!(Path::new().into_vec(), Vec::<i32>::new());
        for (a, b) in [(0, 0), (3, 2), (10, 2), (11, 2), (0, 13), (20, 5)] {
            let first: Vec<i32> = (0..a).collect();
            let second: Vec<i32> = (100..100 + b).collect();
            let joined = Path::concat(&first, &second);
            assert_eq!(joined.into_vec(), [first, second].concat());
        }
    }

    #[test]
    fn paths_hash_as_slices() {
        let build = std::hash::BuildHasherDefault::<super::super::hash::FxHasher>::default();
        for len in [0, 3, 12, 13, 30] {
            let items: Vec<i32> = (0..len).collect();
            let path = Path::from(&items[..]);
            assert_eq!(build.hash_one(&path), build.hash_one(&items[..]));
        }
        let mut map = super::super::hash::HashMap::default();
        map.insert(Path::from([4, 1, 2, 0]), 7);
        assert_eq!(map.get(&[4, 1, 2, 0][..]), Some(&7));
        assert_eq!(map.get(&[4, 1, 2][..]), None);
    }
}
