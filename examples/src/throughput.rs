//! `throughput`: messages per second of the typed sockets against raw `zmq` sockets in one
//! run, over tcp loopback with ~100-byte messages: PUSH/PULL (unbatched and batched) and
//! REQ/REP round trips. Run it in release mode.

use crate::cli::{usage, Args};
use crate::seed::Request;
use crate::Error;
use std::io::Write;
use std::thread;
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing, Options, Pull, Push, Rep, Req};
use zpb::Message;

/// Usage of `throughput`.
pub const USAGE: &str = "\
usage: throughput [--messages N] [--round-trips N] [--repeat N] [--size BYTES] [--only TEXT]

typed sockets against raw zmq sockets over tcp loopback (run with --release)
  --messages N         messages per PUSH/PULL run (default 1000000)
  --round-trips N      round trips per REQ/REP run (default 20000)
  --repeat N           runs of each measurement, the best is shown (default 3)
  --size BYTES         encoded message size (default 100, at least 7)
  --only TEXT          only the measurements whose name contains TEXT";

/// Ids start here so every message encodes to the same size.
const BASE_ID: u64 = 1 << 21;

/// A request of exactly `size` encoded bytes (at least 7).
pub fn request_of_size(id: u64, size: usize) -> Request {
    let mut r = Request {
        id: BASE_ID + id,
        ..Request::default()
    };
    // id: 1 + 4 bytes; text: 1 tag byte + 1-2 length bytes.
    let prefix = if size >= 136 { 8 } else { 7 };
    r.text
        .extend(std::iter::repeat_n('x', size.saturating_sub(prefix)));
    r
}

/// One measured line.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// What was measured.
    pub name: &'static str,
    /// Messages (or round trips) per second.
    pub rate: f64,
}

fn options(framing: Framing) -> Options {
    Options {
        framing,
        send_timeout: Some(Duration::from_secs(30)),
        recv_timeout: Some(Duration::from_secs(30)),
        ..Options::default()
    }
}

