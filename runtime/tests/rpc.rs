//! RPC over ZeroMQ between the typed `GreeterClient` and `GreeterServer` (the template the
//! generator follows): unary and server-streaming calls, many calls in flight answered out of
//! order, deadlines, Lazy Pirate retries, server errors and unknown methods as typed errors,
//! and replies that break the protocol. Every wait is bounded. Run with `--features zmq`.
#![cfg(feature = "zmq")]

mod rpc_greeter;

use rpc_greeter::*;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use zpb::transport::rpc::{Client, ClientOptions, Code, Retry, RpcError, Server, ServerOptions};
use zpb::transport::zmq;
use zpb::well_known::{MethodDescriptor, ServiceDescriptor};
use zpb::Message;

const LOOPBACK: &str = "tcp://127.0.0.1:*";

fn server(ctx: &zmq::Context, endpoint: &str, workers: usize) -> (Server, Arc<Hello>) {
    let hello = Arc::new(Hello::default());
    let shared = hello.clone();
    let options = ServerOptions {
        workers,
        max_request_bytes: 4096,
        ..ServerOptions::default()
    };
    let server = Server::bind(ctx, endpoint, options, || {
        GreeterServer::new(shared.clone())
    });
    (server.unwrap(), hello)
}

fn client(ctx: &zmq::Context, endpoint: &str, timeout_ms: u64, retry: Retry) -> GreeterClient {
    let options = ClientOptions {
        timeout: Duration::from_millis(timeout_ms),
        retry,
        ..ClientOptions::default()
    };
    let mut client = GreeterClient::new(ctx, options).unwrap();
    client.connect(endpoint).unwrap();
    client
}

fn no_retry() -> Retry {
    Retry {
        attempts: 1,
        ..Retry::default()
    }
}

#[test]
fn unary_calls_in_both_forms() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 2);
    let mut client = client(&ctx, server.endpoint(), 10_000, Retry::default());
    let mut reply = HelloReply::default();
    for i in 0..50 {
        client
            .say_hello(&hello(&format!("n{i}")), &mut reply)
            .unwrap();
        assert_eq!(reply.message, format!("Hello, n{i}!"));
    }
    let owned = client.say_hello_owned(&hello("owned")).unwrap();
    assert_eq!(owned.message, "Hello, owned!");
    // Timeouts too long to add to the clock mean "a century".
    let inner = client.inner();
    let id = inner
        .start_with(0, &hello("patient"), Duration::MAX)
        .unwrap();
    inner.finish(id, &mut reply).unwrap();
    assert_eq!(reply.message, "Hello, patient!");
    assert_eq!(inner.in_flight(), 0);
    let stats = server.shutdown();
    assert_eq!((stats.ok, stats.failed, stats.dropped), (52, 0, 0));
}

#[test]
fn calls_over_ipc_and_inproc() {
    let ctx = zmq::Context::new();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let ipc = format!(
        "ipc://{}/zpb-rpc-{}.sock",
        dir.display(),
        std::process::id()
    );
    for endpoint in [ipc.as_str(), "inproc://zpb-rpc-test"] {
        let (server, _) = server(&ctx, endpoint, 2);
        let mut client = client(&ctx, server.endpoint(), 10_000, Retry::default());
        for i in 0..20 {
            let reply = client.say_hello_owned(&hello(&format!("{i}"))).unwrap();
            assert_eq!(reply.message, format!("Hello, {i}!"), "{endpoint}");
        }
        assert_eq!(server.shutdown().ok, 20, "{endpoint}");
    }
}

#[test]
fn many_calls_in_flight_are_matched_when_answered_out_of_order() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 8);
    let mut client = client(&ctx, server.endpoint(), 20_000, Retry::default());
    let client = client.inner();
    // Later calls are quicker: with 8 workers they overtake the earlier ones.
    let mut ids = Vec::new();
    for i in 0..64u32 {
        let request = HelloRequest {
            name: format!("call {i}").into(),
            delay_ms: (7 - i % 8) * 15,
            ..HelloRequest::default()
        };
        ids.push(client.start(GreeterClient::SAY_HELLO, &request).unwrap());
    }
    assert_eq!(client.in_flight(), 64);
    let mut reply = HelloReply::default();
    let mut served = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        client.finish(*id, &mut reply).unwrap();
        assert_eq!(reply.message, format!("Hello, call {i}!"));
        served.push(reply.served);
    }
    assert_eq!(client.in_flight(), 0);
    let in_order = served.windows(2).all(|w| w[0] < w[1]);
    assert!(!in_order, "replies came back in call order: {served:?}");
    assert_eq!(client.stats().stray_replies, 0);
    // A finished call is no longer known.
    assert!(matches!(
        client.finish(ids[0], &mut reply),
        Err(RpcError::UnknownCall(_))
    ));
}

