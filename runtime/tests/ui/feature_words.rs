// Feature words that contradict each other, the field's kind or its Rust storage.

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
enum Color {
    #[default]
    Red = 0,
}

#[derive(zpb::Message, Default)]
struct Inner {
    _state: zpb::MessageState,
}

#[derive(zpb::Message, Default)]
struct Fields {
    // An open enum is stored as OpenEnum<E>.
    #[zpb(1, open_enum)]
    open: Option<Color>,
    // A closed enum is stored as E.
    #[zpb(2, closed_enum)]
    closed: zpb::OpenEnum<Color>,
    // Only message fields take a message encoding.
    #[zpb(3, int32, delimited)]
    number: Option<i32>,
    // Implicit presence is the value itself.
    #[zpb(4, implicit)]
    maybe: Option<i32>,
    // One repeated encoding.
    #[zpb(5, packed, expanded)]
    values: Vec<i32>,
    // Map entries are messages, always length-prefixed.
    #[zpb(6, delimited)]
    by_name: std::collections::HashMap<String, Inner>,
    // A repeated field has no presence.
    #[zpb(7, explicit)]
    many: Vec<i32>,
    // A group is delimited.
    #[zpb(8, group, length_prefixed)]
    group: zpb::MessageField<Inner>,
    // Enum words name enums.
    #[zpb(9, string, closed_enum)]
    text: String,
    _state: zpb::MessageState,
}

// Under edition 2023 fields have explicit presence: a plain value must say `implicit`.
#[derive(zpb::Message, Default)]
#[zpb(edition = "2023")]
struct Edition {
    #[zpb(1)]
    plain: i32,
    #[zpb(2, implicit)]
    fine: i32,
    _state: zpb::MessageState,
}

// One preset; known values only; no per-field features on the struct.
#[derive(zpb::Message, Default)]
#[zpb(syntax = "proto2", edition = "2023")]
struct TwoPresets {
    _state: zpb::MessageState,
}

#[derive(zpb::Message, Default)]
#[zpb(edition = "2025")]
struct UnknownEdition {
    _state: zpb::MessageState,
}

#[derive(zpb::Message, Default)]
#[zpb(closed_enum)]
struct EnumOnStruct {
    _state: zpb::MessageState,
}

fn main() {}
