//! The model: what to generate, per proto package, with every name already resolved to Rust
//! (identifiers, type paths relative to where they are used, renamed fields).
//!
//! Built from zpb's own descriptor types, whichever front end produced them.

use crate::config::Config;
use crate::descriptor::google::protobuf::field_descriptor_proto::{Label, Type};
use crate::descriptor::google::protobuf::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, ServiceDescriptorProto, SourceCodeInfo,
};
use crate::error::{Error, ErrorKind};
use crate::graph::MessageGraph;
use crate::names::{self, escape, snake_case, upper_camel};
use std::collections::{BTreeMap, HashMap, HashSet};
use zpb_naming::{oneof_accessor_base, oneof_member_accessors, RESERVED_METHODS};

/// The files of the well-known types, which `zpb::well_known` ships prebuilt (paths below
/// the include directory): generated code refers to their types there unless
/// [`Config::compile_well_known_types`] is set.
pub const WELL_KNOWN_FILES: &[&str] = &[
    "google/protobuf/any.proto",
    "google/protobuf/api.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/source_context.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/type.proto",
    "google/protobuf/wrappers.proto",
];

/// One generated Rust file: the items of one proto package.
pub struct Package {
    /// The proto package (`my.app`; empty for none).
    pub name: String,
    /// The `.proto` files it comes from.
    pub files: Vec<String>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub services: Vec<Service>,
    /// Extensions declared at file level.
    pub extensions: Vec<ExtensionField>,
}

/// A proto2 extension (`extend Foo { ... }`): a `zpb::Extension` or `zpb::RepeatedExtension`
/// constant in the module of its scope.
pub struct ExtensionField {
    /// The constant's name (`EXTENSION_INT32`).
    pub const_name: String,
    /// Full proto name, without the leading dot.
    pub full_name: String,
    pub number: i32,
    pub doc: Doc,
    /// Path of the extended message, from the constant's module.
    pub extendee: String,
    pub value: Value,
    pub repeated: bool,
}

pub struct Message {
    pub full_name: String,
    pub rust_name: String,
    /// Module of nested types and oneofs (`outer::Inner`).
    pub module: String,
    pub doc: Doc,
    pub items: Vec<Item>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    /// Extensions declared inside the message (they go in its module).
    pub extensions: Vec<ExtensionField>,
    pub state_field: String,
    pub attributes: Vec<String>,
}

/// A struct field: a plain field or a oneof.
pub enum Item {
    Field(Field),
    Oneof(Oneof),
}

pub struct Field {
    pub proto_name: String,
    pub rust_name: String,
    pub number: i32,
    pub doc: Doc,
    pub deprecated: bool,
    pub json_name: Option<String>,
    pub shape: Shape,
    pub attributes: Vec<String>,
}

