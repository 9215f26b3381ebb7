//! The value model of reflection: [`Value`] (owned), [`ValueRef`] (borrowed) and
//! [`MapKey`].

use super::dynamic::{DynamicMessage, ListRef, MapRef};
use std::collections::HashMap;

/// An owned field value: what [`DynamicMessage::set_field`] takes.
///
/// Enum values are numbers ([`Value::EnumNumber`]); a list or map holds the values of its
/// elements. 32-bit kinds (`int32`, `sint32`, `sfixed32`) are `I32`, and so on by Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `bool`.
    Bool(bool),
    /// `int32`, `sint32`, `sfixed32`.
    I32(i32),
    /// `int64`, `sint64`, `sfixed64`.
    I64(i64),
    /// `uint32`, `fixed32`.
    U32(u32),
    /// `uint64`, `fixed64`.
    U64(u64),
    /// `float`.
    F32(f32),
    /// `double`.
    F64(f64),
    /// `string`.
    String(String),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// An enum, by number.
    EnumNumber(i32),
    /// A message or group.
    Message(DynamicMessage),
    /// A repeated field's elements.
    List(Vec<Value>),
    /// A map field's entries.
    Map(HashMap<MapKey, Value>),
}

/// A borrowed field value: what [`DynamicMessage::get_field`] returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    /// `bool`.
    Bool(bool),
    /// `int32`, `sint32`, `sfixed32`.
    I32(i32),
    /// `int64`, `sint64`, `sfixed64`.
    I64(i64),
    /// `uint32`, `fixed32`.
    U32(u32),
    /// `uint64`, `fixed64`.
    U64(u64),
    /// `float`.
    F32(f32),
    /// `double`.
    F64(f64),
    /// `string`.
    String(&'a str),
    /// `bytes`.
    Bytes(&'a [u8]),
    /// An enum, by number.
    EnumNumber(i32),
    /// A message or group.
    Message(&'a DynamicMessage),
    /// A repeated field.
    List(ListRef<'a>),
    /// A map field.
    Map(MapRef<'a>),
}

macro_rules! accessors {
    ($($(#[$doc:meta])* $name:ident -> $t:ty = $variant:ident;)*) => {
        impl ValueRef<'_> {
            $($(#[$doc])* pub fn $name(&self) -> Option<$t> {
                match *self {
                    ValueRef::$variant(v) => Some(v),
                    _ => None,
                }
            })*
        }
        impl Value {
            $($(#[$doc])* pub fn $name(&self) -> Option<$t> {
                self.as_ref().$name()
            })*
        }
    };
}

accessors! {
    /// The value if it is a `bool`.
    as_bool -> bool = Bool;
    /// The value if it is an `I32`.
    as_i32 -> i32 = I32;
    /// The value if it is an `I64`.
    as_i64 -> i64 = I64;
    /// The value if it is a `U32`.
    as_u32 -> u32 = U32;
    /// The value if it is a `U64`.
    as_u64 -> u64 = U64;
    /// The value if it is an `F32`.
    as_f32 -> f32 = F32;
    /// The value if it is an `F64`.
    as_f64 -> f64 = F64;
    /// The enum number if it is an enum value.
    as_enum_number -> i32 = EnumNumber;
}

impl<'a> ValueRef<'a> {
    /// The string if it is one.
    pub fn as_str(&self) -> Option<&'a str> {
        match *self {
            ValueRef::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes if they are bytes.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match *self {
            ValueRef::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The message if it is one.
    pub fn as_message(&self) -> Option<&'a DynamicMessage> {
        match *self {
            ValueRef::Message(m) => Some(m),
            _ => None,
        }
    }

    /// The list if it is one.
    pub fn as_list(&self) -> Option<ListRef<'a>> {
        match *self {
            ValueRef::List(l) => Some(l),
            _ => None,
        }
    }

    /// The map if it is one.
    pub fn as_map(&self) -> Option<MapRef<'a>> {
        match *self {
            ValueRef::Map(m) => Some(m),
            _ => None,
        }
    }

    /// An owned copy.
    pub fn to_value(&self) -> Value {
        match *self {
            ValueRef::Bool(v) => Value::Bool(v),
            ValueRef::I32(v) => Value::I32(v),
            ValueRef::I64(v) => Value::I64(v),
            ValueRef::U32(v) => Value::U32(v),
            ValueRef::U64(v) => Value::U64(v),
            ValueRef::F32(v) => Value::F32(v),
            ValueRef::F64(v) => Value::F64(v),
            ValueRef::String(v) => Value::String(v.to_string()),
            ValueRef::Bytes(v) => Value::Bytes(v.to_vec()),
            ValueRef::EnumNumber(v) => Value::EnumNumber(v),
            ValueRef::Message(m) => Value::Message(m.clone()),
            ValueRef::List(l) => Value::List(l.iter().map(|v| v.to_value()).collect()),
            ValueRef::Map(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
        }
    }
}

impl Value {
    /// A borrowed view.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Bool(v) => ValueRef::Bool(*v),
            Value::I32(v) => ValueRef::I32(*v),
            Value::I64(v) => ValueRef::I64(*v),
            Value::U32(v) => ValueRef::U32(*v),
            Value::U64(v) => ValueRef::U64(*v),
            Value::F32(v) => ValueRef::F32(*v),
            Value::F64(v) => ValueRef::F64(*v),
            Value::String(v) => ValueRef::String(v),
            Value::Bytes(v) => ValueRef::Bytes(v),
            Value::EnumNumber(v) => ValueRef::EnumNumber(*v),
            Value::Message(m) => ValueRef::Message(m),
            Value::List(l) => ValueRef::List(ListRef::values(l)),
            Value::Map(m) => ValueRef::Map(MapRef(m)),
        }
    }

    /// The string if it is one.
    pub fn as_str(&self) -> Option<&str> {
        self.as_ref().as_str()
    }

    /// The bytes if they are bytes.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.as_ref().as_bytes()
    }

    /// The message if it is one.
    pub fn as_message(&self) -> Option<&DynamicMessage> {
        match self {
            Value::Message(m) => Some(m),
            _ => None,
        }
    }
}

/// A map key: the integer, bool and string kinds protobuf allows as keys. Ordered as text
/// format prints entries (by key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MapKey {
    /// `bool`.
    Bool(bool),
    /// `int32`, `sint32`, `sfixed32`.
    I32(i32),
    /// `int64`, `sint64`, `sfixed64`.
    I64(i64),
    /// `uint32`, `fixed32`.
    U32(u32),
    /// `uint64`, `fixed64`.
    U64(u64),
    /// `string`.
    String(String),
}

impl MapKey {
    /// The key as a value.
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            MapKey::Bool(v) => ValueRef::Bool(*v),
            MapKey::I32(v) => ValueRef::I32(*v),
            MapKey::I64(v) => ValueRef::I64(*v),
            MapKey::U32(v) => ValueRef::U32(*v),
            MapKey::U64(v) => ValueRef::U64(*v),
            MapKey::String(v) => ValueRef::String(v),
        }
    }

    /// The key of a value, when the value's kind can be a key.
    pub fn from_value(value: ValueRef<'_>) -> Option<MapKey> {
        Some(match value {
            ValueRef::Bool(v) => MapKey::Bool(v),
            ValueRef::I32(v) => MapKey::I32(v),
            ValueRef::I64(v) => MapKey::I64(v),
            ValueRef::U32(v) => MapKey::U32(v),
            ValueRef::U64(v) => MapKey::U64(v),
            ValueRef::String(v) => MapKey::String(v.to_string()),
            _ => return None,
        })
    }
}

macro_rules! from_impls {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value {
                Value::$variant(v.into())
            }
        }
    )*};
}

from_impls!(bool => Bool, i32 => I32, i64 => I64, u32 => U32, u64 => U64, f32 => F32,
    f64 => F64, String => String, &str => String, Vec<u8> => Bytes, &[u8] => Bytes,
    DynamicMessage => Message);
