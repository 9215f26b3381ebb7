//! Descriptors of hand-written derive types: a struct deriving `zpb::Message` (or an enum
//! deriving `zpb::Enumeration`) without `#[zpb(descriptor = "...")]` has no `.proto` file
//! behind it, so its derive emits a static table of what it knows — field names, numbers,
//! kinds, shapes, features, JSON names, defaults, oneofs, enum values — and this module turns
//! it into a [`DescriptorPool`] the first time the type is asked for its descriptor.
//!
//! The pool of a type holds every hand-written type it reaches through its fields (so a
//! struct holding another hand-written struct, itself included, works) and the generated
//! files of the generated types it reaches. Hand-written types are laid out in one file per
//! package, named `zpb_synthesized/<package path>/types.proto` (`zpb_synthesized/types.proto`
//! without a package), as [edition 2023](crate::descriptor::Edition) files with every
//! feature said where it differs from that edition's defaults:
//!
//! - a full name `a.b.Msg` is message `Msg` in package `a.b`, or a message nested in `a.b`
//!   when that is a hand-written message of the same pool; a name without a dot (the struct's
//!   Rust name, when the derive has no `name = "..."`) is in no package;
//! - fields are in declaration order, a oneof's members where the oneof field is; a map field
//!   gets its entry message (`FooEntry`, protoc's name); JSON names are the derive's;
//! - implicit presence, `required`, expanded repeated scalars and delimited messages are field
//!   features; an enum is closed (`enum_type = CLOSED`) when a field of the pool stores it
//!   closed (as `E` rather than `zpb::OpenEnum<E>`), open otherwise — an enum's own
//!   descriptor ([`ReflectEnum`](super::ReflectEnum)) is open.
//!
//! A pool cannot be made when two different hand-written types of one pool have the same
//! full name, when two enums of one package name a value alike (enum values are siblings of
//! their enum, as in C++), or when hand-written types of different packages refer to each
//! other in a cycle (their files would import each other): those are [`PoolError`]s, which
//! `descriptor()` reports by panicking with the reason, as generated code does for an
//! embedded descriptor that does not resolve.

