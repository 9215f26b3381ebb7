//! zpb's pure-Rust front end against protoc (grpcio-tools' libprotoc) on every `.proto` file of
//! protobuf v36.0, the test protos, the conformance protos and `tests/frontend/` (a zoo of
//! every construct and literal form): for each file protoc accepts,
//! zpb's `FileDescriptorProto` must be byte-identical to protoc's `--descriptor_set_out`
//! (alone, with `--include_imports` every file of the closure, and with
//! `--include_source_info`: spans, paths, comments); each file protoc rejects,
//! zpb must reject. Prints "N identical / M total" per mode and the first differences; fails
//! when a count drops below its floor (raise the floors as the front end improves).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use zpb::descriptor::FileDescriptorProto;
use zpb::Message;
use zpb_build::frontend::Compiler;
use zpb_test_support::corpus::Entry;

/// Files whose descriptor (without imports) is byte-identical to protoc's: at least this many.
const FLOOR_IDENTICAL: usize = 439;
/// Files whose whole import closure is byte-identical to protoc's: at least this many.
const FLOOR_IDENTICAL_WITH_IMPORTS: usize = 439;
/// Files whose import closure with `--include_source_info` is byte-identical: at least this
/// many.
const FLOOR_IDENTICAL_WITH_SOURCE_INFO: usize = 439;
/// Files protoc rejects that zpb rejects too: at least this many.
const FLOOR_REJECTED: usize = 51;

fn shared() -> PathBuf {
    zpb_test_support::repo_root().join("../shared")
}

/// The corpus: protobuf v36.0, the test protos, the conformance protos and the zoo of
/// `tests/frontend/`, each file with the import roots of its layout.
fn corpus() -> Vec<Entry> {
    zpb_test_support::corpus::entries(&[
        shared().join("testdata/protobuf-v36"),
        shared().join("testdata/protos"),
        shared().join("conformance/protos"),
        zpb_test_support::repo_root().join("protoc-gen/tests/frontend"),
    ])
}

/// Splits a serialized `FileDescriptorSet` into its files' bytes.
fn split_set(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    let varint = |at: &mut usize| -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        while *at < bytes.len() {
            let b = bytes[*at];
            *at += 1;
            v |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                break;
            }
        }
        v
    };
    while at < bytes.len() {
        let tag = varint(&mut at);
        assert_eq!(tag, (1 << 3) | 2, "a FileDescriptorSet holds only files");
        let len = varint(&mut at) as usize;
        out.push(bytes[at..at + len].to_vec());
        at += len;
    }
    out
}

fn file_name(bytes: &[u8]) -> String {
    FileDescriptorProto::parse_from_slice(bytes)
        .map(|f| f.name().to_string())
        .unwrap_or_default()
}

/// protoc's descriptor set for `names` (all under `roots`), per file name; `Err` with its
/// stderr when protoc rejects them.
fn protoc(
    python: &Path,
    roots: &[PathBuf],
    names: &[&str],
    include_imports: bool,
    source_info: bool,
    out: &Path,
) -> Result<HashMap<String, Vec<u8>>, String> {
    let mut cmd = zpb_test_support::protoc(python);
    for r in roots {
        cmd.arg(format!("-I{}", r.display()));
    }
    cmd.arg(format!("--descriptor_set_out={}", out.display()));
    if include_imports {
        cmd.arg("--include_imports");
    }
    if source_info {
        cmd.arg("--include_source_info");
    }
    cmd.args(names);
    let result = cmd.output().expect("run protoc");
    if !result.status.success() {
        return Err(String::from_utf8_lossy(&result.stderr).into_owned());
    }
    let bytes = std::fs::read(out).expect("read protoc's descriptor set");
    Ok(split_set(&bytes)
        .into_iter()
        .map(|f| (file_name(&f), f))
        .collect())
}

/// protoc's descriptor sets (alone, with imports, with source info) for a batch of names, or its error: the
/// whole batch at once, halves of it when protoc rejects it (so a few bad files cost a few
/// runs), one file at a time at the bottom.
type Verdict = Result<[HashMap<String, Vec<u8>>; 3], String>;

