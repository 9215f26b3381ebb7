//! The [`Message`] trait: the C++-shaped API every zpb message has.

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::field::{DefaultInstance, Reuse, UnknownFields};
use crate::policy::MemoryPolicy;
use crate::text::TextWriter;
use crate::wire::{encoded_varint_len, Decoder, Encoder, ParseOptions};
use std::fmt;
use std::io::{Read, Write};

/// A protobuf message. Implemented by `#[derive(zpb::Message)]` (and so by generated code);
/// the provided methods are the API, named after C++'s:
///
/// | C++ | zpb |
/// |---|---|
/// | `SerializeAsString()` | [`serialize_to_vec`](Message::serialize_to_vec) |
/// | `SerializeToString(&s)` | [`serialize_into_vec`](Message::serialize_into_vec) |
/// | `SerializeToArray(p, n)` | [`serialize_into_slice`](Message::serialize_into_slice) |
/// | `SerializeToOstream(&o)` | [`write_to`](Message::write_to) |
/// | `ByteSizeLong()` | [`byte_size`](Message::byte_size) |
/// | `ParseFromArray(p, n)` | [`parse_from_slice`](Message::parse_from_slice), [`merge_from_slice`](Message::merge_from_slice) |
/// | `ParseFromIstream(&i)` | [`parse_from_reader`](Message::parse_from_reader) |
/// | `IsInitialized()` | [`is_initialized`](Message::is_initialized), [`missing_fields`](Message::missing_fields) |
/// | `Clear()` | [`clear`](Reuse::clear) (keeps memory), [`clear_with`](Message::clear_with) |
/// | `SpaceUsedLong()` | [`space_used`](Reuse::space_used) |
/// | `MergeFrom(m)` | [`merge_from`](Message::merge_from) (field by field, no allocation into retained storage) |
/// | `CopyFrom(m)` | [`copy_from`](Message::copy_from) |
/// | `DebugString()`, `ShortDebugString()` | [`text_format`](Message::text_format), [`short_text_format`](Message::short_text_format) (`{:#?}`, `{:?}`) |
/// | delimited I/O | [`write_delimited_to`](Message::write_delimited_to), [`parse_delimited_from`](Message::parse_delimited_from) |
///
/// ```
/// use zpb::Message;
/// use zpb::well_known::Timestamp;
/// let t = Timestamp { seconds: 1_700_000_000, nanos: 1, ..Default::default() };
/// let bytes = t.serialize_to_vec().unwrap();
/// assert_eq!(bytes.len(), t.byte_size());
/// assert_eq!(Timestamp::parse_from_slice(&bytes).unwrap(), t);
/// ```
pub trait Message: Reuse + Default + fmt::Debug + Send + Sync + Sized + 'static {
    /// Full proto name, e.g. `google.protobuf.Timestamp`.
    const NAME: &'static str;

    /// Reads fields until the decoder's input ends (or, for a group, until the END_GROUP
    /// tag of field `end_group`), merging them into `self`. Generated.
    #[doc(hidden)]
    fn merge_fields(&mut self, d: &mut Decoder<'_>, end_group: u32) -> Result<(), DecodeError>;

    /// Merges the fields of `other` into `self`, field by field through the containers
    /// (what [`merge_from`](Message::merge_from) does). Generated.
    #[doc(hidden)]
    fn merge_fields_from(&mut self, other: &Self);

    /// Computes the encoded size, caching it (and every nested message's): the length
    /// prefixes an exact-size encoding writes. Generated.
    #[doc(hidden)]
    fn compute_size(&self) -> usize;

    /// The size cached by the last `compute_size` or encoding. Generated.
    #[doc(hidden)]
    fn cached_size(&self) -> usize;

    /// Caches `size` (an encoding stores each sub-message's actual length, the hint for its
    /// length prefix next time). Generated.
    #[doc(hidden)]
    fn cache_size(&self, size: usize);

    /// Writes the fields; sub-messages' length prefixes are patched in after their bodies,
    /// with their cached sizes as hints. Generated.
    #[doc(hidden)]
    fn encode_fields(&self, e: &mut Encoder<'_>);

    /// Adds the paths of unset `required` fields (prefixed by `prefix`) to `out`. Generated.
    #[doc(hidden)]
    fn collect_missing_fields(&self, prefix: &str, out: &mut Vec<String>);

    /// Writes the fields in text format. Generated.
    #[doc(hidden)]
    fn fmt_text(&self, w: &mut TextWriter<'_, '_>) -> fmt::Result;

    /// Whether all `required` fields, recursively, are set (C++ `IsInitialized`).
    #[doc(alias = "IsInitialized")]
    fn is_initialized(&self) -> bool;

    /// Fields not in the schema, kept from parsing and written back on serialize.
    fn unknown_fields(&self) -> &UnknownFields;

    /// Mutable access to the unknown fields.
    fn mutable_unknown_fields(&mut self) -> &mut UnknownFields;

    /// A shared, immutable default instance (what an unset message field reads as).
    fn default_instance() -> &'static Self;

    // ---- size ---------------------------------------------------------------------------

    /// Encoded size in bytes (C++ `ByteSizeLong`). Computes sizes once for the whole tree
    /// and caches nested sizes, so a following encode is linear.
    #[doc(alias = "ByteSize", alias = "ByteSizeLong")]
    #[inline]
    fn byte_size(&self) -> usize {
        self.compute_size()
    }

    // ---- serialize ----------------------------------------------------------------------

    /// Serializes into a new `Vec` (C++ `SerializeAsString`).
    ///
    /// # Errors
    ///
    /// [`EncodeError::MissingRequiredFields`] when a `required` field (at any depth) is
    /// unset, [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    #[doc(alias = "SerializeAsString")]
    fn serialize_to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.append_to_vec(&mut out)?;
        Ok(out)
    }

    /// Serializes into `out`, replacing its content and reusing its capacity (C++
    /// `SerializeToString`).
    ///
    /// A message serialized (or sized) before, into a buffer with room for that size, is
    /// written in one pass, without computing its size first: the steady state of a send
    /// loop. Otherwise the size is computed first and `out` grows once, to the exact size.
    ///
    /// # Errors
    ///
    /// [`EncodeError::MissingRequiredFields`] when a `required` field (at any depth) is
    /// unset, [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    #[doc(alias = "SerializeToString")]
    fn serialize_into_vec(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.clear();
        self.append_to_vec(out)
    }

    /// Appends the serialization to `out` (C++ `AppendToString`).
    ///
    /// # Errors
    ///
    /// [`EncodeError::MissingRequiredFields`] when a `required` field (at any depth) is
    /// unset, [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    #[doc(alias = "AppendToString")]
    fn append_to_vec(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        check_initialized(self)?;
        self.append_partial_to_vec(out)
    }

    /// Appends the serialization to `out` without checking required fields.
    ///
    /// # Errors
    ///
    /// [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    fn append_partial_to_vec(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        append_encoded(self, out, false)
    }

    /// Serializes into a new `Vec` without checking required fields.
    ///
    /// # Errors
    ///
    /// [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    fn serialize_partial_to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.append_partial_to_vec(&mut out)?;
        Ok(out)
    }

    /// Serializes to the front of `out` and returns the bytes written (C++
    /// `SerializeToArray`).
    ///
    /// # Errors
    ///
    /// As [`serialize_to_vec`](Message::serialize_to_vec), and
    /// [`EncodeError::BufferTooSmall`] (nothing written) when `out` is shorter than the
    /// encoding.
    #[doc(alias = "SerializeToArray")]
    fn serialize_into_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        check_initialized(self)?;
        self.serialize_partial_into_slice(out)
    }

    /// Like [`serialize_into_slice`](Message::serialize_into_slice), without checking
    /// required fields.
    ///
    /// # Errors
    ///
    /// [`EncodeError::TooLarge`] over 2 GiB, [`EncodeError::BufferTooSmall`] (nothing
    /// written) when `out` is shorter than the encoding.
    fn serialize_partial_into_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = checked_size(self)?;
        if len > out.len() {
            return Err(EncodeError::BufferTooSmall {
                required: len,
                available: out.len(),
            });
        }
        Ok(Encoder::write_to_slice(out, len, |e| self.encode_fields(e)))
    }

    /// Serializes into a `bytes::BufMut`.
    ///
    /// # Errors
    ///
    /// As [`serialize_to_vec`](Message::serialize_to_vec), and
    /// [`EncodeError::BufferTooSmall`] (nothing written) when `out` has less room than the
    /// encoding.
    fn serialize_into_buf(&self, out: &mut impl bytes::BufMut) -> Result<(), EncodeError> {
        let bytes = self.serialize_to_vec()?;
        if out.remaining_mut() < bytes.len() {
            return Err(EncodeError::BufferTooSmall {
                required: bytes.len(),
                available: out.remaining_mut(),
            });
        }
        out.put_slice(&bytes);
        Ok(())
    }

    /// Writes the serialization to `w` (C++ `SerializeToOstream`).
    ///
    /// # Errors
    ///
    /// As [`serialize_to_vec`](Message::serialize_to_vec), and [`EncodeError::Io`] when
    /// writing fails.
    #[doc(alias = "SerializeToOstream")]
    fn write_to(&self, w: &mut impl Write) -> Result<(), EncodeError> {
        let bytes = self.serialize_to_vec()?;
        w.write_all(&bytes)?;
        Ok(())
    }

    /// Writes a varint length prefix and then the message (the "delimited" format, C++
    /// `SerializeDelimitedToOstream`).
    ///
    /// # Errors
    ///
    /// As [`write_to`](Message::write_to).
    #[doc(alias = "SerializeDelimitedToOstream")]
    fn write_delimited_to(&self, w: &mut impl Write) -> Result<(), EncodeError> {
        let mut buf = Vec::new();
        self.append_delimited_to_vec(&mut buf)?;
        w.write_all(&buf)?;
        Ok(())
    }

    /// Appends a varint length prefix and then the message to `out`.
    ///
    /// # Errors
    ///
    /// [`EncodeError::MissingRequiredFields`] when a `required` field (at any depth) is
    /// unset, [`EncodeError::TooLarge`] when the encoding would exceed 2 GiB.
    fn append_delimited_to_vec(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        check_initialized(self)?;
        append_encoded(self, out, true)
    }

    // ---- parse --------------------------------------------------------------------------

    /// Parses a message (C++ `ParseFromArray`, `ParseFromString`) with the default
    /// [`ParseOptions`].
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    #[doc(alias = "ParseFromArray", alias = "ParseFromString")]
    fn parse_from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::parse_from_slice_with(bytes, &ParseOptions::default())
    }

    /// Like [`parse_from_slice`](Message::parse_from_slice) with explicit limits.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn parse_from_slice_with(bytes: &[u8], options: &ParseOptions) -> Result<Self, DecodeError> {
        parse_new(|m: &mut Self| m.merge_from_slice_with(bytes, options))
    }

    /// Parses a message without checking required fields (C++ `ParsePartialFromArray`).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit or nesting past the recursion limit (see [`ParseOptions`]).
    #[doc(alias = "ParsePartialFromArray", alias = "ParsePartialFromString")]
    fn parse_partial_from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        parse_new(|m: &mut Self| m.merge_partial_from_slice(bytes, &ParseOptions::default()))
    }

    /// Merges a serialized message into `self`: scalars overwrite, messages merge, repeated
    /// fields append (C++ `MergeFromString`).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    #[doc(alias = "MergeFromString", alias = "MergeFromArray")]
    fn merge_from_slice(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.merge_from_slice_with(bytes, &ParseOptions::default())
    }

    /// Like [`merge_from_slice`](Message::merge_from_slice) with explicit limits.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn merge_from_slice_with(
        &mut self,
        bytes: &[u8],
        options: &ParseOptions,
    ) -> Result<(), DecodeError> {
        self.merge_partial_from_slice(bytes, options)?;
        check_parsed(self)
    }

    /// Merges without checking required fields afterwards (C++ `MergePartialFromString`).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit or nesting past the recursion limit (see [`ParseOptions`]).
    fn merge_partial_from_slice(
        &mut self,
        bytes: &[u8],
        options: &ParseOptions,
    ) -> Result<(), DecodeError> {
        check_size_limit(bytes.len(), options)?;
        self.merge_fields(&mut Decoder::with_options(bytes, options), 0)
    }

    /// Clears `self` (keeping memory) and parses into it: the allocation-free way to receive
    /// a stream of messages.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn clear_and_parse(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.clear();
        self.merge_from_slice(bytes)
    }

    /// Parses from a `bytes::Bytes`: `bytes::Bytes` fields share the buffer instead of
    /// copying.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn parse_from_bytes(bytes: &bytes::Bytes) -> Result<Self, DecodeError> {
        Self::parse_from_bytes_with(bytes, &ParseOptions::default())
    }

    /// Like [`parse_from_bytes`](Message::parse_from_bytes) with explicit limits.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn parse_from_bytes_with(
        bytes: &bytes::Bytes,
        options: &ParseOptions,
    ) -> Result<Self, DecodeError> {
        check_size_limit(bytes.len(), options)?;
        parse_new(|m: &mut Self| {
            m.merge_fields(&mut Decoder::from_bytes(bytes, options), 0)?;
            check_parsed(m)
        })
    }

    /// Parses from a `bytes::Buf` (copied into one contiguous buffer first if it is split).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset.
    fn parse_from_buf(mut buf: impl bytes::Buf) -> Result<Self, DecodeError> {
        if buf.chunk().len() == buf.remaining() {
            return Self::parse_from_slice(buf.chunk());
        }
        let bytes = buf.copy_to_bytes(buf.remaining());
        Self::parse_from_slice(&bytes)
    }

    /// Reads `r` to its end and parses the bytes (C++ `ParseFromIstream`). Stops with
    /// an error once more than the size limit has been read.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. Read errors are [`DecodeErrorKind::Io`].
    #[doc(alias = "ParseFromIstream")]
    fn parse_from_reader(r: &mut impl Read) -> Result<Self, DecodeError> {
        let mut m = Self::default();
        m.merge_from_reader(r)?;
        Ok(m)
    }

    /// Reads `r` to its end and merges the bytes into `self` (C++ `MergeFromIstream`).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. Read errors are [`DecodeErrorKind::Io`].
    #[doc(alias = "MergeFromIstream")]
    fn merge_from_reader(&mut self, r: &mut impl Read) -> Result<(), DecodeError> {
        self.merge_from_reader_with(r, &ParseOptions::default())
    }

    /// Like [`merge_from_reader`](Message::merge_from_reader) with explicit limits.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. Read errors are [`DecodeErrorKind::Io`].
    fn merge_from_reader_with(
        &mut self,
        r: &mut impl Read,
        options: &ParseOptions,
    ) -> Result<(), DecodeError> {
        let mut buf = Vec::new();
        read_bounded(r, &mut buf, options.max_size, true)?;
        self.merge_from_slice_with(&buf, options)
    }

    /// Reads one length-prefixed message from `r`. `Ok(None)` at a clean end of stream.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. A stream that ends inside a record is
    /// [`DecodeErrorKind::Truncated`]; read errors are [`DecodeErrorKind::Io`].
    #[doc(alias = "ParseDelimitedFromZeroCopyStream")]
    fn parse_delimited_from(r: &mut impl Read) -> Result<Option<Self>, DecodeError> {
        let mut m = Self::default();
        Ok(m.merge_delimited_from(r)?.then_some(m))
    }

    /// Reads one length-prefixed message from `r` into `self`; `Ok(false)` at a clean end
    /// of stream. The body is read as it arrives: a hostile length prefix allocates nothing
    /// up front.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. A stream that ends inside a record is
    /// [`DecodeErrorKind::Truncated`]; read errors are [`DecodeErrorKind::Io`].
    fn merge_delimited_from(&mut self, r: &mut impl Read) -> Result<bool, DecodeError> {
        self.merge_delimited_from_with(r, &ParseOptions::default())
    }

    /// Like [`merge_delimited_from`](Message::merge_delimited_from) with explicit limits
    /// (the size limit applies to each record).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] (with the offset and field path) on malformed input, input over
    /// the size limit, nesting past the recursion limit (see [`ParseOptions`]), or a
    /// `required` field left unset. A stream that ends inside a record is
    /// [`DecodeErrorKind::Truncated`]; read errors are [`DecodeErrorKind::Io`].
    fn merge_delimited_from_with(
        &mut self,
        r: &mut impl Read,
        options: &ParseOptions,
    ) -> Result<bool, DecodeError> {
        let Some(len) = read_varint_from(r)? else {
            return Ok(false);
        };
        if len > options.max_size as u64 {
            return Err(DecodeError::new(
                DecodeErrorKind::SizeLimitExceeded {
                    size: len.min(usize::MAX as u64) as usize,
                    limit: options.max_size,
                },
                0,
            ));
        }
        let mut buf = Vec::new();
        read_bounded(&mut r.take(len), &mut buf, len as usize, false)?;
        if (buf.len() as u64) < len {
            return Err(DecodeError::new(DecodeErrorKind::Truncated, buf.len()));
        }
        self.merge_from_slice_with(&buf, options)?;
        Ok(true)
    }

    // ---- merge, clear, inspect -----------------------------------------------------------

    /// Merges `other` into `self` with protobuf merge semantics (C++ `MergeFrom`), field by
    /// field, with the result parsing `other`'s encoding after `self`'s would give: scalars,
    /// strings and bytes that `other` sets (or, without presence, holds non-default)
    /// overwrite; sub-messages merge recursively; repeated fields append; map entries are
    /// inserted, replacing the value under the same key; a oneof takes `other`'s member
    /// (merging it when both hold the same message member); unknown fields append.
    ///
    /// Nothing is serialized, so the parse recursion limit does not apply (a message built
    /// in memory 150 levels deep merges), and merging into storage retained by earlier
    /// content (cleared repeated elements, string buffers, sub-message boxes, the unknown
    /// fields' buffer) allocates nothing. New map entries and a oneof member that changes
    /// allocate as their values need.
    ///
    /// ```
    /// use zpb::Message;
    /// use zpb::well_known::Duration;
    /// let mut d = Duration { seconds: 5, nanos: 7, ..Default::default() };
    /// d.merge_from(&Duration { seconds: 9, ..Default::default() });
    /// assert_eq!((d.seconds, d.nanos), (9, 7)); // nanos 0 is "not set" in proto3
    /// ```
    #[doc(alias = "MergeFrom")]
    fn merge_from(&mut self, other: &Self) {
        self.merge_fields_from(other)
    }

    /// Replaces the content of `self` with a copy of `other` (C++ `CopyFrom`): clears
    /// `self`, keeping its memory, then [`merge_from`](Message::merge_from)s `other`. Into a
    /// message that held content of the same shape before, this allocates nothing (unlike
    /// `*self = other.clone()`).
    ///
    /// ```
    /// use zpb::Message;
    /// use zpb::well_known::Value;
    /// let mut received = Value::default();
    /// received.set_string_value("a string that needs a heap buffer");
    /// received.copy_from(&Value::default());
    /// assert_eq!(received, Value::default());
    /// ```
    #[doc(alias = "CopyFrom")]
    fn copy_from(&mut self, other: &Self) {
        self.clear();
        self.merge_from(other)
    }

    /// Clears the message under a [`MemoryPolicy`]: keep everything (C++), keep what the
    /// last content used, release everything, or keep at most a byte budget.
    fn clear_with(&mut self, policy: &MemoryPolicy) {
        policy.clear(self)
    }

    /// Releases all retained storage that current content does not use (recursively).
    fn shrink_to_fit(&mut self) {
        self.trim(&mut 0)
    }

    /// Paths of unset `required` fields, e.g. `["id", "items[2].name"]`.
    fn missing_fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_missing_fields("", &mut out);
        out
    }

    /// The message in multi-line text format (C++ `DebugString`; the same as
    /// `format!("{m:#?}")`).
    #[doc(alias = "DebugString")]
    fn text_format(&self) -> String {
        format!("{self:#?}")
    }

    /// The message in one-line text format (C++ `ShortDebugString`; the same as
    /// `format!("{m:?}")`).
    ///
    /// ```
    /// use zpb::Message;
    /// use zpb::well_known::Duration;
    /// let d = Duration { seconds: 3, nanos: 5, ..Default::default() };
    /// assert_eq!(d.short_text_format(), "seconds: 3 nanos: 5");
    /// assert_eq!(d.text_format(), "seconds: 3\nnanos: 5\n");
    /// ```
    #[doc(alias = "ShortDebugString")]
    fn short_text_format(&self) -> String {
        format!("{self:?}")
    }
}

