//! Cross-file structure: references (SP008) and the field combinations the
//! schema cannot express (SP005, SP011, creative shape).

use super::{ResourceKind, Workspace};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::{Budget, IdentityType, Name, Spanned};

/// Checks every reference and cross-field structural rule, appending
/// diagnostics to the workspace.
pub fn resolve(ws: &mut Workspace) {
    let mut d = Vec::new();
    // The names of each kind, listed once (not once per reference), and a
    // bound on the "did you mean" work: thousands of undefined references
    // against thousands of names must not take minutes (SPEC §6, no hang).
    let kinds = [
        ResourceKind::Advertiser,
        ResourceKind::Identity,
        ResourceKind::Post,
        ResourceKind::Media,
        ResourceKind::Campaign,
    ];
    let all_names: Vec<(ResourceKind, Vec<String>)> = kinds
        .iter()
        .map(|&k| (k, ws.names(k).into_iter().map(str::to_owned).collect()))
        .collect();
    let budget = std::cell::Cell::new(SUGGESTION_BUDGET);
    let reference =
        |ws: &Workspace, d: &mut Vec<Diagnostic>, kind: ResourceKind, r: &Spanned<Name>| {
            if ws.is_defined(kind, &r.value.0) {
                return;
            }
            let names: &[String] = all_names
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(&[], |(_, v)| v.as_slice());
            let suggestion = if budget.get() >= names.len() {
                budget.set(budget.get() - names.len());
                did_you_mean(&r.value.0, names.iter().map(String::as_str))
            } else {
                None
            };
            let mut diag = Diagnostic::new(
                "SP008",
                format!("undefined {} `{}`", kind.as_str(), r.value.0),
            )
            .primary(
                r.span,
                format!(
                    "no {} named `{}` in the workspace",
                    kind.as_str(),
                    r.value.0
                ),
            );
            if let Some(m) = suggestion {
                diag = diag.help(format!("did you mean `{m}`?"));
            } else if names.is_empty() {
                diag = diag.note(format!(
                    "the workspace defines no {} at all",
                    kind_plural(kind)
                ));
            } else {
                let shown: Vec<&str> = names.iter().map(String::as_str).take(8).collect();
                diag = diag.note(format!(
                    "defined {}: {}",
                    kind_plural(kind),
                    crate::diag::ticked_list(&shown, "and")
                ));
            }
            d.push(diag);
        };

    for def in ws.identities.values() {
        let i = &def.value;
        reference(ws, &mut d, ResourceKind::Advertiser, &i.advertiser);
        if i.r#type.value == IdentityType::BusinessCenter && i.business_center_id.is_none() {
            d.push(
                Diagnostic::new("SP005", format!("identity `{}` of type `business_center` needs `business_center_id`", def.name.value))
                    .primary(def.name.span, "`business_center_id` is required here")
                    .secondary(i.r#type.span, "because of this type")
                    .note("TikTok needs the Business Center the account was authorized through (API `identity_authorized_bc_id`)"),
            );
        }
    }
    for def in ws.posts.values() {
        let p = &def.value;
        if let Some(a) = &p.advertiser {
            reference(ws, &mut d, ResourceKind::Advertiser, a);
        }
        if let Some(i) = &p.identity {
            reference(ws, &mut d, ResourceKind::Identity, i);
        }
    }
    for def in ws.media.values() {
        reference(ws, &mut d, ResourceKind::Advertiser, &def.value.advertiser);
    }
    for def in ws.campaigns.values() {
        let c = &def.value;
        reference(ws, &mut d, ResourceKind::Advertiser, &c.advertiser);
        if let Some(b) = &c.budget {
            positive_budget(&mut d, b);
        }
        let Some(groups) = &c.ad_groups else { continue };
        for (_, g) in groups.iter() {
            if let Some(b) = &g.budget {
                positive_budget(&mut d, b);
            }
            if g.locations.value.is_empty() {
                d.push(
                    Diagnostic::new("SP004", "an empty `locations` list")
                        .primary(g.locations.span, "list at least one country")
                        .help(
                            "write the ISO 3166-1 alpha-2 codes the ad group targets, e.g. `[US]`",
                        ),
                );
            }
            let sched = &g.schedule.value;
            if let Some(end) = &sched.end
                && end.value < sched.start.value
            {
                d.push(
                    Diagnostic::new(
                        "SP011",
                        format!(
                            "the schedule ends ({}) before it starts ({})",
                            end.value, sched.start.value
                        ),
                    )
                    .primary(end.span, "end is before start")
                    .secondary(sched.start.span, "start"),
                );
            }
            let Some(ads) = &g.ads else { continue };
            for (_, ad) in ads.iter() {
                for cr in &ad.creatives.value {
                    let c = &cr.value;
                    match (&c.post, &c.media) {
                        (Some(_), Some(m)) => d.push(
                            Diagnostic::new(
                                "SP004",
                                "a creative is either a `post` or a `media`, not both",
                            )
                            .primary(m.span, "remove `media` (or `post`)")
                            .help("write one creative per list item"),
                        ),
                        (None, None) => d.push(
                            Diagnostic::new(
                                "SP005",
                                "a creative needs `post` (Spark pull) or `media` with `identity`",
                            )
                            .primary(cr.span, "neither `post` nor `media`"),
                        ),
                        _ => {}
                    }
                    if let (Some(_), Some(i)) = (&c.post, &c.identity) {
                        d.push(
                            Diagnostic::new("SP004", "`identity` belongs to `media` creatives; a post's identity comes from the post")
                                .primary(i.span, "not used with `post`")
                                .help("remove `identity` from this creative"),
                        );
                    }
                    if let Some(p) = &c.post {
                        reference(ws, &mut d, ResourceKind::Post, p);
                    }
                    if let Some(m) = &c.media {
                        reference(ws, &mut d, ResourceKind::Media, m);
                    }
                    if let Some(i) = &c.identity {
                        reference(ws, &mut d, ResourceKind::Identity, i);
                    }
                }
            }
        }
    }
    ws.diagnostics.extend(d);
}

/// SP004 for a budget amount that is zero or negative (the schema says
/// `exclusiveMinimum: 0`).
fn positive_budget(d: &mut Vec<Diagnostic>, b: &Spanned<Budget>) {
    let amount = &b.value.amount;
    if amount.value <= 0.0 {
        d.push(
            Diagnostic::new(
                "SP004",
                format!("a budget amount must be positive, found {}", amount.value),
            )
            .primary(amount.span, "not a positive amount")
            .note("the amount is in the account's currency; TikTok also sets a minimum per budget mode"),
        );
    }
}

/// How many names "did you mean" may compare against in one run, all
/// undefined references together; past it, SP008 is reported without a
/// suggestion. Far above any real workspace (100 typos × 10,000 names).
const SUGGESTION_BUDGET: usize = 1_000_000;

fn kind_plural(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Advertiser => "advertisers",
        ResourceKind::Identity => "identities",
        ResourceKind::Post => "posts",
        ResourceKind::Media => "media",
        ResourceKind::Campaign => "campaigns",
    }
}
