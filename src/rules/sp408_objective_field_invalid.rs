//! SP408: an objective-specific field the campaign's settings do not allow.

use super::RuleCtx;
use super::common::groups;
use crate::api::fields;
use crate::diag::Diagnostic;
use crate::diag::Span;
use crate::model::{AdGroup, BidType, BudgetMode, Campaign, Objective};
use crate::workspace::Def;

crate::declare_rule!(pub static RULE = "SP408", "objective-field-invalid", Error, "an objective-specific field that the campaign's objective, goal or budget does not allow");

/// Reports `sales_destination` / `app_promotion_type` /
/// `promotion_target_type` under another objective, a `promotion_type` the
/// objective does not allow, a `billing_event` that does not match the goal,
/// `pixel_id` with a goal that does not support it, `bid_type: custom` with a
/// lifetime budget, and ad groups of one campaign that differ where TikTok
/// wants one value across them. (Bid amounts out of range are SP004.)
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for c in ctx.ws.campaigns.values() {
        uniform_across_groups(c, out);
    }
    for c in ctx.ws.campaigns.values() {
        let camp = &c.value;
        let objective = &camp.objective;
        if objective.value.smart_plus_api().is_none() {
            continue; // SP406
        }
        let only = |field: &str, span, for_objective: &str| {
            Diagnostic::new(
                &RULE,
                format!(
                    "`{field}` is only for `{for_objective}` campaigns, and this one is `{}`",
                    objective.value
                ),
            )
            .primary(span, "not allowed with this objective")
            .secondary(objective.span, "the objective")
            .help(format!("remove `{field}`"))
        };
        if objective.value != Objective::WebConversions
            && let Some(d) = &camp.sales_destination
        {
            out.push(only("sales_destination", d.span, "web_conversions").note(
                "TikTok API (`smart_plus/campaign/create`): `sales_destination` is the destination of `WEB_CONVERSIONS` campaigns",
            ));
        }
        if objective.value != Objective::AppPromotion
            && let Some(t) = &camp.app_promotion_type
        {
            out.push(only("app_promotion_type", t.span, "app_promotion").note(
                "TikTok API (`smart_plus/campaign/create`): `app_promotion_type` is the type of `APP_PROMOTION` campaigns",
            ));
        }
    }
    for g in groups(ctx.ws) {
        let objective = &g.campaign.objective;
        let Some(api) = objective.value.smart_plus_api() else {
            continue;
        };
        let ad_group = g.group;
        if let Some(p) = &ad_group.promotion_type {
            let allowed = fields::promotion_types_for(api);
            if !allowed.contains(&p.value.api_value()) {
                let list: Vec<String> = allowed
                    .iter()
                    .map(|v| format!("`{}`", fields::manifest_spelling("", v)))
                    .collect();
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("`promotion_type: {}` is not allowed for `{}`", p.value, objective.value),
                    )
                    .primary(p.span, "not allowed with this objective")
                    .secondary(objective.span, "the campaign's objective")
                    .note("TikTok API (`smart_plus/adgroup/create.promotion_type`): `APP_ANDROID`/`APP_IOS` for APP_PROMOTION, `WEBSITE` for WEB_CONVERSIONS with `sales_destination: WEBSITE`, `LEAD_GENERATION` or `LEAD_GEN_CLICK_TO_*` for LEAD_GENERATION")
                    .help(format!("use {}", list.join(" or "))),
                );
            }
        }
        if objective.value != Objective::LeadGeneration
            && let Some(t) = &ad_group.promotion_target_type
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("`promotion_target_type` is only for `lead_generation` campaigns, and this one is `{}`", objective.value),
                )
                .primary(t.span, "not allowed with this objective")
                .secondary(objective.span, "the campaign's objective")
                .note("TikTok API (`smart_plus/adgroup/create`): `promotion_target_type` is the optimization location of LEAD_GENERATION")
                .help("remove `promotion_target_type`"),
            );
        }
        if let Some(goal) = &ad_group.optimization_goal {
            let goal_api = goal.value.api_value();
            if let Some(e) = &ad_group.billing_event {
                let want = fields::billing_event_for(goal_api);
                if e.value.api_value() != want {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            format!("`billing_event: {}` does not match the goal `{}`", e.value, goal.value),
                        )
                        .primary(e.span, "does not match the goal")
                        .secondary(goal.span, "the goal")
                        .note("TikTok API (`smart_plus/adgroup/create.billing_event`): \"When `optimization_goal` is `CLICK`, set this to `CPC`. When `optimization_goal` is not `CLICK`, set this to `OCPM`.\"")
                        .help(format!("write `billing_event: {}`, or leave it out (sparkplan sends that)", want.to_ascii_lowercase())),
                    );
                }
            }
            if let Some(p) = &ad_group.pixel_id
                && fields::NO_PIXEL_GOALS.contains(&goal_api)
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("`pixel_id` is not supported with the goal `{}`", goal.value),
                    )
                    .primary(p.span, "not supported with this goal")
                    .secondary(goal.span, "the goal")
                    .note("TikTok API (`smart_plus/adgroup/create.pixel_id`): \"Not supported when `optimization_goal` is `CLICK`, `INSTALL`, `IN_APP_EVENT`, or `TRAFFIC_LANDING_PAGE_VIEW`\"")
                    .help("remove `pixel_id`, or optimize for `convert` or `value`"),
                );
            }
        }
        if let Some(bid) = &ad_group.bid_type
            && bid.value == BidType::Custom
        {
            let lifetime = g
                .campaign
                .budget
                .as_ref()
                .or(ad_group.budget.as_ref())
                .filter(|b| b.value.mode.value == BudgetMode::Lifetime);
            if let Some(b) = lifetime {
                out.push(
                    Diagnostic::new(&RULE, "`bid_type: custom` needs a daily budget")
                        .primary(bid.span, "Cost Cap")
                        .secondary(b.value.mode.span, "a lifetime budget")
                        .note("TikTok API (`smart_plus/adgroup/create.bid_type`): `BID_TYPE_CUSTOM` \"can only be used when campaign-level or ad-group-level `budget_mode` is `BUDGET_MODE_DYNAMIC_DAILY_BUDGET`\"")
                        .help("use `bid_type: no_bid`, or a daily budget"),
                );
            }
        }
    }
}

