//! Base64 as ProtoJSON uses it for `bytes`: standard alphabet with padding on output; on
//! input the standard or the URL-safe alphabet, with or without padding. Both directions
//! append to a caller buffer, so a reused buffer makes them allocation-free.

use std::fmt;

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a byte that is no base64 digit in [`DECODE`].
const INVALID: u8 = 0xFF;

/// Digit value of every byte; both `+`/`-` map to 62 and `/`/`_` to 63.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[STANDARD[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

/// Why a base64 text was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// A byte that is neither a digit of either alphabet nor correct padding, at this offset.
    InvalidByte {
        /// Offset of the byte in the input.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// The digits leave one lone character in the last group (a length of 4n+1).
    InvalidLength,
    /// Padding `=` that does not complete the last group to four characters.
    InvalidPadding,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::InvalidByte { offset, byte } => {
                write!(f, "invalid base64 byte 0x{byte:02x} at offset {offset}")
            }
            Base64Error::InvalidLength => f.write_str("invalid base64 length"),
            Base64Error::InvalidPadding => f.write_str("invalid base64 padding"),
        }
    }
}

impl std::error::Error for Base64Error {}

/// The length of the standard, padded encoding of `len` bytes.
pub fn encoded_len(len: usize) -> usize {
    len.div_ceil(3) * 4
}

/// Appends the standard, padded base64 encoding of `input` to `out`.
pub fn encode(input: &[u8], out: &mut String) {
    out.reserve(encoded_len(input.len()));
    let digit = |v: u32| STANDARD[(v & 63) as usize] as char;
    let mut chunks = input.chunks_exact(3);
    for c in &mut chunks {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend([digit(n >> 18), digit(n >> 12), digit(n >> 6), digit(n)]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend([digit(n >> 18), digit(n >> 12), '=', '=']);
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([digit(n >> 18), digit(n >> 12), digit(n >> 6), '=']);
        }
        _ => {}
    }
}

/// Decodes `input` (standard or URL-safe digits, padded or not) and appends the bytes to
/// `out`. On error `out` holds what was appended before the error.
pub fn decode(input: &[u8], out: &mut Vec<u8>) -> Result<(), Base64Error> {
    let digits_end = input.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    let padding = input.len() - digits_end;
    let digits = &input[..digits_end];
    match (digits.len() % 4, padding) {
        (1, _) => return Err(Base64Error::InvalidLength),
        (_, 0) => {}
        (2, 2) | (3, 1) => {}
        _ => return Err(Base64Error::InvalidPadding),
    }
    out.reserve(digits.len() / 4 * 3 + 2);
    let value = |offset: usize| -> Result<u32, Base64Error> {
        let byte = digits[offset];
        match DECODE[byte as usize] {
            INVALID => Err(Base64Error::InvalidByte { offset, byte }),
            v => Ok(u32::from(v)),
        }
    };
    let full = digits.len() / 4 * 4;
    let mut i = 0;
    while i < full {
        let n = value(i)? << 18 | value(i + 1)? << 12 | value(i + 2)? << 6 | value(i + 3)?;
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        i += 4;
    }
    match digits.len() - full {
        2 => {
            let n = value(i)? << 18 | value(i + 1)? << 12;
            out.push((n >> 16) as u8);
        }
        3 => {
            let n = value(i)? << 18 | value(i + 1)? << 12 | value(i + 2)? << 6;
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {}
    }
    Ok(())
}
