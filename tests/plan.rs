//! `sparkplan plan`: snapshots of the three formats for `examples/acme`,
//! diffs over fixture pairs (tests/fixtures/plan/<case>/{base,new}), the
//! pair rules SP501–SP503, authorization batches, `--base GITREF` over a
//! real repository, the JSON Schema of the plan and determinism.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

mod common;
use common::git;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::driver::{self, plan::Outcome};
use sparkplan::model::Date;
use sparkplan::plan::{self, Action, BaseSpec, Plan};
use sparkplan::render::plan::{PlanFormat, render};

const TODAY: &str = "2026-11-29";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sparkplan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .env("NO_COLOR", "1");
    c
}

fn acme(format: &str) -> String {
    let out = bin()
        .args([
            "plan",
            "examples/acme",
            "--today",
            TODAY,
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn fixture(case: &str) -> (PathBuf, PathBuf) {
    let root = Path::new("tests/fixtures/plan").join(case);
    (root.join("new"), root.join("base"))
}

/// Plans a fixture pair through the library.
fn diff(case: &str) -> Outcome {
    let (new, base) = fixture(case);
    driver::plan::run(&[new], Some(&BaseSpec::Dir(base)), &opts()).unwrap()
}

fn planned(case: &str) -> Plan {
    let o = diff(case);
    assert!(!o.has_errors(), "{case}: {:?}", o.diagnostics);
    o.plan.unwrap()
}

fn action(p: &Plan, address: &str) -> Action {
    p.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no resource {address}"))
        .action
}

/// (step, endpoint, address) of every operation.
fn ops(p: &Plan) -> Vec<(usize, &str, &str)> {
    p.operations
        .iter()
        .map(|o| (o.step, o.endpoint, o.address.as_str()))
        .collect()
}

const CAMPAIGN: &str = "campaign.holiday_2026";
const GROUP: &str = "campaign.holiday_2026.ad_group.us_broad";
const AD: &str = "campaign.holiday_2026.ad_group.us_broad.ad.kettle";

// ---------------------------------------------------------------------------
// examples/acme

#[test]
fn acme_text_snapshot() {
    insta::assert_snapshot!("acme_text", acme("text"));
}

#[test]
fn acme_json_snapshot() {
    insta::assert_snapshot!("acme_json", acme("json"));
}

#[test]
fn acme_markdown_snapshot() {
    insta::assert_snapshot!("acme_markdown", acme("markdown"));
}

#[test]
fn acme_plan_is_byte_identical_across_runs() {
    for f in ["text", "json", "markdown"] {
        assert_eq!(acme(f), acme(f), "{f}");
    }
}

#[test]
fn acme_operations_follow_dependency_order() {
    let p: Value = serde_json::from_str(&acme("json")).unwrap();
    let ops = p["operations"].as_array().unwrap();
    let endpoints: Vec<&str> = ops
        .iter()
        .map(|o| o["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(
        endpoints,
        [
            "tt_video/authorize",
            "tt_video/info",
            "tt_video/authorize",
            "tt_video/info",
            "tt_video/authorize",
            "tt_video/info",
            "tt_video/authorize",
            "tt_video/info",
            "smart_plus/campaign/create",
            "smart_plus/adgroup/create",
            "smart_plus/ad/create",
            "smart_plus/adgroup/create",
            "smart_plus/ad/create",
            "smart_plus/campaign/create",
            "smart_plus/adgroup/create",
            "smart_plus/ad/create",
            "smart_plus/ad/create",
        ]
    );
    // The duet carries both codes.
    assert_eq!(ops[0]["address"], "post.jane_duet");
    assert_eq!(
        ops[0]["body"]["original_post_auth_code"],
        "#FirstCreatorCode0123="
    );
    assert_eq!(ops[0]["batch"], 1);
    assert_eq!(ops[0]["method"], "POST");
    assert_eq!(ops[0]["outputs"], serde_json::json!([]));
    // The authorize response carries no data: `GET tt_video/info` yields the
    // post's item and identity.
    assert_eq!(ops[1]["method"], "GET");
    assert_eq!(ops[1]["action"], "read");
    assert_eq!(ops[1]["address"], "post.jane_duet");
    assert_eq!(
        ops[1]["body"],
        serde_json::json!({"advertiser_id": ops[0]["body"]["advertiser_id"], "auth_code": ops[0]["body"]["auth_code"]})
    );
    assert_eq!(
        ops[1]["outputs"],
        serde_json::json!(["post.jane_duet.item_id", "post.jane_duet.identity_id"])
    );
    // Values known only after an earlier call are references to it.
    let kettle = &ops[12]["body"];
    assert_eq!(
        kettle["adgroup_id"]["$ref"],
        "campaign.holiday_2026.ad_group.us_broad.adgroup_id"
    );
    let first = &kettle["creative_list"][0]["creative_info"];
    assert_eq!(first["identity_type"], "AUTH_CODE");
    assert_eq!(
        first["tiktok_item_id"]["$ref"],
        "post.jane_unboxing.item_id"
    );
    assert_eq!(
        first["identity_id"]["$ref"],
        "post.jane_unboxing.identity_id"
    );
    let push = &kettle["creative_list"][3]["creative_info"];
    assert_eq!(push["identity_type"], "BC_AUTH_TT");
    assert_eq!(push["identity_authorized_bc_id"], "7100000000000000001");
    assert_eq!(
        push["video_info"]["video_id"],
        "v10033g50000abcdefghijklmnopqrst"
    );
    assert_eq!(kettle["ad_configuration"]["dark_post_status"], "ON");
    assert_eq!(
        kettle["ad_configuration"]["call_to_action_id"],
        "7400000000000000001"
    );
    // The photo post is a carousel with its music.
    let teas = &ops[15]["body"]["creative_list"][0]["creative_info"];
    assert_eq!(teas["ad_format"], "CAROUSEL_ADS");
    assert_eq!(teas["music_info"]["music_id"], "7200000000000000009");
    // Campaign and ad group bodies.
    let holiday = &ops[8]["body"];
    assert_eq!(holiday["objective_type"], "WEB_CONVERSIONS");
    assert_eq!(holiday["budget_mode"], "BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
    assert!(
        holiday["request_id"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_digit())
    );
    let us_ca = &ops[14]["body"];
    assert_eq!(us_ca["placement_type"], "PLACEMENT_TYPE_NORMAL");
    assert_eq!(us_ca["placements"], serde_json::json!(["PLACEMENT_TIKTOK"]));
    // The account is UTC-05:00 all year (America/New_York's standard
    // offset: TikTok accounts keep no daylight saving time), and the API
    // takes schedule times in UTC+0.
    assert_eq!(us_ca["schedule_start_time"], "2027-03-01 05:00:00");
    assert_eq!(us_ca["schedule_end_time"], "2027-06-01 04:59:59");
    // Locations are TikTok location IDs: the US and Canada's GeoNames IDs.
    assert_eq!(
        us_ca["targeting_spec"]["location_ids"],
        serde_json::json!(["6252001", "6251999"])
    );
    assert_eq!(us_ca["budget_mode"], "BUDGET_MODE_TOTAL");
}

#[test]
fn json_plan_validates_against_the_committed_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/plan.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let validator = jsonschema::options().build(&schema).unwrap();
    let mut docs: Vec<Value> = vec![serde_json::from_str(&acme("json")).unwrap()];
    for case in [
        "update",
        "replace",
        "delete",
        "unbind",
        "sp503",
        "new_code",
        "removed_field",
        "cbo_budget",
    ] {
        let p = planned(case);
        docs.push(serde_json::from_str(&render(&p, PlanFormat::Json)).unwrap());
    }
    for doc in &docs {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The schema is strict enough to reject a wrong document.
    let mut bad = docs[0].clone();
    bad["operations"][0]["action"] = Value::from("destroy");
    assert!(!validator.is_valid(&bad));
    bad = docs[0].clone();
    bad["format_version"] = Value::from("2");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn committed_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/plan.schema.json");
    let generated = plan::json_schema();
    if std::env::var_os("SPARKPLAN_BLESS").is_some() {
        std::fs::create_dir_all(Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/plan.schema.json is stale: rerun with SPARKPLAN_BLESS=1"
    );
}

// ---------------------------------------------------------------------------
// Actions over fixture pairs

#[test]
fn create_adds_only_the_new_ad() {
    let p = planned("create");
    let ad = "campaign.holiday_2026.ad_group.us_broad.ad.kettle_push";
    assert_eq!(action(&p, ad), Action::Create);
    assert_eq!(action(&p, AD), Action::NoOp);
    assert_eq!(action(&p, "post.jane_unboxing"), Action::NoOp);
    assert_eq!(ops(&p), [(1, "smart_plus/ad/create", ad)]);
    // Its ad group exists already: read from the account, not from this plan.
    assert_eq!(
        p.operations[0].body["adgroup_id"],
        serde_json::json!({"$state": format!("{GROUP}.adgroup_id")})
    );
    assert_eq!(
        p.summary.line(),
        "Plan: 1 to add, 0 to change, 0 to replace, 0 to delete."
    );
    assert!(p.authorization_batches.is_empty());
}

#[test]
fn update_lists_changed_fields_and_sends_them() {
    let p = planned("update");
    assert_eq!(action(&p, CAMPAIGN), Action::Update);
    assert_eq!(action(&p, GROUP), Action::Update);
    assert_eq!(action(&p, AD), Action::NoOp);
    let c = p.resources.iter().find(|r| r.address == CAMPAIGN).unwrap();
    assert_eq!(c.changes.len(), 1);
    assert_eq!(c.changes[0].field, "budget");
    assert_eq!(c.changes[0].old, Some(Value::from(500)));
    assert_eq!(c.changes[0].new, Some(Value::from(650)));
    let g = p.resources.iter().find(|r| r.address == GROUP).unwrap();
    assert_eq!(g.changes[0].field, "targeting_spec.location_ids");
    assert_eq!(
        ops(&p),
        [
            (1, "smart_plus/campaign/update", CAMPAIGN),
            (2, "smart_plus/adgroup/update", GROUP)
        ]
    );
    let body = &p.operations[0].body;
    assert_eq!(
        body["campaign_id"]["$state"],
        "campaign.holiday_2026.campaign_id"
    );
    assert_eq!(body["budget"], 650);
    assert!(body.get("objective_type").is_none());
    assert_eq!(
        p.operations[1].body["targeting_spec"]["location_ids"],
        serde_json::json!(["6252001", "6251999"])
    );
    let text = render(&p, PlanFormat::Text);
    assert!(
        text.contains("  ~ campaign.holiday_2026 {\n      ~ budget = 500 -> 650\n    }\n"),
        "{text}"
    );
    assert!(text.ends_with("Plan: 0 to add, 2 to change, 0 to replace, 0 to delete.\n"));
}

#[test]
fn replace_deletes_then_recreates_the_campaign_and_its_children() {
    let o = diff("replace");
    let codes: Vec<_> = o.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["SP503"]);
    let p = o.plan.unwrap();
    assert_eq!(action(&p, CAMPAIGN), Action::Replace);
    assert_eq!(action(&p, GROUP), Action::Replace);
    assert_eq!(action(&p, AD), Action::Replace);
    let c = p.resources.iter().find(|r| r.address == CAMPAIGN).unwrap();
    assert_eq!(
        c.reason.as_deref(),
        Some("`objective_type` cannot change after the campaign is created")
    );
    assert!(c.changes[0].forces_replacement);
    assert_eq!(
        ops(&p),
        [
            (1, "smart_plus/ad/status/update", AD),
            (2, "smart_plus/adgroup/status/update", GROUP),
            (3, "smart_plus/campaign/status/update", CAMPAIGN),
            (4, "smart_plus/campaign/create", CAMPAIGN),
            (5, "smart_plus/adgroup/create", GROUP),
            (6, "smart_plus/ad/create", AD),
        ]
    );
    // The new ad group hangs off the new campaign; the old one is read from the account.
    assert_eq!(
        p.operations[4].body["campaign_id"]["$ref"],
        "campaign.holiday_2026.campaign_id"
    );
    assert_eq!(
        p.operations[2].body["campaign_ids"][0]["$state"],
        "campaign.holiday_2026.campaign_id"
    );
    assert_eq!(p.operations[2].body["operation_status"], "DELETE");
    // Posts that did not change stay: the new ad reads them from the account.
    let info = &p.operations[5].body["creative_list"][0]["creative_info"];
    assert_eq!(
        info["tiktok_item_id"]["$state"],
        "post.jane_unboxing.item_id"
    );
    assert_eq!(
        p.summary.line(),
        "Plan: 0 to add, 0 to change, 3 to replace, 0 to delete."
    );
    let text = render(&p, PlanFormat::Text);
    assert!(text.contains(
        "-/+ campaign.holiday_2026 {\n      ~ objective_type    = \"WEB_CONVERSIONS\" -> \"LEAD_GENERATION\" # forces replacement\n"
    ), "{text}");
}

#[test]
fn delete_removes_children_first() {
    let p = planned("delete");
    let c = "campaign.winter_2026";
    let g = "campaign.winter_2026.ad_group.us_all";
    let a = "campaign.winter_2026.ad_group.us_all.ad.cozy";
    assert_eq!(action(&p, c), Action::Delete);
    assert_eq!(action(&p, a), Action::Delete);
    assert_eq!(
        ops(&p),
        [
            (1, "smart_plus/ad/status/update", a),
            (2, "smart_plus/adgroup/status/update", g),
            (3, "smart_plus/campaign/status/update", c),
        ]
    );
    assert_eq!(
        p.operations[0].body["smart_plus_ad_ids"][0]["$state"],
        format!("{a}.smart_plus_ad_id")
    );
    // The post is still used elsewhere: it is not unbound.
    assert_eq!(action(&p, "post.jane_unboxing"), Action::NoOp);
    assert_eq!(
        p.summary.line(),
        "Plan: 0 to add, 0 to change, 0 to replace, 3 to delete."
    );
}

#[test]
fn no_op_plans_nothing() {
    let p = planned("no_op");
    assert!(p.operations.is_empty());
    assert!(p.summary.is_empty());
    assert!(p.resources.iter().all(|r| r.action == Action::NoOp));
    assert_eq!(p.summary.no_op, 5);
    let text = render(&p, PlanFormat::Text);
    assert!(text.contains("No changes"), "{text}");
    assert!(text.ends_with("Plan: 0 to add, 0 to change, 0 to replace, 0 to delete.\n"));
}

#[test]
fn removing_a_post_and_its_creative_updates_the_ad_before_unbinding() {
    let p = planned("unbind");
    assert_eq!(action(&p, "post.sam_review"), Action::Delete);
    assert_eq!(action(&p, AD), Action::Update);
    assert_eq!(
        ops(&p),
        [
            (1, "smart_plus/ad/update", AD),
            (2, "tt_video/unbind", "post.sam_review"),
        ]
    );
    let update = &p.operations[0].body;
    assert_eq!(
        update["smart_plus_ad_id"]["$state"],
        format!("{AD}.smart_plus_ad_id")
    );
    // The whole creative list is resubmitted.
    assert_eq!(update["creative_list"].as_array().unwrap().len(), 1);
    assert_eq!(
        p.operations[1].body["item_id"]["$state"],
        "post.sam_review.item_id"
    );
    let a = p.resources.iter().find(|r| r.address == AD).unwrap();
    assert_eq!(a.changes[0].field, "creative_list");
}

// ---------------------------------------------------------------------------
// SP501–SP503

fn located(o: &Outcome) -> Vec<(String, String, usize)> {
    o.diagnostics
        .iter()
        .flat_map(|d| {
            d.labels.iter().map(move |l| {
                (
                    d.code().to_owned(),
                    o.sources.path(l.span.file).to_owned(),
                    o.sources.location(l.span).line,
                )
            })
        })
        .collect()
}

#[test]
fn sp501_caption_changed_under_the_same_code() {
    let o = diff("sp501");
    assert!(o.plan.is_none());
    assert_eq!(
        located(&o),
        [
            (
                "SP501".into(),
                "tests/fixtures/plan/sp501/new/workspace.yaml".into(),
                21
            ),
            (
                "SP501".into(),
                "tests/fixtures/plan/sp501/base/workspace.yaml".into(),
                21
            ),
        ]
    );
    assert!(o.diagnostics[0].is_error());
}

#[test]
fn sp502_visibility_changed_while_ads_use_the_post() {
    let o = diff("sp502");
    assert!(o.plan.is_none());
    assert_eq!(
        located(&o),
        [
            (
                "SP502".into(),
                "tests/fixtures/plan/sp502/new/workspace.yaml".into(),
                28
            ),
            (
                "SP502".into(),
                "tests/fixtures/plan/sp502/base/workspace.yaml".into(),
                28
            ),
        ]
    );
    assert_eq!(
        o.diagnostics[0].message,
        "the visibility of post `sam_review` changed from `private` to `public` while ads use it"
    );
}

#[test]
fn sp503_budget_mode_change_warns_and_replaces() {
    let o = diff("sp503");
    assert_eq!(
        located(&o),
        [
            (
                "SP503".into(),
                "tests/fixtures/plan/sp503/new/workspace.yaml".into(),
                43
            ),
            (
                "SP503".into(),
                "tests/fixtures/plan/sp503/base/workspace.yaml".into(),
                43
            ),
        ]
    );
    assert!(!o.diagnostics[0].is_error());
    let p = o.plan.unwrap();
    assert_eq!(action(&p, CAMPAIGN), Action::Replace);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].code, "SP503");
    assert_eq!(p.diagnostics[0].line, Some(43));
}

#[test]
fn cli_prints_errors_and_no_plan() {
    let out = bin()
        .args([
            "plan",
            "tests/fixtures/plan/sp501/new",
            "--base",
            "tests/fixtures/plan/sp501/base",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("error[SP501]"), "{stdout}");
    assert!(
        stdout.contains("--> tests/fixtures/plan/sp501/new/workspace.yaml:21:14"),
        "{stdout}"
    );
    assert!(!stdout.contains("Plan:"), "{stdout}");
}

#[test]
fn cli_warnings_go_to_stderr_for_text_and_into_json() {
    let run = |format: &str| {
        bin()
            .args([
                "plan",
                "tests/fixtures/plan/sp503/new",
                "--base",
                "tests/fixtures/plan/sp503/base",
                "--today",
                TODAY,
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let text = run("text");
    assert_eq!(text.status.code(), Some(0));
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert!(stderr.contains("warning[SP503]"), "{stderr}");
    assert!(
        String::from_utf8(text.stdout)
            .unwrap()
            .contains("-/+ campaign.holiday_2026")
    );
    let json = run("json");
    assert!(json.stderr.is_empty());
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SP503");
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");
    assert_eq!(doc["base"], "tests/fixtures/plan/sp503/base");
}

// ---------------------------------------------------------------------------
// Batches

fn write_code_posts(dir: &Path, n: usize) {
    let mut y = String::from(
        "sparkplan: 1\nadvertisers:\n  acme_us:\n    advertiser_id: \"7000000000000000001\"\nposts:\n",
    );
    for i in 0..n {
        y.push_str(&format!(
            "  creator_{i:02}:\n    advertiser: acme_us\n    video_code: \"#CreatorCode{i:04}abcdXYZ=\"\n    authorized_on: \"2026-11-20\"\n    caption: \"post {i}\"\n"
        ));
    }
    std::fs::write(dir.join("posts.yaml"), y).unwrap();
}

#[test]
fn forty_six_codes_make_batches_of_20_20_and_6() {
    let dir = tempfile::tempdir().unwrap();
    write_code_posts(dir.path(), 46);
    let o = driver::plan::run(&[dir.path().to_path_buf()], None, &opts()).unwrap();
    let p = o.plan.unwrap();
    let sizes: Vec<usize> = p
        .authorization_batches
        .iter()
        .map(|b| b.posts.len())
        .collect();
    assert_eq!(sizes, [20, 20, 6]);
    assert_eq!(p.authorization_batches[1].posts[0], "post.creator_20");
    // Each authorize is followed by its `tt_video/info` read.
    assert_eq!(p.authorization_batches[2].steps, [81, 83, 85, 87, 89, 91]);
    assert_eq!(p.operations.len(), 92);
    assert_eq!(p.operations[39].batch, Some(1));
    assert_eq!(p.operations[40].batch, Some(2));
    assert_eq!(p.operations[90].address, "post.creator_45");
    assert_eq!(p.operations[90].endpoint, "tt_video/authorize");
    assert_eq!(p.operations[91].endpoint, "tt_video/info");
    assert_eq!(p.operations[91].batch, Some(3));
    let md = render(&p, PlanFormat::Markdown);
    assert!(md.contains("| 3 | 6 | 81–91 |"), "{md}");
}

// ---------------------------------------------------------------------------
// --base GITREF

#[test]
fn base_from_git_reads_the_commit_without_touching_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let ws = repo.join("ads");
    std::fs::create_dir(&ws).unwrap();
    let (new, base) = fixture("unbind");
    let copy = |from: &Path| {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(from)
                .join("workspace.yaml"),
            ws.join("workspace.yaml"),
        )
        .unwrap();
    };
    copy(&base);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    copy(&new);
    git(repo, &["commit", "-q", "-a", "-m", "drop sam_review"]);
    // An uncommitted edit in the working tree is what `plan` reads as new.
    let edited = std::fs::read_to_string(ws.join("workspace.yaml"))
        .unwrap()
        .replace("amount: 500", "amount: 800");
    std::fs::write(ws.join("workspace.yaml"), &edited).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args([
            "plan", "ads", "--base", "HEAD~1", "--format", "json", "--today", TODAY,
        ])
        .current_dir(repo)
        .env_remove("SPARKPLAN_FORMAT")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["base"], "HEAD~1");
    let endpoints: Vec<(&str, &str)> = doc["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["endpoint"].as_str().unwrap(),
                o["address"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        endpoints,
        [
            ("smart_plus/campaign/update", CAMPAIGN),
            ("smart_plus/ad/update", AD),
            ("tt_video/unbind", "post.sam_review"),
        ]
    );
    // The working tree and the index are untouched.
    assert_eq!(
        std::fs::read_to_string(ws.join("workspace.yaml")).unwrap(),
        edited
    );
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        " M ads/workspace.yaml\n"
    );

    // Diagnostics in the base are shown as REV:path.
    let sp502 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan/sp502/new/workspace.yaml"),
    )
    .unwrap();
    copy(&base);
    git(repo, &["commit", "-q", "-a", "-m", "back to base"]);
    std::fs::write(ws.join("workspace.yaml"), sp502).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args([
            "plan", "ads", "--base", "HEAD", "--today", TODAY, "--color", "never",
        ])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("--> ads/workspace.yaml:28:17"), "{stdout}");
    assert!(stdout.contains("HEAD:ads/workspace.yaml:28:17"), "{stdout}");

    // A revision that does not exist is a failure to run (exit 2).
    let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(["plan", "ads", "--base", "no-such-ref", "--today", TODAY])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-ref"));

    // The repository is found from the workspace path, not the current folder.
    let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args([
            "plan", "--base", "HEAD", "--today", TODAY, "--color", "never",
        ])
        .arg(&ws)
        .current_dir("/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("HEAD:ads/workspace.yaml:28:17")
    );
}

/// A repository with the workspace `ws/`: `base` committed, then `head`
/// written over it (a `None` text deletes the file). Returns the folder and
/// the workspace's absolute path.
fn base_repo(base: &[(&str, &str)], head: &[(&str, Option<&str>)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().canonicalize().unwrap();
    git(&repo, &["init", "-q"]);
    let ws = repo.join("ws");
    std::fs::create_dir(&ws).unwrap();
    for (name, text) in base {
        std::fs::write(ws.join(name), text).unwrap();
    }
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    for (name, text) in head {
        match text {
            Some(t) => std::fs::write(ws.join(name), t).unwrap(),
            None => std::fs::remove_file(ws.join(name)).unwrap(),
        }
    }
    (dir, ws)
}

/// The path and line:column a label of `d` points at.
fn label_at(o: &Outcome, d: &sparkplan::diag::Diagnostic, primary: bool) -> (String, usize, usize) {
    let l = d.labels.iter().find(|l| l.primary == primary).unwrap();
    let at = o.sources.location(l.span);
    (o.sources.path(l.span.file).to_owned(), at.line, at.column)
}

const SPARE: &str =
    "sparkplan: 1\nadvertisers:\n  spare:\n    advertiser_id: \"7000000000000000009\"\n";

#[test]
fn base_from_git_reuses_unchanged_files_and_points_into_the_right_ones() {
    // The base: an unchanged file (b.yaml, parsed once and reused), a file
    // that changes (workspace.yaml) and one the working tree deleted
    // (a_old.yaml, where the base defines sam_review); the working tree
    // also has a file of its own (c_new.yaml). Base files are ordered and
    // numbered otherwise than the workspace's.
    let fixture = |side: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/plan/sp502")
                .join(side)
                .join("workspace.yaml"),
        )
        .unwrap()
    };
    let (base_ws, sam) = {
        let text = fixture("base");
        let start = text.find("  sam_review:").unwrap();
        let end = text.find("\nmedia:").unwrap();
        (
            format!("{}{}", &text[..start], &text[end + 1..]),
            text[start..end + 1].to_owned(),
        )
    };
    let a_old = format!("sparkplan: 1\n# moved to workspace.yaml\nposts:\n{sam}");
    let new_ws = fixture("new").replace(
        "caption: \"Unboxing the new Acme kettle\"",
        "caption: \"Unboxing the new Acme kettle (2)\"",
    );
    let fresh = SPARE.replace("spare", "fresh").replace("09\"", "07\"");
    let (_dir, ws) = base_repo(
        &[
            ("a_old.yaml", &a_old),
            ("b.yaml", SPARE),
            ("workspace.yaml", &base_ws),
        ],
        &[
            ("a_old.yaml", None),
            ("c_new.yaml", Some(&fresh)),
            ("workspace.yaml", Some(&new_ws)),
        ],
    );
    let o = driver::plan::run(
        std::slice::from_ref(&ws),
        Some(&BaseSpec::Git("HEAD".into())),
        &opts(),
    )
    .unwrap();
    let head = |name: &str| format!("{}/{name}", ws.display());
    let found = |code: &str| {
        let d = o.diagnostics.iter().find(|d| d.code() == code).unwrap();
        (label_at(&o, d, true), label_at(&o, d, false))
    };
    // SP501: the caption in the base is in the file that changed.
    assert_eq!(
        found("SP501"),
        (
            (head("workspace.yaml"), 21, 14),
            ("HEAD:ws/workspace.yaml".to_owned(), 21, 14)
        )
    );
    // SP502: the visibility in the base is in the file only the base has.
    assert_eq!(
        found("SP502"),
        (
            (head("workspace.yaml"), 28, 17),
            ("HEAD:ws/a_old.yaml".to_owned(), 10, 17)
        )
    );
    // Every file once: the workspace's, then the base's.
    let mut paths: Vec<&str> = o.sources.files().map(|(_, f)| f.path.as_str()).collect();
    paths.sort_unstable();
    let mut expected = vec![
        head("b.yaml"),
        head("c_new.yaml"),
        head("workspace.yaml"),
        "HEAD:ws/a_old.yaml".to_owned(),
        "HEAD:ws/b.yaml".to_owned(),
        "HEAD:ws/workspace.yaml".to_owned(),
    ];
    expected.sort_unstable();
    assert_eq!(paths, expected);
    // The unchanged file's base copy holds the base's text.
    let b = o
        .sources
        .files()
        .find(|(_, f)| f.path == "HEAD:ws/b.yaml")
        .unwrap();
    assert_eq!(b.1.text, SPARE);
}

#[test]
fn a_base_error_points_into_the_base_file_whether_reused_or_parsed_again() {
    // SP003 is off, so the workspace reads cleanly; the base is read with
    // every rule on, so it does not (in b.yaml, at 5:5 as of the commit).
    let config =
        sparkplan::config::parse("[rules]\nSP003 = \"off\"\n", sparkplan::diag::FileId(0)).unwrap();
    let run = |ws: &PathBuf| {
        let opts = CheckOptions {
            config: config.clone(),
            ..opts()
        };
        driver::plan::run(
            std::slice::from_ref(ws),
            Some(&BaseSpec::Git("HEAD".into())),
            &opts,
        )
        .unwrap_err()
        .to_string()
    };
    let (_, base) = fixture("no_op");
    let no_op = std::fs::read_to_string(base.join("workspace.yaml")).unwrap();
    let odd = format!("{SPARE}    colour: red\n");
    let files = [
        (
            "a_old.yaml",
            SPARE.replace("spare", "old").replace("09\"", "08\""),
        ),
        ("b.yaml", odd.clone()),
        ("workspace.yaml", no_op),
    ];
    let base: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    // b.yaml unchanged (its result reused), after a file only the base has.
    let (_d1, ws) = base_repo(&base, &[("a_old.yaml", None)]);
    let msg = run(&ws);
    assert!(msg.contains("(HEAD:ws/b.yaml:5:5: "), "{msg}");
    assert!(msg.contains("[SP003]"), "{msg}");
    // b.yaml changed (parsed again): the line is the base's, not the
    // working tree's (6).
    let moved = format!("# the spare account\n{odd}");
    let (_d2, ws) = base_repo(&base, &[("b.yaml", Some(&moved))]);
    let msg = run(&ws);
    assert!(msg.contains("(HEAD:ws/b.yaml:5:5: "), "{msg}");
}

// ---------------------------------------------------------------------------
// CLI details

#[test]
fn output_file_and_format_from_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.md");
    let out = bin()
        .args(["plan", "examples/acme", "--today", TODAY, "-o"])
        .arg(&file)
        .env("SPARKPLAN_FORMAT", "markdown")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), acme("markdown"));
    // A `check` format in SPARKPLAN_FORMAT falls back to text.
    let out = bin()
        .args(["plan", "examples/acme", "--today", TODAY])
        .env("SPARKPLAN_FORMAT", "sarif")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), acme("text"));
}

