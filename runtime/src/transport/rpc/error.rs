//! [`RpcError`]: everything a call can end with other than success.

use super::{Code, Status};
use crate::transport::TransportError;
use crate::DecodeError;
use std::fmt;

/// Why a call failed, on the client. Every call ends with its reply or with one of these,
/// within its deadline.
///
/// ```
/// use zpb::transport::rpc::{Code, RpcError, Status};
/// let e = RpcError::Status(Status::new(Code::Unimplemented, "no method Foo"));
/// assert_eq!(e.code(), Some(Code::Unimplemented));
/// assert!(!e.is_deadline());
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RpcError {
    /// The socket failed (or the request could not be encoded).
    Transport(TransportError),
    /// The server answered with an error status (a handler's error, an unknown method, a
    /// request it could not decode...).
    Status(Status),
    /// No answer within the call's deadline, after `attempts` attempts.
    DeadlineExceeded {
        /// Attempts made (1 when the method is not retried).
        attempts: u32,
    },
    /// The reply does not decode as the method's output type.
    Decode(DecodeError),
    /// The reply broke the protocol (a reply kind that does not fit the call, a stream
    /// item out of sequence).
    Protocol(&'static str),
    /// The client's socket was closed and reopened to retry another, idempotent call
    /// (Lazy Pirate) while this call, which is not retried, was in flight: whether the server
    /// ran it is unknown.
    Reset,
    /// The method index is not one of the service's methods.
    NoSuchMethod(usize),
    /// The method has a kind this call form does not serve: a unary call on a streaming
    /// rpc or the reverse, or client-streaming and bidirectional rpcs, which protocol
    /// version 1 does not carry.
    Unsupported {
        /// The rpc's name.
        method: &'static str,
        /// Its kind: `"unary"`, `"server-streaming"`, `"client-streaming"` or
        /// `"bidirectional streaming"`.
        kind: &'static str,
    },
    /// The call id is not a call in flight on this client (finished already, or never
    /// started here).
    UnknownCall(u64),
}

impl RpcError {
    /// The server's status code, when the server answered with an error.
    pub fn code(&self) -> Option<Code> {
        match self {
            RpcError::Status(s) => Some(s.code),
            _ => None,
        }
    }

    /// Whether the call ran out of time (on the client, or as the server reported).
    ///
    /// ```
    /// use zpb::transport::rpc::RpcError;
    /// assert!(RpcError::DeadlineExceeded { attempts: 3 }.is_deadline());
    /// ```
    pub fn is_deadline(&self) -> bool {
        matches!(self, RpcError::DeadlineExceeded { .. })
            || self.code() == Some(Code::DeadlineExceeded)
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::Transport(e) => write!(f, "transport: {e}"),
            RpcError::Status(s) => write!(f, "server: {s}"),
            RpcError::DeadlineExceeded { attempts } => {
                write!(f, "deadline exceeded after {attempts} attempt(s)")
            }
            RpcError::Decode(e) => write!(f, "reply does not decode: {e}"),
            RpcError::Protocol(what) => write!(f, "protocol: {what}"),
            RpcError::Reset => f.write_str(
                "connection reset to retry another call; this call's outcome is unknown",
            ),
            RpcError::NoSuchMethod(i) => write!(f, "the service has no method {i}"),
            RpcError::Unsupported { method, kind } => {
                write!(
                    f,
                    "{method} is a {kind} rpc, which this call does not serve"
                )
            }
            RpcError::UnknownCall(id) => write!(f, "call {id} is not in flight"),
        }
    }
}

impl std::error::Error for RpcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RpcError::Transport(e) => Some(e),
            RpcError::Status(s) => Some(s),
            RpcError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl From<TransportError> for RpcError {
    fn from(e: TransportError) -> Self {
        RpcError::Transport(e)
    }
}

impl From<zmq::Error> for RpcError {
    fn from(e: zmq::Error) -> Self {
        RpcError::Transport(e.into())
    }
}

impl From<crate::EncodeError> for RpcError {
    fn from(e: crate::EncodeError) -> Self {
        RpcError::Transport(e.into())
    }
}
