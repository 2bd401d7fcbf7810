//! The CI recipes users copy (`action.yml`, `.pre-commit-hooks.yaml`, the
//! YAML blocks and commands of `docs/ci.md`) stay in step with the real CLI:
//! they parse with sparkplan's own YAML layer, and every flag they pass to
//! `sparkplan` is one the binary accepts (checked against its `--help`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use sparkplan::diag::FileId;
use sparkplan::syntax::{self, Limits, Node, Resolved};

const BIN: &str = env!("CARGO_BIN_EXE_sparkplan");

/// Subcommands of SPEC §5 that may not be merged on every branch yet: their
/// flags are checked as soon as `<sub> --help` succeeds.
const MAYBE_MISSING: &[&str] = &["plan", "schema"];

fn repo_file(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Parses YAML with the project's own layer; fails on any diagnostic.
fn parse_clean(what: &str, text: &str) -> Node {
    let parsed = syntax::parse(FileId(0), text, &Limits::default());
    let codes: Vec<(&str, &str)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code(), d.message.as_str()))
        .collect();
    assert!(codes.is_empty(), "{what}: diagnostics {codes:?}");
    parsed
        .root
        .unwrap_or_else(|| panic!("{what}: empty document"))
}

fn text<'a>(node: &'a Node, what: &str) -> &'a str {
    node.as_scalar()
        .map(|s| s.text.as_str())
        .unwrap_or_else(|| panic!("{what}: expected a scalar, found a {}", node.type_name()))
}

fn field<'a>(node: &'a Node, key: &str) -> &'a Node {
    node.get(key)
        .unwrap_or_else(|| panic!("missing key `{key}`"))
}

// ---------------------------------------------------------------------------
// The CLI's own description of its flags.

/// One subcommand's options, read from `sparkplan <sub> --help`.
#[derive(Debug, Default)]
struct Help {
    /// `-o`, `--output-file`, `--format`, …
    flags: BTreeSet<String>,
    /// For flags with `[possible values: …]`: those values (under every spelling of the flag).
    values: BTreeMap<String, Vec<String>>,
}

fn help(sub: &str) -> Option<Help> {
    let out = Command::new(BIN).args([sub, "--help"]).output().unwrap();
    if !out.status.success() {
        return None;
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut h = Help::default();
    for line in stdout.lines() {
        let line = line.trim_start();
        if !line.starts_with('-') {
            continue;
        }
        // `-o, --output-file <FILE>  Write …`: the leading dash-tokens are the spellings.
        let spellings: Vec<String> = line
            .split_whitespace()
            .map(|t| t.trim_end_matches(','))
            .take_while(|t| t.starts_with('-'))
            .map(|t| t.split('=').next().unwrap_or(t).to_owned())
            .collect();
        let values = line.split_once("[possible values: ").map(|(_, rest)| {
            rest.split(']')
                .next()
                .unwrap_or("")
                .split(", ")
                .map(str::to_owned)
                .collect::<Vec<_>>()
        });
        for s in spellings {
            if let Some(v) = &values {
                h.values.insert(s.clone(), v.clone());
            }
            h.flags.insert(s);
        }
    }
    assert!(
        h.flags.contains("--help"),
        "`{sub} --help` lists no options:\n{stdout}"
    );
    Some(h)
}

struct Helps(BTreeMap<String, Option<Help>>);

impl Helps {
    fn new() -> Self {
        Helps(BTreeMap::new())
    }

    fn get(&mut self, sub: &str) -> Option<&Help> {
        self.0
            .entry(sub.to_owned())
            .or_insert_with(|| help(sub))
            .as_ref()
    }
}

// ---------------------------------------------------------------------------
// Finding `sparkplan <sub> …` in scripts and prose.

#[derive(Debug)]
struct Invocation {
    sub: String,
    /// Flags with the token that follows them (a value, when the flag takes one).
    flags: Vec<(String, Option<String>)>,
    /// 1-based line in the source text, for messages.
    line: usize,
}

const SUBCOMMANDS: &[&str] = &[
    "check",
    "plan",
    "authorizations",
    "schema",
    "explain",
    "rules",
    "init",
    "completions",
    "manpage",
];

/// Every `sparkplan <subcommand> …` in `text`: the tokens up to the end of the
/// (backslash-continued) line, a pipe, `;`, `&`, `)`, a backtick or a comment.
fn invocations(text: &str) -> Vec<Invocation> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let first = i;
        let mut logical = String::new();
        loop {
            let l = lines[i];
            match l.trim_end().strip_suffix('\\') {
                Some(head) if i + 1 < lines.len() => {
                    logical.push_str(head);
                    logical.push(' ');
                    i += 1;
                }
                _ => {
                    logical.push_str(l);
                    i += 1;
                    break;
                }
            }
        }
        find_in_line(&logical, first + 1, &mut out);
    }
    out
}

fn find_in_line(line: &str, lineno: usize, out: &mut Vec<Invocation>) {
    let word_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.');
    let mut from = 0;
    while let Some(pos) = line[from..].find("sparkplan") {
        let start = from + pos;
        from = start + "sparkplan".len();
        if line[..start].chars().next_back().is_some_and(word_char) {
            continue;
        }
        let rest = &line[from..];
        let after = rest.trim_start_matches([' ', '\t']);
        if after.len() == rest.len() {
            continue; // `sparkplan` must be followed by blanks and a subcommand
        }
        let sub: String = after
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        let tail = &after[sub.len()..];
        if !SUBCOMMANDS.contains(&sub.as_str()) || tail.chars().next().is_some_and(word_char) {
            continue;
        }
        let end = tail
            .find(['|', ';', '&', ')', '`', '\n'])
            .unwrap_or(tail.len());
        let mut args = &tail[..end];
        if let Some(c) = args.find(" #") {
            args = &args[..c];
        }
        let tokens: Vec<String> = args
            .split_whitespace()
            .map(|t| t.trim_matches(|c| c == '"' || c == '\'').to_owned())
            .collect();
        let mut flags = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            if t == "--" {
                break; // everything after is a path
            }
            if t.len() > 1 && t.starts_with('-') {
                let (name, inline) = match t.split_once('=') {
                    Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                    None => (t.clone(), tokens.get(k + 1).cloned()),
                };
                flags.push((name, inline));
            }
        }
        out.push(Invocation {
            sub,
            flags,
            line: lineno,
        });
    }
}

