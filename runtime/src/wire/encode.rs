//! [`Encoder`]: writes a message into a pre-sized window or a growing `Vec`.

use super::{encoded_varint_len, Tag, WireType};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Spreads the low 56 bits of `v` over 8 little-endian bytes, 7 bits each (bits `7i..7i+7`
/// to byte `i`, high bit clear): a varint's first 8 bytes without their continuation bits,
/// in three steps.
#[inline(always)]
const fn spread_7bit_groups(v: u64) -> u64 {
    let x = v & 0x00ff_ffff_ffff_ffff;
    let x = (x & 0x0000_0000_0fff_ffff) | ((x & 0x00ff_ffff_f000_0000) << 4);
    let x = (x & 0x0000_3fff_0000_3fff) | ((x & 0x0fff_c000_0fff_c000) << 2);
    (x & 0x007f_007f_007f_007f) | ((x & 0x3f80_3f80_3f80_3f80) << 1)
}

/// A write cursor over an output window.
///
/// Two modes:
/// - **exact** ([`append_to_vec`](Encoder::append_to_vec),
///   [`write_to_slice`](Encoder::write_to_slice)): the window is exactly the message's
///   size, computed up front (and cached per sub-message); writing past it panics (a size
///   computation bug, never caused by input data);
/// - **growing** ([`append_growing`](Encoder::append_growing)): the window is a `Vec`'s
///   spare capacity, grown when a write needs more room, so that a message is written in one
///   pass without computing its size first. A sub-message's length prefix is then written
///   by [`len_delimited`](Encoder::len_delimited) once its body is written: it leaves room
///   for the prefix its hint (the size cached by the last size computation or encoding)
///   needs, and moves the body only when the actual length needs a prefix of another size.
///
/// ```
/// use zpb::__private::wire::Encoder;
/// let mut out = Vec::new();
/// Encoder::append_to_vec(&mut out, 3, |e| {
///     e.put_varint(0x08);
///     e.put_varint(150);
/// });
/// assert_eq!(out, [0x08, 0x96, 0x01]);
/// ```
pub struct Encoder<'a> {
    /// Start of the window: bytes `[0, pos)` are written, `[pos, cap)` are free.
    base: *mut u8,
    cap: usize,
    pos: usize,
    /// In growing mode, the `Vec` whose buffer holds the window (starting at index `start`).
    grow: Option<Grow>,
    _out: PhantomData<&'a mut [u8]>,
}

/// The `Vec` a growing encoder writes into, and where its window starts in it.
struct Grow {
    vec: NonNull<Vec<u8>>,
    start: usize,
}

