//! [`Encoder`]: writes a message whose exact size is known up front.

use super::{Tag, WireType};
use std::mem::MaybeUninit;

/// A write cursor over a buffer of exactly the message's size.
///
/// Sizes are computed (and cached per sub-message) before encoding, so the encoder never
/// grows or checks capacity per field: it fills a pre-sized window, then the caller commits
/// the written length. The `put_*` methods panic when they would write past the window (a
/// size computation bug, never caused by input data).
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
    buf: &'a mut [MaybeUninit<u8>],
    pos: usize,
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
            let spare = &mut out.spare_capacity_mut()[..len];
            let mut enc = Encoder { buf: spare, pos: 0 };
            write(&mut enc);
            enc.pos
        };
        assert_eq!(written, len, "zpb: encoded size differs from computed size");
        // SAFETY: `Encoder` only advances `pos` after writing the byte at `pos`, so the first
        // `written` bytes of the spare capacity are initialized, and `written == len` fits in
        // the capacity reserved above.
        unsafe { out.set_len(start + written) };
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
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the encoder only ever stores
        // initialized bytes through this view, so `window` stays fully initialized.
        let buf = unsafe { &mut *(window as *mut [u8] as *mut [MaybeUninit<u8>]) };
        let mut enc = Encoder { buf, pos: 0 };
        write(&mut enc);
        assert_eq!(enc.pos, len, "zpb: encoded size differs from computed size");
        len
    }

    /// Bytes written so far.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Writes one byte.
    #[inline(always)]
    pub fn put_u8(&mut self, b: u8) {
        self.buf[self.pos].write(b);
        self.pos += 1;
    }

    /// Writes bytes verbatim.
    #[inline(always)]
    pub fn put_slice(&mut self, bytes: &[u8]) {
        let end = self.pos + bytes.len();
        let dst = &mut self.buf[self.pos..end];
        // SAFETY: `dst` is exactly `bytes.len()` writable bytes (the slice index above checked
        // the bounds), `MaybeUninit<u8>` has the layout of `u8`, and a shared `bytes` cannot
        // overlap the exclusively borrowed `dst`.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                dst.as_mut_ptr().cast::<u8>(),
                bytes.len(),
            )
        };
        self.pos = end;
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

    #[inline]
    fn put_varint_long(&mut self, mut v: u64) {
        if let Some(window) = self.buf[self.pos..].first_chunk_mut::<10>() {
            let mut i = 0;
            while v >= 0x80 {
                window[i].write((v as u8) | 0x80);
                v >>= 7;
                i += 1;
            }
            window[i].write(v as u8);
            self.pos += i + 1;
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
            // One bounds check and one 2-byte store.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    // These run under Miri (scripts/test.sh): they exercise the three `unsafe` blocks.
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

    #[test]
    #[should_panic]
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
