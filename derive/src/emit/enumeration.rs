//! Emits `zpb::Enumeration` (and `zpb::Reuse`) for a field-less enum with explicit
//! discriminants.

use crate::internals::model::EnumModel;
use proc_macro2::TokenStream;
use quote::quote;

/// `zpb::Enumeration`, `zpb::Reuse` and `TryFrom<i32>` for an enum.
pub fn emit(model: &EnumModel) -> TokenStream {
    let ident = &model.ident;
    let full_name = &model.full_name;
    let variants: Vec<_> = model.values.iter().map(|v| &v.variant).collect();
    let names: Vec<_> = model.values.iter().map(|v| &v.name).collect();
    let numbers: Vec<_> = model.values.iter().map(|v| &v.number).collect();
    // Every name a value answers to: its own, then its aliases.
    let name_arms = model.values.iter().map(|v| {
        let variant = &v.variant;
        let all = std::iter::once(&v.name).chain(&v.aliases);
        quote!(#(#all)|* => ::core::option::Option::Some(Self::#variant),)
    });
    quote! {
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
                    #(#name_arms)*
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
    }
}