use super::{DescriptorPool, EnumDescriptor, FileDescriptor, MessageDescriptor, PoolError};
use crate::descriptor::feature_set::{
    EnumType, FieldPresence, MessageEncoding, RepeatedFieldEncoding,
};
use crate::descriptor::field_descriptor_proto::{Label, Type};
use crate::descriptor::{
    DescriptorProto, Edition, EnumDescriptorProto, FeatureSet, FieldDescriptorProto,
    FileDescriptorProto,
};
use crate::Enumeration;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Where a derived type's descriptor comes from: the embedded file of generated code, or a
/// table the derive wrote for a hand-written type.
pub enum Origin {
    /// A generated message (`descriptor = "..."`).
    GeneratedMessage(MessageDescriptor),
    /// A generated enum (`descriptor = "..."`).
    GeneratedEnum(EnumDescriptor),
    /// A hand-written message.
    Message(&'static MessageTable),
    /// A hand-written enum.
    Enum(&'static EnumTable),
}

/// A derived type that knows where its descriptor comes from (every type deriving
/// `zpb::Message` or `zpb::Enumeration`).
pub trait Described {
    /// Its descriptor's origin.
    fn origin() -> Origin;
}

/// What the derive of a hand-written message knows about it. The derive writes one `static`
/// per struct; the descriptor is made from it once, on first use.
pub struct MessageTable {
    /// The full name (`Message::NAME`).
    pub name: &'static str,
    /// Fields and oneofs, in declaration order.
    pub entries: &'static [Entry],
    /// `reserved_names = "..."`.
    pub reserved_names: &'static [&'static str],
    /// The descriptor, once made.
    pub descriptor: OnceLock<Result<MessageDescriptor, PoolError>>,
}

/// One item of a message: a field, or a oneof with its members.
pub enum Entry {
    /// A field outside any oneof.
    Field(FieldTable),
    /// A oneof: its name and its members (the oneof enum's `ReflectOneof::MEMBERS`).
    Oneof {
        /// The oneof's name (the proto name of the struct field holding it).
        name: &'static str,
        /// Its members, in the enum's order.
        members: &'static [FieldTable],
    },
}

/// One field as its derive saw it.
pub struct FieldTable {
    /// The field's name in the descriptor.
    pub name: &'static str,
    /// Its JSON name.
    pub json_name: &'static str,
    /// Its number.
    pub number: u32,
    /// The type of its values (of a map's values).
    pub value: ValueType,
    /// How it holds them.
    pub shape: FieldShape,
    /// `default = ...`.
    pub default: Option<DefaultText>,
}

/// The type of a field's values.
#[derive(Clone, Copy)]
pub enum ValueType {
    /// A scalar, `string` or `bytes`, by its proto word (`sint32`).
    Scalar(&'static str),
    /// A length-prefixed message of the type whose origin this gives.
    Message(fn() -> Origin),
    /// A delimited message (a group).
    Group(fn() -> Origin),
    /// An enum, and whether the field stores it closed (`E`) rather than open.
    Enum(fn() -> Origin, bool),
}

/// How a field holds its values.
#[derive(Clone, Copy)]
pub enum FieldShape {
    /// One value, implicit presence.
    Implicit,
    /// One value, explicit presence.
    Explicit,
    /// One value, `required` (`LEGACY_REQUIRED`).
    Required,
    /// A list; `true` when written packed.
    Repeated(bool),
    /// A map with keys of this type.
    Map(ValueType),
    /// A member of the oneof of its [`Entry::Oneof`].
    Member,
}

/// A field's `default = ...` as the derive read it.
#[derive(Clone, Copy)]
pub enum DefaultText {
    /// The descriptor's text: a number, `true`, `inf`, a string's content.
    Text(&'static str),
    /// A `bytes` default (escaped as protoc escapes it).
    Bytes(&'static [u8]),
    /// An enum default, by number.
    Enum(i32),
}

/// What the derive of a hand-written enum knows about it.
pub struct EnumTable {
    /// The full name (`Enumeration::NAME`).
    pub name: &'static str,
    /// Every name with its number: each value, then its aliases.
    pub values: &'static [(&'static str, i32)],
    /// The descriptor, once made.
    pub descriptor: OnceLock<Result<EnumDescriptor, PoolError>>,
}

impl MessageTable {
    /// The synthesized descriptor, made on the first call.
    ///
    /// # Errors
    /// Clashing names, or a cycle across packages (see
    /// [`ReflectMessage`](crate::reflect::ReflectMessage#panics)).
    pub fn descriptor(&'static self) -> Result<MessageDescriptor, PoolError> {
        self.descriptor
            .get_or_init(|| {
                let mut b = Builder::default();
                b.add_message(self)?;
                b.build()?
                    .get_message_by_name(self.name)
                    .ok_or_else(|| invalid(self.name, "not in its synthesized pool"))
            })
            .clone()
    }
}

impl EnumTable {
    /// The synthesized descriptor (an open enum), made on the first call.
    ///
    /// # Errors
    /// As [`MessageTable::descriptor`].
    pub fn descriptor(&'static self) -> Result<EnumDescriptor, PoolError> {
        self.descriptor
            .get_or_init(|| {
                let mut b = Builder::default();
                b.add_enum(self, false)?;
                b.build()?
                    .get_enum_by_name(self.name)
                    .ok_or_else(|| invalid(self.name, "not in its synthesized pool"))
            })
            .clone()
    }
}

/// The descriptor of a derived message: what `ReflectMessage::descriptor` returns.
///
/// # Panics
/// When a hand-written message's descriptor cannot be made (see
/// [`ReflectMessage`](crate::reflect::ReflectMessage#panics)),
/// or `origin` is an enum's (the derive never gives one).
pub fn message_descriptor(origin: Origin) -> MessageDescriptor {
    match origin {
        Origin::GeneratedMessage(d) => d,
        Origin::Message(t) => t
            .descriptor()
            .unwrap_or_else(|e| panic!("zpb: no descriptor for {}: {e}", t.name)),
        Origin::GeneratedEnum(_) | Origin::Enum(_) => {
            panic!("zpb: a message's derive gave an enum's descriptor")
        }
    }
}

/// The descriptor of a derived enum: what `ReflectEnum::enum_descriptor` returns.
///
/// # Panics
/// As [`message_descriptor`].
pub fn enum_descriptor(origin: Origin) -> EnumDescriptor {
    match origin {
        Origin::GeneratedEnum(d) => d,
        Origin::Enum(t) => t
            .descriptor()
            .unwrap_or_else(|e| panic!("zpb: no descriptor for {}: {e}", t.name)),
        Origin::GeneratedMessage(_) | Origin::Message(_) => {
            panic!("zpb: an enum's derive gave a message's descriptor")
        }
    }
}

fn invalid(element: &str, reason: impl Into<String>) -> PoolError {
    PoolError::Invalid {
        element: element.to_string(),
        reason: reason.into(),
    }
}

/// The scope of a full name (`a.b` of `a.b.C`, empty without a dot) and its last part.
fn split_name(full: &str) -> (&str, &str) {
    full.rsplit_once('.').unwrap_or(("", full))
}

/// The file of hand-written types of `package`.
fn file_name(package: &str) -> String {
    match package {
        "" => "zpb_synthesized/types.proto".to_string(),
        p => format!("zpb_synthesized/{}/types.proto", p.replace('.', "/")),
    }
}

/// A hand-written message being described: its table, its descriptor (named by its last
/// part) and the full names of the types its fields refer to.
struct SynthMessage {
    table: &'static MessageTable,
    proto: DescriptorProto,
    refs: BTreeSet<String>,
}

/// A hand-written enum being described, and whether a field stores it closed.
struct SynthEnum {
    table: &'static EnumTable,
    closed: bool,
}

/// The types of one pool, gathered from a root through the fields.
#[derive(Default)]
struct Builder {
    messages: BTreeMap<&'static str, SynthMessage>,
    enums: BTreeMap<&'static str, SynthEnum>,
    /// Generated types referred to, by full name, with their files.
    generated: BTreeMap<String, FileDescriptor>,
}

impl Builder {
    /// Whether `name` is new to the pool (`false`: `message` is already there); fails when
    /// another hand-written type of the pool has it.
    fn claim(
        &self,
        name: &'static str,
        message: Option<&'static MessageTable>,
    ) -> Result<bool, PoolError> {
        let same = match (self.messages.get(name), self.enums.get(name)) {
            (Some(m), _) => message.is_some_and(|t| std::ptr::eq(m.table, t)),
            (None, Some(_)) => false,
            (None, None) => return Ok(true),
        };
        match same {
            true => Ok(false),
            false => Err(PoolError::DuplicateSymbol(name.to_string())),
        }
    }

