//! `demo`: the three patterns over tcp loopback in one process — who sent what where,
//! throughput, what a crashed worker costs, the memory policies on a spiky stream next to
//! prost ([`crate::memory`]), and the memory the receive loops hold.

use crate::cli::{counts, usage, Args};
use crate::pipeline::{
    self, Sink, SinkConfig, Ventilator, VentilatorConfig, WorkerConfig, WorkerSummary,
};
use crate::pub_sub::{
    topic_of, Publisher, PublisherConfig, Subscriber, SubscriberConfig, SubscriberSummary,
};
use crate::req_rep::{self, ClientConfig, Server, ServerConfig};
use crate::seed::Reply;
use crate::Error;
use std::io::{self, Write};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing};
use zpb::Message;

/// Usage of `demo`.
pub const USAGE: &str = "\
usage: demo [--framing raw|delimited] [--requests N] [--events N] [--tasks N] [--workers K]

all three patterns over tcp loopback in one process, exit 0 when each delivered what it
promises; then one receive loop over a spiky stream under each memory policy and a pool,
next to prost (allocations per message, heap kept after each clear)
  --framing F          raw or delimited, on every socket (default delimited)
  --requests N         REQ/REP round trips (default 2000)
  --events N           events published, half before a late subscriber joins (default 6000)
  --tasks N            pipeline tasks (default 600)
  --workers K          pipeline workers, one of which crashes and is replaced (default 3)";

/// Demo sizes.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    /// Framing for every socket.
    pub framing: Framing,
    /// REQ/REP round trips.
    pub requests: u64,
    /// Events published (half before the late subscriber joins).
    pub events: u64,
    /// Pipeline tasks.
    pub tasks: u64,
    /// Pipeline workers (one of them crashes and is restarted).
    pub workers: usize,
}

const LOOPBACK: &str = "tcp://127.0.0.1:*";
/// Enough queue for every event, so that what the subscribers miss is only what was
/// published before they joined (the slow-subscriber case is in the tests).
const HWM: u32 = 100_000;
const WAIT: Duration = Duration::from_secs(30);

fn join<T>(handle: JoinHandle<Result<T, Error>>) -> Result<T, Error> {
    handle.join().map_err(|_| "a demo thread panicked")?
}

/// Runs the demo, printing to `out`.
pub fn run(config: &DemoConfig, out: &mut dyn Write) -> Result<(), Error> {
    let ctx = zmq::Context::new();
    writeln!(
        out,
        "zpb over ZeroMQ: three patterns over tcp loopback, {} framing\n",
        config.framing
    )?;
    let mut demo = Demo {
        ctx: &ctx,
        config,
        out,
        held: Vec::new(),
    };
    demo.req_rep()?;
    demo.pub_sub()?;
    demo.pipeline()?;
    let Demo { out, held, .. } = demo;
    crate::memory::run(out)?;
    writeln!(
        out,
        "== memory held by the receive loops (messages + frame buffers) =="
    )?;
    for (who, bytes) in &held {
        writeln!(out, "  {who:<28} {bytes:>7} bytes")?;
    }
    writeln!(out, "\ndone: every pattern delivered what it promised")?;
    Ok(())
}

/// What each part of the demo works with.
struct Demo<'a> {
    ctx: &'a zmq::Context,
    config: &'a DemoConfig,
    out: &'a mut dyn Write,
    /// Heap bytes held by each receive loop, printed at the end.
    held: Vec<(String, usize)>,
}

fn subscriber(
    ctx: &zmq::Context,
    endpoint: &str,
    framing: Framing,
    prefix: &str,
    count: u64,
) -> Result<JoinHandle<Result<SubscriberSummary, Error>>, Error> {
    let sub = Subscriber::connect(
        ctx,
        SubscriberConfig {
            connect: endpoint.to_string(),
            framing,
            topics: vec![prefix.to_string()],
            count: Some(count),
            settle: Duration::from_millis(200),
            timeout: Duration::from_secs(10),
            quiet: true,
            hwm: HWM,
        },
    )?;
    Ok(thread::spawn(move || sub.run(&mut io::sink())))
}

fn spawn_worker(
    ctx: &zmq::Context,
    config: WorkerConfig,
) -> JoinHandle<Result<WorkerSummary, Error>> {
    let ctx = ctx.clone();
    thread::spawn(move || pipeline::worker(&ctx, &config, &mut io::sink()))
}

