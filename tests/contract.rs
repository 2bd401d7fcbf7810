//! The contract test: every request body the plan emits is held against
//! TikTok's official Smart+ request trees (`tests/data/tiktok-api/`,
//! flattened from the official SDK; see its README): every field exists at
//! its place, every REQUIRED field is present, every enum value is valid,
//! array sizes are within min/max, and each value has the tree's type.
//! The `tt_video/*` calls, which the official SDK lacks, are held against
//! the field lists of the Go SDK (`TT_VIDEO_TREES` below).
//!
//! Reference objects (`$ref`, `$state`, `$now`) stand for values known when
//! the plan runs: they are accepted wherever the tree wants a string (every
//! ID and time is a string).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sparkplan::api::endpoints::Resource;
use sparkplan::check::CheckOptions;
use sparkplan::config::Config;
use sparkplan::driver;
use sparkplan::model::Date;
use sparkplan::plan::{BaseSpec, Plan};

const TODAY: &str = "2026-11-29";

// ---------------------------------------------------------------------------
// The trees

/// One field of a request tree.
#[derive(Debug, Default, Clone)]
struct Node {
    ty: String,
    required: bool,
    valid: Option<Vec<String>>,
    invalid: Vec<String>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    min_length: Option<usize>,
    items_enum: Option<Vec<String>>,
    children: BTreeMap<String, Node>,
}

/// An endpoint's tree: its method and its body.
#[derive(Debug, Clone)]
struct Tree {
    method: String,
    body: Node,
}

/// `['A', 'B']` at the start of `s`: the values and the rest of `s`.
fn list(s: &str) -> (Vec<String>, &str) {
    let end = s.find(']').expect("a closing bracket");
    let inner = &s[1..end];
    let values = if inner.is_empty() {
        Vec::new()
    } else {
        inner
            .split(", ")
            .map(|v| v.trim_matches('\'').to_owned())
            .collect()
    };
    (values, &s[end + 1..])
}

fn parse_head(rest: &str) -> Node {
    let rest = rest.split("  # ").next().unwrap();
    let mut node = Node::default();
    let mut words = rest.trim();
    let (ty, tail) = words.split_once(' ').unwrap_or((words, ""));
    node.ty = ty.to_owned();
    words = tail.trim_start();
    while !words.is_empty() {
        if let Some(r) = words.strip_prefix("enum=") {
            let (v, r) = list(r);
            node.valid = Some(v);
            words = r.trim_start();
        } else if let Some(r) = words.strip_prefix("(invalid:") {
            let (v, r) = list(r);
            node.invalid = v;
            words = r.trim_start_matches(')').trim_start();
        } else {
            let (w, r) = words.split_once(' ').unwrap_or((words, ""));
            let num = |p: &str| w.strip_prefix(p).map(|n| n.parse::<usize>().unwrap());
            if w == "REQUIRED" {
                node.required = true;
            } else if let Some(n) = num("minItems=") {
                node.min_items = Some(n);
            } else if let Some(n) = num("maxItems=") {
                node.max_items = Some(n);
            } else if let Some(n) = num("minLength=") {
                node.min_length = Some(n);
            }
            // `format=` and `default=` do not constrain a request.
            words = r.trim_start();
        }
    }
    node
}

fn node_at<'a>(root: &'a mut Node, path: &[String]) -> &'a mut Node {
    let mut n = root;
    for p in path {
        n = n.children.get_mut(p).expect("a parent line");
    }
    n
}

/// Parses flattened trees (`== METHOD /path/  (id)` and indented fields).
fn parse_trees(text: &str) -> BTreeMap<String, Tree> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Tree)> = None;
    let mut path: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("== ") {
            if let Some((k, t)) = current.take() {
                out.insert(k, t);
            }
            let mut parts = h.split_whitespace();
            let method = parts.next().unwrap().to_owned();
            let endpoint = parts.next().unwrap().trim_matches('/').to_owned();
            current = Some((
                endpoint,
                Tree {
                    method,
                    body: Node {
                        ty: "object".into(),
                        ..Node::default()
                    },
                },
            ));
            path.clear();
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let depth = (line.len() - line.trim_start().len()) / 2;
        let t = line.trim();
        let (_, tree) = current.as_mut().expect("a header first");
        if let Some(r) = t.strip_prefix("[items enum=") {
            let (v, _) = list(r);
            path.truncate(depth - 1);
            node_at(&mut tree.body, &path).items_enum = Some(v);
            continue;
        }
        let (name, rest) = t.split_once(": ").unwrap();
        if name == "Access-Token" {
            continue; // the HTTP header
        }
        path.truncate(depth - 1);
        let node = parse_head(rest);
        node_at(&mut tree.body, &path)
            .children
            .insert(name.to_owned(), node);
        path.push(name.to_owned());
    }
    if let Some((k, t)) = current {
        out.insert(k, t);
    }
    out
}

