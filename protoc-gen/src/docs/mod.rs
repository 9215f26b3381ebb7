//! Doc comments, in one place: recovering them from `.proto` sources for the pure parser
//! ([`attach`], following protoc's rules), looking them up by element ([`Comments`], by
//! `SourceCodeInfo` [`path`]) and making them rustdoc ([`attribute_lines`]).

mod comments;
pub mod path;
mod rustdoc;
mod scan;

pub use comments::Comments;
pub use rustdoc::attribute_lines;
pub use scan::{attach, find_token};
