//! Typed errors for decoding and encoding. Every malformed input ends in a [`DecodeError`]
//! that says what went wrong, at which byte offset, and along which field path.

use std::borrow::Cow;
use std::fmt;

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value (a varint, a fixed-width value or a length-delimited body).
    Truncated,
    /// A varint ran past 10 bytes.
    VarintTooLong,
    /// A tag ran past 5 bytes (a 32-bit tag never needs more; C++ and upb reject it too,
    /// even when the extra bytes only pad a small value).
    TagTooLong,
    /// A length prefix is larger than the bytes that follow it.
    LengthExceedsInput {
        /// The declared length.
        declared: u64,
        /// The bytes actually left in the enclosing message.
        available: usize,
    },
    /// The low three bits of a tag were 6 or 7.
    InvalidWireType(u8),
    /// A field number of 0 or above 2^29-1 (or a tag above 32 bits).
    InvalidFieldNumber(u64),
    /// A packed fixed-width field whose length is not a multiple of the element size.
    InvalidPackedLength {
        /// Bytes in the packed field.
        len: usize,
        /// Size of one element.
        element_size: usize,
    },
    /// A string field that is not valid UTF-8.
    InvalidUtf8,
    /// Nesting (messages, groups, map values) deeper than the recursion limit.
    RecursionLimitExceeded(u32),
    /// An END_GROUP tag that closes no open group, or closes a different one.
    UnexpectedEndGroup(u32),
    /// The input ended inside a group whose END_GROUP tag never came.
    UnterminatedGroup(u32),
    /// The input is larger than the configured size limit.
    SizeLimitExceeded {
        /// Input size.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// `required` fields are missing after a (non-partial) parse; their paths.
    MissingRequiredFields(Vec<String>),
    /// Reading from an `std::io::Read` failed.
    Io(std::io::ErrorKind, String),
}

/// One step of the path from the top-level message to the field where decoding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSegment {
    /// Full name of the message that holds the field: borrowed for generated types (their
    /// `NAME`), owned for a [`DynamicMessage`](crate::reflect::DynamicMessage)'s run-time type
    /// (made on the error path only).
    pub message: Cow<'static, str>,
    /// Field number.
    pub field_number: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: DecodeErrorKind,
    offset: usize,
    path: Vec<PathSegment>,
}

/// A decoding failure: its [`kind`](DecodeError::kind), the byte [`offset`](DecodeError::offset)
/// where it was detected, and the field [`path`](DecodeError::path) leading there.
///
/// ```
/// use zpb::{DecodeErrorKind, Message};
/// let err = zpb::well_known::Duration::parse_from_slice(&[0x08, 0xff]).unwrap_err();
/// assert_eq!(err.kind(), &DecodeErrorKind::Truncated);
/// assert_eq!(err.offset(), 1);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

impl DecodeError {
    /// An error of `kind` detected at byte `offset` of the input.
    #[cold]
    pub fn new(kind: DecodeErrorKind, offset: usize) -> DecodeError {
        DecodeError(Box::new(Inner {
            kind,
            offset,
            path: Vec::new(),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Byte offset in the input where the problem was detected.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// Field path from the outermost message to the failing field.
    pub fn path(&self) -> &[PathSegment] {
        &self.0.path
    }

    /// Adds the enclosing field to the path (called while the error travels outwards).
    #[cold]
    #[doc(hidden)]
    pub fn in_field(self, message: &'static str, field_number: u32) -> DecodeError {
        self.in_message_field(Cow::Borrowed(message), field_number)
    }

    /// [`in_field`](Self::in_field) for a message whose name is known only at run time.
    #[cold]
    pub(crate) fn in_message_field(
        mut self,
        message: Cow<'static, str>,
        field_number: u32,
    ) -> DecodeError {
        self.0.path.insert(
            0,
            PathSegment {
                message,
                field_number,
            },
        );
        self
    }
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Truncated => f.write_str("input ends inside a value"),
            DecodeErrorKind::VarintTooLong => f.write_str("varint longer than 10 bytes"),
            DecodeErrorKind::TagTooLong => f.write_str("tag longer than 5 bytes"),
            DecodeErrorKind::LengthExceedsInput {
                declared,
                available,
            } => write!(
                f,
                "length prefix {declared} exceeds the {available} bytes available"
            ),
            DecodeErrorKind::InvalidWireType(w) => write!(f, "invalid wire type {w}"),
            DecodeErrorKind::InvalidFieldNumber(n) => write!(f, "invalid field number {n}"),
            DecodeErrorKind::InvalidPackedLength { len, element_size } => write!(
                f,
                "packed field of {len} bytes is not a multiple of {element_size}"
            ),
            DecodeErrorKind::InvalidUtf8 => f.write_str("string field is not valid UTF-8"),
            DecodeErrorKind::RecursionLimitExceeded(limit) => {
                write!(f, "nesting deeper than the recursion limit of {limit}")
            }
            DecodeErrorKind::UnexpectedEndGroup(n) => {
                write!(f, "END_GROUP tag for field {n} closes no open group")
            }
            DecodeErrorKind::UnterminatedGroup(n) => {
                write!(f, "input ends inside group field {n}")
            }
            DecodeErrorKind::SizeLimitExceeded { size, limit } => {
                write!(f, "input of {size} bytes exceeds the size limit of {limit}")
            }
            DecodeErrorKind::MissingRequiredFields(paths) => {
                write!(f, "missing required fields: {}", paths.join(", "))
            }
            DecodeErrorKind::Io(kind, msg) => write!(f, "read failed ({kind:?}): {msg}"),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.0.kind, self.0.offset)?;
        if !self.0.path.is_empty() {
            f.write_str(" in ")?;
            for (i, seg) in self.0.path.iter().enumerate() {
                if i > 0 {
                    f.write_str(" > ")?;
                }
                write!(f, "{}#{}", seg.message, seg.field_number)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecodeError({self})")
    }
}

impl std::error::Error for DecodeError {}

impl From<std::io::Error> for DecodeError {
    fn from(e: std::io::Error) -> Self {
        let kind = if e.kind() == std::io::ErrorKind::UnexpectedEof {
            DecodeErrorKind::Truncated
        } else {
            DecodeErrorKind::Io(e.kind(), e.to_string())
        };
        DecodeError::new(kind, 0)
    }
}

/// An encoding failure.
///
/// ```
/// use zpb::{EncodeError, Message};
/// let d = zpb::well_known::Duration { seconds: 1, ..Default::default() };
/// let mut small = [0u8; 1];
/// assert!(matches!(d.serialize_into_slice(&mut small), Err(EncodeError::BufferTooSmall { .. })));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output slice is smaller than the encoded message.
    BufferTooSmall {
        /// Bytes the message needs.
        required: usize,
        /// Bytes the slice has.
        available: usize,
    },
    /// `required` fields are not set (use a `*_partial` call to skip the check).
    MissingRequiredFields(Vec<String>),
    /// The message is larger than 2 GiB, which protobuf cannot represent.
    TooLarge(usize),
    /// Writing to an `std::io::Write` failed.
    Io(std::io::Error),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::BufferTooSmall {
                required,
                available,
            } => write!(
                f,
                "buffer of {available} bytes is too small for {required} bytes"
            ),
            EncodeError::MissingRequiredFields(p) => {
                write!(f, "missing required fields: {}", p.join(", "))
            }
            EncodeError::TooLarge(n) => write!(f, "message of {n} bytes exceeds 2 GiB"),
            EncodeError::Io(e) => write!(f, "write failed: {e}"),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for EncodeError {
    fn from(e: std::io::Error) -> Self {
        EncodeError::Io(e)
    }
}
