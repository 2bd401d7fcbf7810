//! Value types with their own rules: IDs (SP012), dates (SP011), video codes
//! (SP009, SP010), names, named maps and the `api:` pass-through.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::decode::{Cx, Decode, Spanned, describe};
use crate::diag::{Diagnostic, did_you_mean};
use crate::syntax::{Kind, Node, Resolved};

/// A TikTok ID: a string of digits, always quoted (19-digit numbers exceed
/// 2^53 and JSON tools round them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(pub String);

impl Decode for Id {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| (s, s.resolve())) {
            Some((_, Resolved::Str(t)))
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(Id(t.to_owned()))
            }
            Some((s, Resolved::Int(t))) => {
                let mut d = Diagnostic::new("SP012", format!("ID `{t}` is written as a number"))
                    .primary(node.span, "unquoted ID")
                    .help(format!("quote it: \"{}\"", s.text));
                if t.len() > 15 {
                    d = d.note("numbers above 2^53 lose digits in JSON tools and editors, so IDs are strings");
                } else {
                    d = d.note("IDs are strings of digits; quote every ID so none is ever rounded");
                }
                cx.report(d);
                None
            }
            Some((_, Resolved::Str(t))) => {
                cx.report(
                    Diagnostic::new("SP012", format!("ID `{t}` is not all digits"))
                        .primary(node.span, "expected a string of digits")
                        .note("TikTok IDs such as `advertiser_id` and `identity_id` contain only the digits 0-9"),
                );
                None
            }
            _ => {
                cx.report(
                    Diagnostic::new(
                        "SP012",
                        format!("expected a quoted ID, found {}", describe(node)),
                    )
                    .primary(node.span, "expected a string of digits"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+$",
            "patternErrorMessage": "A TikTok ID is a quoted string of digits 0-9.",
            "description": "A TikTok ID: digits, always quoted.",
            "examples": ["7000000000000000001"]
        })
    }
}

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    pub days: i64,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the calendar.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i64) -> Date {
        Date {
            days: self.days + n,
        }
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }

    /// Today's date in UTC from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date {
            days: i64::try_from(secs / 86_400).unwrap_or(0),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-date algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Decode for Date {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Str(t)) => t,
            _ => {
                cx.report(
                    Diagnostic::new(
                        "SP011",
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
                Diagnostic::new("SP011", format!("`{text}` is not a valid date"))
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
fn date_problem(text: &str) -> Option<(String, String)> {
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
            "description": "A calendar day `YYYY-MM-DD`, read in the advertiser's timezone.",
            "examples": ["2026-12-01"]
        })
    }
}

/// A Spark Ads video (post) authorization code: `#` then at least 8
/// characters, no whitespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VideoCode(pub String);

impl Decode for VideoCode {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Str(t)) => t,
            Some(Resolved::Null) => {
                if let Some(c) = cx.comment_after_on_line(node.span) {
                    let code = format!("#{}", c.text.trim_end());
                    let (span, code) = (c.span, code);
                    cx.report(
                        Diagnostic::new("SP009", "the video code is unquoted, so YAML read it as a comment")
                            .primary(span, "this is a comment, not a value")
                            .secondary(cx.owner, "so this field is empty")
                            .note("in YAML, ` #` starts a comment: the code never reaches sparkplan or TikTok")
                            .help(format!("quote it: \"{code}\"")),
                    );
                } else {
                    cx.wrong_type(node, "a video code string");
                }
                return None;
            }
            _ => {
                cx.wrong_type(node, "a quoted video code string");
                return None;
            }
        };
        match video_code_problem(text) {
            None => Some(VideoCode(text.to_owned())),
            Some(problem) => {
                cx.report(
                    Diagnostic::new("SP010", format!("malformed video code: {problem}"))
                        .primary(node.span, problem)
                        .note("a video code is `#` followed by the base64-like code the creator copied from the TikTok app")
                        .help("paste the code exactly as the creator sent it, including the leading `#`"),
                );
                None
            }
        }
    }
}

/// Why `code` is not a well-formed video code, if it is not.
pub fn video_code_problem(code: &str) -> Option<String> {
    let Some(rest) = code.strip_prefix('#') else {
        return Some("it must start with `#`".to_owned());
    };
    if let Some(c) = rest.chars().find(|c| c.is_whitespace()) {
        return Some(format!("it contains whitespace ({:?})", c));
    }
    if let Some(c) = rest.chars().find(|c| c.is_control()) {
        return Some(format!("it contains a control character ({:?})", c));
    }
    // Codes are copied from the TikTok app as ASCII text; `…` (or another
    // non-ASCII character) means a chat app or mail client changed it.
    if let Some(c) = rest.chars().find(|c| !c.is_ascii_graphic()) {
        return Some(if c == '…' {
            "it contains `…`: the code was cut short (a chat app shortened it); ask for it again as plain text".to_owned()
        } else {
            format!(
                "it contains `{c}`, which a video code cannot hold (codes are ASCII letters, digits and symbols)"
            )
        });
    }
    let n = rest.chars().count();
    if n < 8 {
        return Some(format!(
            "only {n} characters after `#`, expected at least 8"
        ));
    }
    None
}

