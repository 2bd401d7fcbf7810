//! Rules: their registry and, one per file, the checks over the workspace.

pub mod plan_diff;
pub mod registry;
pub mod structural;

use registry::RuleMeta;

/// Every rule, sorted by code.
pub static ALL_RULES: &[&RuleMeta] = &[
    &structural::SP001,
    &structural::SP002,
    &structural::SP003,
    &structural::SP004,
    &structural::SP005,
    &structural::SP006,
    &structural::SP007,
    &structural::SP008,
    &structural::SP009,
    &structural::SP010,
    &structural::SP011,
    &structural::SP012,
    &structural::SP013,
    &plan_diff::SP501,
    &plan_diff::SP502,
    &plan_diff::SP503,
];

use crate::diag::Diagnostic;
use crate::model::Date;
use crate::workspace::Workspace;

/// What a rule sees: the resolved workspace and the run's settings. Rules
/// never read the CLI or the configuration file directly.
#[derive(Debug, Clone, Copy)]
pub struct RuleCtx<'a> {
    /// The workspace, with every resource by name.
    pub ws: &'a Workspace,
    /// "Today" (from `--today`, `SPARKPLAN_TODAY` or the system date in UTC).
    pub today: Date,
    /// SP204's window in days.
    pub expiry_warning_days: u32,
}

/// A rule's check: reports into `out`, never fails.
pub type CheckFn = fn(&RuleCtx<'_>, &mut Vec<Diagnostic>);

/// The checks run over a decoded workspace, with the rule each one reports.
pub static CHECKS: &[(&RuleMeta, CheckFn)] = &[];

/// Runs every check whose rule is not switched off.
pub fn run(ctx: &RuleCtx<'_>, is_off: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (meta, check) in CHECKS {
        if !is_off(meta.code) {
            check(ctx, &mut out);
        }
    }
    out
}
