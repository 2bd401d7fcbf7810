//! SPEC §6: every input gets diagnostics, never a panic, hang or stack
//! overflow. These tests run the real binary (so a stack overflow or panic
//! would show as a crash, not a test failure hidden by the harness) and
//! assert exact codes, exit statuses and 1-based lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

mod common;
use common::git;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sparkplan::workspace::{Candidate, LoadError, LoadOptions, load_files};

const BIN: &str = env!("CARGO_BIN_EXE_sparkplan");

/// Runs `sparkplan check --format json ARGS…` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap()
}

/// The (code, file, line, column) of every diagnostic of a JSON report.
fn diags(out: &Output) -> Vec<(String, String, u64, u64)> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap_or("").to_owned(),
                d["start"]["line"].as_u64().unwrap_or(0),
                d["start"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn codes(out: &Output) -> Vec<String> {
    diags(out).into_iter().map(|d| d.0).collect()
}

fn status(out: &Output) -> i32 {
    out.status.code().unwrap_or_else(|| {
        panic!(
            "killed by a signal (crash?); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

const VALID: &str =
    "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"7000000000000000001\"\n";

#[test]
fn valid_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stderr(&out));
    assert_eq!(status(&out), 0);
}

#[test]
fn file_over_configured_max_file_bytes_is_sp013() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_file_bytes = 64\n",
    );
    assert!(VALID.len() > 64);
    write(dir.path(), "big.yaml", VALID);
    write(dir.path(), "small.yaml", "sparkplan: 1\n");
    let out = run_in(dir.path(), &["."]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "big.yaml".to_owned(), 1, 1)]
    );
    assert_eq!(status(&out), 1);
    // Exactly at the limit is accepted.
    write(dir.path(), "big.yaml", &VALID[..64]);
    let out = run_in(dir.path(), &["small.yaml"]);
    assert_eq!(codes(&out), Vec::<String>::new());
}

#[test]
fn lowered_max_depth_is_sp013_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkplan.toml", "[limits]\nmax_depth = 4\n");
    // Depth 1: root map; 2: advertisers; 3: acme; 4: api; 5: nested (too deep).
    let text = "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\n    api:\n      nested:\n        deeper: 1\n";
    write(dir.path(), "deep.yaml", text);
    let out = run_in(dir.path(), &["deep.yaml"]);
    let d = diags(&out);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "SP013");
    assert_eq!(d[0].2, 7, "{d:?}");
    assert_eq!(status(&out), 1);
    // The same file passes the structural checks with the default depth.
    std::fs::remove_file(dir.path().join("sparkplan.toml")).unwrap();
    let out = run_in(dir.path(), &["deep.yaml"]);
    assert!(!codes(&out).contains(&"SP013".to_owned()), "{out:?}");
}

fn billion_laughs() -> String {
    let mut text = String::from(
        "sparkplan: 1\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("lol{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    text
}

#[test]
fn billion_laughs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = billion_laughs();
    write(dir.path(), "lol.yaml", &text);
    let out = run_in(dir.path(), &["lol.yaml"]);
    let d = diags(&out);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "SP013");
    // Long before 10^6 nodes (while expanding `lol5`, line 7), the file
    // passes 10 times its size with its aliases written out: on `lol2`.
    assert_eq!(d[0].2, 4, "{d:?}");
    assert_eq!(status(&out), 1);
}

#[test]
fn lowered_max_nodes_is_sp013() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkplan.toml", "[limits]\nmax_nodes = 20\n");
    let text = "sparkplan: 1\nlist: &x [1, 2, 3, 4, 5]\nmore: [*x, *x, *x]\n";
    write(dir.path(), "n.yaml", text);
    let out = run_in(dir.path(), &["n.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "n.yaml".to_owned(), 3, 12)]
    );
    assert_eq!(status(&out), 1);
}

