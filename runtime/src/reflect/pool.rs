//! [`DescriptorPool`]: files, resolved and indexed. The pool owns one flat table per
//! element kind (messages, enums, extensions, services) and one name index; descriptors are
//! `(pool, index)` handles into it.

use super::features::Resolved;
use super::layout::Layout;
use crate::descriptor::feature_set::{FieldPresence, MessageEncoding, RepeatedFieldEncoding};
use crate::descriptor::features::{self as resolve, FeatureError};
use crate::descriptor::field_descriptor_proto::{Label, Type};
use crate::descriptor::{
    DescriptorProto, Edition, EnumDescriptorProto, EnumOptions, EnumValueOptions,
    FieldDescriptorProto, FieldOptions, FileDescriptorProto, FileDescriptorSet, MessageOptions,
    MethodOptions, OneofOptions, ServiceOptions,
};
use crate::{DecodeError, Message};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Why files could not be added to a [`DescriptorPool`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoolError {
    /// The bytes are not a valid `FileDescriptorSet` / `FileDescriptorProto`.
    Decode(DecodeError),
    /// A file imports a file that is neither in the pool nor among the files being added.
    MissingImport {
        /// The importing file.
        file: String,
        /// The missing import.
        import: String,
    },
    /// Two different files with the same name.
    DuplicateFile(String),
    /// A name defined twice (or a package name reused by a message, enum or service).
    DuplicateSymbol(String),
    /// A field, extension or method refers to a type the pool does not have.
    UnresolvedType {
        /// Full name of the referring element.
        element: String,
        /// The name as written.
        type_name: String,
    },
    /// A descriptor is inconsistent (e.g. a map field whose entry is not a map entry, a
    /// default value that does not parse, a oneof index out of range).
    Invalid {
        /// Full name of the element.
        element: String,
        /// What is wrong.
        reason: String,
    },
    /// A file's features cannot be resolved: an unknown syntax, or an edition outside
    /// what [`crate::descriptor::features`] resolves.
    Features {
        /// The file.
        file: String,
        /// Why.
        error: FeatureError,
    },
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::Decode(e) => write!(f, "invalid descriptor bytes: {e}"),
            PoolError::MissingImport { file, import } => {
                write!(f, "{file}: import \"{import}\" not found")
            }
            PoolError::DuplicateFile(name) => write!(f, "file \"{name}\" added twice"),
            PoolError::DuplicateSymbol(name) => write!(f, "\"{name}\" is already defined"),
            PoolError::UnresolvedType { element, type_name } => {
                write!(f, "{element}: type \"{type_name}\" is not defined")
            }
            PoolError::Invalid { element, reason } => write!(f, "{element}: {reason}"),
            PoolError::Features { file, error } => write!(f, "{file}: {error}"),
        }
    }
}

impl std::error::Error for PoolError {}

impl From<DecodeError> for PoolError {
    fn from(e: DecodeError) -> Self {
        PoolError::Decode(e)
    }
}

/// A set of resolved `.proto` files: every message, enum, extension and service they define,
/// found by full name in O(1) (C++ `DescriptorPool`, prost-reflect's `DescriptorPool`).
///
/// A pool is a cheap handle (an `Arc`): cloning it, and every descriptor taken from it, is a
/// reference-count increment. Adding files to a pool whose handles are shared elsewhere copies
/// it first (the other handles keep seeing the pool as it was).
///
/// ```
/// use zpb::descriptor::{FileDescriptorProto, FileDescriptorSet};
/// use zpb::reflect::DescriptorPool;
/// use zpb::Message;
///
/// let mut file = FileDescriptorProto::default();
/// file.set_name("app.proto");
/// file.set_package("app");
/// file.add_message_type().set_name("Ping");
/// let mut set = FileDescriptorSet::default();
/// set.mutable_file().push(file);
///
/// let pool = DescriptorPool::decode(&set.serialize_to_vec().unwrap()).unwrap();
/// let ping = pool.get_message_by_name("app.Ping").unwrap();
/// assert_eq!(ping.full_name(), "app.Ping");
/// assert_eq!(ping.file().name(), "app.proto");
/// ```
#[derive(Clone, Default)]
pub struct DescriptorPool {
    pub(super) inner: Arc<PoolInner>,
}

impl fmt::Debug for DescriptorPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.inner.files.iter().map(|file| &file.name))
            .finish()
    }
}

impl PartialEq for DescriptorPool {
    /// Pools are equal when they are the same pool (handles to one allocation).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for DescriptorPool {}

/// What a full name in the pool names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Symbol {
    Package,
    Message(u32),
    Field { message: u32, index: u32 },
    Oneof { message: u32, index: u32 },
    Enum(u32),
    EnumValue { enum_index: u32, index: u32 },
    Extension(u32),
    Service(u32),
    Method { service: u32, index: u32 },
}

#[derive(Clone, Default)]
pub(super) struct PoolInner {
    pub files: Vec<FileInner>,
    pub messages: Vec<MessageInner>,
    pub enums: Vec<EnumInner>,
    pub extensions: Vec<FieldInner>,
    pub services: Vec<ServiceInner>,
    /// Every full name (without a leading dot): the one index for lookups by name.
    pub names: HashMap<Box<str>, Symbol>,
    pub file_names: HashMap<Box<str>, u32>,
    /// Extensions by (extendee message, number).
    pub extensions_by_number: HashMap<(u32, u32), u32>,
}

