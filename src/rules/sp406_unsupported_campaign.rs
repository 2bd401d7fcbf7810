//! SP406: a campaign type or objective that Smart+ does not offer.

use super::RuleCtx;
use crate::diag::Diagnostic;
use crate::model::{CampaignType, Objective};

crate::declare_rule!(pub static RULE = "SP406", "unsupported-campaign", Error, "a campaign `type` of `manual` or `search`, or an objective Smart+ does not offer");

/// Reports manual/search campaigns and objectives outside Smart+.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.campaigns {
        let c = &def.value;
        if c.r#type.value != CampaignType::SmartPlus {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("campaign `{name}` is a {} campaign; sparkplan plans Smart+ campaigns only", c.r#type.value),
                )
                .primary(c.r#type.span, format!("`{}` is not planned by sparkplan", c.r#type.value))
                .note("TikTok: \"For manual and search campaigns, learn how to create Spark Ads for Manual and Search Campaigns in TikTok Ads Manager.\" Their API (`campaign/create`, `ad/create`) differs from Smart+")
                .help("write `type: smart_plus`, or manage this campaign outside sparkplan"),
            );
        }
        if !matches!(
            c.objective.value,
            Objective::AppPromotion | Objective::WebConversions | Objective::LeadGeneration
        ) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("objective `{}` is not offered for Smart+ campaigns", c.objective.value),
                )
                .primary(c.objective.span, "not a Smart+ objective")
                .note("TikTok API: Smart+ `objective_type` is APP_PROMOTION, WEB_CONVERSIONS or LEAD_GENERATION; reach, traffic, video views, community interaction and product sales exist only for manual campaigns")
                .help("use `app_promotion`, `web_conversions` or `lead_generation`"),
            );
        }
    }
}
