//! YAML conformance: every case of the yaml-test-suite (vendored in
//! `tests/data/yaml-test-suite/cases.json`, MIT, see the LICENSE and
//! `regenerate.py` beside it) goes through the YAML layer and through the
//! whole check (load, decode, rules, every renderer):
//! - no input panics;
//! - no valid input is a YAML syntax error (SP001);
//! - every invalid input is refused: SP001, or SP006 when the error is in a
//!   second document, which sparkplan refuses anyway. The invalid inputs the
//!   parser (granit-parser) accepts are listed in [`PARSER_ACCEPTS`] with what
//!   sparkplan does about each (KNOWN.md beside the data has the upstream
//!   report); the list is exact, so a parser upgrade that fixes one fails
//!   here until the list is updated.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use sparkplan::check::{CheckOptions, check_workspace};
use sparkplan::config::Config;
use sparkplan::diag::FileId;
use sparkplan::model::Date;
use sparkplan::render::{self, Format, RenderInput};
use sparkplan::syntax::{Limits, parse};
use sparkplan::workspace::{LoadOptions, load_bytes};

/// Invalid inputs granit-parser reads without an error, and what sparkplan
/// reports instead: its own indentation check (SP001) where the input could
/// change what a manifest means, SP006 where it cannot reach a manifest.
const PARSER_ACCEPTS: &[(&str, &str)] = &[
    // Flow sequence continued at column 0 inside a block mapping.
    ("9C9N", "SP001"),
    // Tab as the indentation of a double-quoted scalar's continuation line.
    ("DK95/01", "SP001"),
    // Multi-line double-quoted scalar continued at column 0.
    ("QB6E", "SP001"),
    // `%TAG` handle used in a later document: sparkplan reads one document.
    ("QLJ7", "SP006"),
];

/// Invalid inputs granit-parser accepts only when they are nested in a
/// manifest ([`nested`]): sparkplan's own check reports SP001 for them.
const PARSER_ACCEPTS_NESTED: &[&str] = &[
    // A tab on an empty line of a block scalar, after too little
    // indentation (refused at the top level, accepted below it).
    "Y79Y/000",
];

#[derive(serde::Deserialize)]
struct Suite {
    commit: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    name: String,
    error: bool,
    yaml: String,
}

