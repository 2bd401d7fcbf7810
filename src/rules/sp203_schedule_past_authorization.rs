//! SP203: an ad group's schedule runs past the authorization of a post it uses.

use std::collections::BTreeMap;

use super::RuleCtx;
use super::common::{AUTHORIZATION_DAYS, CreativeKind, ad_enabled, auth_window, classify, groups};
use crate::diag::{Diagnostic, Span};
use crate::model::Post;
use crate::workspace::Def;

crate::declare_rule!(pub static RULE = "SP203", "schedule-past-authorization", Error, "an ad group's schedule runs past the authorization of a post it uses");

/// Reports, once per (ad group, post), flights that end after the post's
/// authorization or have no end. Posts already expired are SP202.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for g in groups(ctx.ws) {
        // A paused or finished ad group runs past nothing.
        if !g.is_live(ctx.ws, ctx.today) {
            continue;
        }
        // Distinct posts of the ad group's enabled ads, with their first use
        // (and the post, so it is looked up once).
        let mut used: BTreeMap<&str, (Span, &Def<Post>)> = BTreeMap::new();
        for (_, ad) in g.group.ads.iter().flat_map(|a| a.iter()) {
            if !ad_enabled(ad) {
                continue;
            }
            for c in &ad.creatives.value {
                if let CreativeKind::Pull {
                    post_ref,
                    post: Some(def),
                } = classify(ctx.ws, &c.value)
                {
                    used.entry(post_ref.value.0.as_str())
                        .or_insert((post_ref.span, def));
                }
            }
        }
        let schedule = &g.group.schedule;
        // The flight and the window are the account's dates.
        let today = ctx.today_in(&g.campaign.advertiser.value.0);
        for (name, (use_span, def)) in used {
            let Some(w) = auth_window(&def.value) else {
                continue;
            };
            if w.end < today {
                continue; // SP202
            }
            let group = &g.group_name.value;
            let d = match &schedule.value.end {
                Some(end) if end.value > w.end => {
                    let late = end.value.days - w.end.days;
                    Diagnostic::new(
                        &RULE,
                        format!(
                            "ad group `{group}` runs until {}, past the authorization of post `{name}` (ends {})",
                            end.value, w.end
                        ),
                    )
                    .primary(end.span, format!("the flight ends {}", end.value))
                    .secondary(w.span, w.label())
                    .secondary(use_span, "the post is used here")
                    .help(format!(
                        "the authorization ends {}, {late} day{} before the flight ends; {}, or end the flight by then",
                        w.end,
                        if late == 1 { "" } else { "s" },
                        longer_code(w.from.map(|from| end.value.days - from.days + 1))
                    ))
                }
                Some(_) => continue,
                None => Diagnostic::new(
                    &RULE,
                    format!(
                        "ad group `{group}` has no end date, so it runs past the authorization of post `{name}` (ends {})",
                        w.end
                    ),
                )
                .primary(schedule.span, "no `end`: runs continuously")
                .secondary(w.span, w.label())
                .secondary(use_span, "the post is used here")
                .help(format!(
                    "set `end:` on or before {}, or remove the post from this ad group",
                    w.end
                )),
            };
            out.push(d.note(
                "when a video code's authorization ends, ads using the post stop delivering",
            ));
        }
    }
}

/// Suggests the code durations that would cover `needed` days from `authorized_on`.
fn longer_code(needed: Option<i64>) -> String {
    let fits: Vec<String> = match needed {
        Some(n) => AUTHORIZATION_DAYS
            .iter()
            .filter(|d| i64::from(**d) >= n)
            .map(|d| d.to_string())
            .collect(),
        None => Vec::new(),
    };
    match fits.as_slice() {
        [] => "ask the creator for a new, longer code".to_owned(),
        [one] => format!("ask the creator for a {one}-day code"),
        [init @ .., last] => format!(
            "ask the creator for a {}- or {last}-day code",
            init.join("-, ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::longer_code;

    #[test]
    fn suggests_durations_that_fit() {
        assert_eq!(
            longer_code(Some(42)),
            "ask the creator for a 60- or 365-day code"
        );
        assert_eq!(longer_code(Some(100)), "ask the creator for a 365-day code");
        assert_eq!(
            longer_code(Some(20)),
            "ask the creator for a 30-, 60- or 365-day code"
        );
        assert_eq!(
            longer_code(Some(400)),
            "ask the creator for a new, longer code"
        );
        assert_eq!(longer_code(None), "ask the creator for a new, longer code");
    }
}
