//! zpb's own `.proto` front end in pure Rust: proto2, proto3 and editions (2023, 2024) files
//! to the `FileDescriptorProto`s protoc would write (`zpb::descriptor`).
//!
//! The stages, one module each: [`lexer`] (tokens with positions, and [`comments`] between
//! them) → [`parser`] (a descriptor per file as protoc's parser fills it in: map entries,
//! groups, synthetic oneofs, defaults as protoc spells them, source locations) → [`link`]
//! (symbol table, protoc's scoping and import visibility rules, `json_name`) → [`options`]
//! (option statements interpreted into the options messages, custom options as extension
//! fields) → [`validate`] (protoc's checks) → [`source_info`]. Errors are
//! [`FrontendError`]s, `file:line:column: message` as protoc prints them; nesting is bounded
//! ([`parser::MAX_MESSAGE_DEPTH`], [`parser::MAX_AGGREGATE_DEPTH`]), so hostile input gives
//! an error, not a stack overflow.
//!
//! Compared with protoc 35.1 on protobuf v36.0's 467 files, the test protos and a syntax zoo
//! (`tests/frontend_corpus.rs`): the descriptor sets are byte-identical, alone, with
//! `--include_imports` and with `--include_source_info` (spans, paths, comments: [`comments`],
//! [`source_info`]), and every file protoc rejects is rejected (the unstable edition
//! included, with its renamed scalar types, where protoc's allowlist accepts it).
//! Source-retention options are left out of the descriptors (and their locations) as protoc
//! leaves them out of descriptor sets ([`Compiler::retain_options`] keeps them).
//!
//! ```no_run
//! use zpb::Message;
//! let compiled = zpb_build::frontend::Compiler::new(vec!["proto".into()])
//!     .compile(&["app.proto"])
//!     .unwrap();
//! let bytes = compiled.into_descriptor_set(true).serialize_to_vec().unwrap();
//! # let _ = bytes;
//! ```

pub mod ast;
pub mod comments;
pub mod error;
pub mod hash;
pub mod lexer;
pub mod link;
pub mod names;
pub mod options;
pub mod parser;
pub mod path;
pub mod source_info;
pub mod validate;

use hash::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use zpb::descriptor::{FileDescriptorProto, FileDescriptorSet};

pub use error::{FrontendError, Pos};
use link::SymbolTable;
use options::Pool;
use parser::ParsedFile;

/// protobuf v36.0's `google/protobuf/descriptor.proto`: the schema of the built-in options
/// (as protoc has them compiled in), and the file itself when no import root has it.
pub const DESCRIPTOR_PROTO: &str = include_str!("descriptor.proto");

/// The name under which [`DESCRIPTOR_PROTO`] is imported.
pub const DESCRIPTOR_PROTO_NAME: &str = "google/protobuf/descriptor.proto";

/// The well-known types' files (protobuf v36.0), compiled in like [`DESCRIPTOR_PROTO`]: used
/// when no import root has them, as protoc finds them in its own include directory.
pub const WELL_KNOWN_PROTOS: &[(&str, &str)] = &[
    (
        "google/protobuf/any.proto",
        include_str!("well_known/any.proto"),
    ),
    (
        "google/protobuf/api.proto",
        include_str!("well_known/api.proto"),
    ),
    (
        "google/protobuf/duration.proto",
        include_str!("well_known/duration.proto"),
    ),
    (
        "google/protobuf/empty.proto",
        include_str!("well_known/empty.proto"),
    ),
    (
        "google/protobuf/field_mask.proto",
        include_str!("well_known/field_mask.proto"),
    ),
    (
        "google/protobuf/source_context.proto",
        include_str!("well_known/source_context.proto"),
    ),
    (
        "google/protobuf/struct.proto",
        include_str!("well_known/struct.proto"),
    ),
    (
        "google/protobuf/timestamp.proto",
        include_str!("well_known/timestamp.proto"),
    ),
    (
        "google/protobuf/type.proto",
        include_str!("well_known/type.proto"),
    ),
    (
        "google/protobuf/wrappers.proto",
        include_str!("well_known/wrappers.proto"),
    ),
];