impl<'a> Encoder<'a> {
    /// Appends exactly `len` bytes produced by `write` to `out`, without zero-filling first.
    ///
    /// # Panics
    ///
    /// If `write` produces a different number of bytes (a bug in a size computation, never
    /// caused by input data).
    pub fn append_to_vec(out: &mut Vec<u8>, len: usize, write: impl FnOnce(&mut Encoder<'_>)) {
        out.reserve(len);
        let start = out.len();
        let written = {
            let spare = out.spare_capacity_mut()[..len].as_mut_ptr().cast::<u8>();
            let mut enc = Encoder::window(spare, len, None);
            write(&mut enc);
            enc.pos
        };
        assert_eq!(written, len, "zpb: encoded size differs from computed size");
        // SAFETY: the encoder initializes every byte of `[0, pos)` of its window (`put_*`
        // write each byte before `pos` passes it; `len_delimited` fills the prefix it
        // leaves), so the first `written` bytes of the spare capacity are initialized, and
        // `written == len` fits in the capacity reserved above.
        unsafe { out.set_len(start + written) };
    }

    /// Appends what `write` produces to `out` in one pass, growing `out` as needed (its spare
    /// capacity is used first), and returns the number of bytes appended.
    ///
    /// ```
    /// use zpb::__private::wire::Encoder;
    /// let mut out = b"head".to_vec();
    /// let n = Encoder::append_growing(&mut out, |e| {
    ///     e.put_u8(0x0a);
    ///     e.len_delimited(0, |e| e.put_slice(&[7; 200]));
    /// });
    /// assert_eq!((n, out.len()), (203, 207));
    /// assert_eq!(out[4..7], [0x0a, 0xc8, 0x01]);
    /// ```
    pub fn append_growing(out: &mut Vec<u8>, write: impl FnOnce(&mut Encoder<'_>)) -> usize {
        let start = out.len();
        let written = {
            // SAFETY: `start` is `out`'s length, within its allocation.
            let base = unsafe { out.as_mut_ptr().add(start) };
            let cap = out.capacity() - start;
            let grow = Grow {
                vec: NonNull::from(&mut *out),
                start,
            };
            let mut enc = Encoder::window(base, cap, Some(grow));
            write(&mut enc);
            enc.pos
        };
        // SAFETY: as in `append_to_vec`, the first `written` bytes after `start` are
        // initialized, and the encoder kept `start + pos` within the capacity.
        unsafe { out.set_len(start + written) };
        written
    }

    /// Writes exactly `len` bytes produced by `write` to the front of `out` (which must hold at
    /// least `len` bytes) and returns `len`.
    ///
    /// # Panics
    ///
    /// If `out` is shorter than `len`, or `write` produces a different number of bytes (a bug
    /// in a size computation, never caused by input data).
    pub fn write_to_slice(
        out: &mut [u8],
        len: usize,
        write: impl FnOnce(&mut Encoder<'_>),
    ) -> usize {
        let window = &mut out[..len];
        // The encoder only ever stores initialized bytes through this pointer, so `window`
        // stays fully initialized.
        let mut enc = Encoder::window(window.as_mut_ptr(), len, None);
        write(&mut enc);
        assert_eq!(enc.pos, len, "zpb: encoded size differs from computed size");
        len
    }

    /// An encoder over the `cap` writable bytes at `base`.
    #[inline(always)]
    fn window(base: *mut u8, cap: usize, grow: Option<Grow>) -> Encoder<'a> {
        Encoder {
            base,
            cap,
            pos: 0,
            grow,
            _out: PhantomData,
        }
    }

    /// Bytes written so far.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Makes sure `n` more bytes fit in the window.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.cap - self.pos < n {
            self.grow_by(n);
        }
    }

    /// Grows the window to hold `n` more bytes (at least doubling the buffer); in exact mode,
    /// panics.
    #[cold]
    #[inline(never)]
    fn grow_by(&mut self, n: usize) {
        let Some(grow) = &mut self.grow else {
            panic!("zpb: encoded size differs from computed size");
        };
        // SAFETY: `vec` was borrowed mutably for `'a` by `append_growing` and is reached only
        // through this encoder until it is dropped; `base` points into its buffer, which is
        // not accessed while `vec` is in use here.
        let vec = unsafe { grow.vec.as_mut() };
        // `reserve` counts from `vec.len() == start`; the written bytes `[0, pos)` of the
        // window are within the old allocation and moved with it.
        vec.reserve(self.pos + n);
        // SAFETY: `start <= vec.len()`, within the (new) allocation.
        self.base = unsafe { vec.as_mut_ptr().add(grow.start) };
        self.cap = vec.capacity() - grow.start;
    }

    /// Writes one byte.
    #[inline(always)]
    pub fn put_u8(&mut self, b: u8) {
        self.room(1);
        // SAFETY: `room` made `pos < cap`, and `[0, cap)` of the window is writable.
        unsafe { self.base.add(self.pos).write(b) };
        self.pos += 1;
    }