impl<M: Message> DefaultInstance for M {
    #[inline]
    fn default_ref() -> &'static M {
        M::default_instance()
    }
}

fn check_initialized<M: Message>(m: &M) -> Result<(), EncodeError> {
    if m.is_initialized() {
        Ok(())
    } else {
        Err(EncodeError::MissingRequiredFields(m.missing_fields()))
    }
}

fn check_parsed<M: Message>(m: &M) -> Result<(), DecodeError> {
    if m.is_initialized() {
        Ok(())
    } else {
        Err(DecodeError::new(
            DecodeErrorKind::MissingRequiredFields(m.missing_fields()),
            0,
        ))
    }
}

fn checked_size<M: Message>(m: &M) -> Result<usize, EncodeError> {
    let len = m.compute_size();
    if len > i32::MAX as usize {
        return Err(EncodeError::TooLarge(len));
    }
    Ok(len)
}

/// Appends `m`'s encoding to `out`, after its length as a varint when `delimited`.
///
/// A message that was sized or encoded before, going into a `Vec` with room for that size,
/// is written in one pass, without a size computation: sub-messages' length prefixes are
/// patched in after their bodies, and `out` grows if the content grew past the room.
/// Otherwise the size is computed first and `out` reserved once, to the exact size.
fn append_encoded<M: Message>(
    m: &M,
    out: &mut Vec<u8>,
    delimited: bool,
) -> Result<(), EncodeError> {
    let last = m.cached_size();
    if last == 0 || out.capacity() - out.len() < last {
        let len = checked_size(m)?;
        let prefix = if delimited {
            encoded_varint_len(len as u64)
        } else {
            0
        };
        Encoder::append_to_vec(out, prefix + len, |e| {
            if delimited {
                e.put_varint(len as u64);
            }
            m.encode_fields(e);
        });
        return Ok(());
    }
    let start = out.len();
    let mut len = 0;
    Encoder::append_growing(out, |e| {
        len = if delimited {
            e.len_delimited(last, |e| m.encode_fields(e))
        } else {
            m.encode_fields(e);
            e.position()
        };
    });
    if len > i32::MAX as usize {
        out.truncate(start);
        return Err(EncodeError::TooLarge(len));
    }
    m.cache_size(len);
    Ok(())
}