/// The types of the built-in `descriptor.proto`, for interpreting built-in options.
fn builtin_pool() -> Result<&'static Pool, FrontendError> {
    static POOL: OnceLock<Result<Pool, FrontendError>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut parsed = parser::parse(DESCRIPTOR_PROTO_NAME, DESCRIPTOR_PROTO.as_bytes())?;
        let mut table = SymbolTable::default();
        table.add_file(&parsed)?;
        let itself = [DESCRIPTOR_PROTO_NAME.to_string()].into_iter().collect();
        link::resolve(&mut parsed, &table, &itself)?;
        let mut pool = Pool::default();
        pool.add_file(&parsed.proto, parsed.syntax);
        // Its own options (`retention`, ...) need the pool; the pool then records them.
        let interpreted = options::interpret(&mut parsed, &pool, &table)?;
        options::store(&mut parsed, &interpreted, &pool, false)?;
        pool.add_file(&parsed.proto, parsed.syntax);
        Ok(pool)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Compiles `.proto` files found under import roots, as `protoc -I ROOT...` does.
#[derive(Clone, Debug)]
pub struct Compiler {
    roots: Vec<PathBuf>,
    retain_options: bool,
    source_info: bool,
}

/// The result of a compilation: every file loaded, dependencies first.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// All files, each after the files it imports.
    pub files: Vec<FileDescriptorProto>,
    /// The names of the files asked for, in the order asked.
    pub requested: Vec<String>,
    /// protoc's warnings about the files asked for (`warning: Import x.proto is unused.`),
    /// in the order protoc gives them.
    pub warnings: Vec<FrontendError>,
}

impl Compiled {
    /// The descriptor set protoc's `--descriptor_set_out` writes: the requested files, or
    /// (`include_imports`) every file, dependencies first, as protoc orders them. Without
    /// `include_imports` the requested files are still in dependency order (a requested
    /// file imported by another comes first), as protoc writes them: it walks the imports
    /// of the requested files only.
    pub fn descriptor_set(&self, include_imports: bool) -> FileDescriptorSet {
        let mut set = FileDescriptorSet::default();
        for i in self.set_order(include_imports) {
            set.file.push(self.files[i].clone());
        }
        set
    }

    /// [`Compiled::descriptor_set`], moving the files into the set instead of copying them.
    pub fn into_descriptor_set(self, include_imports: bool) -> FileDescriptorSet {
        let order = self.set_order(include_imports);
        let mut files: Vec<Option<FileDescriptorProto>> =
            self.files.into_iter().map(Some).collect();
        // Collected, then handed over whole: the files are large to move one push at a time.
        let ordered: Vec<FileDescriptorProto> =
            order.into_iter().filter_map(|i| files[i].take()).collect();
        FileDescriptorSet {
            file: ordered.into(),
            ..Default::default()
        }
    }

    /// The indexes in [`Compiled::files`] of the files of the descriptor set, in its order.
    fn set_order(&self, include_imports: bool) -> Vec<usize> {
        let by_name: HashMap<&str, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name(), i))
            .collect();
        let requested: HashSet<&str> = self.requested.iter().map(String::as_str).collect();
        let only = (!include_imports).then_some(&requested);
        let mut order = Vec::new();
        let mut added = HashSet::default();
        fn add<'a>(
            name: &str,
            files: &'a [FileDescriptorProto],
            by_name: &HashMap<&str, usize>,
            only: Option<&HashSet<&str>>,
            added: &mut HashSet<&'a str>,
            order: &mut Vec<usize>,
        ) {
            let Some(&i) = by_name.get(name) else {
                return;
            };
            let file = &files[i];
            if only.is_some_and(|only| !only.contains(name)) || !added.insert(file.name()) {
                return;
            }
            for dep in file.dependency.iter().chain(file.option_dependency.iter()) {
                add(dep, files, by_name, only, added, order);
            }
            order.push(i);
        }
        for name in &self.requested {
            add(name, &self.files, &by_name, only, &mut added, &mut order);
        }
        order
    }
}

