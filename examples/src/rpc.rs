//! RPC: the `Greeter` service of `proto/greeter.proto` through its generated client and
//! server ([`GreeterClient`], [`GreeterServer`]) over zpb's RPC protocol
//! (`runtime/src/transport/rpc/PROTOCOL.md`), and a ROUTER/DEALER broker (`zmq::proxy`)
//! that spreads clients' calls over servers connected to it.

use crate::cli::{summary, usage, Args};
use crate::greeter::{GreeterClient, GreeterServer, Hello, HelloReply, HelloRequest};
use crate::Error;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zpb::transport::rpc::{ClientOptions, Retry, RpcError, Server, ServerOptions};
use zpb::transport::zmq;

/// Where the server listens and the client connects by default (loopback only).
pub const ENDPOINT: &str = "tcp://127.0.0.1:5570";

/// Where the broker's backend listens for servers by default.
pub const BACKEND: &str = "tcp://127.0.0.1:5571";

/// Usage of `rpc`.
pub const USAGE: &str = "\
usage: rpc server [--bind EP | --connect EP] [--workers N] [--run-ms MS]
       rpc client [--connect EP] [--name NAME] [--count N] [--stream N] [--delay-ms MS]
                  [--timeout-ms MS] [--attempts N] [--attempt-ms MS] [--pause-ms MS] [--quiet]
       rpc broker [--front EP] [--back EP] [--heartbeat-ms MS]

