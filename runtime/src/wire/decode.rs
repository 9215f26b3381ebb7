//! [`Decoder`]: a cursor over input bytes with the recursion budget and offsets for errors.

use super::{Tag, WireType, DEFAULT_MAX_SIZE, DEFAULT_RECURSION_LIMIT, MAX_FIELD_NUMBER};
use crate::error::{DecodeError, DecodeErrorKind};
use std::fmt;
use std::marker::PhantomData;

/// [`TAG_BYTE`] flag: the byte is a whole valid tag by itself (no continuation bit, a field
/// number other than 0, a wire type of 0-5).
const WHOLE_TAG: u8 = 1;
/// [`TAG_BYTE`] flag: the byte can start a longer valid tag (continuation bit, a wire type of
/// 0-5).
const STARTS_TAG: u8 = 2;

/// For each byte, what it can be as the first byte of a tag ([`WHOLE_TAG`], [`STARTS_TAG`]):
/// one load answers what would take two or three tests.
static TAG_BYTE: [u8; 256] = {
    let mut flags = [0; 256];
    let mut b = 8;
    while b < 0x100 {
        if WireType::from_u8((b & 7) as u8).is_some() {
            flags[b] = if b < 0x80 { WHOLE_TAG } else { STARTS_TAG };
        }
        b += 1;
    }
    flags
};

/// The longest tag: a 32-bit varint. Longer ones (padded with `0x80` bytes) are rejected,
/// as C++ and upb do (conformance test `BadTag_OverlongVarint`).
const MAX_TAG_LEN: usize = 5;

/// Whether `bytes` are all ASCII. std's check takes whole 64-byte blocks with SIMD, then goes
/// byte by byte; here what follows the blocks is read a word at a time, the last word
/// overlapping the one before (strings of a few dozen bytes are the common case).
#[inline]
pub(super) fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let Some(last) = bytes.last_chunk::<8>() else {
        return match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            (Some(first), Some(last)) => {
                (u32::from_le_bytes(*first) | u32::from_le_bytes(*last)) & 0x8080_8080 == 0
            }
            _ => bytes.iter().all(u8::is_ascii),
        };
    };
    let (blocks, rest) = bytes.split_at(bytes.len() & !63);
    if !blocks.is_empty() && !blocks.is_ascii() {
        return false;
    }
    let mut any = u64::from_le_bytes(*last);
    for chunk in rest.chunks_exact(8) {
        if let Some(word) = chunk.first_chunk::<8>() {
            any |= u64::from_le_bytes(*word);
        }
    }
    any & HIGH == 0
}

/// Packs the low 7 bits of each of the 8 little-endian bytes of `word` into the low 56 bits
/// (byte `i` to bits `7i..7i+7`): a varint's value from its bytes, in three steps.
#[inline(always)]
const fn pack_7bit_groups(word: u64) -> u64 {
    let x = word & 0x7f7f_7f7f_7f7f_7f7f;
    let x = (x & 0x007f_007f_007f_007f) | ((x & 0x7f00_7f00_7f00_7f00) >> 1);
    let x = (x & 0x0000_3fff_0000_3fff) | ((x & 0x3fff_0000_3fff_0000) >> 2);
    (x & 0x0000_0000_0fff_ffff) | ((x & 0x0fff_ffff_0000_0000) >> 4)
}

/// Limits that apply to one parse: the one options type of every decoding entry point
/// (`Message::parse_from_slice_with`, `merge_from_slice_with`, `parse_from_bytes_with`,
/// `merge_from_reader_with`, `merge_delimited_from_with`; the methods without `_with` use
/// the defaults) and of the ZeroMQ transport's sockets (`transport::Options::parse`).
///
/// ```
/// use zpb::ParseOptions;
/// let opts = ParseOptions { recursion_limit: 16, ..ParseOptions::default() };
/// assert_eq!(opts.max_size, i32::MAX as usize);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// How deep messages, groups and map values may nest (default 100, as C++).
    pub recursion_limit: u32,
    /// Largest input accepted, in bytes (default `i32::MAX`, as C++).
    pub max_size: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            recursion_limit: DEFAULT_RECURSION_LIMIT,
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

