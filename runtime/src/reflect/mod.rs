//! Reflection: descriptors at run time and messages described by them (C++ `Descriptor` /
//! `Reflection` / `DynamicMessage`, prost-reflect).
//!
//! - [`DescriptorPool`] holds resolved `.proto` files (from protoc's `--descriptor_set_out`,
//!   or `FileDescriptorProto`s built in code) and finds any element by full name in O(1).
//! - Descriptors — [`FileDescriptor`], [`MessageDescriptor`], [`FieldDescriptor`],
//!   [`OneofDescriptor`], [`EnumDescriptor`], [`EnumValueDescriptor`],
//!   [`ServiceDescriptor`], [`MethodDescriptor`] — are cheap handles into a pool. Options
//!   are the [`zpb::descriptor`](crate::descriptor) option messages; custom options are in
//!   their unknown fields, readable with [`zpb::Extension`](crate::Extension).
//! - Presence, packing and enum openness come from the file's syntax or edition and its
//!   features, resolved once per element by [`zpb::descriptor::features`](crate::descriptor::features)
//!   (the generator's resolution) and answered by each descriptor's `features()`; [`Features`]
//!   is a compact view of the core ones.
//! - [`ReflectMessage`] reads and writes any message field by field through its
//!   descriptors: derived messages (the derive emits the access per field) and
//!   [`DynamicMessage`] alike. Generated messages answer with their `.proto` file's
//!   descriptor; hand-written `#[derive(zpb::Message)]` structs with one synthesized from
//!   their attributes (see [`ReflectMessage`]).
//! - [`DynamicMessage`] is a [`zpb::Message`](crate::Message) of a type known at run time,
//!   read and written field by field through [`Value`], [`ValueRef`] and [`MapKey`].
//! - `google.protobuf.Any` packs and unpacks messages (`Any::pack`, `unpack`, `is`), and the
//!   [`TypeRegistry`] (the same type as `zpb::format::TypeRegistry`) unpacks any `Any` into a
//!   [`DynamicMessage`] by type URL through its pools. Dynamic messages print and parse JSON
//!   and text format as generated ones do.
//!
//! ```
//! use zpb::descriptor::field_descriptor_proto::{Label, Type};
//! use zpb::descriptor::FileDescriptorProto;
//! use zpb::reflect::{Cardinality, DescriptorPool, DynamicMessage, Kind, Value};
//! use zpb::Message;
//!
//! let mut file = FileDescriptorProto::default();
//! file.set_name("shop.proto");
//! file.set_package("shop");
//! let order = file.add_message_type();
//! order.set_name("Order");
//! let id = order.add_field();
//! id.set_name("order_id");
//! id.set_number(1);
//! id.set_label(Label::Required);
//! id.set_type(Type::Uint64);
//! let tags = order.add_field();
//! tags.set_name("tags");
//! tags.set_number(2);
//! tags.set_label(Label::Repeated);
//! tags.set_type(Type::String);
//!
//! let mut pool = DescriptorPool::new();
//! pool.add_file_descriptor_protos([file]).unwrap();
//! let desc = pool.get_message_by_name("shop.Order").unwrap();
//! let id = desc.get_field_by_name("order_id").unwrap();
//! assert_eq!((id.kind(), id.cardinality(), id.json_name()), (Kind::Uint64, Cardinality::Required, "orderId"));
//!
//! let mut order = DynamicMessage::new(desc.clone());
//! assert_eq!(order.missing_fields(), ["order_id"]);
//! order.set_field(&id, Value::U64(7)).unwrap();
//! order.push_value(&desc.get_field(2).unwrap(), Value::from("gift")).unwrap();
//! let bytes = order.serialize_to_vec().unwrap();
//! let back = DynamicMessage::decode(desc, &bytes).unwrap();
//! assert_eq!(format!("{back:?}"), r#"order_id: 7 tags: "gift""#);
//! assert_eq!(back, order);
//! ```

/// The README's "Reflection and dynamic messages" example, run as a doc test so that it
/// stays true (the README's other code blocks are marked `ignore` or run too).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

mod access;
mod any;
mod descriptors;
mod dynamic;
mod features;
mod generated;
mod layout;
mod pool;
#[doc(hidden)]
pub mod support;
mod synthesized;

/// The one type registry (generated types, extensions, descriptor pools), also reachable as
/// `zpb::format::TypeRegistry`.
pub use crate::format::TypeRegistry;
pub(crate) use access::holds_messages;
pub use access::{ReflectEnum, ReflectMessage};
pub(crate) use any::type_name_of;
pub use any::{AnyError, DEFAULT_TYPE_URL_PREFIX};
pub use descriptors::{
    Cardinality, Descriptor, EnumDescriptor, EnumValueDescriptor, FieldDescriptor, FileDescriptor,
    Kind, MessageDescriptor, MethodDescriptor, OneofDescriptor, ServiceDescriptor,
};
pub(crate) use dynamic::extensions as pool_extensions;
pub use dynamic::{DynamicMessage, ListRef, MapRef, ReflectError};
pub use dynamic::{MapKey, Value, ValueRef};
pub use features::Features;
pub use generated::GeneratedFile;
pub use pool::{DescriptorPool, PoolError};
