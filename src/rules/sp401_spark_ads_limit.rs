//! SP401: more than 10,000 Spark Ads in one advertiser account.

use super::RuleCtx;
use super::common::{SPARK_ADS_LIMIT, fmt_count, spark_ads_by_advertiser};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP401", "spark-ads-limit", Error, "more than 10,000 Spark Ads in one advertiser account");

/// Reports advertisers with more Spark Ads than TikTok allows.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (adv, tally) in spark_ads_by_advertiser(ctx.ws) {
        if tally.total <= SPARK_ADS_LIMIT {
            continue;
        }
        let Some(def) = ctx.ws.advertisers.get(adv) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "advertiser `{adv}` has {} Spark Ads, more than TikTok's limit of {}",
                    fmt_count(tally.total),
                    fmt_count(SPARK_ADS_LIMIT)
                ),
            )
            .primary(def.name.span, format!("{} Spark Ads in this account", fmt_count(tally.total)))
            .note(format!("most come from {}", tally.top_files(ctx.ws, 3)))
            .note("TikTok: \"Each TikTok Ads Manager account can support a maximum of 10,000 Spark Ads.\" A Spark Ad is one Spark creative (pull or push) of one ad, counted across all files")
            .help(format!(
                "remove at least {} Spark creatives, or move campaigns to another ad account",
                fmt_count(tally.total - SPARK_ADS_LIMIT)
            )),
        );
    }
}
