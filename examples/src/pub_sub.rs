//! PUB/SUB: a publisher of [`Event`]s (stdin lines, or `--count N` generated events cycling
//! over `--topic a,b,...`) and a subscriber printing what matches its `--topic` prefixes.
//!
//! Each topic has its own sequence number, so a subscriber sees exactly what it missed:
//! events published before its subscription reached the publisher (a late joiner), or
//! dropped at a high-water mark because it read too slowly. There is no queue for absent
//! subscribers.

use crate::cli::{counts, summary, usage, Args};
use crate::seed::Event;
use crate::Error;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing, Options, Pub, Sub};
use zpb::Reuse;

/// Where the publisher binds by default.
pub const ENDPOINT: &str = "tcp://127.0.0.1:5000";

/// Usage of `pub_sub`.
pub const USAGE: &str = "\
usage: pub_sub publisher [--bind EP] [--topic T1,T2] [--count N] [--subscribers K] [--interval-ms MS] [--batch] [--hwm N] [--framing raw|delimited]
       pub_sub subscriber [--connect EP] [--topic PREFIX1,PREFIX2] [--count N] [--timeout-ms MS] [--hwm N] [--quiet] [--framing raw|delimited]";

/// The text of generated event `seq` on `topic`.
pub fn generated_text(topic: &str, seq: u64) -> String {
    format!("{topic} event {seq}")
}

/// Events per topic in a batch frame.
pub const BATCH: u64 = 64;

/// The topic (index) of generated event `i` over `topics` topics: cycling, or when
/// batching, runs of [`BATCH`] events per topic (a batch frame carries one topic).
///
/// ```
/// use zpb_examples::pub_sub::topic_of;
/// assert_eq!((0..4).map(|i| topic_of(i, 3, false)).collect::<Vec<_>>(), [0, 1, 2, 0]);
/// assert_eq!((topic_of(63, 3, true), topic_of(64, 3, true)), (0, 1));
/// ```
pub fn topic_of(i: u64, topics: usize, batch: bool) -> usize {
    let n = topics.max(1) as u64;
    let t = if batch {
        i % (BATCH * n) / BATCH
    } else {
        i % n
    };
    t as usize
}

/// Publisher settings.
#[derive(Clone, Debug)]
pub struct PublisherConfig {
    /// Endpoint to bind.
    pub bind: String,
    /// Framing of payload frames.
    pub framing: Framing,
    /// Topics generated events cycle over (stdin lines go to the first).
    pub topics: Vec<String>,
    /// Subscriptions to wait for before publishing.
    pub subscribers: u64,
    /// How long to wait for them.
    pub wait: Duration,
    /// Pause between generated events.
    pub interval: Duration,
    /// Batch generated events per topic (delimited framing) instead of a frame each.
    pub batch: bool,
    /// Frames queued per subscriber before it misses messages (0: no limit).
    pub hwm: u32,
}

/// What a publisher did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublisherSummary {
    /// Events published.
    pub published: u64,
    /// Frames sent (fewer than events when batching).
    pub frames: u64,
    /// Time taken.
    pub seconds: f64,
}

/// A bound publisher.
pub struct Publisher {
    socket: Pub<Event>,
    /// The endpoint bound.
    pub endpoint: String,
    config: PublisherConfig,
    next_seq: BTreeMap<String, u64>,
    event: Event,
}

impl Publisher {
    /// Binds the publisher.
    pub fn bind(ctx: &zmq::Context, config: PublisherConfig) -> Result<Publisher, Error> {
        let options = Options {
            framing: config.framing,
            send_hwm: config.hwm,
            ..Options::default()
        };
        let socket = Pub::new(ctx, options)?;
        let endpoint = socket.bind(&config.bind)?;
        Ok(Publisher {
            socket,
            endpoint,
            config,
            next_seq: BTreeMap::new(),
            event: Event::default(),
        })
    }

    /// Waits until `n` subscriptions (one per subscriber and prefix) have arrived.
    pub fn wait_for_subscribers(&mut self, n: u64) -> Result<u64, Error> {
        Ok(self.socket.wait_for_subscriptions(n, self.config.wait)?)
    }

