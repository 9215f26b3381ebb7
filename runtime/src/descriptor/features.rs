//! Feature resolution, as protoc does it: the [`FeatureSet`] that applies to each element of
//! a `.proto` file.
//!
//! Editions describe a field's behaviour by *features* (`field_presence`, `enum_type`,
//! `repeated_field_encoding`, `utf8_validation`, `message_encoding`, `json_format`, ...)
//! instead of by syntax. An element's features are found in three steps:
//!
//! 1. the file's **edition defaults** ([`edition_features`]): the entry of protoc's
//!    [`FeatureSetDefaults`] for the closest edition at or before the file's, its fixed
//!    features merged with its overridable ones. proto2 and proto3 are the legacy editions
//!    `EDITION_PROTO2` and `EDITION_PROTO3`, so they are presets of the same features;
//! 2. **inheritance**, file → message → field / oneof / nested message / enum → enum value
//!    (a oneof's fields inherit from the oneof, an extension from the scope it is declared
//!    in), each element merging its own `features` option over its parent's
//!    ([`child_features`] and the `*_features` functions);
//! 3. for proto2 and proto3 fields, the features their **legacy syntax** implies
//!    ([`field_features`]): `required` is `LEGACY_REQUIRED`, a group is `DELIMITED`,
//!    `[packed = true]` is `PACKED`, proto3's `[packed = false]` is `EXPANDED`.
//!
//! Merging is protobuf's merge (C++ `MergeFrom`): a feature set by the child replaces the
//! parent's, and the feature extensions of other languages (`pb.cpp`, `pb.java`, ...), which
//! zpb does not interpret, stay among the set's unknown fields and are carried through.
//!
//! ```
//! use zpb::descriptor::feature_set::{EnumType, FieldPresence};
//! use zpb::descriptor::{features, FileDescriptorProto};
//!
//! let mut file = FileDescriptorProto::default();
//! file.set_syntax("editions");
//! file.set_edition(zpb::descriptor::Edition::Edition2023);
//! let features = features::file_features(&file).unwrap();
//! assert_eq!(features.field_presence(), FieldPresence::Explicit);
//! assert_eq!(features.enum_type(), EnumType::Open);
//!
//! file.set_syntax("proto2");
//! assert_eq!(features::file_features(&file).unwrap().enum_type(), EnumType::Closed);
//! ```

use super::feature_set::{FieldPresence, MessageEncoding, RepeatedFieldEncoding};
use super::field_descriptor_proto::{Label, Type};
use super::{
    DescriptorProto, Edition, EnumDescriptorProto, EnumValueDescriptorProto, FeatureSet,
    FeatureSetDefaults, FieldDescriptorProto, FileDescriptorProto, MethodDescriptorProto,
    OneofDescriptorProto, ServiceDescriptorProto,
};
use crate::Enumeration as _;
use crate::Message as _;
use std::sync::OnceLock;

/// protoc's defaults for `descriptor.proto`'s features, `EDITION_PROTO2` to `EDITION_2024`:
/// a serialized [`FeatureSetDefaults`], the output of
/// `protoc --edition_defaults_out=FILE --edition_defaults_minimum=PROTO2
/// --edition_defaults_maximum=2024 google/protobuf/descriptor.proto` (protobuf v36's, which
/// computes it from the `edition_defaults` options of `FeatureSet`'s fields). zpb-build's
/// `bootstrap` test checks that protoc still gives these bytes. C++ protobuf embeds the same
/// bytes (`cpp_edition_defaults.h`).
pub const EDITION_DEFAULTS: &[u8] = b"\x0a\x19\x18\x84\x07\x22\x00*\x12\x08\x01\x10\x02\x18\x02 \x03(\x010\x028\x02@\x01H\x01\x0a\x19\x18\xe7\x07\x22\x00*\x12\x08\x02\x10\x01\x18\x01 \x02(\x010\x018\x02@\x01H\x01\x0a\x19\x18\xe8\x07\x22\x0c\x08\x01\x10\x01\x18\x01 \x02(\x010\x01*\x068\x02@\x01H\x01\x0a\x19\x18\xe9\x07\x22\x10\x08\x01\x10\x01\x18\x01 \x02(\x010\x018\x01@\x02*\x02H\x01 \xe6\x07(\xe9\x07";