/// The `tt_video/*` calls, which the official SDK does not have: fields from
/// the Go SDK `bububa/tiktok-business` (`api/ttvideo/{authorize,info,
/// unbind}.go`, `model/ttvideo/*.go`), whose comments copy TikTok's docs.
const TT_VIDEO_TREES: &str = "\
== POST /tt_video/authorize/  (GO api/ttvideo/authorize.go)
  advertiser_id: string REQUIRED
  auth_code: string REQUIRED
  original_post_auth_code: string
== GET /tt_video/info/  (GO api/ttvideo/info.go)
  advertiser_id: string REQUIRED
  auth_code: string REQUIRED
== POST /tt_video/unbind/  (GO api/ttvideo/unbind.go)
  advertiser_id: string REQUIRED
  item_id: string REQUIRED
";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiktok-api")
}

fn trees() -> BTreeMap<String, Tree> {
    let mut text = String::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    for p in names {
        text.push_str(&std::fs::read_to_string(p).unwrap());
    }
    text.push_str(TT_VIDEO_TREES);
    parse_trees(&text)
}

// ---------------------------------------------------------------------------
// The check

fn is_reference(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.len() == 1
            && m.keys()
                .all(|k| ["$ref", "$state", "$now"].contains(&k.as_str()))
    })
}

fn check_value(node: &Node, v: &Value, path: &str, out: &mut Vec<String>) {
    if is_reference(v) {
        if node.ty != "string" {
            out.push(format!(
                "{path}: a reference where the tree wants {}",
                node.ty
            ));
        }
        return;
    }
    let enum_check =
        |s: &str, valid: &Option<Vec<String>>, invalid: &[String], out: &mut Vec<String>| {
            if let Some(valid) = valid
                && !valid.iter().any(|x| x == s)
            {
                if invalid.iter().any(|x| x == s) {
                    out.push(format!("{path}: `{s}` is marked invalid"));
                } else {
                    out.push(format!("{path}: `{s}` is not in the enum"));
                }
            }
        };
    match node.ty.as_str() {
        "string" => match v.as_str() {
            Some(s) => {
                enum_check(s, &node.valid, &node.invalid, out);
                if let Some(n) = node.min_length
                    && s.chars().count() < n
                {
                    out.push(format!("{path}: shorter than {n}"));
                }
            }
            None => out.push(format!("{path}: not a string")),
        },
        "number" if !v.is_number() => out.push(format!("{path}: not a number")),
        "integer" if !(v.is_i64() || v.is_u64()) => {
            out.push(format!("{path}: not an integer"));
        }
        "boolean" if !v.is_boolean() => out.push(format!("{path}: not a boolean")),
        "array" => match v.as_array() {
            Some(items) => {
                if let Some(n) = node.min_items
                    && items.len() < n
                {
                    out.push(format!("{path}: {} items, fewer than {n}", items.len()));
                }
                if let Some(n) = node.max_items
                    && items.len() > n
                {
                    out.push(format!("{path}: {} items, more than {n}", items.len()));
                }
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    if !node.children.is_empty() {
                        match item.as_object() {
                            Some(m) => check_object(node, m, &p, out),
                            None => out.push(format!("{p}: not an object")),
                        }
                    } else if node.items_enum.is_some() {
                        match item.as_str() {
                            Some(s) => enum_check(s, &node.items_enum, &[], out),
                            None => out.push(format!("{p}: not a string")),
                        }
                    }
                }
            }
            None => out.push(format!("{path}: not an array")),
        },
        "object" => match v.as_object() {
            Some(m) => check_object(node, m, path, out),
            None => out.push(format!("{path}: not an object")),
        },
        _ => {}
    }
}

fn check_object(
    node: &Node,
    m: &serde_json::Map<String, Value>,
    path: &str,
    out: &mut Vec<String>,
) {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    for (k, child) in &node.children {
        if child.required && !m.contains_key(k) {
            out.push(format!("{}: REQUIRED field missing", at(k)));
        }
    }
    for (k, v) in m {
        match node.children.get(k) {
            Some(child) => check_value(child, v, &at(k), out),
            None => out.push(format!("{}: not in the tree", at(k))),
        }
    }
}

