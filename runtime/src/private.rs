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
/// Reflection functions for generated code.
pub use crate::reflect::support as reflect;

/// Generated code's gate on the `zmq` feature: its input (a service's RPC client and server
/// adapter, the trait methods of server-streaming rpcs) when zpb is built with the feature,
/// nothing otherwise. The `#[cfg]` is zpb's, so a generated file compiles either way.
#[cfg(feature = "zmq")]
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc {
    ($($items:tt)*) => { $($items)* };
}

/// Generated code's gate on the `zmq` feature: without it, nothing.
#[cfg(not(feature = "zmq"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc {
    ($($items:tt)*) => {};
}
