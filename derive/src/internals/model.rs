//! The typed model of a derive input, built from its Rust types and [`attr`]'s typed
//! attributes: a message's fields ([`MessageModel`]), a oneof's members ([`OneofModel`]) and
//! an enum's values ([`EnumModel`]). Kinds the Rust type makes obvious (`String`, `u64`,
//! `MessageField<M>`, `Repeated<M>`, `HashMap<K, V>`, `OpenEnum<E>`) are inferred
//! ([`kind_of`]); attributes say the rest (`sint32`, `fixed64`, `enum`, and the feature words
//! `delimited`, `expanded`, `closed_enum`, `required`, ...), over the defaults of the
//! message's preset (`syntax = "proto2"`, `edition = "2023"`) and feature words
//! ([`Defaults`]). The features must agree with the Rust types: presence with the holder
//! (`Option<T>` or the value itself), an enum's openness with its storage (`OpenEnum<E>` or
//! `E`). Rules that look at one field at a time are applied here; rules across fields are in
//! [`check`](super::check).

use super::attr::{self, FieldAttrs, JsonName, KindWord, MemberAttrs, Number, OneofAttrs, Spanned};
use super::ctxt::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{GenericArgument, Ident, Lit, PathArguments, Type};
use zpb_naming::features::{self as feat, EnumType, MessageEncoding, Preset, RepeatedEncoding};
use zpb_naming::{FieldShape, Scalar};

/// The protobuf type of a field's values.
#[derive(Clone)]
pub enum Kind {
    /// A scalar (`int32`, `sint64`, `double`, ...).
    Scalar(Scalar),
    /// `string`, stored as `String`, or as `zpb::ThinString` (`thin`: one pointer, what
    /// generated code stores).
    String {
        /// Stored as `zpb::ThinString`.
        thin: bool,
    },
    /// `bytes`, stored as `Vec<u8>`.
    Bytes,
    /// `bytes`, stored as `bytes::Bytes`.
    SharedBytes,
    /// A message of this type.
    Message(Type),
    /// A message of this type in group encoding.
    Group(Type),
    /// `closed` when stored as the enum itself (proto2), open when stored as `OpenEnum<E>`.
    Enum {
        /// The enum type `E`.
        ty: Type,
        /// Stored as `E` (closed) rather than `OpenEnum<E>`.
        closed: bool,
    },
}

impl Kind {
    /// Scalars and enums: packable, copied by value.
    pub fn is_packable(&self) -> bool {
        matches!(self, Kind::Scalar(_) | Kind::Enum { .. })
    }

    /// Messages and groups.
    pub fn is_message(&self) -> bool {
        matches!(self, Kind::Message(_) | Kind::Group(_))
    }

    /// The enum type of a closed enum (whose unknown numbers go to the unknown fields).
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

/// Whether a singular field tracks being set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presence {
    /// No presence (proto3): unset is the default value.
    Implicit,
    /// `optional` (or a message field).
    Optional,
    /// `required` (proto2): `is_initialized` checks it is set.
    Required,
}

/// How a field holds its values. (Sizes differ; the model lives only during expansion.)
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Shape {
    /// One value, held in `holder`.
    Singular {
        /// Whether it tracks being set.
        presence: Presence,
        /// Where the value lives.
        holder: Holder,
    },
    /// `Vec<T>` or `zpb::Repeated<T>`.
    Repeated {
        /// Written packed (scalars and enums unless `unpacked`).
        packed: bool,
    },
    /// `HashMap<K, V>` or `BTreeMap<K, V>`.
    Map {
        /// The kind of the keys.
        key: Kind,
        /// The kind of the values.
        value: Kind,
    },
    /// `Option<E>` where `E` is a oneof enum.
    Oneof {
        /// The members' field numbers (`oneof = "1, 2"`).
        numbers: Vec<u32>,
        /// The oneof enum `E`.
        ty: Type,
    },
}

/// A float default: a number, or one of the special values.
#[derive(Clone)]
pub enum FloatValue {
    /// `"inf"`
    Infinity,
    /// `"-inf"`
    NegInfinity,
    /// `"nan"`
    Nan,
    /// Given as text (`"1e10"`).
    Parsed(f64),
    /// Given as an integer literal, cast to the float type.
    Int(syn::LitInt),
}