#[test]
fn hundred_thousand_deep_flow_nesting_is_sp013_without_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("sparkplan: 1\nx: {}\n", "[".repeat(100_000));
    write(dir.path(), "flow_seq.yaml", &text);
    let text = format!("sparkplan: 1\nx: {}\n", "{a: ".repeat(100_000));
    write(dir.path(), "flow_map.yaml", &text);
    for f in ["flow_seq.yaml", "flow_map.yaml"] {
        let out = run_in(dir.path(), &[f]);
        let d = diags(&out);
        assert_eq!(d.len(), 1, "{f}: {d:?}");
        assert_eq!(d[0].0, "SP013", "{f}: {d:?}");
        assert_eq!(d[0].2, 2, "{f}: {d:?}");
        assert_eq!(status(&out), 1);
    }
}

#[test]
fn hundred_thousand_deep_block_nesting_is_sp013_without_overflow() {
    let dir = tempfile::tempdir().unwrap();
    // Compact nested block sequences: `- - - - …` on one line.
    let text = format!("sparkplan: 1\nx:\n{}a\n", "- ".repeat(100_000));
    write(dir.path(), "block_seq.yaml", &text);
    // Block mappings, one level per line (indentation grows, so fewer levels
    // fit in a sane file size; still far past any limit).
    let text: String = std::iter::once("sparkplan: 1\n".to_owned())
        .chain((0..3_000).map(|i| format!("{}k:\n", " ".repeat(i))))
        .collect();
    write(dir.path(), "block_map.yaml", &text);
    for f in ["block_seq.yaml", "block_map.yaml"] {
        let out = run_in(dir.path(), &[f]);
        let d = diags(&out);
        assert_eq!(d.len(), 1, "{f}: {d:?}");
        assert_eq!(d[0].0, "SP013", "{f}: {d:?}");
        assert_eq!(status(&out), 1);
    }
}

#[test]
fn deep_nesting_within_a_raised_limit_does_not_overflow() {
    // The largest configurable depth (1,000: larger values are a
    // configuration error) must be safe: the decoder, `api:` fields (converted to JSON values) and
    // drops recurse. A debug build overflowed its 8 MiB stack between 4,000
    // and 8,000 levels under `api:`.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkplan.toml", "[limits]\nmax_depth = 1000\n");
    let deep = |depth: usize| {
        format!(
            "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\n    api:\n      deep: {}1{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    // 4 levels of mappings above the flow sequences: 1,000 levels in all.
    write(dir.path(), "deep.yaml", deep(996));
    let out = run_in(dir.path(), &["deep.yaml"]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stderr(&out));
    assert_eq!(status(&out), 0);
    // Level 1,001: the 997th `[`, at column 12 + 997.
    write(dir.path(), "deeper.yaml", deep(997));
    let out = run_in(dir.path(), &["deeper.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "deeper.yaml".to_owned(), 6, 1009)]
    );
    write(dir.path(), "deepest.yaml", deep(20_000));
    let out = run_in(dir.path(), &["deepest.yaml"]);
    assert_eq!(codes(&out), vec!["SP013".to_owned()]);
    assert_eq!(status(&out), 1);
}

#[test]
fn bom_and_crlf_report_the_exact_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}sparkplan: 1\r\nadvertisers:\r\n  acme:\r\n    advertiser_id: \"7000000000000000001\"\r\n    bogus: 1\r\n";
    write(dir.path(), "crlf.yaml", text);
    let out = run_in(dir.path(), &["crlf.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP003".to_owned(), "crlf.yaml".to_owned(), 5, 5)]
    );
    assert_eq!(status(&out), 1);
    // A syntax error after a BOM and CRLF lines.
    let text = "\u{feff}sparkplan: 1\r\nadvertisers:\r\n  acme: [\r\n";
    write(dir.path(), "crlf.yaml", text);
    let out = run_in(dir.path(), &["crlf.yaml"]);
    // Reported at the unclosed bracket.
    assert_eq!(
        diags(&out),
        vec![("SP001".to_owned(), "crlf.yaml".to_owned(), 3, 9)]
    );
}

#[test]
fn tabs_are_diagnosed_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tabs.yaml",
        "sparkplan: 1\nadvertisers:\n\tacme:\n\t\tadvertiser_id: \"1\"\n",
    );
    let out = run_in(dir.path(), &["tabs.yaml"]);
    let d = diags(&out);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "SP001");
    assert_eq!(d[0].2, 3, "{d:?}");
    assert_eq!(status(&out), 1);
}