/// A read cursor over the bytes of one message (or one length-delimited sub-message).
///
/// Generated `merge_fields` code reads tags and values through it. It never allocates: values
/// are borrowed from the input, and lengths are checked against the bytes actually present
/// before anything is reserved.
///
/// ```
/// use zpb::__private::wire::{Decoder, WireType};
/// let mut d = Decoder::new(&[0x08, 0x96, 0x01]);
/// let tag = d.read_tag().unwrap().unwrap();
/// assert_eq!((tag.field_number(), tag.wire_type()), (1, WireType::Varint));
/// assert_eq!(d.read_varint64().unwrap(), 150);
/// assert!(d.read_tag().unwrap().is_none());
/// ```
pub struct Decoder<'a> {
    /// The unread bytes are `pos..end`, a suffix of one `&'a [u8]` (the input or a
    /// length-delimited part of it). Two pointers rather than a slice: reading a value moves
    /// `pos` alone (one store), where a slice would also store its new length.
    pos: *const u8,
    end: *const u8,
    /// Absolute offset (in the whole input) of `end`.
    end_offset: usize,
    /// Nesting levels still allowed below this one.
    depth_left: u32,
    recursion_limit: u32,
    /// The whole input as `Bytes`, when it is one: `bytes::Bytes` fields then slice it
    /// instead of copying.
    source: Option<&'a bytes::Bytes>,
    _input: PhantomData<&'a [u8]>,
}

// SAFETY: a `Decoder` is a shared view of `&'a [u8]` (and `&'a Bytes`), which are `Send` and
// `Sync`; the raw pointers only encode that borrowed slice.
unsafe impl Send for Decoder<'_> {}
// SAFETY: as for `Send`: `&Decoder` gives access to nothing but the shared bytes.
unsafe impl Sync for Decoder<'_> {}

impl fmt::Debug for Decoder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("rest", &self.rest())
            .field("offset", &self.offset())
            .field("depth_left", &self.depth_left)
            .finish_non_exhaustive()
    }
}

impl<'a> Decoder<'a> {
    /// A decoder over `input` with the default [`ParseOptions`].
    pub fn new(input: &'a [u8]) -> Decoder<'a> {
        Decoder::with_options(input, &ParseOptions::default())
    }

    /// A decoder over `input` with explicit limits (the size limit is checked by the caller).
    pub fn with_options(input: &'a [u8], options: &ParseOptions) -> Decoder<'a> {
        Decoder::over(
            input,
            input.len(),
            options.recursion_limit,
            options.recursion_limit,
            None,
        )
    }

    /// A decoder over `rest`, which ends at absolute offset `end_offset`.
    #[inline(always)]
    fn over(
        rest: &'a [u8],
        end_offset: usize,
        depth_left: u32,
        recursion_limit: u32,
        source: Option<&'a bytes::Bytes>,
    ) -> Decoder<'a> {
        let range = rest.as_ptr_range();
        Decoder {
            pos: range.start,
            end: range.end,
            end_offset,
            depth_left,
            recursion_limit,
            source,
            _input: PhantomData,
        }
    }

    /// Moves the cursor to `tail`, which must be a suffix of [`rest`](Self::rest) (every
    /// caller passes a sub-slice of `rest()` that runs to its end).
    #[inline(always)]
    fn advance_to(&mut self, tail: &'a [u8]) {
        debug_assert!(std::ptr::eq(tail.as_ptr_range().end, self.end));
        self.pos = tail.as_ptr();
    }

    /// A decoder over a `Bytes` buffer: `bytes::Bytes` fields share it instead of copying.
    pub fn from_bytes(input: &'a bytes::Bytes, options: &ParseOptions) -> Decoder<'a> {
        let mut d = Decoder::with_options(input, options);
        d.source = Some(input);
        d
    }

    /// Byte offset of the cursor in the whole input.
    #[inline]
    pub fn offset(&self) -> usize {
        self.end_offset - self.remaining()
    }

    /// Bytes left in the current message.
    #[inline]
    pub fn remaining(&self) -> usize {
        // SAFETY: `pos` and `end` point into (or one past) the same slice, `pos <= end`.
        unsafe { self.end.offset_from(self.pos) as usize }
    }

    /// Whether the current message has no bytes left.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos == self.end
    }

    /// The unread bytes of the current message.
    #[inline(always)]
    pub fn rest(&self) -> &'a [u8] {
        // SAFETY: `pos..end` is a suffix of a `&'a [u8]` (set by `over` and moved only by
        // `advance_to` to suffixes of itself), so it is valid for reads for `'a`.
        unsafe { std::slice::from_raw_parts(self.pos, self.remaining()) }
    }

