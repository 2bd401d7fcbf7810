//! Arbitrary bytes, read as one manifest file, through load → check → every
//! renderer. Any panic, hang or out-of-memory is a bug (SPEC §6).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sparkplan::check::{CheckOptions, check_workspace};
use sparkplan::config::Config;
use sparkplan::model::Date;
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
    let report = check_workspace(ws, &CheckOptions { today: today.into(), config });
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
    // PLAN: when the `plan` module lands (branch `plan`), build the plan here
    // when `!report.has_errors()` and render it in every plan format
    // (text, json, markdown), e.g.:
    //     if !report.has_errors() {
    //         let plan = sparkplan::plan::build(&report.workspace, None);
    //         for f in [text, json, markdown] { let _ = sparkplan::plan::render(&plan, f); }
    //     }
});
