//! [`ReflectMessage`]: a message read and written field by field through its
//! [`FieldDescriptor`]s (C++ `Reflection`), for generated messages (the derive emits the
//! access per field, so parsing, serializing and the accessors do not change) and for
//! [`DynamicMessage`]. Generic tools take `&dyn ReflectMessage` and work on both.
//!
//! Singular values are read as [`ValueRef`]s and written as [`Value`]s; sub-messages are
//! reached as `&dyn ReflectMessage` (read with [`reflect_message`](ReflectMessage::reflect_message),
//! changed in place with [`reflect_message_mut`](ReflectMessage::reflect_message_mut), and
//! in lists and maps with [`reflect_message_element_mut`](ReflectMessage::reflect_message_element_mut),
//! [`reflect_add_message`](ReflectMessage::reflect_add_message) and
//! [`reflect_map_message_mut`](ReflectMessage::reflect_map_message_mut)) and written whole as
//! a `Value::Message(DynamicMessage)`. A field of another message, or a
//! value of the wrong type, is a [`ReflectError`], never a panic.
//!
//! ```
//! use zpb::reflect::{MapKey, ReflectMessage, Value, ValueRef};
//!
//! let mut stamp = zpb::well_known::Timestamp::default();
//! let desc = stamp.descriptor();
//! let seconds = desc.get_field_by_name("seconds").unwrap();
//! stamp.reflect_set(&seconds, Value::I64(42)).unwrap();
//! assert_eq!(stamp.seconds, 42);
//! assert_eq!(stamp.reflect_get(&seconds).unwrap(), ValueRef::I64(42));
//! assert_eq!(stamp.reflect_fields(), [seconds.clone()]);
//! // A value of the wrong type is refused.
//! assert!(stamp.reflect_set(&seconds, Value::from("soon")).is_err());
//! // So is a field of another message.
//! let other = zpb::well_known::Duration::default().descriptor();
//! assert!(stamp.reflect_has(&other.get_field(1).unwrap()).is_err());
//! // Any reflective message copies into a dynamic one.
//! let copy = stamp.to_dynamic().unwrap();
//! assert_eq!(copy.get_field(&seconds), Some(ValueRef::I64(42)));
//! # let _ = MapKey::Bool(true);
//! ```

use super::{
    DynamicMessage, EnumDescriptor, FieldDescriptor, Kind, MapKey, MessageDescriptor,
    OneofDescriptor, ReflectError, Value, ValueRef,
};
use crate::field::{Enumeration, UnknownFields};
use crate::Message;

/// A message that knows its descriptor and gives access to its fields by descriptor (object
/// safe: `&dyn ReflectMessage` works). Every `#[derive(zpb::Message)]` struct implements it:
/// generated messages answer with their `.proto` file's descriptor, hand-written structs with
/// one synthesized from their attributes on first use (see below); [`DynamicMessage`]
/// implements it too.
///
/// A hand-written struct's descriptor is named by `#[zpb(name = "pkg.Msg")]` (package `pkg`),
/// else by the struct's Rust name (no package). Its pool holds the hand-written and generated
/// types its fields reach, in edition 2023 files `zpb_synthesized/<package path>/types.proto`:
/// fields in declaration order (a oneof's members where the oneof field is), protoc's JSON
/// names and map entry names, features where the attributes differ from edition 2023
/// (implicit presence, `required`, expanded, delimited, closed enums). The derive's enums get
/// an [`EnumDescriptor`] the same way ([`ReflectEnum`]).
///
/// ```
/// use zpb::reflect::{Kind, ReflectMessage, Value};
///
/// #[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
/// #[zpb(name = "shop.Size")]
/// pub enum Size {
///     #[default]
///     Small = 0,
///     Large = 1,
/// }
///
/// #[derive(zpb::Message, Default)]
/// #[zpb(name = "shop.Item")]
/// pub struct Item {
///     #[zpb(1)]
///     pub sku_code: String,
///     #[zpb(2, enum)]
///     pub size: zpb::OpenEnum<Size>,
///     #[zpb(3)]
///     pub parts: zpb::Repeated<Item>,
///     _state: zpb::MessageState,
/// }
///
/// let mut item = Item::default();
/// let desc = item.descriptor();
/// assert_eq!((desc.full_name(), desc.file().package()), ("shop.Item", "shop"));
/// let sku = desc.get_field_by_name("sku_code").unwrap();
/// assert_eq!((sku.number(), sku.json_name()), (1, "skuCode"));
/// assert!(matches!(desc.get_field(2).unwrap().kind(), Kind::Enum(e) if e.full_name() == "shop.Size"));
/// item.reflect_set(&sku, Value::from("X-1")).unwrap();
/// assert_eq!(item.sku_code, "X-1");
/// let parts = desc.get_field(3).unwrap();
/// item.reflect_add_message(&parts).unwrap().reflect_set(&sku, Value::from("X-2")).unwrap();
/// assert_eq!(item.parts[0].sku_code, "X-2");
/// ```
///
/// # Panics
/// [`descriptor`](Self::descriptor) of a hand-written struct panics, with the reason, when no
/// pool can hold its types: two different hand-written types of one name among them, two of
/// their enums in one package naming a value alike (enum values are siblings of their enum,
/// as in C++), or hand-written types of different packages referring to each other in a
/// cycle.
///
/// Every method taking a [`FieldDescriptor`] fails with [`ReflectError::NotAField`] for a
/// field of another message (or an extension) and with [`ReflectError::TypeMismatch`] when
/// the field's shape or the value's type does not fit the call (`reflect_len` on a singular
/// field, `Value::String` for an `int32` field, a sub-message read with `reflect_get`).
pub trait ReflectMessage {
    /// The descriptor of the message's type.
    fn descriptor(&self) -> MessageDescriptor;

