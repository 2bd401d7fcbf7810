//! SP407: a field the objective or bid strategy requires is missing.

use super::RuleCtx;
use crate::api::fields;
use crate::diag::Diagnostic;
use crate::model::{
    AdGroup, ApiFields, BidType, Objective, OptimizationGoal, PromotionType, Spanned,
};

crate::declare_rule!(pub static RULE = "SP407", "objective-field-required", Error, "a field the campaign objective or the bid strategy requires is missing");

/// Reports missing `sales_destination` / `app_promotion_type` (campaign),
/// `promotion_type`, `promotion_target_type`, `optimization_goal`,
/// `bid_type`, `bid_price` / `conversion_bid_price` (ad group).
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for c in ctx.ws.campaigns.values() {
        let camp = &c.value;
        let objective = &camp.objective;
        let Some(api) = objective.value.smart_plus_api() else {
            continue; // SP406
        };
        let missing = |field: &str, why: String, fix: String, span| {
            Diagnostic::new(&RULE, format!("missing `{field}`, which {why}"))
                .primary(span, format!("`{field}` is required here"))
                .help(fix)
        };
        match objective.value {
            Objective::WebConversions if camp.sales_destination.is_none() => out.push(
                missing(
                    "sales_destination",
                    format!("campaign `{}` needs for `web_conversions`", c.name.value),
                    "add `sales_destination: website`".into(),
                    c.name.span,
                )
                .secondary(objective.span, "the objective")
                .note("TikTok API (`smart_plus/campaign/create`): `WEB_CONVERSIONS` requires `sales_destination`; the official SDK allows only `WEBSITE` for Smart+"),
            ),
            Objective::AppPromotion if camp.app_promotion_type.is_none() => out.push(
                missing(
                    "app_promotion_type",
                    format!("campaign `{}` needs for `app_promotion`", c.name.value),
                    "add `app_promotion_type: app_install`".into(),
                    c.name.span,
                )
                .secondary(objective.span, "the objective")
                .note("TikTok API (`smart_plus/campaign/create`): `APP_PROMOTION` requires `app_promotion_type`; the official SDK allows only `APP_INSTALL` for Smart+"),
            ),
            _ => {}
        }
        let Some(gs) = &camp.ad_groups else { continue };
        for (gname, g) in gs.iter() {
            let at = gname.span;
            let group = &gname.value;
            let allowed = fields::promotion_types_for(api);
            // Left out, it is sent only where the objective allows one value.
            if g.promotion_type_api(objective.value).is_none() {
                let list: Vec<String> = allowed
                    .iter()
                    .map(|v| format!("`{}`", fields::manifest_spelling("", v)))
                    .collect();
                out.push(
                    missing(
                        "promotion_type",
                        format!("ad group `{group}` needs for `{}`", objective.value),
                        format!("add `promotion_type:` with one of {}", list.join(", ")),
                        at,
                    )
                    .secondary(objective.span, "the campaign's objective")
                    .note("TikTok API (`smart_plus/adgroup/create`): `promotion_type` is required (official SDK); its value depends on the objective and there is no default"),
                );
            }
            if objective.value == Objective::LeadGeneration && g.promotion_target_type.is_none() {
                out.push(
                    missing(
                        "promotion_target_type",
                        format!("ad group `{group}` needs for `lead_generation`"),
                        "add `promotion_target_type: instant_page` (an instant form) or `external_website`".into(),
                        at,
                    )
                    .secondary(objective.span, "the campaign's objective")
                    .note("TikTok API (`smart_plus/adgroup/create`): `promotion_target_type` is \"Required when `objective_type` is `LEAD_GENERATION`\""),
                );
            }
            if g.optimization_goal.is_none() {
                out.push(
                    missing(
                        "optimization_goal",
                        format!("every ad group needs (ad group `{group}`)"),
                        "add `optimization_goal:` (e.g. `convert`, `install`, `lead_generation`, `click`)".into(),
                        at,
                    )
                    .note("TikTok API (`smart_plus/adgroup/create`): `optimization_goal` is required (official SDK) and has no default"),
                );
            }
            if g.bid_type.is_none() {
                out.push(
                    missing(
                        "bid_type",
                        format!("every ad group needs (ad group `{group}`)"),
                        "add `bid_type: no_bid` (Maximum Delivery) or `bid_type: custom` with a bid amount".into(),
                        at,
                    )
                    .note("TikTok API (`smart_plus/adgroup/create`): `bid_type` is required (TikTok's MCP metadata, as copied by the Terraform provider; the official SDK lists it without `required`), with no documented default"),
                );
            }
            api_companions(g, gname, out);
            let (Some(bid), Some(goal)) = (&g.bid_type, &g.optimization_goal) else {
                continue;
            };
            if bid.value != BidType::Custom {
                continue;
            }
            let goal_api = goal.value.api_value();
            let (field, have) = if fields::CONVERSION_BID_GOALS.contains(&goal_api) {
                ("conversion_bid_price", g.conversion_bid_price.is_some())
            } else if fields::BID_PRICE_GOALS.contains(&goal_api) {
                ("bid_price", g.bid_price.is_some())
            } else {
                continue;
            };
            if !have {
                out.push(
                    missing(
                        field,
                        format!("`bid_type: custom` needs with the goal `{}`", goal.value),
                        format!("add `{field}:` (the target cost per result), or use `bid_type: no_bid`"),
                        bid.span,
                    )
                    .secondary(goal.span, "the goal")
                    .note(format!("TikTok API (`smart_plus/adgroup/create`): `{field}` is required when `bid_type` is `BID_TYPE_CUSTOM` and `optimization_goal` is `{goal_api}`")),
                );
            }
        }
    }
}

