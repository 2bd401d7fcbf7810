//! End-to-end CLI tests: trycmd cases in `tests/cmd/*.toml` (real output of
//! the real binary), plus checks over the rule catalogue.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::process::Command;

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("SPARKPLAN_TODAY", "2026-11-29")
        .case("tests/cmd/*.toml");
}

/// Every code of SPEC §2, in order.
const SPEC_CODES: &[&str] = &[
    "SP001", "SP002", "SP003", "SP004", "SP005", "SP006", "SP007", "SP008", "SP009", "SP010",
    "SP011", "SP012", "SP013", "SP014", "SP101", "SP102", "SP103", "SP104", "SP201", "SP202",
    "SP203", "SP204", "SP205", "SP206", "SP207", "SP301", "SP302", "SP303", "SP304", "SP305",
    "SP306", "SP307", "SP308", "SP309", "SP401", "SP402", "SP403", "SP404", "SP405", "SP406",
    "SP407", "SP408", "SP409", "SP410", "SP411", "SP412", "SP501", "SP502", "SP503", "SP504",
    // Policy rules (issue 21), off unless `[policy]` sets them.
    "SP601", "SP602", "SP603", "SP604", "SP651", "SP652",
];

fn sparkplan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sparkplan"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn explain_documents_every_spec_code() {
    for code in SPEC_CODES {
        let out = sparkplan(&["explain", code]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "explain {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!("# {code}")),
            "explain {code} starts with its title"
        );
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            assert!(text.contains(section), "explain {code} lacks {section}");
        }
    }
}

#[test]
fn rules_json_lists_every_spec_code() {
    let out = sparkplan(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format_version"], "1");
    let codes: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, SPEC_CODES);
    for r in v["rules"].as_array().unwrap() {
        assert!(matches!(
            r["default_severity"].as_str(),
            Some("error" | "warning")
        ));
        assert!(!r["summary"].as_str().unwrap().is_empty());
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    let args = [
        "check",
        "tests/cmd/broken_ref.in",
        "--format",
        "json",
        "--today",
        "2026-11-29",
    ];
    let (a, b) = (sparkplan(&args), sparkplan(&args));
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout);
}
