//! Code from the [model](crate::internals::model): `zpb::Message` and friends
//! ([`message`]), the accessors ([`accessors`]), `zpb::Oneof` ([`oneof`]),
//! `zpb::Enumeration` ([`enumeration`]), reflection ([`reflect`]), where each type's
//! descriptor comes from ([`descriptor`]) and the JSON and text mappings ([`json`],
//! [`text_parse`], their parsers' field-name lookup in [`lookup`]). Emitted code names
//! runtime support items through `::zpb::__private::{codec, wire, text}` and public types at
//! the crate root.

pub mod accessors;
pub mod descriptor;
pub mod enumeration;
pub mod json;
pub mod lookup;
pub mod merge;
pub mod message;
pub mod oneof;
pub mod reflect;
pub mod text_parse;

use crate::internals::model::Kind;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;

impl Kind {
    /// The `codec` marker type (`::zpb::__private::codec::SInt32`), its name from
    /// `zpb_naming`'s scalar table.
    pub fn codec(&self) -> TokenStream {
        match self {
            Kind::Scalar(s) => {
                let name = Ident::new(s.codec(), Span::call_site());
                quote!(::zpb::__private::codec::#name)
            }
            Kind::String { thin: false } => quote!(::zpb::__private::codec::Str),
            Kind::String { thin: true } => quote!(::zpb::__private::codec::ThinStr),
            Kind::Bytes => quote!(::zpb::__private::codec::Bytes),
            Kind::SharedBytes => quote!(::zpb::__private::codec::SharedBytes),
            Kind::Message(t) => quote!(::zpb::__private::codec::Msg<#t>),
            Kind::Group(t) => quote!(::zpb::__private::codec::Grp<#t>),
            Kind::Enum { ty, closed: false } => quote!(::zpb::__private::codec::Enum<#ty>),
            Kind::Enum { ty, closed: true } => quote!(::zpb::__private::codec::ClosedEnum<#ty>),
        }
    }
}

/// A method name as an identifier, raw if it is a keyword (`r#type`).
pub fn method_ident(name: &str, span: Span) -> Ident {
    if !zpb_naming::is_keyword(name) && syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, span)
    } else {
        Ident::new_raw(name, span)
    }
}

/// A `#[doc = "..."]` attribute.
pub fn doc(text: String) -> TokenStream {
    quote!(#[doc = #text])
}
