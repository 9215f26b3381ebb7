//! [`Link`]: what every typed socket wraps — the libzmq socket, its framing, the reused
//! receive frames and send buffer, and a connection monitor. Not generic over the message
//! type, so the machinery is compiled once; only `recv_into`/`queue` are generic.

use super::{FrameInfo, Framing, Options, Stats, TransportError};
use crate::wire::split_delimited as split_record;
use crate::wire::ParseOptions;
use crate::Message;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The multipart layout of one message of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One frame: the payload.
    Payload,
    /// Two frames: a topic, then the payload (PUB/SUB).
    TopicPayload,
}

impl Shape {
    fn frames(self) -> usize {
        match self {
            Shape::Payload => 1,
            Shape::TopicPayload => 2,
        }
    }
}

/// The last received message: its frames (reused from one receive to the next, so libzmq
/// hands over the bytes without any allocation on the Rust side) and the read position.
struct Inbox {
    /// The topic frame (PUB/SUB only).
    head: zmq::Message,
    /// The payload frame.
    frame: zmq::Message,
    /// Whether `frame` still holds records not handed out.
    pending: bool,
    /// Offset of the next record in `frame`.
    pos: usize,
    /// Index of the next record in `frame`.
    record: usize,
    /// Sequence number of `frame` on this socket.
    seq: u64,
}

/// Records encoded and not yet sent: one frame's worth, for one topic.
#[derive(Default)]
struct Outbox {
    buf: Vec<u8>,
    records: usize,
    topic: Vec<u8>,
}

impl Outbox {
    fn reset(&mut self) {
        self.buf.clear();
        self.records = 0;
    }
}

/// How often (in send and receive calls) pending monitor events and subscription messages
/// are read, so that they never pile up.
const DRAIN_EVERY: u32 = 256;

pub(crate) struct Link {
    socket: zmq::Socket,
    monitor: Option<Monitor>,
    shape: Shape,
    framing: Framing,
    parse: ParseOptions,
    batch_bytes: usize,
    inbox: Inbox,
    outbox: Outbox,
    stats: Stats,
    ops: u32,
    /// REP: a request was taken off the socket and its reply not sent yet.
    pub(crate) reply_due: bool,
    /// PUB (an XPUB socket): what its subscription messages said.
    subscriptions: Option<Subscriptions>,
}

/// What a publisher (an XPUB socket in verbose mode) learns from its subscription messages.
/// libzmq passes up every SUBSCRIBE (verbose mode), and an UNSUBSCRIBE only once the last
/// subscriber of a prefix has unsubscribed or disconnected, so the prefixes with at least
/// one subscriber are exactly those subscribed and not unsubscribed since.
#[derive(Default)]
struct Subscriptions {
    /// SUBSCRIBE messages seen: one per subscriber and prefix (again after a reconnection).
    seen: u64,
    /// Prefixes with at least one subscriber.
    active: BTreeSet<Vec<u8>>,
    /// Messages sent while no prefix had a subscriber.
    unheard: u64,
}

impl Link {
    pub(crate) fn new(
        ctx: &zmq::Context,
        kind: zmq::SocketType,
        shape: Shape,
        options: &Options,
    ) -> Result<Link, TransportError> {
        let mut socket = ctx.socket(kind)?;
        options.apply(&socket)?;
        if kind == zmq::XPUB && options.lossless_publish {
            set_xpub_nodrop(&mut socket)?;
        }
        let monitor = match options.track_peers {
            true => Some(Monitor::attach(ctx, &socket)?),
            false => None,
        };
        Ok(Link {
            socket,
            monitor,
            shape,
            framing: options.framing,
            parse: options.parse,
            batch_bytes: options.batch_bytes,
            inbox: Inbox {
                head: zmq::Message::new(),
                frame: zmq::Message::new(),
                pending: false,
                pos: 0,
                record: 0,
                seq: 0,
            },
            outbox: Outbox::default(),
            stats: Stats::default(),
            ops: 0,
            reply_due: false,
            subscriptions: (kind == zmq::XPUB).then(Subscriptions::default),
        })
    }

    pub(crate) fn socket(&self) -> &zmq::Socket {
        &self.socket
    }

    pub(crate) fn framing(&self) -> Framing {
        self.framing
    }

