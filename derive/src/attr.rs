//! The `#[zpb(...)]` attribute language, parsed once into [`AttrItems`].
//!
//! An attribute is a comma-separated list of items: a bare integer (the field number), a bare
//! word (`sint32`, `optional`, `packed`, `enum`, ...), or `key = literal`.

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Lit, LitInt, Token};

/// One item of a `#[zpb(...)]` list.
pub enum Item {
    Number(LitInt),
    Word(Ident),
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

/// All `#[zpb(...)]` items on one item (struct, field, variant), in order.
pub struct AttrItems {
    pub items: Vec<Item>,
}

impl AttrItems {
    /// Collects the items of every `#[zpb(...)]` attribute in `attrs`.
    pub fn from_attrs(attrs: &[Attribute]) -> syn::Result<AttrItems> {
        let mut items = Vec::new();
        for attr in attrs.iter().filter(|a| a.path().is_ident("zpb")) {
            let list = attr.parse_args_with(
                syn::punctuated::Punctuated::<Item, Token![,]>::parse_terminated,
            )?;
            items.extend(list);
        }
        Ok(AttrItems { items })
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Reads attributes that may only give a `name = "..."` (messages, enums, enum values);
/// `example` shows the expected form in the error for anything else.
pub fn name_only(attrs: &[Attribute], example: &str) -> syn::Result<Option<String>> {
    let mut name = None;
    for item in AttrItems::from_attrs(attrs)?.items {
        match item {
            Item::KeyValue(k, v) if k == "name" => name = Some(lit_str(&v, &k)?),
            Item::KeyValue(k, _) | Item::Word(k) => {
                return Err(syn::Error::new(
                    k.span(),
                    format!("unknown zpb attribute `{k}`; expected name = \"{example}\""),
                ))
            }
            Item::Number(n) => {
                return Err(syn::Error::new(
                    n.span(),
                    format!("unexpected number; expected name = \"{example}\""),
                ))
            }
        }
    }
    Ok(name)
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

/// Parses a list of field numbers like `"1, 2, 3"`.
pub fn number_list(lit: &Lit, key: &Ident) -> syn::Result<Vec<u32>> {
    let text = lit_str(lit, key)?;
    text.split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u32>()
                .map_err(|_| syn::Error::new(lit.span(), format!("`{s}` is not a field number")))
        })
        .collect()
}

/// Whether `attrs` has a `#[deprecated]` attribute.
pub fn deprecated(attrs: &[Attribute]) -> Option<&Attribute> {
    attrs.iter().find(|a| a.path().is_ident("deprecated"))
}
