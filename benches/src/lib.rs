//! Shared pieces of the zpb benchmarks: the four generated versions of Google's benchmark
//! schemas (zpb, prost, buffa, rust-protobuf), prost-reflect's dynamic messages over the same
//! schemas, C++ libprotobuf (`cpp` feature), the datasets, a uniform interface over the
//! implementations (binary, and JSON and text format in [`formats`]), a counting allocator, the
//! "spiky" workload and the RPC benchmark's service.

#![allow(missing_docs)]

use std::path::PathBuf;

/// zpb's generated code.
pub mod zpb_gen {
    pub mod benchmarks {
        zpb::include_proto!("zpb/benchmarks");
        pub mod proto2 {
            zpb::include_proto!("zpb/benchmarks.proto2");
        }
        pub mod proto3 {
            zpb::include_proto!("zpb/benchmarks.proto3");
        }
    }
    pub mod spiky {
        zpb::include_proto!("zpb/spiky");
    }
    /// The RPC benchmark's `Echo` service (client and server with zpb's `zmq` feature).
    pub mod rpc_bench {
        zpb::include_proto!("zpb/rpc_bench");
    }
}

/// tonic's client and server of the RPC benchmark's service, over prost's messages.
#[cfg(feature = "rpc")]
#[allow(clippy::all, dead_code)]
pub mod tonic_gen {
    include!(concat!(env!("OUT_DIR"), "/tonic/rpc_bench.rs"));
}

/// prost's generated code.
#[allow(clippy::all, dead_code)]
pub mod prost_gen {
    include!(concat!(env!("OUT_DIR"), "/prost/mod.rs"));
}

/// buffa's generated code.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod buffa_gen {
    include!(concat!(env!("OUT_DIR"), "/buffa/mod.rs"));
}

/// rust-protobuf's generated code (one module per .proto file).
#[allow(clippy::all, dead_code, unused_imports)]
pub mod rust_protobuf_gen {
    include!(concat!(env!("OUT_DIR"), "/rust_protobuf/mod.rs"));
}

pub mod alloc;
#[cfg(feature = "cpp")]
pub mod cpp;
pub mod dynamic;
pub mod formats;
pub mod spiky;

/// One of Google's benchmark datasets: payloads of one message type.
pub struct Dataset {
    /// Short name (`message1_proto2`, ...).
    pub name: &'static str,
    /// Full name of the payloads' message type.
    pub message_name: String,
    /// Serialized messages.
    pub payloads: Vec<Vec<u8>>,
}

impl Dataset {
    /// Total bytes of all payloads.
    pub fn bytes(&self) -> usize {
        self.payloads.iter().map(Vec::len).sum()
    }
}

/// Directory holding Google's benchmark datasets (`../shared/testdata/google-benchmarks`
/// beside the repository).
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/google-benchmarks")
}

/// Loads the three datasets, decoding each `BenchmarkDataset` with zpb.
pub fn datasets() -> Vec<Dataset> {
    use zpb::Message;
    [
        ("message1_proto2", "dataset.google_message1_proto2.pb"),
        ("message1_proto3", "dataset.google_message1_proto3.pb"),
        ("message2", "dataset.google_message2.pb"),
    ]
    .into_iter()
    .map(|(name, file)| {
        let path = data_dir().join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ds = zpb_gen::benchmarks::BenchmarkDataset::parse_from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Dataset {
            name,
            message_name: ds.message_name().to_string(),
            payloads: ds.payload().to_vec(),
        }
    })
    .collect()
}

/// The same operations over every implementation, so each benchmark is written once.
pub trait Codec {
    /// The implementation's message type for one dataset.
    type Msg: Default;
    /// Implementation name for reports.
    const IMPL: &'static str;
    /// Parses a new message.
    fn parse(bytes: &[u8]) -> Self::Msg;
    /// Clears `msg` (as the implementation's `clear` defines it) and parses into it.
    fn reparse(msg: &mut Self::Msg, bytes: &[u8]);
    /// Serializes into `out` (cleared first), size computation included.
    fn serialize(msg: &Self::Msg, out: &mut Vec<u8>);
    /// Encoded size.
    fn size(msg: &Self::Msg) -> usize;
}