    /// Publishes one event on `topic` with the next sequence number of that topic (queued
    /// when batching); `text` defaults to [`generated_text`].
    pub fn publish(&mut self, topic: &str, text: Option<&str>) -> Result<(), Error> {
        let seq = self.next_seq.entry(topic.to_string()).or_insert(0);
        let e = &mut self.event;
        e.clear();
        e.topic.push_str(topic);
        e.seq = *seq;
        match text {
            Some(text) => e.set_text(text),
            None => write!(e.text, "{topic} event {seq}")?,
        }
        *seq += 1;
        if self.config.batch {
            self.socket.queue(topic.as_bytes(), e)?;
        } else {
            self.socket.send(topic.as_bytes(), e)?;
        }
        Ok(())
    }

    /// Publishes `count` generated events over the topics, in the order of [`topic_of`].
    pub fn generated(&mut self, count: u64) -> Result<PublisherSummary, Error> {
        let started = Instant::now();
        let topics = self.config.topics.clone();
        for i in 0..count {
            self.publish(&topics[topic_of(i, topics.len(), self.config.batch)], None)?;
            if !self.config.interval.is_zero() {
                std::thread::sleep(self.config.interval);
            }
        }
        self.socket.flush()?;
        Ok(self.summary(started))
    }

    /// Publishes each line of `input` on the first topic.
    pub fn lines(
        &mut self,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<PublisherSummary, Error> {
        let started = Instant::now();
        let topic = self.config.topics[0].clone();
        for line in input.lines() {
            self.publish(&topic, Some(&line?))?;
            self.socket.flush()?;
            writeln!(out, "published on {topic}")?;
        }
        Ok(self.summary(started))
    }

    fn summary(&self, started: Instant) -> PublisherSummary {
        let stats = self.socket.stats();
        PublisherSummary {
            published: stats.messages_sent,
            frames: stats.frames_sent,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// Subscriber settings.
#[derive(Clone, Debug)]
pub struct SubscriberConfig {
    /// Publisher endpoint.
    pub connect: String,
    /// Framing of payload frames.
    pub framing: Framing,
    /// Topic prefixes to subscribe to (`""` for everything).
    pub topics: Vec<String>,
    /// Stop once this many events arrived (after `settle`, to catch any extra).
    pub count: Option<u64>,
    /// How long to keep listening after `count`, to show nothing else arrives.
    pub settle: Duration,
    /// Give up after this long without an event.
    pub timeout: Duration,
    /// Print nothing per event.
    pub quiet: bool,
    /// Frames queued here before the publisher's side starts to drop (0: no limit).
    pub hwm: u32,
}

/// What a subscriber saw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubscriberSummary {
    /// Events received.
    pub received: u64,
    /// Events per topic.
    pub per_topic: BTreeMap<String, u64>,
    /// Events whose text is the generated one for their topic and sequence number.
    pub generated_ok: u64,
    /// Events published before this subscriber joined (first sequence number seen, per topic).
    pub missed_before_join: u64,
    /// Gaps in sequence numbers after joining (dropped at a high-water mark).
    pub missed_after_join: u64,
    /// Bad frames (undecodable, or a topic frame that does not match the event's topic).
    pub bad: u64,
    /// Heap bytes held by the receive loop (message and frame buffers).
    pub held_bytes: usize,
}

impl SubscriberSummary {
    /// The summary line.
    pub fn line(&self) -> String {
        summary(&[
            ("received", &self.received),
            ("generated_ok", &self.generated_ok),
            ("missed_before_join", &self.missed_before_join),
            ("missed_after_join", &self.missed_after_join),
            ("bad", &self.bad),
            ("per_topic", &counts(&self.per_topic)),
        ])
    }
}

/// A connected subscriber.
pub struct Subscriber {
    socket: Sub<Event>,
    config: SubscriberConfig,
}

impl Subscriber {
    /// Connects and subscribes.
    pub fn connect(ctx: &zmq::Context, config: SubscriberConfig) -> Result<Subscriber, Error> {
        let options = Options {
            framing: config.framing,
            recv_timeout: Some(Duration::from_millis(50)),
            recv_hwm: config.hwm,
            ..Options::default()
        };
        let socket = Sub::new(ctx, options)?;
        for prefix in &config.topics {
            socket.subscribe(prefix.as_bytes())?;
        }
        socket.connect(&config.connect)?;
        Ok(Subscriber { socket, config })
    }

    /// Receives until `count` events (and `settle`) or `timeout` without an event.
    pub fn run(mut self, out: &mut dyn Write) -> Result<SubscriberSummary, Error> {
        let mut event = Event::default();
        let mut done = SubscriberSummary::default();
        let mut next_seq: BTreeMap<String, u64> = BTreeMap::new();
        let mut last_event = Instant::now();
        let mut reached: Option<Instant> = None;
        loop {
            if reached.is_none() && self.config.count.is_some_and(|n| done.received >= n) {
                reached = Some(Instant::now());
            }
            if reached.is_some_and(|t| t.elapsed() >= self.config.settle)
                || last_event.elapsed() >= self.config.timeout
            {
                break;
            }
            let topic = match self.socket.recv(&mut event) {
                Ok(topic) => topic,
                Err(e) if e.is_transient() => continue,
                Err(e) if e.is_peer_input() => {
                    writeln!(out, "bad event: {e}")?;
                    done.bad += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            last_event = Instant::now();
            if topic != event.topic.as_bytes() {
                done.bad += 1;
                continue;
            }
            done.received += 1;
            *done.per_topic.entry(event.topic.clone()).or_insert(0) += 1;
            match next_seq.get_mut(&event.topic) {
                None => {
                    done.missed_before_join += event.seq;
                    next_seq.insert(event.topic.clone(), event.seq + 1);
                }
                Some(next) => {
                    done.missed_after_join += event.seq.saturating_sub(*next);
                    *next = event.seq + 1;
                }
            }
            if event.text == generated_text(&event.topic, event.seq) {
                done.generated_ok += 1;
            }
            if !self.config.quiet {
                writeln!(out, "{} #{}: {}", event.topic, event.seq, event.text)?;
            }
        }
        done.held_bytes = event.space_used() + self.socket.buffer_bytes();
        Ok(done)
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::to_string).collect()
}

/// `pub_sub publisher|subscriber ...`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let ctx = zmq::Context::new();
    let framing: Framing = args.value("framing", Framing::Delimited)?;
    match args.positional(0) {
        Some("publisher") => {
            let config = PublisherConfig {
                bind: args.text("bind", ENDPOINT),
                framing,
                topics: list(&args.text("topic", "news")),
                subscribers: args.value("subscribers", 0)?,
                wait: args.millis("wait-ms", Duration::from_secs(30))?,
                interval: args.millis("interval-ms", Duration::ZERO)?,
                batch: args.flag("batch"),
                hwm: args.value("hwm", 1000)?,
            };
            let count: Option<u64> = args.optional("count")?;
            args.finish()?;
            let subscribers = config.subscribers;
            let mut publisher = Publisher::bind(&ctx, config)?;
            writeln!(out, "bound {} ({framing} framing)", publisher.endpoint)?;
            out.flush()?;
            if subscribers > 0 {
                publisher.wait_for_subscribers(subscribers)?;
                writeln!(out, "{subscribers} subscription(s) arrived")?;
            }
            let done = match count {
                Some(n) => publisher.generated(n)?,
                None => publisher.lines(&mut std::io::stdin().lock(), out)?,
            };
            writeln!(
                out,
                "published {} events in {} frames",
                done.published, done.frames
            )?;
            writeln!(out, "{}", summary(&[("published", &done.published)]))?;
        }
        Some("subscriber") => {
            let config = SubscriberConfig {
                connect: args.text("connect", ENDPOINT),
                framing,
                topics: list(&args.text("topic", "")),
                count: args.optional("count")?,
                settle: args.millis("settle-ms", Duration::from_millis(300))?,
                timeout: args.millis("timeout-ms", Duration::from_secs(3600))?,
                quiet: args.flag("quiet"),
                hwm: args.value("hwm", 1000)?,
            };
            args.finish()?;
            let count = config.count;
            let done = Subscriber::connect(&ctx, config)?.run(out)?;
            writeln!(out, "{}", done.line())?;
            if count.is_some_and(|n| done.received < n) {
                return Err(format!("only {} events arrived", done.received).into());
            }
        }
        _ => return Err(usage(USAGE)),
    }
    Ok(())
}