/// The violations of one request against the trees.
fn violations(
    trees: &BTreeMap<String, Tree>,
    method: &str,
    endpoint: &str,
    body: &serde_json::Map<String, Value>,
) -> Vec<String> {
    let Some(tree) = trees.get(endpoint) else {
        return vec!["no tree for this endpoint".to_owned()];
    };
    let mut out = Vec::new();
    if tree.method != method {
        out.push(format!("method {method}, the tree says {}", tree.method));
    }
    check_object(&tree.body, body, "", &mut out);
    out
}

/// Every violation of every operation of `plan`, as
/// `step ENDPOINT ADDRESS: PATH: PROBLEM`.
fn plan_violations(trees: &BTreeMap<String, Tree>, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for o in &plan.operations {
        for v in violations(trees, o.method, o.endpoint, &o.body.to_map()) {
            out.push(format!("{} {}: {v}", o.endpoint, o.address));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Plans

fn opts() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn plan_of(paths: &[PathBuf], base: Option<PathBuf>) -> Plan {
    let base = base.map(BaseSpec::Dir);
    let o = driver::plan::run(paths, base.as_ref(), &opts()).unwrap();
    assert!(!o.has_errors(), "{paths:?}: {:#?}", o.diagnostics);
    o.plan.unwrap()
}

fn contract_fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contract");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn the_trees_parse() {
    let t = trees();
    assert_eq!(t.len(), 13);
    let ad = &t["smart_plus/ad/create"].body;
    assert!(ad.children["adgroup_id"].required);
    let cl = &ad.children["creative_list"];
    assert_eq!((cl.min_items, cl.max_items), (Some(1), Some(31)));
    let info = &cl.children["creative_info"].children["identity_type"];
    assert!(
        info.valid
            .as_ref()
            .unwrap()
            .contains(&"AUTH_CODE".to_owned())
    );
    assert!(info.invalid.contains(&"BC_SELF_TT".to_owned()));
    let placements = &t["smart_plus/adgroup/create"].body.children["placements"];
    assert_eq!(placements.items_enum.as_ref().unwrap().len(), 3);
    assert_eq!(t["tt_video/info"].method, "GET");
    assert_eq!(
        t["smart_plus/ad/update"].body.children["ad_name"].min_length,
        Some(1)
    );
}

/// The dotted paths of a tree, objects included, array elements' fields not.
fn paths(node: &Node, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, c) in &node.children {
        let p = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        out.insert(p.clone());
        if c.ty == "object" {
            paths(c, &p, out);
        }
    }
}

#[test]
fn src_api_endpoints_lists_exactly_the_official_trees() {
    let t = trees();
    for r in [Resource::Campaign, Resource::AdGroup, Resource::Ad] {
        for (endpoint, list) in [
            (r.create_endpoint(), r.create_fields()),
            (r.update_endpoint(), r.update_fields()),
        ] {
            let mut want = BTreeSet::new();
            paths(&t[endpoint].body, "", &mut want);
            let have: BTreeSet<String> = list.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(have, want, "{endpoint}");
        }
        let status = &t[r.status_endpoint()].body;
        assert!(status.children[r.status_ids_field()].required);
    }
}

#[test]
fn the_harness_catches_each_kind_of_violation() {
    let t = trees();
    let good = json!({
        "advertiser_id": "7000000000000000001",
        "smart_plus_ad_id": { "$state": "campaign.c.ad_group.g.ad.a.smart_plus_ad_id" },
        "ad_name": "kettle",
        "creative_list": [
            { "creative_info": { "ad_format": "SINGLE_VIDEO", "identity_type": "AUTH_CODE",
                                 "identity_id": { "$ref": "post.p.identity_id" },
                                 "tiktok_item_id": { "$ref": "post.p.item_id" } } }
        ],
        "call_to_action_list": [ { "call_to_action": "SHOP_NOW" } ]
    });
    let check = |v: &Value| violations(&t, "POST", "smart_plus/ad/update", v.as_object().unwrap());
    assert_eq!(check(&good), Vec::<String>::new());
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        check(&v)
    };
    assert_eq!(
        broken(&|v| v["adgroup_id"] = json!("1")),
        ["adgroup_id: not in the tree"]
    );
    assert_eq!(
        broken(&|v| {
            v.as_object_mut().unwrap().remove("advertiser_id");
        }),
        ["advertiser_id: REQUIRED field missing"]
    );
    assert_eq!(
        broken(&|v| v["creative_list"][0]["creative_info"]["ad_format"] = json!("SINGLE_IMAGE")),
        ["creative_list[0].creative_info.ad_format: `SINGLE_IMAGE` is marked invalid"]
    );
    assert_eq!(
        broken(&|v| v["call_to_action_list"][0]["call_to_action"] = json!("BUY_IT")),
        ["call_to_action_list[0].call_to_action: `BUY_IT` is not in the enum"]
    );
    assert_eq!(
        broken(&|v| {
            let one = v["creative_list"][0].clone();
            v["creative_list"] = Value::Array(vec![one; 32]);
        }),
        ["creative_list: 32 items, more than 31"]
    );
    assert_eq!(
        broken(&|v| v["creative_list"] = json!([])),
        ["creative_list: 0 items, fewer than 1"]
    );
    assert_eq!(
        broken(&|v| {
            v["creative_list"][0]["creative_info"]
                .as_object_mut()
                .unwrap()
                .remove("ad_format");
        }),
        ["creative_list[0].creative_info.ad_format: REQUIRED field missing"]
    );
    assert_eq!(
        broken(&|v| v["creative_list"][0]["creative_info"]["item"] = json!("1")),
        ["creative_list[0].creative_info.item: not in the tree"]
    );
    assert_eq!(
        broken(&|v| v["ad_name"] = json!("")),
        ["ad_name: shorter than 1"]
    );
    assert_eq!(
        broken(&|v| v["ad_name"] = Value::Null),
        ["ad_name: not a string"]
    );
    assert_eq!(
        broken(&|v| v["ad_text_list"] = json!({ "ad_text": "x" })),
        ["ad_text_list: not an array"]
    );
    // A reference is a placeholder for a string, not for a number.
    let mut campaign = serde_json::Map::new();
    campaign.insert("advertiser_id".into(), json!("1"));
    campaign.insert(
        "campaign_id".into(),
        json!({"$state": "campaign.c.campaign_id"}),
    );
    campaign.insert("budget".into(), json!({"$ref": "x"}));
    assert_eq!(
        violations(&t, "POST", "smart_plus/campaign/update", &campaign),
        ["budget: a reference where the tree wants number"]
    );
    // The array-of-enum form, and the method.
    let mut group = serde_json::Map::new();
    for (k, v) in [
        ("advertiser_id", json!("1")),
        ("adgroup_ids", json!(["1"])),
        ("operation_status", json!("REMOVE")),
    ] {
        group.insert(k.into(), v);
    }
    assert_eq!(
        violations(&t, "GET", "smart_plus/adgroup/status/update", &group),
        [
            "method GET, the tree says POST",
            "operation_status: `REMOVE` is not in the enum"
        ]
    );
    assert_eq!(
        violations(&t, "POST", "smart_plus/nothing", &group),
        ["no tree for this endpoint"]
    );
}

