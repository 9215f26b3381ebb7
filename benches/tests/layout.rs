//! Memory layout of zpb's generated benchmark types (issue 14 §2): `size_of` of every type
//! and `space_used()` after parsing each dataset, printed so the figures can be rerun
//! (`cargo test -p zpb-benches --test layout -- --nocapture`), and the bounds that hold them:
//! what a parsed google_message2 holds (at most C++'s heap), and that its fresh parse allocates
//! no more often than prost's. Each type's size before the pointer-sized string fields and
//! repeated containers is printed beside it.

use std::mem::size_of;
use std::sync::Mutex;
use zpb::Reuse;
use zpb_benches::alloc::{count_calls, Counting};
use zpb_benches::zpb_gen::benchmarks::{proto2, proto3};
use zpb_benches::zpb_gen::spiky;
use zpb_benches::{datasets, Codec};

#[global_allocator]
static A: Counting = Counting;

/// Allocation counts are process-wide: the tests run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Allocation calls of `f`, the least of three runs: the counter is process-wide, and the
/// test harness's own threads (reporting a finished test) can only add to a run's count.
fn fewest_calls(f: impl Fn()) -> u64 {
    (0..3).map(|_| count_calls(&f)).min().unwrap_or(0)
}

/// `size_of` of the generated benchmark types before `ThinString` and the one-pointer
/// `Repeated` (main at 8587013: `String` 24 bytes, `Optional<String>` 32, `Repeated<T>` 32).
const BEFORE: &[(&str, usize)] = &[
    ("proto2::GoogleMessage1", 728),
    ("proto2::GoogleMessage1SubMessage", 232),
    ("proto3::GoogleMessage1", 488),
    ("proto3::GoogleMessage1SubMessage", 144),
    ("proto2::GoogleMessage2", 432),
    ("proto2::google_message2::Group1", 440),
    ("proto2::GoogleMessage2GroupedMessage", 80),
    ("spiky::Record", 128),
    ("spiky::Item", 72),
    ("spiky::Node", 56),
    ("zpb::MessageState", 16),
];

/// `size_of` of every generated benchmark type, by name.
fn sizes() -> Vec<(&'static str, usize)> {
    vec![
        (
            "proto2::GoogleMessage1",
            size_of::<proto2::GoogleMessage1>(),
        ),
        (
            "proto2::GoogleMessage1SubMessage",
            size_of::<proto2::GoogleMessage1SubMessage>(),
        ),
        (
            "proto3::GoogleMessage1",
            size_of::<proto3::GoogleMessage1>(),
        ),
        (
            "proto3::GoogleMessage1SubMessage",
            size_of::<proto3::GoogleMessage1SubMessage>(),
        ),
        (
            "proto2::GoogleMessage2",
            size_of::<proto2::GoogleMessage2>(),
        ),
        (
            "proto2::google_message2::Group1",
            size_of::<proto2::google_message2::Group1>(),
        ),
        (
            "proto2::GoogleMessage2GroupedMessage",
            size_of::<proto2::GoogleMessage2GroupedMessage>(),
        ),
        ("spiky::Record", size_of::<spiky::Record>()),
        ("spiky::Item", size_of::<spiky::Item>()),
        ("spiky::Node", size_of::<spiky::Node>()),
        ("zpb::MessageState", size_of::<zpb::MessageState>()),
        ("zpb::ThinString", size_of::<zpb::ThinString>()),
        (
            "zpb::OptionalThinString",
            size_of::<zpb::OptionalThinString>(),
        ),
        ("zpb::Optional<String>", size_of::<zpb::Optional<String>>()),
        (
            "zpb::Repeated<zpb::ThinString>",
            size_of::<zpb::Repeated<zpb::ThinString>>(),
        ),
    ]
}

/// `space_used()` of the first payload of each dataset, parsed fresh.
fn space_used_after_parse() -> Vec<(&'static str, usize)> {
    fn used<C: Codec>(payload: &[u8]) -> usize
    where
        C::Msg: Reuse,
    {
        C::parse(payload).space_used()
    }
    datasets()
        .iter()
        .map(|ds| {
            let p = &ds.payloads[0];
            let n = match ds.name {
                "message1_proto2" => used::<zpb_benches::message1_proto2::Zpb>(p),
                "message1_proto3" => used::<zpb_benches::message1_proto3::Zpb>(p),
                "message2" => used::<zpb_benches::message2::Zpb>(p),
                other => panic!("unknown dataset {other}"),
            };
            (ds.name, n)
        })
        .collect()
}

#[test]
fn print_layout() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for (name, size) in sizes() {
        match BEFORE.iter().find(|(n, _)| *n == name) {
            Some((_, before)) => println!("size_of {name}: {size} (was {before})"),
            None => println!("size_of {name}: {size}"),
        }
    }
    for (name, used) in space_used_after_parse() {
        println!(
            "space_used after parsing {name}: {used} ({:.1} KiB)",
            used as f64 / 1024.0
        );
    }
    let mut record = spiky::Record::default();
    for period in (0..4).map(zpb_benches::spiky::period) {
        for payload in &period {
            zpb_benches::spiky_record::Zpb::reparse(&mut record, payload);
        }
    }
    Reuse::clear(&mut record);
    let kept = record.space_used();
    println!(
        "space_used of a spiky::Record after 4 periods and clear() (Retain): {kept} ({:.1} KiB)",
        kept as f64 / 1024.0
    );
    let m2 = &datasets()
        .into_iter()
        .find(|d| d.name == "message2")
        .unwrap()
        .payloads[0];
    let fresh = fewest_calls(|| drop(zpb_benches::message2::Zpb::parse(m2)));
    let prost = fewest_calls(|| drop(zpb_benches::message2::Prost::parse(m2)));
    println!("fresh-parse allocations of message2: zpb {fresh}, prost {prost}");
}

/// `space_used()` after parsing google_message2: 536,813 bytes (524.2 KiB) with a 24-byte
/// `MessageState` and 40-byte `Repeated`; 504,045 (492.2 KiB) with 16 and 32 bytes; 315,453
/// (308.1 KiB) with `ThinString` string fields and a one-pointer `Repeated` (`Group1`, in
/// 1,024 slots, 440 → 248 bytes; its 1,000 `field12` strings pay an 8-byte header each).
/// C++ libprotobuf's heap holds 327 KiB (`SpaceUsedLong`, benches' C++ peer).
#[test]
fn message2_space_used_is_bounded() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ds = datasets()
        .into_iter()
        .find(|d| d.name == "message2")
        .unwrap();
    let used = zpb_benches::message2::Zpb::parse(&ds.payloads[0]).space_used();
    assert!(used <= 315_453, "{used} bytes");
    assert!(used <= 327 * 1024, "{used} bytes: more than C++ holds");
}

/// zpb's fresh parse of google_message2 allocates no more often than prost's (which stores
/// sub-messages inline too and boxes only recursive ones).
#[test]
fn fresh_parse_allocates_no_more_than_prost() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let m2 = &datasets()
        .into_iter()
        .find(|d| d.name == "message2")
        .unwrap()
        .payloads[0];
    let zpb = fewest_calls(|| drop(zpb_benches::message2::Zpb::parse(m2)));
    let prost = fewest_calls(|| drop(zpb_benches::message2::Prost::parse(m2)));
    assert!(zpb <= prost, "zpb {zpb} allocations, prost {prost}");
}