#[test]
fn api_fields_are_merged_and_modelled_keys_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (new, _) = fixture("no_op");
    let text = std::fs::read_to_string(new.join("workspace.yaml")).unwrap();
    let with_api = text
        .replace(
            "        locations: [US]\n",
            "        locations: [US]\n        api:\n          deep_bid_type: DEFAULT\n          targeting_spec: { age_groups: [AGE_25_34] }\n",
        )
        .replace(
            "    budget: { mode: daily, amount: 500 }\n",
            "    budget: { mode: daily, amount: 500 }\n    api: { po_number: PO-7 }\n",
        );
    std::fs::write(dir.path().join("w.yaml"), &with_api).unwrap();
    let o = driver::plan::run(&[dir.path().to_path_buf()], None, &opts()).unwrap();
    let p = o.plan.unwrap();
    let group = &p
        .operations
        .iter()
        .find(|o| o.address == GROUP)
        .unwrap()
        .body;
    assert_eq!(group["deep_bid_type"], "DEFAULT");
    assert_eq!(
        group["targeting_spec"],
        serde_json::json!({"location_ids": ["6252001"], "age_groups": ["AGE_25_34"]})
    );
    let campaign = &p
        .operations
        .iter()
        .find(|o| o.address == CAMPAIGN)
        .unwrap()
        .body;
    assert_eq!(campaign["po_number"], "PO-7");

    let refused = with_api
        .replace(
            "api: { po_number: PO-7 }",
            "api: { po_number: PO-7, sales_destination: WEBSITE }",
        )
        .replace("age_groups: [AGE_25_34]", "location_ids: [\"6252001\"]")
        .replace("deep_bid_type: DEFAULT", "optimization_goal: CONVERT");
    std::fs::write(dir.path().join("w.yaml"), &refused).unwrap();
    let o = driver::plan::run(&[dir.path().to_path_buf()], None, &opts()).unwrap();
    assert!(o.plan.is_none());
    let found: Vec<(&str, usize)> = o
        .diagnostics
        .iter()
        .map(|d| (d.code(), o.sources.location(d.primary_span().unwrap()).line))
        .collect();
    assert_eq!(found, [("SP003", 44), ("SP003", 52), ("SP003", 53)]);
    // `check` reports them too.
    let out = bin()
        .args(["check", "--today", TODAY, "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 3);
}

#[test]
fn a_base_that_does_not_read_cleanly_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (new, base) = fixture("no_op");
    let text = std::fs::read_to_string(base.join("workspace.yaml"))
        .unwrap()
        .replace(
            "    objective: web_conversions\n",
            "    objective: web_conversions\n    objectiv: typo\n",
        );
    std::fs::write(dir.path().join("workspace.yaml"), text).unwrap();
    let err = driver::plan::run(
        &[new],
        Some(&BaseSpec::Dir(dir.path().to_path_buf())),
        &opts(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("it does not read cleanly"), "{msg}");
    assert!(msg.contains("workspace.yaml:42:5"), "{msg}");
    assert!(msg.contains("[SP003]"), "{msg}");
}

#[test]
fn a_new_video_code_is_authorized_and_read_and_nothing_is_unbound() {
    let p = planned("new_code");
    let post = "post.jane_unboxing";
    // A renewed code is a re-authorization of a post that stays, not a
    // replacement: unbinding is keyed by the post's item, which the new code
    // may grant again (api-audit A6).
    assert_eq!(action(&p, post), Action::Update);
    let r = p.resources.iter().find(|r| r.address == post).unwrap();
    assert!(
        r.reason.as_deref().unwrap().contains("nothing is unbound"),
        "{:?}",
        r.reason
    );
    // The ad's declaration did not change, but its creative now points at the
    // item the new code grants.
    assert_eq!(action(&p, AD), Action::Update);
    assert_eq!(
        ops(&p),
        [
            (1, "tt_video/authorize", post),
            (2, "tt_video/info", post),
            (3, "smart_plus/ad/update", AD),
        ]
    );
    assert_eq!(p.operations[0].body["auth_code"], "#ReshootCode0123456789=");
    assert_eq!(p.operations[1].body["auth_code"], "#ReshootCode0123456789=");
    assert_eq!(p.operations[1].method, "GET");
    let creatives = &p.operations[2].body["creative_list"];
    // The new item comes from step 2; the untouched post is read from the account.
    assert_eq!(
        creatives[0]["creative_info"]["tiktok_item_id"]["$ref"],
        "post.jane_unboxing.item_id"
    );
    assert_eq!(
        creatives[0]["creative_info"]["identity_id"]["$ref"],
        "post.jane_unboxing.identity_id"
    );
    assert_eq!(
        creatives[1]["creative_info"]["tiktok_item_id"]["$state"],
        "post.sam_review.item_id"
    );
    assert!(!p.operations.iter().any(|o| o.endpoint == "tt_video/unbind"));
    assert_eq!(p.authorization_batches.len(), 1);
    let text = render(&p, PlanFormat::Text);
    assert!(
        text.contains("  # post.jane_unboxing will be authorized again\n"),
        "{text}"
    );
    assert!(
        text.contains("  2. read       GET  tt_video/info         post.jane_unboxing  (batch 1)\n"),
        "{text}"
    );
    let md = render(&p, PlanFormat::Markdown);
    assert!(
        md.contains("Step 2: **read** `GET tt_video/info` (batch 1)"),
        "{md}"
    );
    assert_eq!(
        p.summary.line(),
        "Plan: 0 to add, 2 to change, 0 to replace, 0 to delete."
    );
}

#[test]
fn a_renamed_code_post_is_authorized_under_its_new_name_and_not_unbound() {
    let dir = tempfile::tempdir().unwrap();
    let (new, base) = fixture("no_op");
    let text = std::fs::read_to_string(new.join("workspace.yaml"))
        .unwrap()
        .replace("jane_unboxing", "jane_kettle");
    std::fs::write(dir.path().join("workspace.yaml"), text).unwrap();
    let o = driver::plan::run(
        &[dir.path().to_path_buf()],
        Some(&BaseSpec::Dir(base)),
        &opts(),
    )
    .unwrap();
    let p = o.plan.unwrap();
    assert_eq!(action(&p, "post.jane_unboxing"), Action::Delete);
    assert_eq!(action(&p, "post.jane_kettle"), Action::Create);
    // The same code (the same post) stays declared: unbinding the old name's
    // item would take the post from the ads that now use it.
    assert!(
        !p.operations.iter().any(|o| o.endpoint == "tt_video/unbind"),
        "{:?}",
        ops(&p)
    );
}

// ---------------------------------------------------------------------------
// Update semantics: only what the update call accepts, replacements with
// their reason, refusals.

fn resource<'p>(p: &'p Plan, address: &str) -> &'p plan::ResourceChange {
    p.resources.iter().find(|r| r.address == address).unwrap()
}

