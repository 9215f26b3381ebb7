//! The resolved features every descriptor carries. Resolution itself (edition defaults,
//! inheritance, the legacy proto2/proto3 spellings) is [`crate::descriptor::features`]'s,
//! the same code the generator lowers with; this module only keeps its result: the full
//! [`FeatureSet`] (other languages' feature extensions included, as unknown fields), shared
//! between an element and its parent when they resolve alike, and a compact [`Features`]
//! view of the core features for reflection's own decisions.

use crate::descriptor::feature_set::{
    EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
};
use crate::descriptor::FeatureSet;
use std::sync::Arc;

/// The values of the core features (`google.protobuf.FeatureSet`'s fields 1 to 6) of a
/// resolved [`FeatureSet`]: a small `Copy` view of what a descriptor's `features()` returns.
///
/// ```
/// use zpb::descriptor::feature_set::{EnumType, FieldPresence};
/// use zpb::descriptor::{features, Edition};
/// use zpb::reflect::Features;
///
/// let set = features::edition_features(Edition::Proto3).unwrap();
/// let view = Features::from_set(&set);
/// assert_eq!(view.field_presence, FieldPresence::Implicit);
/// assert_eq!(view.enum_type, EnumType::Open);
/// ```
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
    /// The core features of `set` (a feature it leaves unset reads as its `UNKNOWN` value;
    /// a set resolved by [`crate::descriptor::features`] sets them all).
    pub fn from_set(set: &FeatureSet) -> Features {
        Features {
            field_presence: set.field_presence(),
            enum_type: set.enum_type(),
            repeated_field_encoding: set.repeated_field_encoding(),
            utf8_validation: set.utf8_validation(),
            message_encoding: set.message_encoding(),
            json_format: set.json_format(),
        }
    }
}

/// One element's resolved features: the full set and its compact view.
#[derive(Clone, Debug)]
pub(super) struct Resolved {
    pub set: Arc<FeatureSet>,
    pub view: Features,
}

impl Resolved {
    /// Wraps a resolved set.
    pub fn new(set: FeatureSet) -> Resolved {
        Resolved {
            view: Features::from_set(&set),
            set: Arc::new(set),
        }
    }

    /// A child element's resolved `set`, sharing this (its parent's) allocation when the
    /// child changes nothing, as most elements do.
    pub fn child(&self, set: FeatureSet) -> Resolved {
        if set == *self.set {
            self.clone()
        } else {
            Resolved::new(set)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::{features, Edition};

    #[test]
    fn children_share_unchanged_sets() {
        let file = Resolved::new(features::edition_features(Edition::Edition2023).unwrap());
        let same = file.child((*file.set).clone());
        assert!(Arc::ptr_eq(&file.set, &same.set));
        let mut changed = (*file.set).clone();
        changed.set_field_presence(FieldPresence::Implicit);
        let child = file.child(changed);
        assert!(!Arc::ptr_eq(&file.set, &child.set));
        assert_eq!(child.view.field_presence, FieldPresence::Implicit);
        assert_eq!(file.view.field_presence, FieldPresence::Explicit);
    }
}
