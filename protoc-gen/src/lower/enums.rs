//! Enums: variants named after the values (the enum's prefix dropped when that keeps them
//! distinct), aliases as consts.

use super::collisions::suffixed;
use super::context::Context;
use super::index::type_ident;
use crate::docs::path::{child, ENUM_VALUE};
use crate::ir::{Enum, EnumValue};
use crate::names::{self, escape, upper_camel};
use std::collections::{HashMap, HashSet};
use zpb::descriptor::EnumDescriptorProto;

/// Enum `e`, declared in `scope` (a package or a message, with a leading dot) and in Rust
/// module `mods`, at `path`.
pub fn enumeration(
    cx: &Context<'_, '_>,
    e: &EnumDescriptorProto,
    scope: &str,
    mods: &[String],
    path: &[i32],
) -> Enum {
    let full = format!("{scope}.{}", e.name());
    let variants = enum_variants(e);
    let mut values = Vec::new();
    let mut aliases = Vec::new();
    let mut first_of: HashMap<i32, String> = HashMap::new();
    for (i, (v, (alias, variant))) in e.value.iter().zip(variants).enumerate() {
        let doc = cx.comments.doc(
            &child(path, ENUM_VALUE, i),
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
        doc: cx.comments.doc(path, format!("Enum `{}`.", &full[1..])),
        values,
        aliases,
        attributes: cx.options.type_attributes(&full),
        descriptor_file: format!(
            "{}{}",
            super::descriptors::to_package_root(mods, &cx.package_mods),
            cx.descriptor_static
        ),
        full_name: full[1..].to_string(),
    }
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
            let n = suffixed(n, |n| used.contains(n));
            used.insert(n.clone());
            (false, escape(&n))
        })
        .collect()
}
