//! Dynamic messages: zpb's own `DynamicMessage` and prost-reflect's as its peer, both messages
//! described only by a descriptor loaded at run time from the benchmark schemas'
//! `FileDescriptorSet` (written by zpb-build in build.rs, the same input every generated peer is
//! built from).

use crate::Codec;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use std::marker::PhantomData;
use std::sync::LazyLock;

/// The serialized `FileDescriptorSet` of the benchmark schemas (Google's and `spiky.proto`).
pub fn descriptor_set() -> &'static [u8] {
    include_bytes!(concat!(env!("OUT_DIR"), "/benchmarks.fds"))
}

/// prost-reflect's pool over [`descriptor_set`].
pub fn pool() -> &'static DescriptorPool {
    static POOL: LazyLock<DescriptorPool> = LazyLock::new(|| {
        DescriptorPool::decode(descriptor_set()).expect("benchmark descriptor set")
    });
    &POOL
}

/// zpb's pool over [`descriptor_set`].
pub fn zpb_pool() -> &'static zpb::reflect::DescriptorPool {
    static POOL: LazyLock<zpb::reflect::DescriptorPool> = LazyLock::new(|| {
        zpb::reflect::DescriptorPool::decode(descriptor_set()).expect("benchmark descriptor set")
    });
    &POOL
}

/// A message type named by its full protobuf name, with its descriptors looked up once.
pub trait Named {
    /// Full name (`benchmarks.proto2.GoogleMessage1`).
    const NAME: &'static str;
    /// The descriptor of [`Self::NAME`] in [`pool`].
    fn descriptor() -> &'static MessageDescriptor;
    /// The descriptor of [`Self::NAME`] in [`zpb_pool`].
    fn zpb_descriptor() -> &'static zpb::reflect::MessageDescriptor;
}

/// Declares a [`Named`] marker type for a full message name.
#[macro_export]
macro_rules! named {
    ($ty:ident = $name:expr) => {
        /// Marker naming one message type of the benchmark schemas.
        pub struct $ty;
        impl $crate::dynamic::Named for $ty {
            const NAME: &'static str = $name;
            fn descriptor() -> &'static prost_reflect::MessageDescriptor {
                static D: std::sync::LazyLock<prost_reflect::MessageDescriptor> =
                    std::sync::LazyLock::new(|| {
                        $crate::dynamic::pool()
                            .get_message_by_name($name)
                            .unwrap_or_else(|| panic!("{} not in the descriptor set", $name))
                    });
                &D
            }
            fn zpb_descriptor() -> &'static zpb::reflect::MessageDescriptor {
                static D: std::sync::LazyLock<zpb::reflect::MessageDescriptor> =
                    std::sync::LazyLock::new(|| {
                        $crate::dynamic::zpb_pool()
                            .get_message_by_name($name)
                            .unwrap_or_else(|| panic!("{} not in the descriptor set", $name))
                    });
                &D
            }
        }
    };
}

/// A `DynamicMessage` of the type `N` names (`Default` gives an empty one).
pub struct Dynamic<N: Named>(pub DynamicMessage, PhantomData<N>);

impl<N: Named> Default for Dynamic<N> {
    fn default() -> Self {
        Self(DynamicMessage::new(N::descriptor().clone()), PhantomData)
    }
}

/// prost-reflect's `DynamicMessage` as a [`Codec`] for the message type `N` names.
pub struct ProstReflect<N>(PhantomData<N>);

impl<N: Named> Codec for ProstReflect<N> {
    type Msg = Dynamic<N>;
    const IMPL: &'static str = "prost-reflect";
    fn parse(bytes: &[u8]) -> Dynamic<N> {
        let msg = DynamicMessage::decode(N::descriptor().clone(), bytes).unwrap();
        Dynamic(msg, PhantomData)
    }
    fn reparse(msg: &mut Dynamic<N>, bytes: &[u8]) {
        prost::Message::clear(&mut msg.0);
        prost::Message::merge(&mut msg.0, bytes).unwrap();
    }
    fn serialize(msg: &Dynamic<N>, out: &mut Vec<u8>) {
        out.clear();
        prost::Message::encode(&msg.0, out).unwrap();
    }
    fn size(msg: &Dynamic<N>) -> usize {
        prost::Message::encoded_len(&msg.0)
    }
}

/// A zpb `DynamicMessage` of the type `N` names (`Default` gives an empty one).
pub struct ZpbDynamicMessage<N: Named>(pub zpb::reflect::DynamicMessage, PhantomData<N>);

impl<N: Named> Default for ZpbDynamicMessage<N> {
    fn default() -> Self {
        Self(
            zpb::reflect::DynamicMessage::new(N::zpb_descriptor().clone()),
            PhantomData,
        )
    }
}

/// zpb's `DynamicMessage` as a [`Codec`] for the message type `N` names: the same `Message`
/// calls as the generated type (`parse`, `clear` + `merge`, `serialize_into_vec`, `byte_size`).
pub struct ZpbDynamic<N>(PhantomData<N>);

impl<N: Named> Codec for ZpbDynamic<N> {
    type Msg = ZpbDynamicMessage<N>;
    const IMPL: &'static str = "zpb-dynamic";
    fn parse(bytes: &[u8]) -> ZpbDynamicMessage<N> {
        let msg = zpb::reflect::DynamicMessage::decode(N::zpb_descriptor().clone(), bytes).unwrap();
        ZpbDynamicMessage(msg, PhantomData)
    }
    fn reparse(msg: &mut ZpbDynamicMessage<N>, bytes: &[u8]) {
        zpb::Reuse::clear(&mut msg.0);
        zpb::Message::merge_from_slice(&mut msg.0, bytes).unwrap();
    }
    fn serialize(msg: &ZpbDynamicMessage<N>, out: &mut Vec<u8>) {
        zpb::Message::serialize_into_vec(&msg.0, out).unwrap();
    }
    fn size(msg: &ZpbDynamicMessage<N>) -> usize {
        zpb::Message::byte_size(&msg.0)
    }
}
