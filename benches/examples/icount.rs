//! Runs one benchmark operation a fixed number of times, for instruction counting (the
//! machine's wall clock is shared; callgrind's counts are exact and repeatable):
//!
//! ```text
//! cargo build -p zpb-benches --example icount --profile bench-lto
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*icount::measured*' \
//!     target/bench-lto/examples/icount parse_fresh message1_proto2 zpb 100
//! ```
//!
//! Arguments: operation (`parse_fresh`, `parse_reuse`, `serialize`, `byte_size`; the
//! formats' `json_print`, `json_parse_fresh`, `json_parse_reuse`, `text_print`,
//! `text_parse_fresh`, `text_parse_reuse`), dataset (`message1_proto2`, `message1_proto3`,
//! `message2`), implementation (`zpb`, `prost`, `buffa`, ..., the dynamic messages
//! `zpb-dynamic` and `prost-reflect`; `prost+pbjson` for JSON) and
//! the number of passes over the dataset's payloads. Only the `measured*` loops are counted
//! (`*icount::measured*` matches them all): divide callgrind's total by passes × payloads
//! for instructions per message. The formats work on the benchmark's documents
//! (`zpb_benches::formats::documents`), converted before counting.

use std::hint::black_box;
use zpb_benches::formats::{self, Form, JsonCodec, TextCodec};
use zpb_benches::{
    alloc, datasets, for_each_codec, for_each_json_codec, for_each_text_codec, Codec, Dataset,
};

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

/// One format operation over an implementation's print, parse and reparse functions.
struct FormatOps<M> {
    print: fn(&M, &mut String),
    parse: fn(&str) -> M,
    reparse: fn(&mut M, &str),
}

/// A format operation (`print`, `parse_fresh`, `parse_reuse`) over the documents; printing
/// prints the messages parsed from them, parsed before counting.
fn format_op<M: Default>(op: &str, ops: &FormatOps<M>, docs: &[String], passes: usize) {
    let msgs: Vec<M> = match op {
        "print" => docs.iter().map(|d| (ops.parse)(d)).collect(),
        _ => Vec::new(),
    };
    let before = alloc::calls();
    match op {
        "print" => measured_print(ops, &msgs, passes),
        "parse_fresh" | "parse_reuse" => measured_parse(ops, op == "parse_reuse", docs, passes),
        _ => panic!("unknown operation {op}"),
    }
    println!("allocations: {}", alloc::calls() - before);
}

/// The counted print loop.
#[inline(never)]
fn measured_print<M>(ops: &FormatOps<M>, msgs: &[M], passes: usize) {
    let mut out = String::new();
    for _ in 0..passes {
        for m in msgs {
            (ops.print)(black_box(m), &mut out);
            black_box(&out);
        }
    }
}

/// The counted parse loop: fresh messages, or one message reparsed (`reuse`).
#[inline(never)]
fn measured_parse<M: Default>(ops: &FormatOps<M>, reuse: bool, docs: &[String], passes: usize) {
    let mut msg = M::default();
    for _ in 0..passes {
        for d in docs {
            if reuse {
                (ops.reparse)(&mut msg, black_box(d));
                black_box(&msg);
            } else {
                black_box((ops.parse)(black_box(d)));
            }
        }
    }
}

fn run_json<C: JsonCodec>(op: &str, ds: &Dataset, imp: &str, passes: usize) -> bool {
    if C::JSON_IMPL != imp || !formats::json_supported(C::JSON_IMPL, ds.name) {
        return false;
    }
    let ops = FormatOps {
        print: C::print_json,
        parse: C::parse_json,
        reparse: C::reparse_json,
    };
    format_op(op, &ops, &formats::documents(ds, Form::Json), passes);
    true
}

fn run_text<C: TextCodec>(op: &str, ds: &Dataset, imp: &str, passes: usize) -> bool {
    if C::IMPL != imp {
        return false;
    }
    let ops = FormatOps {
        print: C::print_text,
        parse: C::parse_text,
        reparse: C::reparse_text,
    };
    format_op(op, &ops, &formats::documents(ds, Form::Text), passes);
    true
}

fn run<C: Codec>(op: &str, ds: &Dataset, imp: &str, passes: usize) -> bool {
    if C::IMPL != imp {
        return false;
    }
    // One parse first, not counted: what is built lazily on first use (the dynamic messages'
    // descriptor pools) is not per-message work.
    black_box(C::parse(&ds.payloads[0]));
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
    let ran = if let Some(op) = op.strip_prefix("json_") {
        for_each_json_codec!(ds.name, run_json(op, ds, imp, passes))
    } else if let Some(op) = op.strip_prefix("text_") {
        for_each_text_codec!(ds.name, run_text(op, ds, imp, passes))
    } else {
        for_each_codec!(ds.name, run(op, ds, imp, passes))
    };
    assert!(ran.contains(&true), "unknown implementation {imp}");
    println!(
        "{op} {dataset} {imp}: {passes} passes x {} payloads",
        ds.payloads.len()
    );
}
