//! `docs/manifest.md` is generated from the model (`src/manifest_doc.rs`):
//! the committed file is current (rewrite it with `SPARKPLAN_BLESS=1 cargo
//! test --test manifest_doc`), it documents every field of the schema, and
//! the tour's example checks clean.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::Path;

use sparkplan::check::{CheckOptions, check};
use sparkplan::config::Config;
use sparkplan::manifest_doc::{MANIFEST_DOC_PATH, SECTIONS, TOUR, manifest_doc, schema_fields};
use sparkplan::model::Date;

#[test]
fn committed_manifest_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(MANIFEST_DOC_PATH);
    let generated = manifest_doc();
    if std::env::var_os("SPARKPLAN_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{MANIFEST_DOC_PATH} is stale: rerun with SPARKPLAN_BLESS=1 cargo test --test manifest_doc"
    );
}

#[test]
fn every_schema_field_has_a_row() {
    let doc = manifest_doc();
    let schema = sparkplan::schema::schema();
    for (def, heading) in SECTIONS {
        assert!(doc.contains(&format!("\n### {heading}\n")), "{heading}");
        for f in schema_fields(&schema, def) {
            assert!(doc.contains(&format!("| `{f}` |")), "{def}.{f}");
        }
    }
    for f in [
        "name",
        "renamed_from",
        "video_code",
        "call_to_action_portfolio",
    ] {
        assert!(doc.contains(&format!("| `{f}` |")), "{f}");
    }
}

#[test]
fn the_tour_example_checks_clean() {
    let start = TOUR.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + TOUR[start..].find("```\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tour.yaml");
    std::fs::write(&file, &TOUR[start..end]).unwrap();
    let report = check(
        &[file],
        &CheckOptions {
            today: Date::parse("2026-11-29").unwrap().into(),
            config: Config::default(),
        },
    )
    .unwrap();
    let codes: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code(), d.message))
        .collect();
    assert!(codes.is_empty(), "{codes:?}");
}
