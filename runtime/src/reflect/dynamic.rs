//! [`DynamicMessage`]: a message whose shape is a [`MessageDescriptor`] known only at run
//! time, with the wire behaviour, memory reuse and text output of generated messages.
//!
//! Every field's value is kept in the containers generated code uses (`Optional<T>`,
//! `Vec<f64>`, `Repeated<String>`, a sub-message held inline, ...) and read, sized and written by the
//! same `zpb::codec` functions generated code calls, chosen at run time from the field's type:
//! the wire format has one implementation, so a dynamic message's bytes are the generated
//! type's bytes by construction.

use super::descriptors::{FieldDescriptor, FieldLoc, MessageDescriptor, OneofDescriptor};
use super::layout::{Class, Layout, SlotKind};
use super::pool::{DefaultValue, EnumInner, FieldInner, FieldType, PoolInner};
use super::DescriptorPool;
use crate::codec::{self, map_entry, Kind as _, PresenceField, RepeatedField};
use crate::descriptor::field_descriptor_proto::Type;
use crate::descriptor::{DescriptorProto, FileDescriptorProto};
use crate::error::DecodeError;
use crate::field::{CachedSize, Optional, Repeated, Reuse, UnknownFields};
use crate::text::TextWriter;
use crate::wire::{Decoder, Encoder, Tag, WireType};
use crate::Message;
use std::collections::HashMap;
use std::fmt;
use std::mem::size_of;
use std::sync::OnceLock;

/// Why a reflective write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReflectError {
    /// The field belongs to another message (or is an extension, which a dynamic message
    /// keeps in its unknown fields).
    NotAField {
        /// The field's full name.
        field: String,
        /// The message's full name.
        message: String,
    },
    /// The value's type does not fit the field.
    TypeMismatch {
        /// The field's full name.
        field: String,
        /// What was expected.
        expected: String,
    },
    /// No field with this name.
    NoSuchField(String),
    /// Extension bytes in the unknown fields that do not parse.
    Decode(DecodeError),
    /// A list index past the end.
    IndexOutOfRange {
        /// The index.
        index: usize,
        /// The list's length.
        len: usize,
    },
}

impl fmt::Display for ReflectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReflectError::NotAField { field, message } => {
                write!(f, "{field} is not a field of {message}")
            }
            ReflectError::TypeMismatch { field, expected } => {
                write!(f, "{field} expects {expected}")
            }
            ReflectError::NoSuchField(name) => write!(f, "no field named {name}"),
            ReflectError::Decode(e) => write!(f, "extension does not parse: {e}"),
            ReflectError::IndexOutOfRange { index, len } => {
                write!(f, "index {index} is past the end of a list of {len}")
            }
        }
    }
}

impl std::error::Error for ReflectError {}

// ---- storage -----------------------------------------------------------------------------

/// One singular scalar, string or bytes field, with presence (implicit-presence fields use
/// the flag only to know that a value was written; "has" looks at the value).
#[derive(Clone)]
enum Single {
    F64(Optional<f64>),
    F32(Optional<f32>),
    I64(Optional<i64>),
    U64(Optional<u64>),
    I32(Optional<i32>),
    U32(Optional<u32>),
    Bool(Optional<bool>),
    String(Optional<String>),
    Bytes(Optional<Vec<u8>>),
}

/// One repeated scalar, string or bytes field.
#[derive(Clone)]
enum List {
    F64(Vec<f64>),
    F32(Vec<f32>),
    I64(Vec<i64>),
    U64(Vec<u64>),
    I32(Vec<i32>),
    U32(Vec<u32>),
    Bool(Vec<bool>),
    String(Repeated<String>),
    Bytes(Repeated<Vec<u8>>),
}

/// Routes a numeric storage variant to the `zpb::codec` kind of the field's type: `$K` is
/// the kind and `$v` the storage in `$body`; anything else gives `$fallback`.
macro_rules! numeric {
    ($ty:expr, $S:ident, $slot:expr, |$K:ident, $v:ident| $body:expr, $fallback:expr) => {
        match ($ty, $slot) {
            (Type::Double, $S::F64($v)) => {
                type $K = codec::Double;
                $body
            }
            (Type::Float, $S::F32($v)) => {
                type $K = codec::Float;
                $body
            }
            (Type::Int64, $S::I64($v)) => {
                type $K = codec::Int64;
                $body
            }
            (Type::Sint64, $S::I64($v)) => {
                type $K = codec::SInt64;
                $body
            }
            (Type::Sfixed64, $S::I64($v)) => {
                type $K = codec::SFixed64;
                $body
            }
            (Type::Uint64, $S::U64($v)) => {
                type $K = codec::UInt64;
                $body
            }
            (Type::Fixed64, $S::U64($v)) => {
                type $K = codec::Fixed64;
                $body
            }
            (Type::Int32 | Type::Enum, $S::I32($v)) => {
                type $K = codec::Int32;
                $body
            }
            (Type::Sint32, $S::I32($v)) => {
                type $K = codec::SInt32;
                $body
            }
            (Type::Sfixed32, $S::I32($v)) => {
                type $K = codec::SFixed32;
                $body
            }
            (Type::Uint32, $S::U32($v)) => {
                type $K = codec::UInt32;
                $body
            }
            (Type::Fixed32, $S::U32($v)) => {
                type $K = codec::Fixed32;
                $body
            }
            (Type::Bool, $S::Bool($v)) => {
                type $K = codec::Bool;
                $body
            }
            _ => $fallback,
        }
    };
}

pub(crate) mod extensions;
mod json;
mod text_parse;

fn class(ty: Type) -> Class {
    match ty {
        Type::Double => Class::F64,
        Type::Float => Class::F32,
        Type::Int64 | Type::Sint64 | Type::Sfixed64 => Class::I64,
        Type::Uint64 | Type::Fixed64 => Class::U64,
        Type::Int32 | Type::Sint32 | Type::Sfixed32 | Type::Enum => Class::I32,
        Type::Uint32 | Type::Fixed32 => Class::U32,
        Type::Bool => Class::Bool,
        Type::String => Class::String,
        Type::Bytes => Class::Bytes,
        Type::Message | Type::Group => Class::Message,
    }
}

fn proto_type(f: &FieldInner) -> Type {
    match f.ty {
        FieldType::Scalar(t) => t,
        FieldType::Message(_) => Type::Message,
        FieldType::Group(_) => Type::Group,
        FieldType::Enum(_) => Type::Enum,
    }
}

/// A singular message field, held inline (no box of its own: the sub-message's field table
/// is its one allocation). `MessageField` semantics: a cleared value is kept for reuse.
/// Until the field is first set, `msg` has no field table ([`DynamicMessage::unmade`]: made
/// eagerly, tables would not end for recursive types); reads of the field then see `empty`,
/// made on the first such read.
#[derive(Clone)]
struct MessageSlot {
    msg: DynamicMessage,
    present: bool,
    empty: OnceLock<Box<DynamicMessage>>,
}

impl MessageSlot {
    /// What the field reads as: its value, or an empty message when unset.
    fn get(&self) -> &DynamicMessage {
        if self.present || self.msg.is_made() {
            &self.msg
        } else {
            self.empty
                .get_or_init(|| Box::new(DynamicMessage::new(self.msg.desc.clone())))
        }
    }
}

impl PresenceField for MessageSlot {
    type Value = DynamicMessage;
    #[inline]
    fn value(&self) -> Option<&DynamicMessage> {
        self.present.then_some(&self.msg)
    }
    #[inline]
    fn insert_mut(&mut self) -> &mut DynamicMessage {
        self.present = true;
        self.msg.make();
        &mut self.msg
    }
}

impl Reuse for MessageSlot {
    #[inline]
    fn clear(&mut self) {
        if self.present {
            self.msg.clear();
            self.present = false;
        }
    }

    fn space_used(&self) -> usize {
        self.msg.space_used()
    }

    /// A set value is trimmed; a kept empty one keeps its field table while the table fits
    /// the budget (and is trimmed in turn), else the table and all it retains are released
    /// (as `MessageField` keeps or releases its box).
    fn trim(&mut self, budget: &mut usize) {
        if !self.present && self.msg.table_bytes() > *budget {
            self.msg.table = Box::default();
            self.msg.unknown = UnknownFields::default();
        } else {
            self.msg.trim(budget);
        }
    }
}

/// A repeated message field: cleared elements are kept for reuse, as `Repeated` keeps them,
/// but without `Repeated`'s running count of the bytes they hold. Measuring a dynamic message
/// walks its fields, so keeping that count would walk every element twice per parse (once as
/// it is cleared, once as it is reused); measuring the list walks its kept elements instead.
struct MessageList {
    /// Live elements `[..len]`, then cleared ones kept for reuse.
    items: Vec<DynamicMessage>,
    len: usize,
    desc: MessageDescriptor,
}

impl MessageList {
    fn new(desc: MessageDescriptor) -> Self {
        MessageList {
            items: Vec::new(),
            len: 0,
            desc,
        }
    }

    /// The live elements.
    #[inline]
    fn live(&self) -> &[DynamicMessage] {
        &self.items[..self.len]
    }

    /// The live elements, to change.
    #[inline]
    fn live_mut(&mut self) -> &mut [DynamicMessage] {
        &mut self.items[..self.len]
    }

    /// Appends `m` (kept elements stay behind it).
    fn push(&mut self, m: DynamicMessage) {
        self.items.push(m);
        let last = self.items.len() - 1;
        self.items.swap(self.len, last);
        self.len += 1;
    }
}

/// Clones the live elements only (as `Repeated` does).
impl Clone for MessageList {
    fn clone(&self) -> Self {
        MessageList {
            items: self.live().to_vec(),
            len: self.len,
            desc: self.desc.clone(),
        }
    }
}

impl Reuse for MessageList {
    fn clear(&mut self) {
        for m in self.live_mut() {
            m.clear();
        }
        self.len = 0;
    }

    fn space_used(&self) -> usize {
        self.items.capacity() * size_of::<DynamicMessage>()
            + self.items.iter().map(Reuse::space_used).sum::<usize>()
    }

    /// `Repeated`'s order: the buffer is kept whole while it fits the budget (else the kept
    /// elements go and it shrinks to the live ones), then each element is trimmed.
    fn trim(&mut self, budget: &mut usize) {
        let held = self.items.capacity() * size_of::<DynamicMessage>();
        if held <= *budget {
            *budget -= held;
        } else {
            self.items.truncate(self.len);
            self.items.shrink_to_fit();
            *budget = budget.saturating_sub(self.items.capacity() * size_of::<DynamicMessage>());
        }
        for m in &mut self.items {
            m.trim(budget);
        }
    }
}