    /// Adds a hand-written message and, through its fields, what it refers to.
    fn add_message(&mut self, table: &'static MessageTable) -> Result<(), PoolError> {
        if !self.claim(table.name, Some(table))? {
            return Ok(());
        }
        let placeholder = SynthMessage {
            table,
            proto: DescriptorProto::default(),
            refs: BTreeSet::new(),
        };
        self.messages.insert(table.name, placeholder);
        let mut refs = BTreeSet::new();
        let mut proto = DescriptorProto::default();
        proto.set_name(split_name(table.name).1);
        for entry in table.entries {
            match entry {
                Entry::Field(f) => {
                    let field = self.field(table.name, f, None, &mut proto, &mut refs)?;
                    proto.mutable_field().push(field);
                }
                Entry::Oneof { name, members } => {
                    let index = proto.oneof_decl().len() as i32;
                    proto.add_oneof_decl().set_name(*name);
                    for f in *members {
                        let field =
                            self.field(table.name, f, Some(index), &mut proto, &mut refs)?;
                        proto.mutable_field().push(field);
                    }
                }
            }
        }
        for name in table.reserved_names {
            proto.add_reserved_name().push_str(name);
        }
        let m = self.messages.get_mut(table.name).expect("inserted above");
        (m.proto, m.refs) = (proto, refs);
        Ok(())
    }