/// What [`video_code_problem`] accepts: `#`, then at least 8 printable
/// ASCII characters (`!` to `~`: no white space, control or non-ASCII
/// character such as the `…` of a truncated code).
pub const VIDEO_CODE_PATTERN: &str = "^#[!-~]{8,}$";

impl JsonSchema for VideoCode {
    fn schema_name() -> Cow<'static, str> {
        "VideoCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": VIDEO_CODE_PATTERN,
            "patternErrorMessage": "A video code is `#` followed by at least 8 ASCII characters, without spaces (a `…` means the code was cut short).",
            "description": "A video (post) authorization code from the creator's TikTok app: `#` followed by the code. Always quote it: an unquoted `#` starts a YAML comment.",
            "examples": ["#AbCdEf0123456789+/xyzXYZ="]
        })
    }
}

/// The name of a resource (`acme_us`, `jane_unboxing`): letters, digits, `_` and `-`.
pub fn is_valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

const NAME_PATTERN: &str = "^[A-Za-z0-9_-]{1,128}$";

/// A reference to a named resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(pub String);

impl Decode for Name {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        if is_valid_name(&s) {
            Some(Name(s))
        } else {
            cx.report(
                Diagnostic::new("SP004", format!("`{s}` is not a valid name"))
                    .primary(node.span, "names use letters, digits, `_` and `-`"),
            );
            None
        }
    }
}

impl JsonSchema for Name {
    fn schema_name() -> Cow<'static, str> {
        "Name".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": NAME_PATTERN,
            "patternErrorMessage": "Names use letters, digits, `_` and `-` (at most 128).",
            "description": "The name of a resource defined in this workspace."
        })
    }
}

/// A mapping from names to resources, in source order. Entries whose body
/// could not be decoded are kept in `broken` so references to them do not
/// produce a second diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T> {
    /// Decoded entries.
    pub entries: Vec<(Spanned<String>, T)>,
    /// Names whose body had problems (already reported).
    pub broken: Vec<Spanned<String>>,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named {
            entries: Vec::new(),
            broken: Vec::new(),
        }
    }
}

impl<T> Named<T> {
    /// Iterates over (name, value).
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &T)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<T: Decode> Decode for Named<T> {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(map) = node.as_map() else {
            cx.wrong_type(node, "a mapping of names");
            return None;
        };
        let mut out = Named::default();
        for e in map {
            let Some(k) = e
                .key
                .as_scalar()
                // Any scalar but null: editors and JSON tools read the key
                // `true` or `1.5` as the name "true" or "1.5".
                .filter(|s| !matches!(s.resolve(), Resolved::Null))
            else {
                cx.wrong_type(&e.key, "a name");
                continue;
            };
            let name = Spanned::new(k.text.clone(), e.key.span);
            if !is_valid_name(&k.text) {
                cx.report(
                    Diagnostic::new("SP004", format!("`{}` is not a valid name", k.text)).primary(
                        e.key.span,
                        "names use letters, digits, `_` and `-` (at most 128)",
                    ),
                );
                out.broken.push(name);
                continue;
            }
            let saved = std::mem::replace(&mut cx.owner, e.key.span);
            let v = T::decode(&e.value, cx);
            cx.owner = saved;
            match v {
                Some(v) => out.entries.push((name, v)),
                None => out.broken.push(name),
            }
        }
        Some(out)
    }
}

impl<T: JsonSchema> JsonSchema for Named<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Named{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<T>();
        json_schema!({
            "type": "object",
            "propertyNames": {
                "pattern": NAME_PATTERN,
                "patternErrorMessage": "Names use letters, digits, `_` and `-` (at most 128)."
            },
            "additionalProperties": item
        })
    }
}

/// Extra TikTok API fields merged verbatim into the resource's request body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFields(pub Vec<(Spanned<String>, serde_json::Value)>);