    #[cold]
    fn error<T>(&self, kind: DecodeErrorKind) -> Result<T, DecodeError> {
        Err(DecodeError::new(kind, self.offset()))
    }

    /// Reads the next tag, or `None` at the end of the current message.
    ///
    /// Rejects wire types 6 and 7, field number 0 and field numbers above 2^29-1.
    #[inline(always)]
    pub fn read_tag(&mut self) -> Result<Option<Tag>, DecodeError> {
        match self.rest() {
            [] => Ok(None),
            [b, rest @ ..] if TAG_BYTE[usize::from(*b)] == WHOLE_TAG => {
                // One-byte tags (fields 1-15) with a valid wire type: the common case.
                self.advance_to(rest);
                Ok(Some(Tag(*b as u32)))
            }
            // Two-byte tags (fields 16-2047) with a valid wire type, without a call: the
            // field number is at least 16, so never 0 and never past the maximum.
            [b0, b1, rest @ ..]
                if TAG_BYTE[usize::from(*b0)] == STARTS_TAG && b1.wrapping_sub(1) < 0x7f =>
            {
                self.advance_to(rest);
                Ok(Some(Tag(u32::from(b0 & 0x7f) | (u32::from(*b1) << 7))))
            }
            _ => self.read_tag_slow().map(Some),
        }
    }

