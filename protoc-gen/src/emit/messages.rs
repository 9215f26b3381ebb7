//! Messages: a struct deriving `zpb::Message`, with a module for nested types, oneof enums
//! and extensions.

use super::enums::enumeration;
use super::extensions::extension;
use super::tokens::{attributes, code, doc, ident};
use super::values::{default_tokens, is_heap, kind_word, value_type, value_word};
use crate::ir::{Field, Item, Member, Message, Oneof, Presence, Shape, Value};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use zpb_naming::features::{self as feat, Feature, RepeatedEncoding};

/// The `name = "..."` item when the proto name differs from the Rust one (or, for a group,
/// always: text format prints a group by its type name).
fn name_item(proto: &str, rust: &str) -> Option<TokenStream> {
    (crate::names::unraw(rust) != proto).then(|| quote!(name = #proto))
}

/// The text-format name of a group-like field (its type's name), if `shape` holds one.
fn group_text_name(shape: &Shape) -> Option<&str> {
    match shape {
        Shape::Singular {
            value:
                Value::Group {
                    text_name: Some(name),
                    ..
                },
            ..
        }
        | Shape::Repeated {
            value:
                Value::Group {
                    text_name: Some(name),
                    ..
                },
            ..
        } => Some(name),
        _ => None,
    }
}

/// A field of a message's struct.
fn field(f: &Field) -> TokenStream {
    let number = Literal::i32_unsuffixed(f.number);
    let mut items: Vec<TokenStream> = vec![quote!(#number)];
    let mut name = name_item(&f.proto_name, &f.rust_name);
    let ty = match &f.shape {
        Shape::Singular {
            value,
            presence,
            default,
            boxed,
        } => {
            items.push(code(value_word(value)));
            if *presence == Presence::Required {
                items.push(code(
                    Feature::Presence(feat::Presence::LegacyRequired).word(),
                ));
            }
            if let Some(d) = default {
                let d = default_tokens(d);
                items.push(quote!(default = #d));
            }
            let v = value_type(value);
            match (presence, value) {
                (Presence::Implicit, _) => v,
                (_, Value::Message { .. } | Value::Group { .. }) if *boxed => {
                    quote!(::zpb::MessageField<#v>)
                }
                (_, Value::Message { .. } | Value::Group { .. }) => quote!(::zpb::Optional<#v>),
                (_, Value::String { thin: true }) => quote!(::zpb::OptionalThinString),
                (_, Value::String { .. } | Value::Bytes { .. }) => quote!(::zpb::Optional<#v>),
                _ => quote!(::core::option::Option<#v>),
            }
        }
        Shape::Repeated { value, packed } => {
            items.push(code(value_word(value)));
            items.push(quote!(repeated));
            if !packed && !is_heap(value) {
                items.push(code(Feature::Repeated(RepeatedEncoding::Expanded).word()));
            }
            let v = value_type(value);
            match is_heap(value) {
                true => quote!(::zpb::Repeated<#v>),
                false => quote!(::std::vec::Vec<#v>),
            }
        }
        Shape::Map { key, value, btree } => {
            let words = format!("{}, {}", kind_word(key), kind_word(value));
            items.push(quote!(map = #words));
            let (k, v) = (value_type(key), value_type(value));
            match btree {
                true => quote!(::std::collections::BTreeMap<#k, #v>),
                false => quote!(::std::collections::HashMap<#k, #v>),
            }
        }
    };
    // A group-like field is named by its type in text format (the derive derives its JSON
    // name, the field's, from that: `data` of group `Data`).
    if let Some(type_name) = group_text_name(&f.shape) {
        name = Some(quote!(name = #type_name));
    }
    items.extend(name);
    if let Some(json) = &f.json_name {
        items.push(quote!(json_name = #json));
    }
    let d = doc(&f.doc);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let attrs = attributes(&f.attributes);
    let id = ident(&f.rust_name);
    quote! {
        #d
        #[zpb(#(#items),*)]
        #deprecated
        #attrs
        pub #id: #ty,
    }
}

/// The field of a oneof: `Option` of its enum.
fn oneof_field(o: &Oneof) -> TokenStream {
    let numbers = o
        .members
        .iter()
        .map(|m| m.number.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let d = doc(&o.doc);
    let id = ident(&o.rust_name);
    let path = code(&o.enum_path);
    quote! {
        #d
        #[zpb(oneof = #numbers)]
        pub #id: ::core::option::Option<#path>,
    }
}

/// A oneof member: a variant of the oneof enum.
fn member(m: &Member) -> TokenStream {
    let number = Literal::i32_unsuffixed(m.number);
    let word = code(value_word(&m.value));
    // The derive's default proto name is `zpb_naming::variant_proto_name`.
    let name = (zpb_naming::variant_proto_name(&m.variant) != m.proto_name).then(|| {
        let n = &m.proto_name;
        quote!(, name = #n)
    });
    let accessor = (m.accessor != zpb_naming::oneof_accessor_base(&m.proto_name)).then(|| {
        let a = &m.accessor;
        quote!(, accessor = #a)
    });
    let v = value_type(&m.value);
    let ty = match &m.value {
        Value::Message { .. } | Value::Group { .. } => quote!(::std::boxed::Box<#v>),
        _ => v,
    };
    let d = doc(&m.doc);
    let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
    let variant = ident(&m.variant);
    quote! {
        #d
        #[zpb(#number, #word #name #accessor)]
        #deprecated
        #variant(#ty),
    }
}

/// The enum of a oneof, deriving `zpb::Oneof`.
fn oneof_enum(message: &Message, o: &Oneof) -> TokenStream {
    let d = doc(&o.doc);
    let parent = format!("super::{}", message.rust_name);
    let field = &o.rust_name;
    let name = ident(&o.enum_name);
    let members = o.members.iter().map(member);
    quote! {
        #d
        #[derive(::zpb::Oneof, Clone, PartialEq, Debug)]
        #[zpb(message = #parent, field = #field)]
        pub enum #name {
            #(#members)*
        }
    }
}

/// A message's struct and module.
pub fn message(m: &Message) -> TokenStream {
    let d = doc(&m.doc);
    let full = &m.full_name;
    let name = ident(&m.rust_name);
    let attrs = attributes(&m.attributes);
    let fields = m.items.iter().map(|i| match i {
        Item::Field(f) => field(f),
        Item::Oneof(o) => oneof_field(o),
    });
    let state = ident(&m.state_field);
    let mut nested: Vec<TokenStream> = m.messages.iter().map(message).collect();
    nested.extend(m.enums.iter().map(enumeration));
    nested.extend(m.items.iter().filter_map(|i| match i {
        Item::Oneof(o) => Some(oneof_enum(m, o)),
        Item::Field(_) => None,
    }));
    nested.extend(m.extensions.iter().map(extension));
    let module = (!nested.is_empty()).then(|| {
        let module = ident(&m.module);
        let mdoc = match m.extensions.is_empty() {
            true => format!(" Nested types and oneofs of `{full}`."),
            false => format!(" Nested types, oneofs and extensions of `{full}`."),
        };
        quote! {
            #[doc = #mdoc]
            pub mod #module {
                #(#nested)*
            }
        }
    });
    let reserved = (!m.reserved_names.is_empty()).then(|| {
        let list = m.reserved_names.join(", ");
        quote!(, reserved_names = #list)
    });
    let file = &m.descriptor_file;
    quote! {
        #d
        #[derive(::zpb::Message, PartialEq, Default)]
        #[zpb(name = #full, clone #reserved, descriptor = #file)]
        #attrs
        pub struct #name {
            #(#fields)*
            /// Unknown fields and the cached encoded size.
            pub #state: ::zpb::MessageState,
        }
        #module
    }
}
