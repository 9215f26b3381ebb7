//! The tokenizer: protoc's token classes (identifiers, integers, floats, strings, symbols)
//! with zero-based positions, comments skipped.

use std::borrow::Cow;

use super::error::{FrontendError, Pos};

/// What a token is; identifiers and strings without escapes borrow the text.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind<'a> {
    /// `[A-Za-z_][A-Za-z0-9_]*`, keywords included (the parser decides by context).
    Ident(&'a str),
    /// A decimal, hex (`0x`) or octal (leading `0`) integer; `None` when above `u64::MAX`.
    Int(Option<u64>),
    /// A floating-point literal (digits with `.` or an exponent).
    Float(f64),
    /// A quoted string, escapes decoded (not yet required to be UTF-8): the text itself
    /// when it has no escapes.
    Str(Cow<'a, [u8]>),
    /// Any other single printable character: `{`, `=`, `;`, `.`, `-`, ...
    Symbol(char),
}

/// A token and where it starts and ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Token<'a> {
    /// The token.
    pub kind: TokenKind<'a>,
    /// Position of its first character.
    pub start: Pos,
    /// Position just after its last character.
    pub end: Pos,
    /// Byte offset of its first character.
    pub offset: usize,
    /// Byte offset just after its last character.
    pub end_offset: usize,
}

/// Splits `text` (the contents of `file`) into tokens; also returns where the text ends.
pub fn tokenize<'a>(file: &'a str, text: &'a [u8]) -> Result<(Vec<Token<'a>>, Pos), FrontendError> {
    // A UTF-8 byte order mark at the start is skipped, as protoc skips it.
    let bom = if text.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut lexer = Lexer {
        file,
        text,
        // Checked once: identifiers are then slices of it, not each checked again.
        utf8: std::str::from_utf8(text).ok(),
        at: bom,
        pos: Pos::default(),
    };
    // About one token per 8 bytes of typical `.proto` text: few regrowths of the vector.
    let mut tokens = Vec::with_capacity(text.len() / 8);
    while let Some(token) = lexer.next()? {
        tokens.push(token);
    }
    Ok((tokens, lexer.pos))
}

