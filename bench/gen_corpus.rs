//! Writes a large, valid, deterministic sparkplan workspace for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR [--ads 10000] [--files 500] [--scale N]
//! ```
//!
//! `--ads` Spark creatives over `--files` campaign files, per advertiser;
//! `--scale N` writes N advertisers (an N× workspace). Checked with
//! `--today 2026-11-29`, the only diagnostic is SP402 per advertiser with
//! 9,000 or more Spark Ads. See `bench/support/corpus.rs`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line benchmark tool (the print lints are enabled for the library only)"
)]

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut opts = corpus::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .filter(|&n: &usize| n > 0)
                .ok_or_else(|| format!("{name} needs a positive number"))
        };
        let r = match a.as_str() {
            "--out" => match args.next() {
                Some(v) => {
                    out = Some(PathBuf::from(v));
                    Ok(())
                }
                None => Err("--out needs a folder".to_owned()),
            },
            "--ads" => num("--ads").map(|n| opts.ads = n),
            "--files" => num("--files").map(|n| opts.files = n),
            "--scale" => num("--scale").map(|n| opts.scale = n),
            "-h" | "--help" => {
                println!("usage: gen_corpus --out DIR [--ads 10000] [--files 500] [--scale 1]");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(e) = r {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("error: --out DIR is required");
        return ExitCode::from(2);
    };
    match corpus::generate(&out, &opts) {
        Ok(s) => {
            println!(
                "wrote {} files ({:.1} MiB) to {}: {} advertisers, {} Spark Ads, {} non-Spark, {} code posts, {} campaigns, {} ads",
                s.files,
                mib(s.bytes),
                out.display(),
                s.advertisers,
                s.spark_ads,
                s.non_spark,
                s.code_posts,
                s.campaigns,
                s.ad_count
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to `{}`: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "a size in MiB, shown with one decimal"
)]
fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}
