//! SP207: `authorized_on` is after today.

use super::RuleCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP207", "authorized-in-future", Warning, "`authorized_on` is after today");

/// Reports code posts whose `authorized_on` is in the future.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let Some(on) = &p.authorized_on else { continue };
        let today = ctx.today_of_post(p);
        if p.video_code.is_none() || on.value <= today {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "post `{name}` is authorized on {}, after today ({})",
                on.value, today
            ),
        )
        .primary(on.span, "a date in the future")
        .note("`authorized_on` is the day the creator generated the code; the window is counted from it, so a wrong date hides an early expiry")
        .help("write the day the code was generated, as shown under the post in Ads Manager");
        if let Some(n) = ctx.today_note_of_post(p) {
            d = d.note(n);
        }
        out.push(d);
    }
}
