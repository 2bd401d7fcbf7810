use super::date::date_problem;
use super::time::{loose_offset, parse_offset};
use super::*;

fn offset_of(zone: &str) -> String {
    let (secs, canonical) = zone_standard_offset(zone).unwrap();
    assert_eq!(canonical, zone);
    UtcOffset::from_minutes(secs / 60).unwrap().to_string()
}

fn instant(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn utc_offsets_read_and_print_as_ads_manager_shows_them() {
    let ok = |s: &str| parse_offset(s).unwrap().unwrap();
    assert_eq!(ok("UTC-08:00").seconds(), -8 * 3600);
    assert_eq!(ok("UTC+05:30").seconds(), 5 * 3600 + 1800);
    assert_eq!(ok("UTC+00:00"), UtcOffset::UTC);
    assert_eq!(ok("UTC-00:00"), UtcOffset::UTC);
    assert_eq!(ok("UTC+14:00").to_string(), "UTC+14:00");
    assert_eq!(ok("UTC-12:00").to_string(), "UTC-12:00");
    assert_eq!(ok("UTC-09:30").to_string(), "UTC-09:30");
    // Refused: quarter hours, out of range, bad minutes.
    assert!(parse_offset("UTC+05:45").unwrap().is_err());
    assert!(parse_offset("UTC+15:00").unwrap().is_err());
    assert!(parse_offset("UTC-12:30").unwrap().is_err());
    assert!(parse_offset("UTC+05:75").unwrap().is_err());
    // Other spellings are not offsets, but are suggested in the canonical one.
    for (loose, canonical) in [
        ("UTC+5:30", "UTC+05:30"),
        ("UTC-8", "UTC-08:00"),
        ("GMT+8", "UTC+08:00"),
        ("+05:30", "UTC+05:30"),
        ("utc+0530", "UTC+05:30"),
    ] {
        assert!(parse_offset(loose).is_none(), "{loose}");
        assert_eq!(loose_offset(loose).as_deref(), Some(canonical), "{loose}");
    }
    assert_eq!(loose_offset("America/New_York"), None);
}

#[test]
fn an_iana_name_means_its_standard_offset_all_year() {
    // Even in summer, when New York keeps UTC-04:00 and London UTC+01:00.
    assert_eq!(offset_of("America/New_York"), "UTC-05:00");
    assert_eq!(offset_of("America/Los_Angeles"), "UTC-08:00");
    assert_eq!(offset_of("Europe/London"), "UTC+00:00");
    assert_eq!(offset_of("Europe/Berlin"), "UTC+01:00");
    assert_eq!(offset_of("Asia/Kolkata"), "UTC+05:30");
    assert_eq!(offset_of("Australia/Adelaide"), "UTC+09:30");
    assert_eq!(offset_of("Australia/Sydney"), "UTC+10:00");
    assert_eq!(offset_of("America/Sao_Paulo"), "UTC-03:00");
    // Ireland's winter time is the negative-DST one in the IANA data;
    // the bundled (rearguard) data gives the standard offset people use.
    assert_eq!(offset_of("Europe/Dublin"), "UTC+00:00");
    // `Etc/GMT+8` is UTC-08:00 (POSIX signs).
    assert_eq!(offset_of("Etc/GMT+8"), "UTC-08:00");
    assert_eq!(offset_of("UTC"), "UTC+00:00");
    // Quarter hours exist, and TikTok does not support them.
    let (kathmandu, _) = zone_standard_offset("Asia/Kathmandu").unwrap();
    assert_eq!(kathmandu, 5 * 3600 + 45 * 60);
    assert!(UtcOffset::from_minutes(kathmandu / 60).is_none());
    assert!(zone_standard_offset("America/New_Yrok").is_none());
}

#[test]
fn zone_names_are_sorted_and_leave_out_quarter_hour_zones() {
    let names = zone_names();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert!(names.len() > 400);
    for n in ["America/New_York", "Asia/Kolkata", "Europe/London", "UTC"] {
        assert!(names.binary_search(&n.to_owned()).is_ok(), "{n}");
    }
    assert!(names.binary_search(&"Asia/Kathmandu".to_owned()).is_err());
}

#[test]
fn schedule_days_convert_to_utc() {
    let ny = UtcOffset::from_minutes(-5 * 60).unwrap();
    // The New York flight of 2026-12-01..2026-12-31, as TikTok takes it.
    assert_eq!(ny.to_utc(date("2026-12-01"), 0), "2026-12-01 05:00:00");
    assert_eq!(ny.to_utc(date("2026-12-31"), 86_399), "2027-01-01 04:59:59");
    // Half an hour east: the day starts the evening before in UTC.
    let kolkata = UtcOffset::from_minutes(5 * 60 + 30).unwrap();
    assert_eq!(kolkata.to_utc(date("2026-12-01"), 0), "2026-11-30 18:30:00");
    assert_eq!(
        kolkata.to_utc(date("2026-12-31"), 86_399),
        "2026-12-31 18:29:59"
    );
    // UTC, and a leap day.
    assert_eq!(
        UtcOffset::UTC.to_utc(date("2028-02-29"), 86_399),
        "2028-02-29 23:59:59"
    );
    let la = UtcOffset::from_minutes(-8 * 60).unwrap();
    assert_eq!(la.to_utc(date("2028-02-28"), 86_399), "2028-02-29 07:59:59");
}

#[test]
fn today_is_the_date_at_each_accounts_offset() {
    let la = UtcOffset::from_minutes(-8 * 60).unwrap();
    let kolkata = UtcOffset::from_minutes(5 * 60 + 30).unwrap();
    // 2026-12-20 15:00 in Los Angeles is already the 21st in UTC.
    let t = Today::At(instant("2026-12-20T23:00:00Z"));
    assert_eq!(t.at(la), date("2026-12-20"));
    assert_eq!(t.utc(), date("2026-12-20"));
    let t = Today::At(instant("2026-12-21T00:30:00Z"));
    assert_eq!(t.at(la), date("2026-12-20"));
    assert_eq!(t.utc(), date("2026-12-21"));
    assert_eq!(t.at(kolkata), date("2026-12-21"));
    // Near midnight at a half-hour offset: 18:29:59 UTC is 23:59:59 in
    // Kolkata, one second later it is the next day there.
    let before = Today::At(instant("2026-12-20T18:29:59Z"));
    let after = Today::At(instant("2026-12-20T18:30:00Z"));
    assert_eq!(before.at(kolkata), date("2026-12-20"));
    assert_eq!(after.at(kolkata), date("2026-12-21"));
    assert_eq!(after.utc(), date("2026-12-20"));
    // Before 1970 too.
    assert_eq!(
        Today::At(instant("1969-12-31T23:59:59Z")).utc(),
        date("1969-12-31")
    );
    // `--today` is the same date everywhere.
    let fixed = Today::from(date("2026-11-29"));
    assert_eq!(fixed.at(la), date("2026-11-29"));
    assert_eq!(fixed.at(kolkata), date("2026-11-29"));
}

#[test]
fn dates_roundtrip_and_validate() {
    let d = Date::parse("2026-11-20").unwrap();
    assert_eq!(d.add_days(29).to_string(), "2026-12-19");
    assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    assert!(Date::parse("2025-02-29").is_none());
    assert!(Date::parse("2026-13-01").is_none());
    assert!(Date::parse("2026-1-01").is_none());
    assert!(Date::parse("1970-01-01").unwrap().days == 0);
    assert_eq!(Date::parse("1969-12-31").unwrap().days, -1);
    assert_eq!(Date::parse("0000-01-01").unwrap().to_string(), "0000-01-01");
    assert_eq!(Date::parse("9999-12-31").unwrap().to_string(), "9999-12-31");
    assert!(Date::parse("1900-02-29").is_none());
    assert!(Date::parse("2000-02-29").is_some());
}

#[test]
fn video_codes() {
    assert!(video_code_problem("#AbCdEf0123456789+/xyzXYZ=").is_none());
    assert!(video_code_problem("AbCdEf0123").is_some());
    assert!(video_code_problem("#short").is_some());
    assert!(video_code_problem("#Abc def12345").is_some());
    assert!(video_code_problem("#12345678").is_none());
    // newuser.md §2.1 #3b and #3c: impossible and US dates.
    assert_eq!(
        date_problem("2026-11-31").map(|p| p.0),
        Some("November has 30 days".to_owned())
    );
    assert_eq!(
        date_problem("2027-02-29").map(|p| p.0),
        Some("February 2027 has 28 days".to_owned())
    );
    assert_eq!(date_problem("2028-02-29"), None);
    assert_eq!(
        date_problem("2026-13-01").map(|p| p.0),
        Some("there is no month 13".to_owned())
    );
    assert_eq!(
        date_problem("12/27/2026").map(|p| p.1),
        Some("write it as \"2026-12-27\"".to_owned())
    );
    assert_eq!(
        date_problem("12/07/2026").map(|p| p.1),
        Some(
            "write it as \"2026-12-07\" if this is December 7, or \"2026-07-12\" if it is July 12"
                .to_owned()
        )
    );
    // newuser.md §2.1 #21c: a code truncated by a chat app.
    assert!(
        video_code_problem("#VG9tU3RpdGNo…")
            .is_some_and(|p| p.starts_with("it contains `…`: the code was cut short"))
    );
    assert!(video_code_problem("#ÄbcdéfghΩ").is_some());
}