    /// Adds a hand-written enum, closed if `closed` (or if another field said so).
    fn add_enum(&mut self, table: &'static EnumTable, closed: bool) -> Result<(), PoolError> {
        if let Some(e) = self.enums.get_mut(table.name) {
            if std::ptr::eq(e.table, table) {
                e.closed |= closed;
                return Ok(());
            }
        }
        self.claim(table.name, None)?;
        self.enums.insert(table.name, SynthEnum { table, closed });
        Ok(())
    }

    /// The full name of the type `value` refers to (adding it), and its descriptor type.
    fn value_type(
        &mut self,
        of: &str,
        value: ValueType,
    ) -> Result<(Type, Option<String>), PoolError> {
        let not = |what: &str| invalid(of, format!("a field's type is not {what}"));
        Ok(match value {
            ValueType::Scalar(word) => {
                let ty = Type::from_name(&format!("TYPE_{}", word.to_ascii_uppercase()))
                    .filter(|t| !matches!(t, Type::Message | Type::Group | Type::Enum))
                    .ok_or_else(|| invalid(of, format!("`{word}` is not a scalar type")))?;
                (ty, None)
            }
            ValueType::Message(origin) | ValueType::Group(origin) => {
                let name = match origin() {
                    Origin::GeneratedMessage(d) => {
                        let name = d.full_name().to_string();
                        self.generated.insert(name.clone(), d.file());
                        name
                    }
                    Origin::Message(t) => {
                        self.add_message(t)?;
                        t.name.to_string()
                    }
                    _ => return Err(not("a message")),
                };
                (Type::Message, Some(name))
            }
            ValueType::Enum(origin, closed) => {
                let name = match origin() {
                    Origin::GeneratedEnum(d) => {
                        let name = d.full_name().to_string();
                        self.generated.insert(name.clone(), d.file());
                        name
                    }
                    Origin::Enum(t) => {
                        self.add_enum(t, closed)?;
                        t.name.to_string()
                    }
                    _ => return Err(not("an enum")),
                };
                (Type::Enum, Some(name))
            }
        })
    }

    /// A field of type `value` with its name, number and JSON name (label optional).
    fn typed_field(
        &mut self,
        of: &str,
        (name, json_name, number): (&str, &str, u32),
        value: ValueType,
        refs: &mut BTreeSet<String>,
    ) -> Result<FieldDescriptorProto, PoolError> {
        let mut f = FieldDescriptorProto::default();
        f.set_name(name);
        f.set_number(number as i32);
        f.set_json_name(json_name);
        f.set_label(Label::Optional);
        let (ty, type_name) = self.value_type(of, value)?;
        f.set_type(ty);
        if let Some(t) = type_name {
            f.set_type_name(format!(".{t}"));
            refs.insert(t);
        }
        if let ValueType::Group(_) = value {
            features(&mut f).set_message_encoding(MessageEncoding::Delimited);
        }
        Ok(f)
    }

