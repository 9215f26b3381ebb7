//! Accessors of a repeated field: `x()` (a slice), `x_size()`, `mutable_x()`, `clear_x()`,
//! `take_x()`, `x_at(i)`, `set_x(i, v)`, `add_x()`, `mutable_x_at(i)`.

use super::{container_accessors, what, Names};
use crate::emit::doc;
use crate::internals::model::{Field, Kind};
use proc_macro2::TokenStream;
use quote::quote;
use zpb_naming::Accessor;

/// The accessors of repeated field `f`.
pub fn emit(f: &Field, names: &Names) -> TokenStream {
    let (ident, v, deprecated) = (&f.ident, &f.value_ty, &f.deprecated);
    let get = names.ident(Accessor::Get);
    let at = names.ident(Accessor::At);
    let set = names.ident(Accessor::Set);
    let add = names.ident(Accessor::Add);
    let mutable_at = names.ident(Accessor::MutableAt);
    let what = what(f);
    let by_value = f.kind.is_packable();
    let (at_ret, at_body) = if by_value {
        (quote!(#v), quote!(self.#ident[index]))
    } else {
        (quote!(&#v), quote!(&self.#ident[index]))
    };
    let add_fn = if by_value {
        let param = if matches!(f.kind, Kind::Enum { closed: false, .. }) {
            quote!(value: impl ::core::convert::Into<#v>)
        } else {
            quote!(value: #v)
        };
        let d = doc(format!("Appends a value to {what}."));
        quote! {
            #d
            #deprecated
            pub fn #add(&mut self, #param) {
                self.#ident.push(::core::convert::Into::into(value))
            }
        }
    } else {
        let d = doc(format!("Appends an element to {what} and returns it; a cleared element kept from earlier use is reused (no allocation) when there is one."));
        quote! {
            #d
            #deprecated
            pub fn #add(&mut self) -> &mut #v {
                ::zpb::__private::codec::RepeatedField::add_default(&mut self.#ident)
            }
        }
    };
    let d_get = doc(format!("The elements of {what}."));
    let d_at = doc(format!(
        "Element `index` of {what}; panics if out of range."
    ));
    let assign = matches!(f.kind, Kind::String { .. } | Kind::Bytes);
    let d_set = doc(if assign {
        format!("Replaces element `index` of {what}, copying a borrowed value into the element's kept buffer or moving an owned one in ([`zpb::Assign`]); panics if out of range.")
    } else {
        format!("Replaces element `index` of {what}; panics if out of range.")
    });
    let (set_param, set_body) = if assign {
        (
            quote!(value: impl ::zpb::Assign<#v>),
            quote!(::zpb::Assign::assign_to(value, &mut self.#ident[index])),
        )
    } else {
        (quote!(value: #v), quote!(self.#ident[index] = value))
    };
    let d_mut_at = doc(format!(
        "Mutable element `index` of {what}; panics if out of range."
    ));
    let common = container_accessors(f, names, "elements of");
    quote! {
        #d_get
        #deprecated
        pub fn #get(&self) -> &[#v] {
            &self.#ident
        }
        #common
        #d_at
        #deprecated
        pub fn #at(&self, index: usize) -> #at_ret {
            #at_body
        }
        #d_set
        #deprecated
        pub fn #set(&mut self, index: usize, #set_param) {
            #set_body;
        }
        #add_fn
        #d_mut_at
        #deprecated
        pub fn #mutable_at(&mut self, index: usize) -> &mut #v {
            &mut self.#ident[index]
        }
    }
}
