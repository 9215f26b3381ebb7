//! REQ/REP: [`Req`] sends a request and receives the reply; [`Rep`] the reverse, in
//! lockstep. A request or reply frame holds exactly one message in either framing.

use super::pattern::{Replier, Requester};
use super::{Socket, TransportError};
use crate::{Message, Pool, Pooled};

impl<Q: Message, R: Message> Socket<Requester<Q, R>> {
    /// Sends a request. With a send timeout and no server, fails with
    /// [`Timeout`](TransportError::Timeout) and nothing is sent.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, Req};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://req-send")?;
    /// let mut client = Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// client.connect("inproc://req-send")?;
    /// client.send(&Timestamp { seconds: 1, ..Default::default() })?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send(&mut self, request: &Q) -> Result<(), TransportError> {
        self.link.send(&[], request)
    }

    /// Receives the reply to the last request into `reply` (cleared first, memory kept).
    /// After a [`Timeout`](TransportError::Timeout) the next request can still be sent; a
    /// late reply to this one is then discarded.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, Req};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://req-recv")?;
    /// # let mut client = Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # client.connect("inproc://req-recv")?;
    /// client.send(&Timestamp { seconds: 2, ..Default::default() })?;
    /// # let mut q = Timestamp::default();
    /// # server.recv(&mut q)?;
    /// # server.send(&Duration { seconds: q.seconds * 10, ..Default::default() })?;
    /// let mut reply = Duration::default();
    /// client.recv(&mut reply)?;
    /// assert_eq!(reply.seconds, 20);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv(&mut self, reply: &mut R) -> Result<(), TransportError> {
        reply.clear();
        self.link.recv_into(reply, true)
    }

    /// Receives the reply into a message from `pool`.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, Req};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://req-pool")?;
    /// # let mut client = Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # client.connect("inproc://req-pool")?;
    /// let pool = zpb::Pool::<Duration>::new(zpb::MemoryPolicy::Retain);
    /// client.send(&Timestamp::default())?;
    /// # let mut q = Timestamp::default();
    /// # server.recv(&mut q)?;
    /// # server.send(&Duration { nanos: 5, ..Default::default() })?;
    /// assert_eq!(client.recv_pooled(&pool)?.nanos, 5);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv_pooled(&mut self, pool: &Pool<R>) -> Result<Pooled<R>, TransportError> {
        self.recv_pooled_with(pool, true)
    }

    /// Sends `request` and receives the reply into `reply`: one round trip.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, Req};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://req-request")?;
    /// # let echo = std::thread::spawn(move || {
    /// #     let mut q = Timestamp::default();
    /// #     server.recv(&mut q).unwrap();
    /// #     server.send(&Duration { seconds: q.seconds, ..Default::default() }).unwrap();
    /// # });
    /// let mut client = Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// client.connect("inproc://req-request")?;
    /// let mut reply = Duration::default();
    /// client.request(&Timestamp { seconds: 3, ..Default::default() }, &mut reply)?;
    /// assert_eq!(reply.seconds, 3);
    /// # echo.join().unwrap();
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn request(&mut self, request: &Q, reply: &mut R) -> Result<(), TransportError> {
        self.send(request)?;
        self.recv(reply)
    }
}

impl<Q: Message, R: Message> Socket<Replier<Q, R>> {
    /// Receives a request into `request` (cleared first, memory kept). Once a request has
    /// been taken off the socket — decoded, or rejected as bad peer input — a reply is due
    /// ([`reply_due`](Self::reply_due)) and must be sent before the next receive, so a
    /// client that sent garbage still gets an answer and the pattern stays in step.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, TransportError};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// let ctx = zpb::transport::zmq::Context::new();
    /// let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// server.bind("inproc://rep-recv")?;
    /// let client = ctx.socket(zpb::transport::zmq::REQ)?;
    /// client.connect("inproc://rep-recv")?;
    /// client.send(&b"\xff garbage"[..], 0)?;
    /// let mut request = Timestamp::default();
    /// let err = server.recv(&mut request).unwrap_err();
    /// assert!(err.is_peer_input());
    /// assert!(server.reply_due());
    /// server.send(&Duration::default())?; // the client is answered anyway
    /// assert!(!server.reply_due());
    /// # Ok::<(), TransportError>(())
    /// ```
    pub fn recv(&mut self, request: &mut Q) -> Result<(), TransportError> {
        request.clear();
        let received = self.link.recv_into(request, true);
        self.note_request(&received);
        received
    }

    /// Receives a request into a message from `pool`; see [`recv`](Self::recv).
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://rep-pool")?;
    /// # let mut client = zpb::transport::Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # client.connect("inproc://rep-pool")?;
    /// # client.send(&Timestamp { seconds: 4, ..Default::default() })?;
    /// let pool = zpb::Pool::<Timestamp>::new(zpb::MemoryPolicy::Retain);
    /// let request = server.recv_pooled(&pool)?;
    /// assert_eq!(request.seconds, 4);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv_pooled(&mut self, pool: &Pool<Q>) -> Result<Pooled<Q>, TransportError> {
        let received = self.recv_pooled_with(pool, true);
        self.note_request(&received);
        received
    }

    fn note_request<T>(&mut self, received: &Result<T, TransportError>) {
        if received
            .as_ref()
            .map_or_else(TransportError::is_peer_input, |_| true)
        {
            self.link.reply_due = true;
        }
    }

    /// Sends the reply to the request last received.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep, Req};
    /// # use zpb::well_known::{Duration, Timestamp};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut server = Rep::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # server.bind("inproc://rep-send")?;
    /// # let mut client = Req::<Timestamp, Duration>::new(&ctx, Options::default())?;
    /// # client.connect("inproc://rep-send")?;
    /// # client.send(&Timestamp::default())?;
    /// let mut request = Timestamp::default();
    /// server.recv(&mut request)?;
    /// server.send(&Duration { seconds: 1, ..Default::default() })?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send(&mut self, reply: &R) -> Result<(), TransportError> {
        self.link.send(&[], reply)?;
        self.link.reply_due = false;
        Ok(())
    }

    /// Whether a request has been received and not answered yet.
    ///
    /// ```
    /// # use zpb::transport::{Options, Rep};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let server = Rep::<zpb::well_known::Timestamp, zpb::well_known::Duration>::new(&ctx, Options::default())?;
    /// assert!(!server.reply_due());
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn reply_due(&self) -> bool {
        self.link.reply_due
    }
}
