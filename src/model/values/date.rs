//! Calendar days (SP011).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode, describe};
use crate::syntax::{Node, Resolved};

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    pub days: i64,
}

/// 1970-01-01, day 0 of [`Date::days`].
const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

impl Date {
    /// Parses `YYYY-MM-DD`, checking the calendar (jiff's Gregorian calendar).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i16> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
        Some(Date::from_civil(date))
    }

    /// The date of a jiff civil date.
    pub fn from_civil(date: jiff::civil::Date) -> Date {
        // Days between two civil dates always fit (years -9999..=9999).
        Date {
            days: date
                .since(EPOCH)
                .map_or(0, |span| i64::from(span.get_days())),
        }
    }

    /// The jiff civil date, if within jiff's range (years -9999..=9999).
    pub fn to_civil(self) -> Option<jiff::civil::Date> {
        let span = jiff::Span::new().try_days(self.days).ok()?;
        EPOCH.checked_add(span).ok()
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i64) -> Date {
        Date {
            days: self.days.saturating_add(n),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.to_civil() {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            // Never from a parsed date plus an authorization's days.
            None => write!(f, "{} days from 1970-01-01", self.days),
        }
    }
}

impl Decode for Date {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Str(t)) => t,
            _ => {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP011,
                        format!("expected a date `YYYY-MM-DD`, found {}", describe(node)),
                    )
                    .primary(node.span, "expected `YYYY-MM-DD`"),
                );
                return None;
            }
        };
        let d = Date::parse(text);
        if d.is_none() {
            let (label, help) = date_problem(text.trim()).unwrap_or_else(|| {
                (
                    "expected a calendar date `YYYY-MM-DD`".to_owned(),
                    "write dates as four-digit year, month and day, e.g. \"2026-12-01\"".to_owned(),
                )
            });
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP011,
                    format!("`{text}` is not a valid date"),
                )
                .primary(node.span, label)
                .help(help),
            );
        }
        d
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date-like text is not a date, and how to write it: an impossible
/// day or month ("November has 30 days"), or a `MM/DD/YYYY` / `DD.MM.YYYY`
/// date. `None` for anything else.
pub(super) fn date_problem(text: &str) -> Option<(String, String)> {
    let nums: Vec<&str> = text.split(['-', '/', '.']).collect();
    let all_digits = nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    let n: Vec<u32> = nums.iter().filter_map(|x| x.parse().ok()).collect();
    let [a, b, c] = n[..] else { return None };
    if nums[0].len() == 4 && text.contains('-') {
        let (year, month, day) = (a, b, c);
        if !(1..=12).contains(&month) {
            return Some((
                format!("there is no month {month}"),
                "the month is 01 to 12: `YYYY-MM-DD`".to_owned(),
            ));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let name = MONTHS[month as usize - 1];
        if day == 0 || day > days {
            let what = if month == 2 {
                format!("February {year} has {days} days")
            } else {
                format!("{name} has {days} days")
            };
            return Some((what.clone(), format!("{what}: check the day")));
        }
        return None;
    }
    if nums[2].len() == 4 {
        // `a/b/YYYY` or `a.b.YYYY`.
        let year = c;
        let iso = |m: u32, d: u32| format!("\"{year:04}-{m:02}-{d:02}\"");
        let help = match (a <= 12, b <= 12) {
            (true, false) => format!("write it as {}", iso(a, b)),
            (false, true) => format!("write it as {}", iso(b, a)),
            (true, true) if a != b => format!(
                "write it as {} if this is {} {b}, or {} if it is {} {a}",
                iso(a, b),
                MONTHS[a.max(1) as usize - 1],
                iso(b, a),
                MONTHS[b.max(1) as usize - 1]
            ),
            _ => format!("write it as {}", iso(a, b)),
        };
        return Some(("dates are written `YYYY-MM-DD`".to_owned(), help));
    }
    None
}

/// `YYYY-MM-DD` with the calendar checked exactly as [`Date::parse`] does:
/// months 01-12, days per month, 29 February in leap years only (divisible by
/// 4 and not by 100, or by 400).
pub const DATE_PATTERN: &str = concat!(
    "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[048]|[2468][048]|[13579][26])00)-02-29)$"
);

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": DATE_PATTERN,
            "patternErrorMessage": "Expected a calendar date YYYY-MM-DD, e.g. \"2026-12-01\".",
            "description": "A calendar day `YYYY-MM-DD`, in the ad account's time zone (its fixed UTC offset).",
            "examples": ["2026-12-01"]
        })
    }
}
