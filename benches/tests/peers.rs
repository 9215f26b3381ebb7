//! Every implementation the benchmarks measure does the whole job on every dataset: what it
//! parses and serializes back means the same as the input (checked through zpb), its size
//! matches its output, and a reused message gives the same bytes as a fresh one. With the
//! `cpp` feature, the C++ allocation counter sees libprotobuf's allocations.

use std::sync::Mutex;
use zpb_benches::{comparable, datasets, for_each_codec, impls, Codec};

/// Allocation counts are process-wide: the tests run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Parses with `C`, serializes back, and checks size and reuse along the way.
fn round_trip<C: Codec>(payload: &[u8]) -> Vec<u8> {
    let fresh = C::parse(payload);
    let mut out = Vec::new();
    C::serialize(&fresh, &mut out);
    assert_eq!(out.len(), C::size(&fresh), "{}: size vs output", C::IMPL);
    let mut reused = C::parse(payload);
    C::reparse(&mut reused, payload);
    let mut again = vec![0xAA; 3];
    C::serialize(&reused, &mut again);
    assert_eq!(out, again, "{}: reused vs fresh", C::IMPL);
    out
}

/// zpb's encoding of what `bytes` holds, as the dataset's zpb type reads it.
fn canonical(dataset: &str, bytes: &[u8]) -> Vec<u8> {
    fn via<C: Codec>(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        C::serialize(&C::parse(bytes), &mut out);
        out
    }
    match dataset {
        "message1_proto2" => via::<zpb_benches::message1_proto2::Zpb>(bytes),
        "message1_proto3" => via::<zpb_benches::message1_proto3::Zpb>(bytes),
        "message2" => via::<zpb_benches::message2::Zpb>(bytes),
        other => panic!("unknown dataset {other}"),
    }
}

#[test]
fn every_peer_round_trips_every_dataset() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let names = impls();
    for ds in datasets() {
        for payload in ds.payloads.iter().take(3) {
            let expected = canonical(ds.name, payload);
            assert!(!expected.is_empty());
            let outputs = for_each_codec!(ds.name, round_trip(payload));
            assert_eq!(outputs.len(), names.len());
            for (name, out) in names.iter().zip(&outputs) {
                if comparable(name, ds.name) {
                    assert_eq!(canonical(ds.name, out), expected, "{name} on {}", ds.name);
                }
            }
        }
    }
}

#[test]
fn prost_reflect_reads_the_benchmark_schemas() {
    let pool = zpb_benches::dynamic::pool();
    for ds in datasets() {
        assert!(
            pool.get_message_by_name(&ds.message_name).is_some(),
            "{}",
            ds.message_name
        );
    }
}

#[cfg(feature = "cpp")]
mod cpp {
    use zpb_benches::alloc::{count_calls, held_by};
    use zpb_benches::cpp::HeapMessage;
    use zpb_benches::message2::{Cpp, CppArena};
    use zpb_benches::{datasets, Codec};

    fn message2() -> Vec<u8> {
        let ds = datasets()
            .into_iter()
            .find(|d| d.name == "message2")
            .unwrap();
        ds.payloads[0].clone()
    }

    #[test]
    fn heap_parse_allocations_are_counted_and_reuse_makes_none() {
        let _serial = super::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let payload = message2();
        // Google's message2 has 1,000 `Group1` elements, each a heap object in C++.
        let fresh = count_calls(|| drop(Cpp::parse(&payload)));
        assert!(fresh > 1000, "{fresh} allocations counted");
        let mut msg = Cpp::parse(&payload);
        let reuse = count_calls(|| Cpp::reparse(&mut msg, &payload));
        assert_eq!(reuse, 0);
    }

    #[test]
    fn arena_parse_allocates_fewer_blocks_than_heap() {
        let _serial = super::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let payload = message2();
        let heap = count_calls(|| drop(Cpp::parse(&payload)));
        let arena = count_calls(|| drop(CppArena::parse(&payload)));
        assert!(arena > 0 && arena < heap, "arena {arena}, heap {heap}");
    }

    #[test]
    fn held_bytes_are_seen_and_agree_with_space_used() {
        let _serial = super::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let payload = message2();
        let mut msg = HeapMessage::<{ zpb_benches::cpp::kind::MESSAGE2 }>::default();
        msg.parse(&payload).unwrap();
        let space_used = msg.space_used();
        let held = held_by(msg);
        // SpaceUsedLong estimates from capacities; the counter sees the real blocks.
        assert!(
            held > space_used / 2 && held < space_used * 2,
            "{held} vs {space_used}"
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        let mut msg = HeapMessage::<{ zpb_benches::cpp::kind::MESSAGE2 }>::default();
        assert!(msg.parse(&[0x0a, 0xff]).is_err());
    }
}
