//! `zpb-protoc`: a protoc-compatible command line over zpb's own front end
//! ([`crate::frontend`]).
//!
//! ```text
//! zpb-protoc -I proto --descriptor_set_out=app.pb --include_imports app.proto
//! zpb-protoc -I proto --zpb_out=src/gen app.proto
//! zpb-protoc -I proto --plugin=protoc-gen-prost=PATH --prost_out=src/gen app.proto
//! ```
//!
//! Flags: `-I`/`--proto_path` (repeatable, `-IPATH`, `-I PATH`, `:`-separated lists),
//! `--descriptor_set_out`/`-o`, `--include_imports`, `--include_source_info`,
//! `--retain_options`, `--NAME_out=[PARAMS:]DIR` with `--NAME_opt=PARAMS`, and
//! `--plugin=protoc-gen-NAME=PATH` (else `protoc-gen-NAME` on `PATH`). `--zpb_out` is zpb's
//! generator, built in (a `--plugin=protoc-gen-zpb=...` replaces it). Plugins get the
//! `CodeGeneratorRequest` protoc builds: `file_to_generate`, `parameter`, every file with
//! its imports first and source info (source-retention options stripped),
//! `source_file_descriptors` (with them), `compiler_version`; their responses are written
//! as protoc writes them (insertion points, continued files). Errors go to stderr as
//! protoc prints them (`file:line:column: message`, disk paths) with exit status 1, after
//! protoc's unused-import warnings (`file:line:column: warning: Import x.proto is unused.`)
//! for the files asked for.

pub mod args;
mod output;

use crate::frontend::{Compiler, FrontendError, DESCRIPTOR_PROTO_NAME, WELL_KNOWN_PROTOS};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use zpb::Message;

/// The protoc release whose `descriptor.proto` and behaviour the front end follows, as
/// `compiler_version` in plugin requests and in `--version`.
pub const COMPILER_VERSION: (i32, i32, i32, &str) = (36, 0, 0, "");

/// Runs the command line `args` (without the program name), reporting errors on `stderr`;
/// returns the exit status: 0, or 1 on any error, as protoc.
pub fn run(args: impl IntoIterator<Item = OsString>, stderr: &mut dyn Write) -> u8 {
    match run_inner(args, stderr) {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(stderr, "{}", message.trim_end());
            1
        }
    }
}

fn run_inner(
    args: impl IntoIterator<Item = OsString>,
    stderr: &mut dyn Write,
) -> Result<(), String> {
    let args = args::parse(args)?;
    if args.help {
        println!("{USAGE}");
        return Ok(());
    }
    if args.version {
        let (major, minor, _, _) = COMPILER_VERSION;
        println!("libprotoc {major}.{minor}");
        return Ok(());
    }
    for root in &args.proto_path {
        if !root.is_dir() {
            let _ = writeln!(
                stderr,
                "{}: warning: directory does not exist.",
                root.display()
            );
        }
    }
    if args.inputs.is_empty() {
        return Err("Missing input file.".to_string());
    }
    if args.outputs.is_empty() && args.descriptor_set_out.is_none() {
        return Err("Missing output directives.".to_string());
    }
    let names = args
        .inputs
        .iter()
        .map(|input| virtual_name(input, &args.proto_path))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let compiler = |source_info: bool, retain: bool| {
        Compiler::new(args.proto_path.clone())
            .include_source_info(source_info)
            .retain_options(retain)
    };
    let compile = |source_info: bool, retain: bool| {
        compiler(source_info, retain)
            .compile(&names)
            .map_err(|e| error_text(&e, &args.proto_path))
    };
    // Warnings (unused imports) first, as protoc prints them: also those of the files built
    // before an error.
    let mut warnings = Vec::new();
    let compiled = compiler(args.include_source_info, args.retain_options)
        .compile_reporting(&names, &mut warnings)
        .map_err(|e| error_text(&e, &args.proto_path));
    for warning in &warnings {
        let _ = writeln!(stderr, "{}", error_text(warning, &args.proto_path));
    }
    let compiled = compiled?;
    if !args.outputs.is_empty() {
        let stripped = compile(true, false)?;
        let with_options = compile(true, true)?;
        let request = output::request(&stripped, &with_options);
        // Generators writing to one directory share it: one may insert into another's file.
        let mut by_dir: Vec<(&Path, Vec<output::Chunk>)> = Vec::new();
        for directive in &args.outputs {
            let chunks = output::generate(&args, directive, &request)?;
            match by_dir
                .iter_mut()
                .find(|(d, _)| *d == directive.dir.as_path())
            {
                Some((_, all)) => all.extend(chunks),
                None => by_dir.push((&directive.dir, chunks)),
            }
        }
        for (dir, chunks) in &by_dir {
            output::write_files(dir, chunks)?;
        }
    }
    if let Some(path) = &args.descriptor_set_out {
        let bytes = compiled
            .descriptor_set(args.include_imports)
            .serialize_to_vec()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(path, bytes).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
    }
    Ok(())
}