/// A new message, built in the result that is returned (not moved into it after parsing),
/// with `merge` run on it; the error `merge` returns instead.
#[inline(always)]
fn parse_new<M: Message>(
    merge: impl FnOnce(&mut M) -> Result<(), DecodeError>,
) -> Result<M, DecodeError> {
    let mut parsed = Ok(M::default());
    if let Ok(m) = &mut parsed {
        if let Err(e) = merge(m) {
            parsed = Err(e);
        }
    }
    parsed
}

fn check_size_limit(len: usize, options: &ParseOptions) -> Result<(), DecodeError> {
    if len > options.max_size {
        return Err(DecodeError::new(
            DecodeErrorKind::SizeLimitExceeded {
                size: len,
                limit: options.max_size,
            },
            0,
        ));
    }
    Ok(())
}

/// Reads until EOF into `buf`, growing only as data arrives; errors once more than `limit`
/// bytes came (when `enforce` is set).
fn read_bounded(
    r: &mut impl Read,
    buf: &mut Vec<u8>,
    limit: usize,
    enforce: bool,
) -> Result<(), DecodeError> {
    let mut chunk = [0u8; 8192];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        buf.extend_from_slice(&chunk[..n]);
        if enforce && buf.len() > limit {
            return Err(DecodeError::new(
                DecodeErrorKind::SizeLimitExceeded {
                    size: buf.len(),
                    limit,
                },
                limit,
            ));
        }
    }
}

/// Reads a varint byte by byte; `None` if the stream ends before its first byte.
fn read_varint_from(r: &mut impl Read) -> Result<Option<u64>, DecodeError> {
    let mut value = 0u64;
    for i in 0..10 {
        let mut byte = [0u8];
        match r.read_exact(&mut byte) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && i == 0 => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        value |= ((byte[0] & 0x7f) as u64) << (7 * i);
        if byte[0] < 0x80 {
            return Ok(Some(value));
        }
    }
    Err(DecodeError::new(DecodeErrorKind::VarintTooLong, 10))
}
