//! The protobuf binary wire format: varints, zigzag, tags and wire types, and the
//! [`Decoder`] / [`Encoder`] cursors that every generated message reads and writes through.
//!
//! ```
//! use zpb::__private::wire::{encoded_varint_len, zigzag_encode32};
//! assert_eq!(encoded_varint_len(300), 2);
//! assert_eq!(zigzag_encode32(-1), 1);
//! ```

mod decode;
mod delimited;
mod encode;

pub use decode::{Decoder, ParseOptions};
pub use delimited::{delimited_records, split_delimited, DelimitedRecords};
pub use encode::Encoder;

/// Largest field number the protobuf language allows (2^29 - 1).
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;

/// Default limit on message nesting (messages, groups and map values) during a parse.
pub const DEFAULT_RECURSION_LIMIT: u32 = 100;

/// Default limit on the size of one serialized message (as C++: `INT_MAX`).
pub const DEFAULT_MAX_SIZE: usize = i32::MAX as usize;

/// The six wire types of the protobuf encoding.
///
/// ```
/// use zpb::__private::wire::WireType;
/// assert_eq!(WireType::from_u8(2), Some(WireType::Len));
/// assert_eq!(WireType::from_u8(6), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum WireType {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint = 0,
    /// fixed64, sfixed64, double.
    Fixed64 = 1,
    /// Length-delimited: string, bytes, messages, packed repeated fields.
    Len = 2,
    /// Start of a group (proto2, deprecated).
    StartGroup = 3,
    /// End of a group.
    EndGroup = 4,
    /// fixed32, sfixed32, float.
    Fixed32 = 5,
}

impl WireType {
    /// The wire type for the low three bits of a tag, if they name one.
    #[inline]
    pub const fn from_u8(v: u8) -> Option<WireType> {
        match v {
            0 => Some(WireType::Varint),
            1 => Some(WireType::Fixed64),
            2 => Some(WireType::Len),
            3 => Some(WireType::StartGroup),
            4 => Some(WireType::EndGroup),
            5 => Some(WireType::Fixed32),
            _ => None,
        }
    }
}

/// A decoded field key: field number and wire type (`number << 3 | wire_type`).
///
/// ```
/// use zpb::__private::wire::{Tag, WireType};
/// let tag = Tag::new(1, WireType::Len);
/// assert_eq!(tag.raw(), 0x0a);
/// assert_eq!(tag.field_number(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag(u32);

impl Tag {
    /// Builds a tag from a field number (1..=2^29-1) and a wire type.
    #[inline]
    pub const fn new(field_number: u32, wire_type: WireType) -> Tag {
        Tag((field_number << 3) | wire_type as u32)
    }

    /// The raw key as it is varint-encoded on the wire.
    #[inline]
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// The field number.
    #[inline]
    pub const fn field_number(self) -> u32 {
        self.0 >> 3
    }

    /// The wire type. A `Tag` is only built from valid wire types.
    #[inline]
    pub const fn wire_type(self) -> WireType {
        match WireType::from_u8((self.0 & 7) as u8) {
            Some(w) => w,
            // Unreachable: validated when read. Not `Varint`, so that testing for `Varint`
            // (every scalar field) compiles to one comparison of the low bits.
            None => WireType::EndGroup,
        }
    }

    /// Whether this is the END_GROUP tag that closes group `field_number` (never true for
    /// 0, which generated code passes outside a group: no tag has field number 0).
    ///
    /// ```
    /// use zpb::__private::wire::{Tag, WireType};
    /// assert!(Tag::new(10, WireType::EndGroup).ends_group(10));
    /// assert!(!Tag::new(10, WireType::StartGroup).ends_group(10));
    /// ```
    #[inline]
    pub const fn ends_group(self, field_number: u32) -> bool {
        self.0 == Tag::new(field_number, WireType::EndGroup).0
    }

    /// Bytes this tag takes on the wire.
    #[inline]
    pub const fn encoded_len(self) -> usize {
        encoded_varint_len(self.0 as u64)
    }
}