impl RepeatedField for MessageList {
    type Value = DynamicMessage;
    #[inline]
    fn add_default(&mut self) -> &mut DynamicMessage {
        let i = self.len;
        if i == self.items.len() {
            // Built with its type at once (no `Default` message built first and replaced).
            self.items.push(DynamicMessage::new(self.desc.clone()));
        } else if self.items[i].desc != self.desc {
            self.items[i] = DynamicMessage::new(self.desc.clone());
        }
        self.len += 1;
        &mut self.items[i]
    }
    #[inline]
    fn values(&self) -> &[DynamicMessage] {
        self.live()
    }
    #[inline]
    fn reserve(&mut self, additional: usize) {
        let kept = self.items.len() - self.len;
        if additional > kept {
            self.items.reserve(additional - kept);
        }
    }
}

/// One field's storage. `repr(u8)`: the variant is a byte of its own, read with one load by
/// every match (the default layout would hide it in the niche of `MessageSlot::present`,
/// which costs every match a few instructions to decode).
#[derive(Clone)]
#[repr(u8)]
enum Slot {
    Single(Single),
    Message(MessageSlot),
    List(List),
    Messages(MessageList),
    Map(HashMap<MapKey, Value>),
}

impl Layout {
    /// The layout of message type `desc`, worked out on first use.
    fn of(desc: &MessageDescriptor) -> &Layout {
        let msg = desc.inner();
        msg.layout.get_or_init(|| {
            let pool = &desc.pool.inner;
            let holds_required = |f: &FieldInner| match f.ty {
                // A map's entry type has required fields exactly when its values do.
                FieldType::Message(m) | FieldType::Group(m) => {
                    pool.messages[m as usize].has_required
                }
                _ => false,
            };
            Layout {
                kinds: msg.fields.iter().map(SlotKind::of).collect(),
                checked: (0..msg.fields.len() as u32)
                    .filter(|&i| {
                        let f = &msg.fields[i as usize];
                        f.is_required() || holds_required(f)
                    })
                    .collect(),
            }
        })
    }
}

impl SlotKind {
    fn of(f: &FieldInner) -> SlotKind {
        match f.ty {
            _ if f.is_map => SlotKind::Map,
            FieldType::Message(m) | FieldType::Group(m) if f.is_repeated() => SlotKind::Messages(m),
            FieldType::Message(m) | FieldType::Group(m) => SlotKind::Message(m),
            _ if f.is_repeated() => SlotKind::List(class(proto_type(f))),
            _ => SlotKind::Single(class(proto_type(f))),
        }
    }
}

impl Slot {
    fn new(pool: &DescriptorPool, f: &FieldInner) -> Slot {
        Slot::of_kind(pool, SlotKind::of(f))
    }

    /// An empty slot of `kind` (message types are in `pool`).
    #[inline]
    fn of_kind(pool: &DescriptorPool, kind: SlotKind) -> Slot {
        let message = |m: u32| MessageDescriptor::new(pool.clone(), m);
        match kind {
            SlotKind::Map => Slot::Map(HashMap::new()),
            SlotKind::Messages(m) => Slot::Messages(MessageList::new(message(m))),
            SlotKind::Message(m) => Slot::Message(MessageSlot {
                msg: DynamicMessage::unmade(message(m)),
                present: false,
                empty: OnceLock::new(),
            }),
            SlotKind::List(class) => Slot::List(match class {
                Class::F64 => List::F64(Vec::new()),
                Class::F32 => List::F32(Vec::new()),
                Class::I64 => List::I64(Vec::new()),
                Class::U64 => List::U64(Vec::new()),
                Class::I32 => List::I32(Vec::new()),
                Class::U32 => List::U32(Vec::new()),
                Class::Bool => List::Bool(Vec::new()),
                Class::String => List::String(Repeated::new()),
                Class::Bytes | Class::Message => List::Bytes(Repeated::new()),
            }),
            SlotKind::Single(class) => Slot::Single(match class {
                Class::F64 => Single::F64(Optional::default()),
                Class::F32 => Single::F32(Optional::default()),
                Class::I64 => Single::I64(Optional::default()),
                Class::U64 => Single::U64(Optional::default()),
                Class::I32 => Single::I32(Optional::default()),
                Class::U32 => Single::U32(Optional::default()),
                Class::Bool => Single::Bool(Optional::default()),
                Class::String => Single::String(Optional::default()),
                Class::Bytes | Class::Message => Single::Bytes(Optional::default()),
            }),
        }
    }
}

impl Reuse for Slot {
    fn clear(&mut self) {
        match self {
            Slot::Single(s) => match s {
                Single::F64(v) => v.clear(),
                Single::F32(v) => v.clear(),
                Single::I64(v) => v.clear(),
                Single::U64(v) => v.clear(),
                Single::I32(v) => v.clear(),
                Single::U32(v) => v.clear(),
                Single::Bool(v) => v.clear(),
                Single::String(v) => v.clear(),
                Single::Bytes(v) => v.clear(),
            },
            Slot::Message(m) => m.clear(),
            Slot::List(l) => match l {
                List::F64(v) => v.clear(),
                List::F32(v) => v.clear(),
                List::I64(v) => v.clear(),
                List::U64(v) => v.clear(),
                List::I32(v) => v.clear(),
                List::U32(v) => v.clear(),
                List::Bool(v) => v.clear(),
                List::String(v) => Reuse::clear(v),
                List::Bytes(v) => Reuse::clear(v),
            },
            Slot::Messages(l) => l.clear(),
            Slot::Map(m) => m.clear(),
        }
    }

    fn space_used(&self) -> usize {
        match self {
            Slot::Single(Single::String(v)) => v.space_used(),
            Slot::Single(Single::Bytes(v)) => v.space_used(),
            Slot::Single(_) => 0,
            Slot::Message(m) => m.space_used(),
            Slot::List(l) => match l {
                List::F64(v) => v.space_used(),
                List::F32(v) => v.space_used(),
                List::I64(v) => v.space_used(),
                List::U64(v) => v.space_used(),
                List::I32(v) => v.space_used(),
                List::U32(v) => v.space_used(),
                List::Bool(v) => v.space_used(),
                List::String(v) => v.space_used(),
                List::Bytes(v) => v.space_used(),
            },
            Slot::Messages(l) => l.space_used(),
            Slot::Map(m) => {
                m.capacity() * size_of::<(MapKey, Value)>()
                    + m.iter()
                        .map(|(k, v)| key_heap(k) + value_heap(v))
                        .sum::<usize>()
            }
        }
    }

    fn trim(&mut self, budget: &mut usize) {
        match self {
            Slot::Single(Single::String(v)) => v.trim(budget),
            Slot::Single(Single::Bytes(v)) => v.trim(budget),
            Slot::Single(_) => {}
            Slot::Message(m) => m.trim(budget),
            Slot::List(l) => match l {
                List::F64(v) => v.trim(budget),
                List::F32(v) => v.trim(budget),
                List::I64(v) => v.trim(budget),
                List::U64(v) => v.trim(budget),
                List::I32(v) => v.trim(budget),
                List::U32(v) => v.trim(budget),
                List::Bool(v) => v.trim(budget),
                List::String(v) => v.trim(budget),
                List::Bytes(v) => v.trim(budget),
            },
            Slot::Messages(l) => l.trim(budget),
            Slot::Map(m) => {
                let held = m.capacity() * size_of::<(MapKey, Value)>();
                if held > *budget {
                    m.shrink_to_fit();
                }
                *budget = budget.saturating_sub(m.capacity() * size_of::<(MapKey, Value)>());
            }
        }
    }
}

fn key_heap(k: &MapKey) -> usize {
    match k {
        MapKey::String(s) => s.capacity(),
        _ => 0,
    }
}

fn value_heap(v: &Value) -> usize {
    match v {
        Value::String(s) => s.capacity(),
        Value::Bytes(b) => b.capacity(),
        Value::Message(m) => m.space_used(),
        Value::List(l) => {
            l.capacity() * size_of::<Value>() + l.iter().map(value_heap).sum::<usize>()
        }
        Value::Map(m) => {
            m.capacity() * size_of::<(MapKey, Value)>()
                + m.iter()
                    .map(|(k, v)| key_heap(k) + value_heap(v))
                    .sum::<usize>()
        }
        _ => 0,
    }
}

// ---- the message -------------------------------------------------------------------------

/// A field table for `desc`: one empty slot per field.
fn new_table(desc: &MessageDescriptor) -> Box<[Slot]> {
    Layout::of(desc)
        .kinds
        .iter()
        .map(|&kind| Slot::of_kind(&desc.pool, kind))
        .collect()
}

/// The slots of a message's field `table` (for type `desc`), made first if they were not.
fn made<'t>(table: &'t mut Box<[Slot]>, desc: &MessageDescriptor) -> &'t mut [Slot] {
    if table.is_empty() {
        *table = new_table(desc);
    }
    table
}

/// A message described by a [`MessageDescriptor`] at run time (C++ `DynamicMessage`,
/// prost-reflect's `DynamicMessage`).
///
/// It is a full [`zpb::Message`](crate::Message): parsing, serializing (the same bytes as the
/// generated type: fields in number order, packed as the descriptor says, unknown fields
/// kept and written last), `byte_size`, required-field checks, recursion and size limits with
/// the same typed errors, and text format as `Debug`. It keeps its memory when cleared, as
/// generated messages do: a cleared message parses the same shape again with no allocation.
/// Fields are read and written by [`FieldDescriptor`]; extensions stay in the unknown fields.
///
/// What the `Message` trait cannot say about a type known only at run time: `NAME` is a
/// constant (`zpb.DynamicMessage`; the type's name is [`full_name`](Self::full_name)), and
/// `Default` / `default_instance` have no descriptor to go by, so they are an empty
/// `google.protobuf.Empty` (every field unknown). Build messages with
/// [`DynamicMessage::new`] / [`DynamicMessage::decode`] rather than the trait's
/// `parse_from_*` constructors; everything that works on an existing message (merging,
/// serializing, `clear_with`, `Any`) keeps its type.
///
/// ```
/// use zpb::descriptor::field_descriptor_proto::{Label, Type};
/// use zpb::descriptor::FileDescriptorProto;
/// use zpb::reflect::{DescriptorPool, DynamicMessage, Value};
/// use zpb::Message;
///
/// let mut file = FileDescriptorProto::default();
/// file.set_name("point.proto");
/// file.set_syntax("proto3");
/// let point = file.add_message_type();
/// point.set_name("Point");
/// for (i, name) in ["x", "y"].into_iter().enumerate() {
///     let f = point.add_field();
///     f.set_name(name);
///     f.set_number(i as i32 + 1);
///     f.set_label(Label::Optional);
///     f.set_type(Type::Sint32);
/// }
/// let mut pool = DescriptorPool::new();
/// pool.add_file_descriptor_protos([file]).unwrap();
/// let desc = pool.get_message_by_name("Point").unwrap();
///
/// let mut p = DynamicMessage::new(desc.clone());
/// p.set_field_by_name("x", Value::I32(-3)).unwrap();
/// assert_eq!(p.serialize_to_vec().unwrap(), [0x08, 0x05]);
/// assert_eq!(format!("{p:?}"), "x: -3");
///
/// let mut q = DynamicMessage::new(desc);
/// q.merge_from_slice(&[0x08, 0x05, 0x10, 0x02]).unwrap();
/// assert_eq!(q.get_field_by_name("y").and_then(|v| v.as_i32()), Some(1));
/// ```
#[derive(Clone)]
pub struct DynamicMessage {
    desc: MessageDescriptor,
    /// One slot per field of `desc`, in field order. Every message reachable through the API
    /// has it; only the value an unset sub-message field keeps may lack it
    /// ([`DynamicMessage::unmade`]), until the field is set.
    table: Box<[Slot]>,
    unknown: UnknownFields,
    cached_size: CachedSize,
}

