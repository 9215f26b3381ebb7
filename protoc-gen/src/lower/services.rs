//! Services: a trait with a method per rpc, a descriptor constant, and the names of the
//! typed RPC client and server adapter.

use super::collisions::unique_base;
use super::context::Context;
use super::index::type_ident;
use crate::docs::path::{child, SERVICE_METHOD};
use crate::error::Error;
use crate::ir::{Method, Service};
use crate::names::{self, escape, snake_case};
use std::collections::HashSet;
use zpb::descriptor::method_options::IdempotencyLevel;
use zpb::descriptor::ServiceDescriptorProto;

/// The methods a generated `XClient` has besides one (or two) per rpc.
const CLIENT_METHODS: [&str; 3] = ["new", "connect", "inner"];

/// The client method returning a new response for the rpc whose method is `base`.
fn owned(base: &str) -> String {
    format!("{base}_owned")
}

/// Service `s`, declared in `scope` (its package, with a leading dot), at `path`.
pub fn service(
    cx: &Context<'_, '_>,
    s: &ServiceDescriptorProto,
    scope: &str,
    path: &[i32],
) -> Result<Service, Error> {
    let full = format!("{scope}.{}", s.name());
    let mut methods = Vec::new();
    // The typed client's own methods, which an rpc's client methods must not shadow.
    let mut used: HashSet<String> = CLIENT_METHODS.iter().map(|m| m.to_string()).collect();
    for (i, m) in s.method.iter().enumerate() {
        // An rpc gives the client `base` and `base_owned`.
        let base = unique_base(&snake_case(m.name()), |b| {
            !used.contains(b) && !used.contains(&owned(b))
        });
        used.insert(owned(&base));
        used.insert(base.clone());
        let from = &cx.package_mods;
        let idempotency = m.options().idempotency_level();
        methods.push(Method {
            proto_name: m.name().to_string(),
            index_const: base.to_uppercase(),
            idempotent: matches!(
                idempotency,
                IdempotencyLevel::Idempotent | IdempotencyLevel::NoSideEffects
            ),
            owned_name: owned(&base),
            rust_name: escape(&base),
            input: cx.index.path(m.input_type(), from)?,
            output: cx.index.path(m.output_type(), from)?,
            input_full: m.input_type().trim_start_matches('.').to_string(),
            output_full: m.output_type().trim_start_matches('.').to_string(),
            client_streaming: m.client_streaming(),
            server_streaming: m.server_streaming(),
            doc: cx.comments.doc(
                &child(path, SERVICE_METHOD, i),
                format!("rpc `{}`.", m.name()),
            ),
        });
    }
    Ok(Service {
        rust_name: type_ident(s.name()),
        client_name: type_ident(&format!("{}Client", s.name())),
        server_name: type_ident(&format!("{}Server", s.name())),
        descriptor_const: format!("{}_SERVICE", names::screaming_snake(s.name())),
        doc: cx.comments.doc(path, format!("Service `{}`.", &full[1..])),
        methods,
        full_name: full[1..].to_string(),
    })
}