/// The oldest edition whose features are resolved here: proto2.
pub const MINIMUM_EDITION: Edition = Edition::Proto2;

/// The newest edition whose features are resolved here: 2024.
pub const MAXIMUM_EDITION: Edition = Edition::Edition2024;

/// Why a file's features cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeatureError {
    /// `syntax` is neither `proto2`, `proto3` nor `editions`.
    UnknownSyntax(String),
    /// `syntax = "editions"` without an `edition`.
    MissingEdition,
    /// An edition outside [`MINIMUM_EDITION`]..=[`MAXIMUM_EDITION`] (its number).
    UnsupportedEdition(i32),
}

impl std::fmt::Display for FeatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeatureError::UnknownSyntax(s) => write!(
                f,
                "syntax \"{s}\" is not supported (proto2, proto3 and editions are)"
            ),
            FeatureError::MissingEdition => write!(f, "syntax \"editions\" without an edition"),
            FeatureError::UnsupportedEdition(n) => {
                let name = Edition::from_i32(*n).map_or("an unknown edition", |e| e.name());
                write!(
                    f,
                    "{name} ({n}) is not supported (editions {} to {} are)",
                    MINIMUM_EDITION.name(),
                    MAXIMUM_EDITION.name()
                )
            }
        }
    }
}

impl std::error::Error for FeatureError {}

/// [`EDITION_DEFAULTS`], decoded once.
pub fn edition_defaults() -> &'static FeatureSetDefaults {
    static DEFAULTS: OnceLock<FeatureSetDefaults> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        FeatureSetDefaults::parse_from_slice(EDITION_DEFAULTS)
            .expect("the embedded edition defaults decode (tested)")
    })
}

/// The edition of `file`: `EDITION_PROTO2` for `syntax = "proto2"` (or none: protoc leaves
/// `syntax` empty for proto2), `EDITION_PROTO3` for `proto3`, its `edition` for `editions`.
///
/// # Errors
/// An unknown syntax, or `editions` without an edition.
pub fn edition(file: &FileDescriptorProto) -> Result<Edition, FeatureError> {
    match file.syntax() {
        "" | "proto2" => Ok(Edition::Proto2),
        "proto3" => Ok(Edition::Proto3),
        "editions" => file.edition.ok_or(FeatureError::MissingEdition),
        other => Err(FeatureError::UnknownSyntax(other.to_string())),
    }
}

/// The default features of `edition`: the fixed and overridable features of the closest
/// entry of [`edition_defaults`] at or before it, as protoc's `FeatureResolver` computes them.
///
/// `EDITION_UNSTABLE`, which protoc (and zpb's front end) accept only for protobuf's own
/// test files (`conformance/test_protos/`, ...), resolves as [`MAXIMUM_EDITION`]: protoc
/// resolves it with defaults compiled up to the newest edition it knows, which differ from
/// 2024's only in features no code generator reads (naming style, symbol visibility, proto
/// limits).
///
/// # Errors
/// An edition outside [`MINIMUM_EDITION`]..=[`MAXIMUM_EDITION`] (the test-only editions,
/// editions newer than 2024), other than `EDITION_UNSTABLE`.
pub fn edition_features(edition: Edition) -> Result<FeatureSet, FeatureError> {
    let edition = match edition {
        Edition::Unstable => MAXIMUM_EDITION,
        other => other,
    };
    let n = edition.to_i32();
    if n < MINIMUM_EDITION.to_i32() || n > MAXIMUM_EDITION.to_i32() {
        return Err(FeatureError::UnsupportedEdition(n));
    }
    let entry = edition_defaults()
        .defaults
        .iter()
        .rfind(|d| d.edition().to_i32() <= n)
        .ok_or(FeatureError::UnsupportedEdition(n))?;
    let mut features = entry.fixed_features().clone();
    features.merge_from(entry.overridable_features());
    Ok(features)
}