/// A proto2 default value (`default = ...`), checked against the field's kind.
#[derive(Clone)]
pub enum DefaultValue {
    /// A literal of the value type as written: an integer, float or bool for scalars, a string
    /// for strings, a byte string for bytes.
    Literal(Lit),
    /// A float or double given as text or as an integer.
    Float {
        /// `double` (else `float`).
        double: bool,
        /// The value.
        value: FloatValue,
    },
    /// The variant of the field's enum.
    Enum(Ident),
}

/// One field of a message.
pub struct Field {
    /// The Rust field.
    pub ident: Ident,
    /// Where errors about the field point (its name).
    pub span: Span,
    /// The field number (for a oneof, its first member's).
    pub number: u32,
    /// The kind of the values (for maps, the value kind; unused for oneofs).
    pub kind: Kind,
    /// How the field holds its values.
    pub shape: Shape,
    /// The element type: `T` of `Option<T>`, `Vec<T>`, `Repeated<T>`, `MessageField<T>`.
    pub value_ty: Type,
    /// The field's whole Rust type.
    pub ty: Type,
    /// The proto name (text format, missing-field paths).
    pub proto_name: String,
    /// `json_name = "..."`, when given.
    pub json_name: Option<JsonName>,
    /// The proto2 default returned by `x()` when unset.
    pub default: Option<DefaultValue>,
    /// The field's `#[deprecated]`, repeated on its accessors.
    pub deprecated: Option<syn::Attribute>,
}

