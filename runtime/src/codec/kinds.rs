//! The [`Kind`] marker types, one per protobuf type.

use crate::error::DecodeError;
use crate::field::{Enumeration, OpenEnum, Reuse, ThinString};
use crate::format::StringSink;
use crate::text::TextWriter;
use crate::wire::{encoded_varint_len, Decoder, Encoder, WireType};
use crate::wire::{zigzag_decode32, zigzag_decode64, zigzag_encode32, zigzag_encode64};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// How one protobuf type is stored, read, sized and written.
pub trait Kind {
    /// The Rust type a field of this kind stores.
    type Value: Default;
    /// The wire type its values use (unpacked).
    const WIRE_TYPE: WireType;
    /// Reads one value (the tag is already consumed) into `value`: scalars and strings
    /// overwrite, messages merge.
    fn merge(
        value: &mut Self::Value,
        d: &mut Decoder<'_>,
        field_number: u32,
    ) -> Result<(), DecodeError>;
    /// Merges `other` into `value` as a later occurrence of the field on the wire would:
    /// scalars, enums, strings and bytes overwrite (reusing `value`'s buffer), messages merge
    /// field by field (C++ `MergeFrom`).
    fn merge_value(value: &mut Self::Value, other: &Self::Value);
    /// Bytes the value takes after its tag; computes and caches nested message sizes.
    fn encoded_len(value: &Self::Value, field_number: u32) -> usize;
    /// Like `encoded_len`, but reads nested message sizes from their caches (valid after
    /// `encoded_len` ran on the same value).
    #[inline]
    fn cached_len(value: &Self::Value, field_number: u32) -> usize {
        Self::encoded_len(value, field_number)
    }
    /// Writes the value after its tag (a nested message's cached size is the hint for its
    /// length prefix, see `Encoder::len_delimited`).
    fn encode(value: &Self::Value, field_number: u32, e: &mut Encoder<'_>);
    /// Whether an implicit-presence (proto3) field holding `value` is left out on the wire.
    fn is_default(value: &Self::Value) -> bool;
    /// Whether nested `required` fields are all set (messages only).
    #[inline]
    fn is_initialized(_value: &Self::Value) -> bool {
        true
    }
    /// Adds paths of missing `required` fields below `value` (messages only).
    #[inline]
    fn collect_missing(_value: &Self::Value, _prefix: &str, _out: &mut Vec<String>) {}
    /// Writes the value in text format.
    fn fmt_text(value: &Self::Value, w: &mut TextWriter<'_, '_>) -> fmt::Result;
}

/// A kind that can be packed: fixed-size or varint scalars, including enums.
pub trait PackedKind: Kind<Value: Copy> {
    /// Size of every value for fixed-width kinds.
    const FIXED_SIZE: Option<usize>;
    /// Bytes one value takes.
    fn value_len(value: Self::Value) -> usize;
    /// Writes one value.
    fn write(value: Self::Value, e: &mut Encoder<'_>);
}

/// A packable kind whose every wire value maps to a Rust value (all but closed enums).
pub trait ScalarKind: PackedKind {
    /// Reads one value.
    fn read(d: &mut Decoder<'_>) -> Result<Self::Value, DecodeError>;
}

macro_rules! scalar_kind {
    ($(#[$doc:meta])* $name:ident, $t:ty, $wire:ident, $fixed:expr,
     read: |$d:ident| $read:expr, write: |$v:ident, $e:ident| $write:expr, len: |$lv:ident| $len:expr,
     default: |$dv:ident| $is_default:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub enum $name {}

        impl Kind for $name {
            type Value = $t;
            const WIRE_TYPE: WireType = WireType::$wire;
            #[inline]
            fn merge(value: &mut $t, d: &mut Decoder<'_>, _field_number: u32) -> Result<(), DecodeError> {
                *value = <$name as ScalarKind>::read(d)?;
                Ok(())
            }
            #[inline]
            fn merge_value(value: &mut $t, other: &$t) {
                *value = *other;
            }
            #[inline]
            fn encoded_len(value: &$t, _field_number: u32) -> usize {
                <$name as PackedKind>::value_len(*value)
            }
            #[inline]
            fn encode(value: &$t, _field_number: u32, e: &mut Encoder<'_>) {
                <$name as PackedKind>::write(*value, e)
            }
            #[inline]
            fn is_default($dv: &$t) -> bool {
                $is_default
            }
            fn fmt_text(value: &$t, w: &mut TextWriter<'_, '_>) -> fmt::Result {
                w.scalar(value)
            }
        }

        impl PackedKind for $name {
            const FIXED_SIZE: Option<usize> = $fixed;
            #[inline]
            fn value_len($lv: $t) -> usize {
                $len
            }
            #[inline]
            fn write($v: $t, $e: &mut Encoder<'_>) {
                $write
            }
        }

        impl ScalarKind for $name {
            #[inline]
            fn read($d: &mut Decoder<'_>) -> Result<$t, DecodeError> {
                $read
            }
        }
    };
}

scalar_kind!(/// `int32`: varint, negative values sign-extended to 10 bytes.
    Int32, i32, Varint, None,
    read: |d| d.read_varint64().map(|v| v as i32),
    write: |v, e| e.put_varint(v as i64 as u64),
    len: |v| encoded_varint_len(v as i64 as u64),
    default: |v| *v == 0);
scalar_kind!(/// `int64`: varint.
    Int64, i64, Varint, None,
    read: |d| d.read_varint64().map(|v| v as i64),
    write: |v, e| e.put_varint(v as u64),
    len: |v| encoded_varint_len(v as u64),
    default: |v| *v == 0);
scalar_kind!(/// `uint32`: varint.
    UInt32, u32, Varint, None,
    read: |d| d.read_varint64().map(|v| v as u32),
    write: |v, e| e.put_varint(v as u64),
    len: |v| encoded_varint_len(v as u64),
    default: |v| *v == 0);
scalar_kind!(/// `uint64`: varint.
    UInt64, u64, Varint, None,
    read: |d| d.read_varint64(),
    write: |v, e| e.put_varint(v),
    len: |v| encoded_varint_len(v),
    default: |v| *v == 0);
scalar_kind!(/// `sint32`: zigzag varint.
    SInt32, i32, Varint, None,
    read: |d| d.read_varint64().map(|v| zigzag_decode32(v as u32)),
    write: |v, e| e.put_varint(zigzag_encode32(v) as u64),
    len: |v| encoded_varint_len(zigzag_encode32(v) as u64),
    default: |v| *v == 0);
scalar_kind!(/// `sint64`: zigzag varint.
    SInt64, i64, Varint, None,
    read: |d| d.read_varint64().map(zigzag_decode64),
    write: |v, e| e.put_varint(zigzag_encode64(v)),
    len: |v| encoded_varint_len(zigzag_encode64(v)),
    default: |v| *v == 0);
scalar_kind!(/// `bool`: varint 0 or 1 (any non-zero varint reads as true).
    Bool, bool, Varint, None,
    read: |d| d.read_varint64().map(|v| v != 0),
    write: |v, e| e.put_u8(v as u8),
    len: |_v| 1,
    default: |v| !*v);
scalar_kind!(/// `fixed32`: 4 bytes little-endian.
    Fixed32, u32, Fixed32, Some(4),
    read: |d| d.read_fixed32(),
    write: |v, e| e.put_fixed32(v),
    len: |_v| 4,
    default: |v| *v == 0);
scalar_kind!(/// `fixed64`: 8 bytes little-endian.
    Fixed64, u64, Fixed64, Some(8),
    read: |d| d.read_fixed64(),
    write: |v, e| e.put_fixed64(v),
    len: |_v| 8,
    default: |v| *v == 0);
scalar_kind!(/// `sfixed32`: 4 bytes little-endian, two's complement.
    SFixed32, i32, Fixed32, Some(4),
    read: |d| d.read_fixed32().map(|v| v as i32),
    write: |v, e| e.put_fixed32(v as u32),
    len: |_v| 4,
    default: |v| *v == 0);
scalar_kind!(/// `sfixed64`: 8 bytes little-endian, two's complement.
    SFixed64, i64, Fixed64, Some(8),
    read: |d| d.read_fixed64().map(|v| v as i64),
    write: |v, e| e.put_fixed64(v as u64),
    len: |_v| 8,
    default: |v| *v == 0);
scalar_kind!(/// `float`: 4 bytes IEEE 754. `-0.0` counts as set (its bits are not zero), as in C++.
    Float, f32, Fixed32, Some(4),
    read: |d| d.read_fixed32().map(f32::from_bits),
    write: |v, e| e.put_fixed32(v.to_bits()),
    len: |_v| 4,
    default: |v| v.to_bits() == 0);
scalar_kind!(/// `double`: 8 bytes IEEE 754. `-0.0` counts as set, as in C++.
    Double, f64, Fixed64, Some(8),
    read: |d| d.read_fixed64().map(f64::from_bits),
    write: |v, e| e.put_fixed64(v.to_bits()),
    len: |_v| 8,
    default: |v| v.to_bits() == 0);

/// Bytes a length-delimited value with a `body`-byte body takes (prefix included).
#[inline]
pub(crate) fn len_delimited_len(body: usize) -> usize {
    encoded_varint_len(body as u64) + body
}

/// Declares a length-delimited kind whose value is a byte buffer: `$merge` reads one value,
/// `$copy` overwrites it with another (reusing the buffer), `$bytes` views it as bytes,
/// `$text` prints it.
macro_rules! buffer_kind {
    ($(#[$doc:meta])* $name:ident, $t:ty, merge: |$v:ident, $d:ident| $merge:expr,
     copy: |$cv:ident, $co:ident| $copy:expr, bytes: |$b:ident| $bytes:expr, text: $text:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub enum $name {}

        impl Kind for $name {
            type Value = $t;
            const WIRE_TYPE: WireType = WireType::Len;
            // Inlined into each field's arm: the call cost a fifth of reading a short string.
            #[inline(always)]
            fn merge($v: &mut $t, $d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
                $merge;
                Ok(())
            }
            #[inline]
            fn merge_value($cv: &mut $t, $co: &$t) {
                $copy
            }
            #[inline]
            fn encoded_len(value: &$t, _: u32) -> usize {
                len_delimited_len(value.len())
            }
            #[inline]
            fn encode($b: &$t, _: u32, e: &mut Encoder<'_>) {
                let bytes: &[u8] = $bytes;
                e.put_varint(bytes.len() as u64);
                e.put_slice(bytes);
            }
            #[inline]
            fn is_default(value: &$t) -> bool {
                value.is_empty()
            }
            fn fmt_text(value: &$t, w: &mut TextWriter<'_, '_>) -> fmt::Result {
                w.$text(value)
            }
        }
    };
}

/// The storage of a `string` value, `String` or [`ThinString`]: what [`Utf8`] needs of it.
///
/// The JSON reader decodes escapes into it as a [`StringSink`].
pub trait StringBuf:
    StringSink + Default + Reuse + Deref<Target = str> + From<String> + 'static
{
    /// Replaces the text with `s`: in the buffer it keeps when it has one, else in a new
    /// buffer of exactly `s.len()` bytes (a fresh parse skips the growth policy, as prost
    /// does).
    fn overwrite(&mut self, s: &str);
    /// Replaces the text with the bytes `write` appends (decoded escapes of a text-format
    /// string, which may spell any bytes), in the kept buffer, if they are UTF-8; else
    /// empties the text and returns `false`.
    fn assign_bytes(&mut self, write: &mut dyn FnMut(&mut dyn ByteSink)) -> bool;
}

/// Where decoded bytes go: a `Vec<u8>`, or a string's buffer before it is checked to be
/// UTF-8 ([`StringBuf::assign_bytes`]).
pub trait ByteSink {
    /// Appends bytes.
    fn extend_from_slice(&mut self, bytes: &[u8]);

    /// Makes room for exactly `additional` more bytes, when the writer knows how many
    /// follow (so that text decoded in pieces grows its buffer once, to its size).
    fn reserve_exact(&mut self, additional: usize);
}

impl ByteSink for Vec<u8> {
    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        Vec::extend_from_slice(self, bytes)
    }

    #[inline]
    fn reserve_exact(&mut self, additional: usize) {
        Vec::reserve_exact(self, additional)
    }
}

impl StringBuf for String {
    #[inline]
    fn overwrite(&mut self, s: &str) {
        if self.capacity() == 0 {
            *self = String::from(s);
        } else {
            self.clear();
            self.push_str(s);
        }
    }
    fn assign_bytes(&mut self, write: &mut dyn FnMut(&mut dyn ByteSink)) -> bool {
        let mut bytes = std::mem::take(self).into_bytes();
        bytes.clear();
        write(&mut bytes);
        match String::from_utf8(bytes) {
            Ok(s) => {
                *self = s;
                true
            }
            Err(e) => {
                let mut bytes = e.into_bytes();
                bytes.clear();
                // Empty bytes are UTF-8: the buffer is kept.
                *self = String::from_utf8(bytes).unwrap_or_default();
                false
            }
        }
    }
}

impl StringBuf for ThinString {
    // Inlined into each field's arm, as `Utf8::merge` is.
    #[inline(always)]
    fn overwrite(&mut self, s: &str) {
        self.assign(s)
    }
    fn assign_bytes(&mut self, write: &mut dyn FnMut(&mut dyn ByteSink)) -> bool {
        ThinString::assign_bytes(self, |raw| write(raw))
    }
}

/// `string`: length-delimited UTF-8, stored as `S` (the buffer is reused on merge): [`Str`]
/// for `String`, [`ThinStr`] for [`ThinString`].
pub struct Utf8<S>(PhantomData<S>);

/// `string` stored as `String`.
pub type Str = Utf8<String>;

/// `string` stored as [`ThinString`] (what generated code stores).
pub type ThinStr = Utf8<ThinString>;

impl<S: StringBuf> Kind for Utf8<S> {
    type Value = S;
    const WIRE_TYPE: WireType = WireType::Len;
    // Inlined into each field's arm: the call cost a fifth of reading a short string.
    #[inline(always)]
    fn merge(value: &mut S, d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
        value.overwrite(d.read_str()?);
        Ok(())
    }
    #[inline]
    fn merge_value(value: &mut S, other: &S) {
        value.overwrite(other)
    }
    #[inline]
    fn encoded_len(value: &S, _: u32) -> usize {
        len_delimited_len(value.len())
    }
    #[inline]
    fn encode(value: &S, _: u32, e: &mut Encoder<'_>) {
        // The length read once, with the text.
        let bytes = value.as_bytes();
        e.put_varint(bytes.len() as u64);
        e.put_slice(bytes);
    }
    #[inline]
    fn is_default(value: &S) -> bool {
        value.is_empty()
    }
    fn fmt_text(value: &S, w: &mut TextWriter<'_, '_>) -> fmt::Result {
        w.string(value)
    }
}

/// Replaces the content of a bytes field with `b`: in the buffer it keeps when it has one,
/// else in a new buffer of exactly `b.len()` bytes (as [`StringBuf::overwrite`]).
#[inline]
fn overwrite_bytes(value: &mut Vec<u8>, b: &[u8]) {
    if value.capacity() == 0 {
        *value = b.to_vec();
    } else {
        value.clear();
        value.extend_from_slice(b);
    }
}

buffer_kind!(/// `bytes`: length-delimited, stored as `Vec<u8>` (the buffer is reused on merge).
    Bytes, Vec<u8>,
    merge: |value, d| overwrite_bytes(value, d.read_len_delimited()?),
    copy: |value, other| overwrite_bytes(value, other),
    bytes: |value| value, text: bytes);
buffer_kind!(/// `bytes` stored as `bytes::Bytes`: parsing from a `Bytes` buffer shares it (no copy).
    SharedBytes, bytes::Bytes,
    merge: |value, d| *value = d.read_bytes_shared()?,
    copy: |value, other| value.clone_from(other),
    bytes: |value| value, text: bytes);

/// A sub-message, length-delimited. (Its [`Kind`] implementation is with the `Message`
/// trait, which it calls.)
pub struct Msg<M>(PhantomData<M>);

/// A group (proto2): the fields between START_GROUP and END_GROUP tags of the same number.
pub struct Grp<M>(PhantomData<M>);

/// An open (proto3) enum stored as [`OpenEnum<E>`]: every number is kept.
pub struct Enum<E>(PhantomData<E>);

impl<E: Enumeration> Kind for Enum<E> {
    type Value = OpenEnum<E>;
    const WIRE_TYPE: WireType = WireType::Varint;
    #[inline]
    fn merge(value: &mut OpenEnum<E>, d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
        *value = Self::read(d)?;
        Ok(())
    }
    #[inline]
    fn merge_value(value: &mut OpenEnum<E>, other: &OpenEnum<E>) {
        *value = *other;
    }
    #[inline]
    fn encoded_len(value: &OpenEnum<E>, _: u32) -> usize {
        Self::value_len(*value)
    }
    #[inline]
    fn encode(value: &OpenEnum<E>, _: u32, e: &mut Encoder<'_>) {
        Self::write(*value, e)
    }
    #[inline]
    fn is_default(value: &OpenEnum<E>) -> bool {
        value.raw() == 0
    }
    fn fmt_text(value: &OpenEnum<E>, w: &mut TextWriter<'_, '_>) -> fmt::Result {
        match value.get() {
            Some(e) => w.raw(e.name()),
            None => w.scalar(&value.raw()),
        }
    }
}

impl<E: Enumeration> PackedKind for Enum<E> {
    const FIXED_SIZE: Option<usize> = None;
    #[inline]
    fn value_len(value: OpenEnum<E>) -> usize {
        encoded_varint_len(value.raw() as i64 as u64)
    }
    #[inline]
    fn write(value: OpenEnum<E>, e: &mut Encoder<'_>) {
        e.put_varint(value.raw() as i64 as u64)
    }
}

impl<E: Enumeration> ScalarKind for Enum<E> {
    #[inline]
    fn read(d: &mut Decoder<'_>) -> Result<OpenEnum<E>, DecodeError> {
        d.read_varint64().map(|v| OpenEnum::from_raw(v as i32))
    }
}

/// A closed (proto2) enum stored as `E`: numbers the enum does not declare go to the
/// message's unknown fields (see [`merge_closed_enum`](super::merge_closed_enum)).
pub struct ClosedEnum<E>(PhantomData<E>);

impl<E: Enumeration> Kind for ClosedEnum<E> {
    type Value = E;
    const WIRE_TYPE: WireType = WireType::Varint;
    /// Reads a number; an undeclared one leaves `value` unchanged (generated code routes
    /// closed enums through `merge_closed_enum`, which keeps such numbers as unknown fields).
    #[inline]
    fn merge(value: &mut E, d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
        if let Some(e) = E::from_i32(d.read_varint64()? as i32) {
            *value = e;
        }
        Ok(())
    }
    #[inline]
    fn merge_value(value: &mut E, other: &E) {
        *value = *other;
    }
    #[inline]
    fn encoded_len(value: &E, _: u32) -> usize {
        Self::value_len(*value)
    }
    #[inline]
    fn encode(value: &E, _: u32, e: &mut Encoder<'_>) {
        Self::write(*value, e)
    }
    #[inline]
    fn is_default(value: &E) -> bool {
        value.to_i32() == 0
    }
    fn fmt_text(value: &E, w: &mut TextWriter<'_, '_>) -> fmt::Result {
        w.raw(value.name())
    }
}

impl<E: Enumeration> PackedKind for ClosedEnum<E> {
    const FIXED_SIZE: Option<usize> = None;
    #[inline]
    fn value_len(value: E) -> usize {
        encoded_varint_len(value.to_i32() as i64 as u64)
    }
    #[inline]
    fn write(value: E, e: &mut Encoder<'_>) {
        e.put_varint(value.to_i32() as i64 as u64)
    }
}
