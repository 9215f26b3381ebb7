//! Derive macros for [zpb](https://docs.rs/zpb): `#[derive(zpb::Message)]`,
//! `#[derive(zpb::Enumeration)]` and `#[derive(zpb::Oneof)]`.
//!
//! These macros are the single emitter of zpb's wire logic: hand-written structs and the code
//! generator's output (which is derive-annotated structs) go through the same code. The
//! attribute language is documented on the `zpb` crate's `Message` derive re-export.

#![deny(missing_docs)]

mod ast;
mod attr;
mod emit_accessors;
mod emit_enum;
mod emit_merge;
mod emit_message;
mod emit_oneof;

use proc_macro::TokenStream;

/// Implements `zpb::Message`, `zpb::Reuse`, `Debug` (text format) and the C++-named
/// accessors for a struct. See the `zpb` crate for the attribute language.
#[proc_macro_derive(Message, attributes(zpb))]
pub fn derive_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let result = ast::message(&input).and_then(|model| {
        let message = emit_message::emit(&model);
        let accessors = emit_accessors::emit(&model)?;
        Ok(quote::quote!(#message #accessors))
    });
    result.unwrap_or_else(|e| e.to_compile_error()).into()
}

/// Implements `zpb::Enumeration` for a field-less enum with explicit discriminants.
#[proc_macro_derive(Enumeration, attributes(zpb))]
pub fn derive_enumeration(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    emit_enum::emit(&input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// Implements `zpb::Oneof` for an enum whose variants are the members of a oneof, and (with
/// `#[zpb(message = "Msg", field = "kind")]`) the members' accessors on the message.
#[proc_macro_derive(Oneof, attributes(zpb))]
pub fn derive_oneof(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    emit_oneof::emit(&input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}
