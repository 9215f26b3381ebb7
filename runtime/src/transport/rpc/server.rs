//! [`Server`]: a ROUTER socket shared by worker threads, leader/followers style: one idle
//! worker listens on the socket, and the worker that takes a call serves it itself (after
//! handing the listening to another idle worker) and sends the reply straight out, so a
//! call crosses no thread of the server but the one serving it. A janitor thread listens
//! while every worker is busy, so calls are still taken off the socket as they arrive.

use super::wire::{self, Kind, ReplyHeader, MAX_FRAMES};
use super::{rpc_kind, RpcError};
use super::{Code, Status};
use crate::transport::Options;
use crate::well_known::ServiceDescriptor;
use crate::Message;
use crate::ParseOptions;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Routes a call to the handler of its method: what a generated `FooServer` adapter
/// implements, holding the service implementation and one reused request and response
/// message per method. Each worker thread has its own (made by the factory given to
/// [`Server::bind`]).
pub trait Dispatch: Send + 'static {
    /// The service served (its methods are indexed in declaration order).
    fn service(&self) -> &'static ServiceDescriptor;

    /// Handles a call of method `method` (an index into the service's methods): decode the
    /// request and answer through `call` ([`Call::unary`] or [`Call::server_streaming`]).
    /// An error returned here becomes the call's status.
    fn dispatch(&mut self, method: usize, call: &mut Call<'_>) -> Result<(), Status>;
}

/// A server's settings.
///
/// ```
/// let options = zpb::transport::rpc::ServerOptions::default();
/// assert_eq!(options.workers, 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerOptions {
    /// Settings of the listening ROUTER socket: high-water marks, linger and
    /// `parse` (its `max_size`: a peer sending a larger frame is disconnected by libzmq; its
    /// recursion limit applies to requests) apply;
    /// framing and timeouts do not. `recv_hwm` also bounds the calls taken off the socket
    /// that wait for an idle worker (0: no bound).
    pub socket: Options,
    /// Worker threads, each running one [`Dispatch`]. Default 2.
    pub workers: usize,
    /// Largest request payload handled: larger ones are answered with
    /// `RESOURCE_EXHAUSTED`. Default 4 MiB.
    pub max_request_bytes: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            socket: Options::default(),
            workers: 2,
            max_request_bytes: 4 << 20,
        }
    }
}

/// Counts of what a server's workers did, summed over workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ServerStats {
    /// Calls answered with status OK.
    pub ok: u64,
    /// Calls answered with an error status (the handler's, or the protocol's for
    /// malformed requests, unknown methods, oversized payloads).
    pub failed: u64,
    /// Messages dropped unanswered: no routing envelope to answer to, more than 16
    /// frames, or a reply that could not be sent (the server shutting down).
    pub dropped: u64,
}

#[derive(Default)]
struct Counters {
    ok: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
}

/// How long a listening thread waits before it looks at the stop flag again (stopping
/// wakes every thread; this is the backstop).
const STOP_POLL: Duration = Duration::from_millis(50);

