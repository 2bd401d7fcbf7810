//! Locations as TikTok location IDs, and time as TikTok keeps it: each ad
//! account has one fixed UTC offset, schedule times are sent in UTC+0, and
//! "today" is each account's date at the instant of the run (the clock is a
//! parameter here, never the wall clock).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sparkplan::check::{CheckOptions, check};
use sparkplan::config::Config;
use sparkplan::driver;
use sparkplan::model::{Date, Today};

fn at(instant: &str) -> CheckOptions {
    CheckOptions {
        today: Today::At(instant.parse().unwrap()),
        config: Config::default(),
    }
}

fn on(date: &str) -> CheckOptions {
    CheckOptions {
        today: Date::parse(date).unwrap().into(),
        config: Config::default(),
    }
}

/// (code, line) of every diagnostic of the workspace at `path`.
fn reported(path: &Path, opts: &CheckOptions) -> Vec<(String, usize)> {
    let report = check(&[path.to_path_buf()], opts).unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            (d.code().to_owned(), report.sources().location(span).line)
        })
        .collect()
}

fn today_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo_time/today")
}

fn codes(v: &[(&str, usize)]) -> Vec<(String, usize)> {
    v.iter().map(|(c, l)| ((*c).to_owned(), *l)).collect()
}

// Lines of tests/fixtures/geo_time/today/workspace.yaml.
const LA_UNTIL: usize = 20;
const MUMBAI_UNTIL: usize = 24;
const LONDON_UNTIL: usize = 28;
const MUMBAI_NEW_ON: usize = 32;
// The flights run to 2026-12-31, past the codes: SP203 there while a code has
// not expired yet (once it has, SP202 is the one report).
const LA_FLIGHT: usize = 43;
const MUMBAI_FLIGHT: usize = 60;
const LONDON_FLIGHT: usize = 81;

#[test]
fn the_last_day_is_not_over_in_the_afternoon_in_los_angeles() {
    // 2026-12-21 00:30 UTC: 16:30 on the 20th in Los Angeles (UTC-08:00),
    // 06:00 on the 21st in Mumbai, 00:30 on the 21st in London (UTC+00:00,
    // no summer time for an ad account).
    assert_eq!(
        reported(&today_fixture(), &at("2026-12-21T00:30:00Z")),
        codes(&[
            ("SP204", LA_UNTIL),
            ("SP202", MUMBAI_UNTIL),
            ("SP202", LONDON_UNTIL),
            ("SP203", LA_FLIGHT),
        ])
    );
    // The same instant 8 hours and 30 minutes later: midnight in Los Angeles.
    assert_eq!(
        reported(&today_fixture(), &at("2026-12-21T08:00:00Z")),
        codes(&[
            ("SP202", LA_UNTIL),
            ("SP202", MUMBAI_UNTIL),
            ("SP202", LONDON_UNTIL),
        ])
    );
}

#[test]
fn midnight_at_a_half_hour_offset() {
    // 18:29:59 UTC is 23:59:59 in Mumbai (UTC+05:30): the 20th is still its
    // last authorized day, and a code authorized on the 21st is in the future.
    assert_eq!(
        reported(&today_fixture(), &at("2026-12-20T18:29:59Z")),
        codes(&[
            ("SP204", LA_UNTIL),
            ("SP204", MUMBAI_UNTIL),
            ("SP204", LONDON_UNTIL),
            ("SP207", MUMBAI_NEW_ON),
            ("SP203", LA_FLIGHT),
            ("SP203", MUMBAI_FLIGHT),
            ("SP203", LONDON_FLIGHT),
        ])
    );
    // One second later it is the 21st in Mumbai, and still the 20th in UTC.
    assert_eq!(
        reported(&today_fixture(), &at("2026-12-20T18:30:00Z")),
        codes(&[
            ("SP204", LA_UNTIL),
            ("SP202", MUMBAI_UNTIL),
            ("SP204", LONDON_UNTIL),
            ("SP203", LA_FLIGHT),
            ("SP203", LONDON_FLIGHT),
        ])
    );
}

#[test]
fn a_fixed_date_is_today_for_every_account() {
    assert_eq!(
        reported(&today_fixture(), &on("2026-12-21")),
        codes(&[
            ("SP202", LA_UNTIL),
            ("SP202", MUMBAI_UNTIL),
            ("SP202", LONDON_UNTIL),
        ])
    );
    assert_eq!(
        reported(&today_fixture(), &on("2026-12-20")),
        codes(&[
            ("SP204", LA_UNTIL),
            ("SP204", MUMBAI_UNTIL),
            ("SP204", LONDON_UNTIL),
            ("SP207", MUMBAI_NEW_ON),
            ("SP203", LA_FLIGHT),
            ("SP203", MUMBAI_FLIGHT),
            ("SP203", LONDON_FLIGHT),
        ])
    );
}

