//! Shared by the `rpc*` tests: the `Greeter` service of `examples/proto/greeter.proto` as
//! the code generator emits it for every `service` (messages, descriptor, service trait,
//! typed client, server adapter), and an implementation of the service.
#![allow(dead_code)]

// The messages, `GREETER_SERVICE`, the `Greeter` trait, `GreeterClient` and `GreeterServer`:
// zpb-build's output for `examples/proto/greeter.proto`, checked in and kept current by
// `cargo test -p zpb-build --test bootstrap` (`ZPB_BLESS=1` rewrites it).
include!("zpb.examples.rpc.rs");

// `Hello`, the implementation the examples serve too.
include!("../../../examples/src/greeter_service.rs");
