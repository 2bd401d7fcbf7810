//! SP101: a Spark creative without a TikTok account identity.

use super::RuleCtx;
use super::common::{LazyUses, ads, post_identity, uses_note};
use crate::diag::Diagnostic;
use crate::model::IdentityType;

crate::declare_rule!(pub static RULE = "SP101", "spark-without-account-identity", Error, "a Spark creative without a TikTok account identity");

/// Reports media creatives without `identity:`, and posts that cannot be
/// pulled because they have no TikTok account: an `item_id` without
/// `identity`, or a post of a `custom` identity.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    for a in ads(ws) {
        for c in &a.ad.creatives.value {
            // What `classify` calls `MediaWithoutIdentity`, without looking
            // up every post and media of the workspace.
            if let (None, Some(media_ref), None) =
                (&c.value.post, &c.value.media, &c.value.identity)
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!(
                            "media creative `{}` of ad `{}` has no identity",
                            media_ref.value.0, a.ad_name.value
                        ),
                    )
                    .primary(media_ref.span, "no `identity:` for this media")
                    .note("TikTok: \"For Push Spark Ads, after confirming the creative selection, you will need to Connect a TikTok account to determine how you present your business in your TikTok ads.\"")
                    .help("add `identity:` on this creative: a `linked_account` or `business_center` identity makes it a Spark Ad (push), a `custom` identity a non-Spark ad"),
                );
            }
        }
    }
    // Where posts are used, computed only once a post is reported.
    let mut uses = LazyUses::new(ws);
    for (name, def) in &ws.posts {
        let p = &def.value;
        if p.video_code.is_some() {
            continue;
        }
        let mut d = match (&p.identity, &p.item_id) {
            (None, Some(item)) => Diagnostic::new(
                &RULE,
                format!("post `{name}` has an `item_id` but no `identity`"),
            )
            .primary(item.span, "which TikTok account posted this?")
            .note("TikTok: \"To create a Spark Ad, you must select a TikTok account as your identity for your Spark Ad.\"")
            .help("add `identity:` naming the `linked_account` or `business_center` identity that owns the post, or authorize it with a `video_code`"),
            (Some(iref), _) => {
                let Some(identity) = post_identity(ws, p) else { continue };
                if identity.value.r#type.value != IdentityType::Custom {
                    continue;
                }
                Diagnostic::new(
                    &RULE,
                    format!(
                        "post `{name}` belongs to custom identity `{}`, which is not a TikTok account",
                        iref.value.0
                    ),
                )
                .primary(iref.span, "a custom identity cannot run Spark Ads")
                .secondary(identity.value.r#type.span, "declared `custom` here")
                .note("TikTok: \"You can only create Diversion ads (non-Spark Ads) with a Custom Identity.\" A Spark Ad needs a TikTok account identity")
                .help("use the `linked_account` or `business_center` identity that posted it, or a `video_code` from its creator")
            }
            _ => continue,
        };
        let spans = uses.of(name).unwrap_or_default();
        let first_use = spans.first().copied();
        let n_uses = spans.len();
        if let Some(span) = first_use {
            d = d
                .secondary(span, "pulled as a Spark Ad here")
                .note(uses_note(n_uses));
        }
        out.push(d);
    }
}
