//! `serde` support (cargo feature `serde`): every `#[derive(zpb::Message)]` type (so every
//! generated message and the well-known types) implements `serde::Serialize` and
//! `serde::Deserialize` through its ProtoJSON form, with [`JsonOptions::default()`] and the
//! well-known types as the `Any` registry.
//!
//! - Serializing prints the message with zpb's JSON printer and hands the JSON value to the
//!   serializer: objects as maps, arrays as sequences, strings, booleans, `null` as unit,
//!   integral numbers as `u64`/`i64` and the others as `f64`. `serde_json::to_string` so
//!   gives zpb's own JSON, except for some floats serde_json spells itself: where zpb (as
//!   C++ does) writes `1e-07`, serde_json writes `1e-7`. Both read back as the same value.
//! - Deserializing takes any value of a self-describing format (`deserialize_any`), writes
//!   it as JSON and parses that with zpb's parser, so it accepts exactly what
//!   [`merge_json`](crate::format::merge_json) accepts (both field names, numbers as strings,
//!   base64 forms, ...) and rejects the rest with the parser's message.
//!
//! Other options (proto field names, enums as numbers, ignoring unknown fields) are not
//! serde's to carry: print with [`to_json`](crate::format::to_json) and parse with
//! [`merge_json`](crate::format::merge_json), which take [`JsonOptions`], and hand the text to
//! serde (`serde_json::value::RawValue`, `serde_json::from_str::<serde_json::Value>`) when
//! a serde type needs it.

use crate::format::json::{JsonKind, JsonReader, JsonWriter, WriteOptions};
use crate::format::{JsonMessage, JsonOptions};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq};
use std::fmt;

/// A JSON value as zpb's printer wrote it (so valid, with unique keys).
enum Tree<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(String),
    Array(Vec<Tree<'a>>),
    Object(Vec<(String, Tree<'a>)>),
}

/// Reads the next value of `reader` (zpb's own output) as a tree.
fn tree<'a>(reader: &mut JsonReader<'a>) -> Result<Tree<'a>, crate::format::json::JsonError> {
    Ok(match reader.peek()? {
        JsonKind::Null => {
            reader.read_null()?;
            Tree::Null
        }
        JsonKind::Bool => Tree::Bool(reader.read_bool()?),
        JsonKind::Number => Tree::Number(reader.read_number()?.as_str()),
        JsonKind::String => {
            let mut s = String::new();
            reader.read_string_into(&mut s)?;
            Tree::String(s)
        }
        JsonKind::Array => {
            reader.begin_array()?;
            let mut items = Vec::new();
            while reader.next_element()? {
                items.push(tree(reader)?);
            }
            Tree::Array(items)
        }
        JsonKind::Object => {
            reader.begin_object()?;
            let mut members = Vec::new();
            let mut key = String::new();
            while reader.next_key_into(&mut key)? {
                let value = tree(reader)?;
                members.push((std::mem::take(&mut key), value));
            }
            Tree::Object(members)
        }
    })
}

impl Serialize for Tree<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Number(text) => {
                // Integral text as an integer (serde_json then prints it unchanged), the
                // rest as the nearest f64 (zpb printed its shortest round-trip digits).
                if let Ok(u) = text.parse::<u64>() {
                    s.serialize_u64(u)
                } else if let Ok(i) = text.parse::<i64>() {
                    s.serialize_i64(i)
                } else {
                    let f: f64 = text.parse().map_err(ser::Error::custom)?;
                    s.serialize_f64(f)
                }
            }
            Tree::String(text) => s.serialize_str(text),
            Tree::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// `Serialize` for a message: its ProtoJSON value (default options).
pub fn serialize<M: JsonMessage, S: ser::Serializer>(message: &M, s: S) -> Result<S::Ok, S::Error> {
    let json =
        crate::format::to_json(message, &JsonOptions::default()).map_err(ser::Error::custom)?;
    let mut reader = JsonReader::new(json.as_bytes());
    tree(&mut reader).map_err(ser::Error::custom)?.serialize(s)
}

/// `Deserialize` for a message: any value, written as JSON and parsed by zpb's parser
/// (default options).
pub fn deserialize<'de, M: JsonMessage + Default, D: de::Deserializer<'de>>(
    d: D,
) -> Result<M, D::Error> {
    let mut json = String::new();
    let mut writer = JsonWriter::new(&mut json, WriteOptions::default());
    d.deserialize_any(JsonValue(&mut writer))?;
    let mut message = M::default();
    crate::format::merge_json(&mut message, json.as_bytes(), &JsonOptions::default())
        .map_err(de::Error::custom)?;
    Ok(message)
}

/// A value of the input, written as JSON into the writer.
struct JsonValue<'w, 'o>(&'w mut JsonWriter<'o>);

impl<'de> DeserializeSeed<'de> for JsonValue<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonValue<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a ProtoJSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.null();
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.bool(v);
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.0.raw(&v.to_string());
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.0.raw(&v.to_string());
        Ok(())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.0.raw(&v.to_string());
        Ok(())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.0.raw(&v.to_string());
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // Non-finite values become the strings ProtoJSON spells them with.
        self.0.f64(v);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.string(v);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.begin_array();
        while seq.next_element_seed(JsonValue(&mut *self.0))?.is_some() {}
        self.0.end_array();
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.begin_object();
        while let Some(key) = map.next_key::<String>()? {
            self.0.key(&key);
            map.next_value_seed(JsonValue(&mut *self.0))?;
        }
        self.0.end_object();
        Ok(())
    }
}
