//! Emits `zpb::format::text::TextMessage` for a message and `TextOneof` for a oneof enum:
//! every field routed to the generic functions of `zpb::__private::text_parse` by its
//! container, keyed by its proto name (a group also by its type name).
//!
//! The parser recurses through `merge_text_field` once per nesting level, so its frame is
//! kept small even unoptimized: every arm is one call whose `Result` goes straight into the
//! match's value, checked by one `?` (a `?` per arm costs each arm its own temporaries, tens
//! of kilobytes per level for a message of a hundred fields).

use super::lookup::key_lookup;
use crate::internals::model::{Field, Holder, Kind, MessageModel, OneofModel, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

/// The names that select a field, with the code the key lookup gives for them, and the
/// `match` arm on that code that reads it.
type NameArm = (Vec<(String, u32)>, TokenStream);

/// The match arm reading one field (`code`: its code in the key lookup), or for a oneof
/// (whose member names the oneof's own lookup knows) the check tried for names no field
/// matches.
fn field_code(model: &MessageModel, f: &Field, code: u32) -> (Option<NameArm>, TokenStream) {
    let ident = &f.ident;
    let span = f.span;
    let name = &f.proto_name;
    let k = f.kind.codec();
    let tp = quote!(::zpb::__private::text_parse);
    let read = match &f.shape {
        Shape::Singular { holder, .. } if *holder == Holder::Plain => {
            quote_spanned!(span=> #tp::merge_implicit::<#k>(&mut self.#ident, p))
        }
        Shape::Singular { .. } => {
            quote_spanned!(span=> #tp::merge_optional::<#k, _>(&mut self.#ident, p))
        }
        Shape::Repeated { .. } => {
            quote_spanned!(span=> #tp::merge_repeated::<#k, _>(&mut self.#ident, p))
        }
        Shape::Map { key, value } => {
            let (kk, vk) = (key.codec(), value.codec());
            // Entries are read into pairs kept by `clear()` in the state's spares.
            let (state, slot) = (&model.state, model.spare_slot(f));
            quote_spanned!(span=> #tp::merge_map::<#kk, #vk, _>(&mut self.#ident, &mut self.#state.unknown_fields, #slot, p))
        }
        Shape::Oneof { ty, .. } => {
            // The member kept across `clear()` (in the state's spares) is put back when the
            // same member is read again, so a reused message parses into its storage.
            // `Ok(false)`: no member of this oneof; anything else is the answer.
            let (state, slot) = (&model.state, model.spare_slot(f));
            let fallback = quote_spanned! {span=>
                match ::zpb::__private::codec::merge_oneof_with(
                    &mut self.#ident,
                    &mut self.#state.unknown_fields,
                    #slot,
                    <#ty as #tp::TextOneof>::member_number(name),
                    |slot| <#ty as #tp::TextOneof>::merge_text_member(slot, name, p),
                ) {
                    ::core::result::Result::Ok(false) => {}
                    done => return done,
                }
            };
            return (None, fallback);
        }
    };
    // A group's field is named by its type name (the proto name here) and, as protoc names
    // the field, by its lowercase form.
    let mut names = vec![(name.clone(), code)];
    if let Kind::Group(_) = &f.kind {
        names.push((name.to_ascii_lowercase(), code));
    }
    (Some((names, quote!(#code => #read,))), TokenStream::new())
}

/// `zpb::format::text::TextMessage` for a message.
pub fn message(model: &MessageModel) -> TokenStream {
    let ident = &model.ident;
    let state = &model.state;
    let mut names = Vec::new();
    let mut arms = Vec::new();
    let mut fallbacks = Vec::new();
    for (index, f) in model.fields.iter().enumerate() {
        let (arm, fallback) = field_code(model, f, index as u32);
        if let Some((keys, arm)) = arm {
            names.extend(keys);
            arms.push(arm);
        }
        fallbacks.push(fallback);
    }
    // Reserved names, after the fields', all have the code after the fields' codes.
    let reserved_code = model.fields.len() as u32;
    let reserved = &model.reserved_names;
    names.extend(reserved.iter().map(|name| (name.clone(), reserved_code)));
    let reserved_arm = (!reserved.is_empty()).then(|| quote!(#reserved_code => p.skip_field(),));
    let lookup = key_lookup(&names);
    let any = if model.full_name == "google.protobuf.Any"
        && super::json::has_special_form(&model.full_name)
    {
        quote! {
            fn merge_text_any(&mut self, type_url: &str, p: &mut ::zpb::format::text::TextParser<'_, '_>) -> ::core::result::Result<bool, ::zpb::format::text::TextError> {
                <Self as ::zpb::__private::text_parse::AnyText>::merge_expanded(self, type_url, p)
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #[automatically_derived]
        #[allow(deprecated, clippy::all, unreachable_patterns, unreachable_code)]
        impl ::zpb::format::text::TextMessage for #ident {
            fn merge_text_field(&mut self, name: &str, p: &mut ::zpb::format::text::TextParser<'_, '_>) -> ::core::result::Result<bool, ::zpb::format::text::TextError> {
                let _ = &p;
                let code: u32 = {
                    let key: &[u8] = name.as_bytes();
                    #lookup
                };
                let read: ::core::result::Result<(), ::zpb::format::text::TextError> = match code {
                    #(#arms)*
                    #reserved_arm
                    _ => {
                        #(#fallbacks)*
                        return ::core::result::Result::Ok(false);
                    }
                };
                read.map(|()| true)
            }
            #any
            fn merge_text_extension(&mut self, name: &str, p: &mut ::zpb::format::text::TextParser<'_, '_>) -> ::core::result::Result<bool, ::zpb::format::text::TextError> {
                p.merge_extension(<Self as ::zpb::Message>::NAME, name, &mut self.#state.unknown_fields)
            }
        }
    }
}

/// `TextOneof` for a oneof enum: each member read by `merge_member`, given how to reach the
/// member's value in the enum and how to wrap a new one.
pub fn oneof(model: &OneofModel) -> TokenStream {
    let ident = &model.ident;
    let tp = quote!(::zpb::__private::text_parse);
    let numbers = model.members.iter().map(|m| {
        let (name, number) = (&m.name, m.number.value);
        quote!(#name => #number,)
    });
    let arms = model.members.iter().map(|m| {
        let (variant, k, name) = (&m.variant, m.kind.codec(), &m.name);
        let (deref, wrap) = if m.boxed {
            (quote!(&mut **v), quote!(::std::boxed::Box::new(v)))
        } else {
            (quote!(v), quote!(v))
        };
        quote! {
            #name => #tp::merge_member::<#k, _>(
                slot,
                p,
                |o| match o {
                    Self::#variant(v) => ::core::option::Option::Some(#deref),
                    _ => ::core::option::Option::None,
                },
                |v| Self::#variant(#wrap),
            ),
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(deprecated, clippy::all, unreachable_patterns, unreachable_code)]
        impl #tp::TextOneof for #ident {
            fn member_number(name: &str) -> u32 {
                match name {
                    #(#numbers)*
                    _ => 0,
                }
            }
            fn merge_text_member(
                slot: &mut ::core::option::Option<Self>,
                name: &str,
                p: &mut ::zpb::format::text::TextParser<'_, '_>,
            ) -> ::core::result::Result<bool, ::zpb::format::text::TextError> {
                let read: ::core::result::Result<(), ::zpb::format::text::TextError> = match name {
                    #(#arms)*
                    _ => return ::core::result::Result::Ok(false),
                };
                read.map(|()| true)
            }
        }
    }
}
