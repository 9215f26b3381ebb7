//! Parsing protobuf text format into messages: the [`TextMessage`] trait (implemented by
//! `#[derive(zpb::Message)]`), [`merge_text`], and the per-kind and per-container functions
//! generated code calls (reached as `zpb::__private::text_parse`; not public API).
//!
//! ```
//! use zpb::well_known::Duration;
//! let mut d = Duration::default();
//! zpb::format::text::merge_text(&mut d, b"seconds: 3 # three\n nanos: 0x10").unwrap();
//! assert_eq!((d.seconds, d.nanos), (3, 16));
//! ```

use super::{bool_identifier, float_identifier, Lexer, TextError, TextErrorKind, Token, TokenKind};
use crate::codec::map::{spare_entry, Entry};
use crate::codec::{
    Bool, Bytes, ClosedEnum, Double, Enum, Fixed32, Fixed64, Float, Grp, Int32, Int64, Kind,
    MapField, Msg, PresenceField, RepeatedField, SFixed32, SFixed64, SInt32, SInt64, SharedBytes,
    StringBuf, UInt32, UInt64, Utf8,
};
use crate::field::{Enumeration, OpenEnum};
use crate::format::{EnumNames, GeneratedEnum, KeyBuf, TypeRegistry};
use crate::Message;
use crate::UnknownFields;

type Result<T> = std::result::Result<T, TextError>;

/// The deepest nesting of messages the parser accepts.
pub const MAX_DEPTH: u32 = 100;

/// A message that can be read from text format. `#[derive(zpb::Message)]` implements it, and
/// [`DynamicMessage`](crate::reflect::DynamicMessage) by its descriptor.
pub trait TextMessage {
    /// Reads the field named `name` (its `:` and value come next). `Ok(false)` if the
    /// message has no such field.
    fn merge_text_field(&mut self, name: &str, p: &mut TextParser<'_, '_>) -> Result<bool>;

    /// Reads an expanded `Any` (`[type.googleapis.com/pkg.Msg] { ... }`; the name is read):
    /// only `google.protobuf.Any` accepts one.
    fn merge_text_any(&mut self, type_url: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        let _ = (type_url, p);
        Ok(false)
    }

    /// Reads the extension `[name]` (the name is read; its `:` and value come next) if the
    /// registry knows it for this message. `Ok(false)` otherwise.
    fn merge_text_extension(&mut self, name: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        let _ = (name, p);
        Ok(false)
    }
}

/// The parser state: the lexer, the nesting depth, the registry for expanded `Any`s, and a
/// scratch buffer (allocated only for escaped `bytes::Bytes` values).
pub struct TextParser<'a, 'r> {
    lexer: Lexer<'a>,
    depth: u32,
    registry: &'r TypeRegistry,
    scratch: Vec<u8>,
}

impl<'a, 'r> TextParser<'a, 'r> {
    /// A parser over `input`.
    pub fn new(input: &'a [u8], registry: &'r TypeRegistry) -> Self {
        TextParser {
            lexer: Lexer::new(input),
            depth: 0,
            registry,
            scratch: Vec::new(),
        }
    }