/// An RPC server: a ROUTER socket bound to an endpoint (or connected to a broker) and
/// `workers` threads, each with a [`Dispatch`] (the typed adapter around the service
/// implementation) and its reused messages and buffers, so serving allocates nothing in
/// steady state.
///
/// The workers share the socket (behind a lock, libzmq sockets not being thread-safe): an
/// idle worker listens on it, takes the calls that arrive, and serves one itself after
/// waking another idle worker to listen in its place (and one per further call taken); the
/// reply goes out on the socket from the worker's thread. With one call at a time, a call
/// thus waits for one thread wake-up in the server, as with a plain REP loop (the next
/// listener's wake-up happens beside it); under load the workers go from one call to the
/// next without sleeping. While every worker is busy a janitor
/// thread listens instead, taking calls off the socket as they arrive (up to
/// `recv_hwm`), so that their deadlines count the time they wait for a worker.
///
/// Malformed input never stops it: a message without a routing envelope is dropped, one
/// with a bad header, a wrong frame count, an unknown method, an oversized or undecodable
/// payload gets an error reply (see the protocol in the [module docs](super)). A call whose
/// deadline passes while it waits for a worker is answered `DEADLINE_EXCEEDED` without
/// running. Dropping the server (or [`shutdown`](Self::shutdown)) stops the threads.
pub struct Server {
    endpoint: String,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds to `endpoint` (`tcp://127.0.0.1:*` picks a port: see
    /// [`endpoint`](Self::endpoint)) and starts the workers, each with a [`Dispatch`] made
    /// by `make`, and the janitor.
    pub fn bind<D: Dispatch>(
        ctx: &zmq::Context,
        endpoint: &str,
        options: ServerOptions,
        make: impl FnMut() -> D,
    ) -> Result<Server, RpcError> {
        Server::start(ctx, endpoint, true, options, make)
    }

    /// Like [`bind`](Self::bind), but connects to `endpoint`: the backend (DEALER) of a
    /// broker that spreads clients' calls over servers on other hosts, such as
    /// `zmq::proxy(router, dealer)` with clients connected to the ROUTER. The broker's
    /// identity frame joins the routing envelope, so replies find their way back through it.
    pub fn connect<D: Dispatch>(
        ctx: &zmq::Context,
        endpoint: &str,
        options: ServerOptions,
        make: impl FnMut() -> D,
    ) -> Result<Server, RpcError> {
        Server::start(ctx, endpoint, false, options, make)
    }

    fn start<D: Dispatch>(
        ctx: &zmq::Context,
        endpoint: &str,
        bind: bool,
        options: ServerOptions,
        mut make: impl FnMut() -> D,
    ) -> Result<Server, RpcError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        if endpoint.contains('\0') {
            return Err(zmq::Error::EINVAL.into());
        }
        let socket = ctx.socket(zmq::ROUTER)?;
        options.socket.apply(&socket)?;
        let endpoint = match bind {
            true => {
                socket.bind(endpoint)?;
                socket
                    .get_last_endpoint()?
                    .unwrap_or_else(|raw| String::from_utf8_lossy(&raw).into_owned())
            }
            false => {
                socket.connect(endpoint)?;
                endpoint.to_string()
            }
        };
        let fd = socket.get_fd()?;
        // Threads 0..workers are the workers, the last one the janitor; each has an alarm.
        let workers = options.workers.max(1);
        let mut alarms = Vec::with_capacity(workers + 1);
        let mut ear = |thread: usize| {
            let (alarm, ear) = Ear::new(ctx, &format!("inproc://zpb-rpc-alarm-{n}-{thread}"), fd)?;
            alarms.push(alarm);
            Ok::<Ear, zmq::Error>(ear)
        };
        let ears = (0..workers).map(&mut ear).collect::<Result<Vec<_>, _>>()?;
        let janitor_ear = ear(workers)?;
        let shared = Arc::new(Shared {
            front: Mutex::new(Front {
                socket,
                waiting: VecDeque::new(),
                spare: Vec::new(),
                limit: match options.socket.recv_hwm {
                    0 => usize::MAX,
                    n => n as usize,
                },
                listener: None,
                idle: 0,
                tokens: 0,
                janitor_idle: false,
                janitor_woken: false,
                alarmed: vec![false; alarms.len()],
                alarms,
            }),
            idle_workers: Condvar::new(),
            janitor_wait: Condvar::new(),
            stop: AtomicBool::new(false),
            counters: Counters::default(),
            janitor: workers,
        });
        let mut threads = Vec::with_capacity(workers + 1);
        for (index, ear) in ears.into_iter().enumerate() {
            let mut worker = Worker {
                index,
                shared: shared.clone(),
                ear,
                dispatch: make(),
                call: Waiting::new(),
                out: Out::default(),
                max_request_bytes: options.max_request_bytes,
                parse: ParseOptions {
                    max_size: options.max_request_bytes,
                    ..options.socket.parse
                },
            };
            threads.push(std::thread::spawn(move || worker.run()));
        }
        let janitor = shared.clone();
        threads.push(std::thread::spawn(move || janitor.janitor(janitor_ear)));
        Ok(Server {
            endpoint,
            shared,
            threads,
        })
    }

