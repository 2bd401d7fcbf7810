//! SP302: a private or friends-only post used without Ads Only Mode.

use super::RuleCtx;
use super::common::{LazyUses, uses_note};
use crate::diag::Diagnostic;
use crate::model::Visibility;

crate::declare_rule!(pub static RULE = "SP302", "private-post-goes-public", Warning, "a `private` or `friends` post used without `ads_only: true`");

/// Reports used posts that are not public and not in Ads Only Mode.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    // Only used posts are reported; where posts are used is computed once a
    // post qualifies (on a clean workspace, never).
    let mut uses = LazyUses::new(ctx.ws);
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let Some(vis) = &p.visibility else { continue };
        if vis.value == Visibility::Public || p.ads_only() {
            continue;
        }
        let Some(spans) = uses.of(name) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "{} post `{name}` becomes public when the campaign runs",
                vis.value
            ),
        )
        .primary(vis.span, format!("`{}` without `ads_only: true`", vis.value))
        .note("TikTok: \"A private video will become public once it is used in a campaign, and the video privacy status cannot be changed during promotion (however, you can turn on the TikTok Ads Only Mode).\"")
        .note(uses_note(spans.len()))
        .help("set `ads_only: true` (the creator turns on Ads Only Mode), or make sure the creator agrees to the post becoming public");
        if let Some(first) = spans.first() {
            d = d.secondary(*first, "used here");
        }
        out.push(d);
    }
}