/// The descriptor of `Default` dynamic messages: an empty message, `google.protobuf.Empty`,
/// in a pool of its own.
fn empty_descriptor() -> &'static MessageDescriptor {
    static EMPTY: OnceLock<MessageDescriptor> = OnceLock::new();
    EMPTY.get_or_init(|| {
        let mut file = FileDescriptorProto::default();
        file.set_name("google/protobuf/empty.proto");
        file.set_package("google.protobuf");
        file.set_syntax("proto3");
        let mut empty = DescriptorProto::default();
        empty.set_name("Empty");
        file.mutable_message_type().push(empty);
        let mut pool = DescriptorPool::new();
        match pool.add_file_descriptor_protos([file]) {
            Ok(()) => {}
            Err(e) => unreachable!("the built-in empty.proto is valid: {e}"),
        }
        MessageDescriptor::new(pool, 0)
    })
}

impl Default for DynamicMessage {
    /// An empty `google.protobuf.Empty`, the one message type every pool can describe
    /// without being told: every field it parses from the wire is kept as unknown (and
    /// written back, and printed as unknown in text format); its JSON is `{}` and JSON or
    /// text naming any field is refused as an unknown field. It exists because
    /// `zpb::Message` needs a default; merging a message of a real type into it
    /// ([`Message::merge_from`]) turns it into that type. Use [`DynamicMessage::new`] to
    /// make a message of a real type.
    fn default() -> Self {
        DynamicMessage {
            desc: empty_descriptor().clone(),
            table: Box::default(),
            unknown: UnknownFields::default(),
            cached_size: CachedSize::default(),
        }
    }
}

impl DynamicMessage {
    /// An empty message of type `desc`.
    pub fn new(desc: MessageDescriptor) -> DynamicMessage {
        DynamicMessage {
            table: new_table(&desc),
            desc,
            unknown: UnknownFields::default(),
            cached_size: CachedSize::default(),
        }
    }

    /// An empty message of type `desc` without its field table, made by
    /// [`make`](Self::make) when the sub-message field holding it is set (making tables
    /// eagerly would not end for recursive types, and costs an allocation per sub-message
    /// field that is never set). Only `MessageSlot` holds such messages, and never hands one
    /// out.
    fn unmade(desc: MessageDescriptor) -> DynamicMessage {
        DynamicMessage {
            desc,
            table: Box::default(),
            unknown: UnknownFields::default(),
            cached_size: CachedSize::default(),
        }
    }

    /// Heap bytes of the field table itself (0 while it is not made).
    fn table_bytes(&self) -> usize {
        self.table.len() * size_of::<Slot>()
    }

    /// Whether it has its field table (see [`unmade`](Self::unmade)).
    fn is_made(&self) -> bool {
        self.table.len() == self.desc.inner().fields.len()
    }

    /// Makes its field table if it has none.
    #[inline]
    fn make(&mut self) {
        made(&mut self.table, &self.desc);
    }

    /// The field slots.
    #[inline]
    fn slots(&self) -> &[Slot] {
        &self.table
    }

    /// The field slots to change.
    #[inline]
    fn slots_mut(&mut self) -> &mut [Slot] {
        &mut self.table
    }

    /// The type and the field slots to change (borrowed apart).
    fn parts_mut(&mut self) -> (&MessageDescriptor, &mut [Slot]) {
        (&self.desc, &mut self.table)
    }

    /// Parses a message of type `desc` (required fields checked).
    pub fn decode(desc: MessageDescriptor, bytes: &[u8]) -> Result<DynamicMessage, DecodeError> {
        let mut m = DynamicMessage::new(desc);
        m.merge_from_slice(bytes)?;
        Ok(m)
    }

    /// Empties the message, keeping its memory for the next parse (C++ `Clear()`; the same
    /// as [`Reuse::clear`], callable without importing the trait).
    pub fn clear(&mut self) {
        Reuse::clear(self)
    }

    /// Its type.
    pub fn descriptor(&self) -> &MessageDescriptor {
        &self.desc
    }

    /// The index of `field` among this message's fields, if it is one of them.
    fn index_of(&self, field: &FieldDescriptor) -> Result<usize, ReflectError> {
        match field.loc {
            FieldLoc::Field { message, index }
                if message == self.desc.index && field.pool == self.desc.pool =>
            {
                Ok(index as usize)
            }
            _ => Err(ReflectError::NotAField {
                field: field.full_name().to_string(),
                message: self.desc.full_name().to_string(),
            }),
        }
    }

    fn pool(&self) -> &PoolInner {
        &self.desc.pool.inner
    }

    // ---- reading ---------------------------------------------------------------------------

    /// Whether `field` is set: for fields with presence, whether a value was set; for
    /// implicit-presence (proto3) fields, whether the value is not the default; for lists
    /// and maps, whether they are non-empty. `false` for a field of another message.
    pub fn has_field(&self, field: &FieldDescriptor) -> bool {
        self.index_of(field).is_ok_and(|i| self.has_index(i))
    }

    fn has_index(&self, i: usize) -> bool {
        slot_has(&self.desc.inner().fields[i], &self.slots()[i])
    }

