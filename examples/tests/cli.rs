//! The examples as a person runs them: the demo, the interactive client (`q` quits), and
//! usage errors.

mod support;

use std::io::Write;
use support::{num, Proc};

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
