//! REQ/REP: `cargo run --example req_rep -- server` and, in another terminal,
//! `cargo run --example req_rep -- client` (type lines, `q` quits; `--count N` measures).
//! Usage: see `zpb_examples::req_rep::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("req_rep", std::env::args().skip(1))
}
