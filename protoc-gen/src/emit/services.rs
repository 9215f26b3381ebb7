//! Services: a trait with one method per rpc, and a `ServiceDescriptor` const.

use super::tokens::{code, doc, ident};
use crate::ir::{Method, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// A trait method for an rpc.
fn method_sig(m: &Method) -> TokenStream {
    let d = doc(&m.doc);
    let name = ident(&m.rust_name);
    let (input, output) = (code(&m.input), code(&m.output));
    let streaming = match (m.client_streaming, m.server_streaming) {
        (false, false) => None,
        (c, s) => {
            let text = format!(
                " Streaming in the proto ({}); this trait sees one request and one response per call.",
                [(c, "client"), (s, "server")].iter().filter(|x| x.0).map(|x| x.1).collect::<Vec<_>>().join(" and ")
            );
            Some(quote!(#[doc = ""] #[doc = #text]))
        }
    };
    quote! {
        #d
        #streaming
        fn #name(&self, request: &#input, response: &mut #output) -> ::core::result::Result<(), Self::Error>;
    }
}

/// A service's trait and descriptor const.
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
    }
}