    /// Whether `field` is set: a value was set for fields with presence, the value is not
    /// the default for implicit-presence fields, the list or map is not empty.
    fn reflect_has(&self, field: &FieldDescriptor) -> Result<bool, ReflectError>;

    /// The value of a singular scalar, string, bytes or enum field (its default when unset).
    fn reflect_get<'a>(&'a self, field: &'a FieldDescriptor) -> Result<ValueRef<'a>, ReflectError>;

    /// The sub-message in a singular message field, `None` when it is not set.
    fn reflect_message(
        &self,
        field: &FieldDescriptor,
    ) -> Result<Option<&dyn ReflectMessage>, ReflectError>;

    /// The sub-message in a singular message field, set (to an empty message, clearing the
    /// other members of its oneof) if it was not (C++ `MutableMessage`).
    fn reflect_message_mut(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut dyn ReflectMessage, ReflectError>;

    /// Sets `field` to `value`: a singular value (a `Value::Message` for a message field,
    /// setting a oneof member clears the others), a `Value::List` for a repeated field or a
    /// `Value::Map` for a map field (replacing what was there).
    fn reflect_set(&mut self, field: &FieldDescriptor, value: Value) -> Result<(), ReflectError>;

    /// Clears `field` (keeping its memory for reuse, as `clear()` does).
    fn reflect_clear(&mut self, field: &FieldDescriptor) -> Result<(), ReflectError>;

    /// The number of elements of a repeated field or entries of a map field.
    fn reflect_len(&self, field: &FieldDescriptor) -> Result<usize, ReflectError>;

    /// Element `index` of a repeated scalar, string, bytes or enum field.
    fn reflect_element<'a>(
        &'a self,
        field: &'a FieldDescriptor,
        index: usize,
    ) -> Result<ValueRef<'a>, ReflectError>;

    /// Element `index` of a repeated message field.
    fn reflect_message_element(
        &self,
        field: &FieldDescriptor,
        index: usize,
    ) -> Result<&dyn ReflectMessage, ReflectError>;

    /// Element `index` of a repeated message field, to change in place (C++
    /// `MutableRepeatedMessage`).
    fn reflect_message_element_mut(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
    ) -> Result<&mut dyn ReflectMessage, ReflectError>;

