//! Steady-state RPC calls perform no heap allocation in Rust, on either side, counted by a
//! counting global allocator per thread: the client's call loop (1 call in flight, and 64),
//! its stream reads, and the server worker's whole loop (receive, route, decode, handler,
//! encode, reply) between two marks taken inside the handler. libzmq's own frame memory is
//! C `malloc`, outside Rust's allocator. Run with `--features zmq`.
#![cfg(feature = "zmq")]

#[path = "common/alloc.rs"]
mod alloc;
mod rpc_greeter;

use alloc::{allocations, count};
use rpc_greeter::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zpb::transport::rpc::{ClientOptions, Server, ServerOptions, ServerStream, Status};
use zpb::transport::zmq;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

const WARM: u64 = 200;
const STEADY: u64 = 2000;
const IN_FLIGHT: usize = 64;

/// `Hello`, plus the worker thread's allocation count at unary calls number `WARM` and
/// `WARM + STEADY` (one worker: all calls run on its thread).
#[derive(Default)]
struct Marked {
    hello: Hello,
    calls: AtomicU64,
    at_warm: AtomicU64,
    at_end: AtomicU64,
}

impl Greeter for Marked {
    type Error = Status;

    fn say_hello(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Status> {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        if n == WARM {
            self.at_warm.store(allocations(), Ordering::Relaxed);
        } else if n == WARM + STEADY {
            self.at_end.store(allocations(), Ordering::Relaxed);
        }
        self.hello.say_hello(request, response)
    }

    fn lots_of_replies(
        &self,
        request: &HelloRequest,
        stream: &mut ServerStream<'_, '_, HelloReply>,
    ) -> Result<(), Status> {
        self.hello.lots_of_replies(request, stream)
    }

    fn record(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Status> {
        self.hello.record(request, response)
    }
}

/// Same-shaped requests: fixed-width names.
fn set_name(request: &mut HelloRequest, i: u64) {
    use std::fmt::Write;
    request.name.clear();
    write!(request.name, "call {i:08}").unwrap();
}

fn setup() -> (zmq::Context, Server, Arc<Marked>, GreeterClient) {
    let ctx = zmq::Context::new();
    let marked = Arc::new(Marked::default());
    let shared = marked.clone();
    let options = ServerOptions {
        workers: 1,
        ..ServerOptions::default()
    };
    let server = Server::bind(&ctx, "tcp://127.0.0.1:*", options, || {
        GreeterServer::new(shared.clone())
    })
    .unwrap();
    let options = ClientOptions {
        timeout: Duration::from_secs(20),
        ..ClientOptions::default()
    };
    let mut client = GreeterClient::new(&ctx, options).unwrap();
    client.connect(server.endpoint()).unwrap();
    (ctx, server, marked, client)
}

#[test]
fn unary_calls_allocate_nothing_in_steady_state_on_both_sides() {
    let (_ctx, server, marked, mut client) = setup();
    let (mut request, mut reply) = (HelloRequest::default(), HelloReply::default());
    let mut call = |client: &mut GreeterClient, i: u64| {
        set_name(&mut request, i);
        client.say_hello(&request, &mut reply).unwrap();
        assert_eq!(reply.message.len(), "Hello, call 00000000!".len());
    };
    for i in 0..WARM {
        call(&mut client, i);
    }
    let ((), steady) = count(|| {
        for i in WARM..WARM + STEADY {
            call(&mut client, i);
        }
    });
    assert_eq!(steady.count, 0, "client, 1 in flight: {steady:?}");
    call(&mut client, WARM + STEADY); // the server's closing mark
    let (at_warm, at_end) = (
        marked.at_warm.load(Ordering::Relaxed),
        marked.at_end.load(Ordering::Relaxed),
    );
    assert!(at_end > 0, "the marks were taken");
    assert_eq!(at_end - at_warm, 0, "server worker over {STEADY} calls");
    server.shutdown();
}

#[test]
fn calls_in_flight_and_streams_allocate_nothing_in_steady_state() {
    let (_ctx, server, _, mut client) = setup();
    let client = client.inner();
    let mut requests: Vec<HelloRequest> = (0..IN_FLIGHT).map(|_| HelloRequest::default()).collect();
    let mut ids = Vec::with_capacity(IN_FLIGHT);
    let mut reply = HelloReply::default();
    let mut round = |client: &mut zpb::transport::rpc::Client, r: u64| {
        ids.clear();
        for (i, request) in requests.iter_mut().enumerate() {
            set_name(request, r * IN_FLIGHT as u64 + i as u64);
            ids.push(client.start(GreeterClient::SAY_HELLO, request).unwrap());
        }
        // Collected in reverse: every reply but the last waits in its call's slot.
        for id in ids.iter().rev() {
            client.finish(*id, &mut reply).unwrap();
        }
    };
    for r in 0..4 {
        round(client, r);
    }
    let ((), steady) = count(|| {
        for r in 4..20 {
            round(client, r);
        }
    });
    assert_eq!(steady.count, 0, "client, {IN_FLIGHT} in flight: {steady:?}");

    let request = HelloRequest {
        count: 200,
        ..hello("stream")
    };
    let mut item = HelloReply::default();
    let mut read = |client: &mut zpb::transport::rpc::Client| {
        let id = client
            .start(GreeterClient::LOTS_OF_REPLIES, &request)
            .unwrap();
        let mut n = 0;
        while client.next(id, &mut item).unwrap() {
            n += 1;
        }
        assert_eq!(n, 200);
    };
    read(client);
    let ((), steady) = count(|| {
        for _ in 0..5 {
            read(client);
        }
    });
    assert_eq!(steady.count, 0, "client, streams: {steady:?}");
    server.shutdown();
}