const USAGE: &str = "Usage: zpb-protoc [OPTION] PROTO_FILES
  -IPATH, --proto_path=PATH   Directory in which to search for imports (repeatable).
  --version                   Show version info and exit.
  -h, --help                  Show this text and exit.
  -oFILE, --descriptor_set_out=FILE
                              Writes a FileDescriptorSet of the input files to FILE.
  --include_imports           With --descriptor_set_out, also include every import.
  --include_source_info       With --descriptor_set_out, keep SourceCodeInfo.
  --retain_options            Keep source-retention options in the descriptor set.
  --plugin=protoc-gen-NAME=PATH
                              The plugin run for --NAME_out.
  --NAME_out=[PARAMS:]DIR     Generate with plugin NAME into DIR (--zpb_out: zpb's Rust).
  --NAME_opt=PARAMS           More parameters for plugin NAME.";

/// The message of an I/O error without Rust's ` (os error N)` suffix, as protoc prints it.
fn io_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// `path` with `.` components and repeated separators dropped (protoc's canonical form).
fn canonical(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// The name under which input `input` is compiled, as protoc maps it: relative to the first
/// import root that is a prefix of it, else (a name that is not a file on disk) itself when
/// some root has it. The errors are protoc's.
fn virtual_name(input: &Path, roots: &[PathBuf]) -> Result<String, String> {
    let shown = input.display();
    let joined = |p: &Path| -> Option<String> {
        let parts: Vec<&str> = p
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then(|| parts.join("/"))
    };
    if !input.exists() {
        let name = joined(&canonical(input));
        if let Some(name) = name.filter(|n| roots.iter().any(|r| r.join(n).is_file())) {
            return Ok(name);
        }
        return Err(format!(
            "Could not make proto path relative: {shown}: No such file or directory"
        ));
    }
    let input_c = canonical(input);
    for (i, root) in roots.iter().enumerate() {
        let Ok(rest) = input_c.strip_prefix(canonical(root)) else {
            continue;
        };
        let Some(name) = joined(rest) else {
            continue;
        };
        if let Some(shadow) = roots[..i]
            .iter()
            .map(|r| r.join(&name))
            .find(|p| p.is_file())
        {
            return Err(format!(
                "{shown}: Input is shadowed in the --proto_path by \"{}\".  Either use the latter file as your input or reorder the --proto_path so that the former file's location comes first.",
                shadow.display()
            ));
        }
        return Ok(name);
    }
    Err(format!(
        "{shown}: File does not reside within any path specified using --proto_path (or -I).  You must specify a --proto_path which encompasses this file.  Note that the proto_path must be an exact prefix of the .proto file names -- protoc is too dumb to figure out when two paths (e.g. absolute and relative) are equivalent (it's harder than you think)."
    ))
}

/// Where the file compiled as `name` is on disk (protoc prints errors with it), if anywhere.
fn disk_name(name: &str, roots: &[PathBuf]) -> Option<PathBuf> {
    roots.iter().find_map(|root| {
        let path = root.join(name);
        path.is_file().then(|| {
            if canonical(root).as_os_str().is_empty() {
                PathBuf::from(name)
            } else {
                path
            }
        })
    })
}

/// A front-end error as protoc prints it: the file by its path on disk, and before an import
/// that was not found, protoc's line about the missing file.
fn error_text(e: &FrontendError, roots: &[PathBuf]) -> String {
    let mut shown = e.clone();
    if let Some(path) = disk_name(&e.file, roots) {
        shown.file = path.display().to_string();
    }
    let missing = e
        .message
        .strip_prefix("Import \"")
        .and_then(|m| m.strip_suffix("\" was not found or had errors."))
        .filter(|name| {
            disk_name(name, roots).is_none()
                && *name != DESCRIPTOR_PROTO_NAME
                && !WELL_KNOWN_PROTOS.iter().any(|(n, _)| n == name)
        });
    match missing {
        Some(name) => format!("{name}: File not found.\n{shown}"),
        None => shown.to_string(),
    }
}
