//! [`Assign`]: what a string or bytes setter accepts, and how it lands in the field's buffer.

use super::ThinString;
use std::borrow::Cow;

/// A value the setter of a `string` or `bytes` field (`set_x(v)`, `set_x(i, v)` of a
/// repeated field, a oneof member's `set_x(v)`) accepts.
///
/// Borrowed values (`&str`, `&[u8]`, `b"..."`) are **copied into the field's retained
/// buffer**, as C++'s `set_name(const std::string&)` does: once the buffer has grown, setting
/// allocates nothing. Owned values (`String`, `Vec<u8>`, `Box<str>`, an owned `Cow`) are
/// **moved in**, replacing the buffer: no copy, and the old buffer is freed. So one setter
/// serves both uses, and everything `Into<String>` / `Into<Vec<u8>>` accepted for a setter
/// before is still accepted. A [`ThinString`] field (what generated code stores) moves only
/// another `ThinString` in: it keeps its length in its own block, so an owned `String` or
/// `Box<str>` is copied into the kept buffer like a borrowed one.
///
/// ```
/// use zpb::Assign;
/// let mut s = String::with_capacity(32);
/// "copied".assign_to(&mut s);
/// assert_eq!((s.as_str(), s.capacity()), ("copied", 32)); // the buffer is reused
/// String::from("moved").assign_to(&mut s);
/// assert_eq!(s, "moved"); // the owned string replaced it
/// let mut b = Vec::new();
/// b"bytes".assign_to(&mut b);
/// assert_eq!(b, b"bytes");
/// ```
pub trait Assign<T> {
    /// Makes `slot` hold `self`: copying into its buffer if `self` is borrowed, moving `self`
    /// in if it is owned.
    fn assign_to(self, slot: &mut T);
}

/// `Assign` impls that copy a borrowed value into the slot's buffer with `$copy`.
macro_rules! assign_copy {
    ($target:ty, $copy:ident: $([$($g:tt)*] $src:ty),* $(,)?) => {$(
        impl<$($g)*> Assign<$target> for $src {
            #[inline]
            fn assign_to(self, slot: &mut $target) {
                slot.clear();
                slot.$copy(AsRef::as_ref(&self));
            }
        }
    )*};
}

/// `Assign` impls that move an owned value in through `Into`.
macro_rules! assign_move {
    ($target:ty: $($src:ty),* $(,)?) => {$(
        impl Assign<$target> for $src {
            #[inline]
            fn assign_to(self, slot: &mut $target) {
                *slot = self.into();
            }
        }
    )*};
}

assign_copy!(String, push_str: ['a] &'a str, ['a] &'a mut str, ['a] &'a String);
assign_move!(String: String, Box<str>);
// A `ThinString` keeps its length in its own block: an owned `String` or `Box<str>` is
// copied into the kept buffer (so that setting one allocates nothing once the buffer fits).
assign_copy!(
    ThinString,
    push_str: ['a] &'a str,
    ['a] &'a mut str,
    ['a] &'a String,
    ['a] &'a ThinString,
    [] String,
    [] Box<str>,
);
assign_move!(ThinString: ThinString);
assign_copy!(
    Vec<u8>,
    extend_from_slice: ['a] &'a [u8],
    ['a] &'a mut [u8],
    ['a] &'a Vec<u8>,
    ['a, const N: usize] &'a [u8; N],
    ['a, const N: usize] &'a mut [u8; N],
    [const N: usize] [u8; N],
    ['a] &'a str,
);
assign_move!(Vec<u8>: Vec<u8>, Box<[u8]>, String, bytes::Bytes, bytes::BytesMut);

/// `Assign` of a `char` and of a `Cow<str>` to each string type.
macro_rules! assign_char_and_cow {
    ($($target:ty),*) => {$(
        impl Assign<$target> for char {
            #[inline]
            fn assign_to(self, slot: &mut $target) {
                slot.clear();
                slot.push(self);
            }
        }

        impl Assign<$target> for Cow<'_, str> {
            #[inline]
            fn assign_to(self, slot: &mut $target) {
                match self {
                    Cow::Borrowed(s) => s.assign_to(slot),
                    Cow::Owned(s) => s.assign_to(slot),
                }
            }
        }
    )*};
}

assign_char_and_cow!(String, ThinString);

impl Assign<Vec<u8>> for Cow<'_, [u8]> {
    #[inline]
    fn assign_to(self, slot: &mut Vec<u8>) {
        match self {
            Cow::Borrowed(s) => s.assign_to(slot),
            Cow::Owned(s) => s.assign_to(slot),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_values_reuse_the_buffer_and_owned_ones_move_in() {
        let mut s = String::with_capacity(64);
        let buffer = s.as_ptr();
        "abc".assign_to(&mut s);
        (&String::from("def")).assign_to(&mut s);
        Cow::Borrowed("ghi").assign_to(&mut s);
        'j'.assign_to(&mut s);
        assert_eq!((s.as_str(), s.as_ptr(), s.capacity()), ("j", buffer, 64));
        let owned = String::from("moved");
        let moved = owned.as_ptr();
        owned.assign_to(&mut s);
        assert_eq!((s.as_str(), s.as_ptr()), ("moved", moved));
        Box::<str>::from("boxed").assign_to(&mut s);
        assert_eq!(s, "boxed");

        let mut b = Vec::with_capacity(64);
        let buffer = b.as_ptr();
        b"xy".assign_to(&mut b);
        [1u8, 2, 3].assign_to(&mut b);
        (&[4u8][..]).assign_to(&mut b);
        "text".assign_to(&mut b);
        assert_eq!(
            (&b[..], b.as_ptr(), b.capacity()),
            (&b"text"[..], buffer, 64)
        );
        let owned = vec![9u8; 3];
        let moved = owned.as_ptr();
        owned.assign_to(&mut b);
        assert_eq!((&b[..], b.as_ptr()), (&[9u8, 9, 9][..], moved));
        Cow::<[u8]>::Owned(vec![1]).assign_to(&mut b);
        bytes::Bytes::from_static(b"shared").assign_to(&mut b);
        assert_eq!(b, b"shared");
        String::from("s").assign_to(&mut b);
        assert_eq!(b, b"s");
    }

    #[test]
    fn thin_strings_copy_owned_strings_into_the_kept_buffer() {
        let mut s = ThinString::with_capacity(32);
        "abc".assign_to(&mut s);
        String::from("def").assign_to(&mut s);
        Box::<str>::from("ghi").assign_to(&mut s);
        'j'.assign_to(&mut s);
        Cow::<str>::Owned(String::from("kl")).assign_to(&mut s);
        (&ThinString::from("mn")).assign_to(&mut s);
        assert_eq!((s.as_str(), s.capacity()), ("mn", 32));
        ThinString::from("moved in whole").assign_to(&mut s);
        assert_eq!((s.as_str(), s.capacity()), ("moved in whole", 14));
    }
}
