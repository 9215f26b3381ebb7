//! Typed ZeroMQ sockets for protobuf messages (cargo feature `zmq`): REQ/REP, PUB/SUB and
//! PUSH/PULL over the real libzmq (through the [`zmq`] crate, re-exported here).
//!
//! - **Framing**, per socket ([`Framing`]): `Delimited` (default) puts one or more
//!   varint-length-prefixed records in a frame, so senders can batch
//!   ([`Push::queue`], [`Push::send_batch`]); `Raw` sends one message per frame with no
//!   prefix, which is what `socket.send(msg.SerializeToString())` in Python or C++ sends.
//!   PUB/SUB messages are two frames, `[topic, payload]`, filtered by libzmq on the topic.
//! - **Memory**: receiving clears and decodes into a message you reuse (or a [`Pool`](crate::Pool)
//!   slot) from a frame buffer the socket reuses, so a steady receive loop performs no heap
//!   allocation in Rust for messages of the same shape; sending encodes into a reused
//!   buffer. (libzmq manages its own frame memory internally.)
//! - **Bad input never wedges a pattern**: undecodable records, empty or multi-record
//!   request frames and wrongly shaped multipart messages are [`TransportError`]s for that
//!   message only; a [`Rep`] that received garbage still owes and can send a reply. No peer
//!   input panics, and nothing is allocated from a length a peer declared (frames over
//!   `max_size` of [`Options::parse`] are refused by libzmq).
//! - **Blocking with timeouts** ([`Options`]); a signal arriving while a call waits returns
//!   [`TransportError::Interrupted`] (nothing sent or received; call again, or stop if your
//!   signal handler asked for it) rather than being retried behind your back. Sockets are
//!   `Send`, not `Sync`: give each thread its own (the libzmq [`Context`](zmq::Context) is
//!   shared freely).
//!
//! ```
//! use std::time::Duration;
//! use zpb::transport::{Options, Rep, Req};
//! use zpb::well_known::{Duration as Reply, Timestamp as Request};
//!
//! let ctx = zpb::transport::zmq::Context::new();
//! let options = Options { recv_timeout: Some(Duration::from_secs(5)), ..Options::default() };
//! let mut server = Rep::<Request, Reply>::new(&ctx, options)?;
//! let endpoint = server.bind("tcp://127.0.0.1:*")?;
//! let handle = std::thread::spawn(move || -> Result<(), zpb::transport::TransportError> {
//!     let (mut request, mut reply) = (Request::default(), Reply::default());
//!     for _ in 0..3 {
//!         server.recv(&mut request)?;
//!         reply.seconds = request.seconds * 2;
//!         server.send(&reply)?;
//!     }
//!     Ok(())
//! });
//! let mut client = Req::<Request, Reply>::new(&ctx, options)?;
//! client.connect(&endpoint)?;
//! let (mut request, mut reply) = (Request::default(), Reply::default());
//! for i in 0..3 {
//!     request.seconds = i;
//!     client.request(&request, &mut reply)?;
//!     assert_eq!(reply.seconds, 2 * i);
//! }
//! handle.join().unwrap()?;
//! # Ok::<(), zpb::transport::TransportError>(())
//! ```

mod error;
mod framing;
mod link;
mod options;
mod pipeline;
mod pubsub;
mod reqrep;
pub mod rpc;
mod socket;

pub use error::{FrameInfo, TransportError};
pub use framing::Framing;
pub use options::{Options, Stats};
pub use socket::{pattern, Pattern, Socket};

/// The `zmq` crate this module is built on (for [`zmq::Context`] and raw sockets).
pub use zmq;

/// A REQ socket sending requests `Q` and receiving replies `R`; see [`pattern::Requester`].
pub type Req<Q, R> = Socket<pattern::Requester<Q, R>>;
/// A REP socket receiving requests `Q` and sending replies `R`; see [`pattern::Replier`].
pub type Rep<Q, R> = Socket<pattern::Replier<Q, R>>;
/// A publisher of `M` under topics; see [`pattern::Publisher`].
pub type Pub<M> = Socket<pattern::Publisher<M>>;
/// A subscriber to `M` by topic prefix; see [`pattern::Subscriber`].
pub type Sub<M> = Socket<pattern::Subscriber<M>>;
/// A PUSH socket sending `M` round-robin; see [`pattern::Pusher`].
pub type Push<M> = Socket<pattern::Pusher<M>>;
/// A PULL socket receiving `M`; see [`pattern::Puller`].
pub type Pull<M> = Socket<pattern::Puller<M>>;