/// Field shapes, each with the Rust type of the whole field.
pub enum Shape {
    /// A singular field; `ty` is the whole field type (`i32`, `Option<i32>`, ...).
    Singular {
        value: Value,
        presence: Presence,
        default: Option<DefaultValue>,
        /// A message or group on a cycle of singular message fields: boxed
        /// (`zpb::MessageField<M>`) instead of inline (`zpb::Optional<M>`); see `graph`.
        boxed: bool,
    },
    Repeated {
        value: Value,
        packed: bool,
    },
    Map {
        key: Value,
        value: Value,
        btree: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Implicit,
    Optional,
    Required,
}

/// The type of a field's values.
#[derive(Clone)]
pub enum Value {
    /// A scalar: its proto name (`sint32`) and Rust type (`i32`).
    Scalar {
        word: &'static str,
        rust: &'static str,
    },
    String,
    Bytes {
        shared: bool,
    },
    Message {
        path: String,
    },
    Group {
        path: String,
        type_name: String,
    },
    Enum {
        path: String,
        closed: bool,
    },
}

pub enum DefaultValue {
    /// An integer, as written (`-7`).
    Int(String),
    /// A float: a number, `inf`, `-inf` or `nan`.
    Float(String),
    Bool(bool),
    Str(String),
    Bytes(Vec<u8>),
    /// An enum value's Rust variant.
    Enum(String),
}

pub struct Oneof {
    pub rust_name: String,
    /// The oneof enum, as a path from the message's scope (`msg::Kind`).
    pub enum_path: String,
    pub enum_name: String,
    pub doc: Doc,
    pub members: Vec<Member>,
}

pub struct Member {
    pub proto_name: String,
    pub variant: String,
    /// Base of the member's accessors on the message (`x`, `has_x`, ...).
    pub accessor: String,
    pub number: i32,
    pub value: Value,
    pub doc: Doc,
    pub deprecated: bool,
}

pub struct Enum {
    pub full_name: String,
    pub rust_name: String,
    pub doc: Doc,
    pub values: Vec<EnumValue>,
    /// `allow_alias` duplicates: `impl E { pub const ALIAS: E = E::Original; }`.
    pub aliases: Vec<EnumValue>,
    pub attributes: Vec<String>,
}

pub struct EnumValue {
    pub proto_name: String,
    /// Variant (or, for an alias, the const's name and the variant it stands for).
    pub rust_name: String,
    pub target: String,
    pub number: i32,
    pub doc: Doc,
}

pub struct Service {
    pub full_name: String,
    pub rust_name: String,
    /// The const holding the service's descriptor (`GREETER_SERVICE`).
    pub descriptor_const: String,
    pub doc: Doc,
    pub methods: Vec<Method>,
}

pub struct Method {
    pub proto_name: String,
    pub rust_name: String,
    pub input: String,
    pub output: String,
    pub input_full: String,
    pub output_full: String,
    pub client_streaming: bool,
    pub server_streaming: bool,
    pub doc: Doc,
}

/// A doc comment: the proto comment, or a fallback sentence.
pub struct Doc {
    pub comment: Option<String>,
    pub fallback: String,
}

enum TypeKind<'a> {
    Message(&'a DescriptorProto),
    Enum(&'a EnumDescriptorProto),
}

struct TypeInfo<'a> {
    kind: TypeKind<'a>,
    /// Rust modules from the package root to the type, then the type's Rust name.
    rust: Vec<String>,
    /// Absolute base for a type prebuilt elsewhere (`::zpb::well_known`).
    extern_base: Option<String>,
    /// How many of `rust` are package modules.
    package_len: usize,
    proto2: bool,
}

/// All types of all files, by full name with a leading dot.
struct Index<'a> {
    types: HashMap<String, TypeInfo<'a>>,
}

fn package_modules(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| escape(&snake_case(s)))
        .collect()
}

pub fn type_ident(proto_name: &str) -> String {
    escape(&upper_camel(proto_name))
}

pub fn module_ident(proto_name: &str) -> String {
    escape(&snake_case(proto_name))
}

/// What the types of one file share.
struct FileInfo {
    extern_base: Option<String>,
    proto2: bool,
    package_len: usize,
}

impl<'a> Index<'a> {
    fn build(set: &'a FileDescriptorSet, config: &Config) -> Index<'a> {
        let mut index = Index {
            types: HashMap::new(),
        };
        for file in set.file.iter() {
            let mods = package_modules(file.package());
            let info = FileInfo {
                extern_base: (WELL_KNOWN_FILES.contains(&file.name())
                    && !config.compile_well_known_types)
                    .then(|| "::zpb::well_known".to_string()),
                proto2: is_proto2(file),
                package_len: mods.len(),
            };
            let scope = format!(".{}", file.package());
            let scope = scope.trim_end_matches('.');
            for m in file.message_type.iter() {
                index.add_message(m, scope, &mods, &info);
            }
            for e in file.enum_type.iter() {
                index.insert(
                    format!("{scope}.{}", e.name()),
                    TypeKind::Enum(e),
                    &mods,
                    &info,
                );
            }
        }
        index
    }

    fn insert(&mut self, full: String, kind: TypeKind<'a>, mods: &[String], file: &FileInfo) {
        let name = match &kind {
            TypeKind::Message(m) => m.name(),
            TypeKind::Enum(e) => e.name(),
        };
        let mut rust = mods.to_vec();
        rust.push(type_ident(name));
        let info = TypeInfo {
            kind,
            rust,
            extern_base: file.extern_base.clone(),
            proto2: file.proto2,
            package_len: file.package_len,
        };
        self.types.insert(full, info);
    }

    fn add_message(
        &mut self,
        m: &'a DescriptorProto,
        scope: &str,
        mods: &[String],
        file: &FileInfo,
    ) {
        let full = format!("{scope}.{}", m.name());
        self.insert(full.clone(), TypeKind::Message(m), mods, file);
        let mut inner = mods.to_vec();
        inner.push(module_ident(m.name()));
        for n in m.nested_type.iter() {
            self.add_message(n, &full, &inner, file);
        }
        for e in m.enum_type.iter() {
            self.insert(
                format!("{full}.{}", e.name()),
                TypeKind::Enum(e),
                &inner,
                file,
            );
        }
    }

    fn get(&self, full: &str) -> Result<&TypeInfo<'a>, Error> {
        self.types
            .get(full)
            .ok_or_else(|| Error::new(ErrorKind::Parse, format!("unknown type {full}")))
    }