    /// The endpoint bound, with the port libzmq picked for `:*` (or the endpoint connected
    /// to).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Counts so far, over all workers. A call is counted just after its reply is sent, so a
    /// client may hold the reply a moment before the count moves; [`shutdown`](Self::shutdown)
    /// returns the final counts.
    pub fn stats(&self) -> ServerStats {
        let c = &self.shared.counters;
        ServerStats {
            ok: c.ok.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
        }
    }

    /// Stops the threads (a call being handled is finished first, and answered) and returns
    /// the final counts. Calls still waiting for a worker are dropped.
    pub fn shutdown(mut self) -> ServerStats {
        self.stop_threads();
        self.stats()
    }

    fn stop_threads(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        self.shared.stop_all(&mut self.shared.lock());
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_threads();
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("endpoint", &self.endpoint)
            .field("stats", &self.stats())
            .finish()
    }
}

/// What a server's threads share: the listening socket and its bookkeeping behind one lock,
/// where idle threads wait, and the counts.
struct Shared {
    front: Mutex<Front>,
    /// Idle workers wait here for a call or for the listening role (a token each).
    idle_workers: Condvar,
    /// The janitor waits here while it need not listen.
    janitor_wait: Condvar,
    /// Set (with the lock held, so that no waiter misses it) when the server stops.
    stop: AtomicBool,
    counters: Counters,
    /// The janitor's thread index; the workers are `0..janitor`.
    janitor: usize,
}

/// The listening socket and who does what with it. The lock orders every use of the socket
/// (libzmq sockets are not thread-safe, and may change threads behind a memory barrier).
///
/// libzmq signals news on a socket through a file descriptor that is edge-triggered: it
/// becomes readable when the socket's queues go from empty to not, and any use of the
/// socket (a send too) may consume the signal. So every thread that uses the socket takes
/// the calls that have arrived ([`take_calls`](Front::take_calls), which reads it empty)
/// before it lets go of the lock, or comes back for them at once; the listener polls the
/// descriptor only after that.
struct Front {
    socket: zmq::Socket,
    /// Calls taken off the socket, oldest first, waiting for a worker.
    waiting: VecDeque<Waiting>,
    /// Buffers of calls served, for the next calls taken.
    spare: Vec<Waiting>,
    /// At most this many calls wait here; more wait in libzmq's queues.
    limit: usize,
    /// The thread listening on the socket, if any.
    listener: Option<usize>,
    /// Workers waiting on `idle_workers`.
    idle: usize,
    /// Wake-ups given to idle workers and not taken yet.
    tokens: usize,
    /// Whether the janitor waits on `janitor_wait`.
    janitor_idle: bool,
    /// Whether the janitor has been told to listen.
    janitor_woken: bool,
    /// Per thread, the sending end of its alarm: a message wakes it from listening.
    alarms: Vec<zmq::Socket>,
    /// Per thread, whether an alarm message is on its way.
    alarmed: Vec<bool>,
}

/// A call taken off the listening socket: its frames (reused buffers) and when it arrived.
struct Waiting {
    frames: Vec<zmq::Message>,
    parts: usize,
    arrived: Instant,
}

