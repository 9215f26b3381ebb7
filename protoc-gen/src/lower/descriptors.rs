//! The embedded descriptor of each file: its `FileDescriptorProto` without source info,
//! serialized, and the paths of its imports' descriptors.

use super::index::{extern_base, package_modules, relative_path};
use super::options::LowerOptions;
use crate::error::{Error, ErrorKind};
use crate::ir::FileDescriptor;
use zpb::descriptor::{FileDescriptorProto, FileDescriptorSet};

/// The name of the static holding the descriptor of `file` (`my/app.proto` →
/// `FILE_DESCRIPTOR_MY_APP`).
pub fn static_name(file: &str) -> String {
    let stem = file.strip_suffix(".proto").unwrap_or(file);
    let upper: String = stem
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() {
            true => c.to_ascii_uppercase(),
            false => '_',
        })
        .collect();
    format!("FILE_DESCRIPTOR_{upper}")
}

/// The path to the package root of the file that declares a message in `mods`, from `mods`,
/// as a prefix (`super::super::`).
pub fn to_package_root(mods: &[String], package_mods: &[String]) -> String {
    "super::".repeat(mods.len().saturating_sub(package_mods.len()))
}

/// The embedded descriptor of `file` (one of `set`, generated now with `to_generate`).
pub fn file_descriptor(
    file: &FileDescriptorProto,
    set: &FileDescriptorSet,
    to_generate: &[String],
    options: &LowerOptions,
) -> Result<FileDescriptor, Error> {
    let mut stripped = file.clone();
    stripped.clear_source_code_info();
    let bytes = zpb::Message::serialize_to_vec(&stripped).map_err(|e| {
        Error::new(
            ErrorKind::Unsupported,
            format!("{}: encoding its descriptor: {e}", file.name()),
        )
    })?;
    let from = package_modules(file.package());
    let dependencies = file
        .dependency()
        .iter()
        .map(|name| {
            let import = set.file.iter().find(|f| f.name() == name).ok_or_else(|| {
                Error::new(
                    ErrorKind::Parse,
                    format!(
                        "{}: import {name} is not among the parsed files",
                        file.name()
                    ),
                )
            })?;
            let static_name = static_name(name);
            Ok(match extern_base(name, to_generate, options) {
                Some(base) => format!("{base}::{static_name}"),
                None => {
                    let mut path = package_modules(import.package());
                    path.push(static_name);
                    relative_path(&from, &path)
                }
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(FileDescriptor {
        name: file.name().to_string(),
        static_name: static_name(file.name()),
        bytes,
        dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_names_follow_the_path() {
        assert_eq!(
            static_name("google/protobuf/any.proto"),
            "FILE_DESCRIPTOR_GOOGLE_PROTOBUF_ANY"
        );
        assert_eq!(static_name("my-app.v1.proto"), "FILE_DESCRIPTOR_MY_APP_V1");
        assert_eq!(
            to_package_root(&["a".into(), "m".into()], &["a".into()]),
            "super::"
        );
    }
}
