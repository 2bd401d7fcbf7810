//! SP104: `authorized_until` with `authorized_on`/`authorization_days`, or a code post with neither.

use super::RuleCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP104", "authorization-window", Error, "`authorized_until` given with `authorized_on`/`authorization_days`, or a code post with neither");

/// Reports code posts whose authorization window is given twice or not at all.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let Some(code) = &p.video_code else { continue };
        match (&p.authorized_until, &p.authorized_on, &p.authorization_days) {
            (Some(until), on, days) if on.is_some() || days.is_some() => {
                let mut d = Diagnostic::new(
                    &RULE,
                    format!("post `{name}` gives its authorization window twice"),
                )
                .primary(until.span, "`authorized_until` is given")
                .note("`authorized_until` replaces `authorized_on` + `authorization_days`; with both, the two may disagree")
                .help("keep `authorized_on` + `authorization_days`, or only `authorized_until` (as shown in Ads Manager)");
                if let Some(on) = on {
                    d = d.secondary(on.span, "together with `authorized_on`");
                }
                if let Some(days) = days {
                    d = d.secondary(days.span, "and `authorization_days`");
                }
                out.push(d);
            }
            (None, None, days) => {
                let mut d = Diagnostic::new(
                    &RULE,
                    format!("post `{name}` has a video code but no authorization date"),
                )
                .primary(code.span, "when was this code generated?")
                .note("a video code authorizes the post for 7, 30, 60 or 365 days from the day the creator generated it; without the date sparkplan cannot check that the flights fit")
                .help("add `authorized_on: \"YYYY-MM-DD\"` (and `authorization_days`), or `authorized_until` as shown in Ads Manager");
                if let Some(days) = days {
                    d = d.secondary(days.span, "a duration without a start");
                }
                out.push(d);
            }
            _ => {}
        }
    }
}