    /// The Rust path of `full` as seen from module `from` (both from the package root).
    fn path(&self, full: &str, from: &[String]) -> Result<String, Error> {
        let info = self.get(full)?;
        if let Some(base) = &info.extern_base {
            return Ok(format!(
                "{base}::{}",
                info.rust[info.package_len..].join("::")
            ));
        }
        let common = from
            .iter()
            .zip(&info.rust)
            .take_while(|(a, b)| a == b)
            .count();
        let mut parts: Vec<String> = vec!["super".to_string(); from.len() - common];
        parts.extend(info.rust[common..].iter().cloned());
        Ok(parts.join("::"))
    }
}

fn is_proto2(file: &FileDescriptorProto) -> bool {
    !matches!(file.syntax(), "proto3")
}

/// Doc comments by `SourceCodeInfo` path: the leading comment, then the trailing one as a
/// paragraph of its own.
struct Comments(HashMap<Vec<i32>, String>);

impl Comments {
    fn new(info: Option<&SourceCodeInfo>) -> Comments {
        let mut map = HashMap::new();
        for l in info.into_iter().flat_map(|i| i.location.iter()) {
            let parts: Vec<&str> = [l.leading_comments(), l.trailing_comments()]
                .into_iter()
                .filter(|c| !c.trim().is_empty())
                .map(|c| c.trim_end_matches('\n'))
                .collect();
            if !parts.is_empty() {
                map.insert(l.path.to_vec(), parts.join("\n\n") + "\n");
            }
        }
        Comments(map)
    }

    fn doc(&self, path: &[i32], fallback: String) -> Doc {
        Doc {
            comment: self.0.get(path).cloned(),
            fallback,
        }
    }
}

fn child(path: &[i32], kind: i32, index: usize) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend([kind, index as i32]);
    p
}

/// Context of one file while building its part of the model.
struct Builder<'a, 'c> {
    index: &'c Index<'a>,
    graph: &'c MessageGraph,
    config: &'c Config,
    comments: Comments,
    proto2: bool,
    package_mods: Vec<String>,
    file: &'a str,
}

