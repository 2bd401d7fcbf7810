//! The `sparkplan` binary: a thin wrapper over the library's CLI.
#![forbid(unsafe_code)]

/// mimalloc instead of the system allocator: `check` keeps every file's text
/// and model while parse trees come and go, and glibc's allocator, left with
/// the holes between them, kept asking the OS for fresh pages (4,800 page
/// faults on the 10,000-ad corpus against 400 for parsing alone). With
/// mimalloc: 200 page faults and `check` about 20% faster (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The command runs in a supervised worker process, so that running out of
/// memory is an internal error (exit 2), never an abort (`cli::supervise`).
fn main() -> std::process::ExitCode {
    sparkplan::cli::supervise::or_run(sparkplan::cli::main)
}
