//! Emits `zpb::Message`, `zpb::Reuse` and `Debug` for a message model: every field routed to
//! the generic functions of `zpb::__private::codec`.

use crate::internals::check;
use crate::internals::model::{Field, Holder, Kind, MessageModel, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;

/// Tokens for one field's part in each generated method.
struct FieldCode {
    /// Field numbers this field answers to (several for a oneof).
    numbers: Vec<u32>,
    merge: TokenStream,
    size: TokenStream,
    encode: TokenStream,
    initialized: Option<TokenStream>,
    missing: TokenStream,
    text: TokenStream,
}

fn field_code(model: &MessageModel, f: &Field) -> FieldCode {
    let state = &model.state;
    let ident = &f.ident;
    let span = f.span;
    let n = f.number;
    let name = &f.proto_name;
    let k = f.kind.codec();
    let unknown = quote!(self.#state.unknown_fields);
    let base = |merge, size, encode, text| FieldCode {
        numbers: vec![n],
        merge,
        size,
        encode,
        initialized: None,
        missing: quote!(),
        text,
    };
    match &f.shape {
        Shape::Singular { presence, holder } => {
            let required = *presence == crate::internals::model::Presence::Required;
            let mut code = if *holder == Holder::Plain {
                let merge = match f.kind.closed_enum_type() {
                    Some(e) => quote_spanned! {span=> {
                        let (field, unknown) = (&mut self.#ident, &mut #unknown);
                        ::zpb::__private::codec::merge_closed_enum::<#e>(tag, d, unknown, false, |v| *field = v)
                    }},
                    None => {
                        quote_spanned!(span=> ::zpb::__private::codec::merge_implicit::<#k>(&mut self.#ident, tag, d))
                    }
                };
                base(
                    merge,
                    quote_spanned!(span=> ::zpb::__private::codec::implicit_len::<#k>(#n, &self.#ident)),
                    quote_spanned!(span=> ::zpb::__private::codec::encode_implicit::<#k>(#n, &self.#ident, e);),
                    quote_spanned!(span=> ::zpb::__private::codec::text_implicit::<#k>(w, #name, &self.#ident)?;),
                )
            } else {
                let merge = match f.kind.closed_enum_type() {
                    Some(e) => quote_spanned! {span=> {
                        let (field, unknown) = (&mut self.#ident, &mut #unknown);
                        ::zpb::__private::codec::merge_closed_enum::<#e>(tag, d, unknown, false, |v| *field = ::core::option::Option::Some(v))
                    }},
                    None => {
                        quote_spanned!(span=> ::zpb::__private::codec::merge_optional::<#k, _>(&mut self.#ident, tag, d))
                    }
                };
                base(
                    merge,
                    quote_spanned!(span=> ::zpb::__private::codec::optional_len::<#k, _>(#n, &self.#ident)),
                    quote_spanned!(span=> ::zpb::__private::codec::encode_optional::<#k, _>(#n, &self.#ident, e);),
                    quote_spanned!(span=> ::zpb::__private::codec::text_optional::<#k, _>(w, #name, &self.#ident)?;),
                )
            };
            let mut missing = TokenStream::new();
            if required {
                missing.extend(quote_spanned! {span=>
                    ::zpb::__private::codec::require_present(::zpb::__private::codec::PresenceField::value(&self.#ident).is_some(), prefix, #name, out);
                });
            }
            if f.kind.is_message() {
                missing.extend(quote_spanned! {span=>
                    ::zpb::__private::codec::optional_collect_missing::<#k, _>(&self.#ident, prefix, #name, out);
                });
            }
            code.missing = missing;
            let mut checks = Vec::new();
            if required {
                checks.push(quote_spanned!(span=> ::zpb::__private::codec::PresenceField::value(&self.#ident).is_some()));
            }
            if f.kind.is_message() {
                checks.push(quote_spanned!(span=> ::zpb::__private::codec::optional_is_initialized::<#k, _>(&self.#ident)));
            }
            if !checks.is_empty() {
                code.initialized = Some(quote!(#(#checks)&&*));
            }
            code
        }
        Shape::Repeated { packed, .. } => {
            let merge = match (f.kind.closed_enum_type(), f.kind.is_packable()) {
                (Some(e), _) => quote_spanned! {span=> {
                    let (field, unknown) = (&mut self.#ident, &mut #unknown);
                    ::zpb::__private::codec::merge_closed_enum::<#e>(tag, d, unknown, true, |v| field.push(v))
                }},
                (None, true) => {
                    quote_spanned!(span=> ::zpb::__private::codec::merge_repeated_scalar::<#k>(&mut self.#ident, tag, d))
                }
                (None, false) => {
                    quote_spanned!(span=> ::zpb::__private::codec::merge_repeated::<#k, _>(&mut self.#ident, tag, d))
                }
            };
            let (size, encode) = if *packed {
                (
                    quote_spanned!(span=> ::zpb::__private::codec::packed_len::<#k>(#n, &self.#ident)),
                    quote_spanned!(span=> ::zpb::__private::codec::encode_packed::<#k>(#n, &self.#ident, e);),
                )
            } else {
                (
                    quote_spanned!(span=> ::zpb::__private::codec::repeated_len::<#k>(#n, &self.#ident)),
                    quote_spanned!(span=> ::zpb::__private::codec::encode_repeated::<#k>(#n, &self.#ident, e);),
                )
            };
            let mut code = base(
                merge,
                size,
                encode,
                quote_spanned!(span=> ::zpb::__private::codec::text_repeated::<#k>(w, #name, &self.#ident)?;),
            );
            if f.kind.is_message() {
                code.initialized = Some(
                    quote_spanned!(span=> ::zpb::__private::codec::repeated_is_initialized::<#k>(&self.#ident)),
                );
                code.missing = quote_spanned!(span=> ::zpb::__private::codec::repeated_collect_missing::<#k>(&self.#ident, prefix, #name, out););
            }
            code
        }
        Shape::Map { key, value, .. } => {
            let kk = key.codec();
            let vk = value.codec();
            let slot = model.spare_slot(f);
            let merge = match value.closed_enum_type() {
                Some(e) => {
                    quote_spanned!(span=> ::zpb::__private::codec::merge_map_closed_enum::<#kk, #e, _>(&mut self.#ident, &mut self.#state.unknown_fields, #slot, tag, d))
                }
                None => {
                    quote_spanned!(span=> ::zpb::__private::codec::merge_map::<#kk, #vk, _>(&mut self.#ident, &mut self.#state.unknown_fields, #slot, tag, d))
                }
            };
            let mut code = base(
                merge,
                quote_spanned!(span=> ::zpb::__private::codec::map_len::<#kk, #vk, _>(#n, &self.#ident)),
                quote_spanned!(span=> ::zpb::__private::codec::encode_map::<#kk, #vk, _>(#n, &self.#ident, e);),
                quote_spanned!(span=> ::zpb::__private::codec::text_map::<#kk, #vk, _>(w, #name, &self.#ident)?;),
            );
            if matches!(value, Kind::Message(_) | Kind::Group(_)) {
                code.initialized = Some(
                    quote_spanned!(span=> ::zpb::__private::codec::map_is_initialized::<#kk, #vk, _>(&self.#ident)),
                );
            }
            code
        }
        Shape::Oneof { numbers, .. } => FieldCode {
            numbers: numbers.clone(),
            merge: {
                let slot = model.spare_slot(f);
                quote_spanned!(span=> ::zpb::__private::codec::merge_oneof(&mut self.#ident, &mut self.#state.unknown_fields, #slot, tag, d))
            },
            size: quote_spanned!(span=> self.#ident.as_ref().map_or(0, ::zpb::Oneof::encoded_len)),
            encode: quote_spanned!(span=> if let ::core::option::Option::Some(v) = &self.#ident { ::zpb::Oneof::encode(v, e) }),
            initialized: Some(
                quote_spanned!(span=> self.#ident.as_ref().is_none_or(::zpb::Oneof::is_initialized)),
            ),
            missing: quote_spanned!(span=> if let ::core::option::Option::Some(v) = &self.#ident { ::zpb::Oneof::collect_missing(v, prefix, out) }),
            text: quote_spanned!(span=> if let ::core::option::Option::Some(v) = &self.#ident { ::zpb::Oneof::fmt_text(v, w)?; }),
        },
    }
}

/// Orders encoding by field number, as C++ does. A oneof whose numbers interleave with other
/// fields is written at the position of whichever member is set.
fn encode_order(fields: &[Field], codes: &[FieldCode]) -> Vec<TokenStream> {
    let mut items: Vec<(u32, TokenStream)> = Vec::new();
    let plain_numbers: Vec<u32> = fields
        .iter()
        .filter(|f| !matches!(f.shape, Shape::Oneof { .. }))
        .map(|f| f.number)
        .collect();
    for (f, code) in fields.iter().zip(codes) {
        match &f.shape {
            Shape::Oneof { numbers, .. } => {
                let (lo, hi) = (
                    *numbers.iter().min().unwrap(),
                    *numbers.iter().max().unwrap(),
                );
                if plain_numbers.iter().any(|n| (lo..=hi).contains(n)) {
                    let ident = &f.ident;
                    for &n in numbers {
                        let enc = &code.encode;
                        items.push((
                            n,
                            quote! {
                                if self.#ident.as_ref().map(::zpb::Oneof::field_number) == ::core::option::Option::Some(#n) { #enc }
                            },
                        ));
                    }
                } else {
                    items.push((lo, code.encode.clone()));
                }
            }
            _ => items.push((f.number, code.encode.clone())),
        }
    }
    items.sort_by_key(|(n, _)| *n);
    items.into_iter().map(|(_, t)| t).collect()
}

/// `zpb::Message`, `zpb::Reuse`, the inherent `clear()` and `Debug` (text format) for a
/// message.
pub fn emit(model: &MessageModel) -> TokenStream {
    let ident = &model.ident;
    let full_name = &model.full_name;
    let state = &model.state;
    let codes: Vec<FieldCode> = model.fields.iter().map(|f| field_code(model, f)).collect();

    let merge_arms = codes.iter().map(|c| {
        let numbers = &c.numbers;
        let merge = &c.merge;
        quote!(#(#numbers)|* => #merge,)
    });
    let sizes = codes.iter().map(|c| &c.size);
    let encodes = encode_order(&model.fields, &codes);
    let inits: Vec<_> = codes
        .iter()
        .filter_map(|c| c.initialized.as_ref())
        .collect();
    let missing = codes.iter().map(|c| &c.missing);
    let mut text_order: Vec<(&Field, &FieldCode)> = model.fields.iter().zip(&codes).collect();
    text_order.sort_by_key(|(f, _)| f.number);
    let texts = text_order.iter().map(|(_, c)| &c.text);
    let field_idents: Vec<_> = model.fields.iter().map(|f| &f.ident).collect();
    // Oneofs and maps keep their storage in the state's spares; every other field clears
    // itself.
    let clears = model.fields.iter().map(|f| {
        let ident = &f.ident;
        match f.shape {
            Shape::Oneof { .. } => {
                let slot = model.spare_slot(f);
                quote!(::zpb::__private::codec::clear_oneof(&mut self.#ident, &mut self.#state.unknown_fields, #slot);)
            }
            Shape::Map { .. } => {
                let slot = model.spare_slot(f);
                quote!(::zpb::__private::codec::clear_map(&mut self.#ident, &mut self.#state.unknown_fields, #slot);)
            }
            _ => quote!(::zpb::Reuse::clear(&mut self.#ident);),
        }
    });
    let clone = if model.clone {
        clone_impl(model, &field_idents)
    } else {
        TokenStream::new()
    };
    let is_initialized = if inits.is_empty() {
        quote!(true)
    } else {
        quote!(#(#inits)&&*)
    };

    let merge_from = super::merge::message(model);
    let json = super::json::message(model);
    let text_parse = super::text_parse::message(model);
    let reflect = super::reflect::message(model);
    quote! {
        #json
        #text_parse
        #reflect
        // serde impls through ProtoJSON, if zpb is built with its `serde` feature.
        ::zpb::__serde!(#ident);

        #[automatically_derived]
        #[allow(deprecated, clippy::all)]
        impl ::zpb::Message for #ident {
            const NAME: &'static str = #full_name;

            #merge_from

            fn merge_fields(&mut self, d: &mut ::zpb::__private::wire::Decoder<'_>, end_group: u32) -> ::core::result::Result<(), ::zpb::DecodeError> {
                loop {
                    let tag = match d.read_tag()? {
                        ::core::option::Option::Some(tag) => tag,
                        ::core::option::Option::None => return d.end_of_message(end_group),
                    };
                    let handled = match tag.field_number() {
                        #(#merge_arms)*
                        _ => ::core::result::Result::Ok::<bool, ::zpb::DecodeError>(false),
                    }
                    .map_err(|e| e.in_field(#full_name, tag.field_number()))?;
                    if !handled {
                        // The end of a group, without a call.
                        if tag.ends_group(end_group) {
                            return ::core::result::Result::Ok(());
                        }
                        if self.#state.unknown_fields.read_field(d, tag, end_group)? {
                            return ::core::result::Result::Ok(());
                        }
                    }
                }
            }

            fn compute_size(&self) -> usize {
                let size = 0usize #(+ #sizes)* + self.#state.unknown_fields.encoded_len();
                self.#state.cached_size.set(size);
                size
            }

            #[inline]
            fn cached_size(&self) -> usize {
                self.#state.cached_size.get()
            }

            #[inline]
            fn cache_size(&self, size: usize) {
                self.#state.cached_size.set(size)
            }

            fn encode_fields(&self, e: &mut ::zpb::__private::wire::Encoder<'_>) {
                #(#encodes)*
                self.#state.unknown_fields.encode(e);
            }

            fn collect_missing_fields(&self, prefix: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                let _ = (&prefix, &out);
                #(#missing)*
            }

            fn fmt_text(&self, w: &mut ::zpb::__private::text::TextWriter<'_, '_>) -> ::core::fmt::Result {
                #(#texts)*
                w.unknown_fields_of(#full_name, &self.#state.unknown_fields)
            }

            #[inline]
            fn is_initialized(&self) -> bool {
                #is_initialized
            }

            fn unknown_fields(&self) -> &::zpb::UnknownFields {
                &self.#state.unknown_fields
            }

            fn mutable_unknown_fields(&mut self) -> &mut ::zpb::UnknownFields {
                &mut self.#state.unknown_fields
            }

            fn default_instance() -> &'static Self {
                static INSTANCE: ::std::sync::OnceLock<#ident> = ::std::sync::OnceLock::new();
                INSTANCE.get_or_init(::core::default::Default::default)
            }
        }

        #[automatically_derived]
        #[allow(deprecated)]
        impl ::zpb::Reuse for #ident {
            fn clear(&mut self) {
                #(#clears)*
                ::zpb::Reuse::clear(&mut self.#state);
            }

            fn space_used(&self) -> usize {
                0usize #(+ ::zpb::Reuse::space_used(&self.#field_idents))* + ::zpb::Reuse::space_used(&self.#state)
            }

            fn trim(&mut self, budget: &mut usize) {
                #(::zpb::Reuse::trim(&mut self.#field_idents, budget);)*
                ::zpb::Reuse::trim(&mut self.#state, budget);
            }

            fn space_needed(&self) -> usize {
                0usize #(+ ::zpb::Reuse::space_needed(&self.#field_idents))* + ::zpb::Reuse::space_needed(&self.#state)
            }
        }

        #[automatically_derived]
        impl #ident {
            /// Empties the message, keeping its memory for the next parse (C++ `Clear()`;
            /// the same as [`zpb::Reuse::clear`], callable without importing the trait).
            #[inline]
            pub fn clear(&mut self) {
                ::zpb::Reuse::clear(self)
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #ident {
            /// Text format: one line with `{:?}`, one field per line with `{:#?}`.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::zpb::Message::fmt_text(self, &mut ::zpb::__private::text::TextWriter::new(f))
            }
        }

        #clone
    }
}

/// `Clone` for a message with `#[zpb(clone)]`: `clone()` clones each field; `clone_from()`
/// is `zpb::Message::copy_from`, which clears the target keeping its
/// storage and merges the source in field by field through the containers, so cloning into
/// a message of the same shape allocates nothing.
fn clone_impl(model: &MessageModel, field_idents: &[&Ident]) -> TokenStream {
    let (ident, state) = (&model.ident, &model.state);
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl ::core::clone::Clone for #ident {
            fn clone(&self) -> Self {
                #ident {
                    #(#field_idents: ::core::clone::Clone::clone(&self.#field_idents),)*
                    #state: ::core::clone::Clone::clone(&self.#state),
                }
            }

            /// Copies `source` into `self`'s kept storage (C++ `CopyFrom`): no allocation
            /// when `self` held content of the same shape before.
            fn clone_from(&mut self, source: &Self) {
                ::zpb::Message::copy_from(self, source)
            }
        }
    }
}

/// The numbers of each oneof field's `oneof = "..."` list, as hidden constants on the message
/// for [`check::oneof_numbers_match`]. Emitted even when the derive reports errors, so that a
/// oneof naming this message does not add an error of its own.
pub fn oneof_numbers(model: &MessageModel) -> TokenStream {
    let ident = &model.ident;
    let consts: Vec<TokenStream> = model
        .fields
        .iter()
        .filter_map(|f| match &f.shape {
            Shape::Oneof { numbers, .. } => {
                let name = check::oneof_numbers_const(&f.ident);
                Some(quote! {
                    #[doc(hidden)]
                    #[allow(non_upper_case_globals)]
                    pub const #name: &'static [u32] = &[#(#numbers),*];
                })
            }
            _ => None,
        })
        .collect();
    if consts.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}
