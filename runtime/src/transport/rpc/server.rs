//! [`Server`]: a ROUTER socket whose calls a load-balancing proxy thread hands to idle
//! worker threads (over an inproc ROUTER), each dispatching to its own [`Dispatch`] with
//! reused messages.

use super::wire::{self, Kind, ReplyHeader, MAX_FRAMES};
use super::{rpc_kind, RpcError};
use super::{Code, Status};
use crate::transport::Options;
use crate::well_known::ServiceDescriptor;
use crate::Message;
use crate::ParseOptions;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
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

/// How often a worker waiting for calls, or the proxy, looks at its stop flag.
const STOP_POLL: Duration = Duration::from_millis(50);

/// An RPC server: a ROUTER socket bound to an endpoint (or connected to a broker), a proxy
/// thread handing each call to the worker idle longest, and `workers` threads, each with a
/// [`Dispatch`] (the typed adapter around the service implementation) and its reused
/// messages and buffers, so serving allocates nothing in steady state.
///
/// Malformed input never stops it: a message without a routing envelope is dropped, one
/// with a bad header, a wrong frame count, an unknown method, an oversized or undecodable
/// payload gets an error reply (see the protocol in the [module docs](super)). A call whose
/// deadline passes while it waits for a worker is answered `DEADLINE_EXCEEDED` without
/// running. Dropping the server (or [`shutdown`](Self::shutdown)) stops the workers, then
/// the proxy.
pub struct Server {
    endpoint: String,
    /// Tells the workers to stop.
    stop: Arc<AtomicBool>,
    /// Tells the proxy to stop (once the workers have).
    proxy_done: Arc<AtomicBool>,
    counters: Arc<Counters>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds to `endpoint` (`tcp://127.0.0.1:*` picks a port: see
    /// [`endpoint`](Self::endpoint)) and starts the proxy and the workers, each with a
    /// [`Dispatch`] made by `make`.
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
        let frontend = ctx.socket(zmq::ROUTER)?;
        options.socket.apply(&frontend)?;
        // The proxy waits by polling; a ROUTER never blocks a send (it drops).
        frontend.set_rcvtimeo(-1)?;
        frontend.set_sndtimeo(-1)?;
        let endpoint = match bind {
            true => {
                frontend.bind(endpoint)?;
                frontend
                    .get_last_endpoint()?
                    .unwrap_or_else(|raw| String::from_utf8_lossy(&raw).into_owned())
            }
            false => {
                frontend.connect(endpoint)?;
                endpoint.to_string()
            }
        };
        // Inproc legs without high-water marks: a worker's reply never waits. Calls wait in
        // the listening ROUTER's queues until a worker is idle.
        let backend = ctx.socket(zmq::ROUTER)?;
        backend.set_sndhwm(0)?;
        backend.set_rcvhwm(0)?;
        backend.set_linger(0)?;
        let workers_at = format!("inproc://zpb-rpc-workers-{n}");
        backend.bind(&workers_at)?;

        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let epoch = Instant::now();
        let workers = options.workers.max(1);
        let mut threads = Vec::new();
        for index in 0..workers {
            let socket = ctx.socket(zmq::DEALER)?;
            socket.set_identity(&worker_identity(index as u32))?;
            socket.set_sndhwm(0)?;
            socket.set_rcvhwm(0)?;
            socket.set_linger(0)?;
            socket.set_rcvtimeo(STOP_POLL.as_millis() as i32)?;
            // Sends never wait: without high-water marks they only fail once the proxy has
            // gone (a DEALER with no peer would block).
            socket.set_sndtimeo(0)?;
            socket.connect(&workers_at)?;
            let mut worker = Worker::new(socket, make(), &options, counters.clone(), epoch);
            let stop = stop.clone();
            threads.push(std::thread::spawn(move || worker.run(&stop)));
        }
        let mut proxy = Proxy {
            frontend,
            backend,
            idle: VecDeque::with_capacity(workers),
            waiting: VecDeque::new(),
            spare: Vec::new(),
            limit: match options.socket.recv_hwm {
                0 => usize::MAX,
                n => n as usize,
            },
            frame: zmq::Message::new(),
            epoch,
            counters: counters.clone(),
        };
        let proxy_done = Arc::new(AtomicBool::new(false));
        let done = proxy_done.clone();
        threads.push(std::thread::spawn(move || proxy.run(&done)));
        Ok(Server {
            endpoint,
            stop,
            proxy_done,
            counters,
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
        let c = &self.counters;
        ServerStats {
            ok: c.ok.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
        }
    }

    /// Stops the workers (a call being handled is finished first, and answered), then the
    /// proxy, and returns the final counts. Calls still waiting for a worker are dropped.
    pub fn shutdown(mut self) -> ServerStats {
        self.stop_threads();
        self.stats()
    }

    fn stop_threads(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        // Workers first (each finishes its call, whose reply the proxy still carries), then
        // the proxy, the last thread, which stops once no worker is busy.
        self.stop.store(true, Ordering::Relaxed);
        let proxy = self.threads.pop();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        self.proxy_done.store(true, Ordering::Relaxed);
        if let Some(proxy) = proxy {
            let _ = proxy.join();
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

/// The identity of worker `index` on the inproc ROUTER (not starting with a zero byte,
/// which libzmq reserves).
fn worker_identity(index: u32) -> [u8; 5] {
    let [a, b, c, d] = index.to_le_bytes();
    [b'w', a, b, c, d]
}

/// The load balancer between the listening ROUTER and the workers (an inproc ROUTER). It
/// takes calls off the listening socket as they come, up to `limit` waiting, noting their
/// arrival; each goes to the worker idle longest with its arrival time as a last frame
/// (nanoseconds since `epoch`, little-endian u64), so deadlines count the time calls wait
/// here. Replies go back as they come. Workers say they are idle with a message of one empty
/// frame. Waiting calls' frames are kept in reused buffers.
struct Proxy {
    frontend: zmq::Socket,
    backend: zmq::Socket,
    idle: VecDeque<u32>,
    waiting: VecDeque<Waiting>,
    spare: Vec<Waiting>,
    limit: usize,
    frame: zmq::Message,
    epoch: Instant,
    counters: Arc<Counters>,
}

/// A call taken off the listening socket, waiting for a worker.
struct Waiting {
    frames: Vec<zmq::Message>,
    parts: usize,
    arrived: u64,
}

impl Proxy {
    fn run(&mut self, done: &AtomicBool) {
        let timeout = STOP_POLL.as_millis() as i64;
        while !done.load(Ordering::Relaxed) {
            let mut items = [
                self.backend.as_poll_item(zmq::POLLIN),
                self.frontend.as_poll_item(zmq::POLLIN),
            ];
            // Calls beyond the limit wait in libzmq's queues (and then the clients').
            let watched = if self.waiting.len() < self.limit {
                2
            } else {
                1
            };
            match zmq::poll(&mut items[..watched], timeout) {
                Ok(_) => {}
                Err(zmq::Error::EINTR) => continue,
                Err(_) => return, // the context is ending
            }
            let from_workers = items[0].is_readable();
            let from_clients = watched == 2 && items[1].is_readable();
            let moved = (if from_workers {
                self.take_worker_message()
            } else {
                Ok(())
            })
            .and_then(|()| match from_clients {
                true => self.take_call(),
                false => Ok(()),
            })
            .and_then(|()| self.dispatch());
            if moved.is_err() {
                return;
            }
        }
    }

    /// A worker's message: "idle" (one empty frame), or a reply to pass on to a client.
    fn take_worker_message(&mut self) -> Result<(), zmq::Error> {
        self.backend.recv(&mut self.frame, 0)?;
        let worker = match &self.frame[..] {
            [b'w', a, b, c, d] => Some(u32::from_le_bytes([*a, *b, *c, *d])),
            _ => None,
        };
        self.backend.recv(&mut self.frame, 0)?;
        if !self.frame.get_more() && self.frame.is_empty() {
            if let Some(worker) = worker {
                self.idle.push_back(worker);
            }
            return Ok(());
        }
        loop {
            let last = !self.frame.get_more();
            let part = std::mem::replace(&mut self.frame, zmq::Message::new());
            self.frontend
                .send(part, if last { 0 } else { zmq::SNDMORE })?;
            if last {
                return Ok(());
            }
            self.backend.recv(&mut self.frame, 0)?;
        }
    }

    /// Takes a call off the listening socket into a waiting slot; one of more than
    /// `MAX_FRAMES` frames is dropped.
    fn take_call(&mut self) -> Result<(), zmq::Error> {
        let mut call = self.spare.pop().unwrap_or_else(|| Waiting {
            frames: (0..MAX_FRAMES).map(|_| zmq::Message::new()).collect(),
            parts: 0,
            arrived: 0,
        });
        call.arrived = self.epoch.elapsed().as_nanos() as u64;
        call.parts = 0;
        loop {
            let into = &mut call.frames[call.parts.min(MAX_FRAMES - 1)];
            match self.frontend.recv(into, zmq::DONTWAIT) {
                Ok(()) => {}
                // Nothing there after all (parts of a message arrive together).
                Err(zmq::Error::EAGAIN) if call.parts == 0 => {
                    self.spare.push(call);
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
            call.parts += 1;
            if !into.get_more() {
                break;
            }
        }
        if call.parts > MAX_FRAMES {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            self.spare.push(call);
        } else {
            self.waiting.push_back(call);
        }
        Ok(())
    }

    /// Hands waiting calls to idle workers, the oldest first.
    fn dispatch(&mut self) -> Result<(), zmq::Error> {
        while !self.idle.is_empty() && !self.waiting.is_empty() {
            let (Some(worker), Some(mut call)) = (self.idle.pop_front(), self.waiting.pop_front())
            else {
                break;
            };
            self.backend
                .send(&worker_identity(worker)[..], zmq::SNDMORE)?;
            for frame in &mut call.frames[..call.parts] {
                let part = std::mem::replace(frame, zmq::Message::new());
                self.backend.send(part, zmq::SNDMORE)?;
            }
            self.backend.send(&call.arrived.to_le_bytes()[..], 0)?;
            self.spare.push(call);
        }
        Ok(())
    }
}

/// One worker: its socket, its dispatcher, and the buffers it reuses.
struct Worker<D> {
    socket: zmq::Socket,
    dispatch: D,
    frames: Vec<zmq::Message>,
    out: Out,
    max_request_bytes: usize,
    parse: ParseOptions,
    counters: Arc<Counters>,
    epoch: Instant,
}

/// What a reply is written with: the reused header and payload buffers.
#[derive(Default)]
struct Out {
    header: Vec<u8>,
    payload: Vec<u8>,
}

impl<D: Dispatch> Worker<D> {
    fn new(
        socket: zmq::Socket,
        dispatch: D,
        options: &ServerOptions,
        counters: Arc<Counters>,
        epoch: Instant,
    ) -> Self {
        Worker {
            socket,
            dispatch,
            // A message, and the proxy's arrival stamp.
            frames: (0..=MAX_FRAMES).map(|_| zmq::Message::new()).collect(),
            out: Out::default(),
            max_request_bytes: options.max_request_bytes,
            parse: ParseOptions {
                max_size: options.max_request_bytes,
                ..options.socket.parse
            },
            counters,
            epoch,
        }
    }

    fn run(&mut self, stop: &AtomicBool) {
        // "Idle": one empty frame, now and after each call.
        if self.socket.send(&[][..], 0).is_err() {
            return;
        }
        while !stop.load(Ordering::Relaxed) {
            match self.receive() {
                Ok(Some(parts)) => self.serve(parts),
                Ok(None) => {}
                Err(zmq::Error::EAGAIN) | Err(zmq::Error::EINTR) => continue,
                Err(_) => return, // the context is ending
            }
            if self.socket.send(&[][..], 0).is_err() {
                return;
            }
        }
    }

    /// Takes one message off the socket: its number of frames (the stamp included), `None`
    /// when the message had more than `MAX_FRAMES` (drained and dropped).
    fn receive(&mut self) -> Result<Option<usize>, zmq::Error> {
        let mut parts = 0;
        loop {
            let into = &mut self.frames[parts.min(MAX_FRAMES)];
            // Parts after the first are there already: only the first waits.
            self.socket
                .recv(into, if parts == 0 { 0 } else { zmq::DONTWAIT })?;
            parts += 1;
            if !into.get_more() {
                break;
            }
        }
        if parts > MAX_FRAMES + 1 {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            return Ok(None);
        }
        Ok(Some(parts))
    }

    /// Answers the message in the first `parts` frames (the last being the proxy's arrival
    /// stamp), or drops it when it has no envelope (identity frames, then an empty
    /// delimiter).
    fn serve(&mut self, parts: usize) {
        let (stamp, parts) = (&self.frames[parts - 1], parts - 1);
        let received = match <[u8; 8]>::try_from(&stamp[..]) {
            Ok(nanos) => self.epoch + Duration::from_nanos(u64::from_le_bytes(nanos)),
            Err(_) => Instant::now(),
        };
        let Some(delimiter) = self.frames[..parts].iter().position(|f| f.is_empty()) else {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if delimiter == 0 {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let (envelope, rest) = self.frames[..parts].split_at(delimiter);
        let outcome = match &rest[1..] {
            [header, payload] => match wire::read_request(header) {
                Ok((h, path)) => {
                    let deadline = (h.timeout_ms > 0)
                        .then(|| received + Duration::from_millis(h.timeout_ms.into()));
                    let mut call = Call {
                        socket: &self.socket,
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
                        Call::bare(&self.socket, envelope, id, &mut self.out, &self.parse);
                    let status = Status::new(Code::InvalidArgument, e.to_string());
                    call.end(Kind::Reply, Err(&status)).map(|()| false)
                }
            },
            _ => {
                let mut call = Call::bare(&self.socket, envelope, 0, &mut self.out, &self.parse);
                let status = Status::new(
                    Code::InvalidArgument,
                    "a request is 3 frames after the envelope: delimiter, header, payload",
                );
                call.end(Kind::Reply, Err(&status)).map(|()| false)
            }
        };
        let counter = match outcome {
            Ok(true) => &self.counters.ok,
            Ok(false) => &self.counters.failed,
            Err(_) => &self.counters.dropped,
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
    socket: &'a zmq::Socket,
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
        socket: &'a zmq::Socket,
        envelope: &'a [zmq::Message],
        id: u64,
        out: &'a mut Out,
        parse: &'a ParseOptions,
    ) -> Self {
        Call {
            socket,
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

    /// When the client stops waiting (measured from when this worker took the request),
    /// if it said.
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
        self.transmit()
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
        self.transmit()
    }

    fn transmit(&self) -> Result<(), zmq::Error> {
        for frame in self.envelope {
            self.socket.send(&frame[..], zmq::SNDMORE)?;
        }
        self.socket.send(&[][..], zmq::SNDMORE)?;
        self.socket.send(&self.out.header[..], zmq::SNDMORE)?;
        self.socket.send(&self.out.payload[..], 0)
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
