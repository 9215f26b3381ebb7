//! Steady-state send and receive loops of the typed sockets perform no heap allocation in
//! Rust, counted exactly by a counting global allocator (per thread: each side counts its
//! own loop). libzmq's own frame memory is C `malloc`, outside Rust's allocator, and is
//! not counted here. Run with `--features zmq`.
#![cfg(feature = "zmq")]

#[path = "common/alloc.rs"]
mod alloc;
mod transport_util;

use alloc::{count, Allocs};
use std::thread;
use transport_util::*;
use zpb::transport::zmq;
use zpb::transport::{Framing, Options, Pub, Pull, Push, Rep, Req, Sub};
use zpb::{MemoryPolicy, Pool, Reuse};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// Ids start here so that every message has the same encoded size (same shape).
const BASE: u64 = 1 << 40;
/// Warm-up messages: two full batches, so buffers have reached their steady size.
const WARM: u64 = 100;
const STEADY: u64 = 2000;
/// About the size of the benchmark messages.
const SIZE: usize = 100;

/// Sends `WARM + STEADY` same-shaped items on another thread (one at a time, or in batches
/// of `batch`), counting the allocations of the steady part there.
fn spawn_pusher(
    ctx: &zmq::Context,
    endpoint: &str,
    framing: Framing,
    batch: usize,
) -> thread::JoinHandle<Allocs> {
    let mut push = Push::<Item>::new(ctx, timed(framing, 10_000)).unwrap();
    push.connect(endpoint).unwrap();
    thread::spawn(move || {
        let mut msg = item(0, SIZE);
        let mut send = |push: &mut Push<Item>, i: u64| {
            msg.set_id(BASE + i);
            if batch == 1 {
                push.send(&msg).unwrap();
            } else {
                push.queue(&msg).unwrap();
                if (i + 1) % batch as u64 == 0 {
                    push.flush().unwrap();
                }
            }
        };
        for i in 0..WARM {
            send(&mut push, i);
        }
        let ((), allocs) = count(|| {
            for i in WARM..WARM + STEADY {
                send(&mut push, i);
            }
            push.flush().unwrap();
        });
        allocs
    })
}

#[test]
fn push_pull_loops_allocate_nothing() {
    for (framing, batch) in [
        (Framing::Delimited, 1),
        (Framing::Raw, 1),
        (Framing::Delimited, 50),
    ] {
        let ctx = zmq::Context::new();
        let mut pull = Pull::<Item>::new(&ctx, timed(framing, 10_000)).unwrap();
        let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
        let sender = spawn_pusher(&ctx, &endpoint, framing, batch);
        let mut msg = Item::default();
        for i in 0..WARM {
            pull.recv(&mut msg).unwrap();
            assert_eq!(msg.id(), BASE + i);
        }
        let ((), received) = count(|| {
            for i in WARM..WARM + STEADY {
                pull.recv(&mut msg).unwrap();
                assert_eq!(msg.id(), BASE + i);
            }
        });
        let sent = sender.join().unwrap();
        assert_eq!(
            received.count, 0,
            "{framing} x{batch}: receive loop {received:?}"
        );
        assert_eq!(sent.count, 0, "{framing} x{batch}: send loop {sent:?}");
        assert_eq!(msg, {
            let mut last = item(0, SIZE);
            last.set_id(BASE + WARM + STEADY - 1);
            last
        });
        // What the loop holds: the message's buffers and the last frame.
        let held = msg.space_used() + pull.buffer_bytes();
        assert!(held < 4 * SIZE * batch.max(2), "{held}");
    }
}

