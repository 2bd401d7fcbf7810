//! SP309: non-Spark creatives of one ad with different custom identities.

use super::RuleCtx;
use super::common::{CreativeKind, ads, creatives};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP309", "custom-identities-in-one-ad", Error, "non-Spark creatives of one ad presented as different custom identities");

/// Reports the second and later custom identities of an ad's non-Spark
/// creatives: the API takes one (`ad_configuration.identity_id`) per ad.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let mut first = None;
        for (_, k) in creatives(ctx.ws, a.ad) {
            let CreativeKind::NonSpark { identity_ref, .. } = k else {
                continue;
            };
            match first {
                None => first = Some(identity_ref),
                Some(f) if f.value != identity_ref.value => out.push(
                    Diagnostic::new(
                        &RULE,
                        format!(
                            "ad `{}` presents its non-Spark creatives as two custom identities, `{}` and `{}`",
                            a.ad_name.value, f.value.0, identity_ref.value.0
                        ),
                    )
                    .primary(identity_ref.span, "a second custom identity")
                    .secondary(f.span, "the ad's first custom identity")
                    .note("TikTok API (`smart_plus/ad/create`): a non-Spark ad's identity is `ad_configuration.identity_type: CUSTOMIZED_USER` with one `identity_id`, for the whole ad")
                    .help(format!("use `identity: {}` here too, or move this creative to another ad", f.value.0)),
                ),
                Some(_) => {}
            }
        }
    }
}
