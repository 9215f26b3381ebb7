//! `zpb-examples NAME ARGS`: every example in one binary (`zpb-examples pipeline worker`).

use std::process::ExitCode;

// Counts allocations for the demo's memory section.
#[global_allocator]
static ALLOC: zpb_examples::alloc::Counting = zpb_examples::alloc::Counting;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let names: Vec<&str> = zpb_examples::EXAMPLES.iter().map(|(n, _, _)| *n).collect();
    let usage = format!(
        "usage: zpb-examples {} ARGS (`zpb-examples NAME --help` for an example's options)",
        names.join("|")
    );
    match args.next() {
        Some(name) if name == "--help" || name == "-h" => {
            println!("{usage}");
            ExitCode::SUCCESS
        }
        Some(name) => zpb_examples::run(&name, args),
        None => {
            eprintln!("{usage}");
            ExitCode::from(2)
        }
    }
}
