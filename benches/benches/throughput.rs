//! Throughput of zpb, prost, buffa and rust-protobuf on Google's benchmark datasets, in the
//! same run:
//! parse fresh, parse reusing one message, serialize into a reused buffer (size included),
//! size computation alone, and serializing a deeply nested message.
//!
//! `cargo bench -p zpb-benches --bench throughput` (criterion; `-- --quick` for a short run).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use zpb_benches::{datasets, for_each_codec, Codec, Dataset};

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

fn deep_nesting(c: &mut Criterion) {
    let mut g = c.benchmark_group("serialize_nested");
    for depth in [10usize, 25, 50, 100] {
        let (z, p, bf, r) = zpb_benches::nested::chains(depth);
        g.bench_function(BenchmarkId::new("zpb", depth), |b| {
            let mut out = Vec::new();
            b.iter(|| zpb_benches::nested_node::Zpb::serialize(&z, &mut out))
        });
        g.bench_function(BenchmarkId::new("prost", depth), |b| {
            let mut out = Vec::new();
            b.iter(|| zpb_benches::nested_node::Prost::serialize(&p, &mut out))
        });
        g.bench_function(BenchmarkId::new("buffa", depth), |b| {
            let mut out = Vec::new();
            b.iter(|| zpb_benches::nested_node::Buffa::serialize(&bf, &mut out))
        });
        g.bench_function(BenchmarkId::new("rust-protobuf", depth), |b| {
            let mut out = Vec::new();
            b.iter(|| zpb_benches::nested_node::RustProtobuf::serialize(&r, &mut out))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(20);
    targets = datasets_bench, deep_nesting
}
criterion_main!(benches);
