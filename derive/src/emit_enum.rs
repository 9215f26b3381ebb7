//! Emits `zpb::Enumeration` (and `zpb::Reuse`) for a field-less enum with explicit
//! discriminants.

use crate::attr;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(zpb::Enumeration)] works on enums",
        ));
    };
    let ident = &input.ident;
    let full_name =
        attr::name_only(&input.attrs, "package.Enum")?.unwrap_or_else(|| ident.to_string());
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
        let name = attr::name_only(&v.attrs, "PROTO_VALUE_NAME")?
            .unwrap_or_else(|| zpb_naming::variant_proto_name(&v.ident.to_string()).to_uppercase());
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

        ::zpb::__reuse_plain!(#ident);

        #[automatically_derived]
        impl ::core::convert::TryFrom<i32> for #ident {
            type Error = i32;
            fn try_from(value: i32) -> ::core::result::Result<Self, i32> {
                <Self as ::zpb::Enumeration>::from_i32(value).ok_or(value)
            }
        }
    })
}