/// A value written literally (not a variable or a placeholder).
fn literal(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !v.starts_with('-')
}

/// What [`check_invocations`] found.
#[derive(Debug, Default)]
struct Checked {
    /// Flags checked.
    flags: usize,
    /// Subcommands not checked because they do not exist yet.
    skipped: BTreeSet<String>,
    /// Flags or values the CLI does not accept.
    problems: Vec<String>,
}

/// Checks every flag (and every literal value of a flag with possible
/// values) of `invs` against the subcommand's `--help`.
fn check_invocations(what: &str, invs: &[Invocation], helps: &mut Helps) -> Checked {
    let mut r = Checked::default();
    for inv in invs {
        let Some(h) = helps.get(&inv.sub) else {
            if MAYBE_MISSING.contains(&inv.sub.as_str()) {
                r.skipped.insert(inv.sub.clone());
            } else {
                r.problems.push(format!(
                    "{what}:{}: `sparkplan {} --help` fails",
                    inv.line, inv.sub
                ));
            }
            continue;
        };
        for (flag, value) in &inv.flags {
            r.flags += 1;
            if !h.flags.contains(flag) {
                r.problems.push(format!(
                    "{what}:{}: `sparkplan {}` does not accept `{flag}`; it accepts {:?}",
                    inv.line, inv.sub, h.flags
                ));
                continue;
            }
            if let (Some(allowed), Some(v)) = (h.values.get(flag), value)
                && literal(v)
                && !allowed.contains(v)
            {
                r.problems.push(format!(
                    "{what}:{}: `sparkplan {} {flag} {v}`: not one of {allowed:?}",
                    inv.line, inv.sub
                ));
            }
        }
    }
    r
}

fn checked_clean(what: &str, invs: &[Invocation], helps: &mut Helps) -> Checked {
    let r = check_invocations(what, invs, helps);
    assert!(r.problems.is_empty(), "{}", r.problems.join("\n"));
    r
}

#[test]
fn invocation_scanner_finds_flags_and_stops_at_shell_syntax() {
    let invs = invocations(
        "run: sparkplan check --format sarif -o out.sarif || [ $? -eq 1 ]\n\
         see `sparkplan plan --base main` and sparkplan-plan, /x/sparkplan check\n\
         sparkplan check \\\n  --deny-warnings -- --not-a-flag\n\
         cargo install sparkplan\n  sparkplan check --today=2026-11-29 # -x\n",
    );
    let got: Vec<(usize, &str, Vec<&str>)> = invs
        .iter()
        .map(|i| {
            (
                i.line,
                i.sub.as_str(),
                i.flags.iter().map(|(f, _)| f.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "check", vec!["--format", "-o"]),
            (2, "plan", vec!["--base"]),
            (3, "check", vec!["--deny-warnings"]),
            (6, "check", vec!["--today"]),
        ]
    );
    assert_eq!(invs[0].flags[0].1.as_deref(), Some("sarif"));
    assert_eq!(invs[3].flags[0].1.as_deref(), Some("2026-11-29"));
}

#[test]
fn a_flag_or_value_the_cli_does_not_know_is_caught() {
    let mut helps = Helps::new();
    let invs = invocations(
        "sparkplan check --no-such-flag -o x --format yaml --color never --format \"$F\"\n\
         sparkplan explain --format json\n",
    );
    let r = check_invocations("probe", &invs, &mut helps);
    assert_eq!(r.flags, 6);
    let firsts: Vec<&str> = r
        .problems
        .iter()
        .map(|p| p.split(';').next().unwrap().split(':').next_back().unwrap())
        .collect();
    assert_eq!(
        firsts,
        [
            " `sparkplan check` does not accept `--no-such-flag`",
            " not one of [\"human\", \"json\", \"github\", \"sarif\", \"gitlab\"]",
            " `sparkplan explain` does not accept `--format`",
        ]
    );
}

// ---------------------------------------------------------------------------
// action.yml

#[test]
fn action_is_a_composite_action_whose_steps_use_bash_and_real_flags() {
    let src = repo_file("action.yml");
    let root = parse_clean("action.yml", &src);
    let runs = field(&root, "runs");
    assert_eq!(text(field(runs, "using"), "runs.using"), "composite");

    // Inputs and their defaults.
    let inputs = field(&root, "inputs");
    let names: Vec<&str> = inputs
        .as_map()
        .unwrap()
        .iter()
        .map(|e| text(&e.key, "input name"))
        .collect();
    assert_eq!(names, ["version", "paths", "format", "args", "sarif-file"]);
    let default = |name: &str| text(field(field(inputs, name), "default"), name).to_owned();
    assert_eq!(
        default("version"),
        "",
        "the release of the action's own ref"
    );
    assert_eq!(default("paths"), "", "sparkplan.toml decides the paths");
    assert_eq!(default("format"), "github");
    assert_eq!(default("args"), "");
    assert_eq!(default("sarif-file"), "");

    let steps = field(runs, "steps").as_seq().unwrap();
    assert!(!steps.is_empty());
    let mut helps = Helps::new();
    let mut scripts = String::new();
    let mut used_inputs = BTreeSet::new();
    let mut uses = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        if let Some(u) = step.get("uses") {
            // Only the cache, pinned to a major version.
            uses.push(text(u, "uses").to_owned());
            assert!(step.get("run").is_none(), "step {k}: `uses` and `run`");
            continue;
        }
        assert_eq!(
            step.get("shell").map(|s| text(s, "shell")),
            Some("bash"),
            "step {k} has no `shell: bash`"
        );
        let run = text(field(step, "run"), "run");
        // Inputs reach scripts through `env:` only: no `${{ }}` inside a script.
        assert!(
            !run.contains("${{"),
            "step {k} expands an expression inside its script"
        );
        if let Some(env) = step.get("env") {
            for e in env.as_map().unwrap() {
                let v = text(&e.value, "env value");
                if let Some(rest) = v.strip_prefix("${{ inputs.") {
                    used_inputs.insert(rest.trim_end_matches(" }}").to_owned());
                }
            }
        }
        scripts.push_str(run);
        scripts.push('\n');
    }
    assert_eq!(
        uses,
        ["actions/cache/restore@v4", "actions/cache/save@v4"],
        "the binary is cached"
    );
    let declared: BTreeSet<String> = names.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(used_inputs, declared, "every input is used, through env");
    assert!(
        scripts.contains("bash \"$GITHUB_ACTION_PATH/scripts/install.sh\""),
        "the action downloads a release binary with the install script"
    );
    assert!(
        scripts.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
        "without a binary, it builds its own checkout, locked"
    );

    let invs = invocations(&scripts);
    assert_eq!(
        invs.iter().map(|i| i.sub.as_str()).collect::<Vec<_>>(),
        ["check", "check"],
        "one SARIF run and one report run"
    );
    let r = checked_clean("action.yml run", &invs, &mut helps);
    assert!(r.skipped.is_empty());
    assert_eq!(r.flags, 3, "--format sarif, -o, --format <input>");
    // The default format is one `check` accepts.
    let check = helps.get("check").unwrap();
    assert!(check.values["--format"].contains(&default("format")));

    // Flags named in the input descriptions are `check` flags too.
    let mut described = 0;
    for e in inputs.as_map().unwrap() {
        let desc = text(field(&e.value, "description"), "description");
        for tok in desc.split(['`', ' ', '\n', ',']) {
            if tok.len() > 1 && tok.starts_with('-') && text(&e.key, "input") != "version" {
                assert!(
                    check.flags.contains(tok),
                    "input `{}` mentions `{tok}`, which `sparkplan check` does not accept",
                    text(&e.key, "input")
                );
                described += 1;
            }
        }
    }
    assert!(
        described >= 5,
        "only {described} flags found in descriptions"
    );
}

