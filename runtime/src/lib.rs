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
//! | `int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64 sfixed32 sfixed64 float double bool string bytes` | scalar type when the Rust type is ambiguous (`i32` defaults to `int32`, `u64` to `uint64`, `f64` to `double`, `String` / [`ThinString`] to `string`, `Vec<u8>`/`bytes::Bytes` to `bytes`) |
//! | `message` / `group` | a sub-message (inferred for `MessageField<M>` and `Repeated<M>`); `group` is `message` + `delimited` |
//! | `enum` | an enum: stored as `E` / `Option<E>` / `Vec<E>` it is closed (unknown numbers go to unknown fields); as [`OpenEnum<E>`] it is open |
//! | `repeated` | a repeated field (implied by `Vec<T>` and `Repeated<T>` but for `Vec<u8>`) |
//! | feature words, below | `explicit` / `implicit` / `required`, `packed` / `expanded`, `length_prefixed` / `delimited`, `open_enum` / `closed_enum` |
//! | `map = "key_type, value_type"` | a map (`HashMap`/`BTreeMap`), types inferred when obvious |
//! | `oneof = "1, 2, 3"` | an `Option<E>` where `E` derives [`Oneof`](derive@Oneof) |
//! | `default = ...` | proto2 default returned by `x()` when unset (`5`, `-1.5`, `"inf"`, `"text"`, `b"\x00"`, `"VariantName"`) |
//! | `name = "proto_name"` | the proto field name (text format), when it differs from the Rust one |
//! | `json_name = "jsonName"` | the field's JSON name, when it differs from protoc's default (`foo_bar` → `fooBar`); a name given twice in one message is an error |
//!
//! ### Features
//!
//! Field behaviour is said with the features of protobuf editions (`descriptor.proto`'s
//! `FeatureSet`); proto2 and proto3 are presets of the same features. The code generator
//! lowers every field's resolved features to these words, so generated and hand-written
//! structs speak one language (the words live in `zpb_naming::features`):
//!
//! | feature | words | meaning |
//! |---|---|---|
//! | `field_presence` | `explicit` (or `optional`), `implicit`, `required` | must match the holder: explicit and required fields are `Option<T>` / [`Optional<T>`] / [`OptionalThinString`] / [`MessageField<M>`], implicit ones the value itself; `required` (`LEGACY_REQUIRED`) is checked by `is_initialized` |
//! | `repeated_field_encoding` | `packed`, `expanded` (or `unpacked`) | how repeated scalars and enums are written (parsing accepts both) |
//! | `message_encoding` | `length_prefixed`, `delimited` | `delimited` writes a message field between group tags (as proto2's `group`); names the kind `message` when no type word does; never on maps |
//! | `enum_type` | `open_enum`, `closed_enum` | names the kind `enum` and states its openness, which must match the storage: closed `E`, open [`OpenEnum<E>`] |
//!
//! `utf8_validation` has no word: a Rust `String` is UTF-8, so every `string` field is
//! checked (`NONE` reads as `VERIFY`); keep unchecked text in a `bytes` field.
//!
//! On the struct, `syntax = "proto2"` / `"proto3"` or `edition = "2023"` / `"2024"` sets
//! the defaults its fields start from, and feature words (`explicit` / `implicit`,
//! `packed` / `expanded`, `length_prefixed` / `delimited`) override them for every field;
//! a field's own words win. With explicit presence by default (proto2, editions), a field
//! stored as the value itself must say `implicit`; proto2 writes repeated scalars expanded.
//! Without a preset, presence follows the holder, repeated scalars are packed and messages
//! length-prefixed.
//!
//! ```
//! use zpb::Message;
//!
//! #[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
//! pub enum Color {
//!     #[default]
//!     Red = 0,
//!     Blue = 1,
//! }
//!
//! #[derive(zpb::Message, Clone, PartialEq, Default)]
//! #[zpb(edition = "2023", delimited)]
//! pub struct Shape {
//!     #[zpb(1)]
//!     pub sides: Option<u32>,
//!     #[zpb(2, implicit)]
//!     pub name: String,
//!     #[zpb(3)]
//!     pub child: zpb::MessageField<Shape>,
//!     #[zpb(4, closed_enum)]
//!     pub color: Option<Color>,
//!     #[zpb(5, expanded)]
//!     pub weights: Vec<i32>,
//!     _state: zpb::MessageState,
//! }
//!
//! let mut shape = Shape::default();
//! shape.set_sides(3);
//! shape.mutable_child().set_sides(4);
//! shape.weights.extend([7, 8]);
//! let bytes = shape.serialize_to_vec().unwrap();
//! // Field 3 between group tags (start 0x1b, end 0x1c), field 5 one record per value.
//! assert_eq!(bytes, [0x08, 3, 0x1b, 0x08, 4, 0x1c, 0x28, 7, 0x28, 8]);
//! ```
//!
//! On the struct itself, `#[zpb(name = "pkg.Msg")]` gives the full proto name (else the
//! struct's Rust name, in no package), which is also the name of the descriptor
//! [`zpb::reflect`](reflect::ReflectMessage) synthesizes for a hand-written struct, and
//! `#[zpb(clone)]` has the derive implement `Clone` (write it *instead of*
//! `#[derive(Clone)]`, which cannot be combined with it): `clone()` clones field by field, and
//! `clone_from()` is [`Message::copy_from`] — the target is cleared keeping its storage and
//! the source merged in through the containers, so `a.clone_from(&b)` into a message of the
//! same shape allocates nothing (with `#[derive(Clone)]` it allocates a fresh copy). Generated
//! code uses `#[zpb(clone)]`.
//!
//! Each item may be given once. Every field number, a field's, a oneof variant's
//! (`#[zpb(1)]` on the variant) or one in a `oneof` list, is between 1 and 536870911 and
//! outside 19000 to 19999, and is used once per message; a `oneof` list must be its enum's
//! variant numbers.
//!
//! Accessors generated per field (C++ names): `x()`, `set_x()`, `mutable_x()`, `clear_x()`,
//! and `has_x()` / `take_x()` with presence; for repeated fields `x()` (a slice),
//! `x_size()`, `x_at(i)`, `set_x(i, v)`, `add_x()`, `mutable_x_at(i)`; for a oneof
//! `which_x()`, plus member accessors from `#[derive(Oneof)]`. The setters of string and
//! bytes fields (singular, repeated `set_x(i, v)`, oneof members) take any [`Assign`] value:
//! a borrowed one (`&str`, `&[u8]`) is copied into the field's kept buffer, as C++'s
//! `set_name(const std::string&)` does, so setting a warmed message allocates nothing; an
//! owned one (`String`, `Vec<u8>`) is moved in whole.
//!
//! ### Strings: `String` or `ThinString`
//!
//! A `string` field may be stored as `String` (`Optional<String>` with presence,
//! `Repeated<String>`) or as [`ThinString`] ([`OptionalThinString`], `Repeated<ThinString>`),
//! the pointer-sized string generated code uses: 8 bytes in the message against 24 and 32,
//! its length and capacity kept in its heap block (text of up to 7 bytes is kept in the
//! pointer itself, without a block). Both read as `&str`, grow with
//! `push_str`, keep their buffer across `clear()` and count it in `space_used()`; the
//! accessors are the same. Moving a hand-written struct to `ThinString` changes only what
//! code touching the fields themselves sees: `ThinString` derefs to `str` (not `String`),
//! converts from `&str` / `String` with `into()` (a copy) and back with
//! `String::from(thin)`. Map keys are `String`.
//!
//! ```
//! #[derive(zpb::Message, Clone, PartialEq, Default)]
//! #[zpb(syntax = "proto2")]
//! pub struct Person {
//!     #[zpb(1)]
//!     pub name: zpb::OptionalThinString,
//!     #[zpb(2)]
//!     pub emails: zpb::Repeated<zpb::ThinString>,
//!     _state: zpb::MessageState,
//! }
//!
//! let mut p = Person::default();
//! p.set_name("ada");
//! p.add_emails().push_str("ada@example.com");
//! assert_eq!((p.name(), p.has_name()), ("ada", true));
//! assert_eq!(p.emails[0], "ada@example.com");
//! assert_eq!(std::mem::size_of::<zpb::OptionalThinString>(), 8);
//! ```
//!
//! ## Cargo features
//!
//! - `zmq`: the ZeroMQ transport (`zpb::transport`, RPC adapters in generated code).
//! - `serde`: `serde::Serialize` and `serde::Deserialize` for every derived (so generated)
//!   message through its ProtoJSON form: `serde_json::to_string(&msg)` gives zpb's JSON,
//!   `serde_json::from_str` accepts what [`format::merge_json`] accepts; other options go
//!   through [`format::to_json`] / [`format::merge_json`]. Details in `zpb::format::serde`
//!   (built with the feature). The derive emits a call to a hidden macro whose expansion
//!   depends on zpb's feature, so the crate holding the messages needs no feature of its own.
//!
//! ## Support API
//!
//! Derived and generated code calls support items that are not public API: the wire-format
//! cursors (`Decoder`, `Encoder`, tags, varints), the read/size/write/merge functions per
//! field shape (`codec`) and the text-format writer. They live under `zpb::__private`, hidden
//! from these docs and without semver guarantees — as prost and buffa do — so that they can
//! change together with the derive without breaking programs. Everything a program needs is
//! here at the root and deliberately documented: [`trait@Message`] (parse, serialize, merge,
//! clear), the containers of [`field`], [`ParseOptions`] and the errors, [`Extension`] with
//! the [`kind`] markers that name its value type, and [`delimited_records`] /
//! [`split_delimited`] for buffers of length-prefixed messages. `Decoder` and `Encoder` have
//! no public face: reading and writing go through `Message`'s methods.

