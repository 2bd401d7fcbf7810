//! The `json` format: one versioned document with every diagnostic.
//!
//! ```json
//! {
//!   "format_version": "1",
//!   "diagnostics": [
//!     {
//!       "code": "SP203",
//!       "name": "schedule-past-authorization",
//!       "severity": "error",
//!       "message": "...",
//!       "file": "campaigns/holiday.yaml",
//!       "start": { "line": 12, "column": 9, "offset": 240 },
//!       "end": { "line": 12, "column": 17, "offset": 248 },
//!       "labels": [
//!         { "file": "...", "start": {...}, "end": {...}, "message": "...", "primary": true }
//!       ],
//!       "notes": [],
//!       "help": null
//!     }
//!   ],
//!   "summary": { "errors": 1, "warnings": 0, "files": 2 }
//! }
//! ```
//!
//! Field order is fixed. `offset` is a byte offset into the file as read
//! (a BOM and CR bytes included); `line` and `column` are 1-based, the column
//! counts characters and `end` is exclusive (one past the last character).
//! `file`, `start` and `end` of a diagnostic are those of its primary label,
//! and `null` for the rare diagnostic without a label. `name` is `null` for a
//! code that is not in the registry, `message` of a label and `help` are
//! `null` when absent. `summary.files` is the number of files checked.
//! `suppressed` (after `diagnostics`, only when not empty) lists the
//! diagnostics silenced by `# sparkplan-allow: CODE reason` comments, each
//! shaped like a diagnostic plus its `reason`; they are not counted in
//! `summary`.
//! The document ends with a newline.

use serde::Serialize;

use super::RenderInput;
use crate::diag::{Diagnostic, Label, SourceMap, Span};
use crate::rules::registry;

/// The version of this document's shape. Adding fields keeps it; removing or
/// changing one bumps it.
pub const FORMAT_VERSION: &str = "1";

/// Renders the document, pretty-printed, with a trailing newline.
pub fn render(input: &RenderInput<'_>) -> String {
    let doc = Document {
        format_version: FORMAT_VERSION,
        diagnostics: input
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, input.sources))
            .collect(),
        suppressed: input
            .suppressed
            .iter()
            .map(|s| JsonSuppressed {
                diagnostic: diagnostic(&s.diagnostic, input.sources),
                reason: &s.reason,
            })
            .collect(),
        summary: Summary {
            errors: input.errors(),
            warnings: input.warnings(),
            files: input.files_checked,
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Present only when a `sparkplan-allow` comment silenced something.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressed: Vec<JsonSuppressed<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: Option<&'static str>,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    start: Option<Position>,
    end: Option<Position>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    start: Position,
    end: Position,
    message: Option<&'a str>,
    primary: bool,
}

#[derive(Serialize, Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
    offset: u32,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    files: usize,
}

fn diagnostic<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    let primary = d.primary_span();
    JsonDiagnostic {
        code: d.code(),
        name: registry::find(d.code()).map(|r| r.name),
        severity: d.severity.as_str(),
        message: &d.message,
        file: primary.map(|s| sources.path(s.file)),
        start: primary.map(|s| start(sources, s)),
        end: primary.map(|s| end(sources, s)),
        labels: d.labels.iter().map(|l| label(l, sources)).collect(),
        notes: &d.notes,
        help: d.help.as_deref(),
    }
}

fn label<'a>(l: &'a Label, sources: &'a SourceMap) -> JsonLabel<'a> {
    JsonLabel {
        file: sources.path(l.span.file),
        start: start(sources, l.span),
        end: end(sources, l.span),
        message: l.message.as_deref(),
        primary: l.primary,
    }
}

fn start(sources: &SourceMap, span: Span) -> Position {
    let loc = sources.location(span);
    Position {
        line: loc.line,
        column: loc.column,
        offset: span.start,
    }
}

fn end(sources: &SourceMap, span: Span) -> Position {
    let loc = sources.end_location(span);
    Position {
        line: loc.line,
        column: loc.column,
        offset: span.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let a = sources.add(
            "campaigns/holiday.yaml".into(),
            "\u{feff}sparkplan: 1\r\ncampaigns:\r\n  é: { schedule: x }\r\n".into(),
        );
        let b = sources.add("posts.yaml".into(), "sparkplan: 1\nposts: {}\n".into());
        let text = sources.get(a).unwrap().text.clone();
        let s = text.find("schedule").unwrap();
        let diags = vec![
            Diagnostic::new(&crate::workspace::codes::SP008, "undefined post `jane`")
                .primary(Span::new(a, s, s + 8), "the flight")
                .secondary(Span::new(b, 13, 18), "")
                .note("first note")
                .help("end earlier"),
            Diagnostic::new(
                &crate::diag::rule::tests::UNREGISTERED,
                "a code missing from the registry",
            ),
        ];
        (sources, diags)
    }

    #[test]
    fn document_snapshot() {
        let (sources, diags) = sample();
        let out = render(&RenderInput::new(&diags, &sources, 2));
        insta::assert_snapshot!(out);
    }

    #[test]
    fn positions_are_exact() {
        let (sources, diags) = sample();
        let v: Value =
            serde_json::from_str(&render(&RenderInput::new(&diags, &sources, 2))).unwrap();
        let d = &v["diagnostics"][0];
        // BOM (3 bytes) + "sparkplan: 1\r\n" (14) + "campaigns:\r\n" (12) + "  é: { " (8).
        assert_eq!(d["start"]["offset"], 37);
        assert_eq!(d["start"]["line"], 3);
        // Columns count characters: "  é: { " is 7 characters.
        assert_eq!(d["start"]["column"], 8);
        assert_eq!(d["end"]["column"], 16);
        assert_eq!(d["end"]["offset"], 45);
        let name = |code: &str| registry::find(code).map_or(Value::Null, |r| r.name.into());
        assert_eq!(d["name"], name("SP008"));
        assert!(d["name"].is_string());
        assert_eq!(v["diagnostics"][1]["name"], Value::Null);
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "code", "name", "severity", "message", "file", "start", "end", "labels", "notes",
                "help"
            ]
        );
        assert_eq!(d["labels"][1]["file"], "posts.yaml");
        assert_eq!(d["labels"][1]["message"], Value::Null);
        assert_eq!(d["labels"][1]["primary"], false);
        let unlocated = &v["diagnostics"][1];
        assert_eq!(unlocated["file"], Value::Null);
        assert_eq!(unlocated["labels"], serde_json::json!([]));
        assert_eq!(
            v["summary"],
            serde_json::json!({"errors": 2, "warnings": 0, "files": 2})
        );
    }
}