/// The action's default version is the `version` of its own Cargo.toml, as
/// a release tag's checkout declares it.
#[cfg(unix)]
#[test]
fn action_resolves_the_version_of_its_own_ref() {
    let root = parse_clean("action.yml", &repo_file("action.yml"));
    let steps = field(field(&root, "runs"), "steps").as_seq().unwrap();
    let script = steps
        .iter()
        .find(|s| s.get("id").is_some_and(|id| text(id, "id") == "resolve"))
        .map(|s| text(field(s, "run"), "run").to_owned())
        .unwrap();
    let manifest: toml::Table = toml::from_str(&repo_file("Cargo.toml")).unwrap();
    let ours = manifest["package"]["version"].as_str().unwrap().to_owned();
    for (input, want) in [
        ("", ours.as_str()),
        ("v0.9.1", "0.9.1"),
        ("latest", "latest"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, "").unwrap();
        let o = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("GITHUB_OUTPUT", &out)
            .env("RUNNER_TOOL_CACHE", "/tc")
            .env("RUNNER_ARCH", "X64")
            .env("SPARKPLAN_INPUT_VERSION", input)
            .output()
            .unwrap();
        assert!(o.status.success());
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            format!("version={want}\ndir=/tc/sparkplan/{want}/X64/bin\n"),
            "input `{input}`"
        );
    }
    // The version becomes a path and a URL: anything but a release number
    // or `latest` stops the step.
    for input in ["../../etc", "1.0 ; rm", "v", "main", "1..2"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, "").unwrap();
        let o = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("GITHUB_OUTPUT", &out)
            .env("RUNNER_TOOL_CACHE", "/tc")
            .env("RUNNER_ARCH", "X64")
            .env("SPARKPLAN_INPUT_VERSION", input)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "input `{input}`");
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "",
            "input `{input}`"
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("::error::invalid sparkplan version"));
    }
}

/// Runs the action's `sparkplan check` step with bash, as the runner would.
#[cfg(unix)]
mod action_script {
    use super::*;

    struct Run {
        code: i32,
        stdout: String,
        output_file: String,
    }

