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
/// The functions the `serde` impls call.
#[cfg(feature = "serde")]
pub use crate::format::serde as serde_support;
/// Text-format parsing functions for generated code.
pub use crate::format::text::parse as text_parse;
/// Reflection functions for generated code.
pub use crate::reflect::support as reflect;
/// The `serde` crate, for the impls [`__serde!`](crate::__serde) writes.
#[cfg(feature = "serde")]
pub use serde;

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

/// Generated code's gate on the `serde` feature: `serde::Serialize` and `serde::Deserialize`
/// for a message type (through its ProtoJSON form, see [`format::serde`](crate::format::serde))
/// when zpb is built with the feature. The derive emits a call for every message; the
/// `#[cfg]` is zpb's, so the user's crate needs no feature of its own.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __serde {
    ($ty:ident) => {
        #[automatically_derived]
        impl ::zpb::__private::serde::Serialize for $ty {
            fn serialize<S: ::zpb::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                ::zpb::__private::serde_support::serialize(self, s)
            }
        }
        #[automatically_derived]
        impl<'de> ::zpb::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::zpb::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::zpb::__private::serde_support::deserialize(d)
            }
        }
    };
}

/// Generated code's gate on the `serde` feature: without it, nothing.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __serde {
    ($ty:ident) => {};
}
