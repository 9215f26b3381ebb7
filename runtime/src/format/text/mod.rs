//! Protobuf text format: the tokenizer ([`Lexer`]) a message parser drives, and the string
//! escaping a printer uses ([`escape_bytes`], [`escape_str`]).
//!
//! ```
//! use zpb::format::text::{Lexer, TokenKind};
//!
//! let mut lexer = Lexer::new(b"id: 0x1F name: 'a' \"b\" # comment\n ratio: -inf");
//! let mut scratch = Vec::new();
//! assert_eq!(lexer.next().unwrap().kind, TokenKind::Identifier);
//! assert_eq!(lexer.next().unwrap().kind, TokenKind::Punct(b':'));
//! assert_eq!(lexer.next().unwrap().integer().unwrap(), 31);
//! lexer.next().unwrap();
//! lexer.next().unwrap();
//! let name = lexer.next().unwrap();
//! assert_eq!(name.string_value(&mut scratch), b"ab"); // adjacent strings concatenate
//! ```

mod lex;
pub mod parse;
mod print;
mod write;

pub use lex::{
    bool_identifier, float_identifier, Lexer, TextError, TextErrorKind, Token, TokenKind,
};
pub use parse::{merge_text, merge_text_with, TextMessage, TextParser};
pub use print::{to_text, to_text_with, TextPrintOptions};
pub use write::{escape_bytes, escape_str};
