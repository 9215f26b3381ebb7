//! Services: a trait with one method per rpc, a `ServiceDescriptor` const, and the RPC layer
//! over `zpb::transport::rpc` — a typed `XClient` and an `XServer<T>` dispatch adapter.
//!
//! Everything naming `zpb::transport` (the client, the server adapter, the trait methods of
//! server-streaming rpcs, which take a `ServerStream`) is wrapped in `::zpb::__rpc! { ... }`,
//! which expands to its input when zpb is built with its `zmq` feature and to nothing
//! otherwise: the `#[cfg]` is zpb's, so the generated file compiles either way.

use super::tokens::{code, doc, ident};
use crate::ir::{Method, Service};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The kind of an rpc, as its docs name it.
fn kind(m: &Method) -> Option<&'static str> {
    match (m.client_streaming, m.server_streaming) {
        (false, false) => None,
        (false, true) => Some("server-streaming"),
        (true, false) => Some("client-streaming"),
        (true, true) => Some("bidirectional streaming"),
    }
}

/// `text` with its first letter upper-case, to start a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether the server adapter dispatches the rpc (protocol version 1 carries unary and
/// server-streaming rpcs; the runtime answers the others with UNIMPLEMENTED).
fn dispatched(m: &Method) -> bool {
    !m.client_streaming
}

/// A trait method for an rpc. A server-streaming rpc's takes the stream its items go to, and
/// exists only with the transport; the others take one request and fill one response.
fn method_sig(m: &Method) -> TokenStream {
    let d = doc(&m.doc);
    let name = ident(&m.rust_name);
    let (input, output) = (code(&m.input), code(&m.output));
    if m.server_streaming && !m.client_streaming {
        return quote! {
            ::zpb::__rpc! {
                #d
                #[doc = ""]
                #[doc = " Server-streaming: each item goes out with `stream.send()`."]
                fn #name(
                    &self,
                    request: &#input,
                    stream: &mut ::zpb::transport::rpc::ServerStream<'_, '_, #output>,
                ) -> ::core::result::Result<(), Self::Error>;
            }
        };
    }
    let streaming = kind(m).map(|k| {
        let text = format!(
            " {} in the proto, which the RPC protocol (version 1) does not carry; this trait \
             sees one request and one response per call.",
            sentence(k)
        );
        quote!(#[doc = ""] #[doc = #text])
    });
    quote! {
        #d
        #streaming
        fn #name(&self, request: &#input, response: &mut #output) -> ::core::result::Result<(), Self::Error>;
    }
}

/// The client's methods for an rpc: filling a caller's response and returning a new one for
/// unary (and client-streaming) rpcs, a typed stream for server-streaming (and bidirectional)
/// ones. The runtime answers the kinds protocol version 1 does not carry with
/// `RpcError::Unsupported`.
fn client_methods(m: &Method) -> TokenStream {
    let name = ident(&m.rust_name);
    let owned = ident(&m.owned_name);
    let index = ident(&m.index_const);
    let (input, output) = (code(&m.input), code(&m.output));
    let rpc = &m.proto_name;
    let unsupported = kind(m).filter(|_| m.client_streaming).map(|k| {
        let text = format!(
            " A {k} rpc: protocol version 1 does not carry it, so this returns \
                 `RpcError::Unsupported`."
        );
        quote!(#[doc = ""] #[doc = #text])
    });
    if m.server_streaming {
        let text = format!(" `{rpc}`: the stream of its replies.");
        return quote! {
            #[doc = #text]
            #unsupported
            pub fn #name(
                &mut self,
                request: &#input,
            ) -> ::core::result::Result<::zpb::transport::rpc::Streaming<'_, #output>, ::zpb::transport::rpc::RpcError> {
                self.inner.stream(Self::#index, request)
            }
        };
    }
    let into = format!(" `{rpc}`, into the caller's response (cleared first, its memory kept).");
    let new = format!(" `{rpc}`, returning a new response.");
    quote! {
        #[doc = #into]
        #unsupported
        pub fn #name(
            &mut self,
            request: &#input,
            response: &mut #output,
        ) -> ::core::result::Result<(), ::zpb::transport::rpc::RpcError> {
            self.inner.call(Self::#index, request, response)
        }
        #[doc = #new]
        #unsupported
        pub fn #owned(
            &mut self,
            request: &#input,
        ) -> ::core::result::Result<#output, ::zpb::transport::rpc::RpcError> {
            let mut response = <#output as ::core::default::Default>::default();
            self.#name(request, &mut response)?;
            ::core::result::Result::Ok(response)
        }
    }
}

/// The server adapter's field holding the reused request and response of a dispatched rpc.
fn messages_field(m: &Method) -> Ident {
    ident(&format!(
        "{}_messages",
        m.rust_name.trim_start_matches("r#")
    ))
}

