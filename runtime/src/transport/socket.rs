//! [`Socket<P>`]: the typed socket, generic over its [`Pattern`], with what all patterns
//! share (creation, bind/connect, peers, statistics). Each pattern adds its own send and
//! receive methods in its module.

use super::link::{Link, Shape};
use super::{Framing, Options, Stats, TransportError};
use crate::{Message, Pool, Pooled};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

mod sealed {
    pub trait Sealed {}
}

/// A ZeroMQ messaging pattern: which libzmq socket a [`Socket`] wraps and what it carries.
/// Implemented only by the markers in [`pattern`](super::pattern); use the aliases
/// [`Req`](super::Req), [`Rep`](super::Rep), [`Pub`](super::Pub), [`Sub`](super::Sub),
/// [`Push`](super::Push) and [`Pull`](super::Pull).
///
/// ```
/// use zpb::transport::{pattern::Pusher, Pattern};
/// use zpb::well_known::Timestamp;
/// assert_eq!(<Pusher<Timestamp> as Pattern>::NAME, "PUSH");
/// ```
pub trait Pattern: sealed::Sealed {
    /// The libzmq socket type's name (`"REQ"`, `"PUB"`...).
    const NAME: &'static str;
    #[doc(hidden)]
    const KIND: zmq::SocketType;
    #[doc(hidden)]
    const TOPIC: bool = false;
    /// Pattern-specific socket options, set at creation.
    #[doc(hidden)]
    fn configure(_socket: &zmq::Socket) -> zmq::Result<()> {
        Ok(())
    }
}

/// The pattern markers that parameterize [`Socket`]. They are never constructed; they
/// name the socket type and the message types it sends and receives.
pub mod pattern {
    use super::{sealed, Pattern};
    use std::marker::PhantomData;