#[test]
fn a_call_ends_at_its_deadline_and_the_late_reply_is_dropped() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 2);
    let mut client = client(&ctx, server.endpoint(), 150, no_retry());
    let slow = HelloRequest {
        delay_ms: 600,
        ..hello("slow")
    };
    let started = Instant::now();
    let err = client.say_hello_owned(&slow).unwrap_err();
    let waited = started.elapsed();
    assert!(
        matches!(err, RpcError::DeadlineExceeded { attempts: 1 }),
        "{err}"
    );
    assert!(err.is_deadline());
    // Not before the deadline; after it only by scheduling delays (a loaded machine).
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    // The next call works; the slow call's reply arrives meanwhile and is dropped.
    thread::sleep(Duration::from_millis(600));
    let inner = client.inner();
    let fast = inner.start_with(0, &hello("fast"), Duration::from_secs(10));
    let mut reply = HelloReply::default();
    inner.finish(fast.unwrap(), &mut reply).unwrap();
    assert_eq!(reply.message, "Hello, fast!");
    assert_eq!(inner.stats().stray_replies, 1);
}

#[test]
fn server_errors_and_unknown_methods_are_typed_errors() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 2);
    let mut greeter = client(&ctx, server.endpoint(), 10_000, Retry::default());
    let failing = HelloRequest {
        fail_code: 5,
        ..hello("me")
    };
    match greeter.say_hello_owned(&failing) {
        Err(RpcError::Status(s)) => {
            assert_eq!(
                (s.code, s.message.as_str()),
                (Code::NotFound, "me asked to fail")
            )
        }
        other => panic!("{:?}", other.map(|r| r.message)),
    }
    // Oversized requests (the server takes up to 4096 bytes).
    let big = hello(&"x".repeat(5000));
    let err = greeter.say_hello_owned(&big).unwrap_err();
    assert_eq!(err.code(), Some(Code::ResourceExhausted), "{err}");
    // A method the server does not have.
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
    other.connect(server.endpoint()).unwrap();
    let mut reply = HelloReply::default();
    let err = other.call(0, &hello("x"), &mut reply).unwrap_err();
    assert_eq!(err.code(), Some(Code::Unimplemented), "{err}");
    assert!(err.to_string().contains("SayGoodbye"), "{err}");
    // Client-side refusals: no such method, a kind the call form does not serve.
    let inner = greeter.inner();
    assert!(matches!(
        inner.call(9, &hello("x"), &mut reply),
        Err(RpcError::NoSuchMethod(9))
    ));
    let err = inner.start(GreeterClient::RECORD, &hello("x")).unwrap_err();
    assert!(
        matches!(
            err,
            RpcError::Unsupported {
                method: "Record",
                kind: "client-streaming"
            }
        ),
        "{err}"
    );
    let err = inner
        .call(GreeterClient::LOTS_OF_REPLIES, &hello("x"), &mut reply)
        .unwrap_err();
    assert!(
        matches!(
            err,
            RpcError::Unsupported {
                kind: "server-streaming",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        inner.stream::<_, HelloReply>(GreeterClient::SAY_HELLO, &hello("x")),
        Err(RpcError::Unsupported { kind: "unary", .. })
    ));
    assert_eq!(inner.in_flight(), 0);
    // The server answers a client-streaming call it cannot carry with UNIMPLEMENTED.
    let raw = ctx.socket(zmq::DEALER).unwrap();
    raw.connect(server.endpoint()).unwrap();
    let header = request_header("zpb.examples.rpc.Greeter/Record", 77);
    raw.send_multipart([&b""[..], &header[..], &b""[..]], 0)
        .unwrap();
    raw.set_rcvtimeo(10_000).unwrap();
    let reply = raw.recv_multipart(0).unwrap();
    assert_eq!(reply.len(), 3);
    assert_eq!(u16::from_le_bytes([reply[1][2], reply[1][3]]), 12);
    assert_eq!(u64::from_le_bytes(reply[1][4..12].try_into().unwrap()), 77);
    let stats = server.shutdown();
    assert_eq!((stats.ok, stats.failed, stats.dropped), (0, 4, 0));
}