#[test]
fn create_plans_of_every_objective_and_creative_kind_hold() {
    let t = trees();
    let mut objectives = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut endpoints = BTreeSet::new();
    for dir in contract_fixtures() {
        let p = plan_of(std::slice::from_ref(&dir), None);
        assert_eq!(plan_violations(&t, &p), Vec::<String>::new(), "{dir:?}");
        for o in &p.operations {
            endpoints.insert(o.endpoint.to_owned());
            if let Some(ob) = o.body.get("objective_type") {
                objectives.insert(ob.as_str().unwrap().to_owned());
            }
            for c in o
                .body
                .get("creative_list")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let info = &c["creative_info"];
                let push = if info.get("video_info").is_some() {
                    "video"
                } else {
                    "post"
                };
                kinds.insert(format!(
                    "{} {} {push}",
                    info["identity_type"].as_str().unwrap(),
                    info["ad_format"].as_str().unwrap()
                ));
            }
        }
    }
    assert_eq!(
        objectives,
        BTreeSet::from(["APP_PROMOTION", "LEAD_GENERATION", "WEB_CONVERSIONS"].map(String::from))
    );
    // Spark pull of a code post (video, photo), of an account post, Spark
    // push to a Business Center and to a linked account, non-Spark.
    assert_eq!(
        kinds,
        BTreeSet::from(
            [
                "AUTH_CODE CAROUSEL_ADS post",
                "AUTH_CODE SINGLE_VIDEO post",
                "BC_AUTH_TT SINGLE_VIDEO video",
                "CUSTOMIZED_USER SINGLE_VIDEO video",
                "TT_USER SINGLE_VIDEO post",
                "TT_USER SINGLE_VIDEO video",
            ]
            .map(String::from)
        )
    );
    assert!(endpoints.contains("tt_video/info"));
}

