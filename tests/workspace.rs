//! Issue 12, "no wrong ok": every manifest is read or reported, one error
//! never hides or fakes another, and the advice fits the mistake.
//!
//! Each folder `tests/fixtures/workspace/<case>/` is a small workspace,
//! checked together with `tests/fixtures/rules/_base/accounts.yaml` with
//! today = 2026-11-29, exactly like `tests/rules.rs`: a comment `# expect:
//! SP001` marks the line where a diagnostic's primary label must start (the
//! harness reads raw lines, so the marker may sit inside a broken quote), and
//! the multiset of (code, file, line) must equal the expectations. A case
//! named `pass*` expects nothing. The scenarios of the new-user and
//! adversarial reviews that need a file system trick (symlinks, two spellings
//! of one path, size limits) are tests below.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sparkplan::check::{CheckOptions, Report, check};
use sparkplan::config::Config;
use sparkplan::model::Date;

const TODAY: &str = "2026-11-29";

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace")
}

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/_base/accounts.yaml")
}

use common::{expectations, reported};

fn run_with(case: &Path, o: &CheckOptions) -> Report {
    check(&[base(), case.to_path_buf()], o).unwrap()
}

fn run(case: &Path) -> Report {
    run_with(case, &opts())
}

fn case(name: &str) -> PathBuf {
    root().join(name)
}

/// The diagnostic with `code` (exactly one).
fn only<'r>(report: &'r Report, code: &str) -> &'r sparkplan::diag::Diagnostic {
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code() == code)
        .collect();
    assert_eq!(found.len(), 1, "{code}: {:?}", report.diagnostics);
    found[0]
}

#[test]
fn fixtures_report_exactly_the_expected_diagnostics() {
    let mut failures = String::new();
    let mut cases: Vec<_> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for c in cases {
        let name = c.file_name().unwrap().to_string_lossy().into_owned();
        let expected = expectations(&c);
        if name.starts_with("pass") && !expected.is_empty() {
            let _ = writeln!(failures, "{name}: a passing case must expect nothing");
        }
        let report = run(&c);
        let got = reported(&c, &report);
        if got != expected {
            let _ = writeln!(
                failures,
                "{name}:\n  expected {expected:?}\n  got      {got:?}"
            );
            for d in &report.diagnostics {
                let _ = writeln!(failures, "    {} {}", d.code(), d.message);
            }
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}

// ---- Item 1: nothing skipped silently ---------------------------------------

fn sparkplan_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SPARKPLAN_TODAY", TODAY)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn a_folder_without_manifests_exits_2_naming_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ads/ci.yaml", "on: [push]\njobs: {}\n");
    std::fs::create_dir(dir.path().join("more")).unwrap();
    for cmd in ["check", "plan"] {
        let out = sparkplan_in(dir.path(), &[cmd, "ads", "more"]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            err,
            "error: no sparkplan manifest found in `ads` and `more` (1 YAML file read); a manifest is a YAML file whose top-level mapping has `sparkplan: 1`\n",
            "{cmd}"
        );
    }
}

#[test]
fn a_folder_whose_only_manifest_says_spark_plan_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "posts.yaml",
        "sparkPlan: 1\nposts:\n  p:\n    identity: nobody\n    item_id: \"7300000000000000001\"\n",
    );
    let out = sparkplan_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("error[SP006]: not a sparkplan manifest: `sparkPlan` is not the key `sparkplan`\n --> posts.yaml:1:1\n"),
        "{text}"
    );
    assert!(
        text.contains("help: write `sparkplan: 1` instead of `sparkPlan:`"),
        "{text}"
    );
    // The file is read as a manifest: its undefined identity is reported too.
    assert!(
        text.contains("error[SP008]: undefined identity `nobody`"),
        "{text}"
    );
    assert!(
        !text.contains("SP003"),
        "the misspelt key is reported once: {text}"
    );
}

