//! The `sparkplan` binary: a thin wrapper over the library's CLI.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    sparkplan::cli::main()
}
