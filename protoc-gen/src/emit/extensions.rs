//! Extensions: a `zpb::Extension` or `zpb::RepeatedExtension` constant each.

use super::tokens::{code, doc, ident};
use super::values::codec_type;
use crate::ir::ExtensionField;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// An extension's constant.
pub fn extension(x: &ExtensionField) -> TokenStream {
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
