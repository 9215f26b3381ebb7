//! The [`Kind`] implementations of sub-messages and groups: they call the `Message` trait's
//! generated methods, so they live above it (the `codec` module does not depend on
//! `Message`).

use crate::codec::{len_delimited_len, Grp, Kind, Msg};
use crate::error::DecodeError;
use crate::text::TextWriter;
use crate::wire::{tag_len, Decoder, Encoder, WireType};
use crate::Message;
use std::fmt;

/// The `Kind` methods messages and groups share: never "default", initialized and printed
/// as the message.
macro_rules! message_kind_methods {
    () => {
        #[inline]
        fn is_default(_: &M) -> bool {
            false
        }
        #[inline]
        fn merge_value(value: &mut M, other: &M) {
            value.merge_fields_from(other)
        }
        #[inline]
        fn is_initialized(value: &M) -> bool {
            value.is_initialized()
        }
        fn collect_missing(value: &M, prefix: &str, out: &mut Vec<String>) {
            value.collect_missing_fields(prefix, out)
        }
        fn fmt_text(value: &M, w: &mut TextWriter<'_, '_>) -> fmt::Result {
            w.message(|w| value.fmt_text(w))
        }
    };
}

impl<M: Message> Kind for Msg<M> {
    type Value = M;
    const WIRE_TYPE: WireType = WireType::Len;
    #[inline]
    fn merge(value: &mut M, d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
        d.nested(|d| value.merge_fields(d, 0))
    }
    #[inline]
    fn encoded_len(value: &M, _: u32) -> usize {
        len_delimited_len(value.compute_size())
    }
    #[inline]
    fn cached_len(value: &M, _: u32) -> usize {
        len_delimited_len(value.cached_size())
    }
    /// The length prefix is patched in after the body (see [`Encoder::len_delimited`]), with
    /// the cached size as the hint, which is then updated for the next encoding.
    #[inline]
    fn encode(value: &M, _: u32, e: &mut Encoder<'_>) {
        let len = e.len_delimited(value.cached_size(), |e| value.encode_fields(e));
        value.cache_size(len);
    }
    message_kind_methods!();
}

impl<M: Message> Kind for Grp<M> {
    type Value = M;
    const WIRE_TYPE: WireType = WireType::StartGroup;
    #[inline]
    fn merge(value: &mut M, d: &mut Decoder<'_>, field_number: u32) -> Result<(), DecodeError> {
        d.group(|d| value.merge_fields(d, field_number))
    }
    #[inline]
    fn encoded_len(value: &M, field_number: u32) -> usize {
        value.compute_size() + tag_len(field_number)
    }
    #[inline]
    fn cached_len(value: &M, field_number: u32) -> usize {
        value.cached_size() + tag_len(field_number)
    }
    #[inline]
    fn encode(value: &M, field_number: u32, e: &mut Encoder<'_>) {
        value.encode_fields(e);
        e.put_tag(field_number, WireType::EndGroup);
    }
    message_kind_methods!();
}
