//! The `rpc` example with the generated Greeter, as processes: Rust server ↔ Python client,
//! Python server ↔ Rust client, and Rust servers behind the example's broker.

mod support;

use support::{num, Proc, LOOPBACK};

#[test]
fn python_client_calls_the_rust_server() {
    let mut server = Proc::rust(&["rpc", "server", "--bind", LOOPBACK]);
    let endpoint = server.endpoint("bound");
    let summary =
        Proc::python("rpc_client.py", &["--connect", &endpoint, "--calls", "50"]).success();
    assert_eq!(num(&summary, "calls"), 50, "{summary:?}");
    server.kill();
}

#[test]
fn rust_client_calls_the_python_server() {
    let mut server = Proc::python("rpc_server.py", &["--bind", LOOPBACK, "--calls", "6"]);
    let endpoint = server.endpoint("bound");
    let client = Proc::rust(&["rpc", "client", "--connect", &endpoint, "--count", "5"]);
    let summary = client.success();
    assert_eq!(num(&summary, "ok"), 5, "{summary:?}");
    let mut stream = Proc::rust(&["rpc", "client", "--connect", &endpoint, "--stream", "3"]);
    assert_eq!(stream.line("item 2"), "item 2: Hello, world #2");
    assert_eq!(num(&stream.success(), "ok"), 1);
    assert_eq!(num(&server.success(), "ok"), 6);
}

#[test]
fn a_broker_spreads_calls_over_servers_and_deadlines_are_typed() {
    let mut broker = Proc::rust(&["rpc", "broker", "--front", LOOPBACK, "--back", LOOPBACK]);
    let line = broker.line("broker");
    let endpoints: Vec<&str> = line.split_whitespace().skip(1).collect();
    let (front, back) = (endpoints[0].to_string(), endpoints[1].to_string());
    let servers: Vec<Proc> = (0..2)
        .map(|_| {
            let mut server = Proc::rust(&["rpc", "server", "--connect", &back, "--run-ms", "4000"]);
            server.line("connected");
            server
        })
        .collect();
    let summary = Proc::rust(&[
        "rpc",
        "client",
        "--connect",
        &front,
        "--count",
        "40",
        "--quiet",
    ])
    .success();
    assert_eq!(num(&summary, "ok"), 40, "{summary:?}");
    // Both servers took calls.
    let served: Vec<u64> = servers
        .into_iter()
        .map(|s| num(&s.success(), "ok"))
        .collect();
    assert!(served.iter().all(|&n| n > 0), "{served:?}");
    assert!(served.iter().sum::<u64>() >= 40, "{served:?}");
    // A call the server answers too late ends with the typed deadline error.
    let mut server = Proc::rust(&["rpc", "server", "--bind", LOOPBACK]);
    let endpoint = server.endpoint("bound");
    let slow = Proc::rust(&[
        "rpc",
        "client",
        "--connect",
        &endpoint,
        "--delay-ms",
        "500",
        "--timeout-ms",
        "200",
        "--attempts",
        "1",
    ]);
    let summary = slow.success();
    assert_eq!(
        (num(&summary, "ok"), num(&summary, "deadline")),
        (0, 1),
        "{summary:?}"
    );
    server.kill();
    broker.kill();
}
