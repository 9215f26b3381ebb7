//! The `#[zpb(...)]` attribute language, parsed into typed attributes: [`FieldAttrs`] for a
//! message field, [`MemberAttrs`] for a oneof variant, [`OneofAttrs`] for a oneof enum,
//! [`message`] for messages, [`enumeration`] for enums and [`name_and_list`] for enum values.
//!
//! An attribute is a comma-separated list of items: a bare integer (the field number), a bare
//! word (`sint32`, `enum`, or a feature word of [`zpb_naming::features`]: `explicit`,
//! `delimited`, `expanded`, `closed_enum`, ...), or `key = literal`. Every field number
//! (a field's, a oneof member's, each of a oneof's list) goes through [`field_number`]; a key
//! or flag given twice and an unknown word are errors.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Lit, LitInt, Token};
use zpb_naming::features::{
    EnumType, Feature, MessageEncoding, Presence, Preset, RepeatedEncoding, PRESETS,
};
use zpb_naming::Scalar;

/// One item of a `#[zpb(...)]` list.
pub enum Item {
    /// A bare integer: the field number.
    Number(LitInt),
    /// A bare word: a type (`sint32`) or a flag (`optional`).
    Word(Ident),
    /// `key = literal`.
    KeyValue(Ident, Lit),
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitInt) {
            return Ok(Item::Number(input.parse()?));
        }
        // `Ident::parse_any` accepts keywords, so `enum` and `type` work as words.
        let ident = Ident::parse_any(input)?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let neg = input.peek(Token![-]);
            if neg {
                input.parse::<Token![-]>()?;
            }
            let lit: Lit = input.parse()?;
            let lit = if neg { negate(lit)? } else { lit };
            return Ok(Item::KeyValue(ident, lit));
        }
        Ok(Item::Word(ident))
    }
}

fn negate(lit: Lit) -> syn::Result<Lit> {
    Ok(match lit {
        Lit::Int(i) => Lit::Int(LitInt::new(&format!("-{}", i.base10_digits()), i.span())),
        Lit::Float(f) => Lit::Float(syn::LitFloat::new(
            &format!("-{}", f.base10_digits()),
            f.span(),
        )),
        other => {
            return Err(syn::Error::new(
                other.span(),
                "only numbers can be negative",
            ))
        }
    })
}

/// The items of every `#[zpb(...)]` attribute in `attrs`, in order.
pub fn items(attrs: &[Attribute]) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("zpb")) {
        let list =
            attr.parse_args_with(syn::punctuated::Punctuated::<Item, Token![,]>::parse_terminated)?;
        items.extend(list);
    }
    Ok(items)
}

/// Whether `attrs` has a `#[zpb(...)]` attribute.
pub fn has_zpb(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("zpb"))
}

/// Words other protobuf crates use that zpb does not accept, with the word to write instead.
const ALIASES: &[(&str, &str)] = &[
    ("tag", "a bare field number (`1`) or `number = 1`"),
    ("tags", "`oneof = \"1, 2\"`"),
    ("enumeration", "`enum`"),
];

/// The error for a word or key that `place` does not take; `expected` lists what it takes.
fn unknown(word: &Ident, place: &str, expected: &str) -> syn::Error {
    let w = word.to_string();
    if let Some((_, canonical)) = ALIASES.iter().find(|(alias, _)| *alias == w) {
        return syn::Error::new(
            word.span(),
            format!("`{w}` is not a zpb attribute; write {canonical}"),
        );
    }
    syn::Error::new(
        word.span(),
        format!("unknown zpb {place} `{w}`; expected {expected}"),
    )
}

