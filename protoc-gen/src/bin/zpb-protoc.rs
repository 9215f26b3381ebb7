//! `zpb-protoc`: protoc's command line over zpb's own front end (see
//! `zpb_build::protoc_cli`).

fn main() -> std::process::ExitCode {
    let status = zpb_build::protoc_cli::run(std::env::args_os().skip(1), &mut std::io::stderr());
    std::process::ExitCode::from(status)
}