    pub(crate) fn stats(&self) -> Stats {
        self.stats
    }

    /// Bytes held by the reused buffers: the encode buffer's capacity, the topic buffer and
    /// the frames last received (held by libzmq).
    pub(crate) fn buffer_bytes(&self) -> usize {
        self.outbox.buf.capacity()
            + self.outbox.topic.capacity()
            + self.inbox.frame.len()
            + self.inbox.head.len()
    }

    pub(crate) fn bind(&self, endpoint: &str) -> Result<String, TransportError> {
        check_endpoint(endpoint)?;
        self.socket.bind(endpoint)?;
        self.last_endpoint()
    }

    pub(crate) fn connect(&self, endpoint: &str) -> Result<(), TransportError> {
        check_endpoint(endpoint)?;
        Ok(self.socket.connect(endpoint)?)
    }

    pub(crate) fn unbind(&self, endpoint: &str) -> Result<(), TransportError> {
        check_endpoint(endpoint)?;
        Ok(self.socket.unbind(endpoint)?)
    }

    pub(crate) fn disconnect(&self, endpoint: &str) -> Result<(), TransportError> {
        check_endpoint(endpoint)?;
        Ok(self.socket.disconnect(endpoint)?)
    }

    pub(crate) fn last_endpoint(&self) -> Result<String, TransportError> {
        Ok(self
            .socket
            .get_last_endpoint()?
            .unwrap_or_else(|raw| String::from_utf8_lossy(&raw).into_owned()))
    }

    pub(crate) fn peers(&mut self) -> Result<usize, TransportError> {
        let monitor = self.monitor.as_mut().ok_or(zmq::Error::ENOTSUP)?;
        monitor.drain()?;
        Ok(monitor.peers())
    }

    pub(crate) fn wait_for_peers(
        &mut self,
        n: usize,
        timeout: Duration,
    ) -> Result<usize, TransportError> {
        self.wait_until(timeout, false, |link| {
            let peers = link.peers()?;
            Ok((peers >= n).then_some(peers))
        })
    }

    /// Counts a send or receive call, reading monitor events (and a publisher's
    /// subscription messages) every so often so that they never pile up.
    fn tick(&mut self) -> Result<(), TransportError> {
        self.ops = self.ops.wrapping_add(1);
        if self.ops % DRAIN_EVERY == 0 {
            if let Some(monitor) = &mut self.monitor {
                monitor.drain()?;
            }
            self.subscriptions()?;
        }
        Ok(())
    }

