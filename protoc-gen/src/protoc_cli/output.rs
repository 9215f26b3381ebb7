//! Running generators: the `CodeGeneratorRequest` as protoc builds it, the plugin process (or
//! zpb's generator in process), and the response's files written as protoc writes them.

use super::args::{Args, Output};
use super::io_text;
use crate::descriptor::compiler::code_generator_response::Feature;
use crate::descriptor::compiler::{CodeGeneratorRequest, CodeGeneratorResponse};
use crate::frontend::Compiled;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use zpb::descriptor::{features, DescriptorProto, Edition, FileDescriptorProto};
use zpb::{Enumeration, Message};

/// The request for every generator, as protoc builds it from compilations with source info,
/// without (`stripped`) and with (`with_options`) source-retention options: `proto_file` is
/// every file, imports first, the files to generate stripped of those options and imports
/// with them; `source_file_descriptors` the files to generate with them. The parameter is
/// set per generator.
pub fn request(stripped: &Compiled, with_options: &Compiled) -> CodeGeneratorRequest {
    let mut request = CodeGeneratorRequest::default();
    for name in &stripped.requested {
        request.file_to_generate.push(name.clone());
    }
    let generated = stripped.descriptor_set(false);
    for file in with_options.descriptor_set(true).file.iter() {
        let file = generated
            .file
            .iter()
            .find(|g| g.name() == file.name())
            .unwrap_or(file);
        request.proto_file.push(file.clone());
    }
    let full = with_options.descriptor_set(false);
    for file in full.file.iter() {
        request.source_file_descriptors.push(file.clone());
    }
    let (major, minor, patch, suffix) = super::COMPILER_VERSION;
    let version = request.compiler_version.mut_or_insert();
    version.major = Some(major);
    version.minor = Some(minor);
    version.patch = Some(patch);
    version.set_suffix(suffix.to_string());
    request
}

/// Runs the generator of `directive` on `request`; returns the chunks of its response.
pub fn generate(
    args: &Args,
    directive: &Output,
    request: &CodeGeneratorRequest,
) -> Result<Vec<Chunk>, String> {
    let flag = format!("--{}_out", directive.name);
    let mut request = request.clone();
    if !directive.parameter.is_empty() {
        request.set_parameter(directive.parameter.clone());
    }
    let bytes = request
        .serialize_to_vec()
        .map_err(|e| format!("{flag}: encoding the request: {e}"))?;
    let plugin = format!("protoc-gen-{}", directive.name);
    let response = match args.plugins.get(&plugin) {
        None if directive.name == "zpb" => crate::plugin::respond(&bytes),
        found => {
            let program = found.cloned().unwrap_or_else(|| PathBuf::from(&plugin));
            run_plugin(&program, &bytes, &flag)?
        }
    };
    let response = CodeGeneratorResponse::parse_from_slice(&response).map_err(|e| {
        format!(
            "{flag}: protoc-gen-{}: Plugin output is unparseable: {e}",
            directive.name
        )
    })?;
    if response.has_error() {
        return Err(format!("{flag}: {}", response.error()));
    }
    check_features(&request, &response, &flag)?;
    chunks(&response, &flag)
}

/// Runs `program` with `request` on stdin and returns its stdout.
fn run_plugin(program: &Path, request: &[u8], flag: &str) -> Result<Vec<u8>, String> {
    let name = program
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let failed = |code: i32| format!("{flag}: {name}: Plugin failed with status code {code}.");
    let mut child = Command::new(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|_| {
            format!(
                "{name}: program not found or is not executable\nPlease specify a program using absolute path or make sure the program is available in your PATH system variable\n{}",
                failed(1)
            )
        })?;
    // Writes on a thread, so a plugin answering before it has read everything cannot
    // deadlock against a full pipe.
    let mut stdin = child.stdin.take();
    let input = request.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{flag}: {name}: {}", io_text(&e)))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(match output.status.code() {
            Some(code) => failed(code),
            None => format!("{flag}: {name}: Plugin killed by signal."),
        });
    }
    Ok(output.stdout)
}

