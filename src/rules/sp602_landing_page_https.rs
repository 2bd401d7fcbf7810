//! SP602: a landing-page URL that is not `https` (`[policy.landing_pages]
//! https = true`).

use super::RuleCtx;
use super::common::ads;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP602", "landing-page-https", Error, "policy: a landing-page URL does not use `https`");

/// Reports landing-page URLs whose scheme is not `https`.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.policy.https {
        return;
    }
    for a in ads(ctx.ws) {
        let Some(url) = &a.ad.landing_page_url else {
            continue;
        };
        let scheme = url.value.split_once("://").map(|(s, _)| s);
        if scheme.is_some_and(|s| s.eq_ignore_ascii_case("https")) {
            continue;
        }
        let (label, help) = match scheme {
            Some(s) if s.eq_ignore_ascii_case("http") => (
                "`http`, not `https`".to_owned(),
                "write `https://`: the page must be served over HTTPS".to_owned(),
            ),
            Some(s) => (
                format!("scheme `{s}`, not `https`"),
                "link to an `https://` page".to_owned(),
            ),
            None => (
                "no `https://`".to_owned(),
                "write the whole URL, starting with `https://`".to_owned(),
            ),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "the landing page of ad `{}` is not an `https` URL",
                    a.ad_name.value
                ),
            )
            .primary(url.span, label)
            .note("`[policy.landing_pages] https = true` in `sparkplan.toml`")
            .help(help),
        );
    }
}