/// Builds the model of the files named in `to_generate`, one [`Package`] per proto package.
pub fn build(
    set: &FileDescriptorSet,
    to_generate: &[String],
    config: &Config,
) -> Result<Vec<Package>, Error> {
    for file in &set.file {
        crate::validate::file(file)?;
    }
    let index = Index::build(set, config);
    let graph = MessageGraph::new(set);
    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    for name in to_generate {
        let file = set.file.iter().find(|f| f.name() == name).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!("{name} is not among the parsed files"),
            )
        })?;
        if !matches!(file.syntax(), "" | "proto2" | "proto3") {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "{name}: syntax \"{}\" is not supported (proto2 and proto3 are)",
                    file.syntax()
                ),
            ));
        }
        let b = Builder {
            index: &index,
            graph: &graph,
            config,
            comments: Comments::new(file.source_code_info.get()),
            proto2: is_proto2(file),
            package_mods: package_modules(file.package()),
            file: file.name(),
        };
        let package = packages
            .entry(file.package().to_string())
            .or_insert_with(|| Package {
                name: file.package().to_string(),
                files: Vec::new(),
                messages: Vec::new(),
                enums: Vec::new(),
                services: Vec::new(),
                extensions: Vec::new(),
            });
        package.files.push(file.name().to_string());
        let scope = format!(".{}", file.package())
            .trim_end_matches('.')
            .to_string();
        for (i, m) in file.message_type.iter().enumerate() {
            package
                .messages
                .push(b.message(m, &scope, &b.package_mods, &[4, i as i32])?);
        }
        for (i, e) in file.enum_type.iter().enumerate() {
            package.enums.push(b.enumeration(e, &scope, &[5, i as i32]));
        }
        for (i, s) in file.service.iter().enumerate() {
            package.services.push(b.service(s, &scope, &[6, i as i32])?);
        }
        for (i, x) in file.extension.iter().enumerate() {
            let path = [7, i as i32];
            let extension = b.extension(x, &scope, &b.package_mods, &path)?;
            package.extensions.extend(extension);
        }
    }
    Ok(packages.into_values().collect())
}

/// The accessor names the derive generates for a field of this shape named `base`.
fn accessor_names(base: &str, shape: &Shape) -> Vec<String> {
    let mut names = vec![
        base.to_string(),
        format!("set_{base}"),
        format!("mutable_{base}"),
        format!("clear_{base}"),
        format!("take_{base}"),
    ];
    match shape {
        Shape::Singular { .. } => names.push(format!("has_{base}")),
        Shape::Repeated { .. } => names.extend([
            format!("{base}_size"),
            format!("{base}_at"),
            format!("add_{base}"),
            format!("mutable_{base}_at"),
        ]),
        Shape::Map { .. } => names.push(format!("{base}_size")),
    }
    names
}

fn matches_path(pattern: &str, full: &str) -> bool {
    if pattern == "." {
        return true;
    }
    if pattern.starts_with('.') {
        full == pattern || full.starts_with(&format!("{pattern}."))
    } else {
        full == pattern || full.ends_with(&format!(".{pattern}"))
    }
}

fn matching(list: &[(String, String)], full: &str) -> Vec<String> {
    list.iter()
        .filter(|(p, _)| matches_path(p, full))
        .map(|(_, a)| a.clone())
        .collect()
}

