//! SP409: a conversion goal without `pixel_id` / `optimization_event`, or an app promotion without `app_id`.

use super::RuleCtx;
use super::common::groups;
use crate::api::fields;
use crate::diag::Diagnostic;
use crate::model::Objective;

crate::declare_rule!(pub static RULE = "SP409", "conversion-source-required", Error, "a conversion goal without `pixel_id` or `optimization_event`, or an app promotion without `app_id`");

/// Reports ad groups that lack the pixel, event or app TikTok needs to
/// measure their goal.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for g in groups(ctx.ws) {
        if g.campaign.objective.value.smart_plus_api().is_none() {
            continue; // SP406
        }
        let objective = &g.campaign.objective;
        let ad_group = g.group;
        let name = &g.group_name.value;
        let at = g.group_name.span;
        if objective.value == Objective::AppPromotion && ad_group.app_id.is_none() {
            out.push(
                Diagnostic::new(&RULE, format!("ad group `{name}` has no `app_id`, which `app_promotion` requires"))
                    .primary(at, "`app_id` is required here")
                    .secondary(objective.span, "the campaign's objective")
                    .note("TikTok API (`smart_plus/adgroup/create.app_id`): \"Required when … `objective_type` is `APP_PROMOTION` and `app_promotion_type` is `APP_INSTALL`\"")
                    .help("add `app_id: \"<the app's ID in Ads Manager>\"`"),
            );
        }
        let Some(goal) = &ad_group.optimization_goal else {
            continue; // SP407
        };
        let goal_api = goal.value.api_value();
        let web_or_leads = matches!(
            objective.value,
            Objective::WebConversions | Objective::LeadGeneration
        );
        if web_or_leads && fields::PIXEL_GOALS.contains(&goal_api) && ad_group.pixel_id.is_none() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("ad group `{name}` optimizes for `{}` without `pixel_id`", goal.value),
                )
                .primary(goal.span, "needs a pixel")
                .secondary(objective.span, "the campaign's objective")
                .note("TikTok API (`smart_plus/adgroup/create.pixel_id`): \"Required when campaign `objective_type` is `WEB_CONVERSIONS` or `LEAD_GENERATION` and ad-group `optimization_goal` is `CONVERT` or `VALUE`\"")
                .help("add `pixel_id: \"<your TikTok Pixel ID>\"` and `optimization_event:`"),
            );
        }
        let needs_event = ad_group.pixel_id.is_some() || fields::EVENT_GOALS.contains(&goal_api);
        if needs_event && ad_group.optimization_event.is_none() {
            let (span, label) = match &ad_group.pixel_id {
                Some(p) => (p.span, "a pixel needs an event"),
                None => (goal.span, "this goal needs an event"),
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("ad group `{name}` has no `optimization_event`"),
                )
                .primary(span, label)
                .note("TikTok API (`smart_plus/adgroup/create.optimization_event`): \"Required when `pixel_id` is specified; or when `pixel_id` is not specified and `optimization_goal` is `IN_APP_EVENT` or `VALUE`\"")
                .help("add `optimization_event:` with the conversion event, e.g. `shopping` (a purchase) or `on_web_order`"),
            );
        }
    }
}
