//! Descriptor views: cheap `(pool, index)` handles that answer from the pool's tables.

use super::pool::{
    DescriptorPool, EnumInner, EnumValueInner, FieldInner, FieldType, FileInner, MessageInner,
    MethodInner, OneofInner, ServiceInner,
};
use crate::descriptor::field_descriptor_proto::{Label, Type};
use crate::descriptor::FeatureSet;
use crate::descriptor::{
    Edition, EnumOptions, EnumValueOptions, FieldOptions, FileDescriptorProto, FileOptions,
    MessageOptions, MethodOptions, OneofOptions, ServiceOptions,
};
use std::fmt;

macro_rules! handle_traits {
    ($t:ident, $what:literal) => {
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($what, "({})"), self.full_name())
            }
        }
    };
}

/// Whatever a full name in a pool names ([`DescriptorPool::get_by_name`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Descriptor {
    /// A package (or a prefix of one).
    Package(String),
    /// A message.
    Message(MessageDescriptor),
    /// A message field.
    Field(FieldDescriptor),
    /// A oneof.
    Oneof(OneofDescriptor),
    /// An enum.
    Enum(EnumDescriptor),
    /// An enum value.
    EnumValue(EnumValueDescriptor),
    /// An extension.
    Extension(FieldDescriptor),
    /// A service.
    Service(ServiceDescriptor),
    /// A method.
    Method(MethodDescriptor),
}

/// The short name: what follows the last `.` of a full name.
fn short(full_name: &str) -> &str {
    full_name.rsplit('.').next().unwrap_or(full_name)
}

// ---- files -------------------------------------------------------------------------------

/// A `.proto` file in a pool (C++ `FileDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct FileDescriptor {
    pool: DescriptorPool,
    index: u32,
}

impl FileDescriptor {
    pub(super) fn new(pool: DescriptorPool, index: u32) -> Self {
        FileDescriptor { pool, index }
    }

    fn inner(&self) -> &FileInner {
        &self.pool.inner.files[self.index as usize]
    }

    /// The pool holding this file.
    pub fn pool(&self) -> &DescriptorPool {
        &self.pool
    }

    /// Its name, as imported (`google/protobuf/any.proto`).
    pub fn name(&self) -> &str {
        &self.inner().name
    }

    /// Same as [`name`](Self::name) (for symmetry with the other descriptors).
    pub fn full_name(&self) -> &str {
        self.name()
    }

    /// Its package (empty when none).
    pub fn package(&self) -> &str {
        self.inner().proto.package()
    }

    /// Its edition: `EDITION_PROTO2` / `EDITION_PROTO3` for proto2 / proto3 files.
    pub fn edition(&self) -> Edition {
        self.inner().edition
    }

    /// The features that apply to the file's top-level elements, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }

    /// The files it imports, in order.
    pub fn dependencies(&self) -> impl ExactSizeIterator<Item = FileDescriptor> + '_ {
        self.inner()
            .dependencies
            .iter()
            .map(|&i| FileDescriptor::new(self.pool.clone(), i))
    }

    /// Its top-level messages.
    pub fn messages(&self) -> impl ExactSizeIterator<Item = MessageDescriptor> + '_ {
        self.inner()
            .messages
            .iter()
            .map(|&i| MessageDescriptor::new(self.pool.clone(), i))
    }

    /// Its top-level enums.
    pub fn enums(&self) -> impl ExactSizeIterator<Item = EnumDescriptor> + '_ {
        self.inner()
            .enums
            .iter()
            .map(|&i| EnumDescriptor::new(self.pool.clone(), i))
    }

    /// Its top-level extensions.
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = FieldDescriptor> + '_ {
        self.inner()
            .extensions
            .iter()
            .map(|&i| FieldDescriptor::extension(&self.pool, i))
    }

    /// Its services.
    pub fn services(&self) -> impl ExactSizeIterator<Item = ServiceDescriptor> + '_ {
        self.inner()
            .services
            .iter()
            .map(|&i| ServiceDescriptor::new(self.pool.clone(), i))
    }

    /// Its options (custom options are in their unknown fields, readable with
    /// [`zpb::Extension`](crate::Extension)).
    pub fn options(&self) -> &FileOptions {
        self.inner().proto.options()
    }

    /// The file as it was added.
    pub fn file_descriptor_proto(&self) -> &FileDescriptorProto {
        &self.inner().proto
    }
}

