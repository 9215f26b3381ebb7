//! `google.protobuf.Any`: packing and unpacking (C++ `PackFrom` / `UnpackTo` / `Is`); the
//! [`TypeRegistry`](crate::format::TypeRegistry) resolves type URLs to descriptors for
//! dynamic unpacking.

use super::{DynamicMessage, MessageDescriptor};
use crate::well_known::Any;
use crate::{DecodeError, EncodeError, Message};
use std::fmt;

/// The type URL prefix C++ and every other implementation use by default.
pub const DEFAULT_TYPE_URL_PREFIX: &str = "type.googleapis.com";

/// Why an `Any` could not be packed or unpacked.
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyError {
    /// The type URL has no `/` or nothing after its last `/`.
    InvalidTypeUrl(String),
    /// The `Any` holds another type than the one asked for.
    TypeMismatch {
        /// The type asked for.
        expected: String,
        /// The type in the `Any`.
        found: String,
    },
    /// No registered type or pool knows the type URL's message.
    UnknownType(String),
    /// The value does not parse as the named type.
    Decode(DecodeError),
    /// The message could not be serialized (missing required fields, too large).
    Encode(EncodeError),
}

impl fmt::Display for AnyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyError::InvalidTypeUrl(url) => write!(f, "invalid type URL {url:?}"),
            AnyError::TypeMismatch { expected, found } => {
                write!(f, "the Any holds {found}, not {expected}")
            }
            AnyError::UnknownType(name) => write!(f, "no descriptor for type {name}"),
            AnyError::Decode(e) => write!(f, "the Any's value does not parse: {e}"),
            AnyError::Encode(e) => write!(f, "cannot pack: {e}"),
        }
    }
}

impl std::error::Error for AnyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AnyError::Decode(e) => Some(e),
            AnyError::Encode(e) => Some(e),
            _ => None,
        }
    }
}

impl From<DecodeError> for AnyError {
    fn from(e: DecodeError) -> Self {
        AnyError::Decode(e)
    }
}

impl From<EncodeError> for AnyError {
    fn from(e: EncodeError) -> Self {
        AnyError::Encode(e)
    }
}

/// The message name of a type URL: what follows its last `/`.
pub(crate) fn type_name_of(url: &str) -> Result<&str, AnyError> {
    match url.rsplit_once('/') {
        Some((_, name)) if !name.is_empty() => Ok(name),
        _ => Err(AnyError::InvalidTypeUrl(url.to_string())),
    }
}

fn url(prefix: &str, name: &str) -> String {
    if prefix.ends_with('/') {
        format!("{prefix}{name}")
    } else {
        format!("{prefix}/{name}")
    }
}

/// Packing and unpacking, on the well-known `Any`.
///
/// ```
/// use zpb::reflect::AnyError;
/// use zpb::well_known::{Any, Duration, Timestamp};
///
/// let d = Duration { seconds: 5, ..Default::default() };
/// let any = Any::pack(&d).unwrap();
/// assert_eq!(any.type_url, "type.googleapis.com/google.protobuf.Duration");
/// assert!(any.is::<Duration>() && !any.is::<Timestamp>());
/// assert_eq!(any.unpack::<Duration>().unwrap(), d);
/// assert!(matches!(any.unpack::<Timestamp>(), Err(AnyError::TypeMismatch { .. })));
/// ```
impl Any {
    /// Packs `message` with the default `type.googleapis.com` prefix (C++ `PackFrom`).
    pub fn pack<M: Message>(message: &M) -> Result<Any, AnyError> {
        Any::pack_with_prefix(message, DEFAULT_TYPE_URL_PREFIX)
    }

    /// Packs `message` with a type URL prefix of your own (`example.com/types`).
    pub fn pack_with_prefix<M: Message>(message: &M, prefix: &str) -> Result<Any, AnyError> {
        Any::pack_named(M::NAME, message, prefix)
    }

    /// Packs a dynamic message (named by its descriptor) with the default prefix.
    pub fn pack_dynamic(message: &DynamicMessage) -> Result<Any, AnyError> {
        Any::pack_named(message.full_name(), message, DEFAULT_TYPE_URL_PREFIX)
    }

    fn pack_named<M: Message>(name: &str, message: &M, prefix: &str) -> Result<Any, AnyError> {
        Ok(Any {
            type_url: url(prefix, name),
            value: message.serialize_to_vec()?,
            ..Default::default()
        })
    }

    /// The full name of the packed type (`google.protobuf.Duration`).
    pub fn type_name(&self) -> Result<&str, AnyError> {
        type_name_of(&self.type_url)
    }

    /// Whether it holds an `M` (C++ `Is<M>()`).
    pub fn is<M: Message>(&self) -> bool {
        self.type_name().is_ok_and(|n| n == M::NAME)
    }

    /// The packed `M` (C++ `UnpackTo`).
    pub fn unpack<M: Message>(&self) -> Result<M, AnyError> {
        let mut m = M::default();
        self.unpack_into(&mut m)?;
        Ok(m)
    }

    /// Merges the packed `M` into `message` (clear it first to reuse its memory: no
    /// allocation for a message of the same shape).
    pub fn unpack_into<M: Message>(&self, message: &mut M) -> Result<(), AnyError> {
        let found = self.type_name()?;
        if found != M::NAME {
            return Err(AnyError::TypeMismatch {
                expected: M::NAME.to_string(),
                found: found.to_string(),
            });
        }
        message.merge_from_slice(&self.value)?;
        Ok(())
    }

    /// The packed message as a dynamic message of `desc`'s type.
    pub fn unpack_dynamic(&self, desc: &MessageDescriptor) -> Result<DynamicMessage, AnyError> {
        let found = self.type_name()?;
        if found != desc.full_name() {
            return Err(AnyError::TypeMismatch {
                expected: desc.full_name().to_string(),
                found: found.to_string(),
            });
        }
        Ok(DynamicMessage::decode(desc.clone(), &self.value)?)
    }
}
