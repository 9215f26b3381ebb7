//! Emits the IR as tokens: derive-annotated structs and enums (the derive in `zpb-derive`
//! writes all wire logic and accessors), service traits and descriptors. It decides nothing:
//! names, paths and shapes come resolved in the IR.

use crate::docs;
use crate::ir::{
    DefaultValue, Doc, Enum, ExtensionField, Field, Item, Member, Message, Method, Oneof, Package,
    Presence, Service, Shape, Value,
};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// Tokens of Rust source text the IR already made valid (paths, types).
fn code(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        let message = format!("zpb-build produced an invalid path: {text}");
        quote!(::core::compile_error!(#message))
    })
}

/// An identifier, raw (`r#type`) when written so.
fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// User attributes (`Config::type_attribute`/`field_attribute`), parsed as given.
fn attributes(list: &[String]) -> TokenStream {
    list.iter().map(|a| code(a)).collect()
}

/// `#[doc]` attributes for a doc comment.
fn doc(d: &Doc) -> TokenStream {
    docs::attribute_lines(d)
        .iter()
        .map(|l| quote!(#[doc = #l]))
        .collect()
}

/// The Rust type of one value: `i32`, `String`, `M`, `OpenEnum<E>`, ...
fn value_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { rust, .. } => code(rust),
        Value::String => quote!(::std::string::String),
        Value::Bytes { shared: false } => quote!(::std::vec::Vec<u8>),
        Value::Bytes { shared: true } => quote!(::zpb::bytes::Bytes),
        Value::Message { path }
        | Value::Group { path, .. }
        | Value::Enum { path, closed: true } => code(path),
        Value::Enum {
            path,
            closed: false,
        } => {
            let p = code(path);
            quote!(::zpb::OpenEnum<#p>)
        }
    }
}

/// The derive's word for a value's protobuf type.
fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Scalar { word, .. } => word,
        Value::String => "string",
        Value::Bytes { .. } => "bytes",
        Value::Message { .. } => "message",
        Value::Group { .. } => "group",
        Value::Enum { .. } => "enum",
    }
}