impl fmt::Debug for FileDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileDescriptor({})", self.name())
    }
}

// ---- messages ----------------------------------------------------------------------------

/// A message type (C++ `Descriptor`).
#[derive(Clone)]
pub struct MessageDescriptor {
    pub(super) pool: DescriptorPool,
    pub(super) index: u32,
}

impl PartialEq for MessageDescriptor {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.pool == other.pool
    }
}

impl Eq for MessageDescriptor {}

handle_traits!(MessageDescriptor, "MessageDescriptor");

impl MessageDescriptor {
    pub(super) fn new(pool: DescriptorPool, index: u32) -> Self {
        MessageDescriptor { pool, index }
    }

    pub(super) fn inner(&self) -> &MessageInner {
        &self.pool.inner.messages[self.index as usize]
    }

    /// The pool holding this message.
    pub fn pool(&self) -> &DescriptorPool {
        &self.pool
    }

    /// Its full name, `pkg.Outer.Inner`.
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its short name, `Inner`.
    pub fn name(&self) -> &str {
        short(self.full_name())
    }

    /// The file that defines it.
    pub fn file(&self) -> FileDescriptor {
        FileDescriptor::new(self.pool.clone(), self.inner().file)
    }

    /// The message it is nested in, if any.
    pub fn parent_message(&self) -> Option<MessageDescriptor> {
        self.inner()
            .parent
            .map(|p| MessageDescriptor::new(self.pool.clone(), p))
    }

