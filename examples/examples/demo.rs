//! All three patterns over tcp loopback in one process: `cargo run --example demo`.
//! Usage: see `zpb_examples::demo::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("demo", std::env::args().skip(1))
}