    /// Appends an empty message to a repeated message field and returns it, to fill in place
    /// (C++ `AddMessage`; a kept element is reused, as parsing does).
    fn reflect_add_message(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut dyn ReflectMessage, ReflectError>;

    /// Appends `value` to a repeated field.
    fn reflect_push(&mut self, field: &FieldDescriptor, value: Value) -> Result<(), ReflectError>;

    /// Replaces element `index` of a repeated field.
    fn reflect_set_element(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
        value: Value,
    ) -> Result<(), ReflectError>;

    /// The keys of a map field (in the map's own order).
    fn reflect_map_keys(&self, field: &FieldDescriptor) -> Result<Vec<MapKey>, ReflectError>;

    /// The value under `key` in a map field whose values are not messages.
    fn reflect_map_get<'a>(
        &'a self,
        field: &'a FieldDescriptor,
        key: &MapKey,
    ) -> Result<Option<ValueRef<'a>>, ReflectError>;

    /// The message under `key` in a map field whose values are messages.
    fn reflect_map_message(
        &self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<Option<&dyn ReflectMessage>, ReflectError>;

    /// The message under `key` in a map field whose values are messages, to change in place;
    /// an empty message is inserted first when the key is not there (C++
    /// `InsertOrLookupMapValue`).
    fn reflect_map_message_mut(
        &mut self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<&mut dyn ReflectMessage, ReflectError>;

    /// Inserts an entry into a map field (replacing the value of an existing key).
    fn reflect_map_insert(
        &mut self,
        field: &FieldDescriptor,
        key: MapKey,
        value: Value,
    ) -> Result<(), ReflectError>;

    /// Removes the entry under `key` from a map field; whether there was one.
    fn reflect_map_remove(
        &mut self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<bool, ReflectError>;

    /// Fields not in the schema (extensions included), kept from parsing.
    fn reflect_unknown_fields(&self) -> &UnknownFields;

    /// The fields that are set ([`reflect_has`](Self::reflect_has)), in number order.
    fn reflect_fields(&self) -> Vec<FieldDescriptor> {
        let desc = self.descriptor();
        let mut set: Vec<FieldDescriptor> = desc
            .fields()
            .filter(|f| self.reflect_has(f).unwrap_or(false))
            .collect();
        set.sort_by_key(FieldDescriptor::number);
        set
    }

    /// Which member of `oneof` is set.
    fn reflect_which_oneof(
        &self,
        oneof: &OneofDescriptor,
    ) -> Result<Option<FieldDescriptor>, ReflectError> {
        for f in oneof.fields() {
            if self.reflect_has(&f)? {
                return Ok(Some(f));
            }
        }
        Ok(None)
    }

    /// A [`DynamicMessage`] of the same type and content, copied field by field through
    /// reflection (unknown fields included).
    ///
    /// # Errors
    /// The message's reflection and its descriptor disagree (a field the descriptor lists
    /// that the message refuses).
    fn to_dynamic(&self) -> Result<DynamicMessage, ReflectError> {
        copy_to_dynamic(self, self.descriptor())
    }
}

/// An enum that knows its descriptor: generated enums implement it through the derive.
///
/// ```
/// use zpb::reflect::ReflectEnum;
/// use zpb::well_known::NullValue;
///
/// let desc = NullValue::enum_descriptor();
/// assert_eq!(desc.full_name(), "google.protobuf.NullValue");
/// assert_eq!(desc.get_value(0).unwrap().name(), "NULL_VALUE");
/// ```
pub trait ReflectEnum: Enumeration {
    /// The descriptor of the enum type.
    fn enum_descriptor() -> EnumDescriptor;
}

/// Whether `field` holds messages or groups (its values, for a map).
pub(crate) fn holds_messages(field: &FieldDescriptor) -> bool {
    let kind = match field.map_value() {
        Some(value) => value.kind(),
        None => field.kind(),
    };
    matches!(kind, Kind::Message(_) | Kind::Group(_))
}

/// Copies `m` through reflection only into a new [`DynamicMessage`] of type `desc`, which
/// is `m`'s type, possibly from another pool (fields are matched by number): generated types
/// registered at different times have descriptors in different pools.
fn copy_to_dynamic<M: ReflectMessage + ?Sized>(
    m: &M,
    desc: MessageDescriptor,
) -> Result<DynamicMessage, ReflectError> {
    let mut out = DynamicMessage::new(desc.clone());
    for f in m.reflect_fields() {
        let to = desc
            .get_field(f.number())
            .ok_or_else(|| not_a_field(&f, desc.full_name()))?;
        // The message type of the field's values in `desc`'s pool.
        let target = || {
            let kind = to.map_value().map_or_else(|| to.kind(), |v| v.kind());
            match kind {
                Kind::Message(t) | Kind::Group(t) => Ok(t),
                _ => Err(mismatch(&to, "a message field")),
            }
        };
        let message = holds_messages(&f);
        if f.is_map() {
            for key in m.reflect_map_keys(&f)? {
                let value = match message {
                    true => m
                        .reflect_map_message(&f, &key)?
                        .map(|v| copy_to_dynamic(v, target()?).map(Value::Message)),
                    false => m.reflect_map_get(&f, &key)?.map(|v| Ok(v.to_value())),
                };
                if let Some(value) = value {
                    out.insert_map_entry(&to, key, value?)?;
                }
            }
        } else if f.is_list() {
            for i in 0..m.reflect_len(&f)? {
                let value = match message {
                    true => Value::Message(copy_to_dynamic(
                        m.reflect_message_element(&f, i)?,
                        target()?,
                    )?),
                    false => m.reflect_element(&f, i)?.to_value(),
                };
                out.push_value(&to, value)?;
            }
        } else if message {
            if let Some(sub) = m.reflect_message(&f)? {
                out.set_field(&to, Value::Message(copy_to_dynamic(sub, target()?)?))?;
            }
        } else {
            out.set_field(&to, m.reflect_get(&f)?.to_value())?;
        }
    }
    out.mutable_unknown_fields()
        .extend_raw(m.reflect_unknown_fields().as_bytes());
    Ok(out)
}

/// The error for a field of another message.
pub(super) fn not_a_field(field: &FieldDescriptor, message: &str) -> ReflectError {
    ReflectError::NotAField {
        field: field.full_name().to_string(),
        message: message.to_string(),
    }
}

/// The error for a call or value that does not fit `field`'s shape or type.
pub(super) fn mismatch(field: &FieldDescriptor, expected: &str) -> ReflectError {
    ReflectError::TypeMismatch {
        field: field.full_name().to_string(),
        expected: expected.to_string(),
    }
}

impl DynamicMessage {
    /// `field` if it is a (non-extension) field of this message's type.
    fn own(&self, field: &FieldDescriptor) -> Result<(), ReflectError> {
        match !field.is_extension() && field.containing_message() == *self.descriptor() {
            true => Ok(()),
            false => Err(not_a_field(field, self.full_name())),
        }
    }

    /// The value of `field`, checked to be one of this message's.
    fn own_value(&self, field: &FieldDescriptor) -> Result<ValueRef<'_>, ReflectError> {
        self.own(field)?;
        self.get_field(field)
            .ok_or_else(|| not_a_field(field, self.full_name()))
    }
}

impl ReflectMessage for DynamicMessage {
    fn descriptor(&self) -> MessageDescriptor {
        DynamicMessage::descriptor(self).clone()
    }

    fn reflect_has(&self, field: &FieldDescriptor) -> Result<bool, ReflectError> {
        self.own(field)?;
        Ok(self.has_field(field))
    }

    fn reflect_get<'a>(&'a self, field: &'a FieldDescriptor) -> Result<ValueRef<'a>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::Message(_) | ValueRef::List(_) | ValueRef::Map(_) => Err(mismatch(
                field,
                "a singular scalar, string, bytes or enum field",
            )),
            v => Ok(v),
        }
    }