/// Declares the `Codec`s of one message type: zpb, prost, buffa and rust-protobuf (generated
/// types), prost-reflect (by full name) and, with the `cpp` feature, C++ heap and arena (by
/// the shim's kind, `cpp::kind`).
#[macro_export]
macro_rules! codecs {
    ($($codec:ident: zpb $z:ty, prost $p:ty, buffa $b:ty, rust_protobuf $r:ty,
        name $name:literal, cpp $kind:ident;)*) => {$(
        pub mod $codec {
            use super::*;
            $crate::named!(Name = $name);
            /// prost-reflect's `DynamicMessage`.
            pub type ProstReflect = $crate::dynamic::ProstReflect<Name>;
            /// zpb's `DynamicMessage`.
            pub type ZpbDynamic = $crate::dynamic::ZpbDynamic<Name>;
            /// C++ libprotobuf, heap messages.
            #[cfg(feature = "cpp")]
            pub type Cpp = $crate::cpp::Heap<{ $crate::cpp::kind::$kind }>;
            /// C++ libprotobuf, messages on an arena.
            #[cfg(feature = "cpp")]
            pub type CppArena = $crate::cpp::OnArena<{ $crate::cpp::kind::$kind }>;
            /// zpb.
            pub struct Zpb;
            impl Codec for Zpb {
                type Msg = $z;
                const IMPL: &'static str = "zpb";
                fn parse(bytes: &[u8]) -> $z {
                    <$z as zpb::Message>::parse_from_slice(bytes).unwrap()
                }
                fn reparse(msg: &mut $z, bytes: &[u8]) {
                    zpb::Reuse::clear(msg);
                    zpb::Message::merge_from_slice(msg, bytes).unwrap();
                }
                fn serialize(msg: &$z, out: &mut Vec<u8>) {
                    zpb::Message::serialize_into_vec(msg, out).unwrap();
                }
                fn size(msg: &$z) -> usize {
                    zpb::Message::byte_size(msg)
                }
            }
            /// prost.
            pub struct Prost;
            impl Codec for Prost {
                type Msg = $p;
                const IMPL: &'static str = "prost";
                fn parse(bytes: &[u8]) -> $p {
                    <$p as prost::Message>::decode(bytes).unwrap()
                }
                fn reparse(msg: &mut $p, bytes: &[u8]) {
                    prost::Message::clear(msg);
                    prost::Message::merge(msg, bytes).unwrap();
                }
                fn serialize(msg: &$p, out: &mut Vec<u8>) {
                    out.clear();
                    prost::Message::encode(msg, out).unwrap();
                }
                fn size(msg: &$p) -> usize {
                    prost::Message::encoded_len(msg)
                }
            }
            /// buffa.
            pub struct Buffa;
            impl Codec for Buffa {
                type Msg = $b;
                const IMPL: &'static str = "buffa";
                fn parse(bytes: &[u8]) -> $b {
                    <$b as buffa::Message>::decode_from_slice(bytes).unwrap()
                }
                fn reparse(msg: &mut $b, bytes: &[u8]) {
                    buffa::Message::clear(msg);
                    buffa::Message::merge_from_slice(msg, bytes).unwrap();
                }
                fn serialize(msg: &$b, out: &mut Vec<u8>) {
                    out.clear();
                    buffa::Message::encode(msg, out);
                }
                fn size(msg: &$b) -> usize {
                    buffa::Message::encoded_len(msg) as usize
                }
            }
            $crate::format_codecs!($z, $p, $b);
            /// rust-protobuf (the `protobuf` crate, 3.x).
            pub struct RustProtobuf;
            impl Codec for RustProtobuf {
                type Msg = $r;
                const IMPL: &'static str = "rust-protobuf";
                fn parse(bytes: &[u8]) -> $r {
                    <$r as protobuf::Message>::parse_from_bytes(bytes).unwrap()
                }
                fn reparse(msg: &mut $r, bytes: &[u8]) {
                    protobuf::Message::clear(msg);
                    protobuf::Message::merge_from_bytes(msg, bytes).unwrap();
                }
                fn serialize(msg: &$r, out: &mut Vec<u8>) {
                    out.clear();
                    protobuf::Message::write_to_vec(msg, out).unwrap();
                }
                fn size(msg: &$r) -> usize {
                    protobuf::Message::compute_size(msg) as usize
                }
            }
        }
    )*};
}

/// The implementations' names, in the order [`for_each_codec!`] gives their results.
pub fn impls() -> Vec<&'static str> {
    fn name<C: Codec>() -> &'static str {
        C::IMPL
    }
    for_each_codec!("message2", name())
}

/// Whether an implementation's figures on a dataset measure the same job as zpb's:
/// rust-protobuf 3 does not decode proto2 groups, so it keeps `message2`'s groups as unknown
/// bytes instead.
pub fn comparable(impl_name: &str, dataset: &str) -> bool {
    !(impl_name == "rust-protobuf" && dataset == "message2")
}

