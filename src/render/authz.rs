//! The formats of `sparkplan authorizations`: each renders one
//! [`Inventory`] to a `String`.
//!
//! | format | shape |
//! |---|---|
//! | `table` | aligned columns for a terminal, coloured by status with `color` |
//! | `json` | the inventory as one versioned document, see `schema/authorizations.schema.json` |
//! | `csv` | RFC 4180 (the `csv` crate), a header row, one row per authorization |
//! | `markdown` | an issue body: a table and a Mermaid gantt of the windows ending within the window |
//! | `ics` | RFC 5545 (the `icalendar` crate): one all-day event per authorization end |

use std::fmt::Write as _;

use crate::authz::{Authorization, Inventory, Status};
use crate::model::Date;

/// The most bars the Mermaid gantt of `markdown` draws; past it, the chart
/// says how many were left out (the table still lists every row).
pub const GANTT_MAX_BARS: usize = 40;

/// The most bytes the Markdown table takes before it leaves rows out (and
/// says so): with the chart, the body stays under GitHub's 65,536-character
/// issue body.
pub const MARKDOWN_TABLE_MAX_BYTES: usize = 50_000;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthzFormat {
    /// Aligned columns.
    Table,
    /// The versioned JSON document.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// A Markdown table and a Mermaid gantt.
    Markdown,
    /// An iCalendar file.
    Ics,
}

/// Renders `inv` in `format`; `color` applies to `table` only.
pub fn render(inv: &Inventory, format: AuthzFormat, color: bool) -> String {
    match format {
        AuthzFormat::Table => table(inv, color),
        AuthzFormat::Json => json(inv),
        AuthzFormat::Csv => csv(inv),
        AuthzFormat::Markdown => markdown(inv),
        AuthzFormat::Ics => ics(inv),
    }
}

