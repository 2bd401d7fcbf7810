//! SP405: more Smart+ campaigns for an advertiser than its quota.

use std::collections::BTreeMap;

use super::RuleCtx;
use crate::diag::{Diagnostic, Span};
use crate::model::CampaignType;

crate::declare_rule!(pub static RULE = "SP405", "smart-plus-campaign-quota", Error, "more Smart+ campaigns for an advertiser than its `smart_plus_campaign_quota`");

/// Counts `smart_plus` campaigns per advertiser against the quota, when set.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let mut by_adv: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for c in ctx.ws.campaigns.values() {
        if c.value.r#type.value == CampaignType::SmartPlus {
            by_adv
                .entry(c.value.advertiser.value.0.as_str())
                .or_default()
                .push(c.name.span);
        }
    }
    for (adv, mut campaigns) in by_adv {
        let Some(def) = ctx.ws.advertisers.get(adv) else {
            continue;
        };
        let Some(quota) = &def.value.smart_plus_campaign_quota else {
            continue;
        };
        let q = quota.value.0 as usize;
        if campaigns.len() <= q {
            continue;
        }
        campaigns.sort_by(|a, b| {
            (ctx.ws.sources.path(a.file), a.start).cmp(&(ctx.ws.sources.path(b.file), b.start))
        });
        let n = campaigns.len();
        out.push(
            Diagnostic::new(
                &RULE,
                format!("advertiser `{adv}` has {n} Smart+ campaigns, more than its quota of {q}"),
            )
            .primary(quota.span, format!("quota {q}"))
            .secondary(campaigns[q], format!("campaign {} of {n}", q + 1))
            .note("TikTok's dynamic Smart+ quota allows 50, 200 or 1,000 active Smart+ campaigns per account, by the highest monthly spend of the past 12 months; sparkplan counts every declared campaign as active")
            .help(format!("remove or merge {} campaigns, or raise the quota if the account's spend tier allows it", n - q)),
        );
    }
}