    /// Field `t` of message `of` (whose descriptor is `message`, where a map's entry goes),
    /// in oneof `oneof`.
    fn field(
        &mut self,
        of: &'static str,
        t: &FieldTable,
        oneof: Option<i32>,
        message: &mut DescriptorProto,
        refs: &mut BTreeSet<String>,
    ) -> Result<FieldDescriptorProto, PoolError> {
        let names = (t.name, t.json_name, t.number);
        let mut f = match t.shape {
            FieldShape::Map(key) => {
                let entry_name = zpb_naming::map_entry_name(t.name);
                let mut entry = DescriptorProto::default();
                entry.set_name(entry_name.as_str());
                entry.mutable_options().set_map_entry(true);
                let key = self.typed_field(of, ("key", "key", 1), key, refs)?;
                let value = self.typed_field(of, ("value", "value", 2), t.value, refs)?;
                entry.mutable_field().push(key);
                entry.mutable_field().push(value);
                message.mutable_nested_type().push(entry);
                let mut f = FieldDescriptorProto::default();
                f.set_name(t.name);
                f.set_number(t.number as i32);
                f.set_json_name(t.json_name);
                f.set_type(Type::Message);
                f.set_type_name(format!(".{of}.{entry_name}"));
                f
            }
            _ => self.typed_field(of, names, t.value, refs)?,
        };
        match t.shape {
            FieldShape::Implicit => {
                features(&mut f).set_field_presence(FieldPresence::Implicit);
            }
            FieldShape::Required => {
                features(&mut f).set_field_presence(FieldPresence::LegacyRequired);
            }
            FieldShape::Repeated(packed) => {
                f.set_label(Label::Repeated);
                let packable = !matches!(
                    f.r#type,
                    Some(Type::String | Type::Bytes | Type::Message | Type::Group)
                );
                if packable && !packed {
                    features(&mut f).set_repeated_field_encoding(RepeatedFieldEncoding::Expanded);
                }
            }
            FieldShape::Map(_) => {
                f.set_label(Label::Repeated);
            }
            FieldShape::Explicit | FieldShape::Member => {}
        }
        if let Some(o) = oneof {
            f.set_oneof_index(o);
        }
        if let Some(d) = t.default {
            let text = self.default_text(of, d, t.value)?;
            f.set_default_value(text);
        }
        Ok(f)
    }

    /// A default as the descriptor writes it.
    fn default_text(
        &self,
        of: &str,
        d: DefaultText,
        value: ValueType,
    ) -> Result<String, PoolError> {
        Ok(match (d, value) {
            (DefaultText::Text(t), _) => t.to_string(),
            (DefaultText::Bytes(b), _) => {
                let mut out = String::new();
                crate::format::text::escape_bytes(&mut out, b)
                    .map_err(|_| invalid(of, "a bytes default does not print"))?;
                out
            }
            (DefaultText::Enum(n), ValueType::Enum(origin, _)) => {
                let name = match origin() {
                    Origin::GeneratedEnum(e) => e.get_value(n).map(|v| v.name().to_string()),
                    Origin::Enum(t) => t.values.iter().find(|v| v.1 == n).map(|v| v.0.to_string()),
                    _ => None,
                };
                name.ok_or_else(|| invalid(of, format!("no enum value {n} for a default")))?
            }
            (DefaultText::Enum(_), _) => {
                return Err(invalid(of, "an enum default of a non-enum field"))
            }
        })
    }

    /// The message a hand-written type of this name is nested in, if any.
    fn parent(&self, name: &str) -> Option<&'static str> {
        let (scope, _) = name.rsplit_once('.')?;
        self.messages.get_key_value(scope).map(|(k, _)| *k)
    }

    /// The outermost hand-written message `name` is nested in (`name` itself at the top).
    fn top(&self, mut name: &'static str) -> &'static str {
        while let Some(p) = self.parent(name) {
            name = p;
        }
        name
    }

    /// The full name of the hand-written type `name`, as the pool's key.
    fn key(&self, name: &str) -> Option<&'static str> {
        let message = self.messages.get_key_value(name).map(|(k, _)| *k);
        message.or_else(|| self.enums.get_key_value(name).map(|(k, _)| *k))
    }

    /// The file declaring the hand-written type `name`: its outermost message's package's.
    fn file_of(&self, name: &'static str) -> String {
        file_name(split_name(self.top(name)).0)
    }