    /// Its fields, in declaration order.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = FieldDescriptor> + '_ {
        (0..self.inner().fields.len())
            .map(|i| FieldDescriptor::field(&self.pool, self.index, i as u32))
    }

    /// The field with this number.
    pub fn get_field(&self, number: u32) -> Option<FieldDescriptor> {
        let i = self.field_index_by_number(number)?;
        Some(FieldDescriptor::field(&self.pool, self.index, i))
    }

    #[inline]
    pub(super) fn field_index_by_number(&self, number: u32) -> Option<u32> {
        self.inner().field_index(number)
    }

    /// The field with this (proto) name.
    pub fn get_field_by_name(&self, name: &str) -> Option<FieldDescriptor> {
        let i = *self.inner().by_name.get(name)?;
        Some(FieldDescriptor::field(&self.pool, self.index, i))
    }

    /// The field with this JSON name.
    pub fn get_field_by_json_name(&self, json_name: &str) -> Option<FieldDescriptor> {
        let i = *self.inner().by_json_name.get(json_name)?;
        Some(FieldDescriptor::field(&self.pool, self.index, i))
    }

    /// Its oneofs (synthetic ones of proto3 `optional` fields included, last).
    pub fn oneofs(&self) -> impl ExactSizeIterator<Item = OneofDescriptor> + '_ {
        (0..self.inner().oneofs.len()).map(|i| OneofDescriptor::new(self.clone(), i as u32))
    }

    /// Messages nested in it.
    pub fn nested_messages(&self) -> impl ExactSizeIterator<Item = MessageDescriptor> + '_ {
        self.inner()
            .nested_messages
            .iter()
            .map(|&i| MessageDescriptor::new(self.pool.clone(), i))
    }

    /// Enums nested in it.
    pub fn nested_enums(&self) -> impl ExactSizeIterator<Item = EnumDescriptor> + '_ {
        self.inner()
            .nested_enums
            .iter()
            .map(|&i| EnumDescriptor::new(self.pool.clone(), i))
    }

    /// Extensions declared inside it (of any message).
    pub fn nested_extensions(&self) -> impl ExactSizeIterator<Item = FieldDescriptor> + '_ {
        self.inner()
            .nested_extensions
            .iter()
            .map(|&i| FieldDescriptor::extension(&self.pool, i))
    }

    /// The extensions of this message, from every file in the pool.
    pub fn extensions(&self) -> impl Iterator<Item = FieldDescriptor> + '_ {
        self.pool
            .inner
            .extensions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.containing == self.index)
            .map(|(i, _)| FieldDescriptor::extension(&self.pool, i as u32))
    }

    /// The extension of this message with this number.
    pub fn get_extension(&self, number: u32) -> Option<FieldDescriptor> {
        let i = *self
            .pool
            .inner
            .extensions_by_number
            .get(&(self.index, number))?;
        Some(FieldDescriptor::extension(&self.pool, i))
    }

    /// Extension ranges as `start..end` (end exclusive).
    pub fn extension_ranges(&self) -> impl ExactSizeIterator<Item = std::ops::Range<u32>> + '_ {
        self.inner().extension_ranges.iter().map(|&(s, e)| s..e)
    }

    /// Whether `number` is in an extension range.
    pub fn is_extension_number(&self, number: u32) -> bool {
        self.extension_ranges().any(|r| r.contains(&number))
    }

    /// Reserved number ranges as `start..end` (end exclusive).
    pub fn reserved_ranges(&self) -> impl ExactSizeIterator<Item = std::ops::Range<u32>> + '_ {
        self.inner().reserved_ranges.iter().map(|&(s, e)| s..e)
    }

    /// Reserved field names.
    pub fn reserved_names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.inner().reserved_names.iter().map(String::as_str)
    }

    /// Whether it is the synthesized entry message of a map field.
    pub fn is_map_entry(&self) -> bool {
        self.inner().map_entry
    }

    /// Its options.
    pub fn options(&self) -> &MessageOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }

    /// For a map entry: the key field (number 1).
    pub fn map_entry_key_field(&self) -> Option<FieldDescriptor> {
        self.is_map_entry().then(|| self.get_field(1)).flatten()
    }

    /// For a map entry: the value field (number 2).
    pub fn map_entry_value_field(&self) -> Option<FieldDescriptor> {
        self.is_map_entry().then(|| self.get_field(2)).flatten()
    }
}

// ---- fields ------------------------------------------------------------------------------

/// The type of a field's values, with the message or enum it names (C++
/// `FieldDescriptor::Type` plus `message_type()` / `enum_type()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `double`.
    Double,
    /// `float`.
    Float,
    /// `int64`.
    Int64,
    /// `uint64`.
    Uint64,
    /// `int32`.
    Int32,
    /// `fixed64`.
    Fixed64,
    /// `fixed32`.
    Fixed32,
    /// `bool`.
    Bool,
    /// `string`.
    String,
    /// `bytes`.
    Bytes,
    /// `uint32`.
    Uint32,
    /// `sfixed32`.
    Sfixed32,
    /// `sfixed64`.
    Sfixed64,
    /// `sint32`.
    Sint32,
    /// `sint64`.
    Sint64,
    /// A length-delimited sub-message.
    Message(MessageDescriptor),
    /// A group: a sub-message between START_GROUP and END_GROUP tags (proto2 groups and
    /// editions' `message_encoding = DELIMITED`).
    Group(MessageDescriptor),
    /// An enum.
    Enum(EnumDescriptor),
}

impl Kind {
    /// The message type, for message and group fields.
    pub fn as_message(&self) -> Option<&MessageDescriptor> {
        match self {
            Kind::Message(m) | Kind::Group(m) => Some(m),
            _ => None,
        }
    }

    /// The enum type, for enum fields.
    pub fn as_enum(&self) -> Option<&EnumDescriptor> {
        match self {
            Kind::Enum(e) => Some(e),
            _ => None,
        }
    }
}

