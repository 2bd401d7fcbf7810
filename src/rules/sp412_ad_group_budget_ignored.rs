//! SP412: an ad-group budget under a campaign budget, which TikTok ignores.

use super::RuleCtx;
use super::common::groups;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP412", "ad-group-budget-ignored", Warning, "an ad-group budget in a campaign with a budget: TikTok ignores it");

/// Reports ad-group budgets in campaigns with budget optimization on.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for g in groups(ctx.ws) {
        if g.campaign.objective.value.smart_plus_api().is_none() {
            continue; // SP406
        }
        let (Some(cb), Some(b)) = (&g.campaign.budget, &g.group.budget) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "the budget of ad group `{}` is ignored: campaign `{}` has a budget",
                    g.group_name.value, g.campaign_name.value
                ),
            )
            .primary(b.span, "ignored by TikTok")
            .secondary(cb.span, "the campaign budget (budget optimization on)")
            .note("TikTok API (`smart_plus/adgroup/create`): the ad-group `budget` and `budget_mode` are \"Required when campaign CBO is disabled and ignored when CBO is enabled\"; sparkplan does not send them, and changing them changes nothing")
            .help("remove the ad group's `budget`, or remove the campaign's budget to set budgets per ad group"),
        );
    }
}
