//! Emits `zpb::Oneof` for a oneof enum, and, when the enum names its message and field, the
//! per-member accessors on that message (`x()`, `has_x()`, `set_x()`, `mutable_x()`, ...).

use crate::ast::{self, Errors, Kind};
use crate::attr::{self, AttrItems, Item};
use crate::emit_accessors::{getter_ident, AccessorNames, Owner};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Ident, Type};

struct Member {
    variant: Ident,
    number: u32,
    kind: Kind,
    /// The variant's payload type (`M` or `Box<M>` for messages).
    ty: Type,
    /// The value type the kind stores (`M` for `Box<M>`).
    value_ty: Type,
    boxed: bool,
    /// The proto name (text format, missing-field paths).
    name: String,
    /// The base of the member's accessors on the message (`x`, `has_x`, ...), or why there
    /// is none (checked only when the accessors are generated).
    accessor: syn::Result<String>,
}

fn member(v: &syn::Variant) -> syn::Result<Member> {
    let span = v.ident.span();
    let ty = match &v.fields {
        syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => u.unnamed[0].ty.clone(),
        _ => {
            return Err(syn::Error::new(
                span,
                "a oneof variant holds exactly one value: `Name(Type)`",
            ))
        }
    };
    let mut number = None;
    let mut word = None;
    let mut name = None;
    let mut accessor = None;
    for item in AttrItems::from_attrs(&v.attrs)?.items {
        match item {
            Item::Number(n) => number = Some(n.base10_parse::<u32>()?),
            Item::Word(w) => word = Some(w),
            Item::KeyValue(k, lit) if k == "name" => name = Some(attr::lit_str(&lit, &k)?),
            Item::KeyValue(k, lit) if k == "accessor" => {
                accessor = Some((attr::lit_str(&lit, &k)?, lit.span()))
            }
            Item::KeyValue(k, _) => {
                return Err(syn::Error::new(
                    k.span(),
                    "unknown key; a oneof variant takes a field number, a type, name = \"...\" and accessor = \"...\"",
                ))
            }
        }
    }
    let number = number.ok_or_else(|| syn::Error::new(span, "missing field number: #[zpb(1)]"))?;
    let (boxed, value_ty) = match ast::split_type(&ty) {
        Some((n, args)) if n == "Box" && args.len() == 1 => (true, args[0].clone()),
        _ => (false, ty.clone()),
    };
    let kind = ast::kind_of(word.as_ref(), &value_ty, span)?;
    let name = name.unwrap_or_else(|| zpb_naming::variant_proto_name(&v.ident.to_string()));
    let accessor = accessor_base(&name, accessor, span);
    Ok(Member {
        number,
        accessor,
        name,
        variant: v.ident.clone(),
        kind,
        ty,
        value_ty,
        boxed,
    })
}

/// The base of a member's accessors: `accessor = "..."` as given, else the proto name in
/// snake case (`fooBar` → `foo_bar`, `self` → `self_`, see `zpb_naming`).
fn accessor_base(name: &str, given: Option<(String, Span)>, variant: Span) -> syn::Result<String> {
    let (base, span, what) = match given {
        Some((text, span)) => (text, span, "`accessor`"),
        None => (
            zpb_naming::oneof_accessor_base(name),
            variant,
            "the member's proto name",
        ),
    };
    if zpb_naming::is_accessor_base(&base) {
        return Ok(base);
    }
    Err(syn::Error::new(
        span,
        format!("{what} does not give a Rust method name (`{base}`); name the member's accessors with #[zpb(accessor = \"...\")], an identifier other than self, super or crate"),
    ))
}

