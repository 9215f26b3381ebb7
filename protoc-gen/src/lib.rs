//! # zpb-build — `.proto` to Rust for [zpb](https://docs.rs/zpb)
//!
//! Generates derive-annotated Rust structs from `.proto` files: `#[derive(zpb::Message)]` then
//! writes the wire code and the C++-named accessors. Two front ends share one pipeline
//! (parse → lower → emit → format):
//!
//! - **build.rs**, like prost-build, with zpb's own pure-Rust front end ([`frontend`], no
//!   `protoc` needed, editions included) or, with [`Config::protoc`], a `protoc` binary:
//!
//!   ```no_run
//!   // build.rs
//!   fn main() -> std::io::Result<()> {
//!       zpb_build::compile_protos(&["proto/app.proto"], &["proto"])
//!   }
//!   ```
//!   ```ignore
//!   // src/lib.rs: the code of package `my.app`
//!   pub mod app {
//!       zpb::include_proto!("my.app");
//!   }
//!   ```
//! - **protoc plugin** `protoc-gen-zpb`:
//!   `protoc --plugin=protoc-gen-zpb=PATH --zpb_out=OUT -I DIR file.proto`.
//! - **`zpb-protoc`**, protoc's command line over the front end ([`protoc_cli`]):
//!   `zpb-protoc --zpb_out=OUT -I DIR file.proto`, and any protoc plugin.
//!
//! One file is written per proto package, `<package>.rs`; nested messages and enums go in
//! a module named after their parent in snake case (`outer::Inner`), as do the enums of
//! oneofs. Types from other packages are referred to by relative paths (`super::other::T`),
//! so include each package in a module nesting that mirrors the package name. The
//! well-known types (`google.protobuf.Timestamp`, ...) are `zpb::well_known::*`.
//!
//! ## Naming rules
//! - Messages, enums, oneof enums and enum values are `UpperCamelCase`; enum values lose
//!   their enum's name as prefix (`COLOR_RED` in `Color` → `Red`) when all stay distinct.
//!   The proto name is kept in `#[zpb(name = "...")]` wherever it differs.
//! - Fields, oneofs, modules and rpc methods are `snake_case` (runs of `_` collapsed,
//!   leading and trailing `_` dropped). Rust keywords become raw identifiers (`r#type`);
//!   `self`, `super`, `crate` and `Self` get a trailing `_`.
//! - A field whose accessors would collide with another field's accessors (`foo` and
//!   `foo_size`, `has_foo`, ...) or shadow a method every message has (`clear`,
//!   `byte_size`, `clone`, ... see [`RESERVED_METHODS`]) gets `_` appended until its
//!   accessors are free (`clear` → `clear_`); earlier fields keep their names. Oneof member
//!   accessors are the proto name in snake case (`camelCase` → `camel_case()`, `self` →
//!   `self_()`), named before other fields, which make way for them; a member whose
//!   accessors would shadow a method or another member's gets `_` appended too.
//! - A oneof enum whose name is taken by a nested type gets a trailing `_`.
//! - Aliases (`allow_alias`) become associated consts with the proto name:
//!   `impl E { pub const MOO: E = E::Baz; }`.
//!
//! ## Inline and boxed message fields
//! A singular message field is stored inline, `zpb::Optional<M>` (no allocation per
//! sub-message), unless its type can contain the message holding it through singular
//! message fields: such fields, on a cycle of the message graph, are boxed,
//! `zpb::MessageField<M>`. Repeated fields, maps and oneof members (`Box<M>`) break cycles.
//! [`Config::boxed`] boxes chosen fields too: an unset boxed field costs a pointer instead of
//! the sub-message's size, a set one an allocation the first time (kept across `clear()`
//! under `Retain`). No size threshold boxes fields by default: a sub-message that is set in
//! most messages (as every `Group1.field31` of Google's message2 is) would pay one more
//! allocation per message than inline storage, the layout prost and C++'s heap parse
//! compete with.
//!
//! ## Strings
//! Singular and repeated `string` fields are stored as `zpb::ThinString` (with presence,
//! `zpb::OptionalThinString`; repeated, `zpb::Repeated<zpb::ThinString>`): one pointer in the
//! message instead of a `String`'s 24 bytes (32 for `Optional<String>`), the length and
//! capacity kept in the heap block before the text. Unset and empty strings allocate
//! nothing. Map keys and values, oneof members and extensions are `String`;
//! [`Config::std_strings`] keeps chosen fields `String` too.
//!
//! ## What is supported
//! proto2, proto3 and editions 2023 and 2024 (with every front end; features resolved as
//! protoc does by `zpb::descriptor::features`): every scalar type, strings, bytes (`Vec<u8>`, or
//! `bytes::Bytes` via [`Config::bytes`]), open and closed enums, nested types, recursion,
//! oneofs, maps (`HashMap`, or `BTreeMap` via [`Config::btree_map`]), packed/unpacked,
//! proto2 defaults, `required`, groups, proto3 `optional`, `deprecated` (→ `#[deprecated]`
//! on fields), `json_name` (recorded), imports, services (a trait with one method per rpc,
//! a `<SERVICE>_SERVICE` descriptor const, and with zpb's `zmq` feature a typed
//! `<Service>Client` and a `<Service>Server<T>` adapter over `zpb::transport::rpc`), extensions (a [`zpb::Extension`] or
//! `zpb::RepeatedExtension` const per `extend` field, reading and writing the value among the
//! extendee's unknown fields, where it round-trips untouched). Comments become doc comments (leading, then
//! trailing comments, from the `SourceCodeInfo` that zpb's front end records as protoc does).

#![deny(missing_docs)]

mod config;
#[doc(hidden)]
pub mod descriptor;
mod docs;
mod emit;
mod error;
mod format;
pub mod frontend;
mod generate;
mod ir;
mod lower;
mod names;
mod parse;
pub mod plugin;
pub mod protoc_cli;

pub use config::Config;
pub use error::{Error, ErrorKind, Location};
pub use format::GeneratedFile;
pub use lower::WELL_KNOWN_FILES;
pub use zpb_naming::RESERVED_METHODS;

/// Generates code for `protos` (found in the `includes` directories) into `$OUT_DIR`, with
/// default options: the shorthand for `Config::new().compile_protos(protos, includes)`.
///
/// ```no_run
/// // build.rs
/// fn main() -> std::io::Result<()> {
///     zpb_build::compile_protos(&["proto/app.proto"], &["proto"])
/// }
/// ```
pub fn compile_protos(
    protos: &[impl AsRef<std::path::Path>],
    includes: &[impl AsRef<std::path::Path>],
) -> std::io::Result<()> {
    Config::new().compile_protos(protos, includes)
}

#[cfg(test)]
mod test_util;
