//! The protoc plugin: a `CodeGeneratorRequest` in, a `CodeGeneratorResponse` out, both
//! decoded and encoded with zpb's own generated types. The plugin declares proto3
//! `optional` and editions support (`FEATURE_SUPPORTS_EDITIONS`, editions 2023 and 2024).
//!
//! Parameters (`--zpb_opt=...`, comma-separated): `btree_map=PATH`, `bytes=PATH`, `boxed=PATH`,
//! `std_strings=PATH`, `compile_well_known_types`; see [`Config`].

use crate::config::Config;
use crate::descriptor::compiler::code_generator_response::{Feature, File};
use crate::descriptor::compiler::{CodeGeneratorRequest, CodeGeneratorResponse};
use crate::error::{Error, ErrorKind};
use crate::parse::Parsed;
use zpb::descriptor::{features, Edition, FileDescriptorSet};
use zpb::{Enumeration, Message};

/// Answers a serialized `CodeGeneratorRequest` with a serialized `CodeGeneratorResponse`.
/// Failures (an undecodable request, a bad parameter, an unsupported file) are reported in
/// the response's `error` field, as protoc expects.
///
/// ```
/// use zpb::Message;
/// let response = zpb_build::plugin::respond(b"\x0a\x05x.pro"); // file_to_generate, truncated
/// assert!(!response.is_empty());
/// ```
pub fn respond(request: &[u8]) -> Vec<u8> {
    let mut response = CodeGeneratorResponse::default();
    let features = Feature::Proto3Optional.to_i32() | Feature::SupportsEditions.to_i32();
    response.set_supported_features(features as u64);
    // protoc checks the range against `edition = "..."` files only (proto2 and proto3
    // files are always sent): editions 2023 to the newest whose features zpb resolves.
    response.set_minimum_edition(Edition::Edition2023.to_i32());
    response.set_maximum_edition(features::MAXIMUM_EDITION.to_i32());
    match generate(request) {
        Ok(files) => {
            for f in files {
                let file: &mut File = response.add_file();
                file.set_name(f.name);
                file.set_content(f.content);
            }
        }
        Err(e) => response.set_error(e.to_string()),
    }
    // A response with only strings and numbers always encodes.
    response.serialize_to_vec().unwrap_or_default()
}

fn generate(request: &[u8]) -> Result<Vec<crate::GeneratedFile>, Error> {
    let request = CodeGeneratorRequest::parse_from_slice(request).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot decode the CodeGeneratorRequest: {e}"),
        )
    })?;
    let config = config_from_parameter(request.parameter())?;
    let mut set = FileDescriptorSet::default();
    for f in request.proto_file.iter() {
        set.file.push(f.clone());
    }
    let parsed = Parsed {
        set,
        to_generate: request.file_to_generate.to_vec(),
        read: Vec::new(),
    };
    config.generate_parsed(&parsed)
}

/// Parses the plugin parameter (`btree_map=.pkg,bytes=.pkg.M.data`).
fn config_from_parameter(parameter: &str) -> Result<Config, Error> {
    let mut config = Config::new();
    for item in parameter
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match item.split_once('=') {
            Some(("btree_map", path)) => config.btree_map([path]),
            Some(("bytes", path)) => config.bytes([path]),
            Some(("boxed", path)) => config.boxed([path]),
            Some(("std_strings", path)) => config.std_strings([path]),
            None if item == "compile_well_known_types" => config.compile_well_known_types(),
            _ => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("unknown zpb plugin parameter `{item}` (expected btree_map=PATH, bytes=PATH, boxed=PATH, std_strings=PATH or compile_well_known_types)"),
                ))
            }
        };
    }
    Ok(config)
}
