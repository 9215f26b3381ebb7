//! Emits `zpb::Oneof` and `zpb::Reuse` for a oneof enum. (Its member accessors on the
//! message are [`accessors::member`](crate::emit::accessors::member).)

use crate::internals::model::{Member, OneofModel};
use proc_macro2::TokenStream;
use quote::quote;

/// `zpb::Oneof` and `zpb::Reuse` for a oneof enum.
pub fn emit(model: &OneofModel) -> TokenStream {
    let ident = &model.ident;
    let members = &model.members;
    let merge_arms = members.iter().map(|m| {
        let (n, variant, k) = (m.number.value, &m.variant, m.kind.codec());
        if let Some(e) = m.kind.closed_enum_type() {
            return quote!(#n => ::zpb::__private::codec::merge_closed_enum::<#e>(tag, d, unknown, false, |v| *slot = ::core::option::Option::Some(Self::#variant(v))),);
        }
        let ty = &m.ty;
        let (deref, local) = if m.boxed {
            (quote!(&mut **v), quote!(&mut *v))
        } else {
            (quote!(v), quote!(&mut v))
        };
        quote! {
            #n => {
                if tag.wire_type() != <#k as ::zpb::__private::codec::Kind>::WIRE_TYPE {
                    return ::core::result::Result::Ok(false);
                }
                if let ::core::option::Option::Some(Self::#variant(v)) = slot {
                    <#k as ::zpb::__private::codec::Kind>::merge(#deref, d, #n)?;
                } else {
                    let mut v: #ty = ::core::default::Default::default();
                    <#k as ::zpb::__private::codec::Kind>::merge(#local, d, #n)?;
                    *slot = ::core::option::Option::Some(Self::#variant(v));
                }
                ::core::result::Result::Ok(true)
            }
        }
    });
    let each = |f: &dyn Fn(&Member, TokenStream, TokenStream) -> TokenStream| -> Vec<TokenStream> {
        members
            .iter()
            .map(|m| {
                let variant = &m.variant;
                let deref = if m.boxed { quote!(&**v) } else { quote!(v) };
                let body = f(m, m.kind.codec(), deref);
                quote!(Self::#variant(v) => #body,)
            })
            .collect()
    };
    let len_arms = each(&|m, k, v| {
        let n = m.number.value;
        quote!(::zpb::__private::wire::tag_len(#n) + <#k as ::zpb::__private::codec::Kind>::encoded_len(#v, #n))
    });
    let encode_arms = each(&|m, k, v| {
        let n = m.number.value;
        quote!({ e.put_tag(#n, <#k as ::zpb::__private::codec::Kind>::WIRE_TYPE); <#k as ::zpb::__private::codec::Kind>::encode(#v, #n, e) })
    });
    let number_arms = each(&|m, _, _| {
        let n = m.number.value;
        quote!(#n)
    });
    let init_arms =
        each(&|_, k, v| quote!(<#k as ::zpb::__private::codec::Kind>::is_initialized(#v)));
    let missing_arms = each(&|m, k, v| {
        let prefix = format!("{}.", m.name);
        quote!(<#k as ::zpb::__private::codec::Kind>::collect_missing(#v, &::std::format!("{}{}", prefix, #prefix), out))
    });
    let text_arms = each(&|m, k, v| {
        let name = &m.name;
        quote!(w.field(#name, |w| <#k as ::zpb::__private::codec::Kind>::fmt_text(#v, w)))
    });
    let clear_arms = each(&|_, _, _| quote!(::zpb::Reuse::clear(v)));
    let space_arms = each(&|_, _, _| quote!(::zpb::Reuse::space_used(v)));
    let trim_arms = each(&|_, _, _| quote!(::zpb::Reuse::trim(v, budget)));
    let needed_arms = each(&|_, _, _| quote!(::zpb::Reuse::space_needed(v)));

    let merge_from = super::merge::oneof(members);
    let json = super::json::oneof(model);
    let text_parse = super::text_parse::oneof(model);

    quote! {
        #json
        #text_parse

        #[automatically_derived]
        #[allow(deprecated, clippy::all)]
        impl ::zpb::Oneof for #ident {
            fn merge(
                slot: &mut ::core::option::Option<Self>,
                tag: ::zpb::__private::wire::Tag,
                d: &mut ::zpb::__private::wire::Decoder<'_>,
                unknown: &mut ::zpb::UnknownFields,
            ) -> ::core::result::Result<bool, ::zpb::DecodeError> {
                let _ = &unknown;
                match tag.field_number() {
                    #(#merge_arms)*
                    _ => ::core::result::Result::Ok(false),
                }
            }
            #merge_from
            fn encoded_len(&self) -> usize {
                match self { #(#len_arms)* }
            }
            fn encode(&self, e: &mut ::zpb::__private::wire::Encoder<'_>) {
                match self { #(#encode_arms)* }
            }
            fn field_number(&self) -> u32 {
                match self { #(#number_arms)* }
            }
            fn is_initialized(&self) -> bool {
                match self { #(#init_arms)* }
            }
            fn collect_missing(&self, prefix: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                let _ = (&prefix, &out);
                match self { #(#missing_arms)* }
            }
            fn fmt_text(&self, w: &mut ::zpb::__private::text::TextWriter<'_, '_>) -> ::core::fmt::Result {
                match self { #(#text_arms)* }
            }
        }

        #[automatically_derived]
        impl ::zpb::Reuse for #ident {
            fn clear(&mut self) {
                match self { #(#clear_arms)* }
            }
            fn space_used(&self) -> usize {
                match self { #(#space_arms)* }
            }
            fn trim(&mut self, budget: &mut usize) {
                match self { #(#trim_arms)* }
            }
            fn space_needed(&self) -> usize {
                match self { #(#needed_arms)* }
            }
        }

    }
}
