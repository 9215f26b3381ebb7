//! Front ends: `.proto` files to a `FileDescriptorSet` (zpb's own descriptor types), with
//! zpb's own front end ([`crate::frontend`], the default) or a `protoc` binary.
//!
//! Both give a [`FileDescriptorSet`] with imports and source info, as protoc's
//! `--include_imports --include_source_info` writes it; lowering starts from that one type,
//! as it does for the plugin's `CodeGeneratorRequest`.

use crate::error::{Error, ErrorKind, Location};
use crate::frontend::{Compiler, FrontendError};
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

/// Parses with zpb's own front end ([`crate::frontend`]): the descriptors protoc would
/// write with `--include_imports --include_source_info` (comments included).
pub fn own(inputs: &[PathBuf], includes: &[PathBuf]) -> Result<Parsed, Error> {
    let to_generate = inputs
        .iter()
        .map(|i| import_path(i, includes))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = to_generate.iter().map(String::as_str).collect();
    let compiled = Compiler::new(includes.to_vec())
        .include_source_info(true)
        .compile(&names)
        .map_err(|e| frontend_error(&e))?;
    let set = compiled.into_descriptor_set(true);
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

/// A front-end error as a generator [`Error`], with its location when it has one.
pub fn frontend_error(e: &FrontendError) -> Error {
    match e.pos {
        Some(pos) => Error::new(ErrorKind::Parse, e.message.clone()).at(Location {
            file: e.file.clone(),
            line: pos.line + 1,
            column: pos.column + 1,
        }),
        None => Error::new(ErrorKind::Parse, e.to_string()),
    }
}

fn decode_set(bytes: &[u8]) -> Result<FileDescriptorSet, Error> {
    FileDescriptorSet::parse_from_slice(bytes)
        .map_err(|e| Error::new(ErrorKind::Parse, format!("decoding FileDescriptorSet: {e}")))
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
    let output = output_retrying_busy(&mut cmd).map_err(|e| {
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

/// Runs `cmd`, retrying a few times (with a short pause) while its program is "text file busy"
/// (`ETXTBSY`): a protoc wrapper script written just before, by this or another thread of the
/// process, can still be open for writing in a child another thread is forking (cargo retries
/// the same way).
fn output_retrying_busy(cmd: &mut Command) -> std::io::Result<std::process::Output> {
    const ETXTBSY: i32 = 26;
    let mut attempt = 0;
    loop {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) && attempt < 10 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(10 * attempt));
            }
            result => return result,
        }
    }
}
