//! Emits the C++-named accessors (`x()`, `set_x()`, `has_x()`, `mutable_x()`, `clear_x()`,
//! `take_x()`, `x_size()`, `add_x()`, `x_at()`, ...) as an inherent `impl` of the message,
//! one module per field shape, plus a oneof's member accessors ([`member`]). Which methods a
//! shape gets, and their names, come from `zpb_naming::FieldShape::accessors`.

mod map;
pub mod member;
mod oneof;
mod repeated;
mod singular;

use crate::emit::method_ident;
use crate::internals::model::{Field, MessageModel, Shape};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;
use zpb_naming::Accessor;

/// The accessor names of one field or member: `Accessor::Set` of `x` is `set_x`.
pub struct Names {
    base: String,
    span: Span,
}

impl Names {
    /// The names built from accessor base `base`, spanned at `span`.
    pub fn new(base: String, span: Span) -> Names {
        Names { base, span }
    }

    /// The identifier of accessor `a` (raw if it is a keyword, as `r#type()` can be).
    pub fn ident(&self, a: Accessor) -> Ident {
        method_ident(&a.name(&self.base), self.span)
    }
}

/// `` `name` (field 3)``, the way docs refer to a field.
fn what(f: &Field) -> String {
    format!("`{}` (field {})", f.proto_name, f.number)
}

/// Accessors of one field.
fn field_accessors(f: &Field) -> TokenStream {
    let names = Names::new(f.base_name(), f.span);
    match &f.shape {
        Shape::Singular { holder, presence } => singular::emit(f, &names, *holder, *presence),
        Shape::Repeated { .. } => repeated::emit(f, &names),
        Shape::Map { .. } => map::emit(f, &names),
        Shape::Oneof { ty, .. } => oneof::emit(f, &names, ty),
    }
}

/// `x_size()`, `mutable_x()`, `clear_x()` and `take_x()` of a repeated or map field.
fn container_accessors(f: &Field, names: &Names, noun: &str) -> TokenStream {
    let (ident, ty, deprecated) = (&f.ident, &f.ty, &f.deprecated);
    let size = names.ident(Accessor::Size);
    let mutable = names.ident(Accessor::Mutable);
    let clear = names.ident(Accessor::Clear);
    let take = names.ident(Accessor::Take);
    let what = format!("{noun} {}", what(f));
    let d_size = crate::emit::doc(format!("Number of {what}."));
    let d_mut = crate::emit::doc(format!("Mutable container of the {what}."));
    let d_clear = crate::emit::doc(format!("Removes all {what}, keeping memory for reuse."));
    let d_take = crate::emit::doc(format!("Takes all {what} out."));
    quote! {
        #d_size
        #deprecated
        pub fn #size(&self) -> usize {
            self.#ident.len()
        }
        #d_mut
        #deprecated
        pub fn #mutable(&mut self) -> &mut #ty {
            &mut self.#ident
        }
        #d_clear
        #deprecated
        pub fn #clear(&mut self) {
            ::zpb::Reuse::clear(&mut self.#ident)
        }
        #d_take
        #deprecated
        pub fn #take(&mut self) -> #ty {
            ::core::mem::take(&mut self.#ident)
        }
    }
}

/// The accessors of every field of a message, as one inherent `impl`.
pub fn emit(model: &MessageModel) -> TokenStream {
    let ident = &model.ident;
    let methods = model.fields.iter().map(field_accessors);
    quote! {
        #[allow(deprecated, dead_code, clippy::all)]
        impl #ident {
            #(#methods)*
        }
    }
}

#[cfg(test)]
mod tests;