    macro_rules! markers {
        ($($(#[$doc:meta])* $marker:ident <$($t:ident),+> = $name:literal, $kind:ident
           $(, topic = $topic:literal)? $(, configure = $configure:expr)?;)+) => {$(
            $(#[$doc])*
            pub struct $marker<$($t),+>(PhantomData<fn() -> ($($t,)+)>);
            impl<$($t),+> sealed::Sealed for $marker<$($t),+> {}
            impl<$($t),+> Pattern for $marker<$($t),+> {
                const NAME: &'static str = $name;
                const KIND: zmq::SocketType = zmq::$kind;
                $(const TOPIC: bool = $topic;)?
                $(fn configure(socket: &zmq::Socket) -> zmq::Result<()> {
                    $configure(socket)
                })?
            }
        )+};
    }

    markers! {
        /// REQ: sends a request `Q`, then receives a reply `R`. Made relaxed and correlated
        /// (`ZMQ_REQ_RELAXED`, `ZMQ_REQ_CORRELATE`) so that a request whose reply timed out
        /// does not wedge the socket: the next request can be sent, and a late reply to the
        /// old one is discarded.
        ///
        /// ```
        /// # type Q = zpb::well_known::Timestamp;
        /// # type R = zpb::well_known::Duration;
        /// let _: Option<zpb::transport::Req<Q, R>> = None; // Socket<Requester<Q, R>>
        /// ```
        Requester<Q, R> = "REQ", REQ, configure = |s: &zmq::Socket| {
            s.set_req_relaxed(true)?;
            s.set_req_correlate(true)
        };
        /// REP: receives a request `Q`, then sends a reply `R`.
        ///
        /// ```
        /// # type Q = zpb::well_known::Timestamp;
        /// # type R = zpb::well_known::Duration;
        /// let _: Option<zpb::transport::Rep<Q, R>> = None; // Socket<Replier<Q, R>>
        /// ```
        Replier<Q, R> = "REP", REP;
        /// PUB (an XPUB socket in verbose mode, so the publisher can count subscriptions):
        /// sends `[topic, payload]` messages of `M`.
        ///
        /// ```
        /// # type M = zpb::well_known::Timestamp;
        /// let _: Option<zpb::transport::Pub<M>> = None; // Socket<Publisher<M>>
        /// ```
        Publisher<M> = "PUB", XPUB, topic = true, configure = |s: &zmq::Socket| {
            s.set_xpub_verbose(true)
        };
        /// SUB: receives the `[topic, payload]` messages of `M` whose topic starts with a
        /// subscribed prefix.
        ///
        /// ```
        /// # type M = zpb::well_known::Timestamp;
        /// let _: Option<zpb::transport::Sub<M>> = None; // Socket<Subscriber<M>>
        /// ```
        Subscriber<M> = "SUB", SUB, topic = true;
        /// PUSH: sends `M` to connected PULL peers, round-robin.
        ///
        /// ```
        /// # type M = zpb::well_known::Timestamp;
        /// let _: Option<zpb::transport::Push<M>> = None; // Socket<Pusher<M>>
        /// ```
        Pusher<M> = "PUSH", PUSH;
        /// PULL: receives `M` from PUSH peers, fair-queued.
        ///
        /// ```
        /// # type M = zpb::well_known::Timestamp;
        /// let _: Option<zpb::transport::Pull<M>> = None; // Socket<Puller<M>>
        /// ```
        Puller<M> = "PULL", PULL;
    }
}

/// A ZeroMQ socket that sends and receives protobuf messages of fixed types, following
/// pattern `P`; use it through the aliases [`Req`](super::Req), [`Rep`](super::Rep),
/// [`Pub`](super::Pub), [`Sub`](super::Sub), [`Push`](super::Push), [`Pull`](super::Pull).
///
/// Blocking, with the timeouts of its [`Options`]. Receiving decodes into a message the
/// caller reuses (or a [`Pool`] slot) from a frame buffer the socket reuses, so a steady
/// receive loop allocates nothing on the Rust side. Like `zmq::Socket` it is `Send` but
/// not `Sync`: move it to the thread that uses it.
///
/// ```
/// use zpb::transport::{Options, Pull, Push};
/// use zpb::well_known::Timestamp;
/// let ctx = zpb::transport::zmq::Context::new();
/// let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
/// let endpoint = pull.bind("tcp://127.0.0.1:*")?;
/// let mut push = Push::<Timestamp>::new(&ctx, Options::default())?;
/// push.connect(&endpoint)?;
/// push.send(&Timestamp { seconds: 7, ..Default::default() })?;
/// let mut t = Timestamp::default();
/// pull.recv(&mut t)?;
/// assert_eq!(t.seconds, 7);
/// # Ok::<(), zpb::transport::TransportError>(())
/// ```
///
/// Sharing between threads needs a lock, as libzmq sockets are not thread-safe:
///
/// ```compile_fail
/// fn shared<T: Sync>() {}
/// shared::<zpb::transport::Push<zpb::well_known::Timestamp>>();
/// ```
pub struct Socket<P: Pattern> {
    pub(super) link: Link,
    _pattern: PhantomData<P>,
}

impl<P: Pattern> Socket<P> {
    /// Creates the socket with `options` (framing, timeouts, high-water marks, linger).
    ///
    /// ```
    /// use zpb::transport::{Framing, Options, Sub};
    /// let ctx = zpb::transport::zmq::Context::new();
    /// let options = Options { framing: Framing::Raw, ..Options::default() };
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, options)?;
    /// assert_eq!(sub.framing(), Framing::Raw);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn new(ctx: &zmq::Context, options: Options) -> Result<Self, TransportError> {
        let shape = if P::TOPIC {
            Shape::TopicPayload
        } else {
            Shape::Payload
        };
        let link = Link::new(ctx, P::KIND, shape, &options)?;
        P::configure(link.socket())?;
        Ok(Socket {
            link,
            _pattern: PhantomData,
        })
    }

    /// Binds to `endpoint` and returns the endpoint actually bound: for
    /// `tcp://127.0.0.1:*` that names the port libzmq picked.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// let endpoint = pull.bind("tcp://127.0.0.1:*")?;
    /// assert!(endpoint.starts_with("tcp://127.0.0.1:"));
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn bind(&self, endpoint: &str) -> Result<String, TransportError> {
        self.link.bind(endpoint)
    }

