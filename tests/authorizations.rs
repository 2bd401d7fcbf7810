//! `sparkplan authorizations` end to end, on the real binary's output: each
//! status, each format read back by a real parser (CSV by the `csv` crate,
//! ICS by the `icalendar` parser, JSON validated against its committed
//! schema), `--within`, `--fail-within`, duet and stitch rows, and days left
//! in each account's own zone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::Path;
use std::process::Command;

use icalendar::Component;
use serde_json::Value;

const BASIC: &str = "tests/fixtures/authorizations/basic";
const ZONES: &str = "tests/fixtures/authorizations/zones";
const INVALID: &str = "tests/fixtures/authorizations/invalid";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("authorizations")
        .args(args)
        .env_remove("SPARKPLAN_TODAY")
        .env_remove("SPARKPLAN_NOW")
        .env_remove("SPARKPLAN_FORMAT")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The basic fixture on 2026-12-02 (SP203, the flight that outlives
/// `p_ending`'s code, is made a warning so the workspace has no errors).
fn basic(extra: &[&str]) -> Run {
    let mut args = vec![BASIC, "--today", "2026-12-02", "-W", "SP203"];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap()
}

fn row<'a>(doc: &'a Value, post: &str) -> &'a Value {
    doc["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["post"] == post)
        .unwrap_or_else(|| panic!("no row for {post}"))
}