    /// XPUB: reads the subscription messages that arrived and returns the number of
    /// SUBSCRIBE messages seen so far (0 for other sockets).
    pub(crate) fn subscriptions(&mut self) -> Result<u64, TransportError> {
        let Some(subs) = &mut self.subscriptions else {
            return Ok(0);
        };
        loop {
            match self.socket.recv(&mut self.inbox.frame, zmq::DONTWAIT) {
                Ok(()) => match self.inbox.frame.split_first() {
                    Some((1, prefix)) => {
                        subs.seen += 1;
                        if !subs.active.contains(prefix) {
                            subs.active.insert(prefix.to_vec());
                        }
                    }
                    Some((0, prefix)) => {
                        subs.active.remove(prefix);
                    }
                    _ => {}
                },
                Err(zmq::Error::EAGAIN) => break,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(subs.seen)
    }

    /// XPUB: whether some prefix has a subscriber now (after reading the subscription
    /// messages that arrived).
    pub(crate) fn subscribed(&mut self) -> Result<bool, TransportError> {
        self.subscriptions()?;
        Ok(self
            .subscriptions
            .as_ref()
            .is_some_and(|subs| !subs.active.is_empty()))
    }

    /// XPUB: messages sent while no prefix had a subscriber.
    pub(crate) fn unheard(&self) -> u64 {
        self.subscriptions.as_ref().map_or(0, |subs| subs.unheard)
    }

    /// XPUB: waits until `n` SUBSCRIBE messages have been seen.
    pub(crate) fn wait_for_subscriptions(
        &mut self,
        n: u64,
        timeout: Duration,
    ) -> Result<u64, TransportError> {
        self.wait_until(timeout, true, |link| {
            let seen = link.subscriptions()?;
            Ok((seen >= n).then_some(seen))
        })
    }

    /// XPUB: waits until no SUBSCRIBE message has arrived for `quiet`, or `timeout` has
    /// passed; returns the SUBSCRIBE messages seen.
    pub(crate) fn settle_subscriptions(
        &mut self,
        quiet: Duration,
        timeout: Duration,
    ) -> Result<u64, TransportError> {
        let deadline = Instant::now() + timeout;
        let mut seen = self.subscriptions()?;
        let mut quiet_until = Instant::now() + quiet;
        loop {
            let left = quiet_until
                .min(deadline)
                .saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(seen);
            }
            self.socket.poll(zmq::POLLIN, left.as_millis() as i64 + 1)?;
            let now = self.subscriptions()?;
            if now != seen {
                seen = now;
                quiet_until = Instant::now() + quiet;
            }
        }
    }

    /// Waits until `check` returns a value or `timeout` passes, sleeping until the
    /// monitor (or, with `on_socket`, the socket itself) has something to read.
    fn wait_until<T>(
        &mut self,
        timeout: Duration,
        on_socket: bool,
        mut check: impl FnMut(&mut Link) -> Result<Option<T>, TransportError>,
    ) -> Result<T, TransportError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(done) = check(self)? {
                return Ok(done);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(TransportError::Timeout);
            }
            let watched = match &self.monitor {
                Some(monitor) if !on_socket => &monitor.socket,
                _ => &self.socket,
            };
            watched.poll(zmq::POLLIN, left.as_millis() as i64 + 1)?;
        }
    }

    // ---- receive ------------------------------------------------------------------------

    /// Merges the next received record into `msg` (which the caller has cleared). With
    /// `single`, a frame must hold exactly one record (requests and replies).
    pub(crate) fn recv_into<M: Message>(
        &mut self,
        msg: &mut M,
        single: bool,
    ) -> Result<(), TransportError> {
        self.tick()?;
        let result = match self.inbox.pending {
            true => self.decode_next(msg, single),
            false => self
                .recv_message()
                .and_then(|()| self.decode_next(msg, single)),
        };
        match &result {
            Ok(()) => self.stats.messages_received += 1,
            Err(e) if e.is_peer_input() => self.stats.bad_input += 1,
            Err(_) => {}
        }
        result
    }

    /// The topic frame of the last message received (PUB/SUB).
    pub(crate) fn topic(&self) -> &[u8] {
        &self.inbox.head
    }

    /// Takes one whole multipart message off the socket into the inbox frames, waiting up
    /// to the receive timeout. A message of the wrong shape is taken off entirely, dropped
    /// and reported; the socket stays in step.
    fn recv_message(&mut self) -> Result<(), TransportError> {
        let expected = self.shape.frames();
        let inbox = &mut self.inbox;
        let first = match self.shape {
            Shape::Payload => &mut inbox.frame,
            Shape::TopicPayload => &mut inbox.head,
        };
        self.socket.recv(first, 0)?;
        let mut more = first.get_more();
        self.stats.frames_received += 1;
        inbox.seq = self.stats.frames_received;
        let mut received = 1;
        if expected == 2 && more {
            // The parts of a message arrive together: the payload is already there.
            self.socket.recv(&mut inbox.frame, zmq::DONTWAIT)?;
            more = inbox.frame.get_more();
            received = 2;
        }
        if more || received != expected {
            while more && self.socket.recv(&mut inbox.frame, zmq::DONTWAIT).is_ok() {
                more = inbox.frame.get_more();
                received += 1;
            }
            return Err(TransportError::UnexpectedFrames {
                expected,
                received,
                frame: inbox.seq,
            });
        }
        inbox.pos = 0;
        inbox.record = 0;
        inbox.pending = true;
        Ok(())
    }

    /// Decodes the next record of the inbox frame into `msg`.
    fn decode_next<M: Message>(&mut self, msg: &mut M, single: bool) -> Result<(), TransportError> {
        let inbox = &mut self.inbox;
        // One look at the frame's bytes (each is a call into libzmq).
        let frame: &[u8] = &inbox.frame;
        let info = FrameInfo {
            frame: inbox.seq,
            len: frame.len(),
            record: inbox.record,
            offset: inbox.pos,
        };
        if self.framing == Framing::Delimited && frame.is_empty() {
            inbox.pending = false;
            return Err(TransportError::EmptyFrame(info));
        }
        let body = match self.framing {
            Framing::Raw => {
                inbox.pending = false;
                0..frame.len()
            }
            Framing::Delimited => match split_record(frame, inbox.pos, self.parse.max_size) {
                Ok(body) => {
                    inbox.pos = body.end;
                    inbox.record += 1;
                    inbox.pending = body.end < frame.len();
                    body
                }
                Err(error) => {
                    // The rest of the frame cannot be split: it is dropped.
                    inbox.pending = false;
                    return Err(TransportError::Decode { error, frame: info });
                }
            },
        };
        if single && inbox.pending {
            inbox.pending = false;
            return Err(TransportError::ExtraRecords(info));
        }
        msg.merge_from_slice_with(&frame[body], &self.parse)
            .map_err(|error| TransportError::Decode { error, frame: info })
    }

    // ---- send ---------------------------------------------------------------------------

    /// Messages queued and not yet flushed.
    pub(crate) fn queued(&self) -> usize {
        self.outbox.records
    }

    /// Sends any queued batch, then `msg` in a frame of its own. On error `msg` was not sent.
    pub(crate) fn send<M: Message>(&mut self, topic: &[u8], msg: &M) -> Result<(), TransportError> {
        // One `flush` (and one `tick`) per message when nothing is queued, the usual case.
        if self.outbox.records > 0 {
            self.flush()?;
        }
        self.encode(topic, msg)?;
        let sent = self.flush();
        if sent.is_err() {
            self.outbox.reset();
        }
        sent
    }

    /// Adds `msg` to the batch frame, sending the batch first when it is full or has another
    /// topic. On error `msg` was not queued (an earlier batch stays queued). With raw
    /// framing there is no batching: this is [`send`](Self::send).
    pub(crate) fn queue<M: Message>(
        &mut self,
        topic: &[u8],
        msg: &M,
    ) -> Result<(), TransportError> {
        if self.framing == Framing::Raw {
            return self.send(topic, msg);
        }
        let out = &self.outbox;
        let topic_changes = self.shape == Shape::TopicPayload && out.topic != topic;
        if out.records > 0 && (out.buf.len() >= self.batch_bytes || topic_changes) {
            self.flush()?;
        }
        self.encode(topic, msg)
    }

    /// Sends the queued batch, if any. On error the batch stays queued.
    pub(crate) fn flush(&mut self) -> Result<(), TransportError> {
        self.tick()?;
        if self.outbox.records == 0 {
            return Ok(());
        }
        // A publisher nobody listens to reads its subscription messages before every frame
        // (one more call into libzmq, only while nobody listens), so that it counts exactly
        // what goes unheard; with subscribers, every few hundred calls (see `tick`).
        let unheard = match &self.subscriptions {
            Some(subs) if subs.active.is_empty() => !self.subscribed()?,
            _ => false,
        };
        if self.shape == Shape::TopicPayload {
            self.socket.send(&self.outbox.topic[..], zmq::SNDMORE)?;
        }
        // Once the first part of a message is accepted, libzmq accepts the rest.
        self.socket.send(&self.outbox.buf[..], 0)?;
        self.stats.frames_sent += 1;
        self.stats.messages_sent += self.outbox.records as u64;
        if let (true, Some(subs)) = (unheard, &mut self.subscriptions) {
            subs.unheard += self.outbox.records as u64;
        }
        self.outbox.reset();
        Ok(())
    }

    fn encode<M: Message>(&mut self, topic: &[u8], msg: &M) -> Result<(), TransportError> {
        let out = &mut self.outbox;
        match self.framing {
            Framing::Raw => msg.append_to_vec(&mut out.buf)?,
            Framing::Delimited => msg.append_delimited_to_vec(&mut out.buf)?,
        }
        if out.records == 0 && self.shape == Shape::TopicPayload {
            out.topic.clear();
            out.topic.extend_from_slice(topic);
        }
        out.records += 1;
        Ok(())
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Stop the monitor before its reader closes: libzmq would otherwise block in a send
        // of the closing socket's last events, with no reader, and stall the context.
        // Re-registering with no events does it (the bindings cannot pass libzmq's NULL).
        if let Some(monitor) = &self.monitor {
            let stopped = format!("inproc://zpb-transport-monitor-{}-stopped", monitor.id);
            let _ = self.socket.monitor(&stopped, 0);
        }
    }
}

