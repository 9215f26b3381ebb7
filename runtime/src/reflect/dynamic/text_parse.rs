//! Text-format parsing of [`DynamicMessage`]: [`TextMessage`] by the descriptor, with the
//! rules of generated messages (the same per-kind readers of `zpb::format::text::parse`:
//! scalar syntax, enums by name or number, lists, maps, groups by type name, reserved names
//! skipped, extensions through the registry, an `Any`'s expanded form).

use super::json::merge_through;
use super::{proto_type, type_index, DynamicMessage, List, MapKey, Single, Slot};
use crate::codec::{self, PresenceField, RepeatedField};
use crate::descriptor::field_descriptor_proto::Type;
use crate::field::{Optional, Reuse};
use crate::format::text::parse::{list, read_enum, AnyText, TextType};
use crate::format::text::{TextError, TextErrorKind, TextMessage, TextParser};
use crate::reflect::pool::{EnumInner, FieldInner, FieldType, PoolInner};
use crate::reflect::MessageDescriptor;
use crate::well_known;

type Result<T> = std::result::Result<T, TextError>;

/// Reads one scalar into a singular field (sets it).
fn read_optional<K: TextType>(v: &mut Optional<K::Value>, p: &mut TextParser<'_, '_>) -> Result<()>
where
    K::Value: Copy,
{
    let mut x = K::Value::default();
    K::read(&mut x, p)?;
    v.set(x);
    Ok(())
}

/// Reads one scalar and appends it.
fn read_element<K: TextType>(v: &mut Vec<K::Value>, p: &mut TextParser<'_, '_>) -> Result<()> {
    let mut x = K::Value::default();
    K::read(&mut x, p)?;
    v.push(x);
    Ok(())
}

/// The error for storage that does not fit its field's type (which `Slot::new` rules out).
fn mismatch(p: &mut TextParser<'_, '_>) -> TextError {
    match p.lexer().peek() {
        Ok(token) => token.error(TextErrorKind::UnexpectedToken {
            expected: "a value of the field's type",
        }),
        Err(e) => e,
    }
}

/// The field a text-format name names: the field name, or for a group (a group-like
/// delimited field in editions: one named as its type, lowercased) its type name.
fn field_index(pool: &PoolInner, desc: &MessageDescriptor, name: &str) -> Option<usize> {
    let msg = desc.inner();
    if let Some(&i) = msg.by_name.get(name) {
        return Some(i as usize);
    }
    msg.fields.iter().position(|f| match f.ty {
        FieldType::Group(m) => {
            let full = &pool.messages[m as usize].full_name;
            let type_name = full.rsplit('.').next().unwrap_or(full);
            type_name == name && type_name.eq_ignore_ascii_case(&f.name)
        }
        _ => false,
    })
}

/// The enum of an enum field.
fn enum_of<'p>(pool: &'p PoolInner, f: &FieldInner) -> Option<&'p EnumInner> {
    match f.ty {
        FieldType::Enum(e) => Some(&pool.enums[e as usize]),
        _ => None,
    }
}

/// Reads a singular scalar, string or bytes value (kept out of the recursive path, so that
/// deep nesting uses small stack frames).
#[inline(never)]
fn merge_single(
    pool: &PoolInner,
    f: &FieldInner,
    s: &mut Single,
    p: &mut TextParser<'_, '_>,
) -> Result<()> {
    p.field_colon(false)?;
    match (enum_of(pool, f), s) {
        (Some(en), Single::I32(v)) => {
            v.set(read_enum(en, p, en.closed)?);
            Ok(())
        }
        (_, Single::String(v)) => codec::Str::read(v.mut_or_insert(), p),
        (_, Single::Bytes(v)) => codec::Bytes::read(v.mut_or_insert(), p),
        (_, s) => numeric!(proto_type(f), Single, s, |K, v| read_optional::<K>(v, p), {
            Err(mismatch(p))
        }),
    }
}

/// Reads one value or a `[a, b]` list into a repeated scalar, string or bytes field.
#[inline(never)]
fn merge_list(
    pool: &PoolInner,
    f: &FieldInner,
    l: &mut List,
    p: &mut TextParser<'_, '_>,
) -> Result<()> {
    p.field_colon(false)?;
    let en = enum_of(pool, f);
    list(p, |p| match (en, &mut *l) {
        (Some(en), List::I32(v)) => {
            v.push(read_enum(en, p, en.closed)?);
            Ok(())
        }
        (_, List::String(v)) => codec::Str::read(v.add(), p),
        (_, List::Bytes(v)) => codec::Bytes::read(v.add(), p),
        (_, l) => numeric!(proto_type(f), List, l, |K, v| read_element::<K>(v, p), {
            Err(mismatch(p))
        }),
    })
}

/// Reads field `f`'s `:` and value(s) into its slot.
fn merge_slot(
    desc: &MessageDescriptor,
    f: &FieldInner,
    slot: &mut Slot,
    p: &mut TextParser<'_, '_>,
) -> Result<()> {
    match slot {
        Slot::Single(s) => merge_single(&desc.pool.inner, f, s, p),
        Slot::List(l) => merge_list(&desc.pool.inner, f, l, p),
        Slot::Message(m) => {
            p.field_colon(true)?;
            p.message(m.insert_mut())
        }
        Slot::Messages(l) => {
            p.field_colon(true)?;
            list(p, |p| p.message(l.add_default()))
        }
        Slot::Map(map) => {
            p.field_colon(true)?;
            let entry_desc = MessageDescriptor::new(desc.pool.clone(), type_index(f));
            list(p, |p| {
                // An entry is a message of the entry type: `key` and `value`, each
                // defaulting when absent.
                let mut entry = DynamicMessage::new(entry_desc.clone());
                p.message(&mut entry)?;
                let key = MapKey::from_value(entry.get_index(0)).ok_or_else(|| mismatch(p))?;
                map.insert(key, entry.get_index(1).to_value());
                Ok(())
            })
        }
    }
}

impl TextMessage for DynamicMessage {
    fn merge_text_field(&mut self, name: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        let DynamicMessage { desc, table, .. } = self;
        let slots = super::made(table, desc);
        let pool = &*desc.pool.inner;
        let msg = desc.inner();
        let Some(i) = field_index(pool, desc, name) else {
            if msg.reserved_names.iter().any(|r| r == name) {
                p.skip_field()?;
                return Ok(true);
            }
            return Ok(false);
        };
        let f = &msg.fields[i];
        merge_slot(desc, f, &mut slots[i], p)?;
        // Setting a oneof member replaces the one set before.
        if let Some(o) = f.oneof {
            for &j in &msg.oneofs[o as usize].fields {
                if j as usize != i {
                    slots[j as usize].clear();
                }
            }
        }
        Ok(true)
    }

    fn merge_text_any(&mut self, type_url: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        if self.full_name() != "google.protobuf.Any" {
            return Ok(false);
        }
        merge_through(self, |any: &mut well_known::Any| {
            any.merge_expanded(type_url, p)
        })?
        .ok_or_else(|| mismatch(p))
    }

    fn merge_text_extension(&mut self, name: &str, p: &mut TextParser<'_, '_>) -> Result<bool> {
        let DynamicMessage { desc, unknown, .. } = self;
        p.merge_extension(&desc.inner().full_name, name, unknown)
    }
}
