//! The typed ZeroMQ sockets: each pattern in both framings, the wire format each framing
//! produces, timeouts, and how every kind of bad peer input is reported without wedging the
//! pattern. Run with `--features zmq`.
#![cfg(feature = "zmq")]

mod transport_util;

use std::thread;
use std::time::{Duration, Instant};
use transport_util::*;
use zpb::transport::zmq;
use zpb::transport::{Framing, Options, Pub, Pull, Push, Rep, Req, Sub, TransportError};
use zpb::{DecodeErrorKind, Message};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn req_rep_round_trips_in_both_framings() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let mut server = Rep::<Item, Item>::new(&ctx, timed(framing, 5000)).unwrap();
        let endpoint = server.bind("tcp://127.0.0.1:*").unwrap();
        let handle = thread::spawn(move || {
            let (mut q, mut r) = (Item::default(), Item::default());
            for _ in 0..50 {
                server.recv(&mut q).unwrap();
                r.clone_from(&q);
                r.set_text(format!("re: {}", q.text()));
                server.send(&r).unwrap();
            }
            server.stats()
        });
        let mut client = Req::<Item, Item>::new(&ctx, timed(framing, 5000)).unwrap();
        client.connect(&endpoint).unwrap();
        let mut reply = Item::default();
        for i in 0..50 {
            client.request(&item(i, 60), &mut reply).unwrap();
            assert_eq!(reply.id(), i);
            assert_eq!(reply.text(), format!("re: {}", item(i, 60).text()));
            assert_eq!(reply.parts_size(), 2);
        }
        let stats = handle.join().unwrap();
        assert_eq!((stats.messages_received, stats.messages_sent), (50, 50));
        assert_eq!(stats.bad_input, 0);
    }
}

#[test]
fn pub_sub_filters_by_topic_prefix_in_both_framings() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let mut publisher = Pub::<Item>::new(&ctx, timed(framing, 5000)).unwrap();
        let endpoint = publisher.bind("tcp://127.0.0.1:*").unwrap();
        let mut news = Sub::<Item>::new(&ctx, timed(framing, 5000)).unwrap();
        news.subscribe(b"news.").unwrap();
        news.connect(&endpoint).unwrap();
        let mut all = Sub::<Item>::new(&ctx, timed(framing, 5000)).unwrap();
        all.subscribe(b"").unwrap();
        all.connect(&endpoint).unwrap();
        assert_eq!(publisher.wait_for_subscriptions(2, WAIT).unwrap(), 2);
        for i in 0..30 {
            let topic: &[u8] = if i % 3 == 0 {
                b"news.world"
            } else {
                b"weather"
            };
            publisher.send(topic, &item(i, 50)).unwrap();
        }
        // A batch: ten records in one frame (raw framing sends ten frames).
        let batch: Vec<Item> = (100..110).map(|i| item(i, 50)).collect();
        publisher.send_batch(b"news.batch", &batch).unwrap();
        let mut m = Item::default();
        let mut seen = Vec::new();
        for _ in 0..20 {
            let topic = news.recv(&mut m).unwrap().to_vec();
            assert!(topic.starts_with(b"news."), "{topic:?}");
            seen.push(m.id());
        }
        let expected: Vec<u64> = (0..30).step_by(3).chain(100..110).collect();
        assert_eq!(seen, expected);
        for i in 0..40 {
            all.recv(&mut m).unwrap();
            assert_eq!(m.id(), if i < 30 { i } else { 70 + i });
        }
        let frames = if framing == Framing::Delimited {
            31
        } else {
            40
        };
        assert_eq!(publisher.stats().frames_sent, frames);
        // Nothing else arrives: the filter ran in libzmq.
        news.raw().set_rcvtimeo(100).unwrap();
        assert!(news.recv(&mut m).unwrap_err().is_timeout());
    }
}

