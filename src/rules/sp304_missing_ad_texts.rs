//! SP304: an ad with a push or non-Spark creative but no `ad_texts`.

use super::RuleCtx;
use super::common::{ads, classify, creative_span};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP304", "missing-ad-texts", Error, "an ad with a push or non-Spark creative but no `ad_texts`");

/// Reports ads that need ad texts and have none.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let has_texts = a.ad.ad_texts.as_ref().is_some_and(|t| !t.value.is_empty());
        if has_texts {
            continue;
        }
        // Only a creative with `media:` and no `post:` can be a media
        // creative: posts are not looked up.
        let first = a.ad.creatives.value.iter().find(|c| {
            c.value.post.is_none()
                && c.value.media.is_some()
                && classify(ctx.ws, &c.value).is_media()
        });
        let Some(first) = first else {
            continue;
        };
        let at = a.ad.ad_texts.as_ref().map_or(a.ad_name.span, |t| t.span);
        out.push(
            Diagnostic::new(
                &RULE,
                format!("ad `{}` has a media creative but no ad texts", a.ad_name.value),
            )
            .primary(at, "`ad_texts` needed")
            .secondary(creative_span(first), "a push or non-Spark creative")
            .note("TikTok: `ad_text_list` is \"Required when `tiktok_item_id` is not specified\"; only Spark pull creatives use the post caption")
            .help("add `ad_texts: [\"...\"]` (1 to 5 texts, each 1 to 100 characters, no emoji)"),
        );
    }
}
