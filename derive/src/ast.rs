//! The model of a message, built from a struct and its `#[zpb(...)]` attributes: each field's
//! number, protobuf kind and container shape. Kinds the Rust type makes obvious (`String`,
//! `u64`, `MessageField<M>`, `Repeated<M>`, `HashMap<K, V>`, `OpenEnum<E>`) are inferred;
//! attributes say the rest (`sint32`, `fixed64`, `group`, `enum`, `unpacked`, `required`, ...).

use crate::attr::{self, AttrItems, Item};
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::{GenericArgument, Ident, Lit, PathArguments, Type};

/// Protobuf scalar types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scalar {
    Int32,
    Int64,
    UInt32,
    UInt64,
    SInt32,
    SInt64,
    Fixed32,
    Fixed64,
    SFixed32,
    SFixed64,
    Float,
    Double,
    Bool,
}

impl Scalar {
    fn from_word(w: &str) -> Option<Scalar> {
        Some(match w {
            "int32" => Scalar::Int32,
            "int64" => Scalar::Int64,
            "uint32" => Scalar::UInt32,
            "uint64" => Scalar::UInt64,
            "sint32" => Scalar::SInt32,
            "sint64" => Scalar::SInt64,
            "fixed32" => Scalar::Fixed32,
            "fixed64" => Scalar::Fixed64,
            "sfixed32" => Scalar::SFixed32,
            "sfixed64" => Scalar::SFixed64,
            "float" => Scalar::Float,
            "double" => Scalar::Double,
            "bool" => Scalar::Bool,
            _ => return None,
        })
    }

    fn from_rust(name: &str) -> Option<Scalar> {
        Some(match name {
            "i32" => Scalar::Int32,
            "i64" => Scalar::Int64,
            "u32" => Scalar::UInt32,
            "u64" => Scalar::UInt64,
            "f32" => Scalar::Float,
            "f64" => Scalar::Double,
            "bool" => Scalar::Bool,
            _ => return None,
        })
    }

    fn codec_name(self) -> &'static str {
        match self {
            Scalar::Int32 => "Int32",
            Scalar::Int64 => "Int64",
            Scalar::UInt32 => "UInt32",
            Scalar::UInt64 => "UInt64",
            Scalar::SInt32 => "SInt32",
            Scalar::SInt64 => "SInt64",
            Scalar::Fixed32 => "Fixed32",
            Scalar::Fixed64 => "Fixed64",
            Scalar::SFixed32 => "SFixed32",
            Scalar::SFixed64 => "SFixed64",
            Scalar::Float => "Float",
            Scalar::Double => "Double",
            Scalar::Bool => "Bool",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Scalar::Float | Scalar::Double)
    }
}

/// The protobuf type of a field's values.
#[derive(Clone)]
pub enum Kind {
    Scalar(Scalar),
    String,
    Bytes,
    SharedBytes,
    Message(Type),
    Group(Type),
    /// `closed` when stored as the enum itself (proto2), open when stored as `OpenEnum<E>`.
    Enum {
        ty: Type,
        closed: bool,
    },
}

