//! RPC between Rust and Python (pyzmq + Google's protobuf, `examples/python/rpc_*.py`), both
//! ways: many calls in flight answered out of order, a server stream, typed errors. The
//! Python half is skipped (with a note) when the project's venv is missing, unless
//! `ZPB_REQUIRE_PYTHON=1`. Run with `--features zmq`.
#![cfg(feature = "zmq")]

mod rpc_greeter;

use rpc_greeter::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use zpb::transport::rpc::{Client, ClientOptions, Code, RpcError, Server, ServerOptions};
use zpb::transport::zmq;
use zpb::well_known::{MethodDescriptor, ServiceDescriptor};

/// How long a Python peer may take to say what is expected.
const PATIENCE: Duration = Duration::from_secs(60);

/// The venv's Python and a directory holding `greeter_pb2.py` and `seed_pb2.py`, or `None`
/// to skip.
fn python() -> Option<(PathBuf, PathBuf)> {
    let python = zpb_test_support::python("the Rust ↔ Python RPC tests")?;
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "rpc_pb2-{}-{:?}",
        std::process::id(),
        thread::current().id()
    ));
    std::fs::create_dir_all(&out).unwrap();
    let proto = zpb_test_support::repo_root().join("examples/proto");
    let status = zpb_test_support::protoc(&python)
        .arg(format!("-I{}", proto.display()))
        .arg(format!("--python_out={}", out.display()))
        .arg(proto.join("greeter.proto"))
        // For `seed_common`, whose conventions the peers share.
        .arg(proto.join("seed.proto"))
        .status()
        .expect("run grpc_tools.protoc");
    assert!(status.success(), "protoc --python_out failed");
    Some((python, out))
}

/// A Python peer whose output lines are read on a thread; killed on drop.
struct Peer {
    child: Child,
    lines: Receiver<String>,
    output: Vec<String>,
}