server: serves Greeter (SayHello, LotsOfReplies) with N worker threads; prints
`summary: ok=N failed=N dropped=N` when it stops
  --bind EP            endpoint to bind (default tcp://127.0.0.1:5570)
  --connect EP         connect to a broker's backend instead of binding
  --workers N          worker threads (default 2)
  --run-ms MS          stop after MS (default: serve until killed)

client: one SayHello call printing its reply, --count N calls counting outcomes, or
--stream N items of LotsOfReplies; prints `summary: ok=N deadline=N failed=N` (a call that
ends with an error other than its deadline exits 1)
  --connect EP         server or broker endpoint (default tcp://127.0.0.1:5570)
  --name NAME          the name greeted (default world)
  --count N            make N SayHello calls, one after another
  --stream N           call LotsOfReplies for N items instead
  --delay-ms MS        ask the server to wait MS before answering (default 0)
  --timeout-ms MS      deadline of each call, retries included (default 5000)
  --attempts N         attempts of a SayHello call (idempotent: retried; default 3)
  --attempt-ms MS      how long one attempt waits before the next (default 1000)
  --pause-ms MS        pause between calls of --count (default 0)
  --quiet              print no line per call

broker: a ROUTER (clients) / DEALER (servers) proxy, load-balancing calls over the servers
connected to its backend; runs until killed
  --front EP           endpoint for clients (default tcp://127.0.0.1:5570)
  --back EP            endpoint for servers (default tcp://127.0.0.1:5571)
  --heartbeat-ms MS    ZMTP heartbeats on both sockets every MS; a peer silent for 3 x MS
                       is dropped, so calls stop going to a dead server (default 1000, 0: off)";

/// How a client's calls ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Calls answered with their reply.
    pub ok: u64,
    /// Calls that ended at their deadline (typed: [`RpcError::DeadlineExceeded`]).
    pub deadline: u64,
    /// Calls that ended with another error.
    pub failed: u64,
}

impl Outcomes {
    /// Counts `result`, printing it unless `quiet`.
    fn count(
        &mut self,
        call: u64,
        result: &Result<(), RpcError>,
        reply: &HelloReply,
        quiet: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        match result {
            Ok(()) => self.ok += 1,
            Err(e) if e.is_deadline() => self.deadline += 1,
            Err(_) => self.failed += 1,
        }
        if quiet {
            return Ok(());
        }
        match result {
            Ok(()) => writeln!(out, "call {call}: {}", reply.message),
            Err(e) => writeln!(out, "call {call}: error: {e}"),
        }
    }
}

/// Serves Greeter on `endpoint` (bound, or connected to a broker) until `run` has passed
/// (forever without it).
fn serve(
    args: &Args,
    out: &mut dyn Write,
    ctx: &zmq::Context,
    run: Option<Duration>,
) -> Result<(), Error> {
    let options = ServerOptions {
        workers: args.value("workers", 2usize)?,
        ..ServerOptions::default()
    };
    let hello = Arc::new(Hello::default());
    let make = || GreeterServer::new(hello.clone());
    let server = match args.get("connect") {
        Some(broker) => {
            let server = Server::connect(ctx, broker, options, make)?;
            writeln!(out, "connected {broker}")?;
            server
        }
        None => {
            let server = Server::bind(ctx, &args.text("bind", ENDPOINT), options, make)?;
            writeln!(out, "bound {}", server.endpoint())?;
            server
        }
    };
    out.flush()?;
    let started = Instant::now();
    while run.is_none_or(|run| started.elapsed() < run) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let stats = server.shutdown();
    writeln!(
        out,
        "{}",
        summary(&[
            ("ok", &stats.ok),
            ("failed", &stats.failed),
            ("dropped", &stats.dropped)
        ])
    )?;
    Ok(())
}

/// The client role.
fn client(args: &Args, out: &mut dyn Write, ctx: &zmq::Context) -> Result<(), Error> {
    let options = ClientOptions {
        timeout: args.millis("timeout-ms", Duration::from_secs(5))?,
        retry: Retry {
            attempts: args.value("attempts", Retry::default().attempts)?,
            attempt_timeout: args.millis("attempt-ms", Retry::default().attempt_timeout)?,
        },
        ..ClientOptions::default()
    };
    let mut request = HelloRequest {
        name: args.text("name", "world").into(),
        delay_ms: args.value("delay-ms", 0)?,
        ..HelloRequest::default()
    };
    let count: Option<u64> = args.optional("count")?;
    let stream: Option<u32> = args.optional("stream")?;
    let pause = args.millis("pause-ms", Duration::ZERO)?;
    let quiet = args.flag("quiet");
    let endpoint = args.text("connect", ENDPOINT);
    args.finish()?;
    let mut client = GreeterClient::new(ctx, options)?;
    client.connect(&endpoint)?;
    let mut reply = HelloReply::default();
    let mut outcomes = Outcomes::default();
    if let Some(items) = stream {
        request.count = items;
        let mut replies = client.lots_of_replies(&request)?;
        let result = loop {
            match replies.next(&mut reply) {
                Ok(true) => writeln!(out, "item {}: {}", reply.index, reply.message)?,
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        outcomes.count(1, &result, &reply, true, out)?;
        if let Err(e) = result {
            writeln!(out, "stream: error: {e}")?;
        }
    } else {
        for call in 1..=count.unwrap_or(1) {
            let result = client.say_hello(&request, &mut reply);
            outcomes.count(call, &result, &reply, quiet, out)?;
            out.flush()?;
            std::thread::sleep(pause);
        }
    }
    let stats = client.inner().stats();
    writeln!(
        out,
        "{}",
        summary(&[
            ("ok", &outcomes.ok),
            ("deadline", &outcomes.deadline),
            ("failed", &outcomes.failed),
            ("retries", &stats.retries)
        ])
    )?;
    match outcomes.failed {
        0 => Ok(()),
        n => Err(format!("{n} call(s) failed with an error other than a deadline").into()),
    }
}

/// The broker role: `zmq::proxy` between a ROUTER for clients and a DEALER for servers.
fn broker(args: &Args, out: &mut dyn Write, ctx: &zmq::Context) -> Result<(), Error> {
    let (front, back) = (args.text("front", ENDPOINT), args.text("back", BACKEND));
    let heartbeat: i32 = args.value("heartbeat-ms", 1000)?;
    args.finish()?;
    let router = ctx.socket(zmq::ROUTER)?;
    let dealer = ctx.socket(zmq::DEALER)?;
    for socket in [&router, &dealer] {
        if heartbeat > 0 {
            socket.set_heartbeat_ivl(heartbeat)?;
            socket.set_heartbeat_timeout(heartbeat.saturating_mul(3))?;
        }
    }
    router.bind(&front)?;
    dealer.bind(&back)?;
    // The endpoints bound, with the ports picked for `:*`.
    let bound = |socket: &zmq::Socket| match socket.get_last_endpoint() {
        Ok(Ok(endpoint)) => Ok(endpoint),
        _ => Err(Error::from("the bound endpoint is not UTF-8")),
    };
    writeln!(out, "broker {} {}", bound(&router)?, bound(&dealer)?)?;
    out.flush()?;
    zmq::proxy(&router, &dealer)?;
    Ok(())
}

/// `rpc server|client|broker ...`
pub fn main(args: &Args, out: &mut dyn Write) -> Result<(), Error> {
    let ctx = zmq::Context::new();
    match args.positional(0) {
        Some("server") => {
            let run = args.optional_millis("run-ms")?;
            if args.get("connect").is_some() && args.get("bind").is_some() {
                return Err(usage("--bind and --connect exclude each other"));
            }
            // Read every option before `finish` reports the unknown ones.
            let _ = (args.get("bind"), args.get("workers"));
            args.finish()?;
            serve(args, out, &ctx, run)
        }
        Some("client") => client(args, out, &ctx),
        Some("broker") => broker(args, out, &ctx),
        _ => Err(usage(USAGE)),
    }
}