impl Builder<'_, '_> {
    fn message(
        &self,
        m: &DescriptorProto,
        scope: &str,
        mods: &[String],
        path: &[i32],
    ) -> Result<Message, Error> {
        let full = format!("{scope}.{}", m.name());
        let module = module_ident(m.name());
        let mut inner_mods = mods.to_vec();
        inner_mods.push(module.clone());
        let mut messages = Vec::new();
        for (i, n) in m.nested_type.iter().enumerate() {
            if !n.options().map_entry() {
                messages.push(self.message(n, &full, &inner_mods, &child(path, 3, i))?);
            }
        }
        let enums: Vec<Enum> = m
            .enum_type
            .iter()
            .enumerate()
            .map(|(i, e)| self.enumeration(e, &full, &child(path, 4, i)))
            .collect();
        let mut nested_names: HashSet<String> = messages
            .iter()
            .map(|n| n.rust_name.clone())
            .chain(enums.iter().map(|e| e.rust_name.clone()))
            .collect();

        // Oneofs, real ones only (proto3 `optional` makes synthetic ones). Their members name
        // their accessors first, in declaration order: the derive's default, `_`-suffixed
        // while it would shadow a method every message has or an earlier member's accessor.
        let mut oneofs: BTreeMap<i32, Oneof> = BTreeMap::new();
        let mut fixed: HashSet<String> = RESERVED_METHODS.iter().map(|s| s.to_string()).collect();
        let mut member_accessors: HashMap<i32, String> = HashMap::new();
        for f in m.field.iter() {
            if f.oneof_index.is_some() && !f.proto3_optional() {
                let base = unique_base(&oneof_accessor_base(f.name()), |b| {
                    oneof_member_accessors(b).iter().all(|n| !fixed.contains(n))
                });
                fixed.extend(oneof_member_accessors(&base));
                member_accessors.insert(f.number(), base);
            }
        }
        let mut taken: HashSet<String> = HashSet::new();
        enum Slot {
            Field(Box<Field>),
            Oneof(i32),
        }
        let mut slots = Vec::new();
        for (i, f) in m.field.iter().enumerate() {
            let fpath = child(path, 2, i);
            if let (Some(o), false) = (f.oneof_index, f.proto3_optional()) {
                let decl = m
                    .oneof_decl
                    .get(o as usize)
                    .ok_or_else(|| self.bad(&full, "oneof index out of range"))?;
                let accessor = member_accessors.remove(&f.number()).unwrap_or_default();
                let mut member = self.member(f, &inner_mods, &fpath, accessor)?;
                if let Some(oneof) = oneofs.get_mut(&o) {
                    // Variants of one enum must differ (`fooBar` and `foo_bar`).
                    while oneof.members.iter().any(|x| x.variant == member.variant) {
                        member.variant.push('_');
                    }
                    oneof.members.push(member);
                    continue;
                }
                let base = unique_base(&snake_case(decl.name()), |b| {
                    let names = [
                        format!("which_{b}"),
                        format!("clear_{b}"),
                        format!("take_{b}"),
                    ];
                    names
                        .iter()
                        .all(|n| !fixed.contains(n) && !taken.contains(n))
                        && !taken.contains(b)
                });
                taken.extend([
                    base.clone(),
                    format!("which_{base}"),
                    format!("clear_{base}"),
                    format!("take_{base}"),
                ]);
                let mut enum_name = upper_camel(decl.name());
                while nested_names.contains(&enum_name) {
                    enum_name.push('_');
                }
                nested_names.insert(enum_name.clone());
                let enum_name = escape(&enum_name);
                oneofs.insert(
                    o,
                    Oneof {
                        rust_name: escape(&base),
                        enum_path: format!("{module}::{enum_name}"),
                        enum_name,
                        doc: self.comments.doc(
                            &child(path, 8, o as usize),
                            format!("Oneof `{}`.", decl.name()),
                        ),
                        members: vec![member],
                    },
                );
                slots.push(Slot::Oneof(o));
                continue;
            }
            let shape = self.shape(f, mods, &full)?;
            let base = unique_base(&snake_case(f.name()), |b| {
                accessor_names(b, &shape)
                    .iter()
                    .all(|n| !fixed.contains(n) && !taken.contains(n))
            });
            taken.extend(accessor_names(&base, &shape));
            let field_full = format!("{full}.{}", f.name());
            let json_name = (f.has_json_name()
                && f.json_name() != names::default_json_name(f.name()))
            .then(|| f.json_name().to_string());
            slots.push(Slot::Field(Box::new(Field {
                proto_name: f.name().to_string(),
                rust_name: escape(&base),
                number: f.number(),
                doc: self
                    .comments
                    .doc(&fpath, format!("Field `{}` ({}).", f.name(), f.number())),
                deprecated: f.options().deprecated(),
                json_name,
                shape,
                attributes: matching(&self.config.field_attributes, &field_full),
            })));
        }
        let items = slots
            .into_iter()
            .filter_map(|slot| match slot {
                Slot::Field(f) => Some(Item::Field(*f)),
                Slot::Oneof(o) => oneofs.remove(&o).map(Item::Oneof),
            })
            .collect();
        let extensions = m
            .extension
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                self.extension(x, &full, &inner_mods, &child(path, 6, i))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        Ok(Message {
            rust_name: type_ident(m.name()),
            extensions,
            module,
            doc: self
                .comments
                .doc(path, format!("Message `{}`.", &full[1..])),
            items,
            messages,
            enums,
            state_field: "_state".to_string(),
            attributes: matching(&self.config.type_attributes, &full),
            full_name: full[1..].to_string(),
        })
    }

