//! Shared by the test crates: the `# expect: CODE` convention of the fixture
//! tests (`tests/rules.rs`, `tests/workspace.rs`: every YAML file of a case
//! folder marks the lines where a diagnostic is expected), and [`git`] for
//! the tests that plan against a git base.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "shared by several test crates, each using part of it; a panic is the failure report"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sparkplan::check::Report;

/// (code, file relative to the case, line).
pub type Key = (String, String, usize);

pub fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

pub fn rel(case: &Path, file: &Path) -> String {
    file.strip_prefix(case)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every `# expect:` mark of the case, sorted: the codes on the line up to
/// the first word that is not a code (a remark).
pub fn expectations(case: &Path) -> Vec<Key> {
    let mut files = Vec::new();
    yaml_files(case, &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for (i, line) in text.lines().enumerate() {
            if let Some(pos) = line.find("# expect:") {
                // Codes up to the first word that is not one (a remark).
                for code in line[pos + 9..]
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .take_while(|s| s.starts_with("SP") && s.len() == 5)
                {
                    out.push((code.to_owned(), rel(case, &f), i + 1));
                }
            }
        }
    }
    out.sort();
    out
}

/// The diagnostics of `report` as keys, files relative to `prefix` (the case
/// folder), sorted: what [`expectations`] is compared with.
pub fn reported(prefix: &Path, report: &Report) -> Vec<Key> {
    let prefix = format!("{}/", prefix.to_string_lossy().replace('\\', "/"));
    let mut out: Vec<Key> = report
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().expect("every diagnostic is located");
            let path = report.sources().path(span.file);
            let file = path.strip_prefix(&prefix).unwrap_or(path).to_owned();
            let line = report.sources().location(span).line;
            (d.code().to_owned(), file, line)
        })
        .collect();
    out.sort();
    out
}

/// Runs `git` in `repo` with a throwaway identity; fails the test when it fails.
pub fn git(repo: &Path, args: &[&str]) {
    let st = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}
