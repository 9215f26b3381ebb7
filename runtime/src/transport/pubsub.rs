//! PUB/SUB: [`Pub`] sends `[topic, payload]` messages; each [`Sub`] receives those whose
//! topic starts with a prefix it subscribed to. Filtering happens in libzmq, on the topic
//! frame, before anything is decoded.
//!
//! There is no queue for absent subscribers: a subscriber receives only what is published
//! after its subscription reached the publisher, and a subscriber that falls a high-water
//! mark behind loses messages (detect it with sequence numbers in the messages), unless the
//! publisher is made with [`Options::lossless_publish`](super::Options::lossless_publish):
//! then it waits for that subscriber instead.
//!
//! # Not publishing to nobody
//!
//! A process that binds, publishes a counted run and exits delivers nothing to subscribers
//! started before it: they connect (libzmq retries every 100 ms), then subscribe, while the
//! publisher has already sent everything. Start once they are there:
//! [`wait_for_subscriptions`](Socket::wait_for_subscriptions) (at least `n` arrived, bounded
//! by a timeout), then [`settle_subscriptions`](Socket::settle_subscriptions) (none new for a
//! while, so that every subscriber already trying to connect has joined);
//! [`unheard`](Socket::unheard) counts what was published while nobody was subscribed.
//!
//! These read the subscription messages themselves (the publisher is an XPUB socket in
//! verbose mode), not libzmq's connection monitor: a subscriber receives a message exactly
//! when its subscription is in the publisher's filter, and the filter is updated where the
//! subscription message is handed up — a connection can exist without a subscription (and
//! receives nothing), the monitor raises no events for `inproc`, and it needs a second socket
//! pair. When the last subscriber of a prefix leaves, libzmq hands up an UNSUBSCRIBE for it,
//! so the publisher also knows when nobody is listening any more.

use super::pattern::{Publisher, Subscriber};
use super::{Socket, TransportError};
use crate::{Message, Pool, Pooled};
use std::time::Duration;

