//! Shared by the examples' tests: the Python venv and generated `seed_pb2`, child processes
//! (Python peers and the `zpb-examples` binary) whose output lines are read with timeouts
//! and which are killed if a test fails.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing};
use zpb_examples::cli::parse_summary;
use zpb_examples::pipeline::{Sink, SinkConfig, Ventilator, VentilatorConfig};

/// Both framings, as the examples' `--framing` option spells them.
pub const FRAMINGS: [Framing; 2] = [Framing::Raw, Framing::Delimited];

/// Loopback, on a port the system picks.
pub const LOOPBACK: &str = "tcp://127.0.0.1:*";

/// How long any child may take to say something expected.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The venv's python and a directory holding `seed_pb2.py`, made once per test binary:
/// the venv by `scripts/setup-python.sh` when it lacks the packages, the module by
/// grpcio-tools' protoc into this process's own temporary directory.
pub fn python() -> &'static (PathBuf, PathBuf) {
    static PYTHON: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let python = zpb_test_support::venv_python_path();
        let ready = Command::new(&python)
            .args(["-c", "import google.protobuf, zmq, grpc_tools"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ready {
            let status = Command::new("bash")
                .arg(zpb_test_support::repo_root().join("scripts/setup-python.sh"))
                .status()
                .expect("run scripts/setup-python.sh");
            assert!(status.success(), "scripts/setup-python.sh failed");
        }
        let out =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("seed_pb2-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let proto = Path::new(env!("CARGO_MANIFEST_DIR")).join("proto");
        let status = zpb_test_support::protoc(&python)
            .arg(format!("-I{}", proto.display()))
            .arg(format!("--python_out={}", out.display()))
            .arg(proto.join("seed.proto"))
            .status()
            .expect("run grpc_tools.protoc");
        assert!(status.success(), "protoc --python_out failed");
        (python, out)
    })
}

/// A child process whose stdout is read line by line on a thread; killed on drop.
pub struct Proc {
    name: String,
    child: Child,
    lines: Receiver<String>,
    pub output: Vec<String>,
}

impl Proc {
    fn spawn(name: &str, mut command: Command) -> Proc {
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let (tx, lines) = mpsc::channel();
        // stdout and stderr lines, in arrival order; stderr ones marked. The channel
        // disconnects once both streams are closed.
        let stderr = child.stderr.take().unwrap();
        let err_tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if err_tx.send(format!("stderr: {line}")).is_err() {
                    break;
                }
            }
        });
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Proc {
            name: name.to_string(),
            child,
            lines,
            output: Vec::new(),
        }
    }

    /// `python examples/python/SCRIPT ARGS`.
    pub fn python(script: &str, args: &[&str]) -> Proc {
        let (python, pb2) = python();
        let mut command = Command::new(python);
        command
            .arg(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("python")
                    .join(script),
            )
            .args(args)
            .env("PYTHONPATH", pb2)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        Proc::spawn(&format!("python {script} {}", args.join(" ")), command)
    }

    /// The `zpb-examples` binary: `zpb-examples EXAMPLE ARGS`.
    pub fn rust(args: &[&str]) -> Proc {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zpb-examples"));
        command.args(args);
        Proc::spawn(&format!("zpb-examples {}", args.join(" ")), command)
    }

    /// The `zpb-examples` binary in network namespace `netns` (`ip netns exec`, which
    /// execs it: killing this child kills the example).
    pub fn rust_in(netns: &str, args: &[&str]) -> Proc {
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", netns, env!("CARGO_BIN_EXE_zpb-examples")])
            .args(args);
        Proc::spawn(
            &format!("[{netns}] zpb-examples {}", args.join(" ")),
            command,
        )
    }

    /// The child's standard input.
    pub fn stdin(&mut self) -> &mut std::process::ChildStdin {
        self.child.stdin.as_mut().unwrap()
    }

    fn next_line(&mut self, deadline: Instant) -> Option<String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(left) {
            Ok(line) => {
                self.output.push(line.clone());
                Some(line)
            }
            Err(RecvTimeoutError::Timeout) => panic!(
                "{}: nothing expected within {PATIENCE:?}; output so far:\n{}",
                self.name,
                self.output.join("\n")
            ),
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The first line starting with `prefix`.
    pub fn line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.next_line(deadline) {
                Some(line) if line.starts_with(prefix) => return line,
                Some(_) => {}
                None => panic!(
                    "{} ended without a line starting {prefix:?}:\n{}",
                    self.name,
                    self.output.join("\n")
                ),
            }
        }
    }

    /// The `tcp://...` endpoint on the first line starting with `prefix`.
    pub fn endpoint(&mut self, prefix: &str) -> String {
        let line = self.line(prefix);
        line.split_whitespace()
            .find(|w| w.starts_with("tcp://"))
            .unwrap_or_else(|| panic!("no endpoint in {line:?}"))
            .to_string()
    }

    /// Waits for the child to exit; returns its status and summary line.
    pub fn finish(mut self) -> (ExitStatus, BTreeMap<String, String>) {
        let deadline = Instant::now() + PATIENCE;
        while self.next_line(deadline).is_some() {}
        let status = self.child.wait().unwrap();
        let summary = self
            .output
            .iter()
            .rev()
            .find_map(|l| parse_summary(l))
            .unwrap_or_default();
        (status, summary)
    }

    /// Like [`finish`](Self::finish), handing the whole output to `check` first.
    pub fn finish_with_output(
        self,
        check: impl FnOnce(&[String]),
    ) -> (ExitStatus, BTreeMap<String, String>) {
        let mut this = self;
        let deadline = Instant::now() + PATIENCE;
        while this.next_line(deadline).is_some() {}
        check(&this.output);
        this.finish()
    }

    /// Like [`finish`](Self::finish), asserting success, and returns the summary.
    pub fn success(self) -> BTreeMap<String, String> {
        let name = self.name.clone();
        let (status, summary) = self.finish();
        assert!(status.success(), "{name} failed: {status}");
        summary
    }

    /// Kills the child at once (SIGKILL).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A summary value as a number.
pub fn num(summary: &BTreeMap<String, String>, key: &str) -> u64 {
    summary
        .get(key)
        .unwrap_or_else(|| panic!("no {key} in {summary:?}"))
        .parse()
        .unwrap()
}

/// Binds a ventilator with `config` and a quiet sink on loopback for its tasks (the same
/// framing, count and payload) that acknowledges them to it and gives up after
/// `sink_timeout` without a result.
pub fn ventilator_and_sink(
    ctx: &zmq::Context,
    config: VentilatorConfig,
    sink_timeout: Duration,
) -> (Ventilator, Sink) {
    let (framing, count, payload) = (config.framing, config.count, config.payload);
    let ventilator = Ventilator::bind(ctx, config).unwrap();
    let sink = Sink::bind(
        ctx,
        SinkConfig {
            bind: LOOPBACK.into(),
            acks_connect: ventilator.acks_endpoint.clone(),
            framing,
            count,
            payload,
            timeout: sink_timeout,
            quiet: true,
        },
    )
    .unwrap();
    (ventilator, sink)
}