/// Every operation's body, serialized: no `null` anywhere.
fn assert_no_null(p: &Plan) {
    for o in &p.operations {
        let body = serde_json::to_string(&o.body).unwrap();
        assert!(!body.contains("null"), "step {}: {body}", o.step);
    }
}

#[test]
fn sp504_removing_the_us_from_an_ad_group_is_refused() {
    let o = diff("sp504");
    assert!(o.plan.is_none());
    assert_eq!(
        located(&o),
        [
            (
                "SP504".into(),
                "tests/fixtures/plan/sp504/new/workspace.yaml".into(),
                46
            ),
            (
                "SP504".into(),
                "tests/fixtures/plan/sp504/base/workspace.yaml".into(),
                46
            ),
        ]
    );
    assert!(o.diagnostics[0].is_error());
    assert_eq!(
        o.diagnostics[0].message,
        "`campaign.holiday_2026.ad_group.us_broad` no longer targets the US, which it targeted before"
    );
    // Adding a location, or removing one that is not the US, is an update.
    let (new, base) = fixture("sp504");
    let p = driver::plan::run(&[base], Some(&BaseSpec::Dir(new)), &opts())
        .unwrap()
        .plan
        .unwrap();
    assert_eq!(action(&p, GROUP), Action::Update);
    assert_eq!(action(&planned("update"), GROUP), Action::Update);
}

