//! The `sarif` format: SARIF 2.1.0 for GitHub code scanning and other tools.
//!
//! - One run. `tool.driver.rules` lists **every** rule of the registry (so
//!   `ruleIndex` is the rule's position in [`registry::all`]), with its
//!   summary (`shortDescription`), the first paragraph of its "What it does"
//!   section (`fullDescription`), its whole documentation as `help` (text and
//!   markdown) and its default level.
//! - Each diagnostic is a result with `ruleId`, `ruleIndex` (omitted for a code
//!   not in the registry), `level`, `message.text` (the message, then `note:`
//!   and `help:` lines), one location from the primary label and
//!   `relatedLocations` for the other labels (with their text when they have
//!   one: no empty `message.text` is ever written). A diagnostic without a
//!   label has no `locations`.
//! - Locations are relative URIs (forward slashes, percent-encoded) against
//!   `uriBaseId` `%SRCROOT%`, the directory `check` ran from. The run's
//!   `originalUriBaseIds` only describes it: an absolute `file://` URI would
//!   make the output differ between machines. Absolute paths are written as
//!   `file://` URIs without a base.
//! - Regions are 1-based; columns count Unicode code points (the run says
//!   `columnKind: unicodeCodePoints`) and `endColumn` is exclusive. A span
//!   that ends just after a line break ends on its own line.
//! - `partialFingerprints.primaryLocationLineHash` is
//!   `<FNV-1a 64 of code, path and the trimmed text of the primary line>:<n>`
//!   where `n` counts results with the same hash (1, 2, …), so a result keeps
//!   its fingerprint when lines are inserted above it.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{RenderInput, fnv1a64, region};
use crate::diag::{Diagnostic, Severity, SourceMap, Span};
use crate::rules::registry::{self, RuleMeta};

/// `$schema` of the document.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id every relative artifact URI is resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// Renders the SARIF log, pretty-printed, with a trailing newline.
pub fn render(input: &RenderInput<'_>) -> String {
    let rules = registry::all().collect::<Vec<_>>();
    let mut seen_fingerprints = Fingerprints::default();
    let results = input
        .diagnostics
        .iter()
        .map(|d| result(d, input.sources, &rules, &mut seen_fingerprints))
        .collect();
    let mut base_ids = Map::new();
    base_ids.insert(
        SRCROOT.to_owned(),
        serde_json::json!({
            "description": { "text": "The directory sparkplan check ran from (the workspace root)." }
        }),
    );
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "sparkplan",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: rules.iter().map(|r| rule(r)).collect(),
                },
            },
            original_uri_base_ids: base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|s| !s.is_empty())
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: Map<String, Value>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    partial_fingerprints: Map<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(r: &RuleMeta) -> Rule {
    let doc = r.doc.trim();
    let doc = if doc.is_empty() { r.summary } else { doc };
    Rule {
        id: r.code,
        name: r.name,
        short_description: Text {
            text: r.summary.to_owned(),
        },
        full_description: Text {
            text: first_paragraph(r.doc, "## What it does").unwrap_or_else(|| r.summary.to_owned()),
        },
        help: Help {
            text: doc.to_owned(),
            markdown: doc.to_owned(),
        },
        default_configuration: Configuration {
            level: level(r.default_severity),
        },
    }
}

