//! [`Extension`] and [`RepeatedExtension`]: typed access to proto2 extensions (C++
//! `GetExtension` / `SetExtension` / `HasExtension` / `ClearExtension`).
//!
//! A message keeps the extensions it does not declare among its unknown fields, so they
//! round-trip byte for byte whether or not anyone reads them; an extension constant (the code
//! generator writes one per `extend` field) reads and writes its field there, decoding on each
//! access. Setting, adding and clearing write the message's unknown-field buffer in place, so
//! on a message whose buffer has room they allocate nothing; reading returns owned values
//! (strings, messages and repeated values allocate as they are built).

use crate::codec::Kind;
use crate::wire::{Decoder, Tag, WireType};
use crate::{DecodeError, Message};
use std::marker::PhantomData;

/// A singular extension field of messages `M`, holding values of kind `K` (a
/// [`zpb::kind`](crate::kind) marker such as `Int32`, `Str` or `Msg<T>`).
///
/// ```
/// use zpb::kind::{Int32, Str};
/// use zpb::{Extension, Message};
///
/// #[derive(zpb::Message, Clone, PartialEq, Default)]
/// #[zpb(name = "demo.Options")]
/// struct Options {
///     #[zpb(1)]
///     name: Option<String>,
///     _state: zpb::MessageState,
/// }
/// const PRIORITY: Extension<Options, Int32> = Extension::new(1000, "demo.priority");
/// const OWNER: Extension<Options, Str> = Extension::new(1001, "demo.owner");
///
/// let mut options = Options::default();
/// PRIORITY.set(&mut options, &7);
/// OWNER.set(&mut options, &"ops".to_string());
/// let parsed = Options::parse_from_slice(&options.serialize_to_vec()?)?;
/// assert_eq!(PRIORITY.get(&parsed)?, Some(7));
/// assert_eq!(OWNER.get(&parsed)?.as_deref(), Some("ops"));
/// PRIORITY.clear(&mut options);
/// assert!(!PRIORITY.has(&options) && OWNER.has(&options));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Extension<M, K> {
    number: u32,
    name: &'static str,
    types: PhantomData<fn() -> (M, K)>,
}

/// A repeated extension field of messages `M`, holding values of kind `K`.
///
/// ```
/// use zpb::kind::SInt64;
/// use zpb::RepeatedExtension;
/// # #[derive(zpb::Message, Clone, PartialEq, Default)]
/// # #[zpb(name = "demo.Options")]
/// # struct Options { _state: zpb::MessageState }
/// const SAMPLES: RepeatedExtension<Options, SInt64> = RepeatedExtension::new(1002, "demo.samples");
///
/// let mut options = Options::default();
/// SAMPLES.add(&mut options, &-1);
/// SAMPLES.add(&mut options, &5);
/// assert_eq!(SAMPLES.get(&options)?, [-1, 5]);
/// assert_eq!(SAMPLES.len(&options), 2);
/// # Ok::<(), zpb::DecodeError>(())
/// ```
pub struct RepeatedExtension<M, K> {
    number: u32,
    name: &'static str,
    types: PhantomData<fn() -> (M, K)>,
}

macro_rules! common {
    ($ty:ident) => {
        impl<M, K> $ty<M, K> {
            /// An extension with field number `number` and full proto name `name`.
            pub const fn new(number: u32, name: &'static str) -> Self {
                $ty {
                    number,
                    name,
                    types: PhantomData,
                }
            }

            /// The field number.
            pub const fn number(&self) -> u32 {
                self.number
            }

            /// The full proto name (`package.name`, or `package.Scope.name`).
            pub const fn name(&self) -> &'static str {
                self.name
            }
        }

        impl<M: Message, K: Kind> $ty<M, K> {
            /// Removes every occurrence from `msg`.
            pub fn clear(&self, msg: &mut M) {
                msg.mutable_unknown_fields()
                    .retain(|field_number| field_number != self.number);
            }

            /// Appends one occurrence holding `value` to `msg` (unpacked).
            fn push(&self, msg: &mut M, value: &K::Value) {
                let len = K::encoded_len(value, self.number);
                msg.mutable_unknown_fields().push_encoded(
                    Tag::new(self.number, K::WIRE_TYPE),
                    len,
                    |e| K::encode(value, self.number, e),
                );
            }
        }
    };
}

common!(Extension);
common!(RepeatedExtension);

impl<M: Message, K: Kind> Extension<M, K> {
    /// Whether `msg` holds the extension: an occurrence with its number and wire type (one
    /// with another wire type is not a value of this extension, as for a parser).
    pub fn has(&self, msg: &M) -> bool {
        let mut found = false;
        // Malformed bytes after an occurrence do not unmake it.
        let _ = occurrences(msg, self.number, |tag, d| {
            found |= tag.wire_type() == K::WIRE_TYPE;
            d.skip_value(tag)
        });
        found
    }

    /// The extension's value in `msg`, decoded as a parser would: the last occurrence of a
    /// scalar or string wins, occurrences of a message merge. `None` when absent (C++
    /// `GetExtension`).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when the stored bytes are not a valid `K` value.
    #[doc(alias = "GetExtension")]
    pub fn get(&self, msg: &M) -> Result<Option<K::Value>, DecodeError> {
        let mut value = None;
        occurrences(msg, self.number, |tag, d| {
            if tag.wire_type() != K::WIRE_TYPE {
                return d.skip_value(tag);
            }
            K::merge(value.get_or_insert_with(K::Value::default), d, self.number)
        })?;
        Ok(value)
    }