#[test]
fn changed_placements_replace_the_ad_group_with_the_reason() {
    let o = diff("placements");
    assert_eq!(
        located(&o),
        [
            (
                "SP503".into(),
                "tests/fixtures/plan/placements/new/workspace.yaml".into(),
                47
            ),
            (
                "SP503".into(),
                "tests/fixtures/plan/placements/base/workspace.yaml".into(),
                44
            ),
        ]
    );
    let p = o.plan.unwrap();
    assert_eq!(action(&p, GROUP), Action::Replace);
    assert_eq!(action(&p, AD), Action::Replace);
    let g = resource(&p, GROUP);
    assert!(
        g.reason
            .as_deref()
            .unwrap()
            .starts_with("placements cannot change"),
        "{:?}",
        g.reason
    );
    assert!(g.changes.iter().all(|c| c.forces_replacement));
    assert!(
        !p.operations
            .iter()
            .any(|o| o.endpoint.ends_with("/update") && !o.endpoint.contains("status"))
    );
    assert_no_null(&p);
}

#[test]
fn an_api_field_the_update_call_does_not_accept_replaces() {
    let o = diff("api_replace");
    let found: Vec<(&str, usize)> = o
        .diagnostics
        .iter()
        .map(|d| (d.code(), o.sources.location(d.primary_span().unwrap()).line))
        .collect();
    assert_eq!(found, [("SP503", 47)]);
    assert!(
        o.diagnostics[0].message.contains(
            "its `api.click_attribution_window` changed from `\"SEVEN_DAYS\"` to `\"ONE_DAY\"`"
        ),
        "{}",
        o.diagnostics[0].message
    );
    let p = o.plan.unwrap();
    assert_eq!(action(&p, GROUP), Action::Replace);
    assert_eq!(
        resource(&p, GROUP).reason.as_deref(),
        Some(
            "`click_attribution_window` cannot be changed by `smart_plus/adgroup/update` (the official update tree has no such field): it is set only at creation"
        )
    );
}

