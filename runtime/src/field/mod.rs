//! Field containers: where a message keeps its values, and what it keeps after `clear()`.
//!
//! Every container implements [`Reuse`]: `clear()` empties it but keeps its allocations
//! (string capacity, vector buffers, boxed sub-messages, cleared repeated elements), so a
//! message reused for the next parse allocates nothing. [`Reuse::space_used`] reports what is
//! held and [`Reuse::trim`] gives retained memory back down to a byte budget.
//!
//! | proto field | container |
//! |---|---|
//! | scalar, proto3 implicit presence | `i32`, `u64`, `f64`, `bool`, … |
//! | scalar with presence (`optional`, proto2) | `Option<i32>` … |
//! | `string` | [`ThinString`] (generated code; 8 bytes) or `String` |
//! | `string` with presence | [`OptionalThinString`] (generated code; 8 bytes) or [`Optional<String>`](Optional) |
//! | `bytes` | `Vec<u8>` (or `bytes::Bytes`) |
//! | `bytes` with presence | [`Optional<Vec<u8>>`](Optional) |
//! | message | [`MessageField<M>`](MessageField) (keeps its box when cleared) |
//! | repeated scalar | `Vec<T>` |
//! | repeated string / bytes / message | [`Repeated<T>`](Repeated) (keeps cleared elements): `Repeated<ThinString>` in generated code |
//! | map | `HashMap<K, V>` / `BTreeMap<K, V>` (entries kept across `clear()` in [`MessageState`]) |
//! | enum | `E` (closed, proto2) or [`OpenEnum<E>`](OpenEnum) (open, proto3) |
//! | oneof | `Option<OneofEnum>` (the last member kept across `clear()` in [`MessageState`]) |
//!
//! ## Maps and oneofs
//!
//! Maps stay plain `HashMap` / `BTreeMap` fields, with all their API; what they keep lives
//! in the message's [`MessageState`] (in the one block it allocates for everything out of
//! line, beside the unknown fields). A message's `clear()` moves each map's entries, keys
//! and values cleared but with their storage (string capacity, a message value's own kept
//! storage), to a spare list, and the next parse (or `merge_from` / `clone_from`) reads each
//! new entry into a kept pair before allocating one; a oneof's set member is kept the same
//! way and taken back when that member comes again. A kept key or value serves whichever
//! entry comes next, so its buffer grows until it fits the longest it meets. Clearing the
//! map alone (`clear_x()`, `HashMap::clear`) drops its entries as usual. Per policy:
//!
//! | policy | a map after the message's clear | next parse of the same shape |
//! |---|---|---|
//! | `Retain` | `HashMap`: buckets and every entry kept; `BTreeMap`: entries kept, nodes freed | `HashMap`: 0 allocations; `BTreeMap`: one per node (~11 entries) |
//! | `Shrink` | what the last content used: its entries (the spares of earlier, larger content are released) and, for `HashMap`, buckets shrunk to them | as `Retain` up to the last content's size; entries beyond it allocate |
//! | `Release` | nothing | one allocation per heap-owning key or value, plus the table or nodes |
//! | `Budget` | as `Retain` while the message fits the budget, else as `Shrink`, else as `Release` | as the policy it fell to |

mod assign;
mod enums;
mod message_field;
mod optional;
mod repeated;
mod reuse;
mod spares;
mod state;
mod thin_string;
mod unknown;

pub use assign::Assign;
pub use enums::{Enumeration, OpenEnum};
pub use message_field::{DefaultInstance, MessageField};
pub use optional::Optional;
pub use repeated::Repeated;
pub use reuse::Reuse;
#[doc(hidden)]
pub use spares::FieldSpares;
pub use state::{CachedSize, MessageState};
pub use thin_string::{OptionalThinString, ThinString};
pub use unknown::{UnknownField, UnknownFieldValue, UnknownFields};