    /// Connects to `endpoint`. libzmq connects in the background and reconnects after a
    /// peer goes away, so this succeeds before any peer is there.
    ///
    /// ```
    /// # use zpb::transport::{Options, Push};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let push = Push::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// push.connect("tcp://127.0.0.1:1")?; // nobody there yet: fine
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn connect(&self, endpoint: &str) -> Result<(), TransportError> {
        self.link.connect(endpoint)
    }

    /// Stops listening on an endpoint returned by [`bind`](Self::bind).
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// let endpoint = pull.bind("tcp://127.0.0.1:*")?;
    /// pull.unbind(&endpoint)?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn unbind(&self, endpoint: &str) -> Result<(), TransportError> {
        self.link.unbind(endpoint)
    }

    /// Drops the connection to an endpoint given to [`connect`](Self::connect).
    ///
    /// ```
    /// # use zpb::transport::{Options, Push};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let push = Push::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// push.connect("tcp://127.0.0.1:1")?;
    /// push.disconnect("tcp://127.0.0.1:1")?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn disconnect(&self, endpoint: &str) -> Result<(), TransportError> {
        self.link.disconnect(endpoint)
    }

    /// Number of peers connected now (over tcp or ipc; inproc connections are not seen),
    /// from libzmq's monitor events: handshakes completed minus connections lost. Needs
    /// [`Options::track_peers`]; without it this is `Zmq(ENOTSUP)`.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let options = Options { track_peers: true, ..Options::default() };
    /// let mut pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, options)?;
    /// assert_eq!(pull.peers()?, 0);
    /// let untracked = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default());
    /// assert!(untracked?.peers().is_err());
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn peers(&mut self) -> Result<usize, TransportError> {
        self.link.peers()
    }

    /// Waits until at least `n` peers are connected (see [`peers`](Self::peers); needs
    /// [`Options::track_peers`]) and returns how many are; [`TransportError::Timeout`] after
    /// `timeout`. A bound PUSH uses this to wait for its workers, so that the first tasks are
    /// shared among them.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use zpb::transport::{Options, Pull, Push};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let options = Options { track_peers: true, ..Options::default() };
    /// let mut push = Push::<zpb::well_known::Timestamp>::new(&ctx, options)?;
    /// let endpoint = push.bind("tcp://127.0.0.1:*")?;
    /// let worker = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// worker.connect(&endpoint)?;
    /// assert_eq!(push.wait_for_peers(1, Duration::from_secs(5))?, 1);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn wait_for_peers(&mut self, n: usize, timeout: Duration) -> Result<usize, TransportError> {
        self.link.wait_for_peers(n, timeout)
    }

    /// The framing this socket uses.
    ///
    /// ```
    /// # use zpb::transport::{Framing, Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(pull.framing(), Framing::Delimited);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn framing(&self) -> Framing {
        self.link.framing()
    }

    /// Counts of messages, frames and bad input so far.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(pull.stats().frames_received, 0);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn stats(&self) -> Stats {
        self.link.stats()
    }

    /// Bytes held by the socket's reused buffers: the send buffer's capacity and the frame
    /// last received (held by libzmq until the next receive). With the receiving message's
    /// [`space_used`](crate::Reuse::space_used) this is the memory a receive loop keeps.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(pull.buffer_bytes(), 0);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn buffer_bytes(&self) -> usize {
        self.link.buffer_bytes()
    }

    /// The underlying libzmq socket, for options this type does not cover. Sending or
    /// receiving on it bypasses the framing and can put a REQ/REP pair out of step.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let pull = Pull::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// pull.raw().set_tcp_keepalive(1)?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn raw(&self) -> &zmq::Socket {
        self.link.socket()
    }

    /// Receives into a message from `pool` (the allocation-free way to hand received
    /// messages to other code).
    pub(super) fn recv_pooled_with<M: Message>(
        &mut self,
        pool: &Pool<M>,
        single: bool,
    ) -> Result<Pooled<M>, TransportError> {
        let mut message = pool.get();
        self.link.recv_into(&mut *message, single)?;
        Ok(message)
    }
}

impl<P: Pattern> fmt::Debug for Socket<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("pattern", &P::NAME)
            .field("framing", &self.framing())
            .field("stats", &self.stats())
            .finish()
    }
}