    /// The lexer.
    pub fn lexer(&mut self) -> &mut Lexer<'a> {
        &mut self.lexer
    }

    /// The registry expanded `Any`s are parsed through.
    pub fn registry(&self) -> &'r TypeRegistry {
        self.registry
    }

    /// Reads extension `name` of `extendee` into `unknown` if the registry knows it; `false`
    /// (nothing read) otherwise.
    pub fn merge_extension(
        &mut self,
        extendee: &str,
        name: &str,
        unknown: &mut crate::UnknownFields,
    ) -> Result<bool> {
        let registry = self.registry;
        if let Some(codec) = registry.extension(extendee, name) {
            return (codec.merge_text)(&codec, unknown, self).map(|()| true);
        }
        match registry.pool_extension(extendee, name) {
            Some(ext) => {
                crate::reflect::pool_extensions::merge_text(ext, unknown, self).map(|()| true)
            }
            None => Ok(false),
        }
    }

    /// Consumes the `:` after a field name: required before scalars, optional before a
    /// message or a list of messages.
    pub fn field_colon(&mut self, optional: bool) -> Result<()> {
        if optional {
            self.lexer.eat(b':')?;
            Ok(())
        } else {
            self.lexer.expect(b':', "':'").map(drop)
        }
    }

    /// Reads an integer of type `T`, with an optional `-`.
    fn int<T: TryFrom<i128>>(&mut self) -> Result<T> {
        let negative = self.lexer.eat(b'-')?;
        let token = self.lexer.next()?;
        token.int(negative)
    }

    /// Reads a float: a number, `inf`/`nan` (any case), with an optional `-`.
    fn float(&mut self) -> Result<f64> {
        let negative = self.lexer.eat(b'-')?;
        let token = self.lexer.next()?;
        let value = match token.kind {
            TokenKind::Identifier => float_identifier(token.text()).ok_or_else(|| {
                token.error(TextErrorKind::UnexpectedToken {
                    expected: "a number",
                })
            })?,
            // C++ reads `012` as octal for integers only; a float field rejects it.
            TokenKind::Integer if token.text().len() > 1 && token.text().starts_with('0') => {
                return Err(token.error(TextErrorKind::ExpectedDecimal))
            }
            _ => token.float()?,
        };
        Ok(if negative { -value } else { value })
    }

    /// Reads a string token's bytes (escapes decoded, adjacent literals joined).
    fn string_token(&mut self) -> Result<(Token<'a>, &[u8])> {
        let token = self.next_string()?;
        Ok((token, token.string_value(&mut self.scratch)))
    }

    /// Reads a string token (its bytes through [`Token::append_string_value`]).
    fn next_string(&mut self) -> Result<Token<'a>> {
        let token = self.lexer.next()?;
        if token.kind != TokenKind::String {
            return Err(token.error(TextErrorKind::UnexpectedToken {
                expected: "a string",
            }));
        }
        Ok(token)
    }

    /// Reads a message body: `{ fields }` or `< fields >`.
    pub fn message<M: TextMessage>(&mut self, message: &mut M) -> Result<()> {
        let open = self.lexer.next()?;
        let close = match open.kind {
            TokenKind::Punct(b'{') => b'}',
            TokenKind::Punct(b'<') => b'>',
            _ => {
                return Err(open.error(TextErrorKind::UnexpectedToken {
                    expected: "'{' or '<'",
                }))
            }
        };
        if self.depth >= MAX_DEPTH {
            return Err(open.error(TextErrorKind::DepthLimit(MAX_DEPTH)));
        }
        self.depth += 1;
        self.fields(message, Some(close))?;
        self.depth -= 1;
        Ok(())
    }

    /// Skips a field's value after its name (a reserved name, which C++ also skips): `: scalar`,
    /// a message, or a list of either.
    pub fn skip_field(&mut self) -> Result<()> {
        let colon = self.lexer.eat(b':')?;
        let token = self.lexer.peek()?;
        match token.kind {
            TokenKind::Punct(b'{' | b'<') => self.skip_message(),
            TokenKind::Punct(b'[') => list(self, |p| match p.lexer.peek()?.kind {
                TokenKind::Punct(b'{' | b'<') => p.skip_message(),
                _ => p.skip_scalar(),
            }),
            _ if colon => self.skip_scalar(),
            _ => Err(token.error(TextErrorKind::UnexpectedToken { expected: "':'" })),
        }
    }

    fn skip_scalar(&mut self) -> Result<()> {
        self.lexer.eat(b'-')?;
        let token = self.lexer.next()?;
        match token.kind {
            TokenKind::Identifier | TokenKind::Integer | TokenKind::Float | TokenKind::String => {
                Ok(())
            }
            _ => Err(token.error(TextErrorKind::UnexpectedToken {
                expected: "a value",
            })),
        }
    }

    fn skip_message(&mut self) -> Result<()> {
        self.message(&mut SkippedMessage)
    }

    /// Reads fields until `close` (consumed) or, without one, the end of the input.
    pub fn fields<M: TextMessage>(&mut self, message: &mut M, close: Option<u8>) -> Result<()> {
        // Bracketed names (`[pkg.ext]`, `[type.googleapis.com/pkg.Msg]`) are gathered here.
        let mut name_buf = KeyBuf::new();
        loop {
            // Every arm consumes the token (the end repeats), so it is read, not peeked.
            let token = self.lexer.next()?;
            match (token.kind, close) {
                (TokenKind::Punct(c), Some(close)) if c == close => return Ok(()),
                (TokenKind::End, None) => return Ok(()),
                (TokenKind::End, Some(_)) => {
                    return Err(token.error(TextErrorKind::UnexpectedEnd));
                }
                (TokenKind::Identifier, _) => {
                    if !message.merge_text_field(token.text(), self)? {
                        return Err(token.error(TextErrorKind::UnknownField));
                    }
                }
                (TokenKind::Punct(b'['), _) => {
                    let name = self.lexer.bracketed_url(&mut name_buf)?;
                    let handled = if name.contains('/') {
                        message.merge_text_any(name, self)?
                    } else {
                        message.merge_text_extension(name, self)?
                    };
                    if !handled {
                        return Err(token.error(TextErrorKind::UnknownField));
                    }
                }
                _ => {
                    return Err(token.error(TextErrorKind::UnexpectedToken {
                        expected: "a field name",
                    }))
                }
            }
            // A field may be followed by one `;` or `,`.
            if !self.lexer.eat(b';')? {
                self.lexer.eat(b',')?;
            }
        }
    }
}

