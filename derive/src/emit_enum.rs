//! Emits `zpb::Enumeration` (and `zpb::Reuse`) for a field-less enum with explicit
//! discriminants.

use crate::attr::{self, AttrItems, Item};
use proc_macro2::TokenStream;
use quote::quote;

fn screaming_snake(ident: &syn::Ident) -> String {
    let mut out = String::new();
    for (i, c) in ident.to_string().chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

pub fn emit(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(zpb::Enumeration)] works on enums",
        ));
    };
    let ident = &input.ident;
    let mut full_name = ident.to_string();
    for item in AttrItems::from_attrs(&input.attrs)?.items {
        match item {
            Item::KeyValue(k, v) if k == "name" => full_name = attr::lit_str(&v, &k)?,
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(syn::Error::new(
                    k.span(),
                    "unknown enum attribute; expected name = \"package.Enum\"",
                ))
            }
            Item::Number(n) => return Err(syn::Error::new(n.span(), "unexpected number")),
        }
    }
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut numbers = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, syn::Fields::Unit) {
            return Err(syn::Error::new_spanned(v, "enum values carry no data"));
        }
        let Some((_, expr)) = &v.discriminant else {
            return Err(syn::Error::new_spanned(
                &v.ident,
                "give every value its number: `Name = 1`",
            ));
        };
        let mut name = screaming_snake(&v.ident);
        for item in AttrItems::from_attrs(&v.attrs)?.items {
            match item {
                Item::KeyValue(k, lit) if k == "name" => name = attr::lit_str(&lit, &k)?,
                Item::KeyValue(k, _) | Item::Word(k) => {
                    return Err(syn::Error::new(
                        k.span(),
                        "unknown value attribute; expected name = \"PROTO_NAME\"",
                    ))
                }
                Item::Number(n) => {
                    return Err(syn::Error::new(
                        n.span(),
                        "the number is the discriminant: `Name = 1`",
                    ))
                }
            }
        }
        variants.push(&v.ident);
        names.push(name);
        numbers.push(expr);
    }
    Ok(quote! {
        #[automatically_derived]
        impl ::zpb::Enumeration for #ident {
            const NAME: &'static str = #full_name;
            #[inline]
            fn from_i32(value: i32) -> ::core::option::Option<Self> {
                #![allow(non_upper_case_globals)]
                #(const #variants: i32 = #numbers;)*
                match value {
                    #(#variants => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
            #[inline]
            fn to_i32(self) -> i32 {
                self as i32
            }
            fn name(self) -> &'static str {
                match self {
                    #(Self::#variants => #names,)*
                }
            }
            fn from_name(name: &str) -> ::core::option::Option<Self> {
                match name {
                    #(#names => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn values() -> &'static [Self] {
                &[#(Self::#variants),*]
            }
        }

        #[automatically_derived]
        impl ::zpb::Reuse for #ident {
            const OWNS_HEAP: bool = false;
            #[inline]
            fn clear(&mut self) {
                *self = ::core::default::Default::default();
            }
            #[inline]
            fn space_used(&self) -> usize {
                0
            }
            #[inline]
            fn trim(&mut self, _budget: &mut usize) {}
        }

        #[automatically_derived]
        impl ::core::convert::TryFrom<i32> for #ident {
            type Error = i32;
            fn try_from(value: i32) -> ::core::result::Result<Self, i32> {
                <Self as ::zpb::Enumeration>::from_i32(value).ok_or(value)
            }
        }
    })
}
