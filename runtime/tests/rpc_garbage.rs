//! A server fed 10,000 random multipart messages (seeded): random frames, broken envelopes,
//! bad headers, wrong method names, oversized and undecodable payloads, truncated and
//! overlong messages. Each is answered with the right error status or dropped, every one is
//! accounted for, and a typed client calling all along is served throughout. Bounded in
//! time. Run with `--features zmq`.
#![cfg(feature = "zmq")]

mod rpc_greeter;
mod transport_util;

use rpc_greeter::*;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use transport_util::Rng;
use zpb::transport::rpc::{ClientOptions, Code, Server, ServerOptions, ServerStream, Status};
use zpb::transport::zmq;

const MESSAGES: u64 = 10_000;
const MAX_REQUEST: usize = 2048;
const PATH: &str = "zpb.examples.rpc.Greeter/SayHello";

/// The shapes of hostile message sent, and the status each gets (`None`: dropped, or any
/// status when random bytes happen to decode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    /// 1-5 frames of random bytes (most have no envelope and are dropped).
    Random,
    /// A good envelope and a header of random bytes.
    BadHeader,
    /// Another protocol version.
    Version,
    /// A method the service does not have.
    WrongMethod,
    /// A payload over the server's limit.
    Oversized,
    /// A payload of random bytes.
    Undecodable,
    /// Delimiter and header, no payload.
    Truncated,
    /// Too many frames.
    Overlong,
}

const SHAPES: [Shape; 8] = [
    Shape::Random,
    Shape::BadHeader,
    Shape::Version,
    Shape::WrongMethod,
    Shape::Oversized,
    Shape::Undecodable,
    Shape::Truncated,
    Shape::Overlong,
];

fn header(path: &str, id: u64) -> Vec<u8> {
    let mut h = vec![1, 1];
    h.extend_from_slice(&(path.len() as u16).to_le_bytes());
    h.extend_from_slice(&id.to_le_bytes());
    // No deadline: under a loaded machine a call waiting for a worker could otherwise be
    // answered DEADLINE_EXCEEDED instead of the status its shape earns.
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(path.as_bytes());
    h
}

/// Message `id` of shape `shape` (request id `id` where the header is readable).
fn hostile(rng: &mut Rng, shape: Shape, id: u64) -> Vec<Vec<u8>> {
    let len = |rng: &mut Rng| rng.below(64) as usize;
    match shape {
        Shape::Random => (0..1 + rng.below(5))
            .map(|_| {
                let n = len(rng);
                rng.bytes(n)
            })
            .collect(),
        Shape::BadHeader => {
            let n = len(rng);
            vec![vec![], rng.bytes(n), rng.bytes(8)]
        }
        Shape::Version => {
            let mut h = header(PATH, id);
            h[0] = 2 + rng.below(250) as u8;
            vec![vec![], h, vec![]]
        }
        Shape::WrongMethod => {
            let n = 1 + len(rng);
            let name: String = (0..n)
                .map(|_| (b'a' + rng.below(26) as u8) as char)
                .collect();
            vec![
                vec![],
                header(&format!("zpb.examples.rpc.Greeter/{name}"), id),
                vec![],
            ]
        }
        Shape::Oversized => {
            let n = MAX_REQUEST + 1 + rng.below(4096) as usize;
            vec![vec![], header(PATH, id), rng.bytes(n)]
        }
        Shape::Undecodable => {
            let n = 1 + len(rng);
            vec![vec![], header(PATH, id), rng.bytes(n)]
        }
        Shape::Truncated => vec![vec![], header(PATH, id)],
        Shape::Overlong => (0..17 + rng.below(8)).map(|_| rng.bytes(3)).collect(),
    }
}

/// Whether `code` is the right answer to `shape` (`Ok` may come only from random bytes
/// that happen to decode).
fn expected(shape: Shape, code: Code) -> bool {
    match shape {
        Shape::Random | Shape::BadHeader | Shape::Version | Shape::Truncated => {
            code == Code::InvalidArgument
        }
        Shape::WrongMethod => code == Code::Unimplemented,
        Shape::Oversized => code == Code::ResourceExhausted,
        Shape::Undecodable => matches!(code, Code::InvalidArgument | Code::Ok),
        Shape::Overlong => false,
    }
}

/// Greets at once, whatever the request asks (random bytes decoding as a request could
/// otherwise ask for long delays or failures).
struct Plain;

impl Greeter for Plain {
    type Error = Status;

