//! PUB/SUB: a publisher of [`Event`]s (stdin lines, or `--count N` generated events cycling
//! over `--topic a,b,...`) and a subscriber printing what matches its `--topic` prefixes.
//!
//! Each topic has its own sequence number, so a subscriber sees exactly what it missed:
//! events published before its subscription reached the publisher (a late joiner), or
//! dropped at a high-water mark because it read too slowly. There is no queue for absent
//! subscribers, so a counted run first waits for a subscription (bounded by `--wait-ms`),
//! then until no new one arrives for `--settle-ms` (every subscriber already trying to
//! connect has joined), and reports how many events went out while nobody was subscribed.

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
usage: pub_sub publisher [--bind EP] [--topic T1,T2] [--count N] [--subscribers K] [--wait-ms MS] [--settle-ms MS] [--interval-ms MS] [--batch] [--hwm N] [--framing raw|delimited]
       pub_sub subscriber [--connect EP] [--topic PREFIX1,PREFIX2] [--count N] [--settle-ms MS] [--timeout-ms MS] [--hwm N] [--quiet] [--framing raw|delimited]

publisher: publishes each stdin line on the first topic, or --count N generated events
cycling over the topics; prints `summary: published=N unheard=U` (U: events sent while
no subscriber was subscribed, which reached nobody)
  --bind EP            endpoint to bind (default tcp://127.0.0.1:5000)
  --topic T1,T2        topics (default news)
  --count N            publish N generated events, then exit (default: stdin lines)
  --subscribers K      subscriptions (one per subscriber and prefix) to wait for before
                       publishing (default 1 with --count, 0 for stdin lines; 0: no wait)
  --wait-ms MS         give up (exit 1) if K have not arrived within MS (default 10000)
  --settle-ms MS       then wait until no new subscription arrives for MS, so that every
                       subscriber already connecting joins (default 500; 0: no settling)
  --interval-ms MS     pause between generated events (default 0)
  --batch              put up to 64 events of a topic in one frame (delimited framing)
  --hwm N              frames queued per subscriber before it misses events (default 1000)
  --framing F          raw or delimited, as the subscribers use (default delimited)

subscriber: prints each event whose topic starts with a prefix, counts what it missed;
prints `summary: received=N generated_ok=N missed_before_join=N missed_after_join=N ...`
  --connect EP         publisher endpoint (default tcp://127.0.0.1:5000)
  --topic P1,P2        topic prefixes (default: everything)
  --count N            exit once N events arrived (and --settle-ms passed); exit 1 if
                       fewer arrive before --timeout-ms
  --settle-ms MS       keep listening MS after the N-th event, to catch extra ones
                       (default 300)
  --timeout-ms MS      give up after MS without an event (default 3600000)
  --hwm N              frames queued here before the publisher drops (default 1000)
  --quiet              print no line per event
  --framing F          raw or delimited, as the publisher uses (default delimited)";

/// How long a publisher waits for `--subscribers` by default.
pub const WAIT: Duration = Duration::from_secs(10);

/// How long no new subscription must arrive before a publisher starts, by default.
pub const SETTLE: Duration = Duration::from_millis(500);

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
    /// Subscriptions to wait for before publishing (see [`Publisher::wait_for_subscribers`]).
    pub subscribers: u64,
    /// How long to wait for them.
    pub wait: Duration,
    /// Then, how long no new subscription must arrive before publishing.
    pub settle: Duration,
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
    /// Events sent while no subscriber was subscribed: they reached nobody.
    pub unheard: u64,
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

    /// Waits until `n` subscriptions (one per subscriber and prefix) have arrived, then
    /// until none new arrives for the configured `settle` time, all within the configured
    /// `wait`; returns the subscriptions seen. An error names how many arrived when fewer
    /// than `n` did in time.
    pub fn wait_for_subscribers(&mut self, n: u64) -> Result<u64, Error> {
        let deadline = Instant::now() + self.config.wait;
        match self.socket.wait_for_subscriptions(n, self.config.wait) {
            Ok(_) => {}
            Err(e) if e.is_timeout() => {
                return Err(format!(
                    "only {} of {n} subscription(s) arrived within {} ms (--wait-ms): start \
                     the subscribers first, or pass --subscribers 0 to publish anyway",
                    self.socket.subscriptions()?,
                    self.config.wait.as_millis()
                )
                .into())
            }
            Err(e) => return Err(e.into()),
        }
        let left = deadline.saturating_duration_since(Instant::now());
        Ok(self.socket.settle_subscriptions(self.config.settle, left)?)
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

    /// Publishes each line of `input` on the first topic, saying when nobody heard it.
    pub fn lines(
        &mut self,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<PublisherSummary, Error> {
        let started = Instant::now();
        let topic = self.config.topics[0].clone();
        for line in input.lines() {
            let unheard = self.socket.unheard();
            self.publish(&topic, Some(&line?))?;
            self.socket.flush()?;
            let nobody = match self.socket.unheard() > unheard {
                true => " (no subscriber: nobody received it)",
                false => "",
            };
            writeln!(out, "published on {topic}{nobody}")?;
        }
        Ok(self.summary(started))
    }

    fn summary(&self, started: Instant) -> PublisherSummary {
        let stats = self.socket.stats();
        PublisherSummary {
            published: stats.messages_sent,
            frames: stats.frames_sent,
            unheard: self.socket.unheard(),
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
    /// When the first event arrived.
    pub first_at: Option<Instant>,
    /// When the last event arrived.
    pub last_at: Option<Instant>,
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
            done.first_at.get_or_insert(last_event);
            done.last_at = Some(last_event);
            *done.per_topic.entry(event.topic.to_string()).or_insert(0) += 1;
            match next_seq.get_mut(event.topic.as_str()) {
                None => {
                    done.missed_before_join += event.seq;
                    next_seq.insert(event.topic.to_string(), event.seq + 1);
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
            let count: Option<u64> = args.optional("count")?;
            let config = PublisherConfig {
                bind: args.text("bind", ENDPOINT),
                framing,
                topics: list(&args.text("topic", "news")),
                subscribers: args.value("subscribers", u64::from(count.is_some()))?,
                wait: args.millis("wait-ms", WAIT)?,
                settle: args.millis("settle-ms", SETTLE)?,
                interval: args.millis("interval-ms", Duration::ZERO)?,
                batch: args.flag("batch"),
                hwm: args.value("hwm", 1000)?,
            };
            args.finish()?;
            let (subscribers, wait) = (config.subscribers, config.wait);
            let mut publisher = Publisher::bind(&ctx, config)?;
            writeln!(out, "bound {} ({framing} framing)", publisher.endpoint)?;
            if subscribers > 0 {
                writeln!(
                    out,
                    "waiting up to {} ms for {subscribers} subscription(s)",
                    wait.as_millis()
                )?;
                out.flush()?;
                let seen = publisher.wait_for_subscribers(subscribers)?;
                writeln!(out, "{seen} subscription(s) arrived")?;
            }
            out.flush()?;
            let done = match count {
                Some(n) => publisher.generated(n)?,
                None => publisher.lines(&mut std::io::stdin().lock(), out)?,
            };
            writeln!(
                out,
                "published {} events in {} frames; {} of them while no subscriber was subscribed (reached nobody)",
                done.published, done.frames, done.unheard
            )?;
            writeln!(
                out,
                "{}",
                summary(&[("published", &done.published), ("unheard", &done.unheard)])
            )?;
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
            let connected = format!("subscribed to {:?} at {}", config.topics, config.connect);
            let subscriber = Subscriber::connect(&ctx, config)?;
            writeln!(out, "{connected}")?;
            out.flush()?;
            let done = subscriber.run(out)?;
            writeln!(out, "{}", done.line())?;
            if count.is_some_and(|n| done.received < n) {
                return Err(format!("only {} events arrived", done.received).into());
            }
        }
        _ => return Err(usage(USAGE)),
    }
    Ok(())
}
