//! The CLI's last lines of defence: a panic becomes exit 2 with a short
//! message (no backtrace), and `-o` never loses or half-writes a file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

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

// Issue 14 item 2 (adversarial report, findings 2, 3, 10, 11): `-o` never
// destroys a file.

#[test]
fn output_onto_an_input_manifest_is_refused_and_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("ws/posts")).unwrap();
    std::fs::write(dir.path().join("ws/a.yaml"), VALID).unwrap();
    std::fs::write(dir.path().join("ws/posts/b.yaml"), VALID).unwrap();
    std::fs::write(
        dir.path().join("sparkplan.toml"),
        "expiry_warning_days = 3\n",
    )
    .unwrap();
    for (cmd, target, names) in [
        ("check", "ws/posts/b.yaml", "ws/posts/b.yaml"),
        ("check", "./ws/a.yaml", "ws/a.yaml"),
        ("plan", "ws/a.yaml", "ws/a.yaml"),
        ("check", "sparkplan.toml", "sparkplan.toml"),
    ] {
        let before_a = std::fs::read(dir.path().join("ws/a.yaml")).unwrap();
        let out = sparkplan(
            dir.path(),
            &[cmd, "ws", "--today", "2026-11-29", "-o", target],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd} -o {target}: {err}");
        assert!(err.starts_with("error: refusing to write to `"), "{err}");
        assert!(err.contains(names), "{err}");
        assert_eq!(
            std::fs::read(dir.path().join("ws/a.yaml")).unwrap(),
            before_a
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ws/posts/b.yaml")).unwrap(),
        VALID
    );
    // A file of the `--base` folder too.
    std::fs::create_dir(dir.path().join("base")).unwrap();
    std::fs::write(dir.path().join("base/old.yaml"), VALID).unwrap();
    let out = sparkplan(
        dir.path(),
        &[
            "plan",
            "ws/posts",
            "--base",
            "base",
            "--today",
            "2026-11-29",
            "-o",
            "base/old.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("base/old.yaml")).unwrap(),
        VALID
    );
    // A symlink to an input is the input.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("ws/a.yaml", dir.path().join("link")).unwrap();
        let out = sparkplan(dir.path(), &["check", "ws", "-o", "link"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("ws/a.yaml")).unwrap(),
            VALID
        );
    }
}

