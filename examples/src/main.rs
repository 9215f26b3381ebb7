//! `zpb-examples NAME ARGS`: every example in one binary (`zpb-examples pipeline worker`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(name) = args.next() else {
        eprintln!("usage: zpb-examples req_rep|pub_sub|pipeline|demo|throughput ARGS");
        return ExitCode::from(2);
    };
    zpb_examples::run(&name, args)
}
