//! [`TransportError`] and the [`FrameInfo`] that locates a bad record.

use crate::{DecodeError, EncodeError};
use std::fmt;

/// Where a received record sat: which frame, how long it was, and which record of it.
///
/// Attached to every error about peer input, so a log line says exactly what arrived.
///
/// ```
/// use zpb::transport::FrameInfo;
/// let info = FrameInfo { frame: 3, len: 120, record: 1, offset: 40 };
/// assert_eq!(info.to_string(), "frame 3 (120 bytes), record 1 at byte 40");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FrameInfo {
    /// Sequence number of the frame on this socket, counting every message received from 1.
    pub frame: u64,
    /// Length of the frame in bytes.
    pub len: usize,
    /// Index of the record within the frame (always 0 with [`Framing::Raw`](super::Framing)).
    pub record: usize,
    /// Byte offset of the record (its length prefix, when delimited) within the frame.
    /// Offsets inside a [`DecodeError`] are relative to the record's body.
    pub offset: usize,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "frame {} ({} bytes), record {} at byte {}",
            self.frame, self.len, self.record, self.offset
        )
    }
}

/// Everything a typed socket can report. Errors about peer input (`Decode`, `EmptyFrame`,
/// `ExtraRecords`, `UnexpectedFrames`) concern one received message only: the socket stays
/// usable and its pattern in step (a [`Rep`](super::Rep) still owes, and can send, a reply).
///
/// ```
/// use zpb::transport::TransportError;
/// let e = TransportError::from(zpb::transport::zmq::Error::EAGAIN);
/// assert!(e.is_timeout());
/// assert!(!e.is_peer_input());
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// libzmq refused an operation (bad endpoint, wrong state, context terminated...).
    Zmq(zmq::Error),
    /// The send or receive timeout expired (libzmq's `EAGAIN`).
    Timeout,
    /// A signal arrived while a send or receive was waiting (libzmq's `EINTR`): nothing was
    /// sent or received and the socket is in step; call again, or stop if the signal asked
    /// for it (this is how a Ctrl-C handler reaches a loop blocked in `recv`).
    Interrupted,
    /// The message could not be encoded (missing required fields, over 2 GiB).
    Encode(EncodeError),
    /// A received record is not a valid message of the expected type.
    Decode {
        /// What the decoder found.
        error: DecodeError,
        /// Where the record was.
        frame: FrameInfo,
    },
    /// A delimited frame held no record at all (often a raw-framed peer sending an empty
    /// message).
    EmptyFrame(FrameInfo),
    /// A request or reply frame, which carries exactly one message, held more records after
    /// the first (described by the `FrameInfo`).
    ExtraRecords(FrameInfo),
    /// A message with the wrong number of frames (ZeroMQ multipart parts): the whole message
    /// was taken off the socket and dropped.
    UnexpectedFrames {
        /// Frames the pattern expects (1, or 2 for `[topic, payload]`).
        expected: usize,
        /// Frames that arrived.
        received: usize,
        /// Sequence number of the message on this socket.
        frame: u64,
    },
}

impl TransportError {
    /// Whether this is a timeout: nothing was sent or received, try again later.
    pub fn is_timeout(&self) -> bool {
        matches!(self, TransportError::Timeout)
    }

    /// Whether a signal interrupted a waiting send or receive: nothing happened, the call
    /// can be repeated.
    ///
    /// ```
    /// use zpb::transport::TransportError;
    /// assert!(TransportError::from(zpb::transport::zmq::Error::EINTR).is_interrupted());
    /// ```
    pub fn is_interrupted(&self) -> bool {
        matches!(self, TransportError::Interrupted)
    }

    /// Whether nothing happened and the call can simply be repeated: a
    /// [timeout](Self::is_timeout) or an [interrupting signal](Self::is_interrupted).
    ///
    /// ```
    /// use zpb::transport::{zmq, TransportError};
    /// assert!(TransportError::from(zmq::Error::EAGAIN).is_transient());
    /// assert!(TransportError::from(zmq::Error::EINTR).is_transient());
    /// assert!(!TransportError::from(zmq::Error::ETERM).is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        self.is_timeout() || self.is_interrupted()
    }

    /// Whether the error is about what a peer sent (the socket itself is fine).
    ///
    /// ```
    /// use zpb::transport::{FrameInfo, TransportError};
    /// assert!(TransportError::EmptyFrame(FrameInfo::default()).is_peer_input());
    /// ```
    pub fn is_peer_input(&self) -> bool {
        matches!(
            self,
            TransportError::Decode { .. }
                | TransportError::EmptyFrame(_)
                | TransportError::ExtraRecords(_)
                | TransportError::UnexpectedFrames { .. }
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Zmq(e) => write!(f, "zeromq: {e}"),
            TransportError::Timeout => f.write_str("timed out"),
            TransportError::Interrupted => f.write_str("interrupted by a signal"),
            TransportError::Encode(e) => write!(f, "encode: {e}"),
            TransportError::Decode { error, frame } => write!(f, "{frame}: {error}"),
            TransportError::EmptyFrame(frame) => write!(f, "{frame}: delimited frame is empty"),
            TransportError::ExtraRecords(frame) => {
                write!(f, "{frame}: more than one record in a request/reply frame")
            }
            TransportError::UnexpectedFrames {
                expected,
                received,
                frame,
            } => write!(
                f,
                "message {frame}: {received} frames where {expected} were expected"
            ),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransportError::Zmq(e) => Some(e),
            TransportError::Encode(e) => Some(e),
            TransportError::Decode { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<zmq::Error> for TransportError {
    /// `EAGAIN` (what a send or receive timeout returns) becomes [`TransportError::Timeout`],
    /// `EINTR` [`TransportError::Interrupted`].
    fn from(e: zmq::Error) -> Self {
        match e {
            zmq::Error::EAGAIN => TransportError::Timeout,
            zmq::Error::EINTR => TransportError::Interrupted,
            e => TransportError::Zmq(e),
        }
    }
}

impl From<EncodeError> for TransportError {
    fn from(e: EncodeError) -> Self {
        TransportError::Encode(e)
    }
}
