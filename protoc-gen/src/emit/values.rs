//! The types of values: the Rust type, the derive's word and the codec marker of each, and
//! default values.

use super::tokens::{code, ident};
use crate::ir::{DefaultValue, Value};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens as _};
use zpb_naming::features::{EnumType, Feature, MessageEncoding};

/// The Rust type of one value: `i32`, `String`, `M`, `OpenEnum<E>`, ...
pub fn value_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { rust, .. } => code(rust),
        Value::String { thin: false } => quote!(::std::string::String),
        Value::String { thin: true } => quote!(::zpb::ThinString),
        Value::Bytes { shared: false } => quote!(::std::vec::Vec<u8>),
        Value::Bytes { shared: true } => quote!(::zpb::bytes::Bytes),
        Value::Message { path }
        | Value::Group { path, .. }
        | Value::Enum { path, closed: true } => code(path),
        Value::Enum {
            path,
            closed: false,
        } => {
            let p = code(path);
            quote!(::zpb::OpenEnum<#p>)
        }
    }
}

/// The derive's word for a value's protobuf type.
pub fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Scalar { word, .. } => word,
        Value::String { .. } => "string",
        Value::Bytes { .. } => "bytes",
        Value::Message { .. } => "message",
        Value::Group { .. } => "group",
        Value::Enum { .. } => "enum",
    }
}

/// The word naming the values of a field or oneof member: the type word, or for groups and
/// enums the feature word that names both the kind and its feature (`delimited`,
/// `open_enum`, `closed_enum`, spelled by `zpb_naming::features`).
pub fn value_word(v: &Value) -> &'static str {
    match v {
        Value::Group { .. } => Feature::Message(MessageEncoding::Delimited).word(),
        Value::Enum { closed: true, .. } => Feature::Enum(EnumType::Closed).word(),
        Value::Enum { closed: false, .. } => Feature::Enum(EnumType::Open).word(),
        _ => kind_word(v),
    }
}

/// The `zpb::kind` marker type of a value's protobuf type.
pub fn codec_type(v: &Value) -> TokenStream {
    match v {
        Value::Scalar { word, .. } => {
            let name = ident(zpb_naming::scalar_codec(word).unwrap_or("UnknownScalar"));
            quote!(::zpb::kind::#name)
        }
        Value::String { thin: false } => quote!(::zpb::kind::Str),
        Value::String { thin: true } => quote!(::zpb::kind::ThinStr),
        Value::Bytes { shared: false } => quote!(::zpb::kind::Bytes),
        Value::Bytes { shared: true } => quote!(::zpb::kind::SharedBytes),
        Value::Message { path } => {
            let p = code(path);
            quote!(::zpb::kind::Msg<#p>)
        }
        Value::Group { path, .. } => {
            let p = code(path);
            quote!(::zpb::kind::Grp<#p>)
        }
        Value::Enum { path, closed } => {
            let p = code(path);
            match closed {
                true => quote!(::zpb::kind::ClosedEnum<#p>),
                false => quote!(::zpb::kind::Enum<#p>),
            }
        }
    }
}

/// Strings, bytes and messages are kept in retained containers; scalars and enums are `Copy`.
pub fn is_heap(v: &Value) -> bool {
    matches!(
        v,
        Value::String { .. } | Value::Bytes { .. } | Value::Message { .. } | Value::Group { .. }
    )
}

/// A default value as the derive's `default = ...` takes it.
pub fn default_tokens(d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Int(text) => code(text),
        DefaultValue::Float(text) => Literal::string(text).into_token_stream(),
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Str(s) => Literal::string(s).into_token_stream(),
        DefaultValue::Bytes(b) => Literal::byte_string(b).into_token_stream(),
        DefaultValue::Enum(v) => Literal::string(v.trim_start_matches("r#")).into_token_stream(),
    }
}
