//! The index of every type in the descriptor set (imports included) by full name, with its
//! Rust path, and the rules that make those paths.

use super::features::Features;
use super::options::LowerOptions;
use crate::error::{Error, ErrorKind};
use crate::names::{escape, snake_case, upper_camel};
use std::collections::HashMap;
use zpb::descriptor::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};

/// The files of the well-known types, which `zpb::well_known` ships prebuilt (paths below
/// the include directory): generated code refers to their types there unless
/// [`Config::compile_well_known_types`](crate::Config::compile_well_known_types) is set.
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

/// `descriptor.proto`, whose types the runtime ships as `zpb::descriptor`: generated code
/// refers to them there unless the file is itself among the files generated.
pub const DESCRIPTOR_FILE: &str = "google/protobuf/descriptor.proto";

/// The absolute module of what file `name` declares when the runtime ships it prebuilt
/// (`::zpb::well_known`, `::zpb::descriptor`), or `None` when it is generated.
pub fn extern_base(
    name: &str,
    to_generate: &[String],
    options: &LowerOptions,
) -> Option<&'static str> {
    if WELL_KNOWN_FILES.contains(&name) {
        (!options.compile_well_known_types).then_some("::zpb::well_known")
    } else {
        (name == DESCRIPTOR_FILE && !to_generate.iter().any(|g| g == name))
            .then_some("::zpb::descriptor")
    }
}

/// The Rust path of `target` (modules from the package root, then an item) as seen from
/// module `from`.
pub fn relative_path(from: &[String], target: &[String]) -> String {
    let common = from.iter().zip(target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["super".to_string(); from.len() - common];
    parts.extend(target[common..].iter().cloned());
    parts.join("::")
}

/// A message or an enum.
pub enum TypeKind<'a> {
    /// A message (map entries included).
    Message(&'a DescriptorProto),
    /// An enum.
    Enum(&'a EnumDescriptorProto),
}

/// What the index knows of one type.
pub struct TypeInfo<'a> {
    /// Its descriptor.
    pub kind: TypeKind<'a>,
    /// Rust modules from the package root to the type, then the type's Rust name.
    rust: Vec<String>,
    /// Absolute base for a type prebuilt elsewhere (`::zpb::well_known`).
    extern_base: Option<String>,
    /// How many of `rust` are package modules.
    package_len: usize,
    /// The file declaring the type.
    pub file: &'a str,
    /// The full name of the message the type is nested in (empty at top level).
    pub parent: String,
    /// The resolved features of the type (its own `features` option included).
    pub features: Features,
}

/// All types of all files, by full name with a leading dot.
pub struct Index<'a> {
    types: HashMap<String, TypeInfo<'a>>,
}

/// What the types of one file share.
struct FileInfo<'a> {
    extern_base: Option<String>,
    package_len: usize,
    name: &'a str,
}

/// The Rust modules of a proto package (`my.app` → `my`, `app`).
pub fn package_modules(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| escape(&snake_case(s)))
        .collect()
}

/// The Rust name of a message, enum, service or oneof member (`UpperCamelCase`).
pub fn type_ident(proto_name: &str) -> String {
    escape(&upper_camel(proto_name))
}

/// The module of the types nested in a message (`snake_case`).
pub fn module_ident(proto_name: &str) -> String {
    escape(&snake_case(proto_name))
}

/// The scope of a file's top-level elements: its package with a leading dot (`.my.app`), or
/// empty without a package.
pub fn package_scope(package: &str) -> String {
    format!(".{package}").trim_end_matches('.').to_string()
}

impl<'a> Index<'a> {
    /// Indexes every message and enum of `set`, of which the files `to_generate` are
    /// generated now.
    ///
    /// # Errors
    /// A file whose features cannot be resolved (an unsupported syntax or edition).
    pub fn build(
        set: &'a FileDescriptorSet,
        to_generate: &[String],
        options: &LowerOptions,
    ) -> Result<Index<'a>, Error> {
        let mut index = Index {
            types: HashMap::new(),
        };
        for file in set.file.iter() {
            let mods = package_modules(file.package());
            let name = file.name();
            let extern_base = extern_base(name, to_generate, options);
            let info = FileInfo {
                extern_base: extern_base.map(str::to_string),
                package_len: mods.len(),
                name,
            };
            let features = Features::of_file(file)?;
            let scope = package_scope(file.package());
            for m in file.message_type.iter() {
                index.add_message(m, &scope, &mods, &info, &features);
            }
            for e in file.enum_type.iter() {
                index.insert(
                    format!("{scope}.{}", e.name()),
                    TypeKind::Enum(e),
                    (&mods, ""),
                    &info,
                    features.enumeration(e),
                );
            }
        }
        Ok(index)
    }

    fn insert(
        &mut self,
        full: String,
        kind: TypeKind<'a>,
        (mods, parent): (&[String], &str),
        file: &FileInfo<'a>,
        features: Features,
    ) {
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
            package_len: file.package_len,
            file: file.name,
            parent: parent.to_string(),
            features,
        };
        self.types.insert(full, info);
    }

    /// Message `m` and what is nested in it, declared in `scope` (a package or a message)
    /// where `parent` features apply.
    fn add_message(
        &mut self,
        m: &'a DescriptorProto,
        scope: &str,
        mods: &[String],
        file: &FileInfo<'a>,
        parent: &Features,
    ) {
        let full = format!("{scope}.{}", m.name());
        let features = parent.message(m);
        let parent_message = if mods.len() > file.package_len {
            scope
        } else {
            ""
        };
        self.insert(
            full.clone(),
            TypeKind::Message(m),
            (mods, parent_message),
            file,
            features.clone(),
        );
        let mut inner = mods.to_vec();
        inner.push(module_ident(m.name()));
        for n in m.nested_type.iter() {
            self.add_message(n, &full, &inner, file, &features);
        }
        for e in m.enum_type.iter() {
            self.insert(
                format!("{full}.{}", e.name()),
                TypeKind::Enum(e),
                (&inner, &full),
                file,
                features.enumeration(e),
            );
        }
    }

    /// The type named `full` (with a leading dot).
    pub fn get(&self, full: &str) -> Result<&TypeInfo<'a>, Error> {
        self.types
            .get(full)
            .ok_or_else(|| Error::new(ErrorKind::Parse, format!("unknown type {full}")))
    }

    /// The Rust path of `full` as seen from module `from` (both from the package root).
    pub fn path(&self, full: &str, from: &[String]) -> Result<String, Error> {
        let info = self.get(full)?;
        if let Some(base) = &info.extern_base {
            return Ok(format!(
                "{base}::{}",
                info.rust[info.package_len..].join("::")
            ));
        }
        Ok(relative_path(from, &info.rust))
    }
}
