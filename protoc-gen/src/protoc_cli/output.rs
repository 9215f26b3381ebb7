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

/// The request for every generator: `stripped` (source info, no source-retention options)
/// gives `proto_file`, `with_options` the `source_file_descriptors`; the parameter is set
/// per generator.
pub fn request(stripped: &Compiled, with_options: &Compiled) -> CodeGeneratorRequest {
    let mut request = CodeGeneratorRequest::default();
    for name in &stripped.requested {
        request.file_to_generate.push(name.clone());
    }
    for file in stripped.descriptor_set(true).file.iter() {
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

/// Runs the generator of `directive` on `request` and writes its files under its directory.
pub fn generate(
    args: &Args,
    directive: &Output,
    request: &CodeGeneratorRequest,
) -> Result<(), String> {
    let flag = format!("--{}_out", directive.name);
    let mut request = request.clone();
    if !directive.parameter.is_empty() {
        request.set_parameter(directive.parameter.clone());
    }
    let bytes = request
        .serialize_to_vec()
        .map_err(|e| format!("{flag}: encoding the request: {e}"))?;
    let response = match args.plugins.get(&directive.name) {
        None if directive.name == "zpb" => crate::plugin::respond(&bytes),
        found => {
            let program = found
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("protoc-gen-{}", directive.name)));
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
    write_files(&response, &directive.dir, &flag)
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

/// Writes the response's files under `dir`: a file without a name continues the previous
/// one, a file with an insertion point is inserted into a file of this response.
fn write_files(response: &CodeGeneratorResponse, dir: &Path, flag: &str) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("{}/: No such file or directory", dir.display()));
    }
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for file in response.file.iter() {
        let name = if file.name().is_empty() {
            last.clone().ok_or_else(|| {
                format!("{flag}: First file chunk returned by plugin did not have a name.")
            })?
        } else {
            file.name().to_string()
        };
        if name.starts_with('/') || name.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(format!("{flag}: Invalid output file name: {name}"));
        }
        if file.has_insertion_point() {
            let target = files.get_mut(&name).ok_or_else(|| {
                format!("{flag}: {name}: Tried to insert into file that doesn't exist.")
            })?;
            insert(target, file.insertion_point(), file.content())
                .map_err(|e| format!("{flag}: {name}: {e}"))?;
        } else if file.name().is_empty() {
            files
                .entry(name.clone())
                .or_default()
                .push_str(file.content());
        } else {
            if files.contains_key(&name) {
                return Err(format!(
                    "{flag}: {name}: Tried to write the same file twice."
                ));
            }
            files.insert(name.clone(), file.content().to_string());
        }
        last = Some(name);
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
