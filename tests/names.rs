//! Display names (`name:`) and renames (`renamed_from:`), issue 17: a name
//! with spaces and `|` reaches the request bodies as written; changing it is
//! an in-place update; a renamed key carries the TikTok resource over, in
//! every plan format and against a git base.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

mod common;
use common::git;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::model::Date;
use sparkplan::plan::{Action, BaseSpec, Plan};
use sparkplan::render::plan::{PlanFormat, render};

const TODAY: &str = "2026-11-29";
const CAMPAIGN: &str = "campaign.holiday_2026";
const GROUP: &str = "campaign.holiday_2026.ad_group.us_broad";
const AD: &str = "campaign.holiday_2026.ad_group.us_broad.ad.kettle";

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn fixture(case: &str) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/plan")
        .join(case);
    (root.join("new"), root.join("base"))
}

fn planned(paths: &[PathBuf], base: Option<&BaseSpec>) -> Plan {
    let o = sparkplan::driver::plan::run(paths, base, &opts()).unwrap();
    assert!(!o.has_errors(), "{:?}", o.diagnostics);
    o.plan.unwrap()
}

fn action(p: &Plan, address: &str) -> Action {
    p.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no resource {address}"))
        .action
}

#[test]
fn a_display_name_with_spaces_and_bars_reaches_the_create_bodies() {
    let (new, _) = fixture("display_name");
    let p = planned(&[new], None);
    let body = |endpoint: &str| {
        &p.operations
            .iter()
            .find(|o| o.endpoint == endpoint)
            .unwrap()
            .body
    };
    assert_eq!(
        body("smart_plus/campaign/create")["campaign_name"],
        "US | Holiday 2026 | Prospecting"
    );
    assert_eq!(
        body("smart_plus/adgroup/create")["adgroup_name"],
        "US | Broad | 18+"
    );
    assert_eq!(
        body("smart_plus/ad/create")["ad_name"],
        "Kettle | Jane & Sam | Unboxing"
    );
    // The JSON plan carries the name byte for byte.
    let text = render(&p, PlanFormat::Json);
    assert!(text.contains(r#""campaign_name": "US | Holiday 2026 | Prospecting""#));
}

#[test]
fn changing_a_display_name_is_an_update_in_place() {
    let (new, base) = fixture("display_name");
    let p = planned(&[new], Some(&BaseSpec::Dir(base)));
    for a in [CAMPAIGN, GROUP, AD] {
        assert_eq!(action(&p, a), Action::Update, "{a}");
    }
    let steps: Vec<(&str, &str)> = p
        .operations
        .iter()
        .map(|o| (o.endpoint, o.address.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("smart_plus/campaign/update", CAMPAIGN),
            ("smart_plus/adgroup/update", GROUP),
            ("smart_plus/ad/update", AD),
        ]
    );
    assert_eq!(
        p.operations[0].body,
        json!({
            "advertiser_id": "7000000000000000001",
            "campaign_id": { "$state": "campaign.holiday_2026.campaign_id" },
            "campaign_name": "US | Holiday 2026 | Prospecting",
        })
        .as_object()
        .unwrap()
        .clone()
    );
    assert_eq!(p.operations[1].body["adgroup_name"], "US | Broad | 18+");
    assert_eq!(
        p.operations[2].body["ad_name"],
        "Kettle | Jane & Sam | Unboxing"
    );
    assert_eq!(
        p.summary.line(),
        "Plan: 0 to add, 3 to change, 0 to replace, 0 to delete."
    );
}

// ---------------------------------------------------------------------------
// Renames

const NEW_CAMPAIGN: &str = "campaign.holiday_us";
const NEW_GROUP: &str = "campaign.holiday_us.ad_group.us_all";
const NEW_AD: &str = "campaign.holiday_us.ad_group.us_all.ad.kettle";

/// The rename fixture's plan: the campaign and its ad group renamed (their
/// TikTok names follow the keys, as they have no `name:`), the ad carried
/// over unchanged, a new ad created in the renamed ad group.
fn assert_renamed(p: &Plan) {
    let renamed: Vec<(&str, Option<&str>, Action)> = p
        .resources
        .iter()
        .filter(|r| r.managed)
        .map(|r| (r.address.as_str(), r.renamed_from.as_deref(), r.action))
        .collect();
    assert_eq!(
        renamed,
        [
            ("post.jane_unboxing", None, Action::NoOp),
            ("post.sam_review", None, Action::NoOp),
            (NEW_CAMPAIGN, Some(CAMPAIGN), Action::Update),
            (NEW_GROUP, Some(GROUP), Action::Update),
            (NEW_AD, Some(AD), Action::NoOp),
            (
                "campaign.holiday_us.ad_group.us_all.ad.kettle_push",
                None,
                Action::Create
            ),
        ]
    );
    // No delete, no create of the renamed ones, no unbind: two name
    // updates on the existing IDs (named by their old addresses, where the
    // IDs are recorded), and the new ad in the existing ad group.
    let steps: Vec<(&str, &str)> = p
        .operations
        .iter()
        .map(|o| (o.endpoint, o.address.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("smart_plus/campaign/update", NEW_CAMPAIGN),
            ("smart_plus/adgroup/update", NEW_GROUP),
            (
                "smart_plus/ad/create",
                "campaign.holiday_us.ad_group.us_all.ad.kettle_push"
            ),
        ]
    );
    assert_eq!(
        p.operations[0].body["campaign_id"],
        json!({"$state": "campaign.holiday_2026.campaign_id"})
    );
    assert_eq!(p.operations[0].body["campaign_name"], "holiday_us");
    assert_eq!(
        p.operations[1].body["adgroup_id"],
        json!({"$state": "campaign.holiday_2026.ad_group.us_broad.adgroup_id"})
    );
    assert_eq!(
        p.operations[2].body["adgroup_id"],
        json!({"$state": "campaign.holiday_2026.ad_group.us_broad.adgroup_id"})
    );
    assert_eq!(
        p.summary.line(),
        "Plan: 1 to add, 2 to change, 0 to replace, 0 to delete."
    );
}

#[test]
fn a_renamed_key_is_carried_over_in_every_format() {
    let (new, base) = fixture("rename");
    let p = planned(&[new], Some(&BaseSpec::Dir(base)));
    assert_renamed(&p);

    let text = render(&p, PlanFormat::Text);
    assert!(
        text.contains(
            "  # campaign.holiday_us is renamed from campaign.holiday_2026 and will be updated in place\n  ~ campaign.holiday_us {\n      ~ campaign_name = \"holiday_2026\" -> \"holiday_us\"\n    }\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  # campaign.holiday_us.ad_group.us_all.ad.kettle is renamed from campaign.holiday_2026.ad_group.us_broad.ad.kettle: the same TikTok resource, carried over (no delete, no create, no API call)\n"),
        "{text}"
    );
    assert!(
        text.ends_with("3 resources renamed: carried over to their new keys, with their TikTok IDs and delivery history.\nPlan: 1 to add, 2 to change, 0 to replace, 0 to delete.\n"),
        "{text}"
    );

    let md = render(&p, PlanFormat::Markdown);
    assert!(
        md.contains("### Renamed: carried over to a new key (1)\n"),
        "{md}"
    );
    assert!(
        md.contains("| `→` rename | `campaign.holiday_us.ad_group.us_all.ad.kettle` | is renamed from campaign.holiday_2026.ad_group.us_broad.ad.kettle"),
        "{md}"
    );
    assert!(
        md.contains("| `~` update | `campaign.holiday_us` | is renamed from campaign.holiday_2026 and will be updated in place (`campaign_name`) |"),
        "{md}"
    );
    assert!(!md.contains("Destructive"), "{md}");
    assert!(
        md.contains("Carried over from `campaign.holiday_2026.ad_group.us_broad.ad.kettle` unchanged: no API call."),
        "{md}"
    );

    let doc: serde_json::Value = serde_json::from_str(&render(&p, PlanFormat::Json)).unwrap();
    let renamed: Vec<(&str, &str)> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["address"].as_str()?, r.get("renamed_from")?.as_str()?)))
        .collect();
    assert_eq!(
        renamed,
        [(NEW_CAMPAIGN, CAMPAIGN), (NEW_GROUP, GROUP), (NEW_AD, AD)]
    );
    // A resource that is not renamed has no `renamed_from` key at all.
    assert!(doc["resources"][0].get("renamed_from").is_none());
}

