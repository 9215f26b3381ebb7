//! Shared by the `rpc*` tests: the `Greeter` service of `examples/proto/greeter.proto`
//! written out by hand exactly as the code generator is to emit it for every `service`
//! (messages, descriptor, service trait, typed client, server adapter), and an
//! implementation of the service.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zpb::transport::rpc::{
    Call, Client, ClientOptions, Code, Dispatch, RpcError, ServerStream, Status, Streaming,
};
use zpb::transport::zmq;
use zpb::well_known::{MethodDescriptor, ServiceDescriptor};
use zpb::MessageState;

// ---- what zpb-build emits today: messages, the descriptor, the service trait -------------

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.examples.rpc.HelloRequest")]
pub struct HelloRequest {
    #[zpb(1)]
    pub name: String,
    #[zpb(2)]
    pub count: u32,
    #[zpb(3)]
    pub delay_ms: u32,
    #[zpb(4)]
    pub fail_code: u32,
    pub _state: MessageState,
}

#[derive(zpb::Message, Clone, PartialEq, Default)]
#[zpb(name = "zpb.examples.rpc.HelloReply")]
pub struct HelloReply {
    #[zpb(1)]
    pub message: String,
    #[zpb(2)]
    pub index: u32,
    #[zpb(3)]
    pub served: u64,
    pub _state: MessageState,
}

/// Name and methods of service `zpb.examples.rpc.Greeter`.
pub const GREETER_SERVICE: ServiceDescriptor = ServiceDescriptor {
    name: "zpb.examples.rpc.Greeter",
    methods: &[
        MethodDescriptor {
            name: "SayHello",
            input_type: "zpb.examples.rpc.HelloRequest",
            output_type: "zpb.examples.rpc.HelloReply",
            client_streaming: false,
            server_streaming: false,
        },
        MethodDescriptor {
            name: "LotsOfReplies",
            input_type: "zpb.examples.rpc.HelloRequest",
            output_type: "zpb.examples.rpc.HelloReply",
            client_streaming: false,
            server_streaming: true,
        },
        MethodDescriptor {
            name: "Record",
            input_type: "zpb.examples.rpc.HelloRequest",
            output_type: "zpb.examples.rpc.HelloReply",
            client_streaming: true,
            server_streaming: false,
        },
    ],
};

/// The service trait. Unary (and, for now, client-streaming) methods keep today's
/// signature; a server-streaming method takes the stream its items go to.
pub trait Greeter {
    /// The error a method returns.
    type Error;
    fn say_hello(
        &self,
        request: &HelloRequest,
        response: &mut HelloReply,
    ) -> Result<(), Self::Error>;
    fn lots_of_replies(
        &self,
        request: &HelloRequest,
        stream: &mut ServerStream<'_, '_, HelloReply>,
    ) -> Result<(), Self::Error>;
    fn record(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Self::Error>;
}

// ---- to be emitted per service: the typed client ------------------------------------------

/// A typed client of `Greeter`: one method per rpc.
pub struct GreeterClient {
    inner: Client,
}

impl GreeterClient {
    /// Index of `SayHello` in the service.
    pub const SAY_HELLO: usize = 0;
    /// Index of `LotsOfReplies`.
    pub const LOTS_OF_REPLIES: usize = 1;
    /// Index of `Record`.
    pub const RECORD: usize = 2;

    /// A client, not connected yet. Methods declared `idempotency_level = IDEMPOTENT` (or
    /// `NO_SIDE_EFFECTS`) are retried.
    pub fn new(ctx: &zmq::Context, options: ClientOptions) -> Result<Self, RpcError> {
        let mut inner = Client::new(ctx, &GREETER_SERVICE, options)?;
        inner.set_idempotent(Self::SAY_HELLO, true)?;
        Ok(GreeterClient { inner })
    }

    /// Connects to a server.
    pub fn connect(&mut self, endpoint: &str) -> Result<(), RpcError> {
        self.inner.connect(endpoint)
    }

