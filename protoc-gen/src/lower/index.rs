//! The index of every type in the descriptor set (imports included) by full name, with its
//! Rust path, and the rules that make those paths.

use super::features::Features;
use super::options::LowerOptions;
use crate::descriptor::google::protobuf::{
    DescriptorProto, EnumDescriptorProto, FileDescriptorSet,
};
use crate::error::{Error, ErrorKind};
use crate::names::{escape, snake_case, upper_camel};
use std::collections::HashMap;

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
    /// The features of the file declaring the type.
    pub features: Features,
}

/// All types of all files, by full name with a leading dot.
pub struct Index<'a> {
    types: HashMap<String, TypeInfo<'a>>,
}

/// What the types of one file share.
struct FileInfo {
    extern_base: Option<String>,
    features: Features,
    package_len: usize,
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
    /// Indexes every message and enum of `set`.
    pub fn build(set: &'a FileDescriptorSet, options: &LowerOptions) -> Index<'a> {
        let mut index = Index {
            types: HashMap::new(),
        };
        for file in set.file.iter() {
            let mods = package_modules(file.package());
            let info = FileInfo {
                extern_base: (WELL_KNOWN_FILES.contains(&file.name())
                    && !options.compile_well_known_types)
                    .then(|| "::zpb::well_known".to_string()),
                features: Features::of_file(file),
                package_len: mods.len(),
            };
            let scope = package_scope(file.package());
            for m in file.message_type.iter() {
                index.add_message(m, &scope, &mods, &info);
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
            features: file.features,
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