/// Whether a field holds one optional value, one required value, or a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cardinality {
    /// One value, which may be unset.
    Optional,
    /// One value that must be set (proto2 `required`, editions' `LEGACY_REQUIRED`).
    Required,
    /// A list (maps included).
    Repeated,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldLoc {
    Field { message: u32, index: u32 },
    Extension(u32),
}

/// A field of a message, or an extension (C++ `FieldDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct FieldDescriptor {
    pub(super) pool: DescriptorPool,
    pub(super) loc: FieldLoc,
}

handle_traits!(FieldDescriptor, "FieldDescriptor");

impl FieldDescriptor {
    pub(super) fn field(pool: &DescriptorPool, message: u32, index: u32) -> Self {
        FieldDescriptor {
            pool: pool.clone(),
            loc: FieldLoc::Field { message, index },
        }
    }

    pub(super) fn extension(pool: &DescriptorPool, index: u32) -> Self {
        FieldDescriptor {
            pool: pool.clone(),
            loc: FieldLoc::Extension(index),
        }
    }

    pub(super) fn inner(&self) -> &FieldInner {
        match self.loc {
            FieldLoc::Field { message, index } => {
                &self.pool.inner.messages[message as usize].fields[index as usize]
            }
            FieldLoc::Extension(i) => &self.pool.inner.extensions[i as usize],
        }
    }

    /// Index among its message's fields (declaration order); `None` for an extension.
    pub fn index(&self) -> Option<usize> {
        match self.loc {
            FieldLoc::Field { index, .. } => Some(index as usize),
            FieldLoc::Extension(_) => None,
        }
    }

    /// Its proto name.
    pub fn name(&self) -> &str {
        &self.inner().name
    }

    /// Its full name (`pkg.Message.field`; for an extension, its scope and name).
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its JSON name (`json_name` from the descriptor, or protoc's lowerCamel default).
    pub fn json_name(&self) -> &str {
        &self.inner().json_name
    }

    /// Its number.
    pub fn number(&self) -> u32 {
        self.inner().number
    }

    /// The name text format uses: the message type's name for a group (`Data`), the
    /// full name in brackets for an extension (`[pkg.ext]`), else the field name.
    pub fn text_name(&self) -> std::borrow::Cow<'_, str> {
        let f = self.inner();
        if f.is_extension {
            return format!("[{}]", f.full_name).into();
        }
        f.text_name(&self.pool.inner).into()
    }

    /// The type of its values.
    pub fn kind(&self) -> Kind {
        let p = &self.pool;
        match self.inner().ty {
            FieldType::Message(m) => Kind::Message(MessageDescriptor::new(p.clone(), m)),
            FieldType::Group(m) => Kind::Group(MessageDescriptor::new(p.clone(), m)),
            FieldType::Enum(e) => Kind::Enum(EnumDescriptor::new(p.clone(), e)),
            FieldType::Scalar(t) => match t {
                Type::Double => Kind::Double,
                Type::Float => Kind::Float,
                Type::Int64 => Kind::Int64,
                Type::Uint64 => Kind::Uint64,
                Type::Int32 => Kind::Int32,
                Type::Fixed64 => Kind::Fixed64,
                Type::Fixed32 => Kind::Fixed32,
                Type::Bool => Kind::Bool,
                Type::String => Kind::String,
                Type::Bytes => Kind::Bytes,
                Type::Uint32 => Kind::Uint32,
                Type::Sfixed32 => Kind::Sfixed32,
                Type::Sfixed64 => Kind::Sfixed64,
                Type::Sint32 => Kind::Sint32,
                // Messages, groups and enums are resolved to the variants above.
                Type::Sint64 | Type::Message | Type::Group | Type::Enum => Kind::Sint64,
            },
        }
    }