    fn check_step_script() -> String {
        let root = parse_clean("action.yml", &repo_file("action.yml"));
        let steps = field(field(&root, "runs"), "steps").as_seq().unwrap();
        let step = steps
            .iter()
            .find(|s| s.get("id").is_some_and(|id| text(id, "id") == "check"))
            .expect("a step with id `check`");
        text(field(step, "run"), "run").to_owned()
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("ads")).unwrap();
        std::fs::create_dir_all(d.join("more")).unwrap();
        std::fs::create_dir_all(d.join("bin")).unwrap();
        std::fs::write(d.join("ads/bad.yaml"), "sparkplan: 1\nbogus: 1\n").unwrap();
        std::fs::write(d.join("more/ok.yaml"), "sparkplan: 1\n").unwrap();
        std::os::unix::fs::symlink(BIN, d.join("bin/sparkplan")).unwrap();
        dir
    }

    fn run(dir: &Path, paths: &str, format: &str, args: &str, sarif: &str) -> Run {
        let out_file = dir.join("github_output");
        std::fs::write(&out_file, "").unwrap();
        let o: Output = Command::new("bash")
            .arg("-c")
            .arg(check_step_script())
            .current_dir(dir)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    dir.join("bin").display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("GITHUB_OUTPUT", &out_file)
            .env("SPARKPLAN_INPUT_PATHS", paths)
            .env("SPARKPLAN_INPUT_FORMAT", format)
            .env("SPARKPLAN_INPUT_ARGS", args)
            .env("SPARKPLAN_INPUT_SARIF_FILE", sarif)
            .env_remove("SPARKPLAN_FORMAT")
            .env_remove("SPARKPLAN_TODAY")
            .output()
            .unwrap();
        Run {
            code: o.status.code().unwrap(),
            stdout: String::from_utf8(o.stdout).unwrap(),
            output_file: std::fs::read_to_string(&out_file).unwrap(),
        }
    }

    fn bash_available() -> bool {
        Command::new("bash")
            .arg("-c")
            .arg("true")
            .status()
            .is_ok_and(|s| s.success())
    }

    #[test]
    fn findings_annotate_fail_with_1_and_still_write_sarif() {
        if !bash_available() {
            eprintln!("skipped: no bash");
            return;
        }
        let ws = workspace();
        let r = run(ws.path(), "ads\nmore", "github", "", "out.sarif");
        assert_eq!(r.code, 1, "stdout: {}", r.stdout);
        assert_eq!(r.output_file, "exit-code=1\n");
        assert!(
            r.stdout
                .starts_with("::error file=ads/bad.yaml,line=2,col=1,"),
            "{}",
            r.stdout
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(ws.path().join("out.sarif")).unwrap())
                .unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        let loc = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "ads/bad.yaml");
        assert_eq!(loc["region"]["startLine"], 2);
    }

    #[test]
    fn args_reach_sparkplan_and_clean_runs_exit_0() {
        if !bash_available() {
            return;
        }
        let ws = workspace();
        let r = run(ws.path(), "ads more", "json", "--allow SP003", "");
        assert_eq!(r.code, 0, "stdout: {}", r.stdout);
        assert_eq!(r.output_file, "exit-code=0\n");
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(doc["diagnostics"], serde_json::json!([]));
        assert!(!ws.path().join("out.sarif").exists());
    }

    #[test]
    fn inputs_are_data_not_shell_code() {
        if !bash_available() {
            return;
        }
        let ws = workspace();
        let r = run(ws.path(), "$(touch pwned) `touch pwned2`", "human", "", "");
        assert!(!ws.path().join("pwned").exists());
        assert!(!ws.path().join("pwned2").exists());
        // The words are paths that do not exist: the tool could not run.
        assert_eq!(r.code, 2);
        assert_eq!(r.output_file, "exit-code=2\n");
    }

    #[test]
    fn a_broken_sarif_run_stops_with_2() {
        if !bash_available() {
            return;
        }
        let ws = workspace();
        let r = run(ws.path(), "ads", "github", "", "no/such/dir/out.sarif");
        assert_eq!(r.code, 2);
        assert_eq!(r.output_file, "exit-code=2\n");
        assert_eq!(r.stdout, "", "the report run does not happen");
    }

    /// The default `paths` (empty) passes no PATH, so sparkplan.toml's
    /// `paths` decide what is checked, as they do locally and in pre-commit;
    /// empty `args` and `paths` expand to nothing under `set -u`.
    #[test]
    fn empty_paths_leave_sparkplan_toml_in_charge() {
        if !bash_available() {
            return;
        }
        let ws = workspace();
        std::fs::write(ws.path().join("sparkplan.toml"), "paths = [\"more\"]\n").unwrap();
        let r = run(ws.path(), "", "github", "", "");
        assert_eq!(r.code, 0, "only more/ok.yaml is read: {}", r.stdout);
        assert_eq!(r.output_file, "exit-code=0\n");
        let r = run(ws.path(), "  \n ", "github", "", "out.sarif");
        assert_eq!(r.code, 0, "blank is empty: {}", r.stdout);
        // Without sparkplan.toml the whole workspace is read.
        std::fs::remove_file(ws.path().join("sparkplan.toml")).unwrap();
        let r = run(ws.path(), "", "github", "", "");
        assert_eq!(r.code, 1);
        assert!(
            r.stdout.starts_with("::error file=ads/bad.yaml,"),
            "{}",
            r.stdout
        );
    }
}

// ---------------------------------------------------------------------------
// .pre-commit-hooks.yaml

/// The binary target's name, from Cargo.toml (the package name unless a
/// `[[bin]]` renames it).
fn cargo_binary_names() -> Vec<String> {
    let manifest: toml::Table = toml::from_str(&repo_file("Cargo.toml")).unwrap();
    let package = manifest["package"]["name"].as_str().unwrap().to_owned();
    match manifest.get("bin").and_then(|b| b.as_array()) {
        Some(bins) => bins
            .iter()
            .map(|b| b["name"].as_str().unwrap().to_owned())
            .collect(),
        None => vec![package],
    }
}