/// Evaluates `f::<C>(args)` for every implementation `C` of the dataset (or, for
/// `spiky_record` and `nested_node`, the message type) named `name` (zpb,
/// prost, buffa, rust-protobuf, prost-reflect, zpb's DynamicMessage, then C++ heap and arena with the `cpp`
/// feature, in that order) and gives the results as a `Vec`.
#[macro_export]
macro_rules! for_each_codec {
    ($name:expr, $f:ident ( $($arg:expr),* )) => {
        $crate::for_each_codec!(@dataset all, $name, $f($($arg),*))
    };
    // The dataset's module by name, then the list `@$list` of its codecs (`all`; `json` and
    // `text` for `for_each_json_codec!` and `for_each_text_codec!`; `zpb`: zpb's alone, its
    // result as is).
    (@dataset $list:ident, $name:expr, $f:ident ( $($arg:expr),* )) => {
        match $name {
            "message1_proto2" => $crate::for_each_codec!(@$list message1_proto2, $f($($arg),*)),
            "message1_proto3" => $crate::for_each_codec!(@$list message1_proto3, $f($($arg),*)),
            "message2" => $crate::for_each_codec!(@$list message2, $f($($arg),*)),
            "spiky_record" => $crate::for_each_codec!(@$list spiky_record, $f($($arg),*)),
            "nested_node" => $crate::for_each_codec!(@$list nested_node, $f($($arg),*)),
            other => unreachable!("{other}"),
        }
    };
    (@zpb $m:ident, $f:ident ( $($arg:expr),* )) => {
        $f::<$crate::$m::Zpb>($($arg),*)
    };
    (@json $m:ident, $f:ident ( $($arg:expr),* )) => {{
        #[allow(unused_mut)]
        let mut results = vec![
            $f::<$crate::$m::Zpb>($($arg),*),
            $f::<$crate::$m::Buffa>($($arg),*),
            $f::<$crate::$m::Prost>($($arg),*),
        ];
        #[cfg(feature = "cpp")]
        results.push($f::<$crate::$m::Cpp>($($arg),*));
        results
    }};
    (@text $m:ident, $f:ident ( $($arg:expr),* )) => {{
        #[allow(unused_mut)]
        let mut results = vec![$f::<$crate::$m::Zpb>($($arg),*), $f::<$crate::$m::Buffa>($($arg),*)];
        #[cfg(feature = "cpp")]
        results.push($f::<$crate::$m::Cpp>($($arg),*));
        results
    }};
    (@all $m:ident, $f:ident ( $($arg:expr),* )) => {{
        #[allow(unused_mut)]
        let mut results = vec![
            $f::<$crate::$m::Zpb>($($arg),*),
            $f::<$crate::$m::Prost>($($arg),*),
            $f::<$crate::$m::Buffa>($($arg),*),
            $f::<$crate::$m::RustProtobuf>($($arg),*),
            $f::<$crate::$m::ProstReflect>($($arg),*),
            $f::<$crate::$m::ZpbDynamic>($($arg),*),
        ];
        #[cfg(feature = "cpp")]
        {
            results.push($f::<$crate::$m::Cpp>($($arg),*));
            results.push($f::<$crate::$m::CppArena>($($arg),*));
        }
        results
    }};
}

codecs! {
    message1_proto2: zpb zpb_gen::benchmarks::proto2::GoogleMessage1,
        prost prost_gen::benchmarks::proto2::GoogleMessage1,
        buffa buffa_gen::benchmarks::proto2::GoogleMessage1,
        rust_protobuf rust_protobuf_gen::benchmark_message1_proto2::GoogleMessage1,
        name "benchmarks.proto2.GoogleMessage1", cpp MESSAGE1_PROTO2;
    message1_proto3: zpb zpb_gen::benchmarks::proto3::GoogleMessage1,
        prost prost_gen::benchmarks::proto3::GoogleMessage1,
        buffa buffa_gen::benchmarks::proto3::GoogleMessage1,
        rust_protobuf rust_protobuf_gen::benchmark_message1_proto3::GoogleMessage1,
        name "benchmarks.proto3.GoogleMessage1", cpp MESSAGE1_PROTO3;
    message2: zpb zpb_gen::benchmarks::proto2::GoogleMessage2,
        prost prost_gen::benchmarks::proto2::GoogleMessage2,
        buffa buffa_gen::benchmarks::proto2::GoogleMessage2,
        rust_protobuf rust_protobuf_gen::benchmark_message2::GoogleMessage2,
        name "benchmarks.proto2.GoogleMessage2", cpp MESSAGE2;
    spiky_record: zpb zpb_gen::spiky::Record,
        prost prost_gen::spiky::Record,
        buffa buffa_gen::spiky::Record,
        rust_protobuf rust_protobuf_gen::spiky::Record,
        name "spiky.Record", cpp SPIKY_RECORD;
    nested_node: zpb zpb_gen::spiky::Node,
        prost prost_gen::spiky::Node,
        buffa buffa_gen::spiky::Node,
        rust_protobuf rust_protobuf_gen::spiky::Node,
        name "spiky.Node", cpp NESTED_NODE;
}

/// Deeply nested messages for the linear-vs-quadratic encoding benchmark.
pub mod nested {
    /// A chain of `depth` nested `spiky.Node`s, encoded (by zpb); every implementation parses
    /// it into its own type (`for_each_codec!("nested_node", ...)`).
    pub fn chain(depth: usize) -> Vec<u8> {
        let mut z = crate::zpb_gen::spiky::Node::default();
        let mut cur = &mut z;
        for i in 0..depth {
            cur.set_value(i as i32);
            cur.set_label(format!("level {i}"));
            if i + 1 < depth {
                cur = cur.mutable_child();
            }
        }
        zpb::Message::serialize_to_vec(&z).expect("a chain within the recursion limit")
    }
}