#[test]
fn invalid_utf8_is_sp013_at_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"sparkplan: 1\nadvertisers:\n  caf".to_vec();
    bytes.extend([0xE9, b':', b'\n']); // Latin-1 `é`
    write(dir.path(), "latin1.yaml", &bytes);
    let out = run_in(dir.path(), &["latin1.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "latin1.yaml".to_owned(), 3, 6)]
    );
    assert_eq!(status(&out), 1);
    // UTF-16 (a BOM and NUL bytes every other byte).
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain("sparkplan: 1\n".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    write(dir.path(), "utf16.yaml", &utf16);
    let out = run_in(dir.path(), &["utf16.yaml"]);
    assert_eq!(codes(&out), vec!["SP013".to_owned()]);
    assert_eq!(status(&out), 1);
}

#[test]
fn binary_files_named_explicitly_are_sp013() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nul.yaml", b"sparkplan: 1\n\0\0\0\0");
    let out = run_in(dir.path(), &["nul.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "nul.yaml".to_owned(), 2, 1)]
    );
    assert_eq!(status(&out), 1);
    // Pseudo-random bytes (a fixed LCG, so the test is reproducible).
    let mut x: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    write(dir.path(), "random.yaml", &bytes);
    let out = run_in(dir.path(), &["random.yaml"]);
    assert_eq!(codes(&out), vec!["SP013".to_owned()]);
    assert_eq!(status(&out), 1);
    // A PNG signature and header.
    write(
        dir.path(),
        "image.yaml",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
    );
    let out = run_in(dir.path(), &["image.yaml"]);
    assert_eq!(codes(&out), vec!["SP013".to_owned()]);
}

#[test]
fn binary_yaml_file_found_by_walking_is_skipped() {
    // A walked (not named) file that is not a manifest is not reported.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.yaml", VALID);
    write(dir.path(), "blob.yaml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = run_in(dir.path(), &["."]);
    assert_eq!(codes(&out), Vec::<String>::new());
    assert_eq!(status(&out), 0);
}

#[test]
fn empty_and_comment_only_files_named_explicitly_are_sp006() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.yaml", "");
    write(
        dir.path(),
        "comments.yaml",
        "# nothing here\n\n   # still nothing\n",
    );
    write(dir.path(), "bom.yaml", "\u{feff}");
    for f in ["empty.yaml", "comments.yaml", "bom.yaml"] {
        let out = run_in(dir.path(), &[f]);
        assert_eq!(
            diags(&out),
            vec![("SP006".to_owned(), f.to_owned(), 1, 1)],
            "{f}"
        );
        assert_eq!(status(&out), 1, "{f}");
    }
}

#[test]
fn multi_document_file_is_sp006_at_the_second_document() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "two.yaml",
        format!("{VALID}---\nsparkplan: 1\n"),
    );
    let out = run_in(dir.path(), &["two.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP006".to_owned(), "two.yaml".to_owned(), 5, 1)]
    );
    assert_eq!(status(&out), 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_a_walked_folder_is_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.yaml", VALID);
    std::os::unix::fs::symlink("..", dir.path().join("ws/sub_loop")).unwrap();
    let out = run_in(dir.path(), &["ws"]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ws/sub_loop"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn dangling_symlink_named_explicitly_is_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("dangling.yaml")).unwrap();
    let out = run_in(dir.path(), &["dangling.yaml"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("`dangling.yaml`"), "{}", stderr(&out));
}

#[test]
fn nonexistent_path_is_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    let out = run_in(dir.path(), &["a.yaml", "no/such/file.yaml"]);
    assert_eq!(status(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("`no/such/file.yaml`"), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_exit_2_naming_the_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "secret.yaml", VALID);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Running as root (CI containers): permissions do not stop reads.
        // On Linux, /proc/self/mem is a regular file whose read fails even
        // for root (EIO at offset 0).
        if cfg!(target_os = "linux") {
            let out = run_in(dir.path(), &["/proc/self/mem"]);
            assert_eq!(status(&out), 2, "{}", stderr(&out));
            assert!(
                stderr(&out).starts_with("error: cannot read `/proc/self/mem`: "),
                "{}",
                stderr(&out)
            );
        }
        return;
    }
    let out = run_in(dir.path(), &["secret.yaml"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("`secret.yaml`"), "{}", stderr(&out));
}

#[test]
fn file_deleted_after_discovery_is_a_read_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let here = write(dir.path(), "here.yaml", VALID);
    let candidates = vec![
        Candidate {
            display: "gone.yaml".to_owned(),
            path: dir.path().join("gone.yaml"),
            explicit: false,
        },
        Candidate {
            display: "here.yaml".to_owned(),
            path: here,
            explicit: false,
        },
    ];
    match load_files(&candidates, &LoadOptions::default()) {
        Err(e @ LoadError::Read { .. }) => {
            let msg = e.to_string();
            assert!(msg.starts_with("cannot read `gone.yaml`: "), "{msg}");
        }
        other => panic!("expected a read error, got {other:?}"),
    }
}

#[test]
fn did_you_mean_work_is_bounded() {
    // 1,100 posts and 1,000 references to misspelt posts: each suggestion
    // compares against every post name, so the work is bounded (1,000,000
    // comparisons per run) to keep huge workspaces from hanging; past the
    // bound SP008 is still reported, without "did you mean".
    use sparkplan::workspace::load_bytes;
    let mut text =
        String::from("sparkplan: 1\nadvertisers:\n  a:\n    advertiser_id: \"1\"\nposts:\n");
    for i in 0..1_100 {
        text.push_str(&format!(
            "  post_number_{i}: {{advertiser: a, video_code: \"#AAAAAAAAAA{i}\", authorized_until: \"2027-01-01\"}}\n"
        ));
    }
    text.push_str("campaigns:\n  c:\n    advertiser: a\n    type: smart_plus\n    objective: web_conversions\n    budget: {mode: daily, amount: 1}\n    ad_groups:\n      g:\n        schedule: {start: \"2026-12-01\", end: \"2026-12-02\"}\n        locations: [US]\n        ads:\n");
    let first_ref_line = text.lines().count() + 3;
    for a in 0..20 {
        text.push_str(&format!("          ad{a}:\n            creatives:\n"));
        for j in 0..50 {
            text.push_str(&format!(
                "              - post: post_numbr_{}\n",
                a * 50 + j
            ));
        }
    }
    let ws = load_bytes("many.yaml", text.as_bytes(), &LoadOptions::default());
    let sp008: Vec<_> = ws
        .diagnostics
        .iter()
        .filter(|d| d.code() == "SP008")
        .collect();
    assert_eq!(sp008.len(), 1_000);
    let with_help = sp008.iter().filter(|d| d.help.is_some()).count();
    assert_eq!(with_help, 1_000_000 / 1_100);
    // The first reference gets its suggestion.
    let first = ws
        .diagnostics
        .iter()
        .find(|d| d.code() == "SP008" && d.message == "undefined post `post_numbr_0`")
        .unwrap();
    assert_eq!(first.help.as_deref(), Some("did you mean `post_number_0`?"));
    let loc = ws.sources.location(first.primary_span().unwrap());
    assert_eq!(loc.line, first_ref_line);
}

#[test]
fn columns_on_long_lines_match_counting() {
    // Long lines mixing ASCII, multi-byte characters and BOMs: the
    // checkpointed column equals a plain count of the prefix.
    let mut text = String::from("\u{feff}");
    for i in 0..3000 {
        text.push_str(match i % 7 {
            0 => "é",
            1 => "😀",
            2 => "\u{feff}",
            3 if i % 700 == 3 => "\n",
            _ => "ab",
        });
    }
    let f = sparkplan::diag::SourceFile::new("a".into(), text.clone());
    for off in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
        let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..off]
            .chars()
            .filter(|&c| c != '\u{feff}')
            .count()
            + 1;
        let line = text[..off].matches('\n').count() + 1;
        assert_eq!(
            f.location(off),
            sparkplan::diag::Location { line, column: col },
            "{off}"
        );
    }
    let ascii = sparkplan::diag::SourceFile::new("b".into(), "x".repeat(5000));
    assert_eq!(
        ascii.location(4321),
        sparkplan::diag::Location {
            line: 1,
            column: 4322
        }
    );
}

