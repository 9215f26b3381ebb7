//! The text-format tokenizer, following the protobuf text-format spec and C++'s
//! `io::Tokenizer`.

use std::fmt;

use crate::codec::ByteSink;
use crate::format::{hex_value, Position, StringSink};

/// What a text-format input did wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextErrorKind {
    /// The input ended where a token or the rest of one was required.
    UnexpectedEnd,
    /// A byte that starts no token.
    UnexpectedByte(u8),
    /// A token other than the one the grammar requires (`expected` says which).
    UnexpectedToken {
        /// What was required, e.g. `"']'"` or `"an identifier"`.
        expected: &'static str,
    },
    /// A string literal that reaches the end of its line or of the input.
    UnterminatedString,
    /// A backslash escape that the format does not have (or an octal escape above `\377`,
    /// or an unpaired UTF-16 surrogate in `\u`).
    InvalidEscape,
    /// A malformed number (`0x`, `1e`, `08`, a number running into letters: `1abc`).
    InvalidNumber,
    /// An integer above `u64::MAX`.
    IntegerOutOfRange,
    /// A hexadecimal integer where a decimal number is required (a float field).
    ExpectedDecimal,
    /// A field name the message does not have.
    UnknownField,
    /// An enum value name (or, for a closed enum, a number) the enum does not declare.
    UnknownEnumValue,
    /// A `string` field's value that is not valid UTF-8.
    InvalidUtf8,
    /// Messages nested deeper than the limit.
    DepthLimit(u32),
    /// An expanded `Any` whose type is not registered (or whose payload does not encode).
    UnknownType,
}

impl fmt::Display for TextErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextErrorKind::UnexpectedEnd => f.write_str("unexpected end of input"),
            TextErrorKind::UnexpectedByte(b) if b.is_ascii_graphic() => {
                write!(f, "unexpected character '{}'", *b as char)
            }
            TextErrorKind::UnexpectedByte(b) => write!(f, "unexpected byte 0x{b:02x}"),
            TextErrorKind::UnexpectedToken { expected } => write!(f, "expected {expected}"),
            TextErrorKind::UnterminatedString => f.write_str("unterminated string literal"),
            TextErrorKind::InvalidEscape => f.write_str("invalid escape sequence"),
            TextErrorKind::InvalidNumber => f.write_str("invalid number"),
            TextErrorKind::IntegerOutOfRange => f.write_str("integer out of range"),
            TextErrorKind::ExpectedDecimal => f.write_str("expected a decimal number"),
            TextErrorKind::UnknownField => f.write_str("unknown field"),
            TextErrorKind::UnknownEnumValue => f.write_str("unknown enum value"),
            TextErrorKind::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            TextErrorKind::DepthLimit(limit) => write!(f, "messages nested deeper than {limit}"),
            TextErrorKind::UnknownType => f.write_str("unknown type in expanded Any"),
        }
    }
}

/// A text-format error and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// What went wrong.
    pub kind: TextErrorKind,
    /// Where: the start of the offending token (or the byte inside it).
    pub position: Position,
}

impl TextError {
    /// An error of `kind` at byte `offset` of `input`.
    pub fn at(input: &[u8], offset: usize, kind: TextErrorKind) -> Self {
        TextError {
            kind,
            position: Position::locate(input, offset),
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.kind)
    }
}

impl std::error::Error for TextError {}

type Result<T> = std::result::Result<T, TextError>;

/// The kind of a [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `[A-Za-z_][A-Za-z0-9_]*`: field names, enum values, `true`, `inf`, ...
    Identifier,
    /// An unsigned integer: decimal, `0x` hexadecimal or `0` octal.
    Integer,
    /// A float literal: `1.5`, `.5`, `1e5`, `1.5f`, `1f`.
    Float,
    /// One string literal or several adjacent ones (concatenated), `'...'` or `"..."`.
    String,
    /// One of `: { } < > [ ] , ; - / .`
    Punct(u8),
    /// The end of the input.
    End,
}

