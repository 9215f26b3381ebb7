//! Emits the field-by-field merge (C++ `MergeFrom`): `Message::merge_fields_from` for a
//! message and `Oneof::merge_from` for a oneof enum, each field routed to the `merge_*_from`
//! function of `zpb::__private::codec` for its shape.

use crate::internals::model::{Field, Holder, Member, MessageModel, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

/// The statement that merges one field of `other` into `self`.
fn field_merge(model: &MessageModel, f: &Field) -> TokenStream {
    let (ident, span) = (&f.ident, f.span);
    let k = f.kind.codec();
    match &f.shape {
        Shape::Singular {
            holder: Holder::Plain,
            ..
        } => {
            quote_spanned!(span=> ::zpb::__private::codec::merge_implicit_from::<#k>(&mut self.#ident, &other.#ident);)
        }
        Shape::Singular { .. } => {
            quote_spanned!(span=> ::zpb::__private::codec::merge_optional_from::<#k, _>(&mut self.#ident, &other.#ident);)
        }
        Shape::Repeated { .. } => {
            quote_spanned!(span=> ::zpb::__private::codec::merge_repeated_from::<#k, _>(&mut self.#ident, &other.#ident);)
        }
        Shape::Map { key, value } => {
            let (kk, vk) = (key.codec(), value.codec());
            let (state, slot) = (&model.state, model.spare_slot(f));
            quote_spanned!(span=> ::zpb::__private::codec::merge_map_from::<#kk, #vk, _>(&mut self.#ident, &mut self.#state.unknown_fields, #slot, &other.#ident);)
        }
        Shape::Oneof { .. } => {
            let (state, slot) = (&model.state, model.spare_slot(f));
            quote_spanned!(span=> ::zpb::__private::codec::merge_oneof_from(&mut self.#ident, &mut self.#state.unknown_fields, #slot, &other.#ident);)
        }
    }
}

/// `fn merge_fields_from` of a message's `zpb::Message` impl.
pub fn message(model: &MessageModel) -> TokenStream {
    let state = &model.state;
    let merges = model.fields.iter().map(|f| field_merge(model, f));
    quote! {
        fn merge_fields_from(&mut self, other: &Self) {
            #(#merges)*
            self.#state.unknown_fields.merge_from(&other.#state.unknown_fields);
        }
    }
}

/// `fn merge_from` of a oneof enum's `zpb::Oneof` impl: the same member merges its value
/// (which overwrites for everything but messages), another member replaces the one set.
pub fn oneof(members: &[Member]) -> TokenStream {
    let arms = members.iter().map(|m| {
        let (variant, ty, k) = (&m.variant, &m.ty, m.kind.codec());
        let (target, fresh, source) = if m.boxed {
            (quote!(&mut **v), quote!(&mut *v), quote!(&**o))
        } else {
            (quote!(v), quote!(&mut v), quote!(o))
        };
        quote! {
            Self::#variant(o) => {
                if let ::core::option::Option::Some(Self::#variant(v)) = slot {
                    <#k as ::zpb::__private::codec::Kind>::merge_value(#target, #source);
                } else {
                    let mut v: #ty = ::core::default::Default::default();
                    <#k as ::zpb::__private::codec::Kind>::merge_value(#fresh, #source);
                    *slot = ::core::option::Option::Some(Self::#variant(v));
                }
            }
        }
    });
    quote! {
        fn merge_from(slot: &mut ::core::option::Option<Self>, other: &Self) {
            match other {
                #(#arms)*
            }
        }
    }
}