/// libzmq's bindings panic on an endpoint with a NUL byte; refuse it instead.
/// Sets `ZMQ_XPUB_NODROP` (the `zmq` crate has no setter for it): a full subscriber queue
/// makes a send wait instead of dropping.
fn set_xpub_nodrop(socket: &mut zmq::Socket) -> zmq::Result<()> {
    use std::os::raw::{c_int, c_void};
    let on: c_int = 1;
    // SAFETY: `as_mut_ptr` is the live libzmq socket `socket` owns (borrowed for the whole
    // call); libzmq reads the `c_int` option value, whose address and exact size are passed,
    // during the call only.
    let rc = unsafe {
        zmq_sys::zmq_setsockopt(
            socket.as_mut_ptr(),
            zmq_sys::ZMQ_XPUB_NODROP as c_int,
            (&on as *const c_int).cast::<c_void>(),
            std::mem::size_of::<c_int>(),
        )
    };
    match rc {
        0 => Ok(()),
        _ => Err(zmq::Error::from_raw(
            std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
        )),
    }
}

fn check_endpoint(endpoint: &str) -> Result<(), TransportError> {
    if endpoint.contains('\0') {
        return Err(TransportError::Zmq(zmq::Error::EINVAL));
    }
    Ok(())
}

/// Counts a socket's live connections from libzmq's monitor events (tcp and ipc; inproc
/// connections raise no events).
struct Monitor {
    id: u64,
    socket: zmq::Socket,
    event: zmq::Message,
    handshakes: u64,
    failed_handshakes: u64,
    disconnects: u64,
}

