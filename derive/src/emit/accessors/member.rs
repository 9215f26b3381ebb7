//! A oneof member's accessors on the message that holds the oneof: `x()`, `has_x()`,
//! `set_x()`, `mutable_x()`, `clear_x()`, `take_x()` (emitted by the `Oneof` derive, which
//! knows the members, when it names its message and field).

use super::Names;
use crate::internals::model::{Kind, OneofModel, Parent};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use zpb_naming::Accessor;

/// The accessors of each member on `parent`, with the accessor bases
/// [`check::member_accessors`](crate::internals::check::member_accessors) returned.
pub fn emit(model: &OneofModel, parent: &Parent, bases: &[&str]) -> TokenStream {
    let (oneof, field) = (&model.ident, &parent.field);
    let parent = &parent.message;
    let mut out = TokenStream::new();
    for (m, base) in model.members.iter().zip(bases) {
        let span = m.variant.span();
        let variant = &m.variant;
        let names = Names::new(base.to_string(), span);
        let get = names.ident(Accessor::Get);
        let has = names.ident(Accessor::Has);
        let set = names.ident(Accessor::Set);
        let mutable = names.ident(Accessor::Mutable);
        let clear = names.ident(Accessor::Clear);
        let take = names.ident(Accessor::Take);
        let (ty, vt) = (&m.ty, &m.value_ty);
        let what = format!("oneof member `{}` (field {})", m.name, m.number.value);
        let (ret, some, none) = match &m.kind {
            Kind::String { .. } => (quote!(&str), quote!(v.as_str()), quote!("")),
            Kind::Bytes => (quote!(&[u8]), quote!(v.as_slice()), quote!(&[])),
            Kind::SharedBytes => (quote!(&[u8]), quote!(&v[..]), quote!(&[])),
            Kind::Message(_) | Kind::Group(_) => (
                quote!(&#vt),
                if m.boxed { quote!(&**v) } else { quote!(v) },
                quote!(<#vt as ::zpb::Message>::default_instance()),
            ),
            _ => (
                quote!(#vt),
                quote!(*v),
                quote!(::core::default::Default::default()),
            ),
        };
        let wrap = if m.boxed {
            quote!(::std::boxed::Box::new(value))
        } else {
            quote!(::core::convert::Into::into(value))
        };
        let assign = matches!(m.kind, Kind::String { .. } | Kind::Bytes);
        let param = match &m.kind {
            Kind::String { .. } | Kind::Bytes => quote!(value: impl ::zpb::Assign<#ty>),
            Kind::SharedBytes | Kind::Enum { closed: false, .. } => {
                quote!(value: impl ::core::convert::Into<#ty>)
            }
            _ => quote!(value: #vt),
        };
        // Strings and bytes are copied into the member's buffer when it is the set member.
        let set_body = if assign {
            quote! {
                match &mut self.#field {
                    ::core::option::Option::Some(#oneof::#variant(v)) => ::zpb::Assign::assign_to(value, v),
                    _ => {
                        let mut v = ::core::default::Default::default();
                        ::zpb::Assign::assign_to(value, &mut v);
                        self.#field = ::core::option::Option::Some(#oneof::#variant(v));
                    }
                }
            }
        } else {
            quote!(self.#field = ::core::option::Option::Some(#oneof::#variant(#wrap));)
        };
        let mut_ret = if m.boxed { quote!(&mut **v) } else { quote!(v) };
        let d_get =
            format!("The value of {what}, or its default if another member (or none) is set.");
        let d_has = format!("Whether {what} is the set member.");
        let d_set = if assign {
            format!("Makes {what} the set member, with `value`: a borrowed value is copied into the member's buffer when it is already the set member, an owned one moved in ([`zpb::Assign`]).")
        } else {
            format!("Makes {what} the set member, with `value`.")
        };
        let d_mut = format!("Mutable access to {what}, making it the set member (with its default value if it was not).");
        let d_clear = format!("Unsets the oneof if {what} is the set member.");
        let d_take = format!("Takes {what} out if it is the set member, leaving the oneof unset.");
        out.extend(quote_spanned! {span=>
            #[doc = #d_get]
            pub fn #get(&self) -> #ret {
                match &self.#field {
                    ::core::option::Option::Some(#oneof::#variant(v)) => #some,
                    _ => #none,
                }
            }
            #[doc = #d_has]
            pub fn #has(&self) -> bool {
                ::core::matches!(&self.#field, ::core::option::Option::Some(#oneof::#variant(_)))
            }
            #[doc = #d_set]
            pub fn #set(&mut self, #param) {
                #set_body
            }
            #[doc = #d_mut]
            pub fn #mutable(&mut self) -> &mut #vt {
                if !self.#has() {
                    self.#field = ::core::option::Option::Some(#oneof::#variant(::core::default::Default::default()));
                }
                match &mut self.#field {
                    ::core::option::Option::Some(#oneof::#variant(v)) => #mut_ret,
                    _ => ::core::unreachable!(),
                }
            }
            #[doc = #d_clear]
            pub fn #clear(&mut self) {
                if self.#has() {
                    self.#field = ::core::option::Option::None;
                }
            }
            #[doc = #d_take]
            pub fn #take(&mut self) -> ::core::option::Option<#ty> {
                match self.#field.take() {
                    ::core::option::Option::Some(#oneof::#variant(v)) => ::core::option::Option::Some(v),
                    other => {
                        self.#field = other;
                        ::core::option::Option::None
                    }
                }
            }
        });
    }
    quote! {
        #[allow(deprecated, dead_code, clippy::all)]
        impl #parent {
            #out
        }
    }
}
