//! [`UnknownFields`]: fields a message does not know, kept as raw bytes and re-emitted.

use super::reuse::{keep_within, Reuse};
use super::spares::{FieldSpares, Spare};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::wire::{Decoder, Encoder, Tag, WireType};
use std::mem::size_of;

/// Fields the message's schema does not declare (or values a closed enum does not know),
/// kept verbatim in wire order and written back out on serialize, as C++ does.
///
/// ```
/// use zpb::UnknownFields;
/// let mut u = UnknownFields::default();
/// u.push_varint(99, 7);
/// let fields: Vec<_> = u.iter().collect::<Result<_, _>>().unwrap();
/// assert_eq!(fields[0].field_number, 99);
/// ```
///
/// A message keeps everything it stores out of line here, in one block allocated the first
/// time something is kept (as C++ keeps its unknown fields behind `_internal_metadata_`): the
/// unknown fields' bytes and, hidden, the storage its oneofs and maps keep across `clear()`
/// (`FieldSpares`). A message that has neither pays one pointer.
#[derive(Default)]
pub struct UnknownFields {
    block: Option<Box<Block>>,
}

/// Checks for a block inline (most messages have none) and frees one out of line, so
/// dropping a message without unknown fields or spares costs a test, not a call.
impl Drop for UnknownFields {
    #[inline]
    fn drop(&mut self) {
        #[cold]
        #[inline(never)]
        fn free(block: Box<Block>) {
            drop(block)
        }
        if let Some(block) = self.block.take() {
            free(block)
        }
    }
}

/// What an [`UnknownFields`] holds once it holds anything.
#[derive(Default)]
struct Block {
    /// The unknown fields' wire bytes.
    bytes: Vec<u8>,
    /// Storage the message's oneofs and maps keep across `clear()`.
    spares: FieldSpares,
}

/// A clone holds the same fields, and nothing else (spares are storage, not value).
impl Clone for UnknownFields {
    fn clone(&self) -> Self {
        let bytes = self.as_bytes();
        UnknownFields {
            block: (!bytes.is_empty()).then(|| {
                Box::new(Block {
                    bytes: bytes.to_vec(),
                    spares: FieldSpares::default(),
                })
            }),
        }
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for UnknownFields {}

impl std::hash::Hash for UnknownFields {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state)
    }
}

/// One decoded unknown field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField<'a> {
    /// Field number.
    pub field_number: u32,
    /// The value, by wire type.
    pub value: UnknownFieldValue<'a>,
}

