//! Memory behaviour, measured: heap allocations per parse (fresh and reused message) and bytes
//! held by a parsed message for every implementation (`zpb_benches::for_each_codec!`) on
//! Google's datasets, and what a reused message keeps over
//! a spiky workload under each `MemoryPolicy` and with a `Pool`, next to what the peers keep
//! after `clear()`. Prints markdown tables and writes an SVG plot of retained bytes per
//! iteration.
//!
//! `cargo bench -p zpb-benches --bench memory [-- --iterations N] [--plot PATH] [--json PATH]`
//! (`--json` also writes the per-dataset figures for scripts/bench-report.py).

use std::time::Instant;
use zpb::{MemoryPolicy, Message, Pool, Reuse};
use zpb_benches::alloc::{self, count_calls};
use zpb_benches::{comparable, datasets, for_each_codec, impls, spiky, Codec, Dataset};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// Allocation calls per parse: fresh messages, then a reused one in steady state.
fn allocs_per_parse<C: Codec>(ds: &Dataset) -> (f64, f64) {
    let n = ds.payloads.len() as f64;
    // One parse first, uncounted: lazily built state (prost-reflect's descriptor pool) is not
    // a per-parse cost.
    if let Some(p) = ds.payloads.first() {
        std::hint::black_box(C::parse(p));
    }
    let fresh = count_calls(|| {
        for p in &ds.payloads {
            std::hint::black_box(C::parse(p));
        }
    });
    let mut msg = C::Msg::default();
    for p in &ds.payloads {
        C::reparse(&mut msg, p);
    }
    let reuse = count_calls(|| {
        for p in &ds.payloads {
            C::reparse(&mut msg, p);
        }
    });
    (fresh as f64 / n, reuse as f64 / n)
}

/// Heap bytes one parsed message holds, the message itself included (boxed, as C++ keeps it),
/// averaged over the dataset's payloads.
fn held_per_message<C: Codec>(ds: &Dataset) -> f64 {
    let total: usize = ds
        .payloads
        .iter()
        .map(|p| alloc::held_by(Box::new(C::parse(p))))
        .sum();
    total as f64 / ds.payloads.len() as f64
}

/// Per dataset and implementation: allocations per parse (fresh, reused) and bytes held.
struct DatasetFigures {
    dataset: &'static str,
    cells: Vec<(&'static str, (f64, f64), f64)>,
}

fn dataset_figures() -> Vec<DatasetFigures> {
    datasets()
        .iter()
        .map(|ds| {
            let allocs = for_each_codec!(ds.name, allocs_per_parse(ds));
            let held = for_each_codec!(ds.name, held_per_message(ds));
            let cells = impls()
                .into_iter()
                .zip(allocs.into_iter().zip(held))
                .filter(|(name, _)| comparable(name, ds.name))
                .map(|(name, (a, h))| (name, a, h))
                .collect();
            DatasetFigures {
                dataset: ds.name,
                cells,
            }
        })
        .collect()
}

fn dataset_tables(figures: &[DatasetFigures]) {
    let names = impls();
    let table = |title: &str, cell: &dyn Fn(&(f64, f64), f64) -> String| {
        println!("### {title}\n");
        println!("| dataset | {} |", names.join(" | "));
        println!("|---|{}", "---|".repeat(names.len()));
        for f in figures {
            let row: Vec<String> = names
                .iter()
                .map(|n| match f.cells.iter().find(|c| c.0 == *n) {
                    Some((_, allocs, held)) => cell(allocs, *held),
                    None => "n/a".to_string(),
                })
                .collect();
            println!("| {} | {} |", f.dataset, row.join(" | "));
        }
        println!();
    };
    table(
        "Heap allocations per parse (fresh → reused message)",
        &|(fresh, reused), _| format!("{fresh:.0} → {reused:.0}"),
    );
    table(
        "Heap bytes held by one parsed message (KiB, the message itself included)",
        &|_, held| format!("{:.1}", held / 1024.0),
    );
    println!(
        "n/a: rust-protobuf 3 does not decode proto2 groups (they stay unknown bytes), so its \
         `message2` figures are not comparable.\n"
    );
    let ds = datasets().into_iter().find(|d| d.name == "message2");
    if let Some(p) = ds.as_ref().and_then(|d| d.payloads.first()) {
        let zpb = zpb_benches::zpb_gen::benchmarks::proto2::GoogleMessage2::parse_from_slice(p)
            .expect("message2 payload");
        println!(
            "Own estimates of a parsed message2: zpb `space_used()` {:.1} KiB.",
            zpb.space_used() as f64 / 1024.0
        );
        #[cfg(feature = "cpp")]
        {
            let mut msg =
                zpb_benches::cpp::HeapMessage::<{ zpb_benches::cpp::kind::MESSAGE2 }>::default();
            msg.parse(p).expect("message2 payload");
            println!(
                "libprotobuf `SpaceUsedLong()` {:.1} KiB (the table counts C++'s operator-new \
                 blocks at their usable sizes).",
                msg.space_used() as f64 / 1024.0
            );
        }
        println!();
    }
}

/// The figures as JSON, for scripts/bench-report.py:
/// `{"DATASET": {"IMPL": {"fresh": F, "reuse": R, "held": H}}}`.
fn write_json(figures: &[DatasetFigures], path: &str) -> std::io::Result<()> {
    let datasets: Vec<String> = figures
        .iter()
        .map(|f| {
            let cells: Vec<String> = f
                .cells
                .iter()
                .map(|(name, (fresh, reuse), held)| {
                    format!(
                        "\"{name}\": {{\"fresh\": {fresh}, \"reuse\": {reuse}, \"held\": {held}}}"
                    )
                })
                .collect();
            format!("\"{}\": {{{}}}", f.dataset, cells.join(", "))
        })
        .collect();
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, format!("{{{}}}\n", datasets.join(", ")))
}

