//! Enums: an enum deriving `zpb::Enumeration`, with alias consts.

use super::tokens::{attributes, doc, ident};
use crate::ir::Enum;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// An enum and its aliases.
pub fn enumeration(e: &Enum) -> TokenStream {
    let d = doc(&e.doc);
    let full = &e.full_name;
    let file = &e.descriptor_file;
    let name = ident(&e.rust_name);
    let attrs = attributes(&e.attributes);
    let variants = e.values.iter().enumerate().map(|(i, v)| {
        let vd = doc(&v.doc);
        let default = (i == 0).then(|| quote!(#[default]));
        let proto = &v.proto_name;
        let derived = zpb_naming::variant_proto_name(&v.rust_name).to_uppercase();
        let name = (derived != *proto).then(|| quote!(name = #proto));
        // Alias names parse as this value in JSON and text format.
        let alias_names: Vec<&str> = e
            .aliases
            .iter()
            .filter(|a| a.target == v.rust_name)
            .map(|a| a.proto_name.as_str())
            .collect();
        let aliases = (!alias_names.is_empty()).then(|| {
            let list = alias_names.join(", ");
            quote!(aliases = #list)
        });
        let items: Vec<TokenStream> = name.into_iter().chain(aliases).collect();
        let zpb = (!items.is_empty()).then(|| quote!(#[zpb(#(#items),*)]));
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
        #[zpb(name = #full, descriptor = #file)]
        #attrs
        pub enum #name {
            #(#variants)*
        }
        #aliases
    }
}
