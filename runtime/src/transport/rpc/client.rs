//! [`Client`]: a DEALER socket carrying calls of one service, many in flight, with
//! per-call deadlines and Lazy Pirate retries of idempotent methods.

use super::wire::{self, Kind, ReplyHeader, RequestHeader};
use super::{rpc_kind, Code, RpcError, Status};
use crate::transport::Options;
use crate::well_known::ServiceDescriptor;
use crate::Message;
use crate::ParseOptions;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// How a client retries idempotent methods (the ZeroMQ guide's "Lazy Pirate"): after
/// `attempt_timeout` without a reply it closes its socket, opens a new one, reconnects and
/// sends the request again, up to `attempts` attempts in all and within the call's
/// deadline. Methods are retried only once marked with
/// [`Client::set_idempotent`].
///
/// ```
/// let retry = zpb::transport::rpc::Retry::default();
/// assert_eq!(retry.attempts, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (1: no retry). Default 3.
    pub attempts: u32,
    /// How long one attempt waits for its reply before the next. Default 1 s.
    pub attempt_timeout: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 3,
            attempt_timeout: Duration::from_secs(1),
        }
    }
}

/// A client's settings.
///
/// ```
/// use std::time::Duration;
/// use zpb::transport::rpc::ClientOptions;
/// let options = ClientOptions { timeout: Duration::from_millis(200), ..ClientOptions::default() };
/// assert_eq!(options.retry.attempts, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    /// Socket settings: high-water marks, linger and `parse` (size and recursion limits) apply; framing does
    /// not (a payload frame is one message) and neither do the timeouts (each call has its
    /// deadline).
    pub socket: Options,
    /// Default deadline of a call, all attempts included ([`Client::start_with`] takes
    /// another). Default 5 s.
    pub timeout: Duration,
    /// Retries of idempotent methods.
    pub retry: Retry,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            socket: Options::default(),
            timeout: Duration::from_secs(5),
            retry: Retry::default(),
        }
    }
}

/// A call in flight, as [`Client::start`] returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallId(pub u64);

/// What a client has done so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ClientStats {
    /// Calls started.
    pub calls: u64,
    /// Requests sent again after a timed-out attempt.
    pub retries: u64,
    /// Times the socket was closed and reopened (Lazy Pirate).
    pub resets: u64,
    /// Replies for no call in flight (late replies to calls that timed out or were
    /// cancelled), dropped.
    pub stray_replies: u64,
    /// Messages that are not replies of this protocol, dropped.
    pub bad_replies: u64,
}

/// A reply waiting for its caller: the header's fields, the header frame (for an error
/// message) and the payload frame.
struct Arrived {
    header: ReplyHeader,
    frame: zmq::Message,
    payload: zmq::Message,
}

/// A call in flight, or a free slot (`id == 0`) whose buffers wait for the next call.
struct Slot {
    id: u64,
    method: usize,
    streaming: bool,
    retry: bool,
    attempts: u32,
    deadline: Instant,
    attempt_deadline: Instant,
    /// The encoded request, kept for retries.
    request: Vec<u8>,
    inbox: VecDeque<Arrived>,
    next_seq: u32,
    reset: bool,
}

/// A client of one service: a DEALER socket connected to one or more servers (libzmq
/// spreads requests over them round-robin), carrying any number of calls in flight, whose
/// replies may come back in any order.
///
/// Requests are encoded from the caller's message and replies decoded into the caller's
/// message through buffers the client keeps, so a call loop allocates nothing in steady
/// state. Every call ends — with its reply, a server [`Status`], or
/// [`DeadlineExceeded`](RpcError::DeadlineExceeded) — by its deadline. A generated
/// `FooClient` wraps one of these with a typed method per rpc.
///
/// A timed-out attempt of an idempotent call replaces the socket (Lazy Pirate, see
/// [`Retry`]): the other calls in flight are sent again if they are retried too, and end
/// with [`RpcError::Reset`] otherwise, as their replies are lost with the old socket. Keep
/// calls that must not be retried on a client of their own when mixing them with retried
/// ones.
///
/// `Send`, not `Sync`, like the socket: one client per thread.
pub struct Client {
    ctx: zmq::Context,
    socket: zmq::Socket,
    endpoints: Vec<String>,
    service: &'static ServiceDescriptor,
    options: ClientOptions,
    parse: ParseOptions,
    idempotent: Vec<bool>,
    next_id: u64,
    calls: Vec<Slot>,
    header: Vec<u8>,
    frames: [zmq::Message; 3],
    /// The socket's receive timeout, in milliseconds (-1: none), as last set.
    recv_timeout: i32,
    stats: ClientStats,
}