/// One token, borrowing the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of its first byte.
    pub offset: usize,
    /// Its bytes in the input (for a string, from the first opening quote to the last
    /// closing one, with any whitespace and comments between adjacent literals).
    pub span: &'a [u8],
    input: &'a [u8],
    /// For integers: the value, if it fits in a `u64`. For strings: whether the span is a
    /// single literal without escapes (then its content is borrowed as is).
    value: Option<u64>,
    simple: bool,
}

impl<'a> Token<'a> {
    /// The token's text. Identifiers, numbers and punctuation are ASCII; a string's raw
    /// span may not be UTF-8, and then this is empty (use [`string_value`](Self::string_value)).
    #[inline]
    pub fn text(&self) -> &'a str {
        if self.kind != TokenKind::String {
            debug_assert!(self.span.is_ascii());
            // SAFETY: only the lexer makes tokens (the fields are private), and it makes
            // identifiers, numbers and punctuation of ASCII bytes alone (`[A-Za-z0-9_]`,
            // digits, `.`, `e`, `+`, `-`, `f`, `x`, one punctuation byte) and `End` of no
            // bytes (see `Lexer::lex`); ASCII is UTF-8. Field names go through here once
            // per field, and checking them again cost 7% of a text parse.
            return unsafe { std::str::from_utf8_unchecked(self.span) };
        }
        std::str::from_utf8(self.span).unwrap_or("")
    }

    /// An error of `kind` at this token.
    pub fn error(&self, kind: TextErrorKind) -> TextError {
        TextError::at(self.input, self.offset, kind)
    }

    /// The value of an [`Integer`](TokenKind::Integer) token; `IntegerOutOfRange` above
    /// `u64::MAX`, `UnexpectedToken` for other kinds.
    pub fn integer(&self) -> Result<u64> {
        match self.kind {
            TokenKind::Integer => self
                .value
                .ok_or_else(|| self.error(TextErrorKind::IntegerOutOfRange)),
            _ => Err(self.error(TextErrorKind::UnexpectedToken {
                expected: "an integer",
            })),
        }
    }

    /// The value of an [`Integer`](TokenKind::Integer) token preceded by a `-` token
    /// (`negative`) or not, as any integer type `T` (`i32`, `i64`, `u32`, `u64`):
    /// `IntegerOutOfRange` if it does not fit (`-0` fits every type).
    pub fn int<T: TryFrom<i128>>(&self, negative: bool) -> Result<T> {
        let magnitude = i128::from(self.integer()?);
        let value = if negative { -magnitude } else { magnitude };
        T::try_from(value).map_err(|_| self.error(TextErrorKind::IntegerOutOfRange))
    }

    /// The value of a number token as C++'s text parser reads a `double`: a float literal
    /// (suffix `f` allowed), a decimal or octal integer (decimal ones beyond `u64` too), not
    /// a hexadecimal one. Identifiers such as `inf` are [`float_identifier`]'s.
    pub fn float(&self) -> Result<f64> {
        let text = self.text();
        match self.kind {
            TokenKind::Float => text
                .trim_end_matches(['f', 'F'])
                .parse()
                .map_err(|_| self.error(TextErrorKind::InvalidNumber)),
            TokenKind::Integer if text.starts_with("0x") || text.starts_with("0X") => {
                Err(self.error(TextErrorKind::ExpectedDecimal))
            }
            TokenKind::Integer => match self.value {
                Some(v) => Ok(v as f64),
                None => text
                    .parse()
                    .map_err(|_| self.error(TextErrorKind::InvalidNumber)),
            },
            _ => Err(self.error(TextErrorKind::UnexpectedToken {
                expected: "a number",
            })),
        }
    }

    /// The bytes of a [`String`](TokenKind::String) token, escapes decoded and adjacent
    /// literals concatenated: borrowed from the input for one literal without escapes,
    /// otherwise decoded into `scratch` (cleared first). Empty for other kinds.
    pub fn string_value<'s>(&self, scratch: &'s mut Vec<u8>) -> &'s [u8]
    where
        'a: 's,
    {
        if self.kind != TokenKind::String {
            return &[];
        }
        if self.simple {
            return &self.span[1..self.span.len() - 1];
        }
        scratch.clear();
        self.decode_string(scratch);
        scratch
    }

    /// The bytes of a [`String`](TokenKind::String) token, as
    /// [`string_value`](Self::string_value) gives them, appended to `out` (so a kept buffer
    /// with the capacity takes them without allocating). Nothing for other kinds.
    pub fn append_string_value(&self, out: &mut Vec<u8>) {
        self.append_string_to(out)
    }

    /// [`append_string_value`](Self::append_string_value) into any [`ByteSink`].
    pub(crate) fn append_string_to<B: ByteSink + ?Sized>(&self, out: &mut B) {
        if self.kind != TokenKind::String {
            return;
        }
        if self.simple {
            out.extend_from_slice(&self.span[1..self.span.len() - 1]);
            return;
        }
        // Escapes and concatenated literals arrive in pieces: the buffer grows once, to the
        // decoded size, not by doubling per piece. Short text is decoded once, on the stack,
        // and copied; longer text is counted by that pass and decoded again into `out`.
        let mut decoded = StackFirst::default();
        self.decode_string(&mut decoded);
        out.reserve_exact(decoded.len);
        match decoded.bytes() {
            Some(bytes) => out.extend_from_slice(bytes),
            None => self.decode_string(out),
        }
    }

    /// Appends the string token's literals to `out`, escapes decoded.
    fn decode_string<B: ByteSink + ?Sized>(&self, scratch: &mut B) {
        let s = self.span;
        let mut i = 0;
        while i < s.len() {
            let quote = s[i];
            i += 1;
            while i < s.len() && s[i] != quote {
                if s[i] == b'\\' {
                    // The lexer validated every escape of the span.
                    match escape(s, i) {
                        Ok((Unescaped::Byte(b), end)) => {
                            scratch.extend_from_slice(&[b]);
                            i = end;
                        }
                        Ok((Unescaped::Char(c), end)) => {
                            scratch.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            i = end;
                        }
                        Err(_) => return,
                    }
                } else {
                    // A run of plain bytes up to the next escape or quote, at once.
                    let end = s[i..]
                        .iter()
                        .position(|&b| b == b'\\' || b == quote)
                        .map_or(s.len(), |n| i + n);
                    scratch.extend_from_slice(&s[i..end]);
                    i = end;
                }
            }
            i = skip_trivia(s, i + 1);
        }
    }
}