fn rate(n: u64, started: Instant) -> f64 {
    n as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Raw libzmq PUSH → PULL of pre-encoded bytes: the floor under everything else.
fn raw_push_pull(ctx: &zmq::Context, n: u64, size: usize, encode: bool) -> Result<f64, Error> {
    let pull = ctx.socket(zmq::PULL)?;
    pull.bind("tcp://127.0.0.1:*")?;
    let endpoint = pull.get_last_endpoint()?.map_err(|_| "endpoint")?;
    let push = ctx.socket(zmq::PUSH)?;
    push.connect(&endpoint)?;
    let sender = thread::spawn(move || -> Result<(), Error> {
        let mut request = request_of_size(0, size);
        let mut buf = request.serialize_to_vec()?;
        for i in 0..n {
            if encode {
                request.id = BASE_ID + i;
                request.serialize_into_vec(&mut buf)?;
            }
            push.send(&buf[..], 0)?;
        }
        Ok(())
    });
    let mut frame = zmq::Message::new();
    let mut request = Request::default();
    let started = Instant::now();
    for _ in 0..n {
        pull.recv(&mut frame, 0)?;
        if encode {
            request.clear_and_parse(&frame)?;
        }
    }
    let r = rate(n, started);
    sender.join().map_err(|_| "sender panicked")??;
    Ok(r)
}

/// Typed PUSH → PULL; `batch` messages per frame when above 1.
fn typed_push_pull(
    ctx: &zmq::Context,
    n: u64,
    size: usize,
    framing: Framing,
    batch: u64,
) -> Result<f64, Error> {
    let mut pull = Pull::<Request>::new(ctx, options(framing))?;
    let endpoint = pull.bind("tcp://127.0.0.1:*")?;
    let mut push = Push::<Request>::new(ctx, options(framing))?;
    push.connect(&endpoint)?;
    let sender = thread::spawn(move || -> Result<(), Error> {
        let mut request = request_of_size(0, size);
        for i in 0..n {
            request.id = BASE_ID + i;
            if batch > 1 {
                push.queue(&request)?;
                if (i + 1) % batch == 0 {
                    push.flush()?;
                }
            } else {
                push.send(&request)?;
            }
        }
        Ok(push.flush()?)
    });
    let mut request = Request::default();
    let started = Instant::now();
    for _ in 0..n {
        pull.recv(&mut request)?;
    }
    let r = rate(n, started);
    sender.join().map_err(|_| "sender panicked")??;
    Ok(r)
}

/// Raw libzmq REQ/REP round trips of pre-encoded bytes.
fn raw_req_rep(ctx: &zmq::Context, n: u64, size: usize) -> Result<f64, Error> {
    let rep = ctx.socket(zmq::REP)?;
    rep.bind("tcp://127.0.0.1:*")?;
    let endpoint = rep.get_last_endpoint()?.map_err(|_| "endpoint")?;
    let server = thread::spawn(move || -> Result<(), Error> {
        let mut frame = zmq::Message::new();
        for _ in 0..n {
            rep.recv(&mut frame, 0)?;
            rep.send(&frame[..], 0)?;
        }
        Ok(())
    });
    let req = ctx.socket(zmq::REQ)?;
    req.connect(&endpoint)?;
    let buf = request_of_size(0, size).serialize_to_vec()?;
    let mut frame = zmq::Message::new();
    let started = Instant::now();
    for _ in 0..n {
        req.send(&buf[..], 0)?;
        req.recv(&mut frame, 0)?;
    }
    let r = rate(n, started);
    server.join().map_err(|_| "server panicked")??;
    Ok(r)
}

/// Typed REQ/REP round trips.
fn typed_req_rep(ctx: &zmq::Context, n: u64, size: usize, framing: Framing) -> Result<f64, Error> {
    let mut rep = Rep::<Request, Request>::new(ctx, options(framing))?;
    let endpoint = rep.bind("tcp://127.0.0.1:*")?;
    let server = thread::spawn(move || -> Result<(), Error> {
        let mut request = Request::default();
        for _ in 0..n {
            rep.recv(&mut request)?;
            rep.send(&request)?;
        }
        Ok(())
    });
    let mut req = Req::<Request, Request>::new(ctx, options(framing))?;
    req.connect(&endpoint)?;
    let (mut request, mut reply) = (request_of_size(0, size), Request::default());
    let started = Instant::now();
    for i in 0..n {
        request.id = BASE_ID + i;
        req.request(&request, &mut reply)?;
    }
    let r = rate(n, started);
    server.join().map_err(|_| "server panicked")??;
    Ok(r)
}

/// Measures everything whose name contains `only` (everything for `""`) `repeat` times (the
/// best run counts: the machine may be busy) with messages of `size` encoded bytes:
/// `messages` for PUSH/PULL, `round_trips` for REQ/REP.
pub fn measure(
    messages: u64,
    round_trips: u64,
    repeat: u32,
    size: usize,
    only: &str,
) -> Result<Vec<Measurement>, Error> {
    type Run = fn(&zmq::Context, u64, usize) -> Result<f64, Error>;
    const D: Framing = Framing::Delimited;
    let runs: [(&'static str, u64, Run); 8] = [
        ("PUSH/PULL raw zmq, bytes only", messages, |c, n, s| {
            raw_push_pull(c, n, s, false)
        }),
        (
            "PUSH/PULL raw zmq + zpb encode/parse",
            messages,
            |c, n, s| raw_push_pull(c, n, s, true),
        ),
        ("PUSH/PULL typed, raw framing", messages, |c, n, s| {
            typed_push_pull(c, n, s, Framing::Raw, 1)
        }),
        ("PUSH/PULL typed, delimited", messages, |c, n, s| {
            typed_push_pull(c, n, s, D, 1)
        }),
        (
            "PUSH/PULL typed, delimited, batches of 100",
            messages,
            |c, n, s| typed_push_pull(c, n, s, D, 100),
        ),
        ("REQ/REP raw zmq, bytes only", round_trips, raw_req_rep),
        ("REQ/REP typed, raw framing", round_trips, |c, n, s| {
            typed_req_rep(c, n, s, Framing::Raw)
        }),
        ("REQ/REP typed, delimited", round_trips, |c, n, s| {
            typed_req_rep(c, n, s, D)
        }),
    ];
    let runs: Vec<_> = runs
        .iter()
        .filter(|(name, _, _)| name.contains(only))
        .collect();
    let ctx = zmq::Context::new();
    let mut best = vec![0f64; runs.len()];
    // Interleaved, so that a busy moment does not fall on one measurement only.
    for _ in 0..repeat.max(1) {
        for (i, (_, n, run)) in runs.iter().enumerate() {
            best[i] = best[i].max(run(&ctx, *n, size)?);
        }
    }
    Ok(runs
        .iter()
        .zip(best)
        .map(|((name, _, _), rate)| Measurement { name, rate })
        .collect())
}

/// `throughput [--messages N] [--round-trips N] [--repeat N] [--size BYTES] [--only TEXT]`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let messages = args.value("messages", 1_000_000)?;
    let round_trips = args.value("round-trips", 20_000)?;
    let repeat = args.value("repeat", 3)?;
    let size = args.value("size", 100)?;
    let only = args.text("only", "");
    args.finish()?;
    if args.positional(0).is_some() {
        return Err(usage(USAGE));
    }
    if cfg!(debug_assertions) {
        writeln!(
            out,
            "(debug build: run with --release for meaningful numbers)"
        )?;
    }
    let size = request_of_size(0, size).byte_size();
    writeln!(
        out,
        "tcp loopback, {size}-byte messages: {messages} per PUSH/PULL run, {round_trips} REQ/REP \
         round trips; best of {repeat}"
    )?;
    for m in measure(messages, round_trips, repeat, size, &only)? {
        let unit = if m.name.starts_with("REQ") {
            "round trips/s"
        } else {
            "msgs/s"
        };
        writeln!(out, "  {:<44} {:>12.0} {unit}", m.name, m.rate)?;
    }
    Ok(())
}