impl Field {
    /// The field's name without `r#`, for accessor names.
    pub fn base_name(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// The field's shape as far as its accessors go (which names it takes).
    pub fn field_shape(&self) -> FieldShape {
        match &self.shape {
            Shape::Singular {
                presence: Presence::Implicit,
                ..
            } => FieldShape::Implicit {
                by_value: self.kind.is_packable(),
            },
            Shape::Singular { .. } => FieldShape::Present,
            Shape::Repeated { .. } => FieldShape::Repeated,
            Shape::Map { .. } => FieldShape::Map,
            Shape::Oneof { .. } => FieldShape::Oneof,
        }
    }

    /// The field's name in the descriptor, which JSON accepts (and prints with
    /// `proto_names`): the proto name, except that a group's field is named by the lowercase
    /// of its type name (the proto name here), as protoc names it.
    pub fn field_name(&self) -> String {
        match self.kind {
            Kind::Group(_) => self.proto_name.to_ascii_lowercase(),
            _ => self.proto_name.clone(),
        }
    }

    /// The field's JSON name: `json_name` if given, else protoc's default for its
    /// [`field_name`](Self::field_name) (`foo_bar` → `fooBar`).
    pub fn effective_json_name(&self) -> String {
        match &self.json_name {
            Some(j) => j.value.clone(),
            None => zpb_naming::default_json_name(&self.field_name()),
        }
    }
}

/// A struct deriving `zpb::Message`.
pub struct MessageModel {
    /// The struct.
    pub ident: Ident,
    /// The full proto name (`name = "pkg.Msg"`, else the struct's name).
    pub full_name: String,
    /// Every field but the `MessageState` one, in declaration order.
    pub fields: Vec<Field>,
    /// The `zpb::MessageState` field.
    pub state: Ident,
    /// `#[zpb(clone)]`: emit `Clone` (with a storage-reusing `clone_from`).
    pub clone: bool,
    /// Field names the message reserves (`reserved_names = "a, b"`): the text-format parser
    /// skips them, as C++ does.
    pub reserved_names: Vec<String>,
    /// `descriptor = "..."`: the generated file static declaring the message, whose
    /// descriptor `zpb::reflect::ReflectMessage` answers with (else one is synthesized).
    pub descriptor: Option<syn::Path>,
}

impl MessageModel {
    /// The slot of oneof or map field `f` in the message's `FieldSpares` (its index among
    /// the oneof and map fields, in declaration order), where its storage is kept across
    /// `clear()`.
    pub fn spare_slot(&self, f: &Field) -> usize {
        self.fields
            .iter()
            .filter(|g| matches!(g.shape, Shape::Oneof { .. } | Shape::Map { .. }))
            .take_while(|g| g.ident != f.ident)
            .count()
    }
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

/// The name of `zpb::ThinString`, the pointer-sized string, whose kind is `string`.
const THIN_STRING: &str = "ThinString";

/// The name of `zpb::OptionalThinString`, a string field with presence holding a
/// `zpb::ThinString`.
const OPTIONAL_THIN_STRING: &str = "OptionalThinString";

fn is_vec_u8(ty: &Type) -> bool {
    matches!(split_type(ty), Some((n, a)) if n == "Vec" && a.len() == 1 && type_name(a[0]) == "u8")
}

/// Decides the kind of values of type `ty` from an explicit word or the type itself.
pub fn kind_of(word: Option<KindWord>, ty: &Type, span: Span) -> syn::Result<Kind> {
    let (name, args) = split_type(ty).unwrap_or_default();
    let thin = name == THIN_STRING && args.is_empty();
    if let Some(w) = word {
        if thin && w != KindWord::String {
            return Err(syn::Error::new(
                span,
                "a zpb::ThinString holds a `string` (write `string` or leave the kind out)",
            ));
        }
        return Ok(match w {
            KindWord::Scalar(s) => Kind::Scalar(s),
            KindWord::String => Kind::String { thin },
            KindWord::Bytes if name == "Bytes" => Kind::SharedBytes,
            KindWord::Bytes => Kind::Bytes,
            KindWord::Message => Kind::Message(ty.clone()),
            KindWord::Group => Kind::Group(ty.clone()),
            KindWord::Enum => match (name.as_str(), args.as_slice()) {
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
        ("String", []) => Kind::String { thin: false },
        (THIN_STRING, []) => Kind::String { thin: true },
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
    attr: Option<&attr::MapAttr>,
    k_ty: &Type,
    v_ty: &Type,
    span: Span,
) -> syn::Result<(Kind, Kind)> {
    let key = kind_of(attr.map(|m| m.key), k_ty, span)?;
    let value = kind_of(attr.map(|m| m.value), v_ty, span)?;
    match &key {
        Kind::Scalar(s) if !s.is_float() => {}
        Kind::String { thin: false } => {}
        Kind::String { thin: true } => {
            return Err(syn::Error::new(
                span,
                "map keys are stored as String (zpb::ThinString is for singular and repeated fields and map values)",
            ))
        }
        _ => {
            return Err(syn::Error::new(
                span,
                "map keys must be integers, bool or string",
            ))
        }
    }
    Ok((key, value))
}

/// Checks a `default = ...` against the kind of the field's values.
fn default_value(kind: &Kind, lit: Lit) -> syn::Result<DefaultValue> {
    let bad = || syn::Error::new(lit.span(), "default value does not fit the field's type");
    Ok(match (kind, &lit) {
        (Kind::Scalar(s), Lit::Str(text)) if s.is_float() => DefaultValue::Float {
            double: *s == Scalar::Double,
            value: match text.value().as_str() {
                "inf" => FloatValue::Infinity,
                "-inf" => FloatValue::NegInfinity,
                "nan" => FloatValue::Nan,
                other => FloatValue::Parsed(other.parse().map_err(|_| bad())?),
            },
        },
        (Kind::Scalar(s), Lit::Int(i)) if s.is_float() => DefaultValue::Float {
            double: *s == Scalar::Double,
            value: FloatValue::Int(i.clone()),
        },
        (Kind::Scalar(_), Lit::Int(_) | Lit::Float(_) | Lit::Bool(_))
        | (Kind::String { .. }, Lit::Str(_))
        | (Kind::Bytes | Kind::SharedBytes, Lit::ByteStr(_)) => DefaultValue::Literal(lit),
        (Kind::Bytes | Kind::SharedBytes, Lit::Str(s)) => DefaultValue::Literal(Lit::ByteStr(
            syn::LitByteStr::new(s.value().as_bytes(), s.span()),
        )),
        (Kind::Enum { .. }, Lit::Str(s)) => DefaultValue::Enum(
            syn::parse_str::<Ident>(&s.value())
                .map(|i| Ident::new(&i.to_string(), s.span()))
                .map_err(|_| bad())?,
        ),
        _ => return Err(bad()),
    })
}

/// The feature defaults of a message's fields: its preset's (`syntax = "proto2"`,
/// `edition = "2023"`, ...), overridden by the feature words on the struct.
#[derive(Clone, Copy)]
pub struct Defaults {
    /// The presence of singular fields, when said: with `EXPLICIT`, a field stored as the
    /// value itself must say `implicit`. (`None`: the holder decides.)
    pub presence: Option<feat::Presence>,
    /// How repeated scalars and enums are written (`PACKED` when nothing says).
    pub repeated: RepeatedEncoding,
    /// How message fields are written (`LENGTH_PREFIXED` when nothing says).
    pub message: MessageEncoding,
}

impl Defaults {
    /// The defaults of `preset` with the struct's own feature words over them.
    pub fn new(preset: Option<Preset>, own: &attr::Features) -> Defaults {
        Defaults {
            presence: own.presence.map(|f| f.value).or(preset.map(|p| p.presence)),
            repeated: own
                .repeated
                .map(|f| f.value)
                .or(preset.map(|p| p.repeated))
                .unwrap_or(RepeatedEncoding::Packed),
            message: own
                .message
                .map(|f| f.value)
                .or(preset.map(|p| p.message))
                .unwrap_or(MessageEncoding::LengthPrefixed),
        }
    }
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults::new(None, &attr::Features::default())
    }
}

/// The kind of values of type `ty` given the kind word and the features: `delimited` (or the
/// message default `message`) writes a message as a group, `closed_enum` / `open_enum` name
/// an enum whose storage must match (`E` closed, `zpb::OpenEnum<E>` open).
///
/// # Errors
/// A feature that does not fit the kind or the storage.
fn featured_kind(
    word: Option<KindWord>,
    ty: &Type,
    span: Span,
    features: &attr::Features,
    message: MessageEncoding,
) -> syn::Result<Kind> {
    // A feature word of enums or messages names the kind when no kind word does (so a
    // message type named like a scalar, `String`, still reads as a message).
    let word = word
        .or(features.enum_type.map(|_| KindWord::Enum))
        .or(features.message.map(|_| KindWord::Message));
    let kind = kind_of(word, ty, span)?;
    if let Some(Spanned { value, span }) = features.enum_type {
        match (&kind, value) {
            (Kind::Enum { closed: true, .. }, EnumType::Closed)
            | (Kind::Enum { closed: false, .. }, EnumType::Open) => {}
            (Kind::Enum { .. }, EnumType::Closed) => {
                return Err(syn::Error::new(span, "a closed enum is stored as the enum itself (`E`, `Option<E>`, `Vec<E>`), not as `zpb::OpenEnum<E>`"));
            }
            (Kind::Enum { .. }, EnumType::Open) => {
                return Err(syn::Error::new(span, "an open enum is stored as `zpb::OpenEnum<E>`, which keeps the numbers `E` does not name"));
            }
            _ => {
                return Err(syn::Error::new(
                    span,
                    "`open_enum` and `closed_enum` apply to enum fields",
                ))
            }
        }
    }
    Ok(match (kind, features.message) {
        (
            Kind::Message(t),
            Some(Spanned {
                value: MessageEncoding::Delimited,
                ..
            }),
        ) => Kind::Group(t),
        (Kind::Message(t), None) if message == MessageEncoding::Delimited => Kind::Group(t),
        (
            Kind::Group(_),
            Some(Spanned {
                value: MessageEncoding::LengthPrefixed,
                span,
            }),
        ) => {
            return Err(syn::Error::new(
                span,
                "a `group` is delimited; write `message` for a length-prefixed message field",
            ));
        }
        (kind, Some(Spanned { span, .. })) if !kind.is_message() => {
            return Err(syn::Error::new(
                span,
                "only message fields take a message encoding (`delimited`, `length_prefixed`)",
            ));
        }
        (kind, _) => kind,
    })
}

/// What every field builder starts from: the Rust field and its parsed attributes.
struct FieldInput<'a> {
    ident: Ident,
    span: Span,
    /// The field's whole Rust type.
    ty: &'a Type,
    /// The outer type's name and arguments (`Option`, `[T]`).
    outer: String,
    args: Vec<&'a Type>,
    attrs: FieldAttrs,
    deprecated: Option<syn::Attribute>,
    /// The message's feature defaults.
    defaults: Defaults,
}

impl FieldInput<'_> {
    /// The field, with what the shape decided.
    fn build(
        &self,
        number: u32,
        kind: Kind,
        shape: Shape,
        value_ty: &Type,
        default: Option<DefaultValue>,
    ) -> Field {
        Field {
            ident: self.ident.clone(),
            span: self.span,
            number,
            kind,
            shape,
            value_ty: value_ty.clone(),
            ty: self.ty.clone(),
            proto_name: (self.attrs.name.clone()).unwrap_or_else(|| self.ident.unraw().to_string()),
            json_name: self.attrs.json_name.clone(),
            default,
            deprecated: self.deprecated.clone(),
        }
    }

    /// The kind of values of type `ty`, from the kind word, the feature words and the
    /// message's default message encoding ([`featured_kind`]).
    fn kind(&self, ty: &Type) -> syn::Result<Kind> {
        let word = self.attrs.kind.map(|(k, _)| k);
        featured_kind(
            word,
            ty,
            self.span,
            &self.attrs.features,
            self.defaults.message,
        )
    }

    /// The field number, which every field but a oneof needs.
    fn number(&self) -> syn::Result<u32> {
        let n = self.attrs.number;
        n.map(|n| n.value)
            .ok_or_else(|| syn::Error::new(self.span, "missing field number: #[zpb(1)]"))
    }

    /// `default = ...` checked against `kind`.
    fn default(&self, kind: &Kind) -> syn::Result<Option<DefaultValue>> {
        let d = self.attrs.default.clone();
        d.map(|d| default_value(kind, d)).transpose()
    }

    /// `(outer, [arg])` when the type is `outer<arg>`.
    fn one_arg(&self) -> Option<(&str, &Type)> {
        match self.args.as_slice() {
            [t] => Some((self.outer.as_str(), *t)),
            _ => None,
        }
    }
}

/// Builds the model of one field of a message with feature defaults `defaults`.
pub fn field(f: &syn::Field, defaults: Defaults) -> syn::Result<Field> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(f, "zpb messages need named fields"))?;
    let span = ident.span();
    let items = attr::items(&f.attrs)?;
    if items.is_empty() {
        return Err(syn::Error::new(span, "field has no #[zpb(...)] attribute (every field but the zpb::MessageState one needs a field number)"));
    }
    let (outer, args) = split_type(&f.ty).unwrap_or_default();
    let input = FieldInput {
        ident,
        span,
        ty: &f.ty,
        outer,
        args,
        attrs: FieldAttrs::parse(items)?,
        deprecated: attr::deprecated(&f.attrs).cloned(),
        defaults,
    };
    if let Some(numbers) = &input.attrs.oneof {
        return oneof_field(&input, numbers);
    }
    if matches!(input.outer.as_str(), "HashMap" | "BTreeMap") || input.attrs.map.is_some() {
        return map_field(&input);
    }
    let repeated_elem = match input.one_arg() {
        Some(("Repeated", t)) => Some((t, true)),
        Some(("Vec", t)) if !is_vec_u8(input.ty) || input.attrs.repeated => Some((t, false)),
        _ => None,
    };
    if let Some((elem, retained)) = repeated_elem {
        return repeated_field(&input, elem, retained);
    }
    singular_field(&input)
}

/// A oneof field: `Option<E>` with `oneof = "1, 2"`.
fn oneof_field(input: &FieldInput<'_>, numbers: &[Number]) -> syn::Result<Field> {
    let (span, a) = (input.span, &input.attrs);
    let Some(("Option", inner)) = input.one_arg() else {
        return Err(syn::Error::new_spanned(
            input.ty,
            "a oneof field must be Option<OneofEnum>",
        ));
    };
    let Some(first) = numbers.first() else {
        return Err(syn::Error::new(
            span,
            "a oneof lists its field numbers: #[zpb(oneof = \"1, 2\")]",
        ));
    };
    let features = a.features.first_of(true, true, true, true);
    if a.number.is_some()
        || a.kind.is_some()
        || a.map.is_some()
        || a.default.is_some()
        || features.is_some()
    {
        return Err(syn::Error::new(
            features.unwrap_or(span),
            "a oneof field takes only `oneof = \"...\"` and `name`; its members' numbers, types and features are on the enum's variants",
        ));
    }
    let shape = Shape::Oneof {
        numbers: numbers.iter().map(|n| n.value).collect(),
        ty: inner.clone(),
    };
    let kind = Kind::Message(inner.clone());
    Ok(input.build(first.value, kind, shape, inner, None))
}

/// A map field: `HashMap<K, V>` or `BTreeMap<K, V>`.
fn map_field(input: &FieldInput<'_>) -> syn::Result<Field> {
    let number = input.number()?;
    let [k, v] = input.args.as_slice() else {
        return Err(syn::Error::new_spanned(
            input.ty,
            "a map field must be HashMap<K, V> or BTreeMap<K, V>",
        ));
    };
    let f = &input.attrs.features;
    if let Some(span) = f.first_of(true, true, false, false) {
        return Err(syn::Error::new(
            span,
            "a map field takes no presence or repeated encoding",
        ));
    }
    if let Some(Spanned { span, .. }) = f.message {
        return Err(syn::Error::new(
            span,
            "map fields are always length-prefixed (their entries are messages)",
        ));
    }
    let (key, mut value) = map_kinds(input.attrs.map.as_ref(), k, v, input.span)?;
    if f.enum_type.is_some() {
        let word = input.attrs.map.as_ref().map(|m| m.value);
        value = featured_kind(word, v, input.span, f, MessageEncoding::LengthPrefixed)?;
    }
    let shape = Shape::Map {
        key,
        value: value.clone(),
    };
    Ok(input.build(number, value, shape, v, None))
}

/// A repeated field of `elem`: `Vec<T>`, or `zpb::Repeated<T>` (`retained`).
fn repeated_field(input: &FieldInput<'_>, elem: &Type, retained: bool) -> syn::Result<Field> {
    let a = &input.attrs;
    let number = input.number()?;
    let kind = input.kind(elem)?;
    let packable = kind.is_packable();
    let encoding = a.features.repeated;
    if let Some(Spanned {
        value: RepeatedEncoding::Packed,
        span,
    }) = encoding.filter(|_| !packable)
    {
        return Err(syn::Error::new(
            span,
            "only scalar and enum fields can be packed",
        ));
    }
    if retained && packable {
        return Err(syn::Error::new_spanned(input.ty, "repeated scalars and enums are stored in Vec<T> (Repeated<T> is for strings, bytes and messages)"));
    }
    if let Some(p) = a.features.presence {
        return Err(syn::Error::new(
            p.span,
            "a repeated field has no presence (explicit, implicit, optional or required)",
        ));
    }
    let default = input.default(&kind)?;
    let encoding = encoding.map_or(input.defaults.repeated, |e| e.value);
    let shape = Shape::Repeated {
        packed: packable && encoding == RepeatedEncoding::Packed,
    };
    Ok(input.build(number, kind, shape, elem, default))
}

/// A singular field: the value itself, `Option<T>`, `zpb::Optional<T>` or
/// `zpb::MessageField<M>`.
fn singular_field(input: &FieldInput<'_>) -> syn::Result<Field> {
    let (span, ty, a) = (input.span, input.ty, &input.attrs);
    let number = input.number()?;
    if a.repeated {
        return Err(syn::Error::new_spanned(
            ty,
            "a repeated field must be Vec<T> or zpb::Repeated<T>",
        ));
    }
    if let Some(e) = a.features.repeated {
        return Err(syn::Error::new(
            e.span,
            "packed/expanded applies to repeated fields only",
        ));
    }
    // `OptionalThinString` is `Optional<ThinString>` in one pointer: the same holder.
    let thin: Type = syn::parse_quote!(::zpb::ThinString);
    let (holder, elem) = match input.one_arg() {
        Some(("Option", t)) => (Holder::Option, t),
        Some(("Optional", t)) => (Holder::Optional, t),
        Some(("MessageField", t)) => (Holder::MessageField, t),
        None if input.outer == OPTIONAL_THIN_STRING && input.args.is_empty() => {
            (Holder::Optional, &thin)
        }
        _ => (Holder::Plain, ty),
    };
    let mut kind = input.kind(elem)?;
    if holder == Holder::MessageField {
        if !kind.is_message() {
            kind = Kind::Message(elem.clone());
        }
    } else if kind.is_message() && holder == Holder::Plain {
        return Err(syn::Error::new_spanned(
            ty,
            "a message field is stored in zpb::MessageField<M> (or Option<M>)",
        ));
    }
    let plain = holder == Holder::Plain;
    let presence = match a.features.presence {
        Some(Spanned {
            value: feat::Presence::LegacyRequired,
            ..
        }) if plain => {
            return Err(syn::Error::new_spanned(ty, "a required field needs presence: store it in Option<T>, zpb::Optional<T> or zpb::MessageField<M>"));
        }
        Some(Spanned {
            value: feat::Presence::LegacyRequired,
            ..
        }) => Presence::Required,
        Some(Spanned {
            value: feat::Presence::Explicit,
            ..
        }) if plain => {
            return Err(syn::Error::new_spanned(ty, "a field with explicit presence (`explicit`, `optional`) is stored in Option<T>, zpb::Optional<T> (strings, bytes) or zpb::MessageField<M>"));
        }
        Some(Spanned {
            value: feat::Presence::Implicit,
            span,
        }) if !plain => {
            return Err(syn::Error::new(span, "a field with implicit presence is stored as the value itself, not in Option<T>, zpb::Optional<T> or zpb::MessageField<M>"));
        }
        Some(Spanned {
            value: feat::Presence::Implicit,
            ..
        }) => Presence::Implicit,
        None if plain && input.defaults.presence == Some(feat::Presence::Explicit) => {
            return Err(syn::Error::new_spanned(ty, "this message's fields have explicit presence (its `syntax`, `edition` or `explicit`): store the field in Option<T> or zpb::Optional<T>, or say `implicit`"));
        }
        None if plain => Presence::Implicit,
        _ => Presence::Optional,
    };
    if a.default.is_some() && presence == Presence::Implicit {
        return Err(syn::Error::new(
            span,
            "a default value needs a field with presence (proto2 optional or required)",
        ));
    }
    let default = input.default(&kind)?;
    let shape = Shape::Singular { presence, holder };
    Ok(input.build(number, kind, shape, elem, default))
}

/// Builds the model of a message struct, collecting every field error.
pub fn message(input: &syn::DeriveInput, errors: &mut Errors) -> Option<MessageModel> {
    let syn::Data::Struct(data) = &input.data else {
        errors.push(syn::Error::new_spanned(&input.ident, "#[derive(zpb::Message)] works on structs (use zpb::Oneof or zpb::Enumeration on enums)"));
        return None;
    };
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "zpb messages cannot be generic",
        ));
        return None;
    }
    let attrs = errors.take(attr::message(&input.attrs))?;
    let defaults = Defaults::new(attrs.preset, &attrs.features);
    let full_name = attrs.name.unwrap_or_else(|| input.ident.to_string());
    let mut fields = Vec::new();
    let mut state = None;
    for f in &data.fields {
        if type_name(&f.ty) == "MessageState" && !attr::has_zpb(&f.attrs) {
            if state.is_some() {
                errors.push(syn::Error::new_spanned(
                    &f.ty,
                    "only one zpb::MessageState field is allowed",
                ));
            }
            state = f.ident.clone();
            continue;
        }
        fields.extend(errors.take(field(f, defaults)));
    }
    let state = match state {
        Some(s) => s,
        None => {
            errors.push(syn::Error::new_spanned(&input.ident, "a zpb message needs a field of type zpb::MessageState (it keeps unknown fields and the cached size), e.g. `_state: zpb::MessageState`"));
            Ident::new("_state", Span::call_site())
        }
    };
    Some(MessageModel {
        ident: input.ident.clone(),
        full_name,
        fields,
        state,
        clone: attrs.clone,
        reserved_names: attrs.reserved_names,
        descriptor: attrs.descriptor,
    })
}

