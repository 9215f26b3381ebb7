//! Accessors of a map field: `x()` (the map), `x_size()`, `mutable_x()`, `clear_x()`,
//! `take_x()`.

use super::{container_accessors, what, Names};
use crate::emit::doc;
use crate::internals::model::Field;
use proc_macro2::TokenStream;
use quote::quote;
use zpb_naming::Accessor;

/// The accessors of map field `f`.
pub fn emit(f: &Field, names: &Names) -> TokenStream {
    let (ident, ty, deprecated) = (&f.ident, &f.ty, &f.deprecated);
    let get = names.ident(Accessor::Get);
    let d_get = doc(format!("The entries of map {}.", what(f)));
    let common = container_accessors(f, names, "entries of map");
    quote! {
        #d_get
        #deprecated
        pub fn #get(&self) -> &#ty {
            &self.#ident
        }
        #common
    }
}