/// A protocol-v1 request header, built by hand (as a Python peer would).
fn request_header(path: &str, id: u64) -> Vec<u8> {
    let mut h = vec![1, 1];
    h.extend_from_slice(&(path.len() as u16).to_le_bytes());
    h.extend_from_slice(&id.to_le_bytes());
    h.extend_from_slice(&10_000u32.to_le_bytes());
    h.extend_from_slice(path.as_bytes());
    h
}

#[test]
fn server_streaming_calls() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 2);
    let mut greeter = client(&ctx, server.endpoint(), 10_000, Retry::default());
    let request = HelloRequest {
        count: 100,
        ..hello("s")
    };
    let mut item = HelloReply::default();
    let mut stream = greeter.lots_of_replies(&request).unwrap();
    for i in 0..100 {
        assert!(stream.next(&mut item).unwrap());
        assert_eq!(
            (item.index, item.message.as_str()),
            (i, &*format!("Hello, s #{i}"))
        );
    }
    assert!(!stream.next(&mut item).unwrap());
    assert!(
        !stream.next(&mut item).unwrap(),
        "an ended stream stays ended"
    );
    drop(stream);
    // Items, then an error status.
    let failing = HelloRequest {
        count: 3,
        fail_code: 9,
        ..hello("f")
    };
    let mut stream = greeter.lots_of_replies(&failing).unwrap();
    for _ in 0..3 {
        assert!(stream.next(&mut item).unwrap());
    }
    let err = stream.next(&mut item).unwrap_err();
    assert_eq!(err.code(), Some(Code::FailedPrecondition), "{err}");
    drop(stream);
    // An empty stream; and two streams interleaved on one client.
    let empty = hello("e");
    assert!(!greeter
        .lots_of_replies(&empty)
        .unwrap()
        .next(&mut item)
        .unwrap());
    let inner = greeter.inner();
    let a = inner
        .start(
            1,
            &HelloRequest {
                count: 5,
                ..hello("a")
            },
        )
        .unwrap();
    let b = inner
        .start(
            1,
            &HelloRequest {
                count: 5,
                ..hello("b")
            },
        )
        .unwrap();
    for i in 0..5 {
        assert!(inner.next(b, &mut item).unwrap());
        assert_eq!(item.message, format!("Hello, b #{i}"));
        assert!(inner.next(a, &mut item).unwrap());
        assert_eq!(item.message, format!("Hello, a #{i}"));
    }
    assert!(!inner.next(a, &mut item).unwrap());
    assert!(!inner.next(b, &mut item).unwrap());
    assert_eq!(inner.in_flight(), 0);
    // A stream slower than its deadline ends with DeadlineExceeded on the client.
    let slow = HelloRequest {
        count: 50,
        delay_ms: 20,
        ..hello("slow")
    };
    let id = inner
        .start_with(1, &slow, Duration::from_millis(200))
        .unwrap();
    let mut got = 0;
    let err = loop {
        match inner.next(id, &mut item) {
            Ok(true) => got += 1,
            Ok(false) => panic!("the stream cannot end in time"),
            Err(e) => break e,
        }
    };
    assert!(err.is_deadline(), "{err}");
    assert!((1..50).contains(&got), "{got}");
}

/// A ROUTER that takes requests and never answers: a server that died holding them.
fn black_hole(ctx: &zmq::Context) -> (zmq::Socket, String) {
    let socket = ctx.socket(zmq::ROUTER).unwrap();
    socket.set_linger(0).unwrap();
    socket.bind(LOOPBACK).unwrap();
    let endpoint = socket.get_last_endpoint().unwrap().unwrap();
    socket.set_rcvtimeo(10_000).unwrap();
    (socket, endpoint)
}