    /// Tags of three or more bytes, overlong tags, and every invalid tag. A tag is a varint of at most
    /// `MAX_TAG_LEN` bytes whose value fits in 32 bits.
    #[inline(never)]
    fn read_tag_slow(&mut self) -> Result<Tag, DecodeError> {
        let bytes = self.rest();
        let start = self.offset();
        let mut raw = 0u64;
        for (i, &b) in bytes.iter().take(MAX_TAG_LEN).enumerate() {
            raw |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                if raw > u64::from(u32::MAX) {
                    return Err(DecodeError::new(
                        DecodeErrorKind::InvalidFieldNumber(raw >> 3),
                        start,
                    ));
                }
                self.advance_to(&bytes[i + 1..]);
                return self.check_tag(raw);
            }
        }
        let kind = match bytes.len() < MAX_TAG_LEN {
            true => DecodeErrorKind::Truncated,
            false => DecodeErrorKind::TagTooLong,
        };
        Err(DecodeError::new(kind, start))
    }

    #[inline]
    fn check_tag(&self, raw: u64) -> Result<Tag, DecodeError> {
        let wire = (raw & 7) as u8;
        let number = raw >> 3;
        if WireType::from_u8(wire).is_none() {
            return self.error(DecodeErrorKind::InvalidWireType(wire));
        }
        if number == 0 || number > MAX_FIELD_NUMBER as u64 {
            return self.error(DecodeErrorKind::InvalidFieldNumber(number));
        }
        Ok(Tag(raw as u32))
    }

    /// Reads a varint of up to 10 bytes. Bits past the 64th (in a 10th byte) are dropped, as
    /// C++ and upb do.
    #[inline(always)]
    pub fn read_varint64(&mut self) -> Result<u64, DecodeError> {
        match self.rest() {
            [b, rest @ ..] if *b < 0x80 => {
                self.advance_to(rest);
                Ok(*b as u64)
            }
            [b0, b1, rest @ ..] if *b1 < 0x80 => {
                self.advance_to(rest);
                Ok((*b0 as u64 & 0x7f) | ((*b1 as u64) << 7))
            }
            _ => self.read_varint64_slow(),
        }
    }

    /// Varints of three or more bytes, and varints at the end of the input. With ten bytes
    /// left, one 8-byte load finds where the varint ends: three-byte ones are read directly,
    /// longer ones have their 7-bit groups packed together without a loop.
    #[inline(never)]
    fn read_varint64_slow(&mut self) -> Result<u64, DecodeError> {
        let bytes = self.rest();
        if let Some((head, &[b8, b9, ..])) = bytes.split_first_chunk::<8>() {
            let word = u64::from_le_bytes(*head);
            // The high bit of every byte that ends a varint (continuation bit clear).
            let stops = !word & 0x8080_8080_8080_8080;
            let (value, len) = if stops & 0x00ff_ffff == 0x0080_0000 {
                // Three bytes (values below 2^21), the most common length here, directly.
                let low = (word & 0x7f) | ((word >> 1) & 0x3f80);
                (low | ((word >> 2) & 0x001f_c000), 3)
            } else if stops != 0 {
                // The bits up to the first stop, and the bytes they span.
                let bits = stops ^ (stops - 1);
                let len = (stops.trailing_zeros() as usize + 1) / 8;
                (pack_7bit_groups(word & bits), len)
            } else if b8 < 0x80 {
                (pack_7bit_groups(word) | (u64::from(b8) << 56), 9)
            } else if b9 < 0x80 {
                // Bits past the 64th are dropped.
                let high = (u64::from(b8 & 0x7f) << 56) | (u64::from(b9) << 63);
                (pack_7bit_groups(word) | high, 10)
            } else {
                return self.error(DecodeErrorKind::VarintTooLong);
            };
            self.advance_to(&bytes[len..]);
            return Ok(value);
        }
        let mut value = 0u64;
        for (i, &b) in bytes.iter().enumerate() {
            value |= ((b & 0x7f) as u64) << (7 * i);
            if b < 0x80 {
                self.advance_to(&bytes[i + 1..]);
                return Ok(value);
            }
        }
        self.error(DecodeErrorKind::Truncated)
    }

    /// Reads a varint and keeps its low 32 bits (how int32, uint32 and enums are decoded).
    #[inline]
    pub fn read_varint32(&mut self) -> Result<u32, DecodeError> {
        self.read_varint64().map(|v| v as u32)
    }

    /// Reads a little-endian 4-byte value.
    #[inline]
    pub fn read_fixed32(&mut self) -> Result<u32, DecodeError> {
        match self.rest().split_first_chunk::<4>() {
            Some((b, rest)) => {
                self.advance_to(rest);
                Ok(u32::from_le_bytes(*b))
            }
            None => self.error(DecodeErrorKind::Truncated),
        }
    }

    /// Reads a little-endian 8-byte value.
    #[inline]
    pub fn read_fixed64(&mut self) -> Result<u64, DecodeError> {
        match self.rest().split_first_chunk::<8>() {
            Some((b, rest)) => {
                self.advance_to(rest);
                Ok(u64::from_le_bytes(*b))
            }
            None => self.error(DecodeErrorKind::Truncated),
        }
    }

    /// Reads a length prefix and checks it against the bytes present.
    #[inline]
    pub fn read_len(&mut self) -> Result<usize, DecodeError> {
        let len = self.read_varint64()?;
        if len > self.remaining() as u64 {
            return self.error(DecodeErrorKind::LengthExceedsInput {
                declared: len,
                available: self.remaining(),
            });
        }
        Ok(len as usize)
    }

    /// Takes the next `len` bytes (already checked by [`read_len`](Self::read_len)).
    #[inline]
    pub fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        if len > self.remaining() {
            return self.error(DecodeErrorKind::Truncated);
        }
        let (head, tail) = self.rest().split_at(len);
        self.advance_to(tail);
        Ok(head)
    }

    /// Reads a length-delimited value and returns its bytes.
    #[inline]
    pub fn read_len_delimited(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.read_len()?;
        // `read_len` checked that the value is within the input.
        let (head, tail) = self.rest().split_at(len);
        self.advance_to(tail);
        Ok(head)
    }

    /// Reads a length-delimited value as a `bytes::Bytes`: a slice of the input when the
    /// decoder runs over a `Bytes` buffer, a copy otherwise.
    pub fn read_bytes_shared(&mut self) -> Result<bytes::Bytes, DecodeError> {
        let body = self.read_len_delimited()?;
        Ok(match self.source {
            Some(src) => src.slice_ref(body),
            None => bytes::Bytes::copy_from_slice(body),
        })
    }

    /// Reads a length-delimited UTF-8 string. Inlined into each string field's arm; only
    /// non-ASCII text takes a call.
    #[inline(always)]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        let body = self.read_len_delimited()?;
        super::utf8(body).map_err(|valid| {
            DecodeError::new(
                DecodeErrorKind::InvalidUtf8,
                self.offset() - body.len() + valid,
            )
        })
    }

    /// Runs `f` on a sub-decoder over the next length-delimited value, one nesting level
    /// deeper. Fails past the recursion limit.
    #[inline]
    pub fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Decoder<'a>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        let len = self.read_len()?;
        if self.depth_left == 0 {
            return self.error(DecodeErrorKind::RecursionLimitExceeded(
                self.recursion_limit,
            ));
        }
        let (body, tail) = self.rest().split_at(len);
        let mut sub = Decoder::over(
            body,
            self.offset() + len,
            self.depth_left - 1,
            self.recursion_limit,
            self.source,
        );
        let out = f(&mut sub)?;
        self.advance_to(tail);
        Ok(out)
    }

    /// Runs `f` one nesting level deeper on this same input (for groups, which have no length
    /// prefix). Fails past the recursion limit.
    #[inline]
    pub fn group<T>(
        &mut self,
        f: impl FnOnce(&mut Decoder<'a>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.depth_left == 0 {
            return self.error(DecodeErrorKind::RecursionLimitExceeded(
                self.recursion_limit,
            ));
        }
        self.depth_left -= 1;
        let out = f(self);
        self.depth_left += 1;
        out
    }

    /// Called by generated code when the input of a message ends: an error inside a group
    /// (`end_group != 0`), fine otherwise.
    #[inline]
    pub fn end_of_message(&self, end_group: u32) -> Result<(), DecodeError> {
        if end_group != 0 {
            return self.error(DecodeErrorKind::UnterminatedGroup(end_group));
        }
        Ok(())
    }

    /// Skips the value of a field with `tag` (already read), including nested groups.
    pub fn skip_value(&mut self, tag: Tag) -> Result<(), DecodeError> {
        match tag.wire_type() {
            WireType::Varint => self.read_varint64().map(drop),
            WireType::Fixed64 => self.read_fixed64().map(drop),
            WireType::Fixed32 => self.read_fixed32().map(drop),
            WireType::Len => self.read_len_delimited().map(drop),
            WireType::StartGroup => self.group(|d| d.skip_group(tag.field_number())),
            WireType::EndGroup => {
                self.error(DecodeErrorKind::UnexpectedEndGroup(tag.field_number()))
            }
        }
    }

    fn skip_group(&mut self, field_number: u32) -> Result<(), DecodeError> {
        loop {
            match self.read_tag()? {
                None => return self.error(DecodeErrorKind::UnterminatedGroup(field_number)),
                Some(t) if t.wire_type() == WireType::EndGroup => {
                    if t.field_number() == field_number {
                        return Ok(());
                    }
                    return self.error(DecodeErrorKind::UnexpectedEndGroup(t.field_number()));
                }
                Some(t) => self.skip_value(t)?,
            }
        }
    }

    /// Reads a length prefix and returns a decoder over the body (for packed fields; same
    /// nesting level), moving this decoder past it.
    #[inline]
    pub fn read_packed_body(&mut self) -> Result<Decoder<'a>, DecodeError> {
        let len = self.read_len()?;
        let (body, tail) = self.rest().split_at(len);
        let sub = Decoder::over(
            body,
            self.offset() + len,
            self.depth_left,
            self.recursion_limit,
            self.source,
        );
        self.advance_to(tail);
        Ok(sub)
    }

    /// Reads the body of a packed field: calls `each` once per element until the body ends.
    #[inline]
    pub fn packed(
        &mut self,
        mut each: impl FnMut(&mut Decoder<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let mut body = self.read_packed_body()?;
        while !body.is_empty() {
            each(&mut body)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A varint read byte by byte (at most ten bytes; bits past the 64th dropped): the value
    /// and its length, or the error.
    fn byte_by_byte(bytes: &[u8]) -> Result<(u64, usize), DecodeErrorKind> {
        let mut value = 0u64;
        for (i, &b) in bytes.iter().take(10).enumerate() {
            value |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                return Ok((value, i + 1));
            }
        }
        Err(match bytes.len() >= 10 {
            true => DecodeErrorKind::VarintTooLong,
            false => DecodeErrorKind::Truncated,
        })
    }

    #[test]
    fn the_ascii_check_agrees_with_std_at_every_length_and_position() {
        for len in 0..200 {
            let mut bytes = vec![b'a'; len];
            assert!(is_ascii(&bytes), "{len}");
            for at in 0..len {
                bytes[at] = 0x80;
                assert!(!is_ascii(&bytes), "{len} {at}");
                bytes[at] = b'a';
            }
        }
    }

    #[test]
    fn varints_of_every_length_read_as_byte_by_byte() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for shift in 0..64 {
            for mut v in [1u64 << shift, (1u64 << shift) - 1, u64::MAX >> shift] {
                let mut bytes = Vec::new();
                while v >= 0x80 {
                    bytes.push(v as u8 | 0x80);
                    v >>= 7;
                }
                bytes.push(v as u8);
                inputs.push(bytes);
            }
        }
        for len in 2..=11 {
            // 1 padded to `len` bytes (overlong; too long at 11).
            let mut bytes = vec![0x81];
            bytes.resize(len - 1, 0x80);
            bytes.push(0);
            inputs.push(bytes);
            // No end within `len` bytes: truncated, or too long.
            inputs.push(vec![0xff; len]);
        }
        // A tenth byte with more than the 64th bit set.
        inputs.push([&[0xff; 9][..], &[0x7f]].concat());
        for input in inputs {
            for tail in [0, 1, 8, 16] {
                let mut bytes = input.clone();
                bytes.resize(input.len() + tail, 0x2a);
                let mut d = Decoder::new(&bytes);
                let got = d
                    .read_varint64()
                    .map(|v| (v, bytes.len() - d.remaining()))
                    .map_err(|e| e.kind().clone());
                assert_eq!(got, byte_by_byte(&bytes), "{bytes:x?}");
            }
        }
    }

    #[test]
    fn varint_edge_cases() {
        let mut d = Decoder::new(&[0xff; 10]);
        assert_eq!(
            d.read_varint64().unwrap_err().kind(),
            &DecodeErrorKind::VarintTooLong
        );
        let mut d = Decoder::new(&[0xff, 0xff]);
        assert_eq!(
            d.read_varint64().unwrap_err().kind(),
            &DecodeErrorKind::Truncated
        );
        // Ten bytes, -1 as int64.
        let mut d = Decoder::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(d.read_varint64().unwrap(), u64::MAX);
        // Overlong but terminated encoding of 1 is accepted (as C++ does).
        let mut d = Decoder::new(&[0x81, 0x80, 0x00]);
        assert_eq!(d.read_varint64().unwrap(), 1);
    }

    #[test]
    fn tags_are_validated() {
        for (bytes, kind) in [
            (&[0x00][..], DecodeErrorKind::InvalidFieldNumber(0)),
            (&[0x0e][..], DecodeErrorKind::InvalidWireType(6)),
            (&[0x0f][..], DecodeErrorKind::InvalidWireType(7)),
            (
                &[0xf8, 0xff, 0xff, 0xff, 0x7f][..],
                DecodeErrorKind::InvalidFieldNumber(0),
            ),
        ] {
            let err = Decoder::new(bytes).read_tag().unwrap_err();
            assert!(
                std::mem::discriminant(err.kind()) == std::mem::discriminant(&kind),
                "{bytes:?}: {err}"
            );
        }
    }

    #[test]
    fn the_tag_byte_table_matches_the_rules() {
        for b in 0..=255u8 {
            let wire_type = WireType::from_u8(b & 7).is_some();
            let whole = b < 0x80 && b >> 3 != 0 && wire_type;
            let starts = b >= 0x80 && wire_type;
            let want = if whole {
                WHOLE_TAG
            } else if starts {
                STARTS_TAG
            } else {
                0
            };
            assert_eq!(TAG_BYTE[usize::from(b)], want, "{b:#x}");
            if b < 0x80 {
                assert_eq!(Decoder::new(&[b]).read_tag().is_ok(), whole, "{b:#x}");
            }
        }
    }

    #[test]
    fn two_byte_tags_take_the_fast_path_and_odd_ones_the_slow_path() {
        let tag = |bytes: &[u8]| {
            let mut d = Decoder::new(bytes);
            d.read_tag().map(|t| {
                let t = t.unwrap();
                (t.field_number(), t.wire_type(), d.remaining())
            })
        };
        assert_eq!(tag(&[0x80, 0x01, 9]).unwrap(), (16, WireType::Varint, 1));
        assert_eq!(tag(&[0xfd, 0x7f]).unwrap(), (2047, WireType::Fixed32, 0));
        // Overlong encoding of field 1 (second byte 0): accepted, as C++ does.
        assert_eq!(tag(&[0x88, 0x00]).unwrap(), (1, WireType::Varint, 0));
        assert_eq!(
            tag(&[0x86, 0x01]).unwrap_err().kind(),
            &DecodeErrorKind::InvalidWireType(6)
        );
        assert_eq!(
            tag(&[0x80]).unwrap_err().kind(),
            &DecodeErrorKind::Truncated
        );
    }

    #[test]
    fn huge_length_prefix_is_rejected_before_allocation() {
        // 2^31 declared, 3 present.
        let mut d = Decoder::new(&[0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3]);
        let err = d.read_len_delimited().unwrap_err();
        assert_eq!(
            err.kind(),
            &DecodeErrorKind::LengthExceedsInput {
                declared: 1 << 31,
                available: 3
            }
        );
    }

    #[test]
    fn nesting_limit_applies_to_groups_and_messages() {
        let opts = ParseOptions {
            recursion_limit: 2,
            ..Default::default()
        };
        // field 1 start group x3
        let input = [0x0b, 0x0b, 0x0b, 0x0c, 0x0c, 0x0c];
        let mut d = Decoder::with_options(&input, &opts);
        let tag = d.read_tag().unwrap().unwrap();
        let err = d.skip_value(tag).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::RecursionLimitExceeded(2));
    }
}