#[test]
fn a_renamed_key_is_carried_over_against_a_git_base() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let ws = repo.join("ads");
    std::fs::create_dir(&ws).unwrap();
    let (new, base) = fixture("rename");
    std::fs::copy(base.join("workspace.yaml"), ws.join("workspace.yaml")).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    std::fs::copy(new.join("workspace.yaml"), ws.join("workspace.yaml")).unwrap();
    git(repo, &["commit", "-q", "-a", "-m", "rename"]);

    for format in ["json", "text"] {
        let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
            .args([
                "plan", "ads", "--base", "HEAD~1", "--format", format, "--today", TODAY,
            ])
            .current_dir(repo)
            .env_remove("SPARKPLAN_FORMAT")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(doc["base"], "HEAD~1");
            let campaign = doc["resources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["address"] == NEW_CAMPAIGN)
                .unwrap();
            assert_eq!(campaign["renamed_from"], CAMPAIGN);
            let endpoints: Vec<&str> = doc["operations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["endpoint"].as_str().unwrap())
                .collect();
            assert_eq!(
                endpoints,
                [
                    "smart_plus/campaign/update",
                    "smart_plus/adgroup/update",
                    "smart_plus/ad/create"
                ]
            );
        } else {
            assert!(
                stdout.contains("  # campaign.holiday_us is renamed from campaign.holiday_2026"),
                "{stdout}"
            );
        }
    }
}