/// Writes one manifest with an advertiser in `timezone`, an ad group flying
/// `start`..`end` over `locations`, and returns the ad group's create body.
fn ad_group_body(timezone: &str, start: &str, end: &str, locations: &str) -> Value {
    ad_group_body_at(timezone, start, end, locations, &on("2026-11-29"))
}

/// [`ad_group_body`] planned with `opts` ("today" or the instant of the run).
fn ad_group_body_at(
    timezone: &str,
    start: &str,
    end: &str,
    locations: &str,
    opts: &CheckOptions,
) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "sparkplan: 1
advertisers:
  acme:
    advertiser_id: \"7000000000000000001\"
    timezone: {timezone}
campaigns:
  c:
    advertiser: acme
    type: smart_plus
    objective: lead_generation
    budget: {{ mode: daily, amount: 50 }}
    ad_groups:
      g:
        schedule: {{ start: \"{start}\", end: \"{end}\" }}
        locations: {locations}
        promotion_type: lead_generation
        promotion_target_type: instant_page
        optimization_goal: lead_generation
        bid_type: no_bid
"
    );
    std::fs::write(dir.path().join("w.yaml"), text).unwrap();
    let outcome = driver::plan::run(&[dir.path().to_path_buf()], None, opts).unwrap();
    let messages: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code(), d.message))
        .collect();
    let p = outcome.plan.unwrap_or_else(|| panic!("{messages:?}"));
    p.operations
        .iter()
        .find(|o| o.endpoint == "smart_plus/adgroup/create")
        .unwrap()
        .body
        .clone()
        .into()
}

fn schedule(body: &Value) -> (&str, &str) {
    (
        body["schedule_start_time"].as_str().unwrap(),
        body["schedule_end_time"].as_str().unwrap(),
    )
}

#[test]
fn schedule_times_are_sent_in_utc() {
    // The example: a New York (UTC-05:00) flight through December.
    let ny = ad_group_body("America/New_York", "2026-12-01", "2026-12-31", "[US]");
    assert_eq!(
        schedule(&ny),
        ("2026-12-01 05:00:00", "2027-01-01 04:59:59")
    );
    // In summer too: the account keeps its standard offset all year. (A
    // flight that starts in the future: a past start is sent as `$now`.)
    let ny = ad_group_body("America/New_York", "2027-07-01", "2027-07-31", "[US]");
    assert_eq!(
        schedule(&ny),
        ("2027-07-01 05:00:00", "2027-08-01 04:59:59")
    );
    let london = ad_group_body("Europe/London", "2027-07-01", "2027-07-31", "[GB]");
    assert_eq!(
        schedule(&london),
        ("2027-07-01 00:00:00", "2027-07-31 23:59:59")
    );
    // The same offset written as Ads Manager shows it.
    let la = ad_group_body("UTC-08:00", "2026-12-01", "2026-12-31", "[US]");
    assert_eq!(
        schedule(&la),
        ("2026-12-01 08:00:00", "2027-01-01 07:59:59")
    );
    // Half an hour east of UTC: the account's day starts the evening before.
    for tz in ["UTC+05:30", "Asia/Kolkata"] {
        let india = ad_group_body(tz, "2026-12-01", "2026-12-31", "[IN]");
        assert_eq!(
            schedule(&india),
            ("2026-11-30 18:30:00", "2026-12-31 18:29:59"),
            "{tz}"
        );
    }
    let utc = ad_group_body("UTC", "2026-12-01", "2026-12-31", "[US]");
    assert_eq!(
        schedule(&utc),
        ("2026-12-01 00:00:00", "2026-12-31 23:59:59")
    );
}

/// The 12-hour rule judges a flight's start in the account's own day: at
/// 05:00 UTC on 2026-12-01 it is still 2026-11-30 in a UTC-08:00 account, so a
/// flight starting on the 1st starts at its declared time, not "now"; in a
/// UTC+05:30 account the 1st has begun, so it starts when the call runs.
#[test]
fn a_start_is_past_or_future_in_the_accounts_day() {
    let now = at("2026-12-01T05:00:00Z");
    let la = ad_group_body_at("UTC-08:00", "2026-12-01", "2026-12-31", "[US]", &now);
    assert_eq!(
        schedule(&la),
        ("2026-12-01 08:00:00", "2027-01-01 07:59:59")
    );
    let india = ad_group_body_at("UTC+05:30", "2026-12-01", "2026-12-31", "[IN]", &now);
    assert_eq!(india["schedule_start_time"], json!({"$now": "UTC"}));
}

#[test]
fn locations_are_sent_as_tiktok_location_ids() {
    let body = ad_group_body(
        "UTC",
        "2026-12-01",
        "2026-12-31",
        "[US, GB, \"5332921\", CA]",
    );
    assert_eq!(
        body["targeting_spec"]["location_ids"],
        json!(["6252001", "2635167", "5332921", "6251999"])
    );
}

