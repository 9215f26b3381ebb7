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
//! | `string` / `bytes` | `String` / `Vec<u8>` (or `bytes::Bytes`) |
//! | `string` / `bytes` with presence | [`Optional<String>`](Optional) |
//! | message | [`MessageField<M>`](MessageField) (keeps its box when cleared) |
//! | repeated scalar | `Vec<T>` |
//! | repeated string / bytes / message | [`Repeated<T>`](Repeated) (keeps cleared elements) |
//! | map | `HashMap<K, V>` / `BTreeMap<K, V>` |
//! | enum | `E` (closed, proto2) or [`OpenEnum<E>`](OpenEnum) (open, proto3) |
//! | oneof | `Option<OneofEnum>` (the last member kept across `clear()` in [`MessageState`]) |

mod assign;
mod enums;
mod message_field;
mod optional;
mod repeated;
mod reuse;
mod spares;
mod state;
mod unknown;

pub use assign::Assign;
pub use enums::{Enumeration, OpenEnum};
pub use message_field::{DefaultInstance, MessageField};
pub use optional::Optional;
pub use repeated::Repeated;
pub use reuse::Reuse;
#[doc(hidden)]
pub use spares::OneofSpares;
pub use state::{CachedSize, MessageState};
pub use unknown::{UnknownField, UnknownFieldValue, UnknownFields};