/// A publisher knows when nobody listens: what it sent before the first subscription and
/// after the last subscriber left is counted as unheard; it can wait for subscribers that
/// are connecting to settle before a run.
#[test]
fn pub_sub_counts_what_nobody_heard() {
    let ctx = zmq::Context::new();
    let mut publisher = Pub::<Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    let endpoint = publisher.bind("tcp://127.0.0.1:*").unwrap();
    for i in 0..3 {
        publisher.send(b"a.1", &item(i, 40)).unwrap();
    }
    publisher
        .send_batch(b"a.2", &[item(3, 40), item(4, 40)])
        .unwrap();
    assert!(!publisher.subscribed().unwrap());
    assert_eq!(publisher.unheard(), 5);
    // Two subscribers to "a" (libzmq passes both SUBSCRIBEs up) and one to everything.
    let mut subs: Vec<Sub<Item>> = ["a", "a", ""]
        .iter()
        .map(|prefix| {
            let sub = Sub::<Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
            sub.subscribe(prefix.as_bytes()).unwrap();
            sub.connect(&endpoint).unwrap();
            sub
        })
        .collect();
    assert!(publisher.wait_for_subscriptions(1, WAIT).unwrap() >= 1);
    let quiet = Duration::from_millis(300);
    assert_eq!(publisher.settle_subscriptions(quiet, WAIT).unwrap(), 3);
    assert!(publisher.subscribed().unwrap());
    for i in 10..20 {
        publisher.send(b"a.1", &item(i, 40)).unwrap();
    }
    assert_eq!(publisher.unheard(), 5);
    let mut m = Item::default();
    for sub in &mut subs {
        for i in 10..20 {
            assert_eq!(sub.recv(&mut m).unwrap(), b"a.1");
            assert_eq!(m.id(), i);
        }
    }
    // Once every subscriber has gone, libzmq hands up an UNSUBSCRIBE per prefix.
    drop(subs);
    let deadline = Instant::now() + WAIT;
    while publisher.subscribed().unwrap() {
        assert!(
            Instant::now() < deadline,
            "the subscribers' departure never showed"
        );
        thread::sleep(Duration::from_millis(10));
    }
    for i in 20..23 {
        publisher.send(b"a.1", &item(i, 40)).unwrap();
    }
    assert_eq!(publisher.unheard(), 8);
    assert_eq!(publisher.stats().messages_sent, 18);
    // Settling with nobody connecting returns after `quiet`, not `timeout`.
    let started = Instant::now();
    assert_eq!(publisher.settle_subscriptions(quiet, WAIT).unwrap(), 3);
    assert!(started.elapsed() < WAIT / 2, "{:?}", started.elapsed());
}

#[test]
fn push_pull_batches_and_shares_the_load() {
    let ctx = zmq::Context::new();
    let options = Options {
        track_peers: true,
        ..timed(Framing::Delimited, 5000)
    };
    let mut push = Push::<Item>::new(&ctx, options).unwrap();
    let endpoint = push.bind("tcp://127.0.0.1:*").unwrap();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let pull = Pull::<Item>::new(&ctx, timed(Framing::Delimited, 300)).unwrap();
            pull.connect(&endpoint).unwrap();
            pull
        })
        .collect();
    push.wait_for_peers(2, WAIT).unwrap();
    for i in 0..100 {
        push.send(&item(i, 40)).unwrap();
    }
    let handles: Vec<_> = workers
        .into_iter()
        .map(|mut pull| {
            thread::spawn(move || {
                let mut m = Item::default();
                let mut ids = Vec::new();
                while pull.recv(&mut m).is_ok() {
                    ids.push(m.id());
                }
                ids
            })
        })
        .collect();
    let shares: Vec<Vec<u64>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    // Round-robin: each worker got every other message.
    assert_eq!(shares[0].len(), 50, "{shares:?}");
    assert_eq!(shares[1].len(), 50);
    let mut all: Vec<u64> = shares.concat();
    all.sort_unstable();
    assert_eq!(all, (0..100).collect::<Vec<_>>());
}

#[test]
fn queue_flushes_at_batch_size_and_keeps_order() {
    let ctx = zmq::Context::new();
    let options = Options {
        batch_bytes: 1000,
        ..timed(Framing::Delimited, 5000)
    };
    let mut pull = Pull::<Item>::new(&ctx, options).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let mut push = Push::<Item>::new(&ctx, options).unwrap();
    push.connect(&endpoint).unwrap();
    for i in 0..100 {
        push.queue(&item(i, 100)).unwrap();
    }
    assert!(
        push.queued() > 0 && push.queued() <= 10,
        "{}",
        push.queued()
    );
    push.send(&item(100, 100)).unwrap(); // flushes the batch first: order kept
    assert_eq!(push.queued(), 0);
    let stats = push.stats();
    assert_eq!(stats.messages_sent, 101);
    assert!(
        stats.frames_sent >= 11 && stats.frames_sent <= 12,
        "{stats:?}"
    );
    let mut m = Item::default();
    for i in 0..=100 {
        pull.recv(&mut m).unwrap();
        assert_eq!(m.id(), i);
    }
    assert_eq!(pull.stats().frames_received, stats.frames_sent);
}

