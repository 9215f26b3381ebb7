//! Descriptors of generated service traits: what a transport needs to route calls.

/// An rpc method of a service, as declared in the `.proto` file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MethodDescriptor {
    /// The method's proto name (`SayHello`).
    pub name: &'static str,
    /// Full name of the request message (`my.app.HelloRequest`).
    pub input_type: &'static str,
    /// Full name of the response message.
    pub output_type: &'static str,
    /// Declared `stream` on the request.
    pub client_streaming: bool,
    /// Declared `stream` on the response.
    pub server_streaming: bool,
}

/// A service: its full name and methods, in declaration order. zpb-build emits one
/// `<SERVICE>_SERVICE` const per service, beside the service's trait; with the `zmq`
/// feature, the generated `<Service>Client` and `<Service>Server` carry calls by it (method
/// indexes are positions in `methods`, the wire names `name/method`: see
/// `zpb::transport::rpc`).
///
/// ```
/// use zpb::well_known::{MethodDescriptor, ServiceDescriptor};
/// const GREETER: ServiceDescriptor = ServiceDescriptor {
///     name: "demo.Greeter",
///     methods: &[MethodDescriptor {
///         name: "SayHello",
///         input_type: "demo.HelloRequest",
///         output_type: "demo.HelloReply",
///         client_streaming: false,
///         server_streaming: false,
///     }],
/// };
/// assert_eq!(GREETER.method("SayHello").map(|m| m.output_type), Some("demo.HelloReply"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceDescriptor {
    /// Full name of the service (`my.app.Greeter`).
    pub name: &'static str,
    /// Its methods, in declaration order.
    pub methods: &'static [MethodDescriptor],
}

impl ServiceDescriptor {
    /// The method named `name`, if the service has it.
    pub fn method(&self, name: &str) -> Option<&'static MethodDescriptor> {
        self.methods.iter().find(|m| m.name == name)
    }
}