/// A [`ByteSink`] that keeps the first [`StackFirst::ROOM`] bytes it is given and counts
/// them all.
struct StackFirst {
    room: [u8; StackFirst::ROOM],
    len: usize,
}

impl StackFirst {
    /// Bytes kept on the stack.
    const ROOM: usize = 256;

    /// Everything given, if it fit.
    fn bytes(&self) -> Option<&[u8]> {
        self.room.get(..self.len)
    }
}

impl Default for StackFirst {
    fn default() -> Self {
        StackFirst {
            room: [0; StackFirst::ROOM],
            len: 0,
        }
    }
}

impl ByteSink for StackFirst {
    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(room) = self.room.get_mut(self.len..end) {
            room.copy_from_slice(bytes);
        }
        self.len = end;
    }

    #[inline]
    fn reserve_exact(&mut self, _additional: usize) {}
}

/// The value of `inf`, `infinity` or `nan` in any letter case, as protobuf's text parser
/// accepts them for floats (a preceding `-` token negates).
pub fn float_identifier(identifier: &str) -> Option<f64> {
    if identifier.eq_ignore_ascii_case("inf") || identifier.eq_ignore_ascii_case("infinity") {
        Some(f64::INFINITY)
    } else if identifier.eq_ignore_ascii_case("nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// The value of a boolean identifier as protobuf's text parser accepts them: `true`, `True`,
/// `t`, `false`, `False`, `f` (the integers `1` and `0` are the parser's to accept).
pub fn bool_identifier(identifier: &str) -> Option<bool> {
    match identifier {
        "true" | "True" | "t" => Some(true),
        "false" | "False" | "f" => Some(false),
        _ => None,
    }
}

/// Whether `b` is whitespace to the text format (as C++'s tokenizer: space, `\t`, `\n`,
/// `\r`, `\v`, `\f`).
#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Skips whitespace and `#` comments from `i`.
#[inline]
fn skip_trivia(s: &[u8], i: usize) -> usize {
    match s.get(i) {
        Some(&b) if is_space(b) || b == b'#' => skip_trivia_from(s, i),
        _ => i,
    }
}

/// [`skip_trivia`] past its first byte's test, out of line.
fn skip_trivia_from(s: &[u8], mut i: usize) -> usize {
    loop {
        match s.get(i) {
            Some(&b) if is_space(b) => i += 1,
            Some(b'#') => {
                i = s[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(s.len(), |n| i + n + 1);
            }
            _ => return i,
        }
    }
}

enum Unescaped {
    Byte(u8),
    Char(char),
}

/// Decodes the escape at `at` (a backslash): `\a \b \f \n \r \t \v \\ \' \" \?`, octal
/// `\o` to `\ooo` (at most `\377`), `\xH` or `\xHH`, `\uHHHH` (not a surrogate), `\UHHHHHHHH`. Returns the value and the offset after the escape.
fn escape(s: &[u8], at: usize) -> std::result::Result<(Unescaped, usize), TextErrorKind> {
    let Some(&c) = s.get(at + 1) else {
        return Err(TextErrorKind::UnterminatedString);
    };
    let byte = |b: u8| Ok((Unescaped::Byte(b), at + 2));
    match c {
        b'a' => byte(0x07),
        b'b' => byte(0x08),
        b'f' => byte(0x0c),
        b'n' => byte(b'\n'),
        b'r' => byte(b'\r'),
        b't' => byte(b'\t'),
        b'v' => byte(0x0b),
        b'\\' | b'\'' | b'"' | b'?' => byte(c),
        b'0'..=b'7' => {
            let digits = s[at + 1..]
                .iter()
                .take(3)
                .take_while(|d| (b'0'..=b'7').contains(d))
                .count();
            let value = s[at + 1..at + 1 + digits]
                .iter()
                .fold(0u32, |acc, &d| acc * 8 + u32::from(d - b'0'));
            let value = u8::try_from(value).map_err(|_| TextErrorKind::InvalidEscape)?;
            Ok((Unescaped::Byte(value), at + 1 + digits))
        }
        b'x' | b'X' => {
            let digits = s[at + 2..]
                .iter()
                .take(2)
                .take_while(|d| d.is_ascii_hexdigit())
                .count();
            let value = hex_value(s, at + 2, digits)
                .filter(|_| digits > 0)
                .ok_or(TextErrorKind::InvalidEscape)?;
            Ok((Unescaped::Byte(value as u8), at + 2 + digits))
        }
        b'u' => {
            // As C++: a `\u` escape is one BMP character; surrogates (even a pair) are
            // rejected (characters beyond the BMP are written `\U0001F600`).
            let unit = hex_value(s, at + 2, 4).ok_or(TextErrorKind::InvalidEscape)?;
            let c = char::from_u32(unit).ok_or(TextErrorKind::InvalidEscape)?;
            Ok((Unescaped::Char(c), at + 6))
        }
        b'U' => {
            let scalar = hex_value(s, at + 2, 8).ok_or(TextErrorKind::InvalidEscape)?;
            let c = char::from_u32(scalar).ok_or(TextErrorKind::InvalidEscape)?;
            Ok((Unescaped::Char(c), at + 10))
        }
        _ => Err(TextErrorKind::InvalidEscape),
    }
}

/// The tokenizer: [`next`](Self::next) and [`peek`](Self::peek) skip whitespace and `#`
/// comments and return one token; nothing is allocated.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    input: &'a [u8],
    pos: usize,
    peeked: Option<(Token<'a>, usize)>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `input`.
    pub fn new(input: &'a [u8]) -> Self {
        Lexer {
            input,
            pos: 0,
            peeked: None,
        }
    }

    /// An error of `kind` at byte `offset`.
    pub fn error_at(&self, offset: usize, kind: TextErrorKind) -> TextError {
        TextError::at(self.input, offset, kind)
    }

    /// The next token without consuming it.
    #[inline]
    pub fn peek(&mut self) -> Result<Token<'a>> {
        if let Some((token, _)) = self.peeked {
            return Ok(token);
        }
        let saved = self.pos;
        let token = self.lex()?;
        self.peeked = Some((token, self.pos));
        self.pos = saved;
        Ok(token)
    }

    /// The next token ([`TokenKind::End`] at the end, repeatedly).
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Result<Token<'a>> {
        if let Some((token, end)) = self.peeked.take() {
            self.pos = end;
            return Ok(token);
        }
        self.lex()
    }

    /// Consumes the next token if it is the punctuation `p`.
    ///
    /// # Errors
    ///
    /// None today: a next token that does not lex is not `p`, and its error comes from the
    /// [`next`](Self::next) or [`peek`](Self::peek) that reads it.
    #[inline]
    pub fn eat(&mut self, p: u8) -> Result<bool> {
        if let Some((token, end)) = self.peeked {
            let eaten = token.kind == TokenKind::Punct(p);
            if eaten {
                self.peeked = None;
                self.pos = end;
            }
            return Ok(eaten);
        }
        // Punctuation is one byte: test it in place, without making a token.
        self.pos = skip_trivia(self.input, self.pos);
        let eaten = punct_at(self.input, self.pos) == Some(p);
        if eaten {
            self.pos += 1;
        }
        Ok(eaten)
    }

    /// Consumes the punctuation `p`, or fails with `UnexpectedToken { expected }`.
    #[inline]
    pub fn expect(&mut self, p: u8, expected: &'static str) -> Result<Token<'a>> {
        if self.peeked.is_none() {
            self.pos = skip_trivia(self.input, self.pos);
            if punct_at(self.input, self.pos) == Some(p) {
                let start = self.pos;
                self.pos += 1;
                return Ok(self.token(TokenKind::Punct(p), start));
            }
        }
        let token = self.next()?;
        if token.kind == TokenKind::Punct(p) {
            Ok(token)
        } else {
            Err(token.error(TextErrorKind::UnexpectedToken { expected }))
        }
    }

    /// After a `[`: reads an extension name (`pkg.ext`) or a type URL
    /// (`type.googleapis.com/pkg.Msg`) and the closing `]`, into `scratch` (cleared first).
    /// Identifiers are joined by `.` and `/`; whitespace and comments between them are
    /// dropped.
    pub fn bracketed_name<'s>(&mut self, scratch: &'s mut String) -> Result<&'s str> {
        scratch.clear();
        loop {
            let token = self.next()?;
            if token.kind != TokenKind::Identifier {
                return Err(token.error(TextErrorKind::UnexpectedToken {
                    expected: "an identifier",
                }));
            }
            scratch.push_str(token.text());
            let separator = self.next()?;
            match separator.kind {
                TokenKind::Punct(p @ (b'.' | b'/')) => scratch.push(char::from(p)),
                TokenKind::Punct(b']') => return Ok(scratch),
                _ => {
                    return Err(separator.error(TextErrorKind::UnexpectedToken {
                        expected: "'.', '/' or ']'",
                    }))
                }
            }
        }
    }

    /// After a `[`, as C++'s text parser reads an extension name or an `Any` type URL: any
    /// URL character (`type.googleapis.com/pkg.Msg`, `a.b/~!$&'()*+,;=%2F/pkg.Msg`) up to
    /// the closing `]`, into `scratch` (cleared first), with whitespace and `#` comments
    /// anywhere inside dropped (unlike [`bracketed_name`](Self::bracketed_name)'s stricter
    /// token grammar). Empty names and names ending in `.` or `/` are errors.
    pub fn bracketed_url<'s, S: StringSink>(&mut self, scratch: &'s mut S) -> Result<&'s str> {
        if let Some((token, _)) = self.peeked.take() {
            // Un-peek: scan from the token's start.
            self.pos = token.offset;
        }
        scratch.clear();
        loop {
            self.pos = skip_trivia(self.input, self.pos);
            let Some(&b) = self.input.get(self.pos) else {
                return Err(self.error_at(self.pos, TextErrorKind::UnexpectedEnd));
            };
            match b {
                b']' => {
                    self.pos += 1;
                    let name = scratch.as_str();
                    if name.is_empty() || name.ends_with(['.', '/']) {
                        return Err(self.error_at(
                            self.pos - 1,
                            TextErrorKind::UnexpectedToken {
                                expected: "an identifier",
                            },
                        ));
                    }
                    return Ok(name);
                }
                b'A'..=b'Z'
                | b'a'..=b'z'
                | b'0'..=b'9'
                | b'_'
                | b'.'
                | b'/'
                | b'-'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
                | b':'
                | b'@' => {
                    scratch.push(char::from(b));
                    self.pos += 1;
                }
                _ => {
                    return Err(self.error_at(
                        self.pos,
                        TextErrorKind::UnexpectedToken {
                            expected: "'.', '/' or ']'",
                        },
                    ))
                }
            }
        }
    }

    #[inline]
    fn token(&self, kind: TokenKind, start: usize) -> Token<'a> {
        Token {
            kind,
            offset: start,
            span: &self.input[start..self.pos],
            input: self.input,
            value: None,
            simple: false,
        }
    }

    fn lex(&mut self) -> Result<Token<'a>> {
        self.pos = skip_trivia(self.input, self.pos);
        let start = self.pos;
        let Some(&b) = self.input.get(start) else {
            return Ok(self.token(TokenKind::End, start));
        };
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                self.pos += self.input[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                Ok(self.token(TokenKind::Identifier, start))
            }
            b'0'..=b'9' => self.number(start),
            b'"' | b'\'' => self.string(start),
            _ => match punct_at(self.input, start) {
                Some(p) => {
                    self.pos += 1;
                    Ok(self.token(TokenKind::Punct(p), start))
                }
                None if b == b'.' => self.number(start), // `.5`
                None => Err(self.error_at(start, TextErrorKind::UnexpectedByte(b))),
            },
        }
    }

    fn digits(&mut self, accept: fn(&u8) -> bool) -> usize {
        let n = self.input[self.pos..]
            .iter()
            .take_while(|c| accept(c))
            .count();
        self.pos += n;
        n
    }

    fn number(&mut self, start: usize) -> Result<Token<'a>> {
        let invalid = |lexer: &Self| Err(lexer.error_at(start, TextErrorKind::InvalidNumber));
        let input = self.input;
        let next_is = |i: usize, set: &[u8]| input.get(i).is_some_and(|c| set.contains(c));
        let (kind, value) = if input[start] == b'0' && next_is(start + 1, b"xX") {
            self.pos += 2;
            if self.digits(u8::is_ascii_hexdigit) == 0 {
                return invalid(self);
            }
            (
                TokenKind::Integer,
                radix_value(&input[start + 2..self.pos], 16),
            )
        } else if input[start] == b'0' && next_is(start + 1, b"0123456789") {
            self.digits(u8::is_ascii_digit);
            let digits = &input[start + 1..self.pos];
            if digits.iter().any(|&d| d > b'7') {
                return invalid(self);
            }
            (TokenKind::Integer, radix_value(digits, 8))
        } else {
            self.digits(u8::is_ascii_digit);
            let mut float = false;
            if next_is(self.pos, b".") {
                float = true;
                self.pos += 1;
                self.digits(u8::is_ascii_digit);
            }
            if next_is(self.pos, b"eE") {
                float = true;
                self.pos += 1;
                if next_is(self.pos, b"+-") {
                    self.pos += 1;
                }
                if self.digits(u8::is_ascii_digit) == 0 {
                    return invalid(self);
                }
            }
            if next_is(self.pos, b"fF") {
                float = true;
                self.pos += 1;
            }
            if float {
                (TokenKind::Float, None)
            } else {
                (TokenKind::Integer, radix_value(&input[start..self.pos], 10))
            }
        };
        // C++: "Need space between number and identifier."
        if let Some(&c) = input.get(self.pos) {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
                return invalid(self);
            }
        }
        let mut token = self.token(kind, start);
        token.value = value;
        Ok(token)
    }

    /// One or more adjacent string literals; escapes are validated here.
    fn string(&mut self, start: usize) -> Result<Token<'a>> {
        let input = self.input;
        let mut parts = 0;
        let mut escapes = false;
        let mut end = start;
        let mut i = start;
        while let Some(&quote @ (b'"' | b'\'')) = input.get(i) {
            i += 1;
            loop {
                match input.get(i) {
                    None | Some(b'\n') => {
                        return Err(self.error_at(i, TextErrorKind::UnterminatedString))
                    }
                    Some(&c) if c == quote => break,
                    Some(b'\\') => {
                        escapes = true;
                        i = escape(input, i).map_err(|kind| self.error_at(i, kind))?.1;
                    }
                    Some(_) => i += 1,
                }
            }
            i += 1;
            end = i;
            parts += 1;
            i = skip_trivia(input, i);
        }
        self.pos = end;
        let mut token = self.token(TokenKind::String, start);
        token.simple = parts == 1 && !escapes;
        Ok(token)
    }
}

