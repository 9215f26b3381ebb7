//! Naming rules: proto names to Rust identifiers. The rules live in `zpb-naming`, shared with
//! the derive; this module re-exports the ones the generator uses.
//!
//! - types and enum variants: `UpperCamelCase` (`foo_bar` → `FooBar`; names already in camel
//!   case are kept, so `HTTPRequest` stays `HTTPRequest`);
//! - fields, oneofs, modules of nested types, methods: `snake_case` with runs of `_` collapsed
//!   and leading/trailing `_` dropped (`__Field_name14` → `field_name14`);
//! - Rust keywords become raw identifiers (`r#type`); `self`, `super`, `crate` and `Self`,
//!   which cannot be raw, get a trailing `_` (`self_`, `Self_`).

pub use zpb_naming::{
    default_json_name, escape, screaming_snake, snake_case, strip_enum_prefix, unraw, upper_camel,
};
