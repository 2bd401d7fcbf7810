//! SP604: a TikTok URL macro spelt otherwise than TikTok defines it
//! (`[policy.landing_pages] tiktok_macros = true`).
//!
//! TikTok's macros, from TikTok Ads Manager help, "About supported macros for
//! Mobile Measurement Partners" (last updated May 2025,
//! ads.tiktok.com/help/article/about-supported-macros-for-mobile-measurement-partners):
//! `IDFA`, `GAID`, `IP`, `SL`, `UA`, `PLACEMENT`, `CALLBACK_PARAM`,
//! `CALLBACK_URL`, `CAMPAIGN_NAME`, `CAMPAIGN_ID`, `AID_NAME`, `AID`,
//! `CID_NAME`, `CID`; "TikTok macros are all double-underlined at the
//! beginning and end, while the middle is single-underlined: `__xxx_xxx__`".
//! The help article "Track offsite web events with UTM parameters"
//! (ads.tiktok.com/help/article/track-offsite-web-events-with-utm-parameters)
//! lists the same campaign, ad group and ad macros for landing-page URLs.

use super::RuleCtx;
use super::common::ads;
use crate::diag::{Diagnostic, did_you_mean};

crate::declare_rule!(pub static RULE = "SP604", "tiktok-url-macro", Error, "policy: a TikTok URL macro in a landing-page URL is misspelt");

/// TikTok's URL macros, without their underscores (see the module's source).
pub const MACROS: [&str; 14] = [
    "CAMPAIGN_NAME",
    "CAMPAIGN_ID",
    "AID_NAME",
    "AID",
    "CID_NAME",
    "CID",
    "PLACEMENT",
    "CALLBACK_PARAM",
    "CALLBACK_URL",
    "IDFA",
    "GAID",
    "IP",
    "SL",
    "UA",
];

/// A misspelt macro in `url`: (what was written, the macro meant, if known).
pub fn misspelt(url: &str) -> Vec<(&str, Option<&'static str>)> {
    let mut out = Vec::new();
    for word in url.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let lead = word.len() - word.trim_start_matches('_').len();
        let trail = word.len() - word.trim_end_matches('_').len();
        let core = word.trim_matches('_');
        if core.is_empty() || (lead == 0 && trail == 0) {
            continue; // an ordinary word, such as `utm_source`
        }
        let upper = core.to_ascii_uppercase();
        if let Some(m) = MACROS.iter().find(|m| **m == upper) {
            if !(lead == 2 && trail == 2 && core == *m) {
                out.push((word, Some(*m)));
            }
        } else if lead >= 2 && trail >= 2 && core.bytes().all(|b| !b.is_ascii_lowercase()) {
            // Written as a macro, but not one of TikTok's.
            out.push((word, did_you_mean(&upper, MACROS)));
        }
    }
    out
}

/// Reports misspelt TikTok macros in landing-page URLs.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.policy.tiktok_macros {
        return;
    }
    for a in ads(ctx.ws) {
        let Some(url) = &a.ad.landing_page_url else {
            continue;
        };
        for (written, meant) in misspelt(&url.value) {
            let d = Diagnostic::new(
                &RULE,
                format!(
                    "`{written}` in the landing page of ad `{}` is not a TikTok macro",
                    a.ad_name.value
                ),
            )
            .primary(url.span, format!("`{written}` is sent as written, not filled in"))
            .note("TikTok macros are upper case, with two underscores before and after (`__CID_NAME__`): TikTok Ads Manager help, \"About supported macros for Mobile Measurement Partners\"");
            let d = match meant {
                Some(m) => d.help(format!("write `__{m}__`")),
                None => d.help(format!(
                    "TikTok's macros are {}",
                    MACROS
                        .iter()
                        .map(|m| format!("`__{m}__`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_the_faulty_guides_spread() {
        let url = "https://a.example/?utm_campaign=_CAMPAIGN_NAME_&utm_content=__CID_NAME&x=__cid__&t=__AID_NAM__&ok=__CID__&s=utm_source";
        let got = misspelt(url);
        assert_eq!(
            got,
            [
                ("_CAMPAIGN_NAME_", Some("CAMPAIGN_NAME")),
                ("__CID_NAME", Some("CID_NAME")),
                ("__cid__", Some("CID")),
                ("__AID_NAM__", Some("AID_NAME")),
            ]
        );
        assert!(misspelt("https://a.example/?utm_source=tiktok&c=__CAMPAIGN_NAME__").is_empty());
    }
}
