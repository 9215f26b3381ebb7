//! Google's well-known types (`google.protobuf.*`), prebuilt.

mod time;

pub use time::{Duration, Timestamp};
