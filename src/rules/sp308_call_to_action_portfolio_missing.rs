//! SP308: an ad without `call_to_action_portfolio` where TikTok requires one.

use super::RuleCtx;
use super::common::{ads, portfolio_required};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP308", "call-to-action-portfolio-missing", Error, "an ad on TikTok placement without the `call_to_action_portfolio` TikTok requires");

/// Reports ads on TikTok placement without `call_to_action_portfolio` for
/// lead generation, and for app promotion or web conversions with a Spark
/// creative. Ads with `call_to_actions` there are SP305's.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        if a.ad.call_to_action_portfolio.is_some() || a.ad.call_to_actions.is_some() {
            continue;
        }
        let Some(req) = portfolio_required(ctx.ws, &a) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "ad `{}` has no `call_to_action_portfolio`, which TikTok requires for {}",
                a.ad_name.value, req.why
            ),
        )
        .primary(
            a.ad_name.span,
            "`call_to_action_portfolio` is required here",
        );
        for (span, label) in req.labels {
            d = d.secondary(span, label);
        }
        out.push(
            d.note("TikTok API (`smart_plus/ad/create.ad_configuration.call_to_action_id`): required for LEAD_GENERATION on TikTok placement, and for APP_PROMOTION or WEB_CONVERSIONS on TikTok placement when `creative_info.identity_type` is TT_USER, BC_AUTH_TT or AUTH_CODE")
                .help("add `call_to_action_portfolio: \"<call_to_action_id>\"` (a dynamic CTA portfolio from Ads Manager)"),
        );
    }
}
