//! Lowering: descriptors to the IR, one [`Package`] per proto package.
//!
//! The steps, each in its own module: `validate` (every name is an identifier), `index`
//! (every type by full name, with its Rust path), `graph` (which message fields are boxed),
//! `features` (presence, packing, enum closedness and encoding of each field, from each
//! element's resolved feature set: `zpb::descriptor::features`), then per element `messages` (with `fields` and `defaults`), `enums`,
//! `services` and `extensions`, naming through `collisions`. Lowering reads
//! [`LowerOptions`], never the generator's `Config`.

mod collisions;
mod context;
mod defaults;
mod descriptors;
mod enums;
mod extensions;
mod features;
mod fields;
mod graph;
mod index;
mod messages;
mod options;
mod services;
mod validate;

pub use index::WELL_KNOWN_FILES;
pub use options::LowerOptions;

use crate::docs::path::{child, FILE_ENUM, FILE_EXTENSION, FILE_MESSAGE, FILE_SERVICE};
use crate::docs::Comments;
use crate::error::{Error, ErrorKind};
use crate::ir::Package;
use context::Context;
use features::Features;
use graph::MessageGraph;
use index::{package_modules, package_scope, Index};
use std::collections::BTreeMap;
use zpb::descriptor::FileDescriptorSet;

/// Lowers the files named in `to_generate` (with everything in `set` they refer to), one
/// [`Package`] per proto package.
pub fn lower(
    set: &FileDescriptorSet,
    to_generate: &[String],
    options: &LowerOptions,
) -> Result<Vec<Package>, Error> {
    for file in &set.file {
        validate::file(file)?;
    }
    let index = Index::build(set, to_generate, options)?;
    let graph = MessageGraph::new(set);
    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    for name in to_generate {
        let file = set.file.iter().find(|f| f.name() == name).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!("{name} is not among the parsed files"),
            )
        })?;
        let features = Features::of_file(file)?;
        let cx = Context {
            index: &index,
            graph: &graph,
            options,
            comments: Comments::new(file.source_code_info.get()),
            package_mods: package_modules(file.package()),
            file: file.name(),
            descriptor_static: descriptors::static_name(file.name()),
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
                descriptors: Vec::new(),
            });
        package.files.push(file.name().to_string());
        package.descriptors.push(descriptors::file_descriptor(
            file,
            set,
            to_generate,
            options,
        )?);
        let scope = package_scope(file.package());
        for (i, m) in file.message_type.iter().enumerate() {
            let path = child(&[], FILE_MESSAGE, i);
            let message = messages::message(&cx, m, &features, &scope, &cx.package_mods, &path)?;
            package.messages.push(message);
        }
        for (i, e) in file.enum_type.iter().enumerate() {
            let path = child(&[], FILE_ENUM, i);
            package
                .enums
                .push(enums::enumeration(&cx, e, &scope, &cx.package_mods, &path));
        }
        for (i, s) in file.service.iter().enumerate() {
            let path = child(&[], FILE_SERVICE, i);
            package
                .services
                .push(services::service(&cx, s, &scope, &path)?);
        }
        for (i, x) in file.extension.iter().enumerate() {
            let path = child(&[], FILE_EXTENSION, i);
            let extension =
                extensions::extension(&cx, x, &features, &scope, &cx.package_mods, &path)?;
            package.extensions.extend(extension);
        }
    }
    Ok(packages.into_values().collect())
}
