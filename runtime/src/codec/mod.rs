//! How each protobuf type is read, sized and written: one [`Kind`] marker type per proto type,
//! and generic functions over field containers (implicit presence, explicit presence,
//! repeated, packed, maps, closed enums) that generated code calls.
//!
//! The derive macro only routes each field to these functions, so the wire logic exists once,
//! here, for hand-written and generated messages alike.
//!
//! ```
//! use zpb::codec::{self, Kind};
//! use zpb::wire::{Decoder, Encoder};
//! let values = vec![1i32, -2, 300];
//! let len = codec::packed_len::<codec::SInt32>(4, &values);
//! let mut out = Vec::new();
//! Encoder::append_to_vec(&mut out, len, |e| codec::encode_packed::<codec::SInt32>(4, &values, e));
//! assert_eq!(out, [0x22, 0x04, 0x02, 0x03, 0xd8, 0x04]);
//! ```

mod container;
mod kinds;
mod map;

pub use container::*;
pub use kinds::*;
pub use map::*;
