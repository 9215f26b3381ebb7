//! The support modules for generated code (`zpb::__private::{codec, text, wire}`): not public
//! API. See "Support API" in the crate docs.

#[path = "codec/mod.rs"]
pub mod codec;
#[path = "text.rs"]
pub mod text;
#[path = "wire/mod.rs"]
pub mod wire;
/// JSON field functions for generated code.
pub use crate::format::mapping::support as json;
/// Text-format parsing functions for generated code.
pub use crate::format::text::parse as text_parse;
