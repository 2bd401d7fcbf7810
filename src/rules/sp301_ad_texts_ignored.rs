//! SP301: `ad_texts` on an ad whose creatives are all Spark pull.

use super::RuleCtx;
use super::common::ads;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP301", "ad-texts-ignored", Warning, "`ad_texts` on an ad whose creatives are all Spark pull");

/// Reports ad texts that TikTok ignores because every creative is a post.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let Some(texts) = &a.ad.ad_texts else {
            continue;
        };
        if texts.value.is_empty() || a.ad.creatives.value.is_empty() {
            continue;
        }
        // `classify` makes a creative Spark pull exactly when it has `post:`
        // and no `media:`, so no post needs looking up here.
        let all_pull = a.ad.creatives.value.iter().all(|c| {
            let c = &c.value;
            c.post.is_some() && c.media.is_none()
        });
        if !all_pull {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "ad `{}` has ad texts, but all its creatives are Spark pull posts",
                    a.ad_name.value
                ),
            )
            .primary(texts.span, "ignored: Spark Ads show the post's caption")
            .note("TikTok uses the post caption as the ad text of a Spark pull creative; `ad_text_list` is only for push and non-Spark creatives")
            .help("remove `ad_texts`, or edit the caption before the post is authorized (it cannot change afterwards)"),
        );
    }
}
