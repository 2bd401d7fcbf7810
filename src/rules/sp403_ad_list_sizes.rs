//! SP403: an ad with 0 or more than 31 creatives, more than 5 ad texts, or more than 3 calls to action.

use super::RuleCtx;
use super::common::ads;
use crate::api::fields;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP403", "ad-list-sizes", Error, "an ad with 0 or more than 31 creatives, more than 5 ad texts, or more than 3 calls to action");

// The official SDK's `maxItems` (see [`fields::MAX_CREATIVES`] for the
// conflict with TFP's 50).
pub use fields::{MAX_AD_TEXTS, MAX_CALLS_TO_ACTION, MAX_CREATIVES};

/// Reports list sizes outside the API's limits.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let ad = &a.ad_name.value;
        let creatives = &a.ad.creatives;
        let n = creatives.value.len();
        if n == 0 {
            out.push(
                Diagnostic::new(&RULE, format!("ad `{ad}` has no creatives"))
                    .primary(creatives.span, "an empty list")
                    .note("TikTok API (official SDK `smart_plus_ad_create`): `creative_list` holds 1 to 31 creatives")
                    .help("add at least one creative (`post:`, or `media:` with `identity:`), or remove the ad"),
            );
        } else if n > MAX_CREATIVES {
            let extra = &creatives.value[MAX_CREATIVES];
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("ad `{ad}` has {n} creatives, more than {MAX_CREATIVES}"),
                )
                .primary(
                    super::common::creative_span(extra),
                    format!("creative {} of {n}", MAX_CREATIVES + 1),
                )
                .secondary(creatives.span, "")
                .note("TikTok API (official SDK `smart_plus_ad_create`): `creative_list` holds 1 to 31 creatives (`maxItems=31`; other copies of the docs say 50, sparkplan follows the official SDK)")
                .help("split the creatives over several ads"),
            );
        }
        if let Some(texts) = &a.ad.ad_texts
            && texts.value.len() > MAX_AD_TEXTS
        {
            let n = texts.value.len();
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("ad `{ad}` has {n} ad texts, more than {MAX_AD_TEXTS}"),
                )
                .primary(
                    texts.value[MAX_AD_TEXTS].span,
                    format!("ad text {} of {n}", MAX_AD_TEXTS + 1),
                )
                .note("TikTok API: `ad_text_list` holds at most 5 texts")
                .help("keep the 5 best texts"),
            );
        }
        if let Some(ctas) = &a.ad.call_to_actions
            && ctas.value.len() > MAX_CALLS_TO_ACTION
        {
            let n = ctas.value.len();
            out.push(
                Diagnostic::new(&RULE, format!("ad `{ad}` has {n} calls to action, more than {MAX_CALLS_TO_ACTION}"))
                    .primary(ctas.value[MAX_CALLS_TO_ACTION].span, format!("call to action {} of {n}", MAX_CALLS_TO_ACTION + 1))
                    .note("TikTok API: `call_to_action_list` holds at most 3 calls to action")
                    .help("keep 3, or use a dynamic CTA portfolio (`call_to_action_portfolio`) where SP305 allows"),
            );
        }
    }
}
