//! `zpb-protoc` against protoc (grpcio-tools' libprotoc) as a process: descriptor sets
//! byte-identical on a sample of protobuf v36.0's files (alone, with imports, with source
//! info), the same `CodeGeneratorRequest` for a plugin (a Python test plugin that sends back
//! the request's bytes) and the same generated files (`protoc-gen-zpb` behind both, and the
//! built-in `--zpb_out`), and the same stderr and exit status for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zpb::Message;
use zpb_build::descriptor::compiler::CodeGeneratorRequest;

/// Sample files protoc accepts: at least this many (all must be identical in every mode).
const FLOOR_SAMPLE: usize = 34;

fn zpb_protoc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zpb-protoc"))
}

fn v36_src() -> PathBuf {
    zpb_test_support::repo_root().join("../shared/testdata/protobuf-v36/src")
}

fn frontend_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/frontend")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zpb-protoc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(mut cmd: Command, args: &[String]) -> Output {
    cmd.args(args).output().expect("run the compiler")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`, sorted, as paths.
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

#[test]
fn descriptor_sets_equal_protocs_on_a_corpus_sample() {
    let Some(python) = zpb_test_support::python("zpb-protoc against protoc") else {
        return;
    };
    let src = v36_src();
    let mut files = Vec::new();
    proto_files(&src.join("google/protobuf"), &mut files);
    assert!(!files.is_empty(), "no corpus under {}", src.display());
    let dir = scratch("sample");
    let modes: [&[&str]; 3] = [
        &[],
        &["--include_imports"],
        &["--include_imports", "--include_source_info"],
    ];
    let (mut identical, mut accepted, mut sampled) = (0, 0, 0);
    for file in files.iter().step_by(2) {
        sampled += 1;
        let mut equal_in = 0;
        for mode in modes {
            let theirs_out = dir.join("protoc.pb");
            let ours_out = dir.join("zpb.pb");
            let args = |out: &Path| -> Vec<String> {
                let mut a = vec![
                    format!("-I{}", src.display()),
                    format!("--descriptor_set_out={}", out.display()),
                ];
                a.extend(mode.iter().map(|m| m.to_string()));
                a.push(file.display().to_string());
                a
            };
            let theirs = run(zpb_test_support::protoc(&python), &args(&theirs_out));
            let ours = run(zpb_protoc(), &args(&ours_out));
            assert_eq!(
                theirs.status.success(),
                ours.status.success(),
                "{}: protoc {:?}, zpb-protoc {:?}: {}{}",
                file.display(),
                theirs.status,
                ours.status,
                stderr(&theirs),
                stderr(&ours)
            );
            if !theirs.status.success() {
                break;
            }
            if std::fs::read(&theirs_out).unwrap() == std::fs::read(&ours_out).unwrap() {
                equal_in += 1;
            } else {
                eprintln!("differs: {} {mode:?}", file.display());
            }
        }
        if dir.join("protoc.pb").exists() {
            accepted += 1;
            identical += usize::from(equal_in == modes.len());
        }
        let _ = std::fs::remove_file(dir.join("protoc.pb"));
    }
    eprintln!(
        "zpb-protoc: {identical} identical / {accepted} accepted by protoc / {sampled} sampled"
    );
    assert_eq!(
        identical, accepted,
        "every file protoc accepts is identical"
    );
    assert!(accepted >= FLOOR_SAMPLE, "{accepted} accepted / {sampled}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Several files on one command line, with `--retain_options`: the requested files in
/// dependency order (zoo3 imports zoo2, zoo2024 imports zoo2023), custom options as their
/// statements set them (zoo2's `(ints) = 1, (ints) = 2`, `(agg).a = 7, (agg).next.a = 8`).
#[test]
fn descriptor_sets_of_several_files_and_retained_options_equal_protocs() {
    let Some(python) = zpb_test_support::python("zpb-protoc several files against protoc") else {
        return;
    };
    let dir = scratch("several");
    let modes: [&[&str]; 4] = [
        &[],
        &["--retain_options"],
        &["--retain_options", "--include_source_info"],
        &["--retain_options", "--include_imports"],
    ];
    let inputs = ["zoo3.proto", "zoo2024.proto", "zoo2.proto", "zoo2023.proto"];
    for mode in modes {
        let args = |out: &Path| -> Vec<String> {
            let mut a = vec![
                format!("-I{}", frontend_dir().display()),
                format!("-I{}", v36_src().display()),
                format!("--descriptor_set_out={}", out.display()),
            ];
            a.extend(mode.iter().map(|m| m.to_string()));
            a.extend(inputs.iter().map(|s| s.to_string()));
            a
        };
        let (theirs_out, ours_out) = (dir.join("protoc.pb"), dir.join("zpb.pb"));
        let theirs = run(zpb_test_support::protoc(&python), &args(&theirs_out));
        assert!(theirs.status.success(), "protoc: {}", stderr(&theirs));
        let ours = run(zpb_protoc(), &args(&ours_out));
        assert!(ours.status.success(), "zpb-protoc: {}", stderr(&ours));
        assert!(
            std::fs::read(&theirs_out).unwrap() == std::fs::read(&ours_out).unwrap(),
            "{mode:?}: descriptor sets differ"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A protoc plugin in Python that answers with the raw request (hex) and, per file to
/// generate, a file filled in through an insertion point.
fn test_plugin(python: &Path, dir: &Path) -> PathBuf {
    let path = dir.join("protoc-gen-echo");
    let script = format!(
        r#"#!{}
import sys
from google.protobuf.compiler import plugin_pb2
raw = sys.stdin.buffer.read()
req = plugin_pb2.CodeGeneratorRequest.FromString(raw)
resp = plugin_pb2.CodeGeneratorResponse()
resp.supported_features = 3
resp.minimum_edition = 998
resp.maximum_edition = 1001
f = resp.file.add(); f.name = "request.hex"; f.content = raw.hex()
for name in req.file_to_generate:
    f = resp.file.add(); f.name = "out/" + name + ".txt"; f.content = "begin\n  // @@protoc_insertion_point(here)\nend\n"
    f = resp.file.add(); f.name = "out/" + name + ".txt"; f.insertion_point = "here"; f.content = "param " + req.parameter + "\n"
    f = resp.file.add(); f.content = "appended\n"
sys.stdout.buffer.write(resp.SerializeToString())
"#,
        python.display()
    );
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Every file under `dir` with its contents, relative names sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let name = p.strip_prefix(root).unwrap().display().to_string();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn plugin_args(plugin: &Path, out: &Path, inputs: &[&str]) -> Vec<String> {
    let mut a = vec![
        format!("-I{}", frontend_dir().display()),
        format!("-I{}", v36_src().display()),
        format!("--plugin=protoc-gen-echo={}", plugin.display()),
        format!("--echo_out=a=1:{}", out.display()),
        "--echo_opt=b".to_string(),
    ];
    a.extend(inputs.iter().map(|s| s.to_string()));
    a
}

#[test]
fn plugins_get_protocs_request_and_write_the_same_files() {
    let Some(python) = zpb_test_support::python("zpb-protoc plugins against protoc") else {
        return;
    };
    let dir = scratch("plugin");
    let plugin = test_plugin(&python, &dir);
    // zoo2.proto sets custom options statement by statement (`(ints) = 1, (ints) = 2`,
    // `(agg).a = 7, (agg).next.a = 8`), which `source_file_descriptors` keep unmerged.
    let inputs = [
        "zoo2.proto",
        "zoo2024.proto",
        "google/protobuf/unittest.proto",
    ];
    let (theirs_dir, ours_dir) = (dir.join("protoc"), dir.join("zpb"));
    std::fs::create_dir_all(&theirs_dir).unwrap();
    std::fs::create_dir_all(&ours_dir).unwrap();
    let theirs = run(
        zpb_test_support::protoc(&python),
        &plugin_args(&plugin, &theirs_dir, &inputs),
    );
    assert!(theirs.status.success(), "protoc: {}", stderr(&theirs));
    let ours = run(zpb_protoc(), &plugin_args(&plugin, &ours_dir, &inputs));
    assert!(ours.status.success(), "zpb-protoc: {}", stderr(&ours));

    let request = |d: &Path| {
        let hex = std::fs::read_to_string(d.join("request.hex")).unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        CodeGeneratorRequest::parse_from_slice(&bytes).unwrap()
    };
    let (mut theirs_req, mut ours_req) = (request(&theirs_dir), request(&ours_dir));
    assert_eq!(ours_req.parameter(), "a=1,b");
    let v = ours_req.compiler_version();
    let (major, minor, patch, suffix) = zpb_build::protoc_cli::COMPILER_VERSION;
    assert_eq!(
        (v.major(), v.minor(), v.patch(), v.suffix()),
        (major, minor, patch, suffix)
    );
    assert!(theirs_req.has_compiler_version());
    theirs_req.clear_compiler_version();
    ours_req.clear_compiler_version();
    assert_eq!(theirs_req.file_to_generate, ours_req.file_to_generate);
    let names = |r: &CodeGeneratorRequest| -> Vec<String> {
        r.proto_file.iter().map(|f| f.name().to_string()).collect()
    };
    assert_eq!(names(&theirs_req), names(&ours_req), "proto_file order");
    for (t, o) in theirs_req.proto_file.iter().zip(ours_req.proto_file.iter()) {
        assert!(t == o, "proto_file {} differs", t.name());
    }
    assert_eq!(
        theirs_req.source_file_descriptors.len(),
        ours_req.source_file_descriptors.len()
    );
    for (t, o) in theirs_req
        .source_file_descriptors
        .iter()
        .zip(ours_req.source_file_descriptors.iter())
    {
        assert!(t == o, "source_file_descriptors {} differs", t.name());
    }
    assert_eq!(
        theirs_req.serialize_to_vec().unwrap(),
        ours_req.serialize_to_vec().unwrap(),
        "the whole request, byte for byte"
    );
    std::fs::remove_file(theirs_dir.join("request.hex")).unwrap();
    std::fs::remove_file(ours_dir.join("request.hex")).unwrap();
    let files = tree(&ours_dir);
    assert_eq!(files.len(), inputs.len());
    assert_eq!(
        String::from_utf8_lossy(&files[0].1),
        "begin\n  param a=1,b\n  appended\n  // @@protoc_insertion_point(here)\nend\n"
    );
    assert_eq!(tree(&theirs_dir), files);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zpb_generator_gives_the_same_files_through_both() {
    let Some(python) = zpb_test_support::python("zpb-protoc --zpb_out against protoc") else {
        return;
    };
    let dir = scratch("zpb");
    let plugin = PathBuf::from(env!("CARGO_BIN_EXE_protoc-gen-zpb"));
    let inputs = ["zoo3.proto", "zoo2023.proto"];
    let outs = ["protoc", "plugin", "builtin"].map(|d| {
        let d = dir.join(d);
        std::fs::create_dir_all(&d).unwrap();
        d
    });
    let args = |out: &Path, with_plugin: bool| {
        let mut a = vec![
            format!("-I{}", frontend_dir().display()),
            format!("-I{}", v36_src().display()),
            format!("--zpb_out={}", out.display()),
        ];
        if with_plugin {
            a.push(format!("--plugin=protoc-gen-zpb={}", plugin.display()));
        }
        a.extend(inputs.iter().map(|s| s.to_string()));
        a
    };
    for (i, out) in outs.iter().enumerate() {
        let cmd = if i == 0 {
            zpb_test_support::protoc(&python)
        } else {
            zpb_protoc()
        };
        let o = run(cmd, &args(out, i < 2));
        assert!(o.status.success(), "{}: {}", out.display(), stderr(&o));
    }
    let reference = tree(&outs[0]);
    assert!(!reference.is_empty());
    assert_eq!(
        tree(&outs[1]),
        reference,
        "protoc-gen-zpb behind zpb-protoc"
    );
    assert_eq!(tree(&outs[2]), reference, "the built-in --zpb_out");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_match_protocs_stderr_and_status() {
    let Some(python) = zpb_test_support::python("zpb-protoc errors against protoc") else {
        return;
    };
    let dir = scratch("errors");
    let d = dir.join("d");
    std::fs::create_dir_all(&d).unwrap();
    let files = [
        (
            "syntax.proto",
            "syntax = \"proto3\";\nmessage M {\n  int32 x = ;\n}\n",
        ),
        (
            "unresolved.proto",
            "syntax = \"proto3\";\nmessage M {\n  Nope n = 1;\n}\n",
        ),
        (
            "dup.proto",
            "syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n  int32 b = 1;\n}\n",
        ),
        (
            "missing.proto",
            "syntax = \"proto3\";\nimport \"nope.proto\";\n",
        ),
        (
            "cycle.proto",
            "syntax = \"proto3\";\nimport \"cycle.proto\";\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(d.join(name), text).unwrap();
    }
    let out = dir.join("x.pb").display().to_string();
    let di = format!("-I{}", d.display());
    let mut cases: Vec<Vec<String>> = files
        .iter()
        .map(|(name, _)| {
            vec![
                di.clone(),
                format!("-o{out}"),
                d.join(name).display().to_string(),
            ]
        })
        .collect();
    cases.extend([
        vec![di.clone(), d.join("syntax.proto").display().to_string()],
        vec![di.clone()],
        vec!["--bogus".to_string()],
        vec!["--bogus=1".to_string()],
        vec![
            di.clone(),
            format!("-o{out}"),
            d.join("absent.proto").display().to_string(),
        ],
        vec![
            "-I/nonexistent-zpb".to_string(),
            format!("-o{out}"),
            d.join("syntax.proto").display().to_string(),
        ],
        vec![
            di.clone(),
            format!("--plugin=protoc-gen-none={}", dir.join("none").display()),
            format!("--none_out={}", dir.display()),
            d.join("dup.proto").display().to_string(),
        ],
    ]);
    for args in cases {
        let theirs = run(zpb_test_support::protoc(&python), &args);
        let ours = run(zpb_protoc(), &args);
        assert_eq!(ours.status.code(), Some(1), "{args:?}: {}", stderr(&ours));
        assert_eq!(theirs.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&ours), stderr(&theirs), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// protoc's unused-import warnings, for the files asked for only, also before an error in a
/// later file; public imports and imports used through one, by a type, an extendee or a
/// custom option (any option uses `descriptor.proto`) are not reported. (protoc orders one
/// file's warnings by a hash set: the lines are compared sorted.)
#[test]
fn unused_import_warnings_match_protocs() {
    let Some(python) = zpb_test_support::python("zpb-protoc warnings against protoc") else {
        return;
    };
    let dir = scratch("warnings");
    let files = [
        ("c.proto", "syntax = \"proto3\";\npackage c;\nmessage C {}\n"),
        ("b.proto", "syntax = \"proto3\";\npackage b;\nimport public \"c.proto\";\n"),
        (
            "a.proto",
            "syntax = \"proto3\";\npackage a;\nimport \"b.proto\";\nimport \"google/protobuf/descriptor.proto\";\nimport weak \"google/protobuf/empty.proto\";\nimport \"google/protobuf/any.proto\";\nmessage A { c.C x = 1; }\n",
        ),
        (
            "opts.proto",
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FieldOptions { optional int32 myopt = 50000; }\n",
        ),
        (
            "o.proto",
            "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\nimport \"opts.proto\";\nimport \"google/protobuf/empty.proto\";\nmessage O { int32 x = 1 [(myopt) = 3]; }\n",
        ),
        (
            "dup.proto",
            "syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n  int32 b = 1;\n}\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = dir.join("x.pb").display().to_string();
    let lines = |o: &Output| {
        let mut l: Vec<String> = stderr(o).lines().map(str::to_string).collect();
        l.sort();
        l
    };
    for inputs in [
        &["a.proto", "o.proto"][..],
        &["o.proto", "dup.proto"],
        &["b.proto", "opts.proto"],
    ] {
        let mut args = vec![
            format!("-I{}", dir.display()),
            format!("-I{}", v36_src().display()),
            format!("-o{out}"),
        ];
        args.extend(inputs.iter().map(|s| s.to_string()));
        let theirs = run(zpb_test_support::protoc(&python), &args);
        let ours = run(zpb_protoc(), &args);
        assert_eq!(ours.status.code(), theirs.status.code(), "{inputs:?}");
        assert_eq!(lines(&ours), lines(&theirs), "{inputs:?}");
        assert!(
            !lines(&ours).is_empty() || inputs[0] == "b.proto",
            "{inputs:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
