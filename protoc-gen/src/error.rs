//! Errors of the generator: where (file, line, column when known) and what.

use std::fmt;
use std::path::PathBuf;

/// A position in a `.proto` file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as given to the parser (a path on disk, or the import path).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The `.proto` text is not valid protobuf (syntax error, unknown type, ...).
    Parse,
    /// The descriptors describe something the generator cannot express.
    Unsupported,
    /// Reading or writing a file, or running `protoc`, failed.
    Io,
    /// A bad option (a plugin parameter, a `Config` setting).
    Config,
}

/// A generator error; `Display` gives `file:line:column: message` when the place is known.
///
/// ```
/// let err = zpb_build::Config::new()
///     .generate_from_source("bad.proto", "syntax = \"proto3\";\nmessage M { int32 x = ; }")
///     .unwrap_err();
/// assert_eq!(err.location().map(|l| (l.line, l.column)), Some((2, 23)));
/// assert!(err.to_string().starts_with("bad.proto:2:23: "));
/// ```
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    location: Option<Location>,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            location: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, location: Location) -> Error {
        self.location = Some(location);
        self
    }

    pub(crate) fn io(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::new(
            ErrorKind::Io,
            format!("{}: {e}", PathBuf::from(path).display()),
        )
    }

    /// Rewrites a location under `dir` as relative to it.
    pub(crate) fn strip_dir(mut self, dir: &std::path::Path) -> Error {
        let prefix = format!("{}/", dir.display());
        if let Some(l) = &mut self.location {
            if let Some(rest) = l.file.strip_prefix(&prefix) {
                l.file = rest.to_string();
            }
        }
        self.message = self.message.replace(&prefix, "");
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where in a `.proto` file, when known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// The message, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        let kind = match e.kind {
            ErrorKind::Io => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidInput,
        };
        std::io::Error::new(kind, e)
    }
}
