//! Reuse (issue 21): YAML merge keys (`<<`) and `ad_group_defaults`, through
//! `check` and `plan`, and the 20-market example (examples/markets).
//!
//! Each folder of `tests/fixtures/reuse/` is a workspace checked with
//! `tests/fixtures/rules/_base/accounts.yaml`, with the `# expect:` marks of
//! tests/rules.rs; the tests below also look at the decoded ad groups and
//! at the secondary labels.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use sparkplan::check::{CheckOptions, Report, check};
use sparkplan::config::Config;
use sparkplan::model::{AdGroup, Date};

const TODAY: &str = "2026-11-29";

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reuse")
        .join(name)
}

fn run(name: &str) -> Report {
    let base =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/_base/accounts.yaml");
    let r = check(&[base, case(name)], &opts()).unwrap();
    assert_eq!(
        common::reported(&case(name), &r),
        common::expectations(&case(name)),
        "{name}: {:#?}",
        r.diagnostics
    );
    r
}

fn group<'r>(r: &'r Report, campaign: &str, name: &str) -> &'r AdGroup {
    r.workspace.campaigns[campaign]
        .value
        .ad_groups
        .as_ref()
        .unwrap()
        .iter()
        .find(|(n, _)| n.value == name)
        .map(|(_, g)| g)
        .unwrap_or_else(|| panic!("no ad group {name}"))
}

fn locations(g: &AdGroup) -> Vec<String> {
    g.locations
        .value
        .iter()
        .map(|l| format!("{:?}", l.value))
        .collect()
}

fn budget(g: &AdGroup) -> f64 {
    g.budget.as_ref().unwrap().value.amount.value
}

fn ads(g: &AdGroup) -> Vec<&str> {
    g.ads
        .as_ref()
        .unwrap()
        .iter()
        .map(|(n, _)| n.value.as_str())
        .collect()
}

fn line(r: &Report, span: sparkplan::diag::Span) -> usize {
    r.sources().location(span).line
}

#[test]
fn merge_keys_follow_yaml_precedence() {
    let r = run("merge_precedence");
    let (us, ca, gb, de) = (
        group(&r, "holiday", "us"),
        group(&r, "holiday", "ca"),
        group(&r, "holiday", "gb"),
        group(&r, "holiday", "de"),
    );
    assert_eq!(budget(us), 50.0);
    assert_eq!(budget(ca), 40.0, "explicit keys win");
    assert_eq!(budget(gb), 40.0, "earlier merged mappings win");
    assert_eq!(locations(gb), locations(ca));
    assert_eq!(budget(de), 40.0, "merges nest");
    assert_eq!(locations(de).len(), 2, "lists are taken whole");
    assert_eq!(
        ads(de),
        ["kettle", "kettle_de"],
        "merges inside nested mappings"
    );
    assert_eq!(ads(gb), ["kettle"]);
    // A merged value points where it is written: `gb`'s schedule is `us`'s.
    assert_eq!(line(&r, gb.schedule.span), 14);
    assert_eq!(line(&r, de.schedule.span), 35);
    // The plan has the four ad groups.
    let base =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/_base/accounts.yaml");
    let o = sparkplan::driver::plan::run(&[base, case("merge_precedence")], None, &opts()).unwrap();
    let p = o.plan.unwrap();
    let groups = p
        .resources
        .iter()
        .filter(|c| c.address.contains(".ad_group.") && !c.address.contains(".ad."))
        .count();
    assert_eq!(groups, 4);
}

#[test]
fn a_mistake_in_merged_content_is_labelled_at_each_merge() {
    let r = run("merge_diagnostic");
    let d = r.diagnostics.iter().find(|d| d.code() == "SP004").unwrap();
    let labels: Vec<(usize, bool, Option<&str>)> = d
        .labels
        .iter()
        .map(|l| (line(&r, l.span), l.primary, l.message.as_deref()))
        .collect();
    // `ca` (line 19) and `fr` (line 26) merge the placements; `de` overrides them.
    assert_eq!(
        labels,
        [
            (16, true, Some("not a valid placement")),
            (19, false, Some("merged here")),
            (26, false, Some("merged here")),
        ]
    );
    // A key written in the mapping itself has no merge label.
    let d = r.diagnostics.iter().find(|d| d.code() == "SP003").unwrap();
    assert_eq!(d.labels.len(), 1);
}

