//! # zpb — protobuf for Rust with C++-style memory control
//!
//! zpb is a protobuf runtime whose messages keep their memory when cleared, as C++
//! protobuf's do, so a message reused for the next parse allocates nothing — and, unlike
//! C++, lets you choose and bound what is kept ([`MemoryPolicy`], [`Pool`]).
//!
//! ```
//! use zpb::{Message, MemoryPolicy, Reuse};
//!
//! #[derive(zpb::Message, Clone, PartialEq, Default)]
//! #[zpb(name = "demo.Order")]
//! pub struct Order {
//!     #[zpb(1)]
//!     pub id: u64,
//!     #[zpb(2)]
//!     pub customer: String,
//!     #[zpb(3, sint64, repeated)]
//!     pub deltas: Vec<i64>,
//!     #[zpb(4)]
//!     pub lines: zpb::Repeated<Line>,
//!     _state: zpb::MessageState,
//! }
//!
//! #[derive(zpb::Message, Clone, PartialEq, Default)]
//! pub struct Line {
//!     #[zpb(1)]
//!     pub sku: String,
//!     #[zpb(2)]
//!     pub quantity: u32,
//!     _state: zpb::MessageState,
//! }
//!
//! let mut order = Order::default();
//! order.set_id(7);
//! order.set_customer("ada");
//! order.add_lines().set_sku("X-1");
//! let bytes = order.serialize_to_vec().unwrap();
//!
//! // Receive loop: one message, cleared and parsed again. After the first parse this
//! // allocates nothing: the string buffers and the line element are kept.
//! let mut received = Order::default();
//! for _ in 0..3 {
//!     received.clear();
//!     received.merge_from_slice(&bytes).unwrap();
//! }
//! assert_eq!(received, order);
//! assert_eq!(format!("{received:?}"), r#"id: 7 customer: "ada" lines { sku: "X-1" }"#);
//! received.clear_with(&MemoryPolicy::Budget { max_bytes: 16 });
//! assert!(received.space_used() <= 16);
//! ```
//!
//! ## The derive attribute language
//!
//! `#[derive(zpb::Message)]` needs one field of type [`MessageState`] and a `#[zpb(...)]`
//! attribute on every other field: its number, then what the Rust type does not say.
//!
//! | item | meaning |
//! |---|---|
//! | `1` (or `number = 1`) | field number |
//! | `int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64 sfixed32 sfixed64 float double bool string bytes` | scalar type when the Rust type is ambiguous (`i32` defaults to `int32`, `u64` to `uint64`, `f64` to `double`, `String` to `string`, `Vec<u8>`/`bytes::Bytes` to `bytes`) |
//! | `message` / `group` | a sub-message (inferred for `MessageField<M>` and `Repeated<M>`); `group` uses group encoding |
//! | `enum` | an enum: stored as `E` / `Option<E>` / `Vec<E>` it is closed (unknown numbers go to unknown fields); as [`OpenEnum<E>`] it is open |
//! | `optional` / `required` | presence (implied by `Option`, `Optional`, `MessageField`); `required` is checked by `is_initialized` |
//! | `repeated`, `packed` / `unpacked` | repeated scalars are `Vec<T>`, written packed unless `unpacked` (parsing accepts both) |
//! | `map = "key_type, value_type"` | a map (`HashMap`/`BTreeMap`), types inferred when obvious |
//! | `oneof = "1, 2, 3"` | an `Option<E>` where `E` derives [`Oneof`](derive@Oneof) |
//! | `default = ...` | proto2 default returned by `x()` when unset (`5`, `-1.5`, `"inf"`, `"text"`, `b"\x00"`, `"VariantName"`) |
//! | `name = "proto_name"` | the proto field name (text format), when it differs from the Rust one |
//!
//! Accessors generated per field (C++ names): `x()`, `set_x()`, `mutable_x()`, `clear_x()`,
//! and `has_x()` / `take_x()` with presence; for repeated fields `x()` (a slice),
//! `x_size()`, `x_at(i)`, `set_x(i, v)`, `add_x()`, `mutable_x_at(i)`; for a oneof
//! `which_x()`, plus member accessors from `#[derive(Oneof)]`.

#![deny(missing_docs)]

extern crate self as zpb;

pub mod codec;
pub mod descriptor;
mod error;
mod extension;
pub mod field;
mod message;
mod oneof;
mod policy;
mod pool;
pub mod reflect;
pub mod text;
#[cfg(feature = "zmq")]
pub mod transport;
pub mod well_known;
pub mod wire;

#[cfg(test)]
mod tests;

pub use error::{DecodeError, DecodeErrorKind, EncodeError, PathSegment};
pub use extension::{Extension, RepeatedExtension};
pub use field::{
    Enumeration, MessageField, MessageState, OpenEnum, Optional, Repeated, Reuse, UnknownFields,
};
pub use message::Message;
pub use oneof::Oneof;
pub use policy::MemoryPolicy;
pub use pool::{Pool, Pooled};
pub use wire::ParseOptions;

/// Derives [`trait@Message`] for a struct; see the crate docs for the attribute language.
pub use zpb_derive::Message;

/// Derives [`trait@Enumeration`] for a field-less enum with explicit discriminants.
pub use zpb_derive::Enumeration;

/// Derives [`trait@Oneof`] for the enum of a oneof's members.
pub use zpb_derive::Oneof;

#[doc(hidden)]
pub use bytes;

/// Support for derive-generated code: not public API, no semver guarantees. Generated code
/// and `zpb-derive` name every support item through this path (`::zpb::__private::codec::…`).
#[doc(hidden)]
pub mod __private {
    pub use crate::{codec, text, wire};
}

/// Includes the Rust code that `zpb_build` generated for a proto package in `build.rs`
/// (the file `$OUT_DIR/<package>.rs`).
///
/// ```ignore
/// pub mod app {
///     zpb::include_proto!("my.app");
/// }
/// ```
#[macro_export]
macro_rules! include_proto {
    ($package:expr) => {
        include!(concat!(env!("OUT_DIR"), "/", $package, ".rs"));
    };
}

/// Everything a user of messages needs in scope: `use zpb::prelude::*;`.
pub mod prelude {
    pub use crate::{Enumeration, MemoryPolicy, Message, Oneof, Pool, Reuse};
}