#[test]
fn every_status_with_days_left_sorted_by_end() {
    let r = basic(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    let posts: Vec<&str> = doc["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["post"].as_str().unwrap())
        .collect();
    assert_eq!(
        posts,
        [
            "p_expired",
            "p_ending",
            "p_future",
            "p_unused",
            "p_stitch",
            "p_active",
            "p_duet"
        ]
    );
    for (post, status, left, until) in [
        ("p_expired", "expired", -2, "2026-11-30"),
        ("p_ending", "ending", 2, "2026-12-04"),
        ("p_future", "not_started", 37, "2027-01-08"),
        ("p_unused", "unused", 52, "2027-01-23"),
        ("p_active", "active", 352, "2027-11-19"),
    ] {
        let r = row(&doc, post);
        assert_eq!(r["status"], status, "{post}");
        assert_eq!(r["days_left"], left, "{post}");
        assert_eq!(r["until"], until, "{post}");
        assert_eq!(r["utc_offset"], "UTC-08:00", "{post}");
    }
    // A paused ad does not count as a use.
    assert_eq!(row(&doc, "p_unused")["used_by"], Value::Array(vec![]));
    // The flight through 2026-12-31 outlives the code ending 2026-12-04.
    let ending = &row(&doc, "p_ending")["used_by"][0];
    assert_eq!(ending["ad"], "kettle");
    assert_eq!(ending["flight_end"], "2026-12-31");
    assert_eq!(ending["outlives_code"], true);
    assert_eq!(row(&doc, "p_active")["used_by"][0]["outlives_code"], false);
}

#[test]
fn duet_and_stitch_rows_name_the_original_code() {
    let doc = json(&basic(&["--format", "json"]));
    let duet = row(&doc, "p_duet");
    assert_eq!(duet["format"], "duet");
    assert_eq!(duet["original_video_code"], "#OriginalDuetCode0123=");
    let stitch = row(&doc, "p_stitch");
    assert_eq!(stitch["format"], "stitch");
    assert_eq!(stitch["original_video_code"], "#OriginalStitch01234=");
    assert_eq!(row(&doc, "p_active")["original_video_code"], Value::Null);
    // The creator's handle, when the post names it.
    assert_eq!(duet["creator"], "@jane.creates");
    assert_eq!(row(&doc, "p_active")["creator"], Value::Null);
    let table = basic(&[]).stdout;
    assert!(table.contains("duet of #OriginalDuetCode0123="), "{table}");
    assert!(table.contains("stitch of #OriginalStitch01234="), "{table}");
}

#[test]
fn table_is_aligned_and_coloured_only_on_request() {
    let plain = basic(&[]);
    assert_eq!(plain.code, 0);
    assert!(!plain.stdout.contains('\u{1b}'));
    let lines: Vec<&str> = plain.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ENDS        DAYS LEFT  STATUS"),
        "{}",
        lines[0]
    );
    // Every row's STATUS column starts where the header's does.
    let col = lines[0].find("STATUS").unwrap();
    for l in &lines[1..8] {
        let status = &l[col..];
        assert!(
            ["expired", "ending", "active", "not_started", "unused"]
                .iter()
                .any(|s| status.starts_with(s)),
            "{l}"
        );
    }
    assert!(
        plain
            .stdout
            .contains("7 authorizations: 1 expired, 1 ending, 3 active, 1 not_started, 1 unused")
    );
    let coloured = basic(&["--color", "always"]);
    assert!(coloured.stdout.contains("\u{1b}["), "{}", coloured.stdout);
}

#[test]
fn within_keeps_what_ends_soon_and_expired_codes_still_in_use() {
    let doc = json(&basic(&["--format", "json", "--within", "40"]));
    assert_eq!(doc["within"], 40);
    let posts: Vec<&str> = doc["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["post"].as_str().unwrap())
        .collect();
    // p_expired is left out: it has ended and no enabled ad uses it.
    assert_eq!(posts, ["p_ending", "p_future"]);
    let none = basic(&["--within", "1"]);
    assert_eq!(none.code, 0);
    assert!(
        none.stdout
            .contains("no video-code authorizations ending within 1 days")
    );
}

#[test]
fn fail_within_exits_1_only_when_an_enabled_ad_uses_a_code_ending_soon() {
    // p_ending (2 days left) is used by an enabled ad.
    assert_eq!(basic(&["--fail-within", "3"]).code, 1);
    assert_eq!(basic(&["--fail-within", "2"]).code, 0);
    // p_expired ended but no ad uses it; p_unused's only ad is paused.
    assert_eq!(basic(&["--fail-within", "1"]).code, 0);
    // `--within` narrows the list, not the judgement.
    assert_eq!(basic(&["--within", "1", "--fail-within", "3"]).code, 1);
    assert_eq!(basic(&[]).code, 0);
    // Exit 2 as everywhere: the tool could not run.
    assert_eq!(run(&[BASIC, "--today", "2026-13-40"]).code, 2);
    assert_eq!(run(&[BASIC, "--fail-within", "soon"]).code, 2);
}

#[test]
fn days_left_are_counted_in_each_accounts_zone() {
    // 2026-12-20 20:00 UTC is noon on the 20th at UTC-08:00 (the last day)
    // and 01:30 on the 21st at UTC+05:30 (a day after the last day).
    let doc = json(&run(&[
        ZONES,
        "--now",
        "2026-12-20T20:00:00Z",
        "--format",
        "json",
    ]));
    let west = row(&doc, "west_post");
    assert_eq!(west["today"], "2026-12-20");
    assert_eq!(west["days_left"], 0);
    assert_eq!(west["status"], "unused");
    let india = row(&doc, "india_post");
    assert_eq!(india["today"], "2026-12-21");
    assert_eq!(india["days_left"], -1);
    assert_eq!(india["status"], "expired");
    assert_eq!(india["utc_offset"], "UTC+05:30");
    // Seven hours earlier both accounts are on the 20th.
    let doc = json(&run(&[
        ZONES,
        "--now",
        "2026-12-20T13:00:00Z",
        "--format",
        "json",
    ]));
    assert_eq!(row(&doc, "india_post")["days_left"], 0);
    assert_eq!(row(&doc, "west_post")["days_left"], 0);
}

#[test]
fn json_validates_against_the_committed_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(sparkplan::authz::SCHEMA_PATH),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let doc = json(&basic(&["--format", "json"]));
    assert_eq!(doc["format_version"], "1");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let zones = json(&run(&[ZONES, "--today", "2026-12-02", "--format", "json"]));
    assert!(validator.is_valid(&zones));
    let mut bad = doc.clone();
    bad["authorizations"][0]["status"] = Value::from("lapsed");
    assert!(!validator.is_valid(&bad));
    let mut bad = doc;
    bad["format_version"] = Value::from("2");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(sparkplan::authz::SCHEMA_PATH);
    let generated = sparkplan::authz::json_schema();
    if std::env::var_os("SPARKPLAN_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/authorizations.schema.json is stale: rerun with SPARKPLAN_BLESS=1"
    );
}

#[test]
fn csv_has_a_header_and_parses_back() {
    let r = basic(&["--format", "csv"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("\r\n"), "RFC 4180 lines end with CRLF");
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[0], "advertiser");
    assert_eq!(header[1], "post");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let ending = rows.iter().find(|r| &r[col("post")] == "p_ending").unwrap();
    assert_eq!(&ending[col("status")], "ending");
    assert_eq!(&ending[col("days_left")], "2");
    assert_eq!(&ending[col("flight_outlives_code")], "true");
    // A field with a comma is quoted and reads back whole.
    assert_eq!(
        &ending[col("used_by")],
        "holiday/us_broad/kettle (flight through 2026-12-31, outlives the code)"
    );
    let duet = rows.iter().find(|r| &r[col("post")] == "p_duet").unwrap();
    assert_eq!(&duet[col("original_video_code")], "#OriginalDuetCode0123=");
}

#[test]
fn markdown_has_a_table_and_a_bounded_gantt() {
    let r = basic(&["--format", "markdown", "--within", "60"]);
    assert_eq!(r.code, 0);
    let md = &r.stdout;
    assert!(md.starts_with("## Video-code authorizations\n"), "{md}");
    assert!(md.contains("| Ends | Days left | Status |"), "{md}");
    assert!(
        md.contains("| 2026-12-04 | 2 | **ending** | acme\\_la | p\\_ending |"),
        "{md}"
    );
    let gantt = md.split("```mermaid\n").nth(1).unwrap();
    let gantt = gantt.split("```").next().unwrap();
    assert!(gantt.starts_with("gantt\n"));
    assert!(gantt.contains("section acme_la"));
    // The bar covers the last day: Mermaid's end date is exclusive.
    assert!(
        gantt.contains("p_ending : active, 2026-11-05, 2026-12-05"),
        "{gantt}"
    );
    let bars = gantt.lines().filter(|l| l.contains(" : ")).count();
    assert_eq!(bars, 4, "{gantt}");
    assert!(bars <= sparkplan::render::authz::GANTT_MAX_BARS);
    // Nothing ends within a day: a heading and a summary, no chart.
    let quiet = basic(&["--format", "markdown", "--within", "1"]).stdout;
    assert!(!quiet.contains("mermaid"), "{quiet}");
}

#[test]
fn ics_parses_back_with_stable_uids_and_reminders() {
    let r = basic(&["--format", "ics"]);
    assert_eq!(r.code, 0);
    // Every content line ends with CRLF and is folded at 75 octets.
    for line in r.stdout.split_terminator("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "unfolded line {line:?}");
    }
    let cal: icalendar::Calendar = r.stdout.parse().unwrap();
    let events: Vec<&icalendar::Event> = cal.events().collect();
    assert_eq!(events.len(), 7);
    let ending = events
        .iter()
        .find(|e| e.get_summary() == Some("Spark Ads code ends: p_ending"))
        .unwrap();
    assert_eq!(
        ending.get_uid(),
        Some("acme_la.p_ending.#EndingCode0123456789=@authorizations.sparkplan")
    );
    assert_eq!(
        ending.get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        ))
    );
    // Escaped text (a comma) reads back as written.
    assert!(ending.get_description().unwrap().contains(
        "Used by: holiday/us_broad/kettle (flight through 2026-12-31, outlives the code)."
    ));
    assert!(r.stdout.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\n"));
    assert!(r.stdout.contains("TRIGGER:-P7D\r\n"));
    // Byte-identical runs, so a re-import updates the same events.
    assert_eq!(basic(&["--format", "ics"]).stdout, r.stdout);
}

