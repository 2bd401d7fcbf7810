//! SP202: an ad uses a post whose authorization has expired.

use super::RuleCtx;
use super::common::{LazyUses, auth_window, uses_note};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP202", "authorization-expired", Error, "an ad uses a post whose authorization has expired");

/// Reports used code posts whose authorization ended before today.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    // Only posts used by live ads (enabled, in an ad group that is enabled
    // and whose flight has not ended) are reported; where posts are used is computed once a
    // post qualifies (on a clean workspace, never).
    let mut uses = LazyUses::live(ctx.ws, ctx.today);
    for (name, def) in &ctx.ws.posts {
        let Some(w) = auth_window(&def.value) else {
            continue;
        };
        let today = ctx.today_of_post(&def.value);
        if w.end >= today {
            continue;
        }
        let Some(spans) = uses.of(name) else {
            continue;
        };
        let ago = today.days - w.end.days;
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "the authorization of post `{name}` expired on {} ({ago} day{} ago)",
                w.end,
                if ago == 1 { "" } else { "s" }
            ),
        )
        .primary(w.span, w.label())
        .note(uses_note(spans.len()))
        .note("when a video code expires, ads using the post stop delivering")
        .help(format!(
            "ask the creator for a new code (7, 30, 60 or 365 days) and update `video_code` and `{}`, or remove the post from its live ads (or pause them: `status: paused`)",
            if w.from.is_some() { "authorized_on" } else { "authorized_until" }
        ));
        if let Some(n) = ctx.today_note_of_post(&def.value) {
            d = d.note(n);
        }
        if let Some(first) = spans.first() {
            d = d.secondary(*first, "used here");
        }
        out.push(d);
    }
}

/// The code posts this plan would authorize although their code has expired
/// (TikTok refuses to authorize an expired code, so the plan could not run):
/// `check` exempts them when only paused ads or ended flights use them
/// (issue 12), but a plan that creates those ads needs the code authorized.
/// A post the base already has with the same code is not authorized again,
/// and an unused one is left out of the plan (`plan::compile`): neither is refused.
pub fn check_plan(
    ws: &crate::workspace::Workspace,
    base: Option<&crate::workspace::Workspace>,
    today: crate::model::Today,
) -> Vec<Diagnostic> {
    use super::common::{advertiser_offset, post_advertiser, post_uses};
    let uses = post_uses(ws);
    let mut out = Vec::new();
    for (name, def) in &ws.posts {
        let Some(w) = auth_window(&def.value) else {
            continue;
        };
        let Some(spans) = uses.get(name.as_str()) else {
            continue;
        };
        let offset = post_advertiser(ws, &def.value).map_or(crate::model::UtcOffset::UTC, |a| {
            advertiser_offset(ws, &a.value.0)
        });
        if w.end >= today.at(offset) {
            continue;
        }
        let authorized_in_base = base
            .and_then(|b| b.posts.get(name))
            .is_some_and(|o| o.value.video_code == def.value.video_code);
        if authorized_in_base {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "the plan would authorize the code of post `{name}`, which expired on {}",
                w.end
            ),
        )
        .primary(w.span, w.label())
        .note(uses_note(spans.len()))
        .note("TikTok refuses to authorize an expired video code, so the ads that use the post cannot be created")
        .help("ask the creator for a new code and update `video_code`, or remove the post from the ads (paused ads and ended flights that use it are created too)");
        if let Some(first) = spans.first() {
            d = d.secondary(*first, "used here");
        }
        out.push(d);
    }
    out
}
