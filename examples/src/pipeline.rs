//! The pipeline: a ventilator hands out [`Task`]s to workers (PUSH, load-balanced), workers
//! send a [`Result`](TaskResult) per task to a sink (PUSH → PULL), and the sink acknowledges
//! each task id back to the ventilator (a third socket pair).
//!
//! ZeroMQ alone delivers at most once: tasks already queued for, in flight to, or queued
//! inside a worker that dies are lost with its connection (a connecting PUSH keeps what it
//! queued across reconnections, so nothing else is). The ventilator therefore re-sends any
//! task not acknowledged within `resend_after`, and the sink keeps the first result per
//! task id and counts the rest as duplicates: every task has exactly one effect at the
//! sink, even when workers are killed mid-run.

use crate::cli::{counts, summary, usage, Args};
use crate::seed::{Result as TaskResult, Task};
use crate::Error;
use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing, Options, Pull, Push, TransportError};
use zpb::Reuse;

/// Where the ventilator hands out tasks.
pub const TASKS: &str = "tcp://127.0.0.1:5557";
/// Where the sink collects results.
pub const RESULTS: &str = "tcp://127.0.0.1:5558";
/// Where the ventilator collects the sink's acknowledgements.
pub const ACKS: &str = "tcp://127.0.0.1:5559";

/// Usage of `pipeline`.
pub const USAGE: &str = "\
usage: pipeline ventilator [--bind EP] [--acks EP] [--count N] [--work-ms MS] [--payload BYTES] [--resend-ms MS] [--workers K] [--batch N] [--timeout-ms MS] [--framing raw|delimited]
       pipeline worker [--pull EP] [--push EP] [--name NAME] [--idle-exit-ms MS] [--crash-after N] [--quiet] [--framing raw|delimited]
       pipeline sink [--bind EP] [--acks EP] [--count N] [--payload BYTES] [--timeout-ms MS] [--quiet] [--framing raw|delimited]