    /// The value of `field`: its default when unset (for a message field, an empty message),
    /// a [`ListRef`] or [`MapRef`] for repeated fields. `None` if `field` is not a field of
    /// this message.
    pub fn get_field(&self, field: &FieldDescriptor) -> Option<ValueRef<'_>> {
        let i = self.index_of(field).ok()?;
        Some(self.get_index(i))
    }

    /// The value of the field named `name`.
    pub fn get_field_by_name(&self, name: &str) -> Option<ValueRef<'_>> {
        let i = *self.desc.inner().by_name.get(name)?;
        Some(self.get_index(i as usize))
    }

    /// The value of the field numbered `number`.
    pub fn get_field_by_number(&self, number: u32) -> Option<ValueRef<'_>> {
        let i = self.desc.field_index_by_number(number)?;
        Some(self.get_index(i as usize))
    }

    fn get_index(&self, i: usize) -> ValueRef<'_> {
        slot_value(&self.desc.inner().fields[i], &self.slots()[i])
    }

    /// The fields that are set ([`has_field`](Self::has_field)), in number order, with their
    /// values.
    pub fn fields(&self) -> impl Iterator<Item = (FieldDescriptor, ValueRef<'_>)> + '_ {
        self.desc
            .inner()
            .number_order
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| self.has_index(i))
            .map(|i| {
                (
                    FieldDescriptor::field(&self.desc.pool, self.desc.index, i as u32),
                    self.get_index(i),
                )
            })
    }

    /// Which member of `oneof` is set.
    pub fn which_oneof(&self, oneof: &OneofDescriptor) -> Option<FieldDescriptor> {
        oneof.fields().find(|f| self.has_field(f))
    }

    // ---- writing ---------------------------------------------------------------------------

    /// Sets `field` to `value` (a whole list or map for repeated fields), clearing the other
    /// members of its oneof. The value must have the field's type: `Value::I32` for `int32`,
    /// `sint32` and `sfixed32`, `Value::EnumNumber` for enums, a `Value::Message` of the
    /// field's message type, and so on.
    pub fn set_field(&mut self, field: &FieldDescriptor, value: Value) -> Result<(), ReflectError> {
        let i = self.index_of(field)?;
        self.set_index(i, value)
    }

    /// Sets the field named `name`.
    pub fn set_field_by_name(&mut self, name: &str, value: Value) -> Result<(), ReflectError> {
        let i = *self
            .desc
            .inner()
            .by_name
            .get(name)
            .ok_or_else(|| ReflectError::NoSuchField(name.to_string()))?;
        self.set_index(i as usize, value)
    }

    fn mismatch(&self, i: usize) -> ReflectError {
        mismatch(&self.desc.inner().fields[i])
    }

    fn set_index(&mut self, i: usize, value: Value) -> Result<(), ReflectError> {
        let pool = self.desc.pool.clone();
        let f = &pool.inner.messages[self.desc.index as usize].fields[i];
        if !value_fits(&pool.inner, f, &value) {
            return Err(self.mismatch(i));
        }
        self.clear_index(i);
        fill_slot(&mut self.slots_mut()[i], value);
        self.clear_oneof_siblings(i);
        Ok(())
    }

    /// Appends `value` to the repeated field `field`.
    pub fn push_value(
        &mut self,
        field: &FieldDescriptor,
        value: Value,
    ) -> Result<(), ReflectError> {
        let i = self.index_of(field)?;
        let f = &self.desc.inner().fields[i];
        if !f.is_repeated() || f.is_map || !element_fits(self.pool(), f, &value) {
            return Err(self.mismatch(i));
        }
        push_element(&mut self.slots_mut()[i], value);
        Ok(())
    }

    /// Inserts an entry into the map field `field` (replacing the value of an existing key).
    pub fn insert_map_entry(
        &mut self,
        field: &FieldDescriptor,
        key: MapKey,
        value: Value,
    ) -> Result<(), ReflectError> {
        let i = self.index_of(field)?;
        let f = &self.desc.inner().fields[i];
        let fits = f.is_map && {
            let entry = &self.pool().messages[type_index(f) as usize];
            key_fits(&entry.fields[0], &key) && element_fits(self.pool(), &entry.fields[1], &value)
        };
        match &mut self.slots_mut()[i] {
            Slot::Map(m) if fits => {
                m.insert(key, value);
                Ok(())
            }
            _ => Err(self.mismatch(i)),
        }
    }

    /// Replaces element `index` of the repeated field `field`.
    pub fn set_list_element(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
        value: Value,
    ) -> Result<(), ReflectError> {
        let i = self.index_of(field)?;
        let f = &self.desc.inner().fields[i];
        if !f.is_repeated() || f.is_map || !element_fits(self.pool(), f, &value) {
            return Err(self.mismatch(i));
        }
        let len = list_or_map_len(&self.slots()[i]);
        if index >= len {
            return Err(ReflectError::IndexOutOfRange { index, len });
        }
        match (&mut self.slots_mut()[i], value) {
            (Slot::List(List::F64(l)), Value::F64(v)) => l[index] = v,
            (Slot::List(List::F32(l)), Value::F32(v)) => l[index] = v,
            (Slot::List(List::I64(l)), Value::I64(v)) => l[index] = v,
            (Slot::List(List::U64(l)), Value::U64(v)) => l[index] = v,
            (Slot::List(List::I32(l)), Value::I32(v) | Value::EnumNumber(v)) => l[index] = v,
            (Slot::List(List::U32(l)), Value::U32(v)) => l[index] = v,
            (Slot::List(List::Bool(l)), Value::Bool(v)) => l[index] = v,
            (Slot::List(List::String(l)), Value::String(v)) => l[index] = v,
            (Slot::List(List::Bytes(l)), Value::Bytes(v)) => l[index] = v,
            (Slot::Messages(l), Value::Message(v)) => l.live_mut()[index] = v,
            // Checked by `element_fits` above.
            _ => {}
        }
        Ok(())
    }

    /// Removes the entry for `key` from the map field `field`, returning its value.
    pub fn remove_map_entry(&mut self, field: &FieldDescriptor, key: &MapKey) -> Option<Value> {
        let i = self.index_of(field).ok()?;
        match &mut self.slots_mut()[i] {
            Slot::Map(m) => m.remove(key),
            _ => None,
        }
    }

    /// The message in the singular message field `field`, set (to an empty message) if it
    /// was not (C++ `MutableMessage`).
    pub fn get_message_mut(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut DynamicMessage, ReflectError> {
        let i = self.index_of(field)?;
        if !matches!(self.slots()[i], Slot::Message(_)) {
            return Err(self.mismatch(i));
        }
        self.clear_oneof_siblings(i);
        match &mut self.slots_mut()[i] {
            Slot::Message(m) => Ok(m.insert_mut()),
            _ => unreachable!("checked above"),
        }
    }

    /// Element `index` of the repeated message field `field`, to change in place (C++
    /// `MutableRepeatedMessage`).
    pub fn get_element_message_mut(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
    ) -> Result<&mut DynamicMessage, ReflectError> {
        let i = self.index_of(field)?;
        let (desc, slots) = self.parts_mut();
        match &mut slots[i] {
            Slot::Messages(l) => {
                let len = l.len;
                l.live_mut()
                    .get_mut(index)
                    .ok_or(ReflectError::IndexOutOfRange { index, len })
            }
            _ => Err(mismatch(&desc.inner().fields[i])),
        }
    }

    /// Appends an empty message to the repeated message field `field` and returns it (C++
    /// `AddMessage`; a kept element is reused, as parsing does).
    pub fn add_message(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut DynamicMessage, ReflectError> {
        let i = self.index_of(field)?;
        let (desc, slots) = self.parts_mut();
        match &mut slots[i] {
            Slot::Messages(l) => Ok(l.add_default()),
            _ => Err(mismatch(&desc.inner().fields[i])),
        }
    }

    /// The message under `key` in the map field `field` (whose values are messages), to
    /// change in place; an empty message is inserted first when the key is not there (C++
    /// `InsertOrLookupMapValue`).
    pub fn get_map_message_mut(
        &mut self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<&mut DynamicMessage, ReflectError> {
        let i = self.index_of(field)?;
        let f = &self.desc.inner().fields[i];
        let value_type = f.is_map.then(|| {
            let entry = &self.pool().messages[type_index(f) as usize];
            (key_fits(&entry.fields[0], key), entry.fields[1].ty)
        });
        let desc = match value_type {
            Some((true, FieldType::Message(m) | FieldType::Group(m))) => {
                MessageDescriptor::new(self.desc.pool.clone(), m)
            }
            _ => return Err(self.mismatch(i)),
        };
        let (this, slots) = self.parts_mut();
        let Slot::Map(map) = &mut slots[i] else {
            return Err(mismatch(&this.inner().fields[i]));
        };
        match map
            .entry(key.clone())
            .or_insert_with(|| Value::Message(DynamicMessage::new(desc)))
        {
            Value::Message(m) => Ok(m),
            // Map values are checked against the value type when inserted.
            _ => Err(mismatch(&this.inner().fields[i])),
        }
    }

    /// Clears `field` (keeping its memory for reuse). Does nothing for a field of another
    /// message.
    pub fn clear_field(&mut self, field: &FieldDescriptor) {
        if let Ok(i) = self.index_of(field) {
            self.clear_index(i)
        }
    }

    fn clear_index(&mut self, i: usize) {
        self.slots_mut()[i].clear();
    }

    fn clear_oneof_siblings(&mut self, i: usize) {
        let (desc, slots) = self.parts_mut();
        let msg = desc.inner();
        if let Some(o) = msg.fields[i].oneof {
            for &j in &msg.oneofs[o as usize].fields {
                if j as usize != i {
                    slots[j as usize].clear();
                }
            }
        }
    }

    // ---- extensions --------------------------------------------------------------------------

    /// `ext`'s descriptor if it is an extension of this message's type.
    fn extension_inner<'e>(
        &self,
        ext: &'e FieldDescriptor,
    ) -> Result<&'e FieldInner, ReflectError> {
        let f = ext.inner();
        if f.is_extension && f.containing == self.desc.index && ext.pool == self.desc.pool {
            Ok(f)
        } else {
            Err(ReflectError::NotAField {
                field: ext.full_name().to_string(),
                message: self.desc.full_name().to_string(),
            })
        }
    }

    /// Reads the occurrences of extension `f` in the unknown fields into a slot, as a parse
    /// would have (the last value wins, messages merge, lists append).
    fn read_extension(&self, f: &FieldInner) -> Result<Slot, DecodeError> {
        let mut slot = Slot::new(&self.desc.pool, f);
        let mut ignored = UnknownFields::default();
        let mut d = Decoder::new(self.unknown.as_bytes());
        while let Some(tag) = d.read_tag()? {
            let read = tag.field_number() == f.number
                && merge_slot(&self.desc.pool, f, &mut slot, tag, &mut d, &mut ignored)?;
            if !read {
                d.skip_value(tag)?;
            }
        }
        Ok(slot)
    }

    /// The value of extension `ext` (a dynamic message keeps extensions in its unknown
    /// fields, as generated messages do): `None` when it is not set.
    pub fn get_extension(&self, ext: &FieldDescriptor) -> Result<Option<Value>, ReflectError> {
        let f = self.extension_inner(ext)?;
        let slot = self.read_extension(f).map_err(ReflectError::Decode)?;
        Ok(slot_has(f, &slot).then(|| slot_value(f, &slot).to_value()))
    }

    /// Whether extension `ext` is set.
    pub fn has_extension(&self, ext: &FieldDescriptor) -> bool {
        matches!(self.get_extension(ext), Ok(Some(_)))
    }

    /// Sets extension `ext` (a whole list for a repeated one), replacing what was there.
    pub fn set_extension(
        &mut self,
        ext: &FieldDescriptor,
        value: Value,
    ) -> Result<(), ReflectError> {
        let f = self.extension_inner(ext)?;
        if !value_fits(self.pool(), f, &value) {
            return Err(mismatch(f));
        }
        let mut slot = Slot::new(&self.desc.pool, f);
        fill_slot(&mut slot, value);
        let mut bytes = Vec::new();
        Encoder::append_to_vec(&mut bytes, slot_len(f, &slot), |e| encode_slot(f, &slot, e));
        self.unknown.retain(|n| n != f.number);
        self.unknown.extend_raw(&bytes);
        Ok(())
    }

    /// Clears extension `ext`.
    pub fn clear_extension(&mut self, ext: &FieldDescriptor) {
        if let Ok(f) = self.extension_inner(ext) {
            let number = f.number;
            self.unknown.retain(|n| n != number);
        }
    }

    /// Fields not in the schema (extensions included), kept from parsing.
    pub fn unknown_fields(&self) -> &UnknownFields {
        &self.unknown
    }

    /// The message's full name (`Message::NAME` is a constant, `zpb.DynamicMessage`).
    pub fn full_name(&self) -> &str {
        self.desc.full_name()
    }
}

/// The value a slot holds (its default when unset; an empty message for an unset message
/// field).
fn slot_value<'a>(f: &'a FieldInner, slot: &'a Slot) -> ValueRef<'a> {
    match slot {
        // A `Single` slot never holds a message field, so a default always exists.
        Slot::Single(s) => single_value(s, f)
            .or_else(|| default_value(f))
            .unwrap_or(ValueRef::Bool(false)),
        Slot::Message(m) => ValueRef::Message(m.get()),
        Slot::List(l) => ValueRef::List(ListRef(match l {
            List::F64(v) => ListInner::F64(v),
            List::F32(v) => ListInner::F32(v),
            List::I64(v) => ListInner::I64(v),
            List::U64(v) => ListInner::U64(v),
            List::I32(v) if matches!(f.ty, FieldType::Enum(_)) => ListInner::Enum(v),
            List::I32(v) => ListInner::I32(v),
            List::U32(v) => ListInner::U32(v),
            List::Bool(v) => ListInner::Bool(v),
            List::String(v) => ListInner::String(v),
            List::Bytes(v) => ListInner::Bytes(v),
        })),
        Slot::Messages(l) => ValueRef::List(ListRef(ListInner::Message(l.live()))),
        Slot::Map(m) => ValueRef::Map(MapRef(m)),
    }
}

/// Whether a slot counts as set (see [`DynamicMessage::has_field`]).
fn slot_has(f: &FieldInner, slot: &Slot) -> bool {
    match slot {
        Slot::Single(s) => {
            if f.has_presence() {
                single_is_set(s)
            } else {
                single_value(s, f).is_some_and(|v| !is_default(v))
            }
        }
        Slot::Message(m) => m.present,
        Slot::List(_) | Slot::Messages(_) | Slot::Map(_) => list_or_map_len(slot) > 0,
    }
}

