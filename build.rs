//! Build metadata for `sparkplan --version`: the git commit and a date.
//!
//! - `SPARKPLAN_GIT_COMMIT`: the commit's abbreviated hash (12 digits), or
//!   empty when not built from a git checkout (a published crate package, a source
//!   archive) or when git is not installed.
//! - `SPARKPLAN_BUILD_EPOCH`: seconds since 1970 of `SOURCE_DATE_EPOCH` when
//!   set (reproducible builds), else of the commit, else empty.
//!
//! Both come from the sources, never from the clock, so two builds of one
//! commit are identical. The build never fails for lack of git.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = git_commit(&dir);
    let (hash, commit_epoch) = match &commit {
        Some((h, e)) => (h.as_str(), Some(*e)),
        None => ("", None),
    };
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(commit_epoch);
    println!("cargo:rustc-env=SPARKPLAN_GIT_COMMIT={hash}");
    println!(
        "cargo:rustc-env=SPARKPLAN_BUILD_EPOCH={}",
        epoch.map(|e| e.to_string()).unwrap_or_default()
    );
}

/// The abbreviated hash and commit time of HEAD, when `dir` is the top of a
/// git checkout (not merely inside one: a crate unpacked inside someone
/// else's repository must not take that repository's commit).
fn git_commit(dir: &Path) -> Option<(String, i64)> {
    if !dir.join(".git").exists() {
        return None;
    }
    let out = git(dir, &["log", "-1", "--format=%h %ct", "--abbrev=12"])?;
    let (hash, time) = out.trim().split_once(' ')?;
    let epoch = time.parse().ok()?;
    // Rebuild when HEAD moves: HEAD itself (a branch switch), the branch it
    // points to, and packed refs. Only paths that exist: a missing path would
    // make Cargo rerun this script on every build.
    let mut watch = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])];
    if let Some(r) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(git(dir, &["rev-parse", "--git-path", r.trim()]));
    }
    watch.push(git(dir, &["rev-parse", "--git-path", "packed-refs"]));
    for p in watch.into_iter().flatten() {
        let p = dir.join(p.trim());
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    Some((hash.to_owned(), epoch))
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}
