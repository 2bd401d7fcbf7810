//! SP503: a field that cannot change after creation changed, so `plan --base`
//! replaces the resource (or, for a code post, authorizes it again in the new
//! ad account). Whether a change forces a replacement is decided by
//! [`crate::api::update::effect`], which the plan's diff reads too.

use std::collections::BTreeSet;

use serde_json::Value;

use super::pair::{ApiRef, PairCtx, advertiser_id, api_paths, budget_mode};
use crate::api::endpoints::Resource;
use crate::api::update::{Effect, effect};
use crate::diag::{Diagnostic, Span};
use crate::model::{BudgetMode, Placements};

crate::declare_rule!(pub static RULE = "SP503", "immutable-field-changed", Warning, "plan diff: an immutable field changed, so the resource is replaced");

/// Whether changing the API field `field` of `r` replaces it.
fn replaces(r: Resource, field: &str, under_cbo: bool) -> bool {
    matches!(effect(r, field, false, under_cbo), Effect::Replace(_))
}

/// Reports the changes of posts, campaigns, ad groups and ads of both
/// workspaces that the plan makes by replacing the resource.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    let (new, base) = (ctx.new, ctx.base);
    for (name, def, old) in ctx.posts() {
        let (p, o) = (&def.value, &old.value);
        if p.video_code.is_some() && o.video_code.is_some() {
            let (na, oa) = (
                p.advertiser
                    .as_ref()
                    .and_then(|a| advertiser_id(new, &a.value.0)),
                o.advertiser
                    .as_ref()
                    .and_then(|a| advertiser_id(base, &a.value.0)),
            );
            if na != oa {
                let mut d = Diagnostic::new(
                    &RULE,
                    format!(
                        "post `{name}` moves to another advertiser: it is authorized again there"
                    ),
                )
                .primary(
                    p.advertiser.as_ref().map_or(def.name.span, |a| a.span),
                    "advertiser changed",
                );
                if let Some(a) = &o.advertiser {
                    d = d.secondary(ctx.shift(a.span), "the advertiser in the base");
                }
                out.push(
                    d.note("a video code is authorized to one ad account: the code is authorized to the new account (the old account's binding is left as it is: only a post removed from the manifests is unbound)"),
                );
            }
        }
    }
    for cp in ctx.campaigns() {
        let (def, old) = (cp.new, cp.old);
        let (c, o) = (&def.value, &old.value);
        let addr = format!("campaign.{}", cp.name);
        if c.objective.value != o.objective.value
            && replaces(Resource::Campaign, "objective_type", false)
        {
            out.push(
                replace_warning(
                    &addr,
                    "objective",
                    o.objective.value.as_str(),
                    c.objective.value.as_str(),
                    c.objective.span,
                    Some(ctx.shift(o.objective.span)),
                )
                .note("a campaign's objective cannot change after it is created"),
            );
        }
        let (na, oa) = (
            advertiser_id(new, &c.advertiser.value.0),
            advertiser_id(base, &o.advertiser.value.0),
        );
        if na != oa && replaces(Resource::Campaign, "advertiser_id", false) {
            out.push(
                replace_warning(
                    &addr,
                    "advertiser",
                    oa.as_deref().unwrap_or("?"),
                    na.as_deref().unwrap_or("?"),
                    c.advertiser.span,
                    Some(ctx.shift(o.advertiser.span)),
                )
                .note("a campaign belongs to one ad account: it is created again in the new one, with its ad groups and ads"),
            );
        }
        if replaces(Resource::Campaign, "budget_mode", false)
            && let Some(d) = budget_mode_warning(
                ctx,
                &addr,
                budget_mode(&c.budget),
                budget_mode(&o.budget),
                def.name.span,
                old.name.span,
            )
        {
            out.push(d);
        }
        api_replacements(
            ctx,
            out,
            Resource::Campaign,
            &addr,
            (c.api.as_ref(), def.name.span),
            o.api.as_ref(),
            false,
        );
        let under_cbo = c.budget.is_some();
        for gp in &cp.groups {
            let (gname, g, oname, og) = (gp.name, gp.new, gp.old_name, gp.old);
            let gaddr = format!("{addr}.ad_group.{}", gname.value);
            // Under a campaign budget TikTok ignores the ad group's budget:
            // changing its mode is never a replacement (see `effect`).
            if replaces(Resource::AdGroup, "budget_mode", under_cbo)
                && let Some(d) = budget_mode_warning(
                    ctx,
                    &gaddr,
                    budget_mode(&g.budget),
                    budget_mode(&og.budget),
                    gname.span,
                    oname.span,
                )
            {
                out.push(d);
            }
            let words = |p: &Option<crate::model::Spanned<Placements>>| {
                p.as_ref()
                    .map_or("automatic".to_owned(), |p| placements_word(&p.value))
            };
            let (np, op) = (words(&g.placements), words(&og.placements));
            if np != op && replaces(Resource::AdGroup, "placements", under_cbo) {
                out.push(
                    replace_warning(
                        &gaddr,
                        "placements",
                        &op,
                        &np,
                        g.placements.as_ref().map_or(gname.span, |p| p.span),
                        Some(ctx.shift(
                            og.placements.as_ref().map_or(oname.span, |p| p.span),
                        )),
                    )
                    .note("`smart_plus/adgroup/update` has no `placements` or `placement_type`: placements cannot change after the ad group is created"),
                );
            }
            api_replacements(
                ctx,
                out,
                Resource::AdGroup,
                &gaddr,
                (g.api.as_ref(), gname.span),
                og.api.as_ref(),
                under_cbo,
            );
            let (Some(ads), Some(old_ads)) = (&g.ads, &og.ads) else {
                continue;
            };
            for (aname, ad) in ads.iter() {
                let Some((_, oad)) = old_ads.iter().find(|(n, _)| n.value == aname.value) else {
                    continue;
                };
                api_replacements(
                    ctx,
                    out,
                    Resource::Ad,
                    &format!("{gaddr}.ad.{}", aname.value),
                    (ad.api.as_ref(), aname.span),
                    oad.api.as_ref(),
                    false,
                );
            }
        }
    }
}