#![deny(missing_docs)]

extern crate self as zpb;

pub mod descriptor;
mod error;
mod extension;
pub mod field;
pub mod format;
mod message;
mod message_kinds;
mod oneof;
mod policy;
mod pool;
pub mod reflect;
#[cfg(feature = "zmq")]
pub mod transport;
pub mod well_known;

// The support modules, declared in `__private` and named by their short paths inside the crate.
use __private::{codec, text, wire};

#[cfg(test)]
mod tests;

pub use error::{DecodeError, DecodeErrorKind, EncodeError, PathSegment};
pub use extension::{Extension, RepeatedExtension};
pub use field::{
    Assign, Enumeration, MessageField, MessageState, OpenEnum, Optional, OptionalThinString,
    Repeated, Reuse, ThinString, UnknownFields,
};
pub use message::Message;
pub use oneof::Oneof;
pub use policy::MemoryPolicy;
pub use pool::{Pool, Pooled};
pub use wire::{delimited_records, split_delimited, DelimitedRecords, ParseOptions};

/// The protobuf types as marker types: what an [`Extension`] or [`RepeatedExtension`] holds
/// (`Extension<Options, zpb::kind::Int32>`), one per proto type (`Msg<M>` for a message,
/// `Grp<M>` for a group, `Enum<E>` / `ClosedEnum<E>` for open and closed enums).
///
/// The [`Kind`](kind::Kind) trait they implement says how values are stored, read, sized
/// and written; its methods are support for generated code.
pub mod kind {
    pub use crate::codec::{
        Bool, Bytes, ClosedEnum, Double, Enum, Fixed32, Fixed64, Float, Grp, Int32, Int64, Kind,
        Msg, SFixed32, SFixed64, SInt32, SInt64, SharedBytes, Str, StringBuf, ThinStr, UInt32,
        UInt64, Utf8,
    };
}

