//! Compile speed of `.proto` front ends on protobuf v36.0's corpus
//! (`../shared/testdata/protobuf-v36`, every file with the import roots of its layout, as
//! the front end's corpus test lays it out: `zpb_test_support::corpus`). Each tool compiles
//! each file alone into a descriptor set with its imports and source info, written to a file:
//!
//! - `zpb`: `zpb_build::frontend::Compiler`, zpb's pure-Rust front end, as a library call;
//! - `protox`: protox 0.9 (pure Rust), as a library call;
//! - `protobuf-parse`: protobuf-parse 3.7's pure parser, as a library call, on the files it
//!   can read (it makes no source info, so it does less work per file);
//! - `protoc`: grpcio-tools' libprotoc from the project's venv (its version is printed),
//!   called as `grpc_tools.protoc.main` in one Python process per pass, each call timed
//!   alone, so no tool pays for starting a process.
//!
//! The files zpb rejects (protoc rejects the same ones: the corpus test checks it) are left
//! out. Per tool: files compiled, wall time summed over them (median of `--passes N` passes,
//! default 3) and per MB of `.proto` source (the compiled files' own bytes); then the time on
//! the files every tool compiled, and its ratio to zpb's, so that the comparison is of the
//! same work.
//!
//! `cargo bench -p zpb-benches --bench compile [-- --passes N] [--limit N] [--json PATH]`
//! (`--limit N`: only the first N files, for a quick check; `--json` writes the figures for
//! scripts/bench-report.py, a relative `PATH` being relative to the workspace root).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use zpb::Message;
use zpb_test_support::corpus::{self, Entry};

/// One tool's result for one file: compiled or not, and how long it took.
type Outcome = Option<Duration>;

/// A library front end: the encoded descriptor set of one corpus file, or `None`.
type Compile = fn(&Entry) -> Option<Vec<u8>>;

/// Times `compile` on `e`: `None` when it fails (or panics).
fn timed(e: &Entry, out: &Path, compile: Compile) -> Outcome {
    let start = Instant::now();
    let bytes = std::panic::catch_unwind(|| compile(e)).ok().flatten()?;
    std::fs::write(out, black_box(bytes)).ok()?;
    Some(start.elapsed())
}

fn zpb(e: &Entry) -> Option<Vec<u8>> {
    let compiled = zpb_build::frontend::Compiler::new(e.roots.clone())
        .include_source_info(true)
        .compile(&[&e.name])
        .ok()?;
    compiled.into_descriptor_set(true).serialize_to_vec().ok()
}

fn protox(e: &Entry) -> Option<Vec<u8>> {
    let mut compiler = protox::Compiler::new(&e.roots).ok()?;
    compiler.include_imports(true).include_source_info(true);
    compiler.open_file(&e.name).ok()?;
    Some(compiler.encode_file_descriptor_set())
}

fn protobuf_parse(e: &Entry) -> Option<Vec<u8>> {
    let set = protobuf_parse::Parser::new()
        .pure()
        .includes(&e.roots)
        .input(e.path())
        .file_descriptor_set()
        .ok()?;
    protobuf::Message::write_to_bytes(&set).ok()
}

/// The Python side of the protoc column: compiles each `[roots, name]` of the JSON file in
/// `argv[1]` with `grpc_tools.protoc.main`, writing to `argv[2]`, and prints
/// `[[ok, seconds], ...]` as JSON.
const PROTOC_DRIVER: &str = r#"
import json, sys, time
from grpc_tools import protoc
files = json.load(open(sys.argv[1]))
results = []
for roots, name in files:
    args = ["protoc"] + ["-I" + r for r in roots] + [
        "--include_imports", "--include_source_info", "--descriptor_set_out=" + sys.argv[2], name]
    start = time.perf_counter()
    ok = protoc.main(args) == 0
    results.append([ok, time.perf_counter() - start])