/// One member (variant) of a oneof.
pub struct Member {
    /// The variant.
    pub variant: Ident,
    /// The member's field number.
    pub number: Number,
    /// The kind of its value.
    pub kind: Kind,
    /// The variant's payload type (`M` or `Box<M>` for messages).
    pub ty: Type,
    /// The value type the kind stores (`M` for `Box<M>`).
    pub value_ty: Type,
    /// Whether the payload is `Box<M>`.
    pub boxed: bool,
    /// The proto name (text format, missing-field paths).
    pub name: String,
    /// The base of the member's accessors on the message (`x`, `has_x`, ...), or why there
    /// is none (checked only when the accessors are generated).
    pub accessor: syn::Result<String>,
}

/// The message and field a oneof's member accessors go on (`message = "..."`,
/// `field = "..."`).
pub struct Parent {
    /// The message type.
    pub message: Type,
    /// Its field holding the oneof.
    pub field: Ident,
}

/// An enum deriving `zpb::Oneof`.
pub struct OneofModel {
    /// The enum.
    pub ident: Ident,
    /// Its variants, in declaration order.
    pub members: Vec<Member>,
    /// Where the member accessors go, if the enum says.
    pub parent: Option<Parent>,
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
    let a = MemberAttrs::parse(&v.attrs)?;
    let number = a
        .number
        .ok_or_else(|| syn::Error::new(span, "missing field number: #[zpb(1)]"))?;
    let (boxed, value_ty) = match split_type(&ty) {
        Some((n, args)) if n == "Box" && args.len() == 1 => (true, args[0].clone()),
        _ => (false, ty.clone()),
    };
    let kind = featured_kind(
        a.kind,
        &value_ty,
        span,
        &a.features,
        MessageEncoding::LengthPrefixed,
    )?;
    let name = a
        .name
        .unwrap_or_else(|| zpb_naming::variant_proto_name(&v.ident.to_string()));
    let accessor = accessor_base(&name, a.accessor, span);
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

/// Builds the model of a oneof enum, collecting every member error.
pub fn oneof(input: &syn::DeriveInput, errors: &mut Errors) -> Option<OneofModel> {
    let syn::Data::Enum(data) = &input.data else {
        errors.push(syn::Error::new_spanned(
            &input.ident,
            "#[derive(zpb::Oneof)] works on enums",
        ));
        return None;
    };
    let a = errors.take(OneofAttrs::parse(&input.attrs))?;
    let parent = match (a.message, a.field) {
        (Some(message), Some(field)) => Some(Parent { message, field }),
        (None, None) => None,
        _ => {
            errors.push(syn::Error::new_spanned(
                &input.ident,
                "name both the message and the field: #[zpb(message = \"Msg\", field = \"kind\")]",
            ));
            return None;
        }
    };
    let members = data
        .variants
        .iter()
        .filter_map(|v| errors.take(member(v)))
        .collect();
    Some(OneofModel {
        ident: input.ident.clone(),
        members,
        parent,
    })
}

/// One value of an enum deriving `zpb::Enumeration`.
pub struct EnumValue {
    /// The variant.
    pub variant: Ident,
    /// The proto name (`FOO_BAR`).
    pub name: String,
    /// Other names of the same number (`allow_alias`, `aliases = "FOO, foo"`): parsed from
    /// JSON and text format, never printed.
    pub aliases: Vec<String>,
    /// The discriminant expression.
    pub number: syn::Expr,
}

/// An enum deriving `zpb::Enumeration`.
pub struct EnumModel {
    /// The enum.
    pub ident: Ident,
    /// The full proto name (`name = "pkg.Enum"`, else the enum's name).
    pub full_name: String,
    /// Its values, in declaration order.
    pub values: Vec<EnumValue>,
    /// `descriptor = "..."`: the generated file static declaring the enum, whose descriptor
    /// `zpb::reflect::ReflectEnum` answers with (else one is synthesized).
    pub descriptor: Option<syn::Path>,
}

fn enum_value(v: &syn::Variant) -> syn::Result<EnumValue> {
    if !matches!(v.fields, syn::Fields::Unit) {
        return Err(syn::Error::new_spanned(v, "enum values carry no data"));
    }
    let Some((_, expr)) = &v.discriminant else {
        return Err(syn::Error::new_spanned(
            &v.ident,
            "give every value its number: `Name = 1`",
        ));
    };
    let (name, aliases) = attr::name_and_list(&v.attrs, "PROTO_VALUE_NAME", Some("aliases"))?;
    let name =
        name.unwrap_or_else(|| zpb_naming::variant_proto_name(&v.ident.to_string()).to_uppercase());
    Ok(EnumValue {
        variant: v.ident.clone(),
        name,
        aliases,
        number: expr.clone(),
    })
}

/// Builds the model of an enum, collecting every value error.
pub fn enumeration(input: &syn::DeriveInput, errors: &mut Errors) -> Option<EnumModel> {
    let syn::Data::Enum(data) = &input.data else {
        errors.push(syn::Error::new_spanned(
            &input.ident,
            "#[derive(zpb::Enumeration)] works on enums",
        ));
        return None;
    };
    let (name, descriptor) = errors.take(attr::enumeration(&input.attrs))?;
    let full_name = name.unwrap_or_else(|| input.ident.to_string());
    let values = data
        .variants
        .iter()
        .filter_map(|v| errors.take(enum_value(v)))
        .collect();
    Some(EnumModel {
        ident: input.ident.clone(),
        full_name,
        values,
        descriptor,
    })
}
