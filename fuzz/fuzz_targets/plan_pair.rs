//! Arbitrary bytes as a (base, head) pair of workspaces, through
//! `driver::plan::run` with `--base` → every plan format. Any panic, hang or
//! out-of-memory is a bug (SPEC §6).
//!
//! Input layout (text, so seeds stay readable and the dictionary helps):
//! the bytes before the first `\n#==head==\n` are the base, the rest the
//! head (no separator: an empty base, so everything is created). Each side
//! is split on `\n#==file==\n` into files `00.yaml`, `01.yaml`, … (at most
//! [`MAX_FILES`]) written to a per-process temporary folder.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::driver;
use sparkplan::model::Date;
use sparkplan::plan::base::BaseSpec;
use sparkplan::render::plan::{Options, PlanFormat, render_with};

const HEAD_SEP: &[u8] = b"\n#==head==\n";
const FILE_SEP: &[u8] = b"\n#==file==\n";
const MAX_FILES: usize = 8;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split_files(mut side: &[u8]) -> Vec<&[u8]> {
    let mut files = Vec::new();
    while files.len() + 1 < MAX_FILES {
        match find(side, FILE_SEP) {
            Some(i) => {
                files.push(&side[..i]);
                side = &side[i + FILE_SEP.len()..];
            }
            None => break,
        }
    }
    files.push(side);
    files
}

/// This process's scratch folder (libFuzzer runs one input at a time).
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::temp_dir().join(format!("sparkplan-fuzz-plan-{}", std::process::id()))
    })
}

/// Replaces `dir`'s content by `files`.
fn write_side(dir: &Path, files: &[&[u8]]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("harness: {e}"));
    for (i, f) in files.iter().enumerate() {
        if f.is_empty() {
            continue;
        }
        std::fs::write(dir.join(format!("{i:02}.yaml")), f)
            .unwrap_or_else(|e| panic!("harness: {e}"));
    }
}

fuzz_target!(|data: &[u8]| {
    let (base, head) = match find(data, HEAD_SEP) {
        Some(i) => (&data[..i], &data[i + HEAD_SEP.len()..]),
        None => (&b""[..], data),
    };
    let base_dir = root().join("base");
    let head_dir = root().join("head");
    write_side(&base_dir, &split_files(base));
    write_side(&head_dir, &split_files(head));

    let today = Date::parse("2026-11-29").unwrap_or_else(|| unreachable!());
    let opts = CheckOptions {
        today: today.into(),
        config: Config::default(),
    };
    let spec = BaseSpec::Dir(base_dir);
    let Ok(outcome) = driver::plan::run(std::slice::from_ref(&head_dir), Some(&spec), &opts) else {
        return;
    };
    if let Some(p) = &outcome.plan {
        for format in PlanFormat::ALL {
            let _ = render_with(p, format, &Options::default());
        }
        for max_bytes in [0, 300, 2_000] {
            let small = Options {
                max_bytes: Some(max_bytes),
                full_plan: Some("plan.json".to_owned()),
                ..Options::default()
            };
            let _ = render_with(p, PlanFormat::Markdown, &small);
        }
    }
});