impl Monitor {
    fn attach(ctx: &zmq::Context, target: &zmq::Socket) -> Result<Monitor, TransportError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let endpoint = format!("inproc://zpb-transport-monitor-{id}");
        let events = [
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED,
            zmq::SocketEvent::HANDSHAKE_FAILED_NO_DETAIL,
            zmq::SocketEvent::HANDSHAKE_FAILED_PROTOCOL,
            zmq::SocketEvent::HANDSHAKE_FAILED_AUTH,
            zmq::SocketEvent::DISCONNECTED,
        ];
        let mask = events.iter().fold(0, |m, e| m | i32::from(e.to_raw()));
        target.monitor(&endpoint, mask)?;
        let socket = ctx.socket(zmq::PAIR)?;
        socket.set_linger(0)?;
        // libzmq sends events with a blocking send, from its I/O thread: a full pipe would
        // stall every socket of the context. Without a high-water mark it never fills; the
        // events are read on every `peers` call and every few hundred operations.
        socket.set_rcvhwm(0)?;
        socket.connect(&endpoint)?;
        Ok(Monitor {
            id,
            socket,
            event: zmq::Message::new(),
            handshakes: 0,
            failed_handshakes: 0,
            disconnects: 0,
        })
    }

    /// Reads every pending event (each is two frames: event id and value, then the
    /// endpoint).
    fn drain(&mut self) -> Result<(), TransportError> {
        loop {
            match self.socket.recv(&mut self.event, zmq::DONTWAIT) {
                Ok(()) => {}
                Err(zmq::Error::EAGAIN) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
            let id = match self.event.get(..2) {
                Some(&[a, b]) => u16::from_ne_bytes([a, b]),
                _ => 0,
            };
            while self.event.get_more() {
                self.socket.recv(&mut self.event, zmq::DONTWAIT)?;
            }
            use zmq::SocketEvent as E;
            if id == E::HANDSHAKE_SUCCEEDED.to_raw() {
                self.handshakes += 1;
            } else if id == E::DISCONNECTED.to_raw() {
                self.disconnects += 1;
            } else {
                // A failed handshake is followed by a DISCONNECTED for a connection that
                // never counted.
                self.failed_handshakes += 1;
            }
        }
    }

    fn peers(&self) -> usize {
        let gone = self.disconnects.saturating_sub(self.failed_handshakes);
        self.handshakes.saturating_sub(gone) as usize
    }
}