#[derive(Clone)]
pub(super) struct FileInner {
    pub name: Box<str>,
    /// The file as given (source info included), for options and round trips.
    pub proto: FileDescriptorProto,
    pub edition: Edition,
    pub features: Resolved,
    pub dependencies: Vec<u32>,
    pub messages: Vec<u32>,
    pub enums: Vec<u32>,
    pub extensions: Vec<u32>,
    pub services: Vec<u32>,
}

/// Field numbers below this are found through a table (larger ones by binary search).
pub(super) const DENSE_LIMIT: usize = 256;

#[derive(Clone)]
pub(super) struct MessageInner {
    pub full_name: Box<str>,
    pub file: u32,
    pub parent: Option<u32>,
    pub options: MessageOptions,
    pub features: Resolved,
    pub fields: Vec<FieldInner>,
    /// `(number, field index)`, sorted by number.
    pub by_number: Vec<(u32, u32)>,
    /// Field index by number for numbers below [`DENSE_LIMIT`] (`u32::MAX`: none), the
    /// parse loop's lookup.
    pub dense: Box<[u32]>,
    pub by_name: HashMap<Box<str>, u32>,
    pub by_json_name: HashMap<Box<str>, u32>,
    /// Field indexes in number order (encoding and text order).
    pub number_order: Vec<u32>,
    pub oneofs: Vec<OneofInner>,
    pub nested_messages: Vec<u32>,
    pub nested_enums: Vec<u32>,
    pub nested_extensions: Vec<u32>,
    /// `[start, end)` ranges.
    pub extension_ranges: Vec<(u32, u32)>,
    pub reserved_ranges: Vec<(u32, u32)>,
    pub reserved_names: Vec<String>,
    pub map_entry: bool,
    /// Whether any field (here or below, through message fields) is `required`: lets
    /// `is_initialized` skip messages that cannot fail it.
    pub has_required: bool,
    /// How a dynamic message of the type stores its fields: worked out from the fields
    /// when the first one is made, so that making, checking and dropping one read this short
    /// table rather than every field descriptor.
    pub layout: OnceLock<Layout>,
}

impl MessageInner {
    /// The index of the field numbered `number`: the dense table below [`DENSE_LIMIT`], a
    /// binary search above.
    #[inline]
    pub fn field_index(&self, number: u32) -> Option<u32> {
        if let Some(&i) = self.dense.get(number as usize) {
            return (i != u32::MAX).then_some(i);
        }
        let by = &self.by_number;
        by.binary_search_by_key(&number, |&(n, _)| n)
            .ok()
            .map(|i| by[i].1)
    }
}

#[derive(Clone)]
pub(super) struct OneofInner {
    pub name: Box<str>,
    pub full_name: Box<str>,
    pub fields: Vec<u32>,
    pub synthetic: bool,
    pub options: OneofOptions,
    pub features: Resolved,
}

/// What a field's values are, with the index of its message or enum type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FieldType {
    Scalar(Type),
    Message(u32),
    Group(u32),
    Enum(u32),
}

/// A default value from `default_value` (or the type's zero / first enum value).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum DefaultValue {
    Bool(bool),
    I32(i32),
    I64(i64),
    U32(u32),
    U64(u64),
    F32(f32),
    F64(f64),
    String(Box<str>),
    Bytes(Box<[u8]>),
    Enum(i32),
    Message,
}

#[derive(Clone)]
pub(super) struct FieldInner {
    pub name: Box<str>,
    pub full_name: Box<str>,
    pub json_name: Box<str>,
    pub number: u32,
    pub ty: FieldType,
    pub label: Label,
    pub features: Resolved,
    /// The message it is a field of (for an extension: the extendee).
    pub containing: u32,
    /// For an extension: the message it is declared in, if any.
    pub extension_scope: Option<u32>,
    pub is_extension: bool,
    pub file: u32,
    pub oneof: Option<u32>,
    pub proto3_optional: bool,
    pub default: DefaultValue,
    pub has_default: bool,
    pub options: FieldOptions,
    pub is_map: bool,
}

impl FieldInner {
    pub fn is_repeated(&self) -> bool {
        self.label == Label::Repeated
    }

    pub fn is_required(&self) -> bool {
        !self.is_repeated() && self.features.view.field_presence == FieldPresence::LegacyRequired
    }

    /// Whether the field tracks presence (C++ `has_presence()`).
    pub fn has_presence(&self) -> bool {
        !self.is_repeated()
            && (matches!(self.ty, FieldType::Message(_) | FieldType::Group(_))
                || self.oneof.is_some()
                || self.is_extension
                || self.features.view.field_presence != FieldPresence::Implicit)
    }