impl Client {
    /// A client for `service`, not connected yet.
    pub fn new(
        ctx: &zmq::Context,
        service: &'static ServiceDescriptor,
        options: ClientOptions,
    ) -> Result<Client, RpcError> {
        let socket = open(ctx, &options)?;
        Ok(Client {
            ctx: ctx.clone(),
            recv_timeout: socket.get_rcvtimeo()?,
            socket,
            endpoints: Vec::new(),
            service,
            options,
            parse: options.socket.parse,
            idempotent: vec![false; service.methods.len()],
            next_id: 0,
            calls: Vec::new(),
            header: Vec::new(),
            frames: [
                zmq::Message::new(),
                zmq::Message::new(),
                zmq::Message::new(),
            ],
            stats: ClientStats::default(),
        })
    }

    /// Connects to a server at `endpoint` (kept, to reconnect after a reset). libzmq
    /// connects in the background: this succeeds before the server is up.
    pub fn connect(&mut self, endpoint: &str) -> Result<(), RpcError> {
        if endpoint.contains('\0') {
            return Err(zmq::Error::EINVAL.into());
        }
        self.socket.connect(endpoint)?;
        self.endpoints.push(endpoint.to_string());
        Ok(())
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceDescriptor {
        self.service
    }

    /// Marks method `method` (its index in the service) as idempotent, so that its calls are
    /// retried after a timed-out attempt (see [`Retry`]), or unmarks it.
    pub fn set_idempotent(&mut self, method: usize, idempotent: bool) -> Result<(), RpcError> {
        *self
            .idempotent
            .get_mut(method)
            .ok_or(RpcError::NoSuchMethod(method))? = idempotent;
        Ok(())
    }

    /// Calls in flight.
    pub fn in_flight(&self) -> usize {
        self.calls.iter().filter(|s| s.id != 0).count()
    }

    /// Counts so far.
    pub fn stats(&self) -> ClientStats {
        self.stats
    }

    /// Starts a call of method `method` with the default deadline and returns at once;
    /// collect the reply with [`finish`](Self::finish) (unary) or [`next`](Self::next)
    /// (server-streaming).
    pub fn start<Q: Message>(&mut self, method: usize, request: &Q) -> Result<CallId, RpcError> {
        self.start_with(method, request, self.options.timeout)
    }

    /// Starts a call that must end within `timeout`.
    pub fn start_with<Q: Message>(
        &mut self,
        method: usize,
        request: &Q,
        timeout: Duration,
    ) -> Result<CallId, RpcError> {
        let descriptor = self
            .service
            .methods
            .get(method)
            .ok_or(RpcError::NoSuchMethod(method))?;
        if descriptor.client_streaming {
            return Err(RpcError::Unsupported {
                method: descriptor.name,
                kind: rpc_kind(descriptor),
            });
        }
        let now = Instant::now();
        let slot = match self.calls.iter().position(|s| s.id == 0) {
            Some(free) => free,
            None => {
                self.calls.push(Slot {
                    id: 0,
                    method: 0,
                    streaming: false,
                    retry: false,
                    attempts: 0,
                    deadline: now,
                    attempt_deadline: now,
                    request: Vec::new(),
                    inbox: VecDeque::new(),
                    next_seq: 0,
                    reset: false,
                });
                self.calls.len() - 1
            }
        };
        let s = &mut self.calls[slot];
        s.request.clear();
        request.append_to_vec(&mut s.request)?;
        self.next_id += 1;
        s.id = self.next_id;
        s.method = method;
        s.streaming = descriptor.server_streaming;
        s.retry = self.idempotent[method] && !s.streaming && self.options.retry.attempts > 1;
        s.attempts = 0;
        s.deadline = later(now, timeout);
        s.next_seq = 0;
        s.reset = false;
        self.stats.calls += 1;
        if let Err(e) = self.send(slot) {
            self.calls[slot].free();
            return Err(e);
        }
        Ok(CallId(self.calls[slot].id))
    }

    /// Waits for the reply to unary call `id` and decodes it into `response` (cleared
    /// first, its memory kept). The call is over whatever the outcome.
    pub fn finish<R: Message>(&mut self, id: CallId, response: &mut R) -> Result<(), RpcError> {
        let slot = self.slot(id)?;
        if self.calls[slot].streaming {
            self.calls[slot].free();
            return Err(self.kind_error(slot));
        }
        let result = self
            .wait(slot)
            .and_then(|arrived| match arrived.header.kind {
                Kind::Reply => self.decode(&arrived, response),
                _ => Err(RpcError::Protocol("a stream frame answered a unary call")),
            });
        self.calls[slot].free();
        result
    }

    /// Waits for the next item of server-streaming call `id`: `Ok(true)` with the item
    /// decoded into `item` (cleared first), `Ok(false)` when the stream ended successfully.
    /// The call is over after `Ok(false)` or an error.
    pub fn next<R: Message>(&mut self, id: CallId, item: &mut R) -> Result<bool, RpcError> {
        let slot = self.slot(id)?;
        if !self.calls[slot].streaming {
            self.calls[slot].free();
            return Err(self.kind_error(slot));
        }
        let result = self.wait(slot).and_then(|arrived| {
            if arrived.header.seq != self.calls[slot].next_seq {
                return Err(RpcError::Protocol("stream items lost (sequence gap)"));
            }
            match arrived.header.kind {
                Kind::Item => self.decode(&arrived, item).map(|()| true),
                Kind::End => self.decode(&arrived, &mut ()).map(|()| false),
                _ => Err(RpcError::Protocol(
                    "a unary reply answered a streaming call",
                )),
            }
        });
        match result {
            Ok(true) => self.calls[slot].next_seq += 1,
            _ => self.calls[slot].free(),
        }
        result
    }

    /// Forgets call `id`: a reply arriving later is dropped.
    pub fn cancel(&mut self, id: CallId) -> Result<(), RpcError> {
        let slot = self.slot(id)?;
        self.calls[slot].free();
        Ok(())
    }

    /// One unary call with the default deadline: sends `request`, waits, and decodes the
    /// reply into `response` (cleared first, its memory kept).
    pub fn call<Q: Message, R: Message>(
        &mut self,
        method: usize,
        request: &Q,
        response: &mut R,
    ) -> Result<(), RpcError> {
        self.check_kind(method, false)?;
        let id = self.start(method, request)?;
        self.finish(id, response)
    }

    /// Starts server-streaming call `method` and returns its typed stream of replies.
    pub fn stream<Q: Message, R: Message>(
        &mut self,
        method: usize,
        request: &Q,
    ) -> Result<Streaming<'_, R>, RpcError> {
        self.check_kind(method, true)?;
        let id = self.start(method, request)?;
        Ok(Streaming {
            client: self,
            id,
            done: false,
            _item: PhantomData,
        })
    }

