//! Runs one benchmark operation a fixed number of times, for instruction counting (the
//! machine's wall clock is shared; callgrind's counts are exact and repeatable):
//!
//! ```text
//! cargo build -p zpb-benches --example icount --profile bench-lto
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*icount::measured*' \
//!     target/bench-lto/examples/icount parse_fresh message1_proto2 zpb 100
//! ```
//!
//! Arguments: operation (`parse_fresh`, `parse_reuse`, `serialize`, `byte_size`), dataset
//! (`message1_proto2`, `message1_proto3`, `message2`), implementation (`zpb`, `prost`,
//! `buffa`, ...) and the number of passes over the dataset's payloads. Only `measured` is
//! counted: divide callgrind's total by passes × payloads for instructions per message.

use std::hint::black_box;
use zpb_benches::{alloc, datasets, for_each_codec, Codec, Dataset};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// The counted loop: `passes` passes of `op` over every payload.
#[inline(never)]
fn measured<C: Codec>(op: &str, ds: &Dataset, passes: usize) {
    match op {
        "parse_fresh" => {
            for _ in 0..passes {
                for p in &ds.payloads {
                    black_box(C::parse(p));
                }
            }
        }
        "parse_reuse" => {
            let mut msg = C::Msg::default();
            for _ in 0..passes {
                for p in &ds.payloads {
                    C::reparse(&mut msg, black_box(p));
                    black_box(&msg);
                }
            }
        }
        _ => unreachable!("{op}"),
    }
}

/// The counted loop for operations on parsed messages (parsing them is not counted).
#[inline(never)]
fn measured_on_parsed<C: Codec>(op: &str, msgs: &[C::Msg], passes: usize) {
    let mut out = Vec::new();
    for _ in 0..passes {
        for m in msgs {
            match op {
                "serialize" => {
                    C::serialize(black_box(m), &mut out);
                    black_box(&out);
                }
                _ => {
                    black_box(C::size(black_box(m)));
                }
            }
        }
    }
}

fn run<C: Codec>(op: &str, ds: &Dataset, imp: &str, passes: usize) -> bool {
    if C::IMPL != imp {
        return false;
    }
    let before = alloc::calls();
    match op {
        "parse_fresh" | "parse_reuse" => measured::<C>(op, ds, passes),
        "serialize" | "byte_size" => {
            let msgs: Vec<C::Msg> = ds.payloads.iter().map(|p| C::parse(p)).collect();
            let before = alloc::calls();
            measured_on_parsed::<C>(op, &msgs, passes);
            println!("allocations: {}", alloc::calls() - before);
            return true;
        }
        _ => panic!("unknown operation {op}"),
    }
    println!("allocations: {}", alloc::calls() - before);
    true
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, dataset, imp, passes] = &args[..] else {
        eprintln!("usage: icount OPERATION DATASET IMPL PASSES");
        std::process::exit(2);
    };
    let passes: usize = passes.parse().expect("PASSES is a number");
    let all = datasets();
    let ds = all
        .iter()
        .find(|d| d.name == dataset)
        .unwrap_or_else(|| panic!("unknown dataset {dataset}"));
    let ran = for_each_codec!(ds.name, run(op, ds, imp, passes));
    assert!(ran.contains(&true), "unknown implementation {imp}");
    println!(
        "{op} {dataset} {imp}: {passes} passes x {} payloads",
        ds.payloads.len()
    );
}