/// adversarial.md §5: a walked file over the size limit is SP013, whether
/// `sparkplan:` is in its first bytes or not.
#[test]
fn a_walked_file_over_the_size_limit_is_sp013() {
    let dir = tempfile::tempdir().unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let mut o = opts();
    o.config.limits.max_file_bytes = 600;
    let big = format!(
        "# {}\nsparkplan: 1\nposts:\n  big:\n    identity: nobody\n    item_id: \"1\"\n",
        "c".repeat(1000)
    );
    write(dir.path(), "big.yaml", &big);
    let report = check(&[dir.path().to_path_buf()], &o).unwrap();
    let d = only(&report, "SP013");
    assert!(d.message.starts_with("file is larger than 600 bytes"));
    assert!(
        report
            .sources()
            .path(d.primary_span().unwrap().file)
            .ends_with("big.yaml")
    );
    // A limit of one byte: every acme file is SP013 (it used to be
    // "checked 0 files: no problems found").
    o.config.limits.max_file_bytes = 1;
    let report = check(&[acme], &o).unwrap();
    assert!(report.diagnostics.iter().all(|d| d.code() == "SP013"));
    assert_eq!(report.diagnostics.len(), 6, "{:?}", report.diagnostics);
}

// ---- Item 2: no cascades -----------------------------------------------------

#[test]
fn an_unreadable_file_counts_the_references_it_could_define() {
    let report = run(&case("i2_colon_in_caption"));
    let d = only(&report, "SP001");
    assert_eq!(
        d.message,
        "YAML syntax error: an unquoted value contains `: `"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("quote the value: \"Before and after: 4 weeks of Lumen\"")
    );
    assert_eq!(
        d.notes.last().map(String::as_str),
        Some("3 references to names this file may define were not checked; fix this error first")
    );
}

// ---- Item 7: one file, one read ---------------------------------------------