#[cfg(unix)]
#[test]
fn output_onto_dev_null_and_dev_stdout_writes_through() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), BROKEN).unwrap();
    let out = sparkplan(dir.path(), &["check", "a.yaml", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // `-o /dev/stdout` is the process's stdout (here a pipe), and with
    // stdout redirected to a file, that file gets the report.
    let out = sparkplan(
        dir.path(),
        &["check", "a.yaml", "--format", "json", "-o", "/dev/stdout"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SP003");
    let cap = std::fs::File::create(dir.path().join("cap.txt")).unwrap();
    let status = Command::new(BIN)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "a.yaml", "-o", "/dev/stdout"])
        .stdout(cap)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let cap = std::fs::read_to_string(dir.path().join("cap.txt")).unwrap();
    assert!(cap.contains("error[SP003]"), "{cap}");
    assert_eq!(listing(dir.path()), ["a.yaml", "cap.txt"]);
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return; // no mkfifo on this system
    }
    // A reader on the other end: `cat` (started first; it blocks on open).
    let reader = Command::new("cat")
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = sparkplan(dir.path(), &["check", "a.yaml", "-o", "pipe"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = reader.wait_with_output().unwrap();
    assert!(
        String::from_utf8_lossy(&read.stdout).contains("no problems found"),
        "{read:?}"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(listing(dir.path()), ["a.yaml", "pipe"]);
}

#[cfg(unix)]
#[test]
fn output_onto_a_symlink_replaces_its_target_and_keeps_modes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    std::fs::write(dir.path().join("target.txt"), "OLD\n").unwrap();
    std::fs::set_permissions(
        dir.path().join("target.txt"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::os::unix::fs::symlink("target.txt", dir.path().join("link.txt")).unwrap();
    let out = sparkplan(dir.path(), &["check", "a.yaml", "-o", "link.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(link.file_type().is_symlink());
    let target = std::fs::read_to_string(dir.path().join("target.txt")).unwrap();
    assert!(target.contains("no problems found"), "{target}");
    let mode = std::fs::metadata(dir.path().join("target.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(listing(dir.path()), ["a.yaml", "link.txt", "target.txt"]);
}

#[cfg(unix)]
#[test]
fn sigterm_or_sigint_during_the_write_leaves_no_temporary_file() {
    use std::io::Write as _;
    for signal in ["TERM", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), BROKEN).unwrap();
        std::fs::write(dir.path().join("out.json"), "old\n").unwrap();
        // The test-only pause stops after the temporary file is written,
        // before the rename, until a line arrives on stdin.
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .env("SPARKPLAN_INTERNAL_PAUSE_WRITE_TEST", "1")
            .args(["check", "a.yaml", "--format", "json", "-o", "out.json"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the temporary file to appear (a condition, not a delay).
        let mut seen = false;
        for _ in 0..6000 {
            if listing(dir.path()).iter().any(|n| n.ends_with(".tmp")) {
                seen = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(seen, "no temporary file appeared");
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        // Keep stdin open until the child is gone (`wait` would close it and
        // so end the pause: the write would go on).
        let stdin = child.stdin.take();
        let out = child.wait_with_output().unwrap();
        drop(stdin.map(|mut s| s.write_all(b"\n")));
        let status = out.status;
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        use std::os::unix::process::ExitStatusExt;
        // Dies of the signal, as without the cleanup.
        let number = if signal == "TERM" { 15 } else { 2 };
        assert_eq!(status.signal(), Some(number), "{status:?}");
        assert_eq!(listing(dir.path()), ["a.yaml", "out.json"], "SIG{signal}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out.json")).unwrap(),
            "old\n"
        );
    }
}

/// Starts `check -o out.json` paused after writing its temporary file
/// (test-only), waits for that file, and returns the process and the pid of
/// its worker (the supervisor's only child, `src/cli/supervise.rs`).
#[cfg(target_os = "linux")]
fn paused_write(dir: &Path) -> (std::process::Child, String) {
    std::fs::write(dir.join("a.yaml"), BROKEN).unwrap();
    std::fs::write(dir.join("out.json"), "old\n").unwrap();
    let child = Command::new(BIN)
        .current_dir(dir)
        .env("SPARKPLAN_INTERNAL_PAUSE_WRITE_TEST", "1")
        .args(["check", "a.yaml", "--format", "json", "-o", "out.json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the temporary file to appear (a condition, not a delay).
    let mut seen = false;
    for _ in 0..6000 {
        if listing(dir).iter().any(|n| n.ends_with(".tmp")) {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(seen, "no temporary file appeared");
    let children = format!("/proc/{0}/task/{0}/children", child.id());
    let worker = std::fs::read_to_string(children).unwrap();
    let worker = worker
        .split_whitespace()
        .next()
        .expect("a worker")
        .to_owned();
    (child, worker)
}

/// A worker killed outright (SIGKILL: what the kernel's out-of-memory
/// killer sends) is reported as an internal error, exit 2, naming the likely
/// cause, not a silent death.
#[cfg(target_os = "linux")]
#[test]
fn a_worker_killed_outright_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, worker) = paused_write(dir.path());
    assert!(
        Command::new("kill")
            .args(["-KILL", &worker])
            .status()
            .unwrap()
            .success()
    );
    let stdin = child.stdin.take();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: internal error in sparkplan "),
        "{err}"
    );
    assert!(
        err.contains("out of memory") && err.contains("out-of-memory killer"),
        "{err}"
    );
}

/// The supervisor killed outright (`kill -9`, a CI timeout) takes its worker
/// with it (a parent-death SIGTERM), and the worker's `-o` cleanup runs: no
/// orphan goes on writing and no temporary file is left.
#[cfg(target_os = "linux")]
#[test]
fn a_supervisor_killed_outright_leaves_no_worker_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, worker) = paused_write(dir.path());
    child.kill().unwrap();
    let stdin = child.stdin.take();
    let _ = child.wait().unwrap();
    // The worker is not our child: wait for its /proc entry to go.
    let proc = std::path::PathBuf::from(format!("/proc/{worker}"));
    for _ in 0..6000 {
        if !proc.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    drop(stdin);
    assert!(!proc.exists(), "the worker outlived its supervisor");
    assert_eq!(listing(dir.path()), ["a.yaml", "out.json"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).unwrap(),
        "old\n"
    );
}

/// Everything the worker prints on stderr reaches the caller unchanged, and
/// stdin and stdout are the process's own (`check -` style pipes, `lsp`).
#[test]
fn the_worker_is_transparent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), BROKEN).unwrap();
    let direct = Command::new(BIN)
        .current_dir(dir.path())
        .env("SPARKPLAN_INTERNAL_WORKER", "1")
        .env("NO_COLOR", "1")
        .args(["authorizations", "--ignore-errors", "a.yaml"])
        .output()
        .unwrap();
    let supervised = sparkplan(dir.path(), &["authorizations", "--ignore-errors", "a.yaml"]);
    assert_eq!(supervised.status.code(), Some(0));
    assert_eq!(supervised.status.code(), direct.status.code());
    assert_eq!(supervised.stdout, direct.stdout);
    assert_eq!(supervised.stderr, direct.stderr);
    assert!(!supervised.stdout.is_empty());
    assert!(
        stderr(&supervised).contains("error[SP003]"),
        "{}",
        stderr(&supervised)
    );
    // With stdout and stderr one file (`2>&1`), the order written is the
    // order seen: the errors (stderr) before the list (stdout).
    for _ in 0..10 {
        let merged = Command::new("sh")
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args([
                "-c",
                "exec \"$0\" authorizations --ignore-errors a.yaml 2>&1",
                BIN,
            ])
            .output()
            .unwrap();
        let mut expected = direct.stderr.clone();
        expected.extend_from_slice(&direct.stdout);
        assert_eq!(
            String::from_utf8_lossy(&merged.stdout),
            String::from_utf8_lossy(&expected)
        );
    }
}

/// `-o >(cmd)` (process substitution: `/dev/fd/63`, a pipe behind a
/// `/proc` link) and `-o /dev/fd/N` on a file opened by the shell.
#[cfg(target_os = "linux")]
#[test]
fn output_onto_a_descriptor_link_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    let has_bash = Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
        .is_ok_and(|s| s.success());
    if !has_bash {
        return;
    }
    let script = format!(
        "\"{BIN}\" check a.yaml -o >(cat > sub.txt) && \
         exec 5>fd5.txt && echo 'a much longer line than the report will ever be, and more' >&5 && \
         \"{BIN}\" check a.yaml -o /dev/fd/5; \
         code=$?; exec 5>&-; wait; exit $code"
    );
    let out = Command::new("bash")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The pipe's reader may finish after bash: wait for its output.
    let mut sub = String::new();
    for _ in 0..3000 {
        sub = std::fs::read_to_string(dir.path().join("sub.txt")).unwrap_or_default();
        if !sub.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(sub, "checked 1 file: no problems found\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fd5.txt")).unwrap(),
        "checked 1 file: no problems found\n"
    );
    assert_eq!(listing(dir.path()), ["a.yaml", "fd5.txt", "sub.txt"]);
}

/// A `SPARKPLAN_FORMAT` that is not UTF-8 is an error like any other
/// unknown value, not silently ignored.
#[cfg(unix)]
#[test]
fn non_utf8_sparkplan_format_is_exit_2() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env("SPARKPLAN_FORMAT", std::ffi::OsStr::from_bytes(b"\xff"))
        .args(["check", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: invalid SPARKPLAN_FORMAT"),
        "{}",
        stderr(&out)
    );
}