fn suite() -> Suite {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/yaml-test-suite/cases.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What sparkplan's own indentation check reports (not the parser).
const OWN_CHECK: &str = "YAML syntax error: this continuation line";

/// A case's outcome: the codes of the YAML layer alone, whether the parser
/// itself reported a syntax error, and the codes of a whole check.
struct Outcome {
    syntax: Vec<&'static str>,
    parser_error: bool,
    full: Vec<&'static str>,
}

/// The case's input as the value of an `api:` field of a manifest, every
/// line indented by 8 spaces; `None` for inputs that cannot be nested this
/// way (directives, document markers, empty).
fn nested(case: &Case) -> Option<String> {
    let lines: Vec<&str> = case.yaml.split('\n').collect();
    if case.yaml.trim().is_empty()
        || lines
            .iter()
            .any(|l| l.starts_with("---") || l.starts_with("...") || l.starts_with('%'))
    {
        return None;
    }
    let mut text = String::from(
        "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\n    api:\n      x:\n",
    );
    for l in lines {
        if !l.is_empty() {
            text.push_str("        ");
            text.push_str(l);
        }
        text.push('\n');
    }
    Some(text)
}

fn run(case: &Case) -> Outcome {
    run_text(case, &case.yaml)
}

fn run_text(case: &Case, yaml: &str) -> Outcome {
    let (syntax, parser_error) = std::panic::catch_unwind(|| {
        let d = parse(FileId(0), yaml, &Limits::default()).diagnostics;
        let parser_error = d
            .iter()
            .any(|d| d.code() == "SP001" && !d.message.starts_with(OWN_CHECK));
        (d.iter().map(|d| d.code()).collect::<Vec<_>>(), parser_error)
    })
    .unwrap_or_else(|_| panic!("{}: the YAML layer panicked", case.id));
    let full = std::panic::catch_unwind(|| {
        let opts = CheckOptions {
            today: Date::parse("2026-11-29").unwrap().into(),
            config: Config::default(),
        };
        let ws = load_bytes(
            "in.yaml",
            yaml.as_bytes(),
            &LoadOptions {
                limits: opts.config.limits,
            },
        );
        let report = check_workspace(ws, &opts);
        let input = RenderInput::new(
            &report.diagnostics,
            report.sources(),
            report.workspace.manifest_count,
        );
        for f in [
            Format::Human,
            Format::Json,
            Format::Github,
            Format::Sarif,
            Format::Gitlab,
        ] {
            let _ = render::render(f, &input, false);
        }
        report
            .diagnostics
            .iter()
            .map(|d| d.code())
            .collect::<Vec<_>>()
    })
    .unwrap_or_else(|_| panic!("{}: the check panicked", case.id));
    Outcome {
        syntax,
        parser_error,
        full,
    }
}

#[test]
fn yaml_test_suite() {
    let suite = suite();
    assert!(suite.cases.len() > 400, "{}", suite.commit);
    let mut wrong = Vec::new();
    let mut parser_accepts = Vec::new();
    for case in &suite.cases {
        let o = run(case);
        if !case.error {
            if o.syntax.contains(&"SP001") || o.full.contains(&"SP001") {
                wrong.push(format!(
                    "{} ({}): valid, but SP001: {:?}",
                    case.id, case.name, o.syntax
                ));
            }
            continue;
        }
        if !o.parser_error {
            parser_accepts.push(case.id.as_str());
        }
        // sparkplan refuses every invalid input: SP001, or SP006 for an
        // error in a later document (one document per manifest).
        let refused = |codes: &[&str]| codes.iter().any(|c| matches!(*c, "SP001" | "SP006"));
        if !refused(&o.syntax) || !refused(&o.full) {
            wrong.push(format!(
                "{} ({}): invalid, but accepted: {:?} / {:?}",
                case.id, case.name, o.syntax, o.full
            ));
        }
        if let Some((_, code)) = PARSER_ACCEPTS.iter().find(|(id, _)| *id == case.id)
            && !o.syntax.contains(code)
        {
            wrong.push(format!(
                "{}: expected {code} from sparkplan, got {:?}",
                case.id, o.syntax
            ));
        }
    }
    // The list of what the parser accepts is exact.
    let known: Vec<&str> = PARSER_ACCEPTS.iter().map(|(id, _)| *id).collect();
    assert_eq!(parser_accepts, known, "update PARSER_ACCEPTS and KNOWN.md");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every case that can be nested as a field's value in a manifest (253 of
/// them): the same promises there, where a wrongly accepted input would
/// reach a real check.
#[test]
fn yaml_test_suite_nested_in_a_manifest() {
    let suite = suite();
    let mut wrong = Vec::new();
    let mut parser_accepts = Vec::new();
    let mut count = 0;
    for case in &suite.cases {
        let Some(text) = nested(case) else { continue };
        count += 1;
        let o = run_text(case, &text);
        let sp001 = o.full.contains(&"SP001");
        if sp001 != case.error {
            wrong.push(format!(
                "{} ({}): {}, got {:?}",
                case.id,
                case.name,
                if case.error { "invalid" } else { "valid" },
                o.full
            ));
        }
        if case.error && !o.parser_error && !PARSER_ACCEPTS.iter().any(|(id, _)| *id == case.id) {
            parser_accepts.push(case.id.as_str());
        }
    }
    assert_eq!(count, 253);
    assert_eq!(
        parser_accepts, PARSER_ACCEPTS_NESTED,
        "update PARSER_ACCEPTS_NESTED and KNOWN.md"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
