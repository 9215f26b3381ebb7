//! How each protobuf type is read, sized and written: one [`Kind`] marker type per proto type,
//! and generic functions over field containers (implicit presence, explicit presence,
//! repeated, packed, maps, closed enums) that generated code calls.
//!
//! The derive macro only routes each field to these functions, so the wire logic exists once,
//! here, for hand-written and generated messages alike.
//!
//! Support for generated code (reached as `zpb::__private::codec`): not public API.
//!
//! ```
//! use zpb::__private::codec::{self, Kind};
//! use zpb::__private::wire::{Decoder, Encoder};
//! let values = vec![1i32, -2, 300];
//! let len = codec::packed_len::<codec::SInt32>(4, &values);
//! let mut out = Vec::new();
//! Encoder::append_to_vec(&mut out, len, |e| codec::encode_packed::<codec::SInt32>(4, &values, e));
//! assert_eq!(out, [0x22, 0x04, 0x02, 0x03, 0xd8, 0x04]);
//! ```

mod closed_enum;
mod container;
mod kinds;
pub(crate) mod map;
pub(crate) mod map_entry;

pub use closed_enum::merge_closed_enum_with;
pub use container::{
    clear_oneof, encode_implicit, encode_optional, encode_packed, encode_repeated, implicit_len,
    merge_closed_enum, merge_implicit, merge_implicit_from, merge_oneof, merge_oneof_from,
    merge_oneof_with, merge_optional, merge_optional_from, merge_repeated, merge_repeated_from,
    merge_repeated_scalar, optional_collect_missing, optional_is_initialized, optional_len,
    packed_body_len, packed_len, repeated_collect_missing, repeated_is_initialized, repeated_len,
    require_present, text_implicit, text_optional, text_repeated, PresenceField, RepeatedField,
};
pub(crate) use kinds::len_delimited_len;
pub use kinds::{
    Bool, ByteSink, Bytes, ClosedEnum, Double, Enum, Fixed32, Fixed64, Float, Grp, Int32, Int64,
    Kind, Msg, PackedKind, SFixed32, SFixed64, SInt32, SInt64, ScalarKind, SharedBytes, Str,
    StringBuf, ThinStr, UInt32, UInt64, Utf8,
};
pub use map::{
    clear_map, encode_map, map_is_initialized, map_len, merge_map, merge_map_closed_enum,
    merge_map_from, text_map, Entry, MapField,
};
