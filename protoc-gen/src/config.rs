//! [`Config`]: the options of the generator and its entry points.

use crate::error::{Error, ErrorKind};
use crate::parse::{self, Parsed, Parser};
use crate::{emit, model};
use std::path::{Path, PathBuf};

/// One generated Rust file: the code of one proto package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The proto package (`my.app`; empty when the files declare none).
    pub package: String,
    /// The file name: `<package>.rs` (`_.rs` without a package), as `zpb::include_proto!`
    /// expects.
    pub name: String,
    /// Formatted Rust source.
    pub content: String,
}

/// Options of the generator, like prost-build's `Config`.
///
/// Paths in options name proto elements: `.` matches everything, a fully qualified
/// `.pkg.Msg` matches that message and everything in it (`.pkg.Msg.field`), and a name
/// without a leading dot matches by suffix (`Msg.field`).
///
/// ```no_run
/// // build.rs
/// fn main() -> std::io::Result<()> {
///     zpb_build::Config::new()
///         .btree_map(["."])
///         .bytes([".my.app.Blob.data"])
///         .type_attribute(".my.app.Order", "#[allow(clippy::large_enum_variant)]")
///         .compile_protos(&["proto/app.proto"], &["proto"])
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) type_attributes: Vec<(String, String)>,
    pub(crate) field_attributes: Vec<(String, String)>,
    pub(crate) bytes: Vec<String>,
    pub(crate) btree_map: Vec<String>,
    pub(crate) compile_well_known_types: bool,
    pub(crate) file_descriptor_set_path: Option<PathBuf>,
    pub(crate) parser: Parser,
    pub(crate) skip_rerun_if_changed: bool,
}

impl Config {
    /// Default options: pure-Rust parser, `HashMap` maps, `Vec<u8>` bytes, output to
    /// `$OUT_DIR`, `cargo:rerun-if-changed` lines printed.
    pub fn new() -> Config {
        Config::default()
    }

