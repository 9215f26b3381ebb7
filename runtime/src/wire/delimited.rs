//! Buffers of length-delimited messages (a varint length, then the body, repeated): the
//! "delimited" format of `write_delimited_to`, and of the ZeroMQ transport's frames.

use super::Decoder;
use crate::{DecodeError, DecodeErrorKind};
use std::ops::Range;

/// Finds the record that starts at `pos` in `buf`: returns its body's range. Nothing is
/// allocated, whatever the prefix says.
///
/// # Errors
///
/// A [`DecodeError`] (with offsets relative to `buf`) when the length prefix is malformed,
/// larger than `max_size`, or runs past the buffer.
///
/// ```
/// let buf = [2, 8, 1, 0];
/// assert_eq!(zpb::split_delimited(&buf, 0, 100).unwrap(), 1..3);
/// assert_eq!(zpb::split_delimited(&buf, 3, 100).unwrap(), 4..4);
/// ```
pub fn split_delimited(
    buf: &[u8],
    pos: usize,
    max_size: usize,
) -> Result<Range<usize>, DecodeError> {
    let rest = buf.get(pos..).unwrap_or_default();
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

/// Iterates over the record bodies of a buffer of length-delimited messages; after the first
/// malformed record it yields that error and stops.
///
/// ```
/// let buf = [2, 8, 1, 0, 5];
/// let records: Vec<_> = zpb::delimited_records(&buf, 100).collect();
/// assert_eq!(records[0].as_deref(), Ok(&[8u8, 1][..]));
/// assert_eq!(records[1].as_deref(), Ok(&[][..]));
/// assert!(records[2].is_err()); // claims 5 bytes, none follow
/// assert_eq!(records.len(), 3);
/// ```
pub fn delimited_records(buf: &[u8], max_size: usize) -> DelimitedRecords<'_> {
    DelimitedRecords {
        buf,
        pos: 0,
        max_size,
        failed: false,
    }
}

/// The iterator of [`delimited_records`].
#[derive(Debug, Clone)]
pub struct DelimitedRecords<'a> {
    buf: &'a [u8],
    pos: usize,
    max_size: usize,
    failed: bool,
}

impl<'a> Iterator for DelimitedRecords<'a> {
    type Item = Result<&'a [u8], DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        match split_delimited(self.buf, self.pos, self.max_size) {
            Ok(body) => {
                self.pos = body.end;
                Some(Ok(&self.buf[body]))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_and_hostile_prefixes_are_errors() {
        // Prefix says 5 bytes, 2 follow.
        let e = split_delimited(&[1, 0, 5, 8, 1], 2, 100).unwrap_err();
        assert_eq!(
            e.kind(),
            &DecodeErrorKind::LengthExceedsInput {
                declared: 5,
                available: 2
            }
        );
        assert_eq!(e.offset(), 3);
        // A varint that never ends, and one that claims 2^63 bytes.
        let e = split_delimited(&[0x80, 0x80], 0, 100).unwrap_err();
        assert_eq!(e.kind(), &DecodeErrorKind::Truncated);
        let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert!(matches!(
            split_delimited(&huge, 0, 100).unwrap_err().kind(),
            DecodeErrorKind::LengthExceedsInput { .. }
        ));
        // Over the size limit even though present.
        let e = split_delimited(&[3, 1, 2, 3], 0, 2).unwrap_err();
        assert!(matches!(
            e.kind(),
            DecodeErrorKind::SizeLimitExceeded { .. }
        ));
    }
}