#[cfg(unix)]
#[test]
fn self_referencing_symlink_named_explicitly_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("self.yaml", dir.path().join("self.yaml")).unwrap();
    let out = run_in(dir.path(), &["self.yaml"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("`self.yaml`"), "{}", stderr(&out));
}

#[test]
fn huge_sparse_file_is_refused_without_reading_it() {
    // 64 GiB of holes: only max_file_bytes + 1 bytes are read.
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(64 << 30).unwrap();
    drop(f);
    let out = run_in(dir.path(), &["huge.yaml"]);
    assert_eq!(
        diags(&out),
        vec![("SP013".to_owned(), "huge.yaml".to_owned(), 1, 1)]
    );
    assert_eq!(status(&out), 1);
}

#[cfg(unix)]
#[test]
fn fifo_is_never_read() {
    // A named pipe would block a reader forever: it is not a regular file,
    // so it is skipped when walking, and named explicitly it is refused
    // (exit 2, naming the path) rather than silently checking nothing.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.yaml", VALID);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("ws/pipe.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return; // no mkfifo on this system
    }
    let out = run_in(dir.path(), &["ws"]);
    assert_eq!(codes(&out), Vec::<String>::new());
    assert_eq!(status(&out), 0);
    let out = run_in(dir.path(), &["ws/pipe.yaml"]);
    assert_eq!(status(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ws/pipe.yaml"));
}

// Issue 14 (adversarial report): bounded memory by bytes, no hangs on
// special files, limits that make sense.

/// Runs `sparkplan check --format json ARGS…` in `dir` with its address
/// space capped at `mib` MiB (`ulimit -v`), so exhausting memory shows as a
/// failed allocation, not as a machine swapping.
#[cfg(unix)]
fn run_capped(dir: &Path, mib: u64, args: &[&str]) -> Output {
    let script = format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024);
    Command::new("sh")
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env("NO_COLOR", "1")
        .args(["-c", &script, BIN])
        .args(["check", "--format", "json", "--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap()
}

/// The adversarial report's `strbomb.yaml`: 500 KB, about 100,000 nodes
/// (within the size and node limits), but every alias copies a 100 KB
/// string: 10 GB once expanded. It used to abort (SIGABRT) at a 3 GB cap.
#[cfg(unix)]
#[test]
fn aliased_large_string_is_sp013_under_a_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("sparkplan: 1\n");
    text.push_str(&format!("a: &s \"{}\"\n", "x".repeat(100_000)));
    text.push_str(&format!("junk: [{}]\n", vec!["*s"; 100_000].join(", ")));
    write(dir.path(), "strbomb.yaml", &text);
    let out = run_capped(dir.path(), 1024, &["strbomb.yaml"]);
    assert_eq!(
        diags(&out),
        // The 45th alias takes it past 10 times the file's size (with the
        // anchor's own copy of the string).
        vec![("SP013".to_owned(), "strbomb.yaml".to_owned(), 3, 184)],
        "{}",
        stderr(&out)
    );
    assert_eq!(status(&out), 1);
    // With the node limit raised as far as it goes, the byte bound still
    // stops a billion laughs.
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_nodes = 18446744073709551615\n",
    );
    let mut laughs =
        String::from("sparkplan: 1\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        laughs.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    write(dir.path(), "laughs.yaml", &laughs);
    let out = run_capped(dir.path(), 1024, &["laughs.yaml"]);
    let d = diags(&out);
    assert_eq!(d.len(), 1, "{d:?} {}", stderr(&out));
    assert_eq!((d[0].0.as_str(), d[0].2), ("SP013", 4), "{d:?}");
    assert_eq!(status(&out), 1);
}

/// Anchors nested around a large string hold a copy each, without any
/// alias: 120 levels around 2 MiB needed 240 MiB and aborted under a 256 MiB
/// cap. The copies count toward the same bound as aliases.
#[cfg(unix)]
#[test]
fn nested_anchors_are_sp013_under_a_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "sparkplan: 1\na: {}\"{}\"{}\n",
        (0..120).map(|i| format!("&a{i} [")).collect::<String>(),
        "x".repeat(2 << 20),
        "]".repeat(120)
    );
    write(dir.path(), "nest.yaml", &text);
    let out = run_capped(dir.path(), 256, &["nest.yaml"]);
    assert_eq!(codes(&out), ["SP013"], "{}", stderr(&out));
    assert_eq!(status(&out), 1);
}

