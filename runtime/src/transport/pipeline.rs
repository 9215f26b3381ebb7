//! PUSH/PULL: [`Push`] hands messages round-robin to connected [`Pull`] peers, which
//! fair-queue what all their pushers send.
//!
//! A bound PUSH with no peer blocks (up to its send timeout): nothing is lost silently. A
//! connecting PUSH keeps its queue while the peer is away and delivers it on reconnection.
//! What is lost is what already sat in a connection that dies (queued for, in flight to,
//! or queued inside a PULL peer that exits): end-to-end acknowledgement is the
//! application's job (see the `pipeline` example).

use super::pattern::{Puller, Pusher};
use super::{Socket, TransportError};
use crate::{Message, Pool, Pooled};

impl<M: Message> Socket<Pusher<M>> {
    /// Sends `msg` in a frame of its own (after any queued batch). On error `msg` was not
    /// sent.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull, Push};
    /// # use zpb::well_known::Timestamp;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
    /// # pull.bind("inproc://push-send")?;
    /// let mut push = Push::<Timestamp>::new(&ctx, Options::default())?;
    /// push.connect("inproc://push-send")?;
    /// push.send(&Timestamp { seconds: 1, ..Default::default() })?;
    /// assert_eq!(push.stats().frames_sent, 1);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send(&mut self, msg: &M) -> Result<(), TransportError> {
        self.link.send(&[], msg)
    }

    /// Adds `msg` to the batch frame being built (delimited framing), sending the batch
    /// first when it has reached [`Options::batch_bytes`](super::Options::batch_bytes). On
    /// error `msg` was not queued, and the earlier batch is still queued. Call
    /// [`flush`](Self::flush) to send the rest; a batch not flushed is dropped with the
    /// socket. With raw framing there is no batching and this sends at once.
    ///
    /// A batch is one ZeroMQ message, so it goes to one PULL peer: batches trade load
    /// balancing granularity for throughput.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull, Push};
    /// # use zpb::well_known::Timestamp;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
    /// # pull.bind("inproc://push-queue")?;
    /// let mut push = Push::<Timestamp>::new(&ctx, Options::default())?;
    /// push.connect("inproc://push-queue")?;
    /// for seconds in 0..10 {
    ///     push.queue(&Timestamp { seconds, ..Default::default() })?;
    /// }
    /// assert_eq!(push.queued(), 10);
    /// push.flush()?;
    /// assert_eq!((push.stats().frames_sent, push.stats().messages_sent), (1, 10));
    /// let mut t = Timestamp::default();
    /// for seconds in 0..10 {
    ///     pull.recv(&mut t)?; // one at a time from the batch
    ///     assert_eq!(t.seconds, seconds);
    /// }
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn queue(&mut self, msg: &M) -> Result<(), TransportError> {
        self.link.queue(&[], msg)
    }

    /// Sends the queued batch, if any. On error it stays queued for another try.
    ///
    /// ```
    /// # use zpb::transport::{Options, Push};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let mut push = Push::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// push.flush()?; // nothing queued: nothing to do
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn flush(&mut self) -> Result<(), TransportError> {
        self.link.flush()
    }

    /// Queues every message of `msgs` and flushes: as few frames as
    /// [`Options::batch_bytes`](super::Options::batch_bytes) allows (one frame per message
    /// with raw framing). On error the messages before the failing one were queued or sent.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull, Push};
    /// # use zpb::well_known::Timestamp;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
    /// # pull.bind("inproc://push-batch")?;
    /// let mut push = Push::<Timestamp>::new(&ctx, Options::default())?;
    /// push.connect("inproc://push-batch")?;
    /// let batch = vec![Timestamp::default(); 100];
    /// push.send_batch(&batch)?;
    /// assert_eq!(push.stats().frames_sent, 1);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn send_batch<'m>(
        &mut self,
        msgs: impl IntoIterator<Item = &'m M>,
    ) -> Result<(), TransportError> {
        msgs.into_iter().try_for_each(|m| self.link.queue(&[], m))?;
        self.link.flush()
    }

    /// Messages queued and not flushed yet.
    ///
    /// ```
    /// # use zpb::transport::{Options, Push};
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// let push = Push::<zpb::well_known::Timestamp>::new(&ctx, Options::default())?;
    /// assert_eq!(push.queued(), 0);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn queued(&self) -> usize {
        self.link.queued()
    }
}

impl<M: Message> Socket<Puller<M>> {
    /// Receives the next message into `msg` (cleared first, memory kept), waiting up to the
    /// receive timeout. Bad input (an undecodable record, a broken frame) is reported as an
    /// error for that record or frame only; the next call goes on with what follows.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull, Push};
    /// # use zpb::well_known::Timestamp;
    /// let ctx = zpb::transport::zmq::Context::new();
    /// let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
    /// pull.bind("inproc://pull-recv")?;
    /// let raw = ctx.socket(zpb::transport::zmq::PUSH)?;
    /// raw.connect("inproc://pull-recv")?;
    /// raw.send(&[0x05, 0x08][..], 0)?;         // a record cut short
    /// raw.send(&[0x02, 0x08, 0x09][..], 0)?;   // seconds: 9
    /// let mut t = Timestamp::default();
    /// assert!(pull.recv(&mut t).unwrap_err().is_peer_input());
    /// pull.recv(&mut t)?;
    /// assert_eq!(t.seconds, 9);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv(&mut self, msg: &mut M) -> Result<(), TransportError> {
        msg.clear();
        self.link.recv_into(msg, false)
    }

    /// Receives the next message into a message from `pool`.
    ///
    /// ```
    /// # use zpb::transport::{Options, Pull, Push};
    /// # use zpb::well_known::Timestamp;
    /// # let ctx = zpb::transport::zmq::Context::new();
    /// # let mut pull = Pull::<Timestamp>::new(&ctx, Options::default())?;
    /// # pull.bind("inproc://pull-pool")?;
    /// # let mut push = Push::<Timestamp>::new(&ctx, Options::default())?;
    /// # push.connect("inproc://pull-pool")?;
    /// # push.send(&Timestamp { nanos: 3, ..Default::default() })?;
    /// let pool = zpb::Pool::<Timestamp>::new(zpb::MemoryPolicy::Retain);
    /// let t = pull.recv_pooled(&pool)?;
    /// assert_eq!(t.nanos, 3);
    /// # Ok::<(), zpb::transport::TransportError>(())
    /// ```
    pub fn recv_pooled(&mut self, pool: &Pool<M>) -> Result<Pooled<M>, TransportError> {
        self.recv_pooled_with(pool, false)
    }
}