/// Puts `value` (checked by `value_fits`) into an empty slot.
fn fill_slot(slot: &mut Slot, value: Value) {
    match value {
        Value::List(items) => {
            for item in items {
                push_element(slot, item);
            }
        }
        Value::Map(entries) => {
            if let Slot::Map(m) = slot {
                *m = entries;
            }
        }
        Value::Message(v) => {
            if let Slot::Message(m) = slot {
                m.msg = v;
                m.present = true;
            } else {
                push_element(slot, Value::Message(v));
            }
        }
        v => {
            if let Slot::Single(s) = slot {
                set_single(s, v);
            }
        }
    }
}

fn mismatch(f: &FieldInner) -> ReflectError {
    let expected = if f.is_map {
        "a Value::Map of its key and value types".to_string()
    } else if f.is_repeated() {
        format!("a Value::List of {:?} values", proto_type(f))
    } else {
        format!("a {:?} value", proto_type(f))
    };
    ReflectError::TypeMismatch {
        field: f.full_name.to_string(),
        expected,
    }
}

/// Merges a set slot of another message of the same type into `slot` (see
/// [`Message::merge_fields_from`] on [`DynamicMessage`]).
fn merge_slot_from(slot: &mut Slot, from: &Slot) {
    fn copy<T: Copy>(to: &mut Optional<T>, from: &Optional<T>) {
        if let Some(v) = from.get() {
            to.set(*v)
        }
    }
    match (slot, from) {
        (Slot::Single(to), Slot::Single(from)) => match (to, from) {
            (Single::F64(a), Single::F64(b)) => copy(a, b),
            (Single::F32(a), Single::F32(b)) => copy(a, b),
            (Single::I64(a), Single::I64(b)) => copy(a, b),
            (Single::U64(a), Single::U64(b)) => copy(a, b),
            (Single::I32(a), Single::I32(b)) => copy(a, b),
            (Single::U32(a), Single::U32(b)) => copy(a, b),
            (Single::Bool(a), Single::Bool(b)) => copy(a, b),
            (Single::String(a), Single::String(b)) => {
                codec::merge_optional_from::<codec::Str, _>(a, b)
            }
            (Single::Bytes(a), Single::Bytes(b)) => {
                codec::merge_optional_from::<codec::Bytes, _>(a, b)
            }
            _ => {}
        },
        (Slot::Message(to), Slot::Message(from)) if from.present => {
            to.insert_mut().merge_fields_from(&from.msg)
        }
        (Slot::List(to), Slot::List(from)) => match (to, from) {
            (List::F64(a), List::F64(b)) => a.extend_from_slice(b),
            (List::F32(a), List::F32(b)) => a.extend_from_slice(b),
            (List::I64(a), List::I64(b)) => a.extend_from_slice(b),
            (List::U64(a), List::U64(b)) => a.extend_from_slice(b),
            (List::I32(a), List::I32(b)) => a.extend_from_slice(b),
            (List::U32(a), List::U32(b)) => a.extend_from_slice(b),
            (List::Bool(a), List::Bool(b)) => a.extend_from_slice(b),
            (List::String(a), List::String(b)) => codec::merge_repeated_from::<codec::Str, _>(a, b),
            (List::Bytes(a), List::Bytes(b)) => codec::merge_repeated_from::<codec::Bytes, _>(a, b),
            _ => {}
        },
        (Slot::Messages(to), Slot::Messages(from)) => {
            to.reserve(from.len);
            for m in from.live() {
                to.add_default().merge_fields_from(m)
            }
        }
        (Slot::Map(to), Slot::Map(from)) => {
            for (k, v) in from {
                to.insert(k.clone(), v.clone());
            }
        }
        _ => {}
    }
}

// ---- singular values ----------------------------------------------------------------------

fn single_is_set(s: &Single) -> bool {
    match s {
        Single::F64(v) => v.is_some(),
        Single::F32(v) => v.is_some(),
        Single::I64(v) => v.is_some(),
        Single::U64(v) => v.is_some(),
        Single::I32(v) => v.is_some(),
        Single::U32(v) => v.is_some(),
        Single::Bool(v) => v.is_some(),
        Single::String(v) => v.is_some(),
        Single::Bytes(v) => v.is_some(),
    }
}

/// The stored value, if one was written.
fn single_value<'a>(s: &'a Single, f: &FieldInner) -> Option<ValueRef<'a>> {
    Some(match s {
        Single::F64(v) => ValueRef::F64(*v.get()?),
        Single::F32(v) => ValueRef::F32(*v.get()?),
        Single::I64(v) => ValueRef::I64(*v.get()?),
        Single::U64(v) => ValueRef::U64(*v.get()?),
        Single::I32(v) if matches!(f.ty, FieldType::Enum(_)) => ValueRef::EnumNumber(*v.get()?),
        Single::I32(v) => ValueRef::I32(*v.get()?),
        Single::U32(v) => ValueRef::U32(*v.get()?),
        Single::Bool(v) => ValueRef::Bool(*v.get()?),
        Single::String(v) => ValueRef::String(v.get()?),
        Single::Bytes(v) => ValueRef::Bytes(v.get()?),
    })
}

/// What an unset singular field of `f` reads as (`None` for a message field, which is
/// not stored as `Single` and reads as an empty message).
fn default_value(f: &FieldInner) -> Option<ValueRef<'_>> {
    Some(match &f.default {
        DefaultValue::Bool(v) => ValueRef::Bool(*v),
        DefaultValue::I32(v) => ValueRef::I32(*v),
        DefaultValue::I64(v) => ValueRef::I64(*v),
        DefaultValue::U32(v) => ValueRef::U32(*v),
        DefaultValue::U64(v) => ValueRef::U64(*v),
        DefaultValue::F32(v) => ValueRef::F32(*v),
        DefaultValue::F64(v) => ValueRef::F64(*v),
        DefaultValue::String(v) => ValueRef::String(v),
        DefaultValue::Bytes(v) => ValueRef::Bytes(v),
        DefaultValue::Enum(v) => ValueRef::EnumNumber(*v),
        DefaultValue::Message => return None,
    })
}

impl FieldDescriptor {
    /// What an unset singular field reads as: the explicit default, else zero / empty /
    /// the enum's first value. `None` for message fields (they read as an empty message)
    /// and repeated fields.
    pub fn default_value(&self) -> Option<ValueRef<'_>> {
        if self.inner().is_repeated() {
            return None;
        }
        default_value(self.inner())
    }
}

/// Whether an implicit-presence field holding `v` is left out (the codec kinds' rule:
/// zero bits, empty strings).
fn is_default(v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Bool(b) => !b,
        ValueRef::I32(x) | ValueRef::EnumNumber(x) => x == 0,
        ValueRef::I64(x) => x == 0,
        ValueRef::U32(x) => x == 0,
        ValueRef::U64(x) => x == 0,
        ValueRef::F32(x) => x.to_bits() == 0,
        ValueRef::F64(x) => x.to_bits() == 0,
        ValueRef::String(s) => s.is_empty(),
        ValueRef::Bytes(b) => b.is_empty(),
        ValueRef::Message(_) => false,
        ValueRef::List(l) => l.is_empty(),
        ValueRef::Map(m) => m.is_empty(),
    }
}

fn set_single(s: &mut Single, v: Value) {
    match (s, v) {
        (Single::F64(o), Value::F64(v)) => o.set(v),
        (Single::F32(o), Value::F32(v)) => o.set(v),
        (Single::I64(o), Value::I64(v)) => o.set(v),
        (Single::U64(o), Value::U64(v)) => o.set(v),
        (Single::I32(o), Value::I32(v) | Value::EnumNumber(v)) => o.set(v),
        (Single::U32(o), Value::U32(v)) => o.set(v),
        (Single::Bool(o), Value::Bool(v)) => o.set(v),
        (Single::String(o), Value::String(v)) => o.set(v),
        (Single::Bytes(o), Value::Bytes(v)) => o.set(v),
        // Checked by `value_fits` before.
        _ => {}
    }
}

fn push_element(slot: &mut Slot, v: Value) {
    match (slot, v) {
        (Slot::List(List::F64(l)), Value::F64(v)) => l.push(v),
        (Slot::List(List::F32(l)), Value::F32(v)) => l.push(v),
        (Slot::List(List::I64(l)), Value::I64(v)) => l.push(v),
        (Slot::List(List::U64(l)), Value::U64(v)) => l.push(v),
        (Slot::List(List::I32(l)), Value::I32(v) | Value::EnumNumber(v)) => l.push(v),
        (Slot::List(List::U32(l)), Value::U32(v)) => l.push(v),
        (Slot::List(List::Bool(l)), Value::Bool(v)) => l.push(v),
        (Slot::List(List::String(l)), Value::String(v)) => l.push(v),
        (Slot::List(List::Bytes(l)), Value::Bytes(v)) => l.push(v),
        (Slot::Messages(l), Value::Message(v)) => l.push(v),
        // Checked by `element_fits` before.
        _ => {}
    }
}

fn type_index(f: &FieldInner) -> u32 {
    match f.ty {
        FieldType::Message(m) | FieldType::Group(m) | FieldType::Enum(m) => m,
        FieldType::Scalar(_) => u32::MAX,
    }
}

/// Whether `v` can be one element (or the value) of a non-map field `f`.
fn element_fits(pool: &PoolInner, f: &FieldInner, v: &Value) -> bool {
    match (class(proto_type(f)), v) {
        (Class::Message, Value::Message(m)) => {
            m.desc.index == type_index(f) && std::ptr::eq(&*m.desc.pool.inner, pool)
        }
        (Class::I32, Value::EnumNumber(_)) => matches!(f.ty, FieldType::Enum(_)),
        (Class::I32, Value::I32(_)) => !matches!(f.ty, FieldType::Enum(_)),
        (Class::F64, Value::F64(_))
        | (Class::F32, Value::F32(_))
        | (Class::I64, Value::I64(_))
        | (Class::U64, Value::U64(_))
        | (Class::U32, Value::U32(_))
        | (Class::Bool, Value::Bool(_))
        | (Class::String, Value::String(_))
        | (Class::Bytes, Value::Bytes(_)) => true,
        _ => false,
    }
}

fn key_fits(key_field: &FieldInner, k: &MapKey) -> bool {
    matches!(
        (class(proto_type(key_field)), k),
        (Class::I64, MapKey::I64(_))
            | (Class::U64, MapKey::U64(_))
            | (Class::I32, MapKey::I32(_))
            | (Class::U32, MapKey::U32(_))
            | (Class::Bool, MapKey::Bool(_))
            | (Class::String, MapKey::String(_))
    )
}