/// The features of an element whose parent has `parent` and whose own `features` option is
/// `own`: `own` merged over `parent`.
pub fn child_features(parent: &FeatureSet, own: &FeatureSet) -> FeatureSet {
    let mut features = parent.clone();
    features.merge_from(own);
    features
}

/// The features of `file`'s top-level elements: its edition's defaults with its
/// `option features` merged over them.
///
/// # Errors
/// As [`edition`] and [`edition_features`].
pub fn file_features(file: &FileDescriptorProto) -> Result<FeatureSet, FeatureError> {
    let defaults = edition_features(edition(file)?)?;
    Ok(child_features(&defaults, file.options().features()))
}

/// The features of message `m`, declared where `parent` applies (its file or message).
pub fn message_features(parent: &FeatureSet, m: &DescriptorProto) -> FeatureSet {
    child_features(parent, m.options().features())
}

/// The features of oneof `o` of a message with features `parent`.
pub fn oneof_features(parent: &FeatureSet, o: &OneofDescriptorProto) -> FeatureSet {
    child_features(parent, o.options().features())
}

/// The features of enum `e`, declared where `parent` applies (its file or message).
pub fn enum_features(parent: &FeatureSet, e: &EnumDescriptorProto) -> FeatureSet {
    child_features(parent, e.options().features())
}

/// The features of value `v` of an enum with features `parent`.
pub fn enum_value_features(parent: &FeatureSet, v: &EnumValueDescriptorProto) -> FeatureSet {
    child_features(parent, v.options().features())
}

/// The features of service `s` of a file with features `parent`.
pub fn service_features(parent: &FeatureSet, s: &ServiceDescriptorProto) -> FeatureSet {
    child_features(parent, s.options().features())
}

/// The features of method `m` of a service with features `parent`.
pub fn method_features(parent: &FeatureSet, m: &MethodDescriptorProto) -> FeatureSet {
    child_features(parent, m.options().features())
}

/// The features of field (or extension) `f` of a file of `edition`, where `parent` applies:
/// its message's, its oneof's for a oneof member, its scope's (file or message) for an
/// extension. For proto2 and proto3 the features the field's syntax implies are merged
/// over its own, as protoc does (`InferLegacyProtoFeatures`); in editions, `[packed]`
/// and `required` do not exist and groups are written as `DELIMITED` messages.
pub fn field_features(
    parent: &FeatureSet,
    f: &FieldDescriptorProto,
    edition: Edition,
) -> FeatureSet {
    let mut features = child_features(parent, f.options().features());
    if !matches!(edition, Edition::Proto2 | Edition::Proto3) {
        return features;
    }
    if f.label() == Label::Required {
        features.set_field_presence(FieldPresence::LegacyRequired);
    }
    if f.r#type() == Type::Group {
        features.set_message_encoding(MessageEncoding::Delimited);
    }
    let options = f.options();
    if options.packed() {
        features.set_repeated_field_encoding(RepeatedFieldEncoding::Packed);
    }
    if edition == Edition::Proto3 && options.has_packed() && !options.packed() {
        features.set_repeated_field_encoding(RepeatedFieldEncoding::Expanded);
    }
    features
}

#[cfg(test)]
mod tests {
    use super::super::feature_set::visibility_feature::DefaultSymbolVisibility;
    use super::super::feature_set::{EnforceNamingStyle, EnumType, JsonFormat, Utf8Validation};
    use super::*;

    fn file(syntax: &str, edition: Option<Edition>) -> FileDescriptorProto {
        let mut file = FileDescriptorProto::default();
        file.set_syntax(syntax);
        file.edition = edition;
        file
    }

