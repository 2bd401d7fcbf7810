//! SP201: `authorization_days` not one of 7, 30, 60, 365.

use super::RuleCtx;
use super::common::AUTHORIZATION_DAYS;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP201", "authorization-days", Error, "`authorization_days` not one of 7, 30, 60, 365");

/// The allowed durations nearest to `days` (two on a tie).
pub fn nearest(days: u32) -> Vec<u32> {
    let dist = |d: u32| d.abs_diff(days);
    let best = AUTHORIZATION_DAYS
        .iter()
        .map(|d| dist(*d))
        .min()
        .unwrap_or(0);
    AUTHORIZATION_DAYS
        .iter()
        .copied()
        .filter(|d| dist(*d) == best)
        .collect()
}

/// Reports `authorization_days` outside TikTok's set.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let Some(days) = &def.value.authorization_days else {
            continue;
        };
        if AUTHORIZATION_DAYS.contains(&days.value) {
            continue;
        }
        let near: Vec<String> = nearest(days.value)
            .iter()
            .map(|d| format!("`{d}`"))
            .collect();
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "post `{name}`: `authorization_days` must be 7, 30, 60 or 365, found {}",
                    days.value
                ),
            )
            .primary(days.span, "not a duration a creator can choose")
            .note("TikTok: \"select the authorization duration (7, 30, 60, or 365 days)\"")
            .help(format!(
                "the nearest allowed duration is {}; use the duration the creator chose in the app",
                near.join(" or ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_durations() {
        assert_eq!(nearest(45), vec![30, 60]);
        assert_eq!(nearest(14), vec![7]);
        assert_eq!(nearest(90), vec![60]);
        assert_eq!(nearest(0), vec![7]);
        assert_eq!(nearest(400), vec![365]);
    }
}
