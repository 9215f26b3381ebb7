//! [`Context`]: what lowering one file reads besides the element at hand.

use super::graph::MessageGraph;
use super::index::Index;
use super::options::LowerOptions;
use crate::docs::Comments;
use crate::error::{Error, ErrorKind};

/// The context of one file while lowering it.
pub struct Context<'a, 'c> {
    /// Every type of the descriptor set.
    pub index: &'c Index<'a>,
    /// Which singular message fields are boxed.
    pub graph: &'c MessageGraph,
    /// The user's options.
    pub options: &'c LowerOptions,
    /// The file's comments.
    pub comments: Comments,
    /// The Rust modules of the file's package.
    pub package_mods: Vec<String>,
    /// The file's name, for errors.
    pub file: &'a str,
    /// The name of the file's descriptor static, at the package root.
    pub descriptor_static: String,
}

impl Context<'_, '_> {
    /// An error about element `what` (a full name) of this file.
    pub fn bad(&self, what: &str, message: &str) -> Error {
        Error::new(
            ErrorKind::Unsupported,
            format!("{}: {what}: {message}", self.file),
        )
    }
}
