//! The protocol's headers and status codes: one place that writes and reads them (see
//! `PROTOCOL.md`).

use std::fmt;

/// Version byte of every header.
pub(crate) const VERSION: u8 = 1;
/// Bytes before the method path (requests) or the error message (replies).
pub(crate) const FIXED: usize = 16;
/// Most frames a message may have in all (envelope, delimiter, header, payload).
pub(crate) const MAX_FRAMES: usize = 16;

/// What a header frame carries (its second byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A call, client to server.
    Request = 1,
    /// The one reply to a unary call.
    Reply = 2,
    /// One item of a server stream.
    Item = 3,
    /// The end of a server stream, with its status.
    End = 4,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Request,
            2 => Kind::Reply,
            3 => Kind::Item,
            4 => Kind::End,
            _ => return None,
        })
    }
}

/// A status code, numbered as gRPC's (the protocol's status field).
///
/// ```
/// use zpb::transport::rpc::Code;
/// assert_eq!(Code::from_u16(12), Code::Unimplemented);
/// assert_eq!(Code::Unimplemented.as_u16(), 12);
/// assert_eq!(Code::from_u16(77), Code::Other(77));
/// assert_eq!(Code::NotFound.to_string(), "NOT_FOUND");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// 0: success.
    Ok,
    /// 1: the call was cancelled.
    Cancelled,
    /// 2: an error with no better code.
    Unknown,
    /// 3: the request is malformed or does not decode.
    InvalidArgument,
    /// 4: the call's deadline passed.
    DeadlineExceeded,
    /// 5: something requested was not found.
    NotFound,
    /// 6: something to be created exists already.
    AlreadyExists,
    /// 7: the caller may not do this.
    PermissionDenied,
    /// 8: a limit was reached (the request is too large, for one).
    ResourceExhausted,
    /// 9: the system is not in a state for this call.
    FailedPrecondition,
    /// 10: the call was aborted (a conflict).
    Aborted,
    /// 11: a value is out of its range.
    OutOfRange,
    /// 12: no such method, or an rpc kind the protocol does not carry.
    Unimplemented,
    /// 13: the server broke an invariant (could not encode its response).
    Internal,
    /// 14: the service is unavailable (shutting down).
    Unavailable,
    /// 15: data was lost.
    DataLoss,
    /// 16: the caller is not authenticated.
    Unauthenticated,
    /// Any other value: an application's own code.
    Other(u16),
}

/// The named codes, in numeric order: one table for both directions.
const NAMED: [(Code, &str); 17] = [
    (Code::Ok, "OK"),
    (Code::Cancelled, "CANCELLED"),
    (Code::Unknown, "UNKNOWN"),
    (Code::InvalidArgument, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (Code::NotFound, "NOT_FOUND"),
    (Code::AlreadyExists, "ALREADY_EXISTS"),
    (Code::PermissionDenied, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, "FAILED_PRECONDITION"),
    (Code::Aborted, "ABORTED"),
    (Code::OutOfRange, "OUT_OF_RANGE"),
    (Code::Unimplemented, "UNIMPLEMENTED"),
    (Code::Internal, "INTERNAL"),
    (Code::Unavailable, "UNAVAILABLE"),
    (Code::DataLoss, "DATA_LOSS"),
    (Code::Unauthenticated, "UNAUTHENTICATED"),
];

impl Code {
    /// The code a status field carries.
    pub fn from_u16(n: u16) -> Code {
        NAMED
            .get(usize::from(n))
            .map_or(Code::Other(n), |&(code, _)| code)
    }

    /// The number sent in a status field.
    pub fn as_u16(self) -> u16 {
        match self {
            Code::Other(n) => n,
            named => NAMED.iter().position(|&(c, _)| c == named).unwrap_or(2) as u16,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Other(n) => write!(f, "code {n}"),
            named => f.write_str(NAMED.iter().find(|(c, _)| c == named).map_or("?", |n| n.1)),
        }
    }
}

/// A call's outcome as a server reports it: a [`Code`] and a message. Handlers return it
/// as their error; a client receives it as [`RpcError::Status`](super::RpcError::Status).
///
/// ```
/// use zpb::transport::rpc::{Code, Status};
/// let s = Status::new(Code::NotFound, "no user 7");
/// assert_eq!(s.to_string(), "NOT_FOUND: no user 7");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// What kind of failure.
    pub code: Code,
    /// A human-readable explanation.
    pub message: String,
}

impl Status {
    /// A status with `code` and `message`.
    pub fn new(code: Code, message: impl Into<String>) -> Status {
        Status {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Status {}

/// A request header's fields (the method path is in the frame, after them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RequestHeader {
    pub id: u64,
    pub timeout_ms: u32,
}

/// A reply header's fields (the error message is in the frame, after them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReplyHeader {
    pub kind: Kind,
    pub status: u16,
    pub id: u64,
    pub seq: u32,
}

/// Why a header frame was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HeaderError {
    /// Shorter than the fixed part.
    Short(usize),
    /// Another protocol version.
    Version(u8),
    /// A kind that does not belong here.
    Kind(u8),
    /// The path length field disagrees with the frame's length.
    PathLength,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Short(n) => write!(f, "header of {n} bytes (at least {FIXED} needed)"),
            HeaderError::Version(v) => {
                write!(f, "protocol version {v} (this side speaks {VERSION})")
            }
            HeaderError::Kind(k) => write!(f, "header kind {k} does not belong here"),
            HeaderError::PathLength => {
                f.write_str("method path length disagrees with the header frame")
            }
        }
    }
}

