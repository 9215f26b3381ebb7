//! Emits the C++-named accessors (`x()`, `set_x()`, `has_x()`, `mutable_x()`, `clear_x()`,
//! `take_x()`, `x_size()`, `add_x()`, `x_at()`, ...) as an inherent `impl` of the message.

use crate::ast::{Errors, Field, Holder, Kind, MessageModel, Presence, Shape};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use std::collections::HashMap;
use syn::{Ident, Lit};

/// Who takes an accessor name: a field or a oneof member. Says how to fix a clash.
pub enum Owner<'a> {
    /// A field: its Rust name and proto name.
    Field { rust: &'a str, proto: &'a str },
    /// A oneof member: its proto name.
    Member { proto: &'a str },
}

impl Owner<'_> {
    fn describe(&self) -> String {
        match self {
            Owner::Field { rust, .. } => format!("field `{rust}`"),
            Owner::Member { proto } => format!("oneof member `{proto}`"),
        }
    }

    fn fix(&self, reserved: bool) -> String {
        match self {
            Owner::Field { proto, .. } if reserved => format!(
                "rename the Rust field and keep the proto name with #[zpb(name = \"{proto}\")]"
            ),
            Owner::Field { .. } => "rename one of the Rust fields".to_string(),
            Owner::Member { .. } => {
                "name the member's accessors with #[zpb(accessor = \"...\")] (its proto name stays)"
                    .to_string()
            }
        }
    }
}

/// The accessor names taken on one message so far, to report an accessor that would
/// shadow a method every message has (`zpb_naming::RESERVED_METHODS`) or collide with
/// another field's or member's.
#[derive(Default)]
pub struct AccessorNames {
    owners: HashMap<String, String>,
}

impl AccessorNames {
    /// Takes `names` for `owner`, pushing an error at `span` for each reserved name and for
    /// the first collision with each other owner.
    pub fn claim(
        &mut self,
        names: Vec<String>,
        owner: &Owner<'_>,
        span: Span,
        errors: &mut Errors,
    ) {
        let who = owner.describe();
        let mut reported = Vec::new();
        for name in names {
            let message = if zpb_naming::is_reserved_method(&name) {
                format!(
                    "accessor `{name}` of {who} would shadow `{name}`, a method every message has; {}",
                    owner.fix(true)
                )
            } else {
                match self.owners.get(&name) {
                    None => {
                        self.owners.insert(name, who.clone());
                        continue;
                    }
                    Some(other) if reported.contains(other) => continue,
                    Some(other) => {
                        reported.push(other.clone());
                        format!(
                            "accessor `{name}` of {who} collides with an accessor of {other}; {}",
                            owner.fix(false)
                        )
                    }
                }
            };
            errors.push(syn::Error::new(span, message));
        }
    }
}

/// The getter's name: the field name, as a raw identifier if it is a keyword.
pub fn getter_ident(base: &str, span: Span) -> Ident {
    if !zpb_naming::is_keyword(base) && syn::parse_str::<Ident>(base).is_ok() {
        Ident::new(base, span)
    } else {
        Ident::new_raw(base, span)
    }
}

