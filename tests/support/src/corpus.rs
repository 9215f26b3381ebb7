//! The `.proto` corpus with its layout, shared by the front end's corpus test
//! (`protoc-gen/tests/frontend_corpus.rs`) and the compile-speed benchmark
//! (`benches/benches/compile.rs`): every file under a set of top directories, each with the
//! import roots to compile it with.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One corpus file: its name relative to its root, and the import roots to compile it with
/// (its own root first).
#[derive(Clone, Debug)]
pub struct Entry {
    /// The file's name as imports spell it (relative to `roots[0]`).
    pub name: String,
    /// The import roots, its own first.
    pub roots: Vec<PathBuf>,
}

impl Entry {
    /// The file's path on disk.
    pub fn path(&self) -> PathBuf {
        self.roots[0].join(&self.name)
    }
}

/// Every `.proto` file under `dir`, sorted, depth first.
pub fn proto_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            proto_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

/// The import strings of the file at `path` (a line-based scan, enough for the layout).
fn imports(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("import")?;
            let start = rest.find(['"', '\''])?;
            let quote = rest[start..].chars().next()?;
            let end = rest[start + 1..].find(quote)?;
            Some(rest[start + 1..start + 1 + end].to_string())
        })
        .collect()
}

/// The files under each of `tops` with their layout: the include directories of a top are
/// the directories under which its files' import strings resolve (protobuf's `src/`, the
/// repository root, the Java resources, ...); each file is named relative to the deepest
/// include directory above it, or its own directory when none is. Every file also gets the
/// first top's `src/` (protobuf's `google/protobuf/*.proto`) as its last root.
pub fn entries(tops: &[PathBuf]) -> Vec<Entry> {
    let Some(first) = tops.first() else {
        return Vec::new();
    };
    let src = first.join("src");
    let mut entries = Vec::new();
    for top in tops {
        let mut files = Vec::new();
        proto_files(top, &mut files);
        // Include directories: where the imports of this top's files resolve.
        let dirs: BTreeSet<&Path> = files
            .iter()
            .flat_map(|f| f.ancestors().skip(1))
            .filter(|d| d.starts_with(top))
            .collect();
        let mut includes: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for file in &files {
            for import in imports(file) {
                for dir in &dirs {
                    if dir.join(&import).is_file() {
                        *includes.entry(dir.to_path_buf()).or_default() += 1;
                    }
                }
            }
        }
        includes.insert(top.clone(), 0);
        for file in &files {
            let root = file
                .ancestors()
                .skip(1)
                .find(|d| includes.contains_key(*d))
                .unwrap_or_else(|| file.parent().unwrap_or(top))
                .to_path_buf();
            let name = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .to_string_lossy()
                .into_owned();
            let mut roots = vec![root.clone()];
            for dir in includes.keys().chain([&src]) {
                if !roots.contains(dir) {
                    roots.push(dir.clone());
                }
            }
            entries.push(Entry { name, roots });
        }
    }
    entries
}
