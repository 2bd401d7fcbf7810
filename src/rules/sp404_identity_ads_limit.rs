//! SP404: more than 10,000 ads using one TikTok identity.

use std::collections::BTreeMap;

use super::RuleCtx;
use super::common::{CreativeKind, SPARK_ADS_LIMIT, Tally, ads, creatives, fmt_count};
use crate::diag::Diagnostic;
use crate::model::IdentityType;

crate::declare_rule!(pub static RULE = "SP404", "identity-ads-limit", Error, "more than 10,000 ads using one TikTok identity");

/// Which Spark identity a creative is presented as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    /// A `linked_account` or `business_center` identity (push, or pull of an account post).
    Identity(&'a str),
    /// A code post: TikTok creates one AUTH_CODE identity per authorized post.
    CodePost(&'a str),
}

/// Counts Spark creatives per identity and reports identities over the limit.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    let mut counts: BTreeMap<Key<'_>, Tally> = BTreeMap::new();
    for a in ads(ws) {
        for (c, k) in creatives(ws, a.ad) {
            let key = match k {
                CreativeKind::Push { identity_ref, .. } => Key::Identity(&identity_ref.value.0),
                CreativeKind::Pull {
                    post_ref,
                    post: Some(post),
                } => match (&post.value.video_code, &post.value.identity) {
                    (Some(_), _) => Key::CodePost(&post_ref.value.0),
                    (None, Some(i))
                        if ws
                            .identities
                            .get(&i.value.0)
                            .is_some_and(|d| d.value.r#type.value != IdentityType::Custom) =>
                    {
                        Key::Identity(&i.value.0)
                    }
                    _ => continue,
                },
                _ => continue,
            };
            counts.entry(key).or_default().add(c.span.file);
        }
    }
    for (key, tally) in counts {
        if tally.total <= SPARK_ADS_LIMIT {
            continue;
        }
        let (what, name, span) = match key {
            Key::Identity(n) => match ws.identities.get(n) {
                Some(d) => ("identity", n, d.name.span),
                None => continue,
            },
            Key::CodePost(n) => match ws.posts.get(n) {
                Some(d) => ("the AUTH_CODE identity of post", n, d.name.span),
                None => continue,
            },
        };
        out.push(
            Diagnostic::new(
                "SP404",
                format!(
                    "{what} `{name}` is used by {} ads, more than TikTok's limit of {}",
                    fmt_count(tally.total),
                    fmt_count(SPARK_ADS_LIMIT)
                ),
            )
            .primary(span, format!("used by {} Spark creatives", fmt_count(tally.total)))
            .note(format!("most come from {}", tally.top_files(ws, 3)))
            .note("TikTok API: \"AUTH_CODE, TT_USER or BC_AUTH_TT identities can only be used to create up to 10,000 ads.\" sparkplan counts each Spark creative of each ad")
            .help(format!(
                "remove at least {} uses, or spread the ads over other identities",
                fmt_count(tally.total - SPARK_ADS_LIMIT)
            )),
        );
    }
}
