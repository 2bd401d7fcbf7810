//! SP651: `plan --base` raises a budget by more than
//! `[policy] max_budget_increase_percent`.

use super::pair::PairCtx;
use crate::diag::Diagnostic;
use crate::model::{Budget, Spanned};

crate::declare_rule!(pub static RULE = "SP651", "budget-increase", Error, "policy, plan diff: a budget is raised by more than `[policy] max_budget_increase_percent`");

/// Compares every campaign and ad-group budget present in both workspaces
/// (with the same mode), when `[policy] max_budget_increase_percent` is set.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(max_percent) = ctx.policy.max_budget_increase_percent else {
        return;
    };
    let (new, base) = (ctx.new, ctx.base);
    let limit = 1.0 + f64::from(max_percent) / 100.0;
    let mut compare = |what: String, new_b: &Spanned<Budget>, old_b: &Spanned<Budget>| {
        let (n, o) = (&new_b.value, &old_b.value);
        if n.mode.value != o.mode.value || o.amount.value <= 0.0 {
            return; // a mode change replaces the resource (SP503)
        }
        if n.amount.value <= o.amount.value * limit {
            return;
        }
        let percent = (n.amount.value / o.amount.value - 1.0) * 100.0;
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "the budget of {what} rises by {percent:.0}%, from {} to {}",
                    o.amount.value, n.amount.value
                ),
            )
            .primary(n.amount.span, format!("more than +{max_percent}%"))
            .secondary(ctx.shift(o.amount.span), "the budget in the base")
            .note(format!(
                "`[policy] max_budget_increase_percent = {max_percent}` in `sparkplan.toml`: larger increases need a second look"
            ))
            .help(format!(
                "raise it by at most {max_percent}% in this change, or accept this one with `# sparkplan-allow: SP651 <reason>` on the line"
            )),
        );
    };
    for (name, c) in &new.campaigns {
        let Some(old) = base.campaigns.get(name) else {
            continue;
        };
        if let (Some(nb), Some(ob)) = (&c.value.budget, &old.value.budget) {
            compare(format!("campaign `{name}`"), nb, ob);
        }
        let (Some(groups), Some(old_groups)) = (&c.value.ad_groups, &old.value.ad_groups) else {
            continue;
        };
        for (gname, g) in groups.iter() {
            let Some((_, og)) = old_groups.iter().find(|(n, _)| n.value == gname.value) else {
                continue;
            };
            if let (Some(nb), Some(ob)) = (&g.budget, &og.budget) {
                compare(format!("ad group `{name}.{}`", gname.value), nb, ob);
            }
        }
    }
}
