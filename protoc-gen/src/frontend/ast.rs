//! What the parser records besides the descriptors themselves: option statements still to be
//! interpreted, and where names to resolve were written.

use std::rc::Rc;

use super::error::Pos;
use super::path::Path;

/// The number of `uninterpreted_option` in every options message: the parser records an
/// option statement's location under it until the option is interpreted.
pub const UNINTERPRETED_OPTION: i32 = 999;

/// Which options message an option statement sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionsKind {
    /// `google.protobuf.FileOptions`.
    File,
    /// `google.protobuf.MessageOptions`.
    Message,
    /// `google.protobuf.FieldOptions`.
    Field,
    /// `google.protobuf.OneofOptions`.
    Oneof,
    /// `google.protobuf.EnumOptions`.
    Enum,
    /// `google.protobuf.EnumValueOptions`.
    EnumValue,
    /// `google.protobuf.ServiceOptions`.
    Service,
    /// `google.protobuf.MethodOptions`.
    Method,
    /// `google.protobuf.ExtensionRangeOptions`.
    ExtensionRange,
}

impl OptionsKind {
    /// The number of the `options` field in the element's descriptor.
    pub fn options_field(self) -> i32 {
        match self {
            OptionsKind::File | OptionsKind::Field => 8,
            OptionsKind::Message => 7,
            OptionsKind::Oneof => 2,
            OptionsKind::Enum | OptionsKind::EnumValue | OptionsKind::Service => 3,
            OptionsKind::ExtensionRange => 3,
            OptionsKind::Method => 4,
        }
    }

    /// The `FieldOptions.OptionTargetType` of the elements these options belong to.
    pub fn target_type(self) -> i32 {
        match self {
            OptionsKind::File => 1,
            OptionsKind::ExtensionRange => 2,
            OptionsKind::Message => 3,
            OptionsKind::Field => 4,
            OptionsKind::Oneof => 5,
            OptionsKind::Enum => 6,
            OptionsKind::EnumValue => 7,
            OptionsKind::Service => 8,
            OptionsKind::Method => 9,
        }
    }

    /// The element's kind in protoc's messages.
    pub fn entity(self) -> &'static str {
        match self {
            OptionsKind::File => "file",
            OptionsKind::ExtensionRange => "extension range",
            OptionsKind::Message => "message",
            OptionsKind::Field => "field",
            OptionsKind::Oneof => "oneof",
            OptionsKind::Enum => "enum",
            OptionsKind::EnumValue => "enum entry",
            OptionsKind::Service => "service",
            OptionsKind::Method => "method",
        }
    }

    /// The options message's full name.
    pub fn message_name(self) -> &'static str {
        match self {
            OptionsKind::File => "google.protobuf.FileOptions",
            OptionsKind::Message => "google.protobuf.MessageOptions",
            OptionsKind::Field => "google.protobuf.FieldOptions",
            OptionsKind::Oneof => "google.protobuf.OneofOptions",
            OptionsKind::Enum => "google.protobuf.EnumOptions",
            OptionsKind::EnumValue => "google.protobuf.EnumValueOptions",
            OptionsKind::Service => "google.protobuf.ServiceOptions",
            OptionsKind::Method => "google.protobuf.MethodOptions",
            OptionsKind::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
        }
    }
}

/// One part of an option name: `foo` or `(foo.bar)`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamePart {
    /// The identifier, or the extension's name as written (leading `.` kept).
    pub name: String,
    /// Whether it was written in parentheses (an extension).
    pub is_extension: bool,
    /// Where it starts.
    pub pos: Pos,
}

/// A scalar option value as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// An identifier: an enum value name, `true`/`false`, `inf`, `nan` (`negative` for `-inf`).
    Ident {
        /// The identifier.
        name: String,
        /// Whether a `-` preceded it.
        negative: bool,
    },
    /// An integer; `None` when it does not fit in 64 bits.
    Int {
        /// The magnitude.
        value: Option<u64>,
        /// Whether a `-` preceded it.
        negative: bool,
    },
    /// A floating-point literal (sign applied).
    Float(f64),
    /// A string (adjacent literals concatenated).
    Str(Vec<u8>),
}

/// An option value: a scalar, or an aggregate `{ ... }` in text format.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar value.
    Scalar(Scalar, Pos),
    /// A message in text format: its fields in order.
    Message(Vec<AggregateField>, Pos),
    /// A list `[a, b]` (inside aggregates only).
    List(Vec<Value>, Pos),
}

impl Value {
    /// Where the value starts.
    pub fn pos(&self) -> Pos {
        match self {
            Value::Scalar(_, p) | Value::Message(_, p) | Value::List(_, p) => *p,
        }
    }
}

/// One `name: value` of an aggregate value.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateField {
    /// The field name, or an extension's full name (`[pkg.ext]`).
    pub name: String,
    /// Whether the name was in brackets.
    pub is_extension: bool,
    /// Where the name starts.
    pub pos: Pos,
    /// The value.
    pub value: Value,
}

/// An option statement (or a `[...]` option) waiting for interpretation.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingOption {
    /// The source-code-info path of the element the option belongs to.
    pub target: Path,
    /// Which options message it sets.
    pub kind: OptionsKind,
    /// The scope in which extension names are looked up (package, message full name),
    /// shared by the element's options.
    pub scope: Rc<str>,
    /// The option's name.
    pub name: Vec<NamePart>,
    /// The value.
    pub value: Value,
    /// Where the option's name starts.
    pub pos: Pos,
    /// Its source location's path before interpretation (`uninterpreted_option`'s).
    pub source_path: Path,
}

/// Positions of elements by source-code-info path, read only to report an error: appended
/// as the parser meets them (no hashing on the way), searched from the end (a later entry
/// for a path wins).
#[derive(Clone, Debug, Default)]
pub struct Positions(Vec<(Path, Pos)>);

impl Positions {
    /// Records `pos` for `path`.
    pub fn insert(&mut self, path: Path, pos: Pos) {
        self.0.push((path, pos));
    }

    /// The position last recorded for `path`.
    pub fn get(&self, path: &[i32]) -> Option<&Pos> {
        self.0
            .iter()
            .rev()
            .find(|(p, _)| p.as_slice() == path)
            .map(|(_, pos)| pos)
    }
}

/// A source location as protoc's parser records it.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceLoc {
    /// The path of the element (source-code-info numbering).
    pub path: Path,
    /// Where it starts.
    pub start: Pos,
    /// Where it ends (just after its last token).
    pub end: Pos,
    /// Its comments, when it has any (most locations have none).
    pub comments: Option<Box<LocComments>>,
}

/// The comments of a source location.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocComments {
    /// The comment before it (empty: none).
    pub leading: String,
    /// The comment after it (empty: none).
    pub trailing: String,
    /// Comments before it attached to nothing.
    pub detached: Vec<String>,
}

/// A name the linker resolves: a field's type or an extension's extendee.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeRef {
    /// The source-code-info path of the field or method.
    pub target: Path,
    /// The scope it is looked up from (shared by the names written in one scope).
    pub scope: Rc<str>,
    /// Where the name was written.
    pub pos: Pos,
    /// What the name is.
    pub kind: RefKind,
}

/// Which name of an element a [`TypeRef`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// A field's type (`type_name`).
    FieldType,
    /// An extension's extendee.
    Extendee,
    /// A method's input type.
    Input,
    /// A method's output type.
    Output,
}