    /// Checks that `method` exists and is server-streaming or unary, as `streaming` says.
    fn check_kind(&self, method: usize, streaming: bool) -> Result<(), RpcError> {
        let descriptor = self
            .service
            .methods
            .get(method)
            .ok_or(RpcError::NoSuchMethod(method))?;
        if descriptor.server_streaming != streaming || descriptor.client_streaming {
            return Err(RpcError::Unsupported {
                method: descriptor.name,
                kind: rpc_kind(descriptor),
            });
        }
        Ok(())
    }

    fn slot(&self, id: CallId) -> Result<usize, RpcError> {
        match id.0 {
            0 => None,
            n => self.calls.iter().position(|s| s.id == n),
        }
        .ok_or(RpcError::UnknownCall(id.0))
    }

    fn kind_error(&self, slot: usize) -> RpcError {
        let descriptor = &self.service.methods[self.calls[slot].method];
        RpcError::Unsupported {
            method: descriptor.name,
            kind: rpc_kind(descriptor),
        }
    }

    /// Decodes an arrived reply: its error status, or its payload into `out`.
    fn decode<R: Decodable>(&self, arrived: &Arrived, out: &mut R) -> Result<(), RpcError> {
        match Code::from_u16(arrived.header.status) {
            Code::Ok => out.decode(&arrived.payload, &self.parse),
            code => Err(RpcError::Status(Status::new(
                code,
                String::from_utf8_lossy(&arrived.frame[wire::FIXED..]),
            ))),
        }
    }

