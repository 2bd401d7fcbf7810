//! The floor for `check`: find, read and parse every YAML file under the
//! given paths with sparkplan's YAML layer (`sparkplan::syntax::parse`), with
//! the same file discovery and the same parallelism (rayon, one task per
//! file) as `check`, and nothing else: no decoding, merging or rules.
//!
//! ```text
//! cargo run --release --example parse_only -- DIR...
//! ```
//!
//! Prints the number of files, bytes and YAML nodes, so the work cannot be
//! optimised away and the counts can be compared with `check`'s.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line benchmark tool (the print lints are enabled for the library only)"
)]

use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;
use sparkplan::diag::FileId;
use sparkplan::syntax::{self, Limits, Node};

// The same allocator as the `sparkplan` binary, so the floor is fair.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let candidates = match sparkplan::workspace::discover(&paths) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let limits = Limits::default();
    let results: Vec<Result<(usize, usize, usize), String>> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let text = std::fs::read_to_string(&c.path)
                .map_err(|e| format!("cannot read `{}`: {e}", c.display))?;
            let parsed =
                syntax::parse(FileId(u32::try_from(i).unwrap_or(u32::MAX)), &text, &limits);
            Ok((
                text.len(),
                parsed.root.as_ref().map_or(0, Node::count),
                parsed.diagnostics.len(),
            ))
        })
        .collect();
    let (mut bytes, mut nodes, mut diags) = (0, 0, 0);
    for r in results {
        match r {
            Ok((b, n, d)) => {
                bytes += b;
                nodes += n;
                diags += d;
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!(
        "parsed {} files, {bytes} bytes, {nodes} nodes, {diags} syntax diagnostics",
        candidates.len()
    );
    ExitCode::SUCCESS
}