    /// `SayHello`, into the caller's response (cleared first, memory kept).
    pub fn say_hello(
        &mut self,
        request: &HelloRequest,
        response: &mut HelloReply,
    ) -> Result<(), RpcError> {
        self.inner.call(Self::SAY_HELLO, request, response)
    }

    /// `SayHello`, returning a new response.
    pub fn say_hello_owned(&mut self, request: &HelloRequest) -> Result<HelloReply, RpcError> {
        let mut response = HelloReply::default();
        self.say_hello(request, &mut response)?;
        Ok(response)
    }

    /// `LotsOfReplies`: the stream of its replies.
    pub fn lots_of_replies(
        &mut self,
        request: &HelloRequest,
    ) -> Result<Streaming<'_, HelloReply>, RpcError> {
        self.inner.stream(Self::LOTS_OF_REPLIES, request)
    }

    /// The untyped client: calls in flight ([`Client::start`], [`Client::finish`]), deadlines.
    pub fn inner(&mut self) -> &mut Client {
        &mut self.inner
    }
}

// ---- to be emitted per service: the server adapter ----------------------------------------

/// Dispatches calls to a `Greeter` implementation shared by all workers; each worker's
/// adapter keeps one request and one response message per rpc.
pub struct GreeterServer<T> {
    service: Arc<T>,
    say_hello: (HelloRequest, HelloReply),
    lots_of_replies: (HelloRequest, HelloReply),
}

impl<T> GreeterServer<T> {
    /// An adapter (one per worker) around `service`.
    pub fn new(service: Arc<T>) -> Self {
        GreeterServer {
            service,
            say_hello: Default::default(),
            lots_of_replies: Default::default(),
        }
    }
}

impl<T> Dispatch for GreeterServer<T>
where
    T: Greeter + Send + Sync + 'static,
    T::Error: Into<Status>,
{
    fn service(&self) -> &'static ServiceDescriptor {
        &GREETER_SERVICE
    }

    fn dispatch(&mut self, method: usize, call: &mut Call<'_>) -> Result<(), Status> {
        let service = &*self.service;
        match method {
            GreeterClient::SAY_HELLO => {
                let (q, r) = &mut self.say_hello;
                call.unary(q, r, |q, r| service.say_hello(q, r))
            }
            GreeterClient::LOTS_OF_REPLIES => {
                let (q, r) = &mut self.lots_of_replies;
                call.server_streaming(q, r, |q, s| service.lots_of_replies(q, s))
            }
            _ => Err(Status::new(
                Code::Unimplemented,
                "not carried by this server",
            )),
        }
    }
}

// ---- an implementation -------------------------------------------------------------------

/// Greets; counts completed calls (so replies show the order they were served in).
#[derive(Default)]
pub struct Hello {
    pub served: AtomicU64,
}

fn fail(request: &HelloRequest) -> Result<(), Status> {
    match request.fail_code {
        0 => Ok(()),
        code => Err(Status::new(
            Code::from_u16(code as u16),
            format!("{} asked to fail", request.name),
        )),
    }
}

impl Greeter for Hello {
    type Error = Status;

    fn say_hello(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Status> {
        std::thread::sleep(Duration::from_millis(request.delay_ms.into()));
        fail(request)?;
        response.message.push_str("Hello, ");
        response.message.push_str(&request.name);
        response.message.push('!');
        response.served = self.served.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn lots_of_replies(
        &self,
        request: &HelloRequest,
        stream: &mut ServerStream<'_, '_, HelloReply>,
    ) -> Result<(), Status> {
        for index in 0..request.count {
            std::thread::sleep(Duration::from_millis(request.delay_ms.into()));
            let item = stream.item();
            // Into the reused item's string: no allocation once it is large enough.
            let _ = write!(item.message, "Hello, {} #{index}", request.name);
            item.index = index;
            stream.send()?;
        }
        fail(request)
    }

    fn record(&self, _: &HelloRequest, _: &mut HelloReply) -> Result<(), Status> {
        Err(Status::new(Code::Unimplemented, "client streaming"))
    }
}

/// A request for `name`.
pub fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_string(),
        ..HelloRequest::default()
    }
}
