//! How a dynamic message stores the fields of one message type: the plain data that the
//! descriptor pool caches per message type (`MessageInner::layout`) and `DynamicMessage`
//! works out and reads (`dynamic.rs`). It depends on nothing else in `reflect`, so the pool
//! can hold it without depending on the dynamic message.

/// Which Rust type stores a proto type (the variant of `Single`, `List` and `Value`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    F64,
    F32,
    I64,
    U64,
    I32,
    U32,
    Bool,
    String,
    Bytes,
    Message,
}

/// Which slot of a dynamic message (`dynamic::Slot`) stores a field, with the index of its
/// message type for message fields: one per field, in `Layout::kinds`.
#[derive(Clone, Copy)]
pub(super) enum SlotKind {
    Single(Class),
    List(Class),
    Message(u32),
    Messages(u32),
    Map,
}

/// How a dynamic message of one type stores its fields (`MessageInner::layout`).
#[derive(Clone)]
pub(super) struct Layout {
    /// Each field's slot, in field order.
    pub(super) kinds: Box<[SlotKind]>,
    /// The fields `is_initialized` looks at: required ones, and those holding messages of a
    /// type with required fields (here or below).
    pub(super) checked: Box<[u32]>,
}