/// The value of an unknown field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownFieldValue<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1.
    Fixed64(u64),
    /// Wire type 2: the raw body.
    LengthDelimited(&'a [u8]),
    /// Wire type 3: the raw fields between START_GROUP and END_GROUP.
    Group(&'a [u8]),
    /// Wire type 5.
    Fixed32(u32),
}

impl UnknownFields {
    /// Whether no unknown field is held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// The raw wire bytes of all unknown fields.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        self.block.as_deref().map_or(&[], |b| b.bytes.as_slice())
    }

    fn block(&mut self) -> &mut Block {
        self.block.get_or_insert_with(Default::default)
    }

    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.block().bytes
    }

    /// Removes all unknown fields, keeping the buffer.
    #[inline]
    pub fn clear(&mut self) {
        if let Some(b) = &mut self.block {
            b.bytes.clear()
        }
    }

    /// The value the message's oneof or map `k` keeps across `clear()`, if it keeps a `T`
    /// (see `FieldSpares::get`; support for derived code).
    #[doc(hidden)]
    #[inline]
    pub fn spare<T: Spare>(&self, k: usize) -> Option<&T> {
        self.block.as_deref()?.spares.get(k)
    }

    /// The kept value of oneof or map `k`, mutably (see `FieldSpares::get_mut`).
    #[doc(hidden)]
    #[inline]
    pub fn spare_mut<T: Spare>(&mut self, k: usize) -> Option<&mut T> {
        self.block.as_deref_mut()?.spares.get_mut(k)
    }

    /// The kept value of oneof or map `k`, made if there is none (see
    /// `FieldSpares::get_or_default`; allocates the block the first time anything is kept).
    #[doc(hidden)]
    #[inline]
    pub fn spare_or_default<T: Spare + Default>(&mut self, k: usize) -> Option<&mut T> {
        self.block().spares.get_or_default(k)
    }

    /// Reads the value of a field the message does not know (or a known field with another
    /// wire type, as C++ and upb do), whose `tag` `d` has just read, and appends its raw
    /// bytes. Returns `true` when `tag` is the END_GROUP that closes the group being parsed
    /// (`end_group`, 0 outside a group), which ends the message. Called by generated code.
    ///
    /// # Errors
    ///
    /// Fails on a truncated or malformed value, and on an END_GROUP tag that closes no open
    /// group.
    #[inline(never)]
    pub fn read_field(
        &mut self,
        d: &mut Decoder<'_>,
        tag: Tag,
        end_group: u32,
    ) -> Result<bool, DecodeError> {
        if tag.wire_type() == WireType::EndGroup {
            if tag.ends_group(end_group) {
                return Ok(true);
            }
            return Err(DecodeError::new(
                DecodeErrorKind::UnexpectedEndGroup(tag.field_number()),
                d.offset(),
            ));
        }
        let start = d.rest();
        d.skip_value(tag)?;
        let consumed = start.len() - d.rest().len();
        self.push_raw(tag, &start[..consumed]);
        Ok(false)
    }

    /// Appends a field: its tag and the raw bytes of its value.
    pub fn push_raw(&mut self, tag: Tag, value: &[u8]) {
        let mut key = [0u8; 5];
        let key_len = tag.encoded_len();
        Encoder::write_to_slice(&mut key, key_len, |e| e.put_varint(tag.raw() as u64));
        let buf = self.buffer();
        buf.extend_from_slice(&key[..key_len]);
        buf.extend_from_slice(value);
    }

    /// Appends a field: its tag, then the `len` bytes that `write` encodes as its value,
    /// straight into the buffer (no allocation when it has room).
    ///
    /// # Panics
    ///
    /// Panics if `write` does not encode exactly `len` bytes.
    pub(crate) fn push_encoded(
        &mut self,
        tag: Tag,
        len: usize,
        write: impl FnOnce(&mut Encoder<'_>),
    ) {
        let key_len = tag.encoded_len();
        Encoder::append_to_vec(self.buffer(), key_len + len, |e| {
            e.put_varint(u64::from(tag.raw()));
            write(e);
        });
    }

    /// Keeps only the fields whose number `keep` accepts, in their order, compacting the
    /// buffer in place. Bytes from a malformed field on are kept as they are.
    ///
    /// ```
    /// let mut u = zpb::UnknownFields::default();
    /// u.push_varint(1, 10);
    /// u.push_varint(2, 20);
    /// u.push_varint(1, 30);
    /// u.retain(|number| number != 1);
    /// assert_eq!(u.as_bytes(), [0x10, 20]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(u32) -> bool) {
        let Some(bytes) = self.block.as_deref_mut().map(|b| &mut b.bytes) else {
            return;
        };
        // Kept fields move down over dropped ones as they are found: `read` is where the
        // next field starts, `write` where the kept bytes end, and `write <= read`.
        let (mut read, mut write) = (0, 0);
        while read < bytes.len() {
            let mut d = Decoder::new(&bytes[read..]);
            let (end, kept) = match d.read_tag() {
                Ok(Some(tag)) if d.skip_value(tag).is_ok() => {
                    (read + d.offset(), keep(tag.field_number()))
                }
                // A malformed field and everything after it stay.
                _ => (bytes.len(), true),
            };
            if kept {
                bytes.copy_within(read..end, write);
                write += end - read;
            }
            read = end;
        }
        bytes.truncate(write);
    }

    /// Appends already-encoded fields verbatim (their bytes must be well-formed fields).
    pub fn extend_raw(&mut self, fields: &[u8]) {
        self.buffer().extend_from_slice(fields);
    }

    /// Appends the fields of `other` (merging another message's unknown fields, as C++
    /// `MergeFrom` does). Reuses the buffer: no allocation when it has room.
    pub fn merge_from(&mut self, other: &UnknownFields) {
        let bytes = other.as_bytes();
        if !bytes.is_empty() {
            self.buffer().extend_from_slice(bytes);
        }
    }

    /// Appends a varint field (used for unknown values of closed enums).
    pub fn push_varint(&mut self, field_number: u32, value: u64) {
        let tag = Tag::new(field_number, WireType::Varint);
        let len = tag.encoded_len() + crate::wire::encoded_varint_len(value);
        Encoder::append_to_vec(self.buffer(), len, |e| {
            e.put_varint(tag.raw() as u64);
            e.put_varint(value);
        });
    }

    /// Appends a length-delimited field.
    pub fn push_len_delimited(&mut self, field_number: u32, body: &[u8]) {
        let tag = Tag::new(field_number, WireType::Len);
        let len = tag.encoded_len() + crate::wire::encoded_varint_len(body.len() as u64);
        let buf = self.buffer();
        Encoder::append_to_vec(buf, len, |e| {
            e.put_varint(tag.raw() as u64);
            e.put_varint(body.len() as u64);
        });
        buf.extend_from_slice(body);
    }

    /// Bytes the unknown fields take on the wire.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Writes the unknown fields back out.
    #[inline]
    pub fn encode(&self, e: &mut Encoder<'_>) {
        let bytes = self.as_bytes();
        if !bytes.is_empty() {
            e.put_slice(bytes);
        }
    }

    /// Heap bytes held: the block (when allocated), the buffer's capacity and what the
    /// spares keep.
    #[inline]
    pub fn space_used(&self) -> usize {
        self.block.as_ref().map_or(0, |b| {
            size_of::<Block>() + b.bytes.capacity() + b.spares.space_used()
        })
    }

    /// Keeps the buffer's spare capacity and the spares only if the budget allows; a block
    /// with no unknown field in it is kept only whole, if it fits.
    pub fn trim(&mut self, budget: &mut usize) {
        let held = self.space_used();
        let Some(b) = &mut self.block else { return };
        if b.bytes.is_empty() {
            if !keep_within(budget, held) {
                self.block = None;
            }
            return;
        }
        *budget = budget.saturating_sub(size_of::<Block>());
        Reuse::trim(&mut b.bytes, budget);
        b.spares.trim(budget)
    }

    /// Heap bytes the fields need: what [`space_used`](Self::space_used) reports after
    /// `trim(&mut 0)`, at least (see [`Reuse::space_needed`]).
    pub fn space_needed(&self) -> usize {
        match &self.block {
            Some(b) if !b.bytes.is_empty() => size_of::<Block>() + b.bytes.len(),
            _ => 0,
        }
    }

    /// Iterates over the fields, decoding each key and value.
    pub fn iter(&self) -> impl Iterator<Item = Result<UnknownField<'_>, DecodeError>> + '_ {
        let mut d = Decoder::new(self.as_bytes());
        std::iter::from_fn(move || match d.read_tag() {
            Ok(None) => None,
            Err(e) => Some(Err(e)),
            Ok(Some(tag)) => Some(read_value(&mut d, tag).map(|value| UnknownField {
                field_number: tag.field_number(),
                value,
            })),
        })
    }
}