/// The ads that use a row, one line of text: `campaign/group/ad (flight
/// through 2026-12-31, outlives the code)`.
fn used_by_text(a: &Authorization) -> String {
    a.used_by
        .iter()
        .map(|u| {
            let end = u
                .flight_end
                .as_deref()
                .map_or_else(|| "continuous".to_owned(), |e| format!("through {e}"));
            let outlives = if u.outlives_code {
                ", outlives the code"
            } else {
                ""
            };
            format!(
                "{}/{}/{} (flight {end}{outlives})",
                u.campaign, u.ad_group, u.ad
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `duet of 1234…` for duets and stitches, else the format.
fn format_text(a: &Authorization) -> String {
    match &a.original_video_code {
        Some(orig) if a.format == "duet" || a.format == "stitch" => {
            format!("{} of {orig}", a.format)
        }
        _ => a.format.clone(),
    }
}

fn days_text(a: &Authorization) -> String {
    a.days_left.to_string()
}

const HEADERS: [&str; 10] = [
    "ENDS",
    "DAYS LEFT",
    "STATUS",
    "ADVERTISER",
    "POST",
    "CREATOR",
    "FORMAT",
    "FROM",
    "ZONE",
    "USED BY",
];

fn cells(a: &Authorization) -> [String; 10] {
    let shown = |s: &str| crate::render::shown_name(s).into_owned();
    [
        a.until.clone(),
        days_text(a),
        a.status.as_str().to_owned(),
        shown(a.advertiser.as_deref().unwrap_or("-")),
        shown(&a.post),
        shown(a.creator.as_deref().unwrap_or("-")),
        format_text(a),
        a.from.clone().unwrap_or_else(|| "-".to_owned()),
        a.utc_offset.clone(),
        match a.used_by.is_empty() {
            true => "-".to_owned(),
            false => shown(&used_by_text(a)),
        },
    ]
}

fn style(status: Status) -> anstyle::Style {
    use anstyle::{AnsiColor, Style};
    match status {
        Status::Expired => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Status::Ending => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
        Status::Active => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Status::NotStarted => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Status::Unused => Style::new().dimmed(),
    }
}

fn table(inv: &Inventory, color: bool) -> String {
    let mut out = String::new();
    if inv.authorizations.is_empty() {
        let scope = inv
            .within
            .map(|n| format!(" ending within {n} days"))
            .unwrap_or_default();
        let _ = writeln!(out, "no video-code authorizations{scope}");
        return out;
    }
    let rows: Vec<[String; 10]> = inv.authorizations.iter().map(cells).collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cols: &[String], status: Option<Status>| {
        let mut s = String::new();
        for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
            let last = i + 1 == cols.len();
            let pad = if last {
                String::new()
            } else {
                " ".repeat(w.saturating_sub(c.chars().count()) + 2)
            };
            match status {
                Some(st) if color && i == 2 => {
                    let style = style(st);
                    let _ = write!(s, "{style}{c}{style:#}{pad}");
                }
                _ => {
                    let _ = write!(s, "{c}{pad}");
                }
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let header: Vec<String> = HEADERS.iter().map(|h| (*h).to_owned()).collect();
    if color {
        let bold = anstyle::Style::new().bold();
        let _ = write!(out, "{bold}{}{bold:#}", line(&header, None).trim_end());
        out.push('\n');
    } else {
        out.push_str(&line(&header, None));
    }
    for (r, a) in rows.iter().zip(&inv.authorizations) {
        out.push_str(&line(r, Some(a.status)));
    }
    let _ = writeln!(out, "\n{}", summary(inv));
    out
}

/// `3 authorizations: 1 expired, 1 ending, 1 active (today 2026-12-02, warning window 7 days)`.
fn summary(inv: &Inventory) -> String {
    let n = inv.authorizations.len();
    let mut parts = Vec::new();
    for st in [
        Status::Expired,
        Status::Ending,
        Status::Active,
        Status::NotStarted,
        Status::Unused,
    ] {
        let k = inv.authorizations.iter().filter(|a| a.status == st).count();
        if k > 0 {
            parts.push(format!("{k} {}", st.as_str()));
        }
    }
    let within = inv
        .within
        .map(|w| format!(" ending within {w} days"))
        .unwrap_or_default();
    format!(
        "{n} authorization{}{within}: {} (today {}, warning window {} days)",
        if n == 1 { "" } else { "s" },
        parts.join(", "),
        inv.today,
        inv.expiry_warning_days
    )
}

fn json(inv: &Inventory) -> String {
    let mut s = serde_json::to_string_pretty(inv).unwrap_or_default();
    s.push('\n');
    s
}

/// The CSV header row.
pub const CSV_HEADER: [&str; 13] = [
    "advertiser",
    "post",
    "video_code",
    "creator",
    "format",
    "original_video_code",
    "from",
    "until",
    "utc_offset",
    "days_left",
    "status",
    "used_by",
    "flight_outlives_code",
];

fn csv(inv: &Inventory) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(CSV_HEADER);
    for a in &inv.authorizations {
        let _ = w.write_record([
            a.advertiser.as_deref().unwrap_or(""),
            &a.post,
            &a.video_code,
            a.creator.as_deref().unwrap_or(""),
            &a.format,
            a.original_video_code.as_deref().unwrap_or(""),
            a.from.as_deref().unwrap_or(""),
            &a.until,
            &a.utc_offset,
            &a.days_left.to_string(),
            a.status.as_str(),
            &used_by_text(a),
            if a.used_by.iter().any(|u| u.outlives_code) {
                "true"
            } else {
                "false"
            },
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Escapes Markdown's inline syntax (and the table's `|`) in a cell.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid gantt task name: no `:`, `;`, `#` or line breaks.
fn mermaid_name(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ':' | ';' | '#' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

fn markdown(inv: &Inventory) -> String {
    let mut out = String::new();
    let window = inv.within.unwrap_or(inv.expiry_warning_days);
    let _ = writeln!(out, "## Video-code authorizations\n");
    let _ = writeln!(out, "{}\n", md(&summary(inv)));
    if inv.authorizations.is_empty() {
        return out;
    }
    out.push_str(
        "| Ends | Days left | Status | Advertiser | Post | Creator | Format | From | Used by |\n",
    );
    out.push_str("|---|--:|---|---|---|---|---|---|---|\n");
    let table_start = out.len();
    for (k, a) in inv.authorizations.iter().enumerate() {
        if out.len() - table_start > MARKDOWN_TABLE_MAX_BYTES {
            let _ = writeln!(
                out,
                "\n{} more authorizations are left out to keep this short; `--format csv` lists them all.",
                inv.authorizations.len() - k
            );
            break;
        }
        let status = match a.status {
            Status::Expired | Status::Ending => format!("**{}**", a.status.as_str()),
            s => s.as_str().to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {} | {} | {} | {} | {} | {} |",
            a.until,
            a.days_left,
            md(a.advertiser.as_deref().unwrap_or("-")),
            md(&a.post),
            md(a.creator.as_deref().unwrap_or("-")),
            md(&format_text(a)),
            a.from.as_deref().unwrap_or("-"),
            if a.used_by.is_empty() {
                "-".to_owned()
            } else {
                md(&used_by_text(a))
            },
        );
    }
    let soon: Vec<&Authorization> = inv
        .authorizations
        .iter()
        .filter(|a| a.ends_within(window))
        .collect();
    if soon.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n### Windows ending within {window} days\n\n```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n    axisFormat %m-%d"
    );
    let mut advertiser: Option<&str> = None;
    for a in soon.iter().take(GANTT_MAX_BARS) {
        let adv = a.advertiser.as_deref().unwrap_or("-");
        if advertiser != Some(adv) {
            let _ = writeln!(out, "    section {}", mermaid_name(adv));
            advertiser = Some(adv);
        }
        let until = Date::parse(&a.until);
        let start = a
            .from
            .as_deref()
            .and_then(Date::parse)
            .or_else(|| Date::parse(&a.today).min(until))
            .map(|d| d.to_string())
            .unwrap_or_else(|| a.until.clone());
        // Mermaid's end date is exclusive: the bar covers the last day.
        let end = until
            .map(|d| d.add_days(1).to_string())
            .unwrap_or_else(|| a.until.clone());
        let tag = match a.status {
            Status::Expired => "crit, ",
            Status::Ending => "active, ",
            _ => "",
        };
        let _ = writeln!(out, "    {} : {tag}{start}, {end}", mermaid_name(&a.post));
    }
    out.push_str("```\n");
    if soon.len() > GANTT_MAX_BARS {
        let _ = writeln!(
            out,
            "\nThe chart shows the first {GANTT_MAX_BARS} of {} windows; the table lists them all.",
            soon.len()
        );
    }
    out
}

/// `YYYYMMDD`, iCalendar's DATE form.
fn ics_date(d: Date) -> String {
    d.to_string().replace('-', "")
}

/// The stable UID of an authorization's event: the same post, code and
/// account give the same UID, so a calendar that imports the file again
/// updates the event instead of adding a second one.
pub fn ics_uid(a: &Authorization) -> String {
    format!(
        "{}.{}.{}@authorizations.sparkplan",
        a.advertiser.as_deref().unwrap_or("-"),
        a.post,
        a.video_code
    )
}

fn ics(inv: &Inventory) -> String {
    use icalendar::{Alarm, Calendar, Component, EventLike, Property, Related};
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//sparkplan//authorizations//EN"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.name("Spark Ads authorizations");
    // DTSTAMP is the run's date, not the clock, so runs are byte-identical.
    let stamp = Date::parse(&inv.today)
        .map(|d| format!("{}T000000Z", ics_date(d)))
        .unwrap_or_default();
    let warn = i64::from(inv.expiry_warning_days);
    for a in &inv.authorizations {
        let Some(until) = Date::parse(&a.until) else {
            continue;
        };
        let who = a
            .creator
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let mut description = format!(
            "Post {} (video code {}) of advertiser {}: authorized {}through {} ({}). Format: {}. Status on {}: {}.",
            a.post,
            a.video_code,
            a.advertiser.as_deref().unwrap_or("-"),
            a.from
                .as_deref()
                .map(|f| format!("from {f} "))
                .unwrap_or_default(),
            a.until,
            a.utc_offset,
            format_text(a),
            a.today,
            a.status.as_str()
        );
        if a.used_by.is_empty() {
            description.push_str("\nNo enabled ad uses it.");
        } else {
            let _ = write!(description, "\nUsed by: {}.", used_by_text(a));
        }
        let uid = ics_uid(a);
        let mut alarm = Alarm::display(
            &format!("The authorization of {} ends in {warn} days", a.post),
            (-chrono::Duration::days(warn), Related::Start),
        );
        // `-P7D` rather than the crate's `-PT604800S`: the same duration, as people write it.
        alarm.add_property("TRIGGER", format!("-P{warn}D"));
        alarm.add_property("UID", format!("{uid}.alarm"));
        alarm.add_property("DTSTAMP", stamp.clone());
        let event = icalendar::Event::new()
            .uid(&uid)
            .add_property("DTSTAMP", stamp.clone())
            .summary(&format!("Spark Ads code ends: {}{who}", a.post))
            .description(&description)
            .append_property(
                Property::new("DTSTART", ics_date(until))
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .append_property(
                Property::new("DTEND", ics_date(until.add_days(1)))
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .add_property("TRANSP", "TRANSPARENT")
            .alarm(alarm)
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}