#[test]
fn invalid_manifests_are_reported_unless_ignore_errors() {
    let r = run(&[INVALID, "--today", "2026-12-02"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("error[SP201]"), "{}", r.stdout);
    assert!(!r.stdout.contains("ENDS"));
    let r = run(&[
        INVALID,
        "--today",
        "2026-12-02",
        "--ignore-errors",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("error[SP201]"), "{}", r.stderr);
    let doc = json(&r);
    let posts: Vec<&str> = doc["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["post"].as_str().unwrap())
        .collect();
    assert_eq!(posts, ["good"]);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth.csv");
    let r = basic(&["--format", "csv", "-o", file.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("advertiser,post,")
    );
}

#[test]
fn markdown_stays_within_its_budget_on_a_large_workspace() {
    // 2,000 code posts, one campaign: far more than one issue body holds.
    let dir = tempfile::tempdir().unwrap();
    let mut posts = String::from(
        "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"7000000000000000001\"\nposts:\n",
    );
    for i in 0..2000 {
        posts.push_str(&format!(
            "  post_{i:04}:\n    advertiser: acme\n    video_code: \"#Code{i:04}abcdefghijklmno=\"\n    authorized_on: \"2026-11-20\"\n    authorization_days: 365\n    caption: \"Post {i}\"\n"
        ));
    }
    std::fs::write(dir.path().join("posts.yaml"), posts).unwrap();
    let r = run(&[
        dir.path().to_str().unwrap(),
        "--today",
        "2026-12-02",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.len() < 60_000, "{} bytes", r.stdout.len());
    assert!(
        r.stdout.contains(
            "more authorizations are left out to keep this short; `--format csv` lists them all."
        ),
        "{}",
        &r.stdout[r.stdout.len() - 300..]
    );
    // CSV lists every one.
    let csv = run(&[
        dir.path().to_str().unwrap(),
        "--today",
        "2026-12-02",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.stdout.lines().count(), 2001);
}
