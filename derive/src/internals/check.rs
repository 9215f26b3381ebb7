//! Rules across the fields of a message or the members of a oneof, one function per rule.
//! Each pushes its errors (with spans) onto [`Errors`], so every broken rule is reported in
//! one compile. Rules about one field alone are applied while building the
//! [`model`](super::model); the range of every field number is [`attr::field_number`].
//!
//! [`attr::field_number`]: super::attr::field_number

use super::ctxt::Errors;
use super::model::{Field, MessageModel, OneofModel, Parent, Shape};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::Ident;

/// Runs every rule on a message.
pub fn message(model: &MessageModel, errors: &mut Errors) {
    duplicate_numbers(model, errors);
    json_names(model, errors);
    field_accessors(model, errors);
}

/// Runs every rule on a oneof. Returns the members' accessor bases when the oneof names its
/// message (and so gets accessors) and they are all usable.
pub fn oneof<'a>(model: &'a OneofModel, errors: &mut Errors) -> Option<Vec<&'a str>> {
    member_numbers(model, errors);
    model.parent.as_ref()?;
    member_accessors(model, errors)
}

/// No two fields of a message share a number; a oneof's numbers (`oneof = "1, 2"`) count as
/// its members' and are checked with the fields'.
pub fn duplicate_numbers(model: &MessageModel, errors: &mut Errors) {
    let mut seen = HashMap::new();
    for f in &model.fields {
        let numbers = match &f.shape {
            Shape::Oneof { numbers, .. } => numbers.clone(),
            _ => vec![f.number],
        };
        for n in numbers {
            if let Some(other) = seen.insert(n, f.ident.to_string()) {
                errors.push(syn::Error::new(
                    f.span,
                    format!("field number {n} is already used by `{other}`"),
                ));
            }
        }
    }
}

/// No two members of a oneof share a number.
pub fn member_numbers(model: &OneofModel, errors: &mut Errors) {
    let mut seen = HashMap::new();
    for m in &model.members {
        if let Some(other) = seen.insert(m.number.value, &m.variant) {
            errors.push(syn::Error::new(
                m.number.span,
                format!(
                    "field number {} is already used by member `{other}`",
                    m.number.value
                ),
            ));
        }
    }
}

/// A `json_name` given explicitly differs from every other field's JSON name (given or
/// protoc's default), as protoc requires. (Two default names that clash are allowed, as
/// protoc allows them in proto2.)
pub fn json_names(model: &MessageModel, errors: &mut Errors) {
    let names: Vec<(String, &Field)> = model
        .fields
        .iter()
        .filter(|f| !matches!(f.shape, Shape::Oneof { .. }))
        .map(|f| (f.effective_json_name(), f))
        .collect();
    for (i, (name, f)) in names.iter().enumerate() {
        let Some(json) = &f.json_name else { continue };
        // Each clash is reported once: at the later field, or at the one that gives its name.
        let clash = names
            .iter()
            .enumerate()
            .find(|(j, (n, other))| n == name && (*j < i || (*j > i && other.json_name.is_none())));
        if let Some((_, (_, other))) = clash {
            errors.push(syn::Error::new(
                json.span,
                format!(
                    "JSON name `{name}` is already the JSON name of field `{}`; JSON names must be unique within a message",
                    other.proto_name
                ),
            ));
        }
    }
}

/// Who takes an accessor name: a field or a oneof member. Says how to fix a clash.
enum Owner<'a> {
    /// A field.
    Field {
        /// Its Rust name.
        rust: &'a str,
        /// Its proto name.
        proto: &'a str,
    },
    /// A oneof member.
    Member {
        /// Its proto name.
        proto: &'a str,
    },
}

impl Owner<'_> {
    fn describe(&self) -> String {
        match self {
            Owner::Field { rust, .. } => format!("field `{rust}`"),
            Owner::Member { proto } => format!("oneof member `{proto}`"),
        }
    }

    fn fix(&self, reserved: bool) -> String {
        match self {
            Owner::Field { proto, .. } if reserved => format!(
                "rename the Rust field and keep the proto name with #[zpb(name = \"{proto}\")]"
            ),
            Owner::Field { .. } => "rename one of the Rust fields".to_string(),
            Owner::Member { .. } => {
                "name the member's accessors with #[zpb(accessor = \"...\")] (its proto name stays)"
                    .to_string()
            }
        }
    }
}

/// The accessor names taken on one message so far, to report an accessor that would
/// shadow a method every message has (`zpb_naming::RESERVED_METHODS`) or collide with
/// another field's or member's.
#[derive(Default)]
struct AccessorNames {
    owners: HashMap<String, String>,
}