#[test]
fn a_removed_field_is_not_sent_as_null_and_the_plan_says_tiktok_keeps_it() {
    let p = planned("removed_field");
    assert_eq!(action(&p, AD), Action::Update);
    let a = resource(&p, AD);
    assert_eq!(a.changes.len(), 1);
    assert_eq!(a.changes[0].field, "landing_page_url_list");
    assert_eq!(a.changes[0].new, None);
    assert_eq!(
        a.notes,
        [
            "`landing_page_url_list` is no longer declared, but `smart_plus/ad/update` cannot clear a field: TikTok keeps the old value"
        ]
    );
    // Nothing else changed: no call at all.
    assert!(p.operations.is_empty(), "{:?}", ops(&p));
    let text = render(&p, PlanFormat::Text);
    assert!(
        text.contains("  # note: `landing_page_url_list` is no longer declared"),
        "{text}"
    );
    assert!(text.contains(" (no API call)"), "{text}");
    // Added back, the field is sent (and nothing else of the ad).
    let (new, base) = fixture("removed_field");
    let p = driver::plan::run(&[base], Some(&BaseSpec::Dir(new)), &opts())
        .unwrap()
        .plan
        .unwrap();
    assert_eq!(ops(&p), [(1, "smart_plus/ad/update", AD)]);
    let keys: Vec<&String> = p.operations[0].body.keys().collect();
    assert_eq!(
        keys,
        ["advertiser_id", "smart_plus_ad_id", "landing_page_url_list"]
    );
    assert_no_null(&p);
}