/// A file too large for the memory left is exit 2 naming it, not an abort:
/// its buffer is reserved fallibly before it is read.
#[cfg(unix)]
#[test]
fn file_larger_than_the_memory_left_is_exit_2_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_file_bytes = 4294967295\n",
    );
    // 3 GiB of holes: nothing is on disk, and 3 GiB cannot be reserved
    // under a 1 GiB address space.
    let f = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    f.set_len(3 << 30).unwrap();
    drop(f);
    let out = run_capped(dir.path(), 1024, &["big.yaml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`big.yaml`"), "{err}");
    assert!(err.contains("out of memory"), "{err}");
    assert!(!err.contains("memory allocation of"), "{err}");
}

/// Issue 14 item 1: memory exhausted anywhere, not only where sparkplan
/// reserves fallibly, is an internal error with exit 2 and what to do, never
/// an abort, the runtime's `memory allocation of N bytes failed` or a
/// backtrace. Here the adversarial report's `strbomb.yaml` with the alias
/// bounds lifted in `[limits]` (10 GB once expanded) meets a 1 GiB cap.
#[cfg(unix)]
#[test]
fn memory_exhausted_anywhere_is_an_internal_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_expansion = 18446744073709551615\nmax_expanded_bytes = 18446744073709551615\n",
    );
    let mut text = String::from("sparkplan: 1\n");
    text.push_str(&format!("a: &s \"{}\"\n", "x".repeat(100_000)));
    text.push_str(&format!("junk: [{}]\n", vec!["*s"; 100_000].join(", ")));
    write(dir.path(), "strbomb.yaml", &text);
    // stdout and stderr apart, then together (`2>&1`: one stream).
    for merge in ["", " 2>&1"] {
        let script = format!("ulimit -v 1048576; exec \"$0\" \"$@\"{merge}");
        let out = Command::new("sh")
            .current_dir(dir.path())
            .env("RUST_BACKTRACE", "1")
            .env("NO_COLOR", "1")
            .args(["-c", &script, BIN])
            .args(["check", "--format", "json", "strbomb.yaml"])
            .output()
            .unwrap();
        let err = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert_eq!(status(&out), 2, "{err}");
        assert!(
            err.starts_with("error: internal error in sparkplan ")
                && err
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains("out of memory (an allocation of ")),
            "{err}"
        );
        assert!(
            err.contains("`[limits]`") && err.contains("ulimit -v"),
            "{err}"
        );
        for raw in [
            "memory allocation of",
            "stack backtrace",
            "panicked",
            "Aborted",
        ] {
            assert!(!err.contains(raw), "{raw}: {err}");
        }
    }
}

