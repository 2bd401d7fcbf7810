//! SP103: a post with no source or with two sources.

use super::RuleCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP103", "post-source", Error, "a post with no source or with two sources");

/// Reports posts that are not exactly one of: `video_code` (with
/// `advertiser`), or `identity` + `item_id`.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let account = p
            .identity
            .as_ref()
            .map(|i| i.span)
            .or(p.item_id.as_ref().map(|i| i.span));
        match (&p.video_code, account) {
            (Some(code), Some(acct)) => out.push(
                Diagnostic::new(&RULE, format!("post `{name}` has two sources: a video code and an account post"))
                    .primary(acct, "an account post (`identity`/`item_id`)")
                    .secondary(code.span, "and a video code")
                    .note("a post is either a creator's post authorized by video code (TikTok identity AUTH_CODE) or a post of your linked or Business Center account, not both")
                    .help("keep `video_code` (with `advertiser`) for a creator's code, or `identity` + `item_id` for your account's post"),
            ),
            (Some(code), None) if p.advertiser.is_none() => out.push(
                Diagnostic::new(&RULE, format!("post `{name}` has a video code but no `advertiser`"))
                    .primary(code.span, "authorized to which ad account?")
                    .note("a video code is entered in one ad account (`tt_video/authorize` takes `advertiser_id`)")
                    .help("add `advertiser:` naming the ad account the code is for"),
            ),
            (None, None) => out.push(
                Diagnostic::new(&RULE, format!("post `{name}` has no source"))
                    .primary(def.name.span, "neither `video_code` nor `identity` + `item_id`")
                    .help("add `video_code` (with `advertiser`) for a creator's code, or `identity` + `item_id` for a post of your linked or Business Center account"),
            ),
            (None, Some(_)) => {
                if let (Some(identity), None) = (&p.identity, &p.item_id) {
                    out.push(
                        Diagnostic::new(&RULE, format!("post `{name}` names its account but not the post: `item_id` is missing"))
                            .primary(identity.span, "which post of this account?")
                            .help("add `item_id:` with the TikTok post ID (digits, quoted)"),
                    );
                }
                // An `item_id` without `identity` is SP101.
            }
            _ => {}
        }
    }
}
