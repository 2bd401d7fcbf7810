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