/// Checks one manifest whose ad group lists `locations`; returns each
/// diagnostic as (code, line, message, help).
fn location_diagnostics(locations: &str) -> Vec<(String, usize, String, Option<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "sparkplan: 1
advertisers:
  acme:
    advertiser_id: \"7000000000000000001\"
campaigns:
  c:
    advertiser: acme
    type: smart_plus
    objective: lead_generation
    budget: {{ mode: daily, amount: 50 }}
    ad_groups:
      g:
        schedule: {{ start: \"2026-12-01\" }}
        locations:
{locations}        promotion_type: lead_generation
        promotion_target_type: instant_page
        optimization_goal: lead_generation
        bid_type: no_bid
"
    );
    std::fs::write(dir.path().join("w.yaml"), text).unwrap();
    let report = check(&[dir.path().to_path_buf()], &on("2026-11-29")).unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            (
                d.code().to_owned(),
                report.sources().location(span).line,
                d.message.clone(),
                d.help.clone(),
            )
        })
        .collect()
}

#[test]
fn unknown_locations_suggest_the_code() {
    let got = location_diagnostics("          - US\n          - UK\n          - germany\n");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "SP004");
    assert_eq!(got[0].1, 16);
    assert_eq!(
        got[0].2,
        "`UK` is neither an ISO 3166-1 alpha-2 country code nor a location ID"
    );
    assert_eq!(
        got[0].3.as_deref(),
        Some("the United Kingdom's ISO code is `GB`")
    );
    assert_eq!((got[1].0.as_str(), got[1].1), ("SP004", 17));
    assert_eq!(got[1].3.as_deref(), Some("write `DE` for Germany"));
}

#[test]
fn a_location_listed_twice_is_reported_once_where_it_repeats() {
    let got = location_diagnostics("          - US\n          - CA\n          - \"6252001\"\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1), ("SP004", 17));
    assert_eq!(
        got[0].2,
        "`US` and `6252001` are the same location (TikTok location ID 6252001) in `locations`"
    );
}

#[test]
fn an_unquoted_location_id_must_be_quoted() {
    let got = location_diagnostics("          - 6252001\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1), ("SP012", 15));
    assert_eq!(got[0].3.as_deref(), Some("quote it: \"6252001\""));
}

fn sparkplan(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SPARKPLAN_TODAY")
        .env_remove("SPARKPLAN_NOW")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn cli_now_reads_each_accounts_date_and_today_overrides_it() {
    let fixture = "tests/fixtures/geo_time/today";
    let out = sparkplan(&["check", fixture, "--now", "2026-12-21T00:30:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let headlines: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.starts_with("error[") || l.starts_with("warning[") || l.contains("note: today")
        })
        .collect();
    assert_eq!(
        headlines,
        [
            "warning[SP204]: the authorization of post `la_post` ends today (2026-12-20)",
            "   = note: today is 2026-12-20 in ad account `la` (UTC-08:00): authorization dates are the account's",
            "error[SP202]: the authorization of post `mumbai_post` expired on 2026-12-20 (1 day ago)",
            "   = note: today is 2026-12-21 in ad account `mumbai` (UTC+05:30): authorization dates are the account's",
            "error[SP202]: the authorization of post `london_post` expired on 2026-12-20 (1 day ago)",
            "error[SP203]: ad group `g` runs until 2026-12-31, past the authorization of post `la_post` (ends 2026-12-20)",
        ]
    );
    assert!(
        text.ends_with("error: 3 errors and 1 warning found in 1 file\n"),
        "{text}"
    );

    // `--today` is the same date for every account, and wins over `--now`.
    let out = sparkplan(&[
        "check",
        fixture,
        "--now",
        "2026-12-21T00:30:00Z",
        "--today",
        "2026-12-20",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    // Every code is live on the 20th (SP204) and every flight outlives it (SP203).
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.ends_with("error: 3 errors and 4 warnings found in 1 file\n"),
        "{text}"
    );
    assert!(!text.contains("note: today"), "{text}");

    let out = sparkplan(&["check", fixture, "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: invalid --now `yesterday`: expected an RFC 3339 instant such as 2026-12-20T23:30:00Z\n"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 512,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// For every offset TikTok supports and every second of an account's day,
    /// the UTC+0 time the plan sends is an instant whose date at that offset
    /// is the same day: schedule conversion and per-account today agree.
    #[test]
    fn utc_times_and_account_dates_round_trip(
        half_hours in -24i32..=28,
        day in 0i64..40_000,
        second in 0i64..86_400,
    ) {
        let offset = sparkplan::model::UtcOffset::from_minutes(half_hours * 30).unwrap();
        let date = Date { days: day };
        let sent = offset.to_utc(date, second);
        let instant: jiff::Timestamp = format!("{}Z", sent.replace(' ', "T")).parse().unwrap();
        proptest::prop_assert_eq!(Today::At(instant).at(offset), date);
        proptest::prop_assert_eq!(
            instant.as_second(),
            day * 86_400 + second - i64::from(offset.seconds())
        );
    }
}
