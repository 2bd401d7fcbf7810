//! SP310: a display name (`name:` of a campaign, ad group or ad) that TikTok
//! refuses: empty, longer than 512 characters, or containing emoji.

use super::RuleCtx;
use super::common::{ads, find_emoji, groups};
use super::sp303_ad_text::emoji_span;
use crate::api::fields::{MAX_DISPLAY_NAME, display_name_length};
use crate::diag::Diagnostic;
use crate::model::Spanned;

crate::declare_rule!(pub static RULE = "SP310", "invalid-display-name", Error, "a display name (`name:`) is empty, longer than 512 characters, or contains emoji");

/// TikTok's words, with the source (`api::fields::MAX_DISPLAY_NAME`).
const NOTE: &str = "TikTok API (`smart_plus/campaign/create`, `campaign_name`; the same for `adgroup_name` and `ad_name`): \"Length limit: 512 characters. Emoji is not supported. Each word in Chinese or Japanese counts as two characters\"";

/// Reports display names TikTok refuses.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, def) in &ctx.ws.campaigns {
        one(out, "campaign", key, def.value.name.as_ref());
    }
    for g in groups(ctx.ws) {
        one(out, "ad group", &g.group_name.value, g.group.name.as_ref());
    }
    for a in ads(ctx.ws) {
        one(out, "ad", &a.ad_name.value, a.ad.name.as_ref());
    }
}

fn one(out: &mut Vec<Diagnostic>, what: &str, key: &str, name: Option<&Spanned<String>>) {
    let Some(name) = name else { return };
    if name.value.trim().is_empty() {
        out.push(
            Diagnostic::new(&RULE, format!("{what} `{key}` has an empty `name`"))
                .primary(name.span, "empty")
                .note(NOTE)
                .help(format!(
                    "write the name, or remove `name:` to use the key `{key}`"
                )),
        );
        return;
    }
    let n = display_name_length(&name.value);
    if n > MAX_DISPLAY_NAME {
        out.push(
            Diagnostic::new(
                &RULE,
                format!("the name of {what} `{key}` is {n} characters long, the limit is {MAX_DISPLAY_NAME}"),
            )
            .primary(name.span, format!("{n} characters"))
            .note(NOTE)
            .help(format!("shorten it by {} characters", n - MAX_DISPLAY_NAME)),
        );
    }
    if let Some((i, c)) = find_emoji(&name.value) {
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "the name of {what} `{key}` contains an emoji (U+{:04X})",
                    u32::from(c)
                ),
            )
            .primary(
                emoji_span(name.span, &name.value, i),
                "emoji are not allowed in names",
            )
            .note(NOTE)
            .help("remove the emoji"),
        );
    }
}