    fn reflect_message(
        &self,
        field: &FieldDescriptor,
    ) -> Result<Option<&dyn ReflectMessage>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::Message(m) => Ok(self.has_field(field).then_some(m as &dyn ReflectMessage)),
            _ => Err(mismatch(field, "a singular message field")),
        }
    }

    fn reflect_message_mut(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut dyn ReflectMessage, ReflectError> {
        self.own(field)?;
        Ok(self.get_message_mut(field)?)
    }

    fn reflect_set(&mut self, field: &FieldDescriptor, value: Value) -> Result<(), ReflectError> {
        self.own(field)?;
        self.set_field(field, value)
    }

    fn reflect_clear(&mut self, field: &FieldDescriptor) -> Result<(), ReflectError> {
        self.own(field)?;
        self.clear_field(field);
        Ok(())
    }

    fn reflect_len(&self, field: &FieldDescriptor) -> Result<usize, ReflectError> {
        match self.own_value(field)? {
            ValueRef::List(l) => Ok(l.len()),
            ValueRef::Map(m) => Ok(m.len()),
            _ => Err(mismatch(field, "a repeated or map field")),
        }
    }

    fn reflect_element<'a>(
        &'a self,
        field: &'a FieldDescriptor,
        index: usize,
    ) -> Result<ValueRef<'a>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::List(l) if !holds_messages(field) => {
                l.get(index).ok_or(ReflectError::IndexOutOfRange {
                    index,
                    len: l.len(),
                })
            }
            _ => Err(mismatch(
                field,
                "a repeated scalar, string, bytes or enum field",
            )),
        }
    }

    fn reflect_message_element(
        &self,
        field: &FieldDescriptor,
        index: usize,
    ) -> Result<&dyn ReflectMessage, ReflectError> {
        match self.own_value(field)? {
            ValueRef::List(l) => match l.get(index) {
                Some(ValueRef::Message(m)) => Ok(m),
                Some(_) => Err(mismatch(field, "a repeated message field")),
                None => Err(ReflectError::IndexOutOfRange {
                    index,
                    len: l.len(),
                }),
            },
            _ => Err(mismatch(field, "a repeated message field")),
        }
    }

    fn reflect_message_element_mut(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
    ) -> Result<&mut dyn ReflectMessage, ReflectError> {
        self.own(field)?;
        Ok(self.get_element_message_mut(field, index)?)
    }

    fn reflect_add_message(
        &mut self,
        field: &FieldDescriptor,
    ) -> Result<&mut dyn ReflectMessage, ReflectError> {
        self.own(field)?;
        Ok(self.add_message(field)?)
    }

    fn reflect_push(&mut self, field: &FieldDescriptor, value: Value) -> Result<(), ReflectError> {
        self.own(field)?;
        self.push_value(field, value)
    }

    fn reflect_set_element(
        &mut self,
        field: &FieldDescriptor,
        index: usize,
        value: Value,
    ) -> Result<(), ReflectError> {
        self.own(field)?;
        self.set_list_element(field, index, value)
    }

    fn reflect_map_keys(&self, field: &FieldDescriptor) -> Result<Vec<MapKey>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::Map(m) => Ok(m.iter().map(|(k, _)| k.clone()).collect()),
            _ => Err(mismatch(field, "a map field")),
        }
    }

    fn reflect_map_get<'a>(
        &'a self,
        field: &'a FieldDescriptor,
        key: &MapKey,
    ) -> Result<Option<ValueRef<'a>>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::Map(m) => match m.get(key) {
                Some(ValueRef::Message(_)) => Err(mismatch(field, "a map of non-message values")),
                v => Ok(v),
            },
            _ => Err(mismatch(field, "a map field")),
        }
    }

    fn reflect_map_message(
        &self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<Option<&dyn ReflectMessage>, ReflectError> {
        match self.own_value(field)? {
            ValueRef::Map(m) => match m.get(key) {
                Some(ValueRef::Message(v)) => Ok(Some(v)),
                Some(_) => Err(mismatch(field, "a map of messages")),
                None => Ok(None),
            },
            _ => Err(mismatch(field, "a map field")),
        }
    }

    fn reflect_map_message_mut(
        &mut self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<&mut dyn ReflectMessage, ReflectError> {
        self.own(field)?;
        Ok(self.get_map_message_mut(field, key)?)
    }

    fn reflect_map_insert(
        &mut self,
        field: &FieldDescriptor,
        key: MapKey,
        value: Value,
    ) -> Result<(), ReflectError> {
        self.own(field)?;
        self.insert_map_entry(field, key, value)
    }

    fn reflect_map_remove(
        &mut self,
        field: &FieldDescriptor,
        key: &MapKey,
    ) -> Result<bool, ReflectError> {
        if self.own_value(field)?.as_map().is_none() {
            return Err(mismatch(field, "a map field"));
        }
        Ok(self.remove_map_entry(field, key).is_some())
    }

    fn reflect_unknown_fields(&self) -> &UnknownFields {
        self.unknown_fields()
    }

    fn to_dynamic(&self) -> Result<DynamicMessage, ReflectError> {
        Ok(self.clone())
    }
}