    /// Writes bytes verbatim.
    #[inline(always)]
    pub fn put_slice(&mut self, bytes: &[u8]) {
        self.room(bytes.len());
        // SAFETY: `room` made `pos + bytes.len() <= cap`, and `[0, cap)` of the window is
        // writable; a shared `bytes` cannot overlap the window, which this encoder borrows
        // exclusively.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.base.add(self.pos), bytes.len())
        };
        self.pos += bytes.len();
    }

    /// Writes a varint.
    #[inline(always)]
    pub fn put_varint(&mut self, v: u64) {
        if v < 0x80 {
            self.put_u8(v as u8)
        } else {
            self.put_varint_long(v)
        }
    }

    /// Varints of two or more bytes. With ten bytes of room, the 7-bit groups are spread
    /// over 8 bytes without a loop and stored at once (bytes past the varint's end are
    /// overwritten by what follows, or never committed).
    #[inline]
    fn put_varint_long(&mut self, mut v: u64) {
        if self.cap - self.pos >= 10 {
            let len = encoded_varint_len(v);
            let groups = spread_7bit_groups(v);
            // Continuation bits on every byte but the varint's last.
            let head = if len <= 8 {
                groups | (0x8080_8080_8080_8080 & ((1u64 << (8 * (len - 1))) - 1))
            } else {
                groups | 0x8080_8080_8080_8080
            };
            // SAFETY: 10 bytes are free from `pos` (checked above), so `pos..pos + 10` of
            // the window is writable.
            unsafe {
                let at = self.base.add(self.pos);
                at.cast::<[u8; 8]>().write_unaligned(head.to_le_bytes());
                if len == 9 {
                    at.add(8).write((v >> 56) as u8);
                } else if len == 10 {
                    at.add(8).write((v >> 56) as u8 | 0x80);
                    at.add(9).write((v >> 63) as u8);
                }
            }
            self.pos += len;
            return;
        }
        while v >= 0x80 {
            self.put_u8((v as u8) | 0x80);
            v >>= 7;
        }
        self.put_u8(v as u8);
    }

    /// Writes a field key. Generated code passes constants, so this folds to the one store
    /// its length needs: keys of fields 1-2047 (one or two bytes) are written inline.
    #[inline(always)]
    pub fn put_tag(&mut self, field_number: u32, wire_type: WireType) {
        let raw = Tag::new(field_number, wire_type).raw();
        if raw < 0x80 {
            self.put_u8(raw as u8)
        } else if raw < 0x4000 {
            // One room check and one 2-byte store.
            self.put_slice(&[(raw as u8) | 0x80, (raw >> 7) as u8])
        } else {
            self.put_varint_long(u64::from(raw))
        }
    }

    /// Writes a little-endian 4-byte value.
    #[inline]
    pub fn put_fixed32(&mut self, v: u32) {
        self.put_slice(&v.to_le_bytes());
    }

    /// Writes a little-endian 8-byte value.
    #[inline]
    pub fn put_fixed64(&mut self, v: u64) {
        self.put_slice(&v.to_le_bytes());
    }

    /// Writes a length-delimited value: its length prefix, then the body `write` produces,
    /// and returns the body's length.
    ///
    /// `hint` is the length expected (in exact mode, the size just computed; in growing mode
    /// the one cached by an earlier size computation, or 0): room for its prefix is left
    /// before the body, and the body is moved only if the actual length needs a prefix of
    /// another size.
    #[inline]
    pub fn len_delimited(&mut self, hint: usize, write: impl FnOnce(&mut Encoder<'a>)) -> usize {
        let reserved = encoded_varint_len(hint as u64);
        self.room(reserved);
        let at = self.pos;
        self.pos += reserved;
        write(self);
        let len = self.pos - at - reserved;
        if reserved == 1 && len < 0x80 {
            // SAFETY: byte `at` of the window was left for the prefix (`room` above).
            unsafe { self.base.add(at).write(len as u8) };
            return len;
        }
        self.patch_prefix(at, reserved, len);
        len
    }

    /// Writes the prefix of the `len`-byte body that follows the `reserved` bytes left at
    /// `at`, moving the body first if its prefix takes another number of bytes.
    #[inline(never)]
    fn patch_prefix(&mut self, at: usize, reserved: usize, len: usize) {
        let needed = encoded_varint_len(len as u64);
        if needed != reserved {
            if needed > reserved {
                self.room(needed - reserved);
            }
            // SAFETY: the body is the `len` written bytes at `at + reserved`; its new place
            // `at + needed .. at + needed + len` is within the window (`room` above when it
            // grows); `copy` allows the ranges to overlap.
            unsafe {
                std::ptr::copy(
                    self.base.add(at + reserved),
                    self.base.add(at + needed),
                    len,
                )
            };
            self.pos = at + needed + len;
        }
        let mut v = len as u64;
        for i in 0..needed {
            let byte = if i + 1 < needed {
                (v as u8) | 0x80
            } else {
                v as u8
            };
            // SAFETY: `at .. at + needed` is within `[0, pos)` of the window.
            unsafe { self.base.add(at + i).write(byte) };
            v >>= 7;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // These run under Miri (scripts/test.sh): they exercise the `unsafe` blocks.
    #[test]
    fn append_to_vec_keeps_existing_bytes_and_initializes_new_ones() {
        let mut out = b"head".to_vec();
        Encoder::append_to_vec(&mut out, 12, |e| {
            e.put_varint(u64::MAX);
            e.put_u8(1);
            e.put_slice(b"x");
        });
        assert_eq!(&out[..4], b"head");
        assert_eq!(out.len(), 16);
        assert_eq!(out[14..], [1, b'x']);
    }

    #[test]
    fn write_to_slice_fills_the_front_only() {
        let mut out = [9u8; 8];
        let n = Encoder::write_to_slice(&mut out, 5, |e| {
            e.put_fixed32(0x0403_0201);
            e.put_varint(5);
        });
        assert_eq!(n, 5);
        assert_eq!(out, [1, 2, 3, 4, 5, 9, 9, 9]);
    }

    #[test]
    fn varints_at_each_length_boundary_round_trip() {
        for v in [0, 0x7f, 0x80, 0x3fff, 0x4000, 0x1f_ffff, u64::MAX] {
            let len = crate::wire::encoded_varint_len(v);
            let mut out = Vec::new();
            Encoder::append_to_vec(&mut out, len, |e| e.put_varint(v));
            let mut d = crate::wire::Decoder::new(&out);
            assert_eq!(d.read_varint64().unwrap(), v);
            assert!(d.is_empty(), "{v:#x}");
        }
    }

    #[test]
    fn varints_with_room_and_without_are_written_as_byte_by_byte() {
        for shift in 0..64 {
            for v in [1u64 << shift, (1u64 << shift) - 1, u64::MAX >> shift] {
                let mut want = vec![0xee];
                let mut rest = v;
                while rest >= 0x80 {
                    want.push(rest as u8 | 0x80);
                    rest >>= 7;
                }
                want.push(rest as u8);
                want.push(0xee);
                // Ten bytes of room or more: the varint is stored whole.
                let mut roomy = Vec::with_capacity(64);
                Encoder::append_growing(&mut roomy, |e| between_markers(e, v));
                assert_eq!(roomy, want, "{v:#x}");
                // An exact window: with fewer than ten bytes left, byte by byte.
                let mut exact = Vec::new();
                Encoder::append_to_vec(&mut exact, want.len(), |e| between_markers(e, v));
                assert_eq!(exact, want, "{v:#x}");
            }
        }
    }

    /// `v` as a varint between two `0xee` bytes.
    fn between_markers(e: &mut Encoder<'_>, v: u64) {
        e.put_u8(0xee);
        e.put_varint(v);
        e.put_u8(0xee);
    }

    #[test]
    fn keys_of_each_length_round_trip() {
        for number in [1, 15, 16, 2047, 2048, crate::wire::MAX_FIELD_NUMBER] {
            let tag = Tag::new(number, WireType::Len);
            let mut out = Vec::new();
            Encoder::append_to_vec(&mut out, tag.encoded_len(), |e| {
                e.put_tag(number, WireType::Len)
            });
            let mut d = crate::wire::Decoder::new(&out);
            assert_eq!(d.read_tag().unwrap(), Some(tag), "{number}");
            assert!(d.is_empty());
        }
    }

    /// `values` as varints after `head`, encoded in an exact window: what a growing encoder
    /// must produce too.
    fn exact(head: &[u8], values: &[u64]) -> Vec<u8> {
        let len = values.iter().map(|&v| encoded_varint_len(v)).sum();
        let mut out = head.to_vec();
        Encoder::append_to_vec(&mut out, len, |e| {
            values.iter().for_each(|&v| e.put_varint(v))
        });
        out
    }

    #[test]
    fn a_growing_encoder_grows_from_nothing_and_from_spare_capacity() {
        let values: Vec<u64> = (0..2000).map(|i| i * 0x1_0001).collect();
        for spare in [0, 1, 9, 10, 11, 100] {
            let mut out = Vec::with_capacity(3 + spare);
            out.extend_from_slice(b"abc");
            let n =
                Encoder::append_growing(&mut out, |e| values.iter().for_each(|&v| e.put_varint(v)));
            assert_eq!(out, exact(b"abc", &values), "spare {spare}");
            assert_eq!(n, out.len() - 3);
        }
    }

    /// `body_len` bytes of `0x55` as a length-delimited value inside another one, with
    /// `hint` for both prefixes, after one byte.
    fn nested(hint: usize, body_len: usize, out: &mut Vec<u8>) -> usize {
        Encoder::append_growing(out, |e| {
            e.put_u8(0x0a);
            let outer = e.len_delimited(hint, |e| {
                e.put_u8(0x12);
                let inner = e.len_delimited(hint, |e| e.put_slice(&vec![0x55; body_len]));
                assert_eq!(inner, body_len);
            });
            assert_eq!(outer, 1 + encoded_varint_len(body_len as u64) + body_len);
        })
    }

    #[test]
    fn length_prefixes_are_right_whatever_the_hint() {
        for body_len in [0, 1, 0x7f, 0x80, 0x3fff, 0x4000] {
            for hint in [0, 0x7f, 0x80, 0x4000, 0x20_0000] {
                for spare in [0, 4, 1 << 16] {
                    let mut out = Vec::with_capacity(spare);
                    let n = nested(hint, body_len, &mut out);
                    assert_eq!(n, out.len());
                    let mut d = crate::wire::Decoder::new(&out);
                    assert_eq!(d.read_tag().unwrap().unwrap().raw(), 0x0a);
                    let outer = d.read_len_delimited().unwrap();
                    assert!(d.is_empty(), "{body_len} {hint} {spare}");
                    let mut d = crate::wire::Decoder::new(outer);
                    assert_eq!(d.read_tag().unwrap().unwrap().raw(), 0x12);
                    let inner = d.read_len_delimited().unwrap();
                    assert!(d.is_empty());
                    assert!(inner.len() == body_len && inner.iter().all(|&b| b == 0x55));
                }
            }
        }
    }

    #[test]
    fn an_exact_hint_fills_an_exact_window() {
        let mut out = Vec::new();
        Encoder::append_to_vec(&mut out, 2 + 300, |e| {
            assert_eq!(e.len_delimited(300, |e| e.put_slice(&[1; 300])), 300);
        });
        assert_eq!(out[..3], [0xac, 0x02, 1]);
    }

    #[test]
    #[should_panic(expected = "differs from computed size")]
    fn a_write_past_the_window_panics() {
        let mut out = [0u8; 1];
        Encoder::write_to_slice(&mut out, 1, |e| e.put_tag(16, WireType::Varint));
    }

    #[test]
    #[should_panic(expected = "differs from computed size")]
    fn a_short_write_is_caught_before_set_len() {
        let mut out = Vec::new();
        Encoder::append_to_vec(&mut out, 3, |e| e.put_u8(1));
    }
}
