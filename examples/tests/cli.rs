//! The examples as a person runs them: the demo, the interactive client (`q` quits), and
//! usage errors.

mod support;

use std::io::Write;
use std::path::Path;
use support::{num, Proc};
use zpb_examples::EXAMPLES;

#[test]
fn demo_runs_every_pattern_and_exits_zero() {
    for framing in ["delimited", "raw"] {
        let demo = Proc::rust(&[
            "demo",
            "--framing",
            framing,
            "--requests",
            "300",
            "--events",
            "900",
        ]);
        let (status, _) = demo.finish_with_output(|output| {
            let text = output.join("\n");
            for expected in [
                "rogue peer sent 3 bytes of garbage, was answered \"error:",
                "server: answered 300 requests and 1 bad one",
                "missed 450 before joining, 0 after",
                // Delivered at the subscribers: 900 to everything, 900 to news. and weather
                // together, 450 to the late joiner.
                "4 subscribers received 2250 events, ",
                "events/s delivered (measured at the subscribers)",
                "600 acknowledged",
                "sink: 600 distinct results",
                "every task took effect exactly once at the sink, despite the crash",
                "memory held by the receive loops",
                "done: every pattern delivered what it promised",
            ] {
                assert!(
                    text.contains(expected),
                    "{framing}: no {expected:?} in\n{text}"
                );
            }
        });
        assert!(status.success(), "{framing}: {status}");
    }
}

#[test]
fn interactive_client_sends_lines_until_q() {
    let mut server = Proc::rust(&["req_rep", "server", "--bind", "tcp://127.0.0.1:*"]);
    let endpoint = server.endpoint("bound");
    let mut client = Proc::rust(&["req_rep", "client", "--connect", &endpoint]);
    client.line("type a line");
    client.stdin().write_all(b"hello\n").unwrap();
    assert_eq!(client.line("reply"), "reply 1: server response!");
    assert_eq!(server.line("request"), r#"request 1: "hello""#);
    client
        .stdin()
        .write_all(b"second line\nq\nnever sent\n")
        .unwrap();
    assert_eq!(client.line("reply"), "reply 2: server response!");
    assert_eq!(num(&client.success(), "round_trips"), 2);
    assert_eq!(server.line("request"), r#"request 2: "second line""#);
    server.kill();
}

#[test]
fn bad_usage_exits_with_2() {
    for args in [
        &["req_rep"][..],
        &["req_rep", "server", "--no-such-option", "1"],
        &["pub_sub", "subscriber", "--framing", "json"],
        &["pipeline", "sink", "--count"],
        &["nonsense"],
    ] {
        let (status, _) = Proc::rust(args).finish();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

/// The options an example reads (`args.value("count", ...)`, `args.flag("quiet")`, ...),
/// found in its source.
fn options_read(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in source.match_indices("args.") {
        let rest = &source[i + "args.".len()..];
        let method_len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(0);
        let Some(quoted) = rest[method_len..].strip_prefix("(\"") else {
            continue;
        };
        let name = &quoted[..quoted.find('"').unwrap()];
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

#[test]
fn every_example_answers_help_with_every_option() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (name, _, _) in EXAMPLES {
        for help in ["--help", "-h"] {
            let (status, _) = Proc::rust(&[name, help]).finish_with_output(|output| {
                let text = output.join("\n");
                assert!(text.starts_with(&format!("usage: {name}")), "{text}");
                let source = std::fs::read_to_string(src.join(format!("{name}.rs"))).unwrap();
                let options = options_read(&source);
                assert!(
                    !options.is_empty(),
                    "{name}: no options found in its source"
                );
                for option in options {
                    // Each option is described on a line of its own, not only listed.
                    let described = text
                        .lines()
                        .any(|l| l.trim_start().starts_with(&format!("--{option} ")));
                    assert!(
                        described,
                        "{name} {help}: --{option} is not described:\n{text}"
                    );
                }
            });
            assert_eq!(status.code(), Some(0), "{name} {help}");
        }
        // After a role too, and before bad options: help wins.
        let (status, _) = Proc::rust(&[name, "server", "--no-such", "--help"]).finish();
        assert_eq!(status.code(), Some(0), "{name}");
    }
    let (status, _) = Proc::rust(&["--help"]).finish_with_output(|output| {
        for (name, _, _) in EXAMPLES {
            assert!(output[0].contains(name), "{output:?}");
        }
    });
    assert_eq!(status.code(), Some(0));
    // The scan finds what the issue asked for (so the check above checks something).
    let pub_sub = options_read(&std::fs::read_to_string(src.join("pub_sub.rs")).unwrap());
    for option in ["wait-ms", "settle-ms", "subscribers", "quiet", "framing"] {
        assert!(pub_sub.iter().any(|o| o == option), "{pub_sub:?}");
    }
}

/// Each `cargo run --example NAME` is the tested entry point `zpb_examples::run("NAME")`,
/// and every example has one.
#[test]
fn every_cargo_example_is_run_by_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut names: Vec<String> = EXAMPLES.iter().map(|(n, _, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(files, names);
    for name in names {
        let source = std::fs::read_to_string(dir.join(format!("{name}.rs"))).unwrap();
        assert!(
            source.contains(&format!(
                "zpb_examples::run(\"{name}\", std::env::args().skip(1))"
            )),
            "examples/{name}.rs does not run {name}"
        );
    }
}
