//! SP411: a campaign without a budget whose ad groups lack one, or mix budget modes.

use super::RuleCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP411", "ad-group-budget-required", Error, "a campaign without a budget has an ad group without a budget, or ad groups with different budget modes");

/// Without a campaign budget (budget optimization off), every ad group needs
/// a budget, all with the same mode.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for c in ctx.ws.campaigns.values() {
        let camp = &c.value;
        if camp.budget.is_some() || camp.objective.value.smart_plus_api().is_none() {
            continue;
        }
        let Some(gs) = &camp.ad_groups else { continue };
        let mut first = None;
        for (gname, g) in gs.iter() {
            let Some(b) = &g.budget else {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("ad group `{}` has no budget, and its campaign `{}` has none either", gname.value, c.name.value),
                    )
                    .primary(gname.span, "`budget` is required here")
                    .secondary(c.name.span, "no campaign budget: budget optimization is off")
                    .note("TikTok API (`smart_plus/adgroup/create`): `budget` and `budget_mode` are \"Required when campaign CBO is disabled\"")
                    .help("add `budget: { mode: daily, amount: … }` to the ad group, or a budget to the campaign"),
                );
                continue;
            };
            let mode = &b.value.mode;
            match first {
                None => first = Some((mode.value, mode.span, &gname.value)),
                Some((m, span, other)) if m != mode.value => out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("ad group `{}` has a {} budget, but ad group `{other}` of the same campaign has a {m} one", gname.value, mode.value),
                    )
                    .primary(mode.span, "a different budget mode")
                    .secondary(span, "the campaign's first ad-group budget mode")
                    .note("TikTok API (`smart_plus/adgroup/create.budget_mode`): \"must be the same across all ad groups in the same campaign\"")
                    .help(format!("use `mode: {m}` here too")),
                ),
                Some(_) => {}
            }
        }
    }
}