    /// The `FieldDescriptorProto.Type` of the field (`TYPE_GROUP` for delimited messages).
    pub fn proto_type(&self) -> Type {
        match self.inner().ty {
            FieldType::Scalar(t) => t,
            FieldType::Message(_) => Type::Message,
            FieldType::Group(_) => Type::Group,
            FieldType::Enum(_) => Type::Enum,
        }
    }

    /// Optional, required or repeated.
    pub fn cardinality(&self) -> Cardinality {
        let f = self.inner();
        if f.is_repeated() {
            Cardinality::Repeated
        } else if f.is_required() {
            Cardinality::Required
        } else {
            Cardinality::Optional
        }
    }

    /// The `FieldDescriptorProto.Label`.
    pub fn label(&self) -> Label {
        self.inner().label
    }

    /// Whether it is repeated (maps included).
    pub fn is_list(&self) -> bool {
        self.inner().is_repeated() && !self.inner().is_map
    }

    /// Whether it is a map.
    pub fn is_map(&self) -> bool {
        self.inner().is_map
    }

    /// Whether it is `required`.
    pub fn is_required(&self) -> bool {
        self.inner().is_required()
    }

    /// Whether "set" and "set to the default" differ (C++ `has_presence()`): singular
    /// fields of proto2, proto3 `optional`, messages, oneof members, extensions, and editions'
    /// `EXPLICIT` / `LEGACY_REQUIRED` presence.
    pub fn supports_presence(&self) -> bool {
        self.inner().has_presence()
    }

    /// Whether a repeated scalar field is written packed.
    pub fn is_packed(&self) -> bool {
        self.inner().is_packed()
    }

    /// Whether it is an extension.
    pub fn is_extension(&self) -> bool {
        self.inner().is_extension
    }

    /// Whether it is a group (a delimited sub-message).
    pub fn is_group(&self) -> bool {
        matches!(self.inner().ty, FieldType::Group(_))
    }

    /// Whether it is a proto3 `optional` field.
    pub fn is_proto3_optional(&self) -> bool {
        self.inner().proto3_optional
    }

    /// The message it belongs to (for an extension: the message it extends).
    pub fn containing_message(&self) -> MessageDescriptor {
        MessageDescriptor::new(self.pool.clone(), self.inner().containing)
    }

    /// For an extension declared inside a message: that message.
    pub fn extension_scope(&self) -> Option<MessageDescriptor> {
        self.inner()
            .extension_scope
            .map(|m| MessageDescriptor::new(self.pool.clone(), m))
    }

    /// The oneof it is a member of (synthetic oneofs of proto3 `optional` included).
    pub fn containing_oneof(&self) -> Option<OneofDescriptor> {
        let o = self.inner().oneof?;
        Some(OneofDescriptor::new(self.containing_message(), o))
    }

    /// The oneof it is a member of, unless that oneof is synthetic.
    pub fn real_containing_oneof(&self) -> Option<OneofDescriptor> {
        self.containing_oneof().filter(|o| !o.is_synthetic())
    }

    /// The file that declares it.
    pub fn file(&self) -> FileDescriptor {
        FileDescriptor::new(self.pool.clone(), self.inner().file)
    }

    /// Whether the descriptor gives an explicit default (`[default = ...]`).
    pub fn has_default_value(&self) -> bool {
        self.inner().has_default
    }

    /// Its options.
    pub fn options(&self) -> &FieldOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }

    /// For a map field: the key field of its entry.
    pub fn map_key(&self) -> Option<FieldDescriptor> {
        self.map_entry()?.map_entry_key_field()
    }

    /// For a map field: the value field of its entry.
    pub fn map_value(&self) -> Option<FieldDescriptor> {
        self.map_entry()?.map_entry_value_field()
    }

    fn map_entry(&self) -> Option<MessageDescriptor> {
        if !self.is_map() {
            return None;
        }
        self.kind().as_message().cloned()
    }
}

// ---- oneofs ------------------------------------------------------------------------------

/// A oneof (C++ `OneofDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct OneofDescriptor {
    message: MessageDescriptor,
    index: u32,
}

