//! Services: a trait with a method per rpc, and a descriptor constant.

use super::collisions::unique_base;
use super::context::Context;
use super::index::type_ident;
use crate::docs::path::{child, SERVICE_METHOD};
use crate::error::Error;
use crate::ir::{Method, Service};
use crate::names::{self, escape, snake_case};
use std::collections::HashSet;
use zpb::descriptor::ServiceDescriptorProto;

/// Service `s`, declared in `scope` (its package, with a leading dot), at `path`.
pub fn service(
    cx: &Context<'_, '_>,
    s: &ServiceDescriptorProto,
    scope: &str,
    path: &[i32],
) -> Result<Service, Error> {
    let full = format!("{scope}.{}", s.name());
    let mut methods = Vec::new();
    let mut used = HashSet::new();
    for (i, m) in s.method.iter().enumerate() {
        let base = unique_base(&snake_case(m.name()), |b| !used.contains(b));
        used.insert(base.clone());
        let from = &cx.package_mods;
        methods.push(Method {
            proto_name: m.name().to_string(),
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
        descriptor_const: format!("{}_SERVICE", names::screaming_snake(s.name())),
        doc: cx.comments.doc(path, format!("Service `{}`.", &full[1..])),
        methods,
        full_name: full[1..].to_string(),
    })
}