impl Compiler {
    /// A compiler looking for files (and their imports) under `roots`, in order.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Compiler {
            roots,
            retain_options: false,
            source_info: false,
        }
    }

    /// Fills in `source_code_info` (spans, paths, comments) as protoc's
    /// `--include_source_info` does.
    pub fn include_source_info(mut self, include: bool) -> Self {
        self.source_info = include;
        self
    }

    /// Keeps options with `retention = RETENTION_SOURCE` in the descriptors (protoc's
    /// `--retain_options`); by default they are left out, as in protoc's descriptor sets.
    pub fn retain_options(mut self, retain: bool) -> Self {
        self.retain_options = retain;
        self
    }

    /// The name under which the file at `path` on disk is compiled (protoc's mapping of an
    /// input path to the import roots): `path` relative to the first root containing it,
    /// with `/` separators; `None` when no root contains it.
    pub fn virtual_name(&self, path: &std::path::Path) -> Option<String> {
        self.roots.iter().find_map(|root| {
            let rest = path.strip_prefix(root).ok()?;
            let parts: Vec<String> = rest
                .components()
                .map(|c| c.as_os_str().to_str().map(str::to_string))
                .collect::<Option<_>>()?;
            (!parts.is_empty()).then(|| parts.join("/"))
        })
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        for root in &self.roots {
            if let Ok(bytes) = std::fs::read(root.join(name)) {
                return Some(bytes);
            }
        }
        std::iter::once((DESCRIPTOR_PROTO_NAME, DESCRIPTOR_PROTO))
            .chain(WELL_KNOWN_PROTOS.iter().copied())
            .find(|(builtin, _)| *builtin == name)
            .map(|(_, text)| text.as_bytes().to_vec())
    }

    /// Compiles `files` (names relative to the roots) and everything they import; protoc's
    /// warnings about them are in [`Compiled::warnings`].
    pub fn compile(&self, files: &[&str]) -> Result<Compiled, FrontendError> {
        self.compile_reporting(files, &mut Vec::new())
    }

    /// As [`Compiler::compile`], pushing protoc's warnings to `warnings` as each file asked
    /// for is built, so that a failed compilation keeps those of the files built before the
    /// error, as protoc prints them (each file's in import order; protoc's order among one
    /// file's warnings is that of a hash set).
    pub fn compile_reporting(
        &self,
        files: &[&str],
        warnings: &mut Vec<FrontendError>,
    ) -> Result<Compiled, FrontendError> {
        let first_warning = warnings.len();
        let mut loader = Loader {
            compiler: self,
            parsed: Vec::new(),
            index: HashMap::default(),
            stack: Vec::new(),
        };
        for name in files {
            loader.load(name, None)?;
        }
        let mut parsed = loader.parsed;
        let mut table = SymbolTable::default();
        let mut pool = Pool::extending(builtin_pool()?);
        // What each file exports: itself and, transitively, its public imports.
        let mut exports: HashMap<String, HashSet<String>> = HashMap::default();
        for p in &parsed {
            let mut set: HashSet<String> = [p.proto.name().to_string()].into_iter().collect();
            for &i in p.proto.public_dependency.iter() {
                if let Some(dep) = p.proto.dependency.get(i as usize) {
                    set.extend(exports.get(dep.as_str()).cloned().unwrap_or_default());
                }
            }
            exports.insert(p.proto.name().to_string(), set);
        }
        for p in &mut parsed {
            table.add_file(p)?;
            let mut visible: HashSet<String> = [p.proto.name().to_string()].into_iter().collect();
            for dep in p
                .proto
                .dependency
                .iter()
                .chain(p.proto.option_dependency.iter())
            {
                visible.extend(exports.get(dep.as_str()).cloned().unwrap_or_default());
            }
            link::resolve(p, &table, &visible)?;
            // Twice when the file defines extensions: the first pass gives the pool the
            // file's own option settings (the `retention` of its option fields, its
            // MessageSets, its enums' features), which the second uses. Without extensions
            // of its own, no option of the file reads them (what an option's field and
            // value refer to is defined in files it imports), so one pass gives the same;
            // nor, unless an `Any` value names a message by type URL, does it read the
            // file's types at all, which then join the pool once, with their options as
            // stored. (The pool reads only built-in options that are never source-retention,
            // so stripped and unstripped options give it the same.)
            let extensions = defines_extensions(&p.proto);
            if extensions || options::expands_any(p) {
                pool.add_file(&p.proto, p.syntax);
            }
            let mut interpreted = options::interpret(p, &pool, &table)?;
            if extensions {
                options::store(p, &interpreted, &pool, false)?;
                pool.add_file(&p.proto, p.syntax);
                interpreted = options::interpret(p, &pool, &table)?;
            }
            options::store(p, &interpreted, &pool, !self.retain_options)?;
            if !extensions {
                pool.add_file(&p.proto, p.syntax);
            }
            link::finish(&mut p.proto);
            if self.source_info {
                let info = source_info::source_code_info(p);
                p.proto.source_code_info.set(info);
            }
            validate::validate(p, &pool)?;
            if files.contains(&p.proto.name()) {
                warnings.extend(unused_imports(p, &exports));
            }
        }
        Ok(Compiled {
            files: parsed.into_iter().map(|p| p.proto).collect(),
            requested: files.iter().map(|s| s.to_string()).collect(),
            warnings: warnings[first_warning..].to_vec(),
        })
    }
}

