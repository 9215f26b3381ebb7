//! Emits where each derived type's descriptor comes from
//! (`zpb::__private::reflect::Described`): for generated code (`descriptor = "path::FILE"`)
//! the embedded file's descriptor; for a hand-written type a `static` table of what the
//! derive knows — names, numbers, kinds, shapes, features, JSON names, defaults, oneofs, enum
//! values and aliases — from which `zpb` synthesizes a descriptor on first use. A oneof
//! enum's members are described by its own derive (`ReflectOneof::MEMBERS`), since the
//! message's derive sees only the enum's name.
//!
//! The table says what the model says, in the model's own terms (proto words of
//! `zpb_naming`, the field names and JSON names of [`Field`]): the descriptor rules
//! (edition, feature settings, map entry names) are applied once, in `zpb`.

use crate::internals::model::{
    DefaultValue, EnumModel, Field, FloatValue, Kind, Member, MessageModel, Presence, Shape,
};
use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::quote;
use syn::Lit;

/// The path of the support items.
fn support() -> TokenStream {
    quote!(::zpb::__private::reflect)
}

/// `tokens` with `Self` replaced by `ident`: the tables are `static`s inside a function,
/// where `Self` does not name the type.
fn unself(tokens: TokenStream, ident: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Ident(i) if i == "Self" => TokenTree::Ident(ident.clone()),
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), unself(g.stream(), ident));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}

