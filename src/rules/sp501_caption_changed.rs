//! SP501: a post's caption changed while its video code (or item ID) stayed.

use super::pair::PairCtx;
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP501", "caption-changed", Error, "plan diff: a post's caption changed while its video code stayed");

/// Reports posts of both workspaces with the same code or item and another caption.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def, old) in ctx.posts() {
        let (p, o) = (&def.value, &old.value);
        // The same post: the same video code, or the same account item.
        let same_code = p.video_code.is_some()
            && p.video_code.as_ref().map(|c| &c.value) == o.video_code.as_ref().map(|c| &c.value);
        let same_item = p.item_id.is_some()
            && p.item_id.as_ref().map(|c| &c.value) == o.item_id.as_ref().map(|c| &c.value);
        if (same_code || same_item)
            && p.caption.as_ref().map(|c| &c.value) != o.caption.as_ref().map(|c| &c.value)
        {
            let what = if same_code { "video code" } else { "item ID" };
            let mut d = Diagnostic::new(
                &RULE,
                format!("the caption of post `{name}` changed while its {what} stayed the same"),
            )
            .primary(
                p.caption.as_ref().map_or(def.name.span, |c| c.span),
                "caption changed",
            );
            if let Some(c) = &o.caption {
                d = d.secondary(ctx.shift(c.span), "the caption in the base");
            }
            // The base's caption is the start of the new one: most likely
            // the record is being corrected (an unquoted caption had lost
            // its hashtags to a comment), not the post changed.
            let correction = matches!(
                (&o.caption, &p.caption),
                (Some(oc), Some(nc)) if nc.value.starts_with(oc.value.trim_end())
            );
            let help = if correction {
                "if the post on TikTok did not change and only the manifest's record was wrong (here the base's caption is the start of the new one, as when an unquoted caption lost its hashtags), accept the correction with `# sparkplan-allow: SP501 <reason>` on the post; if the creator changed the post, have them publish a new post and send its video code"
            } else {
                "if only the manifest's record was wrong (the post on TikTok did not change), accept the correction with `# sparkplan-allow: SP501 <reason>` on the post; otherwise keep the caption as it was, or have the creator publish a new post and send its video code"
            };
            out.push(
                d.note("TikTok does not allow editing a post's caption once it is authorized for Spark Ads")
                    .help(help),
            );
        }
    }
}