/// An edit that cuts the file at its `from`.
const CUT: &str = "<cut>";

/// Edits a copy of a contract fixture and plans it against the original.
fn changed(fixture: &str, edits: &[(&str, &str)]) -> (tempfile::TempDir, Plan) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contract")
        .join(fixture);
    let mut text = std::fs::read_to_string(src.join("workspace.yaml")).unwrap();
    for (from, to) in edits {
        let at = text
            .find(from)
            .unwrap_or_else(|| panic!("{fixture}: {from}"));
        if *to == CUT {
            text.truncate(at);
        } else {
            text = text.replacen(from, to, 1);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("workspace.yaml"), text).unwrap();
    let p = plan_of(&[dir.path().to_path_buf()], Some(src));
    (dir, p)
}

#[test]
fn update_plans_hold() {
    let t = trees();
    let mut endpoints = BTreeSet::new();
    let cases: &[(&str, &[(&str, &str)])] = &[
        // Campaign budget, ad-group locations, schedule end, ad texts, CTAs,
        // landing page, a creative removed.
        (
            "web_conversions",
            &[
                ("amount: 500", "amount: 650"),
                ("        locations: [US]\n", "        locations: [US, MX]\n"),
                ("end: \"2026-12-31\"", "end: \"2027-01-15\""),
                (
                    "[\"Holiday deals on every kettle\"]",
                    "[\"Holiday deals\", \"Free returns\"]",
                ),
                ("[shop_now, learn_more]", "[shop_now]"),
                (
                    "https://acme.example/kettles\"\n      us_network",
                    "https://acme.example/tea\"\n      us_network",
                ),
                ("              - post: acme_launch\n", ""),
            ],
        ),
        // Placements: the ad group and its ad are replaced (full create bodies).
        (
            "web_conversions",
            &[(
                "placements: [pangle]",
                "placements: [pangle, global_app_bundle]",
            )],
        ),
        // A renewed video code: authorized and read again, ads resubmit their list.
        (
            "app_promotion",
            &[("#PhotoModeCode0123=", "#PhotoModeCode4567=")],
        ),
        // An ad-group budget without a campaign budget.
        ("app_promotion", &[("amount: 100", "amount: 120")]),
        // A campaign removed: deletes, deepest first.
        ("lead_generation", &[("campaigns:\n", CUT)]),
    ];
    for (fixture, edits) in cases {
        let (_dir, p) = changed(fixture, edits);
        assert!(!p.operations.is_empty(), "{fixture}: {edits:?}");
        assert_eq!(
            plan_violations(&t, &p),
            Vec::<String>::new(),
            "{fixture}: {edits:?}"
        );
        endpoints.extend(p.operations.iter().map(|o| o.endpoint.to_owned()));
    }
    // The fixture pairs of tests/plan.rs: their creates lack the required
    // fields the model does not have yet; every other call is held.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan");
    for case in [
        "update",
        "delete",
        "unbind",
        "new_code",
        "cbo_budget",
        "schedule_end",
        "replace",
    ] {
        let p = plan_of(
            &[root.join(case).join("new")],
            Some(root.join(case).join("base")),
        );
        let v: Vec<String> = plan_violations(&t, &p)
            .into_iter()
            .filter(|v| !v.contains("/create "))
            .collect();
        assert_eq!(v, Vec::<String>::new(), "{case}");
        endpoints.extend(p.operations.iter().map(|o| o.endpoint.to_owned()));
    }
    let want: BTreeSet<String> = [
        "smart_plus/campaign/update",
        "smart_plus/adgroup/update",
        "smart_plus/ad/update",
        "smart_plus/campaign/status/update",
        "smart_plus/adgroup/status/update",
        "smart_plus/ad/status/update",
        "smart_plus/adgroup/create",
        "smart_plus/ad/create",
        "tt_video/authorize",
        "tt_video/info",
        "tt_video/unbind",
    ]
    .map(String::from)
    .into();
    assert!(endpoints.is_superset(&want), "{endpoints:?}");
}

/// The bundled example plans only calls the official trees accept (issue 11:
/// "`sparkplan plan examples/acme --format json` violates none of the
/// official trees").
#[test]
fn acme_create_plan_violates_none_of_the_official_trees() {
    let t = trees();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let p = plan_of(&[acme], None);
    let mut v = plan_violations(&t, &p);
    v.sort();
    assert_eq!(v, Vec::<String>::new());
}
