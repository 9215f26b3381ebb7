//! Token helpers every emitter uses: source text, identifiers, attributes, docs.

use crate::docs;
use crate::ir::Doc;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Tokens of Rust source text the IR already made valid (paths, types).
pub fn code(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        let message = format!("zpb-build produced an invalid path: {text}");
        quote!(::core::compile_error!(#message))
    })
}

/// An identifier, raw (`r#type`) when written so.
pub fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// User attributes (`Config::type_attribute`/`field_attribute`), parsed as given.
pub fn attributes(list: &[String]) -> TokenStream {
    list.iter().map(|a| code(a)).collect()
}

/// `#[doc]` attributes for a doc comment.
pub fn doc(d: &Doc) -> TokenStream {
    docs::attribute_lines(d)
        .iter()
        .map(|l| quote!(#[doc = #l]))
        .collect()
}
