//! PUB/SUB: [`Pub`] sends `[topic, payload]` messages; each [`Sub`] receives those whose
//! topic starts with a prefix it subscribed to. Filtering happens in libzmq, on the topic
//! frame, before anything is decoded.
//!
//! There is no queue for absent subscribers: a subscriber receives only what is published
//! after its subscription reached the publisher (late joiners miss messages, use
//! [`wait_for_subscriptions`](Socket::wait_for_subscriptions) to start once they are there),
//! and a subscriber that falls a high-water mark behind loses messages (detect it with
//! sequence numbers in the messages), unless the publisher is made with
//! [`Options::lossless_publish`](super::Options::lossless_publish): then it waits for that
//! subscriber instead.

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