/// One run of the spiky workload: retained bytes after each clear, and totals.
struct Run {
    label: String,
    retained: Vec<usize>,
    /// Allocation calls over the second half of the run (steady state).
    steady_allocs: u64,
    bytes: usize,
    seconds: f64,
}

impl Run {
    fn peak(&self) -> usize {
        self.retained.iter().copied().max().unwrap_or(0)
    }
}

fn workload(iterations: usize) -> Vec<Vec<u8>> {
    // Four distinct periods of 100 records (99 small, 1 large), cycled.
    let periods: Vec<Vec<Vec<u8>>> = (0..4).map(spiky::period).collect();
    (0..iterations)
        .map(|i| periods[(i / 100) % 4][i % 100].clone())
        .collect()
}

/// Runs `work` (parse + clear) over the workload, timing only it; `held` then reports the
/// retained bytes, untimed.
fn run<S>(
    label: &str,
    inputs: &[Vec<u8>],
    state: &mut S,
    mut work: impl FnMut(&mut S, &[u8]),
    mut held: impl FnMut(&mut S) -> usize,
) -> Run {
    let mut retained = Vec::with_capacity(inputs.len());
    let mut seconds = 0.0;
    let mut steady_from = alloc::calls();
    for (i, input) in inputs.iter().enumerate() {
        if i == inputs.len() / 2 {
            steady_from = alloc::calls();
        }
        let start = Instant::now();
        work(state, input);
        seconds += start.elapsed().as_secs_f64();
        retained.push(held(state));
    }
    Run {
        label: label.to_string(),
        retained,
        steady_allocs: alloc::calls() - steady_from,
        bytes: inputs.iter().map(Vec::len).sum(),
        seconds,
    }
}

type Record = zpb_benches::zpb_gen::spiky::Record;

fn zpb_policy(label: &str, inputs: &[Vec<u8>], policy: MemoryPolicy) -> Run {
    let work = |msg: &mut Record, input: &[u8]| {
        msg.merge_from_slice(input).unwrap();
        std::hint::black_box(&*msg);
        msg.clear_with(&policy);
    };
    run(label, inputs, &mut Record::default(), work, |msg| {
        msg.space_used()
    })
}

fn zpb_pool(label: &str, inputs: &[Vec<u8>], policy: MemoryPolicy) -> Run {
    let work = |pool: &mut Pool<Record>, input: &[u8]| {
        let mut msg = pool.get();
        msg.merge_from_slice(input).unwrap();
        std::hint::black_box(&*msg);
    };
    run(label, inputs, &mut Pool::new(policy), work, |pool| {
        pool.space_used()
    })
}

/// Bytes a peer's message holds after `clear()`, measured by the allocator (live bytes above
/// the baseline taken with the message empty); zpb has its own runs, per policy.
fn peer<C: Codec>(inputs: &[Vec<u8>]) -> Option<Run> {
    if C::IMPL == "zpb" {
        return None;
    }
    let label = format!("{} clear()", C::IMPL);
    let baseline = alloc::live_bytes();
    let work = |msg: &mut C::Msg, input: &[u8]| {
        C::reparse(msg, input);
        std::hint::black_box(&*msg);
        clear_only::<C>(msg);
    };
    let mut msg = C::Msg::default();
    Some(run(&label, inputs, &mut msg, work, |_| {
        alloc::live_bytes().saturating_sub(baseline)
    }))
}

/// `clear()` alone: `reparse` with an empty input clears and parses nothing (C++ on an arena:
/// resets the arena).
fn clear_only<C: Codec>(msg: &mut C::Msg) {
    C::reparse(msg, &[]);
}

