//! [`Options`] applied to every typed socket, and the [`Stats`] it keeps.

use super::Framing;
use crate::ParseOptions;
use std::time::Duration;

/// Socket settings, applied when a typed socket is created (before any bind or connect, as
/// high-water marks must be). Build one with struct update syntax.
///
/// ```
/// use std::time::Duration;
/// use zpb::transport::{Framing, Options};
/// let options = Options {
///     framing: Framing::Raw,
///     recv_timeout: Some(Duration::from_millis(500)),
///     ..Options::default()
/// };
/// assert_eq!(options.send_hwm, 1000);
/// assert_eq!(options.parse.max_size, 64 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// How messages sit in frames (default [`Framing::Delimited`]).
    pub framing: Framing,
    /// How long a send may block (at a full high-water mark, or with no peer for PUSH/REQ);
    /// `None` (the default) blocks until it can send.
    pub send_timeout: Option<Duration>,
    /// How long a receive may wait; `None` (the default) waits forever.
    pub recv_timeout: Option<Duration>,
    /// Outgoing queue limit per peer, in messages (frames or batches), 0 for none. Default 1000.
    pub send_hwm: u32,
    /// Incoming queue limit per peer, in messages, 0 for none. Default 1000.
    pub recv_hwm: u32,
    /// How long unsent messages may delay closing the socket; `None` waits until they are
    /// sent. Default 1 s (libzmq's own default waits forever, which hangs a process whose
    /// peer is gone).
    pub linger: Option<Duration>,
    /// Limits on what is received, the same [`ParseOptions`] every parse takes:
    /// `recursion_limit` bounds message nesting (default 100), and `max_size` is the largest
    /// frame accepted: a peer announcing a larger one is disconnected by libzmq before
    /// anything is allocated for it, and a delimited record claiming more is a decode error.
    /// libzmq reserves an announced frame's size when its header arrives, so `max_size` also
    /// bounds what one untrusted peer can make it reserve. Default 64 MiB (not
    /// `ParseOptions`'s 2 GiB: a socket hears untrusted peers).
    pub parse: ParseOptions,
    /// A sender's [`queue`](super::Push::queue) flushes once its batch frame reaches this many
    /// bytes. Default 32 KiB.
    pub batch_bytes: usize,
    /// Count connected peers from libzmq's monitor events, for
    /// [`peers`](super::Socket::peers) and [`wait_for_peers`](super::Socket::wait_for_peers).
    /// Off by default: it adds a monitor socket pair, and each connection's events (a few
    /// hundred bytes) wait to be read, which happens on every `peers` call and every 256
    /// sends or receives.
    pub track_peers: bool,
    /// PUB only: when a subscriber's queue is at its high-water mark, `send` waits for room
    /// (up to `send_timeout`, then [`Timeout`](super::TransportError::Timeout): nothing was
    /// sent) instead of dropping the message for that subscriber (libzmq's
    /// `ZMQ_XPUB_NODROP`). Off by default, as in ZeroMQ: with it, one slow subscriber slows
    /// the publisher for all of them, but no subscriber loses a message to a full queue.
    pub lossless_publish: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            framing: Framing::Delimited,
            send_timeout: None,
            recv_timeout: None,
            send_hwm: 1000,
            recv_hwm: 1000,
            linger: Some(Duration::from_secs(1)),
            parse: ParseOptions {
                max_size: 64 << 20,
                ..ParseOptions::default()
            },
            batch_bytes: 32 << 10,
            track_peers: false,
            lossless_publish: false,
        }
    }
}

/// Milliseconds for a libzmq timeout option: -1 for "forever", saturating at `i32::MAX`.
fn millis(d: Option<Duration>) -> i32 {
    d.map_or(-1, |d| d.as_millis().min(i32::MAX as u128) as i32)
}

impl Options {
    /// Sets these options on a raw socket.
    pub(crate) fn apply(&self, socket: &zmq::Socket) -> zmq::Result<()> {
        socket.set_sndtimeo(millis(self.send_timeout))?;
        socket.set_rcvtimeo(millis(self.recv_timeout))?;
        socket.set_sndhwm(self.send_hwm.min(i32::MAX as u32) as i32)?;
        socket.set_rcvhwm(self.recv_hwm.min(i32::MAX as u32) as i32)?;
        socket.set_linger(millis(self.linger))?;
        socket.set_maxmsgsize(self.parse.max_size.min(i64::MAX as usize) as i64)
    }
}

/// What a typed socket has done so far.
///
/// ```
/// let stats = zpb::transport::Stats::default();
/// assert_eq!(stats.messages_received, 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stats {
    /// Messages sent (records, whatever the batching).
    pub messages_sent: u64,
    /// Frames sent (a batch is one frame; a topic frame is not counted).
    pub frames_sent: u64,
    /// Messages received and decoded successfully.
    pub messages_received: u64,
    /// Frames received (multipart messages taken off the socket).
    pub frames_received: u64,
    /// Received messages or frames rejected as bad peer input.
    pub bad_input: u64,
}