/// The first paragraph after `heading`, joined into one line.
fn first_paragraph(doc: &str, heading: &str) -> Option<String> {
    let mut lines = doc.lines().skip_while(|l| l.trim() != heading).skip(1);
    let mut words: Vec<&str> = Vec::new();
    for line in lines.by_ref() {
        let line = line.trim();
        if line.is_empty() && words.is_empty() {
            continue;
        }
        if line.is_empty() || line.starts_with('#') || line.starts_with("```") {
            break;
        }
        words.push(line);
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Fingerprint state of one run: the line hash of each (code, file, line)
/// and how often each hash was used, so repeats get `:2`, `:3`…
#[derive(Default)]
struct Fingerprints {
    line_hash: std::collections::HashMap<(&'static str, crate::diag::FileId, usize), u64>,
    count: std::collections::HashMap<u64, usize>,
}

fn result(
    d: &Diagnostic,
    sources: &SourceMap,
    rules: &[&RuleMeta],
    seen: &mut Fingerprints,
) -> SarifResult {
    let primary_index = d.labels.iter().position(|l| l.primary).unwrap_or(0);
    let mut locations = Vec::new();
    let mut related_locations = Vec::new();
    for (i, label) in d.labels.iter().enumerate() {
        let message = label
            .message
            .as_ref()
            .filter(|m| !m.trim().is_empty())
            .map(|m| Text { text: m.clone() });
        if i == primary_index {
            locations.push(Location {
                id: None,
                physical_location: physical(sources, label.span),
                message,
            });
        } else {
            related_locations.push(Location {
                id: Some(related_locations.len() + 1),
                physical_location: physical(sources, label.span),
                message,
            });
        }
    }
    let mut partial_fingerprints = Map::new();
    if let Some(span) = d.primary_span() {
        let line = sources.location(span).line;
        // Hashing a line once per (code, file, line), not once per
        // diagnostic: a long line with many diagnostics stays linear.
        let hash = *seen
            .line_hash
            .entry((d.code(), span.file, line))
            .or_insert_with(|| {
                let line_text = sources.get(span.file).map_or("", |f| f.line_text(line));
                let line_text =
                    line_text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
                fnv1a64(&[
                    d.code().as_bytes(),
                    sources.path(span.file).as_bytes(),
                    line_text.as_bytes(),
                ])
            });
        let n = seen.count.entry(hash).or_insert(0);
        *n += 1;
        let n = *n;
        partial_fingerprints.insert(
            "primaryLocationLineHash".to_owned(),
            format!("{hash:016x}:{n}").into(),
        );
    }
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if text.trim().is_empty() {
        text = d.code().to_owned();
    }
    SarifResult {
        rule_id: d.code().to_owned(),
        rule_index: rules.iter().position(|r| r.code == d.code()),
        level: level(d.severity),
        message: Text { text },
        locations,
        related_locations,
        partial_fingerprints,
    }
}

fn physical(sources: &SourceMap, span: Span) -> PhysicalLocation {
    let (start, end) = region(sources, span);
    let (uri, uri_base_id) = artifact_uri(sources.path(span.file));
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri, uri_base_id },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: if end.line == start.line {
                end.column.max(start.column)
            } else {
                end.column
            },
        },
    }
}

/// The URI of a path and its base id: relative paths against `%SRCROOT%`,
/// absolute ones as `file://` URIs.
fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/";
    if path.starts_with('/') {
        (format!("file://{}", percent_encode(&path)), None)
    } else if windows_drive {
        (
            format!("file:///{}{}", &path[..2], percent_encode(&path[2..])),
            None,
        )
    } else {
        let mut rel = path.as_str();
        while let Some(rest) = rel.strip_prefix("./") {
            rel = rest;
        }
        let rel = if rel.is_empty() { "." } else { rel };
        (percent_encode(rel), Some(SRCROOT))
    }
}

/// Percent-encodes every byte except unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[expect(
    clippy::cast_possible_truncation,
    reason = "a SARIF rule index is a small number"
)]
mod tests {
    use super::*;

