//! JSON for ProtoJSON: a zero-allocation pull reader and a writer into a reusable `String`.
//!
//! ```
//! use zpb::format::json::{JsonReader, JsonWriter, WriteOptions};
//!
//! let input = br#"{"id": "12", "name": "caf\u00e9", "ratio": "NaN"}"#;
//! let mut reader = JsonReader::new(input);
//! let (mut key_buf, mut value_buf) = (String::new(), String::new());
//! let mut out = String::new();
//! let mut writer = JsonWriter::new(&mut out, WriteOptions::default());
//! writer.begin_object();
//! reader.begin_object().unwrap();
//! while let Some(key) = reader.next_key(&mut key_buf).unwrap() {
//!     writer.key(key);
//!     match key {
//!         "id" => writer.i64(reader.read_i64().unwrap()),
//!         "ratio" => writer.f64(reader.read_f64().unwrap()),
//!         _ => writer.string(reader.read_str(&mut value_buf).unwrap()),
//!     }
//! }
//! reader.finish().unwrap();
//! writer.end_object();
//! assert_eq!(out, r#"{"id":"12","name":"café","ratio":"NaN"}"#);
//! ```

mod read;
mod write;

pub use read::{
    JsonError, JsonErrorKind, JsonKind, JsonNumber, JsonReader, DEFAULT_MAX_DEPTH, MAX_DEPTH,
};
pub use write::{escape_str, JsonWriter, WriteOptions};
