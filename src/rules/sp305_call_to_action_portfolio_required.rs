//! SP305: `call_to_actions` where TikTok requires `call_to_action_portfolio`.

use super::RuleCtx;
use super::common::{ads, portfolio_required};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP305", "call-to-action-portfolio-required", Error, "`call_to_actions` where TikTok requires `call_to_action_portfolio`");

/// Reports `call_to_actions` on TikTok placement for lead generation, and for
/// app promotion or web conversions with a Spark creative.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let Some(ctas) = &a.ad.call_to_actions else {
            continue;
        };
        let Some(req) = portfolio_required(ctx.ws, &a) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &RULE,
            format!(
                "ad `{}` uses `call_to_actions`, which TikTok refuses for {}",
                a.ad_name.value, req.why
            ),
        )
        .primary(ctas.span, "not allowed here");
        for (span, label) in req.labels {
            d = d.secondary(span, label);
        }
        out.push(
            d.note("TikTok API (`smart_plus/ad/create`): `call_to_action_list` is not allowed for LEAD_GENERATION on TikTok placement, nor for APP_PROMOTION or WEB_CONVERSIONS on TikTok placement with a Spark identity; use `ad_configuration.call_to_action_id`")
                .help("replace `call_to_actions` with `call_to_action_portfolio: \"<call_to_action_id>\"` (a dynamic CTA portfolio)"),
        );
    }
}