impl Demo<'_> {
    /// REQ/REP: one server, one well-behaved client, one rogue peer.
    fn req_rep(&mut self) -> Result<(), Error> {
        let (ctx, config) = (self.ctx, self.config);
        writeln!(
            self.out,
            "== REQ/REP: one server, one well-behaved client, one rogue peer =="
        )?;
        let server = Server::bind(
            ctx,
            ServerConfig {
                bind: LOOPBACK.into(),
                framing: config.framing,
                max_requests: Some(config.requests + 1),
                idle_exit: Some(WAIT),
                quiet: true,
            },
        )?;
        let endpoint = server.endpoint.clone();
        writeln!(self.out, "server bound {endpoint}")?;
        let serving = thread::spawn(move || server.run(&mut io::sink()));
        // A peer that speaks ZeroMQ but sends garbage gets an error reply; the server goes on.
        let rogue = ctx.socket(zmq::REQ)?;
        rogue.set_rcvtimeo(10_000)?;
        rogue.connect(&endpoint)?;
        rogue.send(&b"\x0a\xff\xff"[..], 0)?;
        let answer = rogue.recv_bytes(0)?;
        let text = match config.framing {
            Framing::Raw => Reply::parse_from_slice(&answer),
            Framing::Delimited => Reply::parse_from_slice(answer.get(1..).unwrap_or_default()),
        }
        .map(|r| String::from(r.text))
        .unwrap_or_else(|e| format!("undecodable: {e}"));
        writeln!(
            self.out,
            "rogue peer sent 3 bytes of garbage, was answered {text:?}"
        )?;
        let client = req_rep::generated(
            ctx,
            &ClientConfig {
                connect: endpoint,
                framing: config.framing,
                timeout: Duration::from_secs(10),
            },
            config.requests,
        )?;
        let served = join(serving)?;
        writeln!(
            self.out,
            "client: {} round trips, every reply checked, {:.0} round trips/s",
            client.round_trips,
            client.rate()
        )?;
        writeln!(
            self.out,
            "server: answered {} requests and {} bad one\n",
            served.answered, served.bad
        )?;
        if served.answered != config.requests || served.bad != 1 {
            return Err("REQ/REP counts do not add up".into());
        }
        self.held.push(("REP server".into(), served.held_bytes));
        Ok(())
    }

    /// PUB/SUB: three subscribers by topic prefix and a late joiner.
    fn pub_sub(&mut self) -> Result<(), Error> {
        let (ctx, config) = (self.ctx, self.config);
        writeln!(
            self.out,
            "== PUB/SUB: topics news.world, news.local, weather; filtered in libzmq =="
        )?;
        let topics = ["news.world", "news.local", "weather"];
        let half = config.events / 2;
        let mut publisher = Publisher::bind(
            ctx,
            PublisherConfig {
                bind: LOOPBACK.into(),
                framing: config.framing,
                topics: topics.iter().map(|t| t.to_string()).collect(),
                subscribers: 0,
                wait: WAIT,
                // The demo knows its subscribers: it waits for exactly their subscriptions.
                settle: Duration::ZERO,
                interval: Duration::ZERO,
                batch: config.framing == Framing::Delimited,
                hwm: HWM,
            },
        )?;
        let endpoint = publisher.endpoint.clone();
        let batch = config.framing == Framing::Delimited;
        let second_half = config.events - half;
        let on = |topic: usize| {
            [half, second_half]
                .iter()
                .map(|&n| (0..n).filter(|&i| topic_of(i, 3, batch) == topic).count() as u64)
                .sum::<u64>()
        };
        let (news, weather) = (on(0) + on(1), on(2));
        let subscribers = [
            ("subscriber news.", "news.", news),
            ("subscriber weather", "weather", weather),
            ("subscriber (everything)", "", config.events),
        ];
        let mut handles = Vec::new();
        for (name, prefix, count) in subscribers {
            handles.push((
                name,
                subscriber(ctx, &endpoint, config.framing, prefix, count)?,
            ));
        }
        publisher.wait_for_subscribers(3)?;
        let started = Instant::now();
        publisher.generated(half)?;
        // A late joiner: no queue was kept for it, so it only sees what comes next.
        let joining = Instant::now();
        let late = subscriber(ctx, &endpoint, config.framing, "", second_half)?;
        handles.push(("late joiner (everything)", late));
        publisher.wait_for_subscribers(4)?;
        let paused = joining.elapsed();
        let second = publisher.generated(second_half)?;
        let mut seen = Vec::new();
        for (name, handle) in handles {
            seen.push((name, join(handle)?));
        }
        // Delivered, not handed to libzmq: what the subscribers received, over the time from
        // the first send to the last arrival (without the pause for the late joiner).
        let delivered: u64 = seen.iter().map(|(_, s)| s.received).sum();
        let last = seen.iter().filter_map(|(_, s)| s.last_at).max();
        let seconds = last.map_or(0.0, |last| {
            (last.duration_since(started).saturating_sub(paused)).as_secs_f64()
        });
        writeln!(
            self.out,
            "publisher bound {endpoint}: {} events in {} frames{}; {} subscribers received {delivered} events, {:.0} events/s delivered (measured at the subscribers)",
            // The publisher's counts are totals since it was bound.
            second.published,
            second.frames,
            if config.framing == Framing::Delimited {
                " (batched per topic)"
            } else {
                ""
            },
            seen.len(),
            delivered as f64 / seconds.max(1e-9),
        )?;
        for (name, seen) in seen {
            writeln!(
                self.out,
                "  {name:<26} got {:>6} ({}), missed {} before joining, {} after",
                seen.received,
                counts(&seen.per_topic),
                seen.missed_before_join,
                seen.missed_after_join
            )?;
            if seen.generated_ok != seen.received || seen.bad != 0 {
                return Err(format!("{name} saw wrong events").into());
            }
            self.held.push((name.to_string(), seen.held_bytes));
        }
        writeln!(self.out)?;
        Ok(())
    }

    /// The pipeline: a ventilator, workers (one crashes and is restarted) and a sink.
    fn pipeline(&mut self) -> Result<(), Error> {
        let (ctx, config) = (self.ctx, self.config);
        writeln!(
            self.out,
            "== Pipeline: ventilator -> {} workers -> sink, acknowledgements back ==",
            config.workers
        )?;
        let mut ventilator = Ventilator::bind(
            ctx,
            VentilatorConfig {
                tasks_bind: LOOPBACK.into(),
                acks_bind: LOOPBACK.into(),
                framing: config.framing,
                count: config.tasks,
                work_ms: 1,
                payload: 100,
                resend_after: Duration::from_millis(500),
                workers: config.workers,
                batch: 1,
                timeout: Duration::from_secs(120),
            },
        )?;
        let sink = Sink::bind(
            ctx,
            SinkConfig {
                bind: LOOPBACK.into(),
                acks_connect: ventilator.acks_endpoint.clone(),
                framing: config.framing,
                count: config.tasks,
                payload: 100,
                timeout: Duration::from_secs(30),
                quiet: true,
            },
        )?;
        let worker_config = |name: String, crash_after: Option<u64>| WorkerConfig {
            pull: ventilator.tasks_endpoint.clone(),
            push: sink.endpoint.clone(),
            framing: config.framing,
            name,
            idle_exit: Some(Duration::from_millis(700)),
            crash_after,
            quiet: true,
        };
        let crash_after = (config.tasks / config.workers as u64 / 3).max(1);
        let mut workers: Vec<_> = (1..=config.workers)
            .map(|i| {
                let crash = (i == 2).then_some(crash_after);
                let name = format!("worker-{i}");
                (name.clone(), spawn_worker(ctx, worker_config(name, crash)))
            })
            .collect();
        let restart = worker_config("worker-2-restarted".into(), None);
        writeln!(
            self.out,
            "ventilator tasks on {}, sink on {}",
            ventilator.tasks_endpoint, sink.endpoint
        )?;
        let collecting = thread::spawn(move || sink.run(&mut io::sink()));
        ventilator.wait_for_workers()?;
        let sending = thread::spawn(move || ventilator.run(&mut io::sink()));
        // Worker 2 crashes mid-run; start its replacement once it is gone.
        if config.workers >= 2 {
            let (name, crashed) = workers.remove(1);
            let crashed = join(crashed)?;
            if !crashed.crashed {
                return Err(format!("{name} ran out of tasks before its crash").into());
            }
            writeln!(
                self.out,
                "  {name} crashed after {} tasks, closing its sockets with tasks still queued",
                crashed.processed
            )?;
            workers.push((restart.name.clone(), spawn_worker(ctx, restart)));
        }
        let sent = join(sending)?;
        let collected = join(collecting)?;
        for (name, handle) in workers {
            let done = join(handle)?;
            writeln!(
                self.out,
                "  {name:<20} processed {:>5} tasks",
                done.processed
            )?;
            self.held.push((name, done.held_bytes));
        }
        writeln!(
            self.out,
            "ventilator: {} tasks sent, {} re-sent after no acknowledgement, {} acknowledged",
            sent.sent, sent.resent, sent.acked
        )?;
        writeln!(
            self.out,
            "sink: {} distinct results ({:.0} tasks/s end to end), {} duplicates dropped, per worker {}",
            collected.distinct,
            collected.distinct as f64 / sent.seconds.max(1e-9),
            collected.duplicates,
            counts(&collected.per_worker)
        )?;
        writeln!(
            self.out,
            "every task took effect exactly once at the sink, despite the crash\n"
        )?;
        if collected.distinct != config.tasks || collected.wrong != 0 || sent.acked != config.tasks
        {
            return Err("pipeline counts do not add up".into());
        }
        self.held.push(("sink".into(), collected.held_bytes));
        Ok(())
    }
}

/// `demo [--framing raw|delimited] ...`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let config = DemoConfig {
        framing: args.value("framing", Framing::Delimited)?,
        requests: args.value("requests", 2000)?,
        events: args.value("events", 6000)?,
        tasks: args.value("tasks", 600)?,
        workers: args.value("workers", 3)?,
    };
    args.finish()?;
    if args.positional(0).is_some() || config.workers == 0 || config.tasks == 0 {
        return Err(usage(USAGE));
    }
    run(&config, out)
}
