//! Shared by the `rpc*` tests: the `Greeter` service of `examples/proto/greeter.proto` as
//! the code generator emits it for every `service` (messages, descriptor, service trait,
//! typed client, server adapter), and an implementation of the service.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use zpb::transport::rpc::{Code, ServerStream, Status};

// The messages, `GREETER_SERVICE`, the `Greeter` trait, `GreeterClient` and `GreeterServer`:
// zpb-build's output for `examples/proto/greeter.proto`, checked in and kept current by
// `cargo test -p zpb-build --test bootstrap` (`ZPB_BLESS=1` rewrites it).
include!("zpb.examples.rpc.rs");

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
