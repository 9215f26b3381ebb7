//! Accessors of the field holding a oneof: `which_x()`, `clear_x()`, `take_x()`. (Each
//! member's accessors come from the oneof's derive, [`member`](super::member).)

use super::Names;
use crate::emit::doc;
use crate::internals::model::Field;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;
use zpb_naming::Accessor;

/// The accessors of the field `f` holding a oneof of type `one`.
pub fn emit(f: &Field, names: &Names, one: &Type) -> TokenStream {
    let ident = &f.ident;
    let which = names.ident(Accessor::Which);
    let clear = names.ident(Accessor::Clear);
    let take = names.ident(Accessor::Take);
    let d_which = doc(format!(
        "Which member of oneof `{}` is set, if any (match on it).",
        f.proto_name
    ));
    let d_clear = doc(format!("Unsets oneof `{}`.", f.proto_name));
    let d_take = doc(format!(
        "Takes the set member of oneof `{}` out.",
        f.proto_name
    ));
    quote! {
        #d_which
        pub fn #which(&self) -> ::core::option::Option<&#one> {
            self.#ident.as_ref()
        }
        #d_clear
        pub fn #clear(&mut self) {
            self.#ident = ::core::option::Option::None;
        }
        #d_take
        pub fn #take(&mut self) -> ::core::option::Option<#one> {
            self.#ident.take()
        }
    }
}