impl Kind {
    /// The `zpb::__private::codec` marker type.
    pub fn codec(&self) -> TokenStream {
        match self {
            Kind::Scalar(s) => {
                let name = Ident::new(s.codec_name(), Span::call_site());
                quote!(::zpb::__private::codec::#name)
            }
            Kind::String => quote!(::zpb::__private::codec::Str),
            Kind::Bytes => quote!(::zpb::__private::codec::Bytes),
            Kind::SharedBytes => quote!(::zpb::__private::codec::SharedBytes),
            Kind::Message(t) => quote!(::zpb::__private::codec::Msg<#t>),
            Kind::Group(t) => quote!(::zpb::__private::codec::Grp<#t>),
            Kind::Enum { ty, closed: false } => quote!(::zpb::__private::codec::Enum<#ty>),
            Kind::Enum { ty, closed: true } => quote!(::zpb::__private::codec::ClosedEnum<#ty>),
        }
    }

    /// Scalars and enums: packable, copied by value.
    pub fn is_packable(&self) -> bool {
        matches!(self, Kind::Scalar(_) | Kind::Enum { .. })
    }

    pub fn is_message(&self) -> bool {
        matches!(self, Kind::Message(_) | Kind::Group(_))
    }

    pub fn closed_enum_type(&self) -> Option<&Type> {
        match self {
            Kind::Enum { ty, closed: true } => Some(ty),
            _ => None,
        }
    }
}

/// Where a singular value lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Holder {
    /// The value itself (implicit presence).
    Plain,
    /// `Option<T>`.
    Option,
    /// `zpb::Optional<T>`.
    Optional,
    /// `zpb::MessageField<M>`.
    MessageField,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presence {
    Implicit,
    Optional,
    Required,
}

/// How a field holds its values. (Sizes differ; the model lives only during expansion.)
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Shape {
    Singular { presence: Presence, holder: Holder },
    Repeated { packed: bool },
    Map { key: Kind, value: Kind },
    Oneof { numbers: Vec<u32>, ty: Type },
}

/// One field of a message.
pub struct Field {
    pub ident: Ident,
    pub span: Span,
    pub number: u32,
    /// The kind of the values (for maps, the value kind; unused for oneofs).
    pub kind: Kind,
    pub shape: Shape,
    /// The element type: `T` of `Option<T>`, `Vec<T>`, `Repeated<T>`, `MessageField<T>`.
    pub value_ty: Type,
    /// The field's whole Rust type.
    pub ty: Type,
    pub proto_name: String,
    pub default: Option<Lit>,
    pub deprecated: Option<syn::Attribute>,
}

impl Field {
    /// The field's name without `r#`, for accessor names.
    pub fn base_name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

/// A struct deriving `zpb::Message`.
pub struct MessageModel {
    pub ident: Ident,
    pub full_name: String,
    pub fields: Vec<Field>,
    pub state: Ident,
}

/// Splits `a::b::Name<T, U>` into `("Name", [T, U])`.
pub fn split_type(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let seg = p.path.segments.last()?;
    let args = match &seg.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((seg.ident.to_string(), args))
}

fn type_name(ty: &Type) -> String {
    split_type(ty).map(|(n, _)| n).unwrap_or_default()
}

fn is_vec_u8(ty: &Type) -> bool {
    matches!(split_type(ty), Some((n, a)) if n == "Vec" && a.len() == 1 && type_name(a[0]) == "u8")
}

/// What the attribute said, before looking at the type.
#[derive(Default)]
struct FieldAttrs {
    number: Option<u32>,
    kind_word: Option<Ident>,
    optional: bool,
    required: bool,
    repeated: bool,
    packed: Option<bool>,
    map: Option<(Ident, Lit)>,
    oneof: Option<Vec<u32>>,
    name: Option<String>,
    default: Option<Lit>,
}

const KIND_WORDS: &[&str] = &[
    "int32",
    "int64",
    "uint32",
    "uint64",
    "sint32",
    "sint64",
    "fixed32",
    "fixed64",
    "sfixed32",
    "sfixed64",
    "float",
    "double",
    "bool",
    "string",
    "bytes",
    "message",
    "group",
    "enum",
    "enumeration",
];

fn parse_field_attrs(items: AttrItems) -> syn::Result<FieldAttrs> {
    let mut a = FieldAttrs::default();
    for item in items.items {
        match item {
            Item::Number(n) => set_number(&mut a, &n)?,
            Item::Word(w) => {
                let s = w.to_string();
                match s.as_str() {
                    k if KIND_WORDS.contains(&k) => {
                        if a.kind_word.is_some() {
                            return Err(syn::Error::new(w.span(), "the field's type is given twice"));
                        }
                        a.kind_word = Some(w);
                    }
                    "optional" => a.optional = true,
                    "required" => a.required = true,
                    "repeated" => a.repeated = true,
                    "packed" => a.packed = Some(true),
                    "unpacked" => a.packed = Some(false),
                    _ => {
                        return Err(syn::Error::new(
                            w.span(),
                            format!("unknown zpb field attribute `{s}`; expected a field number, a protobuf type (int32, sint64, fixed32, string, bytes, message, group, enum, ...), optional, required, repeated, packed, unpacked, or key = value (name, default, map, oneof)"),
                        ))
                    }
                }
            }
            Item::KeyValue(k, v) => match k.to_string().as_str() {
                "number" | "tag" => match &v {
                    Lit::Int(n) => set_number(&mut a, n)?,
                    _ => return Err(syn::Error::new(v.span(), "field number must be an integer")),
                },
                "name" => a.name = Some(attr::lit_str(&v, &k)?),
                "json_name" => {
                    attr::lit_str(&v, &k)?;
                }
                "default" => a.default = Some(v),
                "map" => a.map = Some((k, v)),
                "oneof" | "tags" => a.oneof = Some(attr::number_list(&v, &k)?),
                other => {
                    return Err(syn::Error::new(
                        k.span(),
                        format!("unknown zpb field key `{other}`; expected name, json_name, default, map, oneof or number"),
                    ))
                }
            },
        }
    }
    Ok(a)
}

fn set_number(a: &mut FieldAttrs, n: &syn::LitInt) -> syn::Result<()> {
    let v: u32 = n
        .base10_parse()
        .map_err(|_| syn::Error::new(n.span(), "field number must be between 1 and 536870911"))?;
    if v == 0 || v > 536_870_911 {
        return Err(syn::Error::new(
            n.span(),
            "field number must be between 1 and 536870911",
        ));
    }
    if (19000..=19999).contains(&v) {
        return Err(syn::Error::new(
            n.span(),
            "field numbers 19000 to 19999 are reserved by protobuf",
        ));
    }
    if a.number.replace(v).is_some() {
        return Err(syn::Error::new(n.span(), "field number given twice"));
    }
    Ok(())
}

/// Decides the kind of values of type `ty` from an explicit word or the type itself.
pub fn kind_of(word: Option<&Ident>, ty: &Type, span: Span) -> syn::Result<Kind> {
    let (name, args) = split_type(ty).unwrap_or_default();
    if let Some(w) = word {
        let w_str = w.to_string();
        if let Some(s) = Scalar::from_word(&w_str) {
            return Ok(Kind::Scalar(s));
        }
        return Ok(match w_str.as_str() {
            "string" => Kind::String,
            "bytes" if name == "Bytes" => Kind::SharedBytes,
            "bytes" => Kind::Bytes,
            "message" => Kind::Message(ty.clone()),
            "group" => Kind::Group(ty.clone()),
            _ => match (name.as_str(), args.as_slice()) {
                ("OpenEnum", [e]) => Kind::Enum {
                    ty: (*e).clone(),
                    closed: false,
                },
                _ => Kind::Enum {
                    ty: ty.clone(),
                    closed: true,
                },
            },
        });
    }
    if let Some(s) = Scalar::from_rust(&name) {
        return Ok(Kind::Scalar(s));
    }
    Ok(match (name.as_str(), args.as_slice()) {
        ("String", []) => Kind::String,
        ("Vec", [_]) if is_vec_u8(ty) => Kind::Bytes,
        ("Bytes", []) => Kind::SharedBytes,
        ("OpenEnum", [e]) => Kind::Enum {
            ty: (*e).clone(),
            closed: false,
        },
        ("", _) => {
            return Err(syn::Error::new(
                span,
                "zpb cannot tell this field's protobuf type; name it, e.g. #[zpb(1, int32)]",
            ))
        }
        _ => Kind::Message(ty.clone()),
    })
}

fn map_kinds(
    attr: Option<&(Ident, Lit)>,
    k_ty: &Type,
    v_ty: &Type,
    span: Span,
) -> syn::Result<(Kind, Kind)> {
    let words: Vec<Ident> = match attr {
        Some((key, lit)) => match lit {
            Lit::Str(s) => attr::lit_str(lit, key)?
                .split(',')
                .map(|w| Ident::new(w.trim(), s.span()))
                .collect(),
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    "`map` takes a string like \"sint32, string\"",
                ))
            }
        },
        None => Vec::new(),
    };
    if attr.is_some() && words.len() != 2 {
        return Err(syn::Error::new(
            span,
            "`map` names two types: \"key_type, value_type\"",
        ));
    }
    let key = kind_of(words.first(), k_ty, span)?;
    let value = kind_of(words.get(1), v_ty, span)?;
    match &key {
        Kind::Scalar(s) if !s.is_float() => {}
        Kind::String => {}
        _ => {
            return Err(syn::Error::new(
                span,
                "map keys must be integers, bool or string",
            ))
        }
    }
    Ok((key, value))
}

/// Builds the model of one field.
pub fn field(f: &syn::Field) -> syn::Result<Field> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(f, "zpb messages need named fields"))?;
    let span = ident.span();
    let items = AttrItems::from_attrs(&f.attrs)?;
    if items.is_empty() {
        return Err(syn::Error::new(span, "field has no #[zpb(...)] attribute (every field but the zpb::MessageState one needs a field number)"));
    }
    let a = parse_field_attrs(items)?;
    let ty = &f.ty;
    let (outer, args) = split_type(ty).unwrap_or_default();
    let deprecated = attr::deprecated(&f.attrs).cloned();
    let proto_name = a.name.clone().unwrap_or_else(|| ident.unraw().to_string());

    if let Some(numbers) = a.oneof {
        let inner = match (outer.as_str(), args.as_slice()) {
            ("Option", [t]) => (*t).clone(),
            _ => {
                return Err(syn::Error::new_spanned(
                    ty,
                    "a oneof field must be Option<OneofEnum>",
                ))
            }
        };
        if numbers.is_empty() {
            return Err(syn::Error::new(
                span,
                "a oneof lists its field numbers: #[zpb(oneof = \"1, 2\")]",
            ));
        }
        return Ok(Field {
            ident,
            span,
            number: numbers[0],
            kind: Kind::Message(inner.clone()),
            shape: Shape::Oneof {
                numbers,
                ty: inner.clone(),
            },
            value_ty: inner,
            ty: ty.clone(),
            proto_name,
            default: None,
            deprecated,
        });
    }

    let number = a
        .number
        .ok_or_else(|| syn::Error::new(span, "missing field number: #[zpb(1)]"))?;

    // Maps.
    if matches!(outer.as_str(), "HashMap" | "BTreeMap") || a.map.is_some() {
        let [k, v] = args.as_slice() else {
            return Err(syn::Error::new_spanned(
                ty,
                "a map field must be HashMap<K, V> or BTreeMap<K, V>",
            ));
        };
        let (key, value) = map_kinds(a.map.as_ref(), k, v, span)?;
        return Ok(Field {
            ident,
            span,
            number,
            kind: value.clone(),
            shape: Shape::Map { key, value },
            value_ty: (*v).clone(),
            ty: ty.clone(),
            proto_name,
            default: None,
            deprecated,
        });
    }

    // Repeated.
    let repeated_elem = match (outer.as_str(), args.as_slice()) {
        ("Repeated", [t]) => Some((*t, true)),
        ("Vec", [t]) if !is_vec_u8(ty) || a.repeated => Some((*t, false)),
        _ => None,
    };
    if let Some((elem, retained)) = repeated_elem {
        let kind = kind_of(a.kind_word.as_ref(), elem, span)?;
        let packable = kind.is_packable();
        if a.packed == Some(true) && !packable {
            return Err(syn::Error::new(
                span,
                "only scalar and enum fields can be packed",
            ));
        }
        if retained && packable {
            return Err(syn::Error::new_spanned(ty, "repeated scalars and enums are stored in Vec<T> (Repeated<T> is for strings, bytes and messages)"));
        }
        if a.required || a.optional {
            return Err(syn::Error::new(
                span,
                "a repeated field cannot be optional or required",
            ));
        }
        return Ok(Field {
            ident,
            span,
            number,
            kind,
            shape: Shape::Repeated {
                packed: packable && a.packed.unwrap_or(true),
            },
            value_ty: elem.clone(),
            ty: ty.clone(),
            proto_name,
            default: a.default,
            deprecated,
        });
    }
    if a.repeated {
        return Err(syn::Error::new_spanned(
            ty,
            "a repeated field must be Vec<T> or zpb::Repeated<T>",
        ));
    }
    if a.packed.is_some() {
        return Err(syn::Error::new(
            span,
            "packed/unpacked applies to repeated fields only",
        ));
    }

    // Singular.
    let (holder, elem) = match (outer.as_str(), args.as_slice()) {
        ("Option", [t]) => (Holder::Option, *t),
        ("Optional", [t]) => (Holder::Optional, *t),
        ("MessageField", [t]) => (Holder::MessageField, *t),
        _ => (Holder::Plain, ty),
    };
    let mut kind = kind_of(a.kind_word.as_ref(), elem, span)?;
    if holder == Holder::MessageField {
        if !kind.is_message() {
            kind = Kind::Message(elem.clone());
        }
    } else if matches!(kind, Kind::Message(_) | Kind::Group(_)) && holder == Holder::Plain {
        return Err(syn::Error::new_spanned(
            ty,
            "a message field is stored in zpb::MessageField<M> (or Option<M>)",
        ));
    }
    let presence = if a.required {
        Presence::Required
    } else if holder != Holder::Plain {
        Presence::Optional
    } else if a.optional {
        return Err(syn::Error::new_spanned(ty, "an optional field is stored in Option<T>, zpb::Optional<T> (strings, bytes) or zpb::MessageField<M>"));
    } else {
        Presence::Implicit
    };
    if presence == Presence::Required && holder == Holder::Plain {
        return Err(syn::Error::new_spanned(ty, "a required field needs presence: store it in Option<T>, zpb::Optional<T> or zpb::MessageField<M>"));
    }
    if a.default.is_some() && presence == Presence::Implicit {
        return Err(syn::Error::new(
            span,
            "a default value needs a field with presence (proto2 optional or required)",
        ));
    }
    Ok(Field {
        ident,
        span,
        number,
        kind,
        shape: Shape::Singular { presence, holder },
        value_ty: elem.clone(),
        ty: ty.clone(),
        proto_name,
        default: a.default,
        deprecated,
    })
}

/// Every error found in a derive input, reported together.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds an error.
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    /// `Ok(value)` if no error was pushed, else all of them.
    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

/// Builds the model of a message struct, collecting every field error.
pub fn message(input: &syn::DeriveInput) -> syn::Result<MessageModel> {
    let syn::Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "#[derive(zpb::Message)] works on structs (use zpb::Oneof or zpb::Enumeration on enums)"));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "zpb messages cannot be generic",
        ));
    }
    let full_name = attr::name_only(&input.attrs, "package.Message")?
        .unwrap_or_else(|| input.ident.to_string());
    let mut errors = Errors::default();
    let mut fields = Vec::new();
    let mut state = None;
    for f in &data.fields {
        if type_name(&f.ty) == "MessageState" && !f.attrs.iter().any(|a| a.path().is_ident("zpb")) {
            if state.is_some() {
                errors.push(syn::Error::new_spanned(
                    &f.ty,
                    "only one zpb::MessageState field is allowed",
                ));
            }
            state = f.ident.clone();
            continue;
        }
        match field(f) {
            Ok(field) => fields.push(field),
            Err(e) => errors.push(e),
        }
    }
    let mut seen = std::collections::HashMap::new();
    for f in &fields {
        let numbers = match &f.shape {
            Shape::Oneof { numbers, .. } => numbers.clone(),
            _ => vec![f.number],
        };
        for n in numbers {
            if let Some(other) = seen.insert(n, f.ident.to_string()) {
                errors.push(syn::Error::new(
                    f.span,
                    format!("field number {n} is already used by `{other}`"),
                ));
            }
        }
    }
    let state = match state {
        Some(s) => s,
        None => {
            errors.push(syn::Error::new_spanned(&input.ident, "a zpb message needs a field of type zpb::MessageState (it keeps unknown fields and the cached size), e.g. `_state: zpb::MessageState`"));
            Ident::new("_state", Span::call_site())
        }
    };
    errors.finish(MessageModel {
        ident: input.ident.clone(),
        full_name,
        fields,
        state,
    })
}

impl ToTokens for Scalar {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        Ident::new(self.codec_name(), Span::call_site()).to_tokens(tokens)
    }
}