#[test]
fn each_framing_is_the_standard_wire_format() {
    let ctx = zmq::Context::new();
    let raw_pull = ctx.socket(zmq::PULL).unwrap();
    raw_pull.bind("inproc://wire-format").unwrap();
    let mut push = Push::<Item>::new(&ctx, timed(Framing::Raw, 5000)).unwrap();
    push.connect("inproc://wire-format").unwrap();
    let msgs = [item(1, 40), item(2, 0)];
    push.send(&msgs[0]).unwrap();
    assert_eq!(
        raw_pull.recv_bytes(0).unwrap(),
        msgs[0].serialize_to_vec().unwrap()
    );
    drop(push);
    let mut push = Push::<Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    push.connect("inproc://wire-format").unwrap();
    push.send_batch(&msgs).unwrap();
    let mut expected = Vec::new();
    for m in &msgs {
        m.append_delimited_to_vec(&mut expected).unwrap();
    }
    assert_eq!(raw_pull.recv_bytes(0).unwrap(), expected);
    // And a plain peer's raw frames decode with raw framing.
    let raw_push = ctx.socket(zmq::PUSH).unwrap();
    let mut pull = Pull::<Item>::new(&ctx, timed(Framing::Raw, 5000)).unwrap();
    pull.bind("inproc://wire-format-2").unwrap();
    raw_push.connect("inproc://wire-format-2").unwrap();
    raw_push
        .send(msgs[0].serialize_to_vec().unwrap(), 0)
        .unwrap();
    raw_push.send(Vec::new(), 0).unwrap(); // an empty message is a valid default message
    let mut m = Item::default();
    pull.recv(&mut m).unwrap();
    assert!(m == msgs[0]);
    pull.recv(&mut m).unwrap();
    assert!(m == Item::default());
}

#[test]
fn rep_reports_bad_requests_and_stays_in_lockstep() {
    let ctx = zmq::Context::new();
    let mut server = Rep::<Item, Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    server.bind("inproc://rep-garbage").unwrap();
    let client = ctx.socket(zmq::REQ).unwrap();
    client.set_rcvtimeo(5000).unwrap();
    client.connect("inproc://rep-garbage").unwrap();
    let mut good = Vec::new();
    item(9, 30).append_delimited_to_vec(&mut good).unwrap();
    let two_records = [good.clone(), good.clone()].concat();
    let cases: Vec<(Vec<Vec<u8>>, &str)> = vec![
        (vec![vec![0xff; 7]], "decode"), // prefix runs past the frame
        (vec![vec![0x03, 0xff, 0xff, 0xff]], "decode"), // body is not a message
        (vec![vec![]], "empty"),
        (vec![two_records], "extra"),
        (vec![good.clone(), good.clone()], "frames"), // multipart request
        (vec![good.clone()], "ok"),
    ];
    let mut request = Item::default();
    for (frames, expect) in cases {
        client.send_multipart(frames, 0).unwrap();
        let got = server.recv(&mut request);
        let kind = match &got {
            Ok(()) => "ok",
            Err(TransportError::Decode { .. }) => "decode",
            Err(TransportError::EmptyFrame(_)) => "empty",
            Err(TransportError::ExtraRecords(_)) => "extra",
            Err(TransportError::UnexpectedFrames {
                expected: 1,
                received: 2,
                ..
            }) => "frames",
            Err(e) => panic!("unexpected {e}"),
        };
        assert_eq!(kind, expect, "{got:?}");
        assert!(server.reply_due());
        // Lockstep: a second receive before replying is refused by libzmq, not lost.
        if expect == "decode" {
            assert!(matches!(
                server.recv(&mut request),
                Err(TransportError::Zmq(zmq::Error::EFSM))
            ));
        }
        let mut reply = Item::default();
        reply.set_text(kind);
        server.send(&reply).unwrap();
        let answer = client.recv_bytes(0).unwrap();
        assert_eq!(Item::parse_from_slice(&answer[1..]).unwrap().text(), kind);
    }
    assert_eq!(request.id(), 9);
    assert_eq!(server.stats().bad_input, 5);
}