/// Bytes a tag for `field_number` takes on the wire (the wire type does not change it).
///
/// ```
/// assert_eq!(zpb::__private::wire::tag_len(15), 1);
/// assert_eq!(zpb::__private::wire::tag_len(16), 2);
/// ```
#[inline]
pub const fn tag_len(field_number: u32) -> usize {
    encoded_varint_len((field_number as u64) << 3)
}

/// Bytes `value` takes as a varint (1 to 10).
///
/// ```
/// assert_eq!(zpb::__private::wire::encoded_varint_len(0), 1);
/// assert_eq!(zpb::__private::wire::encoded_varint_len(u64::MAX), 10);
/// ```
#[inline]
pub const fn encoded_varint_len(value: u64) -> usize {
    // ceil(bits / 7) without a loop, from the index of the highest set bit.
    let high_bit = 63 - (value | 1).leading_zeros() as usize;
    (high_bit * 9 + 73) / 64
}

/// ZigZag-encodes a signed 32-bit integer (sint32): small magnitudes become small varints.
///
/// ```
/// assert_eq!(zpb::__private::wire::zigzag_encode32(-2), 3);
/// ```
#[inline]
pub const fn zigzag_encode32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// Inverse of [`zigzag_encode32`].
///
/// ```
/// assert_eq!(zpb::__private::wire::zigzag_decode32(3), -2);
/// ```
#[inline]
pub const fn zigzag_decode32(v: u32) -> i32 {
    ((v >> 1) as i32) ^ -((v & 1) as i32)
}

/// ZigZag-encodes a signed 64-bit integer (sint64).
///
/// ```
/// assert_eq!(zpb::__private::wire::zigzag_encode64(i64::MIN), u64::MAX);
/// ```
#[inline]
pub const fn zigzag_encode64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Inverse of [`zigzag_encode64`].
///
/// ```
/// assert_eq!(zpb::__private::wire::zigzag_decode64(u64::MAX), i64::MIN);
/// ```
#[inline]
pub const fn zigzag_decode64(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// `bytes` as UTF-8 text: ASCII (the common case) after one quick check, inlined; anything
/// else validated in full out of line; `Err` holds the length of the valid prefix. Shared by
/// the binary decoder's strings and the JSON reader.
///
/// ```
/// use zpb::__private::wire::utf8;
/// assert_eq!(utf8(b"caf\xc3\xa9"), Ok("caf\u{e9}"));
/// assert_eq!(utf8(b"ab\xff"), Err(2));
/// ```
#[inline(always)]
pub fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    if decode::is_ascii(bytes) {
        // SAFETY: ASCII bytes are valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    utf8_checked(bytes)
}

/// [`utf8`] past the ASCII check: SIMD validation for the common (valid) case; std finds the
/// position of an error.
#[inline(never)]
fn utf8_checked(bytes: &[u8]) -> Result<&str, usize> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => Err(std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_takes_ascii_and_checks_the_rest() {
        assert_eq!(utf8(b""), Ok(""));
        assert_eq!(utf8(b"plain ascii text"), Ok("plain ascii text"));
        assert_eq!(utf8("é😀".as_bytes()), Ok("é😀"));
        assert_eq!(utf8(b"abc\xc3"), Err(3));
        assert_eq!(utf8(b"\xed\xa0\x80"), Err(0));
    }

    #[test]
    fn varint_len_matches_encoding() {
        for shift in 0..64 {
            for v in [1u64 << shift, (1u64 << shift) - 1, (1u64 << shift) + 1] {
                let mut buf = Vec::new();
                Encoder::append_to_vec(&mut buf, encoded_varint_len(v), |e| e.put_varint(v));
                assert_eq!(buf.len(), encoded_varint_len(v), "value {v}");
            }
        }
    }

    #[test]
    fn zigzag_round_trips_extremes() {
        for v in [0, 1, -1, i32::MAX, i32::MIN] {
            assert_eq!(zigzag_decode32(zigzag_encode32(v)), v);
        }
        for v in [0, 1, -1, i64::MAX, i64::MIN] {
            assert_eq!(zigzag_decode64(zigzag_encode64(v)), v);
        }
        assert_eq!(zigzag_encode32(i32::MIN), u32::MAX);
    }
}