    /// Extension `x`, declared in `scope` (a package or a message, with a leading dot), whose
    /// constant lives in module `mods`. `None` for an extension of a MessageSet
    /// (`message_set_wire_format`), whose values sit inside the set's items, where an
    /// extension constant does not look: those stay unknown fields, round-tripped as such.
    fn extension(
        &self,
        x: &FieldDescriptorProto,
        scope: &str,
        mods: &[String],
        path: &[i32],
    ) -> Result<Option<ExtensionField>, Error> {
        let full = format!("{scope}.{}", x.name());
        match self.index.get(x.extendee())?.kind {
            TypeKind::Message(m) if m.options().message_set_wire_format() => return Ok(None),
            TypeKind::Message(_) => {}
            TypeKind::Enum(_) => return Err(self.bad(&full, "extends an enum, not a message")),
        }
        let extendee = self.index.path(x.extendee(), mods)?;
        let full_name = full.trim_start_matches('.').to_string();
        Ok(Some(ExtensionField {
            const_name: escape(&snake_case(x.name()).to_uppercase()),
            number: x.number(),
            doc: self.comments.doc(
                path,
                format!(
                    "Extension `{full_name}` ({}) of `{}`.",
                    x.number(),
                    x.extendee().trim_start_matches('.')
                ),
            ),
            extendee,
            value: self.value(x, mods, &full)?,
            repeated: x.label() == Label::Repeated,
            full_name,
        }))
    }

    fn bad(&self, what: &str, message: &str) -> Error {
        Error::new(
            ErrorKind::Unsupported,
            format!("{}: {what}: {message}", self.file),
        )
    }