#[test]
fn a_truncated_record_is_an_error_for_its_frame_only() {
    let ctx = zmq::Context::new();
    let mut pull = Pull::<Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    pull.bind("inproc://truncated").unwrap();
    let raw = ctx.socket(zmq::PUSH).unwrap();
    raw.connect("inproc://truncated").unwrap();
    let mut frame = Vec::new();
    for i in 0..3 {
        item(i, 40).append_delimited_to_vec(&mut frame).unwrap();
    }
    let whole = frame.len();
    item(3, 40).append_delimited_to_vec(&mut frame).unwrap();
    frame.truncate(frame.len() - 5); // the fourth record is cut short
    raw.send(&frame[..], 0).unwrap();
    let mut bad_body = Vec::new();
    bad_body.extend_from_slice(&[0x02, 0x0a, 0x05]); // a string field running past its record
    item(5, 40).append_delimited_to_vec(&mut bad_body).unwrap();
    raw.send(&bad_body[..], 0).unwrap();
    raw.send_multipart([&b"two"[..], &b"frames"[..]], 0)
        .unwrap();
    let mut next = Vec::new();
    item(4, 40).append_delimited_to_vec(&mut next).unwrap();
    raw.send(&next[..], 0).unwrap();

    let mut m = Item::default();
    for i in 0..3 {
        pull.recv(&mut m).unwrap();
        assert_eq!(m.id(), i);
    }
    match pull.recv(&mut m).unwrap_err() {
        TransportError::Decode { error, frame } => {
            assert!(matches!(
                error.kind(),
                DecodeErrorKind::LengthExceedsInput { .. }
            ));
            assert_eq!((frame.frame, frame.record, frame.offset), (1, 3, whole));
        }
        e => panic!("{e}"),
    }
    // A record whose body does not decode: the records after it in the frame still do.
    match pull.recv(&mut m).unwrap_err() {
        TransportError::Decode { frame, .. } => assert_eq!((frame.frame, frame.record), (2, 0)),
        e => panic!("{e}"),
    }
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id(), 5);
    assert!(matches!(
        pull.recv(&mut m),
        Err(TransportError::UnexpectedFrames {
            expected: 1,
            received: 2,
            frame: 3
        })
    ));
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id(), 4);
    let stats = pull.stats();
    assert_eq!((stats.messages_received, stats.bad_input), (5, 3));
}

#[test]
fn sub_rejects_messages_without_a_topic_frame() {
    let ctx = zmq::Context::new();
    let raw = ctx.socket(zmq::PUB).unwrap();
    raw.bind("inproc://sub-shape").unwrap();
    let mut sub = Sub::<Item>::new(&ctx, timed(Framing::Raw, 5000)).unwrap();
    sub.subscribe(b"").unwrap();
    sub.connect("inproc://sub-shape").unwrap();
    thread::sleep(Duration::from_millis(50)); // inproc subscription reaches the PUB
    let payload = item(1, 20).serialize_to_vec().unwrap();
    raw.send(&payload[..], 0).unwrap();
    raw.send_multipart([&b"t"[..], &payload[..], &payload[..]], 0)
        .unwrap();
    raw.send_multipart([&b"t"[..], &payload[..]], 0).unwrap();
    let mut m = Item::default();
    assert!(matches!(
        sub.recv(&mut m),
        Err(TransportError::UnexpectedFrames {
            expected: 2,
            received: 1,
            ..
        })
    ));
    assert!(matches!(
        sub.recv(&mut m),
        Err(TransportError::UnexpectedFrames {
            expected: 2,
            received: 3,
            ..
        })
    ));
    assert_eq!(sub.recv(&mut m).unwrap(), b"t");
    assert_eq!(m.id(), 1);
}

#[test]
fn req_recovers_after_a_reply_times_out() {
    let ctx = zmq::Context::new();
    let mut server = Rep::<Item, Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    let endpoint = server.bind("tcp://127.0.0.1:*").unwrap();
    let handle = thread::spawn(move || {
        let mut q = Item::default();
        // First request: answered too late.
        server.recv(&mut q).unwrap();
        thread::sleep(Duration::from_millis(300));
        server.send(&q).unwrap();
        // Second: answered at once.
        server.recv(&mut q).unwrap();
        server.send(&q).unwrap();
    });
    let mut client = Req::<Item, Item>::new(&ctx, timed(Framing::Delimited, 100)).unwrap();
    client.connect(&endpoint).unwrap();
    let mut reply = Item::default();
    let started = Instant::now();
    assert!(client
        .request(&item(1, 10), &mut reply)
        .unwrap_err()
        .is_timeout());
    assert!(started.elapsed() < Duration::from_secs(2));
    client.raw().set_rcvtimeo(5000).unwrap();
    client.request(&item(2, 10), &mut reply).unwrap();
    assert_eq!(reply.id(), 2, "the late reply to request 1 was discarded");
    handle.join().unwrap();
}