impl Peer {
    fn start((python, pb2): &(PathBuf, PathBuf), script: &str, args: &[&str]) -> Peer {
        let mut child = Command::new(python)
            .arg(
                zpb_test_support::repo_root()
                    .join("examples/python")
                    .join(script),
            )
            .args(args)
            .env("PYTHONPATH", pb2)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {script}: {e}"));
        let (tx, lines) = mpsc::channel();
        let err_tx = tx.clone();
        let stderr = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = err_tx.send(format!("stderr: {line}"));
            }
        });
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Peer {
            child,
            lines,
            output: Vec::new(),
        }
    }

    /// The first line starting with `prefix`.
    fn line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.output.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(e) => panic!(
                    "no {prefix:?} line ({e}); output:\n{}",
                    self.output.join("\n")
                ),
            }
        }
    }

    /// Waits for a successful exit and returns the `summary:` line's pairs.
    fn summary(mut self) -> BTreeMap<String, String> {
        let line = self.line("summary:");
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the peer does not exit");
            thread::sleep(Duration::from_millis(20));
        };
        assert!(
            status.success(),
            "{status}; output:\n{}",
            self.output.join("\n")
        );
        line["summary:".len()..]
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn rust_client_python_server() {
    let Some(python) = python() else { return };
    const CALLS: u32 = 200;
    const IN_FLIGHT: u32 = 16;
    // CALLS unary calls, a stream, a failing call and an unknown method.
    let total = (CALLS + 3).to_string();
    let mut server = Peer::start(
        &python,
        "rpc_server.py",
        &["--bind", "tcp://127.0.0.1:*", "--calls", &total],
    );
    let bound = server.line("bound ");
    let endpoint = bound["bound ".len()..].trim().to_string();
    let ctx = zmq::Context::new();
    let options = ClientOptions {
        timeout: Duration::from_secs(30),
        ..ClientOptions::default()
    };
    let mut greeter = GreeterClient::new(&ctx, options).unwrap();
    greeter.connect(&endpoint).unwrap();

    // Many in flight; the Python server answers quicker calls first.
    let client = greeter.inner();
    let mut reply = HelloReply::default();
    let mut served = Vec::new();
    for batch in 0..CALLS / IN_FLIGHT + 1 {
        let first = batch * IN_FLIGHT;
        let ids: Vec<_> = (first..(first + IN_FLIGHT).min(CALLS))
            .map(|i| {
                let request = HelloRequest {
                    name: format!("rust {i}").into(),
                    delay_ms: (IN_FLIGHT - i % IN_FLIGHT) * 3,
                    ..HelloRequest::default()
                };
                (i, client.start(GreeterClient::SAY_HELLO, &request).unwrap())
            })
            .collect();
        for (i, id) in ids {
            client.finish(id, &mut reply).unwrap();
            assert_eq!(reply.message, format!("Hello, rust {i}!"));
            served.push(reply.served);
        }
    }
    assert_eq!(served.len(), CALLS as usize);
    assert!(
        !served.windows(2).all(|w| w[0] < w[1]),
        "answered in call order"
    );

    // A stream.
    let request = HelloRequest {
        count: 50,
        ..hello("rust")
    };
    let mut stream = greeter.lots_of_replies(&request).unwrap();
    let mut n = 0;
    while stream.next(&mut reply).unwrap() {
        assert_eq!(
            (reply.index, reply.message.as_str()),
            (n, &*format!("Hello, rust #{n}"))
        );
        n += 1;
    }
    assert_eq!(n, 50);
    drop(stream);

    // Typed errors.
    let failing = HelloRequest {
        fail_code: 5,
        ..hello("rust")
    };
    match greeter.say_hello_owned(&failing) {
        Err(RpcError::Status(s)) => {
            assert_eq!(
                (s.code, s.message.as_str()),
                (Code::NotFound, "rust asked to fail")
            )
        }
        other => panic!("{:?}", other.map(|r| r.message)),
    }
    const OTHER: ServiceDescriptor = ServiceDescriptor {
        name: "zpb.examples.rpc.Greeter",
        methods: &[MethodDescriptor {
            name: "SayGoodbye",
            input_type: "zpb.examples.rpc.HelloRequest",
            output_type: "zpb.examples.rpc.HelloReply",
            client_streaming: false,
            server_streaming: false,
        }],
    };
    let mut other = Client::new(&ctx, &OTHER, ClientOptions::default()).unwrap();
    other.connect(&endpoint).unwrap();
    let err = other.call(0, &hello("x"), &mut reply).unwrap_err();
    assert_eq!(err.code(), Some(Code::Unimplemented), "{err}");

    let summary = server.summary();
    assert_eq!(summary["ok"], (CALLS + 1).to_string());
    assert_eq!(
        (summary["failed"].as_str(), summary["dropped"].as_str()),
        ("2", "0")
    );
}

#[test]
fn python_client_rust_server() {
    let Some(python) = python() else { return };
    let ctx = zmq::Context::new();
    let hello = Arc::new(Hello::default());
    let options = ServerOptions {
        workers: 4,
        ..ServerOptions::default()
    };
    let server = Server::bind(&ctx, "tcp://127.0.0.1:*", options, || {
        GreeterServer::new(hello.clone())
    })
    .unwrap();
    let client = Peer::start(
        &python,
        "rpc_client.py",
        &[
            "--connect",
            server.endpoint(),
            "--calls",
            "200",
            "--in-flight",
            "16",
            "--stream",
            "50",
        ],
    );
    // The Python client checks every reply itself, and exits non-zero otherwise.
    let summary = client.summary();
    assert_eq!(summary["calls"], "200");
    assert_eq!(summary["streamed"], "50");
    assert_eq!(summary["errors"], "3");
    let out_of_order: u64 = summary["out_of_order"].parse().unwrap();
    assert!(out_of_order > 0, "{summary:?}");
    let stats = server.shutdown();
    assert_eq!((stats.ok, stats.failed, stats.dropped), (201, 3, 0));
}