struct Lexer<'a> {
    file: &'a str,
    text: &'a [u8],
    /// The text, when it is all UTF-8 (as a `.proto` file usually is).
    utf8: Option<&'a str>,
    at: usize,
    pos: Pos,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.text.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.at += 1;
        match c {
            b'\n' => {
                self.pos.line += 1;
                self.pos.column = 0;
            }
            b'\t' => self.pos.column += 8 - self.pos.column % 8,
            _ => self.pos.column += 1,
        }
        Some(c)
    }

    /// Moves past `n` bytes known to be neither newlines nor tabs: `n` columns. (A line over
    /// `u32::MAX` columns, in a text over 4 GiB, saturates.)
    fn advance_columns(&mut self, n: usize) {
        self.at += n;
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.pos.column = self.pos.column.saturating_add(n);
    }

    fn error(&self, pos: Pos, message: &str) -> FrontendError {
        FrontendError::at(self.file, pos, message)
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), FrontendError> {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(b' '), _) => {
                    let spaces = self.text[self.at..]
                        .iter()
                        .take_while(|&&c| c == b' ')
                        .count();
                    self.advance_columns(spaces);
                }
                (Some(b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c'), _) => {
                    self.bump();
                }
                (Some(b'/'), Some(b'/')) => {
                    match self.text[self.at..].iter().position(|&c| c == b'\n') {
                        // Up to the newline, whose `bump` resets the column the skipped
                        // bytes would have moved.
                        Some(n) => self.at += n,
                        None => while self.bump().is_some() {},
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.bump();
                    self.bump();
                    loop {
                        match (self.peek(), self.peek_at(1)) {
                            (None, _) => {
                                return Err(
                                    self.error(self.pos, "End-of-file inside block comment.")
                                )
                            }
                            (Some(b'*'), Some(b'/')) => {
                                self.bump();
                                self.bump();
                                break;
                            }
                            _ => {
                                self.bump();
                            }
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn next(&mut self) -> Result<Option<Token<'a>>, FrontendError> {
        self.skip_trivia()?;
        let start = self.pos;
        let offset = self.at;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let kind = if c.is_ascii_alphabetic() || c == b'_' {
            let text = self.text;
            let from = self.at;
            let len = text[from..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                .unwrap_or(text.len() - from);
            self.advance_columns(len);
            // ASCII letters, digits and `_` only: always UTF-8, on character boundaries.
            let ident = match self.utf8 {
                Some(all) => all.get(from..self.at),
                None => std::str::from_utf8(&text[from..self.at]).ok(),
            };
            TokenKind::Ident(ident.unwrap_or_default())
        } else if c.is_ascii_digit()
            || (c == b'.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit()))
        {
            self.number(start)?
        } else if c == b'"' || c == b'\'' {
            self.string(start)?
        } else if c.is_ascii_graphic() {
            self.bump();
            TokenKind::Symbol(c as char)
        } else {
            return Err(self.error(start, "Invalid control characters encountered in text."));
        };
        Ok(Some(Token {
            kind,
            start,
            end: self.pos,
            offset,
            end_offset: self.at,
        }))
    }

    fn number(&mut self, start: Pos) -> Result<TokenKind<'a>, FrontendError> {
        let from = self.at;
        let first = self.peek();
        let kind = if first == Some(b'0') && matches!(self.peek_at(1), Some(b'x' | b'X')) {
            self.bump();
            self.bump();
            let digits = self.at;
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.bump();
            }
            if digits == self.at {
                return Err(self.error(start, "\"0x\" must be followed by hex digits."));
            }
            let text = std::str::from_utf8(&self.text[digits..self.at]).unwrap_or("");
            TokenKind::Int(u64::from_str_radix(text, 16).ok())
        } else {
            let mut is_float = first == Some(b'.');
            self.bump();
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
            if !is_float && self.peek() == Some(b'.') {
                is_float = true;
                self.bump();
            }
            if is_float {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                is_float = true;
                self.bump();
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.bump();
                }
                let digits = self.at;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
                if digits == self.at {
                    return Err(self.error(start, "\"e\" must be followed by exponent."));
                }
            }
            let text = std::str::from_utf8(&self.text[from..self.at]).unwrap_or("0");
            if is_float {
                TokenKind::Float(text.parse().unwrap_or(f64::INFINITY))
            } else if text.len() > 1 && text.starts_with('0') {
                if text.bytes().any(|c| c > b'7') {
                    return Err(self.error(
                        start,
                        "Numbers starting with leading zero must be in octal.",
                    ));
                }
                TokenKind::Int(u64::from_str_radix(&text[1..], 8).ok())
            } else {
                TokenKind::Int(text.parse().ok())
            }
        };
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        {
            return Err(self.error(start, "Need space between number and identifier."));
        }
        Ok(kind)
    }

    fn string(&mut self, start: Pos) -> Result<TokenKind<'a>, FrontendError> {
        let quote = self.bump();
        let text = self.text;
        let from = self.at;
        // The decoded bytes, once an escape is seen; until then the string is the text.
        let mut decoded: Option<Vec<u8>> = None;
        loop {
            let newline = self.pos;
            let before = self.at;
            let Some(c) = self.bump() else {
                return Err(self.error(start, "Unexpected end of string."));
            };
            match c {
                b'\n' => {
                    return Err(self.error(
                        newline,
                        "Multiline strings are not allowed. Did you miss a \"?.",
                    ))
                }
                b'\\' => {
                    let out = decoded.get_or_insert_with(|| text[from..before].to_vec());
                    self.escape(out)?;
                }
                c if Some(c) == quote => {
                    return Ok(TokenKind::Str(match decoded {
                        Some(bytes) => Cow::Owned(bytes),
                        None => Cow::Borrowed(&text[from..before]),
                    }))
                }
                c => {
                    if let Some(out) = &mut decoded {
                        out.push(c);
                    }
                }
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), FrontendError> {
        let pos = self.pos;
        let invalid = |l: &Self| l.error(pos, "Invalid escape sequence in string literal.");
        let Some(c) = self.bump() else {
            return Err(invalid(self));
        };
        match c {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' | b'\'' | b'"' | b'?' => out.push(c),
            b'0'..=b'7' => {
                let mut value = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            self.bump();
                            value = value * 8 + u32::from(d - b'0');
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            b'x' | b'X' => {
                let mut value = 0u32;
                let mut n = 0;
                while n < 2 {
                    match self.peek().and_then(|d| (d as char).to_digit(16)) {
                        Some(d) => {
                            self.bump();
                            value = value * 16 + d;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    return Err(self.error(pos, "Expected hex digits for escape sequence."));
                }
                out.push(value as u8);
            }
            b'u' | b'U' => {
                let len = if c == b'u' { 4 } else { 8 };
                let mut value = 0u32;
                for _ in 0..len {
                    match self.peek().and_then(|d| (d as char).to_digit(16)) {
                        Some(d) => {
                            self.bump();
                            value = value.wrapping_mul(16).wrapping_add(d);
                        }
                        None => return Err(invalid(self)),
                    }
                }
                let ch = char::from_u32(value).ok_or_else(|| invalid(self))?;
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            _ => return Err(invalid(self)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_plain_strings_borrow_the_text() {
        let text = b"foo_1 \"abc\"\t'a\\x41' \"\"\n  bar";
        let (tokens, eof) = tokenize("t.proto", text).unwrap();
        let kinds: Vec<&TokenKind<'_>> = tokens.iter().map(|t| &t.kind).collect();
        assert_eq!(
            kinds,
            [
                &TokenKind::Ident("foo_1"),
                &TokenKind::Str(Cow::Borrowed(b"abc")),
                &TokenKind::Str(Cow::Owned(b"aA".to_vec())),
                &TokenKind::Str(Cow::Borrowed(b"")),
                &TokenKind::Ident("bar"),
            ]
        );
        assert!(matches!(tokens[1].kind, TokenKind::Str(Cow::Borrowed(_))));
        assert!(matches!(tokens[2].kind, TokenKind::Str(Cow::Owned(_))));
        let columns: Vec<(u32, u32, u32)> = tokens
            .iter()
            .map(|t| (t.start.line, t.start.column, t.end.column))
            .collect();
        // The tab after `"abc"` moves to column 16.
        assert_eq!(
            columns,
            [(0, 0, 5), (0, 6, 11), (0, 16, 23), (0, 24, 26), (1, 2, 5)]
        );
        assert_eq!(eof, Pos { line: 1, column: 5 });
    }
}