#[test]
fn a_reordered_creative_list_is_no_change() {
    let p = planned("reorder");
    assert_eq!(action(&p, AD), Action::NoOp);
    assert!(p.operations.is_empty());
    assert!(p.summary.is_empty());
}

#[test]
fn the_creative_list_is_sent_only_when_it_changed() {
    // `update` changes the campaign budget and the ad group's locations.
    let p = planned("update");
    assert!(
        !p.operations
            .iter()
            .any(|o| o.body.contains_key("creative_list"))
    );
    let g = &p.operations[1].body;
    let keys: Vec<&String> = g.keys().collect();
    assert_eq!(keys, ["advertiser_id", "adgroup_id", "targeting_spec"]);
    // `unbind` removes a creative: the ad sends its new list, and not its name.
    let p = planned("unbind");
    let keys: Vec<&String> = p.operations[0].body.keys().collect();
    assert_eq!(keys, ["advertiser_id", "smart_plus_ad_id", "creative_list"]);
}

#[test]
fn an_ad_group_budget_under_a_campaign_budget_is_never_a_replacement() {
    // TikTok ignores an ad group's budget under a campaign budget: the plan
    // does not send it (SP412 says so), so changing its mode and amount is
    // no change at all, never a replacement.
    let o = diff("cbo_budget");
    let found: Vec<_> = o
        .diagnostics
        .iter()
        .map(|d| (d.code(), o.sources.location(d.primary_span().unwrap()).line))
        .collect();
    assert_eq!(found, [("SP412", 47)], "{:?}", o.diagnostics);
    let p = o.plan.unwrap();
    assert_eq!(action(&p, GROUP), Action::NoOp);
    assert!(p.operations.is_empty(), "{:?}", p.operations);
}