/// Draws retained bytes per iteration: the first periods of the run at full scale (top) and
/// zoomed on the bounded policies (bottom).
fn plot(runs: &[Run], path: &str, budget: usize) -> Result<(), Box<dyn std::error::Error>> {
    use plotters::prelude::*;
    let root = SVGBackend::new(path, (1100, 900)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(560);
    let shown = runs
        .iter()
        .map(|r| r.retained.len())
        .max()
        .unwrap_or(1)
        .min(500);
    let colors = [
        RED,
        BLUE,
        GREEN,
        MAGENTA,
        CYAN,
        BLACK,
        RGBColor(255, 140, 0),
        RGBColor(128, 128, 128),
        RGBColor(139, 69, 19),
    ];
    let panels = [
        (
            &top,
            "Retained heap after each clear: spiky workload (99 small records, then 1 large)",
            runs.iter().map(Run::peak).max().unwrap_or(1).max(1) as f64 / 1024.0 * 1.05,
        ),
        (&bottom, "Zoom: the bounded policies", 8.0),
    ];
    for (area, caption, max_kib) in panels {
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(0..shown, 0.0..max_kib)?;
        chart
            .configure_mesh()
            .x_desc("iteration")
            .y_desc("retained KiB")
            .draw()?;
        if (budget as f64 / 1024.0) < max_kib {
            chart
                .draw_series(LineSeries::new(
                    [(0, budget as f64 / 1024.0), (shown, budget as f64 / 1024.0)],
                    BLACK.stroke_width(1),
                ))?
                .label("budget 256 KiB")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
        }
        for (i, r) in runs.iter().enumerate() {
            let color = colors[i % colors.len()];
            chart
                .draw_series(LineSeries::new(
                    r.retained
                        .iter()
                        .take(shown)
                        .enumerate()
                        .map(|(x, y)| (x, (*y as f64 / 1024.0).min(max_kib))),
                    color.stroke_width(2),
                ))?
                .label(r.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()?;
    }
    root.present()?;
    Ok(())
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let iterations: usize = arg("--iterations")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let plot_path = arg("--plot").unwrap_or_else(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/zpb-bench");
        std::fs::create_dir_all(dir).unwrap();
        format!("{dir}/memory.svg")
    });
    let figures = dataset_figures();
    dataset_tables(&figures);
    if let Some(path) = arg("--json") {
        write_json(&figures, &path).unwrap_or_else(|e| panic!("{path}: {e}"));
    }

    let inputs = workload(iterations);
    let small_budget = 256 << 10;
    let mut runs = vec![
        zpb_policy("zpb Retain", &inputs, MemoryPolicy::Retain),
        zpb_policy("zpb Shrink", &inputs, MemoryPolicy::Shrink),
        zpb_policy("zpb Release", &inputs, MemoryPolicy::Release),
        zpb_policy(
            "zpb Budget 256 KiB",
            &inputs,
            MemoryPolicy::Budget {
                max_bytes: small_budget,
            },
        ),
        zpb_policy(
            "zpb Budget 2 MiB",
            &inputs,
            MemoryPolicy::Budget { max_bytes: 2 << 20 },
        ),
        zpb_pool(
            "zpb Pool (Budget 256 KiB)",
            &inputs,
            MemoryPolicy::Budget {
                max_bytes: small_budget,
            },
        ),
    ];
    runs.extend(
        for_each_codec!("spiky_record", peer(&inputs))
            .into_iter()
            .flatten(),
    );
    println!(
        "### Spiky workload: {iterations} parses into one reused message (99 small records of ~{} B, then one of ~{} KiB)\n",
        inputs[0].len(),
        inputs[99.min(inputs.len() - 1)].len() / 1024
    );
    println!("| run | peak retained after clear | final retained | allocations / parse (steady state) | MB/s (parse + clear) |");
    println!("|---|---|---|---|---|");
    for r in &runs {
        println!(
            "| {} | {:.1} KiB | {:.1} KiB | {:.2} | {:.0} |",
            r.label,
            r.peak() as f64 / 1024.0,
            *r.retained.last().unwrap_or(&0) as f64 / 1024.0,
            r.steady_allocs as f64 / (r.retained.len() - r.retained.len() / 2) as f64,
            r.bytes as f64 / r.seconds / 1e6
        );
    }
    let speed = |r: &Run| r.bytes as f64 / r.seconds;
    let (retain, release, tight, roomy) = (&runs[0], &runs[2], &runs[3], &runs[4]);
    println!(
        "\nBudget 2 MiB (holds the working set) / Retain throughput: {:.2}; peak {} B <= 2 MiB: {}",
        speed(roomy) / speed(retain),
        roomy.peak(),
        roomy.peak() <= 2 << 20
    );
    println!(
        "Budget 256 KiB (below the spike) / Release throughput: {:.2}; peak {} B <= 256 KiB: {}",
        speed(tight) / speed(release),
        tight.peak(),
        tight.peak() <= small_budget
    );
    match plot(&runs, &plot_path, small_budget) {
        Ok(()) => println!("plot: {plot_path}"),
        Err(e) => eprintln!("plot failed: {e}"),
    }
}
