//! Feature resolution: what a field's descriptor means for its presence, its packing, the
//! closedness of its enum and its message encoding.
//!
//! Every such decision of lowering is made here, from a [`Features`] set: the feature set
//! of editions (`field_presence`, `repeated_field_encoding`, `enum_type`), of which proto2
//! and proto3 are the presets [`Features::PROTO2`] and [`Features::PROTO3`], picked by a
//! file's syntax.

use crate::descriptor::google::protobuf::field_descriptor_proto::{Label, Type};
use crate::descriptor::google::protobuf::{FieldDescriptorProto, FileDescriptorProto};
use crate::error::{Error, ErrorKind};
use crate::ir::{Presence, Value};

/// `field_presence`: whether singular scalar fields track presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldPresence {
    /// Presence is tracked (`has_x()`).
    Explicit,
    /// The default value means "not set".
    Implicit,
}

/// `repeated_field_encoding`: how repeated scalars and enums are encoded by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatedFieldEncoding {
    /// One length-delimited record.
    Packed,
    /// One record per element.
    Expanded,
}

/// `enum_type`: what an enum field does with a number its enum does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumType {
    /// Keeps it in the field.
    Open,
    /// Puts it among the unknown fields.
    Closed,
}

/// A resolved feature set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Presence of singular fields.
    pub field_presence: FieldPresence,
    /// Default encoding of repeated scalars and enums.
    pub repeated_field_encoding: RepeatedFieldEncoding,
    /// Closedness of enums (of the file declaring the enum).
    pub enum_type: EnumType,
}

impl Features {
    /// proto2: explicit presence, expanded repeated fields, closed enums.
    pub const PROTO2: Features = Features {
        field_presence: FieldPresence::Explicit,
        repeated_field_encoding: RepeatedFieldEncoding::Expanded,
        enum_type: EnumType::Closed,
    };

    /// proto3: implicit presence, packed repeated fields, open enums.
    pub const PROTO3: Features = Features {
        field_presence: FieldPresence::Implicit,
        repeated_field_encoding: RepeatedFieldEncoding::Packed,
        enum_type: EnumType::Open,
    };

    /// The features of the elements of `file`: the preset of its syntax (proto2 for
    /// anything but `proto3`: protoc leaves `syntax` empty for proto2).
    pub fn of_file(file: &FileDescriptorProto) -> Features {
        match file.syntax() {
            "proto3" => Features::PROTO3,
            _ => Features::PROTO2,
        }
    }

    /// Checks that `file`'s syntax is one whose features are resolved here.
    pub fn check_supported(file: &FileDescriptorProto) -> Result<(), Error> {
        if matches!(file.syntax(), "" | "proto2" | "proto3") {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "{}: syntax \"{}\" is not supported (proto2 and proto3 are)",
                file.name(),
                file.syntax()
            ),
        ))
    }

    /// The presence of the singular field `f`, whose values are `value`: `required` fields
    /// are required; messages, proto3 `optional` fields and fields with explicit presence
    /// are optional; the rest have implicit presence.
    pub fn presence(&self, f: &FieldDescriptorProto, value: &Value) -> Presence {
        if f.label() == Label::Required {
            Presence::Required
        } else if self.field_presence == FieldPresence::Explicit
            || f.proto3_optional()
            || matches!(value, Value::Message { .. } | Value::Group { .. })
        {
            Presence::Optional
        } else {
            Presence::Implicit
        }
    }

    /// Whether the repeated field `f`, whose elements are `value`, is packed: scalars and
    /// enums only, as `[packed = ...]` says, else as the features say.
    pub fn packed(&self, f: &FieldDescriptorProto, value: &Value) -> bool {
        let packable = matches!(value, Value::Scalar { .. } | Value::Enum { .. });
        let o = f.options();
        packable
            && if o.has_packed() {
                o.packed()
            } else {
                self.repeated_field_encoding == RepeatedFieldEncoding::Packed
            }
    }

    /// Whether the enums declared under these features are closed.
    pub fn closed_enums(&self) -> bool {
        self.enum_type == EnumType::Closed
    }

    /// Whether the message field `f` is encoded delimited (as a group) rather than
    /// length-prefixed: in proto2 and proto3 its type says so (`TYPE_GROUP`).
    pub fn delimited(&self, f: &FieldDescriptorProto) -> bool {
        f.r#type() == Type::Group
    }
}

/// The oneof of `f` when it is a member of a real oneof, not of the synthetic oneof of a
/// proto3 `optional` field (a plain field with explicit presence).
pub fn real_oneof(f: &FieldDescriptorProto) -> Option<i32> {
    f.oneof_index.filter(|_| !f.proto3_optional())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_follow_the_syntax() {
        let mut file = FileDescriptorProto::default();
        assert_eq!(Features::of_file(&file), Features::PROTO2);
        file.set_syntax("proto2");
        assert_eq!(Features::of_file(&file), Features::PROTO2);
        assert!(Features::check_supported(&file).is_ok());
        file.set_syntax("proto3");
        assert_eq!(Features::of_file(&file), Features::PROTO3);
        file.set_syntax("editions");
        assert!(Features::check_supported(&file).is_err());
    }

    #[test]
    fn presence_and_packing() {
        let int = Value::Scalar {
            word: "int32",
            rust: "i32",
        };
        let message = Value::Message {
            path: "M".to_string(),
        };
        let mut f = FieldDescriptorProto::default();
        f.set_label(Label::Optional);
        assert!(Features::PROTO2.presence(&f, &int) == Presence::Optional);
        assert!(Features::PROTO3.presence(&f, &int) == Presence::Implicit);
        assert!(Features::PROTO3.presence(&f, &message) == Presence::Optional);
        f.set_proto3_optional(true);
        assert!(Features::PROTO3.presence(&f, &int) == Presence::Optional);
        f.set_label(Label::Required);
        assert!(Features::PROTO2.presence(&f, &int) == Presence::Required);

        let mut r = FieldDescriptorProto::default();
        r.set_label(Label::Repeated);
        assert!(!Features::PROTO2.packed(&r, &int));
        assert!(Features::PROTO3.packed(&r, &int));
        assert!(!Features::PROTO3.packed(&r, &Value::String));
        r.mutable_options().set_packed(true);
        assert!(Features::PROTO2.packed(&r, &int));
        r.mutable_options().set_packed(false);
        assert!(!Features::PROTO3.packed(&r, &int));
    }
}
