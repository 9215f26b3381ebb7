//! Errors of the front end: `file:line:column: message`, as protoc prints them.

use std::fmt;

/// A position in a `.proto` file: zero-based line and column (tabs advance the column to the
/// next multiple of 8, as in protoc), printed one-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column.
    pub column: u32,
}

/// An error of the front end: where it is (a file name and, when known, a position) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontendError {
    /// The file's name as given to the compiler (relative to its import root).
    pub file: String,
    /// Where in the file, when the error has a position.
    pub pos: Option<Pos>,
    /// What is wrong, in protoc's words where protoc has words for it.
    pub message: String,
}

impl FrontendError {
    /// An error at `pos` in `file`.
    pub fn at(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        FrontendError {
            file: file.to_string(),
            pos: Some(pos),
            message: message.into(),
        }
    }

    /// An error about `file` as a whole (not found, import cycle, ...).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        FrontendError {
            file: file.to_string(),
            pos: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for FrontendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(
                f,
                "{}:{}:{}: {}",
                self.file,
                p.line + 1,
                p.column + 1,
                self.message
            ),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FrontendError {}