impl ApiFields {
    /// Reports SP003 for keys that sparkplan already models for this resource.
    pub fn refuse_modelled(&self, modelled: &[(&str, &str)], cx_diags: &mut Vec<Diagnostic>) {
        for (k, _) in &self.0 {
            if let Some((_, instead)) = modelled.iter().find(|(api, _)| *api == k.value) {
                cx_diags.push(
                    Diagnostic::new(
                        "SP003",
                        format!(
                            "`{}` is modelled by sparkplan and cannot be set under `api:`",
                            k.value
                        ),
                    )
                    .primary(k.span, "modelled field")
                    .help(format!("set {instead} instead")),
                );
            }
        }
    }
}

fn to_json(node: &Node, cx: &mut Cx<'_>) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match &node.kind {
        Kind::Scalar(s) => match s.resolve() {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            // Numbers beyond ±(2^53 - 1) are rounded by JSON tools (and by
            // the editor, whose schema bounds them the same way).
            r @ Resolved::Int(t) => match r.whole_number().and_then(|n| i64::try_from(n).ok()) {
                Some(i) if i.unsigned_abs() < (1 << 53) => Value::from(i),
                _ => {
                    cx.report(
                        Diagnostic::new(
                            "SP012",
                            format!("number `{t}` cannot be represented exactly in JSON"),
                        )
                        .primary(node.span, "quote it")
                        .help(format!("write \"{t}\"")),
                    );
                    return None;
                }
            },
            Resolved::Float(f) if f.abs() >= 9_007_199_254_740_992.0 => {
                cx.report(
                    Diagnostic::new(
                        "SP012",
                        format!("number `{}` cannot be represented exactly in JSON", s.text),
                    )
                    .primary(node.span, "quote it")
                    .help(format!("write \"{}\"", s.text)),
                );
                return None;
            }
            Resolved::Float(f) => match serde_json::Number::from_f64(f) {
                Some(n) => Value::Number(n),
                None => {
                    cx.wrong_type(node, "a finite number");
                    return None;
                }
            },
            Resolved::Str(t) => Value::String(t.to_owned()),
        },
        Kind::Seq(items) => {
            let mut v = Vec::with_capacity(items.len());
            for i in items {
                v.push(to_json(i, cx)?);
            }
            Value::Array(v)
        }
        Kind::Map(entries) => {
            let mut m = serde_json::Map::new();
            for e in entries {
                let Some(k) = e.key.as_scalar() else {
                    cx.wrong_type(&e.key, "a string key");
                    return None;
                };
                m.insert(k.text.clone(), to_json(&e.value, cx)?);
            }
            Value::Object(m)
        }
    })
}

impl Decode for ApiFields {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(map) = node.as_map() else {
            cx.wrong_type(node, "a mapping of TikTok API fields");
            return None;
        };
        let mut out = Vec::with_capacity(map.len());
        let mut ok = true;
        for e in map {
            let Some(k) = e.key.as_scalar() else {
                cx.wrong_type(&e.key, "a string key");
                ok = false;
                continue;
            };
            match to_json(&e.value, cx) {
                Some(v) => out.push((Spanned::new(k.text.clone(), e.key.span), v)),
                None => ok = false,
            }
        }
        ok.then_some(ApiFields(out))
    }
}

impl JsonSchema for ApiFields {
    fn schema_name() -> Cow<'static, str> {
        "ApiFields".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ApiValue>();
        json_schema!({
            "title": "API fields",
            "type": "object",
            "description": "Extra TikTok API for Business fields merged verbatim into this resource's request body in the plan, for fields sparkplan does not model yet. Fields sparkplan models are refused here.",
            "additionalProperties": value
        })
    }
}

/// The schema of a value under `api:`: any JSON value whose numbers JSON
/// tools keep exactly (what [`ApiFields`] decodes without SP012).
struct ApiValue;

impl JsonSchema for ApiValue {
    fn schema_name() -> Cow<'static, str> {
        "ApiValue".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ApiValue>();
        json_schema!({
            "description": "A TikTok API field value, passed through verbatim. Numbers stay within ±(2^53 - 1): quote larger IDs.",
            "anyOf": [
                { "type": ["string", "boolean"] },
                { "enum": [null] },
                { "type": "number", "minimum": -9_007_199_254_740_991_i64, "maximum": 9_007_199_254_740_991_i64 },
                { "type": "array", "items": value },
                { "type": "object", "additionalProperties": value }
            ]
        })
    }
}

/// The format version (`sparkplan: 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(pub u32);