fn value_fits(pool: &PoolInner, f: &FieldInner, v: &Value) -> bool {
    if f.is_map {
        let entry = &pool.messages[type_index(f) as usize];
        return match v {
            Value::Map(m) => m.iter().all(|(k, v)| {
                key_fits(&entry.fields[0], k) && element_fits(pool, &entry.fields[1], v)
            }),
            _ => false,
        };
    }
    if f.is_repeated() {
        return match v {
            Value::List(items) => items.iter().all(|v| element_fits(pool, f, v)),
            _ => false,
        };
    }
    element_fits(pool, f, v)
}

fn list_or_map_len(slot: &Slot) -> usize {
    match slot {
        Slot::List(l) => match l {
            List::F64(v) => v.len(),
            List::F32(v) => v.len(),
            List::I64(v) => v.len(),
            List::U64(v) => v.len(),
            List::I32(v) => v.len(),
            List::U32(v) => v.len(),
            List::Bool(v) => v.len(),
            List::String(v) => v.len(),
            List::Bytes(v) => v.len(),
        },
        Slot::Messages(l) => l.len,
        Slot::Map(m) => m.len(),
        Slot::Single(_) | Slot::Message(_) => 0,
    }
}

// ---- lists and maps, read-only views -----------------------------------------------------

/// A repeated field's elements, borrowed from a [`DynamicMessage`] (or a [`Value::List`]).
#[derive(Clone, Copy)]
pub struct ListRef<'a>(ListInner<'a>);

#[derive(Clone, Copy)]
enum ListInner<'a> {
    F64(&'a [f64]),
    F32(&'a [f32]),
    I64(&'a [i64]),
    U64(&'a [u64]),
    I32(&'a [i32]),
    Enum(&'a [i32]),
    U32(&'a [u32]),
    Bool(&'a [bool]),
    String(&'a [String]),
    Bytes(&'a [Vec<u8>]),
    Message(&'a [DynamicMessage]),
    Values(&'a [Value]),
}

impl<'a> ListRef<'a> {
    pub(super) fn values(v: &'a [Value]) -> ListRef<'a> {
        ListRef(ListInner::Values(v))
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self.0 {
            ListInner::F64(v) => v.len(),
            ListInner::F32(v) => v.len(),
            ListInner::I64(v) => v.len(),
            ListInner::U64(v) => v.len(),
            ListInner::I32(v) | ListInner::Enum(v) => v.len(),
            ListInner::U32(v) => v.len(),
            ListInner::Bool(v) => v.len(),
            ListInner::String(v) => v.len(),
            ListInner::Bytes(v) => v.len(),
            ListInner::Message(v) => v.len(),
            ListInner::Values(v) => v.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element at `index`.
    pub fn get(&self, index: usize) -> Option<ValueRef<'a>> {
        Some(match self.0 {
            ListInner::F64(v) => ValueRef::F64(*v.get(index)?),
            ListInner::F32(v) => ValueRef::F32(*v.get(index)?),
            ListInner::I64(v) => ValueRef::I64(*v.get(index)?),
            ListInner::U64(v) => ValueRef::U64(*v.get(index)?),
            ListInner::I32(v) => ValueRef::I32(*v.get(index)?),
            ListInner::Enum(v) => ValueRef::EnumNumber(*v.get(index)?),
            ListInner::U32(v) => ValueRef::U32(*v.get(index)?),
            ListInner::Bool(v) => ValueRef::Bool(*v.get(index)?),
            ListInner::String(v) => ValueRef::String(v.get(index)?),
            ListInner::Bytes(v) => ValueRef::Bytes(v.get(index)?),
            ListInner::Message(v) => ValueRef::Message(v.get(index)?),
            ListInner::Values(v) => v.get(index)?.as_ref(),
        })
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = ValueRef<'a>> + 'a {
        let this = *self;
        (0..this.len()).map_while(move |i| this.get(i))
    }
}

impl PartialEq for ListRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl fmt::Debug for ListRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A map field's entries, borrowed.
#[derive(Clone, Copy, PartialEq)]
pub struct MapRef<'a>(pub(super) &'a HashMap<MapKey, Value>);

impl<'a> MapRef<'a> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value for `key`.
    pub fn get(&self, key: &MapKey) -> Option<ValueRef<'a>> {
        self.0.get(key).map(Value::as_ref)
    }

    /// The entries, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a MapKey, ValueRef<'a>)> + 'a {
        self.0.iter().map(|(k, v)| (k, v.as_ref()))
    }

    /// The entries sorted by key (as text format prints them).
    pub fn sorted(&self) -> Vec<(&'a MapKey, &'a Value)> {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries
    }
}

impl fmt::Debug for MapRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.sorted()).finish()
    }
}

// ---- wire: parse ---------------------------------------------------------------------------

/// Reads a closed enum field through a run-time enum: declared numbers go to `set`, others to
/// the unknown fields as varints (the codec's rule, with the enum's table).
fn merge_closed_enum(
    en: &EnumInner,
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
    repeated: bool,
    set: impl FnMut(i32),
) -> Result<bool, DecodeError> {
    let known = |v: i32| is_declared(en, v).then_some(v);
    codec::merge_closed_enum_with(tag, d, unknown, repeated, known, set)
}

/// Whether `en` declares the number `v`.
fn is_declared(en: &EnumInner, v: i32) -> bool {
    en.by_number.binary_search_by_key(&v, |&(n, _)| n).is_ok()
}

fn closed_enum<'p>(pool: &'p PoolInner, f: &FieldInner) -> Option<&'p EnumInner> {
    match f.ty {
        FieldType::Enum(e) if pool.enums[e as usize].closed => Some(&pool.enums[e as usize]),
        _ => None,
    }
}

/// Merges one value from the wire into a field's slot; `Ok(false)` when the wire type does
/// not fit (the caller keeps the field as unknown, as generated code does).
fn merge_slot(
    handle: &DescriptorPool,
    f: &FieldInner,
    slot: &mut Slot,
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
) -> Result<bool, DecodeError> {
    let ty = proto_type(f);
    let pool = &*handle.inner;
    match slot {
        Slot::Single(s) => {
            if let (Some(en), Single::I32(o)) = (closed_enum(pool, f), &mut *s) {
                return merge_closed_enum(en, tag, d, unknown, false, |v| o.set(v));
            }
            match s {
                Single::String(o) => codec::merge_optional::<codec::Str, _>(o, tag, d),
                Single::Bytes(o) => codec::merge_optional::<codec::Bytes, _>(o, tag, d),
                s => numeric!(
                    ty,
                    Single,
                    s,
                    |K, o| codec::merge_optional::<K, _>(o, tag, d),
                    Ok(false)
                ),
            }
        }
        Slot::Message(m) => match f.ty {
            FieldType::Group(_) => {
                codec::merge_optional::<codec::Grp<DynamicMessage>, _>(m, tag, d)
            }
            _ => codec::merge_optional::<codec::Msg<DynamicMessage>, _>(m, tag, d),
        },
        Slot::List(l) => {
            if let (Some(en), List::I32(v)) = (closed_enum(pool, f), &mut *l) {
                return merge_closed_enum(en, tag, d, unknown, true, |x| v.push(x));
            }
            match l {
                List::String(r) => codec::merge_repeated::<codec::Str, _>(r, tag, d),
                List::Bytes(r) => codec::merge_repeated::<codec::Bytes, _>(r, tag, d),
                l => numeric!(
                    ty,
                    List,
                    l,
                    |K, v| codec::merge_repeated_scalar::<K>(v, tag, d),
                    Ok(false)
                ),
            }
        }
        Slot::Messages(l) => match f.ty {
            FieldType::Group(_) => {
                codec::merge_repeated::<codec::Grp<DynamicMessage>, _>(l, tag, d)
            }
            _ => codec::merge_repeated::<codec::Msg<DynamicMessage>, _>(l, tag, d),
        },
        Slot::Map(map) => merge_map_entry(handle, f, map, tag, d, unknown),
    }
}

/// A fresh value of a map entry field's type (its default: zero, empty, or an empty message).
fn entry_default(pool: &DescriptorPool, f: &FieldInner) -> Value {
    match class(proto_type(f)) {
        Class::F64 => Value::F64(0.0),
        Class::F32 => Value::F32(0.0),
        Class::I64 => Value::I64(0),
        Class::U64 => Value::U64(0),
        Class::I32 if matches!(f.ty, FieldType::Enum(_)) => Value::EnumNumber(0),
        Class::I32 => Value::I32(0),
        Class::U32 => Value::U32(0),
        Class::Bool => Value::Bool(false),
        Class::String => Value::String(String::new()),
        Class::Bytes => Value::Bytes(Vec::new()),
        Class::Message => Value::Message(DynamicMessage::new(MessageDescriptor::new(
            pool.clone(),
            type_index(f),
        ))),
    }
}

/// The wire type of one (unpacked) value of `f`.
fn wire_type(f: &FieldInner) -> WireType {
    match proto_type(f) {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => WireType::Fixed64,
        Type::Float | Type::Fixed32 | Type::Sfixed32 => WireType::Fixed32,
        Type::String | Type::Bytes | Type::Message => WireType::Len,
        Type::Group => WireType::StartGroup,
        _ => WireType::Varint,
    }
}

/// Reads one value of `f`'s type into `v` (made by `entry_default`).
fn merge_value(f: &FieldInner, v: &mut Value, d: &mut Decoder<'_>) -> Result<(), DecodeError> {
    let n = f.number;
    match v {
        Value::String(s) => codec::Str::merge(s, d, n),
        Value::Bytes(b) => codec::Bytes::merge(b, d, n),
        Value::EnumNumber(x) => codec::Int32::merge(x, d, n),
        Value::Message(m) => codec::Msg::<DynamicMessage>::merge(m, d, n),
        v => numeric!(proto_type(f), Value, v, |K, x| K::merge(x, d, n), Ok(())),
    }
}

/// Merges one map entry (`codec::merge_map`'s rules: key and value in any order, repeated
/// (last wins) or missing (default), unknown entry fields skipped; an entry whose closed-enum
/// value is undeclared goes whole to the unknown fields).
fn merge_map_entry(
    handle: &DescriptorPool,
    f: &FieldInner,
    map: &mut HashMap<MapKey, Value>,
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
) -> Result<bool, DecodeError> {
    if tag.wire_type() != WireType::Len {
        return Ok(false);
    }
    let pool = &*handle.inner;
    let entry = &pool.messages[type_index(f) as usize];
    let (key_field, value_field) = (&entry.fields[0], &entry.fields[1]);
    let closed = closed_enum(pool, value_field);
    let entry = map_entry::read_entry_or_unknown(
        tag,
        d,
        unknown,
        &Side(key_field),
        &Side(value_field),
        entry_default(handle, key_field),
        entry_default(handle, value_field),
        |value| match (closed, value) {
            (Some(en), Value::EnumNumber(v)) => is_declared(en, *v),
            _ => true,
        },
    )?;
    let Some((key, value)) = entry else {
        return Ok(true);
    };
    let key = match key {
        Value::Bool(v) => MapKey::Bool(v),
        Value::I32(v) => MapKey::I32(v),
        Value::I64(v) => MapKey::I64(v),
        Value::U32(v) => MapKey::U32(v),
        Value::U64(v) => MapKey::U64(v),
        Value::String(v) => MapKey::String(v),
        // The pool checked that map keys are integers, bools or strings.
        _ => return Ok(false),
    };
    map.insert(key, value);
    Ok(true)
}

// ---- wire: size and encode -----------------------------------------------------------------

fn slot_len(f: &FieldInner, slot: &Slot) -> usize {
    let n = f.number;
    let ty = proto_type(f);
    match slot {
        Slot::Single(s) => {
            let implicit = !f.has_presence();
            match s {
                Single::String(o) if implicit => o
                    .get()
                    .map_or(0, |v| codec::implicit_len::<codec::Str>(n, v)),
                Single::String(o) => codec::optional_len::<codec::Str, _>(n, o),
                Single::Bytes(o) if implicit => o
                    .get()
                    .map_or(0, |v| codec::implicit_len::<codec::Bytes>(n, v)),
                Single::Bytes(o) => codec::optional_len::<codec::Bytes, _>(n, o),
                s => numeric!(
                    ty,
                    Single,
                    s,
                    |K, o| if implicit {
                        o.get().map_or(0, |v| codec::implicit_len::<K>(n, v))
                    } else {
                        codec::optional_len::<K, _>(n, o)
                    },
                    0
                ),
            }
        }
        Slot::Message(m) => match f.ty {
            FieldType::Group(_) => codec::optional_len::<codec::Grp<DynamicMessage>, _>(n, m),
            _ => codec::optional_len::<codec::Msg<DynamicMessage>, _>(n, m),
        },
        Slot::List(l) => match l {
            List::String(r) => codec::repeated_len::<codec::Str>(n, r),
            List::Bytes(r) => codec::repeated_len::<codec::Bytes>(n, r),
            l => numeric!(
                ty,
                List,
                l,
                |K, v| if f.is_packed() {
                    codec::packed_len::<K>(n, v)
                } else {
                    codec::repeated_len::<K>(n, v)
                },
                0
            ),
        },
        Slot::Messages(l) => match f.ty {
            FieldType::Group(_) => codec::repeated_len::<codec::Grp<DynamicMessage>>(n, l.live()),
            _ => codec::repeated_len::<codec::Msg<DynamicMessage>>(n, l.live()),
        },
        Slot::Map(_) => 0, // sized by `map_len`, which needs the entry's descriptor
    }
}

fn encode_slot(f: &FieldInner, slot: &Slot, e: &mut Encoder<'_>) {
    let n = f.number;
    let ty = proto_type(f);
    match slot {
        Slot::Single(s) => {
            let implicit = !f.has_presence();
            match s {
                Single::String(o) if implicit => {
                    if let Some(v) = o.get() {
                        codec::encode_implicit::<codec::Str>(n, v, e)
                    }
                }
                Single::String(o) => codec::encode_optional::<codec::Str, _>(n, o, e),
                Single::Bytes(o) if implicit => {
                    if let Some(v) = o.get() {
                        codec::encode_implicit::<codec::Bytes>(n, v, e)
                    }
                }
                Single::Bytes(o) => codec::encode_optional::<codec::Bytes, _>(n, o, e),
                s => numeric!(
                    ty,
                    Single,
                    s,
                    |K, o| if implicit {
                        if let Some(v) = o.get() {
                            codec::encode_implicit::<K>(n, v, e)
                        }
                    } else {
                        codec::encode_optional::<K, _>(n, o, e)
                    },
                    ()
                ),
            }
        }
        Slot::Message(m) => match f.ty {
            FieldType::Group(_) => codec::encode_optional::<codec::Grp<DynamicMessage>, _>(n, m, e),
            _ => codec::encode_optional::<codec::Msg<DynamicMessage>, _>(n, m, e),
        },
        Slot::List(l) => match l {
            List::String(r) => codec::encode_repeated::<codec::Str>(n, r, e),
            List::Bytes(r) => codec::encode_repeated::<codec::Bytes>(n, r, e),
            l => numeric!(
                ty,
                List,
                l,
                |K, v| if f.is_packed() {
                    codec::encode_packed::<K>(n, v, e)
                } else {
                    codec::encode_repeated::<K>(n, v, e)
                },
                ()
            ),
        },
        Slot::Messages(l) => match f.ty {
            FieldType::Group(_) => {
                codec::encode_repeated::<codec::Grp<DynamicMessage>>(n, l.live(), e)
            }
            _ => codec::encode_repeated::<codec::Msg<DynamicMessage>>(n, l.live(), e),
        },
        Slot::Map(_) => {}
    }
}

/// Bytes one map key or value takes after its tag; `cached` reads nested message sizes from
/// their caches (valid after a sizing pass), as `Kind::cached_len` does.
fn value_len(f: &FieldInner, v: &Value, cached: bool) -> usize {
    let n = f.number;
    match v {
        Value::String(s) => codec::Str::encoded_len(s, n),
        Value::Bytes(b) => codec::Bytes::encoded_len(b, n),
        Value::EnumNumber(x) => codec::Int32::encoded_len(x, n),
        Value::Message(m) if cached => codec::Msg::<DynamicMessage>::cached_len(m, n),
        Value::Message(m) => codec::Msg::<DynamicMessage>::encoded_len(m, n),
        v => numeric!(proto_type(f), Value, v, |K, x| K::encoded_len(x, n), 0),
    }
}

fn encode_value(f: &FieldInner, v: &Value, e: &mut Encoder<'_>) {
    let n = f.number;
    match v {
        Value::String(s) => codec::Str::encode(s, n, e),
        Value::Bytes(b) => codec::Bytes::encode(b, n, e),
        Value::EnumNumber(x) => codec::Int32::encode(x, n, e),
        Value::Message(m) => codec::Msg::<DynamicMessage>::encode(m, n, e),
        v => numeric!(proto_type(f), Value, v, |K, x| K::encode(x, n, e), ()),
    }
}

fn key_value(k: &MapKey) -> Value {
    match k {
        MapKey::Bool(v) => Value::Bool(*v),
        MapKey::I32(v) => Value::I32(*v),
        MapKey::I64(v) => Value::I64(*v),
        MapKey::U32(v) => Value::U32(*v),
        MapKey::U64(v) => Value::U64(*v),
        MapKey::String(_) => Value::Bool(false),
    }
}

fn key_len(f: &FieldInner, k: &MapKey) -> usize {
    match k {
        MapKey::String(s) => codec::Str::encoded_len(s, f.number),
        k => value_len(f, &key_value(k), false),
    }
}

fn encode_key(f: &FieldInner, k: &MapKey, e: &mut Encoder<'_>) {
    match k {
        MapKey::String(s) => codec::Str::encode(s, f.number, e),
        k => encode_value(f, &key_value(k), e),
    }
}

/// A map entry's key or value field as a side of the codec's map entries.
struct Side<'a>(&'a FieldInner);

impl map_entry::EntrySide for Side<'_> {
    fn wire_type(&self) -> WireType {
        wire_type(self.0)
    }
}

impl map_entry::EntryRead<Value> for Side<'_> {
    fn merge(&self, v: &mut Value, d: &mut Decoder<'_>, _: u32) -> Result<(), DecodeError> {
        merge_value(self.0, v, d)
    }
}

impl map_entry::EntryWrite<Value> for Side<'_> {
    fn len(&self, v: &Value, _: u32, cached: bool) -> usize {
        value_len(self.0, v, cached)
    }
    fn encode(&self, v: &Value, _: u32, e: &mut Encoder<'_>) {
        encode_value(self.0, v, e)
    }
}

impl map_entry::EntryWrite<MapKey> for Side<'_> {
    fn len(&self, k: &MapKey, _: u32, _: bool) -> usize {
        key_len(self.0, k)
    }
    fn encode(&self, k: &MapKey, _: u32, e: &mut Encoder<'_>) {
        encode_key(self.0, k, e)
    }
}