/// Merges the text-format document `input` into `message` (expanded `Any`s through the
/// well-known types only; see [`merge_text_with`]).
pub fn merge_text<M: TextMessage>(message: &mut M, input: &[u8]) -> Result<()> {
    static REGISTRY: std::sync::OnceLock<TypeRegistry> = std::sync::OnceLock::new();
    merge_text_with(
        message,
        input,
        REGISTRY.get_or_init(TypeRegistry::with_well_known),
    )
}

/// Merges the text-format document `input` into `message`, reading expanded `Any`s through
/// `registry`.
pub fn merge_text_with<M: TextMessage>(
    message: &mut M,
    input: &[u8],
    registry: &TypeRegistry,
) -> Result<()> {
    let mut parser = TextParser::new(input, registry);
    parser.fields(message, None)
}

// ---- values, per kind ----------------------------------------------------------------------

/// A message whose every field is skipped (the value of a reserved field).
struct SkippedMessage;

impl TextMessage for SkippedMessage {
    fn merge_text_field(&mut self, _name: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        p.skip_field().map(|()| true)
    }
    fn merge_text_any(&mut self, _type_url: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        p.skip_field().map(|()| true)
    }
}

/// The text form of one protobuf type.
pub trait TextType: Kind {
    /// Whether a value is a message (its field's `:` is optional).
    const MESSAGE: bool = false;
    /// Reads one value (messages merge).
    fn read(value: &mut Self::Value, p: &mut TextParser<'_, '_>) -> Result<()>;
}

macro_rules! int_text {
    ($($kind:ident: $t:ty;)*) => {$(
        impl TextType for $kind {
            fn read(value: &mut $t, p: &mut TextParser<'_, '_>) -> Result<()> {
                *value = p.int()?;
                Ok(())
            }
        }
    )*};
}

int_text! {
    Int32: i32; SInt32: i32; SFixed32: i32; UInt32: u32; Fixed32: u32;
    Int64: i64; SInt64: i64; SFixed64: i64; UInt64: u64; Fixed64: u64;
}

impl TextType for Double {
    fn read(value: &mut f64, p: &mut TextParser<'_, '_>) -> Result<()> {
        *value = p.float()?;
        Ok(())
    }
}

impl TextType for Float {
    fn read(value: &mut f32, p: &mut TextParser<'_, '_>) -> Result<()> {
        *value = p.float()? as f32;
        Ok(())
    }
}

impl TextType for Bool {
    fn read(value: &mut bool, p: &mut TextParser<'_, '_>) -> Result<()> {
        let token = p.lexer.next()?;
        let parsed = match token.kind {
            TokenKind::Identifier => bool_identifier(token.text()),
            TokenKind::Integer => match token.integer()? {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            },
            _ => None,
        };
        *value = parsed.ok_or_else(|| {
            token.error(TextErrorKind::UnexpectedToken {
                expected: "true or false",
            })
        })?;
        Ok(())
    }
}

impl<S: StringBuf> TextType for Utf8<S> {
    /// Decodes straight into the string's own buffer (kept capacity is reused).
    fn read(value: &mut S, p: &mut TextParser<'_, '_>) -> Result<()> {
        let token = p.next_string()?;
        match value.assign_bytes(&mut |sink| token.append_string_to(sink)) {
            true => Ok(()),
            false => Err(token.error(TextErrorKind::InvalidUtf8)),
        }
    }
}

