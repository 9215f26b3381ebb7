//! Hosts that fail (issue 15 §2): clients, a broker (`rpc broker`, a `zmq::proxy`
//! ROUTER/DEALER) and Greeter servers ("workers") each in a network namespace of its own,
//! joined by veth pairs to a bridge in the broker's namespace, on a private /24 that exists
//! only inside those namespaces. A worker host is killed mid-run (its veth down, then its
//! process killed, so the broker never hears of it) and a new one comes up: the client's
//! idempotent `SayHello` calls are retried (Lazy Pirate), and every call ends exactly once,
//! answered or with a typed deadline error.
//!
//! Needs root and `ip netns` (iproute2); skips with one line otherwise.

mod support;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;
use support::{num, Proc};

/// The namespaces' private subnet (RFC 1918); the broker is `.1`.
const SUBNET: &str = "10.231.7";

/// Calls the client makes.
const CALLS: u64 = 120;

/// Runs `ip ARGS`, returning whether it succeeded.
fn ip(args: &[&str]) -> bool {
    Command::new("ip")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `ip ARGS`, panicking when it fails.
fn ip_ok(args: &[&str]) {
    assert!(ip(args), "ip {} failed", args.join(" "));
}

/// The network namespaces of one test run, deleted on drop (also when the test fails), which
/// deletes the veth ends and the bridge inside them.
struct Hosts {
    prefix: String,
    made: Vec<String>,
}

impl Hosts {
    /// The broker's namespace with a bridge at `SUBNET.1`, or `None` (with the reason) when
    /// namespaces cannot be made here.
    fn new() -> Result<Hosts, String> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if !root {
            return Err("not root".into());
        }
        let mut hosts = Hosts {
            prefix: format!("zpb{}", std::process::id()),
            made: Vec::new(),
        };
        let broker = hosts.name("b");
        if !ip(&["netns", "add", &broker]) {
            return Err("`ip netns add` failed (no iproute2, or no namespaces here)".into());
        }
        hosts.made.push(broker.clone());
        ip_ok(&["-n", &broker, "link", "set", "lo", "up"]);
        ip_ok(&["-n", &broker, "link", "add", "br0", "type", "bridge"]);
        ip_ok(&[
            "-n",
            &broker,
            "addr",
            "add",
            &format!("{SUBNET}.1/24"),
            "dev",
            "br0",
        ]);
        ip_ok(&["-n", &broker, "link", "set", "br0", "up"]);
        Ok(hosts)
    }

    fn name(&self, host: &str) -> String {
        format!("{}{host}", self.prefix)
    }

    /// The broker's end of `host`'s veth pair (names are at most 15 bytes).
    fn port(&self, host: &str) -> String {
        format!("p{}{host}", std::process::id())
    }

    /// A host namespace at `SUBNET.last`, its veth joined to the broker's bridge.
    fn add(&mut self, host: &str, last: u8) -> String {
        let ns = self.name(host);
        let broker = self.name("b");
        ip_ok(&["netns", "add", &ns]);
        self.made.push(ns.clone());
        let port = self.port(host);
        ip_ok(&[
            "-n", &broker, "link", "add", &port, "type", "veth", "peer", "name", "eth0", "netns",
            &ns,
        ]);
        ip_ok(&["-n", &broker, "link", "set", &port, "master", "br0", "up"]);
        ip_ok(&["-n", &ns, "link", "set", "lo", "up"]);
        ip_ok(&[
            "-n",
            &ns,
            "addr",
            "add",
            &format!("{SUBNET}.{last}/24"),
            "dev",
            "eth0",
        ]);
        ip_ok(&["-n", &ns, "link", "set", "eth0", "up"]);
        ns
    }

    /// Cuts `host` off: both ends of its veth down.
    fn unplug(&self, host: &str) {
        ip_ok(&[
            "-n",
            &self.name("b"),
            "link",
            "set",
            &self.port(host),
            "down",
        ]);
        ip_ok(&["-n", &self.name(host), "link", "set", "eth0", "down"]);
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        for ns in self.made.iter().rev() {
            ip(&["netns", "del", ns]);
        }
    }
}

#[test]
fn a_worker_host_dies_and_every_call_ends_exactly_once() {
    let mut hosts = match Hosts::new() {
        Ok(hosts) => hosts,
        Err(why) => {
            eprintln!("skipped: network namespaces unavailable ({why})");
            return;
        }
    };
    let client_ns = hosts.add("c", 2);
    let first_ns = hosts.add("w1", 3);
    let second_ns = hosts.add("w2", 4);
    let (front, back) = (
        format!("tcp://{SUBNET}.1:5560"),
        format!("tcp://{SUBNET}.1:5561"),
    );
    let broker_ns = hosts.name("b");
    let mut broker = Proc::rust_in(
        &broker_ns,
        &[
            "rpc",
            "broker",
            "--front",
            &front,
            "--back",
            &back,
            "--heartbeat-ms",
            "200",
        ],
    );
    broker.line("broker");
    let mut first = Proc::rust_in(&first_ns, &["rpc", "server", "--connect", &back]);
    first.line("connected");
    // Each call is in flight ~20 ms; the client gives an attempt 300 ms and a call 2 s.
    let mut client = Proc::rust_in(
        &client_ns,
        &[
            "rpc",
            "client",
            "--connect",
            &front,
            "--count",
            &CALLS.to_string(),
            "--delay-ms",
            "20",
            "--pause-ms",
            "5",
            "--timeout-ms",
            "2000",
            "--attempts",
            "8",
            "--attempt-ms",
            "300",
        ],
    );
    client.line("call 30:");
    // The host fails: unreachable first, then its process gone (no FIN reaches the broker,
    // whose DEALER keeps sending calls into the dead connection).
    hosts.unplug("w1");
    first.kill();
    client.line("call 32:");
    let mut second = Proc::rust_in(&second_ns, &["rpc", "server", "--connect", &back]);
    second.line("connected");
    thread::sleep(Duration::from_millis(100));
    let name = "rpc client";
    let (status, summary) = client.finish_with_output(|output| {
        // Every call ended exactly once, in order.
        let mut ends: BTreeMap<u64, u32> = BTreeMap::new();
        for line in output {
            if let Some(rest) = line.strip_prefix("call ") {
                let n: u64 = rest.split(':').next().unwrap().parse().unwrap();
                *ends.entry(n).or_default() += 1;
                assert!(
                    rest.contains(": Hello, world!") || rest.contains("deadline exceeded"),
                    "{name}: {line}"
                );
            }
        }
        assert_eq!(ends.len() as u64, CALLS, "{output:?}");
        assert!(
            ends.iter().all(|(n, &k)| (1..=CALLS).contains(n) && k == 1),
            "{ends:?}"
        );
    });
    eprintln!("{name}: {summary:?}");
    assert!(status.success(), "{name}: {status} {summary:?}");
    let (ok, deadline) = (num(&summary, "ok"), num(&summary, "deadline"));
    assert_eq!(ok + deadline, CALLS, "{summary:?}");
    assert_eq!(num(&summary, "failed"), 0, "{summary:?}");
    // Calls sent while the worker was cut off were retried, and the new worker answered.
    assert!(num(&summary, "retries") >= 1, "{summary:?}");
    assert!(ok >= CALLS - 35, "{summary:?}");
    broker.kill();
    second.kill();
}