    /// Where [`compile_protos`](Config::compile_protos) writes (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Config {
        self.out_dir = Some(dir.into());
        self
    }

    /// Adds an attribute (e.g. `#[derive(Hash)]`) to the messages and enums matching `path`.
    pub fn type_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.type_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Adds an attribute to the fields matching `path` (e.g. `.my.app.Order.id`).
    pub fn field_attribute(
        &mut self,
        path: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Config {
        self.field_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Stores the `bytes` fields matching these paths as `bytes::Bytes` (shared, cheap to
    /// clone) instead of `Vec<u8>`.
    pub fn bytes<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bytes.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Stores the map fields matching these paths as `BTreeMap` (sorted, deterministic
    /// encoding) instead of `HashMap`.
    pub fn btree_map<I, S>(&mut self, paths: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.btree_map.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Generates the well-known types (`google/protobuf/timestamp.proto`, ...) instead of
    /// referring to `zpb::well_known` (used to build `zpb::well_known` itself).
    pub fn compile_well_known_types(&mut self) -> &mut Config {
        self.compile_well_known_types = true;
        self
    }

    /// Also writes the parsed files (inputs and imports) as a serialized `FileDescriptorSet`.
    pub fn file_descriptor_set_path(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.file_descriptor_set_path = Some(path.into());
        self
    }

    /// Parses with a `protoc` binary (`$PROTOC`, else `protoc` on `PATH`) instead of the
    /// pure-Rust parser: Google's exact parser, with editions and the newest syntax.
    pub fn protoc(&mut self) -> &mut Config {
        self.parser = Parser::Protoc(None);
        self
    }

    /// Parses with the `protoc` binary at `path`.
    pub fn protoc_path(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.parser = Parser::Protoc(Some(path.into()));
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every input and import (default: yes).
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Config {
        self.skip_rerun_if_changed = !emit;
        self
    }

    /// Generates code for `protos` (found in `includes`) and writes `<package>.rs` files to
    /// the output directory, for `zpb::include_proto!("package")`.
    pub fn compile_protos(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> std::io::Result<()> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Config,
                        "OUT_DIR is not set: call from build.rs or set Config::out_dir",
                    )
                })?,
        };
        let parsed = self.parse(protos, includes, &out_dir)?;
        if !self.skip_rerun_if_changed {
            for path in &parsed.read {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        std::fs::create_dir_all(&out_dir)?;
        for file in self.generate_parsed(&parsed)? {
            write_if_changed(&out_dir.join(&file.name), file.content.as_bytes())?;
        }
        Ok(())
    }

    /// Generates code for `protos` without writing it.
    ///
    /// ```no_run
    /// let files = zpb_build::Config::new().generate(&["proto/app.proto"], &["proto"]).unwrap();
    /// for file in files {
    ///     println!("{}: {} bytes", file.name, file.content.len());
    /// }
    /// ```
    pub fn generate(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> Result<Vec<GeneratedFile>, Error> {
        let scratch = std::env::temp_dir();
        let parsed = self.parse(protos, includes, &scratch)?;
        self.generate_parsed(&parsed)
    }

    /// Generates code for one `.proto` file given as text (with the pure-Rust parser; it may
    /// import only the well-known types).
    ///
    /// ```
    /// let files = zpb_build::Config::new()
    ///     .generate_from_source("app.proto", "syntax = \"proto3\"; package app; message Ping { int64 id = 1; }")
    ///     .unwrap();
    /// assert_eq!(files[0].name, "app.rs");
    /// assert!(files[0].content.contains("pub struct Ping"));
    /// ```
    pub fn generate_from_source(
        &self,
        name: &str,
        source: &str,
    ) -> Result<Vec<GeneratedFile>, Error> {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("zpb-build-{}-{n}", std::process::id()));
        let path = dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, source));
        let result = written
            .map_err(|e| Error::io(&path, &e))
            .and_then(|()| parse::pure(std::slice::from_ref(&path), std::slice::from_ref(&dir)))
            .and_then(|parsed| self.generate_parsed(&parsed));
        let _ = std::fs::remove_dir_all(&dir);
        // Report locations by the name given, not the scratch file.
        result.map_err(|e| e.strip_dir(&dir))
    }

    /// Generates code from a serialized `FileDescriptorSet` (as written by
    /// `protoc --include_imports --descriptor_set_out`), for the files named in
    /// `files_to_generate` (import paths such as `my/app.proto`).
    pub fn generate_from_descriptor_set(
        &self,
        bytes: &[u8],
        files_to_generate: &[String],
    ) -> Result<Vec<GeneratedFile>, Error> {
        self.generate_parsed(&parse::from_bytes(bytes, files_to_generate.to_vec())?)
    }

    fn parse(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
        scratch: &Path,
    ) -> Result<Parsed, Error> {
        let protos: Vec<PathBuf> = protos.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let includes: Vec<PathBuf> = includes.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let parsed = match &self.parser {
            Parser::Pure => parse::pure(&protos, &includes)?,
            Parser::Protoc(path) => parse::protoc(path.as_deref(), &protos, &includes, scratch)?,
        };
        if let Some(path) = &self.file_descriptor_set_path {
            let bytes = zpb::Message::serialize_to_vec(&parsed.set).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("encoding the FileDescriptorSet: {e}"),
                )
            })?;
            std::fs::write(path, bytes).map_err(|e| Error::io(path, &e))?;
        }
        Ok(parsed)
    }

    pub(crate) fn generate_parsed(&self, parsed: &Parsed) -> Result<Vec<GeneratedFile>, Error> {
        let packages = model::build(&parsed.set, &parsed.to_generate, self)?;
        packages.iter().map(format_package).collect()
    }
}

/// Formats one package's tokens with prettyplease, behind the header comment.
fn format_package(p: &model::Package) -> Result<GeneratedFile, Error> {
    let tokens = emit::package(p);
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            ErrorKind::Unsupported,
            format!("package {}: generated code does not parse: {e}", p.name),
        )
    })?;
    let name = if p.name.is_empty() {
        "_.rs".to_string()
    } else {
        format!("{}.rs", p.name)
    };
    Ok(GeneratedFile {
        package: p.name.clone(),
        name,
        content: format!("{}{}", emit::header(p), prettyplease::unparse(&file)),
    })
}

/// Writes `path` unless it already holds `content` (keeps mtimes, and so cargo, calm).
fn write_if_changed(path: &Path, content: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    std::fs::write(path, content)
}
