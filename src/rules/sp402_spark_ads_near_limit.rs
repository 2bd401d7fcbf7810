//! SP402: 9,000 or more Spark Ads in one advertiser account.

use super::RuleCtx;
use super::common::{SPARK_ADS_LIMIT, fmt_count, spark_ads_by_advertiser};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP402", "spark-ads-near-limit", Warning, "9,000 or more Spark Ads in one advertiser account");

/// The count from which SP402 warns.
pub const WARN_FROM: usize = 9_000;

/// Warns for advertisers close to the limit (SP401 reports those over it).
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (adv, tally) in spark_ads_by_advertiser(ctx.ws) {
        if !(WARN_FROM..=SPARK_ADS_LIMIT).contains(&tally.total) {
            continue;
        }
        let Some(def) = ctx.ws.advertisers.get(adv) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "advertiser `{adv}` has {} Spark Ads, close to TikTok's limit of {}",
                    fmt_count(tally.total),
                    fmt_count(SPARK_ADS_LIMIT)
                ),
            )
            .primary(def.name.span, format!("{} Spark Ads in this account", fmt_count(tally.total)))
            .note(format!("most come from {}", tally.top_files(ctx.ws, 3)))
            .note("TikTok: \"Each TikTok Ads Manager account can support a maximum of 10,000 Spark Ads.\"")
            .help(format!(
                "{} Spark Ads left; plan to retire old ads before adding more",
                fmt_count(SPARK_ADS_LIMIT - tally.total)
            )),
        );
    }
}