#[test]
fn a_new_end_date_sends_only_the_end() {
    let p = planned("schedule_end");
    assert_eq!(ops(&p), [(1, "smart_plus/adgroup/update", GROUP)]);
    let keys: Vec<&String> = p.operations[0].body.keys().collect();
    assert_eq!(keys, ["advertiser_id", "adgroup_id", "schedule_end_time"]);
}

#[test]
fn a_replaced_ad_group_whose_start_is_past_starts_now() {
    let (new, base) = fixture("placements");
    let late = CheckOptions {
        today: Date::parse("2026-12-15").unwrap().into(),
        config: Config::default(),
    };
    let p = driver::plan::run(&[new], Some(&BaseSpec::Dir(base)), &late)
        .unwrap()
        .plan
        .unwrap();
    let create = p
        .operations
        .iter()
        .find(|o| o.endpoint == "smart_plus/adgroup/create")
        .unwrap();
    assert_eq!(
        create.body["schedule_start_time"],
        serde_json::json!({"$now": "UTC"})
    );
    let g = resource(&p, GROUP);
    assert!(
        g.notes
            .iter()
            .any(|n| n.starts_with("starts now: the declared start 2026-12-01")),
        "{:?}",
        g.notes
    );
    let text = render(&p, PlanFormat::Text);
    assert!(text.contains("  # note: starts now"), "{text}");
    // Before the start, the declared start is sent.
    let p = planned("placements");
    let create = p
        .operations
        .iter()
        .find(|o| o.endpoint == "smart_plus/adgroup/create")
        .unwrap();
    assert_eq!(create.body["schedule_start_time"], "2026-12-01 00:00:00");
}

/// Copies `examples/acme` to `dir`, with `edit` applied to the holiday campaign file.
fn acme_copy(dir: &Path, edit: impl Fn(String) -> String) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for sub in ["", "campaigns", "posts"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                let mut text = std::fs::read_to_string(&p).unwrap();
                if p.ends_with("campaigns/holiday_2026.yaml") {
                    text = edit(text);
                }
                std::fs::write(dir.join(sub).join(p.file_name().unwrap()), text).unwrap();
            }
        }
    }
}

#[test]
fn an_ad_group_budget_under_a_campaign_budget_is_not_sent_nor_replaced() {
    let with_budget = |mode: &'static str| {
        move |t: String| {
            t.replace(
                "        locations: [US, CA]\n",
                &format!(
                    "        locations: [US, CA]\n        budget: {{ mode: {mode}, amount: 100 }}\n"
                ),
            )
        }
    };
    let base = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    acme_copy(base.path(), with_budget("daily"));
    acme_copy(new.path(), with_budget("lifetime"));
    let o = driver::plan::run(
        &[new.path().to_path_buf()],
        Some(&BaseSpec::Dir(base.path().to_path_buf())),
        &opts(),
    )
    .unwrap();
    // SP412 warns in the new workspace; no SP503: nothing is replaced.
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["SP412"]);
    let p = o.plan.unwrap();
    let group = "campaign.holiday_2026.ad_group.us_apps";
    assert_eq!(action(&p, group), Action::NoOp);
    assert!(p.summary.is_empty(), "{}", p.summary.line());

    // From nothing: the ad group's create body has no budget.
    let o = driver::plan::run(&[new.path().to_path_buf()], None, &opts()).unwrap();
    let p = o.plan.unwrap();
    let body = &p
        .operations
        .iter()
        .find(|o| o.address == group)
        .unwrap()
        .body;
    assert!(!body.contains_key("budget") && !body.contains_key("budget_mode"));
    assert_eq!(body["optimization_goal"], "CONVERT");
    assert_eq!(body["billing_event"], "OCPM");
    assert_eq!(body["promotion_type"], "WEBSITE");
    // The non-Spark ad carries its custom identity in `ad_configuration`.
    let ad = &p
        .operations
        .iter()
        .find(|o| o.address == "campaign.holiday_2026.ad_group.us_apps.ad.kettle_network")
        .unwrap()
        .body;
    assert_eq!(
        ad["ad_configuration"],
        serde_json::json!({"identity_type": "CUSTOMIZED_USER", "identity_id": "6900000000000000003"})
    );
}

