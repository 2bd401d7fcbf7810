//! SP303: ad text longer than 100 characters, empty, or containing emoji.

use super::RuleCtx;
use super::common::{ads, find_emoji};
use crate::diag::{Diagnostic, Span};

crate::declare_rule!(pub static RULE = "SP303", "invalid-ad-text", Error, "ad text longer than 100 characters, empty, or containing emoji");

/// The longest ad text TikTok accepts, in characters.
pub const MAX_AD_TEXT_CHARS: usize = 100;

/// Reports ad texts TikTok refuses.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ads(ctx.ws) {
        let Some(texts) = &a.ad.ad_texts else {
            continue;
        };
        for t in &texts.value {
            let ad = &a.ad_name.value;
            if t.value.trim().is_empty() {
                out.push(
                    Diagnostic::new(&RULE, format!("ad `{ad}` has an empty ad text"))
                        .primary(
                            t.span,
                            if t.value.is_empty() {
                                "empty"
                            } else {
                                "only spaces"
                            },
                        )
                        .note("TikTok: `ad_text` is 1 to 100 characters")
                        .help("write the text, or remove the entry"),
                );
                continue;
            }
            let n = t.value.chars().count();
            if n > MAX_AD_TEXT_CHARS {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("ad `{ad}`: an ad text is {n} characters long, the limit is {MAX_AD_TEXT_CHARS}"),
                    )
                    .primary(t.span, format!("{n} characters"))
                    .note("TikTok: `ad_text` is 1 to 100 characters, no emoji")
                    .help(match n - MAX_AD_TEXT_CHARS {
                        1 => "shorten it by 1 character".to_owned(),
                        k => format!("shorten it by {k} characters"),
                    }),
                );
            }
            if let Some((i, c)) = find_emoji(&t.value) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("ad `{ad}`: an ad text contains an emoji (U+{:04X})", u32::from(c)),
                    )
                    .primary(emoji_span(t.span, &t.value, i), "emoji are not allowed in ad texts")
                    .note("TikTok: `ad_text` is 1 to 100 characters, no emoji (emoji are allowed in a Spark post's caption, not in ad texts)")
                    .help("remove the emoji"),
                );
            }
        }
    }
}

/// The span of the emoji when the text is written verbatim in the file (a
/// plain or quoted scalar without escapes), else the whole text.
pub fn emoji_span(text_span: Span, value: &str, i: usize) -> Span {
    let len = text_span.end.saturating_sub(text_span.start) as usize;
    let quoted = len == value.len() + 2;
    if len != value.len() && !quoted {
        return text_span;
    }
    let start = text_span.start as usize + usize::from(quoted) + i;
    let width = value[i..].chars().next().map_or(1, char::len_utf8);
    Span::new(text_span.file, start, start + width)
}
