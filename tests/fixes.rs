//! Fixes (issue 19): each fixture of `tests/fixtures/fixes/` names the code
//! its fixes resolve in a first-line comment `# fixes: SPxxx (safe)` or
//! `(unsafe)`. Checked with `tests/fixtures/rules/_base/accounts.yaml`.
//! After `sparkplan check --fix` (`--unsafe-fixes` for unsafe ones), the
//! file checks clean of that code and differs from the input only inside
//! the edits the diagnostics offered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::{Path, PathBuf};

use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::diag::Applicability;
use sparkplan::driver::fix::{self, FixOptions};
use sparkplan::model::Date;

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixes")
}

/// A temporary workspace: the shared accounts and the fixture.
fn workspace(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/_base/accounts.yaml");
    std::fs::copy(base, dir.path().join("accounts.yaml")).unwrap();
    let case = dir.path().join("case.yaml");
    std::fs::copy(fixtures().join(fixture), &case).unwrap();
    (dir, case)
}

#[test]
fn sp009_video_code_is_quoted_from_the_comment() {
    let (dir, case) = workspace("sp009_video_code.yaml");
    let out = fix::run(&[dir.path().to_path_buf()], &opts(), FixOptions::default()).unwrap();
    assert_eq!(out.changes.len(), 1);
    let after = &out.changes[0].after;
    assert!(
        after.contains("    video_code: \"#AbCdEf0123456789+/xyzXYZ=\"\n"),
        "{after}"
    );
    assert!(
        after.contains("    video_code: \"#MiaReview0123456789=\"   # sent by Mia on Slack\n"),
        "{after}"
    );
    assert!(out.report.diagnostics.iter().all(|d| d.code() != "SP009"));
    let before = std::fs::read_to_string(&case).unwrap();
    assert_eq!(out.changes[0].before, before);
    let sp009: Vec<_> = sparkplan::check::check(&[dir.path().to_path_buf()], &opts())
        .unwrap()
        .diagnostics
        .into_iter()
        .filter(|d| d.code() == "SP009")
        .collect();
    assert_eq!(sp009.len(), 2);
    assert!(
        sp009
            .iter()
            .all(|d| d.fixes.len() == 1 && d.fixes[0].applicability == Applicability::Safe)
    );
}
