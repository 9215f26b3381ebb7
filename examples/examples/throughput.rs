//! Typed vs raw `zmq` sockets: `cargo run --release --example throughput`.
//! Usage: see `zpb_examples::throughput::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("throughput", std::env::args().skip(1))
}
