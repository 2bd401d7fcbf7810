//! SP504: an ad group that targeted the US no longer does.

use super::pair::PairCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP504", "us-location-removed", Error, "plan diff: an ad group that targets the US no longer does");

/// Reports ad groups of both workspaces whose locations lost the US.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    for c in ctx.campaigns() {
        for g in &c.groups {
            let gaddr = format!("campaign.{}.ad_group.{}", c.name, g.name.value);
            let loc = |g: &crate::model::AdGroup| -> Vec<String> {
                g.locations
                    .value
                    .iter()
                    .map(|l| l.value.location_id().to_owned())
                    .collect()
            };
            let (nl, ol) = (loc(g.new), loc(g.old));
            let (nl, ol): (Vec<&str>, Vec<&str>) = (
                nl.iter().map(String::as_str).collect(),
                ol.iter().map(String::as_str).collect(),
            );
            if let Some(why) = refused_location_change(&ol, &nl) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("`{gaddr}` no longer targets the US, which it targeted before"),
                    )
                    .primary(g.new.locations.span, "the US is missing here")
                    .secondary(ctx.shift(g.old.locations.span), "the locations in the base")
                    .note(why)
                    .help("keep `US` in `locations`, or create a new ad group (under a new name) for the other locations"),
                );
            }
        }
    }
}

/// Why a change TikTok refuses is refused, if it is: removing the US from an
/// ad group's locations (SP504): "If you add the US as a target location, you
/// cannot remove the US after campaign creation" (TFP `objects.json`
/// `smart_plus_adgroup_create`, `_update`). `old`/`new`: TikTok location IDs
/// (the US is its GeoNames ID, from the same table as every country).
fn refused_location_change(old: &[&str], new: &[&str]) -> Option<&'static str> {
    let us_id = crate::model::geo::country("US").map(|(id, _)| id);
    let us = |l: &&str| Some(*l) == us_id;
    (old.iter().any(us) && !new.iter().any(us)).then_some(
        "TikTok does not allow removing the US from an ad group's locations once it targets it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_the_us_is_refused_by_code_or_location_id() {
        // Location IDs: the US 6252001, Canada 6251999, the UK 2635167, Mexico 3996063.
        assert!(refused_location_change(&["6252001", "6251999"], &["6251999"]).is_some());
        assert!(refused_location_change(&["6252001"], &["2635167"]).is_some());
        assert!(refused_location_change(&["6252001"], &["6252001"]).is_none());
        assert!(refused_location_change(&["6251999"], &["3996063"]).is_none());
        assert!(refused_location_change(&["6252001", "6251999"], &["6252001"]).is_none());
    }
}