/// Whether `file` defines an extension, at top level or in a message.
fn defines_extensions(file: &FileDescriptorProto) -> bool {
    fn in_message(m: &zpb::descriptor::DescriptorProto) -> bool {
        !m.extension.is_empty() || m.nested_type.iter().any(in_message)
    }
    !file.extension.is_empty() || file.message_type.iter().any(in_message)
}

/// Loads files depth first, dependencies before dependents, finding import cycles.
struct Loader<'a> {
    compiler: &'a Compiler,
    parsed: Vec<ParsedFile>,
    index: HashMap<String, usize>,
    stack: Vec<String>,
}

impl Loader<'_> {
    fn load(&mut self, name: &str, importer: Option<(&str, Pos)>) -> Result<(), FrontendError> {
        if self.index.contains_key(name) {
            return Ok(());
        }
        if let Some(i) = self.stack.iter().position(|n| n == name) {
            let mut cycle: Vec<&str> = self.stack[i..].iter().map(String::as_str).collect();
            cycle.push(name);
            let message = format!("File recursively imports itself: {}", cycle.join(" -> "));
            return Err(match importer {
                Some((file, pos)) => FrontendError::at(file, pos, message),
                None => FrontendError::file(name, message),
            });
        }
        let Some(text) = self.compiler.read(name) else {
            return Err(match importer {
                Some((file, pos)) => FrontendError::at(
                    file,
                    pos,
                    format!("Import \"{name}\" was not found or had errors."),
                ),
                None => FrontendError::file(name, "File not found."),
            });
        };
        let parsed = parser::parse(name, &text)?;
        self.stack.push(name.to_string());
        let deps: Vec<(String, Pos)> = parsed
            .proto
            .dependency
            .iter()
            .chain(parsed.proto.option_dependency.iter())
            .map(|d| {
                (
                    d.clone(),
                    parsed.import_pos.get(d).copied().unwrap_or_default(),
                )
            })
            .collect();
        for (dep, pos) in &deps {
            self.load(dep, Some((name, *pos)))?;
        }
        self.stack.pop();
        self.index.insert(name.to_string(), self.parsed.len());
        self.parsed.push(parsed);
        Ok(())
    }
}

/// protoc's warnings for the imports of `p` that nothing in it uses: an import is used when a
/// file whose definitions `p` uses is the imported file or one it imports publicly
/// (`exports`); public imports are never reported.
fn unused_imports(
    p: &ParsedFile,
    exports: &HashMap<String, HashSet<String>>,
) -> Vec<FrontendError> {
    let public: HashSet<usize> = p
        .proto
        .public_dependency
        .iter()
        .map(|&i| i as usize)
        .collect();
    p.proto
        .dependency
        .iter()
        .enumerate()
        .filter(|(i, _)| !public.contains(i))
        .filter(|(_, dep)| {
            let reachable = exports.get(dep.as_str());
            !reachable.is_some_and(|r| r.iter().any(|f| p.used_files.contains(f)))
        })
        .map(|(_, dep)| {
            let message = format!("warning: Import {dep} is unused.");
            match p.import_pos.get(dep.as_str()) {
                Some(&pos) => FrontendError::at(p.proto.name(), pos, message),
                None => FrontendError::file(p.proto.name(), message),
            }
        })
        .collect()
}