/// One value of a field, as written, with the ad group's name.
type Written<'a> = (String, Span, &'a str);

/// TikTok (TFP `smart_plus_adgroup_create`): `bid_type` "must be the same
/// across all ad groups in the same campaign"; with a campaign budget
/// (`budget_optimize_on=true`) so must `promotion_type`,
/// `promotion_target_type`, `optimization_goal`, `optimization_event`,
/// `billing_event` and the bid amounts (the Help Center's budget strategy
/// page: "optimization location, goal, event and target CPA must match").
fn uniform_across_groups(c: &Def<Campaign>, out: &mut Vec<Diagnostic>) {
    let Some(groups) = &c.value.ad_groups else {
        return;
    };
    if c.value.objective.value.smart_plus_api().is_none() {
        return;
    }
    let cbo = c.value.budget.is_some();
    type Get = fn(&AdGroup) -> Option<(String, Span)>;
    let always: &[(&str, Get)] = &[("bid_type", |g| {
        g.bid_type.map(|v| (v.value.to_string(), v.span))
    })];
    let with_cbo: &[(&str, Get)] = &[
        ("promotion_type", |g| {
            g.promotion_type.map(|v| (v.value.to_string(), v.span))
        }),
        ("promotion_target_type", |g| {
            g.promotion_target_type
                .map(|v| (v.value.to_string(), v.span))
        }),
        ("optimization_goal", |g| {
            g.optimization_goal.map(|v| (v.value.to_string(), v.span))
        }),
        ("optimization_event", |g| {
            g.optimization_event
                .map(|v| (v.value.0.to_ascii_lowercase(), v.span))
        }),
        ("billing_event", |g| {
            g.billing_event.map(|v| (v.value.to_string(), v.span))
        }),
        ("bid_price", |g| {
            g.bid_price.map(|v| (v.value.0.to_string(), v.span))
        }),
        ("conversion_bid_price", |g| {
            g.conversion_bid_price
                .map(|v| (v.value.0.to_string(), v.span))
        }),
        ("roas_bid", |g| {
            g.roas_bid.map(|v| (v.value.0.to_string(), v.span))
        }),
    ];
    let fields = always.iter().chain(with_cbo.iter().filter(|_| cbo));
    for (field, get) in fields {
        let mut first: Option<Written<'_>> = None;
        for (gname, g) in groups.iter() {
            let Some((value, span)) = get(g) else {
                continue;
            };
            match &first {
                None => first = Some((value, span, &gname.value)),
                Some((v0, s0, g0)) if *v0 != value => {
                    let why = if *field == "bid_type" {
                        "TikTok wants one bid strategy across the ad groups of a campaign"
                            .to_owned()
                    } else {
                        format!(
                            "campaign `{}` has a budget, and TikTok then wants one `{field}` across its ad groups",
                            c.name.value
                        )
                    };
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            format!(
                                "ad group `{}` has `{field}: {value}`, ad group `{g0}` has `{v0}`: {why}",
                                gname.value
                            ),
                        )
                        .primary(span, "differs from the campaign's first ad group")
                        .secondary(*s0, format!("`{field}` of ad group `{g0}`"))
                        .note(format!("TikTok API (`smart_plus/adgroup/create.{field}`): \"must be the same across all ad groups in the same campaign\"{}", if *field == "bid_type" { "" } else { " when CBO is enabled" }))
                        .help(format!("use `{field}: {v0}` here too, or move the ad group to its own campaign")),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