    fn say_hello(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Status> {
        let quick = HelloRequest {
            name: request.name.clone(),
            ..HelloRequest::default()
        };
        Hello::default().say_hello(&quick, response)
    }

    fn lots_of_replies(
        &self,
        _: &HelloRequest,
        _: &mut ServerStream<'_, '_, HelloReply>,
    ) -> Result<(), Status> {
        Ok(())
    }

    fn record(&self, _: &HelloRequest, _: &mut HelloReply) -> Result<(), Status> {
        Ok(())
    }
}

#[test]
fn ten_thousand_hostile_messages_leave_the_server_serving() {
    let started = Instant::now();
    let ctx = zmq::Context::new();
    let plain = Arc::new(Plain);
    let options = ServerOptions {
        workers: 2,
        max_request_bytes: MAX_REQUEST,
        ..ServerOptions::default()
    };
    let server = Server::bind(&ctx, "tcp://127.0.0.1:*", options, || {
        GreeterServer::new(plain.clone())
    })
    .unwrap();
    let endpoint = server.endpoint().to_string();

    // A well-behaved client calling all along.
    let stop = Arc::new(AtomicBool::new(false));
    let good = {
        let (ctx, stop, endpoint) = (ctx.clone(), stop.clone(), endpoint.clone());
        thread::spawn(move || {
            let options = ClientOptions {
                timeout: Duration::from_secs(20),
                ..ClientOptions::default()
            };
            let mut client = GreeterClient::new(&ctx, options).unwrap();
            client.connect(&endpoint).unwrap();
            let mut reply = HelloReply::default();
            let mut calls = 0u64;
            while !stop.load(Ordering::Relaxed) || calls == 0 {
                client
                    .say_hello(&hello(&format!("good {calls}")), &mut reply)
                    .unwrap();
                assert_eq!(reply.message, format!("Hello, good {calls}!"));
                calls += 1;
            }
            calls
        })
    };

    let raw = ctx.socket(zmq::DEALER).unwrap();
    raw.set_linger(0).unwrap();
    raw.set_sndtimeo(10_000).unwrap();
    raw.connect(&endpoint).unwrap();
    let mut rng = Rng(0x5eed_f00d_9a4b_a9e1);
    let mut sent: BTreeMap<u64, Shape> = BTreeMap::new();
    let mut per_shape: BTreeMap<Shape, (u64, u64)> = BTreeMap::new(); // sent, answered
    let answers = Cell::new(0u64);
    let stray = Cell::new(0u64);
    let receive = |raw: &zmq::Socket,
                   sent: &BTreeMap<u64, Shape>,
                   per_shape: &mut BTreeMap<Shape, (u64, u64)>| {
        let frames = raw.recv_multipart(zmq::DONTWAIT).ok()?;
        answers.set(answers.get() + 1);
        // Answers to a readable envelope come as [delimiter, header, empty payload]; with
        // the random shapes, the frames before the first empty one come back first.
        let at = frames.iter().position(|f| f.is_empty())?;
        let h = &frames.get(at + 1)?;
        let code = Code::from_u16(u16::from_le_bytes([h[2], h[3]]));
        let id = u64::from_le_bytes(h[4..12].try_into().unwrap());
        match sent.get(&id) {
            Some(&shape) => {
                assert!(
                    expected(shape, code),
                    "message {id} ({shape:?}) answered {code}"
                );
                per_shape.get_mut(&shape).unwrap().1 += 1;
            }
            None => {
                // A header that is not a request's: INVALID_ARGUMENT, at id 0 unless random
                // bytes happened to hold a version-1 header with some id.
                assert_eq!(code, Code::InvalidArgument, "{frames:?}");
                stray.set(stray.get() + 1);
            }
        }
        Some(())
    };
    for n in 0..MESSAGES {
        let shape = SHAPES[rng.below(SHAPES.len() as u64) as usize];
        let id = 1_000_000 + n;
        let frames = hostile(&mut rng, shape, id);
        if matches!(
            shape,
            Shape::WrongMethod | Shape::Oversized | Shape::Undecodable
        ) {
            sent.insert(id, shape);
        }
        per_shape.entry(shape).or_default().0 += 1;
        raw.send_multipart(frames, 0).unwrap();
        while receive(&raw, &sent, &mut per_shape).is_some() {}
    }
    stop.store(true, Ordering::Relaxed);
    let good_calls = good.join().unwrap();
    // Everything is accounted for (answered, failed or dropped) within the time bound.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        while receive(&raw, &sent, &mut per_shape).is_some() {}
        let s = server.stats();
        if s.failed + s.dropped + s.ok >= MESSAGES + good_calls {
            break;
        }
        assert!(Instant::now() < deadline, "not all accounted for: {s:?}");
        thread::sleep(Duration::from_millis(20));
    }
    // Every answer the server sent (its failures, and random payloads that decoded)
    // arrives.
    let stats = server.shutdown();
    let sent_answers = stats.failed + stats.ok - good_calls;
    while answers.get() < sent_answers {
        assert!(
            Instant::now() < deadline,
            "{} of {sent_answers} answers",
            answers.get()
        );
        while receive(&raw, &sent, &mut per_shape).is_some() {}
        thread::sleep(Duration::from_millis(10));
    }
    let (answers, stray) = (answers.get(), stray.get());
    eprintln!("{per_shape:?}; answers {answers}, unattributed {stray}, good calls {good_calls}; {stats:?}");
    assert_eq!(
        stats.ok + stats.failed + stats.dropped,
        MESSAGES + good_calls
    );
    // Every message whose request id was readable got its answer, with the right status.
    for shape in [Shape::WrongMethod, Shape::Oversized, Shape::Undecodable] {
        let (n, answered) = per_shape[&shape];
        assert!(n > 1000, "{shape:?}: {n}");
        assert_eq!(answered, n, "{shape:?}");
    }
    // Overlong messages are dropped; messages with no envelope too.
    assert!(stats.dropped >= per_shape[&Shape::Overlong].0, "{stats:?}");
    // The other shapes were answered at id 0 (always: truncated messages, bad headers and
    // other versions, whose ids are not trusted).
    let truncated = [Shape::Truncated, Shape::BadHeader, Shape::Version]
        .iter()
        .map(|s| per_shape[s].0)
        .sum::<u64>();
    assert!(stray >= truncated, "{stray} < {truncated}");
    assert_eq!(answers, sent_answers);
    assert!(good_calls > 0);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
}
