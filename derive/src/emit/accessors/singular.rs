//! Accessors of a singular field: `x()`, `set_x()`, `mutable_x()`, `clear_x()`, and with
//! presence `has_x()` and `take_x()` (without presence, `take_x()` for strings and bytes).

use super::{what, Names};
use crate::emit::doc;
use crate::internals::model::{DefaultValue, Field, FloatValue, Holder, Kind, Presence};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use zpb_naming::Accessor;

/// A field's default value as an expression of its value type, for `x()` on an unset field.
fn default_value(f: &Field) -> TokenStream {
    let span = f.span;
    let Some(value) = &f.default else {
        return match &f.kind {
            Kind::String { .. } => quote!(""),
            Kind::Bytes => quote!(&[]),
            _ => quote_spanned!(span=> ::core::default::Default::default()),
        };
    };
    match value {
        DefaultValue::Literal(lit) => quote!(#lit),
        DefaultValue::Float { double, value } => {
            let t = if *double { quote!(f64) } else { quote!(f32) };
            match value {
                FloatValue::Infinity => quote!(#t::INFINITY),
                FloatValue::NegInfinity => quote!(#t::NEG_INFINITY),
                FloatValue::Nan => quote!(#t::NAN),
                FloatValue::Parsed(v) => {
                    let lit = proc_macro2::Literal::f64_unsuffixed(*v);
                    quote!((#lit as #t))
                }
                FloatValue::Int(i) => quote!((#i as #t)),
            }
        }
        DefaultValue::Enum(variant) => match &f.kind {
            Kind::Enum { ty, closed: true } => quote!(#ty::#variant),
            Kind::Enum { ty, closed: false } => quote!(::zpb::OpenEnum::from(#ty::#variant)),
            // The model accepts an enum default only for an enum field.
            _ => quote!(#variant),
        },
    }
}

/// The accessors of singular field `f`, stored in `holder`.
pub fn emit(f: &Field, names: &Names, holder: Holder, presence: Presence) -> TokenStream {
    let ident = &f.ident;
    let v = &f.value_ty;
    let deprecated = &f.deprecated;
    let what = what(f);
    let has_presence = presence != Presence::Implicit;
    let default = default_value(f);
    let (getter, setter) = get_set(f, names, &default, holder);
    let mutable = names.ident(Accessor::Mutable);
    let clear = names.ident(Accessor::Clear);
    let has = names.ident(Accessor::Has);
    let take = names.ident(Accessor::Take);
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
                Kind::String { .. } => quote!(value.push_str(#default)),
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
            Kind::String { .. } | Kind::Bytes | Kind::SharedBytes => {
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
    if has_presence {
        let d_has = doc(format!("Whether {what} is set."));
        let d_take = doc(format!("Takes the value of {what} out, leaving it unset."));
        out.extend(quote! {
            #d_has
            #deprecated
            pub fn #has(&self) -> bool {
                ::zpb::__private::codec::PresenceField::value(&self.#ident).is_some()
            }
            #d_take
            #deprecated
            pub fn #take(&mut self) -> ::core::option::Option<#v> {
                self.#ident.take()
            }
        });
    } else if !f.kind.is_packable() {
        let d_take = doc(format!("Takes the value of {what} out, leaving it empty."));
        out.extend(quote! {
            #d_take
            #deprecated
            pub fn #take(&mut self) -> #v {
                ::core::mem::take(&mut self.#ident)
            }
        });
    }
    out
}

/// Getter and setter of a singular field.
fn get_set(
    f: &Field,
    names: &Names,
    default: &TokenStream,
    holder: Holder,
) -> (TokenStream, TokenStream) {
    let ident = &f.ident;
    let get = names.ident(Accessor::Get);
    let set = names.ident(Accessor::Set);
    let v = &f.value_ty;
    let what = what(f);
    let d_get = doc(match holder {
        Holder::Plain => format!("The value of {what}."),
        _ => format!("The value of {what}, or its default if unset."),
    });
    let d_set = doc(match f.kind {
        Kind::String { .. } | Kind::Bytes => format!(
            "Sets {what}: a borrowed value is copied into the field's kept buffer (no \
             allocation once it is large enough), an owned one moved in ([`zpb::Assign`])."
        ),
        _ => format!("Sets {what}."),
    });
    let (ret, get_body) = match (&f.kind, holder) {
        (Kind::String { .. }, Holder::Plain) => (quote!(&str), quote!(&self.#ident)),
        (Kind::String { .. }, Holder::Option) => (
            quote!(&str),
            quote!(self.#ident.as_deref().unwrap_or(#default)),
        ),
        (Kind::String { .. }, _) => (
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
        // Strings and bytes are copied into the retained buffer (or an owned value moved in).
        (Kind::String { .. } | Kind::Bytes, _) => {
            let slot = match holder {
                Holder::Plain => quote!(&mut self.#ident),
                Holder::Option => {
                    quote!(self.#ident.get_or_insert_with(::core::default::Default::default))
                }
                _ => quote!(self.#ident.mut_or_insert()),
            };
            (
                quote!(value: impl ::zpb::Assign<#v>),
                quote!(::zpb::Assign::assign_to(value, #slot);),
            )
        }
        (Kind::SharedBytes | Kind::Enum { closed: false, .. }, Holder::Plain) => (
            into(quote!(#v)),
            quote!(self.#ident = ::core::convert::Into::into(value);),
        ),
        (Kind::SharedBytes | Kind::Enum { closed: false, .. }, Holder::Option) => (
            into(quote!(#v)),
            quote!(self.#ident = ::core::option::Option::Some(::core::convert::Into::into(value));),
        ),
        (Kind::SharedBytes | Kind::Enum { closed: false, .. }, _) => (
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