impl<M: Message> Socket<Publisher<M>> {
    /// Publishes `msg` under `topic`, in a frame of its own (after any queued batch).
    /// Never blocks: a subscriber at its high-water mark misses the message — unless the
    /// socket was made with [`Options::lossless_publish`](super::Options::lossless_publish),
    /// which makes it wait for room instead (up to the send timeout).
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// publisher.bind("inproc://pub-send")?;
    /// publisher.send(b"clock", &Default::default())?; // nobody listening: dropped
    /// assert_eq!(publisher.unheard(), 1);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send(&mut self, topic: &[u8], msg: &M) -> Result<(), TransportError> {
        self.link.send(topic, msg)
    }

    /// Adds `msg` to the batch frame for `topic` (delimited framing); the batch is sent
    /// first when it is full or was for another topic. Call [`flush`](Self::flush) to send
    /// the rest; see [`Push::queue`](super::Push::queue) for the error semantics.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use zpb::well_known::Timestamp;
    /// # use std::time::Duration;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut publisher = Pub::<Timestamp>::new(&ctx, Options::default())?;
    /// # publisher.bind("inproc://pub-queue")?;
    /// # let mut sub = Sub::<Timestamp>::new(&ctx, Options::default())?;
    /// # sub.subscribe(b"")?;
    /// # sub.connect("inproc://pub-queue")?;
    /// # publisher.wait_for_subscriptions(1, Duration::from_secs(5))?;
    /// publisher.queue(b"a", &Timestamp { seconds: 1, ..Default::default() })?;
    /// publisher.queue(b"a", &Timestamp { seconds: 2, ..Default::default() })?;
    /// publisher.queue(b"b", &Timestamp { seconds: 3, ..Default::default() })?; // sends "a"
    /// publisher.flush()?;
    /// assert_eq!(publisher.stats().frames_sent, 2);
    /// # let mut t = Timestamp::default();
    /// # assert_eq!(sub.recv(&mut t)?, b"a");
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn queue(&mut self, topic: &[u8], msg: &M) -> Result<(), TransportError> {
        self.link.queue(topic, msg)
    }

    /// Sends the queued batch, if any.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// publisher.flush()?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn flush(&mut self) -> Result<(), TransportError> {
        self.link.flush()
    }

    /// Publishes every message of `msgs` under `topic` in as few frames as
    /// [`Options::batch_bytes`](super::Options::batch_bytes) allows.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// publisher.send_batch(b"ticks", &vec![Default::default(); 50])?;
    /// assert_eq!(publisher.stats().messages_sent, 50);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send_batch<'m>(
        &mut self,
        topic: &[u8],
        msgs: impl IntoIterator<Item = &'m M>,
    ) -> Result<(), TransportError> {
        msgs.into_iter()
            .try_for_each(|m| self.link.queue(topic, m))?;
        self.link.flush()
    }

    /// Messages queued and not flushed yet.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(publisher.queued(), 0);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn queued(&self) -> usize {
        self.link.queued()
    }

    /// SUBSCRIBE messages received so far: one per subscriber and prefix (again after a
    /// subscriber reconnects).
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(publisher.subscriptions()?, 0);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn subscriptions(&mut self) -> Result<u64, TransportError> {
        self.link.subscriptions()
    }

    /// Waits until `n` SUBSCRIBE messages have arrived (see
    /// [`subscriptions`](Self::subscriptions)): from then on those subscribers receive
    /// everything published. [`Timeout`](TransportError::Timeout) after `timeout`.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use std::time::Duration;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// let endpoint = publisher.bind("tcp://127.0.0.1:*")?;
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// sub.subscribe(b"news")?;
    /// sub.connect(&endpoint)?;
    /// assert_eq!(publisher.wait_for_subscriptions(1, Duration::from_secs(5))?, 1);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn wait_for_subscriptions(
        &mut self,
        n: u64,
        timeout: Duration,
    ) -> Result<u64, TransportError> {
        self.link.wait_for_subscriptions(n, timeout)
    }

    /// Waits until no SUBSCRIBE message has arrived for `quiet`, at most `timeout`, and
    /// returns the SUBSCRIBE messages seen so far. After
    /// [`wait_for_subscriptions`](Self::wait_for_subscriptions), this lets every subscriber
    /// that was already trying to connect join before a counted run (libzmq reconnects
    /// every 100 ms, so a `quiet` of a few hundred milliseconds is enough on one machine).
    /// Reaching `timeout` is not an error: it returns what arrived.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use std::time::Duration;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// let endpoint = publisher.bind("tcp://127.0.0.1:*")?;
    /// let subs: Vec<_> = (0..3)
    ///     .map(|_| {
    ///         let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    ///         sub.subscribe(b"")?;
    ///         sub.connect(&endpoint)?;
    ///         Ok(sub)
    ///     })
    ///     .collect::<Result<_, zpb::transport::TransportError>>()?;
    /// publisher.wait_for_subscriptions(1, Duration::from_secs(5))?;
    /// let quiet = Duration::from_millis(300);
    /// assert_eq!(publisher.settle_subscriptions(quiet, Duration::from_secs(5))?, 3);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn settle_subscriptions(
        &mut self,
        quiet: Duration,
        timeout: Duration,
    ) -> Result<u64, TransportError> {
        self.link.settle_subscriptions(quiet, timeout)
    }

    /// Whether some subscriber is subscribed now, to any prefix (after reading the
    /// subscription messages that arrived). It turns false again once every subscriber has
    /// unsubscribed or disconnected.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use std::time::Duration;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// publisher.bind("inproc://pub-subscribed")?;
    /// assert!(!publisher.subscribed()?);
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// sub.subscribe(b"a")?;
    /// sub.connect("inproc://pub-subscribed")?;
    /// publisher.wait_for_subscriptions(1, Duration::from_secs(5))?;
    /// assert!(publisher.subscribed()?);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn subscribed(&mut self) -> Result<bool, TransportError> {
        self.link.subscribed()
    }

    /// Messages published while no subscriber was subscribed to anything: they reached
    /// nobody. Exact until the first subscription (the publisher looks for subscription
    /// messages before every frame while nobody listens; a subscription arriving during
    /// that very send can make it count one frame that was delivered); once subscribers
    /// are there, their departure is noticed within 256 sends, or at the next
    /// [`subscribed`](Self::subscribed) call.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// publisher.bind("inproc://pub-unheard")?;
    /// publisher.send(b"clock", &Default::default())?;
    /// publisher.send_batch(b"clock", &vec![Default::default(); 4])?;
    /// assert_eq!(publisher.unheard(), 5);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn unheard(&self) -> u64 {
        self.link.unheard()
    }
}

