//! REQ/REP: a server answering every [`Request`] with `Reply { text: "server response!" }`,
//! and a client sending stdin lines (`q` quits) or `--count N` generated requests.

use crate::cli::{summary, usage, Args};
use crate::seed::{Reply, Request};
use crate::Error;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};
use zpb::transport::{zmq, Framing, Options, Rep, Req};
use zpb::Reuse;

/// Where the server listens by default (loopback only; pass `--bind tcp://*:5555` to listen
/// on every interface).
pub const ENDPOINT: &str = "tcp://127.0.0.1:5555";

/// The text of every reply.
pub const REPLY_TEXT: &str = "server response!";

/// Usage of `req_rep`.
pub const USAGE: &str = "\
usage: req_rep server [--bind EP] [--count N] [--idle-exit-ms MS] [--quiet] [--framing raw|delimited]
       req_rep client [--connect EP] [--count N] [--timeout-ms MS] [--framing raw|delimited]

server: answers each Request with Reply { text: \"server response!\" } (an error reply for
a bad request); prints `summary: answered=N bad=N`
  --bind EP            endpoint to bind (default tcp://127.0.0.1:5555)
  --count N            exit after N requests (default: serve forever)
  --idle-exit-ms MS    exit after MS without a request (default: never)
  --quiet              print no line per request
  --framing F          raw or delimited, as the clients use (default delimited)

client: sends each stdin line as a Request and prints the reply (`q` quits), or
--count N generated requests with every reply checked; prints `summary: round_trips=N`
  --connect EP         server endpoint (default tcp://127.0.0.1:5555)
  --count N            send N generated requests and print round trips/s
  --timeout-ms MS      give up on a reply after MS (default 5000)
  --framing F          raw or delimited, as the server uses (default delimited)";

/// Server settings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Endpoint to bind.
    pub bind: String,
    /// Framing of requests and replies.
    pub framing: Framing,
    /// Stop after answering this many requests (valid or not).
    pub max_requests: Option<u64>,
    /// Stop after this long without a request.
    pub idle_exit: Option<Duration>,
    /// Print nothing per request.
    pub quiet: bool,
}

/// What a server did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerSummary {
    /// Valid requests answered.
    pub answered: u64,
    /// Bad requests answered with an error reply.
    pub bad: u64,
    /// Heap bytes held by the receive loop (message and frame buffers).
    pub held_bytes: usize,
}

/// A bound REQ/REP server.
pub struct Server {
    rep: Rep<Request, Reply>,
    /// The endpoint bound (with the port picked for `:*`).
    pub endpoint: String,
    config: ServerConfig,
}

impl Server {
    /// Binds the server.
    pub fn bind(ctx: &zmq::Context, config: ServerConfig) -> Result<Server, Error> {
        let options = Options {
            framing: config.framing,
            recv_timeout: Some(Duration::from_millis(200)),
            send_timeout: Some(Duration::from_secs(5)),
            ..Options::default()
        };
        let rep = Rep::new(ctx, options)?;
        let endpoint = rep.bind(&config.bind)?;
        Ok(Server {
            rep,
            endpoint,
            config,
        })
    }

