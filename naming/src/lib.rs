//! Naming rules shared by `zpb-derive` (which names the accessors it generates) and
//! `zpb-build` (which must predict those names to avoid collisions), so that both apply
//! exactly the same rules:
//!
//! - [`case`]: [`snake_case`] (`fooBar`, `FooBar`, `FOO_BAR`, `__foo__bar_` → `foo_bar`),
//!   [`upper_camel`], [`screaming_snake`], [`default_json_name`], [`json_quoted_key`],
//!   [`map_entry_name`] (protoc's name of a map field's entry message), [`strip_enum_prefix`]
//!   and [`variant_proto_name`] (the proto name of a variant that does not give one);
//! - [`keywords`]: [`escape`] and [`is_keyword`] (Rust keywords become raw identifiers,
//!   `r#type`, and the few that cannot be raw, `self`, `super`, `crate`, `Self`, get a
//!   trailing `_`) and [`RESERVED_METHODS`], methods every message has, which an accessor must
//!   not shadow;
//! - [`scalar`]: the scalar table ([`SCALARS`]: proto word, `codec` marker type, Rust type,
//!   default value);
//! - [`accessors`]: [`FieldShape`] and [`accessor_names`], the accessor methods a field of each
//!   shape gets (`zpb_naming::accessor_names(&base, FieldShape::Map)`), and how a oneof
//!   member's accessors are named ([`oneof_accessor_base`]);
//! - [`JSON_SPECIAL_FORMS`]: the well-known types with a special ProtoJSON form (the derive
//!   routes them to `zpb`'s implementations, and `zpb`'s dynamic messages use the same list).
//! - [`features`]: the feature words of the derive's attributes (`delimited`, `expanded`,
//!   `closed_enum`, ...) and the presets of proto2, proto3 and the editions, which the code
//!   generator emits from a field's resolved features.

#![deny(missing_docs)]

pub mod accessors;
pub mod case;
pub mod features;
pub mod keywords;
pub mod scalar;

pub use accessors::{
    accessor_names, is_accessor_base, oneof_accessor_base, oneof_member_accessors, Accessor,
    FieldShape,
};
pub use case::{
    default_json_name, json_quoted_key, map_entry_name, screaming_snake, snake_case,
    strip_enum_prefix, upper_camel, variant_proto_name,
};
pub use keywords::{
    escape, is_keyword, is_reserved_method, suffix_non_raw, unraw, RESERVED_METHODS,
};
pub use scalar::{scalar_codec, Scalar, ScalarInfo, SCALARS};

/// The well-known types whose ProtoJSON form is not an object of their fields (a string for
/// `Timestamp`, the bare value for a wrapper, any JSON for `Value`, ...), by full name.
pub const JSON_SPECIAL_FORMS: &[&str] = &[
    "google.protobuf.Any",
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
    "google.protobuf.FieldMask",
    "google.protobuf.Struct",
    "google.protobuf.Value",
    "google.protobuf.ListValue",
    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",
    "google.protobuf.UInt32Value",
    "google.protobuf.BoolValue",
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
];
