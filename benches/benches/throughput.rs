//! Throughput of zpb and every peer (prost, buffa, rust-protobuf, prost-reflect's dynamic
//! messages; C++ libprotobuf heap and arena with `--features cpp`) on Google's benchmark
//! datasets, in the same run:
//! parse fresh, parse reusing one message, serialize into a reused buffer (size included),
//! size computation alone, and serializing a deeply nested message. Then JSON (zpb, buffa,
//! prost + pbjson) and text format (zpb, buffa): print into a reused buffer, parse fresh and
//! parse reusing one message, every implementation parsing the same documents (zpb's print
//! of the datasets, `zpb_benches::formats::documents`; MB/s of those documents).
//!
//! `cargo bench -p zpb-benches --bench throughput` (criterion; `-- --quick` for a short run;
//! `--profile bench-lto` for the shipping build).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use zpb_benches::formats::{self, Form, JsonCodec, TextCodec};
use zpb_benches::{
    alloc, datasets, for_each_codec, for_each_json_codec, for_each_text_codec, Codec, Dataset,
};

// Every implementation pays the same per-allocation counting cost (a relaxed atomic add:
// Rust's allocations here, C++'s in the shim's operator new, which cannot be left out), as in
// the memory benchmark.
#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

fn parse_fresh<C: Codec>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ds: &Dataset,
) {
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for p in &ds.payloads {
                black_box(C::parse(p));
            }
        })
    });
}

fn parse_reuse<C: Codec>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ds: &Dataset,
) {
    let mut msg = C::Msg::default();
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for p in &ds.payloads {
                C::reparse(&mut msg, p);
                black_box(&msg);
            }
        })
    });
}

fn serialize<C: Codec>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ds: &Dataset,
) {
    let msgs: Vec<C::Msg> = ds.payloads.iter().map(|p| C::parse(p)).collect();
    let mut out = Vec::new();
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for m in &msgs {
                C::serialize(m, &mut out);
                black_box(&out);
            }
        })
    });
}

fn byte_size<C: Codec>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ds: &Dataset,
) {
    let msgs: Vec<C::Msg> = ds.payloads.iter().map(|p| C::parse(p)).collect();
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(C::size(m));
            }
        })
    });
}

fn datasets_bench(c: &mut Criterion) {
    let all = datasets();
    for (op, name) in [
        (0, "parse_fresh"),
        (1, "parse_reuse"),
        (2, "serialize"),
        (3, "byte_size"),
    ] {
        let mut g = c.benchmark_group(name);
        for ds in &all {
            g.throughput(Throughput::Bytes(ds.bytes() as u64));
            match op {
                0 => for_each_codec!(ds.name, parse_fresh(&mut g, ds)),
                1 => for_each_codec!(ds.name, parse_reuse(&mut g, ds)),
                2 => for_each_codec!(ds.name, serialize(&mut g, ds)),
                _ => for_each_codec!(ds.name, byte_size(&mut g, ds)),
            };
        }
        g.finish();
    }
}

/// criterion's group of one operation, implementations and datasets as its benchmarks.
type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

fn json_print<C: JsonCodec>(g: &mut Group<'_>, ds: &Dataset, _docs: &[String]) {
    if !formats::json_supported(C::JSON_IMPL, ds.name) {
        return;
    }
    let msgs: Vec<C::Msg> = ds.payloads.iter().map(|p| C::parse(p)).collect();
    let mut out = String::new();
    g.bench_function(BenchmarkId::new(C::JSON_IMPL, ds.name), |b| {
        b.iter(|| {
            for m in &msgs {
                C::print_json(m, &mut out);
                black_box(&out);
            }
        })
    });
}

fn json_parse_fresh<C: JsonCodec>(g: &mut Group<'_>, ds: &Dataset, docs: &[String]) {
    if !formats::json_supported(C::JSON_IMPL, ds.name) {
        return;
    }
    g.bench_function(BenchmarkId::new(C::JSON_IMPL, ds.name), |b| {
        b.iter(|| {
            for d in docs {
                black_box(C::parse_json(d));
            }
        })
    });
}

