//! Memory layout of zpb's generated benchmark types (issue 14 §2): `size_of` of every type
//! and `space_used()` after parsing each dataset, printed so the figures can be rerun
//! (`cargo test -p zpb-benches --test layout -- --nocapture`), and the bound that holds them:
//! zpb's fresh parse of google_message2 allocates no more often than prost's.

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
        println!("size_of {name}: {size}");
    }
    for (name, used) in space_used_after_parse() {
        println!(
            "space_used after parsing {name}: {used} ({:.1} KiB)",
            used as f64 / 1024.0
        );
    }
    let m2 = &datasets()
        .into_iter()
        .find(|d| d.name == "message2")
        .unwrap()
        .payloads[0];
    let fresh = count_calls(|| drop(zpb_benches::message2::Zpb::parse(m2)));
    let prost = count_calls(|| drop(zpb_benches::message2::Prost::parse(m2)));
    println!("fresh-parse allocations of message2: zpb {fresh}, prost {prost}");
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
    let zpb = count_calls(|| drop(zpb_benches::message2::Zpb::parse(m2)));
    let prost = count_calls(|| drop(zpb_benches::message2::Prost::parse(m2)));
    assert!(zpb <= prost, "zpb {zpb} allocations, prost {prost}");
}
