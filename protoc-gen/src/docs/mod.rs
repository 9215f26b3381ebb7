//! Doc comments, in one place: looking them up by element ([`Comments`], by
//! `SourceCodeInfo` [`path`]) and making them rustdoc ([`attribute_lines`]).

mod comments;
pub mod path;
mod rustdoc;

pub use comments::Comments;
pub use rustdoc::attribute_lines;