// ---------------------------------------------------------------------------
// The base read like the working tree

fn sparkplan_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(args)
        .current_dir(dir)
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("SPARKPLAN_TODAY")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The `no_op` fixture split over a plain file, a committed link to a file,
/// a committed link to a folder and a submodule.
fn repo_with_links_and_a_submodule(root: &Path) -> PathBuf {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan/no_op/new/workspace.yaml"),
    )
    .unwrap();
    let section = |name: &str| -> String {
        let start = text.find(&format!("\n{name}:\n")).unwrap() + 1;
        let end = text[start..]
            .find("\n\n")
            .map_or(text.len(), |e| start + e + 1);
        format!("sparkplan: 1\n\n{}", &text[start..end])
    };
    // The submodule's own repository.
    let sub = root.join("campaigns_repo");
    std::fs::create_dir_all(&sub).unwrap();
    git(&sub, &["init", "-q"]);
    std::fs::write(sub.join("campaigns.yaml"), section("campaigns")).unwrap();
    git(&sub, &["add", "."]);
    git(&sub, &["commit", "-q", "-m", "campaigns"]);

    let repo = root.join("repo");
    let ads = repo.join("ads");
    std::fs::create_dir_all(&ads).unwrap();
    std::fs::create_dir_all(repo.join("shared/posts")).unwrap();
    git(&repo, &["init", "-q"]);
    let accounts = format!(
        "{}\n{}",
        section("advertisers"),
        section("identities").trim_start_matches("sparkplan: 1\n\n")
    );
    std::fs::write(ads.join("accounts.yaml"), accounts).unwrap();
    std::fs::write(repo.join("shared/media.yaml"), section("media")).unwrap();
    std::fs::write(repo.join("shared/posts/posts.yaml"), section("posts")).unwrap();
    std::os::unix::fs::symlink("../shared/media.yaml", ads.join("media.yaml")).unwrap();
    std::os::unix::fs::symlink("../shared/posts", ads.join("posts")).unwrap();
    git(
        &repo,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.to_str().unwrap(),
            "ads/campaigns",
        ],
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    repo
}

#[test]
fn a_clean_tree_with_links_and_a_submodule_plans_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_with_links_and_a_submodule(dir.path());
    let args = [
        "plan", "ads", "--base", "HEAD", "--format", "json", "--today", TODAY,
    ];
    let out = sparkplan_in(&repo, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["summary"],
        serde_json::json!({"add": 0, "change": 0, "replace": 0, "delete": 0, "no_op": 5}),
        "{doc:#}"
    );
    assert_eq!(doc["operations"], serde_json::json!([]));

    // An edit inside the submodule is a change like any other.
    let sub_file = repo.join("ads/campaigns/campaigns.yaml");
    let text = std::fs::read_to_string(&sub_file).unwrap();
    std::fs::write(&sub_file, text.replace("amount: 500", "amount: 650")).unwrap();
    let out = sparkplan_in(&repo, &args);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["change"], 1, "{doc:#}");
    std::fs::write(&sub_file, text).unwrap();

    // A committed link out of the repository is refused, with the reason.
    std::fs::remove_file(repo.join("ads/media.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", repo.join("ads/media.yaml")).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "link out"]);
    let out = sparkplan_in(&repo, &args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "`HEAD:ads/media.yaml` is a symbolic link to `/etc/hostname`, outside the repository"
        ),
        "{err}"
    );
}

#[test]
fn a_base_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let (new, _) = fixture("no_op");
    let ws = repo.join("ads");
    std::fs::create_dir(&ws).unwrap();
    std::fs::copy(new.join("workspace.yaml"), ws.join("workspace.yaml")).unwrap();
    std::fs::write(
        repo.join("sparkplan.toml"),
        "[limits]\nmax_file_bytes = 4000\n",
    )
    .unwrap();
    let big = format!("sparkplan: 1\n# {}\n", "x".repeat(5000));
    std::fs::write(ws.join("big.yaml"), &big).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base with a big file"]);
    std::fs::remove_file(ws.join("big.yaml")).unwrap();
    let out = sparkplan_in(repo, &["plan", "ads", "--base", "HEAD", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "`HEAD:ads/big.yaml` is {} bytes, over the limit of 4000 bytes per file",
            big.len()
        )),
        "{err}"
    );
    assert!(err.contains("it was not read"), "{err}");
}

#[test]
fn a_base_with_an_undefined_reference_is_refused_like_any_other_error() {
    let dir = tempfile::tempdir().unwrap();
    let (new, base) = fixture("no_op");
    let text = std::fs::read_to_string(base.join("workspace.yaml"))
        .unwrap()
        .replace("- post: sam_review", "- post: sam_reviw");
    std::fs::write(dir.path().join("workspace.yaml"), text).unwrap();
    let err = driver::plan::run(
        &[new],
        Some(&BaseSpec::Dir(dir.path().to_path_buf())),
        &opts(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("it does not read cleanly"), "{msg}");
    assert!(msg.contains("[SP008]"), "{msg}");
}

#[test]
fn creatives_read_as_names_and_deletes_as_deletes() {
    let p = planned("unbind");
    let text = render(&p, PlanFormat::Text);
    assert!(text.contains("          - post: sam_review,\n"), "{text}");
    assert!(!text.contains("creative_info"), "{text}");
    assert!(text.contains("unbind  POST tt_video/unbind"), "{text}");
    let md = render(&p, PlanFormat::Markdown);
    assert!(
        md.contains("- creative_list[] = post: sam_review\n"),
        "{md}"
    );
    assert!(
        md.contains("| **⚠️ UNBIND** `-` | `post.sam_review` |"),
        "{md}"
    );
    // The request body stays in the collapsible detail.
    assert!(md.contains("\"creative_info\""), "{md}");

    let p = planned("delete");
    let text = render(&p, PlanFormat::Text);
    assert!(
        text.contains("delete  POST smart_plus/ad/status/update"),
        "{text}"
    );
}