#[test]
fn pre_commit_hooks_run_sparkplan_check_on_the_workspace() {
    let src = repo_file(".pre-commit-hooks.yaml");
    let root = parse_clean(".pre-commit-hooks.yaml", &src);
    let hooks = root.as_seq().expect("a list of hooks");
    let ids: Vec<(&str, &str)> = hooks
        .iter()
        .map(|h| {
            (
                text(field(h, "id"), "id"),
                text(field(h, "language"), "language"),
            )
        })
        .collect();
    // Built from source by pre-commit, or the binary on PATH.
    assert_eq!(ids, [("sparkplan", "rust"), ("sparkplan-system", "system")]);
    assert_eq!(cargo_binary_names(), ["sparkplan"]);
    let exe = Path::new(BIN).file_stem().unwrap().to_str().unwrap();
    assert_eq!(exe, "sparkplan");
    for hook in hooks {
        assert_eq!(text(field(hook, "name"), "name"), "sparkplan check");
        let pass = field(hook, "pass_filenames").as_scalar().unwrap();
        assert_eq!(pass.resolve(), Resolved::Bool(false));
        assert_eq!(
            text(field(hook, "files"), "files"),
            r"(\.ya?ml|(^|/)sparkplan\.toml)$"
        );
        let entry = text(field(hook, "entry"), "entry");
        assert!(entry.starts_with("sparkplan "), "{entry}");
        let args: Vec<&str> = hook
            .get("args")
            .map(|a| a.as_seq().unwrap().iter().map(|n| text(n, "arg")).collect())
            .unwrap_or_default();
        let command = format!("{entry} {}", args.join(" "));
        let invs = invocations(&command);
        assert_eq!(invs.len(), 1);
        assert_eq!(invs[0].sub, "check");
        let r = checked_clean(".pre-commit-hooks.yaml", &invs, &mut Helps::new());
        assert!(r.skipped.is_empty());
    }
}

