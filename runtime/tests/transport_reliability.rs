//! Hostile and overloaded peers: a REP server fed 10,000 frames of random bytes (and broken
//! envelopes) keeps answering every valid request; a publisher outrunning a slow
//! subscriber keeps going, the subscriber counts what the high-water marks dropped, and
//! memory stays bounded — or, with `lossless_publish`, waits for the subscriber and loses
//! nothing; a signal interrupting a blocked receive is reported and the socket goes on. Run with `--features zmq`.
#![cfg(feature = "zmq")]

mod transport_util;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use transport_util::*;
use zpb::transport::zmq;
use zpb::transport::{Framing, Options, Pub, Pull, Push, Rep, Req, Sub, TransportError};

const STOP: u64 = u64::MAX;

/// Serves until a request with id `STOP`: answers valid requests with their id and text
/// "ok", bad ones with text "bad". Returns (valid, bad) counts.
fn serve(mut server: Rep<Item, Item>) -> (u64, u64) {
    let (mut request, mut reply) = (Item::default(), Item::default());
    let (mut valid, mut bad) = (0, 0);
    loop {
        reply.clear();
        match server.recv(&mut request) {
            Ok(()) => {
                valid += 1;
                reply.set_id(request.id());
                reply.set_text("ok");
            }
            Err(e) if e.is_peer_input() => {
                bad += 1;
                reply.set_text("bad");
            }
            Err(e) => panic!("server failed: {e}"),
        }
        server.send(&reply).unwrap();
        if request.id() == STOP {
            return (valid, bad);
        }
    }
}

fn garbage_run(framing: Framing, frames: u64, seed: u64) {
    let ctx = zmq::Context::new();
    let server = Rep::<Item, Item>::new(&ctx, timed(framing, 30_000)).unwrap();
    let endpoint = server.bind("tcp://127.0.0.1:*").unwrap();
    let handle = thread::spawn(move || serve(server));

    let garbage = ctx.socket(zmq::REQ).unwrap();
    garbage.set_rcvtimeo(10_000).unwrap();
    garbage.connect(&endpoint).unwrap();
    let dealer = ctx.socket(zmq::DEALER).unwrap();
    dealer.set_linger(0).unwrap();
    dealer.connect(&endpoint).unwrap();
    let mut client = Req::<Item, Item>::new(&ctx, timed(framing, 10_000)).unwrap();
    client.connect(&endpoint).unwrap();

    let mut rng = Rng(seed);
    let mut reply = Item::default();
    let mut valid_sent = 0;
    for i in 0..frames {
        // Random bytes, sometimes as a multipart request.
        let parts = if rng.below(10) == 0 {
            2 + rng.below(2)
        } else {
            1
        };
        let frames: Vec<Vec<u8>> = (0..parts)
            .map(|_| {
                let len = rng.below(300) as usize;
                rng.bytes(len)
            })
            .collect();
        garbage.send_multipart(frames, 0).unwrap();
        let answer = garbage.recv_bytes(0).expect("every request is answered");
        assert!(!answer.is_empty());
        // Envelopes without the REQ delimiter: libzmq's REP discards them.
        if i % 50 == 0 {
            dealer.send(rng.bytes(20), 0).unwrap();
        }
        if i % 10 == 9 {
            valid_sent += 1;
            client.request(&item(i, 80), &mut reply).unwrap();
            assert_eq!((reply.id(), reply.text()), (i, "ok"));
        }
    }
    let mut stop = Item::default();
    stop.set_id(STOP);
    client.request(&stop, &mut reply).unwrap();
    let (valid, bad) = handle.join().unwrap();
    // Random bytes occasionally form a valid message (most often in raw framing, where
    // any byte string with valid tags does); every request got exactly one answer.
    assert_eq!(valid + bad, frames + valid_sent + 1);
    assert!(valid > valid_sent, "{valid}");
    assert!(bad > frames * 9 / 10 || framing == Framing::Raw, "{bad}");
    assert!(bad > frames / 2, "{bad}");
    println!("{framing}: {frames} garbage frames, {bad} rejected, {valid} valid answered");
}

