//! The policy rules of `[policy]` in `sparkplan.toml` that `plan --base`
//! checks (SP651, SP652; the check-time ones, SP601–SP604, are fixtures of
//! tests/rules.rs), `--allow-deletes` end to end, and `[policy]` errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use sparkplan::check::CheckOptions;
use sparkplan::config::{self, Config};
use sparkplan::diag::FileId;
use sparkplan::driver::plan::{self, Outcome};
use sparkplan::model::Date;
use sparkplan::plan::BaseSpec;

const TODAY: &str = "2026-11-29";

fn opts(toml: &str) -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: config::parse(toml, FileId(0)).unwrap(),
    }
}

fn diff(case: &str, o: &CheckOptions) -> Outcome {
    let root = Path::new("tests/fixtures/plan").join(case);
    plan::run(
        &[root.join("new")],
        Some(&BaseSpec::Dir(root.join("base"))),
        o,
    )
    .unwrap()
}

/// (code, file, line, primary) of every label.
fn located(o: &Outcome) -> Vec<(String, String, usize, bool)> {
    o.diagnostics
        .iter()
        .flat_map(|d| {
            d.labels.iter().map(move |l| {
                (
                    d.code().to_owned(),
                    o.sources.path(l.span.file).to_owned(),
                    o.sources.location(l.span).line,
                    l.primary,
                )
            })
        })
        .collect()
}

const NEW: &str = "tests/fixtures/plan/policy_budget/new/workspace.yaml";
const BASE: &str = "tests/fixtures/plan/policy_budget/base/workspace.yaml";

#[test]
fn sp651_a_budget_raised_past_the_limit_is_refused() {
    // 500 -> 800 (+60%) is refused, 200 -> 250 (+25%) is not.
    let o = diff(
        "policy_budget",
        &opts("[policy]\nmax_budget_increase_percent = 50\n"),
    );
    assert!(o.plan.is_none());
    assert_eq!(
        located(&o),
        [
            ("SP651".into(), NEW.into(), 60, true),
            ("SP651".into(), BASE.into(), 60, false),
        ]
    );
    assert_eq!(
        o.diagnostics[0].message,
        "the budget of campaign `holiday_2026` rises by 60%, from 500 to 800"
    );
    // A higher limit, or none at all: the plan is made.
    for toml in ["[policy]\nmax_budget_increase_percent = 60\n", ""] {
        let o = diff("policy_budget", &opts(toml));
        assert!(o.diagnostics.is_empty(), "{toml}: {:?}", o.diagnostics);
        assert!(o.plan.is_some());
    }
}

#[test]
fn sp651_follows_the_severity_configuration() {
    let o = diff(
        "policy_budget",
        &opts("[policy]\nmax_budget_increase_percent = 10\n[rules]\nSP651 = \"warn\"\n"),
    );
    // 200 -> 250 (+25%) and 500 -> 800 (+60%): both warned, the plan made.
    assert_eq!(o.diagnostics.len(), 2);
    assert!(o.plan.is_some());
}

#[test]
fn sp652_more_deletions_than_allowed_need_allow_deletes() {
    // The `delete` pair removes a campaign, its ad group and its ad.
    let o = diff("delete", &opts("[policy]\nmax_deletes = 2\n"));
    assert!(o.plan.is_none());
    let base = "tests/fixtures/plan/delete/base/workspace.yaml";
    assert_eq!(
        located(&o),
        [
            ("SP652".into(), base.into(), 38, true),
            ("SP652".into(), base.into(), 45, false),
            ("SP652".into(), base.into(), 51, false),
        ]
    );
    assert_eq!(
        o.diagnostics[0].message,
        "the plan deletes 3 resources, more than `max_deletes` (2)"
    );
    // As many as allowed, or `--allow-deletes`: the plan is made, and its
    // summary counts the same deletions.
    let mut allowed = opts("[policy]\nmax_deletes = 2\n");
    allowed.config.policy.allow_deletes = true;
    for o in [
        diff("delete", &opts("[policy]\nmax_deletes = 3\n")),
        diff("delete", &allowed),
    ] {
        assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
        assert_eq!(o.plan.unwrap().summary.delete, 3);
    }
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sparkplan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .env("NO_COLOR", "1");
    c
}

#[test]
fn cli_allow_deletes_lifts_max_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("sparkplan.toml");
    std::fs::write(&toml, "[policy]\nmax_deletes = 1\n").unwrap();
    let run = |extra: &[&str]| {
        let mut c = bin();
        c.args(["plan", "--today", TODAY, "--config"])
            .arg(&toml)
            .args([
                "--base",
                "tests/fixtures/plan/delete/base",
                "tests/fixtures/plan/delete/new",
            ])
            .args(extra);
        c.output().unwrap()
    };
    let refused = run(&[]);
    let stdout = String::from_utf8_lossy(&refused.stdout);
    assert_eq!(refused.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[SP652]: the plan deletes 3 resources, more than `max_deletes` (1)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sparkplan plan --allow-deletes"),
        "{stdout}"
    );
    let allowed = run(&["--allow-deletes"]);
    let stdout = String::from_utf8_lossy(&allowed.stdout);
    assert_eq!(allowed.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Plan: 0 to add, 0 to change, 0 to replace, 3 to delete."),
        "{stdout}"
    );
}

#[test]
fn policy_settings_are_read_and_their_errors_located() {
    let text = "[policy]\nmax_deletes = 5\n[policy.names]\ncampaign = '^[a-z_]+$'\n[policy.landing_pages]\nhttps = true\nutm = [\"utm_source\"]\ntiktok_macros = true\n";
    let c = config::parse(text, FileId(0)).unwrap();
    assert_eq!(c.policy.max_deletes, Some(5));
    assert_eq!(c.policy.name_pattern("campaign"), Some("^[a-z_]+$"));
    assert!(c.policy.https && c.policy.tiktok_macros);
    assert_eq!(c.policy.utm, ["utm_source"]);
    assert_eq!(Config::default().policy, config::policy::Policy::default());

    let text = "[policy.names]\ncampain = 'x'\nad = '[a-'\n";
    let e = config::parse(text, FileId(0)).unwrap_err();
    let found: Vec<(&str, &str)> = e
        .iter()
        .map(|d| (d.code(), &text[d.labels[0].span.range()]))
        .collect();
    // Every problem of the file, sorted by position.
    assert_eq!(found, [("SP003", "campain"), ("SP004", "'[a-'")]);
    assert_eq!(e[0].help.as_deref(), Some("did you mean `campaign`?"));

    let e = config::parse("[policy]\nmax_delete = 1\n", FileId(0)).unwrap_err();
    assert_eq!(e[0].code(), "SP003");
}

#[test]
fn the_agency_policy_of_docs_policy_md_is_valid() {
    let doc = std::fs::read_to_string("docs/policy.md").unwrap();
    let start = doc.find("```toml\n").unwrap() + 8;
    let end = start + doc[start..].find("```").unwrap();
    let c = config::parse(&doc[start..end], FileId(0)).unwrap();
    assert_eq!(c.policy.max_deletes, Some(5));
    assert_eq!(c.policy.names.len(), 4);
    let campaign = config::policy::compile(c.policy.name_pattern("campaign").unwrap()).unwrap();
    assert!(campaign.is_match("holiday_2026"));
    assert!(!campaign.is_match("Holiday2026"));
}
