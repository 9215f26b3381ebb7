// `Hello`, the Greeter implementation of the Rust examples and tests, included (with
// `include!`) where the generated Greeter types are in scope: `zpb_examples::greeter` and the
// runtime's `rpc*` tests. Its behaviour is what the Python server (`python/rpc_server.py`)
// does too: `delay_ms`, `count` and `fail_code` of the request drive it.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use zpb::transport::rpc::{Code, ServerStream, Status};

/// Greets; counts completed calls (so replies show the order they were served in).
#[derive(Default)]
pub struct Hello {
    /// Calls answered so far.
    pub served: AtomicU64,
}

/// `Err` with the request's `fail_code` when it is nonzero.
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

    /// Answers `Hello, <name>!` after `delay_ms`, or fails with `fail_code`.
    fn say_hello(&self, request: &HelloRequest, response: &mut HelloReply) -> Result<(), Status> {
        std::thread::sleep(Duration::from_millis(request.delay_ms.into()));
        fail(request)?;
        response.message.push_str("Hello, ");
        response.message.push_str(&request.name);
        response.message.push('!');
        response.served = self.served.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Streams `count` items `Hello, <name> #<index>` (each after `delay_ms`), then fails
    /// with `fail_code` when it is nonzero.
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

    /// Never called: protocol version 1 does not carry client-streaming rpcs.
    fn record(&self, _: &HelloRequest, _: &mut HelloReply) -> Result<(), Status> {
        Err(Status::new(Code::Unimplemented, "client streaming"))
    }
}

/// A request for `name`.
pub fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.into(),
        ..HelloRequest::default()
    }
}