#[test]
fn a_renamed_from_matching_nothing_in_the_base_warns_where_it_is() {
    let (new, base) = fixture("sp505");
    let o = sparkplan::driver::plan::run(
        std::slice::from_ref(&new),
        Some(&BaseSpec::Dir(base)),
        &opts(),
    )
    .unwrap();
    let prefix = format!("{}/", new.to_string_lossy());
    let mut got: Vec<common::Key> = o
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            let path = o.sources.path(span.file);
            let file = path.strip_prefix(&prefix).unwrap_or(path).to_owned();
            (d.code().to_owned(), file, o.sources.location(span).line)
        })
        .collect();
    got.sort();
    assert_eq!(got, common::expectations(&new));
    // A warning: the plan is made, and the unmatched ones are created.
    let p = o.plan.unwrap();
    assert_eq!(action(&p, NEW_CAMPAIGN), Action::Create);
    assert_eq!(action(&p, CAMPAIGN), Action::Delete);
    assert_eq!(
        action(&p, "campaign.spring_2027.ad_group.us_all"),
        Action::Create
    );
    assert!(p.diagnostics.iter().all(|d| d.code == "SP505"));
    assert_eq!(p.diagnostics.len(), 2);
}

#[test]
fn a_conflicting_renamed_from_stops_the_plan() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let o = sparkplan::driver::plan::run(
        &[
            case.join("_base/accounts.yaml"),
            case.join("SP506/fail_claims"),
        ],
        None,
        &opts(),
    )
    .unwrap();
    assert!(o.has_errors());
    assert!(o.plan.is_none());
}

#[test]
fn a_renamed_ad_alone_is_updated_in_place_and_nothing_is_unbound() {
    let (_, base) = fixture("rename");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(base.join("workspace.yaml"))
        .unwrap()
        .replace(
            "          kettle:\n",
            "          kettle_v2:\n            renamed_from: kettle\n",
        );
    std::fs::write(dir.path().join("workspace.yaml"), text).unwrap();
    let p = planned(&[dir.path().to_path_buf()], Some(&BaseSpec::Dir(base)));
    let new_ad = "campaign.holiday_2026.ad_group.us_broad.ad.kettle_v2";
    assert_eq!(action(&p, new_ad), Action::Update);
    assert_eq!(action(&p, CAMPAIGN), Action::NoOp);
    assert!(p.resources.iter().all(|r| r.address != AD));
    let steps: Vec<(&str, &str)> = p
        .operations
        .iter()
        .map(|o| (o.endpoint, o.address.as_str()))
        .collect();
    assert_eq!(steps, [("smart_plus/ad/update", new_ad)]);
    assert_eq!(
        p.operations[0].body["smart_plus_ad_id"],
        json!({"$state": format!("{AD}.smart_plus_ad_id")})
    );
    assert_eq!(p.operations[0].body["ad_name"], "kettle_v2");
}