/// The `zpb::codec` marker type of a value's protobuf type.
fn codec_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { word, .. } => {
            let name = ident(zpb_naming::scalar_codec(word).unwrap_or("UnknownScalar"));
            quote!(::zpb::codec::#name)
        }
        Value::String => quote!(::zpb::codec::Str),
        Value::Bytes { shared: false } => quote!(::zpb::codec::Bytes),
        Value::Bytes { shared: true } => quote!(::zpb::codec::SharedBytes),
        Value::Message { path } => {
            let p = code(path);
            quote!(::zpb::codec::Msg<#p>)
        }
        Value::Group { path, .. } => {
            let p = code(path);
            quote!(::zpb::codec::Grp<#p>)
        }
        Value::Enum { path, closed } => {
            let p = code(path);
            match closed {
                true => quote!(::zpb::codec::ClosedEnum<#p>),
                false => quote!(::zpb::codec::Enum<#p>),
            }
        }
    }
}

/// An extension's constant.
fn extension(x: &ExtensionField) -> TokenStream {
    let d = doc(&x.doc);
    let name = ident(&x.const_name);
    let extendee = code(&x.extendee);
    let kind = codec_type(&x.value);
    let ty = match x.repeated {
        true => quote!(::zpb::RepeatedExtension),
        false => quote!(::zpb::Extension),
    };
    let number = Literal::u32_unsuffixed(x.number as u32);
    let full = &x.full_name;
    quote! {
        #d
        pub const #name: #ty<#extendee, #kind> = #ty::new(#number, #full);
    }
}

/// Strings, bytes and messages are kept in retained containers; scalars and enums are `Copy`.
fn is_heap(v: &Value) -> bool {
    matches!(
        v,
        Value::String | Value::Bytes { .. } | Value::Message { .. } | Value::Group { .. }
    )
}

fn default_tokens(d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Int(text) => code(text),
        DefaultValue::Float(text) => Literal::string(text).into_token_stream(),
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Str(s) => Literal::string(s).into_token_stream(),
        DefaultValue::Bytes(b) => Literal::byte_string(b).into_token_stream(),
        DefaultValue::Enum(v) => Literal::string(v.trim_start_matches("r#")).into_token_stream(),
    }
}

use quote::ToTokens as _;

/// The `name = "..."` item when the proto name differs from the Rust one (or, for a group,
/// always: text format prints a group by its type name).
fn name_item(proto: &str, rust: &str) -> Option<TokenStream> {
    (crate::names::unraw(rust) != proto).then(|| quote!(name = #proto))
}

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
            items.push(code(kind_word(value)));
            if let Value::Group { type_name, .. } = value {
                name = Some(quote!(name = #type_name));
            }
            if *presence == Presence::Required {
                items.push(quote!(required));
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
                (_, Value::String | Value::Bytes { .. }) => quote!(::zpb::Optional<#v>),
                _ => quote!(::core::option::Option<#v>),
            }
        }
        Shape::Repeated { value, packed } => {
            items.push(code(kind_word(value)));
            items.push(quote!(repeated));
            if let Value::Group { type_name, .. } = value {
                name = Some(quote!(name = #type_name));
            }
            if !packed && !is_heap(value) {
                items.push(quote!(unpacked));
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

fn member(m: &Member) -> TokenStream {
    let number = Literal::i32_unsuffixed(m.number);
    let word = code(kind_word(&m.value));
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

fn message(m: &Message) -> TokenStream {
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
    quote! {
        #d
        #[derive(::zpb::Message, Clone, PartialEq, Default)]
        #[zpb(name = #full)]
        #attrs
        pub struct #name {
            #(#fields)*
            /// Unknown fields and the cached encoded size.
            pub #state: ::zpb::MessageState,
        }
        #module
    }
}

fn enumeration(e: &Enum) -> TokenStream {
    let d = doc(&e.doc);
    let full = &e.full_name;
    let name = ident(&e.rust_name);
    let attrs = attributes(&e.attributes);
    let variants = e.values.iter().enumerate().map(|(i, v)| {
        let vd = doc(&v.doc);
        let default = (i == 0).then(|| quote!(#[default]));
        let proto = &v.proto_name;
        let derived = zpb_naming::variant_proto_name(&v.rust_name).to_uppercase();
        let zpb = (derived != *proto).then(|| quote!(#[zpb(name = #proto)]));
        let variant = ident(&v.rust_name);
        let number = Literal::i32_unsuffixed(v.number);
        quote! {
            #vd
            #default
            #zpb
            #variant = #number,
        }
    });
    let aliases = (!e.aliases.is_empty()).then(|| {
        let consts = e.aliases.iter().map(|a| {
            let ad = doc(&a.doc);
            let alias = ident(&a.rust_name);
            let target = ident(&a.target);
            quote! {
                #ad
                #[allow(non_upper_case_globals)]
                pub const #alias: #name = #name::#target;
            }
        });
        quote! {
            impl #name {
                #(#consts)*
            }
        }
    });
    quote! {
        #d
        #[derive(::zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        #[zpb(name = #full)]
        #attrs
        pub enum #name {
            #(#variants)*
        }
        #aliases
    }
}

fn method_sig(m: &Method) -> TokenStream {
    let d = doc(&m.doc);
    let name = ident(&m.rust_name);
    let (input, output) = (code(&m.input), code(&m.output));
    let streaming = match (m.client_streaming, m.server_streaming) {
        (false, false) => None,
        (c, s) => {
            let text = format!(
                " Streaming in the proto ({}); this trait sees one request and one response per call.",
                [(c, "client"), (s, "server")].iter().filter(|x| x.0).map(|x| x.1).collect::<Vec<_>>().join(" and ")
            );
            Some(quote!(#[doc = ""] #[doc = #text]))
        }
    };
    quote! {
        #d
        #streaming
        fn #name(&self, request: &#input, response: &mut #output) -> ::core::result::Result<(), Self::Error>;
    }
}

fn service(s: &Service) -> TokenStream {
    let d = doc(&s.doc);
    let name = ident(&s.rust_name);
    let full = &s.full_name;
    let methods = s.methods.iter().map(method_sig);
    let descriptors = s.methods.iter().map(|m| {
        let (n, i, o, cs, ss) = (
            &m.proto_name,
            &m.input_full,
            &m.output_full,
            m.client_streaming,
            m.server_streaming,
        );
        quote! {
            ::zpb::well_known::MethodDescriptor {
                name: #n,
                input_type: #i,
                output_type: #o,
                client_streaming: #cs,
                server_streaming: #ss,
            }
        }
    });
    let konst = ident(&s.descriptor_const);
    let const_doc = format!(
        " Name and methods of service `{full}` (see [`{}`]).",
        s.rust_name
    );
    quote! {
        #d
        pub trait #name {
            /// The error a method returns.
            type Error;
            #(#methods)*
        }
        #[doc = #const_doc]
        pub const #konst: ::zpb::well_known::ServiceDescriptor = ::zpb::well_known::ServiceDescriptor {
            name: #full,
            methods: &[#(#descriptors),*],
        };
    }
}

/// All items of a package.
pub fn package(p: &Package) -> TokenStream {
    let messages = p.messages.iter().map(message);
    let enums = p.enums.iter().map(enumeration);
    let services = p.services.iter().map(service);
    let extensions = p.extensions.iter().map(extension);
    quote! {
        #(#messages)*
        #(#enums)*
        #(#services)*
        #(#extensions)*
    }
}