fn fixed(frame: &[u8]) -> Result<(u8, u16, u64, u32), HeaderError> {
    let b: &[u8; FIXED] = frame
        .get(..FIXED)
        .and_then(|b| b.try_into().ok())
        .ok_or(HeaderError::Short(frame.len()))?;
    if b[0] != VERSION {
        return Err(HeaderError::Version(b[0]));
    }
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let id = u64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]]);
    let last = u32::from_le_bytes([b[12], b[13], b[14], b[15]]);
    Ok((b[1], u16_at(2), id, last))
}

fn put_fixed(out: &mut Vec<u8>, kind: Kind, short: u16, id: u64, last: u32) {
    out.clear();
    out.push(VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&short.to_le_bytes());
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&last.to_le_bytes());
}

/// Writes a request header for `service/method` into `out` (cleared first). Paths longer
/// than 65535 bytes are refused.
pub(crate) fn write_request(
    out: &mut Vec<u8>,
    service: &str,
    method: &str,
    header: RequestHeader,
) -> Option<()> {
    let len = u16::try_from(service.len() + 1 + method.len()).ok()?;
    put_fixed(out, Kind::Request, len, header.id, header.timeout_ms);
    out.extend_from_slice(service.as_bytes());
    out.push(b'/');
    out.extend_from_slice(method.as_bytes());
    Some(())
}

/// Reads a request header: its fields and the method path's bytes. The id is returned with
/// the error when it could be read, so that the error reply can carry it.
pub(crate) fn read_request(frame: &[u8]) -> Result<(RequestHeader, &[u8]), (HeaderError, u64)> {
    let (kind, len, id, timeout_ms) = fixed(frame).map_err(|e| (e, 0))?;
    if kind != Kind::Request as u8 {
        return Err((HeaderError::Kind(kind), id));
    }
    let path = &frame[FIXED..];
    if path.len() != usize::from(len) {
        return Err((HeaderError::PathLength, id));
    }
    Ok((RequestHeader { id, timeout_ms }, path))
}

/// Writes a reply header with an error message into `out` (cleared first); the message is
/// cut at a character boundary to keep the frame under 64 KiB.
pub(crate) fn write_reply(out: &mut Vec<u8>, header: ReplyHeader, message: &str) {
    put_fixed(out, header.kind, header.status, header.id, header.seq);
    let mut end = message.len().min(u16::MAX as usize);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&message.as_bytes()[..end]);
}

/// Reads a reply header: its fields and the error message's bytes.
pub(crate) fn read_reply(frame: &[u8]) -> Result<(ReplyHeader, &[u8]), HeaderError> {
    let (kind, status, id, seq) = fixed(frame)?;
    match Kind::from_byte(kind) {
        Some(kind @ (Kind::Reply | Kind::Item | Kind::End)) => Ok((
            ReplyHeader {
                kind,
                status,
                id,
                seq,
            },
            &frame[FIXED..],
        )),
        _ => Err(HeaderError::Kind(kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_headers_round_trip_and_are_checked() {
        let mut out = Vec::new();
        let h = RequestHeader {
            id: 0x0102_0304_0506_0708,
            timeout_ms: 250,
        };
        write_request(&mut out, "a.B", "C", h).unwrap();
        assert_eq!(
            out,
            b"\x01\x01\x05\x00\x08\x07\x06\x05\x04\x03\x02\x01\xfa\x00\x00\x00a.B/C"
        );
        assert_eq!(read_request(&out), Ok((h, &b"a.B/C"[..])));
        assert_eq!(read_request(&out[..15]), Err((HeaderError::Short(15), 0)));
        assert_eq!(
            read_request(&out[..20]),
            Err((HeaderError::PathLength, h.id))
        );
        let mut bad = out.clone();
        bad[0] = 2;
        assert_eq!(read_request(&bad), Err((HeaderError::Version(2), 0)));
        bad[0] = 1;
        bad[1] = 3;
        assert_eq!(read_request(&bad), Err((HeaderError::Kind(3), h.id)));
        assert!(write_request(&mut out, &"x".repeat(70_000), "M", h).is_none());
    }

    #[test]
    fn reply_headers_round_trip_and_long_messages_are_cut() {
        let mut out = Vec::new();
        let h = ReplyHeader {
            kind: Kind::End,
            status: 12,
            id: 9,
            seq: 3,
        };
        write_reply(&mut out, h, "no such method");
        assert_eq!(read_reply(&out), Ok((h, &b"no such method"[..])));
        write_reply(&mut out, h, &"é".repeat(40_000));
        assert_eq!(out.len(), FIXED + 65_534);
        assert!(std::str::from_utf8(&out[FIXED..]).is_ok());
        out[1] = 1;
        assert_eq!(read_reply(&out), Err(HeaderError::Kind(1)));
    }

    #[test]
    fn every_named_code_maps_both_ways() {
        for (n, (code, name)) in NAMED.iter().enumerate() {
            assert_eq!(Code::from_u16(n as u16), *code);
            assert_eq!(code.as_u16(), n as u16);
            assert_eq!(code.to_string(), *name);
        }
        assert_eq!(Code::Other(300).as_u16(), 300);
    }
}
