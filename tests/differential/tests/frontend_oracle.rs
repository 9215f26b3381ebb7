//! zpb's `.proto` front end against an independent one, protobuf-parse's pure-Rust parser:
//! for every file of protobuf v36.0, the shared test protos and the front end's zoo that
//! protobuf-parse can read, the `FileDescriptorProto`s (without source info) must be equal.
//! protobuf-parse's two known departures from protoc are undone first (it writes
//! `syntax = "proto2"`, which protoc leaves unset, and empty options messages for options it
//! does not interpret). Prints "N equal / M readable by protobuf-parse / T total" and the
//! first differences; fails when the count of equal files drops below its floor (protoc
//! itself is the main oracle: `zpb-build`'s `frontend_corpus` test).

use std::path::{Path, PathBuf};

use zpb::descriptor::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};
use zpb::Message;
use zpb_build::frontend::Compiler;

/// Files protobuf-parse reads whose descriptor equals the front end's: at least this many.
const FLOOR_EQUAL: usize = 200;

fn proto_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            proto_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

/// One file: its import roots (the first holds it) and its name under that root.
fn entries() -> Vec<(Vec<PathBuf>, String)> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = repo.join("../shared/testdata");
    let v36 = shared.join("protobuf-v36");
    let src = v36.join("src");
    let mut out = Vec::new();
    let mut files = Vec::new();
    proto_files(&v36, &mut files);
    proto_files(&shared.join("protos"), &mut files);
    proto_files(&repo.join("protoc-gen/tests/frontend"), &mut files);
    for path in files {
        let (root, name) = match path.strip_prefix(&src) {
            Ok(rest) => (src.clone(), rest.to_path_buf()),
            Err(_) => (
                path.parent().unwrap().to_path_buf(),
                PathBuf::from(path.file_name().unwrap()),
            ),
        };
        let roots = vec![root, src.clone(), v36.clone()];
        out.push((roots, name.to_string_lossy().replace('\\', "/")));
    }
    out
}

/// Clears `slot` when it holds an options message with nothing set.
fn drop_empty<M: Message>(slot: &mut zpb::Optional<M>) {
    if slot
        .get_mut()
        .is_some_and(|m| m.serialize_to_vec().is_ok_and(|b| b.is_empty()))
    {
        slot.take();
    }
}

fn normalize_message(m: &mut DescriptorProto) {
    drop_empty(&mut m.options);
    for f in m.field.iter_mut().chain(m.extension.iter_mut()) {
        drop_empty(&mut f.options);
    }
    for o in m.oneof_decl.iter_mut() {
        drop_empty(&mut o.options);
    }
    for r in m.extension_range.iter_mut() {
        drop_empty(&mut r.options);
    }
    m.enum_type.iter_mut().for_each(normalize_enum);
    m.nested_type.iter_mut().for_each(normalize_message);
}

fn normalize_enum(e: &mut EnumDescriptorProto) {
    drop_empty(&mut e.options);
    for v in e.value.iter_mut() {
        drop_empty(&mut v.options);
    }
}

/// protobuf-parse's descriptor with its departures from protoc undone.
fn normalize(file: &mut FileDescriptorProto) {
    if file.syntax() == "proto2" {
        file.clear_syntax();
    }
    drop_empty(&mut file.options);
    file.message_type.iter_mut().for_each(normalize_message);
    file.enum_type.iter_mut().for_each(normalize_enum);
    for f in file.extension.iter_mut() {
        drop_empty(&mut f.options);
    }
    for s in file.service.iter_mut() {
        drop_empty(&mut s.options);
        for m in s.method.iter_mut() {
            drop_empty(&mut m.options);
        }
    }
}

/// protobuf-parse's descriptor of `name`, re-encoded and decoded as zpb's type.
fn oracle(roots: &[PathBuf], name: &str) -> Option<FileDescriptorProto> {
    let mut parser = protobuf_parse::Parser::new();
    parser.pure().includes(roots).input(roots[0].join(name));
    let parsed = std::panic::catch_unwind(|| parser.parse_and_typecheck())
        .ok()?
        .ok()?;
    let file = parsed.file_descriptors.iter().find(|f| f.name() == name)?;
    let bytes = protobuf::Message::write_to_bytes(file).ok()?;
    let mut file = FileDescriptorProto::parse_from_slice(&bytes).ok()?;
    normalize(&mut file);
    Some(file)
}

#[test]
fn front_end_equals_protobuf_parse_where_it_reads() {
    let all = entries();
    assert!(all.len() > 400, "corpus missing: {} files", all.len());
    let (mut equal, mut readable) = (0, 0);
    let mut shown = 0;
    for (roots, name) in &all {
        let Some(theirs) = oracle(roots, name) else {
            continue;
        };
        readable += 1;
        let ours = Compiler::new(roots.clone())
            .compile(&[name.as_str()])
            .ok()
            .and_then(|c| c.files.into_iter().find(|f| f.name() == name));
        let same = ours
            .as_ref()
            .is_some_and(|o| o.serialize_to_vec().ok() == theirs.serialize_to_vec().ok());
        if same {
            equal += 1;
        } else if shown < 10 {
            shown += 1;
            eprintln!("differs: {name} (zpb compiled it: {})", ours.is_some());
        }
    }
    eprintln!(
        "front end vs protobuf-parse: {equal} equal / {readable} readable by protobuf-parse / {} total",
        all.len()
    );
    assert!(equal >= FLOOR_EQUAL, "{equal} equal / {readable} readable");
}