    /// The name text format (and missing-field paths) use: a proto2 group's type name
    /// (`Data`), else the field name.
    pub fn text_name<'a>(&'a self, pool: &'a PoolInner) -> &'a str {
        match self.ty {
            FieldType::Group(m)
                if matches!(
                    pool.files[self.file as usize].edition,
                    Edition::Proto2 | Edition::Proto3
                ) =>
            {
                let full = &pool.messages[m as usize].full_name;
                full.rsplit('.').next().unwrap_or(full)
            }
            _ => &self.name,
        }
    }

    pub fn is_packed(&self) -> bool {
        self.is_repeated()
            && self.features.view.repeated_field_encoding == RepeatedFieldEncoding::Packed
            && match self.ty {
                FieldType::Scalar(t) => !matches!(t, Type::String | Type::Bytes),
                FieldType::Enum(_) => true,
                _ => false,
            }
    }
}

#[derive(Clone)]
pub(super) struct EnumInner {
    pub full_name: Box<str>,
    pub file: u32,
    pub parent: Option<u32>,
    pub options: EnumOptions,
    pub features: Resolved,
    pub closed: bool,
    pub values: Vec<EnumValueInner>,
    /// `(number, first value index with it)`, sorted by number.
    pub by_number: Vec<(i32, u32)>,
    pub reserved_ranges: Vec<(i32, i32)>,
    pub reserved_names: Vec<String>,
}

#[derive(Clone)]
pub(super) struct EnumValueInner {
    pub name: Box<str>,
    pub full_name: Box<str>,
    pub number: i32,
    pub options: EnumValueOptions,
    pub features: Resolved,
}

#[derive(Clone)]
pub(super) struct ServiceInner {
    pub full_name: Box<str>,
    pub file: u32,
    pub options: ServiceOptions,
    pub features: Resolved,
    pub methods: Vec<MethodInner>,
}

#[derive(Clone)]
pub(super) struct MethodInner {
    pub name: Box<str>,
    pub full_name: Box<str>,
    pub input: u32,
    pub output: u32,
    pub client_streaming: bool,
    pub server_streaming: bool,
    pub options: MethodOptions,
    pub features: Resolved,
}

impl DescriptorPool {
    /// An empty pool.
    pub fn new() -> DescriptorPool {
        DescriptorPool::default()
    }

    /// A pool holding the files of a serialized `FileDescriptorSet` (what `protoc
    /// --descriptor_set_out --include_imports` writes).
    pub fn decode(file_descriptor_set: &[u8]) -> Result<DescriptorPool, PoolError> {
        let mut pool = DescriptorPool::new();
        pool.decode_file_descriptor_set(file_descriptor_set)?;
        Ok(pool)
    }

    /// Adds the files of a serialized `FileDescriptorSet`.
    pub fn decode_file_descriptor_set(&mut self, bytes: &[u8]) -> Result<(), PoolError> {
        let set = FileDescriptorSet::parse_from_slice(bytes)?;
        self.add_file_descriptor_set(set)
    }

    /// Adds one serialized `FileDescriptorProto` (its imports must already be in the pool).
    pub fn decode_file_descriptor_proto(&mut self, bytes: &[u8]) -> Result<(), PoolError> {
        let file = FileDescriptorProto::parse_from_slice(bytes)?;
        self.add_file_descriptor_protos([file])
    }

    /// Adds the files of a `FileDescriptorSet`.
    pub fn add_file_descriptor_set(&mut self, set: FileDescriptorSet) -> Result<(), PoolError> {
        self.add_file_descriptor_protos(set.file.into_vec())
    }

    /// Adds files, in any order among themselves: each one's imports must be in the pool or
    /// among `files`. A file already in the pool with identical content is skipped. On
    /// error the pool is left unchanged.
    pub fn add_file_descriptor_protos(
        &mut self,
        files: impl IntoIterator<Item = FileDescriptorProto>,
    ) -> Result<(), PoolError> {
        let mut pending: Vec<FileDescriptorProto> = Vec::new();
        for file in files {
            if let Some(&i) = self.inner.file_names.get(file.name()) {
                if self.inner.files[i as usize].proto == file {
                    continue;
                }
                return Err(PoolError::DuplicateFile(file.name().to_string()));
            }
            if pending.iter().any(|p| p.name() == file.name()) {
                if pending.contains(&file) {
                    continue;
                }
                return Err(PoolError::DuplicateFile(file.name().to_string()));
            }
            pending.push(file);
        }
        let mut inner = (*self.inner).clone();
        // Add files whose imports are all present, until none is left (or none can go).
        while !pending.is_empty() {
            let ready = pending.iter().position(|f| {
                f.dependency()
                    .iter()
                    .all(|d| inner.file_names.contains_key(d.as_str()))
            });
            let Some(i) = ready else {
                // Nothing can be added: an import is missing, or the rest import each other.
                let file = &pending[0];
                let missing = pending.iter().find_map(|f| {
                    let import = f.dependency().iter().find(|d| {
                        !inner.file_names.contains_key(d.as_str())
                            && !pending.iter().any(|p| p.name() == d.as_str())
                    })?;
                    Some((f.name().to_string(), import.clone()))
                });
                return Err(match missing {
                    Some((file, import)) => PoolError::MissingImport { file, import },
                    None => invalid(file.name(), "import cycle"),
                });
            };
            let file = pending.remove(i);
            Builder { pool: &mut inner }.add_file(file)?;
        }
        self.inner = Arc::new(inner);
        Ok(())
    }

