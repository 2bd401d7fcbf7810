//! SP404: more than 2,000 ads using one TikTok identity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::RuleCtx;
use super::common::{CreativeKind, Tally, ads, creatives, fmt_count};
use crate::api::fields::IDENTITY_ADS_LIMIT as LIMIT;
use crate::diag::Diagnostic;
use crate::model::IdentityType;
use crate::workspace::Workspace;

crate::declare_rule!(pub static RULE = "SP404", "identity-ads-limit", Error, "more than 2,000 ads using one TikTok identity");

/// Which Spark identity a creative is presented as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key<'a> {
    /// A `linked_account` or `business_center` identity (push, or pull of an account post).
    Identity(&'a str),
    /// A code post: TikTok creates one AUTH_CODE identity per authorized post.
    CodePost(&'a str),
}

/// The Spark identity a creative is presented as, if it is a Spark creative
/// with a known identity.
fn key_of<'a>(ws: &'a Workspace, k: CreativeKind<'a>) -> Option<Key<'a>> {
    match k {
        CreativeKind::Push { identity_ref, .. } => Some(Key::Identity(&identity_ref.value.0)),
        CreativeKind::Pull {
            post_ref,
            post: Some(post),
        } => match (&post.value.video_code, &post.value.identity) {
            (Some(_), _) => Some(Key::CodePost(&post_ref.value.0)),
            (None, Some(i))
                if ws
                    .identities
                    .get(&i.value.0)
                    .is_some_and(|d| d.value.r#type.value != IdentityType::Custom) =>
            {
                Some(Key::Identity(&i.value.0))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Counts Spark creatives per identity and reports identities over the limit.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    // Totals first, in a hash map (one entry per code post: thousands);
    // the per-file tally for the note only for identities over the limit.
    let mut totals: HashMap<Key<'_>, usize> = HashMap::new();
    for a in ads(ws) {
        for (_, k) in creatives(ws, a.ad) {
            if let Some(key) = key_of(ws, k) {
                *totals.entry(key).or_insert(0) += 1;
            }
        }
    }
    // Order does not matter here: the keys are collected into a set.
    let over: BTreeSet<Key<'_>> = totals
        .into_iter()
        .filter(|&(_, n)| n > LIMIT)
        .map(|(k, _)| k)
        .collect();
    if over.is_empty() {
        return;
    }
    let mut counts: BTreeMap<Key<'_>, Tally> = BTreeMap::new();
    for a in ads(ws) {
        for (c, k) in creatives(ws, a.ad) {
            if let Some(key) = key_of(ws, k).filter(|key| over.contains(key)) {
                counts.entry(key).or_default().add(c.span.file);
            }
        }
    }
    for (key, tally) in counts {
        if tally.total <= LIMIT {
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
                &RULE,
                format!(
                    "{what} `{name}` is used by {} ads, more than TikTok's limit of {}",
                    fmt_count(tally.total),
                    fmt_count(LIMIT)
                ),
            )
            .primary(span, format!("used by {} Spark creatives", fmt_count(tally.total)))
            .note(format!("most come from {}", tally.top_files(ws, 3)))
            .note("TikTok Help Center (About Identity): \"Each TikTok account can only have its posts used in 2,000 ads\", for accounts owned by you and authorized accounts or posts. sparkplan counts each Spark creative of each ad")
            .help(format!(
                "remove at least {} uses, or spread the ads over other identities",
                fmt_count(tally.total - LIMIT)
            )),
        );
    }
}