fn json_parse_reuse<C: JsonCodec>(g: &mut Group<'_>, ds: &Dataset, docs: &[String]) {
    if !formats::json_supported(C::JSON_IMPL, ds.name) {
        return;
    }
    let mut msg = C::Msg::default();
    g.bench_function(BenchmarkId::new(C::JSON_IMPL, ds.name), |b| {
        b.iter(|| {
            for d in docs {
                C::reparse_json(&mut msg, d);
                black_box(&msg);
            }
        })
    });
}

fn text_print<C: TextCodec>(g: &mut Group<'_>, ds: &Dataset, _docs: &[String]) {
    let msgs: Vec<C::Msg> = ds.payloads.iter().map(|p| C::parse(p)).collect();
    let mut out = String::new();
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for m in &msgs {
                C::print_text(m, &mut out);
                black_box(&out);
            }
        })
    });
}

fn text_parse_fresh<C: TextCodec>(g: &mut Group<'_>, ds: &Dataset, docs: &[String]) {
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for d in docs {
                black_box(C::parse_text(d));
            }
        })
    });
}

fn text_parse_reuse<C: TextCodec>(g: &mut Group<'_>, ds: &Dataset, docs: &[String]) {
    let mut msg = C::Msg::default();
    g.bench_function(BenchmarkId::new(C::IMPL, ds.name), |b| {
        b.iter(|| {
            for d in docs {
                C::reparse_text(&mut msg, d);
                black_box(&msg);
            }
        })
    });
}

fn formats_bench(c: &mut Criterion) {
    let all = datasets();
    for form in [Form::Json, Form::Text] {
        let docs: Vec<Vec<String>> = all.iter().map(|ds| formats::documents(ds, form)).collect();
        for (op, name) in [(0, "print"), (1, "parse_fresh"), (2, "parse_reuse")] {
            let mut g = c.benchmark_group(format!("{}_{name}", form.name()));
            for (ds, docs) in all.iter().zip(&docs) {
                g.throughput(Throughput::Bytes(formats::bytes(docs) as u64));
                let docs = docs.as_slice();
                match (form, op) {
                    (Form::Json, 0) => for_each_json_codec!(ds.name, json_print(&mut g, ds, docs)),
                    (Form::Json, 1) => {
                        for_each_json_codec!(ds.name, json_parse_fresh(&mut g, ds, docs))
                    }
                    (Form::Json, _) => {
                        for_each_json_codec!(ds.name, json_parse_reuse(&mut g, ds, docs))
                    }
                    (Form::Text, 0) => for_each_text_codec!(ds.name, text_print(&mut g, ds, docs)),
                    (Form::Text, 1) => {
                        for_each_text_codec!(ds.name, text_parse_fresh(&mut g, ds, docs))
                    }
                    (Form::Text, _) => {
                        for_each_text_codec!(ds.name, text_parse_reuse(&mut g, ds, docs))
                    }
                };
            }
            g.finish();
        }
    }
}

fn serialize_nested<C: Codec>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    depth: usize,
    chain: &[u8],
) {
    let msg = C::parse(chain);
    let mut out = Vec::new();
    g.bench_function(BenchmarkId::new(C::IMPL, depth), |b| {
        b.iter(|| C::serialize(&msg, &mut out))
    });
}

fn deep_nesting(c: &mut Criterion) {
    let mut g = c.benchmark_group("serialize_nested");
    for depth in [10usize, 25, 50, 100] {
        let chain = zpb_benches::nested::chain(depth);
        for_each_codec!("nested_node", serialize_nested(&mut g, depth, &chain));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(20);
    targets = datasets_bench, deep_nesting, formats_bench
}
criterion_main!(benches);