fn placements_word(p: &Placements) -> String {
    match p {
        Placements::Automatic(_) => "automatic".to_owned(),
        Placements::Selected(list) => {
            let mut v: Vec<&str> = list.iter().map(|p| p.value.as_str()).collect();
            v.sort_unstable();
            v.join(", ")
        }
    }
}

/// SP503 for each `api:` field whose change replaces the resource (the same
/// decision as the plan's, [`effect`]).
fn api_replacements(
    ctx: &PairCtx<'_>,
    out: &mut Vec<Diagnostic>,
    resource: Resource,
    address: &str,
    new: (ApiRef<'_>, Span),
    old: ApiRef<'_>,
    under_cbo: bool,
) {
    let (a, b) = (api_paths(new.0), api_paths(old));
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for p in paths {
        let (n, o) = (a.get(p), b.get(p));
        if n.map(|x| &x.0) == o.map(|x| &x.0) {
            continue;
        }
        let top = p.split('.').next().unwrap_or(p);
        let removed_whole = !a.keys().any(|k| k.split('.').next() == Some(top));
        let Effect::Replace(why) = effect(resource, p, removed_whole, under_cbo) else {
            continue;
        };
        let word = |x: Option<&(Value, Span)>| {
            x.map_or("(none)".to_owned(), |x| {
                serde_json::to_string(&x.0).unwrap_or_default()
            })
        };
        let d = replace_warning(
            address,
            &format!("`api.{p}`"),
            &word(o),
            &word(n),
            n.map_or(new.1, |x| x.1),
            o.map(|x| ctx.shift(x.1)),
        );
        out.push(d.note(why));
    }
}

fn replace_warning(
    address: &str,
    field: &str,
    old: &str,
    new: &str,
    span: Span,
    base_span: Option<Span>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &RULE,
        format!("`{address}` is replaced: its {field} changed from `{old}` to `{new}`"),
    )
    .primary(span, format!("{field} changed"));
    if let Some(b) = base_span {
        d = d.secondary(b, format!("the {field} in the base"));
    }
    d.help("the resource is deleted and created again, and loses its delivery history; keep the old value, or create a new resource under a new name")
}

fn budget_mode_warning(
    ctx: &PairCtx<'_>,
    address: &str,
    new: Option<(BudgetMode, Span)>,
    old: Option<(BudgetMode, Span)>,
    new_owner: Span,
    old_owner: Span,
) -> Option<Diagnostic> {
    if new.map(|m| m.0) == old.map(|m| m.0) {
        return None;
    }
    let word = |m: Option<(BudgetMode, Span)>| m.map_or("none", |m| m.0.as_str());
    Some(
        replace_warning(
            address,
            "budget mode",
            word(old),
            word(new),
            new.map_or(new_owner, |m| m.1),
            Some(ctx.shift(old.map_or(old_owner, |m| m.1))),
        )
        .note("TikTok does not allow changing a budget mode after creation"),
    )
}