handle_traits!(OneofDescriptor, "OneofDescriptor");

impl OneofDescriptor {
    pub(super) fn new(message: MessageDescriptor, index: u32) -> Self {
        OneofDescriptor { message, index }
    }

    fn inner(&self) -> &OneofInner {
        &self.message.inner().oneofs[self.index as usize]
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.inner().name
    }

    /// Its full name.
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its index among the message's oneofs.
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The message it belongs to.
    pub fn containing_message(&self) -> &MessageDescriptor {
        &self.message
    }

    /// Its member fields.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = FieldDescriptor> + '_ {
        self.inner()
            .fields
            .iter()
            .map(|&i| FieldDescriptor::field(&self.message.pool, self.message.index, i))
    }

    /// Whether it only exists for a proto3 `optional` field.
    pub fn is_synthetic(&self) -> bool {
        self.inner().synthetic
    }

    /// Its options.
    pub fn options(&self) -> &OneofOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }
}

// ---- enums -------------------------------------------------------------------------------

/// An enum type (C++ `EnumDescriptor`).
#[derive(Clone)]
pub struct EnumDescriptor {
    pool: DescriptorPool,
    index: u32,
}

impl PartialEq for EnumDescriptor {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.pool == other.pool
    }
}

impl Eq for EnumDescriptor {}

handle_traits!(EnumDescriptor, "EnumDescriptor");

impl EnumDescriptor {
    pub(super) fn new(pool: DescriptorPool, index: u32) -> Self {
        EnumDescriptor { pool, index }
    }

    pub(super) fn inner(&self) -> &EnumInner {
        &self.pool.inner.enums[self.index as usize]
    }

    /// Its full name.
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its short name.
    pub fn name(&self) -> &str {
        short(self.full_name())
    }

    /// The file that defines it.
    pub fn file(&self) -> FileDescriptor {
        FileDescriptor::new(self.pool.clone(), self.inner().file)
    }

    /// The message it is nested in, if any.
    pub fn parent_message(&self) -> Option<MessageDescriptor> {
        self.inner()
            .parent
            .map(|p| MessageDescriptor::new(self.pool.clone(), p))
    }

    /// Whether numbers it does not declare are kept in enum fields (open, proto3) or go
    /// to unknown fields (closed, proto2).
    pub fn is_closed(&self) -> bool {
        self.inner().closed
    }

    /// Its values, in declaration order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = EnumValueDescriptor> + '_ {
        (0..self.inner().values.len()).map(|i| EnumValueDescriptor::new(self.clone(), i as u32))
    }

    /// The first value declared with this number.
    pub fn get_value(&self, number: i32) -> Option<EnumValueDescriptor> {
        let i = self.value_index(number)?;
        Some(EnumValueDescriptor::new(self.clone(), i))
    }

    pub(super) fn value_index(&self, number: i32) -> Option<u32> {
        let by = &self.inner().by_number;
        by.binary_search_by_key(&number, |&(n, _)| n)
            .ok()
            .map(|i| by[i].1)
    }

    /// The value with this name.
    pub fn get_value_by_name(&self, name: &str) -> Option<EnumValueDescriptor> {
        let i = self.inner().values.iter().position(|v| &*v.name == name)?;
        Some(EnumValueDescriptor::new(self.clone(), i as u32))
    }

    /// The value unset fields read as (the first declared).
    pub fn default_value(&self) -> EnumValueDescriptor {
        EnumValueDescriptor::new(self.clone(), 0)
    }

    /// Reserved number ranges, `start..=end`.
    pub fn reserved_ranges(
        &self,
    ) -> impl ExactSizeIterator<Item = std::ops::RangeInclusive<i32>> + '_ {
        self.inner().reserved_ranges.iter().map(|&(s, e)| s..=e)
    }

    /// Reserved value names.
    pub fn reserved_names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.inner().reserved_names.iter().map(String::as_str)
    }

    /// Its options.
    pub fn options(&self) -> &EnumOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }
}

