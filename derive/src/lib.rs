//! Derive macros for [zpb](https://docs.rs/zpb): `#[derive(zpb::Message)]`,
//! `#[derive(zpb::Enumeration)]` and `#[derive(zpb::Oneof)]`.
//!
//! These macros are the single emitter of zpb's wire logic: hand-written structs and the code
//! generator's output (which is derive-annotated structs) go through the same code. The
//! attribute language is documented on the `zpb` crate's `Message` derive re-export.
//!
//! Each derive runs the same pipeline, laid out like serde_derive's: `internals::attr`
//! parses `#[zpb(...)]` into typed attributes, `internals::model` builds the typed model,
//! `internals::check` applies the rules across fields, and `emit` writes code from the
//! model alone. Errors from every stage are collected (`internals::ctxt`) and reported
//! together, each at its span. Naming rules (the scalar table, accessor names per field
//! shape, case transforms) come from `zpb-naming`, shared with the code generator.

#![deny(missing_docs)]

mod emit;
mod internals;

use internals::{check, ctxt::Errors, model};
use proc_macro::TokenStream;
use quote::quote;

/// Implements `zpb::Message`, `zpb::Reuse`, `Debug` (text format), the C++-named accessors
/// and `zpb::reflect::ReflectMessage` (with the generated file's descriptor, or one
/// synthesized from the attributes) for a struct. See the `zpb` crate for the attribute
/// language.
#[proc_macro_derive(Message, attributes(zpb))]
pub fn derive_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand_message(&input).into()
}

/// Model, checks and code of a message; on errors, the errors (and the oneof numbers a
/// oneof naming this message checks against).
fn expand_message(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let mut errors = Errors::default();
    let Some(model) = model::message(input, &mut errors) else {
        return errors
            .finish(())
            .err()
            .map_or_else(Default::default, |e| e.to_compile_error());
    };
    check::message(&model, &mut errors);
    let oneof_numbers = emit::message::oneof_numbers(&model);
    if let Err(e) = errors.finish(()) {
        let e = e.to_compile_error();
        return quote!(#e #oneof_numbers);
    }
    let message = emit::message::emit(&model);
    let accessors = emit::accessors::emit(&model);
    quote!(#message #accessors #oneof_numbers)
}

/// Implements `zpb::Enumeration` and `zpb::reflect::ReflectEnum` for a field-less enum with
/// explicit discriminants.
#[proc_macro_derive(Enumeration, attributes(zpb))]
pub fn derive_enumeration(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let mut errors = Errors::default();
    let model = model::enumeration(&input, &mut errors);
    match errors.finish(model) {
        Ok(Some(model)) => {
            let reflect = emit::reflect::enumeration(&model);
            let enumeration = emit::enumeration::emit(&model);
            quote!(#enumeration #reflect)
        }
        Ok(None) => proc_macro2::TokenStream::new(),
        Err(e) => e.to_compile_error(),
    }
    .into()
}

/// Implements `zpb::Oneof` for an enum whose variants are the members of a oneof, and (with
/// `#[zpb(message = "Msg", field = "kind")]`) the members' accessors on the message.
#[proc_macro_derive(Oneof, attributes(zpb))]
pub fn derive_oneof(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand_oneof(&input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// Model, checks and code of a oneof enum.
fn expand_oneof(input: &syn::DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let mut errors = Errors::default();
    let model = model::oneof(input, &mut errors);
    // No model comes with an error, which `finish` returns.
    let Some(model) = errors.finish(model)? else {
        return Ok(proc_macro2::TokenStream::new());
    };
    // Errors of the rules across members leave the `Oneof` impl in place, so that they are
    // the only errors reported (not also a missing impl at the message).
    let oneof = emit::oneof::emit(&model);
    let reflect = emit::reflect::oneof(&model);
    let mut errors = Errors::default();
    let bases = check::oneof(&model, &mut errors);
    let accessors = match (&model.parent, bases) {
        (Some(parent), Some(bases)) => emit::accessors::member::emit(&model, parent, &bases),
        _ => proc_macro2::TokenStream::new(),
    };
    let numbers = model
        .parent
        .as_ref()
        .map(|parent| check::oneof_numbers_match(&model, parent));
    let errors = errors.finish(()).err().map(|e| e.to_compile_error());
    Ok(quote!(#oneof #reflect #accessors #numbers #errors))
}
