//! Regression inputs: every file in `tests/regressions/` (fuzzer findings and
//! hand-written hostile inputs) goes through load → check → every renderer,
//! (and, when error-free, its plan in every plan format, as the `load_check`
//! fuzz target does) must not panic, and must give exactly the diagnostics listed in its
//! `.expected` file: one `CODE LINE:COLUMN` per line, in report order, or
//! nothing for a clean file.
//!
//! To add a case: drop the input (any bytes; `.yaml` for text, anything
//! else, e.g. `.bin`, for binary) into `tests/regressions/`, run
//! `UPDATE_REGRESSIONS=1 cargo test --test regressions`, review the new
//! `.expected` file and commit both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::PathBuf;

use sparkplan::check::{CheckOptions, check_workspace};
use sparkplan::config::Config;
use sparkplan::model::Date;
use sparkplan::plan::{self, CompileOptions};
use sparkplan::render::plan::{Options as PlanOptions, PlanFormat};
use sparkplan::render::{self, Format, RenderInput};
use sparkplan::workspace::{LoadOptions, load_bytes};

fn actual(name: &str, bytes: &[u8]) -> String {
    let opts = CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    };
    let ws = load_bytes(
        name,
        bytes,
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
    if !report.has_errors() {
        let p = plan::compile(
            &report.workspace,
            None,
            &CompileOptions {
                today: opts.today.utc(),
                account_today: Default::default(),
                base_label: None,
            },
        );
        for f in PlanFormat::ALL {
            let _ = render::plan::render_with(&p, f, &PlanOptions::default());
        }
        let small = PlanOptions {
            max_bytes: Some(500),
            ..PlanOptions::default()
        };
        let _ = render::plan::render_with(&p, PlanFormat::Markdown, &small);
    }
    let mut out = String::new();
    for d in &report.diagnostics {
        let loc = d
            .primary_span()
            .map(|s| report.sources().location(s))
            .map_or_else(|| "-".to_owned(), |l| format!("{}:{}", l.line, l.column));
        out.push_str(&format!("{} {loc}\n", d.code()));
    }
    out
}

#[test]
fn regression_inputs_give_their_expected_diagnostics() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let update = std::env::var_os("UPDATE_REGRESSIONS").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|x| x != "expected"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "regression inputs missing: {inputs:?}");
    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(input).unwrap();
        let got = actual(&name, &bytes);
        let expected_path = dir.join(format!("{name}.expected"));
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!("{name}:\n  expected:\n{want}  got:\n{got}")),
            Err(_) => failures.push(format!(
                "{name}: no {name}.expected (run with UPDATE_REGRESSIONS=1 and review it); got:\n{got}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