impl TextType for Bytes {
    fn read(value: &mut Vec<u8>, p: &mut TextParser<'_, '_>) -> Result<()> {
        let token = p.next_string()?;
        value.clear();
        token.append_string_value(value);
        Ok(())
    }
}

impl TextType for SharedBytes {
    fn read(value: &mut bytes::Bytes, p: &mut TextParser<'_, '_>) -> Result<()> {
        let (_, bytes) = p.string_token()?;
        *value = bytes::Bytes::copy_from_slice(bytes);
        Ok(())
    }
}

/// Reads an enum value: a declared name, or a number (for a closed enum, a declared one).
pub(crate) fn read_enum(
    names: &impl EnumNames,
    p: &mut TextParser<'_, '_>,
    closed: bool,
) -> Result<i32> {
    let token = p.lexer.peek()?;
    if token.kind == TokenKind::Identifier {
        p.lexer.next()?;
        return names
            .number_of(token.text())
            .ok_or_else(|| token.error(TextErrorKind::UnknownEnumValue));
    }
    let n: i32 = p.int()?;
    if closed && names.name_of(n).is_none() {
        return Err(token.error(TextErrorKind::UnknownEnumValue));
    }
    Ok(n)
}

impl<E: Enumeration> TextType for Enum<E> {
    fn read(value: &mut OpenEnum<E>, p: &mut TextParser<'_, '_>) -> Result<()> {
        *value = OpenEnum::from_raw(read_enum(&GeneratedEnum::<E>::NAMES, p, false)?);
        Ok(())
    }
}

impl<E: Enumeration> TextType for ClosedEnum<E> {
    fn read(value: &mut E, p: &mut TextParser<'_, '_>) -> Result<()> {
        let n = read_enum(&GeneratedEnum::<E>::NAMES, p, true)?;
        if let Some(e) = E::from_i32(n) {
            *value = e;
        }
        Ok(())
    }
}

macro_rules! message_text {
    ($($kind:ident),*) => {$(
        impl<M: TextMessage + Message> TextType for $kind<M> {
            const MESSAGE: bool = true;
            fn read(value: &mut M, p: &mut TextParser<'_, '_>) -> Result<()> {
                p.message(value)
            }
        }
    )*};
}

message_text!(Msg, Grp);

// ---- fields, per container -----------------------------------------------------------------

/// Reads an implicit-presence field.
pub fn merge_implicit<K: TextType>(value: &mut K::Value, p: &mut TextParser<'_, '_>) -> Result<()> {
    p.field_colon(K::MESSAGE)?;
    K::read(value, p)
}

/// Reads a field with presence (sets it).
pub fn merge_optional<K: TextType, C: PresenceField<Value = K::Value>>(
    field: &mut C,
    p: &mut TextParser<'_, '_>,
) -> Result<()> {
    p.field_colon(K::MESSAGE)?;
    K::read(field.insert_mut(), p)
}

/// Reads one value or a `[a, b]` list into a repeated field.
pub fn merge_repeated<K: TextType, R: RepeatedField<Value = K::Value>>(
    field: &mut R,
    p: &mut TextParser<'_, '_>,
) -> Result<()> {
    p.field_colon(K::MESSAGE)?;
    list(p, |p| K::read(field.add_default(), p))
}

/// Calls `one` for a single value, or for each element of a `[a, b]` list.
pub(crate) fn list(
    p: &mut TextParser<'_, '_>,
    mut one: impl FnMut(&mut TextParser<'_, '_>) -> Result<()>,
) -> Result<()> {
    if !p.lexer.eat(b'[')? {
        return one(p);
    }
    if p.lexer.eat(b']')? {
        return Ok(());
    }
    loop {
        one(p)?;
        if p.lexer.eat(b']')? {
            return Ok(());
        }
        p.lexer.expect(b',', "',' or ']'")?;
    }
}

/// Reads one entry (`{ key: .. value: .. }`) or a list of them into a map field. Each entry
/// is read into a key and value the map kept from its last `clear()` (slot `k` of the spares
/// in `held`) when there is one, so a reused message's map allocates nothing.
pub fn merge_map<KK: TextType, VK: TextType, M: MapField<Key = KK::Value, Value = VK::Value>>(
    field: &mut M,
    held: &mut UnknownFields,
    k: usize,
    p: &mut TextParser<'_, '_>,
) -> Result<()>
where
    M::Key: Entry,
    M::Value: Entry,
{
    p.field_colon(true)?;
    list(p, |p| {
        let (key, value) = spare_entry::<M>(held, k);
        let mut entry = MapEntry::<KK, VK> { key, value };
        p.message(&mut entry)?;
        field.insert_entry(entry.key, entry.value);
        Ok(())
    })
}