    /// The pool: the generated files referred to (with their imports), then one file per
    /// package of hand-written types.
    fn build(self) -> Result<DescriptorPool, PoolError> {
        // Enums first: their descriptors, closed where a field stores them closed.
        let mut enums: BTreeMap<&'static str, EnumDescriptorProto> = BTreeMap::new();
        for (&name, e) in &self.enums {
            let mut proto = EnumDescriptorProto::default();
            proto.set_name(split_name(name).1);
            let mut numbers = BTreeSet::new();
            for &(value, number) in e.table.values {
                let v = proto.add_value();
                v.set_name(value);
                v.set_number(number);
                if !numbers.insert(number) {
                    proto.mutable_options().set_allow_alias(true);
                }
            }
            if e.closed {
                proto
                    .mutable_options()
                    .mutable_features()
                    .set_enum_type(EnumType::Closed);
            }
            enums.insert(name, proto);
        }
        // Each file's imports, from what its types refer to.
        let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (&name, m) in &self.messages {
            let file = self.file_of(name);
            let mut deps = BTreeSet::new();
            for r in &m.refs {
                let dep = match (self.generated.get(r.as_str()), self.key(r)) {
                    (Some(f), _) => f.name().to_string(),
                    (None, Some(n)) => self.file_of(n),
                    (None, None) => return Err(invalid(name, format!("{r} is not in the pool"))),
                };
                if dep != file {
                    deps.insert(dep);
                }
            }
            imports.entry(file).or_default().extend(deps);
        }
        for &name in self.enums.keys() {
            imports.entry(self.file_of(name)).or_default();
        }
        // Nested types into their parents, deepest first (a parent has fewer dots).
        let mut messages: BTreeMap<&'static str, DescriptorProto> = self
            .messages
            .iter()
            .map(|(&n, m)| (n, m.proto.clone()))
            .collect();
        let mut names: Vec<&'static str> = messages.keys().chain(enums.keys()).copied().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.matches('.').count()));
        let mut files: BTreeMap<String, FileDescriptorProto> = BTreeMap::new();
        for name in names {
            let parent = self.parent(name);
            let (package, _) = split_name(name);
            let file = files.entry(self.file_of(name)).or_default();
            match (messages.remove(name), enums.remove(name), parent) {
                (Some(m), _, Some(p)) => messages
                    .get_mut(p)
                    .ok_or_else(|| invalid(name, "parent placed before its nested types"))?
                    .mutable_nested_type()
                    .push(m),
                (None, Some(e), Some(p)) => messages
                    .get_mut(p)
                    .ok_or_else(|| invalid(name, "parent placed before its nested types"))?
                    .mutable_enum_type()
                    .push(e),
                (Some(m), _, None) => {
                    set_package(file, package);
                    file.mutable_message_type().push(m);
                }
                (None, Some(e), None) => {
                    set_package(file, package);
                    file.mutable_enum_type().push(e);
                }
                (None, None, _) => {}
            }
        }
        let mut protos: Vec<FileDescriptorProto> = Vec::new();
        // Generated files, with everything they import.
        let mut seen = BTreeSet::new();
        let mut stack: Vec<FileDescriptor> = self.generated.values().cloned().collect();
        while let Some(f) = stack.pop() {
            if seen.insert(f.name().to_string()) {
                protos.push(f.file_descriptor_proto().clone());
                stack.extend(f.dependencies());
            }
        }
        for (name, mut file) in files {
            file.set_name(name.as_str());
            file.set_syntax("editions");
            file.set_edition(Edition::Edition2023);
            for dep in imports.remove(&name).unwrap_or_default() {
                file.add_dependency().push_str(&dep);
            }
            protos.push(file);
        }
        let mut pool = DescriptorPool::new();
        pool.add_file_descriptor_protos(protos)?;
        Ok(pool)
    }
}

/// A field's own features, set where they differ from edition 2023's defaults.
fn features(f: &mut FieldDescriptorProto) -> &mut FeatureSet {
    f.mutable_options().mutable_features()
}

/// Sets a file's package (none for the root scope).
fn set_package(file: &mut FileDescriptorProto, package: &str) {
    if !package.is_empty() {
        file.set_package(package);
    }
}
