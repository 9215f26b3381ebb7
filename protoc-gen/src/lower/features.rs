//! Features: what a field's descriptor means for its presence, its packing, the closedness
//! of its enum and its message encoding.
//!
//! The resolved feature set of every element comes from [`zpb::descriptor::features`], the
//! one implementation of protoc's feature resolution (edition defaults, inheritance file →
//! message → field / oneof / enum, `features.*` options, and the features proto2's and
//! proto3's syntax implies), which reflection in the runtime uses too. proto2 and proto3
//! are presets of the same features there (`EDITION_PROTO2`, `EDITION_PROTO3`), so every
//! decision of lowering is made here, from a [`Features`] value, the same way for every
//! syntax and edition.

use crate::error::{Error, ErrorKind};
use crate::ir::{Presence, Value};
use zpb::descriptor::feature_set::{
    EnumType, FieldPresence, MessageEncoding, RepeatedFieldEncoding,
};
use zpb::descriptor::features as resolve;
use zpb::descriptor::{
    DescriptorProto, Edition, EnumDescriptorProto, FeatureSet, FieldDescriptorProto,
    FileDescriptorProto, OneofDescriptorProto,
};

/// The resolved features of one element, with the edition of its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    set: FeatureSet,
    edition: Edition,
}

impl Features {
    /// The features of `file`'s top-level elements.
    ///
    /// # Errors
    /// An unsupported syntax or edition (`Unsupported`, naming the file).
    pub fn of_file(file: &FileDescriptorProto) -> Result<Features, Error> {
        let bad = |e: resolve::FeatureError| {
            Error::new(ErrorKind::Unsupported, format!("{}: {e}", file.name()))
        };
        Ok(Features {
            set: resolve::file_features(file).map_err(bad)?,
            edition: resolve::edition(file).map_err(bad)?,
        })
    }

    fn with(&self, set: FeatureSet) -> Features {
        Features {
            set,
            edition: self.edition,
        }
    }

    /// The features of message `m` declared under these.
    pub fn message(&self, m: &DescriptorProto) -> Features {
        self.with(resolve::message_features(&self.set, m))
    }

    /// The features of oneof `o` of a message with these.
    pub fn oneof(&self, o: &OneofDescriptorProto) -> Features {
        self.with(resolve::oneof_features(&self.set, o))
    }

    /// The features of enum `e` declared under these.
    pub fn enumeration(&self, e: &EnumDescriptorProto) -> Features {
        self.with(resolve::enum_features(&self.set, e))
    }

    /// The features of field or extension `f` declared under these (its message's, its
    /// oneof's, or its extension scope's).
    pub fn field(&self, f: &FieldDescriptorProto) -> Features {
        self.with(resolve::field_features(&self.set, f, self.edition))
    }

    /// The presence of the singular field `f` with these (its own) features, whose values
    /// are `value`: `LEGACY_REQUIRED` (proto2's `required`) fields are required; messages,
    /// proto3 `optional` fields and fields with explicit presence are optional; the rest
    /// have implicit presence.
    pub fn presence(&self, f: &FieldDescriptorProto, value: &Value) -> Presence {
        match self.set.field_presence() {
            FieldPresence::LegacyRequired => Presence::Required,
            FieldPresence::Explicit => Presence::Optional,
            _ if f.proto3_optional()
                || matches!(value, Value::Message { .. } | Value::Group { .. }) =>
            {
                Presence::Optional
            }
            _ => Presence::Implicit,
        }
    }

    /// Whether a repeated field with these (its own) features, whose elements are `value`,
    /// is packed: scalars and enums only, as `repeated_field_encoding` says (proto2's
    /// `[packed = true]` and proto3's `[packed = false]` included).
    pub fn packed(&self, value: &Value) -> bool {
        matches!(value, Value::Scalar { .. } | Value::Enum { .. })
            && self.set.repeated_field_encoding() == RepeatedFieldEncoding::Packed
    }

