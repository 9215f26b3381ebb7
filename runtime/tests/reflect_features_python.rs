//! Feature resolution cross-checked with Python's `descriptor_pool` (upb): for every field
//! and enum of Google's conformance editions protos, `test_messages_proto2/3` and protobuf
//! v36's unittest files (editions 2023 and 2024, proto3 `optional`, maps), zpb's reflection
//! and upb agree on presence, packing, cardinality (required / repeated), group (delimited)
//! encoding and enum closedness; and so do they on the descriptors zpb synthesizes for
//! hand-written derive structs (edition 2023 files). Skipped without the venv
//! (`ZPB_REQUIRE_PYTHON=1` makes that a failure).

mod reflect_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use zpb::reflect::{Cardinality, DescriptorPool, FieldDescriptor, ReflectMessage};
use zpb::Message;

/// For each field (extensions included) and enum of the descriptor set at `argv[1]`, one
/// line: `F full_name presence packed label group` or `E full_name closed`.
const PYTHON: &str = r#"
import sys
from google.protobuf import descriptor_pool, descriptor_pb2
fds = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.AddSerializedFile(f.SerializeToString())
out = []
def field(f):
    label = 3 if f.is_repeated else 2 if f.is_required else 1
    out.append("F %s %d %d %d %d" % (f.full_name, f.has_presence, f.is_packed, label,
                                     f.type == f.TYPE_GROUP))
def enum(e):
    out.append("E %s %d" % (e.full_name, e.is_closed))
def message(m):
    for f in m.fields: field(f)
    for f in m.extensions: field(f)
    for n in m.nested_types: message(n)
    for e in m.enum_types: enum(e)
for f in fds.file:
    fd = pool.FindFileByName(f.name)
    for m in fd.message_types_by_name.values(): message(m)
    for e in fd.enum_types_by_name.values(): enum(e)
    for x in fd.extensions_by_name.values(): field(x)
print("\n".join(sorted(out)))
"#;

fn field_line(f: &FieldDescriptor) -> String {
    let label = match f.cardinality() {
        Cardinality::Optional => 1,
        Cardinality::Required => 2,
        Cardinality::Repeated => 3,
    };
    format!(
        "F {} {} {} {} {}",
        f.full_name(),
        u8::from(f.supports_presence()),
        u8::from(f.is_packed()),
        label,
        u8::from(f.is_group())
    )
}

/// zpb's lines for every element of `pool`, in the same format and order as [`PYTHON`]'s.
fn zpb_lines(pool: &DescriptorPool) -> Vec<String> {
    let mut out: Vec<String> = pool
        .all_messages()
        .flat_map(|m| m.fields().map(|f| field_line(&f)).collect::<Vec<_>>())
        .chain(pool.all_extensions().map(|f| field_line(&f)))
        .chain(
            pool.all_enums()
                .map(|e| format!("E {} {}", e.full_name(), u8::from(e.is_closed()))),
        )
        .collect();
    out.sort();
    out
}

/// Runs [`PYTHON`] on the descriptor set at `set` (written in `dir`), which holds the files
/// of `pool`, and checks that zpb and upb give the same answers for every element; returns
/// how many.
fn compare_with_upb(
    python: &Path,
    name: &str,
    dir: &Path,
    set: &Path,
    pool: &DescriptorPool,
) -> usize {
    let script = dir.join("features.py");
    std::fs::write(&script, PYTHON).unwrap();
    let output = Command::new(python)
        .arg(&script)
        .arg(set)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let upb: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let zpb = zpb_lines(pool);
    let differ: Vec<_> = zpb
        .iter()
        .zip(&upb)
        .filter(|(z, u)| z != u)
        .take(10)
        .collect();
    assert!(differ.is_empty(), "{name}: zpb vs upb: {differ:#?}");
    assert_eq!(zpb.len(), upb.len(), "{name}: element counts");
    zpb.len()
}