/// What the hook runs, in a repository that also holds YAML that is not a
/// manifest: clean as a whole workspace; the same file passed by name (what
/// `pass_filenames: true` would do) is refused.
#[test]
fn pre_commit_hook_command_ignores_yaml_that_is_not_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(d.join("ads")).unwrap();
    std::fs::write(d.join(".github/workflows/ci.yml"), "on: push\n").unwrap();
    std::fs::write(d.join(".pre-commit-config.yaml"), "repos: []\n").unwrap();
    std::fs::write(d.join("docker-compose.yml"), "services: {}\n").unwrap();
    std::fs::write(d.join("ads/ok.yaml"), "sparkplan: 1\n").unwrap();

    let src = repo_file(".pre-commit-hooks.yaml");
    let root = parse_clean(".pre-commit-hooks.yaml", &src);
    let entry = text(field(&root.as_seq().unwrap()[0], "entry"), "entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("sparkplan"));
    let rest: Vec<&str> = words.collect();

    let run = |extra: &[&str]| -> Output {
        Command::new(BIN)
            .args(&rest)
            .args(extra)
            .current_dir(d)
            .env_remove("SPARKPLAN_FORMAT")
            .output()
            .unwrap()
    };
    let whole = run(&[]);
    assert_eq!(whole.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(whole.stdout).unwrap(),
        "checked 1 file: no problems found\n"
    );

    let named = run(&["--format", "json", "docker-compose.yml", "ads/ok.yaml"]);
    assert_eq!(named.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SP006");
    assert_eq!(doc["diagnostics"][0]["file"], "docker-compose.yml");
}

// ---------------------------------------------------------------------------
// docs/ci.md

fn fenced_blocks(md: &str, lang: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in md.lines().enumerate() {
        match &mut current {
            None => {
                if line.trim_start().strip_prefix("```") == Some(lang) {
                    current = Some((i + 2, String::new()));
                }
            }
            Some((_, body)) => {
                if line.trim_start() == "```" {
                    out.push(current.take().unwrap());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "unclosed ```{lang} block");
    out
}

#[test]
fn docs_yaml_blocks_parse_cleanly() {
    let md = repo_file("docs/ci.md");
    let blocks = fenced_blocks(&md, "yaml");
    assert_eq!(
        blocks.len(),
        9,
        "3 GitHub workflows, 3 GitLab jobs, 3 pre-commit"
    );
    for (line, body) in &blocks {
        let root = parse_clean(&format!("docs/ci.md:{line}"), body);
        assert!(root.as_map().is_some(), "docs/ci.md:{line}: not a mapping");
    }
    // The GitHub workflows: every job's steps are a list of mappings with
    // `uses` or `run`.
    let mut workflows = 0;
    for (line, body) in &blocks {
        let root = parse_clean("", body);
        let Some(jobs) = root.get("jobs") else {
            continue;
        };
        workflows += 1;
        for job in jobs.as_map().unwrap() {
            for step in field(&job.value, "steps").as_seq().unwrap() {
                assert!(
                    step.get("uses").is_some() != step.get("run").is_some(),
                    "docs/ci.md:{line}: a step needs exactly one of `uses` and `run`"
                );
            }
        }
    }
    assert_eq!(workflows, 3);
}

#[test]
fn docs_commands_use_flags_the_cli_accepts() {
    let md = repo_file("docs/ci.md");
    let mut helps = Helps::new();
    let invs = invocations(&md);
    let count = |sub: &str| invs.iter().filter(|i| i.sub == sub).count();
    assert!(
        count("check") >= 10,
        "only {} check commands",
        count("check")
    );
    assert!(count("plan") >= 2, "only {} plan commands", count("plan"));
    // The weekly authorizations issue: the GitHub and GitLab jobs, the calendar and the prose.
    assert!(
        count("authorizations") >= 4,
        "only {} authorizations commands",
        count("authorizations")
    );
    for inv in invs.iter().filter(|i| i.sub == "authorizations") {
        let flag = |f: &str| {
            inv.flags
                .iter()
                .find(|(n, _)| n == f)
                .map(|(_, v)| v.as_deref())
        };
        if flag("--fail-within").is_some() {
            assert_eq!(flag("--within"), Some(Some("14")), "line {}", inv.line);
            assert_eq!(flag("--fail-within"), Some(Some("14")), "line {}", inv.line);
            assert_eq!(
                flag("--format"),
                Some(Some("markdown")),
                "line {}",
                inv.line
            );
            assert!(flag("--ignore-errors").is_some(), "line {}", inv.line);
        }
    }
    let r = checked_clean("docs/ci.md", &invs, &mut helps);
    assert!(r.flags >= 10, "only {} flags checked", r.flags);
    if !r.skipped.is_empty() {
        eprintln!(
            "not checked yet (subcommand missing on this branch): {:?}",
            r.skipped
        );
    }

    // Arguments given to the action (`with: args/format`) and to the
    // pre-commit hook (`args:`) in the YAML blocks end up on `sparkplan check`.
    let mut passed: Vec<(usize, String)> = Vec::new();
    for (line, body) in fenced_blocks(&md, "yaml") {
        let root = parse_clean("", &body);
        for job in root.get("jobs").and_then(Node::as_map).unwrap_or_default() {
            for step in field(&job.value, "steps").as_seq().unwrap() {
                let uses = step.get("uses").map(|u| text(u, "uses")).unwrap_or("");
                if !uses.starts_with("sparkplan/sparkplan@") {
                    continue;
                }
                let with = |k: &str| step.get("with").and_then(|w| w.get(k)).map(|v| text(v, k));
                passed.push((
                    line,
                    format!(
                        "sparkplan check --format {} {}",
                        with("format").unwrap_or("github"),
                        with("args").unwrap_or("")
                    ),
                ));
            }
        }
        for repo in root.get("repos").and_then(Node::as_seq).unwrap_or_default() {
            for hook in field(repo, "hooks").as_seq().unwrap() {
                if !text(field(hook, "id"), "id").starts_with("sparkplan") {
                    continue;
                }
                let args: Vec<&str> = hook
                    .get("args")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .map(|a| text(a, "arg"))
                    .collect();
                passed.push((line, format!("sparkplan check {}", args.join(" "))));
            }
        }
    }
    assert_eq!(passed.len(), 4, "1 action, 3 hooks");
    let mut flags = 0;
    for (line, command) in &passed {
        let invs = invocations(command);
        assert_eq!(invs.len(), 1);
        let what = format!("docs/ci.md, the block at line {line}: `{command}`, line");
        flags += checked_clean(&what, &invs, &mut helps).flags;
    }
    assert_eq!(
        flags, 3,
        "--format github, --deny-warnings (action); --deny-warnings (hook)"
    );

    // Flags named alone in inline code (`--deny-warnings`, `-o FILE`) belong
    // to `check` or, once it exists, `plan`.
    let mut known: BTreeSet<String> = helps.get("check").unwrap().flags.clone();
    let plan_exists = helps.get("plan").is_some();
    if let Some(p) = helps.get("plan") {
        known.extend(p.flags.iter().cloned());
    }
    known.extend(helps.get("authorizations").unwrap().flags.iter().cloned());
    let mut alone = 0;
    for (k, span) in md.split('`').enumerate() {
        if k % 2 == 0 || !span.starts_with('-') || span.starts_with("---") {
            continue;
        }
        let flag = span.split([' ', '=']).next().unwrap();
        assert!(
            known.contains(flag) || (!plan_exists && flag == "--base"),
            "docs/ci.md mentions `{span}`, which no sparkplan subcommand accepts"
        );
        alone += 1;
    }
    assert!(alone >= 10, "only {alone} inline flags found");
}

#[test]
fn docs_name_the_exit_codes_and_environment_variables() {
    let md = repo_file("docs/ci.md");
    for needle in [
        "| 0 |",
        "| 1 |",
        "| 2 |",
        "SPARKPLAN_FORMAT",
        "SPARKPLAN_TODAY",
        "--deny-warnings",
        "--today",
        "security-events: write",
        "fetch-depth: 0",
        "codequality: gl-code-quality-report.json",
        "id: sparkplan",
    ] {
        assert!(
            md.contains(needle),
            "docs/ci.md does not mention `{needle}`"
        );
    }
    // The exit codes the docs promise are the binary's.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "sparkplan: 1\nbogus: 1\n").unwrap();
    let code = |args: &[&str]| -> Option<i32> {
        Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env_remove("SPARKPLAN_FORMAT")
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&["check", "--allow", "SP003"]), Some(0));
    assert_eq!(code(&["check"]), Some(1));
    assert_eq!(code(&["check", "missing"]), Some(2));
    assert_eq!(code(&["check", "--format", "yaml"]), Some(2));
}

/// The SPARKPLAN_FORMAT and SPARKPLAN_TODAY variables work as the docs say:
/// the variable applies when the flag is absent, and the flag wins.
#[test]
fn environment_variables_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "sparkplan: 1\nbogus: 1\n").unwrap();
    let run = |env: &[(&str, &str)], args: &[&str]| -> String {
        let mut c = Command::new(BIN);
        c.arg("check").args(args).current_dir(dir.path());
        c.env_remove("SPARKPLAN_FORMAT")
            .env_remove("SPARKPLAN_TODAY");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    assert!(run(&[("SPARKPLAN_FORMAT", "github")], &[]).starts_with("::error file=bad.yaml,"));
    assert!(
        run(&[("SPARKPLAN_FORMAT", "github")], &["--format", "json"])
            .starts_with("{\n  \"format_version\": \"1\"")
    );
    let bad_today = Command::new(BIN)
        .args(["check", "--today", "2026-13-40"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad_today.status.code(), Some(2));
    let env_today = Command::new(BIN)
        .arg("check")
        .env("SPARKPLAN_TODAY", "2026-13-40")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(env_today.status.code(), Some(2), "SPARKPLAN_TODAY is read");
    let flag_wins = Command::new(BIN)
        .args(["check", "--today", "2026-11-29", "--allow", "SP003"])
        .env("SPARKPLAN_TODAY", "2026-13-40")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(flag_wins.status.code(), Some(0), "--today wins");
}

/// With `paths` in sparkplan.toml and no PATH argument, reports keep paths
/// relative to the repository root (annotations, SARIF and GitLab need it).
#[test]
fn paths_from_the_config_stay_relative_in_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("ads")).unwrap();
    std::fs::write(d.join("ads/bad.yaml"), "sparkplan: 1\nbogus: 1\n").unwrap();
    std::fs::write(d.join("top.yaml"), "sparkplan: 1\nbogus: 1\n").unwrap();
    std::fs::write(
        d.join("sparkplan.toml"),
        "paths = [\"ads\"]\n[rules]\nSP003 = \"warn\"\n",
    )
    .unwrap();
    let report = |args: &[&str]| -> String {
        let o = Command::new(BIN)
            .arg("check")
            .args(args)
            .current_dir(d)
            .env_remove("SPARKPLAN_FORMAT")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "SP003 is a warning here");
        String::from_utf8(o.stdout).unwrap()
    };
    let github = report(&["--format", "github"]);
    assert!(
        github.starts_with("::warning file=ads/bad.yaml,line=2,"),
        "{github}"
    );
    let gitlab: serde_json::Value = serde_json::from_str(&report(&["--format", "gitlab"])).unwrap();
    assert_eq!(gitlab.as_array().unwrap().len(), 1);
    assert_eq!(gitlab[0]["location"]["path"], "ads/bad.yaml");
    let sarif: serde_json::Value = serde_json::from_str(&report(&["--format", "sarif"])).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "ads/bad.yaml"
    );
    // A file in the current folder finds the sparkplan.toml beside it
    // (SP003 is a warning, so the configuration was read).
    let top = report(&["--format", "github", "top.yaml"]);
    assert!(top.starts_with("::warning file=top.yaml,line=2,"), "{top}");
}