    #[test]
    fn defaults_decode_and_cover_proto2_to_2024() {
        let d = edition_defaults();
        assert_eq!(d.minimum_edition(), MINIMUM_EDITION);
        assert_eq!(d.maximum_edition(), MAXIMUM_EDITION);
        assert_eq!(d.defaults.len(), 4);
    }

    /// The derive's presets (`#[zpb(syntax = "proto2")]`, `#[zpb(edition = "2023")]`, in
    /// `zpb_naming::features`) are the features this resolution gives each syntax and edition.
    #[test]
    fn derive_presets_are_the_resolved_defaults() {
        use zpb_naming::features as derive;
        for (key, value, preset) in derive::PRESETS {
            let f = match (*key, *value) {
                ("syntax", syntax) => file_features(&file(syntax, None)),
                (_, "2023") => file_features(&file("editions", Some(Edition::Edition2023))),
                (_, "2024") => file_features(&file("editions", Some(Edition::Edition2024))),
                other => panic!("a preset the test does not know: {other:?}"),
            }
            .unwrap();
            let presence = match f.field_presence() {
                FieldPresence::Explicit => derive::Presence::Explicit,
                FieldPresence::Implicit => derive::Presence::Implicit,
                _ => derive::Presence::LegacyRequired,
            };
            let repeated = match f.repeated_field_encoding() {
                RepeatedFieldEncoding::Packed => derive::RepeatedEncoding::Packed,
                _ => derive::RepeatedEncoding::Expanded,
            };
            let message = match f.message_encoding() {
                MessageEncoding::Delimited => derive::MessageEncoding::Delimited,
                _ => derive::MessageEncoding::LengthPrefixed,
            };
            let enum_type = match f.enum_type() {
                EnumType::Open => derive::EnumType::Open,
                _ => derive::EnumType::Closed,
            };
            let resolved = derive::Preset {
                presence,
                repeated,
                message,
                enum_type,
            };
            assert_eq!(*preset, resolved, "{key} = {value:?}");
        }
    }

    #[test]
    fn presets_and_editions() {
        let p2 = file_features(&file("", None)).unwrap();
        assert_eq!(p2.field_presence(), FieldPresence::Explicit);
        assert_eq!(p2.enum_type(), EnumType::Closed);
        assert_eq!(
            p2.repeated_field_encoding(),
            RepeatedFieldEncoding::Expanded
        );
        assert_eq!(p2.utf8_validation(), Utf8Validation::None);
        assert_eq!(p2.json_format(), JsonFormat::LegacyBestEffort);
        assert_eq!(file_features(&file("proto2", None)).unwrap(), p2);

        let p3 = file_features(&file("proto3", None)).unwrap();
        assert_eq!(p3.field_presence(), FieldPresence::Implicit);
        assert_eq!(p3.enum_type(), EnumType::Open);
        assert_eq!(p3.repeated_field_encoding(), RepeatedFieldEncoding::Packed);
        assert_eq!(p3.utf8_validation(), Utf8Validation::Verify);
        assert_eq!(p3.message_encoding(), MessageEncoding::LengthPrefixed);

        let e23 = file_features(&file("editions", Some(Edition::Edition2023))).unwrap();
        assert_eq!(e23.field_presence(), FieldPresence::Explicit);
        assert_eq!(e23.enum_type(), EnumType::Open);
        assert_eq!(e23.json_format(), JsonFormat::Allow);
        assert_eq!(
            e23.default_symbol_visibility(),
            DefaultSymbolVisibility::ExportAll
        );
        let e24 = file_features(&file("editions", Some(Edition::Edition2024))).unwrap();
        assert_eq!(
            e24.default_symbol_visibility(),
            DefaultSymbolVisibility::ExportTopLevel
        );
        assert_eq!(e24.enforce_naming_style(), EnforceNamingStyle::Style2024);
    }