    /// Sets the extension in `msg` to `value`, replacing any earlier occurrence.
    pub fn set(&self, msg: &mut M, value: &K::Value) {
        self.clear(msg);
        self.push(msg, value);
    }
}

impl<M: Message, K: Kind> RepeatedExtension<M, K> {
    /// The values in `msg`, in order; packed occurrences of scalar kinds are read too.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when the stored bytes are not valid `K` values.
    pub fn get(&self, msg: &M) -> Result<Vec<K::Value>, DecodeError> {
        let mut values = Vec::new();
        occurrences(msg, self.number, |tag, d| match tag.wire_type() {
            w if w == K::WIRE_TYPE => {
                let mut v = K::Value::default();
                K::merge(&mut v, d, self.number)?;
                values.push(v);
                Ok(())
            }
            WireType::Len if is_packable(K::WIRE_TYPE) => {
                let mut body = Decoder::new(d.read_len_delimited()?);
                while !body.is_empty() {
                    let mut v = K::Value::default();
                    K::merge(&mut v, &mut body, self.number)?;
                    values.push(v);
                }
                Ok(())
            }
            _ => d.skip_value(tag),
        })?;
        Ok(values)
    }

    /// How many values `msg` holds (decoding them; 0 when the stored bytes do not decode, which
    /// [`get`](Self::get) reports as an error).
    pub fn len(&self, msg: &M) -> usize {
        self.get(msg).map_or(0, |v| v.len())
    }

    /// Whether `msg` holds no value.
    pub fn is_empty(&self, msg: &M) -> bool {
        self.len(msg) == 0
    }

    /// Appends `value` to the extension in `msg`.
    pub fn add(&self, msg: &mut M, value: &K::Value) {
        self.push(msg, value);
    }
}

/// Whether values of this wire type can be packed (scalars and enums).
fn is_packable(wire_type: WireType) -> bool {
    matches!(
        wire_type,
        WireType::Varint | WireType::Fixed32 | WireType::Fixed64
    )
}

/// Calls `read` with the decoder positioned on the value of each unknown field of `msg`
/// numbered `number`; `read` must consume that value.
fn occurrences<M: Message>(
    msg: &M,
    number: u32,
    mut read: impl FnMut(Tag, &mut Decoder<'_>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut d = Decoder::new(msg.unknown_fields().as_bytes());
    while let Some(tag) = d.read_tag()? {
        match tag.field_number() == number {
            true => read(tag, &mut d)?,
            false => d.skip_value(tag)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{Int32, Msg, SInt64, Str};
    use crate::well_known::Duration;

    const NUMBERS: RepeatedExtension<Duration, SInt64> = RepeatedExtension::new(10, "t.numbers");
    const LABEL: Extension<Duration, Str> = Extension::new(11, "t.label");
    const INNER: Extension<Duration, Msg<Duration>> = Extension::new(12, "t.inner");
    const COUNT: Extension<Duration, Int32> = Extension::new(13, "t.count");

    fn with_unknown(bytes: &[u8]) -> Duration {
        let mut d = Duration::default();
        d.mutable_unknown_fields().extend_raw(bytes);
        d
    }

    #[test]
    fn values_are_read_as_a_parser_reads_them() {
        // numbers: 1 unpacked (zigzag 2), then packed [-1, 3]; label twice (last wins);
        // inner twice (merged); count with the wrong wire type (skipped).
        let d = with_unknown(&[
            0x50, 0x02, // 10: 1
            0x52, 0x02, 0x01, 0x06, // 10: packed [-1, 3]
            0x5a, 0x01, b'a', 0x5a, 0x01, b'b', // 11: "a", "b"
            0x62, 0x02, 0x08, 0x05, 0x62, 0x02, 0x10, 0x07, // 12: {seconds 5}, {nanos 7}
            0x6d, 1, 0, 0, 0, // 13 as fixed32
        ]);
        assert_eq!(NUMBERS.get(&d).unwrap(), [1, -1, 3]);
        assert_eq!(LABEL.get(&d).unwrap().as_deref(), Some("b"));
        let inner = INNER.get(&d).unwrap().unwrap();
        assert_eq!((inner.seconds, inner.nanos), (5, 7));
        assert_eq!(COUNT.get(&d).unwrap(), None);
        assert!(!COUNT.has(&d) && LABEL.has(&d));
    }

    #[test]
    fn set_replaces_clear_removes_only_its_field() {
        let mut d = with_unknown(&[0x5a, 0x01, b'a', 0x50, 0x02, 0x5a, 0x01, b'b']);
        LABEL.set(&mut d, &"c".to_string());
        assert_eq!(
            d.unknown_fields().as_bytes(),
            [0x50, 0x02, 0x5a, 0x01, b'c']
        );
        NUMBERS.add(&mut d, &-2);
        assert_eq!(NUMBERS.len(&d), 2);
        NUMBERS.clear(&mut d);
        assert!(NUMBERS.is_empty(&d));
        assert_eq!(d.unknown_fields().as_bytes(), [0x5a, 0x01, b'c']);
    }

    #[test]
    fn bad_stored_bytes_are_an_error_not_a_panic() {
        let d = with_unknown(&[0x5a, 0x05, b'a']); // label claims 5 bytes
        assert!(LABEL.get(&d).is_err());
        let d = with_unknown(&[0x5a, 0x01, 0xff]); // not UTF-8
        assert!(LABEL.get(&d).is_err());
    }
}