/// The punctuation token starting at `at`, if one does: one of `: { } < > [ ] , ; - / .`
/// (a `.` before a digit starts a number instead).
#[inline]
fn punct_at(input: &[u8], at: usize) -> Option<u8> {
    match *input.get(at)? {
        b'.' if input.get(at + 1).is_some_and(u8::is_ascii_digit) => None,
        p @ (b':' | b'{' | b'}' | b'<' | b'>' | b'[' | b']' | b',' | b';' | b'-' | b'/' | b'.') => {
            Some(p)
        }
        _ => None,
    }
}

/// The value of `digits` in `radix`, if it fits in a `u64`.
fn radix_value(digits: &[u8], radix: u32) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(u64::from(radix))?
            .checked_add(u64::from(char::from(d).to_digit(radix)?))
    })
}

#[cfg(test)]
mod tests {
    //! Run under Miri too (`scripts/test.sh`'s `miri` step): [`Token::text`] reads the
    //! lexer's ASCII tokens without checking them again.
    use super::*;

    /// Every token of `input`: its kind and text, up to the end or the first error.
    fn tokens(input: &[u8]) -> Vec<(TokenKind, String)> {
        let mut lexer = Lexer::new(input);
        let mut out = Vec::new();
        while let Ok(token) = lexer.next() {
            if token.kind == TokenKind::End {
                break;
            }
            out.push((token.kind, token.text().to_owned()));
        }
        out
    }