/// protoc's checks of what a generator declares it supports against the files to generate.
fn check_features(
    request: &CodeGeneratorRequest,
    response: &CodeGeneratorResponse,
    flag: &str,
) -> Result<(), String> {
    let supported = response.supported_features();
    let generated = request
        .proto_file
        .iter()
        .filter(|f| request.file_to_generate.iter().any(|n| n == f.name()));
    for file in generated {
        let name = file.name();
        if supported & Feature::Proto3Optional.to_i32() as u64 == 0 && has_proto3_optional(file) {
            return Err(format!("{name}: is a proto3 file that contains optional fields, but code generator {flag} hasn't been updated to support optional fields in proto3. Please ask the owner of this code generator to support proto3 optional."));
        }
        let edition = features::edition(file).map_err(|e| format!("{name}: {e}"))?;
        if edition.to_i32() < Edition::Edition2023.to_i32() {
            continue;
        }
        if supported & Feature::SupportsEditions.to_i32() as u64 == 0 {
            return Err(format!("{name}: is an editions file, but code generator {flag} hasn't been updated to support editions yet.  Please ask the owner of this code generator to add support or switch back to proto2/proto3.\n\nSee https://protobuf.dev/editions/overview/ for more information."));
        }
        if edition.to_i32() < response.minimum_edition() {
            return Err(format!("{name}: is a file using edition {edition:?}, which isn't supported by code generator {flag}.  Please upgrade your file to at least edition {}.", response.minimum_edition()));
        }
        if edition.to_i32() > response.maximum_edition() {
            return Err(format!("{name}: is a file using edition {edition:?}, which is later than the code generator {flag}'s maximum supported edition {}.", response.maximum_edition()));
        }
    }
    Ok(())
}

fn has_proto3_optional(file: &FileDescriptorProto) -> bool {
    fn message(m: &DescriptorProto) -> bool {
        m.field.iter().any(|f| f.proto3_optional())
            || m.extension.iter().any(|f| f.proto3_optional())
            || m.nested_type.iter().any(message)
    }
    file.message_type.iter().any(message) || file.extension.iter().any(|f| f.proto3_optional())
}

/// One piece of a response: a whole file, or text for an insertion point of one.
#[derive(Clone, Debug)]
pub struct Chunk {
    name: String,
    insertion_point: Option<String>,
    content: String,
}

/// The response's files as chunks: a file without a name continues the previous chunk.
fn chunks(response: &CodeGeneratorResponse, flag: &str) -> Result<Vec<Chunk>, String> {
    let mut out: Vec<Chunk> = Vec::new();
    for file in response.file.iter() {
        if file.name().is_empty() {
            let last = out.last_mut().ok_or_else(|| {
                format!("{flag}: First file chunk returned by plugin did not have a name.")
            })?;
            last.content.push_str(file.content());
            continue;
        }
        let name = file.name();
        if name.starts_with('/') || name.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(format!("{flag}: Invalid output file name: {name}"));
        }
        out.push(Chunk {
            name: name.to_string(),
            insertion_point: file
                .has_insertion_point()
                .then(|| file.insertion_point().to_string()),
            content: file.content().to_string(),
        });
    }
    Ok(out)
}

/// Writes the chunks of every generator writing to `dir`, as protoc does: whole files
/// first, then each insertion, in order, into a file of this run.
pub fn write_files(dir: &Path, chunks: &[Chunk]) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("{}/: No such file or directory", dir.display()));
    }
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for chunk in chunks.iter().filter(|c| c.insertion_point.is_none()) {
        if files.insert(&chunk.name, chunk.content.clone()).is_some() {
            return Err(format!(
                "{}: Tried to write the same file twice.",
                chunk.name
            ));
        }
    }
    for chunk in chunks {
        let Some(point) = &chunk.insertion_point else {
            continue;
        };
        let target = files.get_mut(chunk.name.as_str()).ok_or_else(|| {
            format!(
                "{}: Tried to insert into file that doesn't exist.",
                chunk.name
            )
        })?;
        insert(target, point, &chunk.content).map_err(|e| format!("{}: {e}", chunk.name))?;
    }
    for (name, content) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: {}", parent.display(), io_text(&e)))?;
        }
        std::fs::write(&path, content)
            .map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
    }
    Ok(())
}

/// Inserts `content` before the line holding `@@protoc_insertion_point(point)`, each line
/// indented as that line is.
fn insert(target: &mut String, point: &str, content: &str) -> Result<(), String> {
    let marker = format!("@@protoc_insertion_point({point})");
    let at = target
        .find(&marker)
        .ok_or_else(|| format!("insertion point \"{point}\" not found."))?;
    let line_start = target[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = target[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let mut inserted = String::new();
    for line in content.split_inclusive('\n') {
        if line != "\n" {
            inserted.push_str(&indent);
        }
        inserted.push_str(line);
    }
    if !inserted.is_empty() && !inserted.ends_with('\n') {
        inserted.push('\n');
    }
    target.insert_str(line_start, &inserted);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::insert;

    #[test]
    fn insertion_keeps_indentation() {
        let mut file = "a\n  // @@protoc_insertion_point(x)\nb\n".to_string();
        insert(&mut file, "x", "one\n\ntwo").unwrap();
        assert_eq!(
            file,
            "a\n  one\n\n  two\n  // @@protoc_insertion_point(x)\nb\n"
        );
        assert!(insert(&mut file, "y", "z").is_err());
    }
}
