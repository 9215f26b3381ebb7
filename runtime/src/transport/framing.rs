//! [`Framing`]: how protobuf messages sit inside ZeroMQ frames (delimited records are split
//! by [`crate::split_delimited`]).

/// How messages are laid out in a ZeroMQ frame, chosen per socket. Both ends must agree.
///
/// ```
/// use zpb::transport::Framing;
/// assert_eq!(Framing::default(), Framing::Delimited);
/// assert_eq!("raw".parse::<Framing>(), Ok(Framing::Raw));
/// assert_eq!(Framing::Raw.to_string(), "raw");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Framing {
    /// A frame holds one or more records, each a varint length prefix and the protobuf bytes
    /// of one message (the standard "delimited" format), so senders can batch small messages
    /// into one frame. Request and reply frames hold exactly one record.
    #[default]
    Delimited,
    /// One message per frame with no prefix: what `socket.send(msg.SerializeToString())`
    /// sends from Python or C++. Needed to talk to existing applications; no batching.
    Raw,
}

impl std::fmt::Display for Framing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Framing::Delimited => "delimited",
            Framing::Raw => "raw",
        })
    }
}

impl std::str::FromStr for Framing {
    type Err = String;

    /// Parses `raw` or `delimited` (as the examples' `--framing` option takes them).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "delimited" => Ok(Framing::Delimited),
            "raw" => Ok(Framing::Raw),
            other => Err(format!(
                "unknown framing {other:?} (expected raw or delimited)"
            )),
        }
    }
}
