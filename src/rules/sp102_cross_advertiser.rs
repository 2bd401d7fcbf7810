//! SP102: a post, media or identity used by a campaign of another advertiser.

use super::RuleCtx;
use super::common::{CreativeKind, ads, creatives, post_advertiser};
use crate::diag::{Diagnostic, Span};
use crate::model::Name;
use crate::model::Spanned;
use crate::workspace::ResourceKind;

crate::declare_rule!(pub static RULE = "SP102", "cross-advertiser-reference", Error, "a post, media or identity used by a campaign of another advertiser");

/// Reports creatives whose post, media or identity belongs to an advertiser
/// other than the campaign's.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    for a in ads(ws) {
        let campaign_adv = &a.group.campaign.advertiser;
        if !ws.is_defined(ResourceKind::Advertiser, &campaign_adv.value.0) {
            continue;
        }
        let mut report = |what: &str, name: &str, at: Span, owner: &Spanned<Name>| {
            if owner.value == campaign_adv.value
                || !ws.is_defined(ResourceKind::Advertiser, &owner.value.0)
            {
                return;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "{what} `{name}` belongs to advertiser `{}`, but campaign `{}` runs in `{}`",
                        owner.value.0, a.group.campaign_name.value, campaign_adv.value.0
                    ),
                )
                .primary(at, format!("used by a campaign of `{}`", campaign_adv.value.0))
                .secondary(owner.span, format!("{what} `{name}` belongs to `{}`", owner.value.0))
                .secondary(campaign_adv.span, "the campaign's advertiser")
                .note("video codes, identities and library media are authorized to one ad account; an ad in another account cannot use them")
                .help(format!(
                    "use a {what} of `{}` (a code authorized to that account, an identity or media added to it), or move the ad to a campaign of `{}`",
                    campaign_adv.value.0, owner.value.0
                )),
            );
        };
        for (_, kind) in creatives(ws, a.ad) {
            match kind {
                CreativeKind::Pull {
                    post_ref,
                    post: Some(post),
                } => {
                    if let Some(owner) = post_advertiser(ws, &post.value) {
                        report("post", &post_ref.value.0, post_ref.span, owner);
                    }
                }
                CreativeKind::Push {
                    media_ref,
                    media,
                    identity_ref,
                    identity,
                }
                | CreativeKind::NonSpark {
                    media_ref,
                    media,
                    identity_ref,
                    identity,
                } => {
                    if let Some(m) = media {
                        report(
                            "media",
                            &media_ref.value.0,
                            media_ref.span,
                            &m.value.advertiser,
                        );
                    }
                    report(
                        "identity",
                        &identity_ref.value.0,
                        identity_ref.span,
                        &identity.value.advertiser,
                    );
                }
                _ => {}
            }
        }
    }
}
