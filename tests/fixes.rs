//! Fixes (issue 19), end to end with the built binary.
//!
//! Each fixture of `tests/fixtures/fixes/` says on its first line which code
//! its fixes resolve and whether they are safe: `# fixes: SP009 (safe)` or
//! `(unsafe)`. It is checked in a temporary workspace with
//! `tests/fixtures/rules/_base/accounts.yaml`. The test asserts that
//! `sparkplan check --format json` offers a fix of that applicability on each
//! diagnostic of that code; that `--fix` (with `--unsafe-fixes` for unsafe
//! ones) leaves the file clean of that code; that the file differs from the
//! input only inside the offered edits (it is the input with exactly those
//! edits spliced in); that without `--unsafe-fixes` an unsafe fix is not
//! applied; and that `--diff` writes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixes")
}

fn sparkplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SPARKPLAN_TODAY", "2026-11-29")
        .env_remove("SPARKPLAN_FORMAT")
        .output()
        .unwrap()
}

/// A temporary workspace: the shared accounts and the fixture as `case.yaml`.
fn workspace(fixture: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/_base/accounts.yaml");
    std::fs::copy(base, dir.path().join("accounts.yaml")).unwrap();
    std::fs::copy(fixture, dir.path().join("case.yaml")).unwrap();
    dir
}

fn report(dir: &Path) -> Value {
    let out = sparkplan(dir, &["check", "--format", "json", "."]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn of_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code && d["file"] == "case.yaml")
        .collect()
}

/// `text` with `edits` (byte offsets, replacement) spliced in.
fn splice(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort();
    let mut out = String::new();
    let mut at = 0;
    for (s, e, r) in edits {
        assert!(s >= at, "overlapping edits in a fixture");
        out.push_str(&text[at..s]);
        out.push_str(&r);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn every_fixture_is_fixed_inside_its_edits_only() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "{}", cases.len());
    let mut codes_seen = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read_to_string(case).unwrap();
        let header = input.lines().next().unwrap();
        let rest = header
            .strip_prefix("# fixes: ")
            .unwrap_or_else(|| panic!("{name}: first line must be `# fixes: SPxxx (safe|unsafe)`"));
        let (code, kind) = rest.split_once(' ').unwrap();
        let safe = kind.starts_with("(safe)");
        assert!(safe || kind.starts_with("(unsafe)"), "{name}");
        codes_seen.insert(code.to_owned());

        let dir = workspace(case);
        let before = report(dir.path());
        let diags = of_code(&before, code);
        assert!(!diags.is_empty(), "{name}: no {code} reported");
        let mut edits = Vec::new();
        for d in &diags {
            let fix = &d["fixes"][0];
            assert_eq!(
                fix["applicability"],
                if safe { "safe" } else { "unsafe" },
                "{name}: {d}"
            );
            for e in fix["edits"].as_array().unwrap() {
                assert_eq!(e["file"], "case.yaml", "{name}");
                edits.push((
                    usize::try_from(e["start"]["offset"].as_u64().unwrap()).unwrap(),
                    usize::try_from(e["end"]["offset"].as_u64().unwrap()).unwrap(),
                    e["replacement"].as_str().unwrap().to_owned(),
                ));
            }
        }
        let expected = splice(&input, edits);
        let path = dir.path().join("case.yaml");

        // --diff writes nothing.
        let mut diff_args = vec!["check", "--diff", "."];
        if !safe {
            diff_args.push("--unsafe-fixes");
        }
        let diff = sparkplan(dir.path(), &diff_args);
        assert_eq!(
            diff.status.code(),
            Some(1),
            "{name}: files still have errors"
        );
        let diff = String::from_utf8(diff.stdout).unwrap();
        assert!(
            diff.starts_with("--- a/case.yaml\n+++ b/case.yaml\n@@ "),
            "{name}: {diff}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), input, "{name}");

        if !safe {
            // Without --unsafe-fixes, a guess is not applied.
            let out = sparkplan(dir.path(), &["check", "--fix", "."]);
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), input, "{name}");
        }
        let mut args = vec!["check", "--fix", "."];
        if !safe {
            args.push("--unsafe-fixes");
        }
        let out = sparkplan(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("fixed case.yaml:"), "{name}: {stderr}");
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, expected, "{name}: changed outside its edits");
        let now = report(dir.path());
        assert!(
            of_code(&now, code).is_empty(),
            "{name}: {code} remains: {now}"
        );
        // The exit code is check's on the fixed files.
        let errors = now["summary"]["errors"].as_u64().unwrap();
        assert_eq!(out.status.code(), Some(i32::from(errors > 0)), "{name}");
        // A second --fix changes nothing.
        let again = sparkplan(dir.path(), &args);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), after, "{name}");
        assert!(
            String::from_utf8_lossy(&again.stderr).contains("fixed 0 problems in 0 files"),
            "{name}"
        );
    }
    for code in ["SP003", "SP004", "SP008", "SP009", "SP012"] {
        assert!(codes_seen.contains(code), "no fixture for {code}");
    }
}

#[test]
fn line_endings_and_permissions_are_kept() {
    let dir = workspace(&fixtures().join("sp009_crlf.yaml"));
    let path = dir.path().join("case.yaml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = sparkplan(dir.path(), &["check", "--fix", "."]);
    assert_eq!(out.status.code(), Some(0));
    let after = std::fs::read(&path).unwrap();
    assert_eq!(
        after.windows(2).filter(|w| w == b"\r\n").count(),
        after.iter().filter(|&&b| b == b'\n').count(),
        "every line still ends in CRLF"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // The human report showed the suggestion without the `\r`.
    let dir2 = workspace(&fixtures().join("sp009_crlf.yaml"));
    let shown = sparkplan(dir2.path(), &["check", "."]);
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains(
            "help: quote the video code (`--fix` applies it)\n  |\n6 -     video_code: #AbCdEf0123456789+/xyzXYZ=\n6 +     video_code: \"#AbCdEf0123456789+/xyzXYZ=\"\n"
        ),
        "{shown}"
    );
    assert!(!shown.contains('\r'));
    // Nothing else was left in the folder (no temporary file).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["accounts.yaml", "case.yaml"]);
}

#[test]
fn fix_reports_what_was_fixed_and_what_remains() {
    let dir = workspace(&fixtures().join("sp003_field.yaml"));
    let out = sparkplan(dir.path(), &["check", "--fix", "."]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "fixed 0 problems in 0 files; 1 remaining (1 with a fix that is a guess: `--unsafe-fixes` applies it)\n"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error[SP003]: unknown field `visiblity` in post"),
        "{stdout}"
    );
    assert!(
        stdout.contains("help: replace `visiblity` with `visibility` (a guess: `--fix --unsafe-fixes` applies it)"),
        "{stdout}"
    );

    let dir = workspace(&fixtures().join("sp012_ids.yaml"));
    let out = sparkplan(dir.path(), &["check", "--fix", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "fixed case.yaml:5: SP012 quote the ID\n\
         fixed case.yaml:10: SP012 quote the ID\n\
         fixed case.yaml:14: SP012 quote the ID\n\
         fixed 3 problems in 1 file; 0 remaining\n"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn unsafe_fixes_needs_fix_or_diff_and_fix_conflicts_with_diff() {
    let dir = workspace(&fixtures().join("sp003_field.yaml"));
    let out = sparkplan(dir.path(), &["check", "--unsafe-fixes", "."]);
    assert_eq!(out.status.code(), Some(2));
    let out = sparkplan(dir.path(), &["check", "--fix", "--diff", "."]);
    assert_eq!(out.status.code(), Some(2));
}
