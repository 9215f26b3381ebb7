//! The feature vocabulary of the derive's attributes, shared with the code generator, which
//! lowers a field's resolved features (`descriptor.proto`'s `FeatureSet`) to these words:
//! one table, [`FEATURE_WORDS`], spells every feature, and [`Preset`] gives the defaults of
//! proto2, proto3 and the editions, which are presets of the same features.
//!
//! ```
//! use zpb_naming::features::{Feature, MessageEncoding, Preset, RepeatedEncoding};
//! assert_eq!(
//!     Feature::parse("delimited"),
//!     Some(Feature::Message(MessageEncoding::Delimited))
//! );
//! assert_eq!(Feature::Message(MessageEncoding::Delimited).word(), "delimited");
//! assert_eq!(Preset::parse("syntax", "proto2").unwrap().repeated, RepeatedEncoding::Expanded);
//! ```

/// `field_presence`: whether a singular field tracks being set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presence {
    /// `EXPLICIT`: set or not (`Option<T>`, `zpb::Optional<T>`, `zpb::MessageField<M>`).
    Explicit,
    /// `IMPLICIT`: unset is the default value (the value itself).
    Implicit,
    /// `LEGACY_REQUIRED`: proto2's `required`, checked by `is_initialized`.
    LegacyRequired,
}

/// `repeated_field_encoding`: how repeated scalars and enums are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RepeatedEncoding {
    /// `PACKED`: one length-delimited record.
    Packed,
    /// `EXPANDED`: one record per value.
    Expanded,
}

/// `message_encoding`: how message fields are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MessageEncoding {
    /// `LENGTH_PREFIXED`: a length-delimited record.
    LengthPrefixed,
    /// `DELIMITED`: between start and end group tags (proto2's groups).
    Delimited,
}

/// `enum_type`: whether an enum keeps numbers it does not name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EnumType {
    /// `OPEN`: any number is a value (stored as `zpb::OpenEnum<E>`).
    Open,
    /// `CLOSED`: unknown numbers go to the unknown fields (stored as `E`).
    Closed,
}

/// One feature value an attribute word sets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Feature {
    /// `field_presence`
    Presence(Presence),
    /// `repeated_field_encoding`
    Repeated(RepeatedEncoding),
    /// `message_encoding`
    Message(MessageEncoding),
    /// `enum_type` of the field's enum
    Enum(EnumType),
}

/// Every feature word, the canonical spelling of each feature first (what
/// [`Feature::word`] returns), then the older spellings the derive also reads: `optional`
/// (proto2's and proto3's word for explicit presence) and `unpacked` (`[packed = false]`).
pub const FEATURE_WORDS: &[(&str, Feature)] = &[
    ("explicit", Feature::Presence(Presence::Explicit)),
    ("implicit", Feature::Presence(Presence::Implicit)),
    ("required", Feature::Presence(Presence::LegacyRequired)),
    ("packed", Feature::Repeated(RepeatedEncoding::Packed)),
    ("expanded", Feature::Repeated(RepeatedEncoding::Expanded)),
    (
        "length_prefixed",
        Feature::Message(MessageEncoding::LengthPrefixed),
    ),
    ("delimited", Feature::Message(MessageEncoding::Delimited)),
    ("open_enum", Feature::Enum(EnumType::Open)),
    ("closed_enum", Feature::Enum(EnumType::Closed)),
    ("optional", Feature::Presence(Presence::Explicit)),
    ("unpacked", Feature::Repeated(RepeatedEncoding::Expanded)),
];

impl Feature {
    /// The feature a word sets, if it is a feature word.
    pub fn parse(word: &str) -> Option<Feature> {
        FEATURE_WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, f)| *f)
    }

    /// The canonical word for this feature.
    pub fn word(self) -> &'static str {
        FEATURE_WORDS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(w, _)| w)
    }

    /// The name of the `FeatureSet` field this feature sets (`message_encoding`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Presence(_) => "field_presence",
            Feature::Repeated(_) => "repeated_field_encoding",
            Feature::Message(_) => "message_encoding",
            Feature::Enum(_) => "enum_type",
        }
    }
}

/// The default features of a syntax or edition (`#[zpb(syntax = "proto2")]`,
/// `#[zpb(edition = "2023")]`), as `descriptor.proto`'s edition defaults give them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Preset {
    /// `field_presence`
    pub presence: Presence,
    /// `repeated_field_encoding`
    pub repeated: RepeatedEncoding,
    /// `message_encoding`
    pub message: MessageEncoding,
    /// `enum_type`
    pub enum_type: EnumType,
}

/// The presets by `(key, value)`: `syntax = "proto2"`, `syntax = "proto3"`,
/// `edition = "2023"`, `edition = "2024"`.
pub const PRESETS: &[(&str, &str, Preset)] = &[
    (
        "syntax",
        "proto2",
        Preset {
            presence: Presence::Explicit,
            repeated: RepeatedEncoding::Expanded,
            message: MessageEncoding::LengthPrefixed,
            enum_type: EnumType::Closed,
        },
    ),
    (
        "syntax",
        "proto3",
        Preset {
            presence: Presence::Implicit,
            repeated: RepeatedEncoding::Packed,
            message: MessageEncoding::LengthPrefixed,
            enum_type: EnumType::Open,
        },
    ),
    ("edition", "2023", EDITION_2023),
    ("edition", "2024", EDITION_2023),
];

/// Editions 2023 and 2024 agree on these features.
const EDITION_2023: Preset = Preset {
    presence: Presence::Explicit,
    repeated: RepeatedEncoding::Packed,
    message: MessageEncoding::LengthPrefixed,
    enum_type: EnumType::Open,
};

impl Preset {
    /// The preset `key = "value"` names (`syntax` or `edition`), if any.
    pub fn parse(key: &str, value: &str) -> Option<Preset> {
        PRESETS
            .iter()
            .find(|(k, v, _)| *k == key && *v == value)
            .map(|(.., p)| *p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_has_one_canonical_word_that_parses_back() {
        for (word, feature) in FEATURE_WORDS {
            assert_eq!(Feature::parse(word), Some(*feature));
            assert_eq!(Feature::parse(feature.word()), Some(*feature));
        }
        assert_eq!(Feature::Presence(Presence::Explicit).word(), "explicit");
        assert_eq!(
            Feature::Repeated(RepeatedEncoding::Expanded).word(),
            "expanded"
        );
        assert_eq!(Feature::parse("group"), None);
    }

    #[test]
    fn presets_by_key_and_value() {
        assert_eq!(
            Preset::parse("syntax", "proto3").unwrap().presence,
            Presence::Implicit
        );
        assert_eq!(
            Preset::parse("edition", "2024"),
            Preset::parse("edition", "2023")
        );
        assert_eq!(Preset::parse("edition", "proto2"), None);
        assert_eq!(Preset::parse("syntax", "2023"), None);
    }
}