/// The `ValueType` of values of `kind`.
fn value_type(kind: &Kind) -> TokenStream {
    let s = support();
    match kind {
        Kind::Scalar(scalar) => {
            let word = scalar.word();
            quote!(#s::ValueType::Scalar(#word))
        }
        Kind::String { .. } => quote!(#s::ValueType::Scalar("string")),
        Kind::Bytes | Kind::SharedBytes => quote!(#s::ValueType::Scalar("bytes")),
        Kind::Message(t) => quote!(#s::ValueType::Message(<#t as #s::Described>::origin)),
        Kind::Group(t) => quote!(#s::ValueType::Group(<#t as #s::Described>::origin)),
        Kind::Enum { ty, closed } => {
            quote!(#s::ValueType::Enum(<#ty as #s::Described>::origin, #closed))
        }
    }
}

/// The `DefaultText` of a `default = ...` of a field of `kind`.
fn default_text(default: &Option<DefaultValue>, kind: &Kind) -> TokenStream {
    let s = support();
    let text = |t: String| quote!(::core::option::Option::Some(#s::DefaultText::Text(#t)));
    let Some(d) = default else {
        return quote!(::core::option::Option::None);
    };
    match d {
        DefaultValue::Literal(Lit::Int(i)) => text(i.base10_digits().to_string()),
        DefaultValue::Literal(Lit::Float(f)) => text(f.base10_digits().to_string()),
        DefaultValue::Literal(Lit::Bool(b)) => text(b.value.to_string()),
        DefaultValue::Literal(Lit::Str(t)) => text(t.value()),
        DefaultValue::Literal(Lit::ByteStr(b)) => {
            quote!(::core::option::Option::Some(#s::DefaultText::Bytes(#b)))
        }
        DefaultValue::Literal(_) => quote!(::core::option::Option::None),
        DefaultValue::Float { double, value } => text(match value {
            FloatValue::Infinity => "inf".to_string(),
            FloatValue::NegInfinity => "-inf".to_string(),
            FloatValue::Nan => "nan".to_string(),
            FloatValue::Parsed(v) if *double => v.to_string(),
            FloatValue::Parsed(v) => (*v as f32).to_string(),
            FloatValue::Int(i) => i.base10_digits().to_string(),
        }),
        DefaultValue::Enum(variant) => match kind {
            Kind::Enum { ty, .. } => {
                quote!(::core::option::Option::Some(#s::DefaultText::Enum(#ty::#variant as i32)))
            }
            _ => quote!(::core::option::Option::None),
        },
    }
}

/// A `FieldTable`.
fn field_table(
    (name, json_name, number): (&str, &str, u32),
    value: &Kind,
    shape: TokenStream,
    default: TokenStream,
) -> TokenStream {
    let s = support();
    let value = value_type(value);
    quote! {
        #s::FieldTable {
            name: #name,
            json_name: #json_name,
            number: #number,
            value: #value,
            shape: #shape,
            default: #default,
        }
    }
}

/// The `Entry` of a message field.
fn entry(f: &Field) -> TokenStream {
    let s = support();
    let (name, json) = (f.field_name(), f.effective_json_name());
    let shape = match &f.shape {
        Shape::Singular { presence, .. } => match presence {
            Presence::Implicit => quote!(#s::FieldShape::Implicit),
            Presence::Optional => quote!(#s::FieldShape::Explicit),
            Presence::Required => quote!(#s::FieldShape::Required),
        },
        Shape::Repeated { packed } => quote!(#s::FieldShape::Repeated(#packed)),
        Shape::Map { key, .. } => {
            let key = value_type(key);
            quote!(#s::FieldShape::Map(#key))
        }
        Shape::Oneof { ty, .. } => {
            let name = &f.proto_name;
            return quote! {
                #s::Entry::Oneof {
                    name: #name,
                    members: <#ty as #s::ReflectOneof>::MEMBERS,
                }
            };
        }
    };
    let default = default_text(&f.default, &f.kind);
    let table = field_table((&name, &json, f.number), &f.kind, shape, default);
    quote!(#s::Entry::Field(#table))
}

/// `Described` for a message: its generated file's descriptor, or its table.
pub fn message(model: &MessageModel) -> TokenStream {
    let s = support();
    let (ident, full) = (&model.ident, &model.full_name);
    let origin = match &model.descriptor {
        Some(file) => quote!(#s::Origin::GeneratedMessage(#file.message(#full))),
        None => {
            let entries = model.fields.iter().map(entry);
            let entries = unself(quote!(#(#entries,)*), ident);
            let reserved = &model.reserved_names;
            quote! {
                static TABLE: #s::MessageTable = #s::MessageTable {
                    name: #full,
                    entries: &[#entries],
                    reserved_names: &[#(#reserved),*],
                    descriptor: ::std::sync::OnceLock::new(),
                };
                #s::Origin::Message(&TABLE)
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #s::Described for #ident {
            fn origin() -> #s::Origin {
                #origin
            }
        }
    }
}

/// The `ReflectOneof::MEMBERS` of a oneof enum: one `FieldTable` per member.
pub fn members(members: &[Member]) -> TokenStream {
    let s = support();
    let tables = members.iter().map(|m| {
        let json = zpb_naming::default_json_name(&m.name);
        let shape = quote!(#s::FieldShape::Member);
        let none = quote!(::core::option::Option::None);
        field_table((&m.name, &json, m.number.value), &m.kind, shape, none)
    });
    quote!(&[#(#tables),*])
}

/// `Described` for an enum: its generated file's descriptor, or its table of values (each
/// value's name, then its aliases, with its number).
pub fn enumeration(model: &EnumModel) -> TokenStream {
    let s = support();
    let (ident, full) = (&model.ident, &model.full_name);
    let origin = match &model.descriptor {
        Some(file) => quote!(#s::Origin::GeneratedEnum(#file.enumeration(#full))),
        None => {
            let values = model.values.iter().flat_map(|v| {
                let variant = &v.variant;
                std::iter::once(&v.name)
                    .chain(&v.aliases)
                    .map(move |name| quote!((#name, #ident::#variant as i32)))
            });
            quote! {
                static TABLE: #s::EnumTable = #s::EnumTable {
                    name: #full,
                    values: &[#(#values),*],
                    descriptor: ::std::sync::OnceLock::new(),
                };
                #s::Origin::Enum(&TABLE)
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #s::Described for #ident {
            fn origin() -> #s::Origin {
                #origin
            }
        }
    }
}
