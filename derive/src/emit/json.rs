//! Emits `zpb::format::JsonMessage` for a message and `JsonOneof` for a oneof enum: every
//! field routed to the generic functions of `zpb::__private::json` by its container, keyed
//! by its JSON name and its proto name.
//!
//! The parser recurses through `merge_json_members` once per nesting level, so its frame is
//! kept small even unoptimized: every field's arm is one call whose `Result` goes straight
//! into the match's value, checked by one `?` (as in `text_parse`).

use super::lookup::{key_lookup, NO_MATCH};
use crate::internals::model::{Field, Holder, MessageModel, OneofModel, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

/// Whether `full_name` gets its well-known special form: the types of that name that the
/// `zpb` crate itself defines (`zpb::well_known`, which generated code uses for
/// `google.protobuf.*`) implement `WellKnownJson`; another crate's copy of them (built with
/// `compile_well_known_types`) maps as an ordinary message.
pub fn has_special_form(full_name: &str) -> bool {
    zpb_naming::JSON_SPECIAL_FORMS.contains(&full_name)
        && std::env::var("CARGO_CRATE_NAME").is_ok_and(|krate| krate == "zpb")
}

/// A field's `zpb::__private::json::FieldKey`: the complete keys `"fooBar":` and
/// `"foo_bar":` when neither name needs escaping, else the bare names.
fn field_key(json: &str, proto: &str) -> TokenStream {
    let key = quote!(::zpb::__private::json::FieldKey);
    match (
        zpb_naming::json_quoted_key(json),
        zpb_naming::json_quoted_key(proto),
    ) {
        (Some(json), Some(proto)) => quote!(#key { json: #json, proto: #proto, quoted: true }),
        _ => quote!(#key { json: #json, proto: #proto, quoted: false }),
    }
}

/// The keys and `match` arm that read a field: its JSON and proto names with the code the
/// key lookup gives for them.
type KeyArm = (Vec<(String, u32)>, TokenStream);

/// Printing and parsing code for one field (`index`: its bit in the seen-keys set, and its
/// code in the key lookup): how it is written, the arm that reads it, or (a oneof, whose
/// member names the oneof's own lookup knows) the code tried for keys no field matches.
fn field_code(
    model: &MessageModel,
    f: &Field,
    index: usize,
) -> (TokenStream, Option<KeyArm>, TokenStream) {
    let ident = &f.ident;
    let span = f.span;
    let json = f.effective_json_name();
    let proto = &f.field_name();
    let json_key = field_key(&json, proto);
    let k = f.kind.codec();
    let json_fns = quote!(::zpb::__private::json);
    let (write, merge) = match &f.shape {
        Shape::Singular { holder, .. } if *holder == Holder::Plain => (
            quote_spanned!(span=> #json_fns::implicit::<#k>(p, #json_key, &self.#ident)?;),
            quote_spanned!(span=> #json_fns::merge_implicit::<#k>(&mut self.#ident, p)),
        ),
        Shape::Singular { .. } => (
            quote_spanned!(span=> #json_fns::optional::<#k, _>(p, #json_key, &self.#ident)?;),
            quote_spanned!(span=> #json_fns::merge_optional::<#k, _>(&mut self.#ident, p)),
        ),
        Shape::Repeated { .. } => (
            quote_spanned!(span=> #json_fns::repeated::<#k, _>(p, #json_key, &self.#ident)?;),
            quote_spanned!(span=> #json_fns::merge_repeated::<#k, _>(&mut self.#ident, p)),
        ),
        Shape::Map { key, value } => {
            let (kk, vk) = (key.codec(), value.codec());
            (
                quote_spanned!(span=> #json_fns::map::<#kk, #vk, _>(p, #json_key, &self.#ident)?;),
                {
                    // Entries are read into pairs kept by `clear()` in the state's spares.
                    let (state, slot) = (&model.state, model.spare_slot(f));
                    quote_spanned!(span=> #json_fns::merge_map::<#kk, #vk, _>(&mut self.#ident, &mut self.#state.unknown_fields, #slot, p))
                },
            )
        }
        Shape::Oneof { ty, .. } => {
            let write = quote_spanned! {span=>
                if let ::core::option::Option::Some(v) = &self.#ident {
                    #json_fns::JsonOneof::write_json(v, p)?;
                }
            };
            // The member kept across `clear()` (in the state's spares) is put back when the
            // same member is read again, so a reused message parses into its storage.
            let (state, slot) = (&model.state, model.spare_slot(f));
            let fallback = quote_spanned! {span=>
                if let ::core::option::Option::Some(member) = <#ty as #json_fns::JsonOneof>::json_member(key) {
                    let number = <#ty as #json_fns::JsonOneof>::member_number(member);
                    if ::zpb::__private::codec::merge_oneof_with(
                        &mut self.#ident,
                        &mut self.#state.unknown_fields,
                        #slot,
                        number,
                        |slot| <#ty as #json_fns::JsonOneof>::merge_json_member(slot, member, p),
                    )? {
                        #json_fns::mark_oneof(p, &mut seen, #index, at)?;
                    }
                    continue;
                }
            };
            return (write, None, fallback);
        }
    };
    let code = index as u32;
    // A key seen before (under either name) is a duplicate.
    let arm = quote! {
        #code => if #json_fns::first_sight(&mut seen, #index) {
            #merge
        } else {
            p.duplicate_key(at)
        },
    };
    let names = vec![(json, code), (proto.clone(), code)];
    (write, Some((names, arm)), TokenStream::new())
}

/// `zpb::format::JsonMessage` for a message.
pub fn message(model: &MessageModel) -> TokenStream {
    let ident = &model.ident;
    let state = &model.state;
    let mut order: Vec<(usize, &Field)> = model.fields.iter().enumerate().collect();
    order.sort_by_key(|(_, f)| f.number);
    let mut writes = Vec::new();
    let mut names = Vec::new();
    let mut arms = Vec::new();
    let mut fallbacks = Vec::new();
    for (index, f) in order {
        let (write, arm, fallback) = field_code(model, f, index);
        writes.push(write);
        if let Some((keys, arm)) = arm {
            names.extend(keys);
            arms.push(arm);
        }
        fallbacks.push(fallback);
    }
    let lookup = key_lookup(&names);
    let words = model.fields.len().div_ceil(64).max(1);
    let special = if has_special_form(&model.full_name) {
        let wk = quote!(::zpb::format::mapping::WellKnownJson);
        quote! {
            const JSON_NULL: bool = <Self as #wk>::JSON_NULL;
            const SPECIAL_FORM: bool = true;
            fn write_json(&self, p: &mut ::zpb::format::JsonPrinter<'_, '_>) -> ::core::result::Result<(), ::zpb::format::json::JsonError> {
                <Self as #wk>::write_special(self, p)
            }
            fn merge_json(&mut self, p: &mut ::zpb::format::JsonParser<'_, '_>) -> ::core::result::Result<(), ::zpb::format::json::JsonError> {
                <Self as #wk>::merge_special(self, p)
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #[automatically_derived]
        #[allow(deprecated, clippy::all, unreachable_patterns, unreachable_code)]
        impl ::zpb::format::JsonMessage for #ident {
            #special

            fn write_json_members(&self, p: &mut ::zpb::format::JsonPrinter<'_, '_>) -> ::core::result::Result<(), ::zpb::format::json::JsonError> {
                #(#writes)*
                p.write_extensions(<Self as ::zpb::Message>::NAME, &self.#state.unknown_fields)
            }

            fn merge_json_members(&mut self, p: &mut ::zpb::format::JsonParser<'_, '_>, in_any: bool) -> ::core::result::Result<(), ::zpb::format::json::JsonError> {
                let mut seen = [0u64; #words];
                let mut key_buf = ::zpb::format::KeyBuf::new();
                // Keys are compared as bytes; only one that names no field is checked as text.
                while let ::core::option::Option::Some(key) = p.reader().next_key_bytes(&mut key_buf)? {
                    let at = p.reader().value_offset();
                    let code: u32 = {
                        let key: &[u8] = key;
                        #lookup
                    };
                    let read: ::core::result::Result<(), ::zpb::format::json::JsonError> = match code {
                        #(#arms)*
                        _ => {
                            let key = p.reader().key_text(key)?;
                            if in_any && key == "@type" {
                                p.reader().skip_value()?;
                                continue;
                            }
                            #(#fallbacks)*
                            if !p.merge_extension(<Self as ::zpb::Message>::NAME, key, &mut self.#state.unknown_fields)? {
                                p.unknown_key(key, at)?;
                            }
                            continue;
                        }
                    };
                    read?;
                }
                let _ = &mut seen;
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// `JsonOneof` for a oneof enum.
pub fn oneof(model: &OneofModel) -> TokenStream {
    let ident = &model.ident;
    let json_fns = quote!(::zpb::__private::json);
    let mut names = Vec::new();
    let mut number_arms = Vec::new();
    let mut merge_arms = Vec::new();
    let mut write_arms = Vec::new();
    for (index, m) in model.members.iter().enumerate() {
        let (variant, k) = (&m.variant, m.kind.codec());
        let proto = &m.name;
        let json = zpb_naming::default_json_name(proto);
        let json_key = field_key(&json, proto);
        names.push((json, index as u32));
        names.push((proto.clone(), index as u32));
        let number = m.number.value;
        number_arms.push(quote!(#index => #number,));
        let (deref_mut, deref, wrap) = if m.boxed {
            (
                quote!(&mut **v),
                quote!(&**v),
                quote!(::std::boxed::Box::new(v)),
            )
        } else {
            (quote!(v), quote!(v), quote!(v))
        };
        merge_arms.push(quote! {
            #index => #json_fns::merge_member::<#k, _>(
                slot,
                p,
                |o| match o {
                    Self::#variant(v) => ::core::option::Option::Some(#deref_mut),
                    _ => ::core::option::Option::None,
                },
                |v| Self::#variant(#wrap),
            ),
        });
        write_arms.push(quote! {
            Self::#variant(v) => {
                p.key(#json_key);
                <#k as #json_fns::JsonType>::write(#deref, p)
            }
        });
    }
    let lookup = key_lookup(&names);
    quote! {
        #[automatically_derived]
        #[allow(deprecated, clippy::all, unreachable_patterns)]
        impl #json_fns::JsonOneof for #ident {
            fn json_member(key: &str) -> ::core::option::Option<usize> {
                let key: &[u8] = key.as_bytes();
                match #lookup {
                    #NO_MATCH => ::core::option::Option::None,
                    member => ::core::option::Option::Some(member as usize),
                }
            }
            fn member_number(member: usize) -> u32 {
                match member {
                    #(#number_arms)*
                    _ => 0,
                }
            }
            fn merge_json_member(
                slot: &mut ::core::option::Option<Self>,
                member: usize,
                p: &mut ::zpb::format::JsonParser<'_, '_>,
            ) -> ::core::result::Result<bool, ::zpb::format::json::JsonError> {
                match member {
                    #(#merge_arms)*
                    _ => ::core::result::Result::Ok(false),
                }
            }
            fn write_json(&self, p: &mut ::zpb::format::JsonPrinter<'_, '_>) -> ::core::result::Result<(), ::zpb::format::json::JsonError> {
                match self {
                    #(#write_arms)*
                }
            }
        }
    }
}
