//! Messages: their fields and oneofs (named through [`MessageNames`]) and what is nested in
//! them.

use super::collisions::{suffixed, MessageNames};
use super::context::Context;
use super::enums::enumeration;
use super::extensions::extension;
use super::features::{real_oneof, Features};
use super::fields::{shape, value};
use super::index::{module_ident, type_ident};
use crate::docs::path::{
    child, MESSAGE_ENUM, MESSAGE_EXTENSION, MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ONEOF,
};
use crate::error::Error;
use crate::ir::{Enum, Field, Item, Member, Message, Oneof};
use crate::names::{self, escape};
use std::collections::{BTreeMap, HashSet};
use zpb::descriptor::{DescriptorProto, FieldDescriptorProto};

/// Message `m`, declared in `scope` (a package or a message, with a leading dot) where the
/// `parent` features apply, and in Rust module `mods`, at `path`.
pub fn message(
    cx: &Context<'_, '_>,
    m: &DescriptorProto,
    parent: &Features,
    scope: &str,
    mods: &[String],
    path: &[i32],
) -> Result<Message, Error> {
    let full = format!("{scope}.{}", m.name());
    let features = parent.message(m);
    let module = module_ident(m.name());
    let mut inner_mods = mods.to_vec();
    inner_mods.push(module.clone());
    let mut messages = Vec::new();
    for (i, n) in m.nested_type.iter().enumerate() {
        if !n.options().map_entry() {
            let path = child(path, MESSAGE_NESTED, i);
            messages.push(message(cx, n, &features, &full, &inner_mods, &path)?);
        }
    }
    let enums: Vec<Enum> = m
        .enum_type
        .iter()
        .enumerate()
        .map(|(i, e)| enumeration(cx, e, &full, &inner_mods, &child(path, MESSAGE_ENUM, i)))
        .collect();
    let nested: HashSet<String> = messages
        .iter()
        .map(|n| n.rust_name.clone())
        .chain(enums.iter().map(|e| e.rust_name.clone()))
        .collect();
    let mut namer = MessageNames::new(m, nested);

    // Oneofs, real ones only (proto3 `optional` makes synthetic ones), where their first
    // member is.
    let mut oneofs: BTreeMap<i32, Oneof> = BTreeMap::new();
    enum Slot {
        Field(Box<Field>),
        Oneof(i32),
    }
    let mut slots = Vec::new();
    for (i, f) in m.field.iter().enumerate() {
        let fpath = child(path, MESSAGE_FIELD, i);
        if let Some(o) = real_oneof(f) {
            let decl = m
                .oneof_decl
                .get(o as usize)
                .ok_or_else(|| cx.bad(&full, "oneof index out of range"))?;
            let accessor = namer.member(f.number());
            let member_features = features.oneof(decl).field(f);
            let mut member = member(
                cx,
                f,
                &member_features,
                &full,
                &inner_mods,
                &fpath,
                accessor,
            )?;
            if let Some(oneof) = oneofs.get_mut(&o) {
                // Variants of one enum must differ (`fooBar` and `foo_bar`).
                member.variant = suffixed(member.variant, |v| {
                    oneof.members.iter().any(|x| x.variant == v)
                });
                oneof.members.push(member);
                continue;
            }
            let base = namer.oneof(decl.name());
            let enum_name = escape(&namer.oneof_enum(decl.name()));
            oneofs.insert(
                o,
                Oneof {
                    rust_name: escape(&base),
                    enum_path: format!("{module}::{enum_name}"),
                    enum_name,
                    doc: cx.comments.doc(
                        &child(path, MESSAGE_ONEOF, o as usize),
                        format!("Oneof `{}`.", decl.name()),
                    ),
                    members: vec![member],
                },
            );
            slots.push(Slot::Oneof(o));
            continue;
        }
        let shape = shape(cx, f, &features.field(f), mods, &full)?;
        let base = namer.field(f.name(), &shape);
        let field_full = format!("{full}.{}", f.name());
        let json_name = (f.has_json_name() && f.json_name() != names::default_json_name(f.name()))
            .then(|| f.json_name().to_string());
        slots.push(Slot::Field(Box::new(Field {
            proto_name: f.name().to_string(),
            rust_name: escape(&base),
            number: f.number(),
            doc: cx
                .comments
                .doc(&fpath, format!("Field `{}` ({}).", f.name(), f.number())),
            deprecated: f.options().deprecated(),
            json_name,
            shape,
            attributes: cx.options.field_attributes(&field_full),
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
            extension(
                cx,
                x,
                &features,
                &full,
                &inner_mods,
                &child(path, MESSAGE_EXTENSION, i),
            )
            .transpose()
        })
        .collect::<Result<_, _>>()?;
    Ok(Message {
        rust_name: type_ident(m.name()),
        extensions,
        module,
        doc: cx.comments.doc(path, format!("Message `{}`.", &full[1..])),
        items,
        messages,
        enums,
        state_field: "_state".to_string(),
        reserved_names: m.reserved_name.iter().cloned().collect(),
        descriptor_file: format!(
            "{}{}",
            super::descriptors::to_package_root(mods, &cx.package_mods),
            cx.descriptor_static
        ),
        attributes: cx.options.type_attributes(&full),
        full_name: full[1..].to_string(),
    })
}

/// Oneof member `f` of message `message`, with its own `features`, at `path`, with its
/// accessor base, and type paths from module `from`.
fn member(
    cx: &Context<'_, '_>,
    f: &FieldDescriptorProto,
    features: &Features,
    message: &str,
    from: &[String],
    path: &[i32],
    accessor: String,
) -> Result<Member, Error> {
    Ok(Member {
        proto_name: f.name().to_string(),
        variant: type_ident(f.name()),
        accessor,
        number: f.number(),
        value: value(cx, f, features, message, from, f.name())?,
        doc: cx
            .comments
            .doc(path, format!("Field `{}` ({}).", f.name(), f.number())),
        deprecated: f.options().deprecated(),
    })
}
