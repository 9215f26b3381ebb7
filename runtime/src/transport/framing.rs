//! [`Framing`]: how protobuf messages sit inside ZeroMQ frames, and the record splitter.

use crate::wire::Decoder;
use crate::{DecodeError, DecodeErrorKind};
use std::ops::Range;

/// How messages are laid out in a ZeroMQ frame, chosen per socket. Both ends must agree.
///
/// ```
/// use zpb::transport::Framing;
/// assert_eq!(Framing::default(), Framing::Delimited);
/// assert_eq!("raw".parse::<Framing>(), Ok(Framing::Raw));
/// assert_eq!(Framing::Raw.to_string(), "raw");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Framing {
    /// A frame holds one or more records, each a varint length prefix and the protobuf bytes
    /// of one message (the standard "delimited" format), so senders can batch small messages
    /// into one frame. Request and reply frames hold exactly one record.
    #[default]
    Delimited,
    /// One message per frame with no prefix: what `socket.send(msg.SerializeToString())`
    /// sends from Python or C++. Needed to talk to existing applications; no batching.
    Raw,
}

impl std::fmt::Display for Framing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Framing::Delimited => "delimited",
            Framing::Raw => "raw",
        })
    }
}

impl std::str::FromStr for Framing {
    type Err = String;

    /// Parses `raw` or `delimited` (as the examples' `--framing` option takes them).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "delimited" => Ok(Framing::Delimited),
            "raw" => Ok(Framing::Raw),
            other => Err(format!(
                "unknown framing {other:?} (expected raw or delimited)"
            )),
        }
    }
}

/// Finds the record that starts at `pos` in a delimited frame: returns its body's range.
/// Errors (with offsets relative to the frame) when the length prefix is malformed, larger
/// than `max_size`, or runs past the frame. Nothing is allocated, whatever the prefix says.
pub(crate) fn split_record(
    frame: &[u8],
    pos: usize,
    max_size: usize,
) -> Result<Range<usize>, DecodeError> {
    let rest = frame.get(pos..).unwrap_or_default();
    let mut d = Decoder::new(rest);
    let len = d
        .read_len()
        .map_err(|e| DecodeError::new(e.kind().clone(), pos + e.offset()))?;
    if len > max_size {
        return Err(DecodeError::new(
            DecodeErrorKind::SizeLimitExceeded {
                size: len,
                limit: max_size,
            },
            pos,
        ));
    }
    let start = pos + d.offset();
    Ok(start..start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_consecutive_records() {
        let frame = [2, 8, 1, 0, 1, 9];
        assert_eq!(split_record(&frame, 0, 100).unwrap(), 1..3);
        assert_eq!(split_record(&frame, 3, 100).unwrap(), 4..4);
        assert_eq!(split_record(&frame, 4, 100).unwrap(), 5..6);
    }

    #[test]
    fn truncated_and_hostile_prefixes_are_errors() {
        // Prefix says 5 bytes, 2 follow.
        let e = split_record(&[1, 0, 5, 8, 1], 2, 100).unwrap_err();
        assert_eq!(
            e.kind(),
            &DecodeErrorKind::LengthExceedsInput {
                declared: 5,
                available: 2
            }
        );
        assert_eq!(e.offset(), 3);
        // A varint that never ends, and one that claims 2^63 bytes.
        let e = split_record(&[0x80, 0x80], 0, 100).unwrap_err();
        assert_eq!(e.kind(), &DecodeErrorKind::Truncated);
        let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert!(matches!(
            split_record(&huge, 0, 100).unwrap_err().kind(),
            DecodeErrorKind::LengthExceedsInput { .. }
        ));
        // Over the size limit even though present.
        let e = split_record(&[3, 1, 2, 3], 0, 2).unwrap_err();
        assert!(matches!(
            e.kind(),
            DecodeErrorKind::SizeLimitExceeded { .. }
        ));
    }
}