ventilator: waits for K workers, hands out N tasks, re-sends those the sink has not
acknowledged; prints `summary: sent=N resent=N acked=N`
  --bind EP            tasks endpoint to bind (default tcp://127.0.0.1:5557)
  --acks EP            acknowledgements endpoint to bind (default tcp://127.0.0.1:5559)
  --count N            tasks (default 100)
  --work-ms MS         work per task, done by the worker (default 1)
  --payload BYTES      payload bytes per task (default 100)
  --resend-ms MS       re-send a task not acknowledged within MS (default 2000)
  --workers K          workers to wait for before sending (default 1)
  --batch N            tasks per frame for the first sending (default 1)
  --timeout-ms MS      give up after MS (default 300000)
  --framing F          raw or delimited, on every socket (default delimited)

worker: does tasks (the payload comes back reversed, after work-ms) and sends results;
prints `summary: processed=N`
  --pull EP            ventilator's tasks endpoint (default tcp://127.0.0.1:5557)
  --push EP            sink's results endpoint (default tcp://127.0.0.1:5558)
  --name NAME          name put in every result (default worker-PID)
  --idle-exit-ms MS    exit after MS without a task (default: never)
  --crash-after N      simulate a crash after N tasks: close both sockets at once
  --quiet              print no line per task
  --framing F          raw or delimited (default delimited)

sink: collects results, keeps one per task, acknowledges each to the ventilator;
prints `summary: distinct=N duplicates=N ...` and exits 1 if fewer than N arrived
  --bind EP            results endpoint to bind (default tcp://127.0.0.1:5558)
  --acks EP            ventilator's acknowledgements endpoint (default tcp://127.0.0.1:5559)
  --count N            tasks to collect (default 100)
  --payload BYTES      payload bytes per task, checked in each result (default 100)
  --timeout-ms MS      give up after MS without a result (default 300000)
  --quiet              print no line per result
  --framing F          raw or delimited (default delimited)";

/// How long a connecting PUSH (results, acknowledgements) may wait for room in its queue:
/// it queues while its peer is away, so this only runs out when the peer stays away.
const QUEUE_WAIT_MS: i32 = 30_000;

/// Byte `i` of task `id`'s payload (the Python peers compute the same).
pub fn payload_byte(id: u64, i: usize) -> u8 {
    ((id + i as u64) % 251) as u8
}

/// Fills `task` as task `id`.
pub fn fill_task(task: &mut Task, id: u64, payload: usize, work_ms: u32) {
    task.clear();
    task.id = id;
    task.work_ms = work_ms;
    task.payload
        .extend((0..payload).map(|i| payload_byte(id, i)));
}

/// Whether `result` carries the right work for its task: the task's payload reversed.
pub fn result_is_correct(result: &TaskResult, payload: usize) -> bool {
    let p = &result.payload;
    p.len() == payload
        && p.iter()
            .enumerate()
            .all(|(i, &b)| b == payload_byte(result.task_id, payload - 1 - i))
}

/// Socket options: a short send timeout keeps the ventilator's loop responsive; the
/// connecting PUSH sockets (results, acknowledgements) get a long one, as they queue while
/// their peer is away.
fn options(framing: Framing, recv_ms: u64, hwm: u32) -> Options {
    Options {
        framing,
        recv_timeout: Some(Duration::from_millis(recv_ms)),
        send_timeout: Some(Duration::from_millis(10)),
        send_hwm: hwm,
        recv_hwm: hwm,
        ..Options::default()
    }
}

/// `Ok(true)` when sent, `Ok(false)` when the send timed out (the queues are full), the
/// error otherwise.
fn sent_or_full(sent: Result<(), TransportError>) -> Result<bool, TransportError> {
    match sent {
        Ok(()) => Ok(true),
        Err(e) if e.is_timeout() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Ventilator settings.
#[derive(Clone, Debug)]
pub struct VentilatorConfig {
    /// Endpoint where workers pull tasks.
    pub tasks_bind: String,
    /// Endpoint where the sink pushes acknowledgements.
    pub acks_bind: String,
    /// Framing on both sockets.
    pub framing: Framing,
    /// Tasks to complete.
    pub count: u64,
    /// Work per task, in milliseconds.
    pub work_ms: u32,
    /// Payload bytes per task.
    pub payload: usize,
    /// Re-send a task not acknowledged within this time.
    pub resend_after: Duration,
    /// Workers to wait for before sending.
    pub workers: usize,
    /// Tasks per frame for the first sending (1: a frame each, balanced per task).
    pub batch: usize,
    /// Give up after this long.
    pub timeout: Duration,
}

/// What the ventilator did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VentilatorSummary {
    /// Tasks sent the first time.
    pub sent: u64,
    /// Re-sends of unacknowledged tasks.
    pub resent: u64,
    /// Tasks acknowledged by the sink.
    pub acked: u64,
    /// Undecodable or unknown acknowledgements.
    pub bad_acks: u64,
    /// Time taken.
    pub seconds: f64,
}

/// A bound ventilator.
pub struct Ventilator {
    tasks: Push<Task>,
    acks: Pull<TaskResult>,
    /// Endpoint for workers.
    pub tasks_endpoint: String,
    /// Endpoint for the sink's acknowledgements.
    pub acks_endpoint: String,
    config: VentilatorConfig,
}

impl Ventilator {
    /// Binds both sockets.
    pub fn bind(ctx: &zmq::Context, config: VentilatorConfig) -> Result<Ventilator, Error> {
        // A small high-water mark keeps tasks here rather than in workers' queues, where a
        // worker's death would lose them.
        let tasks = Push::new(
            ctx,
            Options {
                track_peers: true,
                ..options(config.framing, 0, 20)
            },
        )?;
        let tasks_endpoint = tasks.bind(&config.tasks_bind)?;
        let acks = Pull::new(ctx, options(config.framing, 0, 1000))?;
        let acks_endpoint = acks.bind(&config.acks_bind)?;
        Ok(Ventilator {
            tasks,
            acks,
            tasks_endpoint,
            acks_endpoint,
            config,
        })
    }

    /// Waits for the configured number of workers to connect.
    pub fn wait_for_workers(&mut self) -> Result<usize, Error> {
        Ok(self
            .tasks
            .wait_for_peers(self.config.workers, self.config.timeout)?)
    }

    /// Sends every task and re-sends until all are acknowledged.
    pub fn run(mut self, out: &mut dyn Write) -> Result<VentilatorSummary, Error> {
        let c = self.config.clone();
        let started = Instant::now();
        let mut due: Vec<Option<Instant>> = vec![None; c.count as usize];
        let mut done = VentilatorSummary::default();
        let (mut task, mut ack) = (Task::default(), TaskResult::default());
        let mut last_scan = Instant::now();
        while done.acked < c.count {
            if started.elapsed() > c.timeout {
                return Err(format!(
                    "timed out: {} of {} tasks acknowledged",
                    done.acked, c.count
                )
                .into());
            }
            // New tasks, while the workers' queues have room (a timeout means they are
            // full: acknowledgements first). Batches go out when full and at the end of
            // each round; one left queued by a timeout goes with the next flush.
            let first_sends = done.sent;
            while done.sent < c.count && done.sent - first_sends < 100 {
                let id = done.sent;
                fill_task(&mut task, id, c.payload, c.work_ms);
                let sent = if c.batch > 1 {
                    if self.tasks.queued() >= c.batch && !sent_or_full(self.tasks.flush())? {
                        break;
                    }
                    self.tasks.queue(&task)
                } else {
                    self.tasks.send(&task)
                };
                if !sent_or_full(sent)? {
                    break;
                }
                due[id as usize] = Some(Instant::now() + c.resend_after);
                done.sent += 1;
            }
            sent_or_full(self.tasks.flush())?;
            // Acknowledgements.
            if done.sent == c.count {
                self.acks.raw().poll(zmq::POLLIN, 10)?;
            }
            loop {
                match self.acks.recv(&mut ack) {
                    Ok(()) => match due.get_mut(ack.task_id as usize) {
                        Some(slot @ Some(_)) => {
                            *slot = None;
                            done.acked += 1;
                        }
                        Some(None) => {} // a duplicate's acknowledgement
                        None => done.bad_acks += 1,
                    },
                    Err(e) if e.is_timeout() => break,
                    Err(e) if e.is_peer_input() => done.bad_acks += 1,
                    Err(e) => return Err(e.into()),
                }
            }
            // Re-send what was not acknowledged in time.
            if last_scan.elapsed() >= Duration::from_millis(50) {
                last_scan = Instant::now();
                let now = Instant::now();
                for id in 0..done.sent {
                    let Some(deadline) = due[id as usize] else {
                        continue;
                    };
                    if deadline > now {
                        continue;
                    }
                    fill_task(&mut task, id, c.payload, c.work_ms);
                    if !sent_or_full(self.tasks.send(&task))? {
                        break;
                    }
                    due[id as usize] = Some(now + c.resend_after);
                    done.resent += 1;
                    writeln!(out, "re-sent task {id} (not acknowledged in time)")?;
                }
            }
        }
        done.seconds = started.elapsed().as_secs_f64();
        Ok(done)
    }
}

/// Worker settings.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The ventilator's task endpoint.
    pub pull: String,
    /// The sink's result endpoint.
    pub push: String,
    /// Framing on both sockets.
    pub framing: Framing,
    /// Name put in every result.
    pub name: String,
    /// Exit after this long without a task.
    pub idle_exit: Option<Duration>,
    /// Simulate a crash after this many tasks: close both sockets at once, dropping
    /// whatever is queued in them.
    pub crash_after: Option<u64>,
    /// Print nothing per task.
    pub quiet: bool,
}

/// What a worker did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerSummary {
    /// Tasks processed and sent on.
    pub processed: u64,
    /// Undecodable tasks.
    pub bad: u64,
    /// Whether the worker stopped by simulating a crash.
    pub crashed: bool,
    /// Heap bytes held by the receive loop (message and frame buffers).
    pub held_bytes: usize,
}

/// Runs a worker: each task's payload comes back reversed, after `work_ms`.
pub fn worker(
    ctx: &zmq::Context,
    config: &WorkerConfig,
    out: &mut dyn Write,
) -> Result<WorkerSummary, Error> {
    let mut tasks = Pull::<Task>::new(ctx, options(config.framing, 100, 20))?;
    tasks.connect(&config.pull)?;
    let mut results = Push::<TaskResult>::new(ctx, options(config.framing, 0, 1000))?;
    results.raw().set_sndtimeo(QUEUE_WAIT_MS)?;
    results.connect(&config.push)?;
    let (mut task, mut result) = (Task::default(), TaskResult::default());
    let mut done = WorkerSummary::default();
    let mut last_task = Instant::now();
    loop {
        match tasks.recv(&mut task) {
            Ok(()) => {}
            Err(e) if e.is_transient() => {
                if config
                    .idle_exit
                    .is_some_and(|idle| last_task.elapsed() >= idle)
                {
                    break;
                }
                continue;
            }
            Err(e) if e.is_peer_input() => {
                writeln!(out, "bad task: {e}")?;
                done.bad += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        last_task = Instant::now();
        std::thread::sleep(Duration::from_millis(task.work_ms.into()));
        result.clear();
        result.task_id = task.id;
        result.worker.push_str(&config.name);
        result.payload.extend(task.payload.iter().rev());
        results.send(&result)?;
        done.processed += 1;
        if !config.quiet {
            writeln!(out, "{} did task {}", config.name, task.id)?;
        }
        if config.crash_after == Some(done.processed) {
            tasks.raw().set_linger(0)?;
            results.raw().set_linger(0)?;
            done.crashed = true;
            writeln!(
                out,
                "{} crashes after {} tasks",
                config.name, done.processed
            )?;
            break;
        }
    }
    done.held_bytes = task.space_used() + result.space_used() + tasks.buffer_bytes();
    Ok(done)
}

/// Sink settings.
#[derive(Clone, Debug)]
pub struct SinkConfig {
    /// Endpoint where workers push results.
    pub bind: String,
    /// The ventilator's acknowledgement endpoint.
    pub acks_connect: String,
    /// Framing on both sockets.
    pub framing: Framing,
    /// Distinct tasks to collect.
    pub count: u64,
    /// Payload bytes per task (to check results).
    pub payload: usize,
    /// Give up after this long without a result.
    pub timeout: Duration,
    /// Print nothing per result.
    pub quiet: bool,
}

/// What the sink collected.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SinkSummary {
    /// Distinct tasks completed (each counted once).
    pub distinct: u64,
    /// Further results for tasks already completed (re-sent tasks done twice).
    pub duplicates: u64,
    /// Results whose payload was wrong (not acknowledged, so re-sent).
    pub wrong: u64,
    /// Undecodable results or unknown task ids.
    pub bad: u64,
    /// Distinct tasks per worker name.
    pub per_worker: BTreeMap<String, u64>,
    /// Time taken.
    pub seconds: f64,
    /// Heap bytes held by the receive loop (message and frame buffers).
    pub held_bytes: usize,
}

impl SinkSummary {
    /// The summary line.
    pub fn line(&self) -> String {
        summary(&[
            ("distinct", &self.distinct),
            ("duplicates", &self.duplicates),
            ("wrong", &self.wrong),
            ("bad", &self.bad),
            ("per_worker", &counts(&self.per_worker)),
        ])
    }
}

/// A bound sink.
pub struct Sink {
    results: Pull<TaskResult>,
    acks: Push<TaskResult>,
    /// Endpoint for workers.
    pub endpoint: String,
    config: SinkConfig,
}

impl Sink {
    /// Binds the result socket and connects the acknowledgement socket.
    pub fn bind(ctx: &zmq::Context, config: SinkConfig) -> Result<Sink, Error> {
        let results = Pull::new(ctx, options(config.framing, 50, 1000))?;
        let endpoint = results.bind(&config.bind)?;
        let acks = Push::new(ctx, options(config.framing, 0, 1000))?;
        acks.raw().set_sndtimeo(QUEUE_WAIT_MS)?;
        acks.connect(&config.acks_connect)?;
        Ok(Sink {
            results,
            acks,
            endpoint,
            config,
        })
    }

    /// Collects results until every task is done (or `timeout` without a result),
    /// acknowledging each (in batches).
    pub fn run(mut self, out: &mut dyn Write) -> Result<SinkSummary, Error> {
        let c = &self.config;
        let started = Instant::now();
        let mut seen = vec![false; c.count as usize];
        let mut done = SinkSummary::default();
        let (mut result, mut ack) = (TaskResult::default(), TaskResult::default());
        let mut last_result = Instant::now();
        while done.distinct < c.count && last_result.elapsed() < c.timeout {
            match self.results.recv(&mut result) {
                Ok(()) => {}
                Err(e) if e.is_transient() => {
                    self.acks.flush()?;
                    continue;
                }
                Err(e) if e.is_peer_input() => {
                    writeln!(out, "bad result: {e}")?;
                    done.bad += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            last_result = Instant::now();
            let Some(slot) = seen.get_mut(result.task_id as usize) else {
                done.bad += 1;
                continue;
            };
            if !result_is_correct(&result, c.payload) {
                done.wrong += 1;
                continue;
            }
            if *slot {
                done.duplicates += 1;
            } else {
                *slot = true;
                done.distinct += 1;
                match done.per_worker.get_mut(result.worker.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        done.per_worker.insert(result.worker.to_string(), 1);
                    }
                }
                if !c.quiet {
                    writeln!(out, "task {} done by {}", result.task_id, result.worker)?;
                }
            }
            ack.task_id = result.task_id;
            self.acks.queue(&ack)?;
            if self.acks.queued() >= 64 {
                self.acks.flush()?;
            }
        }
        self.acks.flush()?;
        done.seconds = started.elapsed().as_secs_f64();
        done.held_bytes = result.space_used() + self.results.buffer_bytes();
        Ok(done)
    }
}

/// `pipeline ventilator|worker|sink ...`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let ctx = zmq::Context::new();
    let framing: Framing = args.value("framing", Framing::Delimited)?;
    let count = args.value("count", 100u64);
    let payload = args.value("payload", 100usize);
    match args.positional(0) {
        Some("ventilator") => {
            let config = VentilatorConfig {
                tasks_bind: args.text("bind", TASKS),
                acks_bind: args.text("acks", ACKS),
                framing,
                count: count?,
                work_ms: args.value("work-ms", 1)?,
                payload: payload?,
                resend_after: args.millis("resend-ms", Duration::from_secs(2))?,
                workers: args.value("workers", 1)?,
                batch: args.value("batch", 1)?,
                timeout: args.millis("timeout-ms", Duration::from_secs(300))?,
            };
            args.finish()?;
            let mut ventilator = Ventilator::bind(&ctx, config)?;
            writeln!(out, "tasks on {}", ventilator.tasks_endpoint)?;
            writeln!(out, "acks on {}", ventilator.acks_endpoint)?;
            out.flush()?;
            let workers = ventilator.wait_for_workers()?;
            writeln!(out, "{workers} worker(s) connected, sending")?;
            let done = ventilator.run(out)?;
            writeln!(
                out,
                "{} tasks acknowledged in {:.3} s ({} re-sent)",
                done.acked, done.seconds, done.resent
            )?;
            writeln!(
                out,
                "{}",
                summary(&[
                    ("sent", &done.sent),
                    ("resent", &done.resent),
                    ("acked", &done.acked),
                ])
            )?;
        }
        Some("worker") => {
            let config = WorkerConfig {
                pull: args.text("pull", TASKS),
                push: args.text("push", RESULTS),
                framing,
                name: args.text("name", &format!("worker-{}", std::process::id())),
                idle_exit: args.optional_millis("idle-exit-ms")?,
                crash_after: args.optional("crash-after")?,
                quiet: args.flag("quiet"),
            };
            args.finish()?;
            writeln!(out, "{} pulling from {}", config.name, config.pull)?;
            out.flush()?;
            let done = worker(&ctx, &config, out)?;
            writeln!(out, "{}", summary(&[("processed", &done.processed)]))?;
        }
        Some("sink") => {
            let config = SinkConfig {
                bind: args.text("bind", RESULTS),
                acks_connect: args.text("acks", ACKS),
                framing,
                count: count?,
                payload: payload?,
                timeout: args.millis("timeout-ms", Duration::from_secs(300))?,
                quiet: args.flag("quiet"),
            };
            args.finish()?;
            let expected = config.count;
            let sink = Sink::bind(&ctx, config)?;
            writeln!(out, "results on {}", sink.endpoint)?;
            out.flush()?;
            let done = sink.run(out)?;
            writeln!(
                out,
                "{} distinct results in {:.3} s, {} duplicates dropped",
                done.distinct, done.seconds, done.duplicates
            )?;
            writeln!(out, "{}", done.line())?;
            if done.distinct < expected {
                return Err(format!("only {} of {expected} tasks completed", done.distinct).into());
            }
        }
        _ => return Err(usage(USAGE)),
    }
    Ok(())
}
