//! SP306: a non-Spark creative on TikTok placement.

use super::RuleCtx;
use super::common::{CreativeKind, ads, creatives};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP306", "non-spark-on-tiktok", Warning, "a non-Spark creative on TikTok placement");

/// Reports media creatives with a custom identity in ad groups that include TikTok placement.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        if !a.group.includes_tiktok() {
            continue;
        }
        for (_, k) in creatives(ctx.ws, a.ad) {
            let CreativeKind::NonSpark {
                media_ref,
                identity_ref,
                ..
            } = k
            else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    "SP306",
                    format!(
                        "non-Spark creative `{}` (custom identity `{}`) on TikTok placement",
                        media_ref.value.0, identity_ref.value.0
                    ),
                )
                .primary(identity_ref.span, "a custom identity: non-Spark")
                .secondary(a.group.placements_span(), a.group.placements_label())
                .note("TikTok API: \"Non-Spark Ads on TikTok placement are no longer supported\" in Smart+; the creative will only serve on other placements, if any")
                .help("present it as a Spark Ad with a `linked_account` or `business_center` identity, or move it to an ad group with `placements: [pangle, global_app_bundle]`"),
            );
        }
    }
}
