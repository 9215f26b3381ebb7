//! The driver: runs the pipeline, parse → lower → emit → format → write, for the entry
//! points of [`Config`].

use crate::config::{Config, Parser};
use crate::emit;
use crate::error::{Error, ErrorKind};
use crate::format::{self, GeneratedFile};
use crate::lower::{self, LowerOptions};
use crate::parse::{self, Parsed};
use std::path::{Path, PathBuf};

impl Config {
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

    /// Generates code for one `.proto` file given as text (with zpb's own front end; it may
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
            .and_then(|()| parse::own(std::slice::from_ref(&path), std::slice::from_ref(&dir)))
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

    /// Parses with the configured front end, and writes the descriptor set if asked to.
    fn parse(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
        scratch: &Path,
    ) -> Result<Parsed, Error> {
        let protos: Vec<PathBuf> = protos.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let includes: Vec<PathBuf> = includes.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let parsed = match &self.parser {
            Parser::Own => parse::own(&protos, &includes)?,
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

    /// Lowers, emits and formats the files of `parsed`.
    pub(crate) fn generate_parsed(&self, parsed: &Parsed) -> Result<Vec<GeneratedFile>, Error> {
        let packages = lower::lower(&parsed.set, &parsed.to_generate, &self.lower_options())?;
        packages
            .iter()
            .map(|p| format::file(p, emit::package(p)))
            .collect()
    }

    /// The options lowering reads.
    fn lower_options(&self) -> LowerOptions {
        LowerOptions {
            type_attributes: self.type_attributes.clone(),
            field_attributes: self.field_attributes.clone(),
            bytes: self.bytes.clone(),
            btree_map: self.btree_map.clone(),
            boxed: self.boxed.clone(),
            std_strings: self.std_strings.clone(),
            compile_well_known_types: self.compile_well_known_types,
        }
    }
}

/// Writes `path` unless it already holds `content` (keeps mtimes, and so cargo, calm).
fn write_if_changed(path: &Path, content: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    std::fs::write(path, content)
}
