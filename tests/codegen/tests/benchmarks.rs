//! Every payload of Google's benchmark datasets parses into the generated message named by
//! the dataset and re-serializes byte for byte (for proto3, byte for byte as Google's own
//! implementation re-serializes it: without explicitly written zero values).

use zpb::Message;
use zpb_codegen_tests::benchmarks::{self, BenchmarkDataset};

fn dataset(name: &str) -> BenchmarkDataset {
    let path = format!(
        "{}/../../../shared/testdata/google-benchmarks/dataset.{name}.pb",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    BenchmarkDataset::parse_from_slice(&bytes).unwrap()
}

/// Reads a varint at `*at`.
fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0;
    for shift in (0..64).step_by(7) {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
    }
    v
}

/// `payload` without its top-level fields that hold a zero or empty value: what proto3
/// (implicit presence) writes. The proto3 dataset has such fields written explicitly, which
/// no proto3 serializer reproduces (Google's Python implementation drops them too).
fn without_explicit_zeros(payload: &[u8]) -> Vec<u8> {
    let (mut out, mut at) = (Vec::new(), 0);
    while at < payload.len() {
        let start = at;
        let tag = varint(payload, &mut at);
        let value_start = at;
        let zero = match tag & 7 {
            0 => varint(payload, &mut at) == 0,
            1 => {
                at += 8;
                payload[value_start..at] == [0; 8]
            }
            5 => {
                at += 4;
                payload[value_start..at] == [0; 4]
            }
            _ => {
                let len = varint(payload, &mut at) as usize;
                at += len;
                len == 0
            }
        };
        if !zero {
            out.extend_from_slice(&payload[start..at]);
        }
    }
    out
}

fn round_trip<M: Message>(data: &BenchmarkDataset, canonical: fn(&[u8]) -> Vec<u8>) -> usize {
    for (i, payload) in data.payload().iter().enumerate() {
        let payload = &canonical(payload);
        let m = M::parse_from_slice(payload)
            .unwrap_or_else(|e| panic!("{} payload {i}: {e}", data.name()));
        assert_eq!(
            &m.serialize_to_vec().unwrap(),
            payload,
            "{} payload {i}",
            data.name()
        );
        // Parsing into a reused message gives the same bytes too.
        let mut reused = M::default();
        reused.merge_from_slice(payload).unwrap();
        reused.clear();
        reused.merge_from_slice(payload).unwrap();
        assert_eq!(&reused.serialize_to_vec().unwrap(), payload);
    }
    data.payload_size()
}

#[test]
fn google_message1_proto2() {
    let data = dataset("google_message1_proto2");
    assert_eq!(data.message_name(), "benchmarks.proto2.GoogleMessage1");
    assert!(round_trip::<benchmarks::proto2::GoogleMessage1>(&data, <[u8]>::to_vec) > 0);
}

#[test]
fn google_message1_proto3() {
    let data = dataset("google_message1_proto3");
    assert_eq!(data.message_name(), "benchmarks.proto3.GoogleMessage1");
    assert!(round_trip::<benchmarks::proto3::GoogleMessage1>(&data, without_explicit_zeros) > 0);
}

#[test]
fn google_message2() {
    let data = dataset("google_message2");
    assert_eq!(data.message_name(), "benchmarks.proto2.GoogleMessage2");
    assert!(round_trip::<benchmarks::proto2::GoogleMessage2>(&data, <[u8]>::to_vec) > 0);
}