/// adversarial.md §8: `check . "$PWD"` and `check . ../acme` read each file
/// once.
#[test]
fn the_same_folder_named_twice_is_read_once() {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let abs = acme.canonicalize().unwrap();
    for second in [abs.to_str().unwrap(), "../acme", "./"] {
        let out = sparkplan_in(&acme, &["check", ".", second]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "checked 6 files: no problems found\n",
            "check . {second}"
        );
        assert_eq!(out.status.code(), Some(0));
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_inside_the_workspace_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for f in [
        "accounts.yaml",
        "media.yaml",
        "posts/brand.yaml",
        "posts/creators.yaml",
    ] {
        write(
            dir.path(),
            f,
            &std::fs::read_to_string(acme.join(f)).unwrap(),
        );
    }
    std::os::unix::fs::symlink("posts", dir.path().join("posts_link")).unwrap();
    let report = check(&[dir.path().to_path_buf()], &opts()).unwrap();
    assert_eq!(report.diagnostics, vec![]);
    assert_eq!(report.workspace.manifest_count, 4);
    // The path kept is the shorter, real one.
    let paths: Vec<_> = report
        .sources()
        .files()
        .map(|(_, f)| f.path.clone())
        .collect();
    assert!(paths.iter().all(|p| !p.contains("posts_link")), "{paths:?}");
}

// ---- Item 5: lifecycle -------------------------------------------------------

/// newuser.md §2.5 and docs/ci.md's daily scheduled run: once every flight
/// of the example has ended, its expired codes no longer fail `check`.
#[test]
fn the_daily_check_stays_green_after_the_campaigns_end() {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for today in ["2027-01-20", "2027-06-15", "2028-01-01"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
            .args(["check", acme.to_str().unwrap(), "--today", today])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{today}: {text}");
        assert!(text.ends_with("no problems found\n"), "{today}: {text}");
    }
}

const STATUS_CAMPAIGN: &str = "sparkplan: 1
campaigns:
  c1:
    advertiser: acme_us
    type: smart_plus
    objective: web_conversions
    sales_destination: website
    budget: { mode: daily, amount: 50 }
    STATUS
    ad_groups:
      g1:
        schedule: { start: \"2026-12-01\", end: \"2026-12-20\" }
        locations: [US]
        optimization_goal: click
        bid_type: no_bid
        ads:
          a1:
            call_to_action_portfolio: \"7400000000000000001\"
            creatives:
              - post: own_post
";

fn plan_json(dir: &Path, base: Option<&Path>) -> serde_json::Value {
    let mut args = vec!["plan".to_owned(), dir.to_string_lossy().into_owned()];
    if let Some(b) = base {
        args.extend(["--base".to_owned(), b.to_string_lossy().into_owned()]);
    }
    args.extend(["--format".to_owned(), "json".to_owned()]);
    let out = sparkplan_in(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn status_workspace(status: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    write(
        dir.path(),
        "c1.yaml",
        &STATUS_CAMPAIGN.replace("STATUS", status),
    );
    dir
}

#[test]
fn status_is_sent_on_create_and_changed_in_place() {
    let paused = status_workspace("status: paused");
    let plan = plan_json(paused.path(), None);
    let ops = plan["operations"].as_array().unwrap();
    let create = ops
        .iter()
        .find(|o| o["endpoint"] == "smart_plus/campaign/create")
        .unwrap();
    assert_eq!(create["body"]["operation_status"], "DISABLE");

    // Enabled in the base, paused now: one status call, no update or
    // replacement.
    let enabled = status_workspace("status: enabled");
    let plan = plan_json(paused.path(), Some(enabled.path()));
    let ops = plan["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert_eq!(ops[0]["endpoint"], "smart_plus/campaign/status/update");
    assert_eq!(ops[0]["action"], "update");
    assert_eq!(ops[0]["body"]["operation_status"], "DISABLE");
    assert_eq!(
        ops[0]["body"]["campaign_ids"][0]["$state"],
        "campaign.c1.campaign_id"
    );

    // Back to the default (no `status:`): ENABLE.
    let default = status_workspace("");
    let plan = plan_json(default.path(), Some(paused.path()));
    let ops = plan["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert_eq!(ops[0]["body"]["operation_status"], "ENABLE");
}

// ---- Item 8: advice that fits -------------------------------------------------

#[test]
fn advice_fits_the_mistake() {
    let report = run(&case("i8_advice"));
    assert_eq!(
        only(&report, "SP004").help.as_deref(),
        Some("Ads Manager's \"Sales\" objective (website conversions) is `web_conversions`")
    );
    assert_eq!(
        only(&report, "SP008").help.as_deref(),
        Some("`cut` is media: use `media:` with `identity:`")
    );
    let d = only(&report, "SP011");
    assert_eq!(d.labels[0].message.as_deref(), Some("November has 30 days"));
    let report = run(&case("i5_expiry_judges_live_ads"));
    assert!(
        only(&report, "SP202")
            .help
            .as_deref()
            .is_some_and(|h| h.contains("update `video_code` and `authorized_on`"))
    );
}

// ---- Item 6: suppressions with a reason -------------------------------------

#[test]
fn suppressions_need_a_reason_and_show_in_json() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    let case = std::fs::read_to_string(case("i6_suppressions").join("case.yaml")).unwrap();
    // The first allow loses its reason.
    let case = case.replace(
        "# sparkplan-allow: SP204 the creator renews on 2026-12-01 (MKT-142)",
        "# sparkplan-allow: SP204",
    );
    write(dir.path(), "case.yaml", &case);
    let report = check(&[dir.path().to_path_buf()], &opts()).unwrap();
    let got: Vec<_> = reported(dir.path(), &report)
        .into_iter()
        .filter(|k| k.1 == "case.yaml")
        .collect();
    let k = |c: &str, l| (c.to_owned(), "case.yaml".to_owned(), l);
    assert_eq!(
        got,
        [
            k("SP014", 5),
            k("SP014", 14),
            k("SP014", 14),
            k("SP204", 18)
        ]
    );
    let no_reason = &report.diagnostics[0];
    assert_eq!(
        no_reason.message,
        "`sparkplan-allow` on `above_the_key` gives no reason"
    );
    // Still suppressed (with an empty reason), like the one on the key line.
    assert_eq!(report.suppressed.len(), 2);
    assert_eq!(report.suppressed[1].reason, "renewal agreed by mail");

    // `--format json` lists them with their reason; the human format and
    // the summary count only what is reported.
    let out = sparkplan_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sup = doc["suppressed"].as_array().unwrap();
    assert_eq!(sup.len(), 2);
    assert_eq!(sup[1]["code"], "SP204");
    assert_eq!(sup[1]["reason"], "renewal agreed by mail");
    assert_eq!(sup[1]["start"]["line"], 13);
    assert_eq!(doc["summary"]["warnings"], 4);
}

#[test]
fn sp001_and_sp013_cannot_be_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    write(
        dir.path(),
        "posts.yaml",
        "sparkplan: 1\nposts:\n  # sparkplan-allow: SP001 SP013 trying\n  p:\n    identity: acme\n    item_id: \"7300000000000000002\"\n    caption: a: b\n",
    );
    let report = check(&[dir.path().to_path_buf()], &opts()).unwrap();
    assert_eq!(only(&report, "SP001").code(), "SP001");
    assert!(report.suppressed.is_empty());
}

/// newuser.md §2.4: an unused post whose code expired is not authorized.
#[test]
fn the_plan_does_not_authorize_an_expired_unused_code() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    write(
        dir.path(),
        "posts.yaml",
        "sparkplan: 1\nposts:\n  expired_2025:\n    advertiser: acme_us\n    video_code: \"#Expired2025012345=\"\n    authorized_on: \"2025-01-01\"\n  current:\n    advertiser: acme_us\n    video_code: \"#Current0123456789=\"\n    authorized_on: \"2026-11-20\"\n",
    );
    let plan = plan_json(dir.path(), None);
    let authorized: Vec<&str> = plan["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["endpoint"] == "tt_video/authorize")
        .map(|o| o["address"].as_str().unwrap())
        .collect();
    assert_eq!(authorized, ["post.current", "post.long_code"]);
}

/// newuser.md §2.2 (c): quoting a caption whose hashtags YAML had dropped
/// is a correction of the record: SP501 says so, and an allow accepts it.
#[test]
fn correcting_a_caption_record_is_explained_and_can_be_allowed() {
    let post = |caption: &str, allow: &str| {
        format!(
            "sparkplan: 1\nposts:\n  {allow}leo:\n    identity: acme\n    item_id: \"7300000000000000005\"\n    caption: {caption}\n"
        )
    };
    let base_dir = tempfile::tempdir().unwrap();
    write(
        base_dir.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    write(
        base_dir.path(),
        "posts.yaml",
        &post("Sneak peek of the new night cream", ""),
    );
    let new = tempfile::tempdir().unwrap();
    write(
        new.path(),
        "accounts.yaml",
        &std::fs::read_to_string(base()).unwrap(),
    );
    let fixed = "\"Sneak peek of the new night cream #skincare #nightcream\"";
    write(new.path(), "posts.yaml", &post(fixed, ""));
    let args = ["plan", ".", "--base", base_dir.path().to_str().unwrap()];
    let out = sparkplan_in(new.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[SP501]"), "{text}");
    assert!(
        text.contains("the base's caption is the start of the new one"),
        "{text}"
    );
    write(
        new.path(),
        "posts.yaml",
        &post(
            fixed,
            "# sparkplan-allow: SP501 the hashtags were always there on TikTok\n  ",
        ),
    );
    let out = sparkplan_in(new.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // `check` does not call the allow unused: SP501 is only known to `plan --base`.
    let out = sparkplan_in(new.path(), &["check"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "checked 2 files: no problems found\n"
    );
}

/// Issue 12 item 5: `check` exempts expired codes used only by paused ads or
/// ended flights, but a plan that would create those ads must authorize the
/// codes, which TikTok refuses: the plan says so instead of planning it.
/// Against a base that already has the posts, nothing is authorized and the
/// plan is clean.
#[test]
fn a_plan_never_authorizes_an_expired_code() {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let acme = acme.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(&["plan", acme, "--today", "2028-01-01"]);
    assert_eq!(code, Some(1), "{text}");
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(
        heads,
        [
            "error[SP202]: the plan would authorize the code of post `jane_unboxing`, which expired on 2027-11-19",
            "error[SP202]: the plan would authorize the code of post `jane_duet`, which expired on 2027-11-24",
            "error[SP202]: the plan would authorize the code of post `mia_photo`, which expired on 2027-11-19",
            "error[SP202]: the plan would authorize the code of post `sam_review`, which expired on 2027-11-17",
        ],
        "{text}"
    );
    // `check` stays green on the same day (the flights have ended).
    assert_eq!(run(&["check", acme, "--today", "2028-01-01"]).0, Some(0));
    // Already authorized in the base: nothing to authorize, nothing refused.
    let (code, text) = run(&["plan", acme, "--base", acme, "--today", "2028-01-01"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.ends_with("Plan: 0 to add, 0 to change, 0 to replace, 0 to delete.\n"),
        "{text}"
    );
}