#[test]
fn alias_expansion_limits_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    // A 200-byte anchor used 30 times: about 6 KB written out, 20 times
    // the file's size.
    let mut text = String::from(VALID);
    text.push_str(&format!("    api:\n      a: &s \"{}\"\n", "x".repeat(200)));
    text.push_str(&format!("      b: [{}]\n", vec!["*s"; 30].join(", ")));
    write(dir.path(), "a.yaml", &text);
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(codes(&out), ["SP013"], "{}", stderr(&out));
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_expansion = 30\n",
    );
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stderr(&out));
    // The absolute cap applies whatever the multiple.
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_expansion = 30\nmax_expanded_bytes = 4096\n",
    );
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(codes(&out), ["SP013"], "{}", stderr(&out));
}

#[test]
fn limits_that_refuse_everything_or_cannot_be_honoured_are_config_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    for (line, value) in [
        ("max_file_bytes = 0", "0"),
        ("max_file_bytes = 1", "1"),
        ("max_file_bytes = 4294967296", "4294967296"),
        ("max_depth = 0", "0"),
        ("max_depth = 100000000", "100000000"),
        ("max_nodes = 0", "0"),
        ("max_expansion = 0", "0"),
        ("max_expanded_bytes = 0", "0"),
    ] {
        write(dir.path(), "sparkplan.toml", format!("[limits]\n{line}\n"));
        let out = run_in(dir.path(), &["a.yaml"]);
        assert_eq!(status(&out), 2, "{line}: {}", stderr(&out));
        // Located at the value, on line 2.
        let d = diags(&out);
        assert_eq!(
            d,
            vec![(
                "SP004".to_owned(),
                "sparkplan.toml".to_owned(),
                2,
                u64::try_from(line.find(value).unwrap() + 1).unwrap()
            )],
            "{line}"
        );
    }
    // The bounds themselves are accepted.
    write(
        dir.path(),
        "sparkplan.toml",
        "[limits]\nmax_file_bytes = 128\nmax_depth = 1000\nmax_nodes = 16\nmax_expansion = 1\nmax_expanded_bytes = 64\n",
    );
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
}