/// Whether `api:` sets `key`.
fn api_has(api: Option<&Spanned<ApiFields>>, key: &str) -> bool {
    api.is_some_and(|a| a.value.0.iter().any(|(k, _)| k.value == key))
}

/// Fields sparkplan does not model that a lead-generation promotion type
/// requires, to be set through `api:` (TFP `smart_plus_ad_create`:
/// `auto_message_list` is required for `LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE`;
/// `smart_plus_adgroup_create.messaging_app_type` is "Required when
/// `optimization_goal` is `CONVERSATION`" with
/// `LEAD_GEN_CLICK_TO_SOCIAL_MEDIA_APP_MESSAGE`).
fn api_companions(g: &AdGroup, gname: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let Some(p) = &g.promotion_type else { return };
    match p.value {
        PromotionType::LeadGenClickToTtDirectMessage => {
            for (aname, ad) in g.ads.iter().flat_map(|a| a.iter()) {
                if !api_has(ad.api.as_ref(), "auto_message_list") {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            format!(
                                "missing `api.auto_message_list`, which ad `{}` needs for `promotion_type: {}`",
                                aname.value, p.value
                            ),
                        )
                        .primary(aname.span, "`auto_message_list` is required here")
                        .secondary(p.span, "TikTok direct-message leads")
                        .note("TikTok API (`smart_plus/ad/create`): `auto_message_list` (the welcome message) is required for `LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE`; sparkplan does not model it")
                        .help("add `api: { auto_message_list: [{ auto_message_id: \"…\" }] }` to the ad"),
                    );
                }
            }
        }
        PromotionType::LeadGenClickToSocialMediaAppMessage
            if g.optimization_goal
                .is_some_and(|o| o.value == OptimizationGoal::Conversation)
                && !api_has(g.api.as_ref(), "messaging_app_type") =>
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "missing `api.messaging_app_type`, which ad group `{}` needs for `promotion_type: {}` with the goal `conversation`",
                        gname.value, p.value
                    ),
                )
                .primary(gname.span, "`messaging_app_type` is required here")
                .secondary(p.span, "leads through a messaging app")
                .note("TikTok API (`smart_plus/adgroup/create.messaging_app_type`): \"Required when `optimization_goal` is `CONVERSATION`\"; sparkplan does not model it")
                .help("add `api: { messaging_app_type: WHATSAPP }` (or `MESSENGER`, `ZALO`) with the account fields it needs"),
            );
        }
        _ => {}
    }
}