impl<M: Message> Socket<Subscriber<M>> {
    /// Subscribes to topics starting with `prefix` (`b""` for all). A new subscriber
    /// receives nothing until it subscribes.
    ///
    /// ```
    /// # use zpb::transport::{Options, Sub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// sub.subscribe(b"weather.")?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn subscribe(&self, prefix: &[u8]) -> Result<(), TransportError> {
        Ok(self.raw().set_subscribe(prefix)?)
    }

    /// Removes a subscription made with [`subscribe`](Self::subscribe).
    ///
    /// ```
    /// # use zpb::transport::{Options, Sub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// sub.subscribe(b"x")?;
    /// sub.unsubscribe(b"x")?;
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn unsubscribe(&self, prefix: &[u8]) -> Result<(), TransportError> {
        Ok(self.raw().set_unsubscribe(prefix)?)
    }

    /// Receives the next message into `msg` (cleared first, memory kept) and returns its
    /// topic. Bad input is an error for that message (or record) only.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use zpb::well_known::Timestamp;
    /// # use std::time::Duration;
    /// let ctx = zpb::transport::zmq::Context::new();
    /// let mut publisher = Pub::<Timestamp>::new(&ctx, Options::default())?;
    /// publisher.bind("inproc://sub-recv")?;
    /// let mut sub = Sub::<Timestamp>::new(&ctx, Options::default())?;
    /// sub.subscribe(b"clock")?;
    /// sub.connect("inproc://sub-recv")?;
    /// publisher.wait_for_subscriptions(1, Duration::from_secs(5))?;
    /// publisher.send(b"other", &Timestamp::default())?;
    /// publisher.send(b"clock.utc", &Timestamp { seconds: 5, ..Default::default() })?;
    /// let mut t = Timestamp::default();
    /// assert_eq!(sub.recv(&mut t)?, b"clock.utc");
    /// assert_eq!(t.seconds, 5);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv(&mut self, msg: &mut M) -> Result<&[u8], TransportError> {
        msg.clear();
        self.link.recv_into(msg, false)?;
        Ok(self.link.topic())
    }

    /// Receives the next message into a message from `pool`; its topic is then
    /// [`topic`](Self::topic).
    ///
    /// ```
    /// # use zpb::transport::{Options, Pub, Sub};
    /// # use zpb::well_known::Timestamp;
    /// # use std::time::Duration;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut publisher = Pub::<Timestamp>::new(&ctx, Options::default())?;
    /// # publisher.bind("inproc://sub-pool")?;
    /// # let mut sub = Sub::<Timestamp>::new(&ctx, Options::default())?;
    /// # sub.subscribe(b"")?;
    /// # sub.connect("inproc://sub-pool")?;
    /// # publisher.wait_for_subscriptions(1, Duration::from_secs(5))?;
    /// # publisher.send(b"t", &Timestamp { seconds: 6, ..Default::default() })?;
    /// let pool = zpb::Pool::<Timestamp>::new(zpb::MemoryPolicy::Retain);
    /// let t = sub.recv_pooled(&pool)?;
    /// assert_eq!((sub.topic(), t.seconds), (&b"t"[..], 6));
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv_pooled(&mut self, pool: &Pool<M>) -> Result<Pooled<M>, TransportError> {
        self.recv_pooled_with(pool, false)
    }

    /// The topic of the message last received.
    ///
    /// ```
    /// # use zpb::transport::{Options, Sub};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let sub = Sub::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(sub.topic(), b"");
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn topic(&self) -> &[u8] {
        self.link.topic()
    }
}