    /// All files, in the order they were added.
    pub fn files(&self) -> impl ExactSizeIterator<Item = super::FileDescriptor> + '_ {
        (0..self.inner.files.len()).map(|i| super::FileDescriptor::new(self.clone(), i as u32))
    }

    /// The file with this name (as imported, e.g. `google/protobuf/any.proto`).
    pub fn get_file_by_name(&self, name: &str) -> Option<super::FileDescriptor> {
        let i = *self.inner.file_names.get(name)?;
        Some(super::FileDescriptor::new(self.clone(), i))
    }

    /// All messages (nested ones and map entries included).
    pub fn all_messages(&self) -> impl ExactSizeIterator<Item = super::MessageDescriptor> + '_ {
        (0..self.inner.messages.len())
            .map(|i| super::MessageDescriptor::new(self.clone(), i as u32))
    }

    /// All enums.
    pub fn all_enums(&self) -> impl ExactSizeIterator<Item = super::EnumDescriptor> + '_ {
        (0..self.inner.enums.len()).map(|i| super::EnumDescriptor::new(self.clone(), i as u32))
    }

    /// All extensions.
    pub fn all_extensions(&self) -> impl ExactSizeIterator<Item = super::FieldDescriptor> + '_ {
        (0..self.inner.extensions.len()).map(|i| super::FieldDescriptor::extension(self, i as u32))
    }

    /// All services.
    pub fn services(&self) -> impl ExactSizeIterator<Item = super::ServiceDescriptor> + '_ {
        (0..self.inner.services.len())
            .map(|i| super::ServiceDescriptor::new(self.clone(), i as u32))
    }

    pub(super) fn symbol(&self, full_name: &str) -> Option<Symbol> {
        let name = full_name.strip_prefix('.').unwrap_or(full_name);
        self.inner.names.get(name).copied()
    }

    /// The message with this full name (`pkg.Outer.Inner`; a leading `.` is accepted).
    pub fn get_message_by_name(&self, full_name: &str) -> Option<super::MessageDescriptor> {
        match self.symbol(full_name)? {
            Symbol::Message(i) => Some(super::MessageDescriptor::new(self.clone(), i)),
            _ => None,
        }
    }

    /// The enum with this full name.
    pub fn get_enum_by_name(&self, full_name: &str) -> Option<super::EnumDescriptor> {
        match self.symbol(full_name)? {
            Symbol::Enum(i) => Some(super::EnumDescriptor::new(self.clone(), i)),
            _ => None,
        }
    }

    /// The extension with this full name.
    pub fn get_extension_by_name(&self, full_name: &str) -> Option<super::FieldDescriptor> {
        match self.symbol(full_name)? {
            Symbol::Extension(i) => Some(super::FieldDescriptor::extension(self, i)),
            _ => None,
        }
    }

    /// The service with this full name.
    pub fn get_service_by_name(&self, full_name: &str) -> Option<super::ServiceDescriptor> {
        match self.symbol(full_name)? {
            Symbol::Service(i) => Some(super::ServiceDescriptor::new(self.clone(), i)),
            _ => None,
        }
    }

    /// Whatever this full name names: a message, field, oneof, enum, enum value, extension,
    /// service, method or package.
    pub fn get_by_name(&self, full_name: &str) -> Option<super::Descriptor> {
        use super::Descriptor as D;
        Some(match self.symbol(full_name)? {
            Symbol::Package => {
                D::Package(full_name.strip_prefix('.').unwrap_or(full_name).to_string())
            }
            Symbol::Message(i) => D::Message(super::MessageDescriptor::new(self.clone(), i)),
            Symbol::Field { message, index } => {
                D::Field(super::FieldDescriptor::field(self, message, index))
            }
            Symbol::Oneof { message, index } => D::Oneof(super::OneofDescriptor::new(
                super::MessageDescriptor::new(self.clone(), message),
                index,
            )),
            Symbol::Enum(i) => D::Enum(super::EnumDescriptor::new(self.clone(), i)),
            Symbol::EnumValue { enum_index, index } => {
                D::EnumValue(super::EnumValueDescriptor::new(
                    super::EnumDescriptor::new(self.clone(), enum_index),
                    index,
                ))
            }
            Symbol::Extension(i) => D::Extension(super::FieldDescriptor::extension(self, i)),
            Symbol::Service(i) => D::Service(super::ServiceDescriptor::new(self.clone(), i)),
            Symbol::Method { service, index } => D::Method(super::MethodDescriptor::new(
                super::ServiceDescriptor::new(self.clone(), service),
                index,
            )),
        })
    }

    /// The files as a `FileDescriptorSet`, in the order they were added (dependencies first).
    pub fn file_descriptor_set(&self) -> FileDescriptorSet {
        let mut set = FileDescriptorSet::default();
        for f in &self.inner.files {
            set.mutable_file().push(f.proto.clone());
        }
        set
    }
}

/// Adds one file to a pool under construction.
struct Builder<'p> {
    pool: &'p mut PoolInner,
}

