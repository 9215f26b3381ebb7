//! Closed enums on the wire, for compile-time and run-time enums alike: a declared number is
//! stored, an undeclared one is kept among the unknown fields as a varint (C++'s rule).

use crate::error::DecodeError;
use crate::field::UnknownFields;
use crate::wire::{Decoder, Tag, WireType};

/// Reads a closed enum field (singular or repeated; packed accepted when `repeated`): each
/// number `known` maps to a value is passed to `set`, each other one is kept in `unknown`
/// as a varint field. `Ok(false)` when the wire type does not fit.
///
/// [`merge_closed_enum`](super::merge_closed_enum) calls it with a generated enum's
/// `from_i32`; reflection with a run-time enum's table.
#[inline]
pub fn merge_closed_enum_with<T>(
    tag: Tag,
    d: &mut Decoder<'_>,
    unknown: &mut UnknownFields,
    repeated: bool,
    known: impl Fn(i32) -> Option<T>,
    mut set: impl FnMut(T),
) -> Result<bool, DecodeError> {
    let field_number = tag.field_number();
    let mut one = |raw: u64, unknown: &mut UnknownFields| match known(raw as i32) {
        Some(e) => set(e),
        None => unknown.push_varint(field_number, raw),
    };
    match tag.wire_type() {
        WireType::Varint => {
            let raw = d.read_varint64()?;
            one(raw, unknown);
            Ok(true)
        }
        WireType::Len if repeated => {
            d.packed(|d| {
                let raw = d.read_varint64()?;
                one(raw, unknown);
                Ok(())
            })?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