    /// Sends (or sends again) the request of call `slot`, as attempt `attempts + 1`.
    fn send(&mut self, slot: usize) -> Result<(), RpcError> {
        let retry = self.options.retry;
        let s = &mut self.calls[slot];
        let now = Instant::now();
        s.attempts += 1;
        s.attempt_deadline = match s.retry && s.attempts < retry.attempts {
            true => s.deadline.min(later(now, retry.attempt_timeout)),
            false => s.deadline,
        };
        let left = s.attempt_deadline.saturating_duration_since(now);
        let header = RequestHeader {
            id: s.id,
            timeout_ms: ceil_millis(left).max(1).min(u64::from(u32::MAX)) as u32,
        };
        let method = self.service.methods[s.method].name;
        wire::write_request(&mut self.header, self.service.name, method, header)
            .ok_or(RpcError::Protocol("method path longer than 65535 bytes"))?;
        // The first part waits (up to the deadline) for room; libzmq then takes the rest.
        loop {
            match self.socket.send(&[][..], zmq::SNDMORE | zmq::DONTWAIT) {
                Ok(()) => break,
                Err(zmq::Error::EAGAIN) => {
                    let left = s.deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(RpcError::DeadlineExceeded {
                            attempts: s.attempts,
                        });
                    }
                    self.socket.poll(zmq::POLLOUT, ceil_millis(left) as i64)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.socket.send(&self.header[..], zmq::SNDMORE)?;
        self.socket.send(&s.request[..], 0)?;
        Ok(())
    }

    /// Waits until call `slot` has a reply, fails, or runs out of time; retries and resets
    /// the socket on the way as its retry policy says.
    fn wait(&mut self, slot: usize) -> Result<Arrived, RpcError> {
        loop {
            let s = &mut self.calls[slot];
            if let Some(arrived) = s.inbox.pop_front() {
                return Ok(arrived);
            }
            if s.reset {
                return Err(RpcError::Reset);
            }
            let now = Instant::now();
            if now >= s.deadline {
                return Err(RpcError::DeadlineExceeded {
                    attempts: s.attempts,
                });
            }
            if now >= s.attempt_deadline {
                self.reset()?;
                continue;
            }
            // A blocking receive with the time left as its timeout: one wait in libzmq, as a
            // plain REQ socket's (a poll, then a receive, would be two calls).
            let left = ceil_millis(s.attempt_deadline - now).min(i32::MAX as u64) as i32;
            if left != self.recv_timeout {
                self.socket.set_rcvtimeo(left)?;
                self.recv_timeout = left;
            }
            self.receive()?;
        }
    }

    /// Lazy Pirate: closes the socket, opens a new one connected to the same endpoints, and
    /// sends again every retried call that has attempts left and no reply yet. Calls that
    /// are not retried lose their replies with the old socket and end with
    /// [`RpcError::Reset`].
    fn reset(&mut self) -> Result<(), RpcError> {
        self.socket = open(&self.ctx, &self.options)?;
        self.recv_timeout = self.socket.get_rcvtimeo()?;
        for endpoint in &self.endpoints {
            self.socket.connect(endpoint)?;
        }
        self.stats.resets += 1;
        for slot in 0..self.calls.len() {
            let s = &mut self.calls[slot];
            if s.id == 0 || !s.inbox.is_empty() || s.reset {
                continue;
            }
            if !s.retry {
                s.reset = true;
            } else if s.attempts < self.options.retry.attempts {
                self.stats.retries += 1;
                self.send(slot)?;
            } else {
                // Out of attempts: it waits out its deadline on the new socket.
                s.attempt_deadline = s.deadline;
            }
        }
        Ok(())
    }

    /// Takes one message off the socket, waiting up to the receive timeout for it, and files
    /// it with its call; anything else is counted and dropped.
    fn receive(&mut self) -> Result<(), RpcError> {
        let f = &mut self.frames;
        let mut parts = 0;
        let mut more = true;
        while more {
            let into = &mut f[parts.min(2)];
            // Only the first part waits: the others arrive with it.
            let flags = if parts == 0 { 0 } else { zmq::DONTWAIT };
            match self.socket.recv(into, flags) {
                Ok(()) => {}
                Err(zmq::Error::EAGAIN) if parts == 0 => return Ok(()),
                Err(e) => return Err(e.into()),
            }
            more = into.get_more();
            parts += 1;
        }
        let header = match (parts, f[0].is_empty()) {
            (3, true) => wire::read_reply(&f[1]).ok(),
            _ => None,
        };
        let Some((header, _)) = header else {
            self.stats.bad_replies += 1;
            return Ok(());
        };
        let call = match header.id {
            0 => None,
            id => self.calls.iter_mut().find(|s| s.id == id),
        };
        match call {
            Some(call) => call.inbox.push_back(Arrived {
                header,
                frame: std::mem::replace(&mut f[1], zmq::Message::new()),
                payload: std::mem::replace(&mut f[2], zmq::Message::new()),
            }),
            None => self.stats.stray_replies += 1,
        }
        Ok(())
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.service.name)
            .field("endpoints", &self.endpoints)
            .field("in_flight", &self.in_flight())
            .field("stats", &self.stats)
            .finish()
    }
}

impl Slot {
    fn free(&mut self) {
        self.id = 0;
        self.inbox.clear();
        self.reset = false;
    }
}

/// The replies of a server-streaming call, typed; the call is cancelled if this is dropped
/// before the stream ends.
pub struct Streaming<'c, R> {
    client: &'c mut Client,
    id: CallId,
    done: bool,
    _item: PhantomData<fn(&mut R)>,
}

