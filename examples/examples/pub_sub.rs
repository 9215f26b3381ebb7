//! PUB/SUB: `cargo run --example pub_sub -- publisher --count 100 --subscribers 1 --topic news,weather`
//! and `cargo run --example pub_sub -- subscriber --topic news`.
//! Usage: see `zpb_examples::pub_sub::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("pub_sub", std::env::args().skip(1))
}