/// Bytes of a map field (the codec's entries: key and value always written).
fn map_len(entry: &super::pool::MessageInner, n: u32, map: &HashMap<MapKey, Value>) -> usize {
    let (kf, vf) = (Side(&entry.fields[0]), Side(&entry.fields[1]));
    map.iter()
        .map(|(k, v)| map_entry::entry_len(n, &kf, k, &vf, v))
        .sum()
}

fn encode_map(
    entry: &super::pool::MessageInner,
    n: u32,
    map: &HashMap<MapKey, Value>,
    e: &mut Encoder<'_>,
) {
    let (kf, vf) = (Side(&entry.fields[0]), Side(&entry.fields[1]));
    for (k, v) in map {
        map_entry::encode_entry(n, &kf, k, &vf, v, e);
    }
}

// ---- text ----------------------------------------------------------------------------------

/// Writes one value after its field name, as the codec kinds print theirs.
fn text_value(
    pool: &PoolInner,
    f: &FieldInner,
    v: ValueRef<'_>,
    w: &mut TextWriter<'_, '_>,
) -> fmt::Result {
    match v {
        ValueRef::Bool(x) => w.scalar(&x),
        ValueRef::I32(x) => w.scalar(&x),
        ValueRef::I64(x) => w.scalar(&x),
        ValueRef::U32(x) => w.scalar(&x),
        ValueRef::U64(x) => w.scalar(&x),
        ValueRef::F32(x) => w.scalar(&x),
        ValueRef::F64(x) => w.scalar(&x),
        ValueRef::String(s) => w.string(s),
        ValueRef::Bytes(b) => w.bytes(b),
        ValueRef::EnumNumber(x) => {
            let en = &pool.enums[type_index(f) as usize];
            match en.by_number.binary_search_by_key(&x, |&(n, _)| n) {
                Ok(i) => w.raw(&en.values[en.by_number[i].1 as usize].name),
                Err(_) => w.scalar(&x),
            }
        }
        ValueRef::Message(m) => w.message(|w| m.fmt_text(w)),
        // Lists and maps are printed element by element by the caller.
        ValueRef::List(_) | ValueRef::Map(_) => Ok(()),
    }
}