    #[test]
    fn bad_editions_are_errors() {
        assert_eq!(
            file_features(&file("proto4", None)),
            Err(FeatureError::UnknownSyntax("proto4".into()))
        );
        assert_eq!(
            file_features(&file("editions", None)),
            Err(FeatureError::MissingEdition)
        );
        assert_eq!(
            file_features(&file("editions", Some(Edition::Unstable))),
            edition_features(MAXIMUM_EDITION)
        );
        for e in [
            Edition::Edition2026,
            Edition::Edition1TestOnly,
            Edition::Legacy,
        ] {
            let err = file_features(&file("editions", Some(e))).unwrap_err();
            assert_eq!(err, FeatureError::UnsupportedEdition(e.to_i32()));
            assert!(err.to_string().contains(e.name()), "{err}");
        }
    }

    #[test]
    fn inheritance_overrides_and_unknown_extensions() {
        let mut f = file("editions", Some(Edition::Edition2023));
        let fs = f.mutable_options().mutable_features();
        fs.set_enum_type(EnumType::Closed);
        // pb.cpp (field 1000) { legacy_closed_enum: true (1) }: another language's feature.
        fs.merge_from_slice(b"\xc2\x3e\x02\x08\x01").unwrap();
        let file_fs = file_features(&f).unwrap();
        assert_eq!(file_fs.enum_type(), EnumType::Closed);

        let mut m = DescriptorProto::default();
        m.mutable_options()
            .mutable_features()
            .set_field_presence(FieldPresence::Implicit);
        let msg_fs = message_features(&file_fs, &m);
        assert_eq!(msg_fs.field_presence(), FieldPresence::Implicit);
        assert_eq!(msg_fs.enum_type(), EnumType::Closed);

        let mut field = FieldDescriptorProto::default();
        field
            .mutable_options()
            .mutable_features()
            .set_message_encoding(MessageEncoding::Delimited);
        let field_fs = field_features(&msg_fs, &field, Edition::Edition2023);
        assert_eq!(field_fs.message_encoding(), MessageEncoding::Delimited);
        assert_eq!(field_fs.field_presence(), FieldPresence::Implicit);
        // The pb.cpp extension is carried through to the field, unchanged.
        let bytes = field_fs.serialize_to_vec().unwrap();
        assert!(bytes.ends_with(b"\xc2\x3e\x02\x08\x01"), "{bytes:x?}");
    }

    #[test]
    fn legacy_syntax_implies_features() {
        let p2 = file_features(&file("proto2", None)).unwrap();
        let mut f = FieldDescriptorProto::default();
        f.set_label(Label::Required);
        let fs = field_features(&p2, &f, Edition::Proto2);
        assert_eq!(fs.field_presence(), FieldPresence::LegacyRequired);
        f.set_label(Label::Repeated);
        f.set_type(Type::Group);
        f.mutable_options().set_packed(true);
        let fs = field_features(&p2, &f, Edition::Proto2);
        assert_eq!(fs.message_encoding(), MessageEncoding::Delimited);
        assert_eq!(fs.repeated_field_encoding(), RepeatedFieldEncoding::Packed);

        let p3 = file_features(&file("proto3", None)).unwrap();
        let mut r = FieldDescriptorProto::default();
        r.set_label(Label::Repeated);
        assert_eq!(
            field_features(&p3, &r, Edition::Proto3).repeated_field_encoding(),
            RepeatedFieldEncoding::Packed
        );
        r.mutable_options().set_packed(false);
        assert_eq!(
            field_features(&p3, &r, Edition::Proto3).repeated_field_encoding(),
            RepeatedFieldEncoding::Expanded
        );
        // In editions the legacy spellings mean nothing.
        let e23 = edition_features(Edition::Edition2023).unwrap();
        r.set_label(Label::Required);
        assert_eq!(
            field_features(&e23, &r, Edition::Edition2023).field_presence(),
            FieldPresence::Explicit
        );
    }
}
