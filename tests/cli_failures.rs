//! The CLI's last lines of defence: a panic becomes exit 2 with a short
//! message (no backtrace), and `-o` never loses or half-writes a file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_sparkplan");

const VALID: &str =
    "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"7000000000000000001\"\n";
const BROKEN: &str =
    "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\n    bogus: 1\n";

fn sparkplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_INTERNAL_PANIC_TEST")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every entry of `dir`, sorted (to prove no temporary file is left).
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_panic_is_exit_2_with_a_short_message_and_no_backtrace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env("SPARKPLAN_INTERNAL_PANIC_TEST", "1")
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .args(["check", "a.yaml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: internal error in sparkplan "),
        "{err}"
    );
    assert!(err.contains("SPARKPLAN_INTERNAL_PANIC_TEST"), "{err}");
    assert!(err.contains("Please report it"), "{err}");
    assert!(!err.contains("stack backtrace"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    assert!(err.lines().count() <= 4, "{err}");
    assert!(out.stdout.is_empty());
    // Without the variable (or with another value) the same run is normal.
    for value in [None, Some("0")] {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(dir.path()).args(["check", "a.yaml"]);
        match value {
            Some(v) => cmd.env("SPARKPLAN_INTERNAL_PANIC_TEST", v),
            None => cmd.env_remove("SPARKPLAN_INTERNAL_PANIC_TEST"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn output_file_is_written_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), BROKEN).unwrap();
    std::fs::write(dir.path().join("report.json"), "old report\n").unwrap();
    let out = sparkplan(
        dir.path(),
        &["check", "--format", "json", "-o", "report.json", "a.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SP003");
    assert_eq!(listing(dir.path()), ["a.yaml", "report.json"]);
}

/// Runs `check -o TARGET` where writing TARGET must fail: exit 2, the path
/// named, nothing else changed in `watch`.
fn assert_write_fails(dir: &Path, target: &str, watch: &Path) {
    let before = listing(watch);
    let out = sparkplan(dir, &["check", "--format", "json", "-o", target, "a.yaml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{target}: {err}");
    assert!(
        err.starts_with(&format!("error: cannot write `{target}`: ")),
        "{target}: {err}"
    );
    assert!(!err.contains("internal error"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        listing(watch),
        before,
        "{target}: temporary file left behind"
    );
}

#[test]
fn output_file_that_is_a_directory_fails_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/keep.txt"), "keep").unwrap();
    assert_write_fails(dir.path(), "out", dir.path());
    assert_eq!(listing(&dir.path().join("out")), ["keep.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn output_file_whose_parent_is_a_file_fails_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    std::fs::write(dir.path().join("parent"), "old content\n").unwrap();
    assert_write_fails(dir.path(), "parent/report.json", dir.path());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("parent")).unwrap(),
        "old content\n"
    );
}

#[test]
fn output_file_in_a_missing_folder_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    assert_write_fails(dir.path(), "no/such/dir/report.json", dir.path());
}

#[cfg(unix)]
#[test]
fn output_file_in_a_read_only_folder_fails_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::write(ro.join("report.json"), "old report\n").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: detect it and skip (the directory and
    // file-as-parent cases above fail for root too).
    let probe = ro.join("probe");
    let is_root = std::fs::write(&probe, "x").is_ok();
    if is_root {
        std::fs::remove_file(&probe).unwrap();
    } else {
        assert_write_fails(dir.path(), "ro/report.json", &ro);
        assert_eq!(
            std::fs::read_to_string(ro.join("report.json")).unwrap(),
            "old report\n"
        );
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}
