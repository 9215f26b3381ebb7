//! Emits the IR as tokens: derive-annotated structs and enums (the derive in `zpb-derive`
//! writes all wire logic and accessors), service traits, service descriptors and each file's embedded descriptor. It decides nothing:
//! names, paths and shapes come resolved in the IR.

mod descriptors;
mod enums;
mod extensions;
mod messages;
mod services;
mod tokens;
mod values;

use crate::ir::Package;
use descriptors::file_static;
use enums::enumeration;
use extensions::extension;
use messages::message;
use proc_macro2::TokenStream;
use quote::quote;
use services::service;

/// All items of a package.
pub fn package(p: &Package) -> TokenStream {
    let messages = p.messages.iter().map(message);
    let enums = p.enums.iter().map(enumeration);
    let services = p.services.iter().map(service);
    let extensions = p.extensions.iter().map(extension);
    let descriptors = p.descriptors.iter().map(file_static);
    quote! {
        #(#descriptors)*
        #(#messages)*
        #(#enums)*
        #(#services)*
        #(#extensions)*
    }
}