#[test]
fn send_times_out_without_peers_and_keeps_the_batch() {
    let ctx = zmq::Context::new();
    let options = Options {
        track_peers: true,
        ..timed(Framing::Delimited, 50)
    };
    let mut push = Push::<Item>::new(&ctx, options).unwrap();
    let endpoint = push.bind("tcp://127.0.0.1:*").unwrap();
    assert!(push.send(&item(0, 10)).unwrap_err().is_timeout());
    push.queue(&item(1, 10)).unwrap();
    push.queue(&item(2, 10)).unwrap();
    assert!(push.flush().unwrap_err().is_timeout());
    assert_eq!(push.queued(), 2, "a failed flush keeps the batch");
    let mut pull = Pull::<Item>::new(&ctx, timed(Framing::Delimited, 5000)).unwrap();
    pull.connect(&endpoint).unwrap();
    push.wait_for_peers(1, WAIT).unwrap();
    push.raw().set_sndtimeo(5000).unwrap();
    push.flush().unwrap();
    let mut m = Item::default();
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id(), 1);
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id(), 2);
}

#[test]
fn oversized_frames_are_refused_before_allocation() {
    let ctx = zmq::Context::new();
    let options = Options {
        parse: zpb::ParseOptions {
            max_size: 1000,
            ..zpb::ParseOptions::default()
        },
        track_peers: true,
        ..timed(Framing::Raw, 300)
    };
    let mut pull = Pull::<Item>::new(&ctx, options).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let raw = ctx.socket(zmq::PUSH).unwrap();
    raw.set_linger(0).unwrap();
    raw.connect(&endpoint).unwrap();
    pull.wait_for_peers(1, WAIT).unwrap();
    raw.send(vec![0u8; 5000], 0).unwrap();
    let mut m = Item::default();
    assert!(pull.recv(&mut m).unwrap_err().is_timeout());
    // libzmq dropped the connection; the peer reconnects and is heard again.
    let deadline = Instant::now() + WAIT;
    let small = item(7, 20).serialize_to_vec().unwrap();
    loop {
        raw.send(&small[..], 0).unwrap();
        if pull.recv(&mut m).is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "never reconnected");
    }
    assert_eq!(m.id(), 7);
}

#[test]
fn peers_follow_connections() {
    let ctx = zmq::Context::new();
    let tracked = Options {
        track_peers: true,
        ..Options::default()
    };
    let mut pull = Pull::<Item>::new(&ctx, tracked).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let pushes: Vec<_> = (0..3)
        .map(|_| {
            let p = Push::<Item>::new(&ctx, Options::default()).unwrap();
            p.connect(&endpoint).unwrap();
            p
        })
        .collect();
    assert_eq!(pull.wait_for_peers(3, WAIT).unwrap(), 3);
    drop(pushes);
    let deadline = Instant::now() + WAIT;
    while pull.peers().unwrap() > 0 {
        assert!(Instant::now() < deadline);
        thread::sleep(Duration::from_millis(10));
    }
    // A client that fails the handshake is not counted.
    let stream = std::net::TcpStream::connect(endpoint.trim_start_matches("tcp://")).unwrap();
    drop(stream);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(pull.peers().unwrap(), 0);
    assert!(pull
        .wait_for_peers(1, Duration::from_millis(50))
        .unwrap_err()
        .is_timeout());
    // Untracked sockets say so.
    let mut untracked = Pull::<Item>::new(&ctx, Options::default()).unwrap();
    assert!(matches!(
        untracked.peers(),
        Err(TransportError::Zmq(zmq::Error::ENOTSUP))
    ));
}