    fn schema_validator() -> jsonschema::Validator {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/sarif-schema-2.1.0.json"
        );
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("read schema")).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("valid schema")
    }

    fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let a = sources.add(
            "campaigns/holiday plan.yaml".into(),
            "\u{feff}sparkplan: 1\r\ncampaigns:\r\n  h:\r\n    schedule: { start: \"2026-12-01\" }\r\n"
                .into(),
        );
        let b = sources.add(
            "./posts.yaml".into(),
            "sparkplan: 1\nposts:\n  p:\n    authorized_on: \"2026-11-20\"\n    authorized_on: \"2026-11-21\"\n".into(),
        );
        let ta = sources.get(a).unwrap().text.clone();
        let tb = sources.get(b).unwrap().text.clone();
        let sched = ta.find("schedule").unwrap();
        let auth = tb.find("authorized_on").unwrap();
        let auth2 = tb.rfind("authorized_on").unwrap();
        let diags = vec![
            Diagnostic::new(
                &crate::model::codes::SP011,
                "ad group `h` runs continuously past the authorization of post `p`",
            )
            .primary(Span::new(a, sched, sched + 8), "the flight has no end")
            .secondary(
                Span::new(b, auth, auth + 27),
                "authorization ends 2026-12-19",
            )
            .secondary(Span::new(a, 3, 12), "")
            .help("set `schedule.end`"),
            Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::new(
                    &crate::diag::rule::tests::UNREGISTERED,
                    "the authorization of post `p` ends in 3 days",
                )
                .primary(Span::new(b, auth, auth + 13), "")
                .note("the window is 7 days")
            },
            Diagnostic::new(
                &crate::syntax::codes::SP002,
                "duplicate key `authorized_on`",
            )
            .primary(Span::new(b, auth2, auth2 + 13), "second")
            .secondary(Span::new(b, auth, auth + 13), "first"),
            Diagnostic::new(
                &crate::syntax::codes::SP002,
                "duplicate key `authorized_on`",
            )
            .primary(Span::new(b, auth2, auth2 + 13), "second"),
            Diagnostic::new(&crate::syntax::codes::SP013, "input refused"),
        ];
        (sources, diags)
    }

    #[test]
    fn validates_against_the_official_schema() {
        let (sources, diags) = sample();
        let out = render(&RenderInput::new(&diags, &sources, 2));
        let doc: Value = serde_json::from_str(&out).unwrap();
        let validator = schema_validator();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");

        // The validator does reject a broken document (an empty required message).
        let mut broken = doc.clone();
        broken["runs"][0]["results"][0]["message"] = serde_json::json!({});
        assert!(!validator.is_valid(&broken));
        let mut broken = doc;
        broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            0.into();
        assert!(!validator.is_valid(&broken));
    }

    #[test]
    fn empty_run_validates() {
        let out = render(&RenderInput::new(&[], &SourceMap::new(), 0));
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert!(schema_validator().is_valid(&doc));
        assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
    }

    #[test]
    fn driver_lists_every_rule() {
        let out = render(&RenderInput::new(&[], &SourceMap::new(), 0));
        let doc: Value = serde_json::from_str(&out).unwrap();
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), registry::all().len());
        for (r, meta) in rules.iter().zip(registry::all()) {
            assert_eq!(r["id"], meta.code);
            assert_eq!(r["name"], meta.name);
            for field in ["shortDescription", "fullDescription"] {
                assert!(!r[field]["text"].as_str().unwrap().trim().is_empty(), "{r}");
            }
            assert!(!r["help"]["markdown"].as_str().unwrap().trim().is_empty());
            assert_eq!(
                r["defaultConfiguration"]["level"],
                meta.default_severity.as_str()
            );
        }
        assert_eq!(
            doc["runs"][0]["tool"]["driver"]["version"],
            env!("CARGO_PKG_VERSION")
        );
    }

    #[test]
    fn results() {
        let (sources, diags) = sample();
        let doc: Value =
            serde_json::from_str(&render(&RenderInput::new(&diags, &sources, 2))).unwrap();
        let results = doc["runs"][0]["results"].as_array().unwrap();
        let first = &results[0];
        assert_eq!(first["ruleId"], "SP011");
        assert_eq!(first["ruleIndex"], 10);
        assert_eq!(first["level"], "error");
        let loc = &first["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "campaigns/holiday%20plan.yaml"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            loc["region"],
            serde_json::json!({"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 13})
        );
        let related = first["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(
            related[0]["physicalLocation"]["artifactLocation"]["uri"],
            "posts.yaml"
        );
        assert_eq!(
            related[0]["message"]["text"],
            "authorization ends 2026-12-19"
        );
        // A label without text has no message at all, never an empty one.
        assert!(related[1].get("message").is_none());
        assert_eq!(related[1]["physicalLocation"]["region"]["startColumn"], 1);
        assert!(
            first["message"]["text"]
                .as_str()
                .unwrap()
                .ends_with("\nhelp: set `schedule.end`")
        );

        assert_eq!(results[1]["level"], "warning");
        assert!(results[1].get("ruleIndex").is_none(), "SP999 is not a rule");
        assert!(results[1]["locations"][0].get("message").is_none());
        // ruleIndex points at the rule in the driver (omitted for unregistered codes).
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        for r in results {
            match r.get("ruleIndex") {
                Some(i) => assert_eq!(rules[i.as_u64().unwrap() as usize]["id"], r["ruleId"]),
                None => assert!(registry::find(r["ruleId"].as_str().unwrap()).is_none()),
            }
        }
        assert!(results[2].get("ruleIndex").is_some());
        // Fingerprints: unique, and the same line and code give the same hash part.
        let fp = |i: usize| {
            results[i]["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_ne!(fp(2), fp(3));
        assert_eq!(fp(2).split(':').next(), fp(3).split(':').next());
        assert!(fp(2).ends_with(":1") && fp(3).ends_with(":2"));
        assert!(results[4].get("locations").is_none());
        assert!(results[4].get("partialFingerprints").is_none());
        assert_eq!(doc["runs"][0]["columnKind"], "unicodeCodePoints");
    }

    #[test]
    fn fingerprint_survives_lines_inserted_above() {
        let fp_of = |text: &str| {
            let mut sources = SourceMap::new();
            let f = sources.add("a.yaml".into(), text.into());
            let s = text.find("bad").unwrap();
            let d = [
                Diagnostic::new(&crate::model::codes::SP003, "unknown field `bad`")
                    .primary(Span::new(f, s, s + 3), ""),
            ];
            let doc: Value =
                serde_json::from_str(&render(&RenderInput::new(&d, &sources, 1))).unwrap();
            doc["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"].clone()
        };
        assert_eq!(
            fp_of("a: 1\n  bad: 2\n"),
            fp_of("x: 0\ny: 0\na: 1\nbad: 2\n")
        );
        assert_ne!(fp_of("a: 1\nbad: 2\n"), fp_of("a: 1\nbad: 3\n"));
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("a/b.yaml"), ("a/b.yaml".into(), Some(SRCROOT)));
        assert_eq!(
            artifact_uri("./././a b#c%.yaml"),
            ("a%20b%23c%25.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("a\\b:c.yaml"),
            ("a/b%3Ac.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("/abs/é.yaml"),
            ("file:///abs/%C3%A9.yaml".into(), None)
        );
        assert_eq!(
            artifact_uri("C:\\w\\a.yaml"),
            ("file:///C:/w/a.yaml".into(), None)
        );
    }

    #[test]
    fn snapshot() {
        let (sources, diags) = sample();
        let out = render(&RenderInput::new(&diags[..2], &sources, 2));
        // The rules array follows the registry and its docs; snapshot the results only.
        let doc: Value = serde_json::from_str(&out).unwrap();
        insta::assert_snapshot!(serde_json::to_string_pretty(&doc["runs"][0]["results"]).unwrap());
    }

    #[test]
    fn first_paragraph_of_a_section() {
        let doc = "# SP001\n\nIntro.\n\n## What it does\n\nReports a\nthing.\n\n## Why\n";
        assert_eq!(
            first_paragraph(doc, "## What it does").as_deref(),
            Some("Reports a thing.")
        );
        assert_eq!(
            first_paragraph("## What it does\n", "## What it does"),
            None
        );
    }
}
