//! SP603: a landing-page URL without a required query parameter
//! (`[policy.landing_pages] utm = [...]`).

use super::RuleCtx;
use super::common::ads;
use crate::diag::{Diagnostic, ticked_list};

crate::declare_rule!(pub static RULE = "SP603", "landing-page-parameters", Error, "policy: a landing-page URL lacks a query parameter listed in `[policy.landing_pages] utm`");

/// The names of the query parameters of `url` (before any `#`), in order.
pub fn query_keys(url: &str) -> Vec<&str> {
    let before_fragment = url.split('#').next().unwrap_or_default();
    let Some((_, query)) = before_fragment.split_once('?') else {
        return Vec::new();
    };
    query
        .split(['&', ';'])
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .filter(|k| !k.is_empty())
        .collect()
}

/// Reports landing-page URLs that lack one of the required parameters.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let required = &ctx.policy.utm;
    if required.is_empty() {
        return;
    }
    for a in ads(ctx.ws) {
        let Some(url) = &a.ad.landing_page_url else {
            continue;
        };
        let keys = query_keys(&url.value);
        let missing: Vec<&String> = required
            .iter()
            .filter(|r| !keys.contains(&r.as_str()))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let names: Vec<String> = missing.iter().map(|m| (*m).clone()).collect();
        let example: Vec<String> = missing
            .iter()
            .map(|m| match m.as_str() {
                "utm_source" => "utm_source=tiktok".to_owned(),
                "utm_campaign" => "utm_campaign=__CAMPAIGN_NAME__".to_owned(),
                "utm_content" => "utm_content=__CID_NAME__".to_owned(),
                "utm_term" => "utm_term=__AID_NAME__".to_owned(),
                other => format!("{other}=..."),
            })
            .collect();
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "the landing page of ad `{}` lacks {}",
                    a.ad_name.value,
                    ticked_list(&names, "and")
                ),
            )
            .primary(url.span, format!("no {}", ticked_list(&names, "or")))
            .note(format!(
                "`[policy.landing_pages] utm` in `sparkplan.toml` requires {} on every landing page",
                ticked_list(required, "and")
            ))
            .help(format!(
                "add `{}` to the query (TikTok's macros, such as `__CAMPAIGN_NAME__`, are filled in per ad)",
                example.join("&")
            )),
        );
    }
}
