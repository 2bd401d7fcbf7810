//! SP410: a lifetime budget for an ad group without an end date.

use super::RuleCtx;
use super::common::groups;
use crate::diag::Diagnostic;
use crate::model::BudgetMode;

crate::declare_rule!(pub static RULE = "SP410", "lifetime-budget-needs-end", Error, "a lifetime budget for an ad group whose schedule has no end date");

/// Reports ad groups without `schedule.end` whose budget (the campaign's
/// under budget optimization, otherwise their own) is a lifetime budget.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for g in groups(ctx.ws) {
        if g.campaign.objective.value.smart_plus_api().is_none() {
            continue; // SP406
        }
        let sched = &g.group.schedule;
        if sched.value.end.is_some() {
            continue;
        }
        // With a campaign budget, TikTok ignores the ad group's (SP412).
        let (budget, whose) = match &g.campaign.budget {
            Some(b) => (b, "the campaign's"),
            None => match &g.group.budget {
                Some(b) => (b, "the ad group's"),
                None => continue, // SP411
            },
        };
        if budget.value.mode.value != BudgetMode::Lifetime {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "ad group `{}` has no end date, but {whose} budget is a lifetime budget",
                    g.group_name.value
                ),
            )
            .primary(sched.span, "no `end`")
            .secondary(budget.value.mode.span, "a lifetime budget")
            .note("TikTok API (`smart_plus/adgroup/create`): with `budget_mode: BUDGET_MODE_TOTAL`, `schedule_type` must be `SCHEDULE_START_END`, which requires `schedule_end_time`; `SCHEDULE_FROM_NOW` is only for daily budgets")
            .help("add `end:` to the schedule, or use a daily budget"),
        );
    }
}
