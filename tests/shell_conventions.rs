//! What a command-line tool is expected to have: shell completions, a man
//! page, `--version` naming the build, and `init` for a new workspace.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_sparkplan");

fn sparkplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------
// completions

#[test]
fn bash_completions_pass_bash_n_and_complete_subcommands() {
    let o = sparkplan(here(), &["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sparkplan.bash");
    std::fs::write(&file, &script).unwrap();
    let n = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(n.status.success(), "bash -n: {}", stderr(&n));
    // Sourced, it registers a completion for `sparkplan` that offers the
    // subcommands and `check`'s formats.
    let probe = format!(
        "source {f}\ncomplete -p sparkplan\n\
         COMP_WORDS=(sparkplan ''); COMP_CWORD=1; COMP_LINE='sparkplan '; COMP_POINT=10\n\
         _sparkplan sparkplan '' sparkplan; echo \"${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(sparkplan check --format ''); COMP_CWORD=3\n\
         _sparkplan sparkplan '' --format; echo \"${{COMPREPLY[*]}}\"\n",
        f = file.display()
    );
    let o = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("complete "), "{out}{}", stderr(&o));
    for sub in ["check", "plan", "init", "completions", "manpage"] {
        assert!(
            lines[1].split(' ').any(|w| w == sub),
            "`{sub}` not offered: {}",
            lines[1]
        );
    }
    assert_eq!(lines[2], "human json github sarif gitlab");
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("zsh", "#compdef sparkplan"),
        ("fish", "complete -c sparkplan"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[sparkplan]"),
    ] {
        let o = sparkplan(here(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        assert!(stdout(&o).contains(marker), "{shell}: no `{marker}`");
    }
    let o = sparkplan(here(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// man page

#[test]
fn the_man_page_names_every_command() {
    let o = sparkplan(here(), &["manpage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    // Dated with the build date of `--version` (none without git and
    // SOURCE_DATE_EPOCH), and sourced with the whole version.
    let v = stdout(&sparkplan(here(), &["--version"]));
    let v = v.trim_end();
    let date = v
        .rsplit(' ')
        .next()
        .map(|d| d.trim_matches(['(', ')']))
        .filter(|d| sparkplan::model::Date::parse(d).is_some())
        .unwrap_or("");
    assert!(
        page.contains(&format!(".TH sparkplan 1 {date} \"{v}\"")),
        "{}",
        &page[..200]
    );
    for sub in [
        "check",
        "plan",
        "authorizations",
        "explain",
        "schema",
        "rules",
        "init",
    ] {
        assert!(page.contains(&format!("sparkplan\\-{sub}(1)")), "{sub}");
    }

    let dir = tempfile::tempdir().unwrap();
    let o = sparkplan(here(), &["manpage", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "sparkplan-authorizations.1",
            "sparkplan-check.1",
            "sparkplan-completions.1",
            "sparkplan-explain.1",
            "sparkplan-init.1",
            "sparkplan-lsp.1",
            "sparkplan-manpage.1",
            "sparkplan-plan.1",
            "sparkplan-rules.1",
            "sparkplan-schema.1",
            "sparkplan.1",
        ]
    );
    let check = std::fs::read_to_string(dir.path().join("sparkplan-check.1")).unwrap();
    assert!(check.contains("\\-\\-deny\\-warnings"), "{check}");
    assert!(check.contains(".TH sparkplan-check 1 "), "{check}");
    assert!(
        check.contains("\\fBsparkplan check\\fR [\\fB\\-\\-today"),
        "{check}"
    );
    // The same page as printed, byte for byte.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sparkplan.1")).unwrap(),
        page
    );
}

// ---------------------------------------------------------------------------
// --version

fn git(args: &[&str]) -> Option<String> {
    let o = Command::new("git")
        .args(args)
        .current_dir(here())
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8(o.stdout).unwrap().trim().to_owned())
}

#[test]
fn version_names_the_commit_and_its_date_when_built_from_git() {
    let o = sparkplan(here(), &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let v = stdout(&o);
    assert_eq!(stdout(&sparkplan(here(), &["-V"])), v);
    let plain = format!("sparkplan {}", env!("CARGO_PKG_VERSION"));
    let from_git = here().join(".git").exists() && git(&["rev-parse", "HEAD"]).is_some();
    if !from_git {
        assert_eq!(v, format!("{plain}\n"), "no git: the bare version");
        return;
    }
    // `sparkplan 0.1.0 (0123456789ab 2026-12-02)`: a commit of this
    // repository (the one built; HEAD may have moved since) and its date.
    let inner = v
        .strip_prefix(&format!("{plain} ("))
        .and_then(|r| r.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("{v}"));
    let (hash, date) = inner.split_once(' ').unwrap_or_else(|| panic!("{v}"));
    assert!(
        hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{v}"
    );
    let secs = git(&["log", "-1", "--format=%ct", hash]).unwrap_or_else(|| panic!("{hash}"));
    let commit_date = sparkplan::model::Date::parse("1970-01-01")
        .unwrap()
        .add_days(secs.parse::<i64>().unwrap().div_euclid(86_400));
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        assert_eq!(date, commit_date.to_string(), "{v}");
    } else {
        assert!(sparkplan::model::Date::parse(date).is_some(), "{v}");
    }
}

// ---------------------------------------------------------------------------
// init

/// Every path under `dir` with its kind, bytes and modification time.
fn listing(dir: &Path) -> BTreeMap<String, (bool, Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let bytes = if m.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            out.insert(rel, (m.is_dir(), bytes, m.modified().unwrap()));
            if m.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

#[test]
fn init_in_an_empty_folder_then_check_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = sparkplan(d, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().take(3).collect::<Vec<_>>(),
        [
            "created ./sparkplan.toml",
            "created ./.sparkplan/sparkplan.schema.json",
            "created ./manifests/accounts.yaml",
        ]
    );
    let check = sparkplan(d, &["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert_eq!(stdout(&check), "checked 1 file: no problems found\n");
    // No warnings either.
    let json = sparkplan(d, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    // `plan` runs too.
    let plan = sparkplan(d, &["plan"]);
    assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));

    // The manifest's modeline points at the schema init wrote, which is
    // this binary's schema.
    let manifest = std::fs::read_to_string(d.join("manifests/accounts.yaml")).unwrap();
    let first = manifest.lines().next().unwrap();
    let rel = first
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("a schema modeline on the first line");
    let schema = d.join("manifests").join(rel);
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        stdout(&sparkplan(d, &["schema"]))
    );
    // Commented: the reader is told what each part is.
    assert!(manifest.lines().filter(|l| l.contains('#')).count() >= 8);
    let config = std::fs::read_to_string(d.join("sparkplan.toml")).unwrap();
    assert!(config.lines().filter(|l| l.starts_with('#')).count() >= 4);
}

#[test]
fn init_creates_a_new_folder_and_accepts_a_bare_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let o = sparkplan(dir.path(), &["init", "new/ads"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("cd new/ads && sparkplan check"));
    let check = sparkplan(&dir.path().join("new/ads"), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    // `git init` first, then `sparkplan init`: `.git` alone is not in the way.
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let before = std::fs::read(repo.join(".git/HEAD")).unwrap();
    let o = sparkplan(dir.path(), &["init", "repo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(repo.join(".git/HEAD")).unwrap(), before);
    assert!(repo.join("sparkplan.toml").is_file());
}

#[test]
fn init_in_a_non_empty_folder_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One of init's own file names, holding something else, and an unrelated file.
    std::fs::write(d.join("sparkplan.toml"), "paths = [\"mine\"]\n").unwrap();
    std::fs::create_dir_all(d.join("manifests")).unwrap();
    std::fs::write(d.join("notes.txt"), "keep me\n").unwrap();
    let before_d = listing(d);
    let o = sparkplan(d, &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "error: `.` is not empty (it holds `manifests`, `notes.txt`, `sparkplan.toml`): \
         sparkplan init writes only into a new or empty folder, and changed nothing\n"
    );
    assert_eq!(listing(d), before_d);

    // A hidden file counts too.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join(".env"), "X=1\n").unwrap();
    let before = listing(other.path());
    let o = sparkplan(d, &["init", other.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(listing(other.path()), before);

    // A file where the folder should be.
    let o = sparkplan(d, &["init", "notes.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`notes.txt` exists and is not a folder"));
    assert_eq!(listing(d), before_d);
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "keep me\n"
    );
}