fn protoc_bisect<'a>(
    python: &Path,
    roots: &[PathBuf],
    names: &[&'a str],
    out: &Path,
    verdicts: &mut Vec<(Vec<&'a str>, Verdict)>,
    runs: &mut usize,
) {
    *runs += 1;
    let mut alone = protoc(python, roots, names, false, false, out);
    if alone.is_err() && names.len() == 1 {
        // A rejection decides a file's verdict: make sure it is not a hiccup of the machine.
        *runs += 1;
        alone = protoc(python, roots, names, false, false, out);
    }
    if alone.is_err() && names.len() > 1 {
        let (a, b) = names.split_at(names.len() / 2);
        protoc_bisect(python, roots, a, out, verdicts, runs);
        protoc_bisect(python, roots, b, out, verdicts, runs);
        return;
    }
    let verdict = alone.and_then(|alone| {
        *runs += 2;
        let all = protoc(python, roots, names, true, false, out)?;
        let info = protoc(python, roots, names, true, true, out)?;
        Ok([alone, all, info])
    });
    verdicts.push((names.to_vec(), verdict));
}

/// The first lines where the text forms of two descriptors differ.
fn describe_difference(ours: &[u8], theirs: &[u8]) -> String {
    let show = |b: &[u8]| match FileDescriptorProto::parse_from_slice(b) {
        Ok(f) => format!("{f:#?}"),
        Err(e) => format!("<unparsable: {e}>"),
    };
    let (a, b) = (show(ours), show(theirs));
    if a == b {
        return format!(
            "same fields, different bytes ({} vs {} bytes)",
            ours.len(),
            theirs.len()
        );
    }
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = al.iter().zip(&bl).take_while(|(x, y)| x == y).count();
    let context = |lines: &[&str]| lines[i.saturating_sub(2)..(i + 3).min(lines.len())].join(" | ");
    format!(
        "line {}:\n      zpb:    {}\n      protoc: {}",
        i + 1,
        context(&al),
        context(&bl)
    )
}

#[derive(Default)]
struct Tally {
    total: usize,
    identical: usize,
    differences: Vec<String>,
}

impl Tally {
    fn record(&mut self, name: &str, ok: Result<(), String>) {
        self.total += 1;
        match ok {
            Ok(()) => self.identical += 1,
            Err(e) => self.differences.push(format!("{name}: {e}")),
        }
    }

    fn report(&self, mode: &str) {
        println!(
            "{mode}: {} identical / {} total",
            self.identical, self.total
        );
        for d in self.differences.iter().take(25) {
            println!("  {d}");
        }
    }
}

#[test]
fn descriptor_sets_match_protoc() {
    let Some(python) = zpb_test_support::python("the front end's corpus comparison with protoc")
    else {
        return;
    };
    let tmp = std::env::temp_dir().join(format!("zpb-frontend-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("set.pb");
    let entries = corpus();
    assert!(entries.len() > 467, "the corpus is missing files");

    // protoc, once per import layout; a layout protoc rejects is redone file by file.
    let mut batches: BTreeMap<Vec<PathBuf>, Vec<&str>> = BTreeMap::new();
    for e in &entries {
        batches.entry(e.roots.clone()).or_default().push(&e.name);
    }
    let mut plain = Tally::default();
    let mut closure = Tally::default();
    let mut rejected = Tally::default();
    let mut with_info = Tally::default();
    let mut runs = 0;
    let started = std::time::Instant::now();
    for (roots, names) in &batches {
        let mut per_file = Vec::new();
        protoc_bisect(&python, roots, names, &out, &mut per_file, &mut runs);
        let compiler = Compiler::new(roots.clone());
        let info_compiler = Compiler::new(roots.clone()).include_source_info(true);
        for (names, result) in per_file {
            for name in names {
                let ours = compiler.compile(&[name]);
                match (&result, ours) {
                    (Err(stderr), Ok(_)) => rejected.record(
                        name,
                        Err(format!(
                            "protoc rejects it, zpb accepts it: {}",
                            stderr.lines().next().unwrap_or("")
                        )),
                    ),
                    (Err(_), Err(_)) => rejected.record(name, Ok(())),
                    (Ok(_), Err(e)) => {
                        plain.record(name, Err(format!("zpb rejects it: {e}")));
                        closure.record(name, Err("zpb rejects it".to_string()));
                        with_info.record(name, Err("zpb rejects it".to_string()));
                    }
                    (Ok([alone, all, info]), Ok(compiled)) => {
                        let ours: Vec<Vec<u8>> = compiled
                            .descriptor_set(true)
                            .file
                            .iter()
                            .map(|f| f.serialize_to_vec().unwrap())
                            .collect();
                        let compare = |set: &HashMap<String, Vec<u8>>, file: &Vec<u8>| {
                            let theirs = set.get(&file_name(file)).cloned().unwrap_or_default();
                            if &theirs == file {
                                Ok(())
                            } else {
                                Err(describe_difference(file, &theirs))
                            }
                        };
                        let own = ours.iter().find(|f| file_name(f) == name).unwrap();
                        plain.record(name, compare(alone, own));
                        // With source info, every file of the closure (both flags at once).
                        let ours_info = info_compiler.compile(&[name]).map(|c| {
                            c.descriptor_set(true)
                                .file
                                .iter()
                                .map(|f| f.serialize_to_vec().unwrap())
                                .collect::<Vec<_>>()
                        });
                        with_info.record(
                            name,
                            match ours_info {
                                Ok(files) => files.iter().try_for_each(|f| {
                                    compare(info, f).map_err(|e| format!("{}: {e}", file_name(f)))
                                }),
                                Err(e) => Err(format!("zpb rejects it: {e}")),
                            },
                        );
                        closure.record(
                            name,
                            ours.iter().try_for_each(|f| {
                                compare(all, f).map_err(|e| format!("{}: {e}", file_name(f)))
                            }),
                        );
                    }
                }
            }
        }
    }
    std::fs::remove_dir_all(&tmp).ok();
    println!(
        "{} files in {} import layouts, {runs} protoc runs, {:.1} s",
        entries.len(),
        batches.len(),
        started.elapsed().as_secs_f64()
    );
    plain.report("without imports");
    closure.report("with --include_imports");
    rejected.report("rejected by protoc, rejected by zpb");
    with_info.report("with --include_source_info --include_imports");
    assert!(
        plain.identical >= FLOOR_IDENTICAL,
        "identical descriptors dropped below the floor"
    );
    assert!(
        closure.identical >= FLOOR_IDENTICAL_WITH_IMPORTS,
        "identical closures dropped below the floor"
    );
    assert!(
        with_info.identical >= FLOOR_IDENTICAL_WITH_SOURCE_INFO,
        "identical descriptors with source info dropped below the floor"
    );
    assert!(
        rejected.identical >= FLOOR_REJECTED,
        "rejections dropped below the floor"
    );
}