#[test]
fn rep_survives_10000_random_frames_interleaved_with_valid_requests() {
    garbage_run(Framing::Delimited, 10_000, 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn rep_survives_random_frames_with_raw_framing() {
    garbage_run(Framing::Raw, 2_000, 42);
}

#[test]
fn slow_subscriber_loses_messages_at_the_hwm_and_memory_stays_bounded() {
    const TOTAL: u64 = 400_000;
    let ctx = zmq::Context::new();
    let options = Options {
        send_hwm: 100,
        recv_hwm: 100,
        ..timed(Framing::Delimited, 10_000)
    };
    let mut publisher = Pub::<Item>::new(&ctx, options).unwrap();
    let endpoint = publisher.bind("tcp://127.0.0.1:*").unwrap();
    let mut sub = Sub::<Item>::new(&ctx, options).unwrap();
    sub.subscribe(b"").unwrap();
    sub.connect(&endpoint).unwrap();
    publisher
        .wait_for_subscriptions(1, Duration::from_secs(10))
        .unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let subscriber_done = done.clone();
    let subscriber = thread::spawn(move || {
        let mut m = Item::default();
        let (mut received, mut dropped, mut next) = (0u64, 0u64, 0u64);
        loop {
            match sub.recv(&mut m) {
                Ok(topic) if topic == b"end" => break,
                Ok(_) => {
                    // Sequence numbers reveal what the high-water marks dropped.
                    dropped += m.id() - next;
                    next = m.id() + 1;
                    received += 1;
                    if received % 100 == 0 {
                        thread::sleep(Duration::from_millis(1)); // a slow consumer
                    }
                }
                Err(TransportError::Timeout) => panic!("publisher went silent"),
                Err(e) => panic!("{e}"),
            }
        }
        subscriber_done.store(true, Ordering::SeqCst);
        dropped += TOTAL - next;
        (received, dropped)
    });

    let baseline = rss_kib();
    let mut peak = baseline;
    let started = Instant::now();
    let mut m = item(0, 200);
    for seq in 0..TOTAL {
        m.set_id(seq);
        publisher.send(b"data", &m).unwrap();
        if seq % 20_000 == 0 {
            peak = peak.max(rss_kib());
        }
    }
    let publish_time = started.elapsed();
    let end = Item::default();
    while !done.load(Ordering::SeqCst) {
        publisher.send(b"end", &end).unwrap();
        thread::sleep(Duration::from_millis(5));
    }
    let (received, dropped) = subscriber.join().unwrap();
    let growth_mib = (peak - baseline) as f64 / 1024.0;
    println!(
        "published {TOTAL} x ~200 B in {publish_time:?}; subscriber received {received}, \
         counted {dropped} dropped at the HWM; RSS growth {growth_mib:.1} MiB"
    );
    assert_eq!(received + dropped, TOTAL);
    assert!(dropped > 0, "the slow subscriber must have lost messages");
    assert!(received > 0);
    // Never blocked: the publisher finished long before the subscriber could have read all
    // (it sleeps 1 ms per 100 messages: 4 s for everything).
    assert!(received < TOTAL / 2, "{received}");
    // 80 MB were published; the queues hold a few hundred messages.
    assert!(growth_mib < 30.0, "RSS grew {growth_mib:.1} MiB");
}

#[test]
fn lossless_publisher_waits_for_a_slow_subscriber_and_loses_nothing() {
    let ctx = zmq::Context::new();
    let options = Options {
        send_hwm: 50,
        recv_hwm: 50,
        lossless_publish: true,
        ..timed(Framing::Delimited, 300)
    };
    let mut publisher = Pub::<Item>::new(&ctx, options).unwrap();
    let endpoint = publisher.bind("tcp://127.0.0.1:*").unwrap();
    let mut sub = Sub::<Item>::new(&ctx, timed(Framing::Delimited, 2_000)).unwrap();
    sub.subscribe(b"").unwrap();
    sub.connect(&endpoint).unwrap();
    publisher
        .wait_for_subscriptions(1, Duration::from_secs(10))
        .unwrap();

    // The subscriber reads nothing yet: the queues and the kernel's socket buffers fill,
    // then a send waits for room and times out instead of dropping.
    let mut m = item(0, 200);
    let mut sent = 0u64;
    let error = loop {
        m.set_id(sent);
        match publisher.send(b"data", &m) {
            Ok(()) => sent += 1,
            Err(e) => break e,
        }
        assert!(sent < 2_000_000, "the publisher never waited");
    };
    assert!(error.is_timeout(), "{error}");
    assert_eq!(publisher.stats().messages_sent, sent);
    // Everything sent arrives, in order, and nothing else.
    for id in 0..sent {
        sub.recv(&mut m).unwrap();
        assert_eq!(m.id(), id);
    }
    assert!(sub.recv(&mut m).unwrap_err().is_timeout());
    println!("{sent} messages queued before the publisher had to wait; none lost");
}

/// A signal handler that does nothing: the signal only interrupts the blocked call.
extern "C" fn ignore_signal(_: libc::c_int) {}

#[test]
fn a_signal_interrupts_a_blocked_recv_and_the_socket_goes_on() {
    // SAFETY: installs, for SIGUSR1 only, a handler that does nothing (trivially
    // async-signal-safe); `action` is fully initialized (zeroed, then mask and handler set).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }
    let ctx = zmq::Context::new();
    let mut pull = Pull::<Item>::new(&ctx, timed(Framing::Delimited, 20_000)).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let mut push = Push::<Item>::new(&ctx, timed(Framing::Delimited, 20_000)).unwrap();
    push.connect(&endpoint).unwrap();

    let interrupted = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel();
    let receiver = {
        let interrupted = interrupted.clone();
        thread::spawn(move || {
            // SAFETY: pthread_self has no preconditions.
            tx.send(unsafe { libc::pthread_self() }).unwrap();
            let mut item = Item::default();
            let first = pull.recv(&mut item);
            interrupted.store(true, Ordering::SeqCst);
            let second = pull.recv(&mut item).map(|()| item.id());
            (first, second, pull.stats())
        })
    };
    let target = rx.recv().unwrap();
    // Signal until the blocked receive returns (a signal arriving before the receiver
    // blocks is simply handled and lost).
    while !interrupted.load(Ordering::SeqCst) {
        // SAFETY: `target` is the receiver thread, alive until it is joined below.
        assert_eq!(unsafe { libc::pthread_kill(target, libc::SIGUSR1) }, 0);
        thread::sleep(Duration::from_millis(20));
    }
    push.send(&item(7, 40)).unwrap();
    let (first, second, stats) = receiver.join().unwrap();
    let e = first.unwrap_err();
    assert!(e.is_interrupted(), "{e}");
    assert!(!e.is_peer_input() && !e.is_timeout());
    assert_eq!(second.unwrap(), 7);
    assert_eq!((stats.messages_received, stats.bad_input), (1, 0));
}
