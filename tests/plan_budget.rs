//! The markdown plan fits a pull-request comment whatever the change, on the
//! 10,000-Spark-Ad benchmark corpus (`bench/support/corpus.rs`): the whole
//! comment within `--max-bytes` (65,000 by default), every Mermaid block
//! within 50,000 characters, destructive actions before everything else, and
//! a line saying what was left out and where the full plan is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

#[path = "../bench/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::driver;
use sparkplan::model::Date;
use sparkplan::plan::{BaseSpec, Plan};
use sparkplan::render::plan::{Options, PlanFormat, render, render_with};

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    }
}

fn generate(dir: &Path) {
    corpus::generate(dir, &corpus::Options::default()).unwrap();
}

fn plan_of(new: &Path, base: Option<&Path>) -> Plan {
    let base = base.map(|b| BaseSpec::Dir(b.to_path_buf()));
    let o = driver::plan::run(&[new.to_path_buf()], base.as_ref(), &opts()).unwrap();
    assert!(!o.has_errors(), "{:?}", o.diagnostics.first());
    o.plan.unwrap()
}

/// The content of every ```` ```mermaid ```` block.
fn mermaid_blocks(md: &str) -> Vec<&str> {
    md.split("```mermaid\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap())
        .collect()
}

fn assert_fits(md: &str, what: &str) {
    assert!(md.len() <= 65_000, "{what}: {} bytes", md.len());
    for block in mermaid_blocks(md) {
        assert!(
            block.chars().count() <= 50_000,
            "{what}: a Mermaid block of {} characters",
            block.chars().count()
        );
    }
}

fn campaign_file(root: &Path, n: usize) -> PathBuf {
    root.join(format!("acme/campaigns/c_{n:04}.yaml"))
}

#[test]
fn creating_the_corpus_fits_one_comment_and_says_what_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let p = plan_of(dir.path(), None);
    assert!(p.summary.add > 9_000, "{:?}", p.summary);
    let md = render(&p, PlanFormat::Markdown);
    assert_fits(&md, "create");
    // Summary first, then the counts, then the creates.
    assert!(
        md.starts_with("## sparkplan plan\n\n**Plan: "),
        "{}",
        &md[..200]
    );
    assert!(md.contains("| ads | 2550 | 0 | 0 | 0 |"), "{}", &md[..1000]);
    // What was cut, and where the rest is.
    assert!(
        md.contains("> **This comment is cut to fit 65000 bytes:**"),
        "{}",
        &md[..1500]
    );
    assert!(md.contains("more changes not listed**"));
    assert!(md.contains("`sparkplan plan --format json`"));
    // The chart is there, trimmed, and says so.
    let blocks = mermaid_blocks(&md);
    assert_eq!(blocks.len(), 1);
    assert!(md.contains("posts are charted"), "the trim is not stated");
    // The comment names the artifact when there is one.
    let named = render_with(
        &p,
        PlanFormat::Markdown,
        &Options {
            full_plan: Some("plan.json".into()),
            ..Options::default()
        },
    );
    assert!(named.contains("the full plan is in `plan.json`"));
    assert_fits(&named, "create, named artifact");
    // Without a budget, everything is there.
    let full = render_with(
        &p,
        PlanFormat::Markdown,
        &Options {
            max_bytes: None,
            ..Options::default()
        },
    );
    assert!(full.len() > 1_000_000);
    assert!(!full.contains("This comment is cut"));
    assert!(full.contains("`campaign.acme_c0499`"));
}

#[test]
fn a_one_line_change_fits_and_destructive_actions_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let (base, new) = (dir.path().join("base"), dir.path().join("new"));
    generate(&base);
    generate(&new);

    // One line: a campaign's budget.
    let f = campaign_file(&new, 7);
    let text = std::fs::read_to_string(&f).unwrap();
    let changed = text.replacen("amount: 450 }", "amount: 475 }", 1);
    assert_ne!(text, changed);
    std::fs::write(&f, changed).unwrap();
    let p = plan_of(&new, Some(&base));
    assert_eq!(p.summary.change, 1, "{:?}", p.summary);
    let md = render(&p, PlanFormat::Markdown);
    assert_fits(&md, "one-line change");
    assert!(!md.contains("This comment is cut"), "{md}");
    assert!(
        md.contains("| `~` update | `campaign.acme_c0007` | will be updated in place (`budget`) |"),
        "{md}"
    );
    // No authorization is touched and none ends soon: no chart.
    assert!(mermaid_blocks(&md).is_empty());
    assert!(md.contains("No authorization window is touched by this change"));

    // Now delete one campaign and add another: deletions are listed first,
    // marked, and announced before the tables.
    std::fs::remove_file(campaign_file(&new, 11)).unwrap();
    let added = std::fs::read_to_string(campaign_file(&new, 12))
        .unwrap()
        .replace("acme_c0012:", "acme_c9012:");
    std::fs::write(new.join("acme/campaigns/c_9012.yaml"), added).unwrap();
    let p = plan_of(&new, Some(&base));
    assert!(p.summary.delete > 0 && p.summary.add > 0 && p.summary.change == 1);
    let md = render(&p, PlanFormat::Markdown);
    assert_fits(&md, "delete, update and create");
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in {md}"))
    };
    assert!(at("> **⚠️ Destructive: ") < at("### ⚠️ Destructive"));
    assert!(at("### ⚠️ Destructive") < at("### Updated in place"));
    assert!(at("### Updated in place") < at("### Created"));
    assert!(at("**⚠️ DELETE** `-` | `campaign.acme_c0011`") < at("`~` update"));
    assert!(at("`~` update") < at("`+` create"));
    // The details follow the same order.
    let details = &md[at("### Details")..];
    let d = |needle: &str| details.find(needle).unwrap();
    assert!(d("<code>campaign.acme_c0011</code>") < d("<code>campaign.acme_c0007</code>"));
    assert!(d("<code>campaign.acme_c0007</code>") < d("<code>campaign.acme_c9012</code>"));
    // The deletions are operations that say so.
    assert!(details.contains("**delete** `POST smart_plus/campaign/status/update`"));
}