/// A field's default value as an expression of its value type, for `x()` on an unset field.
fn default_value(f: &Field) -> syn::Result<TokenStream> {
    let span = f.span;
    let Some(lit) = &f.default else {
        return Ok(match &f.kind {
            Kind::String => quote!(""),
            Kind::Bytes => quote!(&[]),
            _ => quote_spanned!(span=> ::core::default::Default::default()),
        });
    };
    let bad = || syn::Error::new(lit.span(), "default value does not fit the field's type");
    Ok(match (&f.kind, lit) {
        (Kind::Scalar(s), Lit::Str(text)) if s.is_float() => {
            let t = if *s == crate::ast::Scalar::Float {
                quote!(f32)
            } else {
                quote!(f64)
            };
            match text.value().as_str() {
                "inf" => quote!(#t::INFINITY),
                "-inf" => quote!(#t::NEG_INFINITY),
                "nan" => quote!(#t::NAN),
                other => {
                    let v: f64 = other.parse().map_err(|_| bad())?;
                    let lit = proc_macro2::Literal::f64_unsuffixed(v);
                    quote!((#lit as #t))
                }
            }
        }
        (Kind::Scalar(s), Lit::Int(i)) if s.is_float() => {
            let t = if *s == crate::ast::Scalar::Float {
                quote!(f32)
            } else {
                quote!(f64)
            };
            quote!((#i as #t))
        }
        (Kind::Scalar(_), Lit::Int(_) | Lit::Float(_) | Lit::Bool(_)) => quote!(#lit),
        (Kind::String, Lit::Str(_)) => quote!(#lit),
        (Kind::Bytes | Kind::SharedBytes, Lit::ByteStr(_)) => quote!(#lit),
        (Kind::Bytes | Kind::SharedBytes, Lit::Str(s)) => {
            let b = syn::LitByteStr::new(s.value().as_bytes(), s.span());
            quote!(#b)
        }
        (Kind::Enum { ty, closed }, Lit::Str(s)) => {
            let variant = Ident::new(&s.value(), s.span());
            if *closed {
                quote!(#ty::#variant)
            } else {
                quote!(::zpb::OpenEnum::from(#ty::#variant))
            }
        }
        _ => return Err(bad()),
    })
}

fn doc(text: String) -> TokenStream {
    quote!(#[doc = #text])
}

/// Accessors of one field, plus the names they take (for collision checks).
fn field_accessors(f: &Field) -> syn::Result<(TokenStream, Vec<String>)> {
    let span = f.span;
    let ident = &f.ident;
    let base = f.base_name();
    let get = getter_ident(&base, span);
    let set = format_ident!("set_{}", base, span = span);
    let has = format_ident!("has_{}", base, span = span);
    let clear = format_ident!("clear_{}", base, span = span);
    let mutable = format_ident!("mutable_{}", base, span = span);
    let take = format_ident!("take_{}", base, span = span);
    let add = format_ident!("add_{}", base, span = span);
    let at = format_ident!("{}_at", base, span = span);
    let mutable_at = format_ident!("mutable_{}_at", base, span = span);
    let which = format_ident!("which_{}", base, span = span);
    let ty = &f.ty;
    let v = &f.value_ty;
    let deprecated = &f.deprecated;
    let what = format!("`{}` (field {})", f.proto_name, f.number);
    let names;
    let body = match &f.shape {
        Shape::Singular { holder, presence } => {
            let has_presence = *presence != Presence::Implicit;
            let default = default_value(f)?;
            let (getter, setter) = singular_get_set(f, &default, *holder);
            let mut out = quote! {
                #deprecated
                #getter
                #deprecated
                #setter
            };
            let d_clear = doc(format!("Clears {what}, keeping its memory for reuse."));
            let d_mut = doc(format!(
                "Mutable access to {what}{}.",
                if has_presence { ", marking it set" } else { "" }
            ));
            let mutable_body = match holder {
                Holder::Plain => quote!(&mut self.#ident),
                Holder::MessageField | Holder::Optional if f.default.is_none() => {
                    quote!(self.#ident.mut_or_insert())
                }
                Holder::Optional => {
                    let fill = match &f.kind {
                        Kind::String => quote!(value.push_str(#default)),
                        Kind::SharedBytes => {
                            quote!(*value = ::zpb::bytes::Bytes::from_static(#default))
                        }
                        _ => quote!(value.extend_from_slice(#default)),
                    };
                    quote! {
                        if !self.#ident.is_some() {
                            let value = self.#ident.mut_or_insert();
                            #fill;
                        }
                        self.#ident.mut_or_insert()
                    }
                }
                Holder::MessageField => quote!(self.#ident.mut_or_insert()),
                Holder::Option => match &f.kind {
                    Kind::String | Kind::Bytes | Kind::SharedBytes => {
                        quote!(self.#ident.get_or_insert_with(|| ::core::convert::Into::into(#default)))
                    }
                    Kind::Message(_) | Kind::Group(_) => {
                        quote!(self.#ident.get_or_insert_with(::core::default::Default::default))
                    }
                    _ => quote!(self.#ident.get_or_insert(#default)),
                },
            };
            out.extend(quote! {
                #d_mut
                #deprecated
                pub fn #mutable(&mut self) -> &mut #v {
                    #mutable_body
                }
                #d_clear
                #deprecated
                pub fn #clear(&mut self) {
                    ::zpb::Reuse::clear(&mut self.#ident)
                }
            });
            let mut taken = vec![
                base.clone(),
                format!("set_{base}"),
                format!("mutable_{base}"),
                format!("clear_{base}"),
            ];
            if has_presence {
                let d_has = doc(format!("Whether {what} is set."));
                let d_take = doc(format!("Takes the value of {what} out, leaving it unset."));
                let take_body = match holder {
                    Holder::Option => quote!(self.#ident.take()),
                    _ => quote!(self.#ident.take()),
                };
                out.extend(quote! {
                    #d_has
                    #deprecated
                    pub fn #has(&self) -> bool {
                        ::zpb::__private::codec::PresenceField::value(&self.#ident).is_some()
                    }
                    #d_take
                    #deprecated
                    pub fn #take(&mut self) -> ::core::option::Option<#v> {
                        #take_body
                    }
                });
                taken.extend([format!("has_{base}"), format!("take_{base}")]);
            } else if !f.kind.is_packable() {
                let d_take = doc(format!("Takes the value of {what} out, leaving it empty."));
                out.extend(quote! {
                    #d_take
                    #deprecated
                    pub fn #take(&mut self) -> #v {
                        ::core::mem::take(&mut self.#ident)
                    }
                });
                taken.push(format!("take_{base}"));
            }
            names = taken;
            out
        }
        Shape::Repeated { .. } => {
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
            let d_set = doc(format!(
                "Replaces element `index` of {what}; panics if out of range."
            ));
            let d_mut_at = doc(format!(
                "Mutable element `index` of {what}; panics if out of range."
            ));
            let (common, common_names) = container_accessors(f, "elements of");
            names = [
                vec![
                    base.clone(),
                    format!("{base}_at"),
                    format!("set_{base}"),
                    format!("add_{base}"),
                    format!("mutable_{base}_at"),
                ],
                common_names,
            ]
            .concat();
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
                pub fn #set(&mut self, index: usize, value: #v) {
                    self.#ident[index] = value;
                }
                #add_fn
                #d_mut_at
                #deprecated
                pub fn #mutable_at(&mut self, index: usize) -> &mut #v {
                    &mut self.#ident[index]
                }
            }
        }
        Shape::Map { .. } => {
            let d_get = doc(format!("The entries of map {what}."));
            let (common, common_names) = container_accessors(f, "entries of map");
            names = [vec![base.clone()], common_names].concat();
            quote! {
                #d_get
                #deprecated
                pub fn #get(&self) -> &#ty {
                    &self.#ident
                }
                #common
            }
        }
        Shape::Oneof { ty: one, .. } => {
            let d_which = doc(format!(
                "Which member of oneof `{}` is set, if any (match on it).",
                f.proto_name
            ));
            let d_clear = doc(format!("Unsets oneof `{}`.", f.proto_name));
            let d_take = doc(format!(
                "Takes the set member of oneof `{}` out.",
                f.proto_name
            ));
            names = vec![
                format!("which_{base}"),
                format!("clear_{base}"),
                format!("take_{base}"),
            ];
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
    };
    Ok((body, names))
}

/// `x_size()`, `mutable_x()`, `clear_x()` and `take_x()` of a repeated or map field, and
/// the names they take.
fn container_accessors(f: &Field, noun: &str) -> (TokenStream, Vec<String>) {
    let (ident, ty, deprecated) = (&f.ident, &f.ty, &f.deprecated);
    let base = f.base_name();
    let size = format_ident!("{}_size", base, span = f.span);
    let mutable = format_ident!("mutable_{}", base, span = f.span);
    let clear = format_ident!("clear_{}", base, span = f.span);
    let take = format_ident!("take_{}", base, span = f.span);
    let what = format!("{noun} `{}` (field {})", f.proto_name, f.number);
    let d_size = doc(format!("Number of {what}."));
    let d_mut = doc(format!("Mutable container of the {what}."));
    let d_clear = doc(format!("Removes all {what}, keeping memory for reuse."));
    let d_take = doc(format!("Takes all {what} out."));
    let tokens = quote! {
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
    };
    let names = vec![
        format!("{base}_size"),
        format!("mutable_{base}"),
        format!("clear_{base}"),
        format!("take_{base}"),
    ];
    (tokens, names)
}

/// Getter and setter of a singular field.
fn singular_get_set(
    f: &Field,
    default: &TokenStream,
    holder: Holder,
) -> (TokenStream, TokenStream) {
    let ident = &f.ident;
    let get = getter_ident(&f.base_name(), f.span);
    let set = format_ident!("set_{}", f.base_name(), span = f.span);
    let v = &f.value_ty;
    let what = format!("`{}` (field {})", f.proto_name, f.number);
    let d_get = doc(match holder {
        Holder::Plain => format!("The value of {what}."),
        _ => format!("The value of {what}, or its default if unset."),
    });
    let d_set = doc(format!("Sets {what}."));
    let (ret, get_body) = match (&f.kind, holder) {
        (Kind::String, Holder::Plain) => (quote!(&str), quote!(&self.#ident)),
        (Kind::String, Holder::Option) => (
            quote!(&str),
            quote!(self.#ident.as_deref().unwrap_or(#default)),
        ),
        (Kind::String, _) => (
            quote!(&str),
            quote!(self.#ident.get().map_or(#default, |s| s.as_str())),
        ),
        (Kind::Bytes, Holder::Plain) => (quote!(&[u8]), quote!(&self.#ident)),
        (Kind::Bytes, Holder::Option) => (
            quote!(&[u8]),
            quote!(self.#ident.as_deref().unwrap_or(#default)),
        ),
        (Kind::Bytes, _) => (
            quote!(&[u8]),
            quote!(self.#ident.get().map_or(#default, |s| s.as_slice())),
        ),
        (Kind::SharedBytes, Holder::Plain) => (quote!(&[u8]), quote!(&self.#ident)),
        (Kind::SharedBytes, Holder::Option) => (
            quote!(&[u8]),
            quote!(self.#ident.as_deref().unwrap_or(#default)),
        ),
        (Kind::SharedBytes, _) => (
            quote!(&[u8]),
            quote!(self.#ident.get().map_or(#default, |s| &s[..])),
        ),
        (Kind::Message(_) | Kind::Group(_), Holder::MessageField) => {
            (quote!(&#v), quote!(self.#ident.get_or_default()))
        }
        (Kind::Message(_) | Kind::Group(_), Holder::Optional) => (
            quote!(&#v),
            quote!(self.#ident.get().unwrap_or_else(|| <#v as ::zpb::Message>::default_instance())),
        ),
        (Kind::Message(_) | Kind::Group(_), _) => (
            quote!(&#v),
            quote!(self.#ident.as_ref().unwrap_or_else(|| <#v as ::zpb::Message>::default_instance())),
        ),
        (_, Holder::Plain) => (quote!(#v), quote!(self.#ident)),
        (_, _) => (quote!(#v), quote!(self.#ident.unwrap_or(#default))),
    };
    let getter = quote! {
        #d_get
        pub fn #get(&self) -> #ret {
            #get_body
        }
    };
    let into = |t: TokenStream| quote!(value: impl ::core::convert::Into<#t>);
    let (param, set_body) = match (&f.kind, holder) {
        (
            Kind::String | Kind::Bytes | Kind::SharedBytes | Kind::Enum { closed: false, .. },
            Holder::Plain,
        ) => (
            into(quote!(#v)),
            quote!(self.#ident = ::core::convert::Into::into(value);),
        ),
        (
            Kind::String | Kind::Bytes | Kind::SharedBytes | Kind::Enum { closed: false, .. },
            Holder::Option,
        ) => (
            into(quote!(#v)),
            quote!(self.#ident = ::core::option::Option::Some(::core::convert::Into::into(value));),
        ),
        (Kind::String | Kind::Bytes | Kind::SharedBytes | Kind::Enum { closed: false, .. }, _) => (
            into(quote!(#v)),
            quote!(self.#ident.set(::core::convert::Into::into(value));),
        ),
        (_, Holder::Plain) => (quote!(value: #v), quote!(self.#ident = value;)),
        (_, Holder::Option) => (
            quote!(value: #v),
            quote!(self.#ident = ::core::option::Option::Some(value);),
        ),
        (_, _) => (quote!(value: #v), quote!(self.#ident.set(value);)),
    };
    let setter = quote! {
        #d_set
        pub fn #set(&mut self, #param) {
            #set_body
        }
    };
    (getter, setter)
}

pub fn emit(model: &MessageModel) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let mut methods = TokenStream::new();
    let mut taken = AccessorNames::default();
    let mut errors = Errors::default();
    for f in &model.fields {
        match field_accessors(f) {
            Ok((tokens, names)) => {
                let rust = f.base_name();
                let owner = Owner::Field {
                    rust: &rust,
                    proto: &f.proto_name,
                };
                taken.claim(names, &owner, f.span, &mut errors);
                methods.extend(tokens);
            }
            Err(e) => errors.push(e),
        }
    }
    errors.finish(())?;
    Ok(quote! {
        #[allow(deprecated, dead_code, clippy::all)]
        impl #ident {
            #methods
        }
    })
}
