//! Typed RPC over ZeroMQ: a protobuf `service`'s calls carried between a DEALER [`Client`]
//! (many calls in flight, per-call deadlines, Lazy Pirate retries of idempotent methods) and
//! a ROUTER [`Server`] (worker threads, each with its own reused messages), on the wire
//! protocol below.
//!
//! The generated code for a `service Greeter` is a thin typed layer over these: a
//! `GreeterClient` wrapping a [`Client`] with one method per rpc (taking `&Request` and
//! filling a caller's `&mut Response`, so a call loop allocates nothing in steady state, plus
//! a form returning a new response), and a `GreeterServer<T: Greeter>` implementing
//! [`Dispatch`] by calling [`Call::unary`] or [`Call::server_streaming`] with `T`'s method
//! and one reused request/response pair per rpc.
//!
//! ```
//! use zpb::transport::rpc::{Call, Client, ClientOptions, Dispatch, Server, ServerOptions, Status};
//! use zpb::well_known::{Duration, MethodDescriptor, ServiceDescriptor, Timestamp};
//!
//! const DOUBLER: ServiceDescriptor = ServiceDescriptor {
//!     name: "demo.Doubler",
//!     methods: &[MethodDescriptor {
//!         name: "Double",
//!         input_type: "google.protobuf.Timestamp",
//!         output_type: "google.protobuf.Duration",
//!         client_streaming: false,
//!         server_streaming: false,
//!     }],
//! };
//!
//! /// What a generated server adapter looks like: reused messages per method.
//! #[derive(Default)]
//! struct DoublerServer { request: Timestamp, response: Duration }
//!
//! impl Dispatch for DoublerServer {
//!     fn service(&self) -> &'static ServiceDescriptor { &DOUBLER }
//!     fn dispatch(&mut self, method: usize, call: &mut Call<'_>) -> Result<(), Status> {
//!         match method {
//!             _ => call.unary(&mut self.request, &mut self.response, |q, r| {
//!                 r.seconds = q.seconds * 2;
//!                 Ok::<(), Status>(())
//!             }),
//!         }
//!     }
//! }
//!
//! let ctx = zpb::transport::zmq::Context::new();
//! let server = Server::bind(&ctx, "tcp://127.0.0.1:*", ServerOptions::default(), DoublerServer::default)?;
//! let mut client = Client::new(&ctx, &DOUBLER, ClientOptions::default())?;
//! client.connect(server.endpoint())?;
//! let (mut request, mut response) = (Timestamp::default(), Duration::default());
//! for i in 0..3 {
//!     request.seconds = i;
//!     client.call(0, &request, &mut response)?;
//!     assert_eq!(response.seconds, 2 * i);
//! }
//! # Ok::<(), zpb::transport::rpc::RpcError>(())
//! ```
//!
#![doc = include_str!("PROTOCOL.md")]

mod client;
mod error;
mod server;
mod wire;

pub use client::{CallId, Client, ClientOptions, ClientStats, Retry, Streaming};
pub use error::RpcError;
pub use server::{Call, Dispatch, Server, ServerOptions, ServerStats, ServerStream};
pub use wire::{Code, Status};

use crate::well_known::MethodDescriptor;

/// The name of an rpc's kind, for error messages.
fn rpc_kind(method: &MethodDescriptor) -> &'static str {
    match (method.client_streaming, method.server_streaming) {
        (false, false) => "unary",
        (false, true) => "server-streaming",
        (true, false) => "client-streaming",
        (true, true) => "bidirectional streaming",
    }
}