#[test]
fn lazy_pirate_retries_idempotent_calls_on_a_new_socket() {
    let ctx = zmq::Context::new();
    let (hole, endpoint) = black_hole(&ctx);
    let retry = Retry {
        attempts: 5,
        attempt_timeout: Duration::from_millis(300),
    };
    let mut greeter = client(&ctx, &endpoint, 10_000, retry);
    let caller = thread::spawn(move || {
        let reply = greeter.say_hello_owned(&hello("again"));
        (reply, greeter.inner().stats())
    });
    // The request reaches the dead server, which goes away with it.
    let swallowed = hole.recv_multipart(0).unwrap();
    assert_eq!(swallowed.len(), 4, "identity, delimiter, header, payload");
    hole.unbind(&endpoint).unwrap();
    drop(hole);
    // libzmq closes the listener in the background: bind once the port is free again.
    let started = Instant::now();
    let server = loop {
        let hello = Arc::new(Hello::default());
        let options = ServerOptions {
            workers: 1,
            ..ServerOptions::default()
        };
        match Server::bind(&ctx, &endpoint, options, || {
            GreeterServer::new(hello.clone())
        }) {
            Ok(server) => break server,
            Err(e) if started.elapsed() < Duration::from_secs(5) => {
                eprintln!("bind {endpoint}: {e}; again");
                thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("bind {endpoint}: {e}"),
        }
    };
    let (reply, stats) = caller.join().unwrap();
    assert_eq!(reply.unwrap().message, "Hello, again!");
    assert!(stats.retries >= 1 && stats.resets >= 1, "{stats:?}");
    assert_eq!(stats.resets, stats.retries);
    // Answered by the new server (the counts are final once its workers have stopped).
    assert!(server.shutdown().ok >= 1);
}

#[test]
fn calls_not_retried_fail_typed_when_the_server_holds_them() {
    let ctx = zmq::Context::new();
    let (hole, endpoint) = black_hole(&ctx);
    let retry = Retry {
        attempts: 3,
        attempt_timeout: Duration::from_millis(100),
    };
    let mut greeter = client(&ctx, &endpoint, 700, retry);
    let inner = greeter.inner();
    // Not idempotent: one attempt, until the deadline.
    inner.set_idempotent(0, false).unwrap();
    let started = Instant::now();
    let mut reply = HelloReply::default();
    let err = inner.call(0, &hello("once"), &mut reply).unwrap_err();
    assert!(
        matches!(err, RpcError::DeadlineExceeded { attempts: 1 }),
        "{err}"
    );
    assert!(started.elapsed() >= Duration::from_millis(700));
    // Idempotent: three attempts, then the deadline.
    inner.set_idempotent(0, true).unwrap();
    let err = inner.call(0, &hello("thrice"), &mut reply).unwrap_err();
    assert!(
        matches!(err, RpcError::DeadlineExceeded { attempts: 3 }),
        "{err}"
    );
    // A call in flight that is not retried when another one resets the socket: Reset.
    inner.set_idempotent(0, false).unwrap();
    let plain = inner.start(0, &hello("plain")).unwrap();
    inner.set_idempotent(0, true).unwrap();
    let retried = inner.start(0, &hello("retried")).unwrap();
    let err = inner.finish(retried, &mut reply).unwrap_err();
    assert!(
        matches!(err, RpcError::DeadlineExceeded { attempts: 3 }),
        "{err}"
    );
    assert!(matches!(
        inner.finish(plain, &mut reply),
        Err(RpcError::Reset)
    ));
    assert_eq!(inner.in_flight(), 0);
    // Every attempt reached the black hole: 1 + 3 + 1 + 3.
    let mut seen = 0;
    hole.set_rcvtimeo(200).unwrap();
    while hole.recv_multipart(0).is_ok() {
        seen += 1;
    }
    assert_eq!(seen, 8);
}

/// A fake server answering each request with `reply(header fields) -> frames`.
fn fake_server(ctx: &zmq::Context, replies: Vec<Vec<Vec<u8>>>) -> (String, thread::JoinHandle<()>) {
    let (socket, endpoint) = black_hole(ctx);
    let handle = thread::spawn(move || {
        let request = socket.recv_multipart(0).unwrap();
        let id = &request[2][4..12];
        for mut frames in replies {
            // Frame 1, when a reply header, gets the request's id.
            if frames.len() > 1 && frames[1].len() >= 12 {
                frames[1][4..12].copy_from_slice(id);
            }
            let mut all = vec![request[0].clone()];
            all.extend(frames);
            socket.send_multipart(all, 0).unwrap();
        }
        thread::sleep(Duration::from_millis(300));
    });
    (endpoint, handle)
}

fn reply_header(kind: u8, status: u16, seq: u32) -> Vec<u8> {
    let mut h = vec![1, kind];
    h.extend_from_slice(&status.to_le_bytes());
    h.extend_from_slice(&[0; 8]);
    h.extend_from_slice(&seq.to_le_bytes());
    h
}

#[test]
fn replies_that_break_the_protocol_are_typed_errors() {
    let ctx = zmq::Context::new();
    let mut reply = HelloReply::default();
    // An undecodable payload.
    let (ep, h) = fake_server(
        &ctx,
        vec![vec![vec![], reply_header(2, 0, 0), vec![0xff, 0xff]]],
    );
    let err = client(&ctx, &ep, 5_000, no_retry()).say_hello(&hello("x"), &mut reply);
    assert!(matches!(err, Err(RpcError::Decode(_))), "{err:?}");
    h.join().unwrap();
    // A stream item for a unary call.
    let (ep, h) = fake_server(&ctx, vec![vec![vec![], reply_header(3, 0, 0), vec![]]]);
    let err = client(&ctx, &ep, 5_000, no_retry()).say_hello(&hello("x"), &mut reply);
    assert!(matches!(err, Err(RpcError::Protocol(_))), "{err:?}");
    h.join().unwrap();
    // Garbage (not counted against any call), then the real answer.
    let good = HelloReply {
        message: "fine".into(),
        ..HelloReply::default()
    };
    let (ep, h) = fake_server(
        &ctx,
        vec![
            vec![b"junk".to_vec()],
            vec![vec![], vec![9; 20], vec![]],
            vec![
                vec![],
                reply_header(2, 0, 0),
                good.serialize_to_vec().unwrap(),
            ],
        ],
    );
    let mut c = client(&ctx, &ep, 5_000, no_retry());
    c.say_hello(&hello("x"), &mut reply).unwrap();
    assert_eq!(reply.message, "fine");
    assert_eq!(c.inner().stats().bad_replies, 2);
    h.join().unwrap();
    // A stream with a gap: item 0, then item 2.
    let (ep, h) = fake_server(
        &ctx,
        vec![
            vec![vec![], reply_header(3, 0, 0), vec![]],
            vec![vec![], reply_header(3, 0, 2), vec![]],
        ],
    );
    let mut c = client(&ctx, &ep, 5_000, no_retry());
    let mut stream = c.lots_of_replies(&hello("x")).unwrap();
    assert!(stream.next(&mut reply).unwrap());
    assert!(matches!(
        stream.next(&mut reply),
        Err(RpcError::Protocol(_))
    ));
    drop(stream);
    h.join().unwrap();
}

#[test]
fn a_zmq_proxy_broker_spreads_calls_over_servers_connected_to_it() {
    let ctx = zmq::Context::new();
    // The broker: zmq's own proxy between a ROUTER for clients and a DEALER for servers.
    let mut frontend = ctx.socket(zmq::ROUTER).unwrap();
    frontend.bind(LOOPBACK).unwrap();
    let clients_at = frontend.get_last_endpoint().unwrap().unwrap();
    let mut backend = ctx.socket(zmq::DEALER).unwrap();
    backend.bind(LOOPBACK).unwrap();
    let servers_at = backend.get_last_endpoint().unwrap().unwrap();
    let control = ctx.socket(zmq::PAIR).unwrap();
    control.bind("inproc://broker-control").unwrap();
    let mut steer = ctx.socket(zmq::PAIR).unwrap();
    steer.connect("inproc://broker-control").unwrap();
    let broker = thread::spawn(move || {
        zmq::proxy_steerable(&mut frontend, &mut backend, &mut steer).unwrap();
    });
    // Two servers ("hosts") connect to it.
    let servers: Vec<Server> = (0..2)
        .map(|_| {
            let hello = Arc::new(Hello::default());
            let options = ServerOptions {
                workers: 2,
                ..ServerOptions::default()
            };
            Server::connect(&ctx, &servers_at, options, || {
                GreeterServer::new(hello.clone())
            })
            .unwrap()
        })
        .collect();
    let mut greeter = client(&ctx, &clients_at, 20_000, Retry::default());
    let client = greeter.inner();
    let mut reply = HelloReply::default();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut calls = 0;
    // Batches of calls in flight until both servers have served some (the broker's DEALER
    // spreads them over the servers connected so far).
    while servers.iter().any(|s| s.stats().ok == 0) {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            servers.iter().map(Server::stats).collect::<Vec<_>>()
        );
        let ids: Vec<_> = (0..32)
            .map(|i| {
                let request = HelloRequest {
                    delay_ms: i % 4,
                    ..hello(&format!("b{calls}-{i}"))
                };
                client.start(GreeterClient::SAY_HELLO, &request).unwrap()
            })
            .collect();
        for (i, id) in ids.into_iter().enumerate() {
            client.finish(id, &mut reply).unwrap();
            assert_eq!(reply.message, format!("Hello, b{calls}-{i}!"));
        }
        calls += 1;
    }
    let served: u64 = servers.into_iter().map(|s| s.shutdown().ok).sum();
    assert_eq!(served, calls * 32);
    control.send("TERMINATE", 0).unwrap();
    broker.join().unwrap();
}