    /// The value type of a field (the element type for repeated fields).
    fn value(&self, f: &FieldDescriptorProto, from: &[String], full: &str) -> Result<Value, Error> {
        let scalar = |word: &'static str, rust: &'static str| Value::Scalar { word, rust };
        Ok(match f.r#type() {
            Type::Double => scalar("double", "f64"),
            Type::Float => scalar("float", "f32"),
            Type::Int64 => scalar("int64", "i64"),
            Type::Uint64 => scalar("uint64", "u64"),
            Type::Int32 => scalar("int32", "i32"),
            Type::Fixed64 => scalar("fixed64", "u64"),
            Type::Fixed32 => scalar("fixed32", "u32"),
            Type::Bool => scalar("bool", "bool"),
            Type::Uint32 => scalar("uint32", "u32"),
            Type::Sfixed32 => scalar("sfixed32", "i32"),
            Type::Sfixed64 => scalar("sfixed64", "i64"),
            Type::Sint32 => scalar("sint32", "i32"),
            Type::Sint64 => scalar("sint64", "i64"),
            Type::String => Value::String,
            Type::Bytes => Value::Bytes {
                shared: self.config.bytes.iter().any(|p| matches_path(p, full)),
            },
            kind @ (Type::Message | Type::Group | Type::Enum) => {
                let path = self.index.path(f.type_name(), from)?;
                match kind {
                    Type::Message => Value::Message { path },
                    Type::Group => Value::Group {
                        path,
                        type_name: f
                            .type_name()
                            .rsplit('.')
                            .next()
                            .unwrap_or_default()
                            .to_string(),
                    },
                    _ => Value::Enum {
                        path,
                        closed: self.index.get(f.type_name())?.proto2,
                    },
                }
            }
        })
    }

    /// The shape of field `f` of message `message` (full name with a leading dot), with
    /// type paths as seen from module `from`.
    fn shape(
        &self,
        f: &FieldDescriptorProto,
        from: &[String],
        message: &str,
    ) -> Result<Shape, Error> {
        let full = &format!("{message}.{}", f.name());
        if f.label() == Label::Repeated {
            if f.r#type() == Type::Message {
                if let TypeKind::Message(entry) = &self.index.get(f.type_name())?.kind {
                    if entry.options().map_entry() {
                        let (Some(k), Some(v)) = (
                            entry.field.iter().find(|x| x.number() == 1),
                            entry.field.iter().find(|x| x.number() == 2),
                        ) else {
                            return Err(self.bad(full, "map entry without key or value"));
                        };
                        return Ok(Shape::Map {
                            key: self.value(k, from, full)?,
                            value: self.value(v, from, full)?,
                            btree: self.config.btree_map.iter().any(|p| matches_path(p, full)),
                        });
                    }
                }
            }
            let value = self.value(f, from, full)?;
            let packable = matches!(value, Value::Scalar { .. } | Value::Enum { .. });
            let o = f.options();
            let packed = packable
                && if o.has_packed() {
                    o.packed()
                } else {
                    !self.proto2
                };
            return Ok(Shape::Repeated { value, packed });
        }
        let value = self.value(f, from, full)?;
        let presence = if f.label() == Label::Required {
            Presence::Required
        } else if self.proto2
            || f.proto3_optional()
            || matches!(value, Value::Message { .. } | Value::Group { .. })
        {
            Presence::Optional
        } else {
            Presence::Implicit
        };
        let default = match f.has_default_value() {
            true => Some(self.default_value(f, &value, full)?),
            false => None,
        };
        let boxed = matches!(value, Value::Message { .. } | Value::Group { .. })
            && self.graph.is_cyclic(message, f.type_name());
        Ok(Shape::Singular {
            value,
            presence,
            default,
            boxed,
        })
    }

    fn default_value(
        &self,
        f: &FieldDescriptorProto,
        value: &Value,
        full: &str,
    ) -> Result<DefaultValue, Error> {
        let text = f.default_value();
        Ok(match value {
            Value::Scalar { word: "bool", .. } => DefaultValue::Bool(text == "true"),
            Value::Scalar {
                word: "float" | "double",
                ..
            } => DefaultValue::Float(match text {
                "inf" | "-inf" | "nan" => text.to_string(),
                _ => text
                    .parse::<f64>()
                    .map_err(|_| self.bad(full, "bad float default"))?
                    .to_string(),
            }),
            Value::Scalar { .. } => DefaultValue::Int(text.to_string()),
            Value::String => DefaultValue::Str(text.to_string()),
            Value::Bytes { .. } => DefaultValue::Bytes(unescape_bytes(text)),
            Value::Enum { .. } => {
                let TypeKind::Enum(e) = &self.index.get(f.type_name())?.kind else {
                    return Err(self.bad(full, "enum default on a non-enum"));
                };
                let variants = enum_variants(e);
                let v = e
                    .value
                    .iter()
                    .position(|v| v.name() == text)
                    .ok_or_else(|| self.bad(full, "unknown enum default"))?;
                DefaultValue::Enum(variants[v].1.clone())
            }
            Value::Message { .. } | Value::Group { .. } => {
                return Err(self.bad(full, "a message field cannot have a default"))
            }
        })
    }

    fn member(
        &self,
        f: &FieldDescriptorProto,
        from: &[String],
        path: &[i32],
        accessor: String,
    ) -> Result<Member, Error> {
        Ok(Member {
            proto_name: f.name().to_string(),
            variant: type_ident(f.name()),
            accessor,
            number: f.number(),
            value: self.value(f, from, f.name())?,
            doc: self
                .comments
                .doc(path, format!("Field `{}` ({}).", f.name(), f.number())),
            deprecated: f.options().deprecated(),
        })
    }

    fn enumeration(&self, e: &EnumDescriptorProto, scope: &str, path: &[i32]) -> Enum {
        let full = format!("{scope}.{}", e.name());
        let variants = enum_variants(e);
        let mut values = Vec::new();
        let mut aliases = Vec::new();
        let mut first_of: HashMap<i32, String> = HashMap::new();
        for (i, (v, (alias, variant))) in e.value.iter().zip(variants).enumerate() {
            let doc = self.comments.doc(
                &child(path, 2, i),
                format!("`{}` = {}.", v.name(), v.number()),
            );
            let target = first_of
                .entry(v.number())
                .or_insert_with(|| variant.clone())
                .clone();
            let value = EnumValue {
                proto_name: v.name().to_string(),
                rust_name: variant,
                target,
                number: v.number(),
                doc,
            };
            if alias {
                aliases.push(value);
            } else {
                values.push(value);
            }
        }
        Enum {
            rust_name: type_ident(e.name()),
            doc: self.comments.doc(path, format!("Enum `{}`.", &full[1..])),
            values,
            aliases,
            attributes: matching(&self.config.type_attributes, &full),
            full_name: full[1..].to_string(),
        }
    }

    fn service(
        &self,
        s: &ServiceDescriptorProto,
        scope: &str,
        path: &[i32],
    ) -> Result<Service, Error> {
        let full = format!("{scope}.{}", s.name());
        let mut methods = Vec::new();
        let mut used = HashSet::new();
        for (i, m) in s.method.iter().enumerate() {
            let base = unique_base(&snake_case(m.name()), |b| !used.contains(b));
            used.insert(base.clone());
            let from = &self.package_mods;
            methods.push(Method {
                proto_name: m.name().to_string(),
                rust_name: escape(&base),
                input: self.index.path(m.input_type(), from)?,
                output: self.index.path(m.output_type(), from)?,
                input_full: m.input_type().trim_start_matches('.').to_string(),
                output_full: m.output_type().trim_start_matches('.').to_string(),
                client_streaming: m.client_streaming(),
                server_streaming: m.server_streaming(),
                doc: self
                    .comments
                    .doc(&child(path, 2, i), format!("rpc `{}`.", m.name())),
            });
        }
        Ok(Service {
            rust_name: type_ident(s.name()),
            descriptor_const: format!("{}_SERVICE", names::screaming_snake(s.name())),
            doc: self
                .comments
                .doc(path, format!("Service `{}`.", &full[1..])),
            methods,
            full_name: full[1..].to_string(),
        })
    }
}

