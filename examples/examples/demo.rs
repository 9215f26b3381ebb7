//! All three patterns over tcp loopback in one process: `cargo run --example demo`.
//! Usage: see `zpb_examples::demo::USAGE`.

// Counts allocations for the demo's memory section.
#[global_allocator]
static ALLOC: zpb_examples::alloc::Counting = zpb_examples::alloc::Counting;

fn main() -> std::process::ExitCode {
    zpb_examples::run("demo", std::env::args().skip(1))
}