impl DynamicMessage {
    fn text_field(&self, i: usize, w: &mut TextWriter<'_, '_>) -> fmt::Result {
        let pool = self.pool();
        let f = &self.desc.inner().fields[i];
        let name = f.text_name(pool);
        // Unset singular fields are not read: reading an unset message field would make its
        // empty instance.
        match &self.slots()[i] {
            Slot::Map(map) => {
                let entry = &pool.messages[type_index(f) as usize];
                let (kf, vf) = (&entry.fields[0], &entry.fields[1]);
                for (k, v) in MapRef(map).sorted() {
                    w.field(name, |w| {
                        w.message(|w| {
                            let k = k.as_value_ref();
                            if !is_default(k) {
                                w.field("key", |w| text_value(pool, kf, k, w))?;
                            }
                            let v = v.as_ref();
                            if !is_default(v) {
                                w.field("value", |w| text_value(pool, vf, v, w))?;
                            }
                            Ok(())
                        })
                    })?;
                }
                Ok(())
            }
            Slot::List(_) | Slot::Messages(_) => {
                if let ValueRef::List(l) = self.get_index(i) {
                    for v in l.iter() {
                        w.field(name, |w| text_value(pool, f, v, w))?;
                    }
                }
                Ok(())
            }
            _ if self.has_index(i) => w.field(name, |w| text_value(pool, f, self.get_index(i), w)),
            _ => Ok(()),
        }
    }
}

// ---- zpb::Message --------------------------------------------------------------------------

impl Reuse for DynamicMessage {
    fn clear(&mut self) {
        for s in self.table.iter_mut() {
            s.clear();
        }
        self.unknown.clear();
    }

    fn space_used(&self) -> usize {
        let slots = self.table.iter().map(Reuse::space_used).sum::<usize>();
        self.table_bytes() + slots + self.unknown.space_used()
    }

    /// The field table is kept whatever the budget (it is the message's shape).
    fn trim(&mut self, budget: &mut usize) {
        *budget = budget.saturating_sub(self.table_bytes());
        for s in self.table.iter_mut() {
            s.trim(budget);
        }
        self.unknown.trim(budget);
    }
}

impl Message for DynamicMessage {
    /// A constant for the type, which is only known at run time: ask
    /// [`DynamicMessage::full_name`] instead.
    const NAME: &'static str = "zpb.DynamicMessage";

    fn merge_fields(&mut self, d: &mut Decoder<'_>, end_group: u32) -> Result<(), DecodeError> {
        let DynamicMessage {
            desc,
            table,
            unknown,
            ..
        } = self;
        let slots = made(table, desc);
        let msg = desc.inner();
        let pool = &desc.pool;
        loop {
            let tag = match d.read_tag()? {
                Some(tag) => tag,
                None => return d.end_of_message(end_group),
            };
            let index = msg.field_index(tag.field_number());
            let handled = match index {
                Some(i) => {
                    let f = &msg.fields[i as usize];
                    let handled = merge_slot(pool, f, &mut slots[i as usize], tag, d, unknown)
                        .map_err(|e| {
                            e.in_message_field(msg.full_name.to_string().into(), tag.field_number())
                        })?;
                    if handled {
                        if let Some(o) = f.oneof {
                            for &j in &msg.oneofs[o as usize].fields {
                                if j != i {
                                    slots[j as usize].clear();
                                }
                            }
                        }
                    }
                    handled
                }
                None => false,
            };
            if !handled && unknown.read_field(d, tag, end_group)? {
                return Ok(());
            }
        }
    }

    /// C++ `MergeFrom` field by field: set singular fields overwrite (messages merge),
    /// repeated fields append into retained elements, map entries replace, a set oneof member
    /// replaces its siblings, unknown fields append. `other` of another type turns `self` into
    /// an empty message of `other`'s type first (a `Default` dynamic message has no type).
    fn merge_fields_from(&mut self, other: &Self) {
        if self.desc != other.desc {
            *self = DynamicMessage::new(other.desc.clone());
        }
        let msg = other.desc.inner();
        for (i, (f, from)) in msg.fields.iter().zip(other.slots()).enumerate() {
            if !slot_has(f, from) {
                continue;
            }
            if f.oneof.is_some() {
                self.clear_oneof_siblings(i);
            }
            merge_slot_from(&mut self.slots_mut()[i], from);
        }
        self.unknown.merge_from(&other.unknown);
    }

    fn compute_size(&self) -> usize {
        let msg = self.desc.inner();
        let slots = self.slots();
        let mut size = self.unknown.encoded_len();
        for &i in &msg.number_order {
            let f = &msg.fields[i as usize];
            size += match &slots[i as usize] {
                Slot::Map(map) => {
                    map_len(&self.pool().messages[type_index(f) as usize], f.number, map)
                }
                slot => slot_len(f, slot),
            };
        }
        self.cached_size.set(size);
        size
    }

    #[inline]
    fn cached_size(&self) -> usize {
        self.cached_size.get()
    }

    #[inline]
    fn cache_size(&self, size: usize) {
        self.cached_size.set(size)
    }

    fn encode_fields(&self, e: &mut Encoder<'_>) {
        let msg = self.desc.inner();
        let slots = self.slots();
        for &i in &msg.number_order {
            let f = &msg.fields[i as usize];
            match &slots[i as usize] {
                Slot::Map(map) => encode_map(
                    &self.pool().messages[type_index(f) as usize],
                    f.number,
                    map,
                    e,
                ),
                slot => encode_slot(f, slot, e),
            }
        }
        self.unknown.encode(e);
    }

    fn collect_missing_fields(&self, prefix: &str, out: &mut Vec<String>) {
        let msg = self.desc.inner();
        if !msg.has_required {
            return;
        }
        for (i, f) in msg.fields.iter().enumerate() {
            // Paths use the text-format name (a group's type name), as generated code does.
            let name = f.text_name(self.pool());
            match &self.slots()[i] {
                Slot::Message(m) => {
                    codec::require_present(!f.is_required() || m.present, prefix, name, out);
                    codec::optional_collect_missing::<codec::Msg<DynamicMessage>, _>(
                        m, prefix, name, out,
                    );
                }
                Slot::Messages(l) => codec::repeated_collect_missing::<codec::Msg<DynamicMessage>>(
                    l.live(),
                    prefix,
                    name,
                    out,
                ),
                Slot::Single(s) if f.is_required() => {
                    codec::require_present(single_is_set(s), prefix, name, out)
                }
                _ => {}
            }
        }
    }

    fn fmt_text(&self, w: &mut TextWriter<'_, '_>) -> fmt::Result {
        for &i in &self.desc.inner().number_order {
            self.text_field(i as usize, w)?;
        }
        w.unknown_fields_of(self.full_name(), &self.unknown)
    }

    fn is_initialized(&self) -> bool {
        let msg = self.desc.inner();
        if !msg.has_required {
            return true;
        }
        let slots = self.slots();
        Layout::of(&self.desc).checked.iter().all(|&i| {
            let f = &msg.fields[i as usize];
            match &slots[i as usize] {
                Slot::Single(s) => !f.is_required() || single_is_set(s),
                Slot::Message(m) => {
                    (!f.is_required() || m.present)
                        && codec::optional_is_initialized::<codec::Msg<DynamicMessage>, _>(m)
                }
                Slot::Messages(l) => {
                    codec::repeated_is_initialized::<codec::Msg<DynamicMessage>>(l.live())
                }
                Slot::Map(map) => map
                    .values()
                    .all(|v| v.as_message().is_none_or(Message::is_initialized)),
                Slot::List(_) => true,
            }
        })
    }

    fn unknown_fields(&self) -> &UnknownFields {
        &self.unknown
    }

    fn mutable_unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }

    fn default_instance() -> &'static Self {
        static INSTANCE: OnceLock<DynamicMessage> = OnceLock::new();
        INSTANCE.get_or_init(DynamicMessage::default)
    }
}

impl fmt::Debug for DynamicMessage {
    /// Text format, as generated messages print: one line with `{:?}`, one field per line
    /// with `{:#?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_text(&mut TextWriter::new(f))
    }
}

impl PartialEq for DynamicMessage {
    /// Same type, same set fields with equal values, same unknown fields.
    fn eq(&self, other: &Self) -> bool {
        self.desc == other.desc
            && self.unknown == other.unknown
            && (0..self.slots().len()).all(|i| {
                let has = self.has_index(i);
                has == other.has_index(i) && (!has || self.get_index(i) == other.get_index(i))
            })
    }
}

// ---- values: what fields hold, owned and borrowed ---------------------------------------
// The value model of reflection: [`Value`] (owned), [`ValueRef`] (borrowed) and
// [`MapKey`].

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_an_empty_message_that_keeps_everything_unknown() {
        let mut m = DynamicMessage::default();
        assert_eq!(m.full_name(), "google.protobuf.Empty");
        m.merge_from_slice(&[0x08, 0x01]).unwrap();
        assert_eq!(m.unknown_fields().as_bytes(), [0x08, 0x01]);
        assert_eq!(m.serialize_to_vec().unwrap(), [0x08, 0x01]);
        assert_eq!(format!("{m:?}"), "1: 1");
        let json = crate::format::to_json(&m, &Default::default()).unwrap();
        assert_eq!(json, "{}");
        let err = crate::format::merge_json(&mut m, b"{\"a\": 1}", &Default::default());
        assert!(err.is_err());
        assert!(crate::format::text::merge_text(&mut m, b"a: 1").is_err());
        let mut typed = DynamicMessage::default();
        let mut other = DynamicMessage::default();
        other.merge_from_slice(&[0x10, 0x02]).unwrap();
        typed.merge_from(&other);
        assert_eq!(typed.unknown_fields().as_bytes(), [0x10, 0x02]);
    }

    #[test]
    fn error_paths_name_the_run_time_type() {
        let mut file = FileDescriptorProto::default();
        file.set_name("p.proto");
        file.set_package("pkg");
        file.set_syntax("proto3");
        let m = file.add_message_type();
        m.set_name("M");
        let f = m.add_field();
        f.set_name("s");
        f.set_number(1);
        f.set_type(Type::String);
        f.set_label(crate::descriptor::field_descriptor_proto::Label::Optional);
        let mut pool = DescriptorPool::new();
        pool.add_file_descriptor_protos([file]).unwrap();
        let desc = pool.get_message_by_name("pkg.M").unwrap();
        let err = DynamicMessage::decode(desc, &[0x0a, 0x01, 0xff]).unwrap_err();
        assert_eq!(err.path()[0].message, "pkg.M");
        assert_eq!(err.path()[0].field_number, 1);
    }
}
