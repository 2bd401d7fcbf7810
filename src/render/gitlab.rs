//! The `gitlab` format: a GitLab Code Quality report (a JSON array, the
//! CodeClimate subset GitLab reads), for `artifacts:reports:codequality`.
//!
//! ```json
//! [
//!   {
//!     "description": "SP203: ad group `us_broad` runs past …",
//!     "check_name": "SP203",
//!     "fingerprint": "5f0c…",
//!     "severity": "major",
//!     "location": { "path": "campaigns/holiday.yaml", "lines": { "begin": 12 } }
//!   }
//! ]
//! ```
//!
//! - `description` is the code and the message (GitLab's merge request widget
//!   shows only the description); `check_name` is the rule code.
//! - `severity`: an error is `major`, a warning `minor` (GitLab's scale is
//!   `info`, `minor`, `major`, `critical`, `blocker`; `critical` and `blocker`
//!   are left to security tools).
//! - `fingerprint`: 32 hex digits, FNV-1a 64 of code, path, start byte offset
//!   and message, then of the same with a counter, so it is stable across runs
//!   and unique within the report even for identical diagnostics.
//! - `location.path` is the primary label's path (a leading `./` removed);
//!   `lines.begin` its 1-based line. A diagnostic without a label is reported
//!   at path `.`, line 1.

use serde::Serialize;

use super::{RenderInput, fnv1a64};
use crate::diag::{Diagnostic, Severity, SourceMap};

/// Renders the report, pretty-printed, with a trailing newline.
pub fn render(input: &RenderInput<'_>) -> String {
    let mut seen = Seen::default();
    let issues: Vec<Issue<'_>> = input
        .diagnostics
        .iter()
        .map(|d| issue(d, input.sources, &mut seen))
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Fingerprints given out so far, and the next salt to try per base hash, so
/// that many identical diagnostics stay linear.
#[derive(Default)]
struct Seen {
    used: std::collections::HashSet<String>,
    next_salt: std::collections::HashMap<u64, u64>,
}

fn issue<'a>(d: &'a Diagnostic, sources: &SourceMap, seen: &mut Seen) -> Issue<'a> {
    let (path, begin, offset) = match d.primary_span() {
        Some(span) => {
            let mut path = sources.path(span.file);
            while let Some(rest) = path.strip_prefix("./") {
                path = rest;
            }
            let path = if path.is_empty() { "." } else { path };
            (path.to_owned(), sources.location(span).line, span.start)
        }
        None => (".".to_owned(), 1, 0),
    };
    let offset = offset.to_string();
    let parts: [&[u8]; 4] = [
        d.code().as_bytes(),
        path.as_bytes(),
        offset.as_bytes(),
        d.message.as_bytes(),
    ];
    let base = fnv1a64(&parts);
    let counter = seen.next_salt.entry(base).or_insert(0);
    let fingerprint = loop {
        let counter_text = counter.to_string();
        let salted = fnv1a64(&[&parts[..], &[counter_text.as_bytes()]].concat());
        let candidate = format!("{base:016x}{salted:016x}");
        *counter += 1;
        if !seen.used.contains(&candidate) {
            break candidate;
        }
    };
    seen.used.insert(fingerprint.clone());
    Issue {
        description: format!("{}: {}", d.code(), d.message),
        check_name: d.code(),
        fingerprint,
        severity: match d.severity {
            Severity::Error => "major",
            Severity::Warning => "minor",
        },
        location: IssueLocation {
            path,
            lines: Lines { begin },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use serde_json::Value;

    fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let a = sources.add("./a.yaml".into(), "x: 1\ny: 2\n".into());
        let b = sources.add("dir/b.yaml".into(), "x: 1\r\ny: 2\r\n".into());
        let same = Diagnostic::new(&crate::model::codes::SP003, "unknown field `y`")
            .primary(Span::new(a, 5, 6), "");
        let diags = vec![
            same.clone(),
            same,
            Diagnostic::new(&crate::model::codes::SP003, "unknown field `y`")
                .primary(Span::new(b, 6, 7), ""),
            Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::new(
                    &crate::rules::sp204_authorization_ends_soon::RULE,
                    "ends soon",
                )
                .primary(Span::new(b, 0, 1), "")
            },
            Diagnostic::new(&crate::syntax::codes::SP013, "input refused"),
        ];
        (sources, diags)
    }

    #[test]
    fn issues() {
        let (sources, diags) = sample();
        let out = render(&RenderInput::new(&diags, &sources, 2));
        let v: Value = serde_json::from_str(&out).unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), diags.len());
        let mut fingerprints: Vec<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        for i in issues {
            for field in ["description", "check_name", "fingerprint", "severity"] {
                assert!(!i[field].as_str().unwrap().is_empty(), "{field} in {i}");
            }
            assert!(!i["location"]["path"].as_str().unwrap().is_empty());
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        }
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(
            fingerprints.len(),
            diags.len(),
            "fingerprints must be unique"
        );
        assert_eq!(issues[0]["location"]["path"], "a.yaml");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
        assert_eq!(issues[2]["location"]["lines"]["begin"], 2);
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[3]["severity"], "minor");
        assert_eq!(issues[0]["description"], "SP003: unknown field `y`");
        assert_eq!(issues[4]["location"]["path"], ".");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn fingerprints_are_stable() {
        let (sources, diags) = sample();
        let input = RenderInput::new(&diags, &sources, 2);
        assert_eq!(render(&input), render(&input));
        // The same diagnostic alone keeps the fingerprint it had as the first of two.
        let alone = render(&RenderInput::new(&diags[..1], &sources, 2));
        let v: Value = serde_json::from_str(&alone).unwrap();
        let all: Value = serde_json::from_str(&render(&input)).unwrap();
        assert_eq!(v[0]["fingerprint"], all[0]["fingerprint"]);
    }

    #[test]
    fn empty_report() {
        assert_eq!(render(&RenderInput::new(&[], &SourceMap::new(), 0)), "[]\n");
    }
}