impl Decode for Version {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            // `1` as an editor reads it (`1`, `0x1`, `1.0` are all JSON 1).
            Some(r) if r.whole_number() == Some(1) => Some(Version(1)),
            _ => {
                cx.report(
                    Diagnostic::new(
                        "SP006",
                        format!("unsupported format version: {}", describe(node)),
                    )
                    .primary(
                        node.span,
                        "this version of sparkplan reads format version 1",
                    )
                    .help("write `sparkplan: 1`"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Version {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "const": 1,
            "description": "The manifest format version. Always `1`."
        })
    }
}

/// An active Smart+ campaign quota: 50, 200 or 1000 by spend tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota(pub u32);

impl Decode for Quota {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            Some(r) if matches!(r.whole_number(), Some(50 | 200 | 1000)) => r
                .whole_number()
                .and_then(|n| u32::try_from(n).ok())
                .map(Quota),
            _ => {
                cx.report(
                    Diagnostic::new("SP004", format!("`smart_plus_campaign_quota` must be 50, 200 or 1000, found {}", describe(node)))
                        .primary(node.span, "not a TikTok quota tier")
                        .note("TikTok's dynamic Smart+ quota is 50, 200 or 1,000 active campaigns, by the highest monthly spend of the past 12 months"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Quota {
    fn schema_name() -> Cow<'static, str> {
        "SmartPlusCampaignQuota".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "enum": [50, 200, 1000],
            "enumDescriptions": [
                "Highest monthly spend in the past 12 months below $1.5k: 50 active Smart+ campaigns.",
                "Highest monthly spend from $1.5k to $150k: 200 active Smart+ campaigns.",
                "Highest monthly spend of $150k or more: 1,000 active Smart+ campaigns."
            ],
            "description": "Active Smart+ campaign quota by spend tier: 50 (<$1.5k), 200 ($1.5k–$150k), 1000 (≥$150k highest monthly spend in the past 12 months)."
        })
    }
}

/// An ISO 3166-1 alpha-2 country code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(pub String);

/// The ISO 3166-1 alpha-2 codes (249, as of ISO 3166-1:2020 and its updates).
pub const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

impl Decode for CountryCode {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        if COUNTRY_CODES.binary_search(&s.as_str()).is_ok() {
            return Some(CountryCode(s));
        }
        let upper = s.to_ascii_uppercase();
        let mut d = Diagnostic::new(
            "SP004",
            format!("`{s}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .primary(node.span, "expected a two-letter country code, e.g. `US`");
        if upper == "UK" {
            d = d.help("the United Kingdom's ISO code is `GB`");
        } else if COUNTRY_CODES.binary_search(&upper.as_str()).is_ok() {
            d = d.help(format!("write `{upper}`"));
        }
        cx.report(d);
        None
    }
}

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": COUNTRY_CODES,
            "description": "ISO 3166-1 alpha-2 country code, e.g. `US`.",
            "examples": ["US"]
        })
    }
}

/// An IANA time zone name such as `America/New_York`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timezone(pub String);

/// Whether `s` is an IANA zone name sparkplan knows.
pub fn is_zone_name(s: &str) -> bool {
    super::zones::ZONES.binary_search(&s).is_ok()
}

impl Decode for Timezone {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        if is_zone_name(&s) {
            return Some(Timezone(s));
        }
        let mut d = Diagnostic::new("SP004", format!("`{s}` is not an IANA time zone name"))
            .primary(
                node.span,
                "expected a name like `America/New_York` or `UTC`",
            )
            .note("dates in this account are read as whole days in this zone");
        if let Some(m) = did_you_mean(&s, super::zones::ZONES.iter().copied()) {
            d = d.help(format!("did you mean `{m}`?"));
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
            "type": "string",
            "enum": super::zones::ZONES,
            "description": "IANA time zone name of the ad account, e.g. `America/New_York`. Dates are whole days in this zone.",
            "default": "UTC",
            "examples": ["America/New_York", "Europe/London", "UTC"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_roundtrip_and_validate() {
        let d = Date::parse("2026-11-20").unwrap();
        assert_eq!(d.add_days(29).to_string(), "2026-12-19");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("2026-1-01").is_none());
        assert!(Date::parse("1970-01-01").unwrap().days == 0);
    }

    #[test]
    fn country_codes_are_sorted_for_binary_search() {
        assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(COUNTRY_CODES.len(), 249);
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
            Some("write it as \"2026-12-07\" if this is December 7, or \"2026-07-12\" if it is July 12".to_owned())
        );
        // newuser.md §2.1 #21c: a code truncated by a chat app.
        assert!(
            video_code_problem("#VG9tU3RpdGNo…")
                .is_some_and(|p| p.starts_with("it contains `…`: the code was cut short"))
        );
        assert!(video_code_problem("#ÄbcdéfghΩ").is_some());
    }
}
