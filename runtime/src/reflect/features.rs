//! Feature resolution: the one place that turns a file's syntax or edition, and the
//! `features` options along the path file → messages → (oneof) → field, into the resolved
//! [`Features`] every descriptor answers from.
//!
//! proto2 and proto3 files are the legacy editions `EDITION_PROTO2` / `EDITION_PROTO3`:
//! their labels and options (`required`, `[packed = ...]`, proto3 `optional`, groups) are
//! mapped onto features here too, as protoc does, so the rest of reflection asks features
//! only.

use crate::descriptor::feature_set::{
    EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
};
use crate::descriptor::field_descriptor_proto::{Label, Type};
use crate::descriptor::{Edition, FeatureSet, FieldDescriptorProto};

/// The resolved values of the features reflection needs (`google.protobuf.FeatureSet`'s
/// fields 1 to 6), with every value known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Features {
    /// Explicit, implicit (proto3) or legacy-required presence.
    pub field_presence: FieldPresence,
    /// Open (proto3) or closed (proto2) enums.
    pub enum_type: EnumType,
    /// Packed or expanded repeated scalars.
    pub repeated_field_encoding: RepeatedFieldEncoding,
    /// Whether strings are checked for UTF-8.
    pub utf8_validation: Utf8Validation,
    /// Length-prefixed or delimited (group) encoding of sub-messages.
    pub message_encoding: MessageEncoding,
    /// Whether the JSON mapping is fully supported.
    pub json_format: JsonFormat,
}

impl Features {
    /// The defaults of `edition` (protobuf v36's `FeatureSetDefaults` for the core features).
    /// Editions after 2024 resolve as 2024; anything before proto3 as proto2.
    pub fn edition_defaults(edition: Edition) -> Features {
        let legacy = Features {
            field_presence: FieldPresence::Explicit,
            enum_type: EnumType::Closed,
            repeated_field_encoding: RepeatedFieldEncoding::Expanded,
            utf8_validation: Utf8Validation::None,
            message_encoding: MessageEncoding::LengthPrefixed,
            json_format: JsonFormat::LegacyBestEffort,
        };
        let proto3 = Features {
            field_presence: FieldPresence::Implicit,
            enum_type: EnumType::Open,
            repeated_field_encoding: RepeatedFieldEncoding::Packed,
            utf8_validation: Utf8Validation::Verify,
            message_encoding: MessageEncoding::LengthPrefixed,
            json_format: JsonFormat::Allow,
        };
        match edition as i32 {
            n if n < Edition::Proto3 as i32 => legacy,
            n if n == Edition::Proto3 as i32 => proto3,
            // 2023 and later: proto3's defaults with explicit presence.
            _ => Features {
                field_presence: FieldPresence::Explicit,
                ..proto3
            },
        }
    }

    /// These features with the values `set` sets (a child element's `features` option)
    /// overriding them.
    pub fn merged(mut self, set: Option<&FeatureSet>) -> Features {
        let Some(set) = set else { return self };
        if set.has_field_presence() && set.field_presence() != FieldPresence::Unknown {
            self.field_presence = set.field_presence();
        }
        if set.has_enum_type() && set.enum_type() != EnumType::Unknown {
            self.enum_type = set.enum_type();
        }
        if set.has_repeated_field_encoding()
            && set.repeated_field_encoding() != RepeatedFieldEncoding::Unknown
        {
            self.repeated_field_encoding = set.repeated_field_encoding();
        }
        if set.has_utf8_validation() && set.utf8_validation() != Utf8Validation::Unknown {
            self.utf8_validation = set.utf8_validation();
        }
        if set.has_message_encoding() && set.message_encoding() != MessageEncoding::Unknown {
            self.message_encoding = set.message_encoding();
        }
        if set.has_json_format() && set.json_format() != JsonFormat::Unknown {
            self.json_format = set.json_format();
        }
        self
    }

    /// A field's features: its parent's (file, message or oneof) merged with its own
    /// `features`, then the legacy proto2/proto3 spellings mapped onto features as protoc
    /// does (`required` → `LEGACY_REQUIRED`, `[packed]`, proto3 `optional` → `EXPLICIT`,
    /// `group` → `DELIMITED`).
    pub fn for_field(parent: Features, edition: Edition, field: &FieldDescriptorProto) -> Features {
        let options = field.has_options().then(|| field.options());
        let own = options.and_then(|o| o.has_features().then(|| o.features()));
        let mut f = parent.merged(own);
        let legacy = matches!(edition, Edition::Proto2 | Edition::Proto3);
        if legacy {
            if field.label() == Label::Required {
                f.field_presence = FieldPresence::LegacyRequired;
            }
            if field.proto3_optional() {
                f.field_presence = FieldPresence::Explicit;
            }
            if let Some(packed) = options.and_then(|o| o.has_packed().then(|| o.packed())) {
                f.repeated_field_encoding = if packed {
                    RepeatedFieldEncoding::Packed
                } else {
                    RepeatedFieldEncoding::Expanded
                };
            }
            if field.r#type() == Type::Group {
                f.message_encoding = MessageEncoding::Delimited;
            }
        }
        f
    }
}

/// The edition a file is written in: its `edition` for editions files, else its syntax as
/// a legacy edition (no syntax means proto2).
pub fn file_edition(syntax: &str, edition: Option<Edition>) -> Edition {
    match syntax {
        "proto3" => Edition::Proto3,
        "editions" => edition.unwrap_or(Edition::Edition2023),
        _ => Edition::Proto2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_spellings_map_onto_features() {
        let p2 = Features::edition_defaults(Edition::Proto2);
        let mut f = FieldDescriptorProto::default();
        f.set_label(Label::Required);
        assert_eq!(
            Features::for_field(p2, Edition::Proto2, &f).field_presence,
            FieldPresence::LegacyRequired
        );
        let p3 = Features::edition_defaults(Edition::Proto3);
        let mut f = FieldDescriptorProto::default();
        f.mutable_options().set_packed(false);
        assert_eq!(
            Features::for_field(p3, Edition::Proto3, &f).repeated_field_encoding,
            RepeatedFieldEncoding::Expanded
        );
        let e = Features::edition_defaults(Edition::Edition2023);
        let mut set = FeatureSet::default();
        set.set_field_presence(FieldPresence::Implicit);
        assert_eq!(e.merged(Some(&set)).field_presence, FieldPresence::Implicit);
        assert_eq!(e.enum_type, EnumType::Open);
    }
}