#[test]
fn pooled_receive_allocates_nothing() {
    let ctx = zmq::Context::new();
    let mut pull = Pull::<Item>::new(&ctx, timed(Framing::Delimited, 10_000)).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let sender = spawn_pusher(&ctx, &endpoint, Framing::Delimited, 1);
    let pool = Pool::<Item>::new(MemoryPolicy::Retain);
    for _ in 0..WARM {
        pull.recv_pooled(&pool).unwrap();
    }
    let ((), received) = count(|| {
        for i in WARM..WARM + STEADY {
            let msg = pull.recv_pooled(&pool).unwrap();
            assert_eq!(msg.id(), BASE + i);
        }
    });
    sender.join().unwrap();
    assert_eq!(received.count, 0, "{received:?}");
    assert_eq!(pool.idle(), 1);
}

#[test]
fn req_rep_round_trips_allocate_nothing() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let mut server = Rep::<Item, Item>::new(&ctx, timed(framing, 10_000)).unwrap();
        let endpoint = server.bind("tcp://127.0.0.1:*").unwrap();
        let handle = thread::spawn(move || {
            let (mut q, mut r) = (Item::default(), item(0, SIZE));
            let mut serve = |server: &mut Rep<Item, Item>| {
                server.recv(&mut q).unwrap();
                r.set_id(q.id() + 1);
                server.send(&r).unwrap();
            };
            for _ in 0..WARM {
                serve(&mut server);
            }
            count(|| (0..STEADY).for_each(|_| serve(&mut server))).1
        });
        let mut client = Req::<Item, Item>::new(&ctx, timed(framing, 10_000)).unwrap();
        client.connect(&endpoint).unwrap();
        let (mut q, mut r) = (item(0, SIZE), Item::default());
        let mut round_trip = |i: u64| {
            q.set_id(BASE + i);
            client.request(&q, &mut r).unwrap();
            assert_eq!(r.id(), BASE + i + 1);
        };
        (0..WARM).for_each(&mut round_trip);
        let ((), client_allocs) = count(|| (WARM..WARM + STEADY).for_each(&mut round_trip));
        let server_allocs = handle.join().unwrap();
        assert_eq!(
            client_allocs.count, 0,
            "{framing}: client {client_allocs:?}"
        );
        assert_eq!(
            server_allocs.count, 0,
            "{framing}: server {server_allocs:?}"
        );
    }
}

#[test]
fn pub_sub_loops_allocate_nothing() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        // No high-water marks: the publisher outruns the subscriber and nothing may drop.
        let options = Options {
            send_hwm: 0,
            recv_hwm: 0,
            ..timed(framing, 10_000)
        };
        let mut publisher = Pub::<Item>::new(&ctx, options).unwrap();
        let endpoint = publisher.bind("tcp://127.0.0.1:*").unwrap();
        let mut sub = Sub::<Item>::new(&ctx, options).unwrap();
        sub.subscribe(b"ticks.").unwrap();
        sub.connect(&endpoint).unwrap();
        publisher
            .wait_for_subscriptions(1, std::time::Duration::from_secs(10))
            .unwrap();
        let sender = thread::spawn(move || {
            let mut msg = item(0, SIZE);
            let mut publish = |i: u64| {
                msg.set_id(BASE + i);
                let topic: &[u8] = if i % 2 == 0 { b"ticks.a" } else { b"ticks.b" };
                publisher.send(b"other", &msg).unwrap();
                publisher.send(topic, &msg).unwrap();
            };
            (0..WARM).for_each(&mut publish);
            count(|| (WARM..WARM + STEADY).for_each(&mut publish)).1
        });
        let mut msg = Item::default();
        let mut receive = |i: u64| {
            let topic = sub.recv(&mut msg).unwrap();
            assert_eq!(topic.len(), 7);
            assert_eq!(msg.id(), BASE + i);
        };
        (0..WARM).for_each(&mut receive);
        let ((), received) = count(|| (WARM..WARM + STEADY).for_each(&mut receive));
        let sent = sender.join().unwrap();
        assert_eq!(received.count, 0, "{framing}: subscriber {received:?}");
        assert_eq!(sent.count, 0, "{framing}: publisher {sent:?}");
    }
}
