//! RPC: `cargo run --example rpc -- server` and, in another terminal,
//! `cargo run --example rpc -- client --name you` (`--count N`, `--stream N`; a broker:
//! `rpc broker`, servers with `--connect tcp://127.0.0.1:5571`).
//! Usage: see `zpb_examples::rpc::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("rpc", std::env::args().skip(1))
}