impl<R: Message> Streaming<'_, R> {
    /// The next item into `item` (cleared first): `Ok(true)`, or `Ok(false)` once the
    /// stream has ended successfully (and from then on).
    pub fn next(&mut self, item: &mut R) -> Result<bool, RpcError> {
        if self.done {
            return Ok(false);
        }
        let next = self.client.next(self.id, item);
        self.done = !matches!(next, Ok(true));
        next
    }

    /// The call's id.
    pub fn id(&self) -> CallId {
        self.id
    }
}

impl<R> Drop for Streaming<'_, R> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.client.cancel(self.id);
        }
    }
}

/// What a reply's payload decodes into: a message, or nothing (an end of stream).
trait Decodable {
    fn decode(&mut self, payload: &[u8], parse: &ParseOptions) -> Result<(), RpcError>;
}

impl<M: Message> Decodable for M {
    fn decode(&mut self, payload: &[u8], parse: &ParseOptions) -> Result<(), RpcError> {
        self.clear();
        self.merge_from_slice_with(payload, parse)
            .map_err(RpcError::Decode)
    }
}

impl Decodable for () {
    fn decode(&mut self, _: &[u8], _: &ParseOptions) -> Result<(), RpcError> {
        Ok(())
    }
}

fn open(ctx: &zmq::Context, options: &ClientOptions) -> Result<zmq::Socket, RpcError> {
    let socket = ctx.socket(zmq::DEALER)?;
    options.socket.apply(&socket)?;
    Ok(socket)
}

/// `now + d`, or a century from now for durations too long to add.
fn later(now: Instant, d: Duration) -> Instant {
    now.checked_add(d)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// Milliseconds, rounded up, so that a wait never ends before its deadline.
pub(crate) fn ceil_millis(d: Duration) -> u64 {
    d.as_nanos().div_ceil(1_000_000).min(u64::MAX as u128) as u64
}
