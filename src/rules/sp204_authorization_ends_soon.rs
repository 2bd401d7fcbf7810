//! SP204: an authorization used by an ad ends soon.

use super::RuleCtx;
use super::common::{LazyUses, auth_window, uses_note};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP204", "authorization-ends-soon", Warning, "an authorization used by an ad ends within the warning window (7 days by default)");

/// Reports used code posts whose authorization ends within
/// `expiry_warning_days` of today (and has not ended yet).
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let window = i64::from(ctx.expiry_warning_days);
    // Only posts used by live ads (enabled, in an ad group that is enabled
    // and whose flight has not ended) are reported; where posts are used is computed once a
    // post qualifies (on a clean workspace, never).
    let mut uses = LazyUses::live(ctx.ws, ctx.today);
    for (name, def) in &ctx.ws.posts {
        let Some(w) = auth_window(&def.value) else {
            continue;
        };
        let left = w.end.days - ctx.today_of_post(&def.value).days;
        if left < 0 || left >= window {
            continue;
        }
        let Some(spans) = uses.of(name) else {
            continue;
        };
        let when = match left {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            n => format!("in {n} days"),
        };
        let mut d = Diagnostic::new(
            &RULE,
            format!("the authorization of post `{name}` ends {when} ({})", w.end),
        )
        .primary(w.span, w.label())
        .note(uses_note(spans.len()))
        .note(format!(
            "the warning window is {} days (`expiry_warning_days` in sparkplan.toml)",
            ctx.expiry_warning_days
        ))
        .help("ask the creator to extend the authorization or for a new code before it ends; ads using the post stop when it expires");
        if let Some(n) = ctx.today_note_of_post(&def.value) {
            d = d.note(n);
        }
        if let Some(first) = spans.first() {
            d = d.secondary(*first, "used here");
        }
        out.push(d);
    }
}