impl AccessorNames {
    /// Takes `names` for `owner`, pushing an error at `span` for each reserved name and for
    /// the first collision with each other owner.
    fn claim(&mut self, names: Vec<String>, owner: &Owner<'_>, span: Span, errors: &mut Errors) {
        let who = owner.describe();
        let mut reported = Vec::new();
        for name in names {
            let message = if zpb_naming::is_reserved_method(&name) {
                format!(
                    "accessor `{name}` of {who} would shadow `{name}`, a method every message has; {}",
                    owner.fix(true)
                )
            } else {
                match self.owners.get(&name) {
                    None => {
                        self.owners.insert(name, who.clone());
                        continue;
                    }
                    Some(other) if reported.contains(other) => continue,
                    Some(other) => {
                        reported.push(other.clone());
                        format!(
                            "accessor `{name}` of {who} collides with an accessor of {other}; {}",
                            owner.fix(false)
                        )
                    }
                }
            };
            errors.push(syn::Error::new(span, message));
        }
    }
}

/// No field's accessor shadows a method every message has or collides with another field's
/// (`zpb_naming::accessor_names` says which names each field takes).
pub fn field_accessors(model: &MessageModel, errors: &mut Errors) {
    let mut taken = AccessorNames::default();
    for f in &model.fields {
        let base = f.base_name();
        let owner = Owner::Field {
            rust: &base,
            proto: &f.proto_name,
        };
        let names = zpb_naming::accessor_names(&base, f.field_shape());
        taken.claim(names, &owner, f.span, errors);
    }
}

/// No oneof member's accessor shadows a method every message has or collides with another
/// member's. (A clash with a field's accessor is a duplicate definition, which rustc
/// reports.) Returns the accessor bases if they are all usable.
pub fn member_accessors<'a>(model: &'a OneofModel, errors: &mut Errors) -> Option<Vec<&'a str>> {
    let mut taken = AccessorNames::default();
    let mut bases = Vec::new();
    let mut ok = true;
    for m in &model.members {
        match &m.accessor {
            Ok(base) => {
                let names = zpb_naming::accessor_names(base, zpb_naming::FieldShape::OneofMember);
                let mut mine = Errors::default();
                taken.claim(
                    names,
                    &Owner::Member { proto: &m.name },
                    m.variant.span(),
                    &mut mine,
                );
                ok &= mine.finish(()).map_err(|e| errors.push(e)).is_ok();
                bases.push(base.as_str());
            }
            Err(e) => {
                ok = false;
                errors.push(e.clone());
            }
        }
    }
    ok.then_some(bases)
}

/// The hidden constant the `Message` derive puts on the message for each oneof field: the
/// numbers of its `oneof = "..."` list, for [`oneof_numbers_match`].
pub fn oneof_numbers_const(field: &Ident) -> Ident {
    format_ident!("__zpb_oneof_numbers_{}", field.unraw())
}

/// The numbers a message's `oneof = "1, 2"` lists are exactly the oneof's variant numbers.
/// The two lists are in two derives, so this rule is checked where the `Oneof` derive names
/// its message (`message = "...", field = "..."`): as a constant rustc evaluates, comparing
/// the variant numbers with the message's [`oneof_numbers_const`].
pub fn oneof_numbers_match(model: &OneofModel, parent: &Parent) -> TokenStream {
    let (message, field) = (&parent.message, &parent.field);
    let list = oneof_numbers_const(field);
    let numbers: Vec<u32> = model.members.iter().map(|m| m.number.value).collect();
    let text = numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let message_text = quote!(#message).to_string().replace(' ', "");
    let error = format!(
        "the field numbers of oneof field `{message_text}::{}` (#[zpb(oneof = \"...\")]) must be the variant numbers of `{}`: \"{text}\"",
        field.unraw(),
        model.ident,
    );
    quote! {
        const _: () = {
            // Whether the two lists (each without duplicates) hold the same numbers.
            const fn same(a: &[u32], b: &[u32]) -> bool {
                if a.len() != b.len() {
                    return false;
                }
                let mut i = 0;
                while i < a.len() {
                    let mut j = 0;
                    while j < b.len() && b[j] != a[i] {
                        j += 1;
                    }
                    if j == b.len() {
                        return false;
                    }
                    i += 1;
                }
                true
            }
            ::core::assert!(same(<#message>::#list, &[#(#numbers),*]), #error);
        };
    }
}
