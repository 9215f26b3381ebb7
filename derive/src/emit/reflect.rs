//! Emits `zpb::reflect::ReflectMessage` for every message, `zpb::reflect::ReflectEnum` for
//! every enum and `zpb::__private::reflect::ReflectOneof` for every oneof enum. The
//! descriptor is the generated file's (`#[zpb(descriptor = "path::FILE")]`) or one
//! synthesized from the derive's table ([`descriptor`](super::descriptor)). Each method
//! matches the field number of the descriptor it is given and routes the field to a generic
//! function of `zpb::__private::reflect` chosen by the field's container and `codec` kind:
//! the code of parsing, serializing and the accessors is not touched.

use crate::internals::model::{EnumModel, Field, Holder, MessageModel, OneofModel, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

/// The methods of `ReflectMessage` that the derive emits per field, in the order of
/// [`Arms`]' fields.
#[derive(Default)]
struct Arms {
    has: Vec<TokenStream>,
    get: Vec<TokenStream>,
    message: Vec<TokenStream>,
    message_mut: Vec<TokenStream>,
    set: Vec<TokenStream>,
    clear: Vec<TokenStream>,
    len: Vec<TokenStream>,
    element: Vec<TokenStream>,
    message_element: Vec<TokenStream>,
    message_element_mut: Vec<TokenStream>,
    add_message: Vec<TokenStream>,
    push: Vec<TokenStream>,
    set_element: Vec<TokenStream>,
    map_keys: Vec<TokenStream>,
    map_get: Vec<TokenStream>,
    map_message: Vec<TokenStream>,
    map_message_mut: Vec<TokenStream>,
    map_insert: Vec<TokenStream>,
    map_remove: Vec<TokenStream>,
}

/// Adds field `f`'s arms (matching `numbers`) to `arms`.
fn field_arms(model: &MessageModel, f: &Field, arms: &mut Arms) {
    // Spanned at the field, so that a type that does not fit its kind is reported there.
    let (ident, state, span) = (&f.ident, &model.state, f.span);
    let n = f.number;
    let k = f.kind.codec();
    let r = quote!(::zpb::__private::reflect);
    let codec = quote!(::zpb::__private::codec);
    let is_message = f.kind.is_message();
    let clear = quote_spanned!(span=> #n => { ::zpb::Reuse::clear(&mut self.#ident); ::core::result::Result::Ok(()) });
    match &f.shape {
        Shape::Singular {
            holder: Holder::Plain,
            ..
        } => {
            arms.has.push(
                quote_spanned!(span=> #n => ::core::result::Result::Ok(#r::implicit_has::<#k>(&self.#ident))),
            );
            arms.get
                .push(quote_spanned!(span=> #n => #r::implicit_get::<#k>(&self.#ident, field)));
            arms.set.push(
                quote_spanned!(span=> #n => #r::implicit_set::<#k>(&mut self.#ident, value, field)),
            );
            arms.clear.push(clear);
        }
        Shape::Singular { .. } => {
            arms.has
                .push(quote_spanned!(span=> #n => ::core::result::Result::Ok(#r::present_has(&self.#ident))));
            if is_message {
                arms.message.push(
                    quote_spanned!(span=> #n => #r::present_message::<#k, _>(&self.#ident, field)),
                );
                arms.message_mut
                    .push(quote_spanned!(span=> #n => #r::present_message_mut::<#k, _>(&mut self.#ident, field)));
            } else {
                arms.get.push(
                    quote_spanned!(span=> #n => #r::present_get::<#k, _>(&self.#ident, field)),
                );
            }
            arms.set
                .push(quote_spanned!(span=> #n => #r::present_set::<#k, _>(&mut self.#ident, value, field)));
            arms.clear.push(clear);
        }
        Shape::Repeated { .. } => {
            let values = quote!(#codec::RepeatedField::values(&self.#ident));
            arms.has
                .push(quote_spanned!(span=> #n => ::core::result::Result::Ok(!#values.is_empty())));
            arms.len
                .push(quote_spanned!(span=> #n => ::core::result::Result::Ok(#values.len())));
            if is_message {
                arms.message_element
                    .push(quote_spanned!(span=> #n => #r::repeated_message::<#k, _>(&self.#ident, index, field)));
                arms.message_element_mut.push(
                    quote_spanned!(span=> #n => #r::repeated_message_mut::<#k, _>(&mut self.#ident, index, field)),
                );
                arms.add_message
                    .push(quote_spanned!(span=> #n => #r::repeated_add_message::<#k, _>(&mut self.#ident, field)));
            } else {
                arms.element
                    .push(quote_spanned!(span=> #n => #r::repeated_get::<#k, _>(&self.#ident, index, field)));
            }
            arms.push
                .push(quote_spanned!(span=> #n => #r::repeated_push::<#k, _>(&mut self.#ident, value, field)));
            arms.set_element.push(quote_spanned!(span=> #n => #r::repeated_set_element::<#k, _>(&mut self.#ident, index, value, field)));
            arms.set
                .push(quote_spanned!(span=> #n => #r::repeated_set_all::<#k, _>(&mut self.#ident, value, field)));
            arms.clear.push(clear);
        }
        Shape::Map { key, value } => {
            let (kk, vk) = (key.codec(), value.codec());
            let slot = model.spare_slot(f);
            let count = quote!(#codec::MapField::entry_count(&self.#ident));
            let clear_map =
                quote!(#codec::clear_map(&mut self.#ident, &mut self.#state.unknown_fields, #slot));
            arms.has
                .push(quote_spanned!(span=> #n => ::core::result::Result::Ok(#count != 0)));
            arms.len
                .push(quote_spanned!(span=> #n => ::core::result::Result::Ok(#count)));
            arms.map_keys.push(
                quote_spanned!(span=> #n => ::core::result::Result::Ok(#r::map_keys::<#kk, _>(&self.#ident))),
            );
            if value.is_message() {
                arms.map_message
                    .push(quote_spanned!(span=> #n => #r::map_message::<#kk, #vk, _>(&self.#ident, key, field)));
                arms.map_message_mut.push(
                    quote_spanned!(span=> #n => #r::map_message_mut::<#kk, #vk, _>(&mut self.#ident, key, field)),
                );
            } else {
                arms.map_get
                    .push(quote_spanned!(span=> #n => #r::map_get::<#kk, #vk, _>(&self.#ident, key, field)));
            }
            arms.map_insert.push(
                quote_spanned!(span=> #n => #r::map_insert::<#kk, #vk, _>(&mut self.#ident, key, value, field)),
            );
            arms.map_remove.push(
                quote_spanned!(span=> #n => #r::map_remove::<#kk, _>(&mut self.#ident, key, field)),
            );
            arms.set.push(quote_spanned!(span=> #n => {
                let entries = #r::map_entries::<#kk, #vk>(value, field)?;
                #clear_map;
                for (k, v) in entries {
                    #codec::MapField::insert_entry(&mut self.#ident, k, v);
                }
                ::core::result::Result::Ok(())
            }));
            arms.clear
                .push(quote_spanned!(span=> #n => { #clear_map; ::core::result::Result::Ok(()) }));
        }
        Shape::Oneof { numbers, ty } => {
            let slot = model.spare_slot(f);
            let which = quote!(self.#ident.as_ref().map(::zpb::Oneof::field_number) == ::core::option::Option::Some(number));
            arms.has
                .push(quote_spanned!(span=> #(#numbers)|* => ::core::result::Result::Ok(#which)));
            arms.get
                .push(quote_spanned!(span=> #(#numbers)|* => #r::oneof_get(&self.#ident, field)));
            arms.message.push(
                quote_spanned!(span=> #(#numbers)|* => #r::oneof_message(&self.#ident, field)),
            );
            arms.message_mut
                .push(quote_spanned!(span=> #(#numbers)|* => #r::oneof_message_mut(&mut self.#ident, field)));
            arms.set.push(quote_spanned!(span=> #(#numbers)|* => <#ty as #r::ReflectOneof>::reflect_set(&mut self.#ident, number, value, field)));
            arms.clear.push(quote_spanned!(span=> #(#numbers)|* => {
                if #which {
                    #codec::clear_oneof(&mut self.#ident, &mut self.#state.unknown_fields, #slot);
                }
                ::core::result::Result::Ok(())
            }));
        }
    }
}

/// `impl zpb::reflect::ReflectMessage` (and where its descriptor comes from) for a message.
pub fn message(model: &MessageModel) -> TokenStream {
    let (ident, state) = (&model.ident, &model.state);
    let mut arms = Arms::default();
    for f in &model.fields {
        field_arms(model, f, &mut arms);
    }
    let r = quote!(::zpb::__private::reflect);
    let Arms {
        has,
        get,
        message,
        message_mut,
        set,
        clear,
        len,
        element,
        message_element,
        message_element_mut,
        add_message,
        push,
        set_element,
        map_keys,
        map_get,
        map_message,
        map_message_mut,
        map_insert,
        map_remove,
    } = arms;
    // Every method: the number of a field of this message, then its arm; a field of another
    // shape falls to the last arm.
    let body = |arms: Vec<TokenStream>| {
        quote! {
            #[allow(unused_variables)]
            let number = #r::field_number::<Self>(field)?;
            match number {
                #(#arms,)*
                _ => ::core::result::Result::Err(#r::wrong_shape(field)),
            }
        }
    };
    let (has, get, message, message_mut, set, clear) = (
        body(has),
        body(get),
        body(message),
        body(message_mut),
        body(set),
        body(clear),
    );
    let (len, element, message_element, push, set_element) = (
        body(len),
        body(element),
        body(message_element),
        body(push),
        body(set_element),
    );
    let (message_element_mut, add_message, map_message_mut) = (
        body(message_element_mut),
        body(add_message),
        body(map_message_mut),
    );
    let (map_keys, map_get, map_message, map_insert, map_remove) = (
        body(map_keys),
        body(map_get),
        body(map_message),
        body(map_insert),
        body(map_remove),
    );
    let described = super::descriptor::message(model);
    let fd = quote!(::zpb::reflect::FieldDescriptor);
    let re = quote!(::zpb::reflect::ReflectError);
    let dynm = quote!(dyn ::zpb::reflect::ReflectMessage);
    let res = quote!(::core::result::Result);
    let opt = quote!(::core::option::Option);
    quote! {
        #described

        #[automatically_derived]
        #[allow(deprecated, unused_variables, clippy::match_single_binding)]
        impl ::zpb::reflect::ReflectMessage for #ident {
            fn descriptor(&self) -> ::zpb::reflect::MessageDescriptor {
                #r::message_descriptor(<Self as #r::Described>::origin())
            }
            fn reflect_has(&self, field: &#fd) -> #res<bool, #re> { #has }
            fn reflect_get<'a>(&'a self, field: &'a #fd) -> #res<::zpb::reflect::ValueRef<'a>, #re> { #get }
            fn reflect_message(&self, field: &#fd) -> #res<#opt<&#dynm>, #re> { #message }
            fn reflect_message_mut(&mut self, field: &#fd) -> #res<&mut #dynm, #re> { #message_mut }
            fn reflect_set(&mut self, field: &#fd, value: ::zpb::reflect::Value) -> #res<(), #re> { #set }
            fn reflect_clear(&mut self, field: &#fd) -> #res<(), #re> { #clear }
            fn reflect_len(&self, field: &#fd) -> #res<usize, #re> { #len }
            fn reflect_element<'a>(&'a self, field: &'a #fd, index: usize) -> #res<::zpb::reflect::ValueRef<'a>, #re> { #element }
            fn reflect_message_element(&self, field: &#fd, index: usize) -> #res<&#dynm, #re> { #message_element }
            fn reflect_message_element_mut(&mut self, field: &#fd, index: usize) -> #res<&mut #dynm, #re> { #message_element_mut }
            fn reflect_add_message(&mut self, field: &#fd) -> #res<&mut #dynm, #re> { #add_message }
            fn reflect_push(&mut self, field: &#fd, value: ::zpb::reflect::Value) -> #res<(), #re> { #push }
            fn reflect_set_element(&mut self, field: &#fd, index: usize, value: ::zpb::reflect::Value) -> #res<(), #re> { #set_element }
            fn reflect_map_keys(&self, field: &#fd) -> #res<::std::vec::Vec<::zpb::reflect::MapKey>, #re> { #map_keys }
            fn reflect_map_get<'a>(&'a self, field: &'a #fd, key: &::zpb::reflect::MapKey) -> #res<#opt<::zpb::reflect::ValueRef<'a>>, #re> { #map_get }
            fn reflect_map_message(&self, field: &#fd, key: &::zpb::reflect::MapKey) -> #res<#opt<&#dynm>, #re> { #map_message }
            fn reflect_map_message_mut(&mut self, field: &#fd, key: &::zpb::reflect::MapKey) -> #res<&mut #dynm, #re> { #map_message_mut }
            fn reflect_map_insert(&mut self, field: &#fd, key: ::zpb::reflect::MapKey, value: ::zpb::reflect::Value) -> #res<(), #re> { #map_insert }
            fn reflect_map_remove(&mut self, field: &#fd, key: &::zpb::reflect::MapKey) -> #res<bool, #re> { #map_remove }
            fn reflect_unknown_fields(&self) -> &::zpb::UnknownFields {
                &self.#state.unknown_fields
            }
        }
    }
}

/// `impl zpb::__private::reflect::ReflectOneof` for a oneof enum.
pub fn oneof(model: &OneofModel) -> TokenStream {
    let ident = &model.ident;
    let members = super::descriptor::members(&model.members);
    let r = quote!(::zpb::__private::reflect);
    let mut elem = Vec::new();
    let mut message_mut = Vec::new();
    let mut set = Vec::new();
    for m in &model.members {
        let (n, variant, k) = (m.number.value, &m.variant, m.kind.codec());
        let (deref, deref_mut, wrap) = match m.boxed {
            true => (
                quote!(&**v),
                quote!(&mut **v),
                quote!(::std::boxed::Box::new),
            ),
            false => (quote!(v), quote!(v), quote!()),
        };
        elem.push(quote! {
            ::core::option::Option::Some(Self::#variant(v)) if number == #n =>
                ::core::option::Option::Some(<#k as #r::ReflectKind>::elem(#deref))
        });
        if m.kind.is_message() {
            message_mut.push(quote! {
                #n => {
                    if !::core::matches!(slot, ::core::option::Option::Some(Self::#variant(_))) {
                        *slot = ::core::option::Option::Some(Self::#variant(::core::default::Default::default()));
                    }
                    match slot {
                        ::core::option::Option::Some(Self::#variant(v)) => <#k as #r::ReflectKind>::message_mut(#deref_mut),
                        _ => ::core::option::Option::None,
                    }
                }
            });
        }
        set.push(quote! {
            #n => {
                *slot = ::core::option::Option::Some(Self::#variant(#wrap(<#k as #r::ReflectKind>::from_value(value, field)?)));
                ::core::result::Result::Ok(())
            }
        });
    }
    quote! {
        #[automatically_derived]
        #[allow(deprecated, unreachable_patterns, clippy::match_single_binding)]
        impl #r::ReflectOneof for #ident {
            const MEMBERS: &'static [#r::FieldTable] = #members;
            fn reflect_elem(slot: &::core::option::Option<Self>, number: u32) -> ::core::option::Option<#r::Elem<'_>> {
                match slot {
                    #(#elem,)*
                    _ => ::core::option::Option::None,
                }
            }
            fn reflect_message_mut(slot: &mut ::core::option::Option<Self>, number: u32) -> ::core::option::Option<&mut dyn ::zpb::reflect::ReflectMessage> {
                match number {
                    #(#message_mut,)*
                    _ => ::core::option::Option::None,
                }
            }
            fn reflect_set(slot: &mut ::core::option::Option<Self>, number: u32, value: ::zpb::reflect::Value, field: &::zpb::reflect::FieldDescriptor) -> ::core::result::Result<(), ::zpb::reflect::ReflectError> {
                match number {
                    #(#set,)*
                    _ => ::core::result::Result::Err(#r::wrong_shape(field)),
                }
            }
        }
    }
}

/// `impl zpb::reflect::ReflectEnum` (and where its descriptor comes from) for an enum.
pub fn enumeration(model: &EnumModel) -> TokenStream {
    let ident = &model.ident;
    let r = quote!(::zpb::__private::reflect);
    let described = super::descriptor::enumeration(model);
    quote! {
        #described

        #[automatically_derived]
        impl ::zpb::reflect::ReflectEnum for #ident {
            fn enum_descriptor() -> ::zpb::reflect::EnumDescriptor {
                #r::enum_descriptor(<Self as #r::Described>::origin())
            }
        }
    }
}