    /// Answers requests until `max_requests` or `idle_exit` (forever without them).
    pub fn run(mut self, out: &mut dyn Write) -> Result<ServerSummary, Error> {
        let (mut request, mut reply) = (Request::default(), Reply::default());
        let mut done = ServerSummary::default();
        let mut last = Instant::now();
        while self
            .config
            .max_requests
            .is_none_or(|max| done.answered + done.bad < max)
        {
            reply.clear();
            match self.rep.recv(&mut request) {
                Ok(()) => {
                    if !self.config.quiet {
                        writeln!(out, "request {}: {:?}", request.id, request.text)?;
                    }
                    reply.id = request.id;
                    reply.text.push_str(REPLY_TEXT);
                    done.answered += 1;
                }
                Err(e) if e.is_peer_input() => {
                    writeln!(out, "bad request ({e}): answered with an error")?;
                    reply.set_text(format!("error: {e}"));
                    done.bad += 1;
                }
                Err(e) if e.is_transient() => {
                    if self
                        .config
                        .idle_exit
                        .is_some_and(|idle| last.elapsed() > idle)
                    {
                        break;
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            self.rep.send(&reply)?;
            last = Instant::now();
        }
        done.held_bytes = request.space_used() + reply.space_used() + self.rep.buffer_bytes();
        Ok(done)
    }
}

/// Client settings.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Server endpoint.
    pub connect: String,
    /// Framing of requests and replies.
    pub framing: Framing,
    /// How long to wait for each reply.
    pub timeout: Duration,
}

/// What a client did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientSummary {
    /// Round trips completed (every reply checked).
    pub round_trips: u64,
    /// Time taken.
    pub seconds: f64,
}

impl ClientSummary {
    /// Round trips per second.
    pub fn rate(&self) -> f64 {
        self.round_trips as f64 / self.seconds.max(1e-9)
    }
}

fn connect(ctx: &zmq::Context, config: &ClientConfig) -> Result<Req<Request, Reply>, Error> {
    let options = Options {
        framing: config.framing,
        recv_timeout: Some(config.timeout),
        send_timeout: Some(config.timeout),
        ..Options::default()
    };
    let req = Req::new(ctx, options)?;
    req.connect(&config.connect)?;
    Ok(req)
}

/// One round trip, checking the reply.
fn round_trip(
    req: &mut Req<Request, Reply>,
    request: &Request,
    reply: &mut Reply,
) -> Result<(), Error> {
    req.request(request, reply)?;
    if reply.id != request.id || reply.text != REPLY_TEXT {
        return Err(format!("unexpected reply {reply:?} to request {}", request.id).into());
    }
    Ok(())
}

/// Sends each line of `input` as a request and prints the reply; `q` (or the end of input)
/// quits.
pub fn interactive(
    ctx: &zmq::Context,
    config: &ClientConfig,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<ClientSummary, Error> {
    let mut req = connect(ctx, config)?;
    let (mut request, mut reply) = (Request::default(), Reply::default());
    let started = Instant::now();
    let mut line = String::new();
    writeln!(out, "type a line to send it, q to quit")?;
    while {
        line.clear();
        input.read_line(&mut line)? > 0
    } {
        let text = line.trim_end_matches(['\r', '\n']);
        if text == "q" {
            break;
        }
        request.id += 1;
        request.set_text(text);
        round_trip(&mut req, &request, &mut reply)?;
        writeln!(out, "reply {}: {}", reply.id, reply.text)?;
    }
    Ok(ClientSummary {
        round_trips: request.id,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Sends `count` generated requests, checking each reply.
pub fn generated(
    ctx: &zmq::Context,
    config: &ClientConfig,
    count: u64,
) -> Result<ClientSummary, Error> {
    let mut req = connect(ctx, config)?;
    let (mut request, mut reply) = (Request::default(), Reply::default());
    let started = Instant::now();
    for id in 1..=count {
        request.id = id;
        request.text.clear();
        write!(request.text, "request {id}")?;
        round_trip(&mut req, &request, &mut reply)?;
    }
    Ok(ClientSummary {
        round_trips: count,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `req_rep server|client ...`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let ctx = zmq::Context::new();
    let framing: Framing = args.value("framing", Framing::Delimited)?;
    match args.positional(0) {
        Some("server") => {
            let config = ServerConfig {
                bind: args.text("bind", ENDPOINT),
                framing,
                max_requests: args.optional("count")?,
                idle_exit: args.optional_millis("idle-exit-ms")?,
                quiet: args.flag("quiet"),
            };
            args.finish()?;
            let server = Server::bind(&ctx, config)?;
            writeln!(out, "bound {} ({framing} framing)", server.endpoint)?;
            out.flush()?;
            let done = server.run(out)?;
            writeln!(
                out,
                "{}",
                summary(&[("answered", &done.answered), ("bad", &done.bad)])
            )?;
        }
        Some("client") => {
            let config = ClientConfig {
                connect: args.text("connect", ENDPOINT),
                framing,
                timeout: args.millis("timeout-ms", Duration::from_secs(5))?,
            };
            let count: Option<u64> = args.optional("count")?;
            args.finish()?;
            let done = match count {
                Some(n) => generated(&ctx, &config, n)?,
                None => interactive(&ctx, &config, &mut std::io::stdin().lock(), out)?,
            };
            writeln!(
                out,
                "{} round trips in {:.3} s: {:.0} round trips/s",
                done.round_trips,
                done.seconds,
                done.rate()
            )?;
            writeln!(out, "{}", summary(&[("round_trips", &done.round_trips)]))?;
        }
        _ => return Err(usage(USAGE)),
    }
    Ok(())
}
