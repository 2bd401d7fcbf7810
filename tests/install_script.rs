//! `scripts/install.sh` (what the GitHub Action and `curl | bash` users run)
//! against a fake release served from a folder through
//! `SPARKPLAN_RELEASE_BASE`: a good checksum installs, a bad one installs
//! nothing, a missing asset is exit 3 (the Action then builds from source).
//! Also: the scripts stay within bash 3.2 (macOS runners), which this machine
//! cannot run, so the constructs newer bash added are refused by reading them.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sparkplan::diag::FileId;
use sparkplan::syntax::{self, Limits, Node};

const TARGET: &str = "x86_64-unknown-linux-musl";

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// A release folder laid out like GitHub's URLs:
/// `BASE/download/vX.Y.Z/ASSET` and `BASE/latest/download/ASSET`.
struct FakeRelease {
    dir: tempfile::TempDir,
}

impl FakeRelease {
    fn new() -> Self {
        FakeRelease {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn base(&self) -> PathBuf {
        self.dir.path().join("releases")
    }

    /// Publishes an archive for `target` whose `sparkplan` prints `version`;
    /// returns the archive's path. `checksum` overrides the `.sha256` contents.
    fn publish(&self, tag: &str, target: &str, version: &str, checksum: Option<&str>) -> PathBuf {
        let folder = if tag == "latest" {
            self.base().join("latest/download")
        } else {
            self.base().join("download").join(tag)
        };
        std::fs::create_dir_all(&folder).unwrap();
        let stage = self.dir.path().join(format!("stage-{tag}-{target}"));
        let pkg = stage.join(format!("sparkplan-{target}"));
        std::fs::create_dir_all(&pkg).unwrap();
        let bin = pkg.join("sparkplan");
        std::fs::write(&bin, format!("#!/bin/sh\necho 'sparkplan {version}'\n")).unwrap();
        assert!(
            Command::new("chmod")
                .arg("755")
                .arg(&bin)
                .status()
                .unwrap()
                .success()
        );
        let asset = format!("sparkplan-{target}.tar.gz");
        let archive = folder.join(&asset);
        let ok = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&stage)
            .arg(format!("sparkplan-{target}"))
            .status()
            .unwrap();
        assert!(ok.success());
        let sum = checksum
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}  {asset}\n", sha256(&archive)));
        std::fs::write(folder.join(format!("{asset}.sha256")), sum).unwrap();
        archive
    }
}

struct Run {
    code: i32,
    stderr: String,
    installed: PathBuf,
    _to: tempfile::TempDir,
}

fn install(base: &str, args: &[&str], path_prefix: Option<&Path>) -> Run {
    let to_dir = tempfile::tempdir().unwrap();
    let to = to_dir.path().to_path_buf();
    let mut c = Command::new("bash");
    c.arg(repo("scripts/install.sh"))
        .args(args)
        .arg("--to")
        .arg(&to)
        .env("SPARKPLAN_RELEASE_BASE", base)
        .env_remove("SPARKPLAN_VERSION")
        .env_remove("SPARKPLAN_TARGET")
        .env_remove("SPARKPLAN_INSTALL_DIR");
    if let Some(p) = path_prefix {
        let path = std::env::var("PATH").unwrap_or_default();
        c.env("PATH", format!("{}:{path}", p.display()));
    }
    let o: Output = c.output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8(o.stderr).unwrap(),
        installed: to.join("sparkplan"),
        _to: to_dir,
    }
}

