//! Front ends: `.proto` files to a `FileDescriptorSet` (zpb's own descriptor types), with
//! protobuf-parse's pure-Rust parser or a `protoc` binary.
//!
//! Both give descriptor *bytes* (protobuf-parse's descriptors are serialized with
//! rust-protobuf, protoc writes them), decoded into [`FileDescriptorSet`]; lowering starts
//! from that one type, as it is for the plugin's `CodeGeneratorRequest`.

use crate::docs;
use crate::error::{Error, ErrorKind, Location};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use zpb::descriptor::FileDescriptorSet;
use zpb::Message as _;

/// Parsed input: every file with its imports, which of them to generate, and the files read.
pub struct Parsed {
    /// All files (inputs and everything they import), dependencies first.
    pub set: FileDescriptorSet,
    /// Import paths (`dir/file.proto`) of the files to generate code for.
    pub to_generate: Vec<String>,
    /// Files read from disk (inputs and imports), for `cargo:rerun-if-changed`.
    pub read: Vec<PathBuf>,
}

/// The import path of `input` relative to the first include that contains it.
fn import_path(input: &Path, includes: &[PathBuf]) -> Result<String, Error> {
    for include in includes {
        if include == Path::new(".") && input.is_relative() {
            return Ok(slashes(input));
        }
        if let Ok(rest) = input.strip_prefix(include) {
            return Ok(slashes(rest));
        }
    }
    Err(Error::new(
        ErrorKind::Config,
        format!(
            "{} is not inside any include directory ({})",
            input.display(),
            includes
                .iter()
                .map(|i| i.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

fn slashes(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Finds an import path in the include directories.
fn on_disk(name: &str, includes: &[PathBuf]) -> Option<PathBuf> {
    includes.iter().map(|i| i.join(name)).find(|p| p.is_file())
}

/// Parses with protobuf-parse's pure-Rust parser, then recovers comments from the sources.
pub fn pure(inputs: &[PathBuf], includes: &[PathBuf]) -> Result<Parsed, Error> {
    for input in inputs {
        import_path(input, includes)?;
    }
    let mut parser = protobuf_parse::Parser::new();
    parser.pure().includes(includes).inputs(inputs);
    let parsed = parser.parse_and_typecheck().map_err(|e| pure_error(&e))?;
    let mut set = protobuf::descriptor::FileDescriptorSet::new();
    set.file = parsed.file_descriptors;
    let bytes = protobuf::Message::write_to_bytes(&set)
        .map_err(|e| Error::new(ErrorKind::Parse, format!("serializing descriptors: {e}")))?;
    let mut set = decode_set(&bytes)?;
    crate::protoc_form::normalize(&mut set);
    let mut read = Vec::new();
    for file in set.file.iter_mut() {
        if let Some(path) = on_disk(file.name(), includes) {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
            docs::attach(file, &text);
            read.push(path);
        }
    }
    Ok(Parsed {
        set,
        to_generate: parsed
            .relative_paths
            .iter()
            .map(|p| p.to_str().to_string())
            .collect(),
        read,
    })
}

fn decode_set(bytes: &[u8]) -> Result<FileDescriptorSet, Error> {
    FileDescriptorSet::parse_from_slice(bytes)
        .map_err(|e| Error::new(ErrorKind::Parse, format!("decoding FileDescriptorSet: {e}")))
}

/// Turns protobuf-parse's error chain (``error in `FILE`: at L:C: message``) into an
/// [`Error`] with a location; for errors without one (unresolved names) the name is looked
/// up in the file's text.
fn pure_error(e: &anyhow::Error) -> Error {
    let text = format!("{e:#}");
    let mut file = None;
    let mut position = None;
    let mut message: Vec<&str> = Vec::new();
    for part in text.split(": ") {
        if let Some(name) = part
            .strip_prefix("error in `")
            .and_then(|p| p.strip_suffix('`'))
        {
            file = Some(name.to_string());
        } else if let Some((l, c)) = part.strip_prefix("at ").and_then(|p| p.split_once(':')) {
            position = l.parse::<u32>().ok().zip(c.parse::<u32>().ok());
        } else if !message.contains(&part) {
            message.push(part);
        }
    }
    let message = message.join(": ");
    let Some(file) = file else {
        return Error::new(ErrorKind::Parse, message);
    };
    // Without a position ("object is not found by path `Foo` in scope `pkg.M`"), look for
    // the name in the source.
    let position = position.or_else(|| {
        let source = std::fs::read_to_string(&file).ok()?;
        docs::find_token(&source, message.split('`').nth(1)?)
    });
    match position {
        Some((line, column)) => {
            Error::new(ErrorKind::Parse, message).at(Location { file, line, column })
        }
        None => Error::new(ErrorKind::Parse, format!("{file}: {message}")),
    }
}

/// Parses with a `protoc` binary (`--include_imports --include_source_info`).
pub fn protoc(
    protoc: Option<&Path>,
    inputs: &[PathBuf],
    includes: &[PathBuf],
    scratch_dir: &Path,
) -> Result<Parsed, Error> {
    let program = protoc
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("PROTOC").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("protoc"));
    let to_generate = inputs
        .iter()
        .map(|i| import_path(i, includes))
        .collect::<Result<Vec<_>, _>>()?;
    std::fs::create_dir_all(scratch_dir).map_err(|e| Error::io(scratch_dir, &e))?;
    // One file per call: several threads of one process (tests, build scripts) may run protoc
    // at once.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let out = scratch_dir.join(format!("zpb-descriptors-{}-{call}.bin", std::process::id()));
    let mut cmd = Command::new(&program);
    cmd.arg("--include_imports").arg("--include_source_info");
    cmd.arg(format!("--descriptor_set_out={}", out.display()));
    for include in includes {
        cmd.arg(format!("-I{}", include.display()));
    }
    cmd.args(inputs);
    let output = cmd.output().map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!(
                "running {} (set PROTOC or Config::protoc_path): {e}",
                program.display()
            ),
        )
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(protoc_error(&stderr));
    }
    let bytes = std::fs::read(&out).map_err(|e| Error::io(&out, &e))?;
    let _ = std::fs::remove_file(&out);
    let set = decode_set(&bytes)?;
    let read = set
        .file
        .iter()
        .filter_map(|f| on_disk(f.name(), includes))
        .collect();
    Ok(Parsed {
        set,
        to_generate,
        read,
    })
}

/// protoc reports `file:line:column: message`; keeps the first such line's location.
fn protoc_error(stderr: &str) -> Error {
    let message = stderr.trim().to_string();
    for line in stderr.lines() {
        let mut parts = line.splitn(4, ':');
        if let (Some(file), Some(l), Some(c), Some(msg)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        {
            if let (Ok(l), Ok(c)) = (l.parse::<u32>(), c.parse::<u32>()) {
                let location = Location {
                    file: file.to_string(),
                    line: l,
                    column: c,
                };
                return Error::new(ErrorKind::Parse, msg.trim()).at(location);
            }
        }
    }
    Error::new(ErrorKind::Parse, format!("protoc failed: {message}"))
}

/// Decodes a serialized `FileDescriptorSet` (e.g. from `protoc --descriptor_set_out`).
pub fn from_bytes(bytes: &[u8], to_generate: Vec<String>) -> Result<Parsed, Error> {
    Ok(Parsed {
        set: decode_set(bytes)?,
        to_generate,
        read: Vec::new(),
    })
}