/// A value of an enum (C++ `EnumValueDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct EnumValueDescriptor {
    parent: EnumDescriptor,
    index: u32,
}

handle_traits!(EnumValueDescriptor, "EnumValueDescriptor");

impl EnumValueDescriptor {
    pub(super) fn new(parent: EnumDescriptor, index: u32) -> Self {
        EnumValueDescriptor { parent, index }
    }

    fn inner(&self) -> &EnumValueInner {
        &self.parent.inner().values[self.index as usize]
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.inner().name
    }

    /// Its full name: a sibling of the enum (`pkg.RED` for `pkg.Color.RED`), as in C++.
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its number.
    pub fn number(&self) -> i32 {
        self.inner().number
    }

    /// The enum it belongs to.
    pub fn parent_enum(&self) -> &EnumDescriptor {
        &self.parent
    }

    /// Its options.
    pub fn options(&self) -> &EnumValueOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }
}

// ---- services ----------------------------------------------------------------------------

/// A service (C++ `ServiceDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceDescriptor {
    pool: DescriptorPool,
    index: u32,
}

handle_traits!(ServiceDescriptor, "ServiceDescriptor");

impl ServiceDescriptor {
    pub(super) fn new(pool: DescriptorPool, index: u32) -> Self {
        ServiceDescriptor { pool, index }
    }

    fn inner(&self) -> &ServiceInner {
        &self.pool.inner.services[self.index as usize]
    }

    /// Its full name.
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// Its short name.
    pub fn name(&self) -> &str {
        short(self.full_name())
    }

    /// The file that defines it.
    pub fn file(&self) -> FileDescriptor {
        FileDescriptor::new(self.pool.clone(), self.inner().file)
    }

    /// Its methods.
    pub fn methods(&self) -> impl ExactSizeIterator<Item = MethodDescriptor> + '_ {
        (0..self.inner().methods.len()).map(|i| MethodDescriptor::new(self.clone(), i as u32))
    }

    /// Its options.
    pub fn options(&self) -> &ServiceOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }
}

/// A method of a service (C++ `MethodDescriptor`).
#[derive(Clone, PartialEq, Eq)]
pub struct MethodDescriptor {
    service: ServiceDescriptor,
    index: u32,
}

handle_traits!(MethodDescriptor, "MethodDescriptor");

impl MethodDescriptor {
    pub(super) fn new(service: ServiceDescriptor, index: u32) -> Self {
        MethodDescriptor { service, index }
    }

    fn inner(&self) -> &MethodInner {
        &self.service.inner().methods[self.index as usize]
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.inner().name
    }

    /// Its full name (`pkg.Service.Method`).
    pub fn full_name(&self) -> &str {
        &self.inner().full_name
    }

    /// The service it belongs to.
    pub fn parent_service(&self) -> &ServiceDescriptor {
        &self.service
    }

    /// The request message.
    pub fn input(&self) -> MessageDescriptor {
        MessageDescriptor::new(self.service.pool.clone(), self.inner().input)
    }

    /// The response message.
    pub fn output(&self) -> MessageDescriptor {
        MessageDescriptor::new(self.service.pool.clone(), self.inner().output)
    }

    /// Whether the client streams requests.
    pub fn is_client_streaming(&self) -> bool {
        self.inner().client_streaming
    }

    /// Whether the server streams responses.
    pub fn is_server_streaming(&self) -> bool {
        self.inner().server_streaming
    }

    /// Its options.
    pub fn options(&self) -> &MethodOptions {
        &self.inner().options
    }

    /// The features that apply to it, resolved as protoc does (edition defaults,
    /// inherited and overridden; other languages' feature extensions kept as unknown
    /// fields). [`Features::from_set`](crate::reflect::Features::from_set) gives the core
    /// ones as a compact `Copy` value.
    pub fn features(&self) -> &FeatureSet {
        &self.inner().features.set
    }
}