/// Derives [`trait@Message`] (and [`reflect::ReflectMessage`], with a descriptor synthesized
/// from the attributes for a hand-written struct) for a struct; see the crate docs for the
/// attribute language.
pub use zpb_derive::Message;

/// Derives [`trait@Enumeration`] (and [`Reuse`], [`reflect::ReflectEnum`]) for a field-less
/// enum with explicit discriminants.
///
/// The enum must also implement what `Enumeration` requires: `Clone`, `Copy`, `PartialEq`,
/// `Eq`, `Hash`, `Default` (the proto default, normally the value numbered 0, marked
/// `#[default]`) and `Debug` — derive them alongside. `#[zpb(name = "pkg.Enum")]` on the
/// enum gives its full proto name, `#[zpb(name = "VALUE_NAME")]` on a variant its proto
/// name (by default the variant's name in upper snake case: `InStock` → `IN_STOCK`).
///
/// ```
/// #[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
/// #[zpb(name = "shop.Status")]
/// enum Status {
///     #[default]
///     #[zpb(name = "STATUS_UNKNOWN")]
///     Unknown = 0,
///     Shipped = 2,
/// }
/// use zpb::Enumeration;
/// assert_eq!(Status::from_i32(2), Some(Status::Shipped));
/// assert_eq!(Status::Unknown.name(), "STATUS_UNKNOWN");
/// assert_eq!(Status::Shipped.name(), "SHIPPED");
/// ```
pub use zpb_derive::Enumeration;

/// Derives [`trait@Oneof`] for the enum of a oneof's members.
pub use zpb_derive::Oneof;

#[doc(hidden)]
pub use bytes;

/// Support for derive-generated code: not public API, no semver guarantees. Generated code
/// and `zpb-derive` name every support item through this path (`::zpb::__private::codec::…`).
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

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
