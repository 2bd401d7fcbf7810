//! SP306: a non-Spark creative on TikTok placement.

use super::RuleCtx;
use super::common::{CreativeKind, ads, classify};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP306", "non-spark-on-tiktok", Error, "a non-Spark creative on TikTok placement");

/// Reports media creatives with a custom identity in ad groups that include TikTok placement.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        if !a.group.includes_tiktok() {
            continue;
        }
        // Only media creatives can be non-Spark: posts are not looked up.
        let media =
            a.ad.creatives
                .value
                .iter()
                .filter(|c| c.value.media.is_some());
        for k in media.map(|c| classify(ctx.ws, &c.value)) {
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
                    &RULE,
                    format!(
                        "non-Spark creative `{}` (custom identity `{}`) on TikTok placement",
                        media_ref.value.0, identity_ref.value.0
                    ),
                )
                .primary(identity_ref.span, "a custom identity: non-Spark")
                .secondary(a.group.placements_span(), a.group.placements_label())
                .note("TikTok API (`smart_plus/ad/create`, `ad_configuration.identity_type`): \"Non-Spark Ads on TikTok placement are no longer supported\"")
                .help("present it as a Spark Ad with a `linked_account` or `business_center` identity, or move it to an ad group with `placements: [pangle, global_app_bundle]`"),
            );
        }
    }
}
