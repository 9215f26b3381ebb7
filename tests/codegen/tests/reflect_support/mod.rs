//! Shared by the reflection tests: descriptor sets from protoc, and random messages built
//! through reflection.
#![allow(dead_code)]

use std::path::PathBuf;
use zpb::reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, Value,
};

/// Google's test protos and benchmark schemas.
pub fn shared() -> PathBuf {
    zpb_test_support::repo_root().join("../shared/testdata")
}

#[path = "../../../../runtime/tests/reflect_common/mod.rs"]
mod reflect_common;

/// A pool of the files `files` under `include` (imports included), compiled by the venv's
/// protoc; `None` (with a note) without the venv, unless it is required.
pub fn protoc_pool(include: &str, files: &[&str]) -> Option<DescriptorPool> {
    let python = zpb_test_support::python("the reflection tests that need protoc")?;
    let dir = std::env::temp_dir().join(format!("zpb-reflect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per call: tests run in parallel, and one must not read a set another's
    // protoc is still writing.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = dir.join(format!("{}-{call}.fds", files.join("+").replace('/', "_")));
    let include = shared().join(include);
    Some(reflect_common::protoc_pool(
        &python,
        &[&include],
        files,
        &out,
    ))
}

/// A pool of Google's conformance test messages (proto2 and proto3).
pub fn conformance_pool() -> Option<DescriptorPool> {
    protoc_pool(
        "protos",
        &[
            "google/protobuf/test_messages_proto2.proto",
            "google/protobuf/test_messages_proto3.proto",
        ],
    )
}

/// A pool of Google's benchmark schemas.
pub fn benchmark_pool() -> Option<DescriptorPool> {
    protoc_pool(
        "google-benchmarks",
        &[
            "benchmarks.proto",
            "benchmark_message1_proto2.proto",
            "benchmark_message1_proto3.proto",
            "benchmark_message2.proto",
        ],
    )
}

/// The payloads of a Google benchmark dataset.
pub fn dataset(name: &str) -> Vec<Vec<u8>> {
    use zpb::Message;
    let path = shared().join(format!("google-benchmarks/dataset.{name}.pb"));
    let bytes = std::fs::read(&path).unwrap();
    zpb_codegen_tests::benchmarks::BenchmarkDataset::parse_from_slice(&bytes)
        .unwrap()
        .payload()
        .to_vec()
}

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn int(&mut self) -> u64 {
        match self.below(4) {
            0 => self.pick(&[0, 1, u64::MAX, i64::MIN as u64, i32::MIN as u64, 127, 128]),
            1 => self.below(300),
            _ => self.next() >> self.below(64),
        }
    }

    fn float(&mut self) -> f64 {
        match self.below(5) {
            0 => self.pick(&[
                0.0,
                -0.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                f64::MIN_POSITIVE,
            ]),
            1 => self.below(1000) as f64 / 8.0,
            _ => f64::from_bits(self.next()),
        }
    }

    fn string(&mut self) -> String {
        let len = self.below(12);
        (0..len)
            .map(|_| match self.below(4) {
                0 => self.pick(&['é', '\u{1F600}', '"', '\\', '\n', '\0', 'ß']),
                _ => (b'a' + self.below(26) as u8) as char,
            })
            .collect()
    }

    fn bytes(&mut self) -> Vec<u8> {
        let len = self.below(10);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// A random value of `field`'s type (`None` for a message past the depth limit). Closed
/// enums get declared numbers only (an undeclared one belongs in unknown fields); open ones
/// sometimes get an undeclared number.
pub fn random_value(
    field: &FieldDescriptor,
    rng: &mut Rng,
    depth: u32,
    maps: bool,
) -> Option<Value> {
    Some(match field.kind() {
        Kind::Double => Value::F64(rng.float()),
        Kind::Float => Value::F32(rng.float() as f32),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(rng.int() as i64),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(rng.int()),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(rng.int() as i32),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(rng.int() as u32),
        Kind::Bool => Value::Bool(rng.chance(2)),
        Kind::String => Value::String(rng.string()),
        Kind::Bytes => Value::Bytes(rng.bytes()),
        Kind::Enum(e) => {
            if !e.is_closed() && rng.chance(5) {
                Value::EnumNumber(rng.int() as i32)
            } else {
                let n = rng.below(e.values().len() as u64) as usize;
                Value::EnumNumber(e.values().nth(n).unwrap().number())
            }
        }
        Kind::Message(m) | Kind::Group(m) => {
            if depth == 0 {
                return None;
            }
            Value::Message(random_message(&m, rng, depth - 1, maps))
        }
    })
}

fn random_key(field: &FieldDescriptor, rng: &mut Rng) -> MapKey {
    MapKey::from_value(random_value(field, rng, 0, false).unwrap().as_ref()).unwrap()
}

/// A random message of type `desc`, built through reflection: each field set with
/// probability 1/2 (required fields always), lists and maps of up to 3 elements (no map entries unless `maps`),
/// nesting up to `depth`.
pub fn random_message(
    desc: &MessageDescriptor,
    rng: &mut Rng,
    depth: u32,
    maps: bool,
) -> DynamicMessage {
    let mut m = DynamicMessage::new(desc.clone());
    for f in desc.fields() {
        if !f.is_required() && rng.chance(2) {
            continue;
        }
        if f.is_map() {
            if !maps {
                continue;
            }
            let (kf, vf) = (f.map_key().unwrap(), f.map_value().unwrap());
            for _ in 0..rng.below(4) {
                let key = random_key(&kf, rng);
                if let Some(v) = random_value(&vf, rng, depth, maps) {
                    m.insert_map_entry(&f, key, v).unwrap();
                }
            }
        } else if f.is_list() {
            for _ in 0..rng.below(4) {
                if let Some(v) = random_value(&f, rng, depth, maps) {
                    m.push_value(&f, v).unwrap();
                }
            }
        } else if let Some(v) = random_value(&f, rng, depth, maps) {
            m.set_field(&f, v).unwrap();
        }
    }
    m
}

/// Whether `m` (or a message below it) holds a non-empty map (whose entry order on the
/// wire is a hash order).
pub fn has_map_entries(m: &DynamicMessage) -> bool {
    m.fields().any(|(f, v)| {
        f.is_map()
            || v.as_message().is_some_and(has_map_entries)
            || v.as_list().is_some_and(|l| {
                l.iter()
                    .any(|e| e.as_message().is_some_and(has_map_entries))
            })
    })
}

/// Clears, at every depth, the fields whose message type (or map value type) is one of
/// `types` (full names).
pub fn without_types(m: &mut DynamicMessage, types: &[&str]) {
    let fields: Vec<_> = m.fields().map(|(f, v)| (f, v.to_value())).collect();
    for (f, mut v) in fields {
        let element = if f.is_map() {
            f.map_value().unwrap()
        } else {
            f.clone()
        };
        let listed = match element.kind() {
            Kind::Message(t) | Kind::Group(t) => types.contains(&t.full_name()),
            _ => false,
        };
        if listed {
            m.clear_field(&f);
        } else if value_without_types(&mut v, types) {
            m.set_field(&f, v).unwrap();
        }
    }
}

/// [`without_types`] on the messages in `v`; `true` if it holds any.
fn value_without_types(v: &mut Value, types: &[&str]) -> bool {
    match v {
        Value::Message(m) => {
            without_types(m, types);
            true
        }
        Value::List(l) => l
            .iter_mut()
            .fold(false, |any, v| value_without_types(v, types) | any),
        Value::Map(map) => map
            .values_mut()
            .fold(false, |any, v| value_without_types(v, types) | any),
        _ => false,
    }
}