#[test]
fn ad_group_defaults_are_overridden_field_by_field() {
    let r = run("defaults_override");
    let (us, de) = (group(&r, "holiday", "us"), group(&r, "holiday", "de"));
    assert_eq!(budget(us), 50.0);
    // Mappings merge at every depth: `de` keeps the default budget mode.
    assert_eq!(budget(de), 80.0);
    assert_eq!(
        de.budget.as_ref().unwrap().value.mode.value,
        us.budget.as_ref().unwrap().value.mode.value
    );
    assert_eq!(locations(de).len(), 2);
    assert_eq!(ads(us), ["kettle"]);
    assert_eq!(ads(de), ["kettle", "kettle_gift"]);
    let kettle_de = de.ads.as_ref().unwrap().iter().next().unwrap().1;
    let texts: Vec<&str> = kettle_de
        .ad_texts
        .as_ref()
        .unwrap()
        .value
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(texts, ["Weihnachtsangebote"], "lists are replaced");
    // The ad's other fields come from the defaults, and point there.
    assert_eq!(
        line(&r, kettle_de.landing_page_url.as_ref().unwrap().span),
        22
    );
    assert_eq!(line(&r, us.schedule.span), 13);
}

#[test]
fn diagnostics_about_defaults_point_into_ad_group_defaults() {
    let r = run("defaults_diagnostic");
    let sp412: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code() == "SP412")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        sp412,
        [
            "the budget of ad group `de` is ignored: campaign `holiday` has a budget",
            "the budget of ad group `us` is ignored: campaign `holiday` has a budget",
        ]
    );
}

#[test]
fn the_twenty_market_example_checks_clean_and_plans_twenty_ad_groups() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/markets");
    // Under its own policy (naming, https, UTM parameters, macros).
    let toml = std::fs::read_to_string(dir.join("sparkplan.toml")).unwrap();
    let mut o = opts();
    o.config = sparkplan::config::parse(&toml, sparkplan::diag::FileId(0)).unwrap();
    assert!(!o.config.policy.names.is_empty() && o.config.policy.tiktok_macros);
    let r = check(std::slice::from_ref(&dir), &o).unwrap();
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);

    // End to end: the CLI finds the example's sparkplan.toml.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .args([
            "plan",
            "--today",
            TODAY,
            "--format",
            "json",
            "examples/markets",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let addresses: Vec<&str> = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    let groups: Vec<&&str> = addresses
        .iter()
        .filter(|a| a.contains(".ad_group.") && !a.contains(".ad."))
        .collect();
    assert_eq!(groups.len(), 20, "{groups:?}");
    assert_eq!(addresses.iter().filter(|a| a.contains(".ad.")).count(), 20);
    // The campaign, 20 ad groups, 20 ads and the creator code authorized.
    assert_eq!(plan["summary"]["add"], 42, "{}", plan["summary"]);
    // Each market's values: Austria merges Germany's setup (`<<: *dach`),
    // over the campaign's defaults.
    let at = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "campaign.holiday_2026.ad_group.at")
        .unwrap();
    let s = at.to_string();
    assert!(s.contains("\"budget\":200"), "{s}");
    assert!(s.contains("2026-11-30 00:00:00"), "{s}");
    assert!(s.contains("BUDGET_MODE_DYNAMIC_DAILY_BUDGET"), "{s}");
}

#[test]
fn defaults_copied_past_the_limits_are_sp013() {
    // 200 ad groups, each getting a copy of 12 default fields.
    let mut text = String::from(
        "sparkplan: 1\ncampaigns:\n  c:\n    advertiser: a\n    type: smart_plus\n    objective: web_conversions\n    sales_destination: website\n    ad_group_defaults:\n      schedule: { start: \"2026-12-01\", end: \"2026-12-31\" }\n      budget: { mode: daily, amount: 100 }\n      optimization_goal: click\n      bid_type: no_bid\n    ad_groups:\n",
    );
    for i in 0..200 {
        text.push_str(&format!("      g{i}: {{ locations: [US] }}\n"));
    }
    let load = |max_nodes: usize| {
        let opts = sparkplan::workspace::LoadOptions {
            limits: sparkplan::syntax::Limits {
                max_nodes,
                ..Default::default()
            },
        };
        sparkplan::workspace::load_bytes("m.yaml", text.as_bytes(), &opts)
    };
    let ws = load(2_000);
    let codes: Vec<(&str, usize)> = ws
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code(),
                ws.sources.location(d.primary_span().unwrap()).line,
            )
        })
        .collect();
    // At `ad_group_defaults:`, and nothing of the file is decoded.
    assert_eq!(codes, [("SP013", 8)]);
    assert!(ws.campaigns.is_empty());
    // The default limit: 200 ad groups are decoded.
    let ws = load(1_000_000);
    assert_eq!(
        ws.campaigns["c"]
            .value
            .ad_groups
            .as_ref()
            .unwrap()
            .entries
            .len(),
        200
    );
}