/// Issue 15: every problem of `sparkplan.toml` at once, each at its line,
/// in file order: an unknown key (SP003), a wrong type or value (SP004) and a
/// TOML syntax error (SP001) do not hide each other.
#[test]
fn config_problems_are_reported_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    write(
        dir.path(),
        "sparkplan.toml",
        "expiry_days = 3\n\
         expiry_warning_days = \"7\"\n\
         [rules]\n\
         SP003 = \"loud\"\n\
         [limits]\n\
         max_deph = 64\n\
         max_nodes = 0\n\
         max_depth = 10 =\n",
    );
    let out = run_in(dir.path(), &["a.yaml"]);
    assert_eq!(status(&out), 2, "{}", stderr(&out));
    let at =
        |code: &str, line: u64, col: u64| (code.to_owned(), "sparkplan.toml".to_owned(), line, col);
    assert_eq!(
        diags(&out),
        vec![
            at("SP003", 1, 1),
            at("SP004", 2, 23),
            at("SP004", 4, 9),
            at("SP003", 6, 1),
            at("SP004", 7, 13),
            at("SP001", 8, 16),
        ]
    );
}

#[cfg(unix)]
fn mkfifo(p: &Path) -> bool {
    Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn config_that_is_a_fifo_a_device_or_huge_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    let mut cases = vec!["/dev/zero".to_owned(), "/dev/null".to_owned()];
    if mkfifo(&dir.path().join("fifo.toml")) {
        cases.push("fifo.toml".to_owned());
    }
    // A comment-only file past the 1 MiB limit.
    write(
        dir.path(),
        "huge.toml",
        format!("# {}\n", "c".repeat(2 << 20)),
    );
    cases.push("huge.toml".to_owned());
    for c in &cases {
        let out = run_in(dir.path(), &["a.yaml", "--config", c]);
        let err = stderr(&out);
        assert_eq!(status(&out), 2, "{c}: {err}");
        assert!(err.contains(&format!("`{c}`")), "{c}: {err}");
    }
    // A FIFO named `sparkplan.toml` in the workspace is an error too, not
    // "no configuration".
    if mkfifo(&dir.path().join("sparkplan.toml")) {
        let out = run_in(dir.path(), &["a.yaml"]);
        assert_eq!(status(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("sparkplan.toml"), "{}", stderr(&out));
    }
}

/// A file that turns into a FIFO between the walk and the read is refused,
/// not waited on: it is opened non-blocking and checked after opening.
#[cfg(unix)]
#[test]
fn file_that_became_a_fifo_after_the_walk_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.yaml", VALID);
    let pipe = dir.path().join("ws/p.yaml");
    write(dir.path(), "ws/p.yaml", VALID);
    // The walk saw a regular file...
    let candidates = sparkplan::workspace::discover(&[dir.path().join("ws")]).unwrap();
    assert_eq!(candidates.len(), 2);
    // ...which is a FIFO (with no writer) when it is read.
    std::fs::remove_file(&pipe).unwrap();
    if !mkfifo(&pipe) {
        return;
    }
    match load_files(&candidates, &LoadOptions::default()) {
        Err(LoadError::Read { path, source }) => {
            assert!(path.ends_with("ws/p.yaml"), "{path}");
            assert!(
                source.to_string().contains("not a regular file"),
                "{source}"
            );
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a FIFO was read"),
    }
}

#[test]
fn allow_warn_and_deny_apply_in_command_line_order() {
    let dir = tempfile::tempdir().unwrap();
    // SP003 (an unknown field), an error by default.
    write(
        dir.path(),
        "a.yaml",
        "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\n    bogus: 1\n",
    );
    let severity = |args: &[&str]| {
        let mut all = vec!["a.yaml"];
        all.extend_from_slice(args);
        let out = run_in(dir.path(), &all);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let d = doc["diagnostics"].as_array().unwrap();
        (
            d.first()
                .map(|d| d["severity"].as_str().unwrap().to_owned()),
            status(&out),
        )
    };
    assert_eq!(severity(&["-D", "SP003", "-A", "SP003"]), (None, 0));
    assert_eq!(
        severity(&["-A", "SP003", "-D", "SP003"]),
        (Some("error".to_owned()), 1)
    );
    assert_eq!(
        severity(&["-D", "SP003", "-W", "SP003"]),
        (Some("warning".to_owned()), 0)
    );
    assert_eq!(
        severity(&["--warn=SP003", "--allow", "SP002,SP003"]).0,
        None
    );
    assert_eq!(
        severity(&["-A", "SP003", "--deny", "unknown-field"]).0,
        Some("error".to_owned())
    );
}

// Issue 14 item 5: names shown as they are.

fn run_format(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env("NO_COLOR", "1")
        .args(["check", "--format", format, "--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn backslashes_stay_and_control_characters_are_escaped_in_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let bad = |name: &str| {
        format!("sparkplan: 1\nadvertisers:\n  {name}:\n    advertiser_id: \"1\"\n    bogus: 1\n")
    };
    write(dir.path(), "ws/back\\slash.yaml", bad("one"));
    write(dir.path(), "ws/esc\u{1b}[31mred.yaml", bad("two"));
    let d = diags(&run_in(dir.path(), &["ws"]));
    let files: Vec<&str> = d.iter().map(|d| d.1.as_str()).collect();
    // JSON carries the name exactly (escaped by JSON itself).
    assert_eq!(files, ["ws/back\\slash.yaml", "ws/esc\u{1b}[31mred.yaml"]);
    for format in ["human", "github"] {
        let out = run_format(dir.path(), format, &["ws"]);
        assert!(!out.contains('\u{1b}'), "{format}: raw ESC in {out:?}");
        assert!(out.contains("ws/esc\\u{1b}[31mred.yaml"), "{format}: {out}");
        assert!(out.contains("ws/back\\slash.yaml"), "{format}: {out}");
    }
}

fn plan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env("NO_COLOR", "1")
        .args(["plan", "--today", "2026-11-29"])
        .args(args)
        .output()
        .unwrap()
}

/// `--base HEAD` in a repository whose path is not UTF-8 works (it used to
/// say "neither a folder nor a git commit").
#[cfg(target_os = "linux")]
#[test]
fn base_revision_in_a_repository_at_a_non_utf8_path() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join(std::ffi::OsStr::from_bytes(b"repo\xff"));
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&repo, "ws/a.yaml", VALID);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let out = plan_in(&repo, &["ws", "--base", "HEAD"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(text.contains("sparkplan plan against `HEAD`"), "{text}");
    assert!(text.contains("No changes"), "{text}");
    // A non-UTF-8 folder given as `--base` is a folder too.
    let base = dir.path().join(std::ffi::OsStr::from_bytes(b"base\xfe"));
    write(&base, "a.yaml", VALID);
    let out = Command::new(BIN)
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .args(["plan", "--today", "2026-11-29", "ws", "--base"])
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No changes"));
}

/// A folder and a git revision of the same name: the folder is used, and
/// the plan says so.
#[test]
fn base_folder_named_like_a_branch_wins_and_the_plan_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    write(repo, "ws/a.yaml", VALID);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["branch", "posts"]);
    // The folder `posts` holds nothing: from it, everything is added.
    std::fs::create_dir(repo.join("posts")).unwrap();
    let out = plan_in(repo, &["ws", "--base", "posts"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.starts_with(
            "sparkplan plan against `posts (the folder, not the git revision of that name)`"
        ),
        "{text}"
    );
    assert!(!text.contains("No changes"), "{text}");
    // A folder that is no revision is named as before.
    std::fs::create_dir(repo.join("empty")).unwrap();
    let out = plan_in(repo, &["ws", "--base", "empty"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("sparkplan plan against `empty` "),
        "{text}"
    );
}
