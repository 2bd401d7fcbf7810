//! The `plan` command as a library call: check the workspace, read the base,
//! run the pair rules (SP501–SP504) and the plan-time SP202, and compile the
//! plan when nothing is an error.

use std::path::PathBuf;

use super::check::{self, CheckOptions};
use crate::diag::{self, Diagnostic, FileId, Severity, SourceMap};
use crate::plan::{BaseSpec, CompileOptions, compile_resolved, plan_diagnostics, resolve_both};
use crate::rules;

pub use crate::plan::{Plan, PlanError};

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The files the diagnostics point into: the workspace's, then the base's.
    pub sources: SourceMap,
    /// How many manifest files of the workspace were read.
    pub files_checked: usize,
    /// Every diagnostic, severities applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The plan, when no diagnostic is an error.
    pub plan: Option<Plan>,
}

impl Outcome {
    /// Whether any diagnostic is an error (and so there is no plan).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks `paths`, reads the base if any, checks the pair (SP501–SP504) and
/// compiles the plan when nothing is an error.
pub fn run(
    paths: &[PathBuf],
    base: Option<&BaseSpec>,
    opts: &CheckOptions,
) -> Result<Outcome, PlanError> {
    // The base is read while the workspace is checked (see there).
    let (report, base_ws) = check::check_with_base(paths, base, opts);
    let mut report = report?;
    let files_checked = report.workspace.manifest_count;
    let has_errors = report.has_errors();
    // Moved, not copied: the plan needs neither from the report again.
    let mut sources = std::mem::take(&mut report.workspace.sources);
    let mut diagnostics = std::mem::take(&mut report.diagnostics);
    if has_errors {
        return Ok(Outcome {
            sources,
            files_checked,
            diagnostics,
            plan: None,
        });
    }
    let base_ws = base_ws.transpose()?;
    if let (Some(spec), Some(b)) = (base, &base_ws) {
        // A resource of the base that could not be read would look deleted,
        // and one whose references are undefined would look changed: every
        // error is refused the same way, with the first one as the reason.
        if let Some(d) = b.diagnostics.iter().find(|d| d.is_error()) {
            let at = d
                .primary_span()
                .map(|s| {
                    let l = b.sources.location(s);
                    format!("{}:{}:{}: ", b.sources.path(s.file), l.line, l.column)
                })
                .unwrap_or_default();
            return Err(PlanError::Base {
                base: spec.label(),
                message: format!(
                    "it does not read cleanly, so it cannot be compared ({at}{} [{}])",
                    d.message,
                    d.code()
                ),
            });
        }
    }
    if let Some(b) = &base_ws {
        let offset = u32::try_from(sources.len()).unwrap_or(u32::MAX);
        // Base ids may leave gaps (they are the workspace's for the same
        // paths): each is shifted by the same offset, as the pair rules do.
        for (id, f) in b.sources.files() {
            let id = FileId(id.0.saturating_add(offset));
            sources.insert(id, f.path.clone(), f.text.clone());
        }
        let ctx = rules::pair::PairCtx {
            new: &report.workspace,
            base: b,
            base_offset: offset,
            policy: &opts.config.policy,
        };
        let mut pair = rules::run_pair(&ctx, |code| opts.config.severities.is_off(code));
        opts.config.severities.apply(&mut pair);
        // `sparkplan-allow` comments of the new workspace apply here too.
        crate::workspace::suppress_quietly(&mut pair, &report.workspace.allows);
        diagnostics.extend(pair);
        diag::sort(&mut diagnostics, &sources);
        diagnostics.dedup();
    }
    let mut refused = crate::rules::sp202_authorization_expired::check_plan(
        &report.workspace,
        base_ws.as_ref(),
        opts.today,
    );
    if !refused.is_empty() {
        // Configured like every rule: a severity, `sparkplan-allow` comments.
        if opts
            .config
            .severities
            .is_off(crate::rules::sp202_authorization_expired::RULE.code)
        {
            refused.clear();
        }
        opts.config.severities.apply(&mut refused);
        crate::workspace::suppress_quietly(&mut refused, &report.workspace.allows);
        diagnostics.extend(refused);
        diag::sort(&mut diagnostics, &sources);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(Outcome {
            sources,
            files_checked,
            diagnostics,
            plan: None,
        });
    }
    // The workspaces are not needed once resolved: freeing them while the
    // plan is built lowers the peak memory by their size.
    let (new_res, base_res) = resolve_both(&report.workspace, base_ws.as_ref());
    let account_today = report
        .workspace
        .advertisers
        .values()
        .map(|a| {
            (
                a.value.advertiser_id.value.0.clone(),
                opts.today.at(a.value.utc_offset()),
            )
        })
        .collect();
    // Freed on the pool (tens of thousands of small allocations), not on
    // the way to the plan.
    rayon::spawn(move || drop((report, base_ws)));
    let mut plan = compile_resolved(
        new_res,
        base_res,
        &CompileOptions {
            today: opts.today.utc(),
            account_today,
            base_label: base.map(BaseSpec::label),
        },
    );
    let warnings: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    plan.diagnostics = plan_diagnostics(&warnings, &sources);
    Ok(Outcome {
        sources,
        files_checked,
        diagnostics,
        plan: Some(plan),
    })
}
