//! SP307: a photo post without `music_id`.

use super::RuleCtx;
use crate::diag::Diagnostic;
use crate::model::PostFormat;

crate::declare_rule!(pub static RULE = "SP307", "photo-post-music", Error, "a photo post without `music_id`");

/// Reports photo-mode posts without music.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let Some(format) = &p.format else { continue };
        if format.value != PostFormat::Photo || p.music_id.is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(&RULE, format!("photo post `{name}` has no `music_id`"))
                .primary(format.span, "a photo post (ad format CAROUSEL_ADS)")
                .note("TikTok API: `music_info.music_id` is required for carousel ads, including Spark pull of a photo post")
                .help("add `music_id:` with the ID of the post's music (digits, quoted)"),
        );
    }
}