#[test]
fn a_plain_req_socket_can_call_as_the_protocol_says() {
    let ctx = zmq::Context::new();
    let (server, _) = server(&ctx, LOOPBACK, 1);
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_rcvtimeo(10_000).unwrap();
    req.connect(server.endpoint()).unwrap();
    // REQ adds the empty delimiter itself, and strips it from the reply.
    let header = request_header("zpb.examples.rpc.Greeter/SayHello", 5);
    let payload = hello("req").serialize_to_vec().unwrap();
    req.send_multipart([&header[..], &payload[..]], 0).unwrap();
    let reply = req.recv_multipart(0).unwrap();
    assert_eq!(reply.len(), 2);
    assert_eq!(
        &reply[0][..4],
        &[1, 2, 0, 0],
        "version 1, unary reply, status 0"
    );
    assert_eq!(u64::from_le_bytes(reply[0][4..12].try_into().unwrap()), 5);
    let mut answer = HelloReply::default();
    answer.merge_from_slice(&reply[1]).unwrap();
    assert_eq!(answer.message, "Hello, req!");
}

#[test]
fn calls_go_to_idle_workers() {
    let ctx = zmq::Context::new();
    // Two workers: while one is busy with a slow call, the other serves all the quick ones.
    let (server, _) = server(&ctx, LOOPBACK, 2);
    let mut greeter = client(&ctx, server.endpoint(), 20_000, Retry::default());
    let client = greeter.inner();
    let slow = HelloRequest {
        delay_ms: 2000,
        ..hello("slow")
    };
    let started = Instant::now();
    let slow = client.start(GreeterClient::SAY_HELLO, &slow).unwrap();
    let quick: Vec<_> = (0..10)
        .map(|i| {
            client
                .start(GreeterClient::SAY_HELLO, &hello(&format!("q{i}")))
                .unwrap()
        })
        .collect();
    let mut reply = HelloReply::default();
    for (i, id) in quick.into_iter().enumerate() {
        client.finish(id, &mut reply).unwrap();
        assert_eq!(reply.message, format!("Hello, q{i}!"));
    }
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    client.finish(slow, &mut reply).unwrap();
}

