//! Pipeline: `cargo run --example pipeline -- sink`, `... -- worker` (several), then
//! `... -- ventilator --workers 2`. Tasks not acknowledged by the sink are re-sent.
//! Usage: see `zpb_examples::pipeline::USAGE`.

fn main() -> std::process::ExitCode {
    zpb_examples::run("pipeline", std::env::args().skip(1))
}