/// A message or enum declared in the file being added, before its fields are resolved.
struct Pending<'f> {
    index: u32,
    proto: &'f DescriptorProto,
    features: Resolved,
}

fn join(scope: &str, name: &str) -> Box<str> {
    if scope.is_empty() {
        name.into()
    } else {
        format!("{scope}.{name}").into()
    }
}

fn invalid(element: &str, reason: impl Into<String>) -> PoolError {
    PoolError::Invalid {
        element: element.to_string(),
        reason: reason.into(),
    }
}

impl Builder<'_> {
    fn define(&mut self, name: &str, symbol: Symbol) -> Result<(), PoolError> {
        match self.pool.names.get(name) {
            Some(Symbol::Package) if symbol == Symbol::Package => Ok(()),
            Some(_) => Err(PoolError::DuplicateSymbol(name.to_string())),
            None => {
                self.pool.names.insert(name.into(), symbol);
                Ok(())
            }
        }
    }

    fn add_file(mut self, proto: FileDescriptorProto) -> Result<(), PoolError> {
        let file_index = self.pool.files.len() as u32;
        let features_error = |error| PoolError::Features {
            file: proto.name().to_string(),
            error,
        };
        let edition = resolve::edition(&proto).map_err(features_error)?;
        let file_features = Resolved::new(resolve::file_features(&proto).map_err(features_error)?);
        let dependencies = proto
            .dependency()
            .iter()
            .map(|d| self.pool.file_names[d.as_str()])
            .collect();
        let package = proto.package().to_string();
        if !package.is_empty() {
            let mut end = 0;
            for part in package.split('.') {
                end += part.len();
                self.define(&package[..end], Symbol::Package)?;
                end += 1;
            }
        }

        // Pass 1: declare every message and enum (so that fields can refer to any of them).
        let mut messages = Vec::new();
        let mut top_messages = Vec::new();
        for m in proto.message_type() {
            top_messages.push(self.declare_message(
                m,
                &package,
                None,
                file_index,
                &file_features,
                &mut messages,
            )?);
        }
        let mut top_enums = Vec::new();
        for e in proto.enum_type() {
            top_enums.push(self.declare_enum(e, &package, None, file_index, &file_features)?);
        }

        // Pass 2: fields, extensions, services.
        let ctx = FileCtx {
            index: file_index,
            edition,
        };
        for p in &messages {
            self.add_fields(&ctx, p)?;
        }
        let mut top_extensions = Vec::new();
        for x in proto.extension() {
            top_extensions.push(self.add_extension(&ctx, x, &package, None, &file_features)?);
        }
        for p in &messages {
            let scope = self.pool.messages[p.index as usize].full_name.to_string();
            for x in p.proto.extension() {
                let ext = self.add_extension(&ctx, x, &scope, Some(p.index), &p.features)?;
                self.pool.messages[p.index as usize]
                    .nested_extensions
                    .push(ext);
            }
        }
        let mut services = Vec::new();
        for s in proto.service() {
            services.push(self.add_service(s, &package, file_index, &file_features)?);
        }
        for p in &messages {
            self.check_message(p.index)?;
        }
        self.mark_required(&messages);

        self.pool.file_names.insert(proto.name().into(), file_index);
        self.pool.files.push(FileInner {
            name: proto.name().into(),
            edition,
            features: file_features,
            dependencies,
            messages: top_messages,
            enums: top_enums,
            extensions: top_extensions,
            services,
            proto,
        });
        Ok(())
    }

    fn declare_message<'f>(
        &mut self,
        m: &'f DescriptorProto,
        scope: &str,
        parent: Option<u32>,
        file: u32,
        parent_features: &Resolved,
        out: &mut Vec<Pending<'f>>,
    ) -> Result<u32, PoolError> {
        let full_name = join(scope, m.name());
        let index = self.pool.messages.len() as u32;
        self.define(&full_name, Symbol::Message(index))?;
        let options = m.options().clone();
        let features = parent_features.child(resolve::message_features(&parent_features.set, m));
        self.pool.messages.push(MessageInner {
            full_name: full_name.clone(),
            file,
            parent,
            map_entry: options.map_entry(),
            options,
            features: features.clone(),
            fields: Vec::new(),
            by_number: Vec::new(),
            dense: Box::new([]),
            by_name: HashMap::new(),
            by_json_name: HashMap::new(),
            number_order: Vec::new(),
            oneofs: Vec::new(),
            nested_messages: Vec::new(),
            nested_enums: Vec::new(),
            nested_extensions: Vec::new(),
            extension_ranges: m
                .extension_range()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32))
                .collect(),
            reserved_ranges: m
                .reserved_range()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32))
                .collect(),
            reserved_names: m.reserved_name().to_vec(),
            has_required: false,
            layout: OnceLock::new(),
        });
        out.push(Pending {
            index,
            proto: m,
            features: features.clone(),
        });
        let mut nested = Vec::new();
        for n in m.nested_type() {
            nested.push(self.declare_message(n, &full_name, Some(index), file, &features, out)?);
        }
        let mut enums = Vec::new();
        for e in m.enum_type() {
            enums.push(self.declare_enum(e, &full_name, Some(index), file, &features)?);
        }
        let msg = &mut self.pool.messages[index as usize];
        msg.nested_messages = nested;
        msg.nested_enums = enums;
        Ok(index)
    }

    fn declare_enum(
        &mut self,
        e: &EnumDescriptorProto,
        scope: &str,
        parent: Option<u32>,
        file: u32,
        parent_features: &Resolved,
    ) -> Result<u32, PoolError> {
        let full_name = join(scope, e.name());
        let index = self.pool.enums.len() as u32;
        self.define(&full_name, Symbol::Enum(index))?;
        let options = e.options().clone();
        let features = parent_features.child(resolve::enum_features(&parent_features.set, e));
        let mut values = Vec::new();
        let mut by_number: Vec<(i32, u32)> = Vec::new();
        for (i, v) in e.value().iter().enumerate() {
            // Enum values are siblings of their enum (C++ scoping).
            let value_name = join(scope, v.name());
            self.define(
                &value_name,
                Symbol::EnumValue {
                    enum_index: index,
                    index: i as u32,
                },
            )?;
            if !by_number.iter().any(|(n, _)| *n == v.number()) {
                by_number.push((v.number(), i as u32));
            }
            values.push(EnumValueInner {
                name: v.name().into(),
                full_name: value_name,
                number: v.number(),
                options: v.options().clone(),
                features: features.child(resolve::enum_value_features(&features.set, v)),
            });
        }
        if values.is_empty() {
            return Err(invalid(&full_name, "an enum needs at least one value"));
        }
        by_number.sort_unstable();
        self.pool.enums.push(EnumInner {
            full_name,
            file,
            parent,
            options,
            closed: features.view.enum_type == crate::descriptor::feature_set::EnumType::Closed,
            features,
            values,
            by_number,
            reserved_ranges: e
                .reserved_range()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            reserved_names: e.reserved_name().to_vec(),
        });
        Ok(index)
    }

    /// Resolves `name` as written in scope `scope` (C++ rules: a leading `.` is absolute,
    /// else the innermost enclosing scope that defines it wins).
    fn resolve(&self, scope: &str, name: &str) -> Option<Symbol> {
        if let Some(abs) = name.strip_prefix('.') {
            return self.pool.names.get(abs).copied();
        }
        let mut scope = scope;
        loop {
            let candidate = join(scope, name);
            if let Some(s) = self.pool.names.get(&candidate) {
                if !matches!(s, Symbol::Package | Symbol::Field { .. }) {
                    return Some(*s);
                }
            }
            if scope.is_empty() {
                return None;
            }
            scope = scope.rfind('.').map_or("", |i| &scope[..i]);
        }
    }

    fn field_type(
        &self,
        element: &str,
        scope: &str,
        f: &FieldDescriptorProto,
        features: &Resolved,
        in_map_entry: bool,
    ) -> Result<FieldType, PoolError> {
        let unresolved = || PoolError::UnresolvedType {
            element: element.to_string(),
            type_name: f.type_name().to_string(),
        };
        let declared = f.r#type;
        let named = match declared {
            Some(Type::Message | Type::Group | Type::Enum) | None => {
                Some(self.resolve(scope, f.type_name()).ok_or_else(unresolved)?)
            }
            Some(_) => None,
        };
        Ok(match (declared, named) {
            (Some(t), None) => FieldType::Scalar(t),
            (_, Some(Symbol::Enum(e))) if matches!(declared, Some(Type::Enum) | None) => {
                FieldType::Enum(e)
            }
            (Some(Type::Group), Some(Symbol::Message(m))) => FieldType::Group(m),
            (_, Some(Symbol::Message(m))) if matches!(declared, Some(Type::Message) | None) => {
                // Maps and the fields of map entries stay length-prefixed (C++
                // `is_delimited()`), whatever the features say.
                if features.view.message_encoding == MessageEncoding::Delimited
                    && !self.pool.messages[m as usize].map_entry
                    && !in_map_entry
                {
                    FieldType::Group(m)
                } else {
                    FieldType::Message(m)
                }
            }
            _ => return Err(unresolved()),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        ctx: &FileCtx,
        f: &FieldDescriptorProto,
        scope: &str,
        full_name: Box<str>,
        parent_features: &Resolved,
        containing: u32,
        extension_scope: Option<u32>,
        is_extension: bool,
    ) -> Result<FieldInner, PoolError> {
        let features = parent_features.child(resolve::field_features(
            &parent_features.set,
            f,
            ctx.edition,
        ));
        let in_map_entry = !is_extension && self.pool.messages[containing as usize].map_entry;
        let ty = self.field_type(&full_name, scope, f, &features, in_map_entry)?;
        if f.number() <= 0 || f.number() as u32 > crate::wire::MAX_FIELD_NUMBER {
            return Err(invalid(
                &full_name,
                format!("field number {} out of range", f.number()),
            ));
        }
        let label = if f.has_label() {
            f.label()
        } else {
            Label::Optional
        };
        let default = self.default_value(&full_name, f, ty)?;
        let is_map = label == Label::Repeated
            && matches!(ty, FieldType::Message(m) if self.pool.messages[m as usize].map_entry);
        Ok(FieldInner {
            name: f.name().into(),
            json_name: if f.has_json_name() {
                f.json_name().into()
            } else {
                zpb_naming::default_json_name(f.name()).into()
            },
            full_name,
            number: f.number() as u32,
            ty,
            label,
            features,
            containing,
            extension_scope,
            is_extension,
            file: ctx.index,
            oneof: None,
            proto3_optional: f.proto3_optional(),
            has_default: f.has_default_value(),
            default,
            options: f.options().clone(),
            is_map,
        })
    }

    fn default_value(
        &self,
        element: &str,
        f: &FieldDescriptorProto,
        ty: FieldType,
    ) -> Result<DefaultValue, PoolError> {
        let text = f.has_default_value().then(|| f.default_value());
        let bad = || {
            invalid(
                element,
                format!("bad default value {:?}", f.default_value()),
            )
        };
        fn num<T: std::str::FromStr + Default>(text: Option<&str>) -> Option<T> {
            match text {
                None => Some(T::default()),
                Some(t) => t.parse().ok(),
            }
        }
        fn float(text: Option<&str>) -> Option<f64> {
            match text {
                None => Some(0.0),
                Some("inf") => Some(f64::INFINITY),
                Some("-inf") => Some(f64::NEG_INFINITY),
                Some("nan") => Some(f64::NAN),
                Some(t) => t.parse().ok(),
            }
        }
        Ok(match ty {
            FieldType::Message(_) | FieldType::Group(_) => DefaultValue::Message,
            FieldType::Enum(e) => {
                let en = &self.pool.enums[e as usize];
                match text {
                    None => DefaultValue::Enum(en.values[0].number),
                    Some(name) => DefaultValue::Enum(
                        en.values
                            .iter()
                            .find(|v| &*v.name == name)
                            .ok_or_else(bad)?
                            .number,
                    ),
                }
            }
            FieldType::Scalar(t) => match t {
                Type::Double => DefaultValue::F64(float(text).ok_or_else(bad)?),
                Type::Float => DefaultValue::F32(float(text).ok_or_else(bad)? as f32),
                Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                    DefaultValue::I64(num(text).ok_or_else(bad)?)
                }
                Type::Uint64 | Type::Fixed64 => DefaultValue::U64(num(text).ok_or_else(bad)?),
                Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                    DefaultValue::I32(num(text).ok_or_else(bad)?)
                }
                Type::Uint32 | Type::Fixed32 => DefaultValue::U32(num(text).ok_or_else(bad)?),
                Type::Bool => DefaultValue::Bool(num(text).ok_or_else(bad)?),
                Type::String => DefaultValue::String(text.unwrap_or_default().into()),
                Type::Bytes => DefaultValue::Bytes(
                    crate::descriptor::unescape_default_bytes(text.unwrap_or_default())
                        .ok_or_else(bad)?
                        .into(),
                ),
                Type::Message | Type::Group | Type::Enum => return Err(bad()),
            },
        })
    }

    fn add_fields(&mut self, ctx: &FileCtx, p: &Pending<'_>) -> Result<(), PoolError> {
        let m = p.proto;
        let full = self.pool.messages[p.index as usize].full_name.clone();
        let mut oneofs = Vec::new();
        for (i, o) in m.oneof_decl().iter().enumerate() {
            let full_name = join(&full, o.name());
            self.define(
                &full_name,
                Symbol::Oneof {
                    message: p.index,
                    index: i as u32,
                },
            )?;
            oneofs.push(OneofInner {
                name: o.name().into(),
                full_name,
                fields: Vec::new(),
                synthetic: true,
                options: o.options().clone(),
                features: p
                    .features
                    .child(resolve::oneof_features(&p.features.set, o)),
            });
        }
        let mut fields = Vec::new();
        for (i, f) in m.field().iter().enumerate() {
            let full_name = join(&full, f.name());
            self.define(
                &full_name,
                Symbol::Field {
                    message: p.index,
                    index: i as u32,
                },
            )?;
            // A field inside a oneof inherits the oneof's features.
            let parent = match f.has_oneof_index().then(|| f.oneof_index()) {
                Some(o) => {
                    &oneofs
                        .get(o as usize)
                        .ok_or_else(|| invalid(&full_name, "oneof index out of range"))?
                        .features
                }
                None => &p.features,
            };
            let mut field = self.field(ctx, f, &full, full_name, parent, p.index, None, false)?;
            if f.has_oneof_index() {
                let o = f.oneof_index() as u32;
                field.oneof = Some(o);
                let oneof = &mut oneofs[o as usize];
                oneof.fields.push(i as u32);
                oneof.synthetic &= f.proto3_optional();
            }
            fields.push(field);
        }
        let msg = &mut self.pool.messages[p.index as usize];
        let mut by_number: Vec<(u32, u32)> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.number, i as u32))
            .collect();
        by_number.sort_unstable();
        if let Some(w) = by_number.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(invalid(
                &full,
                format!("field number {} used twice", w[0].0),
            ));
        }
        msg.number_order = by_number.iter().map(|&(_, i)| i).collect();
        let dense_len = by_number
            .iter()
            .map(|&(n, _)| n as usize + 1)
            .filter(|&n| n <= DENSE_LIMIT)
            .max()
            .unwrap_or(0);
        let mut dense = vec![u32::MAX; dense_len];
        for &(n, i) in &by_number {
            if (n as usize) < dense_len {
                dense[n as usize] = i;
            }
        }
        msg.dense = dense.into();
        msg.by_number = by_number;
        msg.by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i as u32))
            .collect();
        msg.by_json_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.json_name.clone(), i as u32))
            .collect();
        msg.fields = fields;
        msg.oneofs = oneofs;
        Ok(())
    }

    fn add_extension(
        &mut self,
        ctx: &FileCtx,
        x: &FieldDescriptorProto,
        scope: &str,
        declared_in: Option<u32>,
        parent_features: &Resolved,
    ) -> Result<u32, PoolError> {
        let full_name = join(scope, x.name());
        let index = self.pool.extensions.len() as u32;
        let extendee = match self.resolve(scope, x.extendee()) {
            Some(Symbol::Message(m)) => m,
            _ => {
                return Err(PoolError::UnresolvedType {
                    element: full_name.to_string(),
                    type_name: x.extendee().to_string(),
                })
            }
        };
        self.define(&full_name, Symbol::Extension(index))?;
        let field = self.field(
            ctx,
            x,
            scope,
            full_name.clone(),
            parent_features,
            extendee,
            declared_in,
            true,
        )?;
        if self
            .pool
            .extensions_by_number
            .insert((extendee, field.number), index)
            .is_some()
        {
            return Err(PoolError::DuplicateSymbol(format!(
                "{}#{}",
                self.pool.messages[extendee as usize].full_name, field.number
            )));
        }
        self.pool.extensions.push(field);
        Ok(index)
    }

    fn add_service(
        &mut self,
        s: &crate::descriptor::ServiceDescriptorProto,
        package: &str,
        file: u32,
        file_features: &Resolved,
    ) -> Result<u32, PoolError> {
        let full_name = join(package, s.name());
        let features = file_features.child(resolve::service_features(&file_features.set, s));
        let index = self.pool.services.len() as u32;
        self.define(&full_name, Symbol::Service(index))?;
        let mut methods = Vec::new();
        for (i, m) in s.method().iter().enumerate() {
            let method_name = join(&full_name, m.name());
            self.define(
                &method_name,
                Symbol::Method {
                    service: index,
                    index: i as u32,
                },
            )?;
            let message = |name: &str| match self.resolve(package, name) {
                Some(Symbol::Message(m)) => Ok(m),
                _ => Err(PoolError::UnresolvedType {
                    element: method_name.to_string(),
                    type_name: name.to_string(),
                }),
            };
            methods.push(MethodInner {
                input: message(m.input_type())?,
                output: message(m.output_type())?,
                name: m.name().into(),
                full_name: method_name.clone(),
                client_streaming: m.client_streaming(),
                server_streaming: m.server_streaming(),
                options: m.options().clone(),
                features: features.child(resolve::method_features(&features.set, m)),
            });
        }
        self.pool.services.push(ServiceInner {
            full_name,
            file,
            options: s.options().clone(),
            features,
            methods,
        });
        Ok(index)
    }

    /// Map entries must have a key (1) and a value (2) of allowed types.
    fn check_message(&self, index: u32) -> Result<(), PoolError> {
        let m = &self.pool.messages[index as usize];
        for f in &m.fields {
            if f.label == Label::Repeated
                && f.is_map
                && !is_valid_map_entry(&self.pool.messages[type_index(f.ty) as usize])
            {
                return Err(invalid(&f.full_name, "malformed map entry"));
            }
        }
        Ok(())
    }

    /// Sets `has_required` on the new messages: a fixed point over message-typed fields.
    fn mark_required(&mut self, messages: &[Pending<'_>]) {
        loop {
            let mut changed = false;
            for p in messages {
                let m = &self.pool.messages[p.index as usize];
                if m.has_required {
                    continue;
                }
                let needs = m.fields.iter().any(|f| {
                    f.is_required()
                        || matches!(f.ty, FieldType::Message(t) | FieldType::Group(t)
                            if self.pool.messages[t as usize].has_required)
                });
                if needs {
                    self.pool.messages[p.index as usize].has_required = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }
}

fn type_index(ty: FieldType) -> u32 {
    match ty {
        FieldType::Message(m) | FieldType::Group(m) | FieldType::Enum(m) => m,
        FieldType::Scalar(_) => u32::MAX,
    }
}

fn is_valid_map_entry(entry: &MessageInner) -> bool {
    // Key then value, as protoc writes them (dynamic messages rely on this order).
    let [key, value] = &entry.fields[..] else {
        return false;
    };
    (key.number, value.number) == (1, 2)
        && !key.is_repeated()
        && !value.is_repeated()
        && matches!(key.ty, FieldType::Scalar(t) if !matches!(t, Type::Double | Type::Float | Type::Bytes))
}

struct FileCtx {
    index: u32,
    edition: Edition,
}