fn read_value<'a>(d: &mut Decoder<'a>, tag: Tag) -> Result<UnknownFieldValue<'a>, DecodeError> {
    Ok(match tag.wire_type() {
        WireType::Varint => UnknownFieldValue::Varint(d.read_varint64()?),
        WireType::Fixed64 => UnknownFieldValue::Fixed64(d.read_fixed64()?),
        WireType::Fixed32 => UnknownFieldValue::Fixed32(d.read_fixed32()?),
        WireType::Len => UnknownFieldValue::LengthDelimited(d.read_len_delimited()?),
        WireType::StartGroup | WireType::EndGroup => {
            let start = d.rest();
            d.skip_value(tag)?;
            let consumed = start.len() - d.rest().len();
            // Drop the END_GROUP key from the body.
            let end_key = Tag::new(tag.field_number(), WireType::EndGroup).encoded_len();
            UnknownFieldValue::Group(&start[..consumed.saturating_sub(end_key)])
        }
    })
}

impl std::fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retain_compacts_in_place_and_keeps_a_malformed_tail() {
        let mut u = UnknownFields::default();
        u.push_varint(1, 10);
        u.push_raw(Tag::new(2, WireType::Len), &[3, b'a', b'b', b'c']);
        u.push_varint(3, 30);
        u.push_raw(Tag::new(2, WireType::Fixed32), &[1, 2, 3, 4]);
        // A field 4 whose length runs past the end: it and everything after it stay.
        u.extend_raw(&[0x22, 0x09, b'x']);
        u.retain(|n| n != 2);
        assert_eq!(u.as_bytes(), [0x08, 10, 0x18, 30, 0x22, 0x09, b'x']);
        u.retain(|n| n == 3);
        assert_eq!(u.as_bytes(), [0x18, 30, 0x22, 0x09, b'x']);
        u.retain(|_| false);
        assert_eq!(u.as_bytes(), [0x22, 0x09, b'x']);
    }

    #[test]
    fn push_encoded_writes_tag_then_value() {
        let mut u = UnknownFields::default();
        u.push_varint(1, 1);
        u.push_encoded(Tag::new(300, WireType::Len), 3, |e| {
            e.put_varint(2);
            e.put_slice(b"hi");
        });
        assert_eq!(u.as_bytes(), [0x08, 1, 0xe2, 0x12, 2, b'h', b'i']);
    }
}