impl Waiting {
    fn new() -> Waiting {
        Waiting {
            frames: (0..MAX_FRAMES).map(|_| zmq::Message::new()).collect(),
            parts: 0,
            arrived: Instant::now(),
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Front> {
        // A thread panicking in a handler holds no lock; nothing else panics under it.
        self.front.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Stops the server: every thread is woken and ends (workers after their call).
    fn stop_all(&self, front: &mut Front) {
        self.stop.store(true, Ordering::Relaxed);
        self.idle_workers.notify_all();
        self.janitor_wait.notify_all();
        for thread in 0..front.alarms.len() {
            front.alarm(thread);
        }
    }

    /// Listens on the socket as thread `me` (a worker or the janitor): takes the listening
    /// role, lets go of the lock while it waits for the socket (or an alarm), then takes the
    /// lock again and clears its alarm. When the socket fails (the context is ending), every
    /// thread is stopped and the error returned.
    fn listen_in_turn<'a>(
        &'a self,
        mut front: MutexGuard<'a, Front>,
        me: usize,
        ear: &mut Ear,
    ) -> (MutexGuard<'a, Front>, Result<(), zmq::Error>) {
        front.listener = Some(me);
        drop(front);
        let heard = ear.listen();
        let mut front = self.lock();
        front.alarmed[me] = false;
        if heard.is_err() {
            self.stop_all(&mut front);
        }
        (front, heard)
    }

    /// The janitor's loop: while every worker is busy, it listens and takes calls off the
    /// socket as they arrive (noting when), for the workers to take when they are done.
    fn janitor(&self, mut ear: Ear) {
        let me = self.janitor;
        let mut front = self.lock();
        while !self.stopping() {
            if front.take_calls(&self.counters).is_err() {
                self.stop_all(&mut front); // the context is ending
                break;
            }
            front.balance(self);
            let worker_listens = matches!(front.listener, Some(l) if l != me);
            if worker_listens || (front.listener.is_none() && front.idle > 0) {
                // A worker listens, or an idle one was woken to.
                front.janitor_idle = true;
                front = self
                    .janitor_wait
                    .wait_while(front, |f| !f.janitor_woken && !self.stopping())
                    .unwrap_or_else(PoisonError::into_inner);
                front.janitor_idle = false;
                front.janitor_woken = false;
                continue;
            }
            let heard;
            (front, heard) = self.listen_in_turn(front, me, &mut ear);
            if heard.is_err() {
                break;
            }
        }
        if front.listener == Some(me) {
            front.listener = None;
        }
    }
}

impl Front {
    /// Takes the calls that have arrived off the socket into `waiting`, noting their
    /// arrival, until the socket is empty (its descriptor then signals the next call) or
    /// `limit` calls wait. A message of more than `MAX_FRAMES` frames is dropped.
    fn take_calls(&mut self, counters: &Counters) -> Result<(), zmq::Error> {
        while self.waiting.len() < self.limit {
            let mut call = self.spare.pop().unwrap_or_else(Waiting::new);
            call.parts = 0;
            loop {
                let into = &mut call.frames[call.parts.min(MAX_FRAMES - 1)];
                match self.socket.recv(into, zmq::DONTWAIT) {
                    Ok(()) => {}
                    Err(e) => {
                        self.spare.push(call);
                        // Parts of a message arrive together: EAGAIN comes before a first one.
                        return match e {
                            zmq::Error::EAGAIN => Ok(()),
                            e => Err(e),
                        };
                    }
                }
                call.parts += 1;
                if !into.get_more() {
                    break;
                }
            }
            if call.parts > MAX_FRAMES {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
                self.spare.push(call);
            } else {
                call.arrived = Instant::now();
                self.waiting.push_back(call);
            }
        }
        Ok(())
    }

    /// Wakes whom the calls waiting and the listening need: an idle worker per call (or,
    /// with none left, the listening worker), and, when nobody listens, an idle worker or
    /// else the janitor.
    fn balance(&mut self, shared: &Shared) {
        let mut calls = self.waiting.len();
        while calls > 0 && self.idle > self.tokens {
            self.tokens += 1;
            shared.idle_workers.notify_one();
            calls -= 1;
        }
        match self.listener {
            Some(worker) if calls > 0 && worker != shared.janitor => self.alarm(worker),
            None if self.idle > self.tokens => {
                self.tokens += 1;
                shared.idle_workers.notify_one();
            }
            None if self.janitor_idle && !self.janitor_woken => {
                self.janitor_woken = true;
                shared.janitor_wait.notify_one();
            }
            _ => {}
        }
    }

    /// Wakes `thread` from listening (once until it has woken).
    fn alarm(&mut self, thread: usize) {
        if !self.alarmed[thread] {
            self.alarmed[thread] = true;
            // Without a high-water mark an inproc pair takes it at once; failing, the
            // listener still wakes within STOP_POLL.
            let _ = self.alarms[thread].send(&[][..], zmq::DONTWAIT);
        }
    }

    /// Sends a reply: the envelope, the delimiter, the header and the payload.
    fn send_reply(
        &self,
        envelope: &[zmq::Message],
        header: &[u8],
        payload: &[u8],
    ) -> Result<(), zmq::Error> {
        for frame in envelope {
            self.socket.send(&frame[..], zmq::SNDMORE)?;
        }
        self.socket.send(&[][..], zmq::SNDMORE)?;
        self.socket.send(header, zmq::SNDMORE)?;
        self.socket.send(payload, 0)
    }
}

/// How a thread listens: it polls the descriptors of the listening socket and of its own
/// alarm (both libzmq's edge-triggered `ZMQ_FD`s; the alarm is read empty whenever its
/// descriptor signals, and once at the start, so that the next ring signals again).
struct Ear {
    alarm: zmq::Socket,
    alarm_fd: zmq_sys::RawFd,
    fd: zmq_sys::RawFd,
    frame: zmq::Message,
}

impl Ear {
    /// A thread's ear, listening on `fd` and on an alarm bound at `at` (an inproc pair
    /// without high-water marks: a ring never waits), and the alarm's sending end.
    fn new(
        ctx: &zmq::Context,
        at: &str,
        fd: zmq_sys::RawFd,
    ) -> Result<(zmq::Socket, Ear), zmq::Error> {
        let ear = ctx.socket(zmq::PAIR)?;
        ear.set_rcvhwm(0)?;
        ear.set_linger(0)?;
        ear.bind(at)?;
        let alarm = ctx.socket(zmq::PAIR)?;
        alarm.set_sndhwm(0)?;
        alarm.set_linger(0)?;
        alarm.connect(at)?;
        let mut ear = Ear {
            alarm_fd: ear.get_fd()?,
            alarm: ear,
            fd,
            frame: zmq::Message::new(),
        };
        ear.hush()?;
        Ok((alarm, ear))
    }

    /// Waits until the listening socket signals news, the alarm rings, or `STOP_POLL`
    /// passes. `Err` when the context is ending.
    fn listen(&mut self) -> Result<(), zmq::Error> {
        let mut items = [
            zmq::PollItem::from_fd(self.fd, zmq::POLLIN),
            zmq::PollItem::from_fd(self.alarm_fd, zmq::POLLIN),
        ];
        match zmq::poll(&mut items, STOP_POLL.as_millis() as i64) {
            Ok(_) if items[1].is_readable() => self.hush(),
            Ok(_) | Err(zmq::Error::EINTR) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Reads the alarm empty.
    fn hush(&mut self) -> Result<(), zmq::Error> {
        loop {
            match self.alarm.recv(&mut self.frame, zmq::DONTWAIT) {
                Ok(()) => {}
                Err(zmq::Error::EAGAIN) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }
}

/// One worker: its dispatcher, the call it serves, and the buffers it reuses.
struct Worker<D> {
    index: usize,
    shared: Arc<Shared>,
    ear: Ear,
    dispatch: D,
    call: Waiting,
    out: Out,
    max_request_bytes: usize,
    parse: ParseOptions,
}

/// What a reply is written with: the reused header and payload buffers.
#[derive(Default)]
struct Out {
    header: Vec<u8>,
    payload: Vec<u8>,
}

impl<D: Dispatch> Worker<D> {
    fn run(&mut self) {
        let shared = self.shared.clone();
        let me = self.index;
        let mut front = shared.lock();
        while !shared.stopping() {
            if front.take_calls(&shared.counters).is_err() {
                shared.stop_all(&mut front); // the context is ending
                break;
            }
            if let Some(call) = front.waiting.pop_front() {
                if front.listener == Some(me) {
                    front.listener = None;
                }
                let served = std::mem::replace(&mut self.call, call);
                front.spare.push(served);
                front.balance(&shared);
                drop(front);
                self.serve();
                // Straight back to the socket: the reply's send may have consumed the
                // signal of a call that arrived meanwhile, and `take_calls` picks it up.
                front = shared.lock();
                continue;
            }
            let listener = front.listener;
            match listener {
                Some(other) if other != me && other != shared.janitor => {
                    // Another worker listens: wait for a call or the listening role.
                    front.idle += 1;
                    front = shared
                        .idle_workers
                        .wait_while(front, |f| f.tokens == 0 && !shared.stopping())
                        .unwrap_or_else(PoisonError::into_inner);
                    front.idle -= 1;
                    front.tokens = front.tokens.saturating_sub(1);
                }
                listener => {
                    if listener == Some(shared.janitor) {
                        // A worker listens in the janitor's place.
                        front.alarm(shared.janitor);
                    }
                    let heard;
                    (front, heard) = shared.listen_in_turn(front, me, &mut self.ear);
                    if heard.is_err() {
                        break;
                    }
                }
            }
        }
        if front.listener == Some(me) {
            front.listener = None;
        }
    }

    /// Answers the call taken (`self.call`), or drops it when it has no envelope (identity
    /// frames, then an empty delimiter).
    fn serve(&mut self) {
        let counters = &self.shared.counters;
        let (frames, received) = (&self.call.frames[..self.call.parts], self.call.arrived);
        let Some(delimiter) = frames.iter().position(|f| f.is_empty()) else {
            counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if delimiter == 0 {
            counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let (envelope, rest) = frames.split_at(delimiter);
        let outcome = match &rest[1..] {
            [header, payload] => match wire::read_request(header) {
                Ok((h, path)) => {
                    let deadline = (h.timeout_ms > 0)
                        .then(|| received + Duration::from_millis(h.timeout_ms.into()));
                    let mut call = Call {
                        shared: &self.shared,
                        envelope,
                        id: h.id,
                        deadline,
                        payload,
                        parse: &self.parse,
                        out: &mut self.out,
                        seq: 0,
                        answered: false,
                        streaming: false,
                    };
                    let result = route(&mut self.dispatch, path, self.max_request_bytes, &mut call);
                    finish(call, result)
                }
                Err((e, id)) => {
                    let mut call =
                        Call::bare(&self.shared, envelope, id, &mut self.out, &self.parse);
                    let status = Status::new(Code::InvalidArgument, e.to_string());
                    call.end(Kind::Reply, Err(&status)).map(|()| false)
                }
            },
            _ => {
                let mut call = Call::bare(&self.shared, envelope, 0, &mut self.out, &self.parse);
                let status = Status::new(
                    Code::InvalidArgument,
                    "a request is 3 frames after the envelope: delimiter, header, payload",
                );
                call.end(Kind::Reply, Err(&status)).map(|()| false)
            }
        };
        let counter = match outcome {
            Ok(true) => &counters.ok,
            Ok(false) => &counters.failed,
            Err(_) => &counters.dropped,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Finds the method a request names and runs its handler through `call`.
fn route<D: Dispatch>(
    dispatch: &mut D,
    path: &[u8],
    max_request_bytes: usize,
    call: &mut Call<'_>,
) -> Result<(), Status> {
    let service = dispatch.service();
    let method = path
        .strip_prefix(service.name.as_bytes())
        .and_then(|p| p.strip_prefix(b"/"))
        .and_then(|name| {
            service
                .methods
                .iter()
                .position(|m| m.name.as_bytes() == name)
        });
    let Some(index) = method else {
        return Err(Status::new(
            Code::Unimplemented,
            format!(
                "no method {:?} in service {}",
                String::from_utf8_lossy(path),
                service.name
            ),
        ));
    };
    let descriptor = &service.methods[index];
    if descriptor.client_streaming {
        return Err(Status::new(
            Code::Unimplemented,
            format!(
                "{} is a {} rpc; protocol version 1 carries unary and server-streaming rpcs",
                descriptor.name,
                rpc_kind(descriptor)
            ),
        ));
    }
    call.streaming = descriptor.server_streaming;
    if call.payload.len() > max_request_bytes {
        return Err(Status::new(
            Code::ResourceExhausted,
            format!(
                "request of {} bytes (this server takes up to {max_request_bytes})",
                call.payload.len()
            ),
        ));
    }
    if call.expired() {
        return Err(Status::new(
            Code::DeadlineExceeded,
            "deadline passed before the handler ran",
        ));
    }
    dispatch.dispatch(index, call)
}

/// Sends the final frame of a call the handler did not end itself. Returns whether the
/// call succeeded; `Err` when the reply could not be sent.
fn finish(mut call: Call<'_>, result: Result<(), Status>) -> Result<bool, zmq::Error> {
    if call.answered {
        return Ok(result.is_ok());
    }
    let kind = if call.streaming {
        Kind::End
    } else {
        Kind::Reply
    };
    match result {
        Ok(()) if call.streaming => call.end(kind, Ok(())).map(|()| true),
        Ok(()) => {
            let status = Status::new(Code::Internal, "the handler sent no reply");
            call.end(kind, Err(&status)).map(|()| false)
        }
        Err(status) => call.end(kind, Err(&status)).map(|()| false),
    }
}

/// One call being served: the request, the way back to its client, and the worker's
/// reused buffers. Handed to [`Dispatch::dispatch`].
pub struct Call<'a> {
    shared: &'a Shared,
    envelope: &'a [zmq::Message],
    id: u64,
    deadline: Option<Instant>,
    payload: &'a [u8],
    parse: &'a ParseOptions,
    out: &'a mut Out,
    seq: u32,
    answered: bool,
    streaming: bool,
}

impl<'a> Call<'a> {
    fn bare(
        shared: &'a Shared,
        envelope: &'a [zmq::Message],
        id: u64,
        out: &'a mut Out,
        parse: &'a ParseOptions,
    ) -> Self {
        Call {
            shared,
            envelope,
            id,
            deadline: None,
            payload: &[],
            parse,
            out,
            seq: 0,
            answered: false,
            streaming: false,
        }
    }

    /// The request id the client chose.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// When the client stops waiting (measured from when the server took the request off
    /// its socket), if it said.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the deadline has passed: the client no longer waits for this call.
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Serves a unary call: decodes the request into `request` (cleared first), runs
    /// `handler` with a cleared `response`, and sends the response or the handler's error.
    pub fn unary<Q: Message, R: Message, E: Into<Status>>(
        &mut self,
        request: &mut Q,
        response: &mut R,
        handler: impl FnOnce(&Q, &mut R) -> Result<(), E>,
    ) -> Result<(), Status> {
        self.expect(false)?;
        self.decode(request)?;
        response.clear();
        handler(request, response).map_err(Into::into)?;
        self.send(Kind::Reply, response)
    }

    /// Serves a server-streaming call: decodes the request into `request` (cleared first)
    /// and runs `handler`, which sends items through the [`ServerStream`]; the end of
    /// stream follows with the handler's outcome.
    pub fn server_streaming<Q: Message, R: Message, E: Into<Status>>(
        &mut self,
        request: &mut Q,
        item: &mut R,
        handler: impl FnOnce(&Q, &mut ServerStream<'_, 'a, R>) -> Result<(), E>,
    ) -> Result<(), Status> {
        self.expect(true)?;
        self.decode(request)?;
        let mut stream = ServerStream { call: self, item };
        handler(request, &mut stream).map_err(Into::into)
    }

    fn expect(&self, streaming: bool) -> Result<(), Status> {
        if self.streaming == streaming {
            return Ok(());
        }
        let kinds = ["unary", "server-streaming"];
        Err(Status::new(
            Code::Internal,
            format!(
                "a {} handler for a {} rpc",
                kinds[usize::from(streaming)],
                kinds[usize::from(self.streaming)]
            ),
        ))
    }

    fn decode<Q: Message>(&self, request: &mut Q) -> Result<(), Status> {
        request.clear();
        request
            .merge_from_slice_with(self.payload, self.parse)
            .map_err(|e| {
                Status::new(
                    Code::InvalidArgument,
                    format!("request does not decode: {e}"),
                )
            })
    }

    /// Sends `message` in a frame of `kind` (a reply or a stream item).
    fn send<R: Message>(&mut self, kind: Kind, message: &R) -> Result<(), Status> {
        if self.expired() {
            return Err(Status::new(Code::DeadlineExceeded, "deadline passed"));
        }
        self.out.payload.clear();
        message
            .append_to_vec(&mut self.out.payload)
            .map_err(|e| Status::new(Code::Internal, format!("response does not encode: {e}")))?;
        let header = ReplyHeader {
            kind,
            status: 0,
            id: self.id,
            seq: self.seq,
        };
        wire::write_reply(&mut self.out.header, header, "");
        self.transmit(kind == Kind::Reply)
            .map_err(|e| Status::new(Code::Unavailable, format!("reply not sent: {e}")))?;
        self.answered = kind == Kind::Reply;
        self.seq += 1;
        Ok(())
    }

    /// Sends the call's final frame: a reply or end of stream with `status` (OK if none).
    fn end(&mut self, kind: Kind, status: Result<(), &Status>) -> Result<(), zmq::Error> {
        let (code, message) = match status {
            Ok(()) => (Code::Ok, ""),
            Err(s) => (s.code, s.message.as_str()),
        };
        let header = ReplyHeader {
            kind,
            status: code.as_u16(),
            id: self.id,
            seq: if kind == Kind::End { self.seq } else { 0 },
        };
        wire::write_reply(&mut self.out.header, header, message);
        self.out.payload.clear();
        self.answered = true;
        self.transmit(true)
    }

    /// Sends the frame written in `out`. A stream item is followed by more of the handler's
    /// work, so the calls that arrived meanwhile are taken off the socket before the lock is
    /// let go (see [`Front`]); after a call's last frame the worker comes back for them.
    fn transmit(&self, last: bool) -> Result<(), zmq::Error> {
        let mut front = self.shared.lock();
        let sent = front.send_reply(self.envelope, &self.out.header, &self.out.payload);
        if !last {
            match front.take_calls(&self.shared.counters) {
                Ok(()) => front.balance(self.shared),
                Err(_) => self.shared.stop_all(&mut front), // the context is ending
            }
        }
        sent
    }
}

/// Where a server-streaming handler sends its items.
pub struct ServerStream<'s, 'a, R> {
    call: &'s mut Call<'a>,
    item: &'s mut R,
}

impl<R: Message> ServerStream<'_, '_, R> {
    /// The reused item message, cleared: fill it, then [`send`](Self::send) it.
    pub fn item(&mut self) -> &mut R {
        self.item.clear();
        self.item
    }

    /// Sends the item filled through [`item`](Self::item). Fails with `DEADLINE_EXCEEDED`
    /// once the client's deadline has passed (stop then: the client has gone), and with
    /// `UNAVAILABLE` when the server can no longer send (it is shutting down).
    pub fn send(&mut self) -> Result<(), Status> {
        self.call.send(Kind::Item, &*self.item)
    }

    /// Sends `item` (a message of the caller's).
    pub fn send_message(&mut self, item: &R) -> Result<(), Status> {
        self.call.send(Kind::Item, item)
    }

    /// Items sent so far.
    pub fn sent(&self) -> u32 {
        self.call.seq
    }

    /// Whether the client's deadline has passed.
    pub fn expired(&self) -> bool {
        self.call.expired()
    }
}
