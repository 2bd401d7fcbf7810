//! SP305: `call_to_actions` where TikTok requires `call_to_action_portfolio`.

use super::RuleCtx;
use super::common::{ads, creative_span, creatives};
use crate::diag::Diagnostic;
use crate::model::Objective;

crate::declare_rule!(pub static RULE = "SP305", "call-to-action-portfolio-required", Error, "`call_to_actions` where TikTok requires `call_to_action_portfolio`");

/// Reports `call_to_actions` on TikTok placement for lead generation, and for
/// app promotion or web conversions with a Spark creative.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let Some(ctas) = &a.ad.call_to_actions else {
            continue;
        };
        if !a.group.includes_tiktok() {
            continue;
        }
        let objective = &a.group.campaign.objective;
        let spark = match objective.value {
            Objective::LeadGeneration => None,
            Objective::AppPromotion | Objective::WebConversions => {
                match creatives(ctx.ws, a.ad).find(|(_, k)| k.is_spark()) {
                    Some((c, _)) => Some(creative_span(c)),
                    None => continue,
                }
            }
            _ => continue, // SP406
        };
        let why = if spark.is_some() {
            format!(
                "{} on TikTok placement with a Spark creative",
                objective.value
            )
        } else {
            format!("{} on TikTok placement", objective.value)
        };
        let mut d = Diagnostic::new(
            "SP305",
            format!(
                "ad `{}` uses `call_to_actions`, which TikTok refuses for {why}",
                a.ad_name.value
            ),
        )
        .primary(ctas.span, "not allowed here")
        .secondary(objective.span, "the campaign's objective")
        .secondary(a.group.placements_span(), a.group.placements_label());
        if let Some(s) = spark {
            d = d.secondary(s, "a Spark creative");
        }
        out.push(
            d.note("TikTok API (`smart_plus/ad/create`): `call_to_action_list` is not allowed for LEAD_GENERATION on TikTok placement, nor for APP_PROMOTION or WEB_CONVERSIONS on TikTok placement with a Spark identity; use `ad_configuration.call_to_action_id`")
                .help("replace `call_to_actions` with `call_to_action_portfolio: \"<call_to_action_id>\"` (a dynamic CTA portfolio)"),
        );
    }
}