/// The typed client and the server adapter of a service.
fn rpc(s: &Service) -> TokenStream {
    let service_trait = ident(&s.rust_name);
    let client = ident(&s.client_name);
    let server = ident(&s.server_name);
    let konst = ident(&s.descriptor_const);
    let rpc_path = quote!(::zpb::transport::rpc);
    let indexes = s.methods.iter().enumerate().map(|(i, m)| {
        let name = ident(&m.index_const);
        let text = format!(" Index of `{}` in the service.", m.proto_name);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#[doc = #text] pub const #name: usize = #i;)
    });
    let idempotent = s.methods.iter().filter(|m| m.idempotent).map(|m| {
        let name = ident(&m.index_const);
        quote!(inner.set_idempotent(Self::#name, true)?;)
    });
    let methods = s.methods.iter().map(client_methods);
    let served: Vec<&Method> = s.methods.iter().filter(|m| dispatched(m)).collect();
    let fields: Vec<Ident> = served.iter().map(|m| messages_field(m)).collect();
    let field_types = served.iter().map(|m| {
        let (input, output) = (code(&m.input), code(&m.output));
        quote!((#input, #output))
    });
    let arms = served.iter().zip(&fields).map(|(m, field)| {
        let index = ident(&m.index_const);
        let name = ident(&m.rust_name);
        let form = if m.server_streaming {
            quote!(server_streaming)
        } else {
            quote!(unary)
        };
        quote! {
            #client::#index => {
                let (q, r) = &mut self.#field;
                call.#form(q, r, |q, r| service.#name(q, r))
            }
        }
    });
    // A server of no dispatched rpc (only client-streaming ones, or none) names neither.
    let (call, service_ref) = if served.is_empty() {
        (quote!(_call), None)
    } else {
        (quote!(call), Some(quote!(let service = &*self.service;)))
    };
    let full = &s.full_name;
    let client_doc = format!(
        " A typed client of `{full}` over `zpb::transport::rpc`: one method per rpc (see [`{}`]).",
        s.rust_name
    );
    let new_doc = " A client, not connected yet. Methods declared `idempotency_level = \
                   IDEMPOTENT` (or `NO_SIDE_EFFECTS`) are retried (Lazy Pirate).";
    let server_doc = format!(
        " Dispatches calls of `{full}` to a [`{}`] implementation shared by all workers; each \
         worker's adapter keeps one request and one response message per rpc.",
        s.rust_name
    );
    quote! {
        ::zpb::__rpc! {
            #[doc = #client_doc]
            pub struct #client {
                inner: #rpc_path::Client,
            }

            impl #client {
                #(#indexes)*

                #[doc = #new_doc]
                pub fn new(
                    ctx: &::zpb::transport::zmq::Context,
                    options: #rpc_path::ClientOptions,
                ) -> ::core::result::Result<Self, #rpc_path::RpcError> {
                    #[allow(unused_mut)]
                    let mut inner = #rpc_path::Client::new(ctx, &#konst, options)?;
                    #(#idempotent)*
                    ::core::result::Result::Ok(#client { inner })
                }

                /// Connects to a server (or a proxy in front of servers).
                pub fn connect(&mut self, endpoint: &str) -> ::core::result::Result<(), #rpc_path::RpcError> {
                    self.inner.connect(endpoint)
                }

                #(#methods)*

                /// The untyped client: calls in flight (`start`, `finish`), deadlines, stats.
                pub fn inner(&mut self) -> &mut #rpc_path::Client {
                    &mut self.inner
                }
            }

            #[doc = #server_doc]
            pub struct #server<T> {
                service: ::std::sync::Arc<T>,
                #(#fields: #field_types,)*
            }

            impl<T> #server<T> {
                /// An adapter (one per worker) around `service`.
                pub fn new(service: ::std::sync::Arc<T>) -> Self {
                    #server {
                        service,
                        #(#fields: ::core::default::Default::default(),)*
                    }
                }
            }

            impl<T> #rpc_path::Dispatch for #server<T>
            where
                T: #service_trait + ::core::marker::Send + ::core::marker::Sync + 'static,
                T::Error: ::core::convert::Into<#rpc_path::Status>,
            {
                fn service(&self) -> &'static ::zpb::well_known::ServiceDescriptor {
                    &#konst
                }

                fn dispatch(
                    &mut self,
                    method: usize,
                    #call: &mut #rpc_path::Call<'_>,
                ) -> ::core::result::Result<(), #rpc_path::Status> {
                    #service_ref
                    match method {
                        #(#arms)*
                        _ => ::core::result::Result::Err(#rpc_path::Status::new(
                            #rpc_path::Code::Unimplemented,
                            "no such method in this server",
                        )),
                    }
                }
            }
        }
    }
}

/// A service's trait, descriptor const, and RPC client and server.
pub fn service(s: &Service) -> TokenStream {
    let d = doc(&s.doc);
    let name = ident(&s.rust_name);
    let full = &s.full_name;
    let methods = s.methods.iter().map(method_sig);
    let descriptors = s.methods.iter().map(|m| {
        let (n, i, o, cs, ss) = (
            &m.proto_name,
            &m.input_full,
            &m.output_full,
            m.client_streaming,
            m.server_streaming,
        );
        quote! {
            ::zpb::well_known::MethodDescriptor {
                name: #n,
                input_type: #i,
                output_type: #o,
                client_streaming: #cs,
                server_streaming: #ss,
            }
        }
    });
    let konst = ident(&s.descriptor_const);
    let const_doc = format!(
        " Name and methods of service `{full}` (see [`{}`]).",
        s.rust_name
    );
    let rpc = rpc(s);
    quote! {
        #d
        pub trait #name {
            /// The error a method returns.
            type Error;
            #(#methods)*
        }
        #[doc = #const_doc]
        pub const #konst: ::zpb::well_known::ServiceDescriptor = ::zpb::well_known::ServiceDescriptor {
            name: #full,
            methods: &[#(#descriptors),*],
        };
        #rpc
    }
}