    /// Whether the enums declared with these features are closed.
    pub fn closed_enums(&self) -> bool {
        self.set.enum_type() == EnumType::Closed
    }

    /// Whether a message-typed field with these (its own) features is encoded delimited (as
    /// a group) rather than length-prefixed: `message_encoding = DELIMITED` (proto2's
    /// groups), except for map entries and their fields, which protoc always
    /// length-prefixes.
    pub fn delimited(&self, map_entry_involved: bool) -> bool {
        self.set.message_encoding() == MessageEncoding::Delimited && !map_entry_involved
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
    use zpb::descriptor::field_descriptor_proto::Label;

    fn file(syntax: &str, edition: Option<Edition>) -> FileDescriptorProto {
        let mut file = FileDescriptorProto::default();
        file.set_syntax(syntax);
        file.edition = edition;
        file
    }

    #[test]
    fn presets_follow_the_syntax() {
        let p2 = Features::of_file(&file("", None)).unwrap();
        assert_eq!(Features::of_file(&file("proto2", None)).unwrap(), p2);
        assert!(p2.closed_enums());
        assert!(!Features::of_file(&file("proto3", None))
            .unwrap()
            .closed_enums());
        assert!(Features::of_file(&file("editions", Some(Edition::Edition2023))).is_ok());
        let err = Features::of_file(&file("editions", Some(Edition::Edition2026))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(Features::of_file(&file("proto4", None)).is_err());
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
        let p2 = Features::of_file(&file("proto2", None)).unwrap();
        let p3 = Features::of_file(&file("proto3", None)).unwrap();
        let e23 = Features::of_file(&file("editions", Some(Edition::Edition2023))).unwrap();
        let mut f = FieldDescriptorProto::default();
        f.set_label(Label::Optional);
        assert_eq!(p2.field(&f).presence(&f, &int), Presence::Optional);
        assert_eq!(p3.field(&f).presence(&f, &int), Presence::Implicit);
        assert_eq!(e23.field(&f).presence(&f, &int), Presence::Optional);
        assert_eq!(p3.field(&f).presence(&f, &message), Presence::Optional);
        f.set_proto3_optional(true);
        assert_eq!(p3.field(&f).presence(&f, &int), Presence::Optional);
        f.set_label(Label::Required);
        assert_eq!(p2.field(&f).presence(&f, &int), Presence::Required);
        let mut legacy = FieldDescriptorProto::default();
        legacy
            .mutable_options()
            .mutable_features()
            .set_field_presence(FieldPresence::LegacyRequired);
        assert_eq!(
            e23.field(&legacy).presence(&legacy, &int),
            Presence::Required
        );

        let mut r = FieldDescriptorProto::default();
        r.set_label(Label::Repeated);
        assert!(!p2.field(&r).packed(&int));
        assert!(p3.field(&r).packed(&int));
        assert!(e23.field(&r).packed(&int));
        assert!(!p3.field(&r).packed(&Value::String { thin: false }));
        r.mutable_options().set_packed(true);
        assert!(p2.field(&r).packed(&int));
        r.mutable_options().set_packed(false);
        assert!(!p3.field(&r).packed(&int));
        let mut expanded = FieldDescriptorProto::default();
        expanded
            .mutable_options()
            .mutable_features()
            .set_repeated_field_encoding(RepeatedFieldEncoding::Expanded);
        assert!(!e23.field(&expanded).packed(&int));
    }

    #[test]
    fn delimited_messages() {
        let e23 = Features::of_file(&file("editions", Some(Edition::Edition2023))).unwrap();
        let mut f = FieldDescriptorProto::default();
        assert!(!e23.field(&f).delimited(false));
        f.mutable_options()
            .mutable_features()
            .set_message_encoding(MessageEncoding::Delimited);
        assert!(e23.field(&f).delimited(false));
        assert!(!e23.field(&f).delimited(true));
    }
}
