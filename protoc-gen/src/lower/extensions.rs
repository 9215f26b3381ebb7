//! Extensions: a constant per `extend` field.

use super::context::Context;
use super::features::Features;
use super::fields::value;
use super::index::TypeKind;
use crate::error::Error;
use crate::ir::ExtensionField;
use crate::names::{escape, snake_case};
use zpb::descriptor::field_descriptor_proto::Label;
use zpb::descriptor::FieldDescriptorProto;

/// Extension `x`, declared in `scope` (a package or a message, with a leading dot) where the
/// `parent` features apply, whose
/// constant lives in module `mods`. `None` for an extension of a MessageSet
/// (`message_set_wire_format`), whose values sit inside the set's items, where an
/// extension constant does not look: those stay unknown fields, round-tripped as such.
pub fn extension(
    cx: &Context<'_, '_>,
    x: &FieldDescriptorProto,
    parent: &Features,
    scope: &str,
    mods: &[String],
    path: &[i32],
) -> Result<Option<ExtensionField>, Error> {
    let full = format!("{scope}.{}", x.name());
    match cx.index.get(x.extendee())?.kind {
        TypeKind::Message(m) if m.options().message_set_wire_format() => return Ok(None),
        TypeKind::Message(_) => {}
        TypeKind::Enum(_) => return Err(cx.bad(&full, "extends an enum, not a message")),
    }
    let extendee = cx.index.path(x.extendee(), mods)?;
    // The message the extension is declared in; none at the top level of a package.
    let message_scope = match cx.index.get(scope) {
        Ok(_) => scope,
        Err(_) => "",
    };
    let full_name = full.trim_start_matches('.').to_string();
    Ok(Some(ExtensionField {
        const_name: escape(&snake_case(x.name()).to_uppercase()),
        number: x.number(),
        doc: cx.comments.doc(
            path,
            format!(
                "Extension `{full_name}` ({}) of `{}`.",
                x.number(),
                x.extendee().trim_start_matches('.')
            ),
        ),
        extendee,
        value: value(cx, x, &parent.field(x), message_scope, mods, &full)?,
        repeated: x.label() == Label::Repeated,
        full_name,
    }))
}