/// Stores `value` in `slot`, rejecting a key or word given twice.
fn set_once<T>(slot: &mut Option<T>, value: T, key: &Ident) -> syn::Result<()> {
    if slot.replace(value).is_some() {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` is given twice"),
        ));
    }
    Ok(())
}

/// A field number and where it was written.
#[derive(Clone, Copy, Debug)]
pub struct Number {
    /// The number.
    pub value: u32,
    /// Where it was written.
    pub span: Span,
}

/// The largest field number protobuf allows.
const MAX_NUMBER: u64 = 536_870_911;

/// The rule every field number follows, whatever wrote it: 1 to 536870911, not in the range
/// 19000 to 19999 that protobuf reserves.
pub fn field_number(digits: &str, span: Span) -> syn::Result<Number> {
    let range = || syn::Error::new(span, "field number must be between 1 and 536870911");
    let value: u64 = digits.parse().map_err(|_| range())?;
    if value == 0 || value > MAX_NUMBER {
        return Err(range());
    }
    if (19000..=19999).contains(&value) {
        return Err(syn::Error::new(
            span,
            "field numbers 19000 to 19999 are reserved by protobuf",
        ));
    }
    Ok(Number {
        value: value as u32,
        span,
    })
}

/// Sets the field number of a field or oneof member: [`field_number`]'s rule, given once.
fn set_number(slot: &mut Option<Number>, lit: &Lit) -> syn::Result<()> {
    let Lit::Int(n) = lit else {
        return Err(syn::Error::new(
            lit.span(),
            "field number must be an integer",
        ));
    };
    let number = field_number(n.base10_digits(), n.span())?;
    if slot.replace(number).is_some() {
        return Err(syn::Error::new(n.span(), "field number given twice"));
    }
    Ok(())
}

/// Parses a list of field numbers like `"1, 2, 3"`, each by [`field_number`]'s rule.
fn number_list(lit: &Lit, key: &Ident) -> syn::Result<Vec<Number>> {
    let text = lit_str(lit, key)?;
    text.split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                field_number(s, lit.span())
            } else {
                Err(syn::Error::new(
                    lit.span(),
                    format!("`{s}` is not a field number"),
                ))
            }
        })
        .collect()
}

/// A string-valued key's content.
pub fn lit_str(lit: &Lit, key: &Ident) -> syn::Result<String> {
    match lit {
        Lit::Str(s) => Ok(s.value()),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("`{key}` takes a string"),
        )),
    }
}

/// The protobuf type a word names (`sint32`, `string`, `message`, `enum`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KindWord {
    /// A scalar word (`int32`, `sint64`, `double`, ...).
    Scalar(Scalar),
    /// `string`
    String,
    /// `bytes`
    Bytes,
    /// `message`
    Message,
    /// `group`
    Group,
    /// `enum`
    Enum,
}

impl KindWord {
    /// The type `word` names, if it names one.
    pub fn parse(word: &str) -> Option<KindWord> {
        if let Some(s) = Scalar::from_word(word) {
            return Some(KindWord::Scalar(s));
        }
        Some(match word {
            "string" => KindWord::String,
            "bytes" => KindWord::Bytes,
            "message" => KindWord::Message,
            "group" => KindWord::Group,
            "enum" => KindWord::Enum,
            _ => return None,
        })
    }
}

/// The `map = "key_type, value_type"` attribute.
pub struct MapAttr {
    /// The key type.
    pub key: KindWord,
    /// The value type.
    pub value: KindWord,
}

fn map_attr(lit: &Lit, key: &Ident) -> syn::Result<MapAttr> {
    let Lit::Str(_) = lit else {
        return Err(syn::Error::new(
            lit.span(),
            "`map` takes a string like \"sint32, string\"",
        ));
    };
    let text = lit_str(lit, key)?;
    let words: Vec<&str> = text.split(',').map(str::trim).collect();
    let [k, v] = words.as_slice() else {
        return Err(syn::Error::new(
            lit.span(),
            "`map` names two types: \"key_type, value_type\"",
        ));
    };
    let word = |w: &str| {
        KindWord::parse(w).ok_or_else(|| {
            syn::Error::new(
                lit.span(),
                format!("`{w}` is not a protobuf type (int32, sint64, string, bytes, message, enum, ...)"),
            )
        })
    };
    Ok(MapAttr {
        key: word(k)?,
        value: word(v)?,
    })
}

/// A `json_name = "..."` and where it was written.
#[derive(Clone)]
pub struct JsonName {
    /// The JSON name.
    pub value: String,
    /// Where it was written.
    pub span: Span,
}

/// A value and where it was written.
#[derive(Clone, Copy, Debug)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// The features an attribute's words set ([`zpb_naming::features`]), each at most once.
#[derive(Default, Clone, Copy)]
pub struct Features {
    /// `explicit` / `optional`, `implicit`, `required`.
    pub presence: Option<Spanned<Presence>>,
    /// `packed`, `expanded` / `unpacked`.
    pub repeated: Option<Spanned<RepeatedEncoding>>,
    /// `length_prefixed`, `delimited`.
    pub message: Option<Spanned<MessageEncoding>>,
    /// `open_enum`, `closed_enum`.
    pub enum_type: Option<Spanned<EnumType>>,
}

impl Features {
    /// Records the feature `w` names; `Ok(false)` when `w` is not a feature word.
    ///
    /// # Errors
    /// The same feature set twice (`packed, expanded`, `optional, explicit`).
    pub fn word(&mut self, w: &Ident) -> syn::Result<bool> {
        let Some(feature) = Feature::parse(&w.to_string()) else {
            return Ok(false);
        };
        let span = w.span();
        let twice = match feature {
            Feature::Presence(value) => self.presence.replace(Spanned { value, span }).is_some(),
            Feature::Repeated(value) => self.repeated.replace(Spanned { value, span }).is_some(),
            Feature::Message(value) => self.message.replace(Spanned { value, span }).is_some(),
            Feature::Enum(value) => self.enum_type.replace(Spanned { value, span }).is_some(),
        };
        if twice {
            return Err(syn::Error::new(
                span,
                format!(
                    "`{}` is given twice (by `{w}` and an earlier word)",
                    feature.name()
                ),
            ));
        }
        Ok(true)
    }

    /// The span of the first feature word given among the kinds asked for (presence,
    /// repeated encoding, message encoding, enum type), for "does not apply here" errors.
    pub fn first_of(
        &self,
        presence: bool,
        repeated: bool,
        message: bool,
        enums: bool,
    ) -> Option<Span> {
        [
            self.presence.filter(|_| presence).map(|f| f.span),
            self.repeated.filter(|_| repeated).map(|f| f.span),
            self.message.filter(|_| message).map(|f| f.span),
            self.enum_type.filter(|_| enums).map(|f| f.span),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

/// What a message field's attribute said, before looking at its type.
#[derive(Default)]
pub struct FieldAttrs {
    /// The field number (`1` or `number = 1`).
    pub number: Option<Number>,
    /// The protobuf type word and its span.
    pub kind: Option<(KindWord, Span)>,
    /// The feature words.
    pub features: Features,
    /// `repeated`
    pub repeated: bool,
    /// `map = "key_type, value_type"`
    pub map: Option<MapAttr>,
    /// `oneof = "1, 2"`: the field holds a oneof with these member numbers.
    pub oneof: Option<Vec<Number>>,
    /// `name = "..."`: the proto name.
    pub name: Option<String>,
    /// `json_name = "..."`
    pub json_name: Option<JsonName>,
    /// `default = ...`, checked against the kind by the model.
    pub default: Option<Lit>,
}

/// Sets a flag word, rejecting it given twice.
fn set_flag(flag: &mut bool, word: &Ident) -> syn::Result<()> {
    if std::mem::replace(flag, true) {
        return Err(syn::Error::new(
            word.span(),
            format!("`{word}` is given twice"),
        ));
    }
    Ok(())
}

const FIELD_WORDS: &str = "a field number, a protobuf type (int32, sint64, fixed32, string, bytes, message, group, enum, ...), repeated, a feature (explicit, implicit, required, packed, expanded, length_prefixed, delimited, open_enum, closed_enum; optional, unpacked), or key = value (name, default, map, oneof)";
const FIELD_KEYS: &str = "name, json_name, default, map, oneof or number";

impl FieldAttrs {
    /// Parses a message field's attribute items.
    pub fn parse(items: Vec<Item>) -> syn::Result<FieldAttrs> {
        let mut a = FieldAttrs::default();
        for item in items {
            match item {
                Item::Number(n) => set_number(&mut a.number, &Lit::Int(n))?,
                Item::Word(w) => a.word(&w)?,
                Item::KeyValue(k, v) => match k.to_string().as_str() {
                    "number" => set_number(&mut a.number, &v)?,
                    "name" => set_once(&mut a.name, lit_str(&v, &k)?, &k)?,
                    "json_name" => {
                        let json = JsonName {
                            value: lit_str(&v, &k)?,
                            span: v.span(),
                        };
                        if json.value.is_empty() {
                            return Err(syn::Error::new(json.span, "`json_name` is empty"));
                        }
                        set_once(&mut a.json_name, json, &k)?
                    }
                    "default" => set_once(&mut a.default, v, &k)?,
                    "map" => set_once(&mut a.map, map_attr(&v, &k)?, &k)?,
                    "oneof" => set_once(&mut a.oneof, number_list(&v, &k)?, &k)?,
                    _ => return Err(unknown(&k, "field key", FIELD_KEYS)),
                },
            }
        }
        Ok(a)
    }

    fn word(&mut self, w: &Ident) -> syn::Result<()> {
        let s = w.to_string();
        if let Some(kind) = KindWord::parse(&s) {
            if self.kind.replace((kind, w.span())).is_some() {
                return Err(syn::Error::new(w.span(), "the field's type is given twice"));
            }
            return Ok(());
        }
        if self.features.word(w)? {
            return Ok(());
        }
        match s.as_str() {
            "repeated" => set_flag(&mut self.repeated, w),
            _ => Err(unknown(w, "field attribute", FIELD_WORDS)),
        }
    }
}

/// What a oneof variant's attribute said.
#[derive(Default)]
pub struct MemberAttrs {
    /// The field number (`1` or `number = 1`).
    pub number: Option<Number>,
    /// The protobuf type word, when the Rust type does not say it.
    pub kind: Option<KindWord>,
    /// `name = "..."`: the proto name.
    pub name: Option<String>,
    /// `accessor = "..."` and the span of its string.
    pub accessor: Option<(String, Span)>,
    /// The feature words (a member takes `delimited` / `length_prefixed` and
    /// `open_enum` / `closed_enum`).
    pub features: Features,
}

const MEMBER_ITEMS: &str = "a field number, a protobuf type, length_prefixed, delimited, open_enum, closed_enum, name = \"...\" and accessor = \"...\"";

impl MemberAttrs {
    /// Parses a oneof variant's attributes.
    pub fn parse(attrs: &[Attribute]) -> syn::Result<MemberAttrs> {
        let mut a = MemberAttrs::default();
        for item in items(attrs)? {
            match item {
                Item::Number(n) => set_number(&mut a.number, &Lit::Int(n))?,
                Item::Word(w) => match KindWord::parse(&w.to_string()) {
                    Some(kind) => set_once(&mut a.kind, kind, &w).map_err(|_| {
                        syn::Error::new(w.span(), "the member's type is given twice")
                    })?,
                    None if a.features.word(&w)? => {
                        if let Some(span) = a.features.first_of(true, true, false, false) {
                            return Err(syn::Error::new(
                                span,
                                "a oneof member has explicit presence and one value: it takes no presence or repeated encoding",
                            ));
                        }
                    }
                    None => return Err(unknown(&w, "oneof variant attribute", MEMBER_ITEMS)),
                },
                Item::KeyValue(k, v) => match k.to_string().as_str() {
                    "number" => set_number(&mut a.number, &v)?,
                    "name" => set_once(&mut a.name, lit_str(&v, &k)?, &k)?,
                    "accessor" => set_once(&mut a.accessor, (lit_str(&v, &k)?, v.span()), &k)?,
                    _ => return Err(unknown(&k, "oneof variant key", MEMBER_ITEMS)),
                },
            }
        }
        Ok(a)
    }
}

/// What a oneof enum's attribute said: the message and field whose accessors it adds.
#[derive(Default)]
pub struct OneofAttrs {
    /// `message = "Path"`
    pub message: Option<syn::Type>,
    /// `field = "name"`
    pub field: Option<Ident>,
}

const ONEOF_ITEMS: &str = "message = \"Path\", field = \"name\"";

impl OneofAttrs {
    /// Parses a oneof enum's attributes.
    pub fn parse(attrs: &[Attribute]) -> syn::Result<OneofAttrs> {
        let mut a = OneofAttrs::default();
        for item in items(attrs)? {
            match item {
                Item::KeyValue(k, lit) if k == "message" => {
                    set_once(&mut a.message, syn::parse_str(&lit_str(&lit, &k)?)?, &k)?
                }
                Item::KeyValue(k, lit) if k == "field" => {
                    set_once(&mut a.field, syn::parse_str(&lit_str(&lit, &k)?)?, &k)?
                }
                Item::KeyValue(k, _) | Item::Word(k) => {
                    return Err(unknown(&k, "oneof attribute", ONEOF_ITEMS))
                }
                Item::Number(n) => return Err(syn::Error::new(n.span(), "unexpected number")),
            }
        }
        Ok(a)
    }
}

/// Reads attributes that give a `name = "..."` and, if `list_key` is given, a list of proto
/// names under that key (`reserved_names = "a, b"` on messages, `aliases = "A, B"` on enum
/// values).
pub fn name_and_list(
    attrs: &[Attribute],
    example: &str,
    list_key: Option<&str>,
) -> syn::Result<(Option<String>, Vec<String>)> {
    let mut name = None;
    let mut list = None;
    for item in items(attrs)? {
        match item {
            Item::KeyValue(k, v) if k == "name" => set_once(&mut name, lit_str(&v, &k)?, &k)?,
            Item::KeyValue(k, v) if list_key.is_some_and(|key| k == key) => {
                set_once(&mut list, name_list(&v, &k)?, &k)?
            }
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(unknown(&k, "attribute", &format!("name = \"{example}\"")))
            }
            Item::Number(n) => {
                return Err(syn::Error::new(
                    n.span(),
                    format!("unexpected number; expected name = \"{example}\""),
                ))
            }
        }
    }
    Ok((name, list.unwrap_or_default()))
}

/// A comma-separated list of proto names (`"a, b"`), empty entries dropped.
fn name_list(v: &Lit, k: &Ident) -> syn::Result<Vec<String>> {
    Ok(lit_str(v, k)?
        .split(',')
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect())
}

/// The attributes of a message struct.
#[derive(Default)]
pub struct MessageAttrs {
    /// `name = "pkg.Msg"`: the full proto name.
    pub name: Option<String>,
    /// `reserved_names = "a, b"`: field names the message reserves (the text-format parser
    /// skips them, as C++ does).
    pub reserved_names: Vec<String>,
    /// `clone`: the derive implements `Clone`, with a `clone_from` that reuses the target's
    /// storage.
    pub clone: bool,
    /// `syntax = "proto2"` / `edition = "2023"` ...: the defaults of the fields' features.
    pub preset: Option<Preset>,
    /// Feature words on the struct (`explicit` / `implicit`, `packed` / `expanded`,
    /// `length_prefixed` / `delimited`): defaults for its fields, over the preset's.
    pub features: Features,
    /// `descriptor = "path::TO_FILE"`: the `zpb::reflect::GeneratedFile` static whose
    /// embedded descriptor declares the message (generated code), which
    /// `zpb::reflect::ReflectMessage::descriptor` returns (else a descriptor is synthesized
    /// from the attributes).
    pub descriptor: Option<syn::Path>,
}

const MESSAGE_ITEMS: &str = "name = \"package.Message\", reserved_names = \"a, b\", clone, descriptor = \"path::FILE\", syntax = \"proto2\" / \"proto3\", edition = \"2023\" / \"2024\", or a feature default (explicit, implicit, packed, expanded, length_prefixed, delimited)";

/// The preset `key = "value"` names (`syntax = "proto2"`, `edition = "2023"`, ...).
fn preset(key: &Ident, lit: &Lit) -> syn::Result<Preset> {
    let value = lit_str(lit, key)?;
    Preset::parse(&key.to_string(), &value).ok_or_else(|| {
        let known: Vec<String> = PRESETS
            .iter()
            .filter(|(k, ..)| key == k)
            .map(|(_, v, _)| format!("\"{v}\""))
            .collect();
        syn::Error::new(
            lit.span(),
            format!("unknown {key} \"{value}\"; expected {}", known.join(" or ")),
        )
    })
}

/// Reads a message struct's attributes: `name = "..."`, `reserved_names = "..."`, `clone`,
/// `descriptor = "..."`, a preset (`syntax` or `edition`) and feature defaults, each at most
/// once.
pub fn message(attrs: &[Attribute]) -> syn::Result<MessageAttrs> {
    let (mut a, mut clone, mut reserved) = (MessageAttrs::default(), None, None);
    let mut preset_key: Option<Ident> = None;
    for item in items(attrs)? {
        match item {
            Item::KeyValue(k, v) if k == "name" => set_once(&mut a.name, lit_str(&v, &k)?, &k)?,
            Item::KeyValue(k, v) if k == "reserved_names" => {
                set_once(&mut reserved, name_list(&v, &k)?, &k)?
            }
            Item::KeyValue(k, v) if k == "syntax" || k == "edition" => {
                if let Some(first) = preset_key.replace(k.clone()) {
                    return Err(syn::Error::new(
                        k.span(),
                        format!("`{k}` after `{first}`: a message has one syntax or edition"),
                    ));
                }
                a.preset = Some(preset(&k, &v)?);
            }
            Item::KeyValue(k, v) if k == "descriptor" => {
                set_once(&mut a.descriptor, syn::parse_str(&lit_str(&v, &k)?)?, &k)?
            }
            Item::Word(k) if k == "clone" => set_once(&mut clone, (), &k)?,
            Item::Word(k) if a.features.word(&k)? => {
                let f = &a.features;
                let required = f.presence.filter(|p| p.value == Presence::LegacyRequired);
                if let Some(span) = required
                    .map(|p| p.span)
                    .or(f.first_of(false, false, false, true))
                {
                    return Err(syn::Error::new(
                        span,
                        "`required`, `open_enum` and `closed_enum` are said per field, not on the message",
                    ));
                }
            }
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(unknown(&k, "attribute", MESSAGE_ITEMS))
            }
            Item::Number(n) => {
                return Err(syn::Error::new(
                    n.span(),
                    format!("unexpected number; expected {MESSAGE_ITEMS}"),
                ))
            }
        }
    }
    a.clone = clone.is_some();
    a.reserved_names = reserved.unwrap_or_default();
    Ok(a)
}

const ENUM_ITEMS: &str = "name = \"package.Enum\" or descriptor = \"path::FILE\"";

/// Reads an enum's attributes: `name = "..."` and `descriptor = "..."` (the generated file
/// static declaring it, as on messages), each at most once.
pub fn enumeration(attrs: &[Attribute]) -> syn::Result<(Option<String>, Option<syn::Path>)> {
    let (mut name, mut descriptor) = (None, None);
    for item in items(attrs)? {
        match item {
            Item::KeyValue(k, v) if k == "name" => set_once(&mut name, lit_str(&v, &k)?, &k)?,
            Item::KeyValue(k, v) if k == "descriptor" => {
                set_once(&mut descriptor, syn::parse_str(&lit_str(&v, &k)?)?, &k)?
            }
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(unknown(&k, "attribute", ENUM_ITEMS))
            }
            Item::Number(n) => {
                return Err(syn::Error::new(
                    n.span(),
                    format!("unexpected number; expected {ENUM_ITEMS}"),
                ))
            }
        }
    }
    Ok((name, descriptor))
}

/// Whether `attrs` has a `#[deprecated]` attribute.
pub fn deprecated(attrs: &[Attribute]) -> Option<&Attribute> {
    attrs.iter().find(|a| a.path().is_ident("deprecated"))
}
