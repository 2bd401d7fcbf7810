//! The JSON Schema (`sparkplan schema`, SPEC §4): it is draft-07, the
//! committed copy is fresh, every field is documented for editors, and — the
//! agreement test — the schema and `check` never disagree on structure.
//!
//! Regenerate the committed schema with
//! `cargo run -- schema -o schema/sparkplan.schema.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use sparkplan::check::{CheckOptions, check};
use sparkplan::config::Config;
use sparkplan::diag::FileId;
use sparkplan::model::{CampaignType, Date, IdentityType, Objective, PostFormat, Visibility};
use sparkplan::syntax::{self, Kind, Limits, Node, Resolved};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    sparkplan::schema::schema()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema compiles as draft-07")
}

// ---------------------------------------------------------------- the file

#[test]
fn committed_schema_is_fresh() {
    let path = root().join(sparkplan::schema::SCHEMA_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == sparkplan::schema::schema_json(),
        "{} is stale: regenerate it with `cargo run -- schema -o schema/sparkplan.schema.json` and commit it",
        sparkplan::schema::SCHEMA_PATH
    );
}

#[test]
fn cli_prints_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, sparkplan::schema::schema_json());
    assert!(text.ends_with("}\n"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(["schema", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        sparkplan::schema::schema_json()
    );
    // Only the file itself is left: the temporary file was renamed.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // An unwritable destination fails with exit 2 and names the path.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(["schema", "-o"])
        .arg(dir.path().join("missing/dir/s.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing/dir/s.json"));
}

// ------------------------------------------------------- draft-07, keywords

#[test]
fn schema_is_valid_draft_07() {
    let s = schema();
    jsonschema::draft7::meta::validate(&s).expect("valid against the draft-07 metaschema");
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(s["title"], "sparkplan manifest");
    assert!(s.get("$id").is_none());
    assert_eq!(s["required"], json!(["sparkplan"]));
    assert!(s["definitions"].is_object());
}

/// Walks every schema object (not the data in `const`, `enum`, `default`,
/// `examples`), calling `f(path, schema)`.
fn walk(path: &str, v: &Value, f: &mut dyn FnMut(&str, &Map<String, Value>)) {
    let Value::Object(m) = v else { return };
    f(path, m);
    for key in ["properties", "definitions", "patternProperties"] {
        if let Some(Value::Object(props)) = m.get(key) {
            for (k, p) in props {
                walk(&format!("{path}/{key}/{k}"), p, f);
            }
        }
    }
    for key in [
        "additionalProperties",
        "propertyNames",
        "not",
        "items",
        "contains",
        "additionalItems",
    ] {
        if let Some(s) = m.get(key) {
            if let Value::Array(items) = s {
                for (i, it) in items.iter().enumerate() {
                    walk(&format!("{path}/{key}/{i}"), it, f);
                }
            } else {
                walk(&format!("{path}/{key}"), s, f);
            }
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(subs)) = m.get(key) {
            for (i, s) in subs.iter().enumerate() {
                walk(&format!("{path}/{key}/{i}"), s, f);
            }
        }
    }
}

#[test]
fn only_keywords_editors_read_alike() {
    // Keywords whose meaning changed between draft-04 and 2020-12, or that
    // yaml-language-server reads differently, are not used.
    let banned = [
        "$defs",
        "$id",
        "id",
        "$anchor",
        "unevaluatedProperties",
        "unevaluatedItems",
        "if",
        "then",
        "else",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
        "prefixItems",
        "nullable",
    ];
    let mut seen = Vec::new();
    walk("#", &schema(), &mut |path, m| {
        for k in m.keys() {
            if banned.contains(&k.as_str()) {
                seen.push(format!("{path}: {k}"));
            }
        }
        if let Some(Value::String(f)) = m.get("format") {
            seen.push(format!("{path}: format {f}"));
        }
        if m.get("exclusiveMinimum").is_some_and(Value::is_boolean) {
            seen.push(format!("{path}: draft-04 exclusiveMinimum"));
        }
        if let Some(Value::Array(t)) = m.get("type")
            && t.contains(&json!("null"))
        {
            seen.push(format!("{path}: nullable"));
        }
        // Beside `$ref`, only annotations: draft-07 validators ignore them,
        // and yaml-language-server shows them in place of the target's.
        if m.contains_key("$ref") {
            for k in m.keys() {
                if !sparkplan::schema::REF_SIBLINGS.contains(&k.as_str()) && k != "$ref" {
                    seen.push(format!("{path}: {k} beside $ref"));
                }
            }
        }
    });
    assert_eq!(seen, Vec::<String>::new());
}

#[test]
fn definitions_have_readable_names() {
    let s = schema();
    let names: BTreeSet<&str> = s["definitions"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let want: BTreeSet<&str> = [
        "Ad",
        "AdGroup",
        "AdGroupDefaults",
        "PartialAd",
        "PartialBudget",
        "PartialSchedule",
        "Advertiser",
        "ApiFields",
        "ApiValue",
        "AppPromotionType",
        "AutomaticPlacement",
        "BidAmount",
        "BidType",
        "BillingEvent",
        "Budget",
        "BudgetMode",
        "CallToAction",
        "Campaign",
        "CampaignType",
        "Creative",
        "Date",
        "Id",
        "Identity",
        "IdentityType",
        "Location",
        "Media",
        "Name",
        "Objective",
        "OptimizationEvent",
        "OptimizationGoal",
        "Placement",
        "Placements",
        "Post",
        "PostFormat",
        "PromotionTargetType",
        "PromotionType",
        "RoasBid",
        "SalesDestination",
        "Schedule",
        "SmartPlusCampaignQuota",
        "Status",
        "Timezone",
        "Version",
        "VideoCode",
        "Visibility",
    ]
    .into_iter()
    .collect();
    assert_eq!(names, want);
}

#[test]
fn every_field_and_value_is_documented() {
    let mut missing = Vec::new();
    let s = schema();
    walk("#", &s, &mut |path, m| {
        if let Some(Value::Object(props)) = m.get("properties") {
            for (k, p) in props {
                // Property schemas inside a constraint (`not`, `anyOf`) only
                // restrict; the field's own schema documents it.
                if path.contains("/anyOf/") || path.contains("/not") {
                    continue;
                }
                for key in ["description", "markdownDescription"] {
                    if p.get(key).and_then(Value::as_str).is_none_or(str::is_empty) {
                        missing.push(format!("{path}/properties/{k}: {key}"));
                    }
                }
                if p.get("description") != p.get("markdownDescription") {
                    missing.push(format!("{path}/properties/{k}: descriptions differ"));
                }
            }
        }
        // A `const` inside a constraint (`not`, or an object-level `anyOf`
        // alternative) restricts a field documented elsewhere.
        let in_constraint = path.contains("/not")
            || path
                .split("/anyOf/")
                .nth(1)
                .is_some_and(|rest| rest.contains("/properties/"));
        if m.contains_key("const") && !in_constraint {
            for key in ["description", "markdownDescription"] {
                if !m.contains_key(key) {
                    missing.push(format!("{path}: const without {key}"));
                }
            }
        }
    });
    for (name, def) in s["definitions"].as_object().unwrap() {
        if def.get("description").is_none() || def.get("markdownDescription").is_none() {
            missing.push(format!("definition {name}: description"));
        }
    }
    assert_eq!(missing, Vec::<String>::new());
    // Doc comment lines are unwrapped.
    let post = s["definitions"]["Post"]["description"].as_str().unwrap();
    assert!(!post.contains('\n'), "{post}");
    assert!(post.starts_with("An organic TikTok post used as a Spark Ad"));
}

/// The `const` values of a string enum's `oneOf`.
fn enum_values(s: &Value, def: &str) -> Vec<String> {
    s["definitions"][def]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["const"].as_str().unwrap().to_owned())
        .collect()
}

fn listed<T>(values: &[(&'static str, T, bool)]) -> Vec<String> {
    values
        .iter()
        .filter(|v| v.2)
        .map(|v| v.0.to_owned())
        .collect()
}

#[test]
fn enums_offer_exactly_the_supported_values() {
    let s = schema();
    assert_eq!(
        enum_values(&s, "Objective"),
        ["app_promotion", "web_conversions", "lead_generation"]
    );
    assert_eq!(enum_values(&s, "Objective"), listed(Objective::VALUES));
    // Values marked [unsupported] (SP406) are hidden from editors.
    assert_eq!(enum_values(&s, "CampaignType"), ["smart_plus"]);
    assert_eq!(
        enum_values(&s, "CampaignType"),
        listed(CampaignType::VALUES)
    );
    assert_eq!(Objective::VALUES.len(), 8);
    assert_eq!(CampaignType::VALUES.len(), 3);
    assert_eq!(
        enum_values(&s, "IdentityType"),
        ["linked_account", "business_center", "custom"]
    );
    assert_eq!(
        enum_values(&s, "IdentityType"),
        listed(IdentityType::VALUES)
    );
    assert_eq!(enum_values(&s, "PostFormat"), listed(PostFormat::VALUES));
    assert_eq!(enum_values(&s, "Visibility"), listed(Visibility::VALUES));
    // TikTok's conversion events include `search` and `view`: they are not
    // campaign types or objectives.
    let mut s = s;
    if let Some(d) = s["definitions"].as_object_mut() {
        d.remove("OptimizationEvent");
    }
    let text = s.to_string();
    for hidden in ["\"manual\"", "\"search\"", "\"reach\"", "\"product_sales\""] {
        assert!(!text.contains(hidden), "{hidden} is offered");
    }
}

#[test]
fn every_object_is_closed() {
    let mut open = Vec::new();
    let mut closed = 0;
    walk("#", &schema(), &mut |path, m| {
        if m.get("type") != Some(&json!("object")) {
            return;
        }
        match m.get("additionalProperties") {
            Some(Value::Bool(false)) => closed += 1,
            // Named maps: any name, each value a closed resource.
            Some(Value::Object(v)) if v.contains_key("$ref") => {}
            other => open.push(format!("{path}: {other:?}")),
        }
    });
    assert_eq!(open, Vec::<String>::new());
    // The root and every mapping of the model, nested ones included.
    let s = schema();
    for def in [
        "Advertiser",
        "Identity",
        "Post",
        "Media",
        "Campaign",
        "Budget",
        "AdGroup",
        "Schedule",
        "Ad",
        "Creative",
        // `ad_group_defaults` and the ad groups over them (issue 21).
        "AdGroupDefaults",
        "PartialBudget",
        "PartialSchedule",
        "PartialAd",
    ] {
        assert_eq!(
            s["definitions"][def]["additionalProperties"],
            json!(false),
            "{def}"
        );
    }
    assert_eq!(s["additionalProperties"], json!(false));
    assert_eq!(closed, 15);
}

#[test]
fn defaults_and_examples() {
    let s = schema();
    let post = &s["definitions"]["Post"]["properties"];
    assert_eq!(post["authorization_days"]["default"], json!(30));
    // Integer enums document each value in `enumDescriptions` (and the
    // Markdown twin), one per value.
    let days = &post["authorization_days"];
    assert_eq!(days["enum"], json!([7, 30, 60, 365]));
    let quota = &s["definitions"]["SmartPlusCampaignQuota"];
    assert_eq!(quota["enum"], json!([50, 200, 1000]));
    for e in [days, quota] {
        let n = e["enum"].as_array().unwrap().len();
        assert_eq!(e["enumDescriptions"].as_array().unwrap().len(), n);
        assert_eq!(e["markdownEnumDescriptions"], e["enumDescriptions"]);
    }
    assert_eq!(
        s["definitions"]["Media"]["properties"]["video_id"]["examples"],
        json!(["v10033g50000abcdefghijklmnopqrst"])
    );
    assert_eq!(post["visibility"]["default"], json!("public"));
    assert_eq!(post["ads_only"]["default"], json!(false));
    assert_eq!(post["format"]["default"], json!("video"));
    assert_eq!(
        s["definitions"]["Creative"]["properties"]["ads_only"]["default"],
        json!(true)
    );
    assert_eq!(
        s["definitions"]["AdGroup"]["properties"]["placements"]["default"],
        json!("automatic")
    );
    assert_eq!(s["definitions"]["Timezone"]["default"], json!("UTC"));
    assert_eq!(
        s["definitions"]["Id"]["examples"],
        json!(["7000000000000000001"])
    );
    assert!(s["definitions"]["VideoCode"]["examples"].is_array());
    assert!(s["definitions"]["Date"]["examples"].is_array());
}

// --------------------------------------------------- patterns vs decoders

#[test]
fn date_pattern_is_the_calendar() {
    let v = jsonschema::draft7::new(&json!({ "pattern": sparkplan::model::values::DATE_PATTERN }))
        .unwrap();
    let mut years: Vec<u32> = (1996..=2031).collect();
    years.extend([0, 4, 100, 400, 1900, 2100, 2200, 2300, 2400, 9996, 9999]);
    let mut checked = 0;
    for y in years {
        for m in 0..=13 {
            for d in 0..=32 {
                let s = format!("{y:04}-{m:02}-{d:02}");
                assert_eq!(v.is_valid(&json!(s)), Date::parse(&s).is_some(), "{s}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 47 * 14 * 33);
    for s in [
        "2026-1-01",
        "2026-01-1",
        "20261201",
        "2026-12-01x",
        " 2026-12-01",
        "۲۰۲۶-۱۲-۰۱",
    ] {
        assert!(!v.is_valid(&json!(s)));
        assert!(Date::parse(s).is_none());
    }
}

#[test]
fn video_code_pattern_is_the_decoder() {
    let v = jsonschema::draft7::new(
        &json!({ "pattern": sparkplan::model::values::VIDEO_CODE_PATTERN }),
    )
    .unwrap();
    let mut cases: Vec<String> = [
        "#AbCdEf0123456789+/xyzXYZ=",
        "#12345678",
        "#1234567",
        "AbCdEf0123456789",
        "#",
        "",
        "#Ab cdefgh1",
        "#Abcdefgh\t",
        "#ÄbcdéfghΩ",
        "#漢字漢字漢字漢字",
        "##########",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Every white space and control character Rust knows, and a few that are
    // neither, inside an otherwise valid code.
    for c in (0u32..0x3100).filter_map(char::from_u32) {
        cases.push(format!("#Abcd{c}efgh"));
    }
    cases.push("#Abcd\u{feff}efgh".to_owned());
    for c in &cases {
        assert_eq!(
            v.is_valid(&json!(c)),
            sparkplan::model::values::video_code_problem(c).is_none(),
            "{c:?}"
        );
    }
}

// ---------------------------------------------------------- YAML to JSON

/// The JSON an editor sees for a YAML node (YAML 1.2 core schema, as
/// yaml-language-server reads it), from the project's own syntax layer.
fn to_json(node: &Node) -> Value {
    match &node.kind {
        Kind::Scalar(s) => match s.resolve() {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(t) => int_value(t),
            Resolved::Float(f) => {
                serde_json::Number::from_f64(f).map_or_else(|| json!(s.text), Value::Number)
            }
            Resolved::Str(t) => json!(t),
        },
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| {
                    let key = e
                        .key
                        .as_scalar()
                        .map_or_else(|| to_json(&e.key).to_string(), |s| s.text.clone());
                    (key, to_json(&e.value))
                })
                .collect(),
        ),
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "beyond 64 bits, a JSON number is an f64, as every JSON reader makes it"
)]
fn int_value(t: &str) -> Value {
    let parsed = if let Some(h) = t.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()
    } else if let Some(o) = t.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()
    } else {
        t.trim_start_matches('+').parse::<i128>().ok()
    };
    match parsed {
        Some(i) => i64::try_from(i)
            .map(Value::from)
            .or_else(|_| u64::try_from(i).map(Value::from))
            .unwrap_or_else(|_| json!(i as f64)),
        None => json!(t),
    }
}

/// The file as JSON, or `None` when it is not one readable YAML document
/// (SP001 syntax, SP013 refused input, SP006 extra documents): those never
/// reach the schema in an editor either.
fn yaml_to_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let parsed = syntax::parse(FileId(0), &text, &Limits::default());
    if parsed
        .diagnostics
        .iter()
        .any(|d| matches!(d.code(), "SP001" | "SP006" | "SP013"))
    {
        return None;
    }
    Some(parsed.root.as_ref().map_or(Value::Null, to_json))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

fn files_under(rel: &str) -> Vec<PathBuf> {
    let mut v = Vec::new();
    yaml_files(&root().join(rel), &mut v);
    v.sort();
    v
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn every_example_manifest_validates() {
    let v = validator();
    let files = files_under("examples");
    assert!(files.len() >= 6, "{files:?}");
    for f in &files {
        let doc = yaml_to_json(f).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", rel(f));
    }
}

// ------------------------------------------------------------- agreement

/// The diagnostics of `check` that the schema expresses too ("structural").
/// What the schema rejects, `check` must report with one of these, and the
/// reverse:
///
/// - SP003 unknown field (`additionalProperties: false`), SP004 wrong type or
///   value (`type`, `enum`/`const`, `pattern`, creative shape), SP005 missing
///   field (`required`, and `business_center_id` for `business_center`).
/// - SP006 `sparkplan:` missing or not `1` (`required`, `const`).
/// - SP009 an unquoted video code: YAML reads a comment, the value is null.
///   (SP009 for a caption or ad text followed by a comment is check-only:
///   the schema sees a valid, shorter string.)
/// - SP010 malformed video code, SP012 ID not a string of digits (`pattern`,
///   `type: string`).
/// - SP011 only when the date itself is malformed (`pattern`, calendar
///   exact); a schedule ending before it starts is SP011 too, but the schema
///   cannot compare values, so that one is check-only.
/// - SP201 `authorization_days` not 7/30/60/365 (`enum`), SP403 counts of
///   creatives (1..50), ad texts (≤5) and calls to action (≤3)
///   (`minItems`/`maxItems`), SP406 `type: manual|search` and objectives
///   Smart+ does not offer (absent from the `oneOf`): specific codes for what
///   the schema also rejects.
///
/// Everything else is check-only: references across files (SP007, SP008),
/// dates against today and each other, post sources (SP103, SP104),
/// Spark rules (SP1xx–SP4xx but the above), plan diffs (SP5xx). SP002
/// (duplicate key) is invisible once YAML is read as JSON.
fn is_structural(code: &str, span_text: &str, message: &str) -> bool {
    match code {
        "SP009" => message.starts_with("the video code"),
        "SP003" | "SP004" | "SP005" | "SP006" | "SP010" | "SP012" | "SP201" | "SP403" | "SP406" => {
            true
        }
        "SP011" => Date::parse(span_text.trim_matches(['"', '\''])).is_none(),
        _ => false,
    }
}

/// `(code, line)` of the structural diagnostics of `check` on `path` alone.
fn structural_diagnostics(path: &Path) -> Vec<(String, usize)> {
    let opts = CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    };
    let report = check(&[path.to_path_buf()], &opts).unwrap();
    let sources = report.sources();
    let mut out: Vec<(String, usize)> = report
        .diagnostics
        .iter()
        .filter_map(|d| {
            let span = d.primary_span()?;
            let text = sources
                .get(span.file)
                .and_then(|f| f.text.get(span.start as usize..span.end as usize))
                .unwrap_or("");
            is_structural(d.code(), text, &d.message)
                .then(|| (d.code().to_owned(), sources.location(span).line))
        })
        .collect();
    out.dedup();
    out
}

struct Verdict {
    file: String,
    schema_errors: Vec<String>,
    check: Vec<(String, usize)>,
}

fn verdicts(files: &[PathBuf]) -> (Vec<Verdict>, usize) {
    let v = validator();
    let mut out = Vec::new();
    let mut skipped = 0;
    for f in files {
        let Some(doc) = yaml_to_json(f) else {
            skipped += 1;
            continue;
        };
        out.push(Verdict {
            file: rel(f),
            schema_errors: v
                .iter_errors(&doc)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect(),
            check: structural_diagnostics(f),
        });
    }
    (out, skipped)
}

#[test]
fn schema_and_check_agree_on_every_fixture() {
    // Globbed at run time, so fixtures added by other tests are covered.
    let mut files = files_under("tests/fixtures");
    files.extend(files_under("examples"));
    let (verdicts, skipped) = verdicts(&files);
    let mut disagreements = Vec::new();
    for v in &verdicts {
        if v.schema_errors.is_empty() != v.check.is_empty() {
            disagreements.push(format!(
                "{}\n  schema: {:?}\n  check:  {:?}",
                v.file, v.schema_errors, v.check
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "the schema and check disagree on {} of {} files:\n{}",
        disagreements.len(),
        verdicts.len(),
        disagreements.join("\n")
    );
    let own = verdicts
        .iter()
        .filter(|v| v.file.starts_with("tests/fixtures/schema/"))
        .count();
    assert!(own >= 60, "{own}");
    assert!(verdicts.len() + skipped == files.len());
}

/// Each of `tests/fixtures/schema/*.yaml` says on its first line what
/// `check` reports structurally (`# expect: SP003@7 SP004@9`, 1-based lines)
/// or `# expect: ok`; the schema must reject exactly the files that expect
/// something.
#[test]
fn structural_fixtures_report_what_they_expect() {
    let files = files_under("tests/fixtures/schema");
    let (verdicts, skipped) = verdicts(&files);
    assert_eq!(skipped, 0);
    let mut wrong = Vec::new();
    let mut rejected = 0;
    for (f, v) in files.iter().zip(&verdicts) {
        let text = std::fs::read_to_string(f).unwrap();
        let head = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: first line must be `# expect: …`", v.file));
        let want: Vec<(String, usize)> = if head.trim() == "ok" {
            Vec::new()
        } else {
            head.split_whitespace()
                .map(|w| {
                    let (c, l) = w.split_once('@').unwrap();
                    (c.to_owned(), l.parse().unwrap())
                })
                .collect()
        };
        if v.check != want {
            wrong.push(format!(
                "{}: check reported {:?}, expected {want:?}",
                v.file, v.check
            ));
        }
        if v.schema_errors.is_empty() != want.is_empty() {
            wrong.push(format!(
                "{}: schema errors {:?}, expected {}",
                v.file,
                v.schema_errors,
                if want.is_empty() { "none" } else { "some" }
            ));
        }
        rejected += usize::from(!want.is_empty());
    }
    assert_eq!(wrong, Vec::<String>::new());
    assert!(rejected >= 55, "{rejected}");
}

/// `Workspace::references()` (src/workspace/refs.rs) reads every field that
/// names another resource: the format's references are the schema's uses of
/// `Name` (eight today), less `renamed_from` (an old key of the resource
/// itself, in the base: not a reference). A new reference field fails here
/// until the walker reads it.
#[test]
fn the_references_walker_knows_every_reference_field() {
    fn walk(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("$ref").and_then(|r| r.as_str()) == Some("#/definitions/Name") {
                    out.push(key.to_owned());
                }
                for (k, v) in m {
                    walk(v, k, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, key, out)),
            _ => {}
        }
    }
    let schema: serde_json::Value =
        serde_json::from_str(&sparkplan::schema::schema_json()).unwrap();
    let mut names = Vec::new();
    walk(&schema, "", &mut names);
    let references = names.iter().filter(|k| *k != "renamed_from").count();
    assert_eq!(references, 8, "{names:?}");
}