fn run_installed(p: &Path) -> String {
    let o = Command::new(p).arg("--version").output().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_good_checksum_installs_the_binary() {
    let rel = FakeRelease::new();
    rel.publish("v1.2.3", TARGET, "1.2.3", None);
    let base = rel.base().display().to_string();
    for version in ["1.2.3", "v1.2.3"] {
        let r = install(&base, &["--version", version, "--target", TARGET], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("checksum verified"), "{}", r.stderr);
        assert_eq!(run_installed(&r.installed), "sparkplan 1.2.3\n");
    }
}

#[test]
fn a_bad_checksum_fails_and_installs_nothing() {
    let rel = FakeRelease::new();
    let wrong = format!("{}  sparkplan-{TARGET}.tar.gz\n", "0".repeat(64));
    rel.publish("v1.2.3", TARGET, "1.2.3", Some(&wrong));
    let r = install(
        &rel.base().display().to_string(),
        &["--version", "1.2.3", "--target", TARGET],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("checksum mismatch"), "{}", r.stderr);
    assert!(!r.installed.exists());
    assert_eq!(
        std::fs::read_dir(r.installed.parent().unwrap())
            .unwrap()
            .count(),
        0,
        "nothing is left in the install folder"
    );
}

#[test]
fn a_tampered_archive_fails_against_its_published_checksum() {
    let rel = FakeRelease::new();
    let archive = rel.publish("v1.2.3", TARGET, "1.2.3", None);
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let r = install(
        &rel.base().display().to_string(),
        &["--version", "1.2.3", "--target", TARGET],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("checksum mismatch"), "{}", r.stderr);
    assert!(!r.installed.exists());
}

#[test]
fn a_missing_checksum_file_fails() {
    let rel = FakeRelease::new();
    rel.publish("v1.2.3", TARGET, "1.2.3", None);
    std::fs::remove_file(
        rel.base()
            .join(format!("download/v1.2.3/sparkplan-{TARGET}.tar.gz.sha256")),
    )
    .unwrap();
    let r = install(
        &rel.base().display().to_string(),
        &["--version", "1.2.3", "--target", TARGET],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unverified"), "{}", r.stderr);
    assert!(!r.installed.exists());
}

#[test]
fn a_missing_asset_is_exit_3() {
    let rel = FakeRelease::new();
    rel.publish("v1.2.3", TARGET, "1.2.3", None);
    let base = rel.base().display().to_string();
    // A version that was never released.
    let r = install(&base, &["--version", "9.9.9", "--target", TARGET], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("no sparkplan-"), "{}", r.stderr);
    assert!(!r.installed.exists());
    // A release without a binary for this machine.
    let r = install(
        &base,
        &["--version", "1.2.3", "--target", "aarch64-apple-darwin"],
        None,
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.installed.exists());
}

#[test]
fn latest_and_file_urls() {
    let rel = FakeRelease::new();
    rel.publish("latest", TARGET, "2.0.0", None);
    let url = format!("file://{}", rel.base().display());
    let r = install(&url, &["--target", TARGET], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(run_installed(&r.installed), "sparkplan 2.0.0\n");
}

#[test]
fn bad_usage_is_exit_2() {
    let r = install("/nonexistent", &["--frobnicate"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("unknown argument"), "{}", r.stderr);
}

/// The machine's target comes from `uname`: a fake `uname` first on PATH
/// plays each platform the release workflow builds for.
#[test]
fn the_target_follows_uname() {
    let rel = FakeRelease::new();
    let cases = [
        ("Linux", "x86_64", Some("x86_64-unknown-linux-musl")),
        ("Linux", "aarch64", Some("aarch64-unknown-linux-musl")),
        ("Darwin", "x86_64", Some("x86_64-apple-darwin")),
        ("Darwin", "arm64", Some("aarch64-apple-darwin")),
        ("Linux", "armv7l", None),
        ("FreeBSD", "amd64", None),
    ];
    for (_, _, target) in &cases {
        if let Some(t) = target {
            rel.publish("v1.0.0", t, t, None);
        }
    }
    let base = rel.base().display().to_string();
    for (os, arch, target) in cases {
        let fake = tempfile::tempdir().unwrap();
        let uname = fake.path().join("uname");
        std::fs::write(
            &uname,
            format!("#!/bin/sh\ncase \"$1\" in -s) echo {os};; -m) echo {arch};; esac\n"),
        )
        .unwrap();
        assert!(
            Command::new("chmod")
                .arg("755")
                .arg(&uname)
                .status()
                .unwrap()
                .success()
        );
        let r = install(&base, &["--version", "1.0.0"], Some(fake.path()));
        match target {
            Some(t) => {
                assert_eq!(r.code, 0, "{os} {arch}: {}", r.stderr);
                assert_eq!(run_installed(&r.installed), format!("sparkplan {t}\n"));
            }
            None => {
                assert_eq!(r.code, 3, "{os} {arch}: {}", r.stderr);
                assert!(r.stderr.contains("cargo install --locked"), "{}", r.stderr);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The Action's download step around the script.

fn action_step(id: &str) -> String {
    let src = std::fs::read_to_string(repo("action.yml")).unwrap();
    let parsed = syntax::parse(FileId(0), &src, &Limits::default());
    assert!(parsed.diagnostics.is_empty());
    let root: Node = parsed.root.unwrap();
    let steps = root.get("runs").unwrap().get("steps").unwrap();
    let step = steps
        .as_seq()
        .unwrap()
        .iter()
        .find(|s| {
            s.get("id")
                .and_then(|i| i.as_scalar())
                .is_some_and(|i| i.text == id)
        })
        .unwrap_or_else(|| panic!("no step `{id}`"));
    step.get("run")
        .and_then(|r| r.as_scalar())
        .unwrap()
        .text
        .clone()
}

/// Runs the Action's `download` step as the runner would: the action's own
/// checkout is this repository, the release a fake one.
fn download_step(base: &Path, version: &str) -> (i32, String, PathBuf, tempfile::TempDir) {
    let work_dir = tempfile::tempdir().unwrap();
    let work = work_dir.path();
    let out = work.join("github_output");
    std::fs::write(&out, "").unwrap();
    let dir = work.join("tool/sparkplan").join(version).join("X64/bin");
    let o = Command::new("bash")
        .arg("-c")
        .arg(action_step("download"))
        .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
        .env("GITHUB_OUTPUT", &out)
        .env("SPARKPLAN_VERSION", version)
        .env("SPARKPLAN_INSTALL_DIR", &dir)
        .env("SPARKPLAN_TARGET", TARGET)
        .env("SPARKPLAN_RELEASE_BASE", base)
        .output()
        .unwrap();
    let code = o.status.code().unwrap_or(-1);
    (code, std::fs::read_to_string(&out).unwrap(), dir, work_dir)
}

#[test]
fn the_action_downloads_and_verifies_and_builds_only_without_a_binary() {
    let rel = FakeRelease::new();
    rel.publish("v1.2.3", TARGET, "1.2.3", None);
    let wrong = format!("{}  sparkplan-{TARGET}.tar.gz\n", "f".repeat(64));
    rel.publish("v6.6.6", TARGET, "6.6.6", Some(&wrong));

    let (code, output, dir, _w) = download_step(&rel.base(), "1.2.3");
    assert_eq!(code, 0);
    assert_eq!(output, "", "no build needed");
    assert_eq!(run_installed(&dir.join("sparkplan")), "sparkplan 1.2.3\n");

    let (code, output, dir, _w) = download_step(&rel.base(), "6.6.6");
    assert_eq!(code, 1, "a checksum mismatch fails the step");
    assert_eq!(output, "", "and does not fall back to a build");
    assert!(!dir.join("sparkplan").exists());

    let (code, output, _, _w) = download_step(&rel.base(), "4.5.6");
    assert_eq!(code, 0);
    assert_eq!(output, "build=true\n", "no binary: build from source");
}

// ---------------------------------------------------------------------------
// bash 3.2

/// The shell the Action and the scripts run: every script file and every
/// `run:` of action.yml.
fn shell_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in ["scripts/install.sh", "scripts/build-release.sh"] {
        out.push((f.to_owned(), std::fs::read_to_string(repo(f)).unwrap()));
    }
    for id in ["resolve", "download", "path", "check"] {
        out.push((format!("action.yml step {id}"), action_step(id)));
    }
    out
}

/// Constructs bash 3.2 lacks (or, for arrays, mishandles under `set -u`).
fn bash4_constructs(src: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if code.trim_start().starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}: {}", n + 1, line.trim());
        for (needle, what) in [
            ("declare -A", "associative arrays (bash 4)"),
            ("local -A", "associative arrays (bash 4)"),
            ("mapfile", "mapfile (bash 4)"),
            ("readarray", "readarray (bash 4)"),
            (",,}", "case conversion (bash 4)"),
            ("^^}", "case conversion (bash 4)"),
            ("|&", "|& (bash 4)"),
            ("&>>", "&>> (bash 4)"),
            ("coproc", "coproc (bash 4)"),
            ("declare -n", "namerefs (bash 4.3)"),
            ("local -n", "namerefs (bash 4.3)"),
            ("${EPOCHSECONDS", "EPOCHSECONDS (bash 5)"),
        ] {
            if code.contains(needle) {
                found.push(bad(what));
            }
        }
        // `"${a[@]}"` is an unbound variable on bash < 4.4 when `a` is empty
        // under `set -u`: only `${a[@]+"${a[@]}"}` is allowed.
        let mut rest = code;
        while let Some(i) = rest.find("\"${") {
            let tail = &rest[i + 3..];
            let name_end = tail.find('[').unwrap_or(0);
            let is_all = tail[name_end..].starts_with("[@]}\"");
            // `${#a[@]}` (the count) is fine on an empty array.
            let is_count = tail.starts_with('#');
            let guarded = rest[..i].ends_with("[@]+");
            if name_end > 0 && is_all && !guarded && !is_count {
                found.push(bad("array expansion without the `${a[@]+...}` guard"));
            }
            rest = &rest[i + 3..];
        }
    }
    found
}

#[test]
fn scripts_stay_within_bash_3_2() {
    let sources = shell_sources();
    assert_eq!(sources.len(), 6);
    let mut problems = Vec::new();
    for (what, src) in &sources {
        for p in bash4_constructs(src) {
            problems.push(format!("{what}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The checker finds what it is meant to find.
    let probe = "set -u\ndeclare -A m\necho \"${a[@]}\"\necho ${a[@]+\"${a[@]}\"}\nx=${y,,}\n";
    assert_eq!(
        bash4_constructs(probe).len(),
        3,
        "{:?}",
        bash4_constructs(probe)
    );
}

#[test]
fn scripts_parse_with_bash_n() {
    for (what, src) in shell_sources() {
        let o = Command::new("bash")
            .arg("-n")
            .arg("-c")
            .arg(&src)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

// ---------------------------------------------------------------------------
// The release workflow, the build script, the installer and cargo-binstall
// agree on targets and asset names.

fn yaml(rel: &str) -> Node {
    let src = std::fs::read_to_string(repo(rel)).unwrap();
    let parsed = syntax::parse(FileId(0), &src, &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{rel}");
    parsed.root.unwrap()
}

fn scalar<'a>(n: &'a Node, key: &str) -> &'a str {
    n.get(key)
        .and_then(|v| v.as_scalar())
        .map(|s| s.text.as_str())
        .unwrap_or_else(|| panic!("no `{key}`"))
}

#[test]
fn release_workflow_builds_every_installable_target_with_the_one_script() {
    let wf = yaml(".github/workflows/release.yml");
    let build = wf.get("jobs").unwrap().get("build").unwrap();
    let include = build
        .get("strategy")
        .unwrap()
        .get("matrix")
        .unwrap()
        .get("include")
        .unwrap()
        .as_seq()
        .unwrap();
    let mut targets: Vec<&str> = include.iter().map(|e| scalar(e, "target")).collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-musl",
        ]
    );
    // The build step runs the script, and so does .ci/run (for its own target).
    let runs: Vec<&str> = build
        .get("steps")
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .filter_map(|s| s.get("run").and_then(|r| r.as_scalar()))
        .map(|s| s.text.as_str())
        .collect();
    let builds: Vec<&&str> = runs
        .iter()
        .filter(|r| r.contains("cargo ") || r.contains("build-release"))
        .collect();
    assert_eq!(builds.len(), 1, "{builds:?}");
    assert!(builds[0].contains("bash scripts/build-release.sh \"$TARGET\" dist"));
    let ci = std::fs::read_to_string(repo(".ci/run")).unwrap();
    assert!(ci.contains("bash scripts/build-release.sh x86_64-unknown-linux-gnu "));
    assert!(
        !ci.contains("cargo run --locked --release"),
        "one release build"
    );

    // Every target the installer can pick is built.
    let install = std::fs::read_to_string(repo("scripts/install.sh")).unwrap();
    let mut picked: Vec<&str> = install
        .lines()
        .filter_map(|l| l.split(") echo ").nth(1))
        .map(|t| t.trim_end_matches(" ;;").trim())
        .collect();
    picked.sort();
    assert_eq!(picked, targets);

    // cargo-binstall's URL and folder are the script's names.
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo("Cargo.toml")).unwrap()).unwrap();
    let bi = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(
        bi["pkg-url"].as_str().unwrap(),
        "{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }"
    );
    assert_eq!(
        bi["bin-dir"].as_str().unwrap(),
        "{ name }-{ target }/{ bin }{ binary-ext }"
    );
    assert_eq!(bi["pkg-fmt"].as_str().unwrap(), "tgz");
    assert_eq!(
        bi["overrides"]["x86_64-pc-windows-msvc"]["pkg-fmt"]
            .as_str()
            .unwrap(),
        "zip"
    );
    let script = std::fs::read_to_string(repo("scripts/build-release.sh")).unwrap();
    assert!(script.contains("name=\"sparkplan-$target\""));
    assert!(script.contains("archive=\"$name.$ext\""));
    assert!(script.contains("*-windows-*) exe=.exe; ext=zip ;;"));
}