/// `name`, or `name_`, `name__`, ... until `free` accepts it.
fn unique_base(name: &str, free: impl Fn(&str) -> bool) -> String {
    let mut base = zpb_naming::suffix_non_raw(name);
    while !free(&base) {
        base.push('_');
    }
    base
}

/// Rust variant names of an enum's values, with whether each is an alias (a number seen
/// before). Variants drop the enum's name as prefix when every stripped name stays distinct.
pub fn enum_variants(e: &EnumDescriptorProto) -> Vec<(bool, String)> {
    let strip = |strip: bool| -> Vec<String> {
        e.value
            .iter()
            .map(|v| {
                let name = if strip {
                    names::strip_enum_prefix(e.name(), v.name())
                } else {
                    v.name()
                };
                upper_camel(name)
            })
            .collect()
    };
    let mut seen_numbers = HashSet::new();
    let alias: Vec<bool> = e
        .value
        .iter()
        .map(|v| !seen_numbers.insert(v.number()))
        .collect();
    let distinct = |names: &[String]| {
        let primary: Vec<&String> = names
            .iter()
            .zip(&alias)
            .filter(|(_, a)| !**a)
            .map(|(n, _)| n)
            .collect();
        primary.iter().collect::<HashSet<_>>().len() == primary.len()
    };
    let mut names = strip(true);
    if !distinct(&names) {
        names = strip(false);
    }
    let mut used = HashSet::new();
    names
        .into_iter()
        .zip(e.value.iter())
        .zip(alias)
        .map(|((n, v), is_alias)| {
            if is_alias {
                // Alias consts keep the proto name: it is unique in its scope.
                return (true, escape(v.name()));
            }
            let mut n = n;
            while !used.insert(n.clone()) {
                n.push('_');
            }
            (false, escape(&n))
        })
        .collect()
}

/// Undoes protoc's C escaping of a bytes default (`\n`, `\001`, `\x7f`, `\\`, ...).
pub fn unescape_bytes(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'x' | b'X' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_unescape() {
        assert_eq!(unescape_bytes(r#"a\001\x7f\\\"\n"#), b"a\x01\x7f\\\"\n");
        assert_eq!(unescape_bytes(r"\0012"), b"\x012");
    }

    #[test]
    fn path_patterns() {
        assert!(matches_path(".", ".a.B.c"));
        assert!(matches_path(".a.B", ".a.B.c"));
        assert!(!matches_path(".a.B", ".a.BC"));
        assert!(matches_path("B.c", ".a.B.c"));
        assert!(!matches_path("c", ".a.B.cc"));
    }
}