/// A map entry being read: `key` and `value`, each defaulting when absent.
struct MapEntry<KK: Kind, VK: Kind> {
    key: KK::Value,
    value: VK::Value,
}

impl<KK: TextType, VK: TextType> TextMessage for MapEntry<KK, VK> {
    fn merge_text_field(&mut self, name: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        match name {
            "key" => merge_implicit::<KK>(&mut self.key, p)?,
            "value" => merge_implicit::<VK>(&mut self.value, p)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `google.protobuf.Any`'s expanded form, `[type.googleapis.com/pkg.Msg] { ... }`.
pub trait AnyText {
    /// Reads the expanded form's message (the bracketed type URL is read) through the
    /// registry.
    fn merge_expanded(&mut self, type_url: &str, p: &mut TextParser<'_, '_>) -> Result<bool>;
}

impl AnyText for crate::well_known::Any {
    fn merge_expanded(&mut self, type_url: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        let at = p.lexer.peek()?;
        let (prefix, name) = type_url.rsplit_once('/').unwrap_or(("", ""));
        if !valid_percent_escapes(prefix) {
            return Err(at.error(TextErrorKind::InvalidEscape));
        }
        let Some(codec) = p.registry.any_type(name) else {
            return Err(at.error(TextErrorKind::UnknownType));
        };
        if !self.type_url.is_empty() {
            return Err(at.error(TextErrorKind::UnexpectedToken {
                expected: "one expanded Any",
            }));
        }
        self.type_url.push_str(type_url);
        p.field_colon(true)?;
        self.value.clear();
        codec.merge_text(p, &mut self.value)?;
        Ok(true)
    }
}

/// Whether every `%` in a type URL's prefix starts a `%XX` escape.
fn valid_percent_escapes(prefix: &str) -> bool {
    let b = prefix.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// Reads a `M` in braces and appends its encoding (an expanded `Any`'s payload).
pub(crate) fn merge_any_payload<M: TextMessage + Message + Default>(
    p: &mut TextParser<'_, '_>,
    out: &mut Vec<u8>,
) -> Result<()> {
    merge_any_payload_into(&mut M::default(), p, out)
}

/// Reads a message in braces into `message` and appends its encoding.
pub(crate) fn merge_any_payload_into<M: TextMessage + Message>(
    message: &mut M,
    p: &mut TextParser<'_, '_>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let at = p.lexer.peek()?;
    p.message(message)?;
    message
        .serialize_into_vec(out)
        .map_err(|_| at.error(TextErrorKind::UnknownType))
}

/// The text form of a oneof enum (implemented by `#[derive(zpb::Oneof)]`): each member is a
/// field of the message.
pub trait TextOneof: Sized {
    /// The field number of the member named `name` (0 if no member has that name).
    fn member_number(name: &str) -> u32;

    /// Reads the member named `name` (its `:` and value come next) into `slot`, replacing
    /// another member. `Ok(false)` if no member has that name.
    fn merge_text_member(
        slot: &mut Option<Self>,
        name: &str,
        p: &mut TextParser<'_, '_>,
    ) -> Result<bool>;
}

/// Reads a oneof member of kind `K` (its name is read; its `:` and value come next) into
/// `slot`: into the member's value if `get` finds it set (messages merge), else into a new
/// value that `wrap` makes the member, replacing another one. Generated
/// [`TextOneof`] implementations call it once per member.
pub fn merge_member<K: TextType, O>(
    slot: &mut Option<O>,
    p: &mut TextParser<'_, '_>,
    get: impl FnOnce(&mut O) -> Option<&mut K::Value>,
    wrap: impl FnOnce(K::Value) -> O,
) -> Result<()> {
    p.field_colon(K::MESSAGE)?;
    if let Some(value) = slot.as_mut().and_then(get) {
        return K::read(value, p);
    }
    let mut value = K::Value::default();
    K::read(&mut value, p)?;
    *slot = Some(wrap(value));
    Ok(())
}