    #[test]
    fn every_token_kind_gives_its_text() {
        use TokenKind::*;
        let input = b"a_1: -0x1F # note\n .5e+3f 017 {x <y> [1, 2]; z: 'q\\n' \"r\" } / . 1.";
        let expected: &[(TokenKind, &str)] = &[
            (Identifier, "a_1"),
            (Punct(b':'), ":"),
            (Punct(b'-'), "-"),
            (Integer, "0x1F"),
            (Float, ".5e+3f"),
            (Integer, "017"),
            (Punct(b'{'), "{"),
            (Identifier, "x"),
            (Punct(b'<'), "<"),
            (Identifier, "y"),
            (Punct(b'>'), ">"),
            (Punct(b'['), "["),
            (Integer, "1"),
            (Punct(b','), ","),
            (Integer, "2"),
            (Punct(b']'), "]"),
            (Punct(b';'), ";"),
            (Identifier, "z"),
            (Punct(b':'), ":"),
            (String, "'q\\n' \"r\""),
            (Punct(b'}'), "}"),
            (Punct(b'/'), "/"),
            (Punct(b'.'), "."),
            (Float, "1."),
        ];
        let got = tokens(input);
        let got: Vec<(TokenKind, &str)> = got.iter().map(|(k, t)| (*k, t.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_string_that_is_not_utf8_has_no_text_but_its_bytes() {
        let mut lexer = Lexer::new(b"'\xff\xfe'");
        let token = lexer.next().unwrap();
        assert_eq!((token.kind, token.text()), (TokenKind::String, ""));
        assert_eq!(token.string_value(&mut Vec::new()), b"\xff\xfe");
    }

    #[test]
    fn decoded_text_is_appended_whole_short_or_long() {
        for n in [
            0,
            1,
            StackFirst::ROOM - 1,
            StackFirst::ROOM,
            StackFirst::ROOM + 1,
            1000,
        ] {
            let expected: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            // Escaped `a` (`\141`) then plain text, in two adjacent literals.
            let mut input = b"'".to_vec();
            if n > 0 {
                input.extend_from_slice(b"\\141' \"");
                input.extend_from_slice(&expected[1..]);
                input.push(b'"');
            } else {
                input.extend_from_slice(b"' ''");
            }
            let token = Lexer::new(&input).next().unwrap();
            let mut out = b"kept ".to_vec();
            token.append_string_value(&mut out);
            assert_eq!(&out[5..], &expected[..], "{n}");
            assert_eq!(&out[..5], b"kept ");
        }
    }

    #[test]
    fn eat_and_expect_take_punctuation_only() {
        let mut lexer = Lexer::new(b" ; .5 . x");
        assert!(!lexer.eat(b':').unwrap());
        assert!(lexer.eat(b';').unwrap());
        // `.5` is a number, not a `.`.
        assert!(!lexer.eat(b'.').unwrap());
        assert!(lexer.expect(b'.', "'.'").is_err());
        let dot = lexer.expect(b'.', "'.'").unwrap();
        assert_eq!(
            (dot.kind, dot.offset, dot.text()),
            (TokenKind::Punct(b'.'), 6, ".")
        );
        // After a peek, the peeked token is the one tested.
        assert_eq!(lexer.peek().unwrap().text(), "x");
        assert!(!lexer.eat(b'x').unwrap());
        assert_eq!(lexer.next().unwrap().text(), "x");
        assert_eq!(lexer.next().unwrap().kind, TokenKind::End);
    }

    #[test]
    fn a_token_that_does_not_lex_fails_where_it_is_read() {
        let mut lexer = Lexer::new(b"  \x01");
        assert!(!lexer.eat(b';').unwrap());
        let err = lexer.next().unwrap_err();
        assert_eq!(err.kind, TextErrorKind::UnexpectedByte(1));
        assert_eq!(err.position.column, 3);
        let err = lexer.expect(b';', "';'").unwrap_err();
        assert_eq!(err.kind, TextErrorKind::UnexpectedByte(1));
    }
}