#[test]
fn a_call_queued_at_the_server_past_its_deadline_is_not_run() {
    let ctx = zmq::Context::new();
    // One worker: the second call waits behind a slow one until after its deadline.
    let (server, hello_impl) = server(&ctx, LOOPBACK, 1);
    let mut greeter = client(&ctx, server.endpoint(), 20_000, Retry::default());
    let client = greeter.inner();
    let slow = HelloRequest {
        delay_ms: 500,
        ..hello("slow")
    };
    let mut reply = HelloReply::default();
    let slow = client.start(GreeterClient::SAY_HELLO, &slow).unwrap();
    let late = client
        .start_with(
            GreeterClient::SAY_HELLO,
            &hello("late"),
            Duration::from_millis(100),
        )
        .unwrap();
    let err = client.finish(late, &mut reply).unwrap_err();
    assert!(err.is_deadline(), "{err}");
    client.finish(slow, &mut reply).unwrap();
    // The worker answers the late call after the slow one's reply is out; `shutdown` drops
    // calls still waiting for a worker, so wait (bounded) until the late one is counted.
    let counted = Instant::now() + Duration::from_secs(10);
    while server.stats().failed == 0 && Instant::now() < counted {
        std::thread::sleep(Duration::from_millis(5));
    }
    let stats = server.shutdown();
    assert_eq!((stats.ok, stats.failed), (1, 1), "{stats:?}");
    assert_eq!(
        hello_impl.served.load(std::sync::atomic::Ordering::Relaxed),
        1,
        "the late call's handler did not run"
    );
}