pub fn emit(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(zpb::Oneof)] works on enums",
        ));
    };
    let ident = &input.ident;
    let mut parent: Option<Type> = None;
    let mut parent_field: Option<Ident> = None;
    for item in AttrItems::from_attrs(&input.attrs)?.items {
        match item {
            Item::KeyValue(k, lit) if k == "message" => {
                parent = Some(syn::parse_str(&attr::lit_str(&lit, &k)?)?)
            }
            Item::KeyValue(k, lit) if k == "field" => {
                parent_field = Some(syn::parse_str(&attr::lit_str(&lit, &k)?)?)
            }
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(syn::Error::new(
                    k.span(),
                    "unknown oneof attribute; expected message = \"Path\", field = \"name\"",
                ))
            }
            Item::Number(n) => return Err(syn::Error::new(n.span(), "unexpected number")),
        }
    }
    let members = data
        .variants
        .iter()
        .map(member)
        .collect::<syn::Result<Vec<_>>>()?;

    let merge_arms = members.iter().map(|m| {
        let (n, variant, k) = (m.number, &m.variant, m.kind.codec());
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
        let n = m.number;
        quote!(::zpb::__private::wire::tag_len(#n) + <#k as ::zpb::__private::codec::Kind>::encoded_len(#v, #n))
    });
    let encode_arms = each(&|m, k, v| {
        let n = m.number;
        quote!({ e.put_tag(#n, <#k as ::zpb::__private::codec::Kind>::WIRE_TYPE); <#k as ::zpb::__private::codec::Kind>::encode(#v, #n, e) })
    });
    let number_arms = each(&|m, _, _| {
        let n = m.number;
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
    let merge_from = crate::emit_merge::oneof(
        &members
            .iter()
            .map(|m| crate::emit_merge::OneofMember {
                variant: &m.variant,
                ty: &m.ty,
                kind: m.kind.codec(),
                boxed: m.boxed,
            })
            .collect::<Vec<_>>(),
    );
    let clear_arms = each(&|_, _, _| quote!(::zpb::Reuse::clear(v)));
    let space_arms = each(&|_, _, _| quote!(::zpb::Reuse::space_used(v)));
    let trim_arms = each(&|_, _, _| quote!(::zpb::Reuse::trim(v, budget)));

    // Accessor errors leave the `Oneof` impl in place, so they are the only errors reported.
    let accessors =
        match (&parent, &parent_field) {
            (Some(p), Some(field)) => match check_accessor_names(&members) {
                Ok(bases) => parent_accessors(ident, p, field, &members, &bases),
                Err(e) => e.to_compile_error(),
            },
            (None, None) => quote!(),
            _ => return Err(syn::Error::new_spanned(
                ident,
                "name both the message and the field: #[zpb(message = \"Msg\", field = \"kind\")]",
            )),
        };

    Ok(quote! {
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
        }

        #accessors
    })
}

/// Rejects member accessors that would shadow a method every message has or collide with
/// each other. (A clash with a field's accessor is a duplicate definition, which rustc
/// reports.)
fn check_accessor_names(members: &[Member]) -> syn::Result<Vec<&str>> {
    let mut taken = AccessorNames::default();
    let mut errors = Errors::default();
    let mut bases = Vec::new();
    for m in members {
        match &m.accessor {
            Ok(base) => {
                taken.claim(
                    zpb_naming::oneof_member_accessors(base).to_vec(),
                    &Owner::Member { proto: &m.name },
                    m.variant.span(),
                    &mut errors,
                );
                bases.push(base.as_str());
            }
            Err(e) => errors.push(e.clone()),
        }
    }
    errors.finish(bases)
}

/// The accessors of each member (accessor bases from `check_accessor_names`).
fn parent_accessors(
    oneof: &Ident,
    parent: &Type,
    field: &Ident,
    members: &[Member],
    bases: &[&str],
) -> TokenStream {
    let mut out = TokenStream::new();
    for (m, base) in members.iter().zip(bases) {
        let span = m.variant.span();
        let variant = &m.variant;
        let [get, has, set, mutable, clear, take] =
            zpb_naming::oneof_member_accessors(base).map(|n| getter_ident(&n, span));
        let (ty, vt) = (&m.ty, &m.value_ty);
        let what = format!("oneof member `{}` (field {})", m.name, m.number);
        let (ret, some, none) = match &m.kind {
            Kind::String => (quote!(&str), quote!(v.as_str()), quote!("")),
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
        let param = match &m.kind {
            Kind::String | Kind::Bytes | Kind::SharedBytes | Kind::Enum { closed: false, .. } => {
                quote!(value: impl ::core::convert::Into<#ty>)
            }
            _ => quote!(value: #vt),
        };
        let mut_ret = if m.boxed { quote!(&mut **v) } else { quote!(v) };
        let d_get =
            format!("The value of {what}, or its default if another member (or none) is set.");
        let d_has = format!("Whether {what} is the set member.");
        let d_set = format!("Makes {what} the set member, with `value`.");
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
                self.#field = ::core::option::Option::Some(#oneof::#variant(#wrap));
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