/// The GitLab merge-request plan job of docs/ci.md, run as GitLab runs a
/// `script:` (one bash, stopping at the first failing line), with a stand-in
/// `curl`: it writes the markdown plan and the full JSON plan, posts the
/// plan as a merge request note, and without a plan posts why.
#[test]
fn gitlab_merge_request_plan_job_writes_and_posts_the_plan() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("skipped: no bash");
        return;
    }
    let md = repo_file("docs/ci.md");
    let (line, body) = fenced_blocks(&md, "yaml")
        .into_iter()
        .find(|(_, b)| b.starts_with("sparkplan-plan:"))
        .expect("no `sparkplan-plan:` GitLab job in docs/ci.md");
    let root = parse_clean(&format!("docs/ci.md:{line}"), &body);
    let job = field(&root, "sparkplan-plan");
    let rule = field(&field(job, "rules").as_seq().unwrap()[0], "if");
    assert_eq!(
        text(rule, "rules"),
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    assert_eq!(
        text(field(field(job, "variables"), "GIT_DEPTH"), "GIT_DEPTH"),
        "0"
    );
    let artifacts = field(job, "artifacts");
    assert_eq!(text(field(artifacts, "when"), "when"), "always");
    assert_eq!(
        text(field(artifacts, "expose_as"), "expose_as"),
        "sparkplan plan"
    );
    let paths: Vec<&str> = field(artifacts, "paths")
        .as_seq()
        .unwrap()
        .iter()
        .map(|p| text(p, "paths"))
        .collect();
    assert_eq!(paths, ["plan.md", "plan.json"]);
    let script: Vec<&str> = field(job, "script")
        .as_seq()
        .unwrap()
        .iter()
        .map(|l| text(l, "script"))
        .collect();
    let script = format!("set -eo pipefail\n{}\n", script.join("\n"));

    // A repository whose `main` is the base, with one change on top.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let ads = repo.join("ads");
    std::fs::create_dir_all(&ads).unwrap();
    let fixture = repo_file("tests/fixtures/plan/no_op/new/workspace.yaml");
    std::fs::write(ads.join("workspace.yaml"), &fixture).unwrap();
    let git = |args: &[&str]| common::git(&repo, args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let url = format!("file://{}", repo.display());
    git(&["remote", "add", "origin", &url]);
    git(&["checkout", "-q", "-b", "feature"]);
    std::fs::write(
        ads.join("workspace.yaml"),
        fixture.replace("amount: 500", "amount: 650"),
    )
    .unwrap();
    git(&["commit", "-q", "-a", "-m", "budget"]);

    // `sparkplan` and a `curl` that records what it would send.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("sparkplan")).unwrap();
    let log = dir.path().join("curl.log");
    std::fs::write(
        bin.join("curl"),
        format!(
            "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > {log}\nfor a in \"$@\"; do case $a in body@*) cp \"${{a#body@}}\" {posted};; esac; done\n",
            log = log.display(),
            posted = dir.path().join("posted.md").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        bin.join("curl"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let run = || {
        Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&repo)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env_remove("SPARKPLAN_FORMAT")
            .env("SPARKPLAN_TODAY", "2026-11-29")
            .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
            .env("CI_API_V4_URL", "https://gitlab.example/api/v4")
            .env("CI_PROJECT_ID", "42")
            .env("CI_MERGE_REQUEST_IID", "7")
            .env("SPARKPLAN_NOTE_TOKEN", "secret-token")
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = std::fs::read_to_string(repo.join("plan.md")).unwrap();
    assert!(plan.starts_with("## sparkplan plan\n"), "{plan}");
    assert!(plan.contains("Compared with `origin/main`"), "{plan}");
    assert!(
        plan.contains("`campaign.holiday_2026` | will be updated in place (`budget`)"),
        "{plan}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["change"], 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("posted.md")).unwrap(),
        plan
    );
    let sent = std::fs::read_to_string(&log).unwrap();
    assert!(sent.contains("PRIVATE-TOKEN: secret-token\n"), "{sent}");
    assert!(
        sent.contains("https://gitlab.example/api/v4/projects/42/merge_requests/7/notes\n"),
        "{sent}"
    );

    // Errors in the manifests: the note says there is no plan, and the job fails.
    std::fs::write(ads.join("workspace.yaml"), format!("{fixture}bogus: 1\n")).unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let posted = std::fs::read_to_string(dir.path().join("posted.md")).unwrap();
    assert!(
        posted.contains("No plan: `sparkplan plan` exited with 1"),
        "{posted}"
    );
}

/// The weekly authorizations workflow of docs/ci.md, its issue step run as
/// GitHub runs a `run:` (bash -eo pipefail) with a stand-in `gh` that
/// records its calls: it opens the issue when none is open, edits the open
/// one, and closes it once nothing in use ends within 14 days.
#[test]
fn weekly_authorizations_workflow_opens_updates_and_closes_one_issue() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("skipped: no bash");
        return;
    }
    let md = repo_file("docs/ci.md");
    let (line, body) = fenced_blocks(&md, "yaml")
        .into_iter()
        .find(|(_, b)| b.starts_with("name: sparkplan authorizations"))
        .expect("no weekly authorizations workflow in docs/ci.md");
    let root = parse_clean(&format!("docs/ci.md:{line}"), &body);
    let cron = field(field(&root, "on"), "schedule").as_seq().unwrap()[0].clone();
    assert_eq!(text(field(&cron, "cron"), "cron"), "23 6 * * 1");
    assert_eq!(
        text(field(field(&root, "permissions"), "issues"), "issues"),
        "write"
    );
    let job = field(field(&root, "jobs"), "authorizations");
    let step = field(job, "steps")
        .as_seq()
        .unwrap()
        .iter()
        .find(|s| {
            s.get("name")
                .is_some_and(|n| text(n, "name") == "Open, update or close the issue")
        })
        .unwrap()
        .clone();
    let script = text(field(&step, "run"), "run").to_owned();
    let env = field(&step, "env");
    let label = text(field(env, "LABEL"), "LABEL").to_owned();
    let title = text(field(env, "TITLE"), "TITLE").to_owned();

    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    for f in ["accounts.yaml", "posts.yaml", "campaigns.yaml"] {
        std::fs::write(
            ws.join(f),
            repo_file(&format!("tests/fixtures/authorizations/basic/{f}")),
        )
        .unwrap();
    }
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("sparkplan")).unwrap();
    let log = dir.path().join("gh.log");
    std::fs::write(
        bin.join("gh"),
        format!(
            "#!/usr/bin/env bash\nprintf '%s|' \"$@\" >> {log}\necho >> {log}\nif [ \"$1 $2\" = 'issue list' ]; then printf '%s\\n' \"${{OPEN_ISSUE:-}}\"; fi\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        bin.join("gh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let run = |today: &str, open: &str| {
        let _ = std::fs::remove_file(&log);
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(&script)
            .current_dir(&ws)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env_remove("SPARKPLAN_FORMAT")
            .env_remove("SPARKPLAN_NOW")
            .env("SPARKPLAN_TODAY", today)
            .env("LABEL", &label)
            .env("TITLE", &title)
            .env("OPEN_ISSUE", open)
            .output()
            .unwrap();
        let calls = std::fs::read_to_string(&log).unwrap_or_default();
        (out, calls)
    };
    // 2026-12-02: p_ending (2 days left) is used by an enabled ad. The
    // manifests have an error (SP203), reported in the log, and the list is
    // still made (`--ignore-errors`).
    let (out, calls) = run("2026-12-02", "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[SP203]"));
    let list = std::fs::read_to_string(ws.join("authorizations.md")).unwrap();
    assert!(list.contains("p\\_ending"), "{list}");
    assert!(
        calls.contains(&format!(
            "issue|create|--title|{title}|--label|{label}|--body-file|authorizations.md|"
        )),
        "{calls}"
    );
    // An open issue is edited, not duplicated.
    let (out, calls) = run("2026-12-02", "12");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        calls.contains("issue|edit|12|--body-file|authorizations.md|"),
        "{calls}"
    );
    assert!(!calls.contains("issue|create"), "{calls}");
    // A month before: nothing in use ends within 14 days; the open issue is closed.
    let (out, calls) = run("2026-11-01", "12");
    assert_eq!(out.status.code(), Some(0));
    assert!(calls.contains("issue|close|12|"), "{calls}");
    let (_, calls) = run("2026-11-01", "");
    assert!(
        !calls.contains("issue|close") && !calls.contains("issue|create"),
        "{calls}"
    );
    // A broken run (exit 2) stops the step before any issue call.
    let (out, calls) = run("2026-13-40", "12");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !calls.contains("issue|edit") && !calls.contains("issue|close"),
        "{calls}"
    );
}