#[test]
fn closing_tracked_sockets_never_stalls_the_context() {
    // libzmq sends monitor events with a blocking send: a socket closed with events still
    // to report must not leave the context's threads waiting for a reader that is gone.
    let ctx = zmq::Context::new();
    let tracked = Options {
        track_peers: true,
        ..timed(Framing::Delimited, 5000)
    };
    for _ in 0..20 {
        let mut pull = Pull::<Item>::new(&ctx, tracked).unwrap();
        let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
        let pushes: Vec<_> = (0..5)
            .map(|_| {
                let p = Push::<Item>::new(&ctx, tracked).unwrap();
                p.connect(&endpoint).unwrap();
                p
            })
            .collect();
        pull.wait_for_peers(5, WAIT).unwrap();
        drop(pull); // disconnect events for five peers, no reader any more
        drop(pushes);
    }
    let mut pull = Pull::<Item>::new(&ctx, tracked).unwrap();
    let endpoint = pull.bind("tcp://127.0.0.1:*").unwrap();
    let mut push = Push::<Item>::new(&ctx, tracked).unwrap();
    push.connect(&endpoint).unwrap();
    assert_eq!(pull.wait_for_peers(1, WAIT).unwrap(), 1);
    push.send(&item(1, 10)).unwrap();
    let mut m = Item::default();
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id(), 1);
}

#[test]
fn required_fields_are_checked_both_ways() {
    let ctx = zmq::Context::new();
    let mut pull = Pull::<Strict>::new(&ctx, timed(Framing::Raw, 5000)).unwrap();
    pull.bind("inproc://required").unwrap();
    let mut push = Push::<Strict>::new(&ctx, timed(Framing::Raw, 5000)).unwrap();
    push.connect("inproc://required").unwrap();
    let missing = Strict::default();
    assert!(matches!(
        push.send(&missing),
        Err(TransportError::Encode(_))
    ));
    assert_eq!(push.stats().messages_sent, 0);
    let raw = ctx.socket(zmq::PUSH).unwrap();
    raw.connect("inproc://required").unwrap();
    raw.send(Vec::new(), 0).unwrap();
    let mut m = Strict::default();
    match pull.recv(&mut m).unwrap_err() {
        TransportError::Decode { error, .. } => {
            assert!(matches!(
                error.kind(),
                DecodeErrorKind::MissingRequiredFields(_)
            ))
        }
        e => panic!("{e}"),
    }
    push.send(&Strict {
        id: Some(3),
        ..Default::default()
    })
    .unwrap();
    pull.recv(&mut m).unwrap();
    assert_eq!(m.id, Some(3));
}

#[test]
fn bad_endpoints_are_errors_not_panics() {
    let ctx = zmq::Context::new();
    let pull = Pull::<Item>::new(&ctx, Options::default()).unwrap();
    for endpoint in ["tcp://127.0.0.1:1\0", "nonsense", "tcp://"] {
        assert!(
            matches!(pull.bind(endpoint), Err(TransportError::Zmq(_))),
            "{endpoint}"
        );
        assert!(pull.connect(endpoint).is_err(), "{endpoint}");
    }
}

#[test]
fn sockets_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    let ctx = zmq::Context::new();
    let push = Push::<Item>::new(&ctx, Options::default()).unwrap();
    send(&push);
    let sub = Sub::<Item>::new(&ctx, Options::default()).unwrap();
    thread::spawn(move || sub.subscribe(b"x").unwrap())
        .join()
        .unwrap();
    let text = format!("{push:?}");
    assert!(
        text.contains("PUSH") && text.contains("Delimited"),
        "{text}"
    );
}

#[test]
fn the_recursion_limit_of_the_options_applies_to_received_messages() {
    for framing in FRAMINGS {
        let ctx = zmq::Context::new();
        let mut options = timed(framing, 5000);
        options.parse.recursion_limit = 0; // no sub-message allowed
        let mut pull = Pull::<Item>::new(&ctx, options).unwrap();
        pull.bind("inproc://recursion").unwrap();
        let mut push = Push::<Item>::new(&ctx, timed(framing, 5000)).unwrap();
        push.connect("inproc://recursion").unwrap();
        push.send(&item(1, 40)).unwrap(); // two parts: one level of nesting
        let mut flat = Item::default();
        flat.set_id(2);
        push.send(&flat).unwrap();
        let mut m = Item::default();
        match pull.recv(&mut m).unwrap_err() {
            TransportError::Decode { error, .. } => {
                assert_eq!(error.kind(), &DecodeErrorKind::RecursionLimitExceeded(0))
            }
            e => panic!("{e}"),
        }
        pull.recv(&mut m).unwrap();
        assert_eq!(m, flat);
    }
}