json.dump(results, sys.stdout)
"#;

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The venv's protoc on every entry, in one Python process: per-file outcomes, or why not.
fn protoc_pass(python: &Path, entries: &[Entry], dir: &Path) -> Result<Vec<Outcome>, String> {
    let list: Vec<String> = entries
        .iter()
        .map(|e| {
            let roots: Vec<String> = e
                .roots
                .iter()
                .map(|r| json_str(&r.to_string_lossy()))
                .collect();
            format!("[[{}], {}]", roots.join(", "), json_str(&e.name))
        })
        .collect();
    let files = dir.join("files.json");
    let driver = dir.join("protoc_driver.py");
    std::fs::write(&files, format!("[{}]", list.join(",\n"))).map_err(|e| e.to_string())?;
    std::fs::write(&driver, PROTOC_DRIVER).map_err(|e| e.to_string())?;
    let out = Command::new(python)
        .arg(&driver)
        .arg(&files)
        .arg(dir.join("protoc.pb"))
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!("the protoc driver failed: {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // `[[true, 0.0012], [false, 0.0003], ...]`: one pair per file.
    let outcomes: Vec<Outcome> = text
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split("], [")
        .map(|pair| {
            let pair = pair.trim_matches(|c| c == '[' || c == ']');
            let (ok, secs) = pair.split_once(',')?;
            let secs: f64 = secs.trim().parse().ok()?;
            (ok.trim() == "true").then(|| Duration::from_secs_f64(secs))
        })
        .collect();
    if outcomes.len() != entries.len() {
        return Err(format!(
            "the protoc driver answered {} of {} files",
            outcomes.len(),
            entries.len()
        ));
    }
    Ok(outcomes)
}

/// grpcio-tools' version and its libprotoc's, as `protoc --version` prints it.
fn protoc_version(python: &Path) -> String {
    let run = |args: &[&str]| {
        Command::new(python)
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let tools = run(&[
        "-c",
        "import importlib.metadata as m; print(m.version('grpcio-tools'))",
    ]);
    let protoc = run(&["-m", "grpc_tools.protoc", "--version"]);
    format!("grpcio-tools {tools} ({protoc})")
}

/// A tool's outcomes over the passes: `passes[p][i]` for file `i`.
struct Column {
    name: &'static str,
    passes: Vec<Vec<Outcome>>,
}

impl Column {
    /// Whether the tool compiled file `i` in every pass.
    fn compiled(&self, i: usize) -> bool {
        self.passes.iter().all(|p| p[i].is_some())
    }

    /// The median over passes of the time summed over the files `keep` selects.
    fn median_seconds(&self, keep: &dyn Fn(usize) -> bool) -> f64 {
        let mut totals: Vec<f64> = self
            .passes
            .iter()
            .map(|p| {
                p.iter()
                    .enumerate()
                    .filter(|(i, _)| keep(*i))
                    .filter_map(|(_, d)| d.map(|d| d.as_secs_f64()))
                    .sum()
            })
            .collect();
        totals.sort_by(f64::total_cmp);
        totals.get(totals.len() / 2).copied().unwrap_or(0.0)
    }
}

fn main() {
    let mut passes = 3usize;
    let mut limit = usize::MAX;
    let mut json_path: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |what: &str| args.next().unwrap_or_else(|| panic!("{a} needs {what}"));
        match a.as_str() {
            "--passes" => passes = value("a count").parse().expect("--passes N"),
            "--limit" => limit = value("a count").parse().expect("--limit N"),
            // A relative path is the workspace root's, not the bench's cwd (`benches/`).
            "--json" => json_path = Some(zpb_test_support::repo_root().join(value("a path"))),
            // cargo bench passes `--bench`; other harness flags are not ours.
            _ => {}
        }
    }
    let passes = passes.max(1);
    let v36 = zpb_test_support::repo_root().join("../shared/testdata/protobuf-v36");
    let all = corpus::entries(std::slice::from_ref(&v36));
    assert!(!all.is_empty(), "no corpus under {}", v36.display());
    let dir = std::env::temp_dir().join(format!("zpb-compile-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let out = dir.join("out.pb");
    // The files zpb compiles (protoc accepts the same ones).
    let entries: Vec<Entry> = all
        .iter()
        .filter(|e| zpb(e).is_some())
        .take(limit)
        .cloned()
        .collect();
    let sizes: Vec<f64> = entries
        .iter()
        .map(|e| std::fs::metadata(e.path()).map_or(0.0, |m| m.len() as f64 / 1e6))
        .collect();
    eprintln!(
        "{} files that zpb compiles, of {} in the corpus{}; {passes} passes",
        entries.len(),
        all.len(),
        if limit < all.len() { " (--limit)" } else { "" }
    );

    // Quiet panics: protobuf-parse panics on some inputs (counted as not compiled).
    std::panic::set_hook(Box::new(|_| {}));
    let tools: [(&'static str, Compile); 3] = [
        ("zpb", zpb),
        ("protox", protox),
        ("protobuf-parse", protobuf_parse),
    ];
    let mut columns: Vec<Column> = tools
        .iter()
        .map(|(name, compile)| Column {
            name,
            passes: (0..passes)
                .map(|_| entries.iter().map(|e| timed(e, &out, *compile)).collect())
                .collect(),
        })
        .collect();
    let _ = std::panic::take_hook();
    let protoc_label = match zpb_test_support::python("the protoc column of the compile bench") {
        Some(python) => {
            let label = protoc_version(&python);
            let runs: Result<Vec<_>, String> = (0..passes)
                .map(|_| protoc_pass(&python, &entries, &dir))
                .collect();
            match runs {
                Ok(runs) => columns.push(Column {
                    name: "protoc",
                    passes: runs,
                }),
                Err(e) => eprintln!("protoc column skipped: {e}"),
            }
            label
        }
        None => String::from("not run (no venv)"),
    };
    let _ = std::fs::remove_dir_all(&dir);

    let common: Vec<bool> = (0..entries.len())
        .map(|i| columns.iter().all(|c| c.compiled(i)))
        .collect();
    let common_mb: f64 = (0..entries.len())
        .filter(|&i| common[i])
        .map(|i| sizes[i])
        .sum();
    let common_count = common.iter().filter(|c| **c).count();
    let zpb_common = columns[0].median_seconds(&|i| common[i]);

    println!("### Compile protobuf v36's corpus: descriptor sets with imports and source info\n");
    println!(
        "{} files ({:.2} MB of .proto source) that zpb and protoc accept; {common_count} files \
         ({common_mb:.2} MB) every tool compiles. protoc: {protoc_label}. Median of {passes} \
         passes.\n",
        entries.len(),
        sizes.iter().sum::<f64>()
    );
    println!("| tool | files | s | ms/MB | s, common files | ms/MB, common | tool/zpb, common |");
    println!("|---|---|---|---|---|---|---|");
    let mut json = Vec::new();
    for c in &columns {
        let own = |i: usize| c.compiled(i);
        let files = (0..entries.len()).filter(|&i| own(i)).count();
        let mb: f64 = (0..entries.len())
            .filter(|&i| own(i))
            .map(|i| sizes[i])
            .sum();
        let secs = c.median_seconds(&own);
        let common_secs = c.median_seconds(&|i| common[i]);
        let per_mb = |s: f64, mb: f64| if mb > 0.0 { s * 1e3 / mb } else { 0.0 };
        println!(
            "| {} | {files} | {secs:.3} | {:.1} | {common_secs:.3} | {:.1} | {:.2}x |",
            c.name,
            per_mb(secs, mb),
            per_mb(common_secs, common_mb),
            common_secs / zpb_common.max(f64::MIN_POSITIVE)
        );
        json.push(format!(
            "{}: {{\"files\": {files}, \"mb\": {mb}, \"seconds\": {secs}, \"common_seconds\": {common_secs}}}",
            json_str(c.name)
        ));
    }
    if let Some(path) = json_path {
        let text = format!(
            "{{\"files\": {}, \"mb\": {}, \"common_files\": {common_count}, \"common_mb\": {common_mb}, \
             \"passes\": {passes}, \"protoc\": {}, \"tools\": {{{}}}}}\n",
            entries.len(),
            sizes.iter().sum::<f64>(),
            json_str(&protoc_label),
            json.join(", ")
        );
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
