//! Arbitrary bytes, read as one manifest file, through load → check → every
//! renderer, and an error-free one into its plan in every plan format. Any
//! panic, hang or out-of-memory is a bug (SPEC §6).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sparkplan::check::{CheckOptions, check_workspace};
use sparkplan::config::Config;
use sparkplan::model::Date;
use sparkplan::plan::{self, CompileOptions};
use sparkplan::render::plan::{Options as PlanOptions, PlanFormat, render_with as render_plan};
use sparkplan::render::{self, Format, RenderInput};
use sparkplan::workspace::{LoadOptions, load_bytes};

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    let ws = load_bytes(
        "fuzz.yaml",
        data,
        &LoadOptions {
            limits: config.limits,
        },
    );
    let today = Date::parse("2026-11-29").unwrap_or_else(|| unreachable!());
    let report = check_workspace(
        ws,
        &CheckOptions {
            today: today.into(),
            config,
        },
    );
    let input = RenderInput::new(
        &report.diagnostics,
        report.sources(),
        report.workspace.manifest_count,
    );
    for format in [
        Format::Human,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Gitlab,
    ] {
        let _ = render::render(format, &input, false);
    }
    // An error-free workspace is compiled into its plan (from nothing, as
    // `sparkplan plan` without `--base`), rendered in every plan format.
    if !report.has_errors() {
        let p = plan::compile(
            &report.workspace,
            None,
            &CompileOptions {
                today,
                account_today: Default::default(),
                base_label: None,
            },
        );
        for format in PlanFormat::ALL {
            let _ = render_plan(&p, format, &PlanOptions::default());
        }
        let small = PlanOptions {
            max_bytes: Some(500),
            ..PlanOptions::default()
        };
        let _ = render_plan(&p, PlanFormat::Markdown, &small);
    }
});