/// A fresh directory for one cross-check's files.
fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zpb-features-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compiles `files` (relative to `root`) with the venv's protoc, imports included, and
/// checks that zpb and upb give the same answers for every element; returns how many.
fn cross_check(python: &Path, name: &str, root: &Path, files: &[&str]) -> usize {
    let dir = work_dir(name);
    let set = dir.join("set.fds");
    let pool = reflect_common::protoc_pool(python, &[root], files, &set);
    let n = compare_with_upb(python, name, &dir, &set, &pool);
    // Not an empty comparison.
    assert!(n > 50, "{name}: only {n} elements");
    std::fs::remove_dir_all(&dir).ok();
    n
}

fn shared() -> PathBuf {
    zpb_test_support::repo_root().join("../shared")
}

#[test]
fn features_agree_with_upb() {
    let Some(python) = zpb_test_support::python("the feature cross-check with upb") else {
        return;
    };
    let shared = shared();
    let mut total = 0;
    total += cross_check(
        &python,
        "conformance-editions",
        &shared.join("conformance/protos/editions"),
        &[
            "test_messages_edition2023.proto",
            "test_messages_proto2_editions.proto",
            "test_messages_proto3_editions.proto",
        ],
    );
    total += cross_check(
        &python,
        "test-messages",
        &shared.join("testdata/protos"),
        &[
            "google/protobuf/test_messages_proto2.proto",
            "google/protobuf/test_messages_proto3.proto",
        ],
    );
    total += cross_check(
        &python,
        "v36-unittest",
        &shared.join("testdata/protobuf-v36/src"),
        &[
            "google/protobuf/unittest.proto",
            "google/protobuf/unittest_lite.proto",
            "google/protobuf/map_lite_unittest.proto",
            "google/protobuf/unittest_lite_edition_2024.proto",
            "google/protobuf/unittest_features.proto",
            "google/protobuf/unittest_proto3_optional.proto",
        ],
    );
    println!("{total} fields and enums agree with upb");
}

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "hand.Mode")]
pub enum Mode {
    #[default]
    Off = 0,
    On = 1,
}

#[derive(zpb::Enumeration, Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[zpb(name = "hand.Node.Level")]
pub enum Level {
    /// A map's enum values start at 0 (protoc's rule, which upb checks too).
    #[default]
    Zero = 0,
    Low = 1,
    High = 2,
}

#[derive(zpb::Oneof, Clone, PartialEq, Debug)]
pub enum Pick {
    #[zpb(20)]
    Name(String),
    #[zpb(21)]
    Child(Box<Node>),
}

/// Every field shape and feature the derive has, so every feature word lands in the
/// synthesized descriptor.
#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "hand.Node")]
pub struct Node {
    #[zpb(1)]
    pub id: u64,
    #[zpb(2, sint32)]
    pub delta: Option<i32>,
    #[zpb(3, required)]
    pub label: Option<String>,
    #[zpb(4, sint64)]
    pub packed: Vec<i64>,
    #[zpb(5, expanded)]
    pub expanded: Vec<u32>,
    #[zpb(6, delimited)]
    pub group_like: zpb::MessageField<Node>,
    #[zpb(7, enum)]
    pub level: Option<Level>,
    #[zpb(8, enum)]
    pub mode: zpb::OpenEnum<Mode>,
    #[zpb(9, enum)]
    pub modes: Vec<zpb::OpenEnum<Mode>>,
    #[zpb(10, map = "string, enum")]
    pub levels: BTreeMap<String, Level>,
    #[zpb(11)]
    pub children: zpb::Repeated<Node>,
    #[zpb(12)]
    pub stamp: zpb::MessageField<zpb::well_known::Timestamp>,
    #[zpb(oneof = "20, 21")]
    pub pick: Option<Pick>,
    _state: zpb::MessageState,
}

#[test]
fn synthesized_descriptors_agree_with_upb() {
    let Some(python) = zpb_test_support::python("the synthesized-descriptor cross-check with upb")
    else {
        return;
    };
    let pool = Node::default().descriptor().pool().clone();
    let dir = work_dir("synthesized");
    let set = dir.join("set.fds");
    let bytes = pool.file_descriptor_set().serialize_to_vec().unwrap();
    std::fs::write(&set, bytes).unwrap();
    let n = compare_with_upb(&python, "synthesized", &dir, &set, &pool);
    // Node's fields, the map entry's, Timestamp's and the two enums.
    assert!(n >= 18, "only {n} elements");
    std::fs::remove_dir_all(&dir).ok();
}
